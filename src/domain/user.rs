//! Users, their roles, what each role may do, and the password rules.

use std::collections::HashSet;
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::input::{FieldErrors, FieldParser, Problem, lenient_text};

pub const EMAIL_MAX: u64 = 254;
pub const USER_NAME_MAX: u64 = 200;
pub const PASSWORD_MIN: usize = 12;
/// Far above any passphrase a person types; bounds the work of hashing one.
pub const PASSWORD_MAX: usize = 256;

named_choice!(
    /// When a user is told by mail of work that comes their way.
    NotifyWhen, "notify" {
        /// A mail for each thing, as it happens.
        AtOnce,
        /// One mail a morning with everything since the last.
        Daily,
        Off,
    }
);

/// How a user is told of work that comes their way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotificationSettings {
    pub when: NotifyWhen,
    /// The language of amfit's mail to them.
    pub language: super::profile::AdLanguage,
}

/// Notification settings as their form sends them.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct NotificationInput {
    #[serde(deserialize_with = "lenient_text")]
    pub notifications: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    pub mail_language: Option<String>,
}

impl NotificationInput {
    pub fn parse(&self) -> Result<NotificationSettings, FieldErrors> {
        let mut p = FieldParser::default();
        let when = p.choice("notifications", &self.notifications);
        let language = p.choice("mail_language", &self.mail_language);
        p.finish(NotificationSettings { when, language })
    }
}

impl From<NotificationSettings> for NotificationInput {
    fn from(settings: NotificationSettings) -> Self {
        NotificationInput {
            notifications: Some(settings.when.as_str().to_owned()),
            mail_language: Some(settings.language.as_str().to_owned()),
        }
    }
}

named_choice!(
    /// What a single-use link to set a password is for.
    LinkPurpose, "password-link" {
        /// Asked for by a user who forgot their password.
        Reset,
        /// Sent to a new colleague, who chooses their first password with it.
        Invitation,
    }
);

impl LinkPurpose {
    /// How long a link works: a reset briefly, as it is asked for at the moment it is needed;
    /// an invitation for a week, as a new colleague may read it days later.
    pub fn lifetime(self) -> chrono::TimeDelta {
        match self {
            LinkPurpose::Reset => chrono::TimeDelta::minutes(30),
            LinkPurpose::Invitation => chrono::TimeDelta::days(7),
        }
    }
}

named_choice!(
    /// What a user is in the hiring process; a user has exactly one.
    Role, "role" { Admin, Recruiter, HiringManager, Interviewer }
);

/// Something a route or an action requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// See companies and role profiles (a hiring manager: those of the profiles they own).
    ViewProfiles,
    /// Create, change and delete companies and role profiles.
    ManageProfiles,
    /// See candidates and their applications (a hiring manager: those to profiles they own).
    ViewCandidates,
    /// Add, change and delete candidates; add applications and move them between stages.
    ManageCandidates,
    /// Add users, change roles, deactivate and reactivate.
    ManageUsers,
    /// Record hiring decisions, on the profiles whose hiring manager one is.
    Decide,
}

impl Role {
    /// The one table of who may do what. Admins may do everything, so that the first user
    /// can set the system up alone.
    pub fn grants(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::Recruiter => matches!(permission, ViewProfiles | ManageProfiles | ViewCandidates | ManageCandidates),
            Role::HiringManager => matches!(permission, ViewProfiles | ViewCandidates | Decide),
            Role::Interviewer => false,
        }
    }

    /// Sees only the role profiles assigned to them, not all of them.
    pub fn sees_only_own_profiles(self) -> bool {
        !self.grants(Permission::ManageProfiles)
    }
}

impl User {
    /// Whether this user may see the role profile: all of them with a role that manages
    /// profiles, otherwise only those they own.
    pub fn may_view_profile(&self, profile: &crate::domain::profile::RoleProfile) -> bool {
        self.sees_work_owned_by(profile.details.hiring_manager_id)
    }

    /// Whether this user decides about the candidates of a profile owned by `owner`: only
    /// its hiring manager does, so that every decision has one accountable owner.
    pub fn decides_for(&self, owner: Option<i64>) -> bool {
        self.active && self.role.grants(Permission::Decide) && owner == Some(self.id)
    }

