//! Activities (log, edit, delete), each lead's latest touch and answer kept in step with
//! them (`ActivityKind::touch` is the one definition), and the status history. Moving a
//! new lead to contacted on its first touch is the domain's (`workflows::touch`), not
//! the store's: not here.
use super::{add, at, exit_code, START};
use crate::model::{Activity, ActivityKind, CallOutcome, Status, StatusChange};
use crate::store::{NewActivity, Store};

pub fn activities_are_logged_edited_and_deleted(store: &Store) {
    let lead = add(store, "Ada");
    let call = store
        .add_activity(&NewActivity {
            outcome: Some(CallOutcome::Voicemail),
            note: Some("left a message; call back «Tuesday»"),
            by: Some("sam"),
            ..NewActivity::new(lead, ActivityKind::Call, at("2026-03-02T09:00:00Z"))
        })
        .unwrap();
    let earlier = store
        .add_activity(&NewActivity::new(
            lead,
            ActivityKind::Visit,
            at("2026-03-01T12:00:00Z"),
        ))
        .unwrap();
    let logged = Activity {
        id: call,
        lead_id: lead,
        kind: ActivityKind::Call,
        at: at("2026-03-02T09:00:00Z"),
        note: Some("left a message; call back «Tuesday»".into()),
        outcome: Some(CallOutcome::Voicemail),
        by: Some("sam".into()),
    };
    assert_eq!(store.activity(call).unwrap(), logged);
    // Oldest first, whatever the order they were logged in.
    let listed: Vec<i64> = store
        .activities(lead)
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(listed, [earlier, call]);
    assert_eq!(store.activities(lead + 1).unwrap(), []);

    let edited = Activity {
        kind: ActivityKind::Meeting,
        outcome: None,
        at: at("2026-02-28T08:00:00Z"),
        note: None,
        ..logged.clone()
    };
    store.write(|s| s.update_activity(&edited)).unwrap();
    assert_eq!(store.activity(call).unwrap(), edited);
    let listed: Vec<i64> = store
        .activities(lead)
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(listed, [call, earlier]);

    store.write(|s| s.delete_activity(&edited)).unwrap();
    assert_eq!(exit_code(&store.activity(call).unwrap_err()), 3);
    let left: Vec<i64> = store
        .activities(lead)
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(left, [earlier]);
}

pub fn a_call_without_an_outcome_is_connected(store: &Store) {
    let lead = add(store, "Ada");
    let call = store
        .add_activity(&NewActivity::new(lead, ActivityKind::Call, at(START)))
        .unwrap();
    assert_eq!(
        store.activity(call).unwrap().outcome,
        Some(CallOutcome::Connected)
    );
    // Only a call has an outcome: one given to an email is dropped.
    let email = store
        .add_activity(&NewActivity {
            outcome: Some(CallOutcome::NoAnswer),
            ..NewActivity::new(lead, ActivityKind::EmailSent, at(START))
        })
        .unwrap();
    assert_eq!(store.activity(email).unwrap().outcome, None);
}

/// The lead's `last_touch_at` and `last_answer_at`, and the activities they come from.
fn touches(store: &Store, lead: i64) -> (Option<String>, Option<String>) {
    let stored = store.lead(lead).unwrap();
    let text = |at: Option<chrono::DateTime<chrono::Utc>>| at.map(crate::model::rfc3339);
    let last_touch = store.last_touch(lead).unwrap().map(|a| a.at);
    let last_answer = store.last_answer(lead).unwrap().map(|a| a.at);
    assert_eq!(stored.last_touch_at, last_touch);
    assert_eq!(stored.last_answer_at, last_answer);
    (text(last_touch), text(last_answer))
}

pub fn touches_follow_the_activities(store: &Store) {
    let lead = add(store, "Ada");
    let other = add(store, "Bo");
    let log = |kind, outcome, when: &str| {
        store
            .add_activity(&NewActivity {
                outcome,
                ..NewActivity::new(lead, kind, at(when))
            })
            .unwrap()
    };
    let none = (None, None);
    // Opens, visits, downloads, forms, webinars, events, bounces and notes are no touch.
    for kind in [
        ActivityKind::EmailOpened,
        ActivityKind::EmailBounced,
        ActivityKind::Visit,
        ActivityKind::Download,
        ActivityKind::Webinar,
        ActivityKind::Event,
        ActivityKind::Form,
        ActivityKind::Note,
    ] {
        log(kind, None, "2026-03-09T00:00:00Z");
    }
    assert_eq!(touches(store, lead), none);
    log(ActivityKind::EmailSent, None, "2026-03-02T00:00:00Z");
    let t = |text: &str| Some(text.to_string());
    assert_eq!(touches(store, lead), (t("2026-03-02T00:00:00Z"), None));
    log(
        ActivityKind::Call,
        Some(CallOutcome::NoAnswer),
        "2026-03-03T00:00:00Z",
    );
    assert_eq!(touches(store, lead), (t("2026-03-03T00:00:00Z"), None));
    // An answer logged late, dated before the latest attempt.
    let reply = log(ActivityKind::EmailReplied, None, "2026-03-01T12:00:00Z");
    assert_eq!(
        touches(store, lead),
        (t("2026-03-03T00:00:00Z"), t("2026-03-01T12:00:00Z"))
    );
    let mut edited = store.activity(reply).unwrap();
    edited.at = at("2026-03-04T00:00:00Z");
    store.write(|s| s.update_activity(&edited)).unwrap();
    assert_eq!(
        touches(store, lead),
        (t("2026-03-04T00:00:00Z"), t("2026-03-04T00:00:00Z"))
    );
    // A call's outcome decides: corrected to no answer, it is an attempt.
    let call = log(ActivityKind::Call, None, "2026-03-05T00:00:00Z");
    assert_eq!(
        touches(store, lead),
        (t("2026-03-05T00:00:00Z"), t("2026-03-05T00:00:00Z"))
    );
    let mut edited_call = store.activity(call).unwrap();
    edited_call.outcome = Some(CallOutcome::WrongNumber);
    store.write(|s| s.update_activity(&edited_call)).unwrap();
    assert_eq!(
        touches(store, lead),
        (t("2026-03-05T00:00:00Z"), t("2026-03-04T00:00:00Z"))
    );
    store.write(|s| s.delete_activity(&edited)).unwrap();
    store.write(|s| s.delete_activity(&edited_call)).unwrap();
    assert_eq!(touches(store, lead), (t("2026-03-03T00:00:00Z"), None));
    assert_eq!(touches(store, other), none);
}

