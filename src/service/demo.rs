//! `amfit demo`: fills a database without companies with example data that shows what every
//! page is for: colleagues in every role, three companies with a profile, a published ad and
//! an interview panel each, and about forty applicants whose weeks of history (CVs, stage
//! moves, interviews, scorecards that sometimes disagree, comments and decisions) are replayed
//! through the store at the moments they happened. Nothing is mailed: every address is one
//! reserved for examples.

use anyhow::Context as _;
use chrono::{DateTime, Datelike as _, Duration, Utc};
use rand::Rng as _;

use crate::domain::ad::{AdFormat, AdRequest, Tone};
use crate::domain::audit::{Agent, AuditAction, AuditDetail, AuditSubject};
use crate::domain::candidate::{CandidateDetails, Stage};
use crate::domain::company::CompanyDetails;
use crate::domain::demo::cv::{cv_lines, cv_pdf};
use crate::domain::demo::demo_companies;
use crate::domain::demo::history::{
    self, COLLEAGUES, DEMO_DOMAIN, DemoApplicant, DemoStep, HIRING_MANAGER, PROFILES_MADE_DAYS_AGO, RECRUITER,
    TimedStep,
};
use crate::domain::document::{DocumentFormat, DocumentKind, RecognisedDocument, document_text};
use crate::domain::interview::InterviewSlot;
use crate::domain::profile::{AdLanguage, Interviewing};
use crate::domain::publication::slug_of;
use crate::domain::rubric::Rubric;
use crate::domain::scorecard::{CompetencyRating, ScorecardContent};
use crate::domain::user::{NotificationSettings, NotifyWhen, User, UserInput};
use crate::service::audit::{self, Actor};
use crate::service::{ads, users};
use crate::store::clock::replaying_at;
use crate::store::{NewAdVersion, NewApplication, NewComment, NewDecision, NewPublication, Store};

/// What every demo candidate's notes say, in both languages.
const EXAMPLE_NOTE: &str = "Example data made by amfit demo. · Eksempeldata lavet af amfit demo.";

/// A demo profile as the replay needs it.
struct DemoProfile {
    id: i64,
    language: AdLanguage,
    /// The panel's two interviewers and the competencies each rates.
    panel: [(i64, Vec<String>); 2],
}

/// An applicant once they applied.
#[derive(Clone, Default)]
struct Applied {
    candidate_id: i64,
    application_id: i64,
    stage: Option<Stage>,
    /// The interview of each panel seat.
    assignments: Vec<i64>,
}

/// Fills the store as the module says, `now` being the end of the history; returns what it
/// made and how to sign in, a line each. A store with companies, with the demo's colleagues or
/// with webhooks (which would be sent the history) is left untouched.
pub async fn fill(store: &dyn Store, rubric: &Rubric, now: DateTime<Utc>) -> anyhow::Result<Vec<String>> {
    check_fillable(store).await?;
    let first_day = now.date_naive() - Duration::days(PROFILES_MADE_DAYS_AGO as i64);
    let started = first_day.and_hms_opt(8, 0, 0).context("eight o'clock is a time")?.and_utc();
    let (colleagues, sign_ins) = replaying_at(started, add_colleagues(store)).await?;
    // Stopped past here, the demo would leave accounts whose passwords no one was told.
    let made = fill_for(store, rubric, now, started, &colleagues).await.with_context(|| {
        let told = sign_ins.join("\n");
        format!("the demo stopped half-way: fill a new database. The colleagues it added:\n{told}")
    })?;
    Ok([sign_ins, made].concat())
}

/// Why the demo may not fill the store, if it may not.
async fn check_fillable(store: &dyn Store) -> anyhow::Result<()> {
    anyhow::ensure!(store.is_empty().await?, "the database already has companies; `amfit demo` only fills one without");
    let domain = format!("@{DEMO_DOMAIN}");
    let taken = store.list_users().await?.iter().any(|user| user.email.ends_with(&domain));
    anyhow::ensure!(!taken, "the demo's colleagues ({domain}) exist already: fill a new database");
    let hooks = store.list_webhooks().await?;
    anyhow::ensure!(
        hooks.is_empty(),
        "the database has webhooks, which would be sent the demo's history: fill one without"
    );
    Ok(())
}

