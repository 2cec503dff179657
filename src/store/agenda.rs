//! What `leads today` reads: the leads with no next step that may need the seller, walked
//! best first on an index so the first page costs a page; the open deals' values.
use anyhow::Result;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use super::follow_ups::{follow_up_from_row, FOLLOW_UP_COLUMNS, FOLLOW_UP_TABLES};
use super::leads::{lead_from_row, lead_from_row_at, LEAD_COLUMNS};
use super::{to_text, Store};
use crate::model::{FollowUp, Lead};

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

/// The lead's columns as the agenda reads them: every field but the free-form ones it never
/// shows (notes, tags, attributes), which are the costly ones to read back.
fn agenda_columns() -> &'static str {
    static COLUMNS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    COLUMNS.get_or_init(|| {
        LEAD_COLUMNS
            .split(',')
            .map(|column| match column.trim() {
                "tags" | "attributes" => " NULL".to_string(),
                "notes" => " NULL".to_string(),
                _ => column.to_string(),
            })
            .collect::<Vec<_>>()
            .join(",")
    })
}

/// The candidates' condition. `status NOT IN closed` is word for word the condition of
/// the partial index `leads_open_score`, so the walk by score reads that index in order.
/// The engaged or going-cold test is the agenda's rule, said loosely enough here to
/// skip the rows that cannot qualify; `workflows::agenda` decides the reasons.
fn no_next_step_sql(order: NoNextStep) -> String {
    format!(
        "SELECT {columns} FROM leads{index}
         WHERE status NOT IN {closed}
           AND next_follow_up IS NULL AND do_not_contact = 0 AND forgotten_at IS NULL
           AND (status = 'qualified' OR grade IN ('A', 'B') OR last_answer_at >= ?1
                OR (status IN ('contacted', 'nurturing')
                    AND COALESCE(last_touch_at, created_at) < ?2)){valued}{which}{order}",
        columns = agenda_columns(),
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
        let mut statement = self.conn.prepare_cached(&no_next_step_sql(which))?;
        let mut rows = statement.query(params![
            to_text(which.answered_since),
            to_text(which.cold_before)
        ])?;
        while let Some(row) = rows.next()? {
            match lead_from_row(row) {
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

    /// The lead with this id, as the agenda shows it (no notes, tags or attributes).
    pub fn agenda_lead(&self, id: i64) -> Result<Lead> {
        let sql = format!("SELECT {} FROM leads WHERE id = ?1", agenda_columns());
        self.conn
            .prepare_cached(&sql)?
            .query_row([id], lead_from_row)
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
            let lead_columns = agenda_columns()
                .split(',')
                .map(|column| match column.trim() {
                    name if name.chars().all(|c| c.is_ascii_lowercase() || c == '_') => {
                        format!("l.{name}")
                    }
                    literal => literal.to_string(),
                })
                .collect::<Vec<_>>()
                .join(", ");
            format!(
                "SELECT {FOLLOW_UP_COLUMNS}, {lead_columns} FROM {FOLLOW_UP_TABLES}
                 WHERE f.id IN (SELECT value FROM json_each(?1))
                   AND l.do_not_contact = 0 AND l.forgotten_at IS NULL
                   AND l.status NOT IN {closed}",
                closed = closed!()
            )
        });
        let mut found = std::collections::HashMap::with_capacity(ids.len());
        let mut statement = self.conn.prepare_cached(sql)?;
        let mut rows = statement.query([serde_json::to_string(ids)?])?;
        let lead_at = FOLLOW_UP_COLUMNS.split(',').count();
        while let Some(row) = rows.next()? {
            let read = follow_up_from_row(row)
                .and_then(|follow_up| lead_from_row_at(row, lead_at).map(|lead| (follow_up, lead)));
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
        let model = self.win_model()?;
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
        let sql = format!("EXPLAIN QUERY PLAN {}", no_next_step_sql(which));
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
