//! Letters to candidates: the receipt amfit writes as an application arrives, the letters a
//! recruiter sends about an application, and every letter a candidate was written, with where
//! it stands. Each letter goes to the outbox with the change or request that causes it; the
//! mail sender delivers it.

use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::domain::audit::{AuditAction, AuditDetail, AuditSubject};
use crate::domain::calendar::{CalendarMethod, InterviewEntry, Person};
use crate::domain::candidate::{Assignment, Candidate, CandidateDetails};
use crate::domain::input::{FieldErrors, Problem};
use crate::domain::interview::InterviewSlot;
use crate::domain::letter::{
    Field, FieldValues, LetterInput, LetterKind, LetterRequest, LetterTemplate, TemplateKind, WrittenLetter,
};
use crate::domain::profile::{AdLanguage, Interviewing};
use crate::domain::user::User;
use crate::domain::written;
use crate::error::{AppError, AppResult};
use crate::i18n::{I18n, Lang};
use crate::service::audit::{self, Actor};
use crate::service::jobs::PublishedAd;
use crate::service::{candidates, letter_templates};
use crate::store::{ApplicationOverview, Message, NewMessage, OutboxStatus, StoreError};

/// What happens after an application to `job`, and when, in the ad's language: interviews as
/// applications come, or after the deadline, and in which week, as the ad itself says.
pub fn next_steps(job: &PublishedAd) -> String {
    let i18n = I18n::new(Lang::of_content(job.publication.language));
    let deadline = i18n.date(&job.publication.open_until);
    let key = match job.interviewing {
        Interviewing::AsApplicationsCome => "applied-next-rolling",
        Interviewing::AfterDeadline => "applied-next",
    };
    let next = i18n.t1(key, "date", &deadline);
    match job.interview_week {
        Some(week) => format!("{next} {}", i18n.t1("applied-interview-week", "week", &week.to_string())),
        None => next,
    }
}

/// The receipt to `candidate` for their application to `job`, written in the ad's language
/// from `template`, to go to the outbox with the application.
pub fn receipt(job: &PublishedAd, template: &LetterTemplate, candidate: &CandidateDetails) -> NewMessage {
    let language = job.publication.language;
    let values = FieldValues::default()
        .with(Field::CandidateName, &candidate.name)
        .with(Field::JobTitle, &job.title)
        .with(Field::Company, &job.company)
        .with(Field::SenderName, &job.company)
        .with(Field::NextSteps, next_steps(job));
    NewMessage {
        message_id: new_message_id(),
        kind: LetterKind::Receipt,
        recipient: candidate.email.clone(),
        language,
        letter: template.write(language, &values),
        calendar: None,
        sent_by: None,
        to_user: None,
    }
}

/// The job's title as a letter to the candidate in `language` names it: the ad's title in that
/// language.
async fn job_title(state: &AppState, application: &ApplicationOverview, language: AdLanguage) -> AppResult<String> {
    let profile = state.store.get_profile(application.application.profile_id).await?;
    Ok(profile.details.ad_title(language).to_owned())
}

/// A message id no other message has.
pub fn new_message_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Whether `key` is a message id as [`new_message_id`] makes them (a form carries one).
pub fn is_message_id(key: &str) -> bool {
    key.len() == 32 && uuid::Uuid::try_parse(key).is_ok()
}

/// A letter to be sent: the checked request with everything it is written from.
struct Draft {
    request: LetterRequest,
    candidate: Candidate,
    language: AdLanguage,
    values: FieldValues,
    template: LetterTemplate,
    /// An invitation's calendar entry.
    calendar: Option<String>,
}

/// The letter `user` would send about application `id` as `input` asks, written but not sent:
/// for a preview. [`AppError::Invalid`] names every field that is wrong.
pub async fn preview(state: &AppState, user: &User, id: i64, input: &LetterInput) -> AppResult<NewMessage> {
    let draft = draft(state, user, id, input).await?;
    Ok(message_of(&draft, user, new_message_id()))
}

