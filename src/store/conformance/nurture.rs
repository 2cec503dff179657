//! Cadences and enrollments, and the rules SQLite keeps with triggers: whatever makes the
//! change, an answer, a qualifying or closing status, do-not-contact, forget or delete
//! ends the lead's enrollment and closes its open step.
use chrono::{DateTime, Utc};

use super::{at, exit_code, person, START};
use crate::cadence::{Cadence, EndReason, Enrollment, Step, StepOf};
use crate::model::{ActivityKind, CallOutcome, Status, Touch};
use crate::store::{CadenceTally, CadenceUse, NewActivity, Store};

fn with_cadence(store: &Store) -> Cadence {
    let steps: Vec<Step> = ["0d email_sent: e-book", "3d meeting: coffee"]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    store.insert_cadence("E-book", &steps, at(START)).unwrap();
    store.cadence("e-book").unwrap()
}

/// A new lead enrolled in `cadence` at `START`: (lead, enrollment).
fn enrolled_lead(store: &Store, cadence: &Cadence) -> (i64, i64) {
    let lead = store.insert_lead(&person("Ada", None)).unwrap();
    let enrollment = store
        .enroll(lead, cadence, at(START), at(START), at(START))
        .unwrap();
    (lead, enrollment)
}

fn ended(store: &Store, enrollment: i64) -> (Option<EndReason>, Option<DateTime<Utc>>) {
    let e = store.enrollment(enrollment).unwrap();
    (e.end_reason, e.ended_at)
}

pub fn cadence_names_are_unique_in_any_case_and_found_with_a_suggestion(store: &Store) {
    let err = store.cadence("e-book").unwrap_err();
    assert_eq!(exit_code(&err), 3);
    assert!(err.to_string().contains("there are none yet"), "{err}");
    let cadence = with_cadence(store);
    assert_eq!(cadence.name, "E-book");
    assert_eq!(cadence.created_at, at(START));
    assert_eq!(
        cadence.steps,
        [
            "0d email_sent: e-book".parse::<Step>().unwrap(),
            "3d meeting: coffee".parse().unwrap()
        ]
    );
    assert_eq!(store.cadence(" E-BOOK ").unwrap(), cadence);
    let err = store.insert_cadence("E-BOOK", &[], at(START)).unwrap_err();
    assert_eq!(exit_code(&err), 4, "{err}");
    let err = store.cadence("ebok").unwrap_err();
    assert_eq!(exit_code(&err), 3);
    assert!(err.to_string().contains("(known: e-book)"), "{err}");
}

pub fn a_deleted_cadence_ends_its_enrollments_and_frees_its_name(store: &Store) {
    let cadence = with_cadence(store);
    let other = store
        .insert_cadence("Agency", &["1d call".parse().unwrap()], at(START))
        .unwrap();
    let (_, first) = enrolled_lead(store, &cadence);
    let (_, second) = enrolled_lead(store, &cadence);
    store
        .end_enrollment(
            second,
            EndReason::Stopped,
            Some("asked us to wait"),
            at(START),
        )
        .unwrap();
    let (_, third) = enrolled_lead(store, &cadence);
    assert_eq!(store.active_enrollments_in(cadence.id).unwrap(), 2);
    let uses = store.cadences().unwrap();
    // By name, in any case.
    assert_eq!(
        uses.iter()
            .map(|u| (u.cadence.name.as_str(), u.enrolled, u.active))
            .collect::<Vec<_>>(),
        [("Agency", 0, 0), ("E-book", 3, 2)]
    );
    assert_eq!(
        uses[1],
        CadenceUse {
            cadence: cadence.clone(),
            enrolled: 3,
            active: 2
        }
    );
    let deleted_at = at("2026-03-04T00:00:00Z");
    assert_eq!(store.delete_cadence(cadence.id, deleted_at).unwrap(), 2);
    for enrollment in [first, third] {
        assert_eq!(
            ended(store, enrollment),
            (Some(EndReason::CadenceDeleted), Some(deleted_at))
        );
    }
    // The one stopped before keeps its reason and note.
    let stopped = store.enrollment(second).unwrap();
    assert_eq!(stopped.end_reason, Some(EndReason::Stopped));
    assert_eq!(stopped.end_note.as_deref(), Some("asked us to wait"));
    assert_eq!(stopped.cadence, "E-book");
    assert!(store.open_follow_ups(None).unwrap().is_empty());
    assert_eq!(exit_code(&store.cadence("E-book").unwrap_err()), 3);
    assert_eq!(store.cadences().unwrap().len(), 1);
    assert_eq!(store.cadence("agency").unwrap().id, other);
    store.insert_cadence("e-book", &[], at(START)).unwrap();
}