/// The companies, profiles, ads and the applicants' history, made by `colleagues`.
async fn fill_for(
    store: &dyn Store,
    rubric: &Rubric,
    now: DateTime<Utc>,
    started: DateTime<Utc>,
    colleagues: &[User],
) -> anyhow::Result<Vec<String>> {
    let mut report = Vec::new();
    let mut profiles = Vec::new();
    let mut languages = Vec::new();
    for (mut company, mut profile) in demo_companies(now.date_naive()) {
        mark_as_example(&mut company);
        profile.hiring_manager_id = Some(colleagues[HIRING_MANAGER].id);
        // The history has interviews in it already: they are held as applications come.
        profile.interviewing = Interviewing::AsApplicationsCome;
        profile.terms.interview_week = None;
        profile.terms.invite_all = false;
        languages.push(profile.ad_language);
        let made = replaying_at(started, async {
            let company = store.create_company(&company).await?;
            let made = store.create_profile(company.id, &profile).await?;
            report.push(format!("created {} with the role profile {:?}", company.details.name, profile.title));
            anyhow::Ok(made)
        })
        .await?;
        replaying_at(started + Duration::days(1), publish_ad(store, rubric, made.id, &colleagues[RECRUITER])).await?;
        let panel = panel(store, rubric, made.id, profiles.len(), colleagues).await?;
        profiles.push(DemoProfile { id: made.id, language: profile.ad_language, panel });
    }
    let applicants = history::applicants(&languages);
    let mut replay = Replay { store, rubric, colleagues, profiles: &profiles, applied: Vec::new() };
    replay.applied.resize(applicants.len(), Applied::default());
    for step in history::history(&applicants, now) {
        replaying_at(step.at, replay.run(&applicants, &step))
            .await
            .with_context(|| format!("replaying {:?} of {}", step.step, applicants[step.applicant].name))?;
    }
    // The default panels come last: a new application gets its profile's panel at once, and
    // the history's applicants met theirs only once the recruiter planned their interviews.
    for profile in &profiles {
        for (interviewer, competencies) in &profile.panel {
            replaying_at(now, store.set_panel_member(profile.id, *interviewer, competencies)).await?;
        }
    }
    report.push(format!(
        "added {} example candidates with CVs, interviews, scorecards, comments and decisions over the last {} days",
        applicants.len(),
        PROFILES_MADE_DAYS_AGO
    ));
    Ok(report)
}

/// Says at the head of the company's descriptions, which its job ads and public job page show,
/// that it is an example.
fn mark_as_example(company: &mut CompanyDetails) {
    let mark = |description: &mut Option<String>, said: &str| {
        *description = Some(format!("{said} {}", description.take().unwrap_or_default()).trim_end().to_owned());
    };
    mark(&mut company.description_en, "An example company, made by amfit demo.");
    mark(&mut company.description_da, "En eksempelvirksomhed, lavet af amfit demo.");
}

/// Adds the demo's colleagues, each with a new random password; returns them and their
/// sign-ins, to print once.
async fn add_colleagues(store: &dyn Store) -> anyhow::Result<(Vec<User>, Vec<String>)> {
    let mut added = Vec::new();
    let mut sign_ins = vec!["sign in as (each password is shown this once):".to_owned()];
    for colleague in COLLEAGUES {
        let password: String =
            rand::thread_rng().sample_iter(rand::distributions::Alphanumeric).take(16).map(char::from).collect();
        let input = UserInput {
            email: Some(colleague.email()),
            name: Some(colleague.name.to_owned()),
            role: Some(colleague.role.as_str().to_owned()),
            password: Some(password.clone()),
        };
        let user = users::add(store, Actor::Command(Agent::DemoCommand), &input)
            .await
            .with_context(|| format!("cannot add the demo user {}", colleague.email()))?;
        // Their addresses reach no one: no reminder or digest is written for them.
        let quiet = NotificationSettings { when: NotifyWhen::Off, language: AdLanguage::En };
        store.set_notification_settings(user.id, quiet).await?;
        sign_ins.push(format!("  {:<16} {:<28} {password}", colleague.role.as_str(), user.email));
        added.push(user);
    }
    Ok((added, sign_ins))
}

