//! Job ads written from a role profile: what the ad asks of the candidate, its text (Markdown,
//! from the templates in `templates/ads/{da,en}/`), that text as HTML or plain text, and the
//! schema.org `JobPosting` that search engines read.

use std::ops::Range;

use askama::Template;
use chrono::{DateTime, NaiveDate, Utc};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use super::company::{CompanyDetails, SizeBand};
use super::conditions::{LanguageLevel, LanguageLevels, VariablePay};
use super::input::{FieldErrors, FieldParser, lenient_text};
use super::profile::{
    AccountModel, AdLanguage, ClientSize, Duty, Employment, GrowthFocus, Interviewing, MeetingCadence,
    PresentationFrequency, ProfileDetails, RemoteOption, SalaryBand, SalaryPeriod,
};
use super::rubric::{Competency, DerivedWeight};
use super::wording::{TEXT_MAX, WordingReport};
use super::written;

/// The most requirements an ad lists, must-haves and nice-to-haves together: long lists of
/// requirements deter qualified applicants, women more than men (../shared/DOMAIN.md).
pub const REQUIREMENTS_MAX: usize = 6;

named_choice!(
    /// How the ad speaks to the reader; both address them as "you" (du), the normal form in
    /// Danish ads, and differ in how personal and direct the sentences are.
    Tone, "tone" { Informal, Formal }
);
named_choice!(
    /// What an ad can be written out as.
    AdFormat, "format" { Md, Html, Text, Jsonld }
);
named_choice!(
    /// What a profile lacks for a complete ad; the ad says so where it would be.
    /// `ReportsTo` and `Education` are missing only when the profile gives them in the other
    /// language: neither is needed, but one written for one ad belongs in both.
    MissingItem, "missing" { CompanyDescription, Deadline, Contact, HowToApply, ReportsTo, Education }
);

impl AdFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            AdFormat::Md => "text/markdown; charset=utf-8",
            AdFormat::Html => "text/html; charset=utf-8",
            AdFormat::Text => "text/plain; charset=utf-8",
            AdFormat::Jsonld => "application/ld+json",
        }
    }

    /// The format an `Accept` header prefers among an ad's: the media type of the highest
    /// weight (the first of equal ones); `None` when it names none of them (`*/*` included).
    pub fn preferred_in(accept: &str) -> Option<Self> {
        let mut ranges: Vec<(f32, Self)> = accept
            .split(',')
            .filter_map(|range| {
                let mut parts = range.split(';').map(str::trim);
                let format = Self::of_media_type(&parts.next()?.to_ascii_lowercase())?;
                let weight = parts
                    .find_map(|parameter| parameter.strip_prefix("q=").or_else(|| parameter.strip_prefix("Q=")))
                    .map_or(Some(1.0), |q| q.parse::<f32>().ok().filter(|q| (0.0..=1.0).contains(q)))?;
                (weight > 0.0).then_some((weight, format))
            })
            .collect();
        ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranges.first().map(|(_, format)| *format)
    }

    fn of_media_type(media_type: &str) -> Option<Self> {
        match media_type {
            "text/markdown" => Some(AdFormat::Md),
            "text/html" => Some(AdFormat::Html),
            "text/plain" => Some(AdFormat::Text),
            "application/ld+json" => Some(AdFormat::Jsonld),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            AdFormat::Md => "md",
            AdFormat::Html => "html",
            AdFormat::Text => "txt",
            AdFormat::Jsonld => "jsonld",
        }
    }
}

/// What the ad asks for, each list heaviest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirements<'r> {
    pub must_haves: Vec<&'r Competency>,
    pub nice_to_haves: Vec<&'r Competency>,
}

/// The competencies an ad asks for from `weights` (heaviest first, as
/// [`Rubric::weigh`](super::rubric::Rubric::weigh) gives them), next to `written_in`
/// requirements the recruiter wrote in: [`REQUIREMENTS_MAX`] in all where the must-haves
/// allow. The must-haves and the [`HEAVIEST_REQUIRED`] heaviest competencies come first, never
/// dropped for a nice-to-have, and the heaviest are asked for however many were written in; a
/// competency weighted 0 is never asked for.
pub fn requirements<'r>(weights: &[DerivedWeight<'r>], written_in: usize) -> Requirements<'r> {
    let weighted = || weights.iter().filter(|w| w.weight > 0).enumerate();
    let required = |(rank, w): &(usize, &DerivedWeight<'r>)| w.minimum.is_some() || *rank < HEAVIEST_REQUIRED;
    let room = REQUIREMENTS_MAX.saturating_sub(written_in).max(HEAVIEST_REQUIRED);
    let must_haves: Vec<&Competency> = weighted().filter(required).map(|(_, w)| w.competency).take(room).collect();
    let room = room - must_haves.len();
    let nice_to_haves = weighted().filter(|ranked| !required(ranked)).map(|(_, w)| w.competency).take(room).collect();
    Requirements { must_haves, nice_to_haves }
}

/// How many of the heaviest competencies an ad always requires, must-haves or not: what the
/// role weighs most is what the reader must see asked for.
const HEAVIEST_REQUIRED: usize = 2;

/// What an ad is written from.
#[derive(Debug, Clone, Copy)]
pub struct AdSource<'a> {
    pub company: &'a CompanyDetails,
    pub profile: &'a ProfileDetails,
    pub language: AdLanguage,
    pub tone: Tone,
}

/// A generated ad: its Markdown text and what the profile lacked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedAd {
    pub markdown: String,
    pub missing: Vec<MissingItem>,
}

