//! `amfit copy` as an operator runs it: a filled SQLite database to PostgreSQL and back again,
//! every table compared outside amfit; and what it refuses, leaving the target as it was.

use std::collections::BTreeMap;

use amfit::domain::user::Role;
use amfit::store::ApplicationsOf;
use axum::http::StatusCode;
use serde_json::json;

use crate::applying::{CV, apply, field, file, open_job};
use crate::binary::amfit;
use crate::helpers::{TestApp, TestDb};

/// A SQLite installation with something in most tables: a published job, applications with
/// documents and receipts, a panel that scored, a decision, a token, a webhook.
async fn filled_sqlite() -> TestApp {
    let app = TestApp::sqlite().await;
    let (profile, slug) = open_job(&app).await;
    for (name, email) in
        [("Anne Ørsted", "anne@example.dk"), ("Bo Lund", "bo@example.dk"), ("Cai Holm", "cai@example.dk")]
    {
        let sent = apply(
            &app,
            &slug,
            &[field("name", name), field("email", email), field("talent_pool", "true"), file("cv", "cv.pdf", CV)],
        )
        .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    }
    let applications = app.store.list_applications(ApplicationsOf::Profile(profile)).await.unwrap();
    let application = applications[0].application.id;
    let interviewer = app.client(Role::Interviewer, "ivan@amfit.test").await;
    let body = json!({ "interviewer_id": interviewer.user_id, "competencies": ["communication"] });
    let assigned = app.post_json(&format!("/api/v1/applications/{application}/interviewers"), &body).await;
    let assignment = assigned.json()["id"].as_i64().unwrap();
    let evidence = "Explained a price rise to a client, step by step, and kept the account.";
    let fields = [
        ("score.communication", "4"),
        ("evidence.communication", evidence),
        ("recommendation", "yes"),
        ("action", "submit"),
    ];
    let scored = app.as_(&interviewer).post_form(&format!("/interviews/{assignment}/scorecard"), &fields).await;
    assert_eq!(scored.status, StatusCode::SEE_OTHER, "{}", scored.body);
    let hook = json!({ "url": "https://hooks.example.dk/amfit", "events": ["application.created"] });
    let made = app.post_json("/api/v1/webhooks", &hook).await;
    assert!(made.status.is_success(), "{}", made.body);
    app
}

/// Every row of every table, each value as text, by table: read with the databases' own
/// drivers, not through amfit. Times are cut to microseconds (what PostgreSQL keeps) and
/// written alike; booleans as 0/1.
async fn tables_of(url: &str) -> BTreeMap<String, Vec<String>> {
    let script = r#"
import json, re, sys
url = sys.argv[1]
skip = {"_sqlx_migrations", "tower_sessions", "data_revision", "readiness_probe"}
def norm(v):
    if v is None: return None
    if isinstance(v, bool): return int(v)
    if isinstance(v, (bytes, bytearray, memoryview)): return bytes(v).hex()
    if hasattr(v, "isoformat"):
        v = v.isoformat()
    if isinstance(v, str):
        m = re.fullmatch(r"(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:?\d\d|[+-]\d\d)?", v)
        if m:
            frac = (m.group(3) or ".")[1:7].ljust(6, "0")
            return f"{m.group(1)}T{m.group(2)}.{frac}Z"
        if v[:1] in "{[":
            try: return json.dumps(json.loads(v), sort_keys=True)
            except ValueError: pass
    if isinstance(v, (dict, list)): return json.dumps(v, sort_keys=True)
    return v
out = {}
import sqlite3
con = sqlite3.connect(url[len("sqlite:"):])
names = [r[0] for r in con.execute("SELECT name FROM pragma_table_list WHERE schema='main' AND type='table' AND name NOT LIKE 'sqlite_%'")]
for t in names:
    if t in skip: continue
    cols = [r[1] for r in con.execute(f'PRAGMA table_info("{t}")')]
    rows = con.execute(f'SELECT * FROM "{t}"').fetchall()
    out[t] = sorted(json.dumps(dict(zip(cols, map(norm, r))), sort_keys=True) for r in rows)
print(json.dumps(out))
"#;
    let output = std::process::Command::new("python3").args(["-c", script, url]).output().expect("python3 runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn copy(folder: &std::path::Path, from: &str, to: &str) -> (bool, String) {
    let output = amfit(folder).args(["copy", "--from", from, "--to", to]).output().expect("amfit runs");
    let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), said)
}

