"""Reads the messages a Maildir holds as a mail program would, and prints them as JSON.

Each message: its headers, its parts (content type, method, file name, decoded text) and the
calendar entries it carries, read with the icalendar library as a calendar program imports them.
Usage: python3 read_maildir.py MAILDIR
"""

import json
import mailbox
import sys
from email import policy
from email.parser import BytesParser

import icalendar


def calendar_of(text):
    calendar = icalendar.Calendar.from_ical(text)
    events = []
    for event in calendar.walk("VEVENT"):
        attendees = event.get("ATTENDEE", [])
        if not isinstance(attendees, list):
            attendees = [attendees]
        events.append({
            "uid": str(event.get("UID")),
            "sequence": int(event.get("SEQUENCE", 0)),
            "status": str(event.get("STATUS", "")),
            "summary": str(event.get("SUMMARY", "")),
            "location": str(event.get("LOCATION", "")),
            "start": event.decoded("DTSTART").isoformat(),
            "end": event.decoded("DTEND").isoformat(),
            "organizer": str(event.get("ORGANIZER", "")),
            "attendees": [str(a) for a in attendees],
        })
    return {"method": str(calendar.get("METHOD", "")), "events": events}


def message_of(raw):
    message = BytesParser(policy=policy.default).parsebytes(raw)
    parts = []
    calendars = []
    for part in message.walk():
        if part.is_multipart():
            continue
        text = part.get_content()
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        content_type = part.get_content_type()
        parts.append({
            "type": content_type,
            "method": part.get_param("method"),
            "file": part.get_filename(),
            "text": text,
        })
        if content_type in ("text/calendar", "application/ics"):
            calendars.append(calendar_of(text))
    headers = {name.lower(): str(value) for name, value in message.items()}
    return {"headers": headers, "parts": parts, "calendars": calendars}


def main():
    box = mailbox.Maildir(sys.argv[1], create=False)
    print(json.dumps([message_of(message.as_bytes()) for message in box]))


main()