    /// Whether this user sees every scorecard of an application whose profile `owner` owns,
    /// without scoring it first: recruiters, admins and the profile's hiring manager do.
    pub fn sees_every_scorecard_of(&self, owner: Option<i64>) -> bool {
        self.role.grants(Permission::ManageCandidates)
            || (self.role.grants(Permission::ViewCandidates) && owner == Some(self.id))
    }

    /// Whether this user sees what belongs to a profile owned by `owner`: everything with a
    /// role that manages profiles, otherwise only their own profiles' things.
    pub fn sees_work_owned_by(&self, owner: Option<i64>) -> bool {
        !self.role.sees_only_own_profiles() || owner == Some(self.id)
    }
}

/// A stored user. The password hash never leaves the store except to be verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
    /// Grows when the user is deactivated, which invalidates every session made before.
    pub session_epoch: i64,
    pub created_at: DateTime<Utc>,
}

/// A new user, valid by construction (see [`UserInput::parse`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password: String,
}

/// A user as the setup page, the admin form or the command line sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, Validate, utoipa::ToSchema)]
#[serde(default)]
pub struct UserInput {
    #[validate(length(max = EMAIL_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, max_length = 254, format = Email, required = true)]
    pub email: Option<String>,
    #[validate(length(max = USER_NAME_MAX))]
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, max_length = 200, required = true)]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Role, required = true)]
    pub role: Option<String>,
    /// Never trimmed: every character of a password counts. At least 12 characters, not a
    /// common password, not the email address.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, min_length = 12, max_length = 256, required = true)]
    pub password: Option<String>,
}

/// A user's new role, as a form or a JSON body sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RoleInput {
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Role, required = true)]
    pub role: Option<String>,
}

impl RoleInput {
    pub fn parse(&self) -> Result<Role, FieldErrors> {
        let mut p = FieldParser::default();
        let role = p.choice("role", &self.role);
        p.finish(role)
    }
}

/// Whether a user is to be active, as a JSON body sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ActiveInput {
    /// `false` deactivates (the user's sessions and tokens stop working), `true` reactivates.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = bool, required = true)]
    pub active: Option<String>,
}

impl ActiveInput {
    pub fn parse(&self) -> Result<bool, FieldErrors> {
        let mut p = FieldParser::default();
        if self.active.as_deref().is_none_or(|a| a.trim().is_empty()) {
            p.reject("active", Problem::Required);
        }
        let active = p.flag("active", &self.active);
        p.finish(active)
    }
}

/// A password an administrator sets for a user who forgot theirs.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PasswordResetInput {
    /// Never trimmed. At least 12 characters, not a common password, not the email address.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, min_length = 12, max_length = 256, required = true)]
    pub password: Option<String>,
}

/// A signed-in user's change of their own password: the present one, then the new one.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct OwnPasswordInput {
    /// The password the user signs in with now.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, max_length = 256, required = true)]
    pub current_password: Option<String>,
    /// Never trimmed. At least 12 characters, not a common password, not the email address.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, min_length = 12, max_length = 256, required = true)]
    pub password: Option<String>,
}

impl UserInput {
    pub fn parse(&self) -> Result<NewUser, FieldErrors> {
        let mut p = FieldParser::new(self.validate().err().map(Into::into).unwrap_or_default());
        let email = p.required_email("email", &self.email);
        let name = p.required_text("name", &self.name);
        let role = p.choice("role", &self.role);
        let password = self.password.clone().unwrap_or_default();
        if let Err(problem) = check_password(&password, &email) {
            p.reject("password", problem);
        }
        p.finish(NewUser { email, name, role, password })
    }

    /// The user as an invitation adds them: everything but a password, which they choose.
    pub fn parse_without_password(&self) -> Result<NewUser, FieldErrors> {
        let mut p = FieldParser::new(self.validate().err().map(Into::into).unwrap_or_default());
        let email = p.required_email("email", &self.email);
        let name = p.required_text("name", &self.name);
        let role = p.choice("role", &self.role);
        p.finish(NewUser { email, name, role, password: String::new() })
    }
}

