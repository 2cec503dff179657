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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lead;
    use chrono::{TimeZone, Utc};

    #[test]
    fn answers_are_kept_in_order_and_can_be_forgotten() {
        let store = Store::open_in_memory().unwrap();
        let id = store
            .insert_lead(&Lead {
                first_name: Some("Ada".into()),
                created_at: Some(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()),
                updated_at: Some(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()),
                ..Lead::default()
            })
            .unwrap();
        let at = |day| Utc.with_ymd_and_hms(2026, 3, day, 9, 0, 0).unwrap();
        let first = Qualification {
            at: at(2),
            budget: Answer::Unknown,
            authority: Answer::Yes,
            need: None,
            timeline: None,
        };
        let second = Qualification {
            at: at(5),
            budget: Answer::Yes,
            authority: Answer::Yes,
            need: Some("a CRM".into()),
            timeline: Some(at(30)),
        };
        store.add_qualification(id, &second).unwrap();
        store.add_qualification(id, &first).unwrap();
        assert_eq!(store.qualifications(id).unwrap(), vec![first, second]);
        store.forget_qualifications(id).unwrap();
        assert!(store.qualifications(id).unwrap().is_empty());
    }
}