pub fn an_enrollment_advances_step_by_step(store: &Store) {
    let cadence = with_cadence(store);
    let (lead, enrollment) = enrolled_lead(store, &cadence);
    let first = store.open_follow_ups(None).unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].note.as_deref(), Some("email_sent: e-book"));
    assert_eq!(first[0].kind, Some(ActivityKind::EmailSent));
    assert_eq!(
        first[0].step_of,
        Some(StepOf {
            enrollment_id: enrollment,
            cadence: "E-book".into(),
            step: 1
        })
    );
    let expected = Enrollment {
        id: enrollment,
        lead_id: lead,
        name: "Ada".into(),
        cadence: "E-book".into(),
        step: 1,
        steps: 2,
        next_due: Some(at(START)),
        started_at: at(START),
        ended_at: None,
        end_reason: None,
        end_note: None,
        do_not_contact: false,
        forgotten: false,
    };
    assert_eq!(store.enrollment(enrollment).unwrap(), expected);
    assert_eq!(
        store.active_enrollment(lead).unwrap(),
        Some(expected.clone())
    );

    let done = at("2026-03-02T00:00:00Z");
    let due = at("2026-03-05T00:00:00Z");
    store.finish_follow_up(first[0].id, done).unwrap();
    let current = store.enrollment(enrollment).unwrap();
    let step = cadence.step(2).unwrap();
    let second = store
        .advance_enrollment(&current, 2, step, due, done)
        .unwrap();
    let advanced = store.enrollment(enrollment).unwrap();
    assert_eq!((advanced.step, advanced.next_due), (2, Some(due)));
    let follow_up = store.follow_up(second).unwrap();
    assert_eq!(follow_up.note.as_deref(), Some("meeting: coffee"));
    assert_eq!(follow_up.step_of.map(|s| s.step), Some(2));
    assert_eq!(store.lead(lead).unwrap().next_follow_up, Some(due));

    store
        .end_enrollment(enrollment, EndReason::Completed, None, due)
        .unwrap();
    assert_eq!(
        ended(store, enrollment),
        (Some(EndReason::Completed), Some(due))
    );
    assert_eq!(store.follow_up(second).unwrap().done_at, Some(due));
    assert_eq!(store.active_enrollment(lead).unwrap(), None);
    // Ending twice changes nothing.
    store
        .end_enrollment(
            enrollment,
            EndReason::Stopped,
            None,
            at("2026-03-09T00:00:00Z"),
        )
        .unwrap();
    assert_eq!(ended(store, enrollment).0, Some(EndReason::Completed));
    // Enrolled again: the lead's enrollments oldest first, every one active first.
    let again = store.enroll(lead, &cadence, due, due, due).unwrap();
    let of_lead: Vec<i64> = store
        .enrollments_of_lead(lead)
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(of_lead, [enrollment, again]);
    let listed: Vec<i64> = store
        .enrollments(Some(cadence.id))
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(listed, [again, enrollment]);
    assert_eq!(store.enrollments(None).unwrap().len(), 2);
    assert_eq!(store.enrollments(Some(cadence.id + 1)).unwrap(), []);
}

