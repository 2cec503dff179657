//! Leads: every field kept, emails found without case, ids never given twice, and the
//! lists (filters, searches, orders, limit).
use std::collections::BTreeMap;

use super::{add, at, exit_code, person, START};
use crate::model::{ActivityKind, Answer, Grade, Lead, LeadOrder, Status, StoredScores};
use crate::store::{Identity, LeadQuery, NewActivity, NewFollowUp, Store};

/// A lead with every field the store is given set to something other than its default,
/// with text beyond ASCII, quotes and separators where text goes.
fn every_field() -> Lead {
    let mut attributes = BTreeMap::new();
    attributes.insert("Lead Origin".to_string(), "API; \"quoted\"".to_string());
    attributes.insert("Total Visits".to_string(), "3".to_string());
    Lead {
        id: 0,
        first_name: Some("Éva".into()),
        last_name: Some("O'Brien-Müller".into()),
        email: Some("Eva.OBrien@Example.com".into()),
        phone: Some("+44 20 7946 0958".into()),
        company: Some("Ünal & Söhne, Ltd".into()),
        title: Some("Head of Operations".into()),
        industry: Some("software".into()),
        company_size: Some(250),
        country: Some("GB".into()),
        website: Some("https://unal.example/".into()),
        source: Some("trade_show".into()),
        source_detail: Some("Expo 2026".into()),
        status: Some(Status::Qualified),
        tags: vec!["vip".into(), "a;b".into(), "élan".into()],
        notes: Some("line one\nline two, with a tab\tand '%_'".into()),
        attributes,
        external_id: Some("CRM-42".into()),
        incentivized: true,
        aware: true,
        do_not_contact: true,
        created_at: Some(at(START)),
        updated_at: Some(at("2026-03-02T10:30:15Z")),
        budget: Answer::Yes,
        authority: Answer::No,
        need: Some("a CRM".into()),
        timeline: Some(at("2026-06-30T00:00:00Z")),
        scores: StoredScores {
            fit: 31,
            engagement: 22,
            readiness: 13,
            score: 66,
            grade: Grade::B,
        },
        win_probability: Some(0.625),
        deal_value: Some(1250.5),
        owner: Some("Zoë Seller".into()),
        // Kept in step by the store from follow-ups, activities and `forget`, never given.
        next_follow_up: None,
        last_touch_at: None,
        last_answer_at: None,
        forgotten: false,
    }
}

pub fn every_field_round_trips(store: &Store) {
    let given = every_field();
    let id = store.insert_lead(&given).unwrap();
    assert_eq!(store.lead(id).unwrap(), Lead { id, ..given });
    assert_eq!(store.count_leads().unwrap(), 1);
}

/// What an engine's types could change: empty text is not NULL, an amount keeps every
/// digit of an f64, a company size beyond 32 bits fits, a time keeps whole seconds only.
pub fn empty_texts_big_numbers_and_times_round_trip(store: &Store) {
    let given = Lead {
        first_name: Some(String::new()),
        notes: Some(String::new()),
        company_size: Some(3_000_000_000),
        deal_value: Some(1_234_567.891_234_5),
        win_probability: Some(0.123_456_789_012_345_6),
        created_at: Some(at(START) + chrono::Duration::milliseconds(999)),
        updated_at: Some(at(START)),
        ..Lead::default()
    };
    let id = store.insert_lead(&given).unwrap();
    assert_eq!(
        store.lead(id).unwrap(),
        Lead {
            id,
            status: Some(Status::New),
            created_at: Some(at(START)),
            ..given
        }
    );
}

pub fn an_update_writes_every_field(store: &Store) {
    let id = store
        .insert_lead(&person("Ada", Some("ada@example.com")))
        .unwrap();
    let edited = Lead {
        id,
        ..every_field()
    };
    store.update_lead(&edited).unwrap();
    assert_eq!(store.lead(id).unwrap(), edited);
    // And back: every field can be emptied again.
    let emptied = Lead {
        id,
        created_at: Some(at(START)),
        updated_at: Some(at("2026-03-03T00:00:00Z")),
        ..Lead::default()
    };
    store.update_lead(&emptied).unwrap();
    assert_eq!(
        store.lead(id).unwrap(),
        Lead {
            status: Some(Status::New),
            ..emptied
        }
    );
}

