//! Seeds a database for the HTTP load script (`benches/load.sh`): an administrator with an API
//! token, three interviewers, one role profile with 50 candidates each scored by all three
//! interviewers on every competency, and more candidates, 200 in all unless told how many.
//! Names are drawn from common Danish first and last names, so that a search finds some. The
//! profile's ad, written from it, is published at `/jobs/account-manager-load` for 30 days.
//! A second profile, for the pipeline board, has an application from each of the first 300
//! candidates (fewer when there are fewer), spread over the stages.
//!
//! Usage: `cargo run --release --example seed_load -- DATABASE_URL EMAIL PASSWORD [CANDIDATES]`;
//! prints the profile's id, the administrator's API token and the board profile's id.

use amfit::domain::audit::{AuditAction, AuditSubject};
use amfit::domain::candidate::{CandidateInput, Stage};
use amfit::domain::scorecard::{CompetencyRating, Recommendation, ScorecardContent};
use amfit::domain::user::Role;
use amfit::store::{NewAdVersion, NewApplication, NewAuditEntry, NewPublication, UserRecord};

const SCORED: usize = 50;
const CANDIDATES: usize = 200;
const INTERVIEWERS: usize = 3;
const BOARD: usize = 300;
/// The board's stages, most applications early in the process as in a real one.
const STAGES: [Stage; 10] = [
    Stage::Applied,
    Stage::Applied,
    Stage::Applied,
    Stage::Screening,
    Stage::Screening,
    Stage::Interviewing,
    Stage::Interviewing,
    Stage::Offer,
    Stage::Rejected,
    Stage::Rejected,
];
const FIRST_NAMES: [&str; 20] = [
    "Anders",
    "Birgitte",
    "Christian",
    "Dorthe",
    "Emil",
    "Freja",
    "Gustav",
    "Hanne",
    "Ida",
    "Jens",
    "Karen",
    "Lars",
    "Mette",
    "Niels",
    "Ole",
    "Pernille",
    "Rasmus",
    "Sofie",
    "Søren",
    "Trine",
];
const LAST_NAMES: [&str; 20] = [
    "Andersen",
    "Bach",
    "Christensen",
    "Dahl",
    "Eriksen",
    "Frederiksen",
    "Hansen",
    "Holm",
    "Jensen",
    "Kristensen",
    "Larsen",
    "Madsen",
    "Nielsen",
    "Olsen",
    "Pedersen",
    "Rasmussen",
    "Sørensen",
    "Thomsen",
    "Vestergaard",
    "Østergaard",
];

