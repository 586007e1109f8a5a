//! Telling people of the work that comes their way, as each chose: an interviewer assigned an
//! interview, reminded of it the day before and of a scorecard that is late; recruiters that
//! an application arrived; a hiring manager that a candidate's scorecards are all in. By mail
//! at once, in a digest each morning, or not at all.

use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc};

use crate::app::AppState;
use crate::domain::candidate::Assignment;
use crate::domain::interview::Reminder;
use crate::domain::letter::{LetterKind, WrittenLetter};
use crate::domain::user::{NotificationSettings, Role, User};
use crate::error::AppResult;
use crate::i18n::{I18n, Lang};
use crate::service::letters;
use crate::store::{ApplicationOverview, Digest, NewMessage, ScorecardsOf, Store, StoreResult};

/// Something to tell one person: a line (its i18n key and values) and the page to act on it.
struct Tidings<'a> {
    key: &'static str,
    values: Vec<(&'static str, Named<'a>)>,
    path: String,
}

/// A value a line names, said in its reader's language.
enum Named<'a> {
    Text(&'a str),
    Date(NaiveDate),
    Period(NaiveDateTime, NaiveDateTime),
}

impl Named<'_> {
    fn said(&self, i18n: I18n) -> String {
        match self {
            Named::Text(text) => (*text).to_owned(),
            Named::Date(date) => i18n.date(date),
            Named::Period(start, end) => i18n.local_period(start, end),
        }
    }
}

/// Who and what for: the values every line about an application names.
fn about(application: &ApplicationOverview) -> Vec<(&'static str, Named<'_>)> {
    vec![
        ("candidate", Named::Text(&application.candidate_name)),
        ("job_title", Named::Text(&application.profile_title)),
    ]
}

/// Tells `user_id` of `tidings` as they chose. A failure is logged, not returned: the change
/// it tells of is made already, and is on the person's start page either way.
async fn tell(state: &AppState, user_id: i64, tidings: Tidings<'_>) {
    if let Err(error) = try_to_tell(state, user_id, &tidings).await {
        tracing::warn!(user_id, error = format!("{error:#}"), "a notification could not be written");
    }
}

async fn try_to_tell(state: &AppState, user_id: i64, tidings: &Tidings<'_>) -> AppResult<()> {
    let user = state.store.get_user(user_id).await?;
    let settings = state.store.notification_settings(user_id).await?;
    let i18n = I18n::new(Lang::of_content(settings.language));
    let said: Vec<(&str, String)> = tidings.values.iter().map(|(name, value)| (*name, value.said(i18n))).collect();
    let named: Vec<(&str, &str)> = said.iter().map(|(name, value)| (*name, value.as_str())).collect();
    let line = i18n.tn(tidings.key, &named);
    let link = state.public_url.join(tidings.path.trim_start_matches('/')).map_err(anyhow::Error::from)?;
    let paragraphs = [line.clone(), link.to_string(), footer(state, i18n, settings)];
    let mail = mail_to(&user, settings, WrittenLetter::plain(settings.language, &line, &paragraphs.join("\n\n")));
    state.store.notify(user_id, &mail, &line, link.as_str()).await?;
    Ok(())
}

/// What closes every notification: why it came, and where to change that.
fn footer(state: &AppState, i18n: I18n, settings: NotificationSettings) -> String {
    let page = state.public_url.join("account/notifications").map(String::from).unwrap_or_default();
    let key = format!("notify-footer-{}", settings.when.as_str());
    i18n.t1(&key, "link", &page)
}

fn mail_to(user: &User, settings: NotificationSettings, letter: WrittenLetter) -> NewMessage {
    NewMessage {
        message_id: letters::new_message_id(),
        kind: LetterKind::Custom,
        recipient: user.email.clone(),
        language: settings.language,
        letter,
        calendar: None,
        sent_by: None,
        to_user: Some(user.id),
    }
}