impl AdSource<'_> {
    /// What the profile lacks for a complete ad.
    pub fn missing(&self) -> Vec<MissingItem> {
        let contact = &self.profile.contact;
        let reachable = contact.name.is_some() && (contact.email.is_some() || contact.phone.is_some());
        [
            (self.company.description(self.language).is_none(), MissingItem::CompanyDescription),
            (self.profile.application_deadline.is_none(), MissingItem::Deadline),
            (!reachable, MissingItem::Contact),
            // Applications go online or to the contact person's email address.
            (self.profile.apply_url.is_none() && contact.email.is_none(), MissingItem::HowToApply),
            (only_in_other(|l| self.profile.terms.reports_to(l), self.language), MissingItem::ReportsTo),
            (only_in_other(|l| self.profile.requirements.education(l), self.language), MissingItem::Education),
        ]
        .into_iter()
        .filter_map(|(lacking, item)| lacking.then_some(item))
        .collect()
    }

    /// The ad, from the profile and its weights (heaviest first).
    pub fn generate(&self, weights: &[DerivedWeight<'_>]) -> GeneratedAd {
        let chosen = requirements(weights, self.profile.requirements.listed());
        let one_client = self.profile.client_mix.accounts_per_manager == 1;
        let phrase = |c: &&Competency| c.requirement_phrase(one_client, self.language).to_owned();
        let phrases = |list: &[&Competency]| list.iter().map(phrase).collect();
        // The pluses follow "Det er en fordel, hvis du" / "It's a plus if you": without their "Du".
        let pluses = chosen.nice_to_haves.iter().map(|c| without_you(&phrase(c))).collect();
        let view = AdView::new(self, phrases(&chosen.must_haves), pluses);
        let rendered = match self.language {
            AdLanguage::En => EnglishAd { ad: &view }.render(),
            AdLanguage::Da => DanishAd { ad: &view }.render(),
        };
        // The templates take only strings and numbers the view has prepared: rendering cannot fail.
        let markdown = tidy(&rendered.unwrap_or_default());
        GeneratedAd { markdown, missing: self.missing() }
    }
}

/// Whether a text given per language is given in the other language but not in `language`.
fn only_in_other<'a>(text: impl Fn(AdLanguage) -> Option<&'a str>, language: AdLanguage) -> bool {
    text(language).is_none() && text(language.other()).is_some()
}

/// Everything the ad templates print, prepared in the ad's language.
struct AdView<'a> {
    formal: bool,
    title: &'a str,
    company: &'a str,
    description: Option<&'a str>,
    size: SizeBand,
    employees: String,
    account_managers: u32,
    model: AccountModel,
    accounts: u32,
    key_accounts: u32,
    /// The clients who are not key accounts.
    other_accounts: u32,
    client_size: ClientSize,
    /// The clients' industries in running text, when any are given.
    industries: Option<String>,
    growth: GrowthFocus,
    duties: &'a [Duty],
    cadence: MeetingCadence,
    presenting: PresentationFrequency,
    travel: u8,
    must_haves: Vec<String>,
    nice_to_haves: Vec<String>,
    /// The place of work as the ad's language names it.
    location: String,
    remote: RemoteOption,
    hours: u8,
    salary: Option<String>,
    start: Option<String>,
    deadline: Option<String>,
    contact: Option<String>,
    /// Where to apply online, when the profile says.
    apply_url: Option<&'a str>,
    /// The company's privacy notice, which the line on personal data points to.
    privacy_url: Option<&'a str>,
    /// Otherwise where applications go: the contact person's email address.
    apply_to: Option<&'a str>,
    employment: Employment,
    /// How long a fixed-term post lasts, in months.
    fixed_term_months: Option<u8>,
    part_time: bool,
    /// Interviews are held as applications come in.
    rolling: bool,
    /// The week interviews are expected in: its number and its Monday, written out.
    interview_week: Option<(u32, String)>,
    /// How many requirements the recruiter wrote in, listed before the competencies.
    written_in: usize,
    experience_years: Option<u8>,
    education: Option<&'a str>,
    education_missing: bool,
    /// The languages required at each level, listed ("dansk og engelsk").
    fluent_in: Option<String>,
    business_level_in: Option<String>,
    conversational_in: Option<String>,
    driving_licence: bool,
    pension_percent: Option<u8>,
    variable_pay: Option<VariablePay>,
    reports_to: Option<&'a str>,
    reports_to_missing: bool,
    invite_all: bool,
}

impl<'a> AdView<'a> {
    fn new(source: &AdSource<'a>, must_haves: Vec<String>, nice_to_haves: Vec<String>) -> Self {
        let (company, profile, language) = (source.company, source.profile, source.language);
        let mix = &profile.client_mix;
        let industries: Vec<String> = mix.client_industries(language).iter().map(|i| in_running_text(i)).collect();
        let missing = source.missing();
        let contact = &profile.contact;
        AdView {
            formal: source.tone == Tone::Formal,
            title: profile.ad_title(language),
            company: &company.name,
            description: company.description(language),
            size: company.size_band(),
            employees: written::number(i64::from(company.employees), language),
            account_managers: company.account_managers,
            model: mix.account_model(),
            accounts: mix.accounts_per_manager,
            key_accounts: mix.key_accounts_per_manager,
            other_accounts: mix.accounts_per_manager.saturating_sub(mix.key_accounts_per_manager),
            client_size: mix.typical_client_size,
            industries: (!industries.is_empty()).then(|| written::list(&industries, language)),
            growth: mix.growth_focus,
            duties: &profile.duties,
            cadence: mix.meeting_cadence,
            presenting: mix.presentation_frequency,
            travel: mix.travel_share,
            must_haves,
            nice_to_haves,
            location: written::place(&profile.location, language),
            remote: profile.remote_option,
            hours: profile.weekly_hours,
            salary: profile.salary.as_ref().map(|band| salary(band, language)),
            start: profile.start_date.map(|d| written::date(&d, language)),
            deadline: profile.application_deadline.map(|d| written::date(&d, language)),
            apply_url: profile.apply_url.as_deref(),
            privacy_url: company.privacy_url.as_deref(),
            apply_to: contact.email.as_deref(),
            employment: profile.employment,
            fixed_term_months: profile.terms.fixed_term_months.filter(|_| profile.employment == Employment::FixedTerm),
            part_time: profile.weekly_hours < FULL_TIME_HOURS,
            rolling: profile.interviewing == Interviewing::AsApplicationsCome,
            interview_week: profile
                .terms
                .interview_week
                .map(|week| (week.number(), written::date(&week.monday(), language))),
            written_in: profile.requirements.listed(),
            experience_years: profile.requirements.experience_years,
            education: profile.requirements.education(language),
            education_missing: missing.contains(&MissingItem::Education),
            fluent_in: languages_at(LanguageLevel::Fluent, &profile.requirements.languages, language),
            business_level_in: languages_at(LanguageLevel::Business, &profile.requirements.languages, language),
            conversational_in: languages_at(LanguageLevel::Conversational, &profile.requirements.languages, language),
            driving_licence: profile.requirements.driving_licence,
            pension_percent: profile.terms.pension_percent,
            variable_pay: profile.terms.variable_pay,
            reports_to: profile.terms.reports_to(language),
            reports_to_missing: missing.contains(&MissingItem::ReportsTo),
            invite_all: profile.terms.invite_all,
            contact: (!missing.contains(&MissingItem::Contact)).then(|| {
                [&contact.name, &contact.email, &contact.phone]
                    .into_iter()
                    .flatten()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
        }
    }
}

// The ad's prose is data, kept as one Markdown template a language in `templates/ads/`: that is
// what a recruiter or translator reads and edits, and askama (a template engine, with nothing
// of the web in it) checks it against `AdView` when amfit is built. Written as Rust string
// pushing, the ad would be buried in code that nobody but a programmer could change.
#[derive(Template)]
#[template(path = "ads/en/ad.md", escape = "none")]
struct EnglishAd<'a> {
    ad: &'a AdView<'a>,
}

#[derive(Template)]
#[template(path = "ads/da/ad.md", escape = "none")]
struct DanishAd<'a> {
    ad: &'a AdView<'a>,
}

