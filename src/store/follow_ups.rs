//! Follow-ups: what must happen next with a lead, and `leads.next_follow_up` kept in step
//! (the earliest open follow-up of each lead, which `list --overdue` and
//! `--sort follow-up` read without touching this table).
use anyhow::Result;
use chrono::{DateTime, NaiveTime, Utc};

use super::ids::Ids;
use super::sql::{params, OptionalExtension, Row};
use super::{date_at, opt_date_at, to_text, Store};
use crate::cadence::StepOf;
use crate::dates::{parse_interval, Interval};
use crate::error::not_found;
use crate::model::{display_name, ActivityKind, FollowUp, Lead, NameParts};

/// A follow-up to schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFollowUp<'a> {
    pub lead_id: i64,
    pub due_at: DateTime<Utc>,
    pub note: Option<&'a str>,
    /// How often it repeats once done, if it does.
    pub every: Option<Interval>,
    /// A recurrence's wall-clock time of day (`follow_ups.local_time`).
    pub local_time: Option<NaiveTime>,
    /// The touch it will be (`call` when the seller says nothing).
    pub kind: Option<ActivityKind>,
    /// The enrollment and step number it is, for a cadence step.
    pub step: Option<(i64, u32)>,
}

impl<'a> NewFollowUp<'a> {
    /// A one-off follow-up of `kind` due at `due_at`.
    pub fn new(lead_id: i64, due_at: DateTime<Utc>, kind: ActivityKind) -> NewFollowUp<'a> {
        NewFollowUp {
            lead_id,
            due_at,
            note: None,
            every: None,
            local_time: None,
            kind: Some(kind),
            step: None,
        }
    }
}

/// Columns read by `follow_up_from_row`: the follow-up with the cadence step it is, if
/// any (`FOLLOW_UP_OWN_COLUMNS`), then what the lead's display name is made of (made by
/// `Lead::name`, the one place that knows how). Read from `FOLLOW_UP_TABLES`.
pub(super) const FOLLOW_UP_COLUMNS: &str = "f.id, f.lead_id, f.due_at, f.note, f.every,
    f.done_at, f.enrollment_id, f.step, c.name, f.kind, f.local_time, l.first_name,
    l.last_name, l.company, l.email, l.phone, l.external_id, l.forgotten_at";

/// The first columns of `FOLLOW_UP_COLUMNS`: the follow-up's own, for a read that has
/// its lead's name already (`follow_up_at`).
pub(super) const FOLLOW_UP_OWN_COLUMNS: &str = "f.id, f.lead_id, f.due_at, f.note, f.every,
    f.done_at, f.enrollment_id, f.step, c.name, f.kind, f.local_time";

/// How many `FOLLOW_UP_OWN_COLUMNS` there are (a test counts them).
pub(super) const FOLLOW_UP_OWN_COUNT: usize = 11;

/// The keys of the open follow-ups due by ?1, overdue when due before ?2: a range of the
/// `follow_ups_open` index, which holds all three (see `due_follow_ups`).
const DUE_KEYS_SQL: &str = "SELECT id, lead_id, due_at < ?2 FROM follow_ups
    WHERE done_at IS NULL AND due_at <= ?1
    ORDER BY due_at, id";

/// An open follow-up on the agenda before it is read whole (`due_follow_ups`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueFollowUp {
    pub id: i64,
    pub lead_id: i64,
    /// Due before the start of today.
    pub overdue: bool,
}

/// The tables `FOLLOW_UP_COLUMNS` come from: each join is by primary key.
pub(super) const FOLLOW_UP_TABLES: &str = "follow_ups f JOIN leads l ON l.id = f.lead_id
    LEFT JOIN enrollments e ON e.id = f.enrollment_id
    LEFT JOIN cadences c ON c.id = e.cadence_id";

/// The columns a lead's display name is made of, for `lead_name_at`.
pub(super) const LEAD_NAME_COLUMNS: &str = "l.first_name, l.last_name, l.company, l.email,
    l.phone, l.external_id, l.forgotten_at";

/// The display name of the lead whose `LEAD_NAME_COLUMNS` start at column `first`.
pub(super) fn lead_name_at(row: &Row<'_>, first: usize) -> rusqlite::Result<String> {
    // Borrowed from the row: one string made a name, not one a column.
    Ok(display_name(&NameParts {
        first_name: text_at(row, first)?,
        last_name: text_at(row, first + 1)?,
        company: text_at(row, first + 2)?,
        email: text_at(row, first + 3)?,
        phone: text_at(row, first + 4)?,
        external_id: text_at(row, first + 5)?,
        forgotten: text_at(row, first + 6)?.is_some(),
        website: None,
    }))
}

