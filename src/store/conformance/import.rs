//! Imports: one batch in one transaction, duplicates found without case (beyond ASCII
//! too), forgotten people recognised, `--undo`; and merging duplicates.
use chrono::DateTime;

use super::{add, at, exit_code, person, START};
use crate::cadence::Step;
use crate::model::{ActivityKind, Answer, Lead, Qualification, Status, StatusChange};
use crate::store::{
    Batch, LeadQuery, Moved, NewActivity, NewFollowUp, Same, Store, Undo, UndoPlan,
};

fn lead(email: Option<&str>, external_id: Option<&str>) -> Lead {
    Lead {
        first_name: Some("Test".into()),
        email: email.map(String::from),
        external_id: external_id.map(String::from),
        created_at: Some(DateTime::default()),
        updated_at: Some(DateTime::default()),
        ..Lead::default()
    }
}

pub fn duplicates_by_email_without_case_then_by_external_id(store: &Store) {
    let now = DateTime::default();
    let ids = store
        .import("test", now, |importer| {
            let first = importer.create(&lead(Some("Ada@Example.com"), Some("X1")))?;
            let by_email = importer.duplicate_of(&lead(Some("ada@example.COM "), None))?;
            let by_id = importer.duplicate_of(&lead(Some("other@example.com"), Some("X1")))?;
            let none = importer.duplicate_of(&lead(Some("new@example.com"), Some("x1")))?;
            Ok(((first, by_email, by_id, none), true))
        })
        .unwrap();
    let first = ids.0;
    assert_eq!(
        ids,
        (
            first,
            Some((first, Same::Email)),
            Some((first, Same::ExternalId)),
            None
        )
    );
    // A second import sees the first one's leads.
    let again = store
        .import("test", now, |importer| {
            assert_eq!(importer.existing(), 1);
            Ok((
                importer.duplicate_of(&lead(Some("ADA@example.com"), None))?,
                false,
            ))
        })
        .unwrap();
    assert_eq!(again, Some((first, Same::Email)));
}

pub fn duplicates_by_a_unicode_email_in_any_case(store: &Store) {
    let eva = store
        .insert_lead(&person("Éva", Some("ÉVA@x.com")))
        .unwrap();
    let found = store
        .import("more.csv", at(START), |importer| {
            let eva_again = importer.duplicate_of(&lead(Some("éva@X.COM"), None))?;
            let someone_else = importer.duplicate_of(&lead(Some("eva@x.com"), None))?;
            let jorg = importer.create(&lead(Some("Jörg@x.example"), None))?;
            let jorg_again = importer.duplicate_of(&lead(Some("JÖRG@X.EXAMPLE"), None))?;
            Ok(((eva_again, someone_else, jorg, jorg_again), true))
        })
        .unwrap();
    let jorg = found.2;
    assert_eq!(
        found,
        (
            Some((eva, Same::Email)),
            None,
            jorg,
            Some((jorg, Same::Email))
        )
    );
}

/// One person's email is found by the key leads folds itself, on either engine: case
/// beyond ASCII is one person (the Kelvin sign is a k), but neither an engine's wider
/// equivalences (PostgreSQL's ICU took `ss` for `ß` and `fi` for the ligature) nor
/// a collation's narrower ones (SQLite's NOCASE folds ASCII only) decide it.
pub fn an_email_is_one_person_by_leads_own_folding_on_either_engine(store: &Store) {
    let strasse = store
        .insert_lead(&person("Ute", Some("STRAßE@x.de")))
        .unwrap();
    let fi = store.insert_lead(&person("Fi", Some("ﬁ@x.de"))).unwrap();
    let kim = store.insert_lead(&person("Kim", Some("kim@x.de"))).unwrap();
    let found = |email: &str| store.lead_id_by_email(email).unwrap();
    assert_eq!(found("straße@X.DE"), Some(strasse));
    assert_eq!(found("strasse@x.de"), None);
    assert_eq!(found("fi@x.de"), None);
    assert_eq!(found("ﬁ@X.de"), Some(fi));
    assert_eq!(found("\u{212A}IM@x.de"), Some(kim));
    assert_eq!(found(" KIM@x.de "), Some(kim));
    // The import finds the same ones.
    let by_import = store
        .import("more.csv", at(START), |importer| {
            Ok((
                [
                    importer.duplicate_of(&lead(Some("strasse@X.de"), None))?,
                    importer.duplicate_of(&lead(Some("\u{212A}im@x.de"), None))?,
                ],
                false,
            ))
        })
        .unwrap();
    assert_eq!(by_import, [None, Some((kim, Same::Email))]);
    // An edit moves the key with the email; a forgotten person's key goes with it.
    let mut ute = store.lead(strasse).unwrap();
    ute.email = Some("Ute@Example.com".into());
    store.write(|s| s.update_lead(&ute)).unwrap();
    assert_eq!(found("straße@x.de"), None);
    assert_eq!(found("ute@example.COM"), Some(strasse));
    store
        .write(|s| s.forget_lead(strasse, at(START)).map(|_| ()))
        .unwrap();
    assert_eq!(found("ute@example.com"), None);
}

