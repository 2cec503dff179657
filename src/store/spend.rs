//! Spend: what a source or campaign cost, on a date (`leads spend`).
use anyhow::Result;
use chrono::{DateTime, Utc};
use rusqlite::params;

use super::ids::Ids;
use super::{from_text, to_text, Store};
use crate::error::not_found;

const CURRENCY_KEY: &str = "currency";

/// One recorded cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Spend {
    pub id: i64,
    /// Normalized, as a lead's source.
    pub source: String,
    /// The campaign, event or list, as a lead's source detail.
    pub detail: Option<String>,
    pub amount: f64,
    /// When the money counts (the report's period selects spend by this).
    pub on: DateTime<Utc>,
    pub note: Option<String>,
}

impl Store {
    /// Record a cost; returns its id.
    pub fn add_spend(&self, spend: &Spend, now: DateTime<Utc>) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO spend (source, detail, amount, spent_on, note, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                spend.source,
                spend.detail,
                spend.amount,
                to_text(spend.on),
                spend.note,
                to_text(now)
            ],
        )?;
        self.above_deleted(Ids::Spend, self.conn.last_insert_rowid()?)
    }

    /// Every recorded cost, oldest first.
    pub fn spends(&self) -> Result<Vec<Spend>> {
        self.spends_between(None, None)
    }

    /// The costs dated in [since, until) (either end open when None), oldest first.
    pub fn spends_between(
        &self,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<Spend>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, source, detail, amount, spent_on, note FROM spend
             WHERE (CAST(?1 AS TEXT) IS NULL OR spent_on >= ?1) AND (CAST(?2 AS TEXT) IS NULL OR spent_on < ?2)
             ORDER BY spent_on, id",
        )?;
        let rows = statement.query_map(params![since.map(to_text), until.map(to_text)], |row| {
            Ok(Spend {
                id: row.get(0)?,
                source: row.get(1)?,
                detail: row.get(2)?,
                amount: row.get(3)?,
                on: from_text(&row.get::<_, String>(4)?)?,
                note: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Remove a cost; not found (exit 3) when there is none with this id.
    pub fn delete_spend(&self, id: i64) -> Result<()> {
        self.keep_highest_id(Ids::Spend)?;
        let removed = self.conn.execute("DELETE FROM spend WHERE id = ?1", [id])?;
        if removed == 0 {
            return Err(not_found(format!("no spend with id {id}")));
        }
        Ok(())
    }

    /// The sources named by leads or spend, for "did you mean".
    pub fn sources_in_use(&self) -> Result<Vec<String>> {
        let mut statement = self.conn.prepare(
            "SELECT DISTINCT source FROM leads WHERE source IS NOT NULL AND source <> ''
             UNION SELECT DISTINCT source FROM spend ORDER BY 1",
        )?;
        let rows = statement.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether the report has money to show: any spend, or any deal value.
    pub fn has_money(&self) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM spend)
                 OR EXISTS (SELECT 1 FROM leads WHERE deal_value IS NOT NULL)",
            [],
            |row| row.get(0),
        )?)
    }

    /// The label of amounts (`leads config currency EUR`), if set.
    pub fn currency(&self) -> Result<Option<String>> {
        self.setting(CURRENCY_KEY)
    }

    /// Set the label of amounts; None clears it.
    pub fn set_currency(&self, currency: Option<&str>) -> Result<()> {
        match currency {
            Some(currency) => self.set_setting(CURRENCY_KEY, currency),
            None => {
                self.conn
                    .execute("DELETE FROM settings WHERE key = ?1", [CURRENCY_KEY])?;
                Ok(())
            }
        }
    }

    /// Set (or clear) a lead's deal value.
    pub fn set_deal_value(&self, lead_id: i64, value: Option<f64>) -> Result<()> {
        self.conn.execute(
            "UPDATE leads SET deal_value = ?1 WHERE id = ?2",
            params![value, lead_id],
        )?;
        Ok(())
    }
}