/// Sends `user`'s letter about application `id` as `input` asks: written to the outbox with
/// its entry on the audit trail. `key`, the letter form's own id, makes a form sent twice one
/// letter. Refused for a candidate whose data was erased (409).
pub async fn send(
    state: &AppState,
    user: &User,
    id: i64,
    input: &LetterInput,
    key: Option<&str>,
) -> AppResult<Message> {
    let message_id = match key {
        Some(key) if is_message_id(key) => key.to_owned(),
        Some(_) => return Err(AppError::Invalid(FieldErrors::single("letter_key", Problem::InvalidFormKey))),
        None => new_message_id(),
    };
    let draft = draft(state, user, id, input).await?;
    let new = message_of(&draft, user, message_id);
    let subject = (AuditSubject::Application, id);
    let entry = audit::entry(Actor::User(user), AuditAction::SendLetter, subject, AuditDetail::Letter(new.kind));
    match state.store.queue_letter(draft.candidate.id, id, &new, &entry).await {
        Ok(message) => Ok(message),
        Err(StoreError::Conflict { .. }) => Err(AppError::Erased),
        Err(StoreError::Duplicate) => Err(AppError::Invalid(FieldErrors::single("letter_key", Problem::FormKeyUsed))),
        Err(other) => Err(other.into()),
    }
}

/// The rejection letter with `note` (a line of the recruiter's own) that a rejection of several
/// writes to each candidate, checked before anyone is moved.
pub fn rejection(note: Option<String>) -> AppResult<LetterInput> {
    let letter = LetterInput { kind: Some(LetterKind::Rejection.as_str().to_owned()), note, ..LetterInput::default() };
    letter.parse().map_err(AppError::Invalid)?;
    Ok(letter)
}

/// Checks that `user` may write about each of `applications` (seen, the candidate's data not
/// erased): before a rejection of several moves anyone.
pub async fn check_each(state: &AppState, user: &User, applications: &[i64]) -> AppResult<()> {
    for &application in applications {
        let seen = candidates::application_seen_by(state, user, application).await?;
        candidates::changeable(state, seen.application.candidate_id).await?;
    }
    Ok(())
}

/// Sends each of `applications` the `letter`, each as [`send`] sends one, in the candidate's
/// language. `key`, the form's own, makes each letter's message id: the same form sent again
/// writes no letter twice.
pub async fn send_each(
    state: &AppState,
    user: &User,
    applications: &[i64],
    letter: &LetterInput,
    key: &str,
) -> AppResult<usize> {
    for &application in applications {
        send(state, user, application, letter, Some(&message_id_of(key, application))).await?;
    }
    Ok(applications.len())
}

/// The message id of the letter to `application` among those one form (`key`) sends.
fn message_id_of(key: &str, application: i64) -> String {
    let digest = Sha256::digest(format!("{key}:{application}"));
    digest.iter().take(16).map(|byte| format!("{byte:02x}")).collect()
}

async fn draft(state: &AppState, user: &User, id: i64, input: &LetterInput) -> AppResult<Draft> {
    let request = input.parse().map_err(AppError::Invalid)?;
    let application = candidates::application_seen_by(state, user, id).await?;
    let candidate = candidates::changeable(state, application.application.candidate_id).await?;
    let language = request.language.unwrap_or(application.application.language);
    let plan = candidates::plan_of(state, &application).await?;
    let mut values = FieldValues::default()
        .with(Field::CandidateName, &candidate.details.name)
        .with(Field::JobTitle, job_title(state, &application, language).await?)
        .with(Field::Company, &application.company_name)
        .with(Field::SenderName, &user.name)
        .with(Field::Note, request.note.clone().unwrap_or_default());
    let mut calendar = None;
    if request.kind == LetterKind::Invitation {
        let Some(slot) = next_interview(&plan, chrono::Utc::now().naive_utc()) else {
            return Err(AppError::Invalid(FieldErrors::single("kind", Problem::NoInterviewTime)));
        };
        values = interview_values(values, &slot, &plan, language);
        let sequence = state.store.calendar_versions(id).await?;
        let to = Person { name: candidate.details.name.clone(), email: candidate.details.email.clone() };
        let text = candidate_entry_text(&application, &values, language);
        calendar = Some(calendar_entry(&application, CalendarMethod::Request, slot, sequence, text, user, to));
    }
    let met = plan.iter().any(|assignment| assignment.slot.is_some());
    let standard = match template_kind(request.kind, met) {
        Some(kind) => Some(letter_templates::template_for(state, application.company_id, kind, language).await?),
        None => None,
    };
    let template = LetterTemplate {
        subject: request.subject.clone().or(standard.as_ref().map(|t| t.subject.clone())).unwrap_or_default(),
        body: request.body.clone().or(standard.map(|t| t.body)).unwrap_or_default(),
    };
    Ok(Draft { request, candidate, language, values, template, calendar })
}

