//! The `amfit` binary itself: defaults, subcommands, shutdown on SIGTERM.

use std::process::Stdio;
use std::time::{Duration, Instant};

use amfit::domain::candidate::Stage;
use amfit::domain::decision::Verdict;
use amfit::domain::document::TextState;
use amfit::service::demo;
use amfit::store::{ApplicationsOf, ScorecardsOf};
use chrono::Utc;

use crate::binary::{Served, amfit, get, run_with_input, served_address};
use crate::helpers::on_both_backends;

#[test]
fn serves_by_default_on_sqlite_in_data_and_stops_on_sigterm() {
    let folder = tempfile::tempdir().unwrap();
    let mut server = Served::start(folder.path(), &[]);
    assert!(get(&server.address, "/healthz").starts_with("HTTP/1.1 200"));
    assert!(get(&server.address, "/livez").starts_with("HTTP/1.1 200"));
    assert!(folder.path().join("data/amfit.db").exists(), "the default database is ./data/amfit.db");
    let status = server.terminate(Duration::from_secs(10)).expect("the server stops on SIGTERM");
    assert!(status.success(), "a graceful stop exits 0: {status:?}");
}

/// Every line the server wrote on standard error while it served `paths` and stopped, with the
/// given log format.
fn log_lines(format: &str, paths: &[&str]) -> Vec<String> {
    let folder = tempfile::tempdir().unwrap();
    let mut child = amfit(folder.path())
        .env("AMFIT_LOG_FORMAT", format)
        .env("AMFIT_BIND", "127.0.0.1:0")
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stderr = child.stderr.take().unwrap();
    let (each, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)).map_while(Result::ok) {
            let _ = each.send(line);
        }
    });
    let mut seen = Vec::new();
    let address = loop {
        let line = lines.recv_timeout(Duration::from_secs(30)).expect("a 'serving on' line in time");
        let at = line.find("serving on http://").map(|at| at + "serving on http://".len());
        seen.push(line.clone());
        if let Some(at) = at {
            break line[at..].chars().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ':').collect::<String>();
        }
    };
    for path in paths {
        assert!(get(&address, path).starts_with("HTTP/1.1"), "{path}");
    }
    let status = crate::binary::terminate(&mut child, Duration::from_secs(45));
    let _ = child.kill();
    assert!(status.expect("the server stops within its shutdown time").success());
    seen.extend(lines.iter());
    seen
}

#[test]
fn the_log_is_one_json_object_a_line_when_asked_and_plain_text_without_colours_in_a_file() {
    let json = log_lines("json", &["/healthz", "/login", "/no/such/page"]);
    assert!(json.len() >= 5, "{json:?}");
    for line in &json {
        let object: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(object["timestamp"].is_string() && object["level"].is_string(), "{line}");
    }
    assert!(json.iter().any(|line| line.contains("serving on http://")), "{json:?}");
    assert!(!json.iter().any(|line| line.contains("\"WARN\"")), "no warning on ordinary requests: {json:?}");

    let text = log_lines("text", &["/healthz", "/login"]);
    assert!(text.iter().any(|line| line.contains("serving on http://")), "{text:?}");
    assert!(!text.iter().any(|line| line.contains('\u{1b}')), "no colour codes in a pipe: {text:?}");
}

