//! The stored win-probability model (table `win_model`, one row) and the leads' stored
//! `win_probability`: what `learn` reads (closed leads with activity counts) and writes.
use std::collections::HashMap;

use anyhow::{Context, Result};

use super::leads::{lead_from_row, LEAD_COLUMNS};
use super::sql::{params, params_from_iter, OptionalExtension};
use super::{from_text, to_text, Period, Store};
use crate::learning::{ActivityCounts, ModelSummary, SavedModel, WinModel};
use crate::model::Lead;

/// Leads the model learns from: won or lost, not erased by `forget`.
const LEARNABLE: &str = "status IN ('won', 'lost') AND forgotten_at IS NULL";
/// The same leads, said so that SQLite reads indexes only: the won and lost leads from
/// `leads_score` (score, id and status: a scan of the index, never of the rows), less the
/// forgotten ones, which the partial index `leads_forgotten` holds alone. `forgotten_at IS NULL` would visit each
/// closed lead's row (0.37 s of `report` on a million leads; a test reads the plan).
const LEARNABLE_FROM_INDEXES: &str = "status IN ('won', 'lost')
    AND id NOT IN (SELECT id FROM leads WHERE forgotten_at IS NOT NULL)";
/// The learnable leads with the time each was closed (its last move to its status; None
/// when it came closed, by an import), as a `WITH` clause naming them `closed`.
fn closed_at() -> String {
    format!(
        "WITH closed AS MATERIALIZED (
            SELECT l.id, l.created_at, (SELECT max(s.at) FROM status_changes s
                          WHERE s.lead_id = l.id AND s.to_status = l.status) AS closed_at
            FROM leads l WHERE {LEARNABLE})"
    )
}
/// The condition on `closed.closed_at` (closed in the period; when it came closed, created
/// in it) and its parameters.
fn closed_within(period: Period) -> (String, Vec<String>) {
    let mut params = Vec::new();
    let mut within = String::new();
    if let Some(since) = period.since {
        params.push(to_text(since));
        within.push_str(" AND COALESCE(closed_at, created_at) >= ?1");
    }
    if let Some(until) = period.until {
        params.push(to_text(until));
        within.push_str(&format!(
            " AND COALESCE(closed_at, created_at) < ?{}",
            params.len()
        ));
    }
    (within, params)
}

/// The leads closed in the period as a condition on `leads` (`within`: `closed_within`).
fn closed_filter(within: &str) -> String {
    if within.is_empty() {
        LEARNABLE.to_string()
    } else {
        format!(
            "id IN ({} SELECT id FROM closed WHERE true{within})",
            closed_at()
        )
    }
}

/// Leads the model scores: still open, not erased.
const SCORABLE: &str = concat!("status NOT IN ", closed!(), " AND forgotten_at IS NULL");

impl Store {
    /// Every won or lost lead with its activity counts by kind. Only activities up to the
    /// lead's closing count: what happened after a win (onboarding calls) is not a cause of it.
    pub fn for_each_closed_lead(&self, each: impl FnMut(Lead, ActivityCounts)) -> Result<()> {
        self.for_each_lead_closed_in(Period::default(), each)
    }

    /// Every won or lost lead closed in the period (when it moved to its status, or was
    /// created when it came closed), with its activity counts up to its closing.
    pub fn for_each_lead_closed_in(
        &self,
        period: Period,
        each: impl FnMut(Lead, ActivityCounts),
    ) -> Result<()> {
        let (within, params) = closed_within(period);
        let counts = self.activity_counts_where(
            &format!(
                "{}
                 SELECT a.lead_id, a.kind, count(*) FROM closed c
                 JOIN activities a ON a.lead_id = c.id
                 WHERE (c.closed_at IS NULL OR a.at <= c.closed_at){within}
                 GROUP BY a.lead_id, a.kind",
                closed_at()
            ),
            &params,
        )?;
        self.for_each_lead_with_counts(&closed_filter(&within), &params, counts, each)
    }

    /// The score of each lead closed in the period (as `for_each_lead_closed_in` chooses
    /// them) and whether it was won, nothing else read: what the score's ranking in
    /// `report` needs when no model is learned (no lead read whole, no activity counted).
    pub fn closed_scores_in(&self, period: Period) -> Result<Vec<(i64, bool)>> {
        let (within, params) = closed_within(period);
        let filter = if within.is_empty() {
            LEARNABLE_FROM_INDEXES.to_string()
        } else {
            closed_filter(&within)
        };
        let mut statement = self.conn.prepare(&format!(
            "SELECT score, status = 'won' FROM leads WHERE {filter}"
        ))?;
        let rows = statement.query_map(params_from_iter(&params), |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every open lead with its activity counts by kind.
    pub fn for_each_open_lead(&self, each: impl FnMut(Lead, ActivityCounts)) -> Result<()> {
        let counts = self.activity_counts_where(
            &format!(
                "SELECT a.lead_id, a.kind, count(*) FROM activities a
                 WHERE a.lead_id IN (SELECT id FROM leads WHERE {SCORABLE})
                 GROUP BY a.lead_id, a.kind"
            ),
            &[],
        )?;
        self.for_each_lead_with_counts(SCORABLE, &[], counts, each)
    }

    /// One lead's activity counts by kind.
    pub fn activity_counts(&self, lead_id: i64) -> Result<ActivityCounts> {
        let mut statement = self.conn.prepare_cached(
            "SELECT kind, count(*) FROM activities WHERE lead_id = ?1 GROUP BY kind",
        )?;
        let mut rows = statement.query([lead_id])?;
        let mut counts = ActivityCounts::default();
        while let Some(row) = rows.next()? {
            if let Ok(kind) = row.get::<_, String>(0)?.parse() {
                counts.add(kind, row.get(1)?);
            }
        }
        Ok(counts)
    }

    /// How many leads the model could learn from now (to tell when it has gone stale).
    pub fn count_closed_leads(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            &format!("SELECT count(*) FROM leads WHERE {LEARNABLE_FROM_INDEXES}"),
            [],
            |row| row.get(0),
        )?)
    }