pub fn an_unknown_lead_is_not_found(store: &Store) {
    let ghost = Lead {
        id: 99,
        ..person("Ghost", None)
    };
    for result in [
        store.lead(99).map(|_| ()),
        store.update_lead(&ghost),
        store.delete_lead(99),
        store.status_of(99).map(|_| ()),
        store.batch_of(99).map(|_| ()),
        store.agenda_lead(99).map(|_| ()),
    ] {
        let err = result.unwrap_err();
        assert_eq!(exit_code(&err), 3, "{err}");
    }
}

/// A lead exists from its insert to its delete; an id never given does not.
pub fn a_lead_exists_until_it_is_deleted(store: &Store) {
    let id = add(store, "Ada");
    assert!(store.lead_exists(id).unwrap());
    assert!(!store.lead_exists(id + 1).unwrap());
    store.delete_lead(id).unwrap();
    assert!(!store.lead_exists(id).unwrap());
}

/// Email matching is decided by leads, not by an engine's collation: the same folded key
/// (Unicode lower case) on every engine, so `ÉVA@x.com` and `éva@X.COM` are one person
/// (and `add` refuses the second: exit 4), while `eva@x.com` is someone else.
pub fn emails_match_without_case_beyond_ascii(store: &Store) {
    let eva = store
        .insert_lead(&person("Éva", Some("ÉVA@x.com")))
        .unwrap();
    let jorg = store
        .insert_lead(&person("Jörg", Some("Jörg@x.example")))
        .unwrap();
    let ada = store
        .insert_lead(&person("Ada", Some("Ada@Example.com")))
        .unwrap();
    let found = |email: &str| store.lead_id_by_email(email).unwrap();
    assert_eq!(found("éva@X.COM"), Some(eva));
    assert_eq!(found("ÉVA@x.com"), Some(eva));
    assert_eq!(found("eva@x.com"), None);
    assert_eq!(found("JÖRG@x.example"), Some(jorg));
    assert_eq!(found("jörg@X.EXAMPLE"), Some(jorg));
    assert_eq!(found("örg@x.example"), None);
    assert_eq!(found("jorg@x.example"), None);
    assert_eq!(found("ada@EXAMPLE.com"), Some(ada));
    assert_eq!(found("ada@example.co"), None);
    // Two leads with one email (`add --allow-duplicate`): the first is the one found.
    let again = store
        .insert_lead(&person("Ada", Some("ADA@example.com")))
        .unwrap();
    assert!(again > ada);
    assert_eq!(found("ada@example.com"), Some(ada));
}

pub fn external_ids_match_exactly(store: &Store) {
    let first = store
        .insert_lead(&Lead {
            external_id: Some("CRM-42".into()),
            ..person("Ada", None)
        })
        .unwrap();
    assert_eq!(store.lead_id_by_external_id("CRM-42").unwrap(), Some(first));
    assert_eq!(store.lead_id_by_external_id("crm-42").unwrap(), None);
    assert_eq!(store.lead_id_by_external_id("CRM-4").unwrap(), None);
}

/// "lead 2" in a note, a script or a crontab never comes to name someone else: an id
/// is not given again after a delete, a merge or an undone import.
pub fn lead_ids_are_never_given_twice(store: &Store) {
    let first = add(store, "Ada");
    let deleted = add(store, "Bo");
    store.write(|s| s.delete_lead(deleted)).unwrap();
    assert_eq!(exit_code(&store.lead(deleted).unwrap_err()), 3);
    let after_delete = add(store, "Cy");
    assert!(after_delete > deleted, "{after_delete} reuses {deleted}");

    let merged_away = add(store, "Cy again");
    let kept = store.lead(after_delete).unwrap();
    store
        .write(|s| s.merge_leads(&kept, &[merged_away], None))
        .unwrap();
    let after_merge = add(store, "Di");
    assert!(
        after_merge > merged_away,
        "{after_merge} reuses {merged_away}"
    );

    let now = at(START);
    let (batch, imported) = store
        .import("leads.csv", now, |importer| {
            let id = importer.create(&person("Ed", Some("ed@example.com")))?;
            Ok(((importer.batch(), id), true))
        })
        .unwrap();
    store.write(|s| s.undo_batch(batch, now)).unwrap();
    let after_undo = add(store, "Flo");
    assert!(after_undo > imported, "{after_undo} reuses {imported}");
    let imported_again = store
        .import("leads.csv", now, |importer| {
            Ok((
                importer.create(&person("Ed", Some("ed@example.com")))?,
                true,
            ))
        })
        .unwrap();
    assert!(imported_again > after_undo);
    assert_eq!(
        store.lead(first).unwrap().first_name.as_deref(),
        Some("Ada")
    );
}

