//! Every list of the API answers a bounded page: `limit` items at most, and the way to the
//! next page in the body and in a `Link` header. (The lists of one application's interviewers,
//! scorecards and decisions, and of a profile's weights, are bounded by what they list.)

use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, company_json, on_both_backends, profile_json, with};

/// The ids of every page from `path` on, following the `Link` header, and how many pages.
async fn follow(app: &TestApp, path: &str) -> (Vec<i64>, usize) {
    let (mut ids, mut pages) = (Vec::new(), 0);
    let mut next = Some(path.to_owned());
    while let Some(path) = next.take() {
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
        let body = page.json();
        // Ad versions are numbered per profile; everything else has an id.
        let id = |item: &serde_json::Value| item["id"].as_i64().or_else(|| item["number"].as_i64()).unwrap();
        ids.extend(body["items"].as_array().unwrap().iter().map(id));
        pages += 1;
        match body["next"].as_str() {
            Some(cursor) => {
                let link = page.header("link");
                assert!(link.contains(&format!("cursor={cursor}")) && link.ends_with(">; rel=\"next\""), "{link}");
                next = Some(link[1..link.find('>').unwrap()].to_owned());
            }
            None => assert!(page.headers.get("link").is_none(), "{path}: no link from the last page"),
        }
    }
    (ids, pages)
}

on_both_backends! {
    async fn companies_profiles_and_applications_come_in_pages(app) {
        let mut companies = Vec::new();
        for n in 0..3 {
            let company = app.create_company(&with(&company_json(), json!({ "name": format!("Firma {n} ApS") }))).await;
            companies.push(company["id"].as_i64().unwrap());
        }
        let company = companies[0];
        let mut profiles = Vec::new();
        for _ in 0..3 {
            profiles.push(app.create_profile(company, &profile_json()).await["id"].as_i64().unwrap());
        }
        let ida = json!({ "name": "Ida Holm", "email": "ida@example.dk" });
        let candidate = app.post_json("/api/v1/candidates", &ida).await.json()["id"].as_i64().unwrap();
        let mut applications = Vec::new();
        for profile in &profiles {
            let path = format!("/api/v1/candidates/{candidate}/applications");
            let applied = app.post_json(&path, &json!({ "profile_id": profile })).await;
            applications.push(applied.json()["id"].as_i64().unwrap());
        }
        let first_profile = profiles[0];
        let mut versions = Vec::new();
        for text in ["Første udkast.", "Andet udkast.", "Tredje udkast."] {
            let saved = app.post_json(&format!("/api/v1/profiles/{first_profile}/ads"), &json!({ "text": text, "language": "da" })).await;
            versions.push(saved.json()["version"]["number"].as_i64().unwrap());
        }
        versions.reverse();
        let lists = [
            ("/api/v1/companies".to_owned(), companies),
            ("/api/v1/profiles".to_owned(), profiles.clone()),
            (format!("/api/v1/companies/{company}/profiles"), profiles),
            (format!("/api/v1/candidates/{candidate}/applications"), applications),
            (format!("/api/v1/profiles/{}/ads", first_profile), versions),
        ];
        for (path, expected) in lists {
            assert_eq!(follow(&app, &format!("{path}?limit=2")).await, (expected.clone(), 2), "{path}");
            assert_eq!(follow(&app, &path).await, (expected, 1), "{path}: 50 to a page when not asked");
            for (query, field) in [("limit=0", "limit"), ("limit=100000", "limit"), ("cursor=%21%21", "cursor")] {
                let refused = app.get(&format!("{path}?{query}")).await;
                assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}?{query}");
                assert_eq!(refused.rejected_fields(), [field], "{path}?{query}");
            }
        }
    }
}
