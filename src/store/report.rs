//! Report aggregates: per source (or source detail) and per status, with the days each
//! lead took to reach `qualified` and `won`.
//!
//! Speed matters here (a million leads in well under half a second), so the work is
//! two index-only scans and a join in memory, not one SQL join: `leads_source` holds
//! source, status, score and created_at; `status_changes_to` holds to_status, lead_id
//! and at. Grouping by source detail has no index and reads the table.
use std::collections::HashMap;

use anyhow::Result;
use chrono::{DateTime, Utc};
use rusqlite::types::ValueRef;

use super::{from_text, to_text, Store};
use crate::model::Status;

/// What the report groups leads by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportGroup {
    Source,
    SourceDetail,
}

/// The counts of one group of leads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupTally {
    /// The source (or source detail); None for leads without one.
    pub group: Option<String>,
    pub leads: u64,
    /// Leads by current status, in `Status::ALL` (pipeline) order.
    pub by_status: [u64; 7],
    /// Leads that are qualified or won, or were qualified or won at some point.
    pub reached_qualified: u64,
    pub score_total: i64,
    /// Days from creation to the first move to `qualified`, one per lead that made it.
    pub days_to_qualify: Vec<f64>,
    /// Days from creation to the first move to `won`, one per lead that made it.
    pub days_to_win: Vec<f64>,
}

/// When a lead first moved to qualified and to won, in seconds since 1970.
#[derive(Debug, Clone, Copy, Default)]
struct Milestones {
    qualified: Option<i64>,
    won: Option<i64>,
}

/// Milestones by lead id: a plain vector when ids are dense (the usual case, and much
/// faster than hashing a million ids), a map when a few huge ids would waste memory.
/// The dense form keeps a bitmap of the leads that have any milestone: it fits in the
/// processor's cache, so the many leads without one cost no trip to main memory.
enum MilestonesById {
    Dense { any: Vec<u64>, all: Vec<Milestones> },
    Sparse(HashMap<i64, Milestones>),
}

impl MilestonesById {
    fn new(smallest_id: i64, largest_id: i64, moves: i64) -> MilestonesById {
        match usize::try_from(largest_id) {
            Ok(largest)
                if smallest_id >= 0
                    && largest_id <= moves.saturating_mul(8).saturating_add(1_000_000) =>
            {
                MilestonesById::Dense {
                    any: vec![0; largest / 64 + 1],
                    all: vec![Milestones::default(); largest + 1],
                }
            }
            _ => MilestonesById::Sparse(HashMap::new()),
        }
    }

    fn get(&self, id: i64) -> Option<&Milestones> {
        match self {
            MilestonesById::Dense { any, all } => {
                let index = usize::try_from(id).ok()?;
                let word = any.get(index / 64)?;
                if word & (1 << (index % 64)) == 0 {
                    return None;
                }
                all.get(index)
            }
            MilestonesById::Sparse(map) => map.get(&id),
        }
    }

    fn get_mut(&mut self, id: i64) -> Option<&mut Milestones> {
        match self {
            MilestonesById::Dense { any, all } => {
                let index = usize::try_from(id).ok()?;
                *any.get_mut(index / 64)? |= 1 << (index % 64);
                all.get_mut(index)
            }
            MilestonesById::Sparse(map) => Some(map.entry(id).or_default()),
        }
    }
}

/// The position of a status in the pipeline, from its stored text.
fn status_position(text: &[u8]) -> Option<usize> {
    Status::ALL
        .iter()
        .position(|status| status.as_str().as_bytes() == text)
}

/// Seconds since 1970 of a stored date. Dates are written as `2026-03-01T09:00:00Z`;
/// that shape is read by hand (a million of them must take milliseconds), any other
/// RFC 3339 text through chrono.
fn epoch_seconds(text: &[u8]) -> rusqlite::Result<i64> {
    if let Some(seconds) = fast_epoch_seconds(text) {
        return Ok(seconds);
    }
    let text = std::str::from_utf8(text).map_err(|err| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(err))
    })?;
    Ok(from_text(text)?.timestamp())
}

fn fast_epoch_seconds(text: &[u8]) -> Option<i64> {
    if text.len() != 20 || text[19] != b'Z' || text[10] != b'T' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        text[range].iter().try_fold(0i64, |total, byte| {
            byte.is_ascii_digit()
                .then(|| total * 10 + i64::from(byte - b'0'))
        })
    };
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if separators.iter().any(|(at, byte)| text[*at] != *byte) {
        return None;
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    // Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let shifted = if month <= 2 { year - 1 } else { year };
    let era = shifted.div_euclid(400);
    let year_of_era = shifted - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second)
}

