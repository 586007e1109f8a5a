//! The use cases: what the pages and the API do, once. Each takes the state, the acting user
//! and parsed input, and owns the access check, the store calls, the audit entry and the
//! cache; the adapters (`web`, `api`) only read requests and shape answers.

pub mod accounts;
pub mod ads;
pub mod applying;
pub mod audit;
pub mod calibration;
pub mod candidates;
pub mod comments;
pub mod companies;
pub mod comparison;
pub mod confirmations;
pub mod decisions;
pub mod demo;
pub mod documents;
pub mod duplicates;
pub mod home;
pub mod import;
pub mod interviews;
pub mod jobs;
pub mod letter_templates;
pub mod letters;
pub mod notifications;
pub mod panels;
pub mod password_links;
pub mod pipeline;
pub mod privacy;
pub mod profiles;
pub mod publications;
pub mod reports;
pub mod retention;
pub mod tokens;
pub mod users;
pub mod webhooks;

use crate::store::cache::RevisionCache;

use self::comparison::ProfileCandidates;

/// The reads worth keeping in memory while the data is unchanged: the busiest pages' data.
pub struct Reads {
    /// The public job pages' ads, by address.
    pub published_ads: RevisionCache<String, self::jobs::PublishedAd>,
    /// By profile id.
    pub comparisons: RevisionCache<i64, ProfileCandidates>,
    /// Pipeline boards, by profile id.
    pub boards: RevisionCache<i64, self::pipeline::Board>,
    /// Every role profile with its company's name: the lists, filters and start pages that
    /// offer profiles read them on almost every page.
    pub profiles: RevisionCache<(), Vec<crate::store::ProfileOverview>>,
    /// Pages of the candidate list, by the search that found them.
    pub candidate_pages: RevisionCache<crate::store::CandidateSearch, Vec<crate::store::ListedCandidate>>,
    /// The sources the candidate list's filter offers (counting them reads every candidate).
    pub candidate_sources: RevisionCache<(), Vec<String>>,
    /// Users by id: every signed-in request reads its own, to end the sessions of one
    /// deactivated or with a new password (both change the user, and so the revision).
    pub users: RevisionCache<i64, crate::domain::user::User>,
    /// The running rubric's number and first day, read (and recorded) once.
    pub rubric_edition: tokio::sync::OnceCell<RubricEdition>,
}

/// The rubric version as people read it: its number here and since when it is in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RubricEdition {
    pub number: i64,
    pub since: chrono::NaiveDate,
}

/// The running rubric's [`RubricEdition`].
pub async fn rubric_edition(state: &crate::app::AppState) -> crate::error::AppResult<RubricEdition> {
    let edition = state
        .reads
        .rubric_edition
        .get_or_try_init(|| async {
            let (number, since) = state.store.rubric_edition(&state.rubric.version).await?;
            Ok::<_, crate::store::StoreError>(RubricEdition { number, since: since.date_naive() })
        })
        .await?;
    Ok(*edition)
}

impl Reads {
    /// The caches, each counting its hits and misses in `metrics`.
    pub fn new(metrics: &crate::metrics::Metrics) -> Self {
        let counted = |name| metrics.cache_counters(name);
        // A comparison of 50 candidates holds about 200 KB; 64 profiles bound it near 13 MB.
        // A published ad holds its text twice (HTML and JSON-LD), some 20 KB; 256 bound it near 5 MB.
        Self {
            comparisons: RevisionCache::new(64).counted(counted("comparisons")),
            // A board's card is some 200 bytes: 300 of them 60 KB, 64 boards 4 MB.
            boards: RevisionCache::new(64).counted(counted("boards")),
            published_ads: RevisionCache::new(256).counted(counted("published_ads")),
            // A line of the list is some 500 bytes with its applications: a page of 50 some
            // 25 KB, 64 pages near 2 MB (pages of 500, the most a client may ask for, 16 MB).
            candidate_pages: RevisionCache::new(64).counted(counted("candidate_pages")),
            candidate_sources: RevisionCache::new(1).counted(counted("candidate_sources")),
            profiles: RevisionCache::new(1).counted(counted("profiles")),
            // A user is some 200 bytes.
            users: RevisionCache::new(1024).counted(counted("users")),
            rubric_edition: tokio::sync::OnceCell::new(),
        }
    }
}

/// Today, for the rules that a new deadline may not lie in the past and an application is not
/// dated in the future, and for the days a card on the board has been in its stage.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}
