//! Qualification answers over time (the lead's columns hold the latest ones).
use anyhow::Result;
use rusqlite::params;

use super::{from_text, opt_from_text, to_text, Store};
use crate::model::{Answer, Qualification};

impl Store {
    /// Record the answers a lead gave. Call inside `write`, with the lead's update.
    pub fn add_qualification(&self, lead_id: i64, answers: &Qualification) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO qualifications (lead_id, at, budget, authority, need, timeline)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                lead_id,
                to_text(answers.at),
                answers.budget.as_str(),
                answers.authority.as_str(),
                answers.need,
                answers.timeline.map(to_text),
            ])?;
        Ok(())
    }

    /// A lead's recorded answers, oldest first.
    pub fn qualifications(&self, lead_id: i64) -> Result<Vec<Qualification>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT at, budget, authority, need, timeline FROM qualifications
             WHERE lead_id = ?1 ORDER BY at, id",
        )?;
        let answer = |text: String| text.parse::<Answer>().unwrap_or_default();
        let rows = statement.query_map([lead_id], |row| {
            Ok(Qualification {
                at: from_text(&row.get::<_, String>(0)?)?,
                budget: answer(row.get(1)?),
                authority: answer(row.get(2)?),
                need: row.get(3)?,
                timeline: opt_from_text(row.get(4)?)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Erase a lead's recorded answers (the stated need is personal data): for `forget`.
    pub fn forget_qualifications(&self, lead_id: i64) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM qualifications WHERE lead_id = ?1")?
            .execute([lead_id])?;
        Ok(())
    }
}
