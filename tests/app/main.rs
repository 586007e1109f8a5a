//! amfit's integration tests: one binary, one module per feature.

mod binary;
mod helpers;

mod access;
mod accounts;
mod ads;
mod applying;
mod audit;
mod browser;
mod candidates;
mod cli;
mod companies_api;
mod companies_web;
mod comparison;
mod durability;
mod errors;
mod idempotency;
mod import;
mod interviews;
mod jobs;
mod languages;
mod lifecycle;
mod lists;
mod openapi;
mod parity;
mod profiles_api;
mod profiles_web;
mod publications;
mod retention;
mod rules;
mod schemathesis;
mod scorecards;
mod store_contract;
mod throttle;
mod weights;
mod wording;