#[test]
fn migrate_only_migrates_and_demo_refuses_a_second_run() {
    let folder = tempfile::tempdir().unwrap();
    let migrate = amfit(folder.path()).arg("migrate").output().unwrap();
    assert!(migrate.status.success(), "{}", String::from_utf8_lossy(&migrate.stderr));
    assert!(folder.path().join("data/amfit.db").exists());

    let first = amfit(folder.path()).arg("demo").output().unwrap();
    assert!(first.status.success());
    let printed = String::from_utf8_lossy(&first.stdout);
    assert_eq!(printed.lines().filter(|line| line.contains("@demo.amfit.example")).count(), 6, "{printed}");
    let second = amfit(folder.path()).arg("demo").output().unwrap();
    assert!(!second.status.success());
    assert!(String::from_utf8_lossy(&second.stderr).contains("already has companies"));
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
    async fn the_demo_lives_and_fills_a_store_without_companies_once(app) {
        let printed = demo::fill(app.store.as_ref(), &app.state.rubric, Utc::now()).await.unwrap();
        let sign_ins: Vec<(String, String)> = printed
            .iter()
            .filter(|line| line.contains("@demo.amfit.example"))
            .map(|line| {
                let words: Vec<&str> = line.split_whitespace().collect();
                (words[1].to_owned(), words[2].to_owned())
            })
            .collect();
        let roles = ["admin", "recruiter", "hiring_manager", "interviewer"];
        assert!(roles.iter().all(|role| printed.iter().any(|line| line.trim_start().starts_with(role))), "{printed:?}");
        let mut clients = Vec::new();
        for (email, password) in &sign_ins {
            clients.push(app.sign_in(email, password).await.unwrap_or_else(|| panic!("{email} signs in as printed")));
        }
        assert_eq!(clients.len(), 6);

        let profiles = app.store.list_profiles().await.unwrap();
        assert_eq!((app.company_count().await, profiles.len()), (3, 3));
        let mut applications = Vec::new();
        for listed in &profiles {
            applications.extend(app.store.list_applications(ApplicationsOf::Profile(listed.profile.id)).await.unwrap());
        }
        assert!((36..=44).contains(&applications.len()), "about forty: {}", applications.len());
        for stage in [Stage::Applied, Stage::Screening, Stage::Interviewing, Stage::Offer, Stage::Hired, Stage::Rejected] {
            assert!(applications.iter().any(|a| a.application.stage == stage), "someone at {stage:?}");
        }
        // Weeks of history, replayed at the moments it happened.
        let five_weeks_ago = Utc::now() - chrono::Duration::weeks(5);
        let first_move = applications.iter().flat_map(|a| &a.application.history).map(|c| c.changed_at).min().unwrap();
        assert!(first_move < five_weeks_ago, "the history begins weeks ago: {first_move}");
        let in_stage_a_week = applications
            .iter()
            .filter(|a| a.application.history.last().unwrap().changed_at < Utc::now() - chrono::Duration::days(7))
            .count();
        assert!(in_stage_a_week >= 10, "{in_stage_a_week} have been in their stage a week or more");

        for application in &applications {
            let candidate = application.application.candidate_id;
            let documents = app.store.list_documents(candidate).await.unwrap();
            assert_eq!(documents.len(), 1, "a CV each");
            assert_eq!(documents[0].text, TextState::Indexed, "its text is read, for search");
            let (_, bytes) = app.store.read_document(candidate, documents[0].id).await.unwrap();
            assert!(bytes.starts_with(b"%PDF-"));
        }

        let cards = app.store.list_scorecards(ScorecardsOf::All).await.unwrap();
        assert!(cards.iter().filter(|c| c.submitted_at.is_some()).count() >= 20, "{} scorecards", cards.len());
        let interviewers: std::collections::HashSet<i64> = cards.iter().map(|c| c.interviewer_id).collect();
        assert_eq!(interviewers.len(), 3, "from several interviewers");
        let apart = cards.iter().any(|one| {
            cards.iter().any(|other| {
                one.application_id == other.application_id
                    && one.interviewer_id != other.interviewer_id
                    && one.ratings.iter().any(|r| {
                        other.ratings.iter().any(|o| o.competency == r.competency && r.score.unwrap().abs_diff(o.score.unwrap()) >= 3)
                    })
            })
        });
        assert!(apart, "two interviewers disagree on a competency");

        let mut verdicts = Vec::new();
        for listed in &profiles {
            let decisions = app.store.list_decisions(ApplicationsOf::Profile(listed.profile.id)).await.unwrap();
            verdicts.extend(decisions.into_iter().map(|d| d.verdict));
        }
        for verdict in [Verdict::Reject, Verdict::Offer, Verdict::Hire] {
            assert!(verdicts.contains(&verdict), "a decision to {verdict:?}");
        }
        let today = Utc::now().date_naive();
        let published = app.store.list_publications().await.unwrap();
        assert_eq!(published.iter().filter(|p| p.is_open_on(today)).count(), 3, "a published ad per profile");
        let mut comments = 0;
        for application in &applications {
            comments += app.store.list_comments(application.application.candidate_id).await.unwrap().iter().filter(|c| !c.mentions.is_empty()).count();
        }
        assert!(comments >= 2, "comments that mention a colleague");

        // The pages show it: the recruiter's reports count the funnel and the time to hire,
        // the hiring manager compares scored candidates, each job page is public.
        let recruiter = app.store.find_login(&sign_ins[1].0).await.unwrap().unwrap().0;
        let report = amfit::service::reports::asked(&app.state, &recruiter, &Default::default()).await.unwrap();
        assert_eq!(report.funnel[0].count, applications.len());
        assert!(report.time_to_hire.median_days.unwrap() > 7.0, "{:?}", report.time_to_hire);
        assert_eq!(app.as_(&clients[1]).get("/reports").await.status, 200);
        let comparison = app.as_(&clients[2]).get(&format!("/profiles/{}/comparison", profiles[0].profile.id)).await;
        assert_eq!(comparison.status, 200);
        assert!(comparison.body.matches("/decision").count() >= 4, "scored candidates to decide on");
        for publication in &published {
            assert_eq!(app.anonymous().get(&format!("/jobs/{}", publication.slug)).await.status, 200);
        }

        let refused = demo::fill(app.store.as_ref(), &app.state.rubric, Utc::now()).await.unwrap_err();
        assert!(refused.to_string().contains("already has companies"), "{refused}");
        assert_eq!(app.company_count().await, 3, "nothing was added");
    }
}

