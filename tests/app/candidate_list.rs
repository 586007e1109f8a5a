//! The candidate list at scale: a search through names, email addresses and CVs answered by
//! the store's full-text index, filters, orders, the applications' roles, stages and fit, a
//! hiring manager's narrower view, and moving chosen applications from the list.

use amfit::domain::user::Role;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::applying::{CV, apply, field, file, open_job};
use crate::helpers::{TestApp, company_json, on_both_backends, profile_json, with};
use crate::pipeline::profile_with;

/// The names the API's list gives for `query`, in its order.
async fn api_names(app: &TestApp, query: &str) -> Vec<String> {
    let listed = app.get(&format!("/api/v1/candidates?{query}")).await;
    assert_eq!(listed.status, StatusCode::OK, "{query}: {}", listed.body);
    listed.json()["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_owned()).collect()
}

/// The names the list page links to, in its order.
fn page_names(body: &str) -> Vec<String> {
    body.split("<a href=\"/candidates/")
        .skip(1)
        .filter_map(|link| link.split_once("\">")?.1.split_once("</a>").map(|(name, _)| name.to_owned()))
        .filter(|name| !name.contains('<'))
        .collect()
}

async fn candidate(app: &TestApp, body: Value) -> i64 {
    let created = app.post_json("/api/v1/candidates", &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    created.json()["id"].as_i64().unwrap()
}

on_both_backends! {
    async fn a_search_finds_words_of_names_addresses_and_cvs_through_the_index(app) {
        let (_, slug) = open_job(&app).await;
        let sent = apply(&app, &slug, &[field("name", "Vera Lund"), field("email", "vera@example.dk"), file("cv", "cv.pdf", CV)]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        candidate(&app, json!({ "name": "Søren Ærø-Kjær", "email": "s.kjaer@firma.dk" })).await;
        candidate(&app, json!({ "name": "José Müller", "email": "jm@example.com" })).await;

        // A word of the CV's text finds its candidate; so does the start of one.
        assert_eq!(api_names(&app, "q=Quetzalkoatlfjer").await, ["Vera Lund"]);
        assert_eq!(api_names(&app, "q=quetzal").await, ["Vera Lund"]);
        // Case, accents and the Danish letters as typed without them; every word must start one.
        assert_eq!(api_names(&app, "q=soren%20aero").await, ["Søren Ærø-Kjær"]);
        assert_eq!(api_names(&app, "q=KJÆR").await, ["Søren Ærø-Kjær"]);
        assert_eq!(api_names(&app, "q=muller%20jose").await, ["José Müller"]);
        assert_eq!(api_names(&app, "q=firma.dk").await, ["Søren Ærø-Kjær"]);
        assert!(api_names(&app, "q=jose%20lund").await.is_empty(), "each word must start a word of the same candidate");
        assert!(api_names(&app, "q=ller").await.is_empty(), "not inside a word");

        let page = app.get("/candidates?q=quetzalkoatlfjer").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page_names(&page.body), ["Vera Lund"]);
        assert!(page.body.contains("value=\"quetzalkoatlfjer\""), "the search stays in its field");

        // Erased, they are found by nothing they were.
        let id = app.store.list_candidates().await.unwrap().into_iter().find(|o| o.candidate.details.name == "Vera Lund").unwrap().candidate.id;
        let erased = app.post_json(&format!("/api/v1/candidates/{id}/erasure"), &json!({})).await;
        assert_eq!(erased.status, StatusCode::OK);
        for query in ["q=quetzalkoatlfjer", "q=vera", "q=erased"] {
            assert!(api_names(&app, query).await.is_empty(), "{query}");
        }
    }
}

on_both_backends! {
    async fn a_search_of_punctuation_or_of_too_much_is_refused_by_name(app) {
        candidate(&app, json!({ "name": "Ane Holm", "email": "ane@example.dk" })).await;
        for (query, field, says) in [
            ("q=%22%2A%3A%26%7C()", "q", "Type a letter or a digit"),
            (&format!("q={}", "a".repeat(1_000)) as &str, "q", "at most 200"),
            ("q=a%20b%20c%20d%20e%20f%20g%20h%20i%20j%20k", "q", "at most 10"),
            ("sort=shoe_size", "sort", "one of"),
            ("created_after=2026-13-01", "created_after", "date"),
            ("created_after=2026-05-02&created_before=2026-05-01", "created_before", "before the start"),
            (&format!("source={}", "s".repeat(101)) as &str, "source", "at most 100"),
        ] {
            let api = app.get(&format!("/api/v1/candidates?{query}")).await;
            assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", api.body);
            assert_eq!(api.rejected_fields(), [field], "{query}");
            let page = app.get(&format!("/candidates?{query}")).await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
            assert!(page.body.to_lowercase().contains(&says.to_lowercase()), "{query}: {}", page.body);
            assert!(!page.body.contains("Ane Holm"), "a refused search lists nobody");
        }
        // FTS syntax typed among words is only punctuation between words, not an operator.
        assert_eq!(api_names(&app, "q=ane%20OR%20%22holm%22*").await, Vec::<String>::new(), "OR is a word too");
        assert_eq!(api_names(&app, "q=%22ane%22%20-holm").await, ["Ane Holm"]);
    }
}

on_both_backends! {
    async fn filters_and_orders_narrow_and_sort_the_list(app) {
        let (profile, applications) = profile_with(&app, &["Cem Aydin", "Bo Berg", "Ane Holm"]).await;
        let referral = candidate(&app, json!({ "name": "Dina Referral", "email": "dina@example.dk", "source": "referral" })).await;
        let moved = app.put_json(&format!("/api/v1/applications/{}/stage", applications[1]), &json!({ "stage": "screening" })).await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);

        assert_eq!(api_names(&app, "").await, ["Cem Aydin", "Bo Berg", "Ane Holm", "Dina Referral"], "the API pages oldest first");
        assert_eq!(api_names(&app, "sort=name").await, ["Ane Holm", "Bo Berg", "Cem Aydin", "Dina Referral"]);
        assert_eq!(api_names(&app, "sort=newest").await, ["Dina Referral", "Ane Holm", "Bo Berg", "Cem Aydin"]);
        assert_eq!(api_names(&app, "sort=activity").await[0], "Bo Berg", "moved last");
        assert_eq!(api_names(&app, &format!("profile_id={profile}")).await.len(), 3);
        assert_eq!(api_names(&app, &format!("profile_id={profile}&stage=screening")).await, ["Bo Berg"]);
        assert_eq!(api_names(&app, "source=referral").await, ["Dina Referral"]);
        assert_eq!(api_names(&app, "source=Referral").await, Vec::<String>::new(), "as recorded");
        let today = chrono::Utc::now().date_naive();
        let tomorrow = today.succ_opt().unwrap();
        assert_eq!(api_names(&app, &format!("created_after={today}&created_before={today}")).await.len(), 4);
        assert!(api_names(&app, &format!("created_after={tomorrow}")).await.is_empty());
        assert!(api_names(&app, &format!("created_before={}", today.pred_opt().unwrap())).await.is_empty());

        // Paged in the order asked for, each candidate once.
        let first = app.get("/api/v1/candidates?sort=name&limit=3").await.json();
        let next = first["next"].as_str().unwrap();
        let rest = api_names(&app, &format!("sort=name&limit=3&cursor={next}")).await;
        assert_eq!(rest, ["Dina Referral"]);

        // The page: the role, the stage and the fit of each application, and the last activity.
        let page = app.get(&format!("/candidates?profile_id={profile}&sort=activity")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page_names(&page.body), ["Bo Berg", "Ane Holm", "Cem Aydin"]);
        let bo = page.body.split(">Bo Berg</a>").nth(1).unwrap().split("</tr>").next().unwrap();
        assert!(bo.contains(">Account Manager</a>") && bo.contains("Screening") && bo.contains("Unscored"), "{bo}");
        assert!(page.body.contains(&format!("<option value=\"{profile}\" selected>")), "the filter stays chosen");
        assert!(page.body.contains("<option value=\"referral\">referral</option>"), "the sources are offered");
        let dina = app.get("/candidates?source=referral").await.body;
        assert!(dina.contains(&format!("/candidates/{referral}")) && dina.contains("No application"));
        let danish = app.get_in("/candidates?sort=activity", "da").await.body;
        assert!(danish.contains("Seneste aktivitet") && danish.contains("Rolle · fase · match"));
    }
}

on_both_backends! {
    async fn chosen_applications_move_from_the_list_and_come_back_to_it(app) {
        let (profile, applications) = profile_with(&app, &["Ane Holm", "Bo Berg"]).await;
        let page = app.get(&format!("/candidates?profile_id={profile}")).await.body;
        assert!(page.contains(&format!("action=\"/profiles/{profile}/pipeline/bulk\"")) && page.contains("name=\"from\" value=\"list\""));
        let cards = [format!("{}:1", applications[0]), format!("{}:1", applications[1])];
        assert!(page.contains(&format!("value=\"{}\"", cards[0])), "each application may be chosen");
        assert!(!app.get("/candidates").await.body.contains("form=\"bulk\""), "without a profile, nothing to choose");

        let fields = [("applications", cards[0].as_str()), ("applications", cards[1].as_str()), ("stage", "rejected"), ("from", "list")];
        let confirm = app.post_form(&format!("/profiles/{profile}/pipeline/bulk"), &fields).await;
        assert_eq!(confirm.status, StatusCode::OK);
        assert!(confirm.body.contains("name=\"from\" value=\"list\"") && confirm.body.contains(&format!("href=\"/candidates?profile_id={profile}\"")));
        let mut confirmed = fields.to_vec();
        confirmed.push(("confirm", "true"));
        let moved = app.post_form(&format!("/profiles/{profile}/pipeline/bulk"), &confirmed).await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
        assert_eq!(moved.location(), format!("/candidates?profile_id={profile}&notice=moved"));
        assert_eq!(api_names(&app, &format!("profile_id={profile}&stage=rejected")).await.len(), 2);
    }
}

#[tokio::test]
async fn a_hiring_manager_lists_only_their_applicants_and_only_their_applications() {
    let app = TestApp::sqlite().await;
    let manager = app.client(Role::HiringManager, "manager@amfit.test").await;
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let owned = with(&profile_json(), json!({ "title": "Owned Role", "hiring_manager_id": manager.user_id }));
    let owned = app.create_profile(company, &owned).await["id"].as_i64().unwrap();
    let other = app.create_profile(company, &with(&profile_json(), json!({ "title": "Other Role" }))).await["id"]
        .as_i64()
        .unwrap();
    let both = candidate(&app, json!({ "name": "Ane Holm", "email": "ane@example.dk" })).await;
    let elsewhere = candidate(&app, json!({ "name": "Bo Berg", "email": "bo@example.dk" })).await;
    for (candidate, profile) in [(both, owned), (both, other), (elsewhere, other)] {
        let applied = app
            .post_json(&format!("/api/v1/candidates/{candidate}/applications"), &json!({ "profile_id": profile }))
            .await;
        assert_eq!(applied.status, StatusCode::CREATED);
    }
    let as_manager = app.as_(&manager);
    let page = as_manager.get("/candidates").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page_names(&page.body), ["Ane Holm"]);
    assert!(
        page.body.contains("Owned Role") && !page.body.contains("Other Role"),
        "another profile's application stays hidden"
    );
    let found = as_manager.get("/api/v1/candidates?q=bo").await;
    assert!(found.json()["items"].as_array().unwrap().is_empty(), "a search finds only their applicants");
    let refused = as_manager.get(&format!("/api/v1/candidates?profile_id={other}")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.rejected_fields(), ["profile_id"]);
}