/// The ids a query lists, in its order.
fn ids(store: &Store, query: &LeadQuery) -> Vec<i64> {
    store.leads(query).unwrap().iter().map(|l| l.id).collect()
}

fn lead_with(store: &Store, name: &str, status: Status, source: &str, created: &str) -> i64 {
    store
        .insert_lead(&Lead {
            status: Some(status),
            source: Some(source.into()),
            created_at: Some(at(created)),
            updated_at: Some(at(created)),
            ..person(name, None)
        })
        .unwrap()
}

pub fn lists_filter_by_status_source_and_since(store: &Store) {
    let new = lead_with(
        store,
        "A",
        Status::New,
        "trade_show",
        "2026-01-01T00:00:00Z",
    );
    let won = lead_with(store, "B", Status::Won, "referral", "2026-02-01T00:00:00Z");
    let lost = lead_with(
        store,
        "C",
        Status::Lost,
        "trade_show",
        "2026-03-01T00:00:00Z",
    );
    let nurturing = lead_with(
        store,
        "D",
        Status::Nurturing,
        "web_form",
        "2026-03-02T00:00:00Z",
    );
    let by_id = |query: LeadQuery| {
        ids(
            store,
            &LeadQuery {
                order: LeadOrder::Id,
                ..query
            },
        )
    };
    assert_eq!(by_id(LeadQuery::default()), [new, won, lost, nurturing]);
    assert_eq!(
        by_id(LeadQuery {
            open_only: true,
            ..LeadQuery::default()
        }),
        [new, nurturing]
    );
    assert_eq!(
        by_id(LeadQuery {
            statuses: vec![Status::Won, Status::Lost],
            ..LeadQuery::default()
        }),
        [won, lost]
    );
    // Sources as people type them.
    assert_eq!(
        by_id(LeadQuery::default().with_sources(&["Trade Show".into()])),
        [new, lost]
    );
    assert_eq!(
        by_id(LeadQuery::default().with_sources(&["Referral".into(), "web".into()])),
        [won, nurturing]
    );
    // Since is inclusive.
    assert_eq!(
        by_id(LeadQuery {
            since: Some(at("2026-03-01T00:00:00Z")),
            ..LeadQuery::default()
        }),
        [lost, nurturing]
    );
    assert_eq!(
        by_id(LeadQuery {
            open_only: true,
            since: Some(at("2026-02-01T00:00:00Z")),
            ..LeadQuery::default().with_sources(&["trade_show".into()])
        }),
        Vec::<i64>::new()
    );
}

pub fn lists_search_tags_grades_and_scores(store: &Store) {
    let lead = |first: &str, last: &str, company: &str, score: i64, grade: Grade, tags: &[&str]| {
        let mut lead = Lead {
            last_name: Some(last.into()),
            company: Some(company.into()),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            ..person(first, None)
        };
        lead.scores.score = score;
        lead.scores.grade = grade;
        store.insert_lead(&lead).unwrap()
    };
    let ada = lead(
        "Ada",
        "Lovelace",
        "Analytical",
        80,
        Grade::A,
        &["vip", "eu"],
    );
    let jorg = lead(
        "Jörg",
        "Müller",
        "100% Widgets",
        50,
        Grade::B,
        &["eu", "élan"],
    );
    let bo = lead("Bo", "Diddley", "Guitars_R_Us", 20, Grade::D, &[]);
    let search = |text: &str| {
        let mut found = ids(
            store,
            &LeadQuery {
                order: LeadOrder::Id,
                ..LeadQuery::default()
            }
            .with_search(Some(text)),
        );
        found.sort_unstable();
        found
    };
    assert_eq!(search("ada lovelace"), [ada]);
    assert_eq!(search("ANALYT"), [ada]);
    assert_eq!(search("MÜLLER"), [jorg]);
    assert_eq!(search("jÖrg"), [jorg]);
    // `%` and `_` are text, not patterns.
    assert_eq!(search("100%"), [jorg]);
    assert_eq!(search("s_r"), [bo]);
    assert_eq!(search("%"), [jorg]);
    assert_eq!(search("   "), [ada, jorg, bo]);
    let query = |query: LeadQuery| {
        ids(
            store,
            &LeadQuery {
                order: LeadOrder::Id,
                ..query
            },
        )
    };
    assert_eq!(
        query(LeadQuery::default().with_tags(&["VIP".into()])),
        [ada]
    );
    assert_eq!(
        query(LeadQuery::default().with_tags(&["eu".into()])),
        [ada, jorg]
    );
    assert_eq!(
        query(LeadQuery::default().with_tags(&["eu".into(), "vip".into()])),
        [ada]
    );
    assert_eq!(
        query(LeadQuery {
            grades: vec![Grade::B, Grade::D],
            ..LeadQuery::default()
        }),
        [jorg, bo]
    );
    assert_eq!(
        query(LeadQuery {
            min_score: Some(50),
            ..LeadQuery::default()
        }),
        [ada, jorg]
    );
}

