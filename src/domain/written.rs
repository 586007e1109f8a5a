//! Numbers and dates as each language writes them, for the UI and for generated ads alike.

use chrono::{Datelike, NaiveDate};

use super::profile::AdLanguage;

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_DA: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];

/// An integer with the language's digit grouping: 10,000 in English, 10.000 in Danish.
pub fn number(value: i64, language: AdLanguage) -> String {
    let separator = match language {
        AdLanguage::En => ',',
        AdLanguage::Da => '.',
    };
    let digits = value.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        grouped.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(separator);
        }
        grouped.push(digit);
    }
    grouped
}

/// A calendar date: "26 November 2026" in English, "26. november 2026" in Danish.
pub fn date(date: &NaiveDate, language: AdLanguage) -> String {
    let month = date.month0() as usize;
    match language {
        AdLanguage::En => format!("{} {} {}", date.day(), MONTHS_EN[month], date.year()),
        AdLanguage::Da => format!("{}. {} {}", date.day(), MONTHS_DA[month], date.year()),
    }
}

/// Danish place names that English writes otherwise, as (Danish, English).
const PLACE_NAMES: [(&str, &str); 5] = [
    ("København", "Copenhagen"),
    ("Helsingør", "Elsinore"),
    ("Jylland", "Jutland"),
    ("Sjælland", "Zealand"),
    ("Fyn", "Funen"),
];

/// A place as the language names it: "København K" is "Copenhagen K" in English and
/// "Copenhagen" is "København" in Danish. Only whole words change, so "Fynshav" stays.
pub fn place(name: &str, language: AdLanguage) -> String {
    name.split(' ')
        .map(|word| {
            let (bare, comma) = word.strip_suffix(',').map_or((word, ""), |bare| (bare, ","));
            let renamed = PLACE_NAMES.iter().find_map(|&(da, en)| match language {
                AdLanguage::En => (bare == da).then_some(en),
                AdLanguage::Da => (bare == en).then_some(da),
            });
            format!("{}{comma}", renamed.unwrap_or(bare))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A list in running text: "a, b and c" / "a, b og c".
pub fn list(items: &[String], language: AdLanguage) -> String {
    let and = match language {
        AdLanguage::En => "and",
        AdLanguage::Da => "og",
    };
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_take_the_name_the_language_gives_them() {
        assert_eq!(place("København K", AdLanguage::En), "Copenhagen K");
        assert_eq!(place("Copenhagen", AdLanguage::Da), "København");
        assert_eq!(place("Aarhus C", AdLanguage::En), "Aarhus C");
        assert_eq!(place("Fynshav, Fyn", AdLanguage::En), "Fynshav, Funen");
        assert_eq!(place("Helsingør", AdLanguage::Da), "Helsingør");
    }

    #[test]
    fn numbers_dates_and_lists_are_written_the_languages_way() {
        assert_eq!(number(1_234_567, AdLanguage::En), "1,234,567");
        assert_eq!(number(-42_000, AdLanguage::Da), "-42.000");
        assert_eq!(number(999, AdLanguage::Da), "999");
        let day = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        assert_eq!(date(&day, AdLanguage::En), "1 May 2026");
        assert_eq!(date(&day, AdLanguage::Da), "1. maj 2026");
        let items = ["a".to_owned(), "b".to_owned(), "c".to_owned()];
        assert_eq!(list(&items, AdLanguage::En), "a, b and c");
        assert_eq!(list(&items[..2], AdLanguage::Da), "a og b");
        assert_eq!(list(&items[..1], AdLanguage::Da), "a");
        assert_eq!(list(&[], AdLanguage::Da), "");
    }
}
