//! Follow-ups: what they keep, the open ones in the order the seller walks them, one
//! lead's, and each lead's `next_follow_up` kept in step.
use chrono::{DateTime, NaiveTime, Utc};

use super::{add, at, exit_code, person, START};
use crate::dates::parse_interval;
use crate::model::{ActivityKind, FollowUp, Lead, Status};
use crate::store::{DueFollowUp, NewFollowUp, Store};

fn schedule(store: &Store, lead_id: i64, due: &str) -> i64 {
    store
        .insert_follow_up(
            &NewFollowUp::new(lead_id, at(due), ActivityKind::Call),
            at(START),
        )
        .unwrap()
}

fn next(store: &Store, lead_id: i64) -> Option<DateTime<Utc>> {
    store.lead(lead_id).unwrap().next_follow_up
}

fn ids(follow_ups: &[FollowUp]) -> Vec<i64> {
    follow_ups.iter().map(|f| f.id).collect()
}

pub fn next_follow_up_is_the_earliest_open_one(store: &Store) {
    let lead = add(store, "Ada");
    assert_eq!(next(store, lead), None);
    let later = schedule(store, lead, "2026-03-10T09:00:00Z");
    let sooner = schedule(store, lead, "2026-03-05T09:00:00Z");
    assert_eq!(next(store, lead), Some(at("2026-03-05T09:00:00Z")));
    store
        .finish_follow_up(sooner, at("2026-03-01T10:00:00Z"))
        .unwrap();
    assert_eq!(next(store, lead), Some(at("2026-03-10T09:00:00Z")));
    store
        .reschedule_follow_up(later, at("2026-03-03T09:00:00Z"))
        .unwrap();
    assert_eq!(next(store, lead), Some(at("2026-03-03T09:00:00Z")));
    store
        .finish_follow_up(later, at("2026-03-01T10:00:00Z"))
        .unwrap();
    assert_eq!(next(store, lead), None);
    let deleted = schedule(store, lead, "2026-03-20T09:00:00Z");
    assert_eq!(next(store, lead), Some(at("2026-03-20T09:00:00Z")));
    store.write(|s| s.delete_follow_up(deleted)).unwrap();
    assert_eq!(next(store, lead), None);
}

pub fn open_follow_ups_by_due_time(store: &Store) {
    let lead = add(store, "Ada");
    let late = schedule(store, lead, "2026-03-09T00:00:00Z");
    let early = schedule(store, lead, "2026-02-20T00:00:00Z");
    let listed = |due_by| ids(&store.open_follow_ups(due_by).unwrap());
    assert_eq!(listed(None), vec![early, late]);
    assert_eq!(listed(Some(at("2026-03-01T00:00:00Z"))), vec![early]);
    // Due by is inclusive.
    assert_eq!(listed(Some(at("2026-03-09T00:00:00Z"))), vec![early, late]);
    assert_eq!(listed(Some(at("2026-02-19T23:59:59Z"))), Vec::<i64>::new());
}

pub fn a_follow_up_keeps_what_it_was_given(store: &Store) {
    let lead = store
        .insert_lead(&Lead {
            last_name: Some("Lovelace".into()),
            ..person("Ada", None)
        })
        .unwrap();
    let every = parse_interval("2w").unwrap();
    let time = |text| NaiveTime::parse_from_str(text, "%H:%M:%S").unwrap();
    let id = store
        .insert_follow_up(
            &NewFollowUp {
                note: Some("send the «pricing» sheet"),
                every: Some(every),
                local_time: Some(time("09:30:00")),
                ..NewFollowUp::new(lead, at("2026-03-05T08:30:00Z"), ActivityKind::Meeting)
            },
            at(START),
        )
        .unwrap();
    let expected = FollowUp {
        id,
        lead_id: lead,
        name: "Ada Lovelace".into(),
        due_at: at("2026-03-05T08:30:00Z"),
        note: Some("send the «pricing» sheet".into()),
        every: Some(every),
        local_time: Some(time("09:30:00")),
        done_at: None,
        step_of: None,
        kind: Some(ActivityKind::Meeting),
    };
    assert_eq!(store.follow_up(id).unwrap(), expected);
    store
        .finish_follow_up(id, at("2026-03-05T09:00:00Z"))
        .unwrap();
    assert_eq!(
        store.follow_up(id).unwrap(),
        FollowUp {
            done_at: Some(at("2026-03-05T09:00:00Z")),
            ..expected
        }
    );
    // A time of day with seconds keeps them; a follow-up of no kind stays of none.
    let plain = store
        .insert_follow_up(
            &NewFollowUp {
                kind: None,
                local_time: Some(time("18:45:30")),
                ..NewFollowUp::new(lead, at("2026-03-06T17:45:30Z"), ActivityKind::Call)
            },
            at(START),
        )
        .unwrap();
    let plain = store.follow_up(plain).unwrap();
    assert_eq!(
        (plain.kind, plain.local_time, plain.every, plain.note),
        (None, Some(time("18:45:30")), None, None)
    );
}

