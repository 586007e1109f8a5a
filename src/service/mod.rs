//! The use cases: what the pages and the API do, once. Each takes the state, the acting user
//! and parsed input, and owns the access check, the store calls, the audit entry and the
//! cache; the adapters (`web`, `api`) only read requests and shape answers.

pub mod ads;
pub mod audit;
pub mod candidates;
pub mod companies;
pub mod comparison;
pub mod decisions;
pub mod interviews;
pub mod privacy;
pub mod profiles;
pub mod retention;

/// Today, for the rules that a new deadline may not lie in the past and an application is not
/// dated in the future.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}