fn days_between(from: i64, to: i64) -> f64 {
    // A move dated before the lead's creation (history imported from another tool) is day 0.
    ((to - from) as f64 / 86_400.0).max(0.0)
}

fn text_of<'a>(value: ValueRef<'a>) -> Option<&'a [u8]> {
    match value {
        ValueRef::Text(text) if !text.is_empty() => Some(text),
        _ => None,
    }
}

impl Store {
    /// The tallies of every group of leads created at or after `since` (all when None),
    /// in no particular order.
    pub fn report_tallies(
        &self,
        by: ReportGroup,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<GroupTally>> {
        let milestones = self.milestones()?;
        // The covering index even with --since: a date range through leads_created would
        // fetch every table row it selects, far slower when it selects many.
        let from = match by {
            ReportGroup::Source => {
                "source, status, score, created_at, id FROM leads INDEXED BY leads_source"
            }
            ReportGroup::SourceDetail => "source_detail, status, score, created_at, id FROM leads",
        };
        let since_clause = if since.is_some() {
            " WHERE created_at >= ?1"
        } else {
            ""
        };
        let sql = format!("SELECT {from}{since_clause}");
        let mut statement = self.conn.prepare(&sql)?;
        let mut rows = match since {
            Some(since) => statement.query([to_text(since)])?,
            None => statement.query([])?,
        };
        let mut tallies: Vec<GroupTally> = vec![GroupTally::default()];
        // Where each group's tally is; index 0 is the leads with no group. Rows come
        // grouped (by the index order), so the map is only consulted when the group changes.
        let mut positions: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut current_group: Option<Vec<u8>> = None;
        let mut current = 0;
        while let Some(row) = rows.next()? {
            let group = text_of(row.get_ref(0)?);
            if group != current_group.as_deref() {
                current = match group {
                    None => 0,
                    Some(name) => match positions.get(name) {
                        Some(position) => *position,
                        None => {
                            tallies.push(GroupTally {
                                group: Some(String::from_utf8_lossy(name).into_owned()),
                                ..GroupTally::default()
                            });
                            positions.insert(name.to_vec(), tallies.len() - 1);
                            tallies.len() - 1
                        }
                    },
                };
                current_group = group.map(<[u8]>::to_vec);
            }
            let tally = &mut tallies[current];
            tally.leads += 1;
            if let ValueRef::Integer(score) = row.get_ref(2)? {
                tally.score_total += score;
            }
            let position = text_of(row.get_ref(1)?).and_then(status_position);
            if let Some(position) = position {
                tally.by_status[position] += 1;
            }
            let currently_qualified = matches!(
                position.map(|p| Status::ALL[p]),
                Some(Status::Qualified | Status::Won)
            );
            let ValueRef::Integer(id) = row.get_ref(4)? else {
                continue;
            };
            let Some(reached) = milestones.get(id) else {
                if currently_qualified {
                    tally.reached_qualified += 1;
                }
                continue;
            };
            tally.reached_qualified += 1;
            let created = epoch_seconds(row.get_ref(3)?.as_bytes()?)?;
            if let Some(at) = reached.qualified {
                tally.days_to_qualify.push(days_between(created, at));
            }
            if let Some(at) = reached.won {
                tally.days_to_win.push(days_between(created, at));
            }
        }
        tallies.retain(|tally| tally.leads > 0);
        Ok(tallies)
    }

    /// The first move of each lead to `qualified` and to `won`. The index is ordered by
    /// (to_status, lead_id, at), so the first row of each lead is its earliest move.
    /// A move from no status is how a lead arrived (an import of a lead already won, dated
    /// at its creation): it says where the lead stood, not how long it took, so it is left
    /// out of the medians (the current status still counts it as qualified or won).
    fn milestones(&self) -> Result<MilestonesById> {
        let (moves, smallest_id, largest_id): (i64, Option<i64>, Option<i64>) =
            self.conn.query_row(
                "SELECT count(*), min(lead_id), max(lead_id) FROM status_changes
                 WHERE to_status IN ('qualified', 'won') AND from_status IS NOT NULL",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )?;
        let mut by_id =
            MilestonesById::new(smallest_id.unwrap_or(0), largest_id.unwrap_or(0), moves);
        let mut statement = self.conn.prepare(
            "SELECT to_status, lead_id, at FROM status_changes
             WHERE to_status IN ('qualified', 'won') AND from_status IS NOT NULL
             ORDER BY to_status, lead_id, at",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let won = row.get_ref(0)?.as_bytes()? == b"won";
            let id: i64 = row.get(1)?;
            let Some(entry) = by_id.get_mut(id) else {
                continue;
            };
            let slot = if won {
                &mut entry.won
            } else {
                &mut entry.qualified
            };
            if slot.is_none() {
                *slot = Some(epoch_seconds(row.get_ref(2)?.as_bytes()?)?);
            }
        }
        Ok(by_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lead;
    use crate::test_support::at;

    fn lead(store: &Store, source: Option<&str>, created: &str, score: i64) -> i64 {
        let mut lead = Lead {
            first_name: Some("Ada".into()),
            source: source.map(str::to_string),
            created_at: Some(at(created)),
            updated_at: Some(at(created)),
            ..Lead::default()
        };
        lead.scores.score = score;
        let id = store.insert_lead(&lead).unwrap();
        store
            .change_status(id, None, Status::New, at(created), None)
            .unwrap();
        id
    }

    fn by_group(tallies: Vec<GroupTally>, group: Option<&str>) -> GroupTally {
        tallies
            .into_iter()
            .find(|t| t.group.as_deref() == group)
            .unwrap()
    }

    #[test]
    fn stored_dates_are_read_fast_and_right() {
        for text in [
            "1970-01-01T00:00:00Z",
            "2026-03-01T09:00:00Z",
            "2000-02-29T23:59:59Z",
            "1969-12-31T00:00:00Z",
        ] {
            assert_eq!(
                fast_epoch_seconds(text.as_bytes()),
                Some(at(text).timestamp()),
                "{text}"
            );
        }
        assert_eq!(fast_epoch_seconds(b"2026-03-01T09:00:00+01:00"), None);
        assert_eq!(
            epoch_seconds(b"2026-03-01T10:00:00+01:00").unwrap(),
            at("2026-03-01T09:00:00Z").timestamp()
        );
        assert_eq!(fast_epoch_seconds(b"2026-13-01T09:00:00Z"), None);
    }

    #[test]
    fn tallies_count_statuses_milestones_and_days() {
        let store = Store::open_in_memory().unwrap();
        let a = lead(&store, Some("referral"), "2026-01-01T00:00:00Z", 80);
        let b = lead(&store, Some("referral"), "2026-01-01T00:00:00Z", 40);
        lead(&store, None, "2026-02-01T00:00:00Z", 10);
        let q = Some(Status::New);
        store
            .change_status(a, q, Status::Qualified, at("2026-01-11T00:00:00Z"), None)
            .unwrap();
        store
            .change_status(
                a,
                Some(Status::Qualified),
                Status::Won,
                at("2026-01-21T12:00:00Z"),
                None,
            )
            .unwrap();
        store
            .change_status(b, q, Status::Qualified, at("2026-01-03T00:00:00Z"), None)
            .unwrap();
        store
            .change_status(
                b,
                Some(Status::Qualified),
                Status::Lost,
                at("2026-01-04T00:00:00Z"),
                None,
            )
            .unwrap();

        let tallies = store.report_tallies(ReportGroup::Source, None).unwrap();
        let mut referral = by_group(tallies.clone(), Some("referral"));
        referral.days_to_qualify.sort_by(f64::total_cmp);
        assert_eq!(referral.leads, 2);
        assert_eq!(referral.by_status, [0, 0, 0, 0, 1, 1, 0]);
        assert_eq!(referral.reached_qualified, 2);
        assert_eq!(referral.score_total, 120);
        assert_eq!(referral.days_to_qualify, vec![2.0, 10.0]);
        assert_eq!(referral.days_to_win, vec![20.5]);
        let none = by_group(tallies, None);
        assert_eq!((none.leads, none.by_status[0]), (1, 1));

        let since = store
            .report_tallies(ReportGroup::Source, Some(at("2026-01-15T00:00:00Z")))
            .unwrap();
        assert_eq!(since.len(), 1);
        assert_eq!(since[0].group, None);
    }
}
