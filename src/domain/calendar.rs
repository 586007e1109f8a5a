//! Calendar invitations (RFC 5545, with iTIP's methods, RFC 5546): an interview as an entry a
//! candidate's or an interviewer's calendar program adds, moves or cancels.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use icalendar::{Calendar, Component, EventLike, Property};

use super::interview::InterviewSlot;

/// What an invitation asks of the calendar that gets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarMethod {
    /// Add the interview, or move it: a later [`InterviewEntry::sequence`] replaces an
    /// earlier one with the same uid.
    Request,
    Cancel,
}

impl CalendarMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            CalendarMethod::Request => "REQUEST",
            CalendarMethod::Cancel => "CANCEL",
        }
    }

    /// What the entry `ics`, written by [`InterviewEntry::to_ics`], asks of its calendar.
    pub fn of_entry(ics: &str) -> Option<Self> {
        ics.lines().find_map(|line| match line.trim_end() {
            "METHOD:REQUEST" => Some(CalendarMethod::Request),
            "METHOD:CANCEL" => Some(CalendarMethod::Cancel),
            _ => None,
        })
    }
}

/// Someone an invitation names: its organiser, or a person invited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub email: String,
}

/// One interview as a calendar entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterviewEntry {
    /// The same for every version of the entry: the calendar finds it again by it.
    pub uid: String,
    /// Which version this is: 0 first, higher for each change.
    pub sequence: u32,
    pub method: CalendarMethod,
    pub summary: String,
    pub description: String,
    pub slot: InterviewSlot,
    /// Where the slot's wall-clock time is read.
    pub time_zone: Tz,
    /// Who invites: replies go to them.
    pub organizer: Person,
    pub attendees: Vec<Person>,
    pub stamp: DateTime<Utc>,
}

impl InterviewEntry {
    /// The entry as an iCalendar object. Times are written in UTC, which every calendar reads
    /// the same way (a named time zone would need its rules written out too).
    pub fn to_ics(&self) -> String {
        let mut event = icalendar::Event::new();
        event
            .uid(&self.uid)
            .sequence(self.sequence)
            .timestamp(self.stamp)
            .starts(in_utc(self.slot.starts_at, self.time_zone))
            .ends(in_utc(self.slot.ends_at(), self.time_zone))
            .summary(&self.summary)
            .description(&self.description);
        let whereabouts = self.slot.whereabouts();
        if !whereabouts.is_empty() {
            event.location(&whereabouts);
        }
        if let Some(link) = &self.slot.video_link {
            event.add_property("URL", link);
        }
        event.append_property(person("ORGANIZER", &self.organizer, None));
        for attendee in &self.attendees {
            event.append_multi_property(person("ATTENDEE", attendee, Some(self.method)));
        }
        let status = match self.method {
            CalendarMethod::Request => "CONFIRMED",
            CalendarMethod::Cancel => "CANCELLED",
        };
        event.add_property("STATUS", status);
        let mut calendar = Calendar::empty();
        calendar
            .append_property(Property::new("VERSION", "2.0"))
            .append_property(Property::new("PRODID", "-//amfit//interviews//EN"))
            .append_property(Property::new("CALSCALE", "GREGORIAN"))
            .append_property(Property::new("METHOD", self.method.as_str()))
            .push(event.done());
        calendar.to_string()
    }
}

/// The moment a wall-clock time in `zone` is. A time the clocks skip (spring forward) is read
/// as the hour after; a time they pass twice, as the first.
pub fn in_utc(local: NaiveDateTime, zone: Tz) -> DateTime<Utc> {
    let moment = zone
        .from_local_datetime(&local)
        .earliest()
        .or_else(|| zone.from_local_datetime(&(local + chrono::TimeDelta::hours(1))).earliest());
    moment.map_or_else(|| Utc.from_utc_datetime(&local), |moment| moment.with_timezone(&Utc))
}