/// The summary and description of the candidate's calendar entry for the interview.
fn candidate_entry_text(
    application: &ApplicationOverview,
    values: &FieldValues,
    language: AdLanguage,
) -> (String, String) {
    let i18n = I18n::new(Lang::of_content(language));
    let job = [("job_title", values.get(Field::JobTitle)), ("company", application.company_name.as_str())];
    let interviewers = ("interviewers", values.get(Field::Interviewers));
    (i18n.tn("calendar-summary", &job), i18n.tn("calendar-description", &[job[0], job[1], interviewers]))
}

/// Application `application`'s interview at `slot` as a calendar entry to `attendee` from
/// `organizer`, which `method` asks the calendar to add, move or cancel: one uid per
/// application, the `sequence`-th version, the time read in the company's zone.
fn calendar_entry(
    application: &ApplicationOverview,
    method: CalendarMethod,
    slot: InterviewSlot,
    sequence: i64,
    (summary, description): (String, String),
    organizer: &User,
    attendee: Person,
) -> String {
    let entry = InterviewEntry {
        uid: interview_uid(application),
        sequence: u32::try_from(sequence).unwrap_or(u32::MAX),
        method,
        summary,
        description,
        slot,
        time_zone: application.time_zone,
        organizer: Person { name: organizer.name.clone(), email: organizer.email.clone() },
        attendees: vec![attendee],
        stamp: chrono::Utc::now(),
    };
    entry.to_ics()
}

/// `values` with the time and place of the interview at `slot`, and who of `plan` meets the
/// candidate then.
pub(crate) fn interview_values(
    values: FieldValues,
    slot: &InterviewSlot,
    plan: &[Assignment],
    language: AdLanguage,
) -> FieldValues {
    let i18n = I18n::new(Lang::of_content(language));
    let meeting = plan.iter().filter(|a| a.slot.as_ref().is_some_and(|s| s.starts_at == slot.starts_at));
    let names: Vec<String> = meeting.map(|a| a.interviewer_name.clone()).collect();
    values
        .with(Field::InterviewTime, i18n.local_period(&slot.starts_at, &slot.ends_at()))
        .with(Field::InterviewPlace, slot.whereabouts())
        .with(Field::Interviewers, written::list(&names, language))
}

/// The interview an invitation is for: the first that has not ended by `now` (a day's margin:
/// the server's clock is not the interview's), else the last there was.
pub(crate) fn next_interview(plan: &[Assignment], now: chrono::NaiveDateTime) -> Option<InterviewSlot> {
    let mut slots: Vec<&InterviewSlot> = plan.iter().filter_map(|a| a.slot.as_ref()).collect();
    slots.sort_by_key(|slot| slot.starts_at);
    let coming = slots.iter().find(|slot| is_coming(slot, now));
    coming.or(slots.last()).map(|slot| (*slot).clone())
}

/// Whether `slot` has not ended by `now`, with a day's margin: the server's clock is not the
/// interview's.
fn is_coming(slot: &InterviewSlot, now: chrono::NaiveDateTime) -> bool {
    slot.ends_at() + chrono::TimeDelta::days(1) > now
}