on_both_backends! {
    async fn the_demo_refuses_a_database_it_would_spoil_and_adds_nothing(app) {
        let users = app.store.list_users().await.unwrap().len();
        let hook = app.post_json("/api/v1/webhooks", &serde_json::json!({ "url": "https://hooks.example.com/amfit", "events": ["application.created"] })).await;
        assert_eq!(hook.status, 201, "{}", hook.body);
        let refused = demo::fill(app.store.as_ref(), &app.state.rubric, Utc::now()).await.unwrap_err();
        assert!(refused.to_string().contains("webhooks"), "its history would be sent out: {refused}");
        app.delete(&format!("/api/v1/webhooks/{}", hook.json()["id"])).await;

        let password = "a long demo passphrase";
        crate::helpers::stored_user(app.store.as_ref(), "rikke@demo.amfit.example", "Rikke", amfit::domain::user::Role::Recruiter, password).await;
        let refused = demo::fill(app.store.as_ref(), &app.state.rubric, Utc::now()).await.unwrap_err();
        assert!(refused.to_string().contains("exist already"), "{refused}");
        assert_eq!(app.store.list_users().await.unwrap().len(), users + 1, "no colleague was added");
        assert_eq!(app.company_count().await, 0);
    }
}

#[test]
fn users_and_tokens_from_the_command_line() {
    let folder = tempfile::tempdir().unwrap();
    let add = ["user", "add", "--email", "Ada@Amfit.test", "--name", "Ada Admin", "--role", "admin"];
    let (ok, out, err) = run_with_input(folder.path(), &add, "a long cli passphrase\n");
    assert!(ok, "{err}");
    assert!(out.contains("added Ada Admin <ada@amfit.test> as admin"), "{out}");
    assert!(!out.contains("a long cli passphrase") && !err.contains("a long cli passphrase"), "never echoed");

    let (ok, _, err) = run_with_input(folder.path(), &add, "a long cli passphrase\n");
    assert!(!ok && err.contains("exists already"), "{err}");
    let weak = ["user", "add", "--email", "bo@amfit.test", "--name", "Bo", "--role", "emperor"];
    let (ok, _, err) = run_with_input(folder.path(), &weak, "short\n");
    assert!(!ok);
    assert!(
        err.contains("role: Choose one of the listed options") && err.contains("password: Use at least 12 characters"),
        "{err}"
    );

    let (ok, out, err) = run_with_input(folder.path(), &["token", "create", "--email", "ada@amfit.test"], "");
    assert!(ok, "{err}");
    assert!(out.starts_with("token 1 for ada@amfit.test") && out.contains("\namfit_"), "{out}");
    let (ok, _, err) = run_with_input(folder.path(), &["token", "create", "--email", "nobody@amfit.test"], "");
    assert!(!ok && err.contains("there is no user with the email address nobody@amfit.test"), "{err}");

    let (ok, out, _) = run_with_input(folder.path(), &["token", "revoke", "--id", "1"], "");
    assert!(ok && out.contains("token 1 revoked"));
    let (ok, _, err) = run_with_input(folder.path(), &["token", "revoke", "--id", "1"], "");
    assert!(!ok && err.contains("there is no unrevoked token 1"), "{err}");

    let expiring = ["token", "create", "--email", "ada@amfit.test", "--expires-in-days", "30"];
    let (ok, out, err) = run_with_input(folder.path(), &expiring, "");
    assert!(ok && out.starts_with("token 2 for ada@amfit.test, valid for 30 days"), "{out}{err}");
    let never = ["token", "create", "--email", "ada@amfit.test", "--expires-in-days", "0"];
    let (ok, _, err) = run_with_input(folder.path(), &never, "");
    assert!(!ok && err.contains("--expires-in-days"), "{err}");
    let (ok, listed, _) = run_with_input(folder.path(), &["token", "list"], "");
    let lines: Vec<&str> = listed.lines().collect();
    assert!(ok && lines.len() == 2, "{listed}");
    assert!(lines[0].starts_with("1\tada@amfit.test\tmade ") && lines[0].contains("\trevoked "), "{listed}");
    assert!(lines[1].starts_with("2\tada@amfit.test") && lines[1].contains("\tvalid until "), "{listed}");
    assert!(!listed.contains("amfit_"), "a token is never shown again");
    let url = format!("sqlite:{}", folder.path().join("data/amfit.db").display());
    let trail: Vec<(String, String)> = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let sql = "SELECT actor_name, detail FROM audit_log WHERE detail LIKE 'API token%' ORDER BY id";
        sqlx::query_as(sql).fetch_all(&pool).await.unwrap()
    });
    let entry = |actor: &str, detail: &str| (format!("amfit token {actor} (command line)"), detail.to_owned());
    assert_eq!(
        trail,
        [
            entry("create", "API token 1 made"),
            entry("revoke", "API token 1 revoked"),
            entry("create", "API token 2 made")
        ],
        "making and revoking tokens is on the audit trail"
    );

    let password = ["user", "password", "--email", "ADA@amfit.test"];
    let (ok, _, err) = run_with_input(folder.path(), &password, "too short\n");
    assert!(!ok && err.contains("cannot set the password: Use at least 12 characters"), "{err}");
    let (ok, out, err) = run_with_input(folder.path(), &password, "a brand new cli passphrase\n");
    assert!(ok && out.contains("password set for Ada Admin <ada@amfit.test>; their sessions have ended"), "{err}");
    let nobody = ["user", "password", "--email", "nobody@amfit.test"];
    let (ok, _, err) = run_with_input(folder.path(), &nobody, "a brand new cli passphrase\n");
    assert!(!ok && err.contains("there is no user with the email address nobody@amfit.test"), "{err}");
}

