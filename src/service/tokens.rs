//! API tokens: each user's own, made (and shown) once, listed without the secret, revoked;
//! each made or revoked on the audit trail.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::auth::tokens;
use crate::domain::audit::{AuditAction, AuditDetail, AuditSubject};
use crate::domain::input::{FieldErrors, FieldParser, lenient_text};
use crate::domain::user::User;
use crate::error::{AppError, AppResult};
use crate::service::audit::{self, Actor};
use crate::store::{Store, StoreError, TokenOverview};

/// The longest a token may be made valid for: ten years.
pub const TOKEN_DAYS_MAX: u16 = 3650;

/// A new token as a JSON body asks for it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TokenInput {
    /// Days the token stays valid, 1 to 3650; without it, until revoked.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<u16>, minimum = 1, maximum = 3650)]
    pub expires_in_days: Option<String>,
}

impl TokenInput {
    pub fn parse(&self) -> Result<Option<u16>, FieldErrors> {
        let mut p = FieldParser::default();
        let days = p.optional_integer("expires_in_days", &self.expires_in_days, 1..=i64::from(TOKEN_DAYS_MAX));
        p.finish(days)
    }
}

/// A token just made: the only time its secret is seen.
pub struct NewToken {
    pub id: i64,
    pub token: String,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Makes a token for `user`, valid for `expires_in_days` or until revoked.
pub async fn create(
    store: &dyn Store,
    actor: Actor<'_>,
    user: &User,
    expires_in_days: Option<u16>,
) -> AppResult<NewToken> {
    let token = tokens::generate();
    let expires_at = expires_in_days.map(|days| Utc::now() + chrono::Duration::days(i64::from(days)));
    let made =
        |id| audit::entry(actor, AuditAction::ChangeUser, (AuditSubject::User, user.id), AuditDetail::TokenMade(id));
    let id = store.create_token(user.id, &tokens::digest(&token), expires_at, &made).await?;
    Ok(NewToken { id, token, expires_at })
}

/// `user`'s own tokens, revoked and expired ones too, oldest first.
pub async fn of(store: &dyn Store, user: &User) -> AppResult<Vec<TokenOverview>> {
    let every = store.list_tokens().await?;
    Ok(every.into_iter().filter(|t| t.user_id == user.id).collect())
}

/// Revokes `user`'s own token `id`; [`AppError::NotFound`] for another's, or one revoked already.
pub async fn revoke_own(store: &dyn Store, user: &User, id: i64) -> AppResult<()> {
    if !of(store, user).await?.iter().any(|t| t.id == id) {
        return Err(AppError::NotFound);
    }
    revoke(store, user.into(), user.id, id).await
}

/// Revokes token `id`, whoever's it is: the command line's way, run on the server.
/// [`AppError::NotFound`] for no token, or one revoked already.
pub async fn revoke_any(store: &dyn Store, actor: Actor<'_>, id: i64) -> AppResult<()> {
    let owner = store.list_tokens().await?.into_iter().find(|t| t.id == id).ok_or(AppError::NotFound)?.user_id;
    revoke(store, actor, owner, id).await
}

async fn revoke(store: &dyn Store, actor: Actor<'_>, owner: i64, id: i64) -> AppResult<()> {
    let revoked =
        audit::entry(actor, AuditAction::ChangeUser, (AuditSubject::User, owner), AuditDetail::TokenRevoked(id));
    match store.revoke_token(id, &revoked).await {
        Ok(()) => Ok(()),
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(other) => Err(other.into()),
    }
}