/// Tells the interviewer of `assignment` that they are to interview for `application`.
pub async fn assigned(state: &AppState, assignment: &Assignment, application: &ApplicationOverview) {
    let tidings =
        Tidings { key: "notify-assigned", values: about(application), path: format!("/interviews/{}", assignment.id) };
    tell(state, assignment.interviewer_id, tidings).await;
}

/// Tells `user_id` that `author` mentioned them in a comment on `candidate`, with the page
/// (`path`) where they read it.
pub async fn mentioned(state: &AppState, user_id: i64, author: &str, candidate: &str, path: String) {
    let values = vec![("author", Named::Text(author)), ("candidate", Named::Text(candidate))];
    tell(state, user_id, Tidings { key: "notify-mentioned", values, path }).await;
}

/// Tells every active recruiter that `application` arrived.
pub async fn arrived(state: &AppState, application: &ApplicationOverview) {
    let recruiters = match state.store.list_users().await {
        Ok(users) => users.into_iter().filter(|u| u.active && u.role == Role::Recruiter),
        Err(error) => return tracing::warn!(%error, "the recruiters to tell of an application could not be read"),
    };
    for recruiter in recruiters {
        let tidings = Tidings {
            key: "notify-arrived",
            values: about(application),
            path: format!("/candidates/{}", application.application.candidate_id),
        };
        tell(state, recruiter.id, tidings).await;
    }
}

/// Tells the hiring manager of `application`'s profile, once every interviewer planned has
/// submitted a scorecard, that the candidate is ready for their decision.
pub async fn scorecard_submitted(state: &AppState, application: &ApplicationOverview) {
    let Some(manager) = application.hiring_manager_id else { return };
    let id = application.application.id;
    let (plan, cards) = match (
        state.store.list_assignments(id).await,
        state.store.list_scorecards(ScorecardsOf::Application(id)).await,
    ) {
        (Ok(plan), Ok(cards)) => (plan, cards),
        _ => return tracing::warn!(application_id = id, "the scorecards of an application could not be read"),
    };
    let submitted = |a: &Assignment| cards.iter().any(|card| card.assignment_id == a.id && card.is_submitted());
    if plan.is_empty() || !plan.iter().all(submitted) {
        return;
    }
    let tidings = Tidings {
        key: "notify-ready",
        values: about(application),
        path: format!("/profiles/{}/comparison", application.application.profile_id),
    };
    tell(state, manager, tidings).await;
}

/// Reminds each interviewer, on the morning of `today`, of tomorrow's interviews and of the
/// scorecards that are late (see [`InterviewSlot::reminder_on`]): each of an open application
/// whose scorecard is not submitted. How many reminders were written.
///
/// [`InterviewSlot::reminder_on`]: crate::domain::interview::InterviewSlot::reminder_on
pub async fn send_reminders(state: &AppState, today: NaiveDate) -> AppResult<usize> {
    let day_after_tomorrow = (today + TimeDelta::days(2)).and_time(NaiveTime::MIN);
    let mut reminded = 0;
    for (assignment, application) in state.store.unscored_interviews(day_after_tomorrow).await? {
        let Some(slot) = &assignment.slot else { continue };
        let (key, when) = match slot.reminder_on(today) {
            Some(Reminder::Tomorrow) => ("notify-tomorrow", Named::Period(slot.starts_at, slot.ends_at())),
            Some(Reminder::ScorecardOverdue) => ("notify-overdue", Named::Date(slot.starts_at.date())),
            None => continue,
        };
        let mut values = about(&application);
        values.push(("when", when));
        tell(state, assignment.interviewer_id, Tidings { key, values, path: format!("/interviews/{}", assignment.id) })
            .await;
        reminded += 1;
    }
    Ok(reminded)
}

