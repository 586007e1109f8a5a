//! What is acknowledged is stored: a disk that fills up under the real binary, a PostgreSQL
//! that goes out of reach, and a write-ahead log that stays bounded while the server writes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::binary::{Served, api_token};

/// A tmpfs of a fixed size, mounted for one test (root only) and unmounted after it.
struct SmallDisk {
    folder: tempfile::TempDir,
}

impl SmallDisk {
    /// `None`, with the reason printed, where this process may not mount; with
    /// `AMFIT_REQUIRE_FAULTS=1` (as CI sets it) that fails the test instead.
    fn mount(bytes: u64) -> Option<Self> {
        let folder = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes},mode=0700"), "tmpfs"])
            .arg(folder.path())
            .output();
        match mounted {
            Ok(output) if output.status.success() => Some(Self { folder }),
            other => {
                let why = match other {
                    Ok(output) => String::from_utf8_lossy(&output.stderr).into_owned(),
                    Err(error) => error.to_string(),
                };
                let required = std::env::var("AMFIT_REQUIRE_FAULTS").is_ok_and(|v| v == "1");
                assert!(!required, "AMFIT_REQUIRE_FAULTS=1 but a tmpfs cannot be mounted: {why}");
                eprintln!("skipped: cannot mount a tmpfs to fill ({why})");
                None
            }
        }
    }

    fn path(&self) -> &Path {
        self.folder.path()
    }

    /// Writes a file until the disk is full; removing it frees the space again.
    fn fill(&self) -> PathBuf {
        let path = self.path().join("filler");
        let mut file = std::fs::File::create(&path).unwrap();
        let chunk = vec![0u8; 16 * 1024];
        while file.write_all(&chunk).and_then(|()| file.flush()).is_ok() {}
        // Single bytes fill the last partial page.
        while file.write_all(&[0]).is_ok() {}
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.folder.path()).status();
    }
}

fn create_candidate(server: &Served, bearer: &str, email: &str) -> crate::binary::RawAnswer {
    let body = json!({ "name": "Disk Test", "email": email }).to_string();
    server.request(
        "POST",
        "/api/v1/candidates",
        &[("authorization", bearer), ("content-type", "application/json")],
        &body,
    )
}

#[test]
fn a_full_disk_answers_503_stores_nothing_it_acknowledged_not_and_recovers_when_freed() {
    let Some(disk) = SmallDisk::mount(8 * 1024 * 1024) else { return };
    let bearer = format!("Bearer {}", api_token(disk.path(), &[]));
    let server = Served::start(disk.path(), &[]);
    assert_eq!(server.request("GET", "/readyz", &[], "").status, 200);

    let filler = disk.fill();
    let mut acknowledged = Vec::new();
    let mut refused = 0;
    for n in 0..3000 {
        let email = format!("c{n}@disk.test");
        let answer = create_candidate(&server, &bearer, &email);
        match answer.status {
            201 => acknowledged.push(email),
            503 => {
                assert!(answer.header("retry-after").is_some_and(|s| s.parse::<u64>().is_ok()), "{answer:?}");
                assert_eq!(answer.header("content-type"), Some("application/problem+json"));
                assert!(answer.body.contains("Nothing was saved"), "{}", answer.body);
                refused += 1;
                if refused == 20 {
                    break;
                }
            }
            other => panic!("a write on a full disk answered {other}: {}", answer.body),
        }
    }
    assert_eq!(refused, 20, "the disk never filled: {} writes went through", acknowledged.len());
    assert_eq!(server.request("GET", "/readyz", &[], "").status, 503, "readiness reports the full disk");
    assert_eq!(server.request("GET", "/healthz", &[], "").status, 200, "health only reads");
    assert_eq!(server.request("GET", "/livez", &[], "").status, 200, "the process lives");

    std::fs::remove_file(filler).unwrap();
    let after = create_candidate(&server, &bearer, "after@disk.test");
    assert_eq!(after.status, 201, "writes succeed once space is free, without a restart: {}", after.body);
    acknowledged.push("after@disk.test".to_owned());
    assert_eq!(server.request("GET", "/readyz", &[], "").status, 200);

    let mut stored: Vec<String> = Vec::new();
    let mut path = "/api/v1/candidates?limit=500".to_owned();
    loop {
        let listed = server.request("GET", &path, &[("authorization", &bearer)], "");
        assert_eq!(listed.status, 200);
        let listed: Value = serde_json::from_str(&listed.body).unwrap();
        stored.extend(listed["items"].as_array().unwrap().iter().map(|c| c["email"].as_str().unwrap().to_owned()));
        match listed["next"].as_str() {
            Some(next) => path = format!("/api/v1/candidates?limit=500&cursor={next}"),
            None => break,
        }
    }
    stored.sort();
    acknowledged.sort();
    assert_eq!(stored, acknowledged, "exactly the acknowledged writes are stored");
}

