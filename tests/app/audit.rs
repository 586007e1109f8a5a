//! The audit trail: views and changes are recorded with who and when, the administrators can
//! filter and export it, and nothing can change or delete an entry.

use amfit::domain::audit::{AuditAction, AuditFilter, AuditSubject};
use amfit::domain::user::Role;
use amfit::store::NewAuditEntry;
use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{company_json, on_both_backends, profile_json};

fn only(action: AuditAction) -> AuditFilter {
    AuditFilter { action: Some(action), ..Default::default() }
}

on_both_backends! {
    async fn views_weight_changes_and_user_changes_are_recorded_with_who_and_what(app) {
        let recruiter = app.client(Role::Recruiter, "rikke@amfit.test").await;
        let candidate =
            app.post_json("/api/v1/candidates", &json!({ "name": "Sofie Nielsen", "email": "sofie@example.dk" })).await;
        let candidate = candidate.json()["id"].as_i64().unwrap();
        assert_eq!(app.as_(&recruiter).get(&format!("/candidates/{candidate}")).await.status, StatusCode::OK);
        assert_eq!(app.as_(&recruiter).get(&format!("/api/v1/candidates/{candidate}")).await.status, StatusCode::OK);
        let views = app.trail(&only(AuditAction::ViewCandidate)).await;
        assert_eq!(views.len(), 2, "the page and the API");
        assert!(views.iter().all(|e| e.actor_id == Some(recruiter.user_id)
            && e.subject == AuditSubject::Candidate
            && e.subject_id == candidate));
        assert!(views.iter().all(|e| !e.detail.contains("Sofie")), "no personal data on the trail");

        let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
        let profile = app.create_profile(company, &profile_json()).await["id"].as_i64().unwrap();
        let weight = format!("/api/v1/profiles/{profile}/weights/communication");
        assert_eq!(
            app.as_(&recruiter).put_json_status(&weight, &json!({ "weight": 8, "minimum": 4 })).await,
            StatusCode::OK
        );
        assert_eq!(app.as_(&recruiter).send(Method::DELETE, &weight, &[], "").await.status, StatusCode::NO_CONTENT);
        let form = format!("/profiles/{profile}/weights/presentation");
        assert_eq!(app.as_(&recruiter).post_form(&form, &[("weight", "0")]).await.status, StatusCode::SEE_OTHER);
        let weights: Vec<String> =
            app.trail(&only(AuditAction::ChangeWeights)).await.into_iter().map(|e| e.detail).collect();
        assert_eq!(
            weights,
            ["presentation: weight 0", "communication: back to the derived weight", "communication: weight 8, minimum 4"],
            "newest first"
        );

        let created = app
            .post_form(
                "/admin/users",
                &[
                    ("name", "Ida Interviewer"),
                    ("email", "ida@amfit.test"),
                    ("role", "interviewer"),
                    ("password", "a long enough passphrase"),
                ],
            )
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let users = app.trail(&only(AuditAction::ChangeUser)).await;
        let ida = users[0].subject_id;
        assert_eq!(
            app.post_form(&format!("/admin/users/{ida}/role"), &[("role", "recruiter")]).await.status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(app.post_form(&format!("/admin/users/{ida}/deactivate"), &[]).await.status, StatusCode::SEE_OTHER);
        let users: Vec<String> =
            app.trail(&only(AuditAction::ChangeUser)).await.into_iter().map(|e| e.detail).collect();
        assert_eq!(users, ["deactivated", "role: recruiter", "added as interviewer"]);

        // The page says the same in the reader's language, competencies and roles by name.
        let english = app.get("/admin/audit").await.body;
        for said in ["Communication: weight 8, minimum 4", "Presenting and leading client meetings: weight 0", "Role: Recruiter"] {
            assert!(english.contains(said), "{said}: {english}");
        }
        let danish = app.get_in("/admin/audit", "da").await.body;
        for said in [
            "Kommunikation: vægt 8, minimum 4",
            "Kommunikation: tilbage til den afledte vægt",
            "Tilføjet som Interviewer",
            "Rolle: Rekrutteringsansvarlig",
            "Deaktiveret",
        ] {
            assert!(danish.contains(said), "{said}: {danish}");
        }
        for english_only in ["back to the derived weight", "role: recruiter", "added as", "deactivated"] {
            assert!(!danish.contains(english_only), "{english_only}: {danish}");
        }
    }
}

on_both_backends! {
    async fn administrators_filter_and_export_the_trail_and_nobody_else_sees_it(app) {
        let recruiter = app.client(Role::Recruiter, "rikke@amfit.test").await;
        for id in [1, 2, 3] {
            let entry = NewAuditEntry {
                actor_id: Some(recruiter.user_id),
                actor_name: "Rikke, \"the\" Recruiter".into(),
                action: AuditAction::ViewCandidate,
                subject: AuditSubject::Candidate,
                subject_id: id,
                detail: "".into(),
            };
            app.store.record_audit(&entry).await.unwrap();
        }
        let page = app.get("/admin/audit?action=view_candidate&subject=candidate&subject_id=2").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("href=\"/candidates/2\"") && !page.body.contains("href=\"/candidates/3\""),
            "{}",
            page.body
        );
        let csv = app.get("/admin/audit.csv?subject=candidate").await;
        assert_eq!(csv.header("content-type"), "text/csv; charset=utf-8");
        let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(&rows[0][3], "Rikke, \"the\" Recruiter", "quoted as CSV quotes");
        assert_eq!((&rows[0][4], &rows[0][6]), ("view_candidate", "3"), "newest first");

        for (query, field) in [
            ("action=erase_everything", "What: "),
            ("subject_id=2", "About: "),
            ("from=2026-11-27&to=2026-11-01", "To: "),
            ("actor=x", "User id: "),
        ] {
            let refused = app.get(&format!("/admin/audit?{query}")).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
            assert!(refused.body.contains(field), "{query}: {}", refused.body);
        }
        let today = chrono::Utc::now().date_naive();
        let dated = app.get(&format!("/admin/audit.csv?from={today}&to={today}")).await;
        let mut dated = csv::Reader::from_reader(dated.body.as_bytes());
        let rows = dated.records().map(Result::unwrap);
        assert_eq!(rows.filter(|row| &row[3] != crate::helpers::TEST_SETUP).count(), 3);
        let tomorrow = today.succ_opt().unwrap();
        let none = app.get(&format!("/admin/audit.csv?from={tomorrow}")).await;
        assert_eq!(csv::Reader::from_reader(none.body.as_bytes()).records().count(), 0);

        for path in ["/admin/audit", "/admin/audit.csv"] {
            assert_eq!(app.as_(&recruiter).get(path).await.status, StatusCode::FORBIDDEN, "{path}");
        }
    }
}