/// Writes each user's digest of what waited for it, one mail each; how many were written.
pub async fn send_digests(store: &dyn Store) -> StoreResult<usize> {
    let digests = store.waiting_digests().await?;
    for digest in &digests {
        let user = store.get_user(digest.user_id).await?;
        let settings = store.notification_settings(digest.user_id).await?;
        store.send_digest(digest, &mail_to(&user, settings, digest_letter(digest, settings))).await?;
    }
    Ok(digests.len())
}

fn digest_letter(digest: &Digest, settings: NotificationSettings) -> WrittenLetter {
    let i18n = I18n::new(Lang::of_content(settings.language));
    let count = i64::try_from(digest.lines.len()).unwrap_or(i64::MAX);
    let subject = i18n.t1("notify-digest-subject", "count", &count.to_string());
    let lines: Vec<String> = digest.lines.iter().map(|(_, line, link)| format!("- {line}\n  {link}")).collect();
    WrittenLetter::plain(settings.language, &subject, &lines.join("\n\n"))
}

/// When the daily digests go: seven in the morning, Danish time.
const DIGEST_TIME: NaiveTime = NaiveTime::from_hms_opt(7, 0, 0).expect("a time of day");

/// Every morning at [`DIGEST_TIME`], whichever instance gets there first, once a day: writes
/// the reminders, then the daily digests (which carry the reminders of those who chose one).
pub fn spawn_morning_run(state: AppState) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(until_next_digest(Utc::now())).await;
            let today = Utc::now().with_timezone(&chrono_tz::Europe::Copenhagen).date_naive();
            // Each claimed on its own: an instance of an older version, which knows only the
            // digests, must not take the reminders' day with it.
            if claimed(&state, "reminders", today).await {
                match send_reminders(&state, today).await {
                    Ok(reminded) => tracing::info!(reminded, "reminders written"),
                    Err(error) => {
                        tracing::error!(error = format!("{error:#}"), "reminders failed; tomorrow's go as usual")
                    }
                }
            }
            if claimed(&state, "digest", today).await {
                match send_digests(state.store.as_ref()).await {
                    Ok(sent) => tracing::info!(sent, "daily digests written"),
                    Err(error) => tracing::error!(%error, "daily digests failed; they go tomorrow"),
                }
            }
        }
    });
}

/// Whether this instance is the one to do `job` today.
async fn claimed(state: &AppState, job: &str, today: NaiveDate) -> bool {
    state.store.claim_daily_run(job, today).await.unwrap_or_else(|error| {
        tracing::error!(%error, job, "the morning's job could not start; it goes tomorrow");
        false
    })
}

/// How long from `now` until the next [`DIGEST_TIME`] in Copenhagen.
fn until_next_digest(now: chrono::DateTime<Utc>) -> Duration {
    let zone = chrono_tz::Europe::Copenhagen;
    let local = now.with_timezone(&zone);
    let mut day = local.date_naive();
    if local.time() >= DIGEST_TIME {
        day = day.succ_opt().unwrap_or(day);
    }
    let next = zone.from_local_datetime(&day.and_time(DIGEST_TIME)).earliest().map(|at| at.with_timezone(&Utc));
    next.and_then(|at| (at - now).to_std().ok()).unwrap_or(Duration::from_secs(60 * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_goes_at_seven_danish_time_summer_and_winter() {
        let winter = Utc.with_ymd_and_hms(2026, 12, 6, 5, 30, 0).unwrap();
        assert_eq!(until_next_digest(winter), Duration::from_secs(30 * 60), "06:30 in Copenhagen");
        let after = Utc.with_ymd_and_hms(2026, 12, 6, 6, 0, 0).unwrap();
        assert_eq!(until_next_digest(after), Duration::from_secs(24 * 60 * 60), "07:00: tomorrow's");
        let summer = Utc.with_ymd_and_hms(2027, 6, 6, 4, 0, 0).unwrap();
        assert_eq!(until_next_digest(summer), Duration::from_secs(60 * 60), "06:00 summer time");
    }
}