#[test]
fn the_binary_runs_from_an_empty_folder_with_its_built_in_rubric_and_signs_in() {
    let folder = tempfile::tempdir().unwrap();
    let (ok, out, err) = run_with_input(folder.path(), &["rubrics", "check"], "");
    assert!(ok && out.starts_with("the built-in rubric: 11 competencies"), "{out}{err}");
    let (ok, _, err) = run_with_input(
        folder.path(),
        &["user", "add", "--email", "ada@amfit.test", "--name", "Ada", "--role", "admin"],
        "a long test passphrase\n",
    );
    assert!(ok, "{err}");
    let served = Served::start(folder.path(), &[]);
    let form = served.request("GET", "/login", &[], "");
    let cookie = form.header("set-cookie").expect("a visitor's cookie").split(';').next().unwrap().to_owned();
    let marker = "name=\"csrf_token\" value=\"";
    let at = form.body.find(marker).expect("a CSRF token") + marker.len();
    let token = &form.body[at..at + form.body[at..].find('"').unwrap()];
    let body = format!("csrf_token={token}&email=ada%40amfit.test&password=a+long+test+passphrase");
    let headers = [("Cookie", cookie.as_str()), ("Content-Type", "application/x-www-form-urlencoded")];
    let signed_in = served.request("POST", "/login", &headers, &body);
    assert_eq!(signed_in.status, 303, "{}", signed_in.head);
    let session = signed_in.header("set-cookie").expect("a session").split(';').next().unwrap().to_owned();
    let home = served.request("GET", "/profiles", &[("Cookie", session.as_str())], "");
    assert_eq!(home.status, 200, "{}", home.head);
    let entries: Vec<_> = std::fs::read_dir(folder.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(entries, ["data"], "nothing but its data beside it");

    let exported = folder.path().join("my-rubric");
    let (ok, out, err) = run_with_input(folder.path(), &["rubrics", "export", "my-rubric"], "");
    assert!(ok && out.contains("files of the built-in rubric written to my-rubric"), "{out}{err}");
    let (ok, out, _) =
        run_with_input(folder.path(), &["--rubrics", exported.to_str().unwrap(), "rubrics", "check"], "");
    assert!(ok && out.contains("my-rubric: 11 competencies"), "the export is a rubric to start from: {out}");
    let (ok, _, err) = run_with_input(folder.path(), &["rubrics", "export", "my-rubric"], "");
    assert!(!ok && err.contains("it is there already; nothing was written"), "{err}");
}

#[test]
fn rubrics_check_names_the_file_the_item_and_the_reason() {
    let folder = tempfile::tempdir().unwrap();
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rubrics");
    let (ok, out, err) = run_with_input(folder.path(), &["rubrics", "check", shipped.to_str().unwrap()], "");
    assert!(ok, "{err}");
    assert!(out.contains("11 competencies") && out.contains("version"), "{out}");

    let broken = folder.path().join("broken");
    std::fs::create_dir_all(broken.join("competencies")).unwrap();
    std::fs::copy(shipped.join("anchor_words.toml"), broken.join("anchor_words.toml")).unwrap();
    let weights = std::fs::read_to_string(shipped.join("weights.toml")).unwrap();
    std::fs::write(broken.join("weights.toml"), weights.replace("cap = { efficiency = 3 }", "cap = { golf = 3 }"))
        .unwrap();
    for entry in std::fs::read_dir(shipped.join("competencies")).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let text = match entry.file_name().to_str().unwrap() {
            "diligence.toml" => text.replacen("score = 5", "score = 4", 1),
            "reliability.toml" => text.replacen("Can show commitments kept", "Known as one who kept commitments", 1),
            "efficiency.toml" => text.replacen("applies_when.accounts_per_manager_at_least", "applies_when.clients", 1),
            _ => text,
        };
        std::fs::write(broken.join("competencies").join(entry.file_name()), text).unwrap();
    }
    let (ok, _, err) = run_with_input(folder.path(), &["rubrics", "check", broken.to_str().unwrap()], "");
    assert!(!ok);
    assert!(err.contains("competencies/diligence.toml: levels.4: level given twice"), "{err}");
    assert!(err.contains("competencies/diligence.toml: levels.5: missing level"), "{err}");
    assert!(
        err.contains("competencies/reliability.toml: levels.5.en: describes a trait, not behaviour: \"known as\""),
        "{err}"
    );
    assert!(
        err.contains("unknown field `clients`, expected one of `size_band`"),
        "a question's condition on an unknown fact: {err}"
    );
    assert!(err.contains("weights.toml: groups.volume.cap.golf: unknown competency \"golf\""), "{err}");

    std::fs::write(broken.join("weights.toml"), "[base\n").unwrap();
    let (ok, _, err) = run_with_input(folder.path(), &["--rubrics", broken.to_str().unwrap(), "serve"], "");
    assert!(!ok, "the server refuses to start");
    assert!(err.contains("weights.toml: line 1, column 6"), "{err}");

    let (ok, _, err) = run_with_input(folder.path(), &["rubrics", "check", "/nonexistent"], "");
    assert!(!ok && err.contains("cannot read the rubric: /nonexistent/weights.toml"), "{err}");
}