on_both_backends! {
    async fn the_trail_is_append_only_even_for_the_database(app) {
        let entry = NewAuditEntry {
            actor_id: None,
            actor_name: "test".into(),
            action: AuditAction::ExportData,
            subject: AuditSubject::Candidate,
            subject_id: 1,
            detail: "".into(),
        };
        app.store.record_audit(&entry).await.unwrap();
        let url = app.database_url.clone();
        let refused = crate::helpers::execute_sql(&url, "UPDATE audit_log SET detail = 'rewritten'").await;
        assert!(refused.unwrap_err().contains("append-only"));
        let refused = crate::helpers::execute_sql(&url, "DELETE FROM audit_log").await;
        assert!(refused.unwrap_err().contains("append-only"));
        let kept = app.trail(&AuditFilter::default()).await;
        assert_eq!((kept.len(), kept[0].detail.as_str()), (1, ""));
    }
}

on_both_backends! {
    async fn an_access_request_exports_everything_about_one_candidate_and_is_on_the_trail(app) {
        let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
        let profile = app.create_profile(company, &profile_json()).await["id"].as_i64().unwrap();
        let sofie =
            app.post_json("/api/v1/candidates", &json!({ "name": "Sofie Nielsen", "email": "sofie@example.dk" })).await;
        let sofie = sofie.json()["id"].as_i64().unwrap();
        let other = app.post_json("/api/v1/candidates", &json!({ "name": "Bo Berg", "email": "bo@example.dk" })).await;
        let other = other.json()["id"].as_i64().unwrap();
        for candidate in [sofie, other] {
            let applied = app
                .post_json(&format!("/api/v1/candidates/{candidate}/applications"), &json!({ "profile_id": profile }))
                .await;
            assert_eq!(applied.status, StatusCode::CREATED);
        }
        app.post_json(
            &format!("/api/v1/profiles/{profile}/ads"),
            &json!({ "text": "# Account Manager\n", "language": "da" }),
        )
        .await;

        let download = app.get(&format!("/candidates/{sofie}/export")).await;
        assert_eq!(download.status, StatusCode::OK);
        assert_eq!(
            download.header("content-disposition"),
            format!("attachment; filename=\"amfit-candidate-{sofie}.zip\"")
        );
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(download.bytes)).unwrap();
        let mut json = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(&format!("candidate-{sofie}.json")).unwrap(), &mut json).unwrap();
        let export: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(export["candidate"]["name"], "Sofie Nielsen");
        assert_eq!(export["applications"].as_array().unwrap().len(), 1);
        let application = &export["applications"][0];
        assert_eq!(application["stage"], "applied");
        assert_eq!(application["history"].as_array().unwrap().len(), 1, "with its stage history");
        assert_eq!(application["job_ad"]["text"], "# Account Manager\n", "with the ad of the role applied to");
        assert!(
            application["scorecards"].as_array().unwrap().is_empty()
                && application["decisions"].as_array().unwrap().is_empty()
        );
        assert!(!json.contains("Bo Berg"), "nobody else's data");

        let api = app.get(&format!("/api/v1/candidates/{sofie}/export")).await;
        assert_eq!(api.json()["candidate"]["email"], "sofie@example.dk");
        let exports = app.trail(&only(AuditAction::ExportData)).await;
        assert_eq!(exports.len(), 2);
        assert!(exports.iter().all(|e| e.subject_id == sofie && e.subject == AuditSubject::Candidate));

        assert_eq!(app.get("/candidates/9999/export").await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get("/api/v1/candidates/9999/export").await.status, StatusCode::NOT_FOUND);
        let interviewer = app.client(Role::Interviewer, "ivan@amfit.test").await;
        assert_eq!(app.as_(&interviewer).get(&format!("/candidates/{sofie}/export")).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.trail(&only(AuditAction::ExportData)).await.len(), 2, "refusals export nothing");
    }
}