/// NIST SP 800-63B: a minimum length, no composition rules, and no password from a list of
/// common ones or made of the account's own email address.
pub fn check_password(password: &str, email: &str) -> Result<(), Problem> {
    let length = password.chars().count();
    if length == 0 {
        return Err(Problem::Required);
    }
    if length < PASSWORD_MIN {
        return Err(Problem::PasswordTooShort { min: PASSWORD_MIN as u64 });
    }
    if length > PASSWORD_MAX {
        return Err(Problem::TooLong { max: PASSWORD_MAX as u64 });
    }
    let lowered = password.to_lowercase();
    let local_part = email.split('@').next().unwrap_or_default();
    if COMMON_PASSWORDS.contains(lowered.as_str()) || (!email.is_empty() && (lowered == email || lowered == local_part))
    {
        return Err(Problem::PasswordTooCommon);
    }
    Ok(())
}

static COMMON_PASSWORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("common_passwords.txt").lines().filter(|line| !line.starts_with('#') && !line.is_empty()).collect()
});

#[cfg(test)]
mod tests {
    use super::*;

    fn input(email: &str, name: &str, role: &str, password: &str) -> UserInput {
        let text = |s: &str| Some(s.to_owned());
        UserInput { email: text(email), name: text(name), role: text(role), password: text(password) }
    }

    #[test]
    fn the_permission_table() {
        use Permission::*;
        let table = [
            (Role::Admin, [true, true, true, true, true]),
            (Role::Recruiter, [true, true, true, true, false]),
            (Role::HiringManager, [true, false, true, false, false]),
            (Role::Interviewer, [false, false, false, false, false]),
        ];
        for (role, expected) in table {
            let granted =
                [ViewProfiles, ManageProfiles, ViewCandidates, ManageCandidates, ManageUsers].map(|p| role.grants(p));
            assert_eq!(granted, expected, "{role:?}");
        }
        assert!(Role::HiringManager.sees_only_own_profiles() && !Role::Recruiter.sees_only_own_profiles());
    }

    #[test]
    fn passwords_follow_nist() {
        assert_eq!(check_password("", "a@b.dk"), Err(Problem::Required));
        assert_eq!(check_password("elevenchars", "a@b.dk"), Err(Problem::PasswordTooShort { min: 12 }));
        assert_eq!(check_password("Password1234", "a@b.dk"), Err(Problem::PasswordTooCommon));
        assert_eq!(check_password("QWERTYUIOP123", "a@b.dk"), Err(Problem::PasswordTooCommon));
        assert_eq!(check_password("mette.holm.dk", "mette.holm.dk@x.dk"), Err(Problem::PasswordTooCommon));
        assert_eq!(check_password(&"x".repeat(257), "a@b.dk"), Err(Problem::TooLong { max: 256 }));
        assert_eq!(check_password("correct horse battery", "a@b.dk"), Ok(()));
        assert_eq!(check_password("æøåæøåæøåæøå", "a@b.dk"), Ok(()), "length counts characters, not bytes");
        assert_eq!(check_password("   spaces count   ", "a@b.dk"), Ok(()));
    }

    #[test]
    fn a_user_input_names_every_problem() {
        let user = input(" Mette@Example.DK ", "Mette Holm", "recruiter", "a long enough passphrase").parse().unwrap();
        assert_eq!((user.email.as_str(), user.role), ("mette@example.dk", Role::Recruiter));

        let long_email = format!("{}@example.dk", "m".repeat(250));
        let errors = input(&long_email, &"n".repeat(201), "boss", "short").parse().unwrap_err();
        assert_eq!(errors.get("email"), Some(&Problem::TooLong { max: 254 }));
        assert_eq!(errors.get("name"), Some(&Problem::TooLong { max: 200 }));
        assert!(matches!(errors.get("role"), Some(Problem::UnknownChoice { .. })));
        assert_eq!(errors.get("password"), Some(&Problem::PasswordTooShort { min: 12 }));

        let errors = input("not an email", "", "admin", "").parse().unwrap_err();
        assert_eq!(errors.get("email"), Some(&Problem::InvalidEmail));
        assert_eq!(errors.get("name"), Some(&Problem::Required));
        assert_eq!(errors.get("password"), Some(&Problem::Required));
    }
}