#[test]
fn the_ad_command_prints_a_profiles_ad_in_each_format() {
    let folder = tempfile::tempdir().unwrap();
    assert!(amfit(folder.path()).arg("demo").output().unwrap().status.success());
    let ad = |args: &[&str]| {
        let output = amfit(folder.path()).arg("ad").args(args).output().unwrap();
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        (output.status.success(), text(&output.stdout), text(&output.stderr))
    };
    let (ok, markdown, _) = ad(&["--profile", "1"]);
    assert!(ok && markdown.starts_with("# Account Manager til Nordlys Digital ApS\n"), "{markdown}");
    let (ok, text, _) = ad(&["--profile", "2", "--format", "text", "--lang", "da", "--tone", "formal"]);
    assert!(ok && text.starts_with("Account manager til Ledgerly A/S\n") && text.contains("Vi tilbyder"), "{text}");
    let (ok, html, _) = ad(&["--profile", "3", "--format", "html"]);
    assert!(ok && html.contains("<html lang=\"da\">") && html.contains("application/ld+json"), "{html}");
    let (ok, json_ld, _) = ad(&["--profile", "3", "--format", "jsonld", "--lang", "en"]);
    let posting: serde_json::Value = serde_json::from_str(&json_ld).expect("JSON-LD");
    assert!(ok && posting["title"] == "Key Account Manager", "the role, without the company: {posting}");
    assert_eq!(
        (posting["identifier"]["value"].as_str(), posting["workHours"].as_str()),
        (Some("amfit-3"), Some("37 hours a week"))
    );

    let (ok, _, err) = ad(&["--profile", "1", "--format", "pdf", "--lang", "fr"]);
    assert!(!ok && err.contains("--format: ") && err.contains("--lang: "), "{err}");
    let (ok, _, err) = ad(&["--profile", "99"]);
    assert!(!ok && err.contains("there is no role profile 99"), "{err}");
    let (ok, _, err) = ad(&["--profile", "1", "--version", "2"]);
    assert!(!ok && err.contains("no role profile 1 with a saved ad version 2"), "{err}");
}

