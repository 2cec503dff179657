//! What `leads today` reads: the leads with no next step that may need the seller, walked
//! best first on an index so the first page costs a page; the open deals' values.
use anyhow::Result;
use chrono::{DateTime, Utc};

use super::follow_ups::{
    follow_up_at, follow_up_name_of, FOLLOW_UP_OWN_COLUMNS, FOLLOW_UP_OWN_COUNT, FOLLOW_UP_TABLES,
};
use super::sql::{params, OptionalExtension, Row};
use super::{date_at, opt_date_at, to_text, Store};
use crate::model::{FollowUp, Grade, Lead, Status, StoredScores};

/// Which leads without a next step to walk, and in which order.
#[derive(Debug, Clone, Copy)]
pub struct NoNextStep {
    /// An answer at or after this counts as recent.
    pub answered_since: DateTime<Utc>,
    /// A worked lead untouched since before this is going cold.
    pub cold_before: DateTime<Utc>,
    /// Which leads, in which order.
    pub order: WalkOrder,
    /// Only the leads with a deal value (else every one).
    pub valued_only: bool,
}

/// The order of a walk, and the leads it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalkOrder {
    /// Every candidate, highest score first.
    Score,
    /// The candidates with a learned win probability, highest first.
    Win,
    /// The candidates without one (added since the last `learn`), highest score first.
    ScoreWithoutWin,
}

/// The lead's columns as the agenda reads them (`agenda_lead_at`): only the fields it
/// shows or decides by (the name and how to reach the lead, status, scores, touches,
/// value, the dates its reasons count from). A page of the agenda reads 50 leads: each
/// column left out is 50 values not decoded, 50 strings not made.
const AGENDA_LEAD_COLUMNS: [&str; 18] = [
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "website",
    "status",
    "external_id",
    "do_not_contact",
    "created_at",
    "score",
    "grade",
    "win_probability",
    "forgotten_at",
    "deal_value",
    "last_touch_at",
    "last_answer_at",
];

