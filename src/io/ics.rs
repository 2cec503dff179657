//! iCalendar (RFC 5545) output for follow-ups.