#[tokio::test]
async fn the_write_ahead_log_stays_bounded_while_thousands_of_rows_are_written() {
    let folder = tempfile::tempdir().unwrap();
    let database = folder.path().join("amfit.db");
    let store = amfit::store::connect(&format!("sqlite:{}", database.display())).await.unwrap();
    for n in 0..3000 {
        let details = amfit::domain::candidate::CandidateDetails {
            name: format!("Candidate {n}"),
            email: format!("c{n}@wal.test"),
            phone: None,
            source: Some("Referral".to_owned()),
            notes: None,
            link: None,
            talent_pool: None,
        };
        store.create_candidate(&details).await.unwrap();
    }
    let size = |suffix: &str| std::fs::metadata(format!("{}{suffix}", database.display())).map(|m| m.len()).unwrap();
    let (wal, main) = (size("-wal"), size(""));
    assert!(wal <= amfit::store::WAL_SIZE_LIMIT, "the log grew to {wal} bytes");
    assert!(main > 400_000, "checkpoints copied the rows into the database file ({main} bytes)");
}

/// A TCP relay to PostgreSQL that a test can cut (every connection dropped, new ones refused)
/// and mend, on the same port.
struct Relay {
    port: u16,
    target: std::net::SocketAddr,
    running: Option<tokio::task::JoinHandle<()>>,
}

impl Relay {
    async fn to(target: std::net::SocketAddr) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut relay = Self { port, target, running: None };
        relay.serve(listener);
        relay
    }

    fn serve(&mut self, listener: tokio::net::TcpListener) {
        let target = self.target;
        self.running = Some(tokio::spawn(async move {
            let mut links = tokio::task::JoinSet::new();
            while let Ok((mut client, _)) = listener.accept().await {
                links.spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        }));
    }

    /// Drops every connection and refuses new ones: PostgreSQL is out of reach.
    fn cut(&mut self) {
        if let Some(running) = self.running.take() {
            running.abort();
        }
    }

    async fn mend(&mut self) {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port)).await.unwrap();
        self.serve(listener);
    }
}

#[tokio::test]
async fn an_unreachable_postgresql_answers_503_and_writes_succeed_once_it_is_back() {
    let Some((_db, url)) = crate::helpers::TestDb::postgres().await else { return };
    let mut url = url::Url::parse(&url).unwrap();
    let target = (url.host_str().unwrap(), url.port().unwrap_or(5432));
    let target = tokio::net::lookup_host(target).await.unwrap().next().unwrap();
    let mut relay = Relay::to(target).await;
    url.set_port(Some(relay.port)).unwrap();
    let app = crate::helpers::TestApp::on_url(url.to_string()).await;
    let create =
        async |email: &str| app.post_json("/api/v1/candidates", &json!({ "name": "Pia", "email": email })).await;
    assert_eq!(create("before@example.dk").await.status, axum::http::StatusCode::CREATED);

    relay.cut();
    let refused = create("during@example.dk").await;
    assert_eq!(refused.status, axum::http::StatusCode::SERVICE_UNAVAILABLE, "{}", refused.body);
    assert_eq!(refused.header("retry-after"), "5");
    assert_eq!(refused.header("content-type"), "application/problem+json");
    assert_eq!(app.anonymous().get("/readyz").await.status, axum::http::StatusCode::SERVICE_UNAVAILABLE);
    // A signed-in page reads its session from the database first: unavailable, not a fault.
    let page = app.get("/candidates").await;
    assert_eq!(page.status, axum::http::StatusCode::SERVICE_UNAVAILABLE, "{}", page.body);
    assert_eq!(page.header("retry-after"), "5");
    assert!(page.header("content-type").starts_with("text/html"));

    relay.mend().await;
    assert_eq!(app.get("/candidates").await.status, axum::http::StatusCode::OK, "signed in still");
    assert_eq!(create("after@example.dk").await.status, axum::http::StatusCode::CREATED, "no restart needed");
    assert_eq!(app.anonymous().get("/readyz").await.status, axum::http::StatusCode::OK);
    let stored: Vec<String> =
        app.store.list_candidates().await.unwrap().into_iter().map(|c| c.candidate.details.email).collect();
    assert_eq!(stored, ["before@example.dk", "after@example.dk"], "nothing from the outage");
}
