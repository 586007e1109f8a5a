//! The `Store` contract, run against SQLite and PostgreSQL alike.

use amfit::domain::company::CompanyInput;
use amfit::domain::demo::demo_companies;
use amfit::domain::profile::{AccountModel, DeadlineContext, ProfileInput};
use amfit::store::StoreError;

use crate::helpers::on_both_backends;

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// A stored user who never signs in.
async fn user(
    store: &dyn amfit::store::Store,
    name: &str,
    role: amfit::domain::user::Role,
) -> amfit::domain::user::User {
    let email = format!("{}@amfit.test", name.to_lowercase().replace(' ', "."));
    let record = amfit::store::UserRecord { email: &email, name, role, password_hash: "not a real hash" };
    store.create_user(record, &crate::helpers::by_test).await.unwrap()
}

on_both_backends! {
    async fn companies_round_trip_and_version(app) {
        let store = &app.store;
        assert!(store.is_empty().await.unwrap());
        let (details, _) = demo_companies(today()).remove(0);
        let created = store.create_company(&details).await.unwrap();
        assert_eq!(created.version, 1);
        assert_eq!(created.details, details);
        assert_eq!(store.get_company(created.id).await.unwrap(), created);
        assert!(!store.is_empty().await.unwrap());

        let mut changed = details.clone();
        changed.employees = 14;
        let updated = store.update_company(created.id, 1, &changed).await.unwrap();
        assert_eq!((updated.version, updated.details.employees), (2, 14));
        assert!(updated.updated_at >= created.updated_at);
        assert_eq!(updated.created_at, created.created_at);
    }
}

on_both_backends! {
    async fn a_stale_update_writes_nothing(app) {
        let store = &app.store;
        let (details, _) = demo_companies(today()).remove(0);
        let company = store.create_company(&details).await.unwrap();
        let mut first = details.clone();
        first.name = "First writer".into();
        store.update_company(company.id, 1, &first).await.unwrap();

        let mut second = details.clone();
        second.name = "Second writer".into();
        let refused = store.update_company(company.id, 1, &second).await;
        assert!(matches!(refused, Err(StoreError::Conflict { current_version: 2 })), "{refused:?}");
        assert_eq!(store.get_company(company.id).await.unwrap().details.name, "First writer");
        assert!(matches!(store.update_company(company.id + 100, 1, &second).await, Err(StoreError::NotFound)));
    }
}

on_both_backends! {
    async fn profiles_round_trip_with_every_field(app) {
        let store = &app.store;
        for (company, profile) in demo_companies(today()) {
            let company = store.create_company(&company).await.unwrap();
            let created = store.create_profile(company.id, &profile).await.unwrap();
            assert_eq!(created.details, profile, "{}", profile.title);
            assert_eq!(created.company_id, company.id);
            assert_eq!(store.get_profile(created.id).await.unwrap(), created);
        }
        let models: Vec<_> = store.list_profiles().await.unwrap().iter().map(|o| o.profile.account_model()).collect();
        assert_eq!(models.len(), 3);
        assert!(models.contains(&AccountModel::Portfolio) && models.contains(&AccountModel::KeyAccount));
    }
}

on_both_backends! {
    async fn profile_updates_are_versioned_too(app) {
        let store = &app.store;
        let (company, profile) = demo_companies(today()).remove(1);
        let company = store.create_company(&company).await.unwrap();
        let created = store.create_profile(company.id, &profile).await.unwrap();
        let mut changed = profile.clone();
        changed.salary = None;
        changed.duties.clear();
        changed.client_mix.client_industries_en.clear();
        let updated = store.update_profile(created.id, 1, &changed).await.unwrap();
        assert_eq!((updated.version, &updated.details), (2, &changed));
        assert!(matches!(store.update_profile(created.id, 1, &profile).await, Err(StoreError::Conflict { .. })));
        assert_eq!(store.get_profile(created.id).await.unwrap().details, changed);
    }
}

on_both_backends! {
    async fn a_profile_needs_an_existing_company(app) {
        let (_, profile) = demo_companies(today()).remove(0);
        assert!(matches!(app.store.create_profile(4242, &profile).await, Err(StoreError::NotFound)));
        assert_eq!(app.profile_count().await, 0);
    }
}