pub fn an_answer_ends_the_enrollment_and_drops_its_open_step(store: &Store) {
    let cadence = with_cadence(store);
    let (lead, enrollment) = enrolled_lead(store, &cadence);
    assert_eq!(store.lead(lead).unwrap().next_follow_up, Some(at(START)));
    // An answer from before the enrollment is old news.
    store
        .add_activity(&NewActivity::new(
            lead,
            ActivityKind::EmailReplied,
            at("2026-02-01T00:00:00Z"),
        ))
        .unwrap();
    assert_eq!(ended(store, enrollment), (None, None));
    // A meeting the cadence itself logged does not end it.
    let step = store.open_follow_ups(None).unwrap()[0].id;
    store
        .add_activity(&NewActivity {
            step_follow_up: Some(step),
            ..NewActivity::new(lead, ActivityKind::Meeting, at("2026-03-02T00:00:00Z"))
        })
        .unwrap();
    assert_eq!(ended(store, enrollment), (None, None));
    store
        .add_activity(&NewActivity::new(
            lead,
            ActivityKind::Demo,
            at("2026-03-03T00:00:00Z"),
        ))
        .unwrap();
    assert_eq!(
        ended(store, enrollment),
        (Some(EndReason::Demo), Some(at("2026-03-03T00:00:00Z")))
    );
    assert!(store.open_follow_ups(None).unwrap().is_empty());
    assert_eq!(store.lead(lead).unwrap().next_follow_up, None);
}

/// `ActivityKind::touch` is the one definition of an answer; every engine ends a cadence
/// on exactly those, for every kind and outcome (reply, meeting and demo by name, a
/// connected call as `call`).
pub fn the_trigger_ends_a_cadence_on_exactly_the_answers_the_domain_defines(store: &Store) {
    let cadence = with_cadence(store);
    for kind in ActivityKind::ALL {
        let outcomes: Vec<Option<CallOutcome>> = if kind.takes_outcome() {
            CallOutcome::ALL.into_iter().map(Some).collect()
        } else {
            vec![None]
        };
        for outcome in outcomes {
            let (lead, enrollment) = enrolled_lead(store, &cadence);
            store
                .add_activity(&NewActivity {
                    outcome,
                    ..NewActivity::new(lead, kind, at("2026-03-03T00:00:00Z"))
                })
                .unwrap();
            let expected = match kind.touch(outcome) {
                Some(Touch::Answer) => Some(match kind {
                    ActivityKind::EmailReplied => EndReason::Replied,
                    ActivityKind::Call => EndReason::Call,
                    ActivityKind::Meeting => EndReason::Meeting,
                    _ => EndReason::Demo,
                }),
                _ => None,
            };
            assert_eq!(ended(store, enrollment).0, expected, "{kind} {outcome:?}");
        }
    }
}

