//! Nurturing: cadences, enrollments, and the follow-up that is each enrollment's next
//! step. The ways a lead leaves by itself (an answer, a status, do-not-contact, forget,
//! delete) are triggers and foreign keys of the schema (see `schema::NURTURING`), so they
//! hold whichever command, or tool, makes the change.
use std::collections::BTreeMap;

use anyhow::Result;
use chrono::{DateTime, Utc};

use super::follow_ups::{lead_name_at, NewFollowUp, LEAD_NAME_COLUMNS};
use super::sql::{params, OptionalExtension, Row};
use super::{from_text, opt_from_text, to_text, Store};
use crate::cadence::{Cadence, EndReason, Enrollment, Step};
use crate::dates::parse_delay;
use crate::error::{not_found, Failure};
use crate::model::{did_you_mean, ActivityKind};

/// How a cadence is used, for `cadence list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CadenceUse {
    pub cadence: Cadence,
    pub enrolled: u64,
    pub active: u64,
}

/// What one cadence did, for `report --by cadence`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CadenceTally {
    pub cadence: String,
    pub enrolled: u64,
    pub active: u64,
    pub completed: u64,
    /// Ended because the lead answered (a reply, a meeting, a demo).
    pub answered: u64,
    /// Moved to qualified (or won) once enrolled.
    pub qualified: u64,
    /// Won once enrolled.
    pub won: u64,
}

const ENROLLMENT_SELECT: &str = "SELECT e.id, e.lead_id, c.name, e.step,
        (SELECT count(*) FROM cadence_steps s WHERE s.cadence_id = e.cadence_id),
        (SELECT min(f.due_at) FROM follow_ups f WHERE f.enrollment_id = e.id AND f.done_at IS NULL),
        e.started_at, e.ended_at, e.end_reason, e.end_note,";

/// An enrollment from a row of `ENROLLMENT_SELECT` followed by `LEAD_NAME_COLUMNS` and
/// `l.do_not_contact`.
fn enrollment_from_row(row: &Row<'_>) -> rusqlite::Result<Enrollment> {
    let started_at = from_text(&row.get::<_, String>(6)?)?;
    let ended_at = opt_from_text(row.get(7)?)?;
    Ok(Enrollment {
        id: row.get(0)?,
        lead_id: row.get(1)?,
        cadence: row.get(2)?,
        step: row.get(3)?,
        steps: row.get(4)?,
        next_due: opt_from_text(row.get(5)?)?,
        // One that ended before its planned start (stopped, or the lead answered) never
        // ran: it started when it ended, never after.
        started_at: ended_at.map_or(started_at, |ended| started_at.min(ended)),
        ended_at,
        // A reason this version does not know reads as none: still an ended enrollment.
        end_reason: row
            .get::<_, Option<String>>(8)?
            .and_then(|reason| EndReason::named(&reason)),
        end_note: row.get(9)?,
        name: lead_name_at(row, 10)?,
        forgotten: row.get::<_, Option<String>>(16)?.is_some(),
        do_not_contact: row.get(17)?,
    })
}

fn step_from_row(row: &Row<'_>) -> rusqlite::Result<Step> {
    let bad = |err: String| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, err.into())
    };
    let delay: String = row.get(0)?;
    let kind: String = row.get(1)?;
    Ok(Step {
        delay: parse_delay(&delay).map_err(bad)?,
        kind: kind.parse::<ActivityKind>().map_err(bad)?,
        note: row.get(2)?,
    })
}