/// The audit entry of what the seed writes: the seed's own doing, on record `id`.
fn seeded(id: i64) -> NewAuditEntry {
    NewAuditEntry {
        actor_id: None,
        actor_name: "seed_load (example)".into(),
        action: AuditAction::ChangeUser,
        subject: AuditSubject::User,
        subject_id: id,
        detail: String::new(),
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (url, email, password, count) = match args.as_slice() {
        [url, email, password] => (url, email, password, CANDIDATES),
        [url, email, password, count] => (url, email, password, count.parse()?),
        _ => anyhow::bail!("usage: seed_load DATABASE_URL EMAIL PASSWORD [CANDIDATES]"),
    };
    anyhow::ensure!(count >= SCORED, "at least {SCORED} candidates");
    let store = amfit::store::connect(url).await?;
    anyhow::ensure!(store.is_empty().await?, "the database must be empty");
    let rubric = amfit::rubrics::load(&amfit::rubrics::RubricSource::BuiltIn)?;
    let hash = amfit::auth::password::hash(password.clone()).await?;
    let admin = store
        .create_user(UserRecord { email, name: "Load Admin", role: Role::Admin, password_hash: &hash }, &seeded)
        .await?;
    let token = amfit::auth::tokens::generate();
    store.create_token(admin.id, &amfit::auth::tokens::digest(&token), None, &seeded).await?;
    let mut interviewers = Vec::new();
    for i in 0..INTERVIEWERS {
        let email = format!("interviewer{i}@load.test");
        let record =
            UserRecord { email: &email, name: "Load Interviewer", role: Role::Interviewer, password_hash: &hash };
        interviewers.push(store.create_user(record, &seeded).await?);
    }
    let today = chrono::Utc::now().date_naive();
    let (company, profile) = amfit::domain::demo::demo_companies(today).remove(0);
    let company = store.create_company(&company).await?;
    let profile = store.create_profile(company.id, &profile).await?;
    publish_ad(store.as_ref(), &rubric, &company.details, &profile, admin.id, today).await?;
    let competencies: Vec<String> = rubric.competencies.iter().map(|c| c.id.clone()).collect();
    let (_, board_profile) = amfit::domain::demo::demo_companies(today).remove(1);
    let board = store.create_profile(company.id, &board_profile).await?;
    for n in 0..count {
        let (first, last) = (FIRST_NAMES[n % 20], LAST_NAMES[(n / 20) % 20]);
        let input = CandidateInput {
            name: Some(format!("{first} {last}")),
            email: Some(format!("candidate{n}@example.dk")),
            source: Some("Load test".into()),
            ..Default::default()
        };
        let candidate = store
            .create_candidate(&input.parse(chrono::Utc::now().date_naive()).map_err(|e| anyhow::anyhow!("{e:?}"))?)
            .await?;
        if n < BOARD {
            let new =
                NewApplication { candidate_id: candidate.id, profile_id: board.id, applied_on: today, by: admin.id };
            let application = store.create_application(new).await?.application.id;
            let stage = STAGES[n % STAGES.len()];
            if stage != Stage::Applied {
                store.change_stage(application, stage, admin.id, None, &seeded(0)).await?;
            }
        }
        if n >= SCORED {
            continue;
        }
        let new =
            NewApplication { candidate_id: candidate.id, profile_id: profile.id, applied_on: today, by: admin.id };
        let application = store.create_application(new).await?.application.id;
        for (i, interviewer) in interviewers.iter().enumerate() {
            let assignment = store.assign(application, interviewer.id, &competencies).await?;
            let ratings = competencies
                .iter()
                .enumerate()
                .map(|(c, competency)| CompetencyRating {
                    competency: competency.clone(),
                    // Spread over the whole scale, different per candidate, interviewer and competency.
                    score: Some(1 + ((n * 7 + i * 3 + c * 5) % 5) as u8),
                    evidence: "Described a renewal at risk, what they did and what the client said.".into(),
                })
                .collect();
            let content = ScorecardContent { ratings, recommendation: Some(Recommendation::Yes) };
            store.write_scorecard(assignment.id, &content, &rubric.version, true, &seeded(0)).await?;
        }
    }
    println!("{} {token} {}", profile.id, board.id);
    Ok(())
}

/// Writes the profile's ad, saves it as version 1 and publishes it for 30 days.
async fn publish_ad(
    store: &dyn amfit::store::Store,
    rubric: &amfit::domain::rubric::Rubric,
    company: &amfit::domain::company::CompanyDetails,
    profile: &amfit::domain::profile::RoleProfile,
    by: i64,
    today: chrono::NaiveDate,
) -> anyhow::Result<()> {
    use amfit::domain::ad::{AdSource, Tone};
    let weights = rubric.weigh(company, &profile.details, &[]);
    let (language, tone) = (profile.details.ad_language, Tone::Informal);
    let text = AdSource { company, profile: &profile.details, language, tone }.generate(&weights).markdown;
    let version = NewAdVersion { profile_id: profile.id, language, tone, text: &text, by };
    let number = store.save_ad_version(version).await?.number;
    let until = today + chrono::Days::new(30);
    let publication = NewPublication {
        profile_id: profile.id,
        number,
        slug: "account-manager-load",
        open_from: today,
        open_until: until,
        by,
    };
    store.publish(publication).await?;
    Ok(())
}
