//! One's own account: signing in under the login throttle, the first administrator of a new
//! installation, and changing one's own password.

use crate::app::AppState;
use crate::auth::client::ClientAddress;
use crate::auth::password;
use crate::auth::throttle::Verdict;
use crate::domain::audit::AuditDetail;
use crate::domain::input::{FieldErrors, Problem};
use crate::domain::user::{Role, User, UserInput};
use crate::error::{AppError, AppResult};
use crate::metrics::LoginRefusal;
use crate::service::users;
use crate::store::UserRecord;

/// The active user with this email and password, checked under the login throttle (README,
/// "Roles"): the attempt is recorded before the password is checked, so that parallel guesses
/// see one another, refused with 429 past the limits, and forgotten when it succeeds. An
/// account's failures count per client address, so that nobody elsewhere can lock its owner
/// out; each address has a budget across all accounts as well.
pub async fn sign_in(
    state: &AppState,
    client: ClientAddress,
    email: &str,
    password: String,
) -> AppResult<Option<User>> {
    let (account_key, client_key) = (format!("account:{email} client:{client}"), format!("client:{client}"));
    let throttle = state.auth.throttle;
    let now = chrono::Utc::now();
    let attempt = state.store.record_attempt(&[&account_key, &client_key], now).await?;
    let since = now - throttle.window;
    let account_failures = state.store.count_attempts(&account_key, since).await? - 1;
    let client_failures = state.store.count_attempts(&client_key, since).await? - 1;
    match throttle.verdict(account_failures, client_failures) {
        Verdict::Refuse => {
            state.metrics.login_refused(LoginRefusal::Throttled);
            tracing::warn!(%email, %client, "password refused unchecked: too many failed attempts");
            return Err(AppError::TooManyAttempts { retry_after_secs: throttle.window.as_secs() });
        }
        Verdict::Slow(delay) => tokio::time::sleep(delay).await,
        Verdict::Allow => {}
    }
    let user = check_credentials(state, email, password).await?;
    match &user {
        Some(_) => state.store.forget_attempts(&attempt, &account_key).await?,
        None => {
            state.metrics.login_refused(LoginRefusal::WrongCredentials);
            tracing::warn!(%email, %client, "wrong password");
        }
    }
    Ok(user)
}

/// The active user with this email and password, taking as long for an unknown address.
async fn check_credentials(state: &AppState, email: &str, password: String) -> AppResult<Option<User>> {
    let Some((user, hash)) = state.store.find_login(email).await? else {
        password::verify_nothing(password).await?;
        return Ok(None);
    };
    let matches = password::verify(password, hash).await?;
    Ok((matches && user.active).then_some(user))
}

/// Whether amfit has no user yet and waits for its first administrator.
pub async fn awaiting_first_admin(state: &AppState) -> AppResult<bool> {
    state.auth.first_start.pending(state).await
}

/// Creates the first administrator of a new installation: 404 once there is a user;
/// [`AppError::Invalid`] names every problem of the input. When two arrive at once, one wins
/// and the other changes nothing.
pub async fn create_first_admin(state: &AppState, input: &UserInput) -> AppResult<Option<User>> {
    if !awaiting_first_admin(state).await? {
        return Err(AppError::NotFound);
    }
    let user = input.parse().map_err(AppError::Invalid)?;
    let hash = password::hash(user.password.clone()).await?;
    let record = UserRecord { email: &user.email, name: &user.name, role: Role::Admin, password_hash: &hash };
    let created = state.store.create_first_user(record).await?;
    if created.is_some() {
        tracing::info!("first admin created");
    }
    Ok(created)
}

/// `user` changes their own password: the present one first (under the login throttle), then
/// a new one by the rules of every password. [`AppError::Invalid`] names every problem of both.
pub async fn change_own_password(
    state: &AppState,
    user: &User,
    client: ClientAddress,
    present: String,
    new_password: String,
) -> AppResult<User> {
    let mut errors = match crate::domain::user::check_password(&new_password, &user.email) {
        Ok(()) => FieldErrors::default(),
        Err(problem) => FieldErrors::single("password", problem),
    };
    if sign_in(state, client, &user.email, present).await?.is_none() {
        errors.add("current_password", Problem::WrongPassword);
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    users::set_password(state.store.as_ref(), user.into(), user, new_password, AuditDetail::PasswordChanged).await
}
