//! Leads: insert, update, fetch, filtered lists, rescoring.
use std::collections::BTreeMap;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};

use super::ids::Ids;
use super::sql::{params, params_from_iter, OptionalExtension, Row, Statement};
use super::{date_at, opt_date_at, repair_hint, to_text, unreadable, LeadQuery, Store};
use crate::error::not_found;
use crate::model::{Activity, Answer, Grade, Lead, Status, StoredScores};

/// The columns `lead_from_row` reads, in order.
pub(super) const LEAD_COLUMNS: &str =
    "id, first_name, last_name, email, phone, company, title, industry,
    company_size, country, website, source, source_detail, status, tags, notes, attributes,
    external_id, incentivized, aware, do_not_contact, created_at, updated_at, budget, authority,
    need, timeline, fit, engagement, readiness, score, grade, win_probability, next_follow_up,
    forgotten_at, deal_value, last_touch_at, last_answer_at, owner";

pub(super) fn lead_from_row(row: &Row<'_>) -> rusqlite::Result<Lead> {
    lead_from_row_at(row, 0)
}

/// The lead whose `LEAD_COLUMNS` start at column `at` of the row (after another
/// table's columns, in a join).
pub(super) fn lead_from_row_at(row: &Row<'_>, at: usize) -> rusqlite::Result<Lead> {
    let status: String = row.get(at + 13)?;
    // NULL: none (an older version wrote '[]' and '{}', and 'unknown' for the answers).
    let tags: Option<String> = row.get(at + 14)?;
    let attributes: Option<String> = row.get(at + 16)?;
    let grade: String = row.get(at + 31)?;
    let answer = |text: Option<String>| {
        text.and_then(|text| text.parse::<Answer>().ok())
            .unwrap_or_default()
    };
    Ok(Lead {
        id: row.get(at)?,
        first_name: row.get(at + 1)?,
        last_name: row.get(at + 2)?,
        email: row.get(at + 3)?,
        phone: row.get(at + 4)?,
        company: row.get(at + 5)?,
        title: row.get(at + 6)?,
        industry: row.get(at + 7)?,
        company_size: row.get(at + 8)?,
        country: row.get(at + 9)?,
        website: row.get(at + 10)?,
        source: row.get(at + 11)?,
        source_detail: row.get(at + 12)?,
        status: Some(status.parse().unwrap_or(Status::New)),
        tags: tags
            .and_then(|tags| serde_json::from_str(&tags).ok())
            .unwrap_or_default(),
        notes: row.get(at + 15)?,
        attributes: attributes
            .and_then(|attributes| serde_json::from_str(&attributes).ok())
            .unwrap_or_default(),
        external_id: row.get(at + 17)?,
        incentivized: row.get(at + 18)?,
        aware: row.get(at + 19)?,
        do_not_contact: row.get(at + 20)?,
        created_at: Some(date_at(row, at + 21)?),
        updated_at: Some(date_at(row, at + 22)?),
        budget: answer(row.get(at + 23)?),
        authority: answer(row.get(at + 24)?),
        need: row.get(at + 25)?,
        timeline: opt_date_at(row, at + 26)?,
        scores: StoredScores {
            fit: row.get(at + 27)?,
            engagement: row.get(at + 28)?,
            readiness: row.get(at + 29)?,
            score: row.get(at + 30)?,
            grade: Grade::from_letter(&grade).unwrap_or_default(),
        },
        win_probability: row.get(at + 32)?,
        next_follow_up: opt_date_at(row, at + 33)?,
        forgotten: row.get::<_, Option<String>>(at + 34)?.is_some(),
        deal_value: row.get(at + 35)?,
        last_touch_at: opt_date_at(row, at + 36)?,
        last_answer_at: opt_date_at(row, at + 37)?,
        owner: row.get(at + 38)?,
    })
}

/// The columns a lead's own fields are written to, bound as ?1..?35 by `execute_with_lead`
/// (`email_key` is made from the email: written wherever the email is, before-images
/// included, so the two never part).
macro_rules! writable_columns {
    () => {
        "first_name, last_name, email, phone, company, title, industry, company_size, country,
         website, source, source_detail, status, tags, notes, attributes, external_id,
         incentivized, aware, do_not_contact, created_at, updated_at, budget, authority, need,
         timeline, fit, engagement, readiness, score, grade, win_probability, deal_value,
         owner, email_key"
    };
}