on_both_backends! {
    async fn deleting_a_company_deletes_its_profiles(app) {
        let store = &app.store;
        let mut kept = None;
        for (company, profile) in demo_companies(today()).into_iter().take(2) {
            let company = store.create_company(&company).await.unwrap();
            store.create_profile(company.id, &profile).await.unwrap();
            kept = kept.or(Some(company.id));
        }
        let overview = store.list_companies().await.unwrap();
        assert!(overview.iter().all(|o| o.profile_count == 1));
        let first = kept.unwrap();
        store.delete_company(first, None).await.unwrap();
        assert!(matches!(store.get_company(first).await, Err(StoreError::NotFound)));
        assert!(store.list_company_profiles(first).await.unwrap().is_empty());
        assert_eq!(app.profile_count().await, 1);
        assert!(matches!(store.delete_company(first, None).await, Err(StoreError::NotFound)));
    }
}

on_both_backends! {
    async fn lists_are_ordered_by_name(app) {
        for name in ["beta", "Alpha", "gamma"] {
            let input = CompanyInput {
                name: Some(name.into()),
                industry: Some("Retail".into()),
                employees: Some("5".into()),
                account_managers: Some("1".into()),
                location: Some("Odense".into()),
                ..CompanyInput::default()
            };
            app.store.create_company(&input.parse().unwrap()).await.unwrap();
        }
        let names: Vec<_> = app.store.list_companies().await.unwrap().into_iter().map(|o| o.company.details.name).collect();
        assert_eq!(names, ["Alpha", "beta", "gamma"]);
    }
}

on_both_backends! {
    async fn text_survives_exactly(app) {
        let (_, profile) = demo_companies(today()).remove(2);
        let (company, _) = demo_companies(today()).remove(2);
        let company = app.store.create_company(&company).await.unwrap();
        let mut input = ProfileInput::from(&profile);
        input.title = Some("Kundeansvarlig — Æbler, Øl & Å'er \"citat\" 😀".into());
        let details = input.parse(DeadlineContext { today: today(), stored_deadline: None, stored_interview_week: None }).unwrap();
        let created = app.store.create_profile(company.id, &details).await.unwrap();
        assert_eq!(app.store.get_profile(created.id).await.unwrap().details.title, details.title);
    }
}

on_both_backends! {
    async fn every_change_moves_the_data_revision_and_reads_do_not(app) {
        let store = &app.store;
        let start = store.revision().await.unwrap();
        store.list_candidates().await.unwrap();
        store.record_attempt(&["someone@example.dk"], chrono::Utc::now()).await.unwrap();
        assert_eq!(store.revision().await.unwrap(), start, "reads and failed logins are not changes");
        let (details, _) = demo_companies(today()).remove(0);
        let company = store.create_company(&details).await.unwrap();
        let after_create = store.revision().await.unwrap();
        assert!(after_create > start);
        store.update_company(company.id, company.version, &details).await.unwrap();
        let after_update = store.revision().await.unwrap();
        assert!(after_update > after_create);
        store.delete_company(company.id, None).await.unwrap();
        assert!(store.revision().await.unwrap() > after_update);
    }
}

on_both_backends! {
    async fn a_hiring_managers_applications_are_those_to_the_profiles_they_own(app) {
        let store = &app.store;
        let owner = user(store.as_ref(), "Owner", amfit::domain::user::Role::HiringManager).await;
        let (company, mut owned) = demo_companies(today()).remove(0);
        let company = store.create_company(&company).await.unwrap();
        let other = store.create_profile(company.id, &owned).await.unwrap();
        owned.hiring_manager_id = Some(owner.id);
        let owned = store.create_profile(company.id, &owned).await.unwrap();
        let input = amfit::domain::candidate::CandidateInput {
            name: Some("Sofie Nielsen".into()),
            email: Some("sofie@example.dk".into()),
            ..Default::default()
        };
        let candidate = store.create_candidate(&input.parse(chrono::Utc::now().date_naive()).unwrap()).await.unwrap();
        for profile in [&owned, &other] {
            let new = amfit::store::NewApplication { candidate_id: candidate.id, profile_id: profile.id, applied_on: today(), by: owner.id };
            store.create_application(new).await.unwrap();
        }
        let mine = store.list_applications(amfit::store::ApplicationsOf::HiringManager(owner.id)).await.unwrap();
        assert_eq!(mine.iter().map(|a| a.application.profile_id).collect::<Vec<_>>(), [owned.id]);
        assert_eq!(mine[0].application.history.len(), 1, "with its history");
        let none = store.list_decisions(amfit::store::ApplicationsOf::HiringManager(owner.id)).await.unwrap();
        assert!(none.is_empty());
    }
}