pub fn activity_ids_are_never_given_twice(store: &Store) {
    let lead = add(store, "Ada");
    let log = |lead| {
        store
            .add_activity(&NewActivity::new(lead, ActivityKind::Note, at(START)))
            .unwrap()
    };
    log(lead);
    let newest = log(lead);
    let deleted = store.activity(newest).unwrap();
    store.write(|s| s.delete_activity(&deleted)).unwrap();
    let next = log(lead);
    assert!(next > newest, "{next} reuses {newest}");
    // Forgetting erases the person's activities: their ids are not given again either.
    let forgotten = add(store, "Bo");
    let theirs = log(forgotten);
    store
        .write(|s| s.forget_lead(forgotten, at(START)))
        .unwrap();
    let after = log(lead);
    assert!(after > theirs, "{after} reuses {theirs}");
    // Nor are those of a deleted lead's activities.
    let deleted_lead = add(store, "Cy");
    let theirs = log(deleted_lead);
    store.write(|s| s.delete_lead(deleted_lead)).unwrap();
    let after = log(lead);
    assert!(after > theirs, "{after} reuses {theirs}");
}

pub fn status_changes_are_kept_in_order(store: &Store) {
    let lead = add(store, "Ada");
    assert_eq!(store.status_of(lead).unwrap(), Status::New);
    assert_eq!(store.status_changes(lead).unwrap(), []);
    store
        .change_status(
            lead,
            Some(Status::New),
            Status::Qualified,
            at("2026-03-05T00:00:00Z"),
            Some("budget confirmed"),
        )
        .unwrap();
    // A move recorded late, dated earlier, comes first.
    store
        .change_status(
            lead,
            Some(Status::New),
            Status::Contacted,
            at("2026-03-03T00:00:00Z"),
            None,
        )
        .unwrap();
    // The status is the last one set, the update time that move's.
    let stored = store.lead(lead).unwrap();
    assert_eq!(stored.status, Some(Status::Contacted));
    assert_eq!(stored.updated_at, Some(at("2026-03-03T00:00:00Z")));
    assert_eq!(store.status_of(lead).unwrap(), Status::Contacted);
    assert_eq!(
        store.status_changes(lead).unwrap(),
        [
            StatusChange {
                from: Some(Status::New),
                to: Status::Contacted,
                at: at("2026-03-03T00:00:00Z"),
                reason: None,
                by: None,
            },
            StatusChange {
                from: Some(Status::New),
                to: Status::Qualified,
                at: at("2026-03-05T00:00:00Z"),
                reason: Some("budget confirmed".into()),
                by: None,
            },
        ]
    );
    // How a lead arrived (no status before) is a change from nothing.
    let arrived = add(store, "Bo");
    store
        .change_status(arrived, None, Status::Won, at(START), None)
        .unwrap();
    assert_eq!(store.status_changes(arrived).unwrap()[0].from, None);
}

pub fn an_unknown_activity_or_lead_status_is_not_found(store: &Store) {
    for err in [
        store.activity(99).unwrap_err(),
        store.status_of(99).unwrap_err(),
    ] {
        assert_eq!(exit_code(&err), 3, "{err}");
    }
}

/// Whether the day's refresh is long (how `today` decides to start it in the
/// background): by the activities ever logged, deleted ones included.
pub fn the_days_refresh_is_long_from_so_many_activities(store: &Store) {
    assert!(!store.is_read_only());
    assert!(!store.day_refresh_is_long(1).unwrap());
    assert!(store.day_refresh_is_long(0).unwrap());
    let ada = add(store, "Ada");
    let mut logged = Vec::new();
    for day in ["2026-03-01T09:00:00Z", "2026-03-02T09:00:00Z"] {
        logged.push(
            store
                .add_activity(&NewActivity::new(ada, ActivityKind::Call, at(day)))
                .unwrap(),
        );
    }
    assert!(store.day_refresh_is_long(2).unwrap());
    assert!(!store.day_refresh_is_long(3).unwrap());
    let first = store.activity(logged[0]).unwrap();
    store.write(|s| s.delete_activity(&first)).unwrap();
    assert!(
        store.day_refresh_is_long(2).unwrap(),
        "one deleted below the highest counts"
    );
}
