//! User accounts as administrators (and the command line) keep them: adding users, changing
//! roles, deactivating, and setting a password for someone who forgot theirs. No change may
//! leave amfit without an active administrator.

use std::sync::Arc;

use crate::app::AppState;
use crate::auth::password;
use crate::domain::audit::{AuditAction, AuditDetail, AuditSubject};
use crate::domain::input::{FieldErrors, Problem};
use crate::domain::user::{Role, User, UserInput, check_password};
use crate::error::{AppError, AppResult};
use crate::service::audit::{self, Actor};
use crate::store::{Store, StoreError, UserRecord};

/// Every user, by name.
pub async fn list(state: &AppState) -> AppResult<Vec<User>> {
    Ok(state.store.list_users().await?)
}

pub async fn get(state: &AppState, id: i64) -> AppResult<User> {
    Ok(state.store.get_user(id).await?)
}

/// User `id` as stored now, kept in memory while the data is unchanged: the user behind every
/// signed-in request.
pub async fn signed_in(state: &AppState, id: i64) -> Result<Arc<User>, StoreError> {
    let revision = state.store.revision().await?;
    state.reads.users.get_or_load(id, revision, state.store.get_user(id)).await
}

/// Adds a user; [`AppError::Invalid`] names every problem of the input, a taken email
/// address included.
pub async fn add(store: &dyn Store, actor: Actor<'_>, input: &UserInput) -> AppResult<User> {
    let user = input.parse().map_err(AppError::Invalid)?;
    let hash = password::hash(user.password.clone()).await?;
    let record = UserRecord { email: &user.email, name: &user.name, role: user.role, password_hash: &hash };
    let added =
        |id| audit::entry(actor, AuditAction::ChangeUser, (AuditSubject::User, id), AuditDetail::UserAdded(user.role));
    let created = match store.create_user(record, &added).await {
        Ok(created) => created,
        Err(StoreError::Duplicate) => return Err(AppError::Invalid(FieldErrors::single("email", Problem::EmailTaken))),
        Err(other) => return Err(other.into()),
    };
    tracing::info!(user_id = created.id, role = created.role.as_str(), "user added");
    Ok(created)
}

/// Why `me` may not take `target` out of administration (by a role change or deactivation):
/// `own` when it is themselves, [`Problem::LastAdmin`] when no other active administrator would
/// be left.
async fn check_not_locking_out(state: &AppState, me: &User, target: &User, own: Problem) -> AppResult<()> {
    let problem = if target.id == me.id {
        Some(own)
    } else if target.role == Role::Admin && target.active {
        let admins = list(state).await?.into_iter().filter(|u| u.role == Role::Admin && u.active).count();
        (admins <= 1).then_some(Problem::LastAdmin)
    } else {
        None
    };
    match problem {
        Some(problem) => Err(AppError::Invalid(FieldErrors::single("role", problem))),
        None => Ok(()),
    }
}

/// Gives user `id` the role; [`AppError::Invalid`] when it would lock administration out.
pub async fn change_role(state: &AppState, me: &User, id: i64, role: Role) -> AppResult<()> {
    let target = get(state, id).await?;
    if role != Role::Admin {
        check_not_locking_out(state, me, &target, Problem::OwnAdminRole).await?;
    }
    let changed = audit::entry(me, AuditAction::ChangeUser, (AuditSubject::User, id), AuditDetail::RoleChanged(role));
    state.store.set_user_role(id, role, &changed).await?;
    tracing::info!(user_id = id, role = role.as_str(), by = me.id, "role changed");
    Ok(())
}

/// Deactivates (or reactivates) user `id`: a deactivated user cannot sign in and their
/// sessions and tokens stop working. [`AppError::Invalid`] when it would lock administration out.
pub async fn set_active(state: &AppState, me: &User, id: i64, active: bool) -> AppResult<()> {
    let target = get(state, id).await?;
    if !active {
        check_not_locking_out(state, me, &target, Problem::DeactivatingSelf).await?;
    }
    let detail = if active { AuditDetail::Reactivated } else { AuditDetail::Deactivated };
    let changed = audit::entry(me, AuditAction::ChangeUser, (AuditSubject::User, id), detail.clone());
    state.store.set_user_active(id, active, &changed).await?;
    tracing::info!(user_id = id, by = me.id, active, "user {detail}");
    Ok(())
}

/// An administrator sets a new password for user `id`, who forgot theirs; every session of
/// theirs ends. Not for the administrator's own, which is changed with the present one given
/// first, so that a session left open cannot take the account over.
pub async fn reset_password(state: &AppState, me: &User, id: i64, new_password: String) -> AppResult<User> {
    if id == me.id {
        return Err(AppError::Forbidden);
    }
    let user = get(state, id).await?;
    set_password(state.store.as_ref(), me.into(), &user, new_password, AuditDetail::PasswordReset).await
}

/// Sets `user`'s password by the rules of every password, ending their sessions (and their API
/// tokens, unless they changed it themselves), with `detail` on the trail; [`AppError::Invalid`] names what is wrong with the password.
pub async fn set_password(
    store: &dyn Store,
    actor: Actor<'_>,
    user: &User,
    new_password: String,
    detail: AuditDetail,
) -> AppResult<User> {
    check_password(&new_password, &user.email)
        .map_err(|problem| AppError::Invalid(FieldErrors::single("password", problem)))?;
    let hash = password::hash(new_password).await?;
    // A password set by someone else means its holder lost it, or lost control of the account:
    // their API tokens end with the old password. One's own change keeps one's integrations.
    let end_tokens = detail != AuditDetail::PasswordChanged;
    let changed = audit::entry(actor, AuditAction::ChangeUser, (AuditSubject::User, user.id), detail.clone());
    let updated = store.set_password(user.id, &hash, end_tokens, &changed).await?;
    tracing::info!(user_id = user.id, "{detail}");
    Ok(updated)
}