/// The languages required at `level`, named and listed in the ad's language: "dansk og engelsk".
fn languages_at(level: LanguageLevel, levels: &LanguageLevels, language: AdLanguage) -> Option<String> {
    let names: Vec<String> = levels
        .required()
        .into_iter()
        .filter(|(_, required)| *required == level)
        .map(|(spoken, _)| spoken.name(language).to_owned())
        .collect();
    (!names.is_empty()).then(|| written::list(&names, language))
}

/// A requirement phrase ("Du er grundig …", "You are thorough …") as it reads after "hvis du"
/// or "if you": "er grundig …".
fn without_you(phrase: &str) -> String {
    ["Du ", "You "].iter().find_map(|you| phrase.strip_prefix(you)).unwrap_or(phrase).to_owned()
}

/// "Retail" as it reads inside a sentence ("retail"); "IT" and other capitalised
/// abbreviations stay as they are.
fn in_running_text(word: &str) -> String {
    let mut chars = word.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(word.chars().skip(1)).collect()
        }
        _ => word.to_owned(),
    }
}

/// "DKK 36,000–42,000 a month" / "36.000–42.000 DKK om måneden".
fn salary(band: &SalaryBand, language: AdLanguage) -> String {
    let amount = |n: u32| written::number(i64::from(n), language);
    let range =
        if band.min == band.max { amount(band.min) } else { format!("{}–{}", amount(band.min), amount(band.max)) };
    match (language, band.period) {
        (AdLanguage::En, SalaryPeriod::Month) => format!("{} {range} a month", band.currency),
        (AdLanguage::En, SalaryPeriod::Year) => format!("{} {range} a year", band.currency),
        (AdLanguage::Da, SalaryPeriod::Month) => format!("{range} {} om måneden", band.currency),
        (AdLanguage::Da, SalaryPeriod::Year) => format!("{range} {} om året", band.currency),
    }
}

/// The rendered template with its layout whitespace gone: no trailing spaces, never more than
/// one blank line, one newline at the end.
fn tidy(rendered: &str) -> String {
    let mut text = String::with_capacity(rendered.len());
    let mut blank_run = 0;
    for line in rendered.lines().map(str::trim_end) {
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !text.is_empty() && blank_run > 0 {
            text.push('\n');
        }
        blank_run = 0;
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// How a written ad marks what its profile lacks, in each language: "[Mangler: …]".
pub const PLACEHOLDER_OPENINGS: [&str; 2] = ["[Missing: ", "[Mangler: "];

/// What is left to finish in an ad text before it is posted: the discrimination-law flags of
/// its wording check and the places it still marks as missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Unfinished {
    pub flags: usize,
    /// "[Mangler: …]" and "[Missing: …]" left in the text.
    pub placeholders: usize,
}

impl Unfinished {
    pub fn of(text: &str, report: &WordingReport) -> Self {
        let placeholders = PLACEHOLDER_OPENINGS.iter().map(|opening| text.matches(opening).count()).sum();
        Self { flags: report.flags.len(), placeholders }
    }

    pub fn is_nothing(&self) -> bool {
        self.flags == 0 && self.placeholders == 0
    }
}

/// A saved version of a profile's ad. Versions are numbered per profile and never change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AdVersion {
    pub profile_id: i64,
    pub number: i64,
    pub language: AdLanguage,
    pub tone: Tone,
    /// The ad in Markdown.
    pub text: String,
    /// The name of the user who saved it; `None` once that user is deleted.
    pub saved_by: Option<String>,
    pub saved_at: DateTime<Utc>,
}

/// An ad to save or to check, as a form or a JSON body sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AdInput {
    /// The ad in Markdown, at most 50,000 characters.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, required = true)]
    pub text: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = AdLanguage, required = true)]
    pub language: Option<String>,
    /// `informal` when not given.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = Option<Tone>)]
    pub tone: Option<String>,
}

/// A valid ad text with its language and tone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdDraft {
    pub text: String,
    pub language: AdLanguage,
    pub tone: Tone,
}

impl AdInput {
    pub fn parse(&self) -> Result<AdDraft, FieldErrors> {
        let mut p = FieldParser::default();
        let language = p.choice("language", &self.language);
        // Trimmed, with the line ends a browser's text area sends (CRLF) made Unix ones, and
        // ending as a text file does: so that versions compare line by line.
        let text =
            p.required_text_within("text", &self.text, TEXT_MAX).replace("\r\n", "\n").replace('\r', "\n") + "\n";
        let tone = p.optional_choice("tone", &self.tone).unwrap_or_default();
        p.finish(AdDraft { text, language, tone })
    }
}

/// Which ad of a profile, and in what form, as a query string asks for it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct AdQuery {
    /// `md` (the default), `html` (a whole document with its JSON-LD), `text` or `jsonld`.
    #[param(value_type = Option<AdFormat>)]
    pub format: Option<String>,
    /// The profile's ad language when not given.
    #[param(value_type = Option<AdLanguage>)]
    pub language: Option<String>,
    /// `informal` when not given; a saved version keeps its own.
    #[param(value_type = Option<Tone>)]
    pub tone: Option<String>,
    /// A saved version's number; without it the ad is written afresh from the profile.
    #[param(value_type = Option<i64>, minimum = 1)]
    pub version: Option<String>,
}

