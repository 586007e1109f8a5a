//! Password hashing with argon2id (the OWASP default parameters of the argon2 crate).

use std::sync::LazyLock;

use argon2::{Argon2, PasswordHasher, PasswordVerifier};

/// A PHC string (`$argon2id$v=19$m=…`), salted.
pub async fn hash(password: String) -> anyhow::Result<String> {
    // Hashing takes tens of milliseconds of CPU: keep it off the async workers.
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| anyhow::anyhow!("cannot hash a password: {e}"))
    })
    .await?
}

/// Whether `password` matches `stored`; a malformed stored hash matches nothing.
pub async fn verify(password: String, stored: String) -> anyhow::Result<bool> {
    Ok(tokio::task::spawn_blocking(move || {
        Argon2::default().verify_password(password.as_bytes(), stored.as_str()).is_ok()
    })
    .await?)
}

/// Spends the time of one verification, so that an unknown email address is not answered
/// faster than a wrong password.
pub async fn verify_nothing(password: String) -> anyhow::Result<()> {
    tokio::task::spawn_blocking(move || {
        let _ = Argon2::default().verify_password(password.as_bytes(), DUMMY_HASH.as_str());
    })
    .await?;
    Ok(())
}

/// A real hash with the same parameters, made once, that no password is expected to match.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    Argon2::default().hash_password(b"amfit: no such user").map(|hash| hash.to_string()).unwrap_or_default()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse battery".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery".into(), stored.clone()).await.unwrap());
        assert!(!verify("correct horse battery!".into(), stored.clone()).await.unwrap());
        assert!(!verify("anything".into(), "not a hash".into()).await.unwrap());
        let again = hash("correct horse battery".into()).await.unwrap();
        assert_ne!(stored, again, "each hash has its own salt");
        verify_nothing("x".into()).await.unwrap();
    }
}