on_both_backends! {
    async fn ad_versions_are_numbered_per_profile_even_when_saved_at_once(app) {
        let store = &app.store;
        let recruiter = user(store.as_ref(), "Rikke Recruiter", amfit::domain::user::Role::Recruiter).await;
        let (company, profile) = demo_companies(today()).remove(0);
        let company = store.create_company(&company).await.unwrap();
        let first = store.create_profile(company.id, &profile).await.unwrap();
        let second = store.create_profile(company.id, &profile).await.unwrap();
        let version = |profile_id, text| amfit::store::NewAdVersion {
            profile_id,
            language: amfit::domain::profile::AdLanguage::Da,
            tone: amfit::domain::ad::Tone::Formal,
            text,
            by: recruiter.id,
        };
        let saved = store.save_ad_version(version(first.id, "# Første udkast\n")).await.unwrap();
        assert_eq!((saved.number, saved.text.as_str()), (1, "# Første udkast\n"));
        assert_eq!(saved.saved_by.as_deref(), Some("Rikke Recruiter"));
        assert_eq!(saved.tone, amfit::domain::ad::Tone::Formal);
        assert_eq!(store.save_ad_version(version(second.id, "other")).await.unwrap().number, 1, "per profile");

        // Two saves at the same moment both land, with the next two numbers.
        let (a, b) = tokio::join!(
            store.save_ad_version(version(first.id, "a")),
            store.save_ad_version(version(first.id, "b"))
        );
        let mut numbers = [a.unwrap().number, b.unwrap().number];
        numbers.sort();
        assert_eq!(numbers, [2, 3]);
        let listed: Vec<i64> = store.list_ad_versions(first.id).await.unwrap().iter().map(|v| v.number).collect();
        assert_eq!(listed, [3, 2, 1], "newest first");
        assert_eq!(store.get_ad_version(first.id, 1).await.unwrap(), saved);
        assert!(matches!(store.get_ad_version(first.id, 9).await, Err(StoreError::NotFound)));
        assert!(matches!(store.get_ad_version(second.id + 100, 1).await, Err(StoreError::NotFound)));
        assert!(matches!(store.save_ad_version(version(second.id + 100, "x")).await, Err(StoreError::NotFound)));

        store.delete_profile(first.id, None).await.unwrap();
        assert!(store.list_ad_versions(first.id).await.unwrap().is_empty(), "versions go with their profile");
    }
}

on_both_backends! {
    async fn the_id_of_a_deleted_newest_record_is_never_handed_out_again(app) {
        let store = &app.store;
        let details = |n: u32| amfit::domain::candidate::CandidateDetails {
            name: format!("Candidate {n}"),
            email: format!("c{n}@example.dk"),
            phone: None,
            source: None,
            notes: None,
            link: None,
            talent_pool: None,
        };
        let first = store.create_candidate(&details(1)).await.unwrap();
        let newest = store.create_candidate(&details(2)).await.unwrap();
        store.delete_candidate(newest.id, None).await.unwrap();
        let next = store.create_candidate(&details(3)).await.unwrap();
        assert!(next.id > newest.id && newest.id > first.id, "{} {} {}", first.id, newest.id, next.id);
        let (company, _) = demo_companies(today()).remove(0);
        let company_id = store.create_company(&company).await.unwrap().id;
        store.delete_company(company_id, None).await.unwrap();
        assert!(store.create_company(&company).await.unwrap().id > company_id);
    }
}