/// The letter that tells the candidate of `application`, whose calendar holds an interview
/// amfit invited them to, that the change from plan `before` to plan `after` moved it or
/// cancelled it; written by `user`, with the calendar entry that moves or cancels theirs.
/// `None` when their calendar holds no such interview (never invited, cancelled already, the
/// interview over, or the candidate's data erased), or the interview they are invited to is as
/// it was. Written in the language of the invitation they hold.
pub async fn candidate_calendar_change(
    state: &AppState,
    user: &User,
    application: &ApplicationOverview,
    before: &[Assignment],
    after: &[Assignment],
) -> AppResult<Option<NewMessage>> {
    let now = chrono::Utc::now().naive_utc();
    let (was, is) = (next_interview(before, now), next_interview(after, now));
    // An interview that took place stays as it was in their calendar: a later round, or a
    // plan tidied afterwards, is no change to it.
    let Some(had) = was.as_ref().filter(|had| is_coming(had, now) && was != is) else {
        return Ok(None);
    };
    let id = application.application.id;
    let Some((held, language)) = state.store.candidate_calendar_entry(id).await? else {
        return Ok(None);
    };
    let candidate = state.store.get_candidate(application.application.candidate_id).await?;
    if CalendarMethod::of_entry(&held) != Some(CalendarMethod::Request) || candidate.erased_at.is_some() {
        return Ok(None);
    }
    let values = FieldValues::default()
        .with(Field::CandidateName, &candidate.details.name)
        .with(Field::JobTitle, job_title(state, application, language).await?)
        .with(Field::Company, &application.company_name)
        .with(Field::SenderName, &user.name);
    let (template, method, slot, values) = match is {
        Some(slot) => {
            let values = interview_values(values, &slot, after, language);
            (TemplateKind::InterviewMoved, CalendarMethod::Request, slot, values)
        }
        None => {
            let values = interview_values(values, had, before, language);
            (TemplateKind::InterviewCancelled, CalendarMethod::Cancel, had.clone(), values)
        }
    };
    let sequence = state.store.calendar_versions(id).await?;
    let to = Person { name: candidate.details.name.clone(), email: candidate.details.email.clone() };
    let text = candidate_entry_text(application, &values, language);
    let calendar = calendar_entry(application, method, slot, sequence, text, user, to);
    let template = letter_templates::template_for(state, application.company_id, template, language).await?;
    Ok(Some(NewMessage {
        message_id: new_message_id(),
        kind: LetterKind::Invitation,
        recipient: candidate.details.email,
        language,
        letter: template.write(language, &values),
        calendar: Some(calendar),
        sent_by: Some(user.id),
        to_user: None,
    }))
}

/// The calendar entries that tell each of `interviewers` of application `application`'s
/// interview at `slot`, from `user`, or with `None` that the interview each had in `plan` is
/// cancelled (unless it took place). One UID per application, and one version more than any
/// entry sent before.
pub async fn interviewer_invitations(
    state: &AppState,
    user: &User,
    application: &ApplicationOverview,
    interviewers: &[i64],
    slot: Option<&InterviewSlot>,
    plan: &[Assignment],
) -> AppResult<Vec<NewMessage>> {
    let sequence = state.store.calendar_versions(application.application.id).await?;
    let language = application.application.language;
    let i18n = I18n::new(Lang::of_content(language));
    let mut invitations = Vec::new();
    for assignment in plan.iter().filter(|a| interviewers.contains(&a.interviewer_id)) {
        let (method, when) = match (slot, &assignment.slot) {
            (Some(slot), _) => (CalendarMethod::Request, slot.clone()),
            (None, Some(had)) if is_coming(had, chrono::Utc::now().naive_utc()) => {
                (CalendarMethod::Cancel, had.clone())
            }
            (None, _) => continue,
        };
        let interviewer = state.store.get_user(assignment.interviewer_id).await?;
        let named = [
            ("candidate", application.candidate_name.as_str()),
            ("job_title", application.profile_title.as_str()),
            ("company", application.company_name.as_str()),
        ];
        let time = i18n.local_period(&when.starts_at, &when.ends_at());
        let (subject, body) = match method {
            CalendarMethod::Request => ("calendar-interviewer-subject", "calendar-interviewer-body"),
            CalendarMethod::Cancel => ("calendar-interviewer-cancelled-subject", "calendar-interviewer-cancelled-body"),
        };
        let subject = i18n.tn(subject, &named);
        let body = i18n.tn(body, &[named[0], named[1], named[2], ("time", &time), ("place", &when.whereabouts())]);
        let to = Person { name: interviewer.name.clone(), email: interviewer.email.clone() };
        let text = (subject.clone(), body.clone());
        invitations.push(NewMessage {
            message_id: new_message_id(),
            kind: LetterKind::Invitation,
            recipient: interviewer.email,
            language,
            letter: WrittenLetter::plain(language, &subject, &body),
            calendar: Some(calendar_entry(application, method, when, sequence, text, user, to)),
            sent_by: Some(user.id),
            to_user: Some(interviewer.id),
        });
    }
    Ok(invitations)
}