pub fn a_rolled_back_import_leaves_nothing_and_undo_removes_a_batch(store: &Store) {
    let now = at(START);
    store
        .import("dry", now, |importer| {
            importer.create(&lead(Some("a@example.com"), None))?;
            Ok(((), false))
        })
        .unwrap();
    assert_eq!(store.count_leads().unwrap(), 0);
    assert_eq!(store.import_batches().unwrap(), []);
    // An error rolls back too.
    let failed: anyhow::Result<()> = store.import("failed", now, |importer| {
        importer.create(&lead(Some("a@example.com"), None))?;
        Err(anyhow::anyhow!("the file ended mid-row"))
    });
    assert!(failed.is_err());
    assert_eq!(store.count_leads().unwrap(), 0);
    let batch = store
        .import("real.csv", now, |importer| {
            importer.create(&lead(Some("a@example.com"), None))?;
            importer.create(&lead(Some("b@example.com"), None))?;
            Ok((importer.batch(), true))
        })
        .unwrap();
    assert_eq!(store.count_leads().unwrap(), 2);
    assert_eq!(
        store.import_batches().unwrap(),
        [Batch {
            id: batch,
            at: "2026-03-01T09:00:00Z".into(),
            file: "real.csv".into(),
            imported: 2,
            updated: 0,
            undone_at: None,
            by: None,
        }]
    );
    let undone = store
        .write(|s| s.undo_batch(batch, at("2026-03-02T00:00:00Z")))
        .unwrap();
    assert_eq!(
        undone,
        Undo::Undone {
            removed: 2,
            restored: 0
        }
    );
    assert_eq!(store.count_leads().unwrap(), 0);
    assert_eq!(
        store.import_batches().unwrap()[0].undone_at.as_deref(),
        Some("2026-03-02T00:00:00Z")
    );
    assert_eq!(
        store.write(|s| s.undo_batch(batch, now)).unwrap(),
        Undo::AlreadyUndone("2026-03-02T00:00:00Z".into())
    );
    assert_eq!(
        store.undo_plan(batch).unwrap().undone_at.as_deref(),
        Some("2026-03-02T00:00:00Z")
    );
    let err = store.write(|s| s.undo_batch(99, now)).unwrap_err();
    assert_eq!(exit_code(&err), 3);
    assert_eq!(exit_code(&store.undo_plan(99).unwrap_err()), 3);
}

pub fn undo_restores_the_leads_an_import_updated(store: &Store) {
    let before = Lead {
        title: Some("Engineer".into()),
        tags: vec!["eu".into()],
        status: Some(Status::New),
        ..person("Ada", Some("ada@example.com"))
    };
    let id = store.insert_lead(&before).unwrap();
    let imported_at = at("2026-03-05T00:00:00Z");
    let batch = store
        .import("update.csv", imported_at, |importer| {
            let (found, _) = importer
                .duplicate_of(&person("Ada", Some("ADA@example.com")))?
                .unwrap();
            let mut updated = importer.store()?.lead(found)?;
            updated.title = Some("CTO".into());
            updated.tags = vec!["eu".into(), "vip".into()];
            updated.status = Some(Status::Contacted);
            updated.updated_at = Some(imported_at);
            importer.update(&updated, Status::New, imported_at)?;
            Ok((importer.batch(), true))
        })
        .unwrap();
    let updated = store.lead(id).unwrap();
    assert_eq!(updated.title.as_deref(), Some("CTO"));
    assert_eq!(
        store.status_changes(id).unwrap(),
        [StatusChange {
            from: Some(Status::New),
            to: Status::Contacted,
            at: imported_at,
            reason: Some("import".into()),
            by: None,
        }]
    );
    assert_eq!(store.import_batches().unwrap()[0].updated, 1);
    assert_eq!(
        store.undo_plan(batch).unwrap(),
        UndoPlan {
            leads: 0,
            worked_on: Vec::new(),
            restores: 1,
            edited: Vec::new(),
            undone_at: None,
        }
    );
    let undone = store.write(|s| s.undo_batch(batch, imported_at)).unwrap();
    assert_eq!(
        undone,
        Undo::Undone {
            removed: 0,
            restored: 1
        }
    );
    assert_eq!(store.lead(id).unwrap(), Lead { id, ..before });
    assert_eq!(store.status_changes(id).unwrap(), []);
}