#[test]
fn a_backup_taken_while_the_server_runs_restores_with_its_data() {
    let folder = tempfile::tempdir().unwrap();
    assert!(amfit(folder.path()).arg("demo").output().unwrap().status.success());
    let mut server = amfit(folder.path())
        .env("AMFIT_BIND", "127.0.0.1:0")
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let address = served_address(&mut server);
    assert!(get(&address, "/healthz").starts_with("HTTP/1.1 200"));

    let backup = amfit(folder.path()).args(["backup", "copy.db"]).output().unwrap();
    let printed = String::from_utf8_lossy(&backup.stdout);
    assert!(backup.status.success(), "{}", String::from_utf8_lossy(&backup.stderr));
    assert!(printed.contains("backed up sqlite:data/amfit.db to copy.db ("), "{printed}");
    let again = amfit(folder.path()).args(["backup", "copy.db"]).output().unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("copy.db exists already"));
    let nowhere = amfit(folder.path()).args(["backup", "no/such/folder/copy.db"]).output().unwrap();
    assert!(!nowhere.status.success());
    assert!(String::from_utf8_lossy(&nowhere.stderr).contains("cannot write no/such/folder/copy.db"));
    let _ = server.kill();
    let _ = server.wait();

    // Restoring is using the copy as the database (README, "Backups").
    let restored =
        amfit(folder.path()).args(["--database-url", "sqlite:copy.db", "ad", "--profile", "3"]).output().unwrap();
    assert!(restored.status.success(), "{}", String::from_utf8_lossy(&restored.stderr));
    assert!(String::from_utf8_lossy(&restored.stdout).starts_with("# Key Account Manager til Dansk Energi"));
}

#[test]
fn a_body_that_stalls_is_cut_off_and_its_connection_closed() {
    use std::io::{Read, Write};
    let folder = tempfile::tempdir().unwrap();
    let server = Served::start(folder.path(), &["--request-body-seconds", "2"]);
    let stalled: Vec<std::net::TcpStream> = (0..3)
        .map(|_| {
            let mut stream = std::net::TcpStream::connect(&server.address).unwrap();
            // The first start's form (the one a server with no user yet reads): the head promises
            // 1,000 bytes; ten arrive, then nothing more.
            write!(
                stream,
                "POST /setup HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                 Content-Length: 1000\r\n\r\nemail=a%40b"
            )
            .unwrap();
            stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
            stream
        })
        .collect();
    let started = Instant::now();
    for mut stream in stalled {
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("the server answers and closes the connection");
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(answer.contains("The form took too long to arrive"), "{answer}");
    }
    let waited = started.elapsed();
    assert!((Duration::from_secs(2)..Duration::from_secs(15)).contains(&waited), "cut off at its time: {waited:?}");
    assert!(get(&server.address, "/healthz").starts_with("HTTP/1.1 200"), "the server serves on");
}

#[tokio::test]
async fn a_backup_killed_half_way_leaves_nothing_under_its_name() {
    use sqlx::Connection;
    let folder = tempfile::tempdir().unwrap();
    assert!(amfit(folder.path()).arg("migrate").output().unwrap().status.success());
    // 160 MB of pages, so that copying them takes long enough to be caught half-way.
    let url = format!("sqlite:{}", folder.path().join("data/amfit.db").display());
    let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("CREATE TABLE ballast (b BLOB)").execute(&mut db).await.unwrap();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 160) \
         INSERT INTO ballast SELECT randomblob(1048576) FROM n",
    )
    .execute(&mut db)
    .await
    .unwrap();
    db.close().await.unwrap();

    let mut backup = amfit(folder.path()).args(["backup", "copy.db"]).stderr(Stdio::null()).spawn().unwrap();
    let partial = |folder: &std::path::Path| {
        std::fs::read_dir(folder).unwrap().filter_map(Result::ok).any(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            name.starts_with(".copy.db.") && name.ends_with(".partial") && entry.metadata().is_ok_and(|m| m.len() > 0)
        })
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while !partial(folder.path()) && Instant::now() < deadline && backup.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_millis(1));
    }
    backup.kill().unwrap();
    let status = backup.wait().unwrap();
    assert!(!status.success(), "killed half-way, before the copy was complete");
    assert!(!folder.path().join("copy.db").exists(), "no broken file under the final name");

    let again = amfit(folder.path()).args(["backup", "copy.db"]).output().unwrap();
    assert!(
        again.status.success(),
        "the next backup to that name goes ahead: {}",
        String::from_utf8_lossy(&again.stderr)
    );
    let mut copy =
        sqlx::SqliteConnection::connect(&format!("sqlite:{}", folder.path().join("copy.db").display())).await.unwrap();
    let (pages,): (i64,) = sqlx::query_as("SELECT count(*) FROM ballast").fetch_one(&mut copy).await.unwrap();
    assert_eq!(pages, 160, "the copy is whole");
}