/// The text in column `index`, borrowed (None for NULL); a value of another type is the
/// error `row.get::<Option<String>>` gives.
fn text_at<'r>(row: &'r Row<'_>, index: usize) -> rusqlite::Result<Option<&'r str>> {
    use rusqlite::types::ValueRef;
    match row.get_ref(index)? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(bytes) => std::str::from_utf8(bytes).map(Some).map_err(|err| {
            rusqlite::Error::FromSqlConversionFailure(
                index,
                rusqlite::types::Type::Text,
                Box::new(err),
            )
        }),
        other => Err(rusqlite::Error::InvalidColumnType(
            index,
            row.column_name(index),
            other.data_type(),
        )),
    }
}

/// The display name `lead_name_at` reads for a lead: made of the same fields of a lead
/// read already (a page of the agenda reads the leads whole).
pub(super) fn follow_up_name_of(lead: &Lead) -> String {
    display_name(&NameParts {
        first_name: lead.first_name.as_deref(),
        last_name: lead.last_name.as_deref(),
        company: lead.company.as_deref(),
        email: lead.email.as_deref(),
        phone: lead.phone.as_deref(),
        external_id: lead.external_id.as_deref(),
        forgotten: lead.forgotten,
        // Not read with a follow-up (`LEAD_NAME_COLUMNS`).
        website: None,
    })
}

pub(super) fn follow_up_from_row(row: &Row<'_>) -> rusqlite::Result<FollowUp> {
    let name = lead_name_at(row, FOLLOW_UP_OWN_COUNT)?;
    follow_up_at(row, name)
}

/// The follow-up whose `FOLLOW_UP_OWN_COLUMNS` start the row, its lead named `name`.
pub(super) fn follow_up_at(row: &Row<'_>, name: String) -> rusqlite::Result<FollowUp> {
    Ok(FollowUp {
        id: row.get(0)?,
        lead_id: row.get(1)?,
        name,
        due_at: date_at(row, 2)?,
        note: row.get(3)?,
        // A recurrence this version cannot read (written by hand or by another tool)
        // is no recurrence: the follow-up stays listed and can be done.
        every: row
            .get::<_, Option<String>>(4)?
            .and_then(|every| parse_interval(&every).ok()),
        // A time this version cannot read is none: the recurrence keeps its time of day.
        local_time: row
            .get::<_, Option<String>>(10)?
            .and_then(|text| parse_local_time(&text)),
        done_at: opt_date_at(row, 5)?,
        step_of: match (row.get::<_, Option<i64>>(6)?, row.get::<_, Option<u32>>(7)?) {
            (Some(enrollment_id), Some(step)) => Some(StepOf {
                enrollment_id,
                cadence: row.get::<_, Option<String>>(8)?.unwrap_or_default(),
                step,
            }),
            _ => None,
        },
        kind: row
            .get::<_, Option<String>>(9)?
            .and_then(|kind| kind.parse().ok()),
    })
}

/// A wall-clock time as `follow_ups.local_time` keeps it: 'HH:MM', with ':SS' when it has
/// seconds.
fn local_time_text(time: NaiveTime) -> String {
    use chrono::Timelike;
    if time.second() == 0 {
        time.format("%H:%M").to_string()
    } else {
        time.format("%H:%M:%S").to_string()
    }
}

fn parse_local_time(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M"))
        .ok()
}

/// The open follow-ups due by ?1: a range of the `follow_ups_open` index, then a lookup by
/// primary key of the lead, the enrollment and the cadence of each (a test reads the plan).
fn open_follow_ups_sql() -> String {
    format!(
        "SELECT {FOLLOW_UP_COLUMNS} FROM {FOLLOW_UP_TABLES}
         WHERE f.done_at IS NULL AND f.due_at <= ?1
           AND l.do_not_contact = 0 AND l.forgotten_at IS NULL
           AND l.status NOT IN {closed}
         ORDER BY f.due_at, f.id",
        closed = closed!()
    )
}