impl Store {
    /// Save a new cadence; a cadence of that name (any case) is a conflict. Call inside `write`.
    pub fn insert_cadence(&self, name: &str, steps: &[Step], now: DateTime<Utc>) -> Result<i64> {
        if let Some(existing) = self.find_cadence(name)? {
            return Err(Failure::Conflict(format!(
                "a cadence named '{}' already exists (leads cadence show '{0}'; \
                 leads cadence delete '{0}' to replace it)",
                existing.name
            ))
            .into());
        }
        self.conn.execute(
            "INSERT INTO cadences (name, created_at) VALUES (?1, ?2)",
            params![name, to_text(now)],
        )?;
        let id = self.conn.last_insert_rowid()?;
        let mut insert = self.conn.prepare_cached(
            "INSERT INTO cadence_steps (cadence_id, position, delay, kind, note)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (index, step) in steps.iter().enumerate() {
            insert.execute(params![
                id,
                index + 1,
                step.delay.to_string(),
                step.kind.as_str(),
                step.note
            ])?;
        }
        Ok(id)
    }

    /// The cadence of this name (any case), or not found with a did-you-mean.
    pub fn cadence(&self, name: &str) -> Result<Cadence> {
        if let Some(cadence) = self.find_cadence(name)? {
            return Ok(cadence);
        }
        let names = self.cadence_names()?;
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let known = if names.is_empty() {
            " (there are none yet: leads cadence add NAME STEP...)".to_string()
        } else {
            format!(
                "{} (known: {})",
                did_you_mean(&name.to_lowercase(), &names),
                names.join(", ")
            )
        };
        Err(not_found(format!("no cadence named '{name}'{known}")))
    }

