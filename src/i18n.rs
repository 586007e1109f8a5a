//! The words of the UI, the API's problems and the command line in English and Danish: message
//! catalogues (Fluent, in `templates/i18n/`), the choice of language per request, and dates and
//! numbers written the way each language does.

use std::sync::LazyLock;

use axum::extract::{FromRequestParts, Request};
use axum::http::HeaderMap;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::domain::input::Problem;
use crate::domain::profile::AdLanguage;
use crate::domain::written;

/// The cookie that remembers a language chosen in the header.
pub const LANGUAGE_COOKIE: &str = "amfit_lang";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Da,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Da];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Da => "da",
        }
    }

    /// The language of content that exists in both (rubric texts, ads).
    pub fn content(self) -> AdLanguage {
        match self {
            Lang::En => AdLanguage::En,
            Lang::Da => AdLanguage::Da,
        }
    }

    /// The UI language that matches a content language (a profile's ad language).
    pub fn of_content(language: AdLanguage) -> Self {
        Self::ALL.into_iter().find(|lang| lang.content() == language).unwrap_or_default()
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|lang| lang.code() == code)
    }

    /// The cookie set by the language switch wins, then the browser's Accept-Language
    /// (best quality first, `da-DK` counting as `da`), then English.
    pub fn negotiate(headers: &HeaderMap) -> Self {
        Self::from_cookie(headers).or_else(|| Self::from_accept_language(headers)).unwrap_or_default()
    }

    fn from_cookie(headers: &HeaderMap) -> Option<Self> {
        headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == LANGUAGE_COOKIE)
            .and_then(|(_, code)| Self::from_code(code))
    }

    fn from_accept_language(headers: &HeaderMap) -> Option<Self> {
        let header = headers.get(ACCEPT_LANGUAGE)?.to_str().ok()?;
        accept_language::parse(header)
            .iter()
            .find_map(|tag| Self::from_code(&tag.split('-').next()?.to_ascii_lowercase()))
    }
}

/// Puts the request's [`Lang`] into its extensions for handlers and the error pages.
pub async fn negotiate_language(mut request: Request, next: Next) -> Response {
    let lang = Lang::negotiate(request.headers());
    request.extensions_mut().insert(lang);
    next.run(request).await
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Lang>().copied().unwrap_or_else(|| Lang::negotiate(&parts.headers)))
    }
}

struct Catalogues {
    en: FluentBundle<FluentResource>,
    da: FluentBundle<FluentResource>,
}

const EN_FTL: &str = include_str!("../templates/i18n/en.ftl");
const DA_FTL: &str = include_str!("../templates/i18n/da.ftl");

static CATALOGUES: LazyLock<Catalogues> =
    LazyLock::new(|| Catalogues { en: bundle("en", EN_FTL), da: bundle("da", DA_FTL) });

/// A catalogue is part of the binary; a syntax error in one is a build defect that the
/// catalogue tests catch, so here it only loses the broken entries.
fn bundle(code: &str, source: &str) -> FluentBundle<FluentResource> {
    let language: LanguageIdentifier = code.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![language]);
    // Unicode isolation marks would end up inside HTML attributes and CSV cells.
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, _)| partial);
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(language = code, ?errors, "message catalogue has errors");
    }
    bundle
}

/// The time zone moments are shown in where no company's is at hand: amfit's users are Danish.
pub const DEFAULT_ZONE: chrono_tz::Tz = chrono_tz::Europe::Copenhagen;

/// Translation and formatting in one language; what every template gets as `i18n`.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    pub lang: Lang,
    /// The time zone moments are shown in: the company's, where a page is about one.
    pub zone: chrono_tz::Tz,
}

impl I18n {
    pub fn new(lang: Lang) -> Self {
        Self { lang, zone: DEFAULT_ZONE }
    }

    /// The same, showing moments in `zone` (a company's).
    pub fn in_zone(self, zone: chrono_tz::Tz) -> Self {
        Self { zone, ..self }
    }

