//! Activities (what happened with a lead) and status changes (moves in the pipeline), and
//! each lead's latest touch and answer kept in step with its activities.
use anyhow::Result;
use chrono::{DateTime, Utc};

use super::ids::Ids;
use super::sql::{params, OptionalExtension, Row};
use super::{from_text, to_text, Store};
use crate::error::not_found;
use crate::model::{Activity, ActivityKind, CallOutcome, Status, StatusChange, Touch};

/// The columns `activity_from_row` reads, in order.
const ACTIVITY_COLUMNS: &str = "id, lead_id, kind, at, note, outcome, logged_by";

fn activity_from_row(row: &Row<'_>) -> rusqlite::Result<Activity> {
    let kind: String = row.get(2)?;
    let kind = kind.parse().unwrap_or(ActivityKind::Note);
    let outcome = row
        .get::<_, Option<String>>(5)?
        .and_then(|o| o.parse::<CallOutcome>().ok());
    Ok(Activity {
        id: row.get(0)?,
        lead_id: row.get(1)?,
        kind,
        at: super::date_at(row, 3)?,
        note: row.get(4)?,
        // A call is connected unless it says otherwise (as it was before outcomes).
        outcome: outcome.or(kind.takes_outcome().then_some(CallOutcome::Connected)),
        by: row.get(6)?,
    })
}

/// An activity to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewActivity<'a> {
    pub lead_id: i64,
    pub kind: ActivityKind,
    /// A call's outcome (None for other kinds; a call without one is connected).
    pub outcome: Option<CallOutcome>,
    pub at: DateTime<Utc>,
    pub note: Option<&'a str>,
    pub by: Option<&'a str>,
    /// The cadence step's follow-up that logged it: such an activity never ends its own
    /// enrollment.
    pub step_follow_up: Option<i64>,
}

impl<'a> NewActivity<'a> {
    /// An activity of `kind` at `at`, with nothing else said.
    pub fn new(lead_id: i64, kind: ActivityKind, at: DateTime<Utc>) -> NewActivity<'a> {
        NewActivity {
            lead_id,
            kind,
            outcome: None,
            at,
            note: None,
            by: None,
            step_follow_up: None,
        }
    }

    pub fn with_note(self, note: Option<&'a str>) -> NewActivity<'a> {
        NewActivity { note, ..self }
    }
}

/// The touch an activity row stores, from its `kind` and `outcome` as written, read as
/// `touch_condition`'s SQL reads them (which keeps each lead's `last_touch_at`): the
/// canonical names only (a kind or an outcome edited by hand into something else is no
/// touch), a call without an outcome connected, the outcome of any other kind ignored.
fn stored_touch(kind: &str, outcome: Option<&str>) -> Option<Touch> {
    let kind = ActivityKind::ALL.into_iter().find(|k| k.as_str() == kind)?;
    if !kind.takes_outcome() {
        return kind.touch(None);
    }
    let outcome = match outcome {
        None => CallOutcome::Connected,
        Some(text) => CallOutcome::ALL.into_iter().find(|o| o.as_str() == text)?,
    };
    kind.touch(Some(outcome))
}

/// An SQL condition on an activity's `kind` and `outcome` columns that holds for the
/// touches of `which` kind, built from `ActivityKind::touch`, the one definition.
pub(super) fn touch_condition(which: Touch) -> String {
    let mut plain = Vec::new();
    let mut with_outcome = Vec::new();
    for kind in ActivityKind::ALL {
        if kind.takes_outcome() {
            let outcomes: Vec<String> = CallOutcome::ALL
                .into_iter()
                .filter(|o| kind.touch(Some(*o)) == Some(which))
                .map(|o| format!("'{o}'"))
                .collect();
            if !outcomes.is_empty() {
                with_outcome.push(format!(
                    "(kind = '{kind}' AND COALESCE(outcome, '{}') IN ({}))",
                    CallOutcome::Connected,
                    outcomes.join(", ")
                ));
            }
        } else if kind.touch(None) == Some(which) {
            plain.push(format!("'{kind}'"));
        }
    }
    let mut any = vec![format!("kind IN ({})", plain.join(", "))];
    any.extend(with_outcome);
    format!("({})", any.join(" OR "))
}