/// The profile's two panel members, each with the competencies they rate.
async fn panel(
    store: &dyn Store,
    rubric: &Rubric,
    profile_id: i64,
    index: usize,
    colleagues: &[User],
) -> anyhow::Result<[(i64, Vec<String>); 2]> {
    let profile = store.get_profile(profile_id).await?;
    let company = store.get_company(profile.company_id).await?;
    let weights = rubric.weigh(&company.details, &profile.details, &[]);
    let heaviest: Vec<String> = weights.iter().filter(|w| w.weight > 0).map(|w| w.competency.id.clone()).collect();
    let [first, second] = history::panel_competencies(&heaviest);
    let [seat_0, seat_1] = history::panel(index).map(|colleague| colleagues[colleague].id);
    Ok([(seat_0, first), (seat_1, second)])
}

/// Saves the profile's ad as written from it and publishes it until the deadline.
async fn publish_ad(store: &dyn Store, rubric: &Rubric, profile_id: i64, by: &User) -> anyhow::Result<()> {
    let choice = AdRequest { format: AdFormat::Md, language: None, tone: Tone::Informal, version: None };
    let ad = ads::load(store, rubric, profile_id, &choice).await?;
    let new = NewAdVersion { profile_id, language: ad.language, tone: ad.tone, text: &ad.text, by: by.id };
    let version = store.save_ad_version(new).await?;
    let today = crate::store::clock::now().date_naive();
    let slug = slug_of(&format!("{} {}", ad.profile.details.ad_title(ad.language), ad.company.details.name));
    let open_until = ad.profile.details.application_deadline.context("a demo profile has a deadline")?;
    let publication =
        NewPublication { profile_id, number: version.number, slug: &slug, open_from: today, open_until, by: by.id };
    store.publish(publication).await?;
    Ok(())
}

/// The replay of the history, step by step.
struct Replay<'a> {
    store: &'a dyn Store,
    rubric: &'a Rubric,
    colleagues: &'a [User],
    profiles: &'a [DemoProfile],
    applied: Vec<Applied>,
}