pub fn undo_plans_name_the_leads_worked_on_since(store: &Store) {
    let by_hand = store
        .insert_lead(&person("Ada", Some("ada@example.com")))
        .unwrap();
    let imported_at = at("2026-03-05T00:00:00Z");
    let (batch, created) = store
        .import("leads.csv", imported_at, |importer| {
            let mut ids = Vec::new();
            for name in ["Bo", "Cy", "Di"] {
                ids.push(importer.create(&Lead {
                    created_at: Some(imported_at),
                    updated_at: Some(imported_at),
                    ..person(name, None)
                })?);
            }
            let mut ada = importer.store()?.lead(by_hand)?;
            ada.title = Some("CTO".into());
            importer.update(&ada, Status::New, imported_at)?;
            Ok(((importer.batch(), ids), true))
        })
        .unwrap();
    let later = at("2026-03-06T00:00:00Z");
    store
        .add_activity(&NewActivity::new(created[2], ActivityKind::Call, later))
        .unwrap();
    store
        .insert_follow_up(
            &NewFollowUp::new(created[1], later, ActivityKind::Call),
            later,
        )
        .unwrap();
    let mut edited = store.lead(by_hand).unwrap();
    edited.notes = Some("met at the expo".into());
    edited.updated_at = Some(later);
    store.update_lead(&edited).unwrap();
    assert_eq!(
        store.undo_plan(batch).unwrap(),
        UndoPlan {
            leads: 3,
            worked_on: vec![created[1], created[2]],
            restores: 1,
            edited: vec![by_hand],
            undone_at: None,
        }
    );
    assert_eq!(store.batch_of(created[0]).unwrap(), Some(batch));
    assert_eq!(store.batch_of(by_hand).unwrap(), None);
}

pub fn a_lead_arriving_later_in_the_pipeline_has_its_move(store: &Store) {
    let created = at("2026-02-01T00:00:00Z");
    let ids = store
        .import("crm.csv", at(START), |importer| {
            let qualified = importer.create(&Lead {
                status: Some(Status::Qualified),
                created_at: Some(created),
                ..person("Ada", None)
            })?;
            let new = importer.create(&person("Bo", None))?;
            Ok(((qualified, new), true))
        })
        .unwrap();
    assert_eq!(
        store.status_changes(ids.0).unwrap(),
        [StatusChange {
            from: None,
            to: Status::Qualified,
            at: created,
            reason: None,
            by: None,
        }]
    );
    assert_eq!(store.status_changes(ids.1).unwrap(), []);
}

pub fn a_forgotten_person_is_recognised_by_an_import(store: &Store) {
    let eva = store
        .insert_lead(&person("Éva", Some("ÉVA@x.com")))
        .unwrap();
    store.write(|s| s.forget_lead(eva, at(START))).unwrap();
    let recognised = store
        .import("again.csv", at(START), |importer| {
            Ok((
                (
                    importer.is_forgotten("éva@X.COM"),
                    importer.is_forgotten("eva@x.com"),
                    importer.duplicate_of(&lead(Some("éva@x.com"), None))?,
                ),
                false,
            ))
        })
        .unwrap();
    // Recognised by the digest alone: the forgotten row keeps no email to match.
    assert_eq!(recognised, (true, false, None));
}