impl Store {
    /// Record an activity and keep the lead's latest touch and answer in step; returns its
    /// id. Call inside `write` (the domain's `touch::record` is the one caller that also
    /// moves a new lead and rescores).
    pub fn add_activity(&self, activity: &NewActivity<'_>) -> Result<i64> {
        let outcome = activity
            .outcome
            .filter(|_| activity.kind.takes_outcome())
            .or(activity
                .kind
                .takes_outcome()
                .then_some(CallOutcome::Connected));
        let at = to_text(activity.at);
        self.conn
            .prepare_cached(
                "INSERT INTO activities (lead_id, kind, at, note, outcome, logged_by, follow_up_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                activity.lead_id,
                activity.kind.as_str(),
                at,
                activity.note,
                outcome.map(CallOutcome::as_str),
                activity.by,
                activity.step_follow_up,
            ])?;
        let id = self.above_deleted(Ids::Activities, self.conn.last_insert_rowid()?)?;
        // A new activity can only move the latest touch and answer later, so they are set
        // from it alone: the result of `sync_touches` (which reads all the lead's
        // activities, as an edit or a delete must) without the reading, which a mailbox of
        // many activities with one lead paid again for each.
        if let Some(touch) = activity.kind.touch(outcome) {
            self.conn
                .prepare_cached(
                    "UPDATE leads SET
                        last_touch_at = CASE WHEN last_touch_at IS NULL OR last_touch_at < ?2
                            THEN ?2 ELSE last_touch_at END,
                        last_answer_at = CASE WHEN ?3 AND (last_answer_at IS NULL
                            OR last_answer_at < ?2) THEN ?2 ELSE last_answer_at END
                     WHERE id = ?1",
                )?
                .execute(params![activity.lead_id, at, touch == Touch::Answer])?;
        }
        Ok(id)
    }

    /// The activity with this id, or a not-found error.
    pub fn activity(&self, id: i64) -> Result<Activity> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {ACTIVITY_COLUMNS} FROM activities WHERE id = ?1"
            ))?
            .query_row([id], activity_from_row)
            .optional()?
            .ok_or_else(|| not_found(format!("no activity with id {id}")))
    }

    /// Correct a logged activity (its kind, outcome, time, note). Call inside `write`.
    pub fn update_activity(&self, activity: &Activity) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE activities SET kind = ?2, outcome = ?3, at = ?4, note = ?5 WHERE id = ?1",
            )?
            .execute(params![
                activity.id,
                activity.kind.as_str(),
                activity.outcome.map(CallOutcome::as_str),
                to_text(activity.at),
                activity.note,
            ])?;
        self.sync_touches(activity.lead_id)
    }

    /// Remove a logged activity; its id is never given again. Call inside `write`.
    pub fn delete_activity(&self, activity: &Activity) -> Result<()> {
        self.keep_highest_id(Ids::Activities)?;
        self.conn
            .prepare_cached("DELETE FROM activities WHERE id = ?1")?
            .execute([activity.id])?;
        self.sync_touches(activity.lead_id)
    }

    /// Set the lead's `last_touch_at` and `last_answer_at` from its activities.
    pub(super) fn sync_touches(&self, lead_id: i64) -> Result<()> {
        // Written once a run: every logged activity (a whole mailbox) comes through here.
        static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let sql = SQL.get_or_init(|| {
            format!(
                "UPDATE leads SET
                    last_touch_at = (SELECT MAX(at) FROM activities
                        WHERE lead_id = ?1 AND ({answer} OR {attempt})),
                    last_answer_at = (SELECT MAX(at) FROM activities
                        WHERE lead_id = ?1 AND {answer})
                 WHERE id = ?1",
                answer = touch_condition(Touch::Answer),
                attempt = touch_condition(Touch::Attempt),
            )
        });
        self.conn.prepare_cached(sql)?.execute([lead_id])?;
        Ok(())
    }

    /// A lead's activities, oldest first.
    pub fn activities(&self, lead_id: i64) -> Result<Vec<Activity>> {
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {ACTIVITY_COLUMNS} FROM activities WHERE lead_id = ?1 ORDER BY at, id"
        ))?;
        let rows = statement.query_map([lead_id], activity_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A lead's latest touch (answer or attempt), if any: what `today` shows as LAST TOUCH.
    pub fn last_touch(&self, lead_id: i64) -> Result<Option<Activity>> {
        self.latest_matching(lead_id, |_| true)
    }

    /// A lead's latest answer, if any.
    pub fn last_answer(&self, lead_id: i64) -> Result<Option<Activity>> {
        self.latest_matching(lead_id, |touch| touch == Touch::Answer)
    }

    /// A lead's latest activity that is a touch `keep` takes, read newest first: `today`
    /// asks this of each lead of its page, and the rule written out as SQL made a statement
    /// that cost more to prepare than the page's reads (the latest activity is almost
    /// always the touch). Each row is decided on its stored kind and outcome
    /// (`stored_touch`) and read whole only when it is the one.
    fn latest_matching(
        &self,
        lead_id: i64,
        keep: impl Fn(Touch) -> bool,
    ) -> Result<Option<Activity>> {
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {ACTIVITY_COLUMNS} FROM activities WHERE lead_id = ?1
             ORDER BY at DESC, id DESC"
        ))?;
        let mut rows = statement.query([lead_id])?;
        while let Some(row) = rows.next()? {
            let kind = row.get_ref(2)?.as_str().ok();
            let outcome = row.get_ref(5)?.as_str_or_null().ok().flatten();
            if kind
                .and_then(|kind| stored_touch(kind, outcome))
                .is_some_and(&keep)
            {
                return Ok(Some(activity_from_row(&row)?));
            }
        }
        Ok(None)
    }

    /// Every activity of a lead that is still open, for rescoring.
    pub(super) fn for_each_activity_of_open_leads(
        &self,
        mut each: impl FnMut(Activity),
    ) -> Result<()> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {} FROM activities a
             JOIN leads l ON l.id = a.lead_id
             WHERE l.status NOT IN {}",
            ACTIVITY_COLUMNS
                .split(", ")
                .map(|c| format!("a.{c}"))
                .collect::<Vec<_>>()
                .join(", "),
            closed!()
        ))?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            each(activity_from_row(&row)?);
        }
        Ok(())
    }

    /// Record a move in the pipeline and set the lead's status.
    pub fn change_status(
        &self,
        lead_id: i64,
        from: Option<Status>,
        to: Status,
        at: DateTime<Utc>,
        reason: Option<&str>,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO status_changes (lead_id, from_status, to_status, at, reason, changed_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                lead_id,
                from.map(|s| s.as_str()),
                to.as_str(),
                to_text(at),
                reason,
                self.user(),
            ])?;
        self.conn
            .prepare_cached("UPDATE leads SET status = ?1, updated_at = ?2 WHERE id = ?3")?
            .execute(params![to.as_str(), to_text(at), lead_id])?;
        Ok(())
    }

    /// A lead's status as stored now (not-found when there is no such lead).
    pub fn status_of(&self, lead_id: i64) -> Result<Status> {
        let status: Option<String> = self
            .conn
            .prepare_cached("SELECT status FROM leads WHERE id = ?1")?
            .query_row([lead_id], |row| row.get(0))
            .optional()?;
        let status = status.ok_or_else(|| not_found(format!("no lead with id {lead_id}")))?;
        Ok(status.parse().unwrap_or(Status::New))
    }

    /// A lead's moves in the pipeline, oldest first.
    pub fn status_changes(&self, lead_id: i64) -> Result<Vec<StatusChange>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT from_status, to_status, at, reason, changed_by FROM status_changes
             WHERE lead_id = ?1 ORDER BY at, id",
        )?;
        let rows = statement.query_map([lead_id], |row| {
            let from: Option<String> = row.get(0)?;
            let to: String = row.get(1)?;
            Ok(StatusChange {
                from: from.and_then(|s| s.parse().ok()),
                to: to.parse().unwrap_or(Status::New),
                at: from_text(&row.get::<_, String>(2)?)?,
                reason: row.get(3)?,
                by: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `stored_touch` (Rust, for `today`'s LAST TOUCH) and `touch_condition` (SQL, for
    /// `last_touch_at`) are two readings of one rule: on every stored kind and outcome,
    /// with the texts a hand edit could leave, they must agree, or a line would show one
    /// touch's date with another's kind.
    #[test]
    fn the_stored_touch_agrees_with_the_sql_rule_on_every_kind_and_outcome() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let mut kinds: Vec<String> = ActivityKind::ALL.iter().map(|k| k.to_string()).collect();
        kinds.extend(["Call", "phone", ""].map(String::from));
        let mut outcomes: Vec<Option<String>> = CallOutcome::ALL
            .iter()
            .map(|o| Some(o.to_string()))
            .collect();
        outcomes.extend([None, Some("No Answer".into()), Some("garbage".into())]);
        for which in [Touch::Answer, Touch::Attempt] {
            let sql = format!(
                "SELECT {} FROM (SELECT ?1 AS kind, ?2 AS outcome)",
                touch_condition(which)
            );
            for kind in &kinds {
                for outcome in &outcomes {
                    let by_sql: bool = conn
                        .query_row(&sql, params![kind, outcome], |row| row.get(0))
                        .unwrap();
                    let by_rust = stored_touch(kind, outcome.as_deref()) == Some(which);
                    assert_eq!(by_sql, by_rust, "{which:?} of {kind:?} {outcome:?}");
                }
            }
        }
    }
}