    fn bundle(&self) -> &'static FluentBundle<FluentResource> {
        match self.lang {
            Lang::En => &CATALOGUES.en,
            Lang::Da => &CATALOGUES.da,
        }
    }

    /// Personal data as the reader sees it: as stored, or where it was erased, saying so in
    /// their language.
    pub fn personal(&self, text: &str) -> String {
        if text == crate::domain::candidate::ERASED { self.t("erased-marker") } else { text.to_owned() }
    }

    /// The message `key`; a missing key shows as itself (and the catalogue tests fail).
    pub fn t(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(name, value.to_owned());
        self.format(key, Some(&args))
    }

    /// The message `key` with several arguments.
    pub fn tn(&self, key: &str, named: &[(&str, &str)]) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in named {
            args.set(*name, (*value).to_owned());
        }
        self.format(key, Some(&args))
    }

    /// A length of time in months: "1 month", "6 months"; "1 måned", "6 måneder".
    pub fn months(&self, count: u32) -> String {
        self.counted("duration-months", "count", i64::from(count))
    }

    /// The message `key` with the number `name`, which picks its plural form.
    pub fn counted(&self, key: &str, name: &str, number: i64) -> String {
        let mut args = FluentArgs::new();
        args.set(name, FluentValue::from(number));
        self.format(key, Some(&args))
    }

    /// A number with `places` decimals and the language's decimal mark (3.5 in English, 3,5 in
    /// Danish), a half rounded away from zero as people round (and as [`f64::round`] does,
    /// where a page counts in whole numbers): 62.5 is 63, not the 62 of Rust's formatting,
    /// which rounds a half to even.
    pub fn decimal(&self, value: f64, places: usize) -> String {
        let scale = 10f64.powi(places as i32);
        let rounded = (value * scale).round() / scale;
        let text = format!("{rounded:.places$}");
        match self.lang {
            Lang::En => text,
            Lang::Da => text.replace('.', ","),
        }
    }

    pub fn has(&self, key: &str) -> bool {
        self.bundle().has_message(key)
    }

    /// The message `key` when it exists and needs no arguments; `None` otherwise, quietly: for
    /// a text that is shown only where there is one (a field's hint, which a page may instead
    /// write with its values).
    pub fn plain(&self, key: &str) -> Option<String> {
        let bundle = self.bundle();
        let pattern = bundle.get_message(key)?.value()?;
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, None, &mut errors).into_owned();
        errors.is_empty().then_some(text)
    }

    fn format(&self, key: &str, args: Option<&FluentArgs>) -> String {
        let bundle = self.bundle();
        let Some(pattern) = bundle.get_message(key).and_then(|message| message.value()) else {
            tracing::warn!(key, lang = self.lang.code(), "missing message");
            return key.to_owned();
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors).into_owned();
        if !errors.is_empty() {
            tracing::warn!(key, ?errors, "message could not be formatted");
        }
        text
    }

    /// Why each field was rejected, as sentences one after another.
    pub fn problems(&self, errors: &crate::domain::input::FieldErrors) -> String {
        errors.iter().map(|e| self.problem(&e.problem)).collect::<Vec<_>>().join(" ")
    }

    /// Why a field was rejected, as a sentence.
    pub fn problem(&self, problem: &Problem) -> String {
        let mut args = FluentArgs::new();
        let key = match problem {
            Problem::Required => "problem-required",
            Problem::TooLong { max } => {
                args.set("max", self.number(*max as i64));
                "problem-too-long"
            }
            Problem::TooManyItems { max } => {
                args.set("max", self.number(*max as i64));
                "problem-too-many-items"
            }
            Problem::NotAWholeNumber => "problem-not-a-whole-number",
            Problem::OutOfRange { min, max } => {
                args.set("min", self.number(*min));
                args.set("max", self.number(*max));
                "problem-out-of-range"
            }
            Problem::UnknownChoice { allowed } => {
                args.set("allowed", FluentValue::from(allowed.join(", ")));
                "problem-unknown-choice"
            }
            Problem::InvalidEmail => "problem-invalid-email",
            Problem::InvalidDate => "problem-invalid-date",
            Problem::InvalidDateTime => "problem-invalid-date-time",
            Problem::DateInPast => "problem-date-in-past",
            Problem::DeadlineAfterStart => "problem-deadline-after-start",
            Problem::InvalidWeek => "problem-invalid-week",
            Problem::OnlyForFixedTerm => "problem-only-for-fixed-term",
            Problem::InterviewsBeforeDeadline => "problem-interviews-before-deadline",
            Problem::InterviewsAfterStart => "problem-interviews-after-start",
            Problem::OpenAfterInterviews => "problem-open-after-interviews",
            Problem::MoreThanEmployees => "problem-more-than-employees",
            Problem::MoreThanAccounts => "problem-more-than-accounts",
            Problem::SalaryMinAboveMax => "problem-salary-min-above-max",
            Problem::SalaryIncomplete => "problem-salary-incomplete",
            Problem::InvalidCurrency => "problem-invalid-currency",
            Problem::WrongType => "problem-wrong-type",
            Problem::PasswordTooShort { min } => {
                args.set("min", self.number(*min as i64));
                "problem-password-too-short"
            }
            Problem::PasswordTooCommon => "problem-password-too-common",
            Problem::EmailTaken => "problem-email-taken",
            Problem::UnknownUser => "problem-unknown-user",
            Problem::InactiveUser => "problem-inactive-user",
            Problem::NotPlanned => "problem-not-planned",
            Problem::NotAHiringManager => "problem-not-a-hiring-manager",
            Problem::InvalidPhone => "problem-invalid-phone",
            Problem::InvalidLink => "problem-invalid-link",
            Problem::UnknownTimeZone => "problem-unknown-time-zone",
            Problem::WebhookToOwnNetwork => "problem-webhook-to-own-network",
            Problem::DateInFuture => "problem-date-in-future",
            Problem::BeforeApplied => "problem-before-applied",
            Problem::AlreadyApplied => "problem-already-applied",
            Problem::NotAssigned => "problem-not-assigned",
            Problem::EvidenceTooShort => "problem-evidence-too-short",
            Problem::VerdictNotPossible => "problem-verdict-not-possible",
            Problem::EndBeforeStart => "problem-end-before-start",
            Problem::NothingToSearch => "problem-nothing-to-search",
            Problem::TooManyWords { max } => {
                args.set("max", self.number(*max as i64));
                "problem-too-many-words"
            }
            Problem::ConsentIncomplete => "problem-consent-incomplete",
            Problem::ConsentTooLong { max_months } => {
                args.set("max", self.number(*max_months));
                "problem-consent-too-long"
            }
            Problem::HeadToHeadSize { min, max } => {
                args.set("min", self.number(*min as i64));
                args.set("max", self.number(*max as i64));
                "problem-head-to-head-size"
            }
            Problem::ControlCharacter => "problem-control-character",
            Problem::WrongPassword => "problem-wrong-password",
            Problem::LastAdmin => "problem-last-admin",
            Problem::OwnAdminRole => "problem-own-admin-role",
            Problem::DeactivatingSelf => "problem-deactivating-self",
            Problem::NotYesOrNo => "problem-not-yes-or-no",
            Problem::InvalidCursor => "problem-invalid-cursor",
            Problem::InvalidIdempotencyKey { max } => {
                args.set("max", self.number(*max as i64));
                "problem-invalid-idempotency-key"
            }
            Problem::IdempotencyKeyReused => "problem-idempotency-key-reused",
            Problem::InvalidSlug { min, max } => {
                args.set("min", self.number(*min as i64));
                args.set("max", self.number(*max as i64));
                "problem-invalid-slug"
            }
            Problem::SlugTaken => "problem-slug-taken",
            Problem::UnresolvedFindings { flags, placeholders } => {
                args.set("flags", self.number(*flags as i64));
                args.set("placeholders", self.number(*placeholders as i64));
                "problem-unresolved-findings"
            }
            Problem::NotADocument => "problem-not-a-document",
            Problem::DocumentTooLarge { max_mb } => {
                args.set("max", self.number(*max_mb as i64));
                "problem-document-too-large"
            }
            Problem::UnknownProfile => "problem-unknown-profile",
            Problem::AmbiguousProfile => "problem-ambiguous-profile",
            Problem::DuplicateRow { line } => {
                args.set("line", self.number(*line as i64));
                "problem-duplicate-row"
            }
            Problem::FileTooLarge { max_kb } => {
                args.set("max", self.number(*max_kb as i64));
                "problem-file-too-large"
            }
            Problem::MissingColumn { column } => {
                args.set("column", self.t(&format!("import-column-{column}")));
                "problem-missing-column"
            }
            Problem::RepeatedColumn { column } => {
                args.set("column", self.t(&format!("import-column-{column}")));
                "problem-repeated-column"
            }
            Problem::MalformedFile { reason } => {
                args.set("reason", reason.clone());
                "problem-malformed-file"
            }
            Problem::NotInThisProfile => "problem-not-in-this-profile",
            Problem::NotAPossibleDuplicate => "problem-not-a-possible-duplicate",
            Problem::ApplicationsOverlap => "problem-applications-overlap",
            Problem::UnknownField { name, allowed } => {
                args.set("name", name.clone());
                let braced: Vec<String> = allowed.iter().map(|field| format!("{{{field}}}")).collect();
                args.set("allowed", braced.join(", "));
                "problem-unknown-field"
            }
            Problem::NoInterviewTime => "problem-no-interview-time",
            Problem::InvalidFormKey => "problem-invalid-form-key",
            Problem::FormKeyUsed => "problem-form-key-used",
            Problem::UnknownMention { text } => {
                args.set("text", text.clone());
                "problem-unknown-mention"
            }
            Problem::AmbiguousMention { text } => {
                args.set("text", text.clone());
                "problem-ambiguous-mention"
            }
            Problem::MentionCannotRead { name } => {
                args.set("name", name.clone());
                "problem-mention-cannot-read"
            }
        };
        self.format(key, Some(&args))
    }

    /// An integer with the language's digit grouping: 10,000 in English, 10.000 in Danish.
    pub fn number(&self, value: i64) -> String {
        written::number(value, self.lang.content())
    }

    /// A calendar date: "26 November 2026" in English, "26. november 2026" in Danish.
    pub fn date(&self, date: &NaiveDate) -> String {
        written::date(date, self.lang.content())
    }

    /// A form field's label (`field-<name>`).
    pub fn field_label(&self, name: &str) -> String {
        self.t(&format!("field-{name}"))
    }

    /// A local period of one day, as where it is held: "3 December 2026, 10:00–11:00" in
    /// English, "3. december 2026 kl. 10.00–11.00" in Danish.
    pub fn local_period(&self, start: &NaiveDateTime, end: &NaiveDateTime) -> String {
        let date = self.date(&start.date());
        match self.lang {
            Lang::En => format!("{date}, {}–{}", start.format("%H:%M"), end.format("%H:%M")),
            Lang::Da => format!("{date} kl. {}–{}", start.format("%H.%M"), end.format("%H.%M")),
        }
    }

    /// A moment in the page's time zone: the date and the time of day ("3 December 2026 at
    /// 14:05", "3. december 2026 kl. 14.05").
    pub fn timestamp(&self, moment: &DateTime<Utc>) -> String {
        let local = moment.with_timezone(&self.zone);
        let date = self.date(&local.date_naive());
        match self.lang {
            Lang::En => format!("{date} at {}", local.format("%H:%M")),
            Lang::Da => format!("{date} kl. {}", local.format("%H.%M")),
        }
    }

    /// The moments from `first` to `last` in the page's time zone: "3 December 2026 at
    /// 14:05–16:30" within one day there, else both in full.
    pub fn time_span(&self, first: &DateTime<Utc>, last: &DateTime<Utc>) -> String {
        let (from, to) = (first.with_timezone(&self.zone), last.with_timezone(&self.zone));
        if from.date_naive() != to.date_naive() {
            return format!("{} – {}", self.timestamp(first), self.timestamp(last));
        }
        let time = match self.lang {
            Lang::En => to.format("%H:%M"),
            Lang::Da => to.format("%H.%M"),
        };
        format!("{}–{time}", self.timestamp(first))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn a_plain_text_is_only_a_message_that_needs_no_values() {
        let i18n = I18n::new(Lang::En);
        assert_eq!(i18n.plain("field-email"), Some(i18n.t("field-email")));
        assert_eq!(i18n.plain("field-talent_pool-hint"), None, "it names a duration");
        assert_eq!(i18n.plain("no-such-message"), None);
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    /// One Danish word for each thing the pages name, and the words they must not use for it.
    const DANISH_GLOSSARY: [(&str, &[&str]); 6] = [
        ("vurdering (a scorecard)", &["scorekort", "scorecard", "scorecards"]),
        ("jobopslag (a job ad)", &["jobannonce", "jobannoncen", "jobannoncens", "jobannoncer"]),
        ("ansøgningstavle (the pipeline board)", &["pipeline", "pipelinen"]),
        ("første gennemgang (screening)", &["screening", "screeningen"]),
        ("nøglekunde (a key account)", &["key account"]),
        ("amfits faglige grundlag (the source text)", &["kildeteksten", "domænenoter"]),
    ];

    #[test]
    fn the_danish_pages_use_one_word_for_each_thing() {
        let values = DA_FTL.lines().filter(|line| !line.starts_with('#')).filter_map(|line| line.split_once(" = "));
        for (key, value) in values {
            let words: Vec<String> =
                value.split(|c: char| !c.is_alphanumeric() && c != ' ').map(str::to_lowercase).collect();
            let text = format!(" {} ", words.join(" "));
            for (term, avoided) in DANISH_GLOSSARY {
                for word in avoided {
                    assert!(!text.contains(&format!(" {word} ")), "{key} says {word:?}; the Danish term is {term}");
                }
            }
        }
    }

    #[test]
    fn moments_are_shown_in_danish_time_or_the_company_s() {
        let winter = "2026-12-03T13:05:00Z".parse::<DateTime<Utc>>().unwrap();
        let summer = "2027-07-01T13:05:00Z".parse::<DateTime<Utc>>().unwrap();
        let danish = I18n::new(Lang::Da);
        assert_eq!(danish.timestamp(&winter), "3. december 2026 kl. 14.05");
        assert_eq!(danish.timestamp(&summer), "1. juli 2027 kl. 15.05", "summer time");
        let late = "2026-12-03T23:30:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(I18n::new(Lang::En).timestamp(&late), "4 December 2026 at 00:30", "the local date");
        let new_york = I18n::new(Lang::En).in_zone(chrono_tz::America::New_York);
        assert_eq!(new_york.timestamp(&winter), "3 December 2026 at 08:05");
    }

    #[test]
    fn a_half_rounds_up_on_every_page_alike() {
        let (english, danish) = (I18n::new(Lang::En), I18n::new(Lang::Da));
        assert_eq!(english.decimal(62.5, 0), "63");
        assert_eq!(english.decimal(62.5, 0), english.number(62.5f64.round() as i64));
        assert_eq!(english.decimal(3.25, 1), "3.3");
        assert_eq!(danish.decimal(3.25, 1), "3,3");
        assert_eq!(english.decimal(-0.5, 0), "-1");
        assert_eq!(english.decimal(4.0, 2), "4.00");
    }

    #[test]
    fn a_time_span_ends_in_the_same_time_zone_it_begins_in() {
        let first = "2026-12-07T20:21:00Z".parse::<DateTime<Utc>>().unwrap();
        let last = "2026-12-07T20:28:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(I18n::new(Lang::En).time_span(&first, &last), "7 December 2026 at 21:21–21:28");
        assert_eq!(I18n::new(Lang::Da).time_span(&first, &last), "7. december 2026 kl. 21.21–21.28");
        let next_day = "2026-12-07T23:10:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            I18n::new(Lang::En).time_span(&first, &next_day),
            "7 December 2026 at 21:21 – 8 December 2026 at 00:10",
            "a span over midnight there names both days"
        );
    }

    #[test]
    fn language_follows_cookie_then_browser_then_english() {
        assert_eq!(Lang::negotiate(&headers(&[])), Lang::En);
        assert_eq!(Lang::negotiate(&headers(&[("accept-language", "da-DK,da;q=0.9,en;q=0.8")])), Lang::Da);
        assert_eq!(Lang::negotiate(&headers(&[("accept-language", "de-DE, en;q=0.5, da;q=0.7")])), Lang::Da);
        assert_eq!(Lang::negotiate(&headers(&[("accept-language", "fr, de")])), Lang::En);
        let both = [("accept-language", "da"), ("cookie", "theme=x; amfit_lang=en")];
        assert_eq!(Lang::negotiate(&headers(&both)), Lang::En);
        let junk = [("accept-language", "da"), ("cookie", "amfit_lang=xx")];
        assert_eq!(Lang::negotiate(&headers(&junk)), Lang::Da);
    }

    #[test]
    fn numbers_and_dates_follow_the_language() {
        let (en, da) = (I18n::new(Lang::En), I18n::new(Lang::Da));
        assert_eq!(en.number(10_000_000), "10,000,000");
        assert_eq!(da.number(10_000_000), "10.000.000");
        assert_eq!(da.number(-1_234), "-1.234");
        assert_eq!(en.number(999), "999");
        let date = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        assert_eq!(en.date(&date), "1 March 2027");
        assert_eq!(da.date(&date), "1. marts 2027");
    }

    /// Every message exists in both catalogues, and every catalogue parses cleanly.
    #[test]
    fn catalogues_are_complete_and_parse() {
        let ids = |source: &str| -> std::collections::BTreeSet<String> {
            let resource = FluentResource::try_new(source.to_owned()).expect("catalogue parses");
            resource
                .entries()
                .filter_map(|entry| match entry {
                    fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                    _ => None,
                })
                .collect()
        };
        let (en, da) = (ids(EN_FTL), ids(DA_FTL));
        let only_en: Vec<_> = en.difference(&da).collect();
        let only_da: Vec<_> = da.difference(&en).collect();
        assert!(only_en.is_empty() && only_da.is_empty(), "only in en: {only_en:?}; only in da: {only_da:?}");
    }

    #[test]
    fn every_problem_has_a_message_in_both_languages() {
        let problems = [
            Problem::Required,
            Problem::TooLong { max: 1 },
            Problem::TooManyItems { max: 1 },
            Problem::NotAWholeNumber,
            Problem::OutOfRange { min: 0, max: 1 },
            Problem::UnknownChoice { allowed: vec!["a".into()] },
            Problem::InvalidEmail,
            Problem::InvalidDate,
            Problem::DateInPast,
            Problem::DeadlineAfterStart,
            Problem::InvalidWeek,
            Problem::OnlyForFixedTerm,
            Problem::InterviewsBeforeDeadline,
            Problem::InterviewsAfterStart,
            Problem::OpenAfterInterviews,
            Problem::MoreThanEmployees,
            Problem::MoreThanAccounts,
            Problem::SalaryMinAboveMax,
            Problem::SalaryIncomplete,
            Problem::InvalidCurrency,
            Problem::WrongType,
            Problem::PasswordTooShort { min: 12 },
            Problem::PasswordTooCommon,
            Problem::EmailTaken,
            Problem::UnknownUser,
            Problem::NotAHiringManager,
            Problem::InvalidPhone,
            Problem::InvalidLink,
            Problem::UnknownTimeZone,
            Problem::WebhookToOwnNetwork,
            Problem::DateInFuture,
            Problem::BeforeApplied,
            Problem::AlreadyApplied,
            Problem::NotAssigned,
            Problem::EvidenceTooShort,
            Problem::VerdictNotPossible,
            Problem::EndBeforeStart,
            Problem::NothingToSearch,
            Problem::TooManyWords { max: 10 },
            Problem::ConsentIncomplete,
            Problem::ConsentTooLong { max_months: 36 },
            Problem::HeadToHeadSize { min: 2, max: 5 },
            Problem::ControlCharacter,
            Problem::WrongPassword,
            Problem::LastAdmin,
            Problem::OwnAdminRole,
            Problem::DeactivatingSelf,
            Problem::NotYesOrNo,
            Problem::InvalidCursor,
            Problem::InvalidIdempotencyKey { max: 255 },
            Problem::IdempotencyKeyReused,
            Problem::InvalidSlug { min: 3, max: 80 },
            Problem::SlugTaken,
            Problem::UnresolvedFindings { flags: 1, placeholders: 2 },
            Problem::NotADocument,
            Problem::DocumentTooLarge { max_mb: 10 },
            Problem::UnknownProfile,
            Problem::AmbiguousProfile,
            Problem::DuplicateRow { line: 3 },
            Problem::FileTooLarge { max_kb: 400 },
            Problem::MissingColumn { column: "email".into() },
            Problem::RepeatedColumn { column: "name".into() },
            Problem::MalformedFile { reason: "unexpected end".into() },
            Problem::NotInThisProfile,
            Problem::NotAPossibleDuplicate,
            Problem::ApplicationsOverlap,
            Problem::UnknownField { name: "job".into(), allowed: vec!["note".into()] },
            Problem::NoInterviewTime,
            Problem::InvalidFormKey,
            Problem::FormKeyUsed,
            Problem::UnknownMention { text: "Jon".into() },
            Problem::AmbiguousMention { text: "Ann".into() },
            Problem::MentionCannotRead { name: "Bo Ek".into() },
        ];
        for lang in Lang::ALL {
            for problem in &problems {
                let message = I18n::new(lang).problem(problem);
                assert!(!message.starts_with("problem-"), "{lang:?} lacks a message for {problem:?}");
            }
        }
    }

    #[test]
    fn no_catalogue_defines_a_message_twice() {
        for (code, source) in [("en", EN_FTL), ("da", DA_FTL)] {
            let mut bundle = FluentBundle::new_concurrent(vec![code.parse().unwrap()]);
            let resource = FluentResource::try_new(source.to_owned()).expect("catalogue parses");
            assert!(bundle.add_resource(resource).is_ok(), "{code}.ftl defines a message twice");
        }
    }

    /// The label keys of every value of `E` missing from either catalogue.
    fn missing_labels<E: strum::VariantArray + crate::domain::Labelled>() -> Vec<String> {
        let mut missing = Vec::new();
        for key in E::VARIANTS.iter().map(crate::domain::Labelled::label_key) {
            for lang in Lang::ALL {
                if !I18n::new(lang).has(&key) {
                    missing.push(format!("{}: {key}", lang.code()));
                }
            }
        }
        missing
    }

    /// Every value of every closed set the UI shows has a label in both languages.
    #[test]
    fn every_choice_has_a_label_in_both_languages() {
        use crate::domain::{
            ad, audit, calibration, candidate, compare, conditions, decision, profile, scorecard, user, wording,
        };
        let missing = [
            missing_labels::<audit::AuditAction>(),
            missing_labels::<audit::AuditSubject>(),
            missing_labels::<audit::Agent>(),
            missing_labels::<ad::Tone>(),
            missing_labels::<ad::AdFormat>(),
            missing_labels::<ad::MissingItem>(),
            missing_labels::<profile::AdLanguage>(),
            missing_labels::<profile::ClientSize>(),
            missing_labels::<profile::Duty>(),
            missing_labels::<profile::GrowthFocus>(),
            missing_labels::<profile::MeetingCadence>(),
            missing_labels::<profile::PresentationFrequency>(),
            missing_labels::<profile::RemoteOption>(),
            missing_labels::<profile::SalaryPeriod>(),
            missing_labels::<conditions::LanguageLevel>(),
            missing_labels::<conditions::VariablePay>(),
            missing_labels::<conditions::SpokenLanguage>(),
            missing_labels::<candidate::Stage>(),
            missing_labels::<scorecard::Recommendation>(),
            missing_labels::<user::Role>(),
            missing_labels::<decision::Verdict>(),
            missing_labels::<compare::Standing>(),
            missing_labels::<calibration::Tendency>(),
            missing_labels::<wording::FlagCategory>(),
            missing_labels::<wording::GenderVerdict>(),
            missing_labels::<wording::LixBand>(),
            missing_labels::<wording::PracticalItem>(),
        ]
        .concat();
        assert!(missing.is_empty(), "labels missing: {missing:?}");
    }

    /// Every key the templates and the code name is in the catalogues.
    #[test]
    fn every_key_used_exists() {
        let i18n = I18n::new(Lang::En);
        let mut missing = Vec::new();
        for key in used_keys() {
            if !i18n.has(&key) {
                missing.push(key);
            }
        }
        assert!(missing.is_empty(), "keys used but not in the catalogues: {missing:?}");
    }

    /// Keys quoted in `.t("…")`/`.t1("…"`/`.tn("…"` calls anywhere under templates/ and src/.
    fn used_keys() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut keys = Vec::new();
        let mut folders = vec![root.join("templates"), root.join("src")];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|e| e == "html" || e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for marker in [".t(\"", ".t1(\"", ".tn(\""] {
                        for (at, _) in text.match_indices(marker) {
                            let rest = &text[at + marker.len()..];
                            let key = &rest[..rest.find('"').unwrap()];
                            if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                                keys.push(key.to_owned());
                            }
                        }
                    }
                }
            }
        }
        keys.sort();
        keys.dedup();
        keys
    }
}