async fn count_rows(pg_url: &str, table: &str) -> i64 {
    let pool = sqlx::PgPool::connect(pg_url).await.unwrap();
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM \"{table}\"")).fetch_one(&pool).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_filled_sqlite_database_goes_to_postgres_and_back_unchanged() {
    let Some((_pg, pg_url)) = TestDb::postgres().await else { return };
    let source = filled_sqlite().await;
    // The newest candidate deleted: their id is on the audit trail, and is never given again.
    let newest = source.store.list_candidates().await.unwrap().into_iter().map(|c| c.candidate.id).max().unwrap();
    source.execute_sql(&format!("DELETE FROM candidates WHERE id = {newest}")).await;
    let folder = tempfile::tempdir().unwrap();
    let (copied, said) = copy(folder.path(), &source.database_url, &pg_url);
    assert!(copied, "{said}");
    assert!(said.contains("Web sessions were not copied"), "{said}");
    for table in
        ["candidates", "applications", "documents", "outbox", "audit_log", "scorecards", "publications", "webhooks"]
    {
        let line = said
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{table} ")))
            .unwrap_or_else(|| panic!("{table}: {said}"));
        assert!(line.ends_with("same") && !line.contains(" 0 rows"), "{line}");
        assert!(count_rows(&pg_url, table).await > 0, "{table} holds rows in PostgreSQL");
    }

    // The copy serves the same candidates, and a new row gets a new id.
    let on_pg = amfit::store::connect(&pg_url).await.unwrap();
    let names = |overviews: Vec<amfit::store::CandidateOverview>| {
        let mut names: Vec<_> = overviews.into_iter().map(|c| (c.candidate.id, c.candidate.details.name)).collect();
        names.sort();
        names
    };
    let copied_names = names(on_pg.list_candidates().await.unwrap());
    assert_eq!(copied_names, names(source.store.list_candidates().await.unwrap()));
    let pool = sqlx::PgPool::connect(&pg_url).await.unwrap();
    let next: i64 = sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence('candidates', 'id'))")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(next > newest, "ids go on after every id SQLite gave, {newest} included: {next}");

    // And back, into a new SQLite file: every table as it was, read without amfit.
    let back = format!("sqlite:{}", folder.path().join("back.db").display());
    let (returned, said) = copy(folder.path(), &pg_url, &back);
    assert!(returned, "{said}");
    let (before, after) = (tables_of(&source.database_url).await, tables_of(&back).await);
    let differing: Vec<_> = before.keys().filter(|t| before.get(*t) != after.get(*t)).collect();
    assert!(differing.is_empty(), "tables that differ after the round trip: {differing:?}");
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>());
    // The search index is made again in the copy: a name is found by its prefix.
    let found: Vec<i64> =
        sqlx::query_scalar("SELECT rowid FROM candidate_words_index WHERE candidate_words_index MATCH 'orst*'")
            .fetch_all(&sqlx::SqlitePool::connect(&back).await.unwrap())
            .await
            .unwrap();
    assert_eq!(found.len(), 1, "Anne Ørsted is found in the copy's index");
    let counter = "SELECT seq FROM sqlite_sequence WHERE name = 'candidates'";
    let seq: i64 =
        sqlx::query_scalar(counter).fetch_one(&sqlx::SqlitePool::connect(&back).await.unwrap()).await.unwrap();
    assert!(seq >= next, "SQLite's counter carries PostgreSQL's on: {seq}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_copy_is_refused_into_a_filled_database_from_another_version_or_between_two_sqlites() {
    let Some((_pg, pg_url)) = TestDb::postgres().await else { return };
    let source = filled_sqlite().await;
    let folder = tempfile::tempdir().unwrap();

    let other = format!("sqlite:{}", folder.path().join("other.db").display());
    let (done, said) = copy(folder.path(), &source.database_url, &other);
    assert!(!done && said.contains("between SQLite and PostgreSQL"), "{said}");
    let missing = format!("sqlite:{}", folder.path().join("missing.db").display());
    let (done, said) = copy(folder.path(), &missing, &pg_url);
    assert!(!done && said.contains("no SQLite database at"), "{said}");

    // A source a migration behind: refused, with what to do; the target stays empty.
    let behind = folder.path().join("behind.db");
    crate::helpers::execute_sql(&source.database_url, &format!("VACUUM INTO '{}'", behind.display())).await.unwrap();
    let behind = format!("sqlite:{}", behind.display());
    crate::helpers::execute_sql(
        &behind,
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .await
    .unwrap();
    let (done, said) = copy(folder.path(), &behind, &pg_url);
    assert!(!done && said.contains("schema version") && said.contains("amfit migrate"), "{said}");

    // From a PostgreSQL database amfit never ran on: refused, and no SQLite file is left.
    let Some((_empty, empty_url)) = TestDb::postgres().await else { return };
    let new_file = folder.path().join("new.db");
    let (done, said) = copy(folder.path(), &empty_url, &format!("sqlite:{}", new_file.display()));
    assert!(!done && said.contains("schema version 0"), "{said}");
    assert!(!new_file.exists(), "the file the copy made is removed again");
    // Into a database that holds tables of something else: refused before anything is made.
    crate::helpers::execute_sql(&empty_url, "CREATE TABLE payroll (id BIGINT PRIMARY KEY)").await.unwrap();
    let (done, said) = copy(folder.path(), &source.database_url, &empty_url);
    assert!(!done && said.contains("not amfit's schema"), "{said}");
    let made = crate::helpers::execute_sql(&empty_url, "SELECT 1 FROM candidates").await;
    assert!(made.is_err(), "no table of amfit's was made: {made:?}");

    let (done, said) = copy(folder.path(), &source.database_url, &pg_url);
    assert!(done, "{said}");
    let before = count_rows(&pg_url, "candidates").await;
    let (done, said) = copy(folder.path(), &source.database_url, &pg_url);
    assert!(!done && said.contains("not empty"), "{said}");
    assert_eq!(count_rows(&pg_url, "candidates").await, before, "nothing written twice");
}

/// Killed while it writes, the copy leaves nothing behind: the target's transaction is rolled
/// back by PostgreSQL, and the next copy goes through.
#[tokio::test(flavor = "multi_thread")]
async fn a_copy_killed_halfway_leaves_the_target_empty() {
    let Some((_pg, pg_url)) = TestDb::postgres().await else { return };
    let source = filled_sqlite().await;
    // Documents big enough that writing them takes a while to see.
    let big = "INSERT INTO documents (candidate_id, application_id, kind, format, file_name, size, content, text, uploaded_at) \
               SELECT candidate_id, application_id, kind, format, file_name, 8000000, zeroblob(8000000), text, uploaded_at \
               FROM documents, (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4)";
    crate::helpers::execute_sql(&source.database_url, big).await.expect("more documents");
    let folder = tempfile::tempdir().unwrap();
    let mut child = amfit(folder.path())
        .args(["copy", "--from", &source.database_url, "--to", &pg_url])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pool = sqlx::PgPool::connect(&pg_url).await.unwrap();
    let writing = "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'INSERT INTO \"documents\"%'";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let seen: i64 = sqlx::query_scalar(writing).fetch_one(&pool).await.unwrap();
        if seen > 0 {
            break;
        }
        assert!(child.try_wait().unwrap().is_none(), "the copy ended before it was seen writing documents");
        assert!(std::time::Instant::now() < deadline, "the copy never wrote documents");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    for table in ["companies", "candidates", "documents", "audit_log"] {
        assert_eq!(count_rows(&pg_url, table).await, 0, "{table} is empty after the kill");
    }
    let (done, said) = copy(folder.path(), &source.database_url, &pg_url);
    assert!(done, "{said}");
}