/// `ORGANIZER` or `ATTENDEE` for `who`: their name as a quoted parameter (which may hold no
/// quote or control character), their address as a `mailto:` URI.
fn person(key: &str, who: &Person, method: Option<CalendarMethod>) -> Property {
    let name: String = who.name.chars().filter(|c| *c != '"' && !c.is_control()).collect();
    let mut property = Property::new(key, format!("mailto:{}", who.email));
    property.add_parameter("CN", &name);
    if method == Some(CalendarMethod::Request) {
        property
            .add_parameter("ROLE", "REQ-PARTICIPANT")
            .add_parameter("PARTSTAT", "NEEDS-ACTION")
            .add_parameter("RSVP", "TRUE");
    }
    property.done()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(starts_at: &str) -> InterviewEntry {
        InterviewEntry {
            uid: "interview-7@amfit.example".into(),
            sequence: 2,
            method: CalendarMethod::Request,
            summary: "Interview: Key Account Manager, Nordlys A/S".into(),
            description: "You meet Mette Holm; Jonas Friis, too.\nWelcome!".into(),
            slot: InterviewSlot {
                starts_at: NaiveDateTime::parse_from_str(starts_at, "%Y-%m-%dT%H:%M").unwrap(),
                duration_minutes: 45,
                place: Some("Havnegade 4, Aarhus".into()),
                video_link: None,
            },
            time_zone: chrono_tz::Europe::Copenhagen,
            organizer: Person { name: "Mette \"MH\" Holm".into(), email: "mette@nordlys.example".into() },
            attendees: vec![Person { name: "Sofie Vestergaard".into(), email: "sofie@example.dk".into() }],
            stamp: Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap(),
        }
    }

    fn unfolded(ics: &str) -> String {
        ics.replace("\r\n ", "")
    }

    #[test]
    fn a_copenhagen_time_is_written_in_utc_summer_and_winter() {
        let winter = unfolded(&entry("2026-12-03T10:00").to_ics());
        assert!(winter.contains("DTSTART:20261203T090000Z\r\n"), "{winter}");
        assert!(winter.contains("DTEND:20261203T094500Z\r\n"), "{winter}");
        let summer = unfolded(&entry("2027-06-03T10:00").to_ics());
        assert!(summer.contains("DTSTART:20270603T080000Z\r\n"), "{summer}");
        let skipped = unfolded(&entry("2027-03-28T02:30").to_ics());
        assert!(skipped.contains("DTSTART:20270328T013000Z\r\n"), "the hour the clocks skip: {skipped}");
    }

    #[test]
    fn a_time_is_read_in_the_company_s_own_zone() {
        let london = InterviewEntry { time_zone: chrono_tz::Europe::London, ..entry("2026-12-03T10:00") };
        let ics = unfolded(&london.to_ics());
        assert!(ics.contains("DTSTART:20261203T100000Z\r\n"), "{ics}");
        let new_york = InterviewEntry { time_zone: chrono_tz::America::New_York, ..entry("2027-06-03T10:00") };
        let ics = unfolded(&new_york.to_ics());
        assert!(ics.contains("DTSTART:20270603T140000Z\r\n"), "{ics}");
    }

    #[test]
    fn an_invitation_says_its_method_version_and_people() {
        let ics = unfolded(&entry("2026-12-03T10:00").to_ics());
        for line in [
            "BEGIN:VCALENDAR\r\n",
            "METHOD:REQUEST\r\n",
            "UID:interview-7@amfit.example\r\n",
            "SEQUENCE:2\r\n",
            "STATUS:CONFIRMED\r\n",
            "LOCATION:Havnegade 4\\, Aarhus\r\n",
            "DESCRIPTION:You meet Mette Holm\\; Jonas Friis\\, too.\\nWelcome!\r\n",
            "ORGANIZER;CN=Mette MH Holm:mailto:mette@nordlys.example\r\n",
        ] {
            assert!(ics.contains(line), "{line:?} in {ics}");
        }
        assert!(ics.contains("ATTENDEE;"), "{ics}");
        assert!(ics.contains("CN=Sofie Vestergaard") && ics.contains("RSVP=TRUE"), "{ics}");
        let folded = entry("2026-12-03T10:00").to_ics();
        assert!(folded.lines().all(|line| line.len() <= 75), "folded: {folded}");
        let cancelled = InterviewEntry { method: CalendarMethod::Cancel, ..entry("2026-12-03T10:00") }.to_ics();
        assert!(cancelled.contains("METHOD:CANCEL\r\n") && cancelled.contains("STATUS:CANCELLED\r\n"), "{cancelled}");
        assert_eq!(CalendarMethod::of_entry(&cancelled), Some(CalendarMethod::Cancel));
        assert_eq!(CalendarMethod::of_entry(&folded), Some(CalendarMethod::Request));
    }
}
