//! Forgetting a person: everything that names them erased, an anonymous row kept for the
//! reports, the email's digest kept so that the person is recognised if they come back.
use std::collections::BTreeMap;

use super::{add, at, exit_code, person, START};
use crate::cadence::{EndReason, Step};
use crate::model::{ActivityKind, Answer, Lead, Qualification, Status};
use crate::store::{Forgetting, NewActivity, NewFollowUp, Store};

pub fn forgetting_erases_everything_that_names_the_person(store: &Store) {
    let mut attributes = BTreeMap::new();
    attributes.insert("LinkedIn".to_string(), "in/jane-doe".to_string());
    let given = Lead {
        last_name: Some("Doe".into()),
        phone: Some("+1 555 014 2977".into()),
        company: Some("Doe Consulting".into()),
        title: Some("Owner".into()),
        industry: Some("consulting".into()),
        company_size: Some(3),
        country: Some("US".into()),
        website: Some("https://janedoe.example".into()),
        source: Some("referral".into()),
        source_detail: Some("her cousin Bo".into()),
        tags: vec!["vip".into()],
        notes: Some("divorced, two kids".into()),
        attributes,
        external_id: Some("CRM-7".into()),
        need: Some("a new website".into()),
        deal_value: Some(900.0),
        ..person("Jane", Some("jane.doe@example.com"))
    };
    let now = at("2026-03-10T00:00:00Z");
    let id = store
        .import("/home/me/jane-doe-card.vcf", at(START), |importer| {
            Ok((importer.create(&given)?, true))
        })
        .unwrap();
    // A later import updated her, keeping her fields to undo it.
    let update = store
        .import("contacts.csv", at(START), |importer| {
            let mut updated = importer.store()?.lead(id)?;
            updated.title = Some("Founder".into());
            importer.update(&updated, Status::New, at(START))?;
            Ok((importer.batch(), true))
        })
        .unwrap();
    assert_eq!(store.undo_plan(update).unwrap().restores, 1);
    store
        .add_activity(
            &NewActivity::new(id, ActivityKind::Call, at(START)).with_note(Some("her husband")),
        )
        .unwrap();
    store
        .insert_follow_up(
            &NewFollowUp {
                note: Some("call Jane at home"),
                ..NewFollowUp::new(id, at("2026-03-20T00:00:00Z"), ActivityKind::Call)
            },
            at(START),
        )
        .unwrap();
    store
        .change_status(
            id,
            Some(Status::New),
            Status::Contacted,
            at(START),
            Some("Jane's assistant called back"),
        )
        .unwrap();
    store
        .add_qualification(
            id,
            &Qualification {
                at: at(START),
                budget: Answer::Yes,
                authority: Answer::Yes,
                need: Some("a new website".into()),
                timeline: None,
            },
        )
        .unwrap();
    let steps: Vec<Step> = vec!["1d call".parse().unwrap()];
    store.insert_cadence("Intro", &steps, at(START)).unwrap();
    let cadence = store.cadence("Intro").unwrap();
    let enrollment = store
        .enroll(id, &cadence, at(START), at(START), at(START))
        .unwrap();
    store
        .end_enrollment(
            enrollment,
            EndReason::Stopped,
            Some("Jane is on leave"),
            at(START),
        )
        .unwrap();

    assert_eq!(
        store.write(|s| s.forget_lead(id, now)).unwrap(),
        Forgetting::Erased
    );
    let left = store.lead(id).unwrap();
    assert_eq!(
        left,
        Lead {
            id,
            first_name: None,
            last_name: None,
            email: None,
            phone: None,
            company: None,
            title: None,
            website: None,
            source_detail: None,
            tags: Vec::new(),
            notes: None,
            attributes: BTreeMap::new(),
            external_id: None,
            need: None,
            do_not_contact: true,
            status: Some(Status::Contacted),
            updated_at: Some(now),
            forgotten: true,
            // What the reports and `learn` count stays.
            ..given
        }
    );
    assert_eq!(store.activities(id).unwrap(), []);
    assert_eq!(store.follow_ups_of_lead(id).unwrap(), []);
    assert_eq!(store.qualifications(id).unwrap(), []);
    let changes = store.status_changes(id).unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].reason, None);
    let ended = store.enrollment(enrollment).unwrap();
    assert_eq!(ended.end_note, None);
    assert_eq!(ended.end_reason, Some(EndReason::Stopped));
    assert!(ended.forgotten);
    let files: Vec<String> = store
        .import_batches()
        .unwrap()
        .into_iter()
        .map(|b| b.file)
        .collect();
    assert_eq!(files, ["(erased)", "contacts.csv"]);
    // What the update kept of her is gone: an undo has nothing of hers to put back.
    assert_eq!(store.undo_plan(update).unwrap().restores, 0);
    assert!(store.is_forgotten_email("Jane.Doe@example.com").unwrap());
    assert!(!store.is_forgotten_email("jane@example.com").unwrap());
    assert_eq!(
        store.forget_lead(id, at("2026-03-11T00:00:00Z")).unwrap(),
        Forgetting::AlreadyForgotten(now)
    );
    assert_eq!(exit_code(&store.forget_lead(99, now).unwrap_err()), 3);
    // Erasing is for good: the row is no longer a person the checks can find.
    assert_eq!(
        store.lead_id_by_email("jane.doe@example.com").unwrap(),
        None
    );
    assert_eq!(store.lead_id_by_external_id("CRM-7").unwrap(), None);
    assert_eq!(store.attribute_names().unwrap(), Vec::<String>::new());
    assert!(store.purge_erased().unwrap());
}

/// The digest is of the folded email: the person is recognised however they write it.
pub fn a_forgotten_email_is_recognised_in_any_case(store: &Store) {
    let id = store
        .insert_lead(&person("Éva", Some("ÉVA@x.com")))
        .unwrap();
    assert!(!store.is_forgotten_email("éva@x.com").unwrap());
    store.write(|s| s.forget_lead(id, at(START))).unwrap();
    for email in ["ÉVA@x.com", "éva@X.COM", " Éva@x.com "] {
        assert!(store.is_forgotten_email(email).unwrap(), "{email}");
    }
    assert!(!store.is_forgotten_email("eva@x.com").unwrap());
    // A lead without an email leaves no digest.
    let nameless = add(store, "Bo");
    store.write(|s| s.forget_lead(nameless, at(START))).unwrap();
    assert!(!store.is_forgotten_email("").unwrap());
}

pub fn a_shared_company_stays_for_the_reports(store: &Store) {
    let lead = |first: &str, company: &str, detail: &str| {
        store
            .insert_lead(&Lead {
                company: Some(company.into()),
                source_detail: Some(detail.into()),
                ..person(first, None)
            })
            .unwrap()
    };
    let ada = lead("Ada", "Acme Corp", "Expo 2026");
    lead("Bo", " acme corp ", "EXPO 2026");
    let cy = lead("Cy", "Cy's Bakery", "Cy's cousin");
    store.write(|s| s.forget_lead(ada, at(START))).unwrap();
    store.write(|s| s.forget_lead(cy, at(START))).unwrap();
    let ada = store.lead(ada).unwrap();
    assert_eq!(ada.company.as_deref(), Some("Acme Corp"));
    assert_eq!(ada.source_detail.as_deref(), Some("Expo 2026"));
    let cy = store.lead(cy).unwrap();
    assert_eq!((cy.company, cy.source_detail), (None, None));
}
