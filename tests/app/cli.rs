//! The `amfit` binary itself: defaults, subcommands, shutdown on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use amfit::cli::fill_with_demo_data;

use crate::helpers::on_both_backends;

fn amfit(folder: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_amfit"));
    command.current_dir(folder).env_remove("DATABASE_URL").env_remove("AMFIT_BIND").env("RUST_LOG", "amfit=info");
    command
}

/// Waits for the log line (on stderr) that names the address, and returns it.
fn served_address(child: &mut Child) -> String {
    let stderr = child.stderr.take().expect("piped stderr");
    let deadline = Instant::now() + Duration::from_secs(30);
    for line in BufReader::new(stderr).lines() {
        let line = line.expect("log line");
        if let Some(at) = line.find("serving on http://") {
            return line[at + "serving on http://".len()..].trim().to_owned();
        }
        assert!(Instant::now() < deadline, "no 'serving on' line in time");
    }
    panic!("the server exited before serving");
}

fn get(address: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).expect("connects");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn serves_by_default_on_sqlite_in_data_and_stops_on_sigterm() {
    let folder = tempfile::tempdir().unwrap();
    let mut child = amfit(folder.path())
        .env("AMFIT_BIND", "127.0.0.1:0")
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let address = served_address(&mut child);
    assert!(get(&address, "/healthz").starts_with("HTTP/1.1 200"));
    assert!(folder.path().join("data/amfit.db").exists(), "the default database is ./data/amfit.db");

    let terminated = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(terminated.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "a graceful stop exits 0: {status:?}");
}

#[test]
fn migrate_only_migrates_and_demo_refuses_a_second_run() {
    let folder = tempfile::tempdir().unwrap();
    let migrate = amfit(folder.path()).arg("migrate").output().unwrap();
    assert!(migrate.status.success(), "{}", String::from_utf8_lossy(&migrate.stderr));
    assert!(folder.path().join("data/amfit.db").exists());

    let first = amfit(folder.path()).arg("demo").output().unwrap();
    assert!(first.status.success());
    assert_eq!(String::from_utf8_lossy(&first.stdout).lines().count(), 3);
    let second = amfit(folder.path()).arg("demo").output().unwrap();
    assert!(!second.status.success());
    assert!(String::from_utf8_lossy(&second.stderr).contains("already has data"));
}

#[test]
fn an_unusable_database_url_is_a_clear_error_without_the_password() {
    let folder = tempfile::tempdir().unwrap();
    let output = amfit(folder.path())
        .args(["--database-url", "mysql://root:topsecret@localhost/amfit", "migrate"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let printed = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(printed.contains("unsupported scheme"), "{printed}");
    assert!(!printed.contains("topsecret"), "{printed}");
}

on_both_backends! {
    async fn demo_fills_an_empty_store_once(app) {
        let created = fill_with_demo_data(app.store.as_ref()).await.unwrap();
        assert_eq!(created.len(), 3);
        assert_eq!((app.company_count().await, app.profile_count().await), (3, 3));
        let refused = fill_with_demo_data(app.store.as_ref()).await.unwrap_err();
        assert!(refused.to_string().contains("already has data"));
        assert_eq!(app.company_count().await, 3, "nothing was added");
    }
}