    /// Store a freshly learned model and the open leads' probabilities; every other lead's
    /// probability is cleared (closed since, or erased). Call inside `write`.
    pub fn save_win_model(&self, saved: &SavedModel, probabilities: &[(i64, f64)]) -> Result<()> {
        self.conn.execute(
            "INSERT INTO win_model (id, learned_at, closed, auc, model) VALUES (1, ?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET learned_at = excluded.learned_at,
                 closed = excluded.closed, auc = excluded.auc, model = excluded.model",
            params![
                to_text(saved.learned_at),
                saved.closed,
                saved.auc,
                serde_json::to_string(&saved.model)?
            ],
        )?;
        self.conn.execute(
            "UPDATE leads SET win_probability = NULL WHERE win_probability IS NOT NULL",
            [],
        )?;
        let mut update = self
            .conn
            .prepare_cached("UPDATE leads SET win_probability = ?1 WHERE id = ?2")?;
        for (id, probability) in probabilities {
            update.execute(params![probability, id])?;
        }
        Ok(())
    }

    /// The stored model, if `learn` ever stored one this version of leads can read
    /// (an unreadable one counts as none: `learn` again replaces it).
    pub fn win_model(&self) -> Result<Option<SavedModel>> {
        let row = self
            .conn
            .query_row(
                "SELECT learned_at, closed, auc, model FROM win_model WHERE id = 1",
                [],
                |row| {
                    Ok((
                        from_text(&row.get::<_, String>(0)?)?,
                        row.get::<_, i64>(1)?,
                        row.get::<_, Option<f64>>(2)?,
                        row.get::<_, String>(3)?,
                    ))
                },
            )
            .optional()
            .context("reading the learned model")?;
        Ok(row.and_then(|(learned_at, closed, auc, json)| {
            serde_json::from_str::<WinModel>(&json)
                .ok()
                .map(|model| SavedModel {
                    learned_at,
                    closed,
                    auc,
                    model,
                })
        }))
    }

    /// What the stored model says of itself (when learned, from how many closed leads, its
    /// AUC), without reading the model: `list` and the choice of order need no more.
    /// Whether the model itself can still be read is `win_model`'s question.
    pub fn win_model_summary(&self) -> Result<Option<ModelSummary>> {
        let row = self
            .conn
            .query_row(
                "SELECT learned_at, closed, auc FROM win_model WHERE id = 1",
                [],
                |row| {
                    Ok(ModelSummary {
                        learned_at: from_text(&row.get::<_, String>(0)?)?,
                        closed: row.get(1)?,
                        auc: row.get(2)?,
                    })
                },
            )
            .optional()
            .context("reading the learned model")?;
        Ok(row)
    }

    /// Activity counts per lead from a `SELECT lead_id, kind, count(*) ... GROUP BY` query.
    fn activity_counts_where(
        &self,
        sql: &str,
        params: &[String],
    ) -> Result<HashMap<i64, ActivityCounts>> {
        let mut counts: HashMap<i64, ActivityCounts> = HashMap::new();
        let mut statement = self.conn.prepare(sql)?;
        let mut rows = statement.query(params_from_iter(params))?;
        while let Some(row) = rows.next()? {
            if let Ok(kind) = row.get::<_, String>(1)?.parse() {
                counts
                    .entry(row.get(0)?)
                    .or_default()
                    .add(kind, row.get(2)?);
            }
        }
        Ok(counts)
    }

    fn for_each_lead_with_counts(
        &self,
        filter: &str,
        params: &[String],
        counts: HashMap<i64, ActivityCounts>,
        mut each: impl FnMut(Lead, ActivityCounts),
    ) -> Result<()> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {LEAD_COLUMNS} FROM leads WHERE {filter} ORDER BY id"
        ))?;
        let mut rows = statement.query(params_from_iter(params))?;
        while let Some(row) = rows.next()? {
            let lead = lead_from_row(&row)?;
            let lead_counts = counts.get(&lead.id).copied().unwrap_or_default();
            each(lead, lead_counts);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plan of `sql`, one line a step.
    fn plan(store: &Store, sql: &str) -> Vec<String> {
        let mut statement = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        let rows = statement
            .query_map([], |row| row.get::<_, String>(3))
            .unwrap();
        rows.map(Result::unwrap).collect()
    }

    /// `report` ranks every closed lead by its score: on a million leads, a visit of each
    /// one's row is most of the report's time.
    #[test]
    fn the_closed_leads_scores_are_read_from_indexes_alone() {
        let store = Store::open_in_memory().unwrap();
        let steps = plan(
            &store,
            &format!("SELECT score, status = 'won' FROM leads WHERE {LEARNABLE_FROM_INDEXES}"),
        );
        let reads: Vec<&String> = steps.iter().filter(|s| s.contains("leads")).collect();
        assert_eq!(reads.len(), 2, "{steps:?}");
        assert!(reads[0].contains("COVERING INDEX leads_score"), "{steps:?}");
        assert!(
            reads[1].contains("COVERING INDEX leads_forgotten"),
            "{steps:?}"
        );
    }
}
