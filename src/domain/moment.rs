//! Moments as JSON gives them: the text chrono's own serde writes (RFC 3339 in UTC, with a
//! "Z" and as many fractional digits as needed), made in one piece. chrono's writes through
//! the JSON writer a character at a time, a tenth of the candidate list's time when measured.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serializer;

pub fn serialize<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&at.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

/// The same for a moment that may not be: `null` without one.
pub mod optional {
    use super::*;

    pub fn serialize<S: Serializer>(at: &Option<DateTime<Utc>>, serializer: S) -> Result<S::Ok, S::Error> {
        match at {
            Some(at) => super::serialize(at, serializer),
            None => serializer.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Written {
        #[serde(serialize_with = "serialize")]
        at: DateTime<Utc>,
        #[serde(serialize_with = "optional::serialize")]
        maybe: Option<DateTime<Utc>>,
    }

    #[test]
    fn a_moment_reads_as_chrono_writes_it() {
        for text in [
            "2026-12-02T19:58:51Z",
            "2026-12-02T19:58:51.300Z",
            "2026-12-02T19:58:51.321977Z",
            "2026-12-02T19:58:51.321977804Z",
            "1999-01-01T00:00:00.000000001Z",
        ] {
            let at: DateTime<Utc> = text.parse().unwrap();
            let ours = serde_json::to_string(&Written { at, maybe: Some(at) }).unwrap();
            let chrono = serde_json::to_string(&serde_json::json!({ "at": at, "maybe": at })).unwrap();
            assert_eq!(ours, chrono, "{text}");
        }
        let none = serde_json::to_string(&Written { at: DateTime::UNIX_EPOCH, maybe: None }).unwrap();
        assert_eq!(none, r#"{"at":"1970-01-01T00:00:00Z","maybe":null}"#);
    }
}