/// A database made by the migrations before ids were kept from reuse, with a row in every
/// table that refers to another, is upgraded without losing a row or a reference.
#[tokio::test]
async fn the_upgrade_that_keeps_ids_from_reuse_keeps_every_row_and_reference() {
    use sqlx::{Connection, Row};
    let folder = tempfile::tempdir().unwrap();
    let rows = [
        "INSERT INTO users VALUES (1, 'ada@example.dk', 'Ada', 'admin', 'x', 1, 0, 't', 't')",
        "INSERT INTO companies VALUES (1, 1, 'Nordlys', 'Retail', 10, 2, NULL, 'Aarhus', 't', 't')",
        "INSERT INTO role_profiles (id, company_id, title, ad_language, accounts_per_manager, key_accounts_per_manager, \
         typical_client_size, growth_focus, meeting_cadence, presentation_frequency, travel_share, location, \
         remote_option, weekly_hours, created_at, updated_at, hiring_manager_id) \
         VALUES (1, 1, 'AM', 'da', 10, 1, 'small', 'balanced', 'monthly', 'sometimes', 10, 'Aarhus', 'none', 37, 't', 't', 1)",
        "INSERT INTO weight_overrides VALUES (1, 'communication', 5, NULL, 1, 't')",
        "INSERT INTO candidates (id, name, email, created_at, updated_at) VALUES (1, 'Bo', 'bo@example.dk', 't', 't'), \
         (2, 'Cy', 'cy@example.dk', 't', 't')",
        "INSERT INTO applications VALUES (1, 1, 1, 'interviewing', '2026-01-01', 't')",
        "INSERT INTO stage_changes VALUES (1, 1, 'interviewing', 1, 't')",
        "INSERT INTO interview_assignments VALUES (1, 1, 1, '[\"communication\"]', 't')",
        "INSERT INTO scorecards VALUES (1, 1, 1, '[]', 'yes', 'v', 't', 't')",
        "INSERT INTO decisions VALUES (1, 1, 'advance', 'Clear examples.', 'interviewing', 1, 't')",
        "INSERT INTO ad_versions VALUES (1, 1, 1, 'da', 'informal', '# Annonce', 1, 't')",
        "INSERT INTO api_tokens VALUES (1, 1, 'hash', 't', NULL)",
        "INSERT INTO audit_log VALUES (1, 't', 1, 'Ada', 'view_candidate', 'candidate', 2, '')",
        "DELETE FROM candidates WHERE id = 2",
    ];
    let url = sqlite_before(folder.path(), "0014", &rows).await;
    let options: sqlx::sqlite::SqliteConnectOptions = url.parse().unwrap();

    let store = amfit::store::connect(&url).await.expect("the upgrade runs");
    let mut connection = sqlx::SqliteConnection::connect_with(&options).await.unwrap();
    for (table, expected) in [
        ("users", 1),
        ("companies", 1),
        ("role_profiles", 1),
        ("weight_overrides", 1),
        ("candidates", 1),
        ("applications", 1),
        ("stage_changes", 1),
        ("interview_assignments", 1),
        ("scorecards", 1),
        ("decisions", 1),
        ("ad_versions", 1),
        ("api_tokens", 1),
        ("audit_log", 1),
    ] {
        let count: i64 =
            sqlx::query(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&mut connection).await.unwrap().get(0);
        assert_eq!(count, expected, "{table}");
    }
    let kept: (Option<i64>, Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT (SELECT actor_id FROM audit_log), (SELECT set_by FROM weight_overrides), \
         (SELECT hiring_manager_id FROM role_profiles)",
    )
    .fetch_one(&mut connection)
    .await
    .unwrap();
    assert_eq!(kept, (Some(1), Some(1), Some(1)), "no reference was cut");
    let broken = sqlx::query("PRAGMA foreign_key_check").fetch_all(&mut connection).await.unwrap();
    assert!(broken.is_empty());
    let cy = amfit::domain::candidate::CandidateDetails {
        name: "Di".into(),
        email: "di@example.dk".into(),
        phone: None,
        source: None,
        notes: None,
        link: None,
        talent_pool: None,
    };
    store.delete_candidate(1, None).await.unwrap();
    assert_eq!(
        store.create_candidate(&cy).await.unwrap().id,
        2,
        "the highest id before the upgrade is where it counts on"
    );
    assert_eq!(store.create_candidate(&cy).await.unwrap().id, 3);
}

/// The migrations of `backend` older than `before`, copied into a folder of their own.
fn migrations_before(backend: &str, before: &str, folder: &std::path::Path) -> std::path::PathBuf {
    let older = folder.join(format!("migrations-{backend}"));
    std::fs::create_dir(&older).unwrap();
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(backend);
    for entry in std::fs::read_dir(&shipped).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap().to_str().unwrap() < before {
            std::fs::copy(&path, older.join(path.file_name().unwrap())).unwrap();
        }
    }
    older
}

