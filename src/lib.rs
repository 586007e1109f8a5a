//! amfit: hire account managers with role profiles, anchored rubrics and fair job ads.

pub mod api;
pub mod app;
pub mod auth;
pub mod cli;
pub mod config;
pub mod document_reader;
pub mod domain;
pub mod error;
pub mod http;
pub mod i18n;
pub mod mail;
pub mod metrics;
pub mod rubrics;
pub mod service;
pub mod store;
pub mod web;
pub mod webhooks;