on_both_backends! {
    async fn an_erasure_leaves_the_name_and_email_nowhere_in_the_database(app) {
        use amfit::domain::scorecard::{CompetencyRating, Recommendation, ScorecardContent};
        let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
        let profile = app.create_profile(company, &profile_json()).await["id"].as_i64().unwrap();
        let body = json!({ "name": "Sofie Zylberstein", "email": "sofie.z@example.dk", "phone": "+45 20 30 40 50", "notes": "Met Sofie at a fair." });
        // Sent with an idempotency key, so that the answer kept for a retry holds her data too.
        let keyed = [("content-type", "application/json"), ("idempotency-key", "create-sofie")];
        let created = app.send(Method::POST, "/api/v1/candidates", &keyed, body.to_string()).await;
        let sofie = created.json()["id"].as_i64().unwrap();
        let applied = app.post_json(&format!("/api/v1/candidates/{sofie}/applications"), &json!({ "profile_id": profile })).await;
        let application = applied.json()["id"].as_i64().unwrap();
        let interviewer = app.client(Role::Interviewer, "ivan@amfit.test").await;
        let assignment = app.store.assign(application, interviewer.user_id, &["communication".to_owned()]).await.unwrap();
        let rating = CompetencyRating {
            competency: "communication".into(),
            score: Some(4),
            evidence: "Zylberstein explained a delay plainly and followed up in writing.".into(),
        };
        let content = ScorecardContent { ratings: vec![rating], recommendation: Some(Recommendation::Yes) };
        app.store.write_scorecard(assignment.id, &content, "test", true, &crate::helpers::by_test(0)).await.unwrap();
        let decision = amfit::store::NewDecision {
            application_id: application,
            verdict: amfit::domain::decision::Verdict::Reject,
            reason: "Sofie Zylberstein lacks the key-account experience.",
            from: amfit::domain::candidate::Stage::Applied,
            to: amfit::domain::candidate::Stage::Rejected,
            by: app.admin.user_id,
        };
        app.store.record_decision(decision, &crate::helpers::by_test(0)).await.unwrap();
        assert!(app.get(&format!("/candidates/{sofie}/erase")).await.body.contains("Erase Sofie Zylberstein"));
        let before = crate::helpers::dump_database(&app.database_url).await;
        assert!(before.contains("Zylberstein") && before.contains("sofie.z@example.dk"), "the dump sees the data");
        assert!(before.lines().any(|l| l.starts_with("idempotency_keys") && l.contains("Zylberstein")), "and the kept answer");

        let erased = app.post_json(&format!("/api/v1/candidates/{sofie}/erasure"), &json!({})).await;
        assert_eq!(erased.status, StatusCode::OK, "{}", erased.body);
        assert_eq!(erased.json()["outcome"], "erased");
        let dump = crate::helpers::dump_database(&app.database_url).await;
        for personal in ["Zylberstein", "Sofie", "sofie.z@example.dk", "+45 20 30 40 50", "Met Sofie"] {
            assert!(!dump.contains(personal), "{personal} is still in the database:\n{}", dump.lines().filter(|l| l.contains(personal)).collect::<Vec<_>>().join("\n"));
        }
        if let Some(file) = app.database_url.strip_prefix("sqlite:") {
            // Not in the file's free space either, once the log is written back.
            crate::helpers::execute_sql(&app.database_url, "PRAGMA wal_checkpoint(TRUNCATE)").await.unwrap();
            let bytes = std::fs::read(file).unwrap();
            assert!(!bytes.windows(11).any(|w| w == b"Zylberstein"), "the name is still in the file");
        }
        let cards = app.store.list_scorecards(amfit::store::ScorecardsOf::Application(application)).await.unwrap();
        assert_eq!(cards[0].ratings[0].score, Some(4), "scores stay for the statistics");
        assert_eq!(cards[0].ratings[0].evidence, "[erased]");
        // Pages say what was erased in the reader's language: the name, the evidence, the reason.
        let danish = app.get_in(&format!("/candidates/{sofie}"), "da").await.body;
        assert!(danish.contains("<h1>[slettet]</h1>") && !danish.contains("[erased]"), "{danish}");
        let evidence = app.get_in(&format!("/applications/{application}/evidence/communication"), "da").await.body;
        assert!(evidence.contains("<blockquote>[slettet]</blockquote>") && !evidence.contains("[erased]"), "{evidence}");
        let list = app.get_in("/candidates", "da").await.body;
        assert!(list.contains("[slettet]") && !list.contains("[erased]"), "{list}");
        assert!(app.get(&format!("/candidates/{sofie}")).await.body.contains("<h1>[erased]</h1>"));
        let trail = app.trail(&only(AuditAction::EraseData)).await;
        assert_eq!((trail.len(), trail[0].subject_id), (1, sofie));

        let again = app.post_form(&format!("/candidates/{sofie}/erase"), &[]).await;
        assert_eq!(again.location(), format!("/candidates/{sofie}?notice=already_erased"), "a clear answer, no error");
        let page = app.get(again.location()).await;
        assert!(page.body.contains("was erased already"), "{}", page.body);
        assert_eq!(app.trail(&only(AuditAction::EraseData)).await.len(), 1);
        assert_eq!(app.post_json("/api/v1/candidates/9999/erasure", &json!({})).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.post_form("/candidates/9999/erase", &[]).await.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_user_named_like_a_formula_is_text_in_the_audit_csv() {
    let app = crate::helpers::TestApp::sqlite().await;
    let entry = NewAuditEntry {
        actor_id: None,
        actor_name: "@SUM(1+1)*cmd|' /C calc'!A0".into(),
        action: AuditAction::ViewCandidate,
        subject: AuditSubject::Candidate,
        subject_id: 1,
        detail: "-2+3".into(),
    };
    app.store.record_audit(&entry).await.unwrap();
    let csv = app.get("/admin/audit.csv").await;
    assert!(csv.body.starts_with('\u{feff}'));
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let row = reader.records().map(Result::unwrap).find(|r| &r[3] != "Test User").unwrap();
    assert_eq!((&row[3], &row[7]), ("'@SUM(1+1)*cmd|' /C calc'!A0", "'-2+3"));
}

/// Adds `count` views of candidates 1 to `count` to the trail in one statement.
async fn seed_views(database_url: &str, count: usize) {
    let now = if database_url.starts_with("sqlite:") { "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')" } else { "now()" };
    let sql = format!(
        "INSERT INTO audit_log (at, actor_id, actor_name, action, subject, subject_id, detail) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count}) \
         SELECT {now}, NULL, 'seed', 'view_candidate', 'candidate', i, '' FROM n"
    );
    crate::helpers::execute_sql(database_url, &sql).await.unwrap();
}

fn csv_ids(body: &str) -> Vec<i64> {
    csv::Reader::from_reader(body.as_bytes()).records().map(|r| r.unwrap()[0].parse().unwrap()).collect()
}

on_both_backends! {
    async fn the_trail_is_paged_and_its_export_holds_every_entry_however_many(app) {
        let many = 5_100;
        seed_views(&app.database_url, many).await;
        for path in ["/api/v1/audit.csv?action=view_candidate", "/admin/audit.csv?action=view_candidate"] {
            let csv = app.get(path).await;
            assert_eq!(csv.status, StatusCode::OK, "{path}");
            let ids = csv_ids(&csv.body);
            assert_eq!(ids.len(), many, "{path}: no cap at 5,000");
            assert!(ids.windows(2).all(|pair| pair[0] > pair[1]), "{path}: newest first, each once");
        }

        let mut listed = Vec::new();
        let mut next = Some("/api/v1/audit?action=view_candidate&limit=500".to_owned());
        while let Some(path) = next.take() {
            let page = app.get(&path).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            let body = page.json();
            listed.extend(body["items"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()));
            if !body["next"].is_null() {
                let link = page.header("link");
                assert!(link.contains("action=view_candidate"), "the filter is kept: {link}");
                next = Some(link[1..link.find('>').unwrap()].to_owned());
                let newer = NewAuditEntry {
                    actor_id: None,
                    actor_name: "meanwhile".into(),
                    action: AuditAction::ViewCandidate,
                    subject: AuditSubject::Candidate,
                    subject_id: 1,
                    detail: "".into(),
                };
                app.store.record_audit(&newer).await.unwrap();
            }
        }
        assert_eq!(listed.len(), many, "entries added meanwhile are newer than the pages still to come");
        assert!(listed.windows(2).all(|pair| pair[0] > pair[1]));

        let first = app.get("/admin/audit?action=view_candidate").await;
        let older = first.body.split("rel=\"next\"").next().unwrap().rsplit("href=\"").next().unwrap();
        let older = older.split('"').next().unwrap().replace("&#38;", "&");
        assert!(older.starts_with("/admin/audit?action=view_candidate&cursor="), "{older}");
        let second = app.get(&older).await;
        assert_eq!(second.status, StatusCode::OK);
        let subject = |n: usize| format!("href=\"/candidates/{n}\"");
        assert!(first.body.contains(&subject(many)) && !first.body.contains(&subject(many - 50)));
        assert!(second.body.contains(&subject(many - 50)) && !second.body.contains(&subject(many)));

        let recruiter = app.client(Role::Recruiter, "rikke@amfit.test").await;
        for path in ["/api/v1/audit", "/api/v1/audit.csv"] {
            assert_eq!(app.as_(&recruiter).get(path).await.status, StatusCode::FORBIDDEN, "{path}");
        }
        for (query, field) in [
            ("limit=0", "limit"),
            ("limit=501", "limit"),
            ("cursor=YWJj", "cursor"),
            ("action=erase_everything", "action"),
            ("subject_id=2", "subject"),
            ("from=2026-11-27&to=2026-11-01", "to"),
        ] {
            let refused = app.get(&format!("/api/v1/audit?{query}")).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
            assert_eq!(refused.rejected_fields(), [field], "{query}");
        }
        let refused = app.get("/api/v1/audit.csv?action=erase_everything").await;
        assert_eq!(refused.rejected_fields(), ["action"]);
    }
}

on_both_backends! {
    async fn the_trail_shows_repeated_views_as_one_line_with_the_subject_s_name(app) {
        let created = app.post_json("/api/v1/candidates", &json!({ "name": "Sofie Nielsen", "email": "sofie@example.dk" })).await;
        let candidate = created.json()["id"].as_i64().unwrap();
        for _ in 0..5 {
            assert_eq!(app.get(&format!("/candidates/{candidate}")).await.status, StatusCode::OK);
        }
        let trail = app.get("/admin/audit?action=view_candidate").await.body;
        assert_eq!(trail.matches(&format!("href=\"/candidates/{candidate}\"")).count(), 1, "five views, one line: {trail}");
        assert!(trail.contains("<span class=\"badge\">×5</span>"), "{trail}");
        assert!(trail.contains("Candidate: Sofie Nielsen"), "named, not numbered: {trail}");
        let danish = app.get_in("/admin/audit?action=view_candidate", "da").await.body;
        assert!(danish.contains("Kandidat: Sofie Nielsen"), "{danish}");
        let csv = app.get("/admin/audit.csv?action=view_candidate").await.body;
        assert_eq!(csv.lines().count(), 6, "the export keeps every entry: {csv}");
    }
}
