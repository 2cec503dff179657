//! Privacy: forgetting a person, the hashes of forgotten emails.
//!
//! Forgetting erases the person's values from the lead row, its activities, its
//! follow-ups and its status-change reasons, in one transaction. `secure_delete` (set
//! when the store opens) makes SQLite overwrite the freed bytes with zeros, and a
//! truncating checkpoint then moves the clean pages into the file and empties the WAL,
//! where older copies of the pages would otherwise survive.
use anyhow::Result;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};

use super::ids::Ids;
use super::{from_text, to_text, Store};
use crate::error::not_found;

/// The SHA-256 (hex) of the trimmed, lower-cased email: what is kept of a forgotten person.
pub fn email_hash(email: &str) -> String {
    let digest = Sha256::digest(email.trim().to_lowercase().as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// What `forget_lead` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forgetting {
    /// The person's data was erased now.
    Erased,
    /// The lead had been forgotten already, at this time.
    AlreadyForgotten(DateTime<Utc>),
}

impl Store {
    /// Did the person with this email ask to be forgotten?
    pub fn is_forgotten_email(&self, email: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM forgotten WHERE email_hash = ?1")?
            .query_row([email_hash(email)], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Erase everything personal about a lead, keeping an anonymous row (company, industry,
    /// size, country, source, status, scores, dates) so reports keep their counts. The email is remembered as a hash. Call inside `write`, then
    /// `purge_erased` once committed.
    pub fn forget_lead(&self, id: i64, now: DateTime<Utc>) -> Result<Forgetting> {
        let found: Option<(Option<String>, Option<String>)> = self
            .conn
            .query_row(
                "SELECT email, forgotten_at FROM leads WHERE id = ?1",
                [id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        let Some((email, forgotten_at)) = found else {
            return Err(not_found(format!("no lead with id {id}")));
        };
        if let Some(at) = forgotten_at {
            return Ok(Forgetting::AlreadyForgotten(from_text(&at)?));
        }
        let now = to_text(now);
        if let Some(email) = email.filter(|e| !e.trim().is_empty()) {
            self.conn.execute(
                "INSERT INTO forgotten (email_hash, forgotten_at) VALUES (?1, ?2)
                 ON CONFLICT (email_hash) DO NOTHING",
                params![email_hash(&email), now],
            )?;
        }
        // Nobody will follow up with a forgotten person: do_not_contact, no follow-ups.
        self.conn.execute(
            "UPDATE leads SET first_name = NULL, last_name = NULL, email = NULL, phone = NULL,
                 title = NULL, website = NULL, notes = NULL, external_id = NULL, need = NULL,
                 tags = '[]', attributes = '{}', do_not_contact = 1,
                 sort_name = lower(COALESCE(company, '(forgotten)')),
                 next_follow_up = NULL, last_touch_at = NULL, last_answer_at = NULL,
                 forgotten_at = ?2, updated_at = ?2
             WHERE id = ?1",
            params![id, now],
        )?;
        // What the person did is theirs too: nothing reads a forgotten lead's activities
        // (its scores are frozen, learning skips it), so they go entirely.
        self.keep_highest_id(Ids::Activities)?;
        self.conn
            .execute("DELETE FROM activities WHERE lead_id = ?1", [id])?;
        self.keep_highest_id(Ids::FollowUps)?;
        self.conn
            .execute("DELETE FROM follow_ups WHERE lead_id = ?1", [id])?;
        self.conn.execute(
            "UPDATE status_changes SET reason = NULL WHERE lead_id = ?1",
            [id],
        )?;
        self.forget_qualifications(id)?;
        Ok(Forgetting::Erased)
    }

    /// Move every page of the write-ahead log into the database file and empty the log, so
    /// no older copy of erased data survives there. Returns false when another `leads`
    /// was reading and the log could not be emptied (the next checkpoint will).
    pub fn purge_erased(&self) -> Result<bool> {
        let blocked: i64 = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))?;
        Ok(blocked == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActivityKind, Lead};
    use crate::store::NewActivity;

    #[test]
    fn the_hash_ignores_case_and_spaces() {
        assert_eq!(
            email_hash(" Ada@Example.com "),
            email_hash("ada@example.com")
        );
        assert_eq!(email_hash("ada@example.com").len(), 64);
    }

    #[test]
    fn forgetting_keeps_an_anonymous_row_and_the_email_hash() {
        let store = Store::open_in_memory().unwrap();
        let now = from_text("2026-03-01T09:00:00Z").unwrap();
        let lead = Lead {
            first_name: Some("Ada".into()),
            email: Some("Ada@Example.com".into()),
            company: Some("Analytical".into()),
            source: Some("referral".into()),
            notes: Some("likes engines".into()),
            created_at: Some(now),
            updated_at: Some(now),
            ..Lead::default()
        };
        let id = store.insert_lead(&lead).unwrap();
        store
            .add_activity(
                &NewActivity::new(id, ActivityKind::Call, now)
                    .with_note(Some("talked about engines")),
            )
            .unwrap();

        assert_eq!(store.forget_lead(id, now).unwrap(), Forgetting::Erased);
        let left = store.lead(id).unwrap();
        assert!(left.forgotten);
        assert_eq!(
            (left.first_name, left.email, left.notes),
            (None, None, None)
        );
        assert_eq!(left.company.as_deref(), Some("Analytical"));
        assert_eq!(left.source.as_deref(), Some("referral"));
        assert_eq!(store.activities(id).unwrap(), []);
        assert!(store.is_forgotten_email("ada@example.com").unwrap());
        assert_eq!(
            store.forget_lead(id, now).unwrap(),
            Forgetting::AlreadyForgotten(now)
        );
        assert!(store.forget_lead(id + 1, now).is_err());
    }
}