/// Runs the migrations in `$older` on `$connection` (of either backend), then `$rows`.
macro_rules! fill {
    ($connection:expr, $older:expr, $rows:expr) => {{
        sqlx::migrate::Migrator::new($older.as_path()).await.unwrap().run(&mut $connection).await.unwrap();
        for row in $rows {
            sqlx::query(row).execute(&mut $connection).await.unwrap_or_else(|e| panic!("{row}: {e}"));
        }
    }};
}

/// A SQLite database made by the migrations before `before`, holding `rows`; its URL.
async fn sqlite_before(folder: &std::path::Path, before: &str, rows: &[&str]) -> String {
    use sqlx::Connection;
    let older = migrations_before("sqlite", before, folder);
    let url = format!("sqlite:{}", folder.join("amfit.db").display());
    let options: sqlx::sqlite::SqliteConnectOptions = url.parse().unwrap();
    let mut connection = sqlx::SqliteConnection::connect_with(&options.create_if_missing(true)).await.unwrap();
    fill!(connection, older, rows);
    connection.close().await.unwrap();
    url
}

/// The same on PostgreSQL, when a test database is at hand; the database lives as long as the
/// guard returned with its URL.
async fn postgres_before(
    folder: &std::path::Path,
    before: &str,
    rows: &[&str],
) -> Option<(crate::helpers::TestDb, String)> {
    use sqlx::Connection;
    let (db, url) = crate::helpers::TestDb::postgres().await?;
    let older = migrations_before("postgres", before, folder);
    let mut connection = sqlx::PgConnection::connect(&url).await.unwrap();
    fill!(connection, older, rows);
    connection.close().await.unwrap();
    Some((db, url))
}

/// Companies as they were before descriptions had a language: one Danish, one English, one
/// without.
const COMPANIES_WITH_ONE_DESCRIPTION: &str = "INSERT INTO companies \
    (id, version, name, industry, employees, account_managers, description, location, created_at, updated_at) VALUES \
    (1, 1, 'Nordlys', 'Retail', 10, 2, 'Vi driver webshops for lokale virksomheder.', 'Aarhus', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), \
    (2, 1, 'Ledgerly', 'Software', 150, 9, 'Cloud bookkeeping for the Nordics.', 'Copenhagen', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), \
    (3, 1, 'Tavs', 'Retail', 10, 2, NULL, 'Odense', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')";

/// After the upgrade, each company's one description is in the language it was written in.
async fn assert_descriptions_placed(url: &str) {
    let store = amfit::store::connect(url).await.expect("the upgrade runs");
    let described = |id| {
        let store = store.clone();
        async move {
            let details = store.get_company(id).await.unwrap().details;
            (details.description_da, details.description_en)
        }
    };
    assert_eq!(described(1).await, (Some("Vi driver webshops for lokale virksomheder.".into()), None));
    assert_eq!(described(2).await, (None, Some("Cloud bookkeeping for the Nordics.".into())));
    assert_eq!(described(3).await, (None, None));
}

#[tokio::test]
async fn the_upgrade_places_each_description_in_the_language_it_is_written_in() {
    let folder = tempfile::tempdir().unwrap();
    assert_descriptions_placed(&sqlite_before(folder.path(), "0016", &[COMPANIES_WITH_ONE_DESCRIPTION]).await).await;
    if let Some((_db, url)) = postgres_before(folder.path(), "0016", &[COMPANIES_WITH_ONE_DESCRIPTION]).await {
        assert_descriptions_placed(&url).await;
    }
}

/// Profiles as they were before client industries had a language: one list Danish, one English.
const PROFILES_WITH_ONE_INDUSTRY_LIST: &str = "INSERT INTO role_profiles (id, company_id, title, ad_language, \
    accounts_per_manager, key_accounts_per_manager, typical_client_size, client_industries, growth_focus, \
    meeting_cadence, presentation_frequency, travel_share, location, remote_option, weekly_hours, created_at, \
    updated_at) VALUES \
    (1, 1, 'AM', 'da', 10, 1, 'small_business', '[\"Detailhandel\", \"Håndværk\"]', 'balanced', 'monthly', 'sometimes', \
     10, 'Aarhus', 'hybrid', 37, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), \
    (2, 1, 'AM', 'en', 10, 1, 'small_business', '[\"Wholesale\", \"Manufacturing\"]', 'balanced', 'monthly', \
     'sometimes', 10, 'Aarhus', 'hybrid', 37, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')";

