//! Confirmations by mail. A job page's form is anyone's to fill in, so what only the owner of
//! an email address may decide waits for them: that an application from an address amfit
//! already holds joins that candidate's record, and the talent-pool consent ticked on the form.
//! The application's transaction writes a single-use link to the address; the page the link
//! opens shows what it confirms, and confirming does it.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use crate::app::AppState;
use crate::auth::tokens;
use crate::domain::applying::{CONSENT_MONTHS, consent_from};
use crate::domain::audit::{Agent, AuditAction, AuditDetail, AuditSubject};
use crate::domain::candidate::CandidateDetails;
use crate::domain::duplicate::MergeInput;
use crate::domain::letter::{LetterKind, WrittenLetter};
use crate::domain::profile::AdLanguage;
use crate::error::{AppError, AppResult};
use crate::i18n::{I18n, Lang};
use crate::service::audit::{self, Actor};
use crate::service::jobs::PublishedAd;
use crate::service::{duplicates, letters, today};
use crate::store::{ConfirmationAsked, MailConfirmation, NewMessage, StoreError};

/// How long a link to confirm works: long enough for a holiday, short enough that an old mail
/// in a forgotten inbox no longer changes anything.
pub const LINK_DAYS: i64 = 14;

/// The link an application asks its address to confirm, and the letter for each case.
pub struct Request {
    token_digest: String,
    expires_at: DateTime<Utc>,
    talent_pool: bool,
    if_known: NewMessage,
    if_new: Option<NewMessage>,
}

impl Request {
    /// What the application's transaction needs to ask.
    pub fn asked(&self) -> ConfirmationAsked<'_> {
        ConfirmationAsked {
            token_digest: &self.token_digest,
            expires_at: self.expires_at,
            talent_pool: self.talent_pool,
            if_known: &self.if_known,
            if_new: self.if_new.as_ref(),
        }
    }
}

/// The confirmation an application to `job` from `candidate` asks for, in the ad's language:
/// `None` when amfit sends no mail (then the form's consent counts as given, and a known
/// address's application waits for a recruiter, as without this).
pub fn request(
    state: &AppState,
    job: &PublishedAd,
    candidate: &CandidateDetails,
    talent_pool: bool,
) -> AppResult<Option<Request>> {
    if !state.sends_mail {
        return Ok(None);
    }
    let secret = tokens::generate();
    let link = state.public_url.join(&format!("confirm/{secret}")).map_err(anyhow::Error::from)?;
    let letter = |joins_record| {
        let asked = Asked {
            company: job.company.clone(),
            title: Some(job.title.clone()),
            joins_record,
            talent_pool,
            language: job.publication.language,
        };
        NewMessage {
            message_id: letters::new_message_id(),
            kind: LetterKind::Confirmation,
            recipient: candidate.email.clone(),
            language: asked.language,
            letter: asked.letter(&candidate.name, link.as_str()),
            calendar: None,
            sent_by: None,
            to_user: None,
        }
    };
    Ok(Some(Request {
        token_digest: tokens::digest(&secret),
        expires_at: Utc::now() + TimeDelta::days(LINK_DAYS),
        talent_pool,
        if_known: letter(true),
        if_new: talent_pool.then(|| letter(false)),
    }))
}

/// What a link asks its reader to confirm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    pub company: String,
    /// The job applied to; `None` once its profile is deleted.
    pub title: Option<String>,
    /// That the application joins the record held with the address.
    pub joins_record: bool,
    /// The talent-pool consent.
    pub talent_pool: bool,
    pub language: AdLanguage,
}

impl Asked {
    /// The letter that carries the link, to `name`.
    fn letter(&self, name: &str, link: &str) -> WrittenLetter {
        let i18n = I18n::new(Lang::of_content(self.language));
        let title = self.title.as_deref().unwrap_or_default();
        let months = CONSENT_MONTHS.to_string();
        let days = LINK_DAYS.to_string();
        let named =
            [("name", name), ("company", &self.company), ("title", title), ("months", &months), ("days", &days)];
        let mut paragraphs = vec![i18n.tn("password-link-greeting", &named)];
        if self.joins_record {
            paragraphs.push(i18n.tn("confirm-letter-joins", &named));
        }
        if self.talent_pool {
            paragraphs.push(i18n.tn("confirm-letter-talent-pool", &named));
        }
        paragraphs.push(i18n.tn("confirm-letter-link", &named));
        paragraphs.push(link.to_owned());
        let after = if self.joins_record { "confirm-letter-after-joins" } else { "confirm-letter-after-talent-pool" };
        paragraphs.push(i18n.tn(after, &named));
        paragraphs.push(i18n.tn("confirm-letter-signature", &named));
        let subject_key =
            if self.joins_record { "confirm-letter-subject-joins" } else { "confirm-letter-subject-talent-pool" };
        WrittenLetter::plain(self.language, &i18n.tn(subject_key, &named), &paragraphs.join("\n\n"))
    }
}

/// What confirming did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Confirmed {
    pub language: AdLanguage,
    /// Whether the application joined the record held with the address: `None` when that was
    /// not asked, or a recruiter had already merged the two or kept them apart; `Some(false)`
    /// when it could not without a recruiter (work had begun on it), who will.
    pub joined: Option<bool>,
    /// The last day of the talent-pool consent, when that was asked.
    pub talent_pool_until: Option<NaiveDate>,
}

/// What became of a link that does not work (any more).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spent {
    /// It was used: what it asked is confirmed (a second click of the button ends here).
    Used(AdLanguage),
    /// Too old, its candidate's data erased, or a link amfit never made (no language known).
    Gone(Option<AdLanguage>),
}