#[tokio::test]
async fn postgres_backups_are_left_to_pg_dump() {
    let Some(app) = crate::helpers::TestApp::postgres().await else { return };
    let refused = app.store.backup(std::path::Path::new("/tmp/never-written.db")).await.unwrap_err();
    assert!(refused.to_string().contains("pg_dump --format=custom"), "{refused}");
    assert!(!std::path::Path::new("/tmp/never-written.db").exists());
}

async fn with_a_due_candidate() -> (crate::helpers::TestApp, i64) {
    use amfit::domain::candidate::Stage;
    let app = crate::helpers::TestApp::sqlite().await;
    let company = app.create_company(&crate::helpers::company_json()).await["id"].as_i64().unwrap();
    let profile = app.create_profile(company, &crate::helpers::profile_json()).await["id"].as_i64().unwrap();
    let closed = chrono::Utc::now().checked_sub_months(chrono::Months::new(7)).unwrap();
    let due = crate::helpers::candidate_at_stage(&app, profile, "Hanne Due", Stage::Rejected, closed).await;
    (app, due)
}

#[tokio::test]
async fn purge_says_what_it_did_and_refuses_a_senseless_retention_period() {
    let (app, due) = with_a_due_candidate().await;
    let folder = tempfile::tempdir().unwrap();
    let purge = |env: Option<&str>, args: &[&str]| {
        let mut command = amfit(folder.path());
        command.args(["--database-url", &app.database_url]).args(args).arg("purge");
        if let Some(months) = env {
            command.env("AMFIT_RETENTION_MONTHS", months);
        }
        let output = command.output().unwrap();
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        (output.status.success(), text(&output.stdout), text(&output.stderr))
    };
    for (env, args) in
        [(Some("0"), vec![]), (Some("-1"), vec![]), (None, vec!["--retention-months=37"]), (Some("forever"), vec![])]
    {
        let (ok, _, err) = purge(env, &args);
        assert!(!ok && err.contains("must be a whole number of months from 1 to 36"), "{env:?} {args:?}: {err}");
    }
    assert!(app.store.get_candidate(due).await.unwrap().erased_at.is_none(), "a refused setting changes nothing");

    let (ok, out, err) = purge(Some("12"), &[]);
    assert!(ok, "{err}");
    assert!(out.contains("Retention period: 12 months") && out.contains("Anonymised no candidate."), "{out}");
    let (ok, out, err) = purge(None, &[]);
    assert!(ok, "{err}");
    assert_eq!(
        out,
        format!(
            "Retention period: 6 months after a candidate's last application closed.\nAnonymised 1 candidate: #{due}.\n"
        )
    );
    let (_, again, _) = purge(None, &[]);
    assert!(again.contains("Anonymised no candidate."), "{again}");
}

#[tokio::test]
async fn the_server_purges_as_it_starts() {
    let (app, due) = with_a_due_candidate().await;
    let folder = tempfile::tempdir().unwrap();
    let mut server = amfit(folder.path())
        .args(["--database-url", &app.database_url])
        .env("AMFIT_BIND", "127.0.0.1:0")
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    served_address(&mut server);
    let started = Instant::now();
    while app.store.get_candidate(due).await.unwrap().erased_at.is_none() && started.elapsed() < Duration::from_secs(30)
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(app.store.get_candidate(due).await.unwrap().details.name, amfit::domain::candidate::ERASED);
}