impl Store {
    /// A lead's follow-ups, open ones first, each by due time.
    pub fn follow_ups_of_lead(&self, lead_id: i64) -> Result<Vec<FollowUp>> {
        let sql = format!(
            "SELECT {FOLLOW_UP_COLUMNS} FROM {FOLLOW_UP_TABLES}
             WHERE f.lead_id = ?1 ORDER BY f.done_at IS NOT NULL, f.due_at, f.id"
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let rows = statement.query_map([lead_id], follow_up_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The follow-up with this id, or a not-found error.
    pub fn follow_up(&self, id: i64) -> Result<FollowUp> {
        let sql = format!(
            "SELECT {FOLLOW_UP_COLUMNS} FROM {FOLLOW_UP_TABLES}
             WHERE f.id = ?1"
        );
        self.conn
            .prepare_cached(&sql)?
            .query_row([id], follow_up_from_row)
            .optional()?
            .ok_or_else(|| not_found(format!("no follow-up with id {id}")))
    }

    /// The open follow-ups the seller should act on, earliest (most overdue) first:
    /// due at or before `due_by` when given. Leaves out leads marked do-not-contact,
    /// closed (won, lost, disqualified) or forgotten. A plain read: no write lock, so
    /// cron can run it while another `leads` writes.
    pub fn open_follow_ups(&self, due_by: Option<DateTime<Utc>>) -> Result<Vec<FollowUp>> {
        let mut follow_ups = Vec::new();
        self.walk_open_follow_ups(due_by, |follow_up| {
            follow_ups.push(follow_up);
            true
        })?;
        Ok(follow_ups)
    }

    /// The same, one at a time, earliest first, until `each` returns false (`today` stops
    /// once its page is full).
    pub fn walk_open_follow_ups(
        &self,
        due_by: Option<DateTime<Utc>>,
        mut each: impl FnMut(FollowUp) -> bool,
    ) -> Result<()> {
        // Upper bound '9' sorts after every RFC 3339 text: one statement, one index range.
        let due_by = due_by.map_or_else(|| "9".to_string(), to_text);
        let mut statement = self.conn.prepare_cached(&open_follow_ups_sql())?;
        let mut rows = statement.query([due_by])?;
        while let Some(row) = rows.next()? {
            match follow_up_from_row(&row) {
                Ok(follow_up) => {
                    if !each(follow_up) {
                        break;
                    }
                }
                Err(err) => self.skip_unreadable("follow_ups", row.get(0)?, err)?,
            }
        }
        Ok(())
    }

    /// The open follow-ups due by `due_by`, as the agenda first needs them: their ids,
    /// lead and whether each was due before `before` (overdue), earliest first (then by
    /// id), nothing else read — the `follow_ups_open` index alone. Whose leads may be
    /// contacted is not asked here: `agenda_page` reads the page's leads and leaves out
    /// the others.
    pub fn due_follow_ups(
        &self,
        due_by: DateTime<Utc>,
        before: DateTime<Utc>,
    ) -> Result<Vec<DueFollowUp>> {
        let mut statement = self.conn.prepare_cached(DUE_KEYS_SQL)?;
        let rows = statement.query_map(params![to_text(due_by), to_text(before)], |row| {
            Ok(DueFollowUp {
                id: row.get(0)?,
                lead_id: row.get(1)?,
                overdue: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The open follow-ups of one lead, as `open_follow_ups` lists them (nothing for a
    /// lead marked do-not-contact, closed or forgotten).
    pub fn open_follow_ups_of_lead(
        &self,
        lead_id: i64,
        due_by: Option<DateTime<Utc>>,
    ) -> Result<Vec<FollowUp>> {
        let due_by = due_by.map_or_else(|| "9".to_string(), to_text);
        let sql = format!(
            "SELECT {FOLLOW_UP_COLUMNS} FROM {FOLLOW_UP_TABLES}
             WHERE f.lead_id = ?2 AND f.done_at IS NULL AND f.due_at <= ?1
               AND l.do_not_contact = 0 AND l.forgotten_at IS NULL
               AND l.status NOT IN {closed}
             ORDER BY f.due_at, f.id",
            closed = closed!()
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let rows = statement.query_map(params![due_by, lead_id], follow_up_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Remove a follow-up (scheduled by mistake). Call inside `write`.
    pub fn delete_follow_up(&self, id: i64) -> Result<()> {
        let lead_id = self.follow_up_lead(id)?;
        self.keep_highest_id(Ids::FollowUps)?;
        self.conn
            .prepare_cached("DELETE FROM follow_ups WHERE id = ?1")?
            .execute([id])?;
        self.sync_next_follow_up(lead_id)
    }

    /// Schedule a follow-up; returns its id. Call inside `write`.
    pub fn insert_follow_up(&self, new: &NewFollowUp<'_>, now: DateTime<Utc>) -> Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO follow_ups (lead_id, due_at, note, every, created_at,
                     enrollment_id, step, kind, local_time)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                new.lead_id,
                to_text(new.due_at),
                new.note,
                new.every.map(|every| every.to_string()),
                to_text(now),
                new.step.map(|(enrollment, _)| enrollment),
                new.step.map(|(_, number)| number),
                new.kind.map(ActivityKind::as_str),
                new.local_time.map(local_time_text),
            ])?;
        let lead_id = new.lead_id;
        let id = self.above_deleted(Ids::FollowUps, self.conn.last_insert_rowid()?)?;
        self.sync_next_follow_up(lead_id)?;
        Ok(id)
    }

    /// Mark a follow-up done at `at`. Call inside `write`.
    pub fn finish_follow_up(&self, id: i64, at: DateTime<Utc>) -> Result<()> {
        let lead_id = self.follow_up_lead(id)?;
        self.conn
            .prepare_cached("UPDATE follow_ups SET done_at = ?1 WHERE id = ?2")?
            .execute(params![to_text(at), id])?;
        self.sync_next_follow_up(lead_id)
    }

    /// Move a follow-up to a new due time. Call inside `write`.
    pub fn reschedule_follow_up(&self, id: i64, due_at: DateTime<Utc>) -> Result<()> {
        let lead_id = self.follow_up_lead(id)?;
        self.conn
            .prepare_cached("UPDATE follow_ups SET due_at = ?1 WHERE id = ?2")?
            .execute(params![to_text(due_at), id])?;
        self.sync_next_follow_up(lead_id)
    }

    fn follow_up_lead(&self, id: i64) -> Result<i64> {
        self.conn
            .prepare_cached("SELECT lead_id FROM follow_ups WHERE id = ?1")?
            .query_row([id], |row| row.get(0))
            .optional()?
            .ok_or_else(|| not_found(format!("no follow-up with id {id}")))
    }

    /// Set `leads.next_follow_up` to the lead's earliest open follow-up (NULL when none):
    /// called by every change to its follow-ups.
    pub(super) fn sync_next_follow_up(&self, lead_id: i64) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE leads SET next_follow_up =
                    (SELECT MIN(due_at) FROM follow_ups WHERE lead_id = ?1 AND done_at IS NULL)
                 WHERE id = ?1",
            )?
            .execute([lead_id])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_follow_ups_own_columns_come_first_and_are_counted() {
        assert_eq!(
            FOLLOW_UP_OWN_COLUMNS.split(',').count(),
            FOLLOW_UP_OWN_COUNT
        );
        assert!(FOLLOW_UP_COLUMNS.starts_with(FOLLOW_UP_OWN_COLUMNS));
    }

    /// The overdue list's plan, an SQLite matter (what every engine must list is in
    /// `conformance::follow_ups`).
    #[test]
    fn the_overdue_list_reads_an_index_range_and_looks_up_the_rest_by_key() {
        let store = Store::open_in_memory().unwrap();
        let plan: Vec<String> = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", open_follow_ups_sql()))
            .unwrap()
            .query_map(["2026-03-01T09:00:00Z"], |row| row.get::<_, String>(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let plan = plan.join("\n");
        assert!(
            plan.contains("SEARCH f USING INDEX follow_ups_open (due_at<?)"),
            "{plan}"
        );
        for table in ["l", "e", "c"] {
            assert!(
                plan.contains(&format!(
                    "SEARCH {table} USING INTEGER PRIMARY KEY (rowid=?)"
                )),
                "{plan}"
            );
        }
        assert!(!plan.contains("SCAN"), "{plan}");
    }

    #[test]
    fn the_agenda_keys_are_read_from_the_index_alone() {
        let store = Store::open_in_memory().unwrap();
        let plan: Vec<String> = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {DUE_KEYS_SQL}"))
            .unwrap()
            .query_map(["2026-03-01T09:00:00Z", "2026-03-01T00:00:00Z"], |row| {
                row.get::<_, String>(3)
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let plan = plan.join("\n");
        assert!(
            plan.contains("SEARCH follow_ups USING COVERING INDEX follow_ups_open (due_at<?)"),
            "{plan}"
        );
    }
}