pub fn the_walk_stops_when_told_and_leaves_out_who_may_not_be_contacted(store: &Store) {
    let due = "2026-03-02T00:00:00Z";
    let lead = |name: &str, status: Status, do_not_contact: bool| {
        store
            .insert_lead(&Lead {
                status: Some(status),
                do_not_contact,
                ..person(name, None)
            })
            .unwrap()
    };
    let ada = lead("Ada", Status::Contacted, false);
    let blocked = lead("Bo", Status::Contacted, true);
    let won = lead("Cy", Status::Won, false);
    let forgotten = lead("Di", Status::New, false);
    let not_to_contact: Vec<i64> = [blocked, won, forgotten]
        .into_iter()
        .map(|id| schedule(store, id, due))
        .collect();
    store
        .write(|s| s.forget_lead(forgotten, at(START)))
        .unwrap();
    // Due at the same time: by id.
    let first = schedule(store, ada, due);
    let second = schedule(store, ada, due);
    let earliest = schedule(store, ada, "2026-03-01T23:00:00Z");
    assert_eq!(
        ids(&store.open_follow_ups(None).unwrap()),
        [earliest, first, second]
    );
    let mut walked = Vec::new();
    store
        .walk_open_follow_ups(Some(at(due)), |follow_up| {
            walked.push(follow_up.id);
            walked.len() < 2
        })
        .unwrap();
    assert_eq!(walked, [earliest, first]);
    // The agenda's two reads: the keys of what is due (overdue: due before the second
    // time), then a page of them whole with their leads, in the order asked.
    let key = |id, overdue| DueFollowUp {
        id,
        lead_id: ada,
        overdue,
    };
    let keys = store
        .due_follow_ups(at(due), at("2026-03-01T23:30:00Z"))
        .unwrap();
    assert_eq!(
        keys.iter().filter(|k| k.lead_id == ada).collect::<Vec<_>>(),
        [
            &key(earliest, true),
            &key(first, false),
            &key(second, false)
        ]
    );
    // Whose lead may not be contacted: in the keys or not, never on a page.
    let others: Vec<i64> = keys
        .iter()
        .filter(|k| k.lead_id != ada)
        .map(|k| k.id)
        .collect();
    assert!(
        others.iter().all(|id| not_to_contact.contains(id)),
        "{others:?}"
    );
    assert_eq!(store.agenda_page(&not_to_contact).unwrap(), []);
    let page = store.agenda_page(&[second, earliest, 999_999]).unwrap();
    let shown: Vec<(i64, i64, Option<&str>)> = page
        .iter()
        .map(|(follow_up, lead)| (follow_up.id, lead.id, lead.first_name.as_deref()))
        .collect();
    assert_eq!(
        shown,
        [(second, ada, Some("Ada")), (earliest, ada, Some("Ada"))]
    );
    // Each whole: the follow-up as `follow_up` reads it, the lead as `agenda_lead` does.
    assert_eq!(page[0].0, store.follow_up(second).unwrap());
    assert_eq!(page[0].1, store.agenda_lead(ada).unwrap());
    assert_eq!(store.open_follow_ups_of_lead(blocked, None).unwrap(), []);
    assert_eq!(store.open_follow_ups_of_lead(won, None).unwrap(), []);
    // Still the lead's, shown by `show`.
    assert_eq!(store.follow_ups_of_lead(blocked).unwrap().len(), 1);
}

pub fn one_leads_follow_ups_open_first(store: &Store) {
    let lead = add(store, "Ada");
    let other = add(store, "Bo");
    let done_early = schedule(store, lead, "2026-03-02T00:00:00Z");
    let open_late = schedule(store, lead, "2026-03-09T00:00:00Z");
    let done_late = schedule(store, lead, "2026-03-08T00:00:00Z");
    let open_early = schedule(store, lead, "2026-03-03T00:00:00Z");
    schedule(store, other, "2026-03-01T00:00:00Z");
    for id in [done_late, done_early] {
        store
            .finish_follow_up(id, at("2026-03-04T00:00:00Z"))
            .unwrap();
    }
    assert_eq!(
        ids(&store.follow_ups_of_lead(lead).unwrap()),
        [open_early, open_late, done_early, done_late]
    );
    assert_eq!(
        ids(&store
            .open_follow_ups_of_lead(lead, Some(at("2026-03-05T00:00:00Z")))
            .unwrap()),
        [open_early]
    );
    assert_eq!(
        ids(&store.open_follow_ups_of_lead(lead, None).unwrap()),
        [open_early, open_late]
    );
}

pub fn follow_up_ids_are_never_given_twice(store: &Store) {
    let lead = add(store, "Ada");
    schedule(store, lead, "2026-03-02T00:00:00Z");
    let newest = schedule(store, lead, "2026-03-03T00:00:00Z");
    store.write(|s| s.delete_follow_up(newest)).unwrap();
    assert_eq!(exit_code(&store.follow_up(newest).unwrap_err()), 3);
    let next = schedule(store, lead, "2026-03-04T00:00:00Z");
    assert!(next > newest, "{next} reuses {newest}");
    let forgotten = add(store, "Bo");
    let theirs = schedule(store, forgotten, "2026-03-04T00:00:00Z");
    store
        .write(|s| s.forget_lead(forgotten, at(START)))
        .unwrap();
    let after = schedule(store, lead, "2026-03-05T00:00:00Z");
    assert!(after > theirs, "{after} reuses {theirs}");
}

pub fn unknown_follow_ups_are_not_found(store: &Store) {
    add(store, "Ada");
    for result in [
        store.follow_up(99).map(|_| ()),
        store.finish_follow_up(99, at("2026-03-01T00:00:00Z")),
        store.reschedule_follow_up(99, at("2026-03-01T00:00:00Z")),
        store.delete_follow_up(99),
    ] {
        let err = result.unwrap_err();
        assert_eq!(exit_code(&err), 3, "{err}");
    }
}