on_both_backends! {
    async fn a_page_kept_in_memory_gives_way_to_every_change(app) {
        let ida = candidate(&app, json!({ "name": "Ida Holm", "email": "ida@example.dk" })).await;
        assert_eq!(api_names(&app, "sort=name").await, ["Ida Holm"]);
        assert_eq!(api_names(&app, "sort=name").await, ["Ida Holm"], "the same page again");
        candidate(&app, json!({ "name": "Bo Berg", "email": "bo@example.dk" })).await;
        assert_eq!(api_names(&app, "sort=name").await, ["Bo Berg", "Ida Holm"], "a new candidate");
        let renamed = app.get(&format!("/api/v1/candidates/{ida}")).await.json();
        let changed = json!({ "name": "Ida Aagaard", "email": "ida@example.dk", "version": renamed["version"] });
        assert_eq!(app.put_json(&format!("/api/v1/candidates/{ida}"), &changed).await.status, StatusCode::OK);
        assert_eq!(api_names(&app, "sort=name").await, ["Bo Berg", "Ida Aagaard"], "a new name");
        assert_eq!(api_names(&app, "q=holm").await, Vec::<String>::new(), "the old name's word is gone");
        let erased = app.post_json(&format!("/api/v1/candidates/{ida}/erasure"), &json!({})).await;
        assert!(erased.status.is_success(), "{}", erased.body);
        assert_eq!(api_names(&app, "q=aagaard").await, Vec::<String>::new(), "erased, not found");
    }
}