impl Replay<'_> {
    async fn run(&mut self, applicants: &[DemoApplicant], step: &TimedStep) -> anyhow::Result<()> {
        let applicant = &applicants[step.applicant];
        let profile = &self.profiles[applicant.profile];
        let recruiter = &self.colleagues[RECRUITER];
        match &step.step {
            DemoStep::Apply => {
                self.applied[step.applicant] = self.apply(applicant, step.applicant, profile, step.at).await?;
            }
            DemoStep::Move(stage) => {
                let applied = &mut self.applied[step.applicant];
                let subject = (AuditSubject::Application, applied.application_id);
                let moved = audit::entry(recruiter, AuditAction::MoveStage, subject, AuditDetail::StageMoved(*stage));
                self.store.change_stage(applied.application_id, *stage, recruiter.id, None, &moved).await?;
                applied.stage = Some(*stage);
            }
            DemoStep::Plan(starts_at) => {
                let applied = &mut self.applied[step.applicant];
                for (interviewer, competencies) in &profile.panel {
                    let assignment = self.store.assign(applied.application_id, *interviewer, competencies).await?;
                    applied.assignments.push(assignment.id);
                }
                let place = profile.language.pick("Mødelokale 2", "Meeting room 2");
                let slot = InterviewSlot {
                    starts_at: *starts_at,
                    duration_minutes: 60,
                    place: Some(place.to_owned()),
                    video_link: None,
                };
                let interviewers = profile.panel.each_ref().map(|(id, _)| *id);
                self.store.schedule(applied.application_id, &interviewers, Some(&slot), &[]).await?;
            }
            DemoStep::Score { seat } => self.score(applicant, step.applicant, *seat).await?,
            DemoStep::Decide { by, verdict, reason } => {
                let applied = &mut self.applied[step.applicant];
                let from = applied.stage.unwrap_or(Stage::Applied);
                let to = verdict.next_stage(from).context("a demo decision fits its stage")?;
                let user = &self.colleagues[*by];
                let new = NewDecision {
                    application_id: applied.application_id,
                    verdict: *verdict,
                    reason,
                    from,
                    to,
                    by: user.id,
                };
                let subject = (AuditSubject::Application, applied.application_id);
                let decided = audit::entry(user, AuditAction::RecordDecision, subject, AuditDetail::Decided(*verdict));
                self.store.record_decision(new, &decided).await?;
                applied.stage = Some(to);
            }
            DemoStep::Comment { by, mentions, body } => {
                let applied = &self.applied[step.applicant];
                let (author, mentioned) = (&self.colleagues[*by], self.colleagues[*mentions].id);
                let new = NewComment {
                    candidate_id: applied.candidate_id,
                    application_id: Some(applied.application_id),
                    author_id: author.id,
                    body,
                    mentions: &[mentioned],
                };
                let subject = (AuditSubject::Candidate, applied.candidate_id);
                let written =
                    audit::entry(author, AuditAction::Comment, subject, AuditDetail::Commented { mentions: 1 });
                self.store.add_comment(new, &written).await?;
            }
        }
        Ok(())
    }

    /// Adds the applicant, their application (entered by the recruiter) and their CV.
    async fn apply(
        &self,
        applicant: &DemoApplicant,
        index: usize,
        profile: &DemoProfile,
        at: DateTime<Utc>,
    ) -> anyhow::Result<Applied> {
        let recruiter = &self.colleagues[RECRUITER];
        let details = CandidateDetails {
            name: applicant.name.clone(),
            email: applicant.email.clone(),
            phone: Some(applicant.phone.clone()),
            source: Some(applicant.source.to_owned()),
            notes: Some(EXAMPLE_NOTE.to_owned()),
            link: None,
            talent_pool: None,
        };
        let candidate = self.store.create_candidate(&details).await?;
        let new = NewApplication {
            candidate_id: candidate.id,
            profile_id: profile.id,
            applied_on: at.date_naive(),
            by: recruiter.id,
        };
        let application = self.store.create_application(new).await?;
        let pdf = cv_pdf(&cv_lines(applicant, index, at.year()))?;
        let text = document_text(DocumentFormat::Pdf, &pdf);
        let file_name = format!("CV {}.pdf", applicant.name);
        let document = RecognisedDocument::recognise(DocumentKind::Cv, &file_name, pdf)
            .map_err(|problem| anyhow::anyhow!("the demo CV is not recognised: {problem:?}"))?
            .with_text(text);
        let subject = (AuditSubject::Candidate, candidate.id);
        let added =
            audit::entry(recruiter, AuditAction::AddDocument, subject, AuditDetail::DocumentAdded(DocumentKind::Cv));
        let application_id = application.application.id;
        self.store.add_document(candidate.id, Some(application_id), &document, &added).await?;
        Ok(Applied { candidate_id: candidate.id, application_id, stage: Some(Stage::Applied), assignments: Vec::new() })
    }

    /// Submits the scorecard of panel seat `seat`.
    async fn score(&self, applicant: &DemoApplicant, index: usize, seat: usize) -> anyhow::Result<()> {
        let applied = &self.applied[index];
        let (interviewer, competencies) = &self.profiles[applicant.profile].panel[seat];
        let language = applicant.language;
        let mut ratings = Vec::new();
        for (number, competency) in competencies.iter().enumerate() {
            let score = history::score(applicant, index, number, seat);
            let evidence = history::evidence(score, index + number + seat, language).to_owned();
            ratings.push(CompetencyRating { competency: competency.clone(), score: Some(score), evidence });
        }
        let scores: Vec<u8> = ratings.iter().filter_map(|r| r.score).collect();
        let content = ScorecardContent { ratings, recommendation: Some(history::recommendation(&scores)) };
        let user = self.colleagues.iter().find(|u| u.id == *interviewer).context("a panel member is a colleague")?;
        let assignment = applied.assignments[seat];
        let subject = (AuditSubject::Interview, assignment);
        let submitted = audit::entry(user, AuditAction::ChangeScore, subject, AuditDetail::ScorecardSubmitted);
        self.store.write_scorecard(assignment, &content, &self.rubric.version, true, &submitted).await?;
        Ok(())
    }
}
