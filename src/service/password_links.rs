//! Links to set a password, sent by mail: the one a user asks for when they forgot theirs, and
//! the invitation a new colleague gets. Each works once and for a while (30 minutes, 7 days);
//! only a digest of its secret is kept, as for API tokens.

use crate::app::AppState;
use crate::auth::client::ClientAddress;
use crate::auth::{password, tokens};
use crate::domain::audit::{AuditAction, AuditDetail, AuditSubject};
use crate::domain::input::{FieldErrors, FieldParser};
use crate::domain::letter::{LetterKind, WrittenLetter};
use crate::domain::profile::AdLanguage;
use crate::domain::user::{LinkPurpose, NewUser, User, UserInput, check_password};
use crate::error::{AppError, AppResult};
use crate::i18n::{I18n, Lang};
use crate::service::audit::{self, Actor};
use crate::service::{letters, users};
use crate::store::{NewMessage, StoreError};

/// Links one address may be sent in an hour, however often it is asked: more would let
/// anyone fill a colleague's inbox.
const LINKS_PER_ADDRESS: i64 = 3;
/// Requests for a link one client address may make in an hour, for any addresses.
const REQUESTS_PER_CLIENT: i64 = 20;
const LIMIT_WINDOW: chrono::TimeDelta = chrono::TimeDelta::hours(1);

/// How long asking for a link takes at least, whatever the address: writing a link and its
/// mail for a user's address takes a few milliseconds that no answer for a stranger's would,
/// and would tell who has an account.
const ANSWER_FLOOR: std::time::Duration = std::time::Duration::from_millis(250);

/// Sends the active user with address `email` a link to set a new password, written in
/// `language`. The answer is the same, and comes after the same [`ANSWER_FLOOR`], whether or
/// not the address is a user's, so that it tells nobody who has an account;
/// [`AppError::Invalid`] only when `email` is no address.
pub async fn forgot(state: &AppState, client: ClientAddress, email: &str, language: AdLanguage) -> AppResult<()> {
    let answer_at = tokio::time::Instant::now() + ANSWER_FLOOR;
    let answer = ask_for_link(state, client, email, language).await;
    tokio::time::sleep_until(answer_at).await;
    answer
}

async fn ask_for_link(state: &AppState, client: ClientAddress, email: &str, language: AdLanguage) -> AppResult<()> {
    let mut p = FieldParser::default();
    let email = p.required_email("email", &Some(email.to_owned()));
    p.finish(()).map_err(AppError::Invalid)?;
    let (address_key, client_key) = (format!("password link:{email}"), format!("password link client:{client}"));
    let now = chrono::Utc::now();
    state.store.record_attempt(&[&address_key, &client_key], now).await?;
    if state.store.count_attempts(&client_key, now - LIMIT_WINDOW).await? > REQUESTS_PER_CLIENT {
        tracing::warn!(%client, "password link refused: too many requests from this address");
        return Err(AppError::TooManyAttempts { retry_after_secs: LIMIT_WINDOW.num_seconds().unsigned_abs() });
    }
    if state.store.count_attempts(&address_key, now - LIMIT_WINDOW).await? > LINKS_PER_ADDRESS {
        tracing::warn!(%client, "password link not sent: this address was sent enough this hour");
        return Ok(());
    }
    match state.store.find_login(&email).await? {
        Some((user, _)) if user.active => send(state, &user, LinkPurpose::Reset, language, None).await,
        _ => {
            tracing::info!(%client, "password link asked for an address of no active user");
            Ok(())
        }
    }
}

/// Adds a colleague as `admin` asks, without a password: they are sent an invitation to choose
/// their own, in `language`. They can be planned for interviews at once.
/// [`AppError::Invalid`] names every problem of the input, a taken address included.
pub async fn invite(state: &AppState, admin: &User, input: &UserInput, language: AdLanguage) -> AppResult<User> {
    let NewUser { email, name, role, .. } = input.parse_without_password().map_err(AppError::Invalid)?;
    // A password nobody knows, until they choose theirs.
    let unknown = tokens::generate();
    let colleague = UserInput {
        email: Some(email),
        name: Some(name),
        role: Some(role.as_str().to_owned()),
        password: Some(unknown),
    };
    let user = users::add(state.store.as_ref(), admin.into(), &colleague).await?;
    send(state, &user, LinkPurpose::Invitation, language, Some(admin)).await?;
    Ok(user)
}