/// The names of `writable_columns!()`: what a lead's before-image holds (`import --undo`).
pub(super) fn writable_column_names() -> impl Iterator<Item = &'static str> {
    writable_columns!().split(',').map(str::trim)
}

/// A new lead, with the import batch that created it (NULL for `add`) as ?36.
pub(super) const INSERT_LEAD: &str = concat!(
    "INSERT INTO leads (",
    writable_columns!(),
    ", batch_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
     ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33,
     ?34, ?35, ?36)"
);

/// The first lead whose email has the match key ?1 (`fold::stored_email_key`: the key,
/// or the email itself when that is its key), on the index `leads_email_key`.
const LEAD_ID_BY_EMAIL: &str =
    "SELECT id FROM leads WHERE coalesce(email_key, email) = ?1 ORDER BY id LIMIT 1";

/// Every field of the lead whose id is ?36.
const UPDATE_LEAD: &str = concat!(
    "UPDATE leads SET (",
    writable_columns!(),
    ") = (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
     ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35)
     WHERE id = ?36"
);

/// Run `INSERT_LEAD` or `UPDATE_LEAD` with the lead's fields as ?1..?35 and `last` as ?36;
/// `owner` is the owner of a lead that names none (an import's new leads are the
/// importer's). Values are borrowed, not boxed: an import runs this a million times.
pub(super) fn execute_with_lead(
    statement: &mut Statement<'_>,
    lead: &Lead,
    owner: Option<&str>,
    last: &dyn rusqlite::ToSql,
) -> Result<usize> {
    with_lead_values(lead, owner, last, |values| Ok(statement.execute(values)?))
}

/// The values `execute_with_lead` binds, handed to `use_them` (borrowed, in the order of
/// `writable_columns!()`, then `last`): the one list of a lead's stored fields.
pub(super) fn with_lead_values<R>(
    lead: &Lead,
    owner: Option<&str>,
    last: &dyn rusqlite::ToSql,
    use_them: impl FnOnce(&[&dyn rusqlite::ToSql]) -> Result<R>,
) -> Result<R> {
    // The store never reads the clock: a lead arrives with its times set by the command.
    let required = |at: Option<DateTime<Utc>>, what: &str| {
        at.map(to_text)
            .ok_or_else(|| anyhow::anyhow!("lead {} has no {what} time", lead.id))
    };
    // What most leads have (no tags, no attributes, answers unknown) is NULL: no bytes.
    let tags = if lead.tags.is_empty() {
        None
    } else {
        Some(serde_json::to_string(&lead.tags)?)
    };
    let attributes = if lead.attributes.is_empty() {
        None
    } else {
        Some(serde_json::to_string(&lead.attributes)?)
    };
    let answer = |answer: Answer| (answer != Answer::Unknown).then(|| answer.as_str());
    use_them(params![
        lead.first_name,
        lead.last_name,
        lead.email,
        lead.phone,
        lead.company,
        lead.title,
        lead.industry,
        lead.company_size,
        lead.country,
        lead.website,
        lead.source,
        lead.source_detail,
        lead.status().as_str(),
        tags,
        lead.notes,
        attributes,
        lead.external_id,
        lead.incentivized,
        lead.aware,
        lead.do_not_contact,
        required(lead.created_at, "creation")?,
        required(lead.updated_at, "update")?,
        answer(lead.budget),
        answer(lead.authority),
        lead.need,
        lead.timeline.map(to_text),
        lead.scores.fit,
        lead.scores.engagement,
        lead.scores.readiness,
        lead.scores.score,
        lead.scores.grade.to_string(),
        lead.win_probability,
        lead.deal_value,
        lead.owner.as_deref().or(owner),
        lead.email
            .as_deref()
            .and_then(super::fold::stored_email_key),
        last,
    ])
}

impl Store {
    /// Insert a new lead; returns its id.
    pub fn insert_lead(&self, lead: &Lead) -> Result<i64> {
        let mut statement = self.conn.prepare_cached(INSERT_LEAD)?;
        execute_with_lead(&mut statement, lead, None, &None::<i64>).context("saving the lead")?;
        self.above_deleted(Ids::Leads, self.conn.last_insert_rowid()?)
    }