async fn assert_industries_placed(url: &str) {
    let store = amfit::store::connect(url).await.expect("the upgrade runs");
    let mix = |profile: amfit::domain::profile::RoleProfile| {
        (profile.details.client_mix.client_industries_da, profile.details.client_mix.client_industries_en)
    };
    assert_eq!(mix(store.get_profile(1).await.unwrap()), (vec!["Detailhandel".into(), "Håndværk".into()], vec![]));
    assert_eq!(mix(store.get_profile(2).await.unwrap()), (vec![], vec!["Wholesale".into(), "Manufacturing".into()]));
    // Written before profiles had hard requirements and terms (0020), they ask for and state nothing.
    let details = store.get_profile(1).await.unwrap().details;
    assert_eq!(details.requirements, amfit::domain::conditions::HardRequirements::default());
    assert_eq!(details.terms, amfit::domain::conditions::JobTerms::default());
}

#[tokio::test]
async fn the_upgrade_places_each_industry_list_in_the_language_it_is_written_in() {
    let folder = tempfile::tempdir().unwrap();
    let rows = [A_COMPANY_AFTER_0016, PROFILES_WITH_ONE_INDUSTRY_LIST];
    assert_industries_placed(&sqlite_before(folder.path(), "0017", &rows).await).await;
    if let Some((_db, url)) = postgres_before(folder.path(), "0017", &rows).await {
        assert_industries_placed(&url).await;
    }
}

/// The company the profiles above belong to, as the schema after 0016 holds it.
const A_COMPANY_AFTER_0016: &str = "INSERT INTO companies \
    (id, version, name, industry, employees, account_managers, location, created_at, updated_at) VALUES \
    (1, 1, 'Nordlys', 'Retail', 10, 2, 'Aarhus', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')";

on_both_backends! {
    async fn the_daily_purge_forgets_throttle_records_older_than_a_day(app) {
        let store = &app.store;
        let now = chrono::Utc::now();
        store.record_attempt(&["application client:192.0.2.7"], now - chrono::Duration::hours(25)).await.unwrap();
        store.record_attempt(&["application client:192.0.2.7"], now - chrono::Duration::minutes(5)).await.unwrap();
        let policy = amfit::domain::retention::RetentionPolicy::default();
        amfit::service::retention::purge(store.as_ref(), policy, now).await.unwrap();
        let left = store.count_attempts("application client:192.0.2.7", now - chrono::Duration::days(30)).await.unwrap();
        assert_eq!(left, 1, "the address is kept only as long as a throttle needs it");
    }
}

/// A database from before the search index is upgraded: its candidates are indexed as it
/// starts, found by a word of their name, and deleted at once. Five times over, as the fault
/// this guards against (a statement compiled while the index was first opened) came now and then.
#[tokio::test]
async fn the_upgrade_to_the_search_index_indexes_the_candidates_there_were() {
    use amfit::domain::candidate::{CandidateFilter, ListOrder};
    use amfit::store::CandidateSearch;
    for _ in 0..5 {
        let folder = tempfile::tempdir().unwrap();
        let rows = ["INSERT INTO candidates (id, name, email, created_at, updated_at) VALUES \
             (1, 'Søren Ærø', 'soren@example.dk', '2026-01-02T10:00:00+00:00', '2026-01-02T10:00:00+00:00'), \
             (2, 'Ida Holm', 'ida@example.dk', '2026-01-03T10:00:00+00:00', '2026-01-03T10:00:00+00:00')"];
        let url = sqlite_before(folder.path(), "0024", &rows).await;
        let store = amfit::store::connect(&url).await.expect("the upgrade runs");
        let filter = CandidateFilter { words: vec!["aero".into()], ..CandidateFilter::default() };
        let search = CandidateSearch {
            filter,
            hiring_manager: None,
            order: ListOrder::Name,
            after: None,
            fetch: 10,
            with_applications: true,
        };
        let found = store.find_candidates(&search).await.unwrap();
        assert_eq!(found.iter().map(|c| c.candidate.id).collect::<Vec<_>>(), [1]);
        assert_eq!(
            found[0].last_activity_at.to_rfc3339(),
            "2026-01-02T10:00:00+00:00",
            "from when they were last changed"
        );
        store.delete_candidate(1, None).await.unwrap();
        assert!(store.find_candidates(&search).await.unwrap().is_empty());
    }
}