/// `AGENDA_LEAD_COLUMNS` as SQL, each name after `prefix` ("l." in a join).
fn agenda_columns(prefix: &str) -> String {
    AGENDA_LEAD_COLUMNS
        .iter()
        .map(|column| format!("{prefix}{column}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The lead whose `AGENDA_LEAD_COLUMNS` start at column `at`; every other field empty
/// (its `updated_at` is its creation: the agenda never shows it).
fn agenda_lead_at(row: &Row<'_>, at: usize) -> rusqlite::Result<Lead> {
    let status: String = row.get(at + 7)?;
    let grade: String = row.get(at + 12)?;
    let created_at = date_at(row, at + 10)?;
    Ok(Lead {
        id: row.get(at)?,
        first_name: row.get(at + 1)?,
        last_name: row.get(at + 2)?,
        email: row.get(at + 3)?,
        phone: row.get(at + 4)?,
        company: row.get(at + 5)?,
        website: row.get(at + 6)?,
        status: Some(status.parse().unwrap_or(Status::New)),
        external_id: row.get(at + 8)?,
        do_not_contact: row.get(at + 9)?,
        created_at: Some(created_at),
        updated_at: Some(created_at),
        scores: StoredScores {
            score: row.get(at + 11)?,
            grade: Grade::from_letter(&grade).unwrap_or_default(),
            ..StoredScores::default()
        },
        win_probability: row.get(at + 13)?,
        forgotten: row.get::<_, Option<String>>(at + 14)?.is_some(),
        deal_value: row.get(at + 15)?,
        last_touch_at: opt_date_at(row, at + 16)?,
        last_answer_at: opt_date_at(row, at + 17)?,
        ..Lead::default()
    })
}

/// How many leads a page of PostgreSQL's walk holds: a page of the agenda is 50.
const WALK_PAGE: usize = 128;

/// The candidates' condition. `status NOT IN closed` is word for word the condition of
/// the partial index `leads_open_score`, so the walk by score reads that index in order.
/// The engaged or going-cold test is the agenda's rule, said loosely enough here to
/// skip the rows that cannot qualify; `workflows::agenda` decides the reasons.
///
/// `page`: PostgreSQL's walk, a page at a time (see `walk_without_next_step`): `Some(false)`
/// the first page, `Some(true)` the next, after the lead whose win probability, score and
/// id are ?5, ?3 and ?4.
fn no_next_step_sql(order: NoNextStep, page: Option<bool>) -> String {
    let after = match (page, order.order) {
        (Some(true), WalkOrder::Win) => {
            " AND (win_probability < ?5 OR (win_probability = ?5
                   AND (score < ?3 OR (score = ?3 AND id > ?4))))"
        }
        (Some(true), _) => " AND (score < ?3 OR (score = ?3 AND id > ?4))",
        _ => "",
    };
    let limit = if page.is_some() {
        format!(" LIMIT {WALK_PAGE}")
    } else {
        String::new()
    };
    format!(
        "SELECT {columns} FROM leads{index}
         WHERE status NOT IN {closed}
           AND next_follow_up IS NULL AND do_not_contact = 0 AND forgotten_at IS NULL
           AND (status = 'qualified' OR grade IN ('A', 'B') OR last_answer_at >= ?1
                OR (status IN ('contacted', 'nurturing')
                    AND COALESCE(last_touch_at, created_at) < ?2)){valued}{which}{after}{order}{limit}",
        columns = agenda_columns(""),
        closed = closed!(),
        // The partial index of the leads with a value holds just these few.
        index = if order.valued_only {
            " INDEXED BY leads_deal_value"
        } else {
            ""
        },
        valued = if order.valued_only {
            " AND deal_value IS NOT NULL"
        } else {
            ""
        },
        which = match order.order {
            WalkOrder::Score => "",
            WalkOrder::Win => " AND win_probability IS NOT NULL",
            WalkOrder::ScoreWithoutWin => " AND win_probability IS NULL",
        },
        // The few leads with a value are sorted by the caller, in any order from here.
        order = match (order.valued_only, order.order) {
            (true, _) => "",
            (false, WalkOrder::Win) => " ORDER BY win_probability DESC, score DESC, id",
            (false, _) => " ORDER BY score DESC, id",
        }
    )
}

impl Store {
    /// Walk the open, reachable leads without an open follow-up that are engaged or going
    /// cold, best first; `each` returns false to stop. A row that cannot be read is told
    /// and skipped.
    pub fn walk_without_next_step(
        &self,
        which: NoNextStep,
        mut each: impl FnMut(Lead) -> bool,
    ) -> Result<()> {
        if self.conn.is_postgres() && !which.valued_only {
            return self.walk_without_next_step_in_pages(which, each);
        }
        let mut statement = self.conn.prepare_cached(&no_next_step_sql(which, None))?;
        let mut rows = statement.query(params![
            to_text(which.answered_since),
            to_text(which.cold_before)
        ])?;
        while let Some(row) = rows.next()? {
            match agenda_lead_at(&row, 0) {
                Ok(lead) => {
                    if !each(lead) {
                        break;
                    }
                }
                Err(err) => self.skip_unreadable("leads", row.get(0)?, err)?,
            }
        }
        Ok(())
    }

    /// `walk_without_next_step` on PostgreSQL, which sends every row of a query before
    /// the first is read (the walk of a million open leads took 0.85 s to stop after
    /// fifty): `WALK_PAGE` leads at a time, each page after the last lead of the one
    /// before in the walk's order.
    fn walk_without_next_step_in_pages(
        &self,
        which: NoNextStep,
        mut each: impl FnMut(Lead) -> bool,
    ) -> Result<()> {
        let mut after: Option<(Option<f64>, i64, i64)> = None;
        loop {
            let sql = no_next_step_sql(which, Some(after.is_some()));
            let mut statement = self.conn.prepare_cached(&sql)?;
            let (win, score, id) = after.unwrap_or_default();
            let mut rows = if after.is_some() && which.order == WalkOrder::Win {
                statement.query(params![
                    to_text(which.answered_since),
                    to_text(which.cold_before),
                    score,
                    id,
                    win
                ])?
            } else if after.is_some() {
                statement.query(params![
                    to_text(which.answered_since),
                    to_text(which.cold_before),
                    score,
                    id
                ])?
            } else {
                statement.query(params![
                    to_text(which.answered_since),
                    to_text(which.cold_before)
                ])?
            };
            let mut read = 0;
            while let Some(row) = rows.next()? {
                read += 1;
                // Columns 0, 11 and 13 of `AGENDA_LEAD_COLUMNS`: id, score, win probability.
                after = Some((row.get(13)?, row.get(11)?, row.get(0)?));
                match agenda_lead_at(&row, 0) {
                    Ok(lead) => {
                        if !each(lead) {
                            return Ok(());
                        }
                    }
                    Err(err) => self.skip_unreadable("leads", row.get(0)?, err)?,
                }
            }
            if read < WALK_PAGE {
                return Ok(());
            }
        }
    }

    /// The lead with this id, as the agenda shows it (the fields it shows, the others
    /// empty).
    pub fn agenda_lead(&self, id: i64) -> Result<Lead> {
        let sql = format!("SELECT {} FROM leads WHERE id = ?1", agenda_columns(""));
        self.conn
            .prepare_cached(&sql)?
            .query_row([id], |row| agenda_lead_at(row, 0))
            .optional()?
            .ok_or_else(|| crate::error::not_found(format!("no lead with id {id}")))
    }

    /// The follow-ups with these ids, each with its lead as the agenda shows it, in the
    /// order of `ids`: one statement, one visit of each lead's row, for a page of the
    /// agenda. Left out: the follow-ups of leads that may not be contacted (closed,
    /// do-not-contact, forgotten), as every list of open follow-ups leaves them out, and a
    /// row that cannot be read (told).
    pub fn agenda_page(&self, ids: &[i64]) -> Result<Vec<(FollowUp, Lead)>> {
        static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let sql = SQL.get_or_init(|| {
            // The follow-up's own columns: its lead's name is made from the lead's.
            format!(
                "SELECT {FOLLOW_UP_OWN_COLUMNS}, {lead_columns} FROM {FOLLOW_UP_TABLES}
                 WHERE f.id IN (SELECT CAST(value AS INTEGER) FROM json_each(CAST(?1 AS TEXT)))
                   AND l.do_not_contact = 0 AND l.forgotten_at IS NULL
                   AND l.status NOT IN {closed}",
                lead_columns = agenda_columns("l."),
                closed = closed!()
            )
        });
        let mut found = std::collections::HashMap::with_capacity(ids.len());
        let mut statement = self.conn.prepare_cached(sql)?;
        let mut rows = statement.query([serde_json::to_string(ids)?])?;
        let lead_at = FOLLOW_UP_OWN_COUNT;
        while let Some(row) = rows.next()? {
            let read = agenda_lead_at(&row, lead_at).and_then(|lead| {
                follow_up_at(&row, follow_up_name_of(&lead)).map(|follow_up| (follow_up, lead))
            });
            match read {
                Ok((follow_up, lead)) => {
                    found.insert(follow_up.id, (follow_up, lead));
                }
                Err(err) => self.skip_unreadable("follow_ups", row.get(0)?, err)?,
            }
        }
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// The deal values of the open leads that have one (the partial index
    /// `leads_deal_value` holds just those).
    pub fn open_deal_values(&self) -> Result<Vec<f64>> {
        let sql = format!(
            "SELECT deal_value FROM leads
             WHERE deal_value IS NOT NULL AND status NOT IN {closed}",
            closed = closed!()
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let values = statement.query_map([], |row| row.get::<_, f64>(0))?;
        Ok(values.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether a learned model ranked the held-out closed leads better than the rule
    /// score did (its AUC above the score's, both measured by the same `learn`).
    pub fn model_ranks_better(&self) -> Result<bool> {
        let model = self.win_model_summary()?;
        let score_auc = self
            .setting(SCORE_AUC)?
            .and_then(|text| text.parse::<f64>().ok());
        Ok(match (model.and_then(|m| m.auc), score_auc) {
            (Some(model), Some(score)) => model > score,
            _ => false,
        })
    }

    /// Record the rule score's held-out AUC beside the model's (by `learn`).
    pub fn set_score_auc(&self, auc: Option<f64>) -> Result<()> {
        match auc {
            Some(auc) => self.set_setting(SCORE_AUC, &auc.to_string()),
            None => self.delete_setting(SCORE_AUC),
        }
    }
}

/// Where `learn` keeps the rule score's held-out AUC.
const SCORE_AUC: &str = "model.score_auc";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::test_support::at;

    fn plan(store: &Store, which: NoNextStep) -> String {
        let sql = format!("EXPLAIN QUERY PLAN {}", no_next_step_sql(which, None));
        let mut statement = store.conn.prepare(&sql).unwrap();
        let rows = statement
            .query_map(params!["a", "b"], |row| row.get::<_, String>(3))
            .unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn the_agenda_walks_the_open_leads_index_in_score_order_and_values_on_theirs() {
        let store = Store::open_in_memory().unwrap();
        let which = NoNextStep {
            answered_since: at("2026-02-15T09:00:00Z"),
            cold_before: at("2026-02-15T09:00:00Z"),
            order: WalkOrder::Score,
            valued_only: false,
        };
        assert_eq!(
            plan(&store, which),
            "SCAN leads USING INDEX leads_open_score"
        );
        let valued = plan(
            &store,
            NoNextStep {
                valued_only: true,
                ..which
            },
        );
        assert!(valued.contains("leads_deal_value"), "{valued}");
    }
}