    fn find_cadence(&self, name: &str) -> Result<Option<Cadence>> {
        let found: Option<(i64, String, String)> = self
            .conn
            .prepare_cached(
                "SELECT id, name, created_at FROM cadences
                 WHERE leads_fold(name) = ?1 AND deleted_at IS NULL",
            )?
            // Folded by leads, as an email's key: the same names on both engines (an
            // engine's collation folds ASCII only, or more than case).
            .query_row([super::fold::fold(name.trim())], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .optional()?;
        let Some((id, name, created_at)) = found else {
            return Ok(None);
        };
        Ok(Some(Cadence {
            id,
            name,
            steps: self.cadence_steps(id)?,
            created_at: from_text(&created_at)?,
        }))
    }

    fn cadence_steps(&self, cadence_id: i64) -> Result<Vec<Step>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT delay, kind, note FROM cadence_steps WHERE cadence_id = ?1 ORDER BY position",
        )?;
        let steps = statement.query_map([cadence_id], step_from_row)?;
        Ok(steps.collect::<rusqlite::Result<_>>()?)
    }

    /// The names of the cadences (not deleted), lower-cased, for did-you-mean.
    fn cadence_names(&self) -> Result<Vec<String>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT lower(name) FROM cadences WHERE deleted_at IS NULL ORDER BY name",
        )?;
        let names = statement.query_map([], |row| row.get(0))?;
        Ok(names.collect::<rusqlite::Result<_>>()?)
    }

    /// Every cadence (not deleted) by name, with how many leads it has had and has.
    pub fn cadences(&self) -> Result<Vec<CadenceUse>> {
        let rows: Vec<(i64, String, String, u64, u64)> = self
            .conn
            .prepare(
                "SELECT c.id, c.name, c.created_at, count(e.id), count(e.id) - count(e.ended_at)
                 FROM cadences c LEFT JOIN enrollments e ON e.cadence_id = c.id
                 WHERE c.deleted_at IS NULL GROUP BY c.id ORDER BY leads_fold(c.name), c.name",
            )?
            .query_map([], |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(id, name, created_at, enrolled, active)| {
                Ok(CadenceUse {
                    cadence: Cadence {
                        id,
                        name,
                        steps: self.cadence_steps(id)?,
                        created_at: from_text(&created_at)?,
                    },
                    enrolled,
                    active,
                })
            })
            .collect()
    }

    /// How many leads are in this cadence now.
    pub fn active_enrollments_in(&self, cadence_id: i64) -> Result<u64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM enrollments WHERE cadence_id = ?1 AND ended_at IS NULL",
            [cadence_id],
            |row| row.get(0),
        )?)
    }

    /// Delete a cadence, ending its enrollments (which stay listed, naming it); returns
    /// how many ended. Call inside `write`.
    pub fn delete_cadence(&self, cadence_id: i64, now: DateTime<Utc>) -> Result<usize> {
        let ended = self.conn.execute(
            "UPDATE enrollments SET ended_at = ?2, end_reason = ?3
             WHERE cadence_id = ?1 AND ended_at IS NULL",
            params![cadence_id, to_text(now), EndReason::CadenceDeleted.as_str()],
        )?;
        self.conn.execute(
            "UPDATE cadences SET deleted_at = ?2 WHERE id = ?1",
            params![cadence_id, to_text(now)],
        )?;
        Ok(ended)
    }

    /// Enroll a lead: the enrollment, at step 1, and its first step's follow-up due at
    /// `first_due`. Returns the enrollment's id. Call inside `write`.
    pub fn enroll(
        &self,
        lead_id: i64,
        cadence: &Cadence,
        started_at: DateTime<Utc>,
        first_due: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let first = cadence
            .step(1)
            .ok_or_else(|| anyhow::anyhow!("the cadence '{}' has no steps", cadence.name))?;
        self.conn
            .prepare_cached(
                "INSERT INTO enrollments (lead_id, cadence_id, step, started_at)
                 VALUES (?1, ?2, 1, ?3)",
            )?
            .execute(params![lead_id, cadence.id, to_text(started_at)])?;
        let id = self.conn.last_insert_rowid()?;
        self.insert_follow_up(
            &NewFollowUp {
                note: Some(&first.task()),
                step: Some((id, 1)),
                ..NewFollowUp::new(lead_id, first_due, first.kind)
            },
            now,
        )?;
        Ok(id)
    }

    /// The step follow-up of an enrollment was done: schedule step `next` (its task, due
    /// at `due`); returns the new follow-up's id. Call inside `write`.
    pub fn advance_enrollment(
        &self,
        enrollment: &Enrollment,
        next: u32,
        step: &Step,
        due: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        self.conn
            .prepare_cached("UPDATE enrollments SET step = ?2 WHERE id = ?1")?
            .execute(params![enrollment.id, next])?;
        self.insert_follow_up(
            &NewFollowUp {
                note: Some(&step.task()),
                step: Some((enrollment.id, next)),
                ..NewFollowUp::new(enrollment.lead_id, due, step.kind)
            },
            now,
        )
    }

    /// End an enrollment (its open step is closed with it). Call inside `write`.
    pub fn end_enrollment(
        &self,
        id: i64,
        reason: EndReason,
        note: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE enrollments SET ended_at = ?2, end_reason = ?3, end_note = ?4
                 WHERE id = ?1 AND ended_at IS NULL",
            )?
            .execute(params![id, to_text(at), reason.as_str(), note])?;
        Ok(())
    }

    /// The enrollment with this id.
    pub fn enrollment(&self, id: i64) -> Result<Enrollment> {
        let sql = format!(
            "{ENROLLMENT_SELECT} {LEAD_NAME_COLUMNS}, l.do_not_contact
             FROM enrollments e JOIN leads l ON l.id = e.lead_id
             JOIN cadences c ON c.id = e.cadence_id WHERE e.id = ?1"
        );
        self.conn
            .prepare_cached(&sql)?
            .query_row([id], enrollment_from_row)
            .optional()?
            .ok_or_else(|| not_found(format!("no enrollment with id {id}")))
    }

    /// The cadence a lead is in now, if any.
    pub fn active_enrollment(&self, lead_id: i64) -> Result<Option<Enrollment>> {
        let sql = format!(
            "{ENROLLMENT_SELECT} {LEAD_NAME_COLUMNS}, l.do_not_contact
             FROM enrollments e JOIN leads l ON l.id = e.lead_id
             JOIN cadences c ON c.id = e.cadence_id
             WHERE e.lead_id = ?1 AND e.ended_at IS NULL"
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([lead_id], enrollment_from_row)
            .optional()?)
    }

    /// A lead's enrollments, oldest first.
    pub fn enrollments_of_lead(&self, lead_id: i64) -> Result<Vec<Enrollment>> {
        let sql = format!(
            "{ENROLLMENT_SELECT} {LEAD_NAME_COLUMNS}, l.do_not_contact
             FROM enrollments e JOIN leads l ON l.id = e.lead_id
             JOIN cadences c ON c.id = e.cadence_id
             WHERE e.lead_id = ?1 ORDER BY e.started_at, e.id"
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let rows = statement.query_map([lead_id], enrollment_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every enrollment (of one cadence, when given): active ones first, each group by start.
    pub fn enrollments(&self, cadence_id: Option<i64>) -> Result<Vec<Enrollment>> {
        let sql = format!(
            "{ENROLLMENT_SELECT} {LEAD_NAME_COLUMNS}, l.do_not_contact
             FROM enrollments e JOIN leads l ON l.id = e.lead_id
             JOIN cadences c ON c.id = e.cadence_id
             WHERE CAST(?1 AS INTEGER) IS NULL OR e.cadence_id = ?1
             ORDER BY e.ended_at IS NOT NULL, e.started_at, e.id"
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let rows = statement.query_map([cadence_id], enrollment_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// What each cadence did with the leads enrolled in `[since, until)`: every cadence
    /// not deleted, and deleted ones that had leads then. By cadence name.
    pub fn cadence_tallies(
        &self,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<CadenceTally>> {
        let since = since.map_or_else(|| "0".to_string(), to_text);
        let until = until.map_or_else(|| "9".to_string(), to_text);
        let mut tallies: BTreeMap<i64, CadenceTally> = BTreeMap::new();
        let mut statement = self.conn.prepare(
            "SELECT c.id, c.name, c.deleted_at IS NOT NULL, e.id, e.ended_at IS NULL, e.end_reason,
                 EXISTS (SELECT 1 FROM status_changes s WHERE s.lead_id = e.lead_id
                     AND s.to_status IN ('qualified', 'won') AND s.at >= e.started_at),
                 EXISTS (SELECT 1 FROM status_changes s WHERE s.lead_id = e.lead_id
                     AND s.to_status = 'won' AND s.at >= e.started_at)
             FROM cadences c LEFT JOIN enrollments e ON e.cadence_id = c.id
                 AND e.started_at >= ?1 AND e.started_at < ?2",
        )?;
        let mut rows = statement.query(params![since, until])?;
        while let Some(row) = rows.next()? {
            let (id, deleted, enrollment): (i64, bool, Option<i64>) =
                (row.get(0)?, row.get(2)?, row.get(3)?);
            if deleted && enrollment.is_none() {
                continue;
            }
            let tally = match tallies.entry(id) {
                std::collections::btree_map::Entry::Occupied(entry) => entry.into_mut(),
                std::collections::btree_map::Entry::Vacant(entry) => {
                    let name: String = row.get(1)?;
                    entry.insert(CadenceTally {
                        cadence: if deleted {
                            format!("{name} (deleted)")
                        } else {
                            name
                        },
                        ..CadenceTally::default()
                    })
                }
            };
            if enrollment.is_none() {
                continue;
            }
            let active: bool = row.get(4)?;
            let reason = row
                .get::<_, Option<String>>(5)?
                .and_then(|r| EndReason::named(&r));
            let (qualified, won): (bool, bool) = (row.get(6)?, row.get(7)?);
            tally.enrolled += 1;
            tally.active += u64::from(active);
            tally.completed += u64::from(reason == Some(EndReason::Completed));
            tally.answered += u64::from(reason.is_some_and(EndReason::is_answer));
            tally.qualified += u64::from(qualified);
            tally.won += u64::from(won);
        }
        let mut tallies: Vec<CadenceTally> = tallies.into_values().collect();
        tallies.sort_by_key(|tally| tally.cadence.to_lowercase());
        Ok(tallies)
    }
}