pub fn a_merge_moves_everything_onto_the_lead_kept(store: &Store) {
    let kept = store
        .insert_lead(&person("Ada", Some("ada@example.com")))
        .unwrap();
    let other = store
        .insert_lead(&person("Ada L.", Some("ADA@example.com")))
        .unwrap();
    let bystander = add(store, "Bo");
    store
        .add_activity(&NewActivity::new(
            other,
            ActivityKind::EmailReplied,
            at("2026-03-03T00:00:00Z"),
        ))
        .unwrap();
    store
        .add_activity(&NewActivity::new(
            kept,
            ActivityKind::EmailSent,
            at("2026-03-02T00:00:00Z"),
        ))
        .unwrap();
    store
        .insert_follow_up(
            &NewFollowUp::new(other, at("2026-03-08T00:00:00Z"), ActivityKind::Call),
            at(START),
        )
        .unwrap();
    store
        .change_status(other, None, Status::Contacted, at(START), None)
        .unwrap();
    store
        .add_qualification(
            other,
            &Qualification {
                at: at(START),
                budget: Answer::Yes,
                authority: Answer::Unknown,
                need: None,
                timeline: None,
            },
        )
        .unwrap();
    let steps: Vec<Step> = vec!["7d call".parse().unwrap()];
    store.insert_cadence("Intro", &steps, at(START)).unwrap();
    let cadence = store.cadence("Intro").unwrap();
    store
        .enroll(
            other,
            &cadence,
            at("2026-03-04T00:00:00Z"),
            at("2026-03-11T00:00:00Z"),
            at(START),
        )
        .unwrap();

    let merged = Lead {
        last_name: Some("Lovelace".into()),
        ..store.lead(kept).unwrap()
    };
    let moved = store
        .write(|s| s.merge_leads(&merged, &[other], None))
        .unwrap();
    assert_eq!(
        moved,
        Moved {
            activities: 1,
            follow_ups: 2,
            status_changes: 1,
            qualifications: 1,
            enrollments: 1,
        }
    );
    assert_eq!(exit_code(&store.lead(other).unwrap_err()), 3);
    let stored = store.lead(kept).unwrap();
    assert_eq!(stored.last_name.as_deref(), Some("Lovelace"));
    assert_eq!(store.activities(kept).unwrap().len(), 2);
    assert_eq!(stored.last_touch_at, Some(at("2026-03-03T00:00:00Z")));
    assert_eq!(stored.last_answer_at, Some(at("2026-03-03T00:00:00Z")));
    assert_eq!(stored.next_follow_up, Some(at("2026-03-08T00:00:00Z")));
    assert_eq!(store.qualifications(kept).unwrap().len(), 1);
    assert_eq!(store.status_changes(kept).unwrap().len(), 1);
    assert_eq!(
        store.active_enrollment(kept).unwrap().map(|e| e.lead_id),
        Some(kept)
    );
    assert_eq!(
        store.lead_id_by_email("ada@example.com").unwrap(),
        Some(kept)
    );
    assert_eq!(store.activities(bystander).unwrap(), []);
    let err = store
        .write(|s| s.merge_leads(&stored, &[99], None))
        .unwrap_err();
    assert_eq!(exit_code(&err), 3);
}

/// Who did what: the user the store acts as is recorded with each status change and
/// import, owns the leads an import creates without an owner, and `list --owner` finds a
/// seller's leads in any case; an owner the row names stays; acting as nobody records
/// nobody.
pub fn who_did_what_is_recorded(store: &Store) {
    let now = at(START);
    store.act_as(Some("Ada Seller".into()));
    let (batch, theirs, named) = store
        .import("team.csv", now, |importer| {
            let theirs = importer.create(&Lead {
                status: Some(Status::Qualified),
                created_at: Some(now),
                ..person("Cy", Some("cy@example.com"))
            })?;
            let named = importer.create(&Lead {
                owner: Some("Bo".into()),
                ..person("Di", Some("di@example.com"))
            })?;
            Ok(((importer.batch(), theirs, named), true))
        })
        .unwrap();
    assert_eq!(store.import_batches().unwrap()[0].id, batch);
    assert_eq!(
        store.import_batches().unwrap()[0].by.as_deref(),
        Some("Ada Seller")
    );
    assert_eq!(
        store.lead(theirs).unwrap().owner.as_deref(),
        Some("Ada Seller")
    );
    assert_eq!(store.lead(named).unwrap().owner.as_deref(), Some("Bo"));
    assert_eq!(
        store.status_changes(theirs).unwrap()[0].by.as_deref(),
        Some("Ada Seller")
    );
    store
        .change_status(theirs, Some(Status::Qualified), Status::Won, now, None)
        .unwrap();
    assert_eq!(
        store.status_changes(theirs).unwrap()[1].by.as_deref(),
        Some("Ada Seller")
    );
    let owned_by = |owner: &str| {
        let query = LeadQuery {
            owner: Some(owner.into()),
            ..LeadQuery::default()
        };
        let leads = store.leads(&query).unwrap();
        leads.iter().map(|lead| lead.id).collect::<Vec<_>>()
    };
    assert_eq!(owned_by("ADA SELLER"), [theirs]);
    assert_eq!(owned_by("bo"), [named]);
    assert_eq!(owned_by("nobody"), Vec::<i64>::new());
    // A store acting as nobody (a library's own use) names nobody.
    store.act_as(None);
    store
        .change_status(named, Some(Status::New), Status::Contacted, now, None)
        .unwrap();
    let changes = store.status_changes(named).unwrap();
    assert_eq!(changes.last().unwrap().by, None);
}