/// A valid [`AdQuery`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdRequest {
    pub format: AdFormat,
    /// The profile's ad language when `None`.
    pub language: Option<AdLanguage>,
    pub tone: Tone,
    /// A saved version; written afresh when `None`.
    pub version: Option<i64>,
}

impl AdQuery {
    /// The ad asked for; without a `format`, the one the `Accept` header prefers among those
    /// an ad is written as (Markdown when it prefers none of them).
    pub fn parse(&self, accept: Option<&str>) -> Result<AdRequest, FieldErrors> {
        let mut p = FieldParser::default();
        let request = AdRequest {
            format: p
                .optional_choice("format", &self.format)
                .or_else(|| accept.and_then(AdFormat::preferred_in))
                .unwrap_or_default(),
            language: p.optional_choice("language", &self.language),
            tone: p.optional_choice("tone", &self.tone).unwrap_or_default(),
            version: p.optional_integer("version", &self.version, 1..=i64::MAX),
        };
        p.finish(request)
    }
}

/// A stretch of an ad's Markdown (byte offsets) to highlight in its HTML, with an explanation.
#[derive(Debug, Clone)]
pub struct Highlight<'a> {
    pub range: Range<usize>,
    pub class: &'static str,
    pub note: &'a str,
}

/// The ad's Markdown as HTML. Markup written into the text (HTML, scripts, images, links to
/// anything but web and mail addresses) comes out as text: the ad is the recruiter's words,
/// and a pasted `<script>` must never run in a colleague's browser or on a job board.
pub fn to_html(markdown: &str) -> String {
    to_highlighted_html(markdown, &[])
}

/// [`to_html`] with the highlights marked (`<mark class title>`); `highlights` must be sorted
/// and not overlap, as [`WordingReport::segments`](super::wording::WordingReport::segments)
/// gives them.
pub fn to_highlighted_html(markdown: &str, highlights: &[Highlight<'_>]) -> String {
    safe_html(markdown, highlights, Event::SoftBreak)
}

/// A letter's Markdown as HTML, as safe as [`to_html`]; each line break of the Markdown is one
/// in the letter, as in any mail program ("Kind regards" and the name under it).
pub fn to_letter_html(markdown: &str) -> String {
    safe_html(markdown, &[], Event::HardBreak)
}

fn safe_html(markdown: &str, highlights: &[Highlight<'_>], line_break: Event<'static>) -> String {
    let mut events = Vec::new();
    let mut open_links = Vec::new();
    for (event, range) in Parser::new_ext(markdown, Options::empty()).into_offset_iter() {
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => events.push(Event::Text(raw)),
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {}
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let safe = is_safe_link(&dest_url);
                open_links.push(safe);
                // An unsafe link keeps its text and loses its target.
                if safe {
                    events.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
                }
            }
            Event::End(TagEnd::Link) => {
                if open_links.pop().unwrap_or(false) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Text(text) if markdown.get(range.clone()) == Some(&*text) => {
                push_highlighted(&mut events, markdown, range, highlights);
            }
            Event::SoftBreak => events.push(line_break.clone()),
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(markdown.len() * 5 / 4);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// A web or mail address, or a place on the same page ("#apply-heading").
fn is_safe_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["https://", "http://", "mailto:", "#"].iter().any(|scheme| lower.starts_with(scheme))
}

/// The text at `range` of `markdown` as events, with `<mark>` around each highlight in it.
fn push_highlighted<'m>(
    events: &mut Vec<Event<'m>>,
    markdown: &'m str,
    range: Range<usize>,
    highlights: &[Highlight<'_>],
) {
    let mut at = range.start;
    let inside = highlights.iter().filter(|h| h.range.start < range.end && h.range.end > range.start);
    for highlight in inside {
        let start = highlight.range.start.max(range.start);
        let end = highlight.range.end.min(range.end);
        if start > at {
            events.push(Event::Text(CowStr::Borrowed(&markdown[at..start])));
        }
        let mut open = format!("<mark class=\"{}\" title=\"", highlight.class);
        // Writing to a String cannot fail.
        let _ = pulldown_cmark_escape::escape_html(&mut open, highlight.note);
        open.push_str("\">");
        events.push(Event::InlineHtml(CowStr::from(open)));
        events.push(Event::Text(CowStr::Borrowed(&markdown[start..end])));
        events.push(Event::InlineHtml(CowStr::Borrowed("</mark>")));
        at = end;
    }
    if at < range.end {
        events.push(Event::Text(CowStr::Borrowed(&markdown[at..range.end])));
    }
}

/// The ad's Markdown as plain text: headings and paragraphs apart by a blank line, list items
/// as "- item", links followed by their address.
pub fn to_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    let mut link_targets = Vec::new();
    for event in Parser::new_ext(markdown, Options::empty()) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push('\n'),
            Event::Start(Tag::Item) => text.push_str("- "),
            Event::Start(Tag::Link { dest_url, .. }) => link_targets.push(dest_url),
            Event::End(TagEnd::Link) => {
                if let Some(url) = link_targets.pop() {
                    text.push_str(&format!(" ({url})"));
                }
            }
            Event::End(TagEnd::Item) => text.push('\n'),
            Event::End(TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::List(_) | TagEnd::CodeBlock) => {
                if !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push('\n');
            }
            _ => {}
        }
    }
    tidy(&text)
}

/// The ad's headline: its first heading, or the profile's title when the text has none.
pub fn headline<'m>(markdown: &'m str, fallback: &'m str) -> &'m str {
    markdown
        .lines()
        .find_map(|line| line.strip_prefix("# "))
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .unwrap_or(fallback)
}

/// A schema.org `JobPosting` with what Google's job search requires (title, description,
/// datePosted, hiringOrganization, jobLocation, or jobLocationType TELECOMMUTE with
/// applicantLocationRequirements) and recommends where the profile gives it (validThrough,
/// employmentType, baseSalary).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobPosting {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    title: String,
    /// The ad as HTML, as the format asks.
    description: String,
    date_posted: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    valid_through: Option<NaiveDate>,
    employment_type: EmploymentTypes,
    hiring_organization: Organization,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_location: Option<Place>,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_location_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    applicant_location_requirements: Option<Country>,
    #[serde(skip_serializing_if = "Option::is_none")]
    base_salary: Option<MonetaryAmount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_start_date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    experience_requirements: Option<ExperienceRequirements>,
    /// In the ad's language.
    work_hours: String,
    identifier: PropertyValue,
    /// Applications go by email, not through the page the posting is on.
    direct_apply: bool,
}