    /// Write every field of an existing lead.
    pub fn update_lead(&self, lead: &Lead) -> Result<()> {
        let mut statement = self.conn.prepare_cached(UPDATE_LEAD)?;
        let changed =
            execute_with_lead(&mut statement, lead, None, &lead.id).context("saving the lead")?;
        if changed == 0 {
            return Err(not_found(format!("no lead with id {}", lead.id)));
        }
        Ok(())
    }

    /// The lead with this id, or a not-found error.
    pub fn lead(&self, id: i64) -> Result<Lead> {
        match self
            .conn
            .prepare_cached(&format!("SELECT {LEAD_COLUMNS} FROM leads WHERE id = ?1"))?
            .query_row([id], lead_from_row)
            .optional()
        {
            Ok(Some(lead)) => Ok(lead),
            Ok(None) => Err(not_found(format!("no lead with id {id}"))),
            Err(err) => match unreadable(&err) {
                Some(what) => Err(anyhow::anyhow!(repair_hint("leads", id, &what))),
                None => Err(err.into()),
            },
        }
    }

    /// Is there a lead with this id (forgotten or not)?
    pub fn lead_exists(&self, id: i64) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM leads WHERE id = ?1")?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// The first lead with this email, compared without case (beyond ASCII too) by the
    /// key leads folds itself (`fold::email_match_key`), the same on both engines.
    pub fn lead_id_by_email(&self, email: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached(LEAD_ID_BY_EMAIL)?
            .query_row([super::fold::email_match_key(email)], |row| row.get(0))
            .optional()?)
    }

    /// The first lead with this external id.
    pub fn lead_id_by_external_id(&self, external_id: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM leads WHERE external_id = ?1 ORDER BY id LIMIT 1")?
            .query_row([external_id], |row| row.get(0))
            .optional()?)
    }

    /// The leads a query selects, in its order.
    pub fn leads(&self, query: &LeadQuery) -> Result<Vec<Lead>> {
        let mut leads = Vec::new();
        self.for_each_lead(query, |lead| {
            leads.push(lead);
            Ok(())
        })?;
        Ok(leads)
    }

    /// Stream the leads a query selects, one at a time (constant memory for exports).
    pub fn for_each_lead(
        &self,
        query: &LeadQuery,
        mut each: impl FnMut(Lead) -> Result<()>,
    ) -> Result<()> {
        let (sql, values) = query.to_sql();
        let mut statement = self.conn.prepare(&sql)?;
        let mut rows = statement.query(params_from_iter(values))?;
        while let Some(row) = rows.next()? {
            match lead_from_row(&row) {
                Ok(lead) => each(lead)?,
                Err(err) => self.skip_unreadable("leads", row.get(0)?, err)?,
            }
        }
        Ok(())
    }

    /// Remove leads and everything recorded about them (activities, follow-ups, history:
    /// the tables that reference a lead delete with it). Unlike `forget_lead`, no row is
    /// left for reports. Call inside `write`.
    pub fn delete_lead(&self, id: i64) -> Result<()> {
        self.keep_highest_lead_ids()?;
        let deleted = self
            .conn
            .prepare_cached("DELETE FROM leads WHERE id = ?1")?
            .execute([id])?;
        if deleted == 0 {
            return Err(not_found(format!("no lead with id {id}")));
        }
        Ok(())
    }

    /// How many leads there are.
    pub fn count_leads(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM leads", [], |row| row.get(0))?)
    }

    /// Store new scores for a lead.
    pub fn save_scores(&self, id: i64, scores: &StoredScores) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE leads SET fit = ?1, engagement = ?2, readiness = ?3, score = ?4, grade = ?5
                 WHERE id = ?6",
            )?
            .execute(params![
                scores.fit,
                scores.engagement,
                scores.readiness,
                scores.score,
                scores.grade.to_string(),
                id
            ])?;
        Ok(())
    }

    /// Whether the day's refresh is long: `from` activities or more were ever logged (the
    /// highest activity id, one step down the table: ids are never given twice, so the
    /// deleted ones below it count too, erring towards long). Counting the rows themselves
    /// cost a tenth of `today`.
    pub fn day_refresh_is_long(&self, from: u64) -> Result<bool> {
        let highest: i64 =
            self.conn
                .query_row("SELECT coalesce(max(id), 0) FROM activities", (), |row| {
                    row.get(0)
                })?;
        Ok(u64::try_from(highest).unwrap_or(0) >= from)
    }

    /// Recompute the stored scores of open leads with `score`. With `time_dependent_only`,
    /// only leads whose scores move with the clock (activities decay, timelines approach).
    /// Returns how many leads changed. Call inside `write`.
    pub fn rescore_open_leads(
        &self,
        time_dependent_only: bool,
        mut score: impl FnMut(&Lead, &[Activity]) -> StoredScores,
    ) -> Result<usize> {
        let closed = closed!();
        // Both sides of the UNION use an index, so a daily refresh does not scan every lead.
        let filter = if time_dependent_only {
            " AND id IN (SELECT lead_id FROM activities UNION SELECT id FROM leads WHERE timeline IS NOT NULL)"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {LEAD_COLUMNS} FROM leads WHERE status NOT IN {closed} AND forgotten_at IS NULL{filter} ORDER BY id"
        );
        let mut activities_by_lead: BTreeMap<i64, Vec<Activity>> = BTreeMap::new();
        self.for_each_activity_of_open_leads(|activity| {
            activities_by_lead
                .entry(activity.lead_id)
                .or_default()
                .push(activity);
        })?;
        let mut statement = self.conn.prepare(&sql)?;
        let mut rows = statement.query([])?;
        let mut changed = 0;
        while let Some(row) = rows.next()? {
            let lead = match lead_from_row(&row) {
                Ok(lead) => lead,
                Err(err) => {
                    self.skip_unreadable("leads", row.get(0)?, err)?;
                    continue;
                }
            };
            let activities = activities_by_lead.remove(&lead.id).unwrap_or_default();
            let scores = score(&lead, &activities);
            if scores != lead.scores {
                self.save_scores(lead.id, &scores)?;
                changed += 1;
            }
        }
        Ok(changed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SQL keeps its own column order (bound by position); a field added to
    /// `model::FIELDS` without a column here fails this test.
    #[test]
    fn every_stored_field_has_a_column() {
        let read: Vec<&str> = LEAD_COLUMNS.split(',').map(str::trim).collect();
        let written: Vec<&str> = writable_column_names().collect();
        for spec in crate::model::FIELDS {
            // The display name is computed from the names (and so is the order of
            // `--sort name`); `forgotten` is read from `forgotten_at`.
            let column = match spec.name {
                "name" => continue,
                "forgotten" => "forgotten_at",
                name => name,
            };
            assert!(read.contains(&column), "{column} is not read");
            // What a lead is given (not computed by `leads`) is written with it.
            if !spec.computed() {
                assert!(written.contains(&column), "{column} is not written");
            }
        }
    }

    #[test]
    fn the_defaults_an_older_version_wrote_read_as_nothing_and_are_written_as_null() {
        let store = Store::open_in_memory().unwrap();
        // As a before-image kept by version 12 or before puts them back (`import --undo`).
        store
            .conn
            .execute(
                "INSERT INTO leads (first_name, budget, authority, tags, attributes,
                     created_at, updated_at)
                 VALUES ('Ada', 'unknown', 'yes', '[]', '{}', '2026-01-01T00:00:00Z',
                     '2026-01-01T00:00:00Z')",
                [],
            )
            .unwrap();
        let lead = store.lead(1).unwrap();
        assert_eq!(
            (
                lead.budget,
                lead.authority,
                lead.tags.len(),
                lead.attributes.len()
            ),
            (Answer::Unknown, Answer::Yes, 0, 0)
        );
        store.update_lead(&lead).unwrap();
        let stored: (
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        ) = store
            .conn
            .query_row(
                "SELECT budget, authority, tags, attributes FROM leads WHERE id = 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )
            .unwrap();
        assert_eq!(stored, (None, Some("yes".to_string()), None, None));
    }

    /// The plan of a statement with text parameters.
    fn plan_sql(store: &Store, sql: &str, params: &[&str]) -> String {
        let mut statement = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        let rows = statement
            .query_map(params_from_iter(params), |row| row.get::<_, String>(3))
            .unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("; ")
    }

    #[test]
    fn an_email_is_looked_up_through_the_email_key_index() {
        let store = Store::open_in_memory().unwrap();
        let shown = plan_sql(&store, LEAD_ID_BY_EMAIL, &["jörg@x.example"]);
        assert!(shown.contains("leads_email_key"), "{shown}");
    }
}