pub fn lists_sort_in_every_order_and_stop_at_the_limit(store: &Store) {
    let lead = |first: &str, created: &str, score: i64, win: Option<f64>, status: Status| {
        let mut lead = Lead {
            status: Some(status),
            created_at: Some(at(created)),
            updated_at: Some(at(created)),
            win_probability: win,
            ..person(first, None)
        };
        lead.scores.score = score;
        store.insert_lead(&lead).unwrap()
    };
    let open = Status::Contacted;
    let cy = lead("cy", "2026-01-03T00:00:00Z", 50, Some(0.2), open);
    let ada = lead("Ada", "2026-01-01T00:00:00Z", 50, None, open);
    let bo = lead("Bo", "2026-01-02T00:00:00Z", 90, Some(0.9), Status::Won);
    let di = lead("Di", "2026-01-02T00:00:00Z", 10, Some(0.6), open);
    // Last by name: names sort by the bytes of their lower case (SQLite's BINARY; another
    // engine must compare so too, e.g. PostgreSQL's COLLATE "C"), so a letter beyond
    // ASCII comes after z.
    let eva = lead("Éva", "2026-01-01T00:00:00Z", 0, None, Status::Lost);
    let now = at("2026-02-01T00:00:00Z");
    for (id, due) in [(ada, "2026-02-05T00:00:00Z"), (di, "2026-02-03T00:00:00Z")] {
        store
            .insert_follow_up(&NewFollowUp::new(id, at(due), ActivityKind::Call), now)
            .unwrap();
    }
    store
        .add_activity(&NewActivity::new(
            ada,
            ActivityKind::EmailSent,
            at("2026-01-20T00:00:00Z"),
        ))
        .unwrap();
    let sorted = |order: LeadOrder| {
        ids(
            store,
            &LeadQuery {
                order,
                ..LeadQuery::default()
            },
        )
    };
    // Ties are broken by id, so every engine lists the same.
    assert_eq!(sorted(LeadOrder::Score), [bo, cy, ada, di, eva]);
    assert_eq!(sorted(LeadOrder::Created), [cy, di, bo, eva, ada]);
    assert_eq!(sorted(LeadOrder::Name), [ada, bo, cy, di, eva]);
    assert_eq!(sorted(LeadOrder::FollowUp), [di, ada, cy, bo, eva]);
    // A closed lead's probability is stale: last, with those without one. Within them a
    // probability still sorts first (SQLite's NULLs are the smallest; another engine must
    // say NULLS LAST).
    assert_eq!(sorted(LeadOrder::Win), [di, cy, bo, ada, eva]);
    assert_eq!(sorted(LeadOrder::Touch), [eva, bo, di, cy, ada]);
    assert_eq!(sorted(LeadOrder::Id), [cy, ada, bo, di, eva]);
    let first_two = LeadQuery {
        limit: Some(2),
        ..LeadQuery::default()
    };
    assert_eq!(ids(store, &first_two), [bo, cy]);
    let mut streamed = Vec::new();
    store
        .for_each_lead(&first_two, |lead| {
            streamed.push(lead.id);
            Ok(())
        })
        .unwrap();
    assert_eq!(streamed, [bo, cy]);
}