/// schema.org's employment types: one, or several ("FULL_TIME" and "TEMPORARY").
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
enum EmploymentTypes {
    One(&'static str),
    Several(Vec<&'static str>),
}

/// The experience the recruiter asks for.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
struct ExperienceRequirements {
    #[serde(rename = "@type")]
    kind: &'static str,
    months_of_experience: u32,
}

/// The employer's own id of the job.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
struct PropertyValue {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: String,
    value: String,
}

/// What a posting is besides its ad: when it is posted, in which language, and the job's id.
#[derive(Debug, Clone, Copy)]
pub struct Posting<'a> {
    pub date_posted: NaiveDate,
    pub language: AdLanguage,
    /// The job's id, unique at the employer.
    pub identifier: &'a str,
    /// Set for an ad published on amfit's own job page: the last day it takes applications
    /// there, which then says directApply.
    pub published_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
struct Organization {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
struct Place {
    #[serde(rename = "@type")]
    kind: &'static str,
    address: PostalAddress,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
struct PostalAddress {
    #[serde(rename = "@type")]
    kind: &'static str,
    address_locality: String,
    address_country: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
struct Country {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
struct MonetaryAmount {
    #[serde(rename = "@type")]
    kind: &'static str,
    currency: String,
    value: QuantitativeValue,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
struct QuantitativeValue {
    #[serde(rename = "@type")]
    kind: &'static str,
    min_value: u32,
    max_value: u32,
    unit_text: &'static str,
}

/// amfit serves Danish employers and the company has no country of its own yet: jobs are in
/// Denmark.
const COUNTRY_CODE: &str = "DK";
const COUNTRY_NAME: &str = "Denmark";
/// Fewer hours than this a week is part-time (the Danish norm is 37).
const FULL_TIME_HOURS: u8 = 30;

impl JobPosting {
    pub fn new(company: &CompanyDetails, profile: &ProfileDetails, markdown: &str, posting: Posting<'_>) -> Self {
        let remote = profile.remote_option == RemoteOption::Remote;
        JobPosting {
            context: "https://schema.org/",
            kind: "JobPosting",
            // The role alone: search engines show the employer beside it.
            title: profile.ad_title(posting.language).to_owned(),
            description: to_html(markdown),
            date_posted: posting.date_posted,
            valid_through: posting.published_until.or(profile.application_deadline),
            employment_type: {
                let hours = if profile.weekly_hours >= FULL_TIME_HOURS { "FULL_TIME" } else { "PART_TIME" };
                match profile.employment {
                    Employment::Permanent => EmploymentTypes::One(hours),
                    Employment::FixedTerm => EmploymentTypes::Several(vec![hours, "TEMPORARY"]),
                }
            },
            hiring_organization: Organization { kind: "Organization", name: company.name.clone() },
            job_location: (!remote).then(|| Place {
                kind: "Place",
                address: PostalAddress {
                    kind: "PostalAddress",
                    address_locality: written::place(&profile.location, posting.language),
                    address_country: COUNTRY_CODE,
                },
            }),
            job_location_type: remote.then_some("TELECOMMUTE"),
            applicant_location_requirements: remote.then_some(Country { kind: "Country", name: COUNTRY_NAME }),
            base_salary: profile.salary.as_ref().map(|band| MonetaryAmount {
                kind: "MonetaryAmount",
                currency: band.currency.clone(),
                value: QuantitativeValue {
                    kind: "QuantitativeValue",
                    min_value: band.min,
                    max_value: band.max,
                    unit_text: match band.period {
                        SalaryPeriod::Month => "MONTH",
                        SalaryPeriod::Year => "YEAR",
                    },
                },
            }),
            job_start_date: profile.start_date,
            experience_requirements: profile.requirements.experience_years.map(|years| ExperienceRequirements {
                kind: "OccupationalExperienceRequirements",
                months_of_experience: u32::from(years) * 12,
            }),
            work_hours: match posting.language {
                AdLanguage::En => format!("{} hours a week", profile.weekly_hours),
                AdLanguage::Da => format!("{} timer om ugen", profile.weekly_hours),
            },
            identifier: PropertyValue {
                kind: "PropertyValue",
                name: company.name.clone(),
                value: posting.identifier.to_owned(),
            },
            direct_apply: posting.published_until.is_some(),
        }
    }

    /// The posting as JSON-LD, safe to embed in a `<script>` element: `<`, `>` and `&` are
    /// written as JSON escapes, so no text in the ad can close the element.
    pub fn to_json_ld(&self) -> String {
        let json = serde_json::to_string_pretty(self).unwrap_or_default();
        json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
    }
}

/// Which two saved versions of an ad to compare, as a query string asks for them.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    /// The version compared from (usually the older).
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = i64, minimum = 1, required = true)]
    pub from: Option<String>,
    /// The version compared to.
    #[serde(deserialize_with = "lenient_text")]
    #[param(value_type = i64, minimum = 1, required = true)]
    pub to: Option<String>,
}

impl CompareQuery {
    /// The two version numbers, each named when missing or not a positive whole number.
    pub fn parse(&self) -> Result<(i64, i64), FieldErrors> {
        let mut p = FieldParser::default();
        let from = p.required_integer("from", &self.from, 1..=i64::MAX);
        let to = p.required_integer("to", &self.to, 1..=i64::MAX);
        p.finish((from, to))
    }
}

named_choice!(
    /// What became of a line from one version of a text to another.
    LineChange, "line" { Same, Added, Removed }
);

/// One line of the comparison of two texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DiffLine {
    pub change: LineChange,
    pub text: String,
}

/// `newer` compared with `older`, line by line.
pub fn line_diff(older: &str, newer: &str) -> Vec<DiffLine> {
    similar::TextDiff::from_lines(older, newer)
        .iter_all_changes()
        .map(|change| DiffLine {
            change: match change.tag() {
                similar::ChangeTag::Equal => LineChange::Same,
                similar::ChangeTag::Insert => LineChange::Added,
                similar::ChangeTag::Delete => LineChange::Removed,
            },
            text: change.value().trim_end_matches('\n').to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::demo::demo_companies;

    fn rubric() -> crate::domain::rubric::Rubric {
        crate::rubrics::load(&crate::rubrics::RubricSource::BuiltIn).unwrap()
    }

    fn ids(competencies: &[&Competency]) -> Vec<String> {
        competencies.iter().map(|c| c.id.clone()).collect()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    /// Every demo profile in both languages and both tones, as the snapshots under
    /// `src/domain/snapshots/` hold them; each was read through for tone and grammar.
    #[test]
    fn demo_ads_read_as_written() {
        let rubric = rubric();
        for (company, profile) in demo_companies(today()) {
            let weights = rubric.weigh(&company, &profile, &[]);
            for language in [AdLanguage::Da, AdLanguage::En] {
                for tone in [Tone::Informal, Tone::Formal] {
                    let ad = AdSource { company: &company, profile: &profile, language, tone }.generate(&weights);
                    assert!(ad.missing.is_empty(), "the demo profiles are complete");
                    let name = format!("{}-{}-{}", company.name, language.as_str(), tone.as_str())
                        .to_lowercase()
                        .replace(|c: char| !c.is_ascii_alphanumeric(), "-");
                    insta::assert_snapshot!(name, ad.markdown);
                }
            }
        }
    }

    #[test]
    fn an_ad_says_what_the_profile_lacks_instead_of_printing_blanks() {
        let rubric = rubric();
        let (mut company, mut profile) = demo_companies(today()).remove(2);
        company.description_da = None;
        company.description_en = None;
        profile.application_deadline = None;
        profile.contact.email = None;
        let weights = rubric.weigh(&company, &profile, &[]);
        for (language, marker) in [(AdLanguage::En, "[Missing: "), (AdLanguage::Da, "[Mangler: ")] {
            let ad =
                AdSource { company: &company, profile: &profile, language, tone: Tone::Informal }.generate(&weights);
            let missing =
                [MissingItem::CompanyDescription, MissingItem::Deadline, MissingItem::Contact, MissingItem::HowToApply];
            assert_eq!(ad.missing, missing);
            assert_eq!(ad.markdown.matches(marker).count(), 4, "{}", ad.markdown);
            assert!(!ad.markdown.contains(": \n") && !ad.markdown.contains("()"), "no blanks: {}", ad.markdown);
        }
        // A phone number is enough to be reachable, not to apply to.
        profile.contact.phone = Some("+45 70 00 00 00".into());
        let source = AdSource { company: &company, profile: &profile, language: AdLanguage::Da, tone: Tone::Formal };
        let missing = [MissingItem::CompanyDescription, MissingItem::Deadline, MissingItem::HowToApply];
        assert_eq!(source.missing(), missing);
    }

    #[test]
    fn the_account_model_and_the_company_size_shape_the_text() {
        let rubric = rubric();
        let ads: Vec<String> = demo_companies(today())
            .iter()
            .map(|(company, profile)| {
                let weights = rubric.weigh(company, profile, &[]);
                AdSource { company, profile, language: AdLanguage::En, tone: Tone::Informal }
                    .generate(&weights)
                    .markdown
            })
            .collect();
        assert!(
            ads[0].contains("In a team this small") && ads[0].contains("around 30 clients. Most are small businesses")
        );
        assert!(ads[1].contains("join our 9 account managers") && ads[1].contains("5 are key accounts"));
        assert!(ads[2].contains("one of our 40 account managers") && ads[2].contains("You'll have one client"));
        assert!(ads[2].contains("Meet the client every week"), "one client is not 'each of your clients'");
    }

    #[test]
    fn an_ad_names_its_title_the_period_and_the_interview_week_in_its_own_language() {
        let rubric = rubric();
        let (company, mut profile) = demo_companies(today()).remove(1);
        profile.employment = Employment::FixedTerm;
        profile.terms.fixed_term_months = Some(12);
        profile.terms.interview_week = "2027-W03".parse().ok();
        profile.terms.title_en = Some("Account Manager".into());
        let weights = rubric.weigh(&company, &profile, &[]);
        let write = |profile: &ProfileDetails, language| {
            let source = AdSource { company: &company, profile, language, tone: Tone::Informal };
            source.generate(&weights).markdown
        };
        let (danish, english) = (write(&profile, AdLanguage::Da), write(&profile, AdLanguage::En));
        assert!(danish.starts_with("# Account manager til Ledgerly A/S\n"), "{danish}");
        assert!(danish.contains("- Ansættelsesform: tidsbegrænset stilling i 12 måneder, fuldtid\n"), "{danish}");
        assert!(danish.contains(" Samtaler forventes afholdt i uge 3."), "{danish}");
        assert!(english.starts_with("# Account Manager at Ledgerly A/S\n"), "{english}");
        assert!(english.contains("- Employment: fixed-term (12 months), full-time\n"), "{english}");
        assert!(english.contains("interviews in week 3, the week of 18 January 2027."), "{english}");
        let posting =
            Posting { date_posted: today(), language: AdLanguage::Da, identifier: "1", published_until: None };
        assert_eq!(JobPosting::new(&company, &profile, &danish, posting).title, "Account manager");

        profile.employment = Employment::Permanent;
        profile.terms.interview_week = None;
        let (danish, english) = (write(&profile, AdLanguage::Da), write(&profile, AdLanguage::En));
        assert!(danish.contains("- Ansættelsesform: fast stilling, fuldtid\n") && !danish.contains("Samtaler"));
        assert!(english.contains("- Employment: permanent, full-time\n") && !english.contains("week of"));
    }

    #[test]
    fn one_of_anything_is_written_in_the_singular() {
        use crate::domain::profile::ClientSize;
        let rubric = rubric();
        let demo = demo_companies(today());
        let (mut one_other, mut one_client, mut one_manager) = (demo[1].clone(), demo[1].clone(), demo[2].clone());
        (one_other.1.client_mix.accounts_per_manager, one_other.1.client_mix.key_accounts_per_manager) = (9, 8);
        let mix = &mut one_client.1.client_mix;
        (mix.accounts_per_manager, mix.key_accounts_per_manager, mix.typical_client_size) =
            (1, 0, ClientSize::SmallBusiness);
        one_manager.0.account_managers = 1;
        let plural = ["1 kunder", "1 andre", "øvrige 1 ", "af 1 account", "1 account managers", "1 other", "1 clients"];
        for (company, profile) in [&one_other, &one_client, &one_manager] {
            let weights = rubric.weigh(company, profile, &[]);
            for language in [AdLanguage::Da, AdLanguage::En] {
                for tone in [Tone::Informal, Tone::Formal] {
                    let ad = AdSource { company, profile, language, tone }.generate(&weights).markdown;
                    assert!(!plural.iter().any(|wrong| ad.contains(wrong)), "{ad}");
                }
            }
        }
        let write = |(company, profile): &(CompanyDetails, ProfileDetails), language| {
            let weights = rubric.weigh(company, profile, &[]);
            AdSource { company, profile, language, tone: Tone::Informal }.generate(&weights).markdown
        };
        assert!(write(&one_other, AdLanguage::Da).contains("Den sidste er en mellemstor virksomhed"));
        assert!(write(&one_client, AdLanguage::Da).contains("Du får én kunde: en lille virksomhed"));
        assert!(write(&one_client, AdLanguage::En).contains("You'll have one client: a small business"));
    }

    #[test]
    fn a_posted_ad_is_trimmed_with_unix_line_ends_and_names_each_bad_field() {
        let input = |text: &str, language: &str, tone: &str| AdInput {
            text: Some(text.into()),
            language: Some(language.into()),
            tone: (!tone.is_empty()).then(|| tone.into()),
        };
        let draft = input("  # Ad\r\n\r\nText\rmore \r\n", "da", "").parse().unwrap();
        assert_eq!(
            draft,
            AdDraft { text: "# Ad\n\nText\nmore\n".into(), language: AdLanguage::Da, tone: Tone::Informal }
        );
        assert_eq!(input("x", "en", "formal").parse().unwrap().tone, Tone::Formal);
        let fields = |errors: FieldErrors| errors.iter().map(|e| e.field.clone()).collect::<Vec<_>>();
        assert_eq!(fields(input(" ", "xx", "shouty").parse().unwrap_err()), ["language", "text", "tone"]);
        assert_eq!(fields(input(&"å".repeat(TEXT_MAX + 1), "da", "").parse().unwrap_err()), ["text"]);
        assert!(input(&"å".repeat(TEXT_MAX), "da", "").parse().is_ok(), "characters are counted, not bytes");
    }

    #[test]
    fn markup_in_the_text_is_shown_never_run() {
        let markdown = "# Job <script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n\
            [apply](javascript:alert(3)) or [mail us](mailto:jobs@example.com) ![pixel](https://evil.example/p.gif)\n";
        let html = to_html(markdown);
        assert!(!html.contains("<script") && !html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains(r#"<a href="mailto:jobs@example.com">mail us</a>"#), "{html}");
        assert!(html.contains("apply") && html.contains("pixel") && !html.contains("evil.example"), "{html}");
    }

    #[test]
    fn highlights_mark_the_text_they_cover_and_nothing_else() {
        let markdown = "# Title\n\nWe want a *ninja* who is young at heart.\n";
        let young = markdown.find("young").unwrap();
        let ninja = markdown.find("ninja").unwrap();
        let note = "Age: \"young\" <prefers> an age";
        let highlights = [
            Highlight { range: ninja..ninja + 5, class: "masculine", note: "coded" },
            Highlight { range: young..young + 5, class: "flag", note },
        ];
        let html = to_highlighted_html(markdown, &highlights);
        assert!(html.contains(r#"<em><mark class="masculine" title="coded">ninja</mark></em>"#), "{html}");
        assert!(
            html.contains(
                r#"<mark class="flag" title="Age: &quot;young&quot; &lt;prefers&gt; an age">young</mark> at heart"#
            ),
            "{html}"
        );
        assert_eq!(to_highlighted_html(markdown, &[]), to_html(markdown));
    }

    #[test]
    fn plain_text_keeps_the_structure_without_the_markup() {
        let markdown =
            "# Title\n\nA *short* paragraph\nover two lines.\n\n## List\n\n- one\n- [two](https://example.com)\n";
        assert_eq!(
            to_text(markdown),
            "Title\n\nA short paragraph\nover two lines.\n\nList\n\n- one\n- two (https://example.com)\n"
        );
        assert_eq!(headline(markdown, "fallback"), "Title");
        assert_eq!(headline("no heading", "fallback"), "fallback");
    }

    #[test]
    fn the_job_posting_carries_every_property_search_engines_require() {
        let (company, mut profile) = demo_companies(today()).remove(0);
        let markdown = "# Account Manager at Nordlys\n\nText </script><script>alert(1)</script> & more.\n";
        let danish =
            Posting { date_posted: today(), language: AdLanguage::Da, identifier: "amfit-7-v2", published_until: None };
        let posting = JobPosting::new(&company, &profile, markdown, danish);
        let json: serde_json::Value = serde_json::from_str(&posting.to_json_ld()).unwrap();
        assert_eq!(json["@context"], "https://schema.org/");
        assert_eq!(json["@type"], "JobPosting");
        assert_eq!(json["title"], profile.title, "the role, without the company");
        assert_eq!(json["workHours"], "37 timer om ugen", "in the ad's language");
        assert_eq!(json["identifier"]["value"], "amfit-7-v2");
        assert_eq!(json["identifier"]["name"], "Nordlys Digital ApS");
        assert_eq!(json["directApply"], false);
        assert!(json.get("experienceRequirements").is_none(), "Nordlys asks for no years");
        profile.requirements.experience_years = Some(3);
        let posting = JobPosting::new(&company, &profile, markdown, danish);
        let with_years: serde_json::Value = serde_json::from_str(&posting.to_json_ld()).unwrap();
        assert_eq!(with_years["experienceRequirements"]["monthsOfExperience"], 36);
        let until = NaiveDate::from_ymd_opt(2026, 12, 31);
        let on_our_page = Posting {
            date_posted: today(),
            language: AdLanguage::Da,
            identifier: "amfit-7-v2",
            published_until: until,
        };
        let published: serde_json::Value =
            serde_json::from_str(&JobPosting::new(&company, &profile, markdown, on_our_page).to_json_ld()).unwrap();
        assert_eq!(
            (published["directApply"].as_bool(), published["validThrough"].as_str()),
            (Some(true), Some("2026-12-31"))
        );
        assert!(json["description"].as_str().unwrap().starts_with("<h1>Account Manager at Nordlys</h1>"));
        assert_eq!(json["datePosted"], "2026-11-26");
        assert_eq!(json["validThrough"], "2026-12-24");
        assert_eq!(json["employmentType"], "FULL_TIME");
        assert_eq!(json["hiringOrganization"]["@type"], "Organization");
        assert_eq!(json["hiringOrganization"]["name"], "Nordlys Digital ApS");
        assert_eq!(json["jobLocation"]["address"]["addressLocality"], "Aarhus C");
        assert_eq!(json["jobLocation"]["address"]["addressCountry"], "DK");
        assert_eq!(json["baseSalary"]["currency"], "DKK");
        assert_eq!(json["baseSalary"]["value"]["minValue"], 36_000);
        assert_eq!(json["baseSalary"]["value"]["unitText"], "MONTH");
        assert!(json.get("jobLocationType").is_none());
        assert!(!posting.to_json_ld().contains("</script>"), "safe inside a script element");

        profile.remote_option = RemoteOption::Remote;
        profile.salary = None;
        profile.application_deadline = None;
        profile.weekly_hours = 20;
        let english =
            Posting { date_posted: today(), language: AdLanguage::En, identifier: "amfit-7", published_until: None };
        let json: serde_json::Value =
            serde_json::from_str(&JobPosting::new(&company, &profile, "no heading", english).to_json_ld()).unwrap();
        assert_eq!(json["title"], "Account Manager");
        assert_eq!(json["workHours"], "20 hours a week");
        assert_eq!(json["jobLocationType"], "TELECOMMUTE");
        assert_eq!(json["applicantLocationRequirements"]["@type"], "Country");
        assert_eq!(json["employmentType"], "PART_TIME");
        for absent in ["jobLocation", "baseSalary", "validThrough"] {
            assert!(json.get(absent).is_none(), "{absent} is left out, not empty");
        }
    }

    #[test]
    fn must_haves_and_the_heaviest_are_required_and_six_requirements_at_most() {
        let rubric = rubric();
        for (company, profile) in demo_companies(today()) {
            let weights = rubric.weigh(&company, &profile, &[]);
            let written_in = profile.requirements.listed();
            assert!(written_in > 0, "{}: the demo writes requirements in", company.name);
            let chosen = requirements(&weights, written_in);
            let room = REQUIREMENTS_MAX - written_in;
            assert!(chosen.must_haves.len() + chosen.nice_to_haves.len() <= room);
            let weighted: Vec<_> = weights.iter().filter(|w| w.weight > 0).collect();
            let required: Vec<String> = weighted
                .iter()
                .enumerate()
                .filter(|(rank, w)| w.minimum.is_some() || *rank < HEAVIEST_REQUIRED)
                .map(|(_, w)| w.competency.id.clone())
                .take(room)
                .collect();
            assert_eq!(ids(&chosen.must_haves), required, "every must-have and the heaviest, in weight order");
            assert_eq!(chosen.must_haves[0].id, weighted[0].competency.id, "the heaviest is always asked for");
            let others: Vec<String> = weighted
                .iter()
                .map(|w| w.competency.id.clone())
                .filter(|id| !required.contains(id))
                .take(room - required.len())
                .collect();
            assert_eq!(ids(&chosen.nice_to_haves), others);
        }
    }

    #[test]
    fn the_heaviest_are_asked_for_however_many_requirements_are_written_in() {
        let rubric = rubric();
        let (company, profile) = demo_companies(today()).remove(1);
        let weights = rubric.weigh(&company, &profile, &[]);
        let chosen = requirements(&weights, REQUIREMENTS_MAX + 3);
        let heaviest: Vec<&Competency> = weights[..HEAVIEST_REQUIRED].iter().map(|w| w.competency).collect();
        assert_eq!(ids(&chosen.must_haves), ids(&heaviest));
        assert!(chosen.nice_to_haves.is_empty());
    }

    #[test]
    fn too_many_must_haves_keep_the_heaviest_and_zero_weights_are_never_asked_for() {
        let rubric = rubric();
        let (company, profile) = demo_companies(today()).remove(0);
        let mut weights = rubric.weigh(&company, &profile, &[]);
        for w in &mut weights {
            w.minimum = Some(3);
        }
        // The heaviest competency weighted 0 by an override: it drops out, the next six stay.
        weights[0].weight = 0;
        let chosen = requirements(&weights, 0);
        assert_eq!(chosen.must_haves.len(), REQUIREMENTS_MAX);
        assert!(chosen.nice_to_haves.is_empty());
        let expected: Vec<&Competency> = weights[1..=REQUIREMENTS_MAX].iter().map(|w| w.competency).collect();
        assert_eq!(ids(&chosen.must_haves), ids(&expected));
    }

    #[test]
    fn the_accept_header_chooses_the_format_a_query_does_not() {
        assert_eq!(AdFormat::preferred_in("text/html"), Some(AdFormat::Html));
        assert_eq!(AdFormat::preferred_in("application/json;q=0.9, application/ld+json"), Some(AdFormat::Jsonld));
        assert_eq!(AdFormat::preferred_in("text/plain;q=0.5, text/markdown;q=0.8"), Some(AdFormat::Md));
        assert_eq!(AdFormat::preferred_in("TEXT/HTML; charset=utf-8"), Some(AdFormat::Html));
        assert_eq!(AdFormat::preferred_in("*/*"), None);
        assert_eq!(AdFormat::preferred_in("text/html;q=0, application/xml"), None, "q=0 is not acceptable");
        assert_eq!(AdFormat::preferred_in("text/html;q=2"), None, "a weight past 1 is no weight");
        let query = |format: Option<&str>| AdQuery { format: format.map(str::to_owned), ..AdQuery::default() };
        assert_eq!(query(Some("text")).parse(Some("text/html")).unwrap().format, AdFormat::Text, "the query wins");
        assert_eq!(query(None).parse(Some("text/html")).unwrap().format, AdFormat::Html);
        assert_eq!(query(None).parse(None).unwrap().format, AdFormat::Md);
    }
}
