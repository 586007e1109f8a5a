//! Applying on a job page: a candidate sends the form with a CV and becomes an application the
//! recruiter sees, with its source and documents; every bad submission changes nothing.

use std::io::Write;

use amfit::domain::audit::{AuditAction, AuditFilter};
use amfit::store::ApplicationsOf;
use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{
    TestApp, TestResponse, company_json, dump_database, in_days, on_both_backends, profile_json, with,
};
use crate::jobs::published;

const DANISH: &str = "# Account manager i Aarhus\n\nVi søger en account manager til vores kunder.\n";
pub const CV: &[u8] = include_bytes!("../fixtures/cv.pdf");

/// One part of a multipart body: a field, or a file when it has a file name.
#[derive(Clone, Copy)]
pub struct Part<'a> {
    pub name: &'a str,
    pub file_name: Option<&'a str>,
    pub content: &'a [u8],
}

pub fn field<'a>(name: &'a str, value: &'a str) -> Part<'a> {
    Part { name, file_name: None, content: value.as_bytes() }
}

pub fn file<'a>(name: &'a str, file_name: &'a str, content: &'a [u8]) -> Part<'a> {
    Part { name, file_name: Some(file_name), content }
}

const BOUNDARY: &str = "amfit-test-boundary-7d1f";

/// The parts as a `multipart/form-data` body, as a browser sends a form.
pub fn multipart(parts: &[Part<'_>]) -> Vec<u8> {
    multipart_with(parts, BOUNDARY)
}

/// The parts as a `multipart/form-data` body between `boundary`s.
fn multipart_with(parts: &[Part<'_>], boundary: &str) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        write!(body, "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"", part.name).unwrap();
        match part.file_name {
            Some(file_name) => {
                write!(body, "; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").unwrap()
            }
            None => body.extend_from_slice(b"\r\n\r\n"),
        }
        body.extend_from_slice(part.content);
        body.extend_from_slice(b"\r\n");
    }
    write!(body, "--{boundary}--\r\n").unwrap();
    body
}

/// Posts the parts to `/jobs/{slug}/apply` as nobody.
pub async fn apply(app: &TestApp, slug: &str, parts: &[Part<'_>]) -> TestResponse {
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let headers = [("content-type", content_type.as_str())];
    app.anonymous().send(Method::POST, &format!("/jobs/{slug}/apply"), &headers, multipart(parts)).await
}

/// A company with a profile whose Danish ad is published; the profile's id and the slug.
pub async fn open_job(app: &TestApp) -> (i64, String) {
    let company = app.create_company(&company_json()).await["id"].as_i64().unwrap();
    let body = with(&profile_json(), json!({ "application_deadline": in_days(30) }));
    let profile = app.create_profile(company, &body).await["id"].as_i64().unwrap();
    let slug =
        published(app, profile, DANISH, "da", json!({ "slug": "account-manager-aarhus", "until": in_days(20) })).await;
    (profile, slug)
}

/// A PDF of one page whose content stream inflates to `inflated` bytes of text-drawing
/// operators, from a stream a thousandth of that: what a "PDF bomb" is.
pub fn pdf_bomb(inflated: usize) -> Vec<u8> {
    let operators = b"BT /F1 12 Tf 72 712 Td (Account manager) Tj ET\n";
    let chunk: Vec<u8> = operators.iter().copied().cycle().take(1024 * 1024).collect();
    let mut stream = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    for _ in 0..inflated / chunk.len() {
        stream.write_all(&chunk).unwrap();
    }
    let stream = stream.finish().unwrap();
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
           /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_vec(),
        [format!("<< /Length {} /Filter /FlateDecode >>\nstream\n", stream.len()).as_bytes(), &stream, b"\nendstream"]
            .concat(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (number, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", number + 1).as_bytes());
        pdf.extend_from_slice(object);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    write!(pdf, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).unwrap();
    for offset in offsets {
        writeln!(pdf, "{offset:010} 00000 n ").unwrap();
    }
    write!(pdf, "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).unwrap();
    pdf
}

/// A Word document whose body is `xml`.
fn docx(xml: &[u8]) -> Vec<u8> {
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    archive.start_file("[Content_Types].xml", options).unwrap();
    archive.write_all(b"<Types/>").unwrap();
    archive.start_file("word/document.xml", options).unwrap();
    archive.write_all(xml).unwrap();
    archive.finish().unwrap().into_inner()
}

async fn candidate_count(app: &TestApp) -> usize {
    app.store.list_candidates().await.unwrap().len()
}

fn only(action: AuditAction) -> AuditFilter {
    AuditFilter { action: Some(action), ..AuditFilter::default() }
}

on_both_backends! {
    async fn a_candidate_applies_with_a_cv_and_the_recruiter_sees_the_application(app) {
        let (profile, slug) = open_job(&app).await;
        let page = app.anonymous().get(&format!("/jobs/{slug}?source=linkedin")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("enctype=\"multipart/form-data\"") && page.body.contains("Send ansøgning"), "the form, in the ad's language");
        assert!(page.body.contains("name=\"source\" value=\"linkedin\""), "the link's source rides along");
        assert!(page.body.contains("name=\"talent_pool\" value=\"true\" aria-describedby=\"hint-talent_pool\">"), "the consent starts unticked");

        let letter = docx(b"<w:document><w:body><w:p><w:r><w:t>Anbefaling fra Nordlys</w:t></w:r></w:p></w:body></w:document>");
        let sent = apply(&app, &slug, &[
            field("name", "Sofie Quetzal"),
            field("email", "Sofie.Q@Example.dk"),
            field("phone", "+45 20 30 40 50"),
            field("message", "Jeg har passet nøglekunder i syv år."),
            field("source", "linkedin"),
            file("cv", "Sofie CV.pdf", CV),
            file("documents", "anbefaling.docx", &letter),
            file("documents", "", b""),
        ]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        assert_eq!(sent.location(), format!("/jobs/{slug}/applied"));
        let thanks = app.anonymous().get(sent.location()).await;
        assert_eq!(thanks.status, StatusCode::OK);
        assert!(thanks.body.contains("Tak for din ansøgning") && thanks.body.contains("efter ansøgningsfristen"), "{}", thanks.body);
        assert!(!thanks.body.contains("Sofie"), "the confirmation names nobody: anyone may open it");

        let candidates = app.store.list_candidates().await.unwrap();
        assert_eq!(candidates.len(), 1);
        let candidate = &candidates[0].candidate;
        assert_eq!((candidate.details.name.as_str(), candidate.details.email.as_str()), ("Sofie Quetzal", "sofie.q@example.dk"));
        assert_eq!(candidate.details.talent_pool, None, "not ticked, not given");
        let applications = app.store.list_applications(ApplicationsOf::Profile(profile)).await.unwrap();
        let application = &applications[0].application;
        assert_eq!(application.source.as_deref(), Some("linkedin"));
        assert_eq!(application.message.as_deref(), Some("Jeg har passet nøglekunder i syv år."));
        assert!(application.seen_at.is_none(), "new until a recruiter opens it");
        assert_eq!(application.history[0].changed_by, None, "the candidate applied: no user moved it");
        let documents = app.store.list_documents(candidate.id).await.unwrap();
        let names: Vec<&str> = documents.iter().map(|d| d.file_name.as_str()).collect();
        assert_eq!(names, ["Sofie CV.pdf", "anbefaling.docx"], "the empty file input sent no document");
        assert_eq!(documents[0].size, CV.len() as i64);
        let (_, bytes) = app.store.read_document(candidate.id, documents[0].id).await.unwrap();
        assert_eq!(bytes, CV, "the CV comes back byte for byte");
        let trail = app.trail(&only(AuditAction::ReceiveApplication)).await;
        assert_eq!((trail.len(), trail[0].subject_id, trail[0].actor_id), (1, application.id, None));
        assert!(!trail[0].detail.contains("Sofie"), "no personal data on the trail");

        // The same address again, in other letters: a new candidate, marked as a possible
        // duplicate (tests/app/duplicates.rs has the rest).
        let again = apply(&app, &slug, &[field("name", "S. Quetzal"), field("email", "sofie.q@EXAMPLE.dk"), file("cv", "cv2.pdf", CV)]).await;
        assert_eq!(again.location(), format!("/jobs/{slug}/applied"));
        let newer = app.store.possible_duplicates_of(candidate.id).await.unwrap();
        assert_eq!(newer.len(), 1);
        assert_eq!(app.store.get_candidate(candidate.id).await.unwrap(), *candidate, "the known candidate is untouched");
    }
}

on_both_backends! {
    async fn an_erased_candidates_address_applies_as_someone_new(app) {
        let (_, slug) = open_job(&app).await;
        let sent = apply(&app, &slug, &[field("name", "Ida Berg"), field("email", "ida@example.dk"), field("talent_pool", "true"), file("cv", "cv.pdf", CV)]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let first = app.store.list_candidates().await.unwrap()[0].candidate.clone();
        let consent = first.details.talent_pool.expect("ticked: consent given for 12 months");
        assert_eq!((consent.given_on.to_string(), consent.until > consent.given_on), (in_days(0), true));
        let erased = app.post_json(&format!("/api/v1/candidates/{}/erasure", first.id), &json!({})).await;
        assert_eq!(erased.status, StatusCode::OK);
        let again = apply(&app, &slug, &[field("name", "Ida Berg"), field("email", "ida@example.dk"), file("cv", "cv.pdf", CV)]).await;
        assert_eq!(again.location(), format!("/jobs/{slug}/applied"), "a new application, not the erased one's");
        assert_eq!(candidate_count(&app).await, 2);
    }
}

on_both_backends! {
    async fn a_bad_application_says_what_is_wrong_and_keeps_nothing(app) {
        let (_, slug) = open_job(&app).await;
        let typed = apply(&app, &slug, &[field("name", " "), field("email", "ikke en adresse"), field("phone", "+45 1234 5678"), field("message", "Hej"), file("cv", "cv.pdf", CV)]).await;
        assert_eq!(typed.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(typed.body.contains("value=\"ikke en adresse\"") && typed.body.contains(">Hej</textarea>"), "what was typed is kept");
        assert!(typed.body.contains("vælg dit CV og eventuelle andre dokumenter igen"), "files must be chosen again");
        assert!(typed.body.contains("href=\"#field-name\"") && typed.body.contains("href=\"#field-email\""), "{}", typed.body);

        let html = b"<!doctype html><html><script>alert(document.cookie)</script></html>";
        let program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff";
        let cases: Vec<(&str, Vec<Part<'_>>, &str)> = vec![
            ("no CV", vec![], "cv"),
            ("HTML called .pdf", vec![file("cv", "cv.pdf", html)], "cv"),
            ("a renamed program", vec![file("cv", "cv.pdf", program)], "cv"),
            ("an HTML letter", vec![file("cv", "cv.pdf", CV), file("documents", "letter.pdf", html)], "documents"),
            ("four other documents", vec![file("cv", "cv.pdf", CV), file("documents", "1.pdf", CV), file("documents", "2.pdf", CV), file("documents", "3.pdf", CV), file("documents", "4.pdf", CV)], "documents"),
        ];
        for (case, files, field_named) in cases {
            let mut parts = vec![field("name", "Bo Bad"), field("email", "bo@example.dk")];
            parts.extend(files);
            let refused = apply(&app, &slug, &parts).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{case}: {}", refused.body);
            assert!(refused.body.contains(&format!("href=\"#field-{field_named}\"")), "{case} names {field_named}");
        }

        // A 30 MB file is refused as it streams in, past its 10 MB.
        let huge = vec![b'%'; 30 * 1024 * 1024];
        let too_large = apply(&app, &slug, &[field("name", "Bo Big"), field("email", "bo@example.dk"), file("cv", "cv.pdf", &huge)]).await;
        assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(too_large.body.contains("højst fylde 10 MB"), "{}", too_large.body);

        let not_multipart = app.anonymous().send(Method::POST, &format!("/jobs/{slug}/apply"), &[("content-type", "application/x-www-form-urlencoded")], "name=x").await;
        assert_eq!(not_multipart.status, StatusCode::BAD_REQUEST);
        for gone in ["no-such-job", "Not_A_Slug"] {
            assert_eq!(apply(&app, gone, &[field("name", "X")]).await.status, StatusCode::NOT_FOUND, "{gone}");
        }
        assert_eq!(candidate_count(&app).await, 0, "nothing was kept of any of them");
        assert!(app.trail(&only(AuditAction::ReceiveApplication)).await.is_empty());
    }
}

on_both_backends! {
    async fn a_document_too_large_to_read_is_kept_and_said_to_be_unread(app) {
        let (_, slug) = open_job(&app).await;
        let pdf = pdf_bomb(512 * 1024 * 1024);
        assert!(pdf.len() < 2 * 1024 * 1024, "a PDF bomb is small: {} bytes", pdf.len());
        let mut docx_body = b"<w:document><w:body><w:p><w:r><w:t>".to_vec();
        docx_body.resize(40 * 1024 * 1024, b'a');
        let docx_bomb = docx(&docx_body);
        assert!(docx_bomb.len() < 1024 * 1024, "a Word bomb is small: {} bytes", docx_bomb.len());
        let sent = apply(&app, &slug, &[
            field("name", "Bo Bomb"),
            field("email", "bo@example.dk"),
            file("cv", "cv.pdf", &pdf),
            file("documents", "letter.docx", &docx_bomb),
            file("documents", "real.pdf", CV),
        ]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "accepted: {}", sent.body);
        let candidate = app.store.list_candidates().await.unwrap()[0].candidate.id;
        let listed = app.get(&format!("/api/v1/candidates/{candidate}/documents")).await.json();
        let states: Vec<(&str, &str)> = listed.as_array().unwrap().iter()
            .map(|d| (d["file_name"].as_str().unwrap(), d["text"].as_str().unwrap()))
            .collect();
        assert_eq!(states, [("cv.pdf", "too_large"), ("letter.docx", "too_large"), ("real.pdf", "indexed")]);
        let kept = app.get(&format!("/api/v1/candidates/{candidate}/documents/{}", listed[0]["id"])).await;
        assert_eq!(kept.bytes, pdf, "the document itself is kept whole");
        let page = app.get(&format!("/candidates/{candidate}")).await.body;
        assert_eq!(page.matches("not indexed (too large to read)").count(), 2, "the recruiter is told");
        let danish = app.get_in(&format!("/candidates/{candidate}"), "da").await.body;
        assert!(danish.contains("ikke indekseret (for stor til at læse)"));
        let found = app.get("/api/v1/candidates?q=Quetzalkoatlfjer").await.json();
        assert_eq!(found["items"].as_array().unwrap().len(), 1, "the readable document is searched");
    }
}

/// A multipart body that sends its first part and then nothing more, for ever.
fn stalled_body() -> axum::body::Body {
    use futures_util::StreamExt;
    let first = multipart(&[field("name", "Sam Slow")]);
    let head = first[..first.len() - format!("--{BOUNDARY}--\r\n").len()].to_vec();
    let stream = futures_util::stream::iter([Ok::<_, std::io::Error>(head)]).chain(futures_util::stream::pending());
    axum::body::Body::from_stream(stream)
}

async fn apply_with_body(app: &TestApp, slug: &str, body: axum::body::Body) -> TestResponse {
    let request = axum::http::Request::post(format!("/jobs/{slug}/apply"))
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(body)
        .unwrap();
    app.request(request).await
}

#[tokio::test]
async fn a_body_that_stalls_is_cut_off_and_a_flood_is_refused_before_it_is_read() {
    use std::time::{Duration, Instant};
    // Long enough that an answer before it was surely not waiting for the body.
    const BODY_TIME: Duration = Duration::from_secs(4);
    let in_flight = std::sync::Arc::new(tokio::sync::Semaphore::new(2));
    let app = TestApp::configured(|state| {
        state.request_body_time = BODY_TIME;
        state.applications_in_flight = in_flight.clone();
    })
    .await;
    let (_, slug) = open_job(&app).await;
    let started = Instant::now();
    let cut_off = apply_with_body(&app, &slug, stalled_body()).await;
    assert_eq!(cut_off.status, StatusCode::REQUEST_TIMEOUT, "{}", cut_off.body);
    assert!((BODY_TIME..BODY_TIME * 3).contains(&started.elapsed()), "cut off at its time: {:?}", started.elapsed());
    assert!(cut_off.body.contains("The form took too long to arrive"), "{}", cut_off.body);
    // Every body has the same time, read by a handler's extractor or by a layer before it.
    for key in [None, Some("stalled-1")] {
        use futures_util::StreamExt;
        let json = futures_util::stream::iter([Ok::<_, std::io::Error>(b"{\"name\": \"Sam".to_vec())])
            .chain(futures_util::stream::pending());
        let mut headers = vec![("content-type", "application/json")];
        headers.extend(key.map(|key| ("idempotency-key", key)));
        let api =
            app.admin().send(Method::POST, "/api/v1/candidates", &headers, axum::body::Body::from_stream(json)).await;
        assert_eq!(api.status, StatusCode::REQUEST_TIMEOUT, "{key:?}: {}", api.body);
        assert_eq!(api.header("content-type"), "application/problem+json");
    }

    // Two bodies stall in flight; the third is refused at once, unread.
    let stalled: Vec<_> = (0..2)
        .map(|_| {
            let (app, slug) = (&app, slug.clone());
            async move { apply_with_body(app, &slug, stalled_body()).await }
        })
        .collect();
    let refused = async {
        // Bounded: a stalled body that never took its place, or one that was let go before
        // this saw both taken, would otherwise keep this waiting for ever.
        let both_taken = async {
            while in_flight.available_permits() > 0 {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        };
        tokio::time::timeout(BODY_TIME, both_taken).await.expect("both stalled bodies in flight before their time");
        let started = Instant::now();
        let answer = apply_with_body(&app, &slug, stalled_body()).await;
        (answer, started.elapsed())
    };
    let (stalled, (busy, waited)) = tokio::join!(futures_util::future::join_all(stalled), refused);
    assert_eq!(busy.status, StatusCode::SERVICE_UNAVAILABLE, "{}", busy.body);
    assert_eq!(busy.header("retry-after"), "5");
    assert!(waited < BODY_TIME / 2, "at once, not after reading: {waited:?}");
    assert!(stalled.iter().all(|answer| answer.status == StatusCode::REQUEST_TIMEOUT));
    assert_eq!(in_flight.available_permits(), 2, "every body let go");
    assert_eq!(candidate_count(&app).await, 0);
}

on_both_backends! {
    async fn robots_and_floods_are_turned_away(app) {
        let (_, slug) = open_job(&app).await;
        let robot = apply(&app, &slug, &[field("name", "Spam Bot"), field("email", "bot@example.dk"), field("website", "http://spam.example"), file("cv", "cv.pdf", CV)]).await;
        assert_eq!(robot.location(), format!("/jobs/{slug}/applied"), "answered as if received");
        assert_eq!(candidate_count(&app).await, 0, "but not kept");

        // The robot's try counted: nine more from the same address pass, the eleventh does not.
        for n in 0..9 {
            let email = format!("person{n}@example.dk");
            let sent = apply(&app, &slug, &[field("name", "Flood Person"), field("email", &email), file("cv", "cv.pdf", CV)]).await;
            assert_eq!(sent.status, StatusCode::SEE_OTHER, "application {n}: {}", sent.body);
        }
        let refused = apply(&app, &slug, &[field("name", "One Too Many"), field("email", "more@example.dk"), file("cv", "cv.pdf", CV)]).await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(refused.header("retry-after"), "3600");
        let started = std::time::Instant::now();
        let unread = apply_with_body(&app, &slug, stalled_body()).await;
        assert_eq!(unread.status, StatusCode::TOO_MANY_REQUESTS, "refused before its body is read");
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "not after the body's minute");
        assert_eq!(candidate_count(&app).await, 9);
    }
}

on_both_backends! {
    async fn a_closed_or_withdrawn_job_takes_no_application(app) {
        let (profile, slug) = open_job(&app).await;
        let later = published(&app, profile, DANISH, "da", json!({ "slug": "account-manager-later", "from": in_days(5) })).await;
        let closed = apply(&app, &later, &[field("name", "Ane"), field("email", "ane@example.dk"), file("cv", "cv.pdf", CV)]).await;
        assert_eq!(closed.status, StatusCode::GONE);
        assert!(closed.body.contains(&format!("href=\"/jobs/{slug}\"")), "the company's open jobs instead");
        assert_eq!(app.delete(&format!("/api/v1/profiles/{profile}/ads/1/publication")).await.status, StatusCode::NO_CONTENT);
        let withdrawn = apply(&app, &slug, &[field("name", "Ane"), field("email", "ane@example.dk"), file("cv", "cv.pdf", CV)]).await;
        assert_eq!(withdrawn.status, StatusCode::NOT_FOUND);
        assert_eq!(candidate_count(&app).await, 0);
    }
}

on_both_backends! {
    async fn erasure_leaves_no_byte_of_the_cv_and_no_word_of_its_text(app) {
        let (_, slug) = open_job(&app).await;
        let sent = apply(&app, &slug, &[field("name", "Vera Quetzal"), field("email", "vera@example.dk"), field("message", "Ring gerne efter kl. 16."), file("cv", "cv.pdf", CV)]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
        let id = app.store.list_candidates().await.unwrap()[0].candidate.id;
        // A run of the file's bytes that only it has: the content stream's text.
        let marker = b"(Marker word for the erasure test: Quetzalkoatlfjer) Tj";
        let hex: String = marker.iter().map(|b| format!("{b:02x}")).collect();
        let before = dump_database(&app.database_url).await.to_lowercase();
        assert!(before.contains(&hex), "the dump sees the CV's bytes");
        assert!(before.contains("quetzalkoatlfjer"), "and its text");

        let erased = app.post_json(&format!("/api/v1/candidates/{id}/erasure"), &json!({})).await;
        assert_eq!(erased.status, StatusCode::OK, "{}", erased.body);
        let dump = dump_database(&app.database_url).await.to_lowercase();
        for gone in [hex.as_str(), "quetzalkoatlfjer", "quetzal", "ring gerne"] {
            assert!(!dump.contains(gone), "{gone} is still in the database");
        }
        assert!(app.store.list_documents(id).await.unwrap().is_empty());
        if let Some(file) = app.database_url.strip_prefix("sqlite:") {
            crate::helpers::execute_sql(&app.database_url, "PRAGMA wal_checkpoint(TRUNCATE)").await.unwrap();
            let bytes = std::fs::read(file).unwrap();
            assert!(!bytes.windows(marker.len()).any(|w| w == marker), "the CV is not in the file's free space");
            // The search index held its words: they leave with it, not at a later merge.
            let word = b"koatlfjer";
            assert!(!bytes.windows(word.len()).any(|w| w == word), "the CV's words are not in the search index");
        }
    }
}

on_both_backends! {
    async fn the_recruiter_finds_new_applications_with_their_source_and_documents(app) {
        let (profile, slug) = open_job(&app).await;
        let letter = docx(b"<w:document><w:body><w:p><w:r><w:t>Anbefaling</w:t></w:r></w:p></w:body></w:document>");
        let sent = apply(&app, &slug, &[field("name", "Nanna Holm"), field("email", "nanna@example.dk"), field("source", "jobindex"), field("message", "Hej <b>der</b>"), file("cv", "Nanna æ CV.pdf", CV), file("documents", "anbefaling.docx", &letter)]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let id = app.store.list_candidates().await.unwrap()[0].candidate.id;

        let on_profile = app.get(&format!("/profiles/{profile}")).await.body;
        let row = on_profile.split("<tr>").find(|row| row.contains("Nanna Holm")).expect("the profile lists the application");
        assert!(row.contains("badge new") && row.contains("jobindex"), "new, with its source: {row}");
        let listed = app.get("/candidates").await.body;
        let row = listed.split("<tr>").find(|row| row.contains("Nanna Holm")).unwrap();
        assert!(row.contains("badge new") && row.contains("jobindex"), "{row}");

        let page = app.get(&format!("/candidates/{id}")).await.body;
        assert!(page.contains("badge new"), "the page still shows what was new when it was opened");
        assert!(page.contains("Hej &#60;b&#62;der&#60;/b&#62;") || page.contains("Hej &lt;b&gt;der&lt;/b&gt;"), "the message, escaped");
        let documents = app.store.list_documents(id).await.unwrap();
        let cv_href = format!("/candidates/{id}/documents/{}", documents[0].id);
        assert!(page.contains(&format!("href=\"{cv_href}\" download>Nanna æ CV.pdf</a>")), "{page}");
        assert!(page.contains(&format!("href=\"{cv_href}?view=inline\"")), "a PDF can be read in the browser");
        assert!(!page.contains(&format!("/documents/{}?view=inline", documents[1].id)), "a Word document only downloads");
        assert!(!app.get(&format!("/profiles/{profile}")).await.body.contains("badge new"), "opened: no longer new");
        assert!(!app.get("/candidates").await.body.contains("badge new"));

        let download = app.get(&cv_href).await;
        assert_eq!(download.status, StatusCode::OK);
        assert_eq!(download.header("content-type"), "application/pdf");
        assert_eq!(download.header("content-disposition"), "attachment; filename=\"Nanna _ CV.pdf\"; filename*=UTF-8''Nanna%20%C3%A6%20CV%2Epdf");
        assert_eq!(download.header("x-content-type-options"), "nosniff");
        assert_eq!(download.bytes, CV);
        assert!(app.get(&format!("{cv_href}?view=inline")).await.header("content-disposition").starts_with("inline;"));
        let word = app.get(&format!("/candidates/{id}/documents/{}?view=inline", documents[1].id)).await;
        assert!(word.header("content-type").starts_with("application/vnd.openxmlformats"));
        assert!(word.header("content-disposition").starts_with("attachment;"), "only a PDF is ever shown inline");
        let viewed = app.trail(&AuditFilter { action: Some(AuditAction::ViewCandidate), ..AuditFilter::default() }).await;
        assert!(viewed.iter().any(|e| e.detail == format!("document {}", documents[0].id)), "reading a CV is on the trail");

        let api = app.get(&format!("/api/v1/candidates/{id}/documents")).await;
        assert_eq!(api.status, StatusCode::OK);
        assert_eq!(api.json().as_array().unwrap().len(), 2);
        assert_eq!(api.json()[0]["kind"], "cv");
        let api_file = app.get(&format!("/api/v1/candidates/{id}/documents/{}", documents[0].id)).await;
        assert_eq!((api_file.status, api_file.bytes.as_slice()), (StatusCode::OK, CV));
        for missing in [format!("/candidates/{id}/documents/999"), format!("/candidates/{}/documents/{}", id + 1, documents[0].id), format!("/candidates/{id}/documents/x"), format!("/api/v1/candidates/{id}/documents/999")] {
            assert_eq!(app.get(&missing).await.status, StatusCode::NOT_FOUND, "{missing}");
        }
        let interviewer = app.client(amfit::domain::user::Role::Interviewer, "iv@amfit.test").await;
        assert_eq!(app.as_(&interviewer).get(&cv_href).await.status, StatusCode::FORBIDDEN);
        let manager = app.client(amfit::domain::user::Role::HiringManager, "hm@amfit.test").await;
        assert_eq!(app.as_(&manager).get(&cv_href).await.status, StatusCode::FORBIDDEN, "not the manager of this profile");

        // The access request's export holds the data and every document.
        let export = app.get(&format!("/candidates/{id}/export")).await;
        assert_eq!(export.status, StatusCode::OK);
        assert_eq!(export.header("content-type"), "application/zip");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(export.bytes)).unwrap();
        let names: Vec<String> = archive.file_names().map(|name| name.unwrap().into_owned()).collect();
        assert!(names.contains(&format!("candidate-{id}.json")), "{names:?}");
        let cv_entry = format!("documents/{}-Nanna æ CV.pdf", documents[0].id);
        assert!(names.contains(&cv_entry), "{names:?}");
        let mut inside = Vec::new();
        std::io::Read::read_to_end(&mut archive.by_name(&cv_entry).unwrap(), &mut inside).unwrap();
        assert_eq!(inside, CV);
        let mut json = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(&format!("candidate-{id}.json")).unwrap(), &mut json).unwrap();
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(json["documents"].as_array().unwrap().len(), 2);
        assert_eq!(json["applications"][0]["source"], "jobindex");
    }
}

on_both_backends! {
    async fn a_recruiter_adds_a_document_to_a_candidate_through_the_api(app) {
        use amfit::domain::user::Role;
        let (_, slug) = open_job(&app).await;
        let sent = apply(&app, &slug, &[field("name", "Sofie Nielsen"), field("email", "sofie@example.dk"), file("cv", "cv.pdf", CV)]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let listed = app.get("/api/v1/candidates").await.json();
        let candidate = listed["items"][0]["id"].as_i64().unwrap();
        let application = app.get(&format!("/api/v1/candidates/{candidate}/applications")).await.json()["items"][0]["id"].as_i64().unwrap();
        let path = format!("/api/v1/candidates/{candidate}/documents");
        let count = || async { app.get(&format!("/api/v1/candidates/{candidate}/documents")).await.json().as_array().unwrap().len() };
        assert_eq!(count().await, 1, "the CV sent with the application");

        // Every refusal names its field and adds nothing.
        let refused = upload(&app, None, &path, &[field("kind", "photo")]).await;
        assert_eq!(refused.rejected_fields(), ["kind", "file"]);
        let not_a_document = upload(&app, None, &path, &[field("kind", "other"), file("file", "notes.pdf", b"just text, named .pdf")]).await;
        assert_eq!(not_a_document.json()["errors"][0]["code"], "not_a_document", "{}", not_a_document.body);
        let someone_elses = upload(&app, None, &path, &[field("kind", "cv"), field("application_id", "999999"), file("file", "cv.pdf", CV)]).await;
        assert_eq!(someone_elses.rejected_fields(), ["application_id"]);
        let too_large = vec![b'%'; 10 * 1024 * 1024 + 1];
        let big = upload(&app, None, &path, &[field("kind", "other"), file("file", "big.pdf", &too_large)]).await;
        assert_eq!(big.json()["errors"][0]["code"], "document_too_large", "{}", big.body);
        let long_kind = "c".repeat(65);
        let refused = upload(&app, None, &path, &[field("kind", &long_kind), file("file", "cv.pdf", CV)]).await;
        assert_eq!((refused.rejected_fields(), refused.json()["errors"][0]["code"].clone()), (vec!["kind".to_owned()], json!("too_long")));
        let twice = upload(&app, None, &path, &[field("kind", "cv"), file("file", "cv.pdf", CV), file("file", "cv2.pdf", CV)]).await;
        assert_eq!(twice.status, StatusCode::BAD_REQUEST, "one file an upload");
        let empty_input = upload(&app, None, &path, &[field("kind", "cv"), file("file", "", b"")]).await;
        assert_eq!(empty_input.rejected_fields(), ["file"], "an empty file input is no file");
        let manager = app.client(Role::HiringManager, "manager@amfit.test").await;
        assert_eq!(upload(&app, Some(&manager), &path, &[field("kind", "cv"), file("file", "cv.pdf", CV)]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(count().await, 1);

        let application_id = application.to_string();
        let added = upload(&app, None, &path, &[field("kind", "other"), field("application_id", &application_id), file("file", "Reference letter.pdf", CV)]).await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
        let document = added.json();
        assert_eq!((&document["kind"], &document["application_id"], &document["format"]), (&json!("other"), &json!(application), &json!("pdf")));
        assert_eq!(added.header("location"), format!("{path}/{}", document["id"]));
        let stored = app.get(added.header("location")).await;
        assert_eq!((stored.status, stored.header("content-type")), (StatusCode::OK, "application/pdf"));
        assert_eq!(document["size"], CV.len(), "stored as sent");
        assert_eq!(count().await, 2);
        let trail = app.trail(&AuditFilter { action: Some(AuditAction::AddDocument), ..Default::default() }).await;
        assert_eq!(trail.iter().map(|e| e.detail.as_str()).collect::<Vec<_>>(), ["document added: other"]);

        // A retry-safe upload past the router's 512 KB: the key's layer holds it to the upload's limit.
        let mut padded = CV.to_vec();
        padded.resize(600 * 1024, b' ');
        let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
        let body = multipart(&[field("kind", "other"), file("file", "Portfolio.pdf", &padded)]);
        let headers = [("content-type", content_type.as_str()), ("idempotency-key", "portfolio-upload-1")];
        let keyed = app.admin().send(Method::POST, &path, &headers, body.clone()).await;
        assert_eq!(keyed.status, StatusCode::CREATED, "{}", keyed.body);
        let again = app.admin().send(Method::POST, &path, &headers, body).await;
        assert_eq!((again.status, again.header("idempotent-replayed")), (StatusCode::CREATED, "true"));
        assert_eq!(count().await, 3, "once");

        assert!(app.post_json(&format!("/api/v1/candidates/{candidate}/erasure"), &json!({})).await.status.is_success());
        assert_eq!(upload(&app, None, &path, &[field("kind", "cv"), file("file", "cv.pdf", CV)]).await.status, StatusCode::CONFLICT);
    }
}

/// `parts` sent as a multipart body to `path`, by `who` (the administrator without one).
async fn upload(app: &TestApp, who: Option<&crate::helpers::Client>, path: &str, parts: &[Part<'_>]) -> TestResponse {
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let caller = match who {
        Some(client) => app.as_(client),
        None => app.admin(),
    };
    caller.send(Method::POST, path, &[("content-type", content_type.as_str())], multipart(parts)).await
}

on_both_backends! {
    async fn a_careers_site_sends_a_complete_application_through_the_api(app) {
        use amfit::domain::user::Role;
        let (profile, slug) = open_job(&app).await;
        let path = format!("/api/v1/jobs/{slug}/applications");

        // Every refusal names its fields, or says what is wrong with the request, and keeps nothing.
        let refused = upload(&app, None, &path, &[field("email", "ikke en adresse"), file("cv", "cv.pdf", b"plain text")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        let mut named = refused.rejected_fields();
        named.sort();
        assert_eq!(named, ["cv", "email", "name"]);
        let no_cv = upload(&app, None, &path, &[field("name", "Bo"), field("email", "bo@example.dk")]).await;
        assert_eq!(no_cv.rejected_fields(), ["cv"]);
        let four = [file("cv", "cv.pdf", CV), file("documents", "1.pdf", CV), file("documents", "2.pdf", CV), file("documents", "3.pdf", CV), file("documents", "4.pdf", CV)];
        let mut parts = vec![field("name", "Bo"), field("email", "bo@example.dk")];
        parts.extend(four);
        assert_eq!(upload(&app, None, &path, &parts).await.rejected_fields(), ["documents"]);
        let big = vec![b'%'; 10 * 1024 * 1024 + 1];
        let too_large = upload(&app, None, &path, &[field("name", "Bo"), field("email", "bo@example.dk"), file("cv", "cv.pdf", &big)]).await;
        assert_eq!(too_large.json()["errors"][0]["code"], "document_too_large", "{}", too_large.body);
        // Files each within 10 MB, together past the body's 20.25 MB.
        let almost = vec![b'%'; 10 * 1024 * 1024 - 1];
        let one_more = vec![b'%'; 1024 * 1024];
        let files = [file("cv", "cv.pdf", &almost), file("documents", "a.pdf", &almost), file("documents", "b.pdf", &one_more)];
        let mut parts = vec![field("name", "Bo"), field("email", "bo@example.dk")];
        parts.extend(files);
        assert_eq!(upload(&app, None, &path, &parts).await.status, StatusCode::PAYLOAD_TOO_LARGE);
        let long_message = "n".repeat(400 * 1024);
        let long = upload(&app, None, &path, &[field("name", "Bo"), field("message", &long_message)]).await;
        assert_eq!((long.rejected_fields(), long.json()["errors"][0]["code"].clone()), (vec!["message".to_owned()], json!("too_long")));
        let neither = upload(&app, None, &path, &[field("name", "Bo"), field("email", "bo@example.dk"), field("talent_pool", "maybe"), file("cv", "cv.pdf", CV)]).await;
        assert_eq!(neither.rejected_fields(), ["talent_pool"], "no consent is read into a value that says neither");
        let strays = [field("name", "Bo"), field("email", "bo@example.dk"), file("cv", "cv.pdf", CV), file("cv", "cv2.pdf", CV), file("documents[]", "letter.pdf", CV)];
        let mut named = upload(&app, None, &path, &strays).await.rejected_fields();
        named.sort();
        assert_eq!(named, ["cv", "documents[]"], "a part under another name, or a second CV, is not lost without a word");
        for gone in ["no-such-job", "Not_A_Slug"] {
            let answer = upload(&app, None, &format!("/api/v1/jobs/{gone}/applications"), &[field("name", "X")]).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{gone}");
        }
        let interviewer = app.client(Role::Interviewer, "ivan@amfit.test").await;
        let manager = app.client(Role::HiringManager, "mette@amfit.test").await;
        let complete = [field("name", "Bo"), field("email", "bo@example.dk"), file("cv", "cv.pdf", CV)];
        for caller in [&interviewer, &manager] {
            assert_eq!(upload(&app, Some(caller), &path, &complete).await.status, StatusCode::FORBIDDEN);
        }
        // One who may not send it has a keyed body held to an ordinary upload's size.
        let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
        let keyed = [("content-type", content_type.as_str()), ("idempotency-key", "not-mine-1")];
        let over_ten = [field("name", "Bo"), file("cv", "cv.pdf", &almost), file("documents", "a.pdf", &one_more)];
        let held = app.as_(&interviewer).send(Method::POST, &path, &keyed, multipart(&over_ten)).await;
        assert_eq!(held.status, StatusCode::PAYLOAD_TOO_LARGE);
        let anonymous = app.anonymous().send(Method::POST, &path, &[("content-type", content_type.as_str())], multipart(&complete)).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
        assert_eq!(candidate_count(&app).await, 0, "nothing was kept of any of them");

        // A complete one: details, source, message, the CV and another document, retry-safe.
        let message = "Jeg har seks års erfaring med små erhvervskunder og glæder mig til at høre fra jer.";
        let parts = [
            field("name", "Sofie Nielsen"),
            field("email", "sofie@example.dk"),
            field("phone", "+45 12 34 56 78"),
            field("source", "Jobnet"),
            field("message", message),
            file("cv", "Sofie Nielsen CV.pdf", CV),
            file("documents", "Reference.pdf", CV),
        ];
        let headers = [("content-type", content_type.as_str()), ("idempotency-key", "jobnet-4711")];
        let sent = app.admin().send(Method::POST, &path, &headers, multipart(&parts)).await;
        assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
        // A retry built anew has a boundary of its own: still the same request.
        let rebuilt = "retry-boundary-93c2";
        let retry_type = format!("multipart/form-data; boundary=\"{rebuilt}\"");
        let retry_headers = [("content-type", retry_type.as_str()), ("idempotency-key", "jobnet-4711")];
        let again = app.admin().send(Method::POST, &path, &retry_headers, multipart_with(&parts, rebuilt)).await;
        assert_eq!((again.status, again.header("idempotent-replayed"), &again.body), (StatusCode::CREATED, "true", &sent.body));
        let mut changed = parts.to_vec();
        changed[1] = field("email", "someone.else@example.dk");
        let reused = app.admin().send(Method::POST, &path, &headers, multipart(&changed)).await;
        assert_eq!(reused.rejected_fields(), ["Idempotency-Key"], "another application under the key: {}", reused.body);
        assert_eq!(candidate_count(&app).await, 1, "once");

        let received = sent.json();
        let candidate = received["candidate_id"].as_i64().unwrap();
        assert_eq!(sent.header("location"), format!("/api/v1/applications/{}", received["application_id"]));
        let application = app.get(sent.header("location")).await.json();
        assert_eq!(
            (&application["profile_id"], &application["stage"], &application["source"], &application["message"]),
            (&json!(profile), &json!("applied"), &json!("Jobnet"), &json!(message))
        );
        let documents = app.get(&format!("/api/v1/candidates/{candidate}/documents")).await.json();
        let kinds: Vec<&str> = documents.as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["cv", "other"]);
        let messages = app.store.messages_of(candidate).await.unwrap();
        assert_eq!(messages.len(), 1, "the candidate is sent the receipt");
        let trail = app.trail(&only(AuditAction::ReceiveApplication)).await;
        assert_eq!(trail.len(), 1);
        let admin = app.store.list_users().await.unwrap().into_iter().find(|u| u.role == Role::Admin).unwrap();
        assert_eq!(trail[0].actor_id, Some(admin.id), "on the trail as the caller's");

        // A job not open yet takes none.
        let later = published(&app, profile, DANISH, "da", json!({ "slug": "account-manager-later", "from": in_days(5) })).await;
        let not_yet = upload(&app, None, &format!("/api/v1/jobs/{later}/applications"), &complete).await;
        assert_eq!(not_yet.status, StatusCode::NOT_FOUND);
        assert_eq!(candidate_count(&app).await, 1);
    }
}