/// `list --overdue`, `--stale` and `--no-next-step` are work: nobody marked
/// do-not-contact, closed (overdue) or forgotten is on them.
pub fn work_lists_leave_out_who_may_not_be_contacted(store: &Store) {
    let now = at("2026-03-10T00:00:00Z");
    let due = at("2026-03-05T00:00:00Z");
    let with_follow_up = |name: &str, status: Status, do_not_contact: bool| {
        let id = store
            .insert_lead(&Lead {
                status: Some(status),
                do_not_contact,
                ..person(name, None)
            })
            .unwrap();
        store
            .insert_follow_up(&NewFollowUp::new(id, due, ActivityKind::Call), at(START))
            .unwrap();
        id
    };
    let due_lead = with_follow_up("Ada", Status::Contacted, false);
    with_follow_up("Bo", Status::Contacted, true);
    let won = with_follow_up("Cy", Status::Won, false);
    let forgotten = with_follow_up("Di", Status::Contacted, false);
    store.write(|s| s.forget_lead(forgotten, now)).unwrap();
    let quiet = add(store, "Ed");
    let blocked = store
        .insert_lead(&Lead {
            do_not_contact: true,
            ..person("Flo", None)
        })
        .unwrap();
    let query = |query: LeadQuery| {
        ids(
            store,
            &LeadQuery {
                order: LeadOrder::Id,
                ..query
            },
        )
    };
    assert_eq!(
        query(LeadQuery {
            overdue_at: Some(now),
            ..LeadQuery::default()
        }),
        [due_lead]
    );
    assert_eq!(
        query(LeadQuery {
            overdue_at: Some(at("2026-03-04T00:00:00Z")),
            ..LeadQuery::default()
        }),
        Vec::<i64>::new()
    );
    // Untouched since: created before and never touched (closed leads too).
    assert_eq!(
        query(LeadQuery {
            untouched_since: Some(now),
            ..LeadQuery::default()
        }),
        [due_lead, won, quiet]
    );
    assert_eq!(
        query(LeadQuery {
            no_next_step: true,
            ..LeadQuery::default()
        }),
        [quiet]
    );
    assert!(store.lead(blocked).unwrap().do_not_contact);
}

pub fn identities_leave_out_forgotten_people(store: &Store) {
    let ada = store
        .insert_lead(&Lead {
            last_name: Some("Lovelace".into()),
            company: Some("Analytical".into()),
            phone: Some("+44 20 7946 0958".into()),
            ..person("Ada", Some("ada@example.com"))
        })
        .unwrap();
    let gone = store
        .insert_lead(&person("Bo", Some("bo@example.com")))
        .unwrap();
    store.write(|s| s.forget_lead(gone, at(START))).unwrap();
    let imported = store
        .import("more.csv", at(START), |importer| {
            Ok((
                (importer.create(&person("Cy", None))?, importer.batch()),
                true,
            ))
        })
        .unwrap();
    let mut seen = Vec::new();
    store
        .for_each_identity(|identity| seen.push(identity))
        .unwrap();
    assert_eq!(
        seen,
        [
            Identity {
                id: ada,
                first_name: Some("Ada".into()),
                last_name: Some("Lovelace".into()),
                company: Some("Analytical".into()),
                email: Some("ada@example.com".into()),
                phone: Some("+44 20 7946 0958".into()),
                batch: None,
            },
            Identity {
                id: imported.0,
                first_name: Some("Cy".into()),
                batch: Some(imported.1),
                ..Identity::default()
            },
        ]
    );
    assert_eq!(store.batch_of(imported.0).unwrap(), Some(imported.1));
}

pub fn scores_are_saved_and_rescored(store: &Store) {
    let open = add(store, "Ada");
    let timed = store
        .insert_lead(&Lead {
            timeline: Some(at("2026-05-01T00:00:00Z")),
            ..person("Bo", None)
        })
        .unwrap();
    let closed = store
        .insert_lead(&Lead {
            status: Some(Status::Lost),
            ..person("Cy", None)
        })
        .unwrap();
    store
        .add_activity(&NewActivity::new(open, ActivityKind::Call, at(START)))
        .unwrap();
    let scores = StoredScores {
        fit: 10,
        engagement: 20,
        readiness: 30,
        score: 60,
        grade: Grade::B,
    };
    store.save_scores(closed, &scores).unwrap();
    assert_eq!(store.lead(closed).unwrap().scores, scores);
    let untimed = add(store, "Di");

    // Only the leads whose scores move with time: activities or a timeline.
    let mut seen = Vec::new();
    let changed = store
        .rescore_open_leads(true, |lead, activities| {
            seen.push((lead.id, activities.len()));
            StoredScores {
                score: 5,
                ..StoredScores::default()
            }
        })
        .unwrap();
    assert_eq!(seen, [(open, 1), (timed, 0)]);
    assert_eq!(changed, 2);
    // Every open lead; only those whose scores differ count as changed.
    let changed = store
        .rescore_open_leads(false, |_, _| StoredScores {
            score: 5,
            ..StoredScores::default()
        })
        .unwrap();
    assert_eq!(changed, 1);
    assert_eq!(store.lead(untimed).unwrap().scores.score, 5);
    assert_eq!(store.lead(closed).unwrap().scores, scores);
}