/// A large import (beyond what an engine may hold back before writing: PostgreSQL sends
/// its new leads 10,000 at a time) finds duplicates of leads written and of leads not yet
/// written, by email and by phone, updates one of each, and keeps every lead and move.
pub fn a_large_import_finds_duplicates_on_both_sides_of_what_is_written(store: &Store) {
    let now = DateTime::default();
    let many = 10_005;
    let qualified = |i: usize| Lead {
        status: Some(Status::Qualified),
        ..lead(Some(&format!("p{i}@example.com")), Some(&format!("X{i}")))
    };
    let (first, found) = store
        .import("big", now, |importer| {
            let first = importer.create(&qualified(0))?;
            for i in 1..many {
                importer.create(&qualified(i))?;
            }
            let found = [
                importer.duplicate_of(&lead(Some("P1@example.com"), None))?,
                importer.duplicate_of(&lead(Some("p10004@EXAMPLE.com"), None))?,
                importer.duplicate_of(&lead(None, Some("X10003")))?,
                importer.duplicate_of(&lead(Some("nobody@example.com"), None))?,
            ];
            let mut last = importer.store()?.lead(first + 10_004)?;
            last.notes = Some("updated while the rest waited".into());
            importer.update(&last, Status::Qualified, now)?;
            // A lead of this import whose email an update changed is found by its new
            // email, and no longer by its old one.
            let mut moved = importer.store()?.lead(first + 2)?;
            moved.email = Some("moved@example.com".into());
            importer.update(&moved, Status::Qualified, now)?;
            let after_move = [
                importer.duplicate_of(&lead(Some("p2@example.com"), None))?,
                importer.duplicate_of(&lead(Some("MOVED@example.com"), None))?,
                importer.duplicate_of(&lead(Some("p3@example.com"), None))?,
            ];
            assert_eq!(
                after_move,
                [
                    None,
                    Some((first + 2, Same::Email)),
                    Some((first + 3, Same::Email))
                ]
            );
            let by_phone = Lead {
                phone: Some("+1 555 0199".into()),
                ..lead(None, None)
            };
            let phoned = importer.create(&by_phone)?;
            let again = importer.duplicate_of(&Lead {
                phone: Some("+1 (555) 0199".into()),
                ..lead(None, None)
            })?;
            assert_eq!(again.map(|(id, _)| id), Some(phoned));
            Ok(((first, found), true))
        })
        .unwrap();
    assert_eq!(
        found,
        [
            Some((first + 1, Same::Email)),
            Some((first + 10_004, Same::Email)),
            Some((first + 10_003, Same::ExternalId)),
            None
        ]
    );
    let kept = store.lead(first + 10_004).unwrap();
    assert_eq!(kept.notes.as_deref(), Some("updated while the rest waited"));
    assert_eq!(kept.email.as_deref(), Some("p10004@example.com"));
    // Each qualified arrival has its move, once.
    assert_eq!(store.status_changes(first + 10_000).unwrap().len(), 1);
    assert_eq!(add(store, "After"), first + many as i64 + 1);
}

/// An import into an empty database sets checks aside while it writes (on PostgreSQL
/// the foreign keys of leads and their moves, and the moves' indexes): every one is back
/// once the import is saved.
pub fn an_import_into_an_empty_database_gives_back_every_rule_it_set_aside(store: &Store) {
    let now = DateTime::default();
    let first = store
        .import("first", now, |importer| {
            let mut first = 0;
            for i in 0..3 {
                let id = importer.create(&Lead {
                    status: Some(Status::Qualified),
                    ..lead(Some(&format!("q{i}@example.com")), None)
                })?;
                if i == 0 {
                    first = id;
                }
            }
            Ok((first, true))
        })
        .unwrap();
    assert_eq!(store.status_changes(first + 1).unwrap().len(), 1);
    // A lead's moves go with it.
    store.write(|s| s.delete_lead(first + 1)).unwrap();
    assert!(store.status_changes(first + 1).unwrap().is_empty());
    assert_eq!(store.status_changes(first + 2).unwrap().len(), 1);
    // A move of no lead is refused.
    let orphan = store.write(|s| s.change_status(first + 100, None, Status::Contacted, now, None));
    assert!(orphan.is_err(), "a move of lead {} was kept", first + 100);
}
