//! The wording check as a page: paste an ad, see its findings highlighted, each explained.
//! It works without JavaScript (the "check" button posts the form).

use std::ops::Range;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, Response};

use super::{Page, render, render_with_status};
use crate::app::AppState;
use crate::auth::routes::{Access, Routes};
use crate::domain::Labelled;
use crate::domain::ad::{Highlight, REQUIREMENTS_MAX};
use crate::domain::input::FieldErrors;
use crate::domain::profile::AdLanguage;
use crate::domain::user::Permission;
use crate::domain::wording::{Mark, TEXT_MAX, WordingCheckInput, WordingReport};
use crate::error::AppResult;
use crate::http::HtmlForm;
use crate::i18n::I18n;

pub fn routes() -> Routes {
    let view = Access::Requires(Permission::ViewProfiles);
    Routes::default().get("/wording-check", view, form).post("/wording-check", view, check)
}

/// A stretch of the text as the page shows it: its CSS class and explanation when marked.
pub struct Stretch {
    pub text: String,
    /// Where it is in the checked text, in bytes.
    pub range: Range<usize>,
    /// Empty when the stretch is not marked.
    pub class: &'static str,
    pub note: String,
}

/// The check's result, in words.
pub struct Findings {
    pub verdict: String,
    pub stretches: Vec<Stretch>,
    /// One line per finding, in the order of the text.
    pub notes: Vec<(&'static str, String)>,
    pub readability: String,
    pub missing: Vec<String>,
    /// Set when the text lists more must-haves than an ad should.
    pub structure: Option<String>,
}

impl Findings {
    /// The marked stretches, as highlights of the checked text.
    pub fn highlights(&self) -> Vec<Highlight<'_>> {
        self.stretches
            .iter()
            .filter(|s| !s.class.is_empty())
            .map(|s| Highlight { range: s.range.clone(), class: s.class, note: &s.note })
            .collect()
    }
}

#[derive(Template)]
#[template(path = "wording/check.html")]
struct CheckPage {
    page: Page,
    text: String,
    language: String,
    languages: Vec<(&'static str, String)>,
    max: usize,
    error: Option<String>,
    findings: Option<Findings>,
}

fn check_page(page: Page, input: &WordingCheckInput, errors: &FieldErrors, findings: Option<Findings>) -> CheckPage {
    let i18n = page.i18n;
    let language = input.language.clone().unwrap_or_else(|| i18n.lang.content().as_str().to_owned());
    CheckPage {
        text: input.text.clone().unwrap_or_default(),
        languages: [AdLanguage::Da, AdLanguage::En].map(|l| (l.as_str(), i18n.t(&l.label_key()))).to_vec(),
        language,
        max: TEXT_MAX,
        error: errors
            .iter()
            .next()
            .map(|e| format!("{}: {}", i18n.t(&format!("field-{}", e.field)), i18n.problem(&e.problem))),
        findings,
        page,
    }
}

async fn form(page: Page) -> AppResult<Html<String>> {
    render(&check_page(page, &WordingCheckInput::default(), &FieldErrors::default(), None))
}

async fn check(
    State(state): State<AppState>,
    page: Page,
    HtmlForm(input): HtmlForm<WordingCheckInput>,
) -> AppResult<Response> {
    match input.parse() {
        Ok((text, language)) => {
            let report = state.wording.check(&text, language);
            let findings = findings(&report, &text, page.i18n);
            render_with_status(StatusCode::OK, &check_page(page, &input, &FieldErrors::default(), Some(findings)))
        }
        Err(errors) => render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &check_page(page, &input, &errors, None)),
    }
}

/// The report in the reader's words, with every finding explained.
pub fn findings(report: &WordingReport, text: &str, i18n: I18n) -> Findings {
    // A suggestion is wording in the ad's language; say so to a reader of the other.
    let suggested = |suggestion: &str| {
        if report.language == i18n.lang.content() {
            suggestion.to_owned()
        } else {
            let language = i18n.t(&report.language.label_key());
            i18n.tn("wording-suggestion-in", &[("language", &language), ("suggestion", suggestion)])
        }
    };
    let explain = |mark: Mark| -> (&'static str, String) {
        match mark {
            Mark::Masculine => ("masculine", i18n.t("wording-note-masculine")),
            Mark::Feminine => ("feminine", i18n.t("wording-note-feminine")),
            Mark::ThirdPerson => ("third-person", i18n.t("wording-note-third-person")),
            Mark::Flag(index) => {
                let flag = &report.flags[index];
                let note = i18n.tn(
                    "wording-note-flag",
                    &[
                        ("category", &i18n.t(&flag.category.label_key())),
                        ("law", flag.law),
                        ("suggestion", &suggested(&flag.suggestion)),
                    ],
                );
                ("flag", note)
            }
            Mark::OtherLanguage => {
                let other = i18n.t(&report.language.other().label_key());
                let language = i18n.t(&report.language.label_key());
                (
                    "other-language",
                    i18n.tn("wording-note-other-language", &[("other", &other), ("language", &language)]),
                )
            }
            Mark::Prompt(index) => {
                let suggestion = suggested(&report.prompts[index].suggestion);
                ("prompt", i18n.t1("wording-note-prompt", "suggestion", &suggestion))
            }
        }
    };
    let mut notes = Vec::new();
    let mut at = 0;
    let stretches = report
        .segments(text)
        .into_iter()
        .map(|segment| {
            let range = at..at + segment.text.len();
            at = range.end;
            match segment.mark {
                None => Stretch { text: segment.text, range, class: "", note: String::new() },
                Some(mark) => {
                    let (class, note) = explain(mark);
                    notes.push((class, format!("“{}”: {note}", segment.text)));
                    Stretch { text: segment.text, range, class, note }
                }
            }
        })
        .collect();
    let r = &report.readability;
    Findings {
        verdict: i18n.tn(
            "wording-verdict",
            &[
                ("verdict", &i18n.t(&report.verdict.label_key())),
                ("masculine", &i18n.number(report.masculine.len() as i64)),
                ("feminine", &i18n.number(report.feminine.len() as i64)),
            ],
        ),
        stretches,
        notes,
        readability: i18n.tn(
            "wording-readability",
            &[
                ("lix", &i18n.decimal(r.lix, 0)),
                ("band", &i18n.t(&r.band.label_key())),
                ("length", &i18n.decimal(r.average_sentence_length, 1)),
                ("long", &i18n.decimal(r.long_word_share, 0)),
            ],
        ),
        missing: report.missing_practical.iter().map(|item| i18n.t(&item.label_key())).collect(),
        structure: report.too_many_must_haves().then(|| {
            i18n.tn(
                "wording-too-many-must-haves",
                &[("count", &i18n.number(report.must_haves as i64)), ("max", &REQUIREMENTS_MAX.to_string())],
            )
        }),
    }
}