#[test]
fn a_half_sent_request_neither_keeps_the_server_from_stopping_nor_holds_its_connection() {
    use std::io::{Read, Write};
    let folder = tempfile::tempdir().unwrap();
    let mut server = Served::start(folder.path(), &["--shutdown-seconds", "2"]);
    let mut stalled = std::net::TcpStream::connect(&server.address).unwrap();
    stalled.write_all(b"GET /heal").unwrap();
    let started = Instant::now();
    let status = server.terminate(Duration::from_secs(10)).expect("the server exits despite the open connection");
    assert!(status.success(), "{status:?}");
    assert!(started.elapsed() < Duration::from_secs(5), "within the 2 s deadline: {:?}", started.elapsed());

    // Without a stop, the header-read timeout ends a connection whose request head never completes.
    let server = Served::start(folder.path(), &[]);
    let mut idle = std::net::TcpStream::connect(&server.address).unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").unwrap();
    idle.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let started = Instant::now();
    let _ = idle.read_to_end(&mut Vec::new());
    let held = started.elapsed();
    assert!(held < Duration::from_secs(15), "the stalled connection was held for {held:?}");
}

#[test]
fn the_database_its_log_and_backups_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().unwrap();
    let mode = |name: &str| std::fs::metadata(folder.path().join(name)).unwrap().permissions().mode() & 0o777;
    assert!(amfit(folder.path()).arg("migrate").output().unwrap().status.success());
    assert_eq!(mode("data/amfit.db"), 0o600);
    // A database made before amfit restricted its files is made private when opened.
    std::fs::set_permissions(folder.path().join("data/amfit.db"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let server = Served::start(folder.path(), &[]);
    assert!(get(&server.address, "/readyz").starts_with("HTTP/1.1 200"));
    for file in ["data/amfit.db", "data/amfit.db-wal", "data/amfit.db-shm"] {
        assert_eq!(mode(file), 0o600, "{file}");
    }
    assert!(amfit(folder.path()).args(["backup", "copy.db"]).output().unwrap().status.success());
    assert_eq!(mode("copy.db"), 0o600);
}

#[test]
fn bad_mail_settings_stop_the_server_before_it_listens_without_the_password() {
    let folder = tempfile::tempdir().unwrap();
    for (args, said) in [
        (
            vec!["--smtp-url", "smtp://amfit:topsecret@mail.example.dk?tls=yes", "--mail-from", "amfit@example.dk"],
            "tls=yes is not starttls",
        ),
        (vec!["--smtp-url", "http://amfit:topsecret@mail.example.dk"], "is not smtp or smtps"),
        (vec!["--smtp-url", "smtps://amfit:topsecret@mail.example.dk"], "--smtp-url needs --mail-from"),
        (vec!["--smtp-url", "smtp://mail.example.dk", "--mail-from", "not an address"], "--mail-from"),
    ] {
        let output = amfit(folder.path()).args(&args).env("AMFIT_BIND", "127.0.0.1:0").output().unwrap();
        let printed = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(!output.status.success(), "{args:?}: {printed}");
        assert!(printed.contains(said), "{args:?}: {printed}");
        assert!(!printed.contains("topsecret") && !printed.contains("serving on"), "{args:?}: {printed}");
    }
}

#[test]
fn the_server_sends_what_waits_in_the_outbox_within_seconds_of_starting() {
    if !crate::mail::aiosmtpd_available() {
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    assert!(amfit(folder.path()).arg("migrate").status().unwrap().success());
    let now = chrono::Utc::now().to_rfc3339();
    let insert = format!(
        "INSERT INTO outbox (message_id, kind, recipient, language, subject, body_text, body_html, next_attempt_at, created_at) \
         VALUES ('waiting-1', 'receipt', 'sofie@example.dk', 'da', 'Tak', 'Tak for din ansøgning.', '<p>Tak</p>', '{now}', '{now}')"
    );
    let database = format!("sqlite:{}", folder.path().join("data/amfit.db").display());
    tokio::runtime::Runtime::new().unwrap().block_on(crate::helpers::execute_sql(&database, &insert)).unwrap();
    let maildir = folder.path().join("maildir");
    let port = crate::mail::free_port();
    let _smtpd = crate::mail::MailServerProcess::start(&maildir, port).expect("aiosmtpd starts");
    let smtp_url = format!("smtp://127.0.0.1:{port}");
    let started = Instant::now();
    let mut server =
        Served::start(folder.path(), &["--smtp-url", &smtp_url, "--mail-from", "Nordlys <amfit@example.dk>"]);
    let arrived = loop {
        let messages = crate::mail::received(&maildir);
        if !messages.is_empty() || started.elapsed() > Duration::from_secs(10) {
            break messages;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(arrived.len(), 1, "within 10 s: {arrived:?}");
    assert_eq!(arrived[0]["headers"]["message-id"], "<waiting-1@example.dk>");
    assert!(server.terminate(Duration::from_secs(10)).expect("stops").success());
}