pub fn a_status_do_not_contact_forget_or_delete_ends_it(store: &Store) {
    let cadence = with_cadence(store);
    let later = at("2026-03-05T00:00:00Z");
    let (lead, enrollment) = enrolled_lead(store, &cadence);
    for status in [Status::Contacted, Status::Nurturing] {
        store
            .change_status(lead, None, status, later, None)
            .unwrap();
    }
    assert_eq!(ended(store, enrollment).0, None);
    store
        .change_status(lead, None, Status::Qualified, later, None)
        .unwrap();
    assert_eq!(
        ended(store, enrollment),
        (Some(EndReason::Qualified), Some(later))
    );
    for (status, reason) in [
        (Status::Won, EndReason::Won),
        (Status::Lost, EndReason::Lost),
        (Status::Disqualified, EndReason::Disqualified),
    ] {
        let (lead, enrollment) = enrolled_lead(store, &cadence);
        store
            .change_status(lead, None, status, later, None)
            .unwrap();
        assert_eq!(ended(store, enrollment).0, Some(reason), "{status}");
    }
    // A status written with the lead's other fields counts the same.
    let (lead, enrollment) = enrolled_lead(store, &cadence);
    let mut edited = store.lead(lead).unwrap();
    edited.status = Some(Status::Won);
    edited.updated_at = Some(later);
    store.update_lead(&edited).unwrap();
    assert_eq!(
        ended(store, enrollment),
        (Some(EndReason::Won), Some(later))
    );

    let (lead, enrollment) = enrolled_lead(store, &cadence);
    let mut edited = store.lead(lead).unwrap();
    edited.do_not_contact = true;
    edited.updated_at = Some(later);
    store.update_lead(&edited).unwrap();
    assert_eq!(
        ended(store, enrollment),
        (Some(EndReason::DoNotContact), Some(later))
    );

    let (lead, enrollment) = enrolled_lead(store, &cadence);
    store.forget_lead(lead, later).unwrap();
    assert_eq!(
        ended(store, enrollment),
        (Some(EndReason::Forgotten), Some(later))
    );

    let (lead, enrollment) = enrolled_lead(store, &cadence);
    store.write(|s| s.delete_lead(lead)).unwrap();
    assert_eq!(exit_code(&store.enrollment(enrollment).unwrap_err()), 3);
    assert!(store.open_follow_ups(None).unwrap().is_empty());
    assert_eq!(store.active_enrollments_in(cadence.id).unwrap(), 0);
}

pub fn one_active_cadence_per_lead(store: &Store) {
    let cadence = with_cadence(store);
    let (lead, enrollment) = enrolled_lead(store, &cadence);
    assert!(store
        .enroll(lead, &cadence, at(START), at(START), at(START))
        .is_err());
    assert_eq!(store.enrollments_of_lead(lead).unwrap().len(), 1);
    store
        .end_enrollment(enrollment, EndReason::Stopped, None, at(START))
        .unwrap();
    store
        .enroll(lead, &cadence, at(START), at(START), at(START))
        .unwrap();
}

pub fn tallies_count_each_way_out(store: &Store) {
    let cadence = with_cadence(store);
    let later = at("2026-03-05T00:00:00Z");
    let (_, active) = enrolled_lead(store, &cadence);
    let (_, done) = enrolled_lead(store, &cadence);
    store
        .end_enrollment(done, EndReason::Completed, None, later)
        .unwrap();
    let (replied, _) = enrolled_lead(store, &cadence);
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
    // A deleted cadence is counted, named so, while it had leads in the period.
    store.delete_cadence(cadence.id, later).unwrap();
    let tallies = store.cadence_tallies(None, None).unwrap();
    assert_eq!(tallies[0].cadence, "E-book (deleted)");
    assert_eq!(tallies[0].enrolled, 3);
    assert_eq!(store.cadence_tallies(Some(later), None).unwrap(), []);
}

/// A cadence's name is one by leads' folding on either engine: case beyond ASCII is the
/// same name, and neither engine's wider or narrower collation decides.
pub fn a_cadence_name_is_one_by_leads_own_folding_on_either_engine(store: &Store) {
    let steps: [Step; 1] = ["1d call".parse().unwrap()];
    store
        .insert_cadence("Öl-Kunden", &steps, at(START))
        .unwrap();
    assert_eq!(store.cadence("ÖL-KUNDEN").unwrap().name, "Öl-Kunden");
    let err = store
        .insert_cadence("öl-kunden", &steps, at(START))
        .unwrap_err();
    assert_eq!(exit_code(&err), 4, "{err:#}");
    // ß is not ss: two names.
    store.insert_cadence("Straße", &steps, at(START)).unwrap();
    store.insert_cadence("Strasse", &steps, at(START)).unwrap();
    assert_eq!(store.cadence("STRAßE").unwrap().name, "Straße");
    let names: Vec<String> = store
        .cadences()
        .unwrap()
        .into_iter()
        .map(|used| used.cadence.name)
        .collect();
    // In the order of their folded bytes, as on SQLite.
    assert_eq!(names, ["Strasse", "Straße", "Öl-Kunden"].map(String::from));
}