/// Sends user `id` a new invitation, as `admin` asks: for a colleague whose first one
/// expired or went astray. Earlier invitations stop working.
pub async fn invite_again(state: &AppState, admin: &User, id: i64, language: AdLanguage) -> AppResult<()> {
    let user = users::get(state, id).await?;
    if !user.active {
        return Err(AppError::Forbidden);
    }
    send(state, &user, LinkPurpose::Invitation, language, Some(admin)).await
}

/// Keeps a new link for `user` and writes the mail that carries it, in one transaction.
async fn send(
    state: &AppState,
    user: &User,
    purpose: LinkPurpose,
    language: AdLanguage,
    inviter: Option<&User>,
) -> AppResult<()> {
    let secret = tokens::generate();
    let link = state.public_url.join(&format!("password/{secret}")).map_err(anyhow::Error::from)?;
    let mail = NewMessage {
        message_id: letters::new_message_id(),
        kind: LetterKind::Custom,
        recipient: user.email.clone(),
        language,
        letter: link_letter(user, purpose, language, link.as_str(), inviter),
        calendar: None,
        sent_by: inviter.map(|inviter| inviter.id),
        to_user: Some(user.id),
    };
    let expires_at = chrono::Utc::now() + purpose.lifetime();
    state.store.create_password_link(user.id, &tokens::digest(&secret), purpose, expires_at, &mail).await?;
    tracing::info!(user_id = user.id, purpose = purpose.as_str(), "password link sent");
    Ok(())
}

fn link_letter(
    user: &User,
    purpose: LinkPurpose,
    language: AdLanguage,
    link: &str,
    inviter: Option<&User>,
) -> WrittenLetter {
    let i18n = I18n::new(Lang::of_content(language));
    let inviter = inviter.map_or("amfit", |inviter| inviter.name.as_str());
    let role = i18n.t(&crate::domain::Labelled::label_key(&user.role));
    let named = [("name", user.name.as_str()), ("inviter", inviter), ("email", user.email.as_str()), ("role", &role)];
    let key = |part: &str| format!("password-link-{}-{part}", purpose.as_str());
    let paragraphs = [
        i18n.tn("password-link-greeting", &named),
        i18n.tn(&key("why"), &named),
        link.to_owned(),
        i18n.tn(&key("after"), &named),
    ];
    WrittenLetter::plain(language, &i18n.tn(&key("subject"), &named), &paragraphs.join("\n\n"))
}

/// The user link `secret` lets set a password, while it works: not used, not expired, and
/// its user active.
pub async fn user_of_link(state: &AppState, secret: &str) -> AppResult<Option<(User, LinkPurpose)>> {
    let Some(link) = state.store.password_link(&tokens::digest(secret)).await? else {
        return Ok(None);
    };
    if link.used_at.is_some() || link.expires_at <= chrono::Utc::now() {
        return Ok(None);
    }
    let user = users::get(state, link.user_id).await?;
    Ok(user.active.then_some((user, link.purpose)))
}

/// Sets the password of the user link `secret` is for, by the rules of every password: their
/// sessions and API tokens end, and the link and every other of theirs stop working. `None`
/// when the link no longer works (used, also a moment ago, or expired);
/// [`AppError::Invalid`] names what is wrong with the password.
pub async fn set_password(state: &AppState, secret: &str, new_password: String) -> AppResult<Option<User>> {
    let Some((user, purpose)) = user_of_link(state, secret).await? else {
        return Ok(None);
    };
    check_password(&new_password, &user.email)
        .map_err(|problem| AppError::Invalid(FieldErrors::single("password", problem)))?;
    let hash = password::hash(new_password).await?;
    let detail = match purpose {
        LinkPurpose::Reset => AuditDetail::PasswordResetByLink,
        LinkPurpose::Invitation => AuditDetail::InvitationAccepted,
    };
    let entry = audit::entry(Actor::from(&user), AuditAction::ChangeUser, (AuditSubject::User, user.id), detail);
    match state.store.use_password_link(&tokens::digest(secret), &hash, &entry).await {
        Ok(user) => {
            tracing::info!(user_id = user.id, "password set with a link");
            Ok(Some(user))
        }
        Err(StoreError::Conflict { .. }) => Ok(None),
        Err(other) => Err(other.into()),
    }
}
