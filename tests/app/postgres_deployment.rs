//! PostgreSQL as a deployment uses it, on the machine's own cluster: over TLS (Debian's has
//! `ssl = on` with its self-signed "snakeoil" certificate), every connection amfit opens is
//! encrypted when the URL asks for it and a certificate that does not check out is refused,
//! saying so; and an instance keeps no more connections than it is allowed.

use sqlx::Connection;

use crate::helpers::TestDb;

/// `url` with `query` added to its query string.
fn with_query(url: &str, query: &str) -> String {
    let joiner = if url.contains('?') { '&' } else { '?' };
    format!("{url}{joiner}{query}")
}

#[tokio::test]
async fn every_connection_is_encrypted_when_the_url_asks_and_a_wrong_certificate_is_refused() {
    let Some((_db, url)) = TestDb::postgres().await else { return };
    let store = amfit::store::connect(&with_query(&url, "sslmode=require")).await.expect("TLS with sslmode=require");
    assert!(store.list_users().await.unwrap().is_empty());

    let mut watcher = sqlx::PgConnection::connect(&url).await.unwrap();
    let (encrypted, plain): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*) FILTER (WHERE s.ssl), COUNT(*) FILTER (WHERE NOT s.ssl) FROM pg_stat_ssl s \
         JOIN pg_stat_activity a ON a.pid = s.pid WHERE a.datname = current_database() AND s.pid <> pg_backend_pid()",
    )
    .fetch_one(&mut watcher)
    .await
    .unwrap();
    assert!(encrypted >= 1 && plain == 0, "amfit's connections: {encrypted} encrypted, {plain} in plain text");
    let mut unencrypted = sqlx::PgConnection::connect(&with_query(&url, "sslmode=disable")).await.unwrap();
    let (ssl,): (bool,) = sqlx::query_as("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        .fetch_one(&mut unencrypted)
        .await
        .unwrap();
    assert!(!ssl, "pg_stat_ssl tells a connection in plain text from an encrypted one");

    let wrong_ca = with_query(&url, "sslmode=verify-full&sslrootcert=/etc/ssl/certs/ca-certificates.crt");
    let refused = amfit::store::connect(&wrong_ca).await.err().expect("a certificate no CA there signed").to_string();
    assert!(refused.contains("TLS") && refused.contains("certificate") && refused.contains("sslrootcert"), "{refused}");

    let (certificate,): (String,) = sqlx::query_as("SHOW ssl_cert_file").fetch_one(&mut watcher).await.unwrap();
    if std::fs::read(&certificate).is_ok() {
        // The self-signed certificate is its own CA. It names the host it was made on
        // (localhost here): past the CA, only the name may fail.
        let by_name = with_query(
            &url.replace("127.0.0.1", "localhost"),
            &format!("sslmode=verify-full&sslrootcert={certificate}"),
        );
        if let Err(error) = amfit::store::connect(&by_name).await {
            assert!(
                error.to_string().contains("not valid for name"),
                "the server's own certificate as the CA: {error}"
            );
        }
    }
}

#[tokio::test]
async fn an_instance_keeps_no_more_connections_than_it_is_allowed() {
    let Some((_db, url)) = TestDb::postgres().await else { return };
    let settings = amfit::store::PoolSettings { max_connections: 2, ..amfit::store::PoolSettings::default() };
    let store = amfit::store::connect_with(&url, settings).await.unwrap();
    let reads = (0..12).map(|_| store.list_users());
    for read in futures_util::future::join_all(reads).await {
        read.unwrap();
    }
    let mut watcher = sqlx::PgConnection::connect(&url).await.unwrap();
    let (open,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .fetch_one(&mut watcher)
    .await
    .unwrap();
    assert!((1..=2).contains(&open), "12 reads at once over {open} connections");
}

/// A statement held up past its time by another transaction's lock is cancelled by the server,
/// and the request is answered as unavailable (503, to be tried again), not left waiting.
#[tokio::test]
async fn a_statement_is_cancelled_past_its_time_and_answered_as_unavailable() {
    let Some((_db, url)) = TestDb::postgres().await else { return };
    let settings = amfit::store::PoolSettings {
        statement_timeout: Some(std::time::Duration::from_secs(1)),
        ..amfit::store::PoolSettings::default()
    };
    let store = amfit::store::connect_with(&url, settings).await.unwrap();
    let mut holder = sqlx::PgConnection::connect(&url).await.unwrap();
    sqlx::query("BEGIN").execute(&mut holder).await.unwrap();
    sqlx::query("LOCK TABLE companies IN ACCESS EXCLUSIVE MODE").execute(&mut holder).await.unwrap();
    let waited = tokio::time::timeout(std::time::Duration::from_secs(20), store.list_companies()).await;
    let error = waited.expect("cancelled by the server, not left waiting for the lock").unwrap_err();
    assert!(error.is_transient(), "{error}");
    assert!(error.to_string().contains("statement timeout"), "{error}");
    sqlx::query("ROLLBACK").execute(&mut holder).await.unwrap();
    assert!(store.list_companies().await.is_ok(), "once the lock is gone, it reads");
}
