"""The .ics feed of a person's calendar (RFC 5545, written by the icalendar library)."""

from datetime import UTC, datetime, timedelta

import icalendar

from .events import Event


def render_calendar(*, events: list[Event], name: str, now: datetime) -> bytes:
    """All-day events, one per due date; UIDs are stable so that a refreshed feed updates, never duplicates."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//CTG//Conventions territoriales globales//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    stamp = now.astimezone(UTC)
    for event in events:
        entry = icalendar.Event()
        entry.add("uid", event.uid)
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.day)
        entry.add("dtend", event.day + timedelta(days=1))
        entry.add("summary", event.summary)
        description = f"{event.kind_label} – {event.convention.title}"
        if event.done:
            description += " (fait)"
        elif event.late:
            description += " (en retard)"
        entry.add("description", f"{description}\n{event.url}")
        entry.add("url", event.url)
        entry.add("categories", [event.kind_label])
        entry.add("transp", "TRANSPARENT")  # a due date does not make anyone busy
        calendar.add_component(entry)
    return calendar.to_ical()
