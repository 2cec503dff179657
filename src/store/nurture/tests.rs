use super::*;
use crate::model::{Lead, Status};
use crate::store::NewActivity;
use crate::test_support::at;

const START: &str = "2026-03-01T09:00:00Z";

fn store_with_cadence() -> (Store, Cadence) {
    let store = Store::open_in_memory().unwrap();
    let steps: Vec<Step> = ["0d email_sent: e-book", "3d meeting: coffee"]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    store.insert_cadence("E-book", &steps, at(START)).unwrap();
    let cadence = store.cadence("e-book").unwrap();
    (store, cadence)
}

fn enrolled_lead(store: &Store, cadence: &Cadence) -> (i64, i64) {
    let lead = Lead {
        first_name: Some("Ada".into()),
        created_at: Some(at(START)),
        updated_at: Some(at(START)),
        ..Lead::default()
    };
    let lead = store.insert_lead(&lead).unwrap();
    let enrollment = store
        .enroll(lead, cadence, at(START), at(START), at(START))
        .unwrap();
    (lead, enrollment)
}

fn ended(store: &Store, enrollment: i64) -> (Option<EndReason>, Option<DateTime<Utc>>) {
    let e = store.enrollment(enrollment).unwrap();
    (e.end_reason, e.ended_at)
}

#[test]
fn cadence_names_are_unique_in_any_case_and_found_with_a_suggestion() {
    let (store, cadence) = store_with_cadence();
    assert_eq!(cadence.name, "E-book");
    assert_eq!(cadence.steps.len(), 2);
    let err = store.insert_cadence("E-BOOK", &[], at(START)).unwrap_err();
    assert_eq!(crate::error::exit_code(&err), 4, "{err}");
    let err = store.cadence("ebok").unwrap_err();
    assert_eq!(crate::error::exit_code(&err), 3);
    assert!(err.to_string().contains("(known: e-book)"), "{err}");
}

#[test]
fn an_answer_ends_the_enrollment_and_drops_its_open_step() {
    let (store, cadence) = store_with_cadence();
    let (lead, enrollment) = enrolled_lead(&store, &cadence);
    assert_eq!(store.lead(lead).unwrap().next_follow_up, Some(at(START)));
    // An answer from before the enrollment is old news.
    store
        .add_activity(&NewActivity::new(
            lead,
            ActivityKind::EmailReplied,
            at("2026-02-01T00:00:00Z"),
        ))
        .unwrap();
    assert_eq!(ended(&store, enrollment), (None, None));
    // A meeting the cadence itself logged does not end it.
    let step = store.open_follow_ups(None).unwrap()[0].id;
    store
        .add_activity(&NewActivity {
            step_follow_up: Some(step),
            ..NewActivity::new(lead, ActivityKind::Meeting, at("2026-03-02T00:00:00Z"))
        })
        .unwrap();
    assert_eq!(ended(&store, enrollment), (None, None));
    store
        .add_activity(&NewActivity::new(
            lead,
            ActivityKind::Demo,
            at("2026-03-03T00:00:00Z"),
        ))
        .unwrap();
    assert_eq!(
        ended(&store, enrollment),
        (Some(EndReason::Demo), Some(at("2026-03-03T00:00:00Z")))
    );
    assert!(store.open_follow_ups(None).unwrap().is_empty());
    assert_eq!(store.lead(lead).unwrap().next_follow_up, None);
}

#[test]
fn a_status_do_not_contact_forget_or_delete_ends_it() {
    let (store, cadence) = store_with_cadence();
    let later = at("2026-03-05T00:00:00Z");
    let (lead, enrollment) = enrolled_lead(&store, &cadence);
    store
        .change_status(lead, None, Status::Contacted, later, None)
        .unwrap();
    assert_eq!(ended(&store, enrollment).0, None);
    store
        .change_status(lead, None, Status::Qualified, later, None)
        .unwrap();
    assert_eq!(
        ended(&store, enrollment),
        (Some(EndReason::Qualified), Some(later))
    );

    let (lead, enrollment) = enrolled_lead(&store, &cadence);
    let mut edited = store.lead(lead).unwrap();
    edited.do_not_contact = true;
    edited.updated_at = Some(later);
    store.update_lead(&edited).unwrap();
    assert_eq!(ended(&store, enrollment).0, Some(EndReason::DoNotContact));

    let (lead, enrollment) = enrolled_lead(&store, &cadence);
    store.forget_lead(lead, later).unwrap();
    assert_eq!(ended(&store, enrollment).0, Some(EndReason::Forgotten));

    let (lead, enrollment) = enrolled_lead(&store, &cadence);
    store
        .conn
        .execute("DELETE FROM leads WHERE id = ?1", [lead])
        .unwrap();
    assert!(store.enrollment(enrollment).is_err());
    assert!(store.open_follow_ups(None).unwrap().is_empty());
}

#[test]
fn one_active_cadence_per_lead() {
    let (store, cadence) = store_with_cadence();
    let (lead, _) = enrolled_lead(&store, &cadence);
    assert!(store
        .enroll(lead, &cadence, at(START), at(START), at(START))
        .is_err());
}

#[test]
fn tallies_count_each_way_out() {
    let (store, cadence) = store_with_cadence();
    let later = at("2026-03-05T00:00:00Z");
    let (_, active) = enrolled_lead(&store, &cadence);
    let (_, done) = enrolled_lead(&store, &cadence);
    store
        .end_enrollment(done, EndReason::Completed, None, later)
        .unwrap();
    let (replied, _) = enrolled_lead(&store, &cadence);
    store
        .add_activity(&NewActivity::new(
            replied,
            ActivityKind::EmailReplied,
            later,
        ))
        .unwrap();
    store
        .change_status(replied, None, Status::Qualified, later, None)
        .unwrap();
    store
        .change_status(replied, None, Status::Won, later, None)
        .unwrap();
    let tallies = store.cadence_tallies(None, None).unwrap();
    assert_eq!(
        tallies,
        [CadenceTally {
            cadence: "E-book".into(),
            enrolled: 3,
            active: 1,
            completed: 1,
            answered: 1,
            qualified: 1,
            won: 1,
        }]
    );
    assert!(store.enrollment(active).unwrap().is_active());
    let none = store.cadence_tallies(Some(later), None).unwrap();
    assert_eq!(none[0].enrolled, 0);
}

/// The schema's trigger ends a cadence on an answer; `ActivityKind::touch` is the one
/// definition of an answer. The two must agree for every kind and outcome.
#[test]
fn the_trigger_ends_a_cadence_on_exactly_the_answers_the_domain_defines() {
    use crate::model::{CallOutcome, Touch};
    for kind in ActivityKind::ALL {
        let outcomes: Vec<Option<CallOutcome>> = if kind.takes_outcome() {
            CallOutcome::ALL.into_iter().map(Some).collect()
        } else {
            vec![None]
        };
        for outcome in outcomes {
            let (store, cadence) = store_with_cadence();
            let (lead, enrollment) = enrolled_lead(&store, &cadence);
            store
                .add_activity(&NewActivity {
                    outcome,
                    ..NewActivity::new(lead, kind, at("2026-03-03T00:00:00Z"))
                })
                .unwrap();
            let answer = kind.touch(outcome) == Some(Touch::Answer);
            assert_eq!(
                ended(&store, enrollment).0.is_some(),
                answer,
                "{kind} {outcome:?}"
            );
        }
    }
}