/// File names as they were kept before direction controls were taken out of them: one that
/// reads as a picture, one of nothing else, one plain.
const FILE_NAMES_WITH_DIRECTION_CONTROLS: [&str; 3] = ["invoice\u{202E}gpj.pdf", "\u{202E}\u{2066}", "CV Bo.pdf"];

/// A candidate with a document of each name in [`FILE_NAMES_WITH_DIRECTION_CONTROLS`], in the
/// rows of the backend whose empty document content is `empty`.
fn documents_named_with_direction_controls(empty: &str) -> Vec<String> {
    let mut rows = vec![
        "INSERT INTO candidates (id, name, email, created_at, updated_at) VALUES \
         (1, 'Bo', 'bo@example.dk', '2026-01-02T10:00:00+00:00', '2026-01-02T10:00:00+00:00')"
            .to_owned(),
    ];
    for (id, name) in FILE_NAMES_WITH_DIRECTION_CONTROLS.iter().enumerate() {
        rows.push(format!(
            "INSERT INTO documents (id, candidate_id, kind, format, file_name, size, content, uploaded_at) \
             VALUES ({}, 1, 'cv', 'pdf', '{name}', 0, {empty}, '2026-01-02T10:00:00+00:00')",
            id + 1
        ));
    }
    rows
}

async fn assert_file_names_read_as_they_are(url: &str) {
    let store = amfit::store::connect(url).await.expect("the upgrade runs");
    let names: Vec<String> = store.list_documents(1).await.unwrap().into_iter().map(|d| d.file_name).collect();
    assert_eq!(names, ["invoicegpj.pdf", "document", "CV Bo.pdf"]);
}

#[tokio::test]
async fn the_upgrade_takes_direction_controls_out_of_the_file_names_kept() {
    let folder = tempfile::tempdir().unwrap();
    let rows = documents_named_with_direction_controls("X''");
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    assert_file_names_read_as_they_are(&sqlite_before(folder.path(), "0029", &rows).await).await;
    let rows = documents_named_with_direction_controls("''::bytea");
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    if let Some((_db, url)) = postgres_before(folder.path(), "0029", &rows).await {
        assert_file_names_read_as_they_are(&url).await;
    }
}

#[tokio::test]
async fn the_outbox_rebuilt_for_a_new_kind_of_letter_keeps_its_letters_and_never_reuses_an_id() {
    use sqlx::Connection;
    let folder = tempfile::tempdir().unwrap();
    let letter = |id: i64| {
        format!(
            "INSERT INTO outbox (id, message_id, kind, recipient, language, subject, body_text, body_html, \
             next_attempt_at, created_at) VALUES ({id}, 'm{id}', 'receipt', 'bo@example.dk', 'da', 'Tak {id}', \
             'tekst', '<p>tekst</p>', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z')"
        )
    };
    let rows = [letter(1), letter(2), "DELETE FROM outbox WHERE id = 2".to_owned()];
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let url = sqlite_before(folder.path(), "0038", &rows).await;
    amfit::store::connect(&url).await.expect("the upgrade runs");
    let options: sqlx::sqlite::SqliteConnectOptions = url.parse().unwrap();
    let mut connection = sqlx::SqliteConnection::connect_with(&options).await.unwrap();
    let kept: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, subject FROM outbox ORDER BY id").fetch_all(&mut connection).await.unwrap();
    assert_eq!(kept, [(1, "Tak 1".to_owned())]);
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO outbox (message_id, kind, recipient, language, subject, body_text, body_html, \
         next_attempt_at, created_at) VALUES ('m', 'confirmation', 'bo@example.dk', 'da', 'Bekræft', '', '', \
         '2026-12-06T00:00:00Z', '2026-12-06T00:00:00Z') RETURNING id",
    )
    .fetch_one(&mut connection)
    .await
    .unwrap();
    assert_eq!(id, 3, "the id of the letter erased before the upgrade is not given again");
    let indexes: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' AND sql IS NOT NULL ORDER BY name",
    )
    .fetch_all(&mut connection)
    .await
    .unwrap();
    assert_eq!(
        indexes,
        [("outbox_candidate_id".to_owned(),), ("outbox_due".to_owned(),), ("outbox_user_id".to_owned(),)]
    );
}