/// What link `secret` is now.
async fn link_of(state: &AppState, secret: &str) -> AppResult<Result<MailConfirmation, Spent>> {
    let Some(link) = state.store.mail_confirmation(&tokens::digest(secret)).await? else {
        return Ok(Err(Spent::Gone(None)));
    };
    if link.used_at.is_some() {
        return Ok(Err(Spent::Used(link.language)));
    }
    let erased = match state.store.get_candidate(link.candidate_id).await {
        Ok(candidate) => candidate.erased_at.is_some(),
        // Merged into the record that stays a moment ago: the link is read again below.
        Err(StoreError::NotFound) => false,
        Err(other) => return Err(other.into()),
    };
    if erased || link.expires_at <= Utc::now() {
        return Ok(Err(Spent::Gone(Some(link.language))));
    }
    Ok(Ok(link))
}

/// The last day candidate `id` may still confirm a talent-pool consent they asked for on a job
/// page's form; `None` when none waits.
pub async fn consent_waiting_until(state: &AppState, id: i64) -> AppResult<Option<NaiveDate>> {
    Ok(state.store.consent_waiting_until(id).await?.map(|until| until.date_naive()))
}

/// What link `secret` asks to confirm, or what became of it.
pub async fn asked(state: &AppState, secret: &str) -> AppResult<Result<Asked, Spent>> {
    let link = match link_of(state, secret).await? {
        Ok(link) => link,
        Err(spent) => return Ok(Err(spent)),
    };
    let profile = match link.profile_id {
        Some(id) => Some(state.store.get_profile(id).await?),
        None => None,
    };
    let company = match &profile {
        Some(profile) => state.store.get_company(profile.company_id).await?.details.name,
        None => String::new(),
    };
    // Still to be joined only while a recruiter has not merged the two or kept them apart.
    let still_apart = state.store.get_candidate(link.candidate_id).await?.possible_duplicate_of.is_some();
    Ok(Ok(Asked {
        company,
        title: profile.map(|p| p.details.ad_title(link.language).to_owned()),
        joins_record: link.joins_record && still_apart,
        talent_pool: link.talent_pool,
        language: link.language,
    }))
}

/// Confirms what link `secret` asks, as the owner of the address: the application joins the
/// record held with the address (as a recruiter's merge would, keeping that record's name and
/// phone), and the talent-pool consent runs from today. Both are on the audit trail. What
/// became of the link instead, when it no longer works (used, also a moment ago, or expired).
pub async fn confirm(state: &AppState, secret: &str) -> AppResult<Result<Confirmed, Spent>> {
    let link = match link_of(state, secret).await? {
        Ok(link) => link,
        Err(spent) => return Ok(Err(spent)),
    };
    let joined = if link.joins_record { join_record(state, link.candidate_id).await? } else { None };
    // A merge moves the link to the record that stays: read it again to know whose it is now.
    let link = match link_of(state, secret).await? {
        Ok(link) => link,
        Err(spent) => return Ok(Err(spent)),
    };
    let consent = link.talent_pool.then(|| consent_from(today()));
    let by_owner = |detail| {
        let subject = (AuditSubject::Candidate, link.candidate_id);
        audit::entry(Actor::Command(Agent::MailConfirmation), AuditAction::ConfirmByMail, subject, detail)
    };
    let mut trail = Vec::new();
    if joined == Some(false) {
        trail.push(by_owner(AuditDetail::JoinConfirmed));
    }
    if consent.is_some() {
        trail.push(by_owner(AuditDetail::TalentPoolConfirmed));
    }
    match state.store.use_mail_confirmation(link.id, consent, &trail).await {
        Ok(()) => {
            tracing::info!(
                candidate_id = link.candidate_id,
                ?joined,
                talent_pool = link.talent_pool,
                "confirmed by mail"
            );
            Ok(Ok(Confirmed { language: link.language, joined, talent_pool_until: consent.map(|c| c.until) }))
        }
        // The same button pressed twice at once: the other press confirmed it.
        Err(StoreError::Conflict { .. }) => Ok(Err(Spent::Used(link.language))),
        Err(other) => Err(other.into()),
    }
}

/// Merges the possible duplicate `candidate_id` into the record it is marked as duplicating;
/// `Some(false)` when that cannot be done without a recruiter, `None` when a recruiter already
/// judged the two (it is no longer marked).
async fn join_record(state: &AppState, candidate_id: i64) -> AppResult<Option<bool>> {
    let duplicate = match state.store.get_candidate(candidate_id).await {
        Ok(duplicate) => duplicate,
        // Merged a moment ago, by the same button pressed twice or by a recruiter.
        Err(StoreError::NotFound) => return Ok(None),
        Err(other) => return Err(other.into()),
    };
    let Some(existing_id) = duplicate.possible_duplicate_of else {
        return Ok(None);
    };
    let input = MergeInput {
        duplicate_id: Some(duplicate.id.to_string()),
        duplicate_version: Some(duplicate.version.to_string()),
        take_from_duplicate: Vec::new(),
    };
    match duplicates::merge(state, Actor::Command(Agent::MailConfirmation), existing_id, None, &input).await {
        Ok(_) => Ok(Some(true)),
        Err(AppError::Invalid(_) | AppError::Conflict { .. } | AppError::Erased | AppError::NotFound) => {
            tracing::info!(candidate_id, existing_id, "confirmed by mail, but left for a recruiter to merge");
            Ok(Some(false))
        }
        Err(other) => Err(other),
    }
}