/// The calendar UID of application `application`'s interview: its id and day, which a merge
/// leaves as they are.
fn interview_uid(application: &ApplicationOverview) -> String {
    format!("amfit-interview-{}-{}", application.application.id, application.application.applied_on.format("%Y%m%d"))
}

/// The template a letter of `kind` is written from unless the recruiter writes their own: a
/// rejection's for a candidate who was interviewed, when `met`; none for a letter of their own.
fn template_kind(kind: LetterKind, met: bool) -> Option<TemplateKind> {
    match kind {
        LetterKind::Invitation => Some(TemplateKind::Invitation),
        LetterKind::Rejection if met => Some(TemplateKind::RejectionAfterInterview),
        LetterKind::Rejection => Some(TemplateKind::RejectionAfterScreening),
        LetterKind::Offer => Some(TemplateKind::Offer),
        LetterKind::Receipt => Some(TemplateKind::Receipt),
        LetterKind::Custom | LetterKind::Confirmation => None,
    }
}

fn message_of(draft: &Draft, user: &User, message_id: String) -> NewMessage {
    NewMessage {
        message_id,
        kind: draft.request.kind,
        recipient: draft.candidate.details.email.clone(),
        language: draft.language,
        letter: draft.template.write(draft.language, &draft.values),
        calendar: draft.calendar.clone(),
        sent_by: Some(user.id),
        to_user: None,
    }
}

/// Where a letter stands, as its reader is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LetterState {
    /// Waiting for its first try.
    Queued,
    /// Tried, not taken yet: tried again later. What the mail server said.
    Retrying(String),
    Sent,
    /// Refused for good, or never taken after every try. What the mail server said.
    Failed(String),
    /// Waiting, and nothing sends it: amfit was started without a mail server.
    NotConfigured,
}

impl LetterState {
    /// The state of `message` on a server that sends mail (`sends_mail`) or does not.
    pub fn of(message: &Message, sends_mail: bool) -> Self {
        let said = || message.last_error.clone().unwrap_or_default();
        match message.status {
            OutboxStatus::Sent => LetterState::Sent,
            OutboxStatus::Failed => LetterState::Failed(said()),
            OutboxStatus::Queued if !sends_mail => LetterState::NotConfigured,
            OutboxStatus::Queued if message.attempts > 0 => LetterState::Retrying(said()),
            OutboxStatus::Queued => LetterState::Queued,
        }
    }

    /// The state's name in the API: `queued` (also when retrying), `sent`, `failed` or
    /// `not_configured`.
    pub fn name(&self) -> &'static str {
        match self {
            LetterState::Queued | LetterState::Retrying(_) => "queued",
            LetterState::Sent => "sent",
            LetterState::Failed(_) => "failed",
            LetterState::NotConfigured => "not_configured",
        }
    }
}

/// The letters written to candidate `id` that `user` may see (a hiring manager: those about
/// the applications they see), newest first, each with its state.
pub async fn of_candidate(state: &AppState, user: &User, id: i64) -> AppResult<Vec<(Message, LetterState)>> {
    let seen = candidates::seen_by(state, user, id).await?;
    let visible = |message: &Message| {
        !user.role.sees_only_own_profiles()
            || message.application_id.is_some_and(|a| seen.visible.iter().any(|v| v.application.id == a))
    };
    let messages = state.store.messages_of(id).await?;
    Ok(messages
        .into_iter()
        .filter(visible)
        .map(|message| {
            let letter_state = LetterState::of(&message, state.sends_mail);
            (message, letter_state)
        })
        .collect())
}
