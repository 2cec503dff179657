//! What the store keeps besides leads: settings, the scoring profile and its rules, mail
//! digests, spend and money, the learned model, qualification answers, attribute names;
//! and transactions (a write lands whole or not at all).
use chrono::Duration;

use super::{add, at, exit_code, person, START};
use crate::learning::{learn, ActivityCounts, Example, Facts, Learning, SavedModel};
use crate::model::{ActivityKind, Answer, Lead, Qualification, Status};
use crate::scoring::rules::{Op, Rule};
use crate::scoring::{Part, Profile};
use crate::store::{NewActivity, Spend, Store};

pub fn settings_are_set_replaced_and_deleted(store: &Store) {
    assert_eq!(store.setting("cold_after").unwrap(), None);
    store.set_setting("cold_after", "2w").unwrap();
    store
        .set_setting("own_addresses", "me@example.com, «moi»@exemple.fr")
        .unwrap();
    store.set_setting("cold_after", "3w").unwrap();
    assert_eq!(store.setting("cold_after").unwrap().as_deref(), Some("3w"));
    assert_eq!(
        store.setting("own_addresses").unwrap().as_deref(),
        Some("me@example.com, «moi»@exemple.fr")
    );
    // Keys are exact: no case folding.
    assert_eq!(store.setting("Cold_After").unwrap(), None);
    store.delete_setting("cold_after").unwrap();
    store.delete_setting("never_set").unwrap();
    assert_eq!(store.setting("cold_after").unwrap(), None);
    store.set_setting("empty", "").unwrap();
    assert_eq!(store.setting("empty").unwrap().as_deref(), Some(""));
}

pub fn the_profile_and_its_rules_round_trip(store: &Store) {
    assert_eq!(store.profile().unwrap(), Profile::default());
    let mut profile = Profile {
        industries: vec!["software".into(), "fintech".into()],
        size_min: 10,
        size_max: 500,
        weight_fit: 0.5,
        half_life_days: 21.5,
        last_rule_id: 3,
        ..Profile::default()
    };
    profile.source_points.insert("trade_show".into(), 12.5);
    profile.rules = vec![
        Rule {
            id: 1,
            subject: "Total Time Spent on Website".into(),
            op: Op::Ge,
            value: "600".into(),
            axis: Part::Engagement,
            points: 15.0,
        },
        Rule {
            id: 3,
            subject: "industry".into(),
            op: Op::Contains,
            value: "«soft» \"ware\"".into(),
            axis: Part::Fit,
            points: -7.25,
        },
    ];
    store.save_profile(&profile).unwrap();
    assert_eq!(store.profile().unwrap(), profile);
    assert_eq!(store.profile().unwrap().next_rule_id(), 4);
    profile.rules.clear();
    store.save_profile(&profile).unwrap();
    assert_eq!(store.profile().unwrap().rules, []);
    assert_eq!(store.profile().unwrap().next_rule_id(), 4);
}

/// `write` and `import` are all or nothing; `write_then_discard` (a dry run) sees its own
/// changes and leaves none.
pub fn a_write_lands_whole_or_not_at_all(store: &Store) {
    let failed: anyhow::Result<()> = store.write(|s| {
        s.insert_lead(&person("Ada", None))?;
        s.set_setting("half", "done")?;
        Err(crate::error::not_found("no lead with id 9"))
    });
    assert_eq!(exit_code(&failed.unwrap_err()), 3);
    assert_eq!(store.count_leads().unwrap(), 0);
    assert_eq!(store.setting("half").unwrap(), None);
    let seen = store
        .write_then_discard(|s| {
            s.insert_lead(&person("Bo", None))?;
            s.count_leads()
        })
        .unwrap();
    assert_eq!(seen, 1);
    assert_eq!(store.count_leads().unwrap(), 0);
    let id = store.write(|s| s.insert_lead(&person("Cy", None))).unwrap();
    assert_eq!(
        store
            .snapshot(|s| s.lead(id))
            .unwrap()
            .first_name
            .as_deref(),
        Some("Cy")
    );
    assert_eq!(store.try_write(|s| s.count_leads()).unwrap(), Some(1));
}

/// Each message is logged once, known by its digest alone.
pub fn each_mail_message_is_remembered_once(store: &Store) {
    let digest = "5d41402abc4b2a76b9719d911017c592";
    assert!(!store.mail_logged(digest).unwrap());
    // A dry run remembers nothing.
    assert!(store
        .write_then_discard(|s| s.remember_mail(digest, at(START)))
        .unwrap());
    assert!(!store.mail_logged(digest).unwrap());
    // Remembering says whether the message was new.
    assert!(store.write(|s| s.remember_mail(digest, at(START))).unwrap());
    assert!(!store
        .write(|s| s.remember_mail(digest, at("2026-03-02T00:00:00Z")))
        .unwrap());
    assert!(store.mail_logged(digest).unwrap());
    assert!(!store.mail_logged(&digest.to_uppercase()).unwrap());
    assert!(!store
        .mail_logged("7d793037a0760186574b0282f2f435e7")
        .unwrap());
}

/// What a store writes itself leaves its data version as it was (only another writer's
/// commit moves it: a long import keeps what it looked up until then).
pub fn a_stores_own_writes_leave_its_data_version(store: &Store) {
    let version = store.data_version().unwrap();
    store
        .write(|s| s.insert_lead(&person("Ada", None)))
        .unwrap();
    store.set_setting("cold_after", "2w").unwrap();
    assert_eq!(store.data_version().unwrap(), version);
}

/// Preparing for many writes changes how fast they go, not what they do.
pub fn many_writes_land_as_any_write(store: &Store) {
    store.prepare_for_many_writes(32).unwrap();
    let ids: Vec<i64> = store
        .write(|s| {
            (0..500)
                .map(|n| s.insert_lead(&person(&format!("P{n}"), None)))
                .collect()
        })
        .unwrap();
    assert_eq!(store.count_leads().unwrap(), 500);
    assert_eq!(
        store.lead(ids[499]).unwrap().first_name.as_deref(),
        Some("P499")
    );
}

fn spend(source: &str, amount: f64, on: &str) -> Spend {
    Spend {
        id: 0,
        source: source.into(),
        detail: None,
        amount,
        on: at(on),
        note: None,
    }
}

pub fn spend_is_listed_by_date_and_selected_by_period(store: &Store) {
    let now = at("2026-03-01T00:00:00Z");
    let late = store
        .add_spend(&spend("webinar", 0.0, "2026-02-10T00:00:00Z"), now)
        .unwrap();
    let early = store
        .add_spend(
            &Spend {
                detail: Some("Expo 2026".into()),
                note: Some("booth and «flights»".into()),
                ..spend("trade_show", 5000.25, "2026-01-10T00:00:00Z")
            },
            now,
        )
        .unwrap();
    assert_eq!(
        store.spends().unwrap(),
        [
            Spend {
                id: early,
                detail: Some("Expo 2026".into()),
                note: Some("booth and «flights»".into()),
                ..spend("trade_show", 5000.25, "2026-01-10T00:00:00Z")
            },
            Spend {
                id: late,
                ..spend("webinar", 0.0, "2026-02-10T00:00:00Z")
            },
        ]
    );
    let february = store
        .spends_between(
            Some(at("2026-02-01T00:00:00Z")),
            Some(at("2026-03-01T00:00:00Z")),
        )
        .unwrap();
    assert_eq!(february.len(), 1);
    assert_eq!(february[0].source, "webinar");
    // Since is inclusive, until is not.
    let until = store
        .spends_between(None, Some(at("2026-02-10T00:00:00Z")))
        .unwrap();
    assert_eq!(until.len(), 1);
    assert_eq!(until[0].id, early);
    assert_eq!(store.sources_in_use().unwrap(), ["trade_show", "webinar"]);
    store.delete_spend(early).unwrap();
    assert_eq!(exit_code(&store.delete_spend(early).unwrap_err()), 3);
    assert!(store.has_money().unwrap());
    // Its id is not given again.
    store.delete_spend(late).unwrap();
    let next = store
        .add_spend(&spend("webinar", 10.0, "2026-02-11T00:00:00Z"), now)
        .unwrap();
    assert!(next > early && next > late, "{next}");
}

pub fn the_currency_and_deal_values_are_kept(store: &Store) {
    assert_eq!(store.currency().unwrap(), None);
    assert!(!store.has_money().unwrap());
    store.set_currency(Some("EUR")).unwrap();
    assert_eq!(store.currency().unwrap().as_deref(), Some("EUR"));
    store.set_currency(None).unwrap();
    assert_eq!(store.currency().unwrap(), None);
    let lead = store
        .insert_lead(&Lead {
            source: Some("referral".into()),
            ..person("Ada", None)
        })
        .unwrap();
    let closed = store
        .insert_lead(&Lead {
            status: Some(Status::Won),
            ..person("Bo", None)
        })
        .unwrap();
    store.set_deal_value(lead, Some(18000.5)).unwrap();
    store.set_deal_value(closed, Some(500.0)).unwrap();
    assert_eq!(store.lead(lead).unwrap().deal_value, Some(18000.5));
    assert!(store.has_money().unwrap());
    assert!(store.has_open_deal_values().unwrap());
    assert_eq!(store.open_deal_values().unwrap(), [18000.5]);
    store.set_deal_value(lead, None).unwrap();
    assert_eq!(store.lead(lead).unwrap().deal_value, None);
    assert!(!store.has_open_deal_values().unwrap());
    assert_eq!(store.sources_in_use().unwrap(), ["referral"]);
}

/// Twenty closed leads, half of them won, that came by two sources.
fn examples() -> Vec<Example> {
    (1..=20)
        .map(|id| Example {
            id,
            won: id % 2 == 0,
            facts: Facts {
                categories: vec![(
                    "source",
                    if id % 4 == 0 { "referral" } else { "web_form" }.into(),
                )],
                ..Facts::default()
            },
            score: 0.0,
        })
        .collect()
}

pub fn the_learned_model_and_probabilities_round_trip(store: &Store) {
    assert_eq!(store.win_model().unwrap(), None);
    assert_eq!(store.win_model_summary().unwrap(), None);
    assert!(!store.model_ranks_better().unwrap());
    let Learning::Learned(learned) = learn(&examples()) else {
        panic!("twenty closed leads are enough to learn from");
    };
    let open = add(store, "Ada");
    let other = add(store, "Bo");
    let saved = SavedModel {
        learned_at: at(START),
        closed: 20,
        auc: Some(0.75),
        model: learned.model.clone(),
    };
    store
        .write(|s| s.save_win_model(&saved, &[(open, 0.625), (other, 0.125)]))
        .unwrap();
    assert_eq!(store.win_model().unwrap(), Some(saved.clone()));
    // Its summary, read without the model, says the same of it.
    assert_eq!(store.win_model_summary().unwrap(), Some(saved.summary()));
    assert_eq!(store.lead(open).unwrap().win_probability, Some(0.625));
    // A model learned again replaces the first; a lead it does not score has none.
    let again = SavedModel {
        learned_at: at("2026-03-02T00:00:00Z"),
        auc: None,
        ..saved
    };
    store
        .write(|s| s.save_win_model(&again, &[(other, 0.5)]))
        .unwrap();
    assert_eq!(store.win_model().unwrap(), Some(again));
    assert_eq!(store.lead(open).unwrap().win_probability, None);
    assert_eq!(store.lead(other).unwrap().win_probability, Some(0.5));
    // The model ranks better only when its AUC beats the rule score's.
    store.set_score_auc(Some(0.6)).unwrap();
    assert!(!store.model_ranks_better().unwrap());
    store
        .write(|s| {
            s.save_win_model(
                &SavedModel {
                    auc: Some(0.7),
                    ..s.win_model()?.unwrap()
                },
                &[],
            )
        })
        .unwrap();
    assert!(store.model_ranks_better().unwrap());
    store.set_score_auc(None).unwrap();
    assert!(!store.model_ranks_better().unwrap());
}

pub fn closed_leads_count_activities_only_up_to_their_closing(store: &Store) {
    let lead = |name: &str| {
        store
            .insert_lead(&Lead {
                created_at: Some(at("2026-01-01T00:00:00Z")),
                updated_at: Some(at("2026-01-01T00:00:00Z")),
                ..person(name, None)
            })
            .unwrap()
    };
    let won = lead("Ada");
    let open = lead("Bo");
    let forgotten = lead("Cy");
    let closed_at = at("2026-02-01T00:00:00Z");
    for days in [-2, -1, 3] {
        store
            .add_activity(&NewActivity::new(
                won,
                ActivityKind::Call,
                closed_at + Duration::days(days),
            ))
            .unwrap();
    }
    store
        .add_activity(&NewActivity::new(open, ActivityKind::Meeting, closed_at))
        .unwrap();
    store
        .change_status(won, Some(Status::New), Status::Won, closed_at, None)
        .unwrap();
    store
        .change_status(forgotten, Some(Status::New), Status::Lost, closed_at, None)
        .unwrap();
    store
        .write(|s| s.forget_lead(forgotten, closed_at))
        .unwrap();

    let mut closed = Vec::new();
    store
        .for_each_closed_lead(|lead, counts| closed.push((lead.id, counts)))
        .unwrap();
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0].0, won);
    assert_eq!(
        closed[0].1.get(ActivityKind::Call),
        2,
        "the call after the win is left out"
    );
    let mut in_february = Vec::new();
    let february = crate::store::Period {
        since: Some(closed_at),
        until: Some(at("2026-03-01T00:00:00Z")),
    };
    store
        .for_each_lead_closed_in(february, |lead, _| in_february.push(lead.id))
        .unwrap();
    assert_eq!(in_february, [won]);
    let mut in_march = Vec::new();
    let march = crate::store::Period {
        since: Some(at("2026-03-01T00:00:00Z")),
        until: None,
    };
    store
        .for_each_lead_closed_in(march, |lead, _| in_march.push(lead.id))
        .unwrap();
    assert_eq!(in_march, Vec::<i64>::new());
    // The same leads, read as their scores and outcomes only.
    let score = store.lead(won).unwrap().scores.score;
    assert_eq!(store.closed_scores_in(february).unwrap(), [(score, true)]);
    assert_eq!(store.closed_scores_in(march).unwrap(), []);
    assert_eq!(
        store
            .closed_scores_in(crate::store::Period::default())
            .unwrap(),
        [(score, true)]
    );

    let mut opened = Vec::new();
    store
        .for_each_open_lead(|lead, counts| opened.push((lead.id, counts)))
        .unwrap();
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0].0, open);
    assert_eq!(opened[0].1.get(ActivityKind::Meeting), 1);
    assert_eq!(
        store.activity_counts(won).unwrap().get(ActivityKind::Call),
        3
    );
    assert_eq!(
        store.activity_counts(99).unwrap(),
        ActivityCounts::default()
    );
    assert_eq!(store.count_closed_leads().unwrap(), 1);
}

pub fn answers_are_kept_in_order_and_can_be_forgotten(store: &Store) {
    let id = add(store, "Ada");
    let day = |day| at(&format!("2026-03-{day:02}T09:00:00Z"));
    let first = Qualification {
        at: day(2),
        budget: Answer::Unknown,
        authority: Answer::Yes,
        need: None,
        timeline: None,
    };
    let second = Qualification {
        at: day(5),
        budget: Answer::Yes,
        authority: Answer::No,
        need: Some("a CRM".into()),
        timeline: Some(day(30)),
    };
    store.add_qualification(id, &second).unwrap();
    store.add_qualification(id, &first).unwrap();
    assert_eq!(store.qualifications(id).unwrap(), vec![first, second]);
    store.forget_qualifications(id).unwrap();
    assert!(store.qualifications(id).unwrap().is_empty());
}

pub fn attribute_names_of_every_lead_once(store: &Store) {
    assert_eq!(store.attribute_names().unwrap(), Vec::<String>::new());
    for attributes in [
        &[("TotalVisits", "3"), ("Lead Origin", "API")][..],
        &[("TotalVisits", "5")],
        &[],
    ] {
        let mut lead = person("Ada", None);
        for (key, value) in attributes {
            lead.attributes.insert(key.to_string(), value.to_string());
        }
        store.insert_lead(&lead).unwrap();
    }
    assert_eq!(
        store.attribute_names().unwrap(),
        vec!["Lead Origin", "TotalVisits"]
    );
}

/// `db copy`: everything a database holds comes across as stored (ids, the highest id
/// given, activities, settings, forgotten digests), into an empty database only, both
/// ways between this engine and SQLite.
pub fn a_copy_holds_everything_and_goes_only_into_an_empty_database(store: &Store) {
    use crate::model::ActivityKind;
    let first = Store::open_in_memory().unwrap();
    let ada = first
        .insert_lead(&super::person("Ada «Lovelace»", Some("Ada@Example.com")))
        .unwrap();
    let bob = first
        .insert_lead(&super::person("Bob", Some("bob@example.com")))
        .unwrap();
    let gone = add(&first, "Gone");
    first.delete_lead(gone).unwrap();
    first
        .add_activity(&NewActivity {
            note: Some("asked for \"pricing\", 3 seats\nthen left"),
            by: Some("sam"),
            ..NewActivity::new(ada, ActivityKind::Call, at("2026-03-02T09:00:00Z"))
        })
        .unwrap();
    first
        .set_setting("own_addresses", "me@example.com")
        .unwrap();
    first.forget_lead(bob, at(START)).unwrap();
    assert!(store.holds_nothing().unwrap());
    let copied = first.copy_into(store).unwrap();
    let count = |table: &str| copied.iter().find(|c| c.table.name == table).unwrap().rows;
    assert_eq!(
        (count("leads"), count("activities"), count("forgotten")),
        (2, 1, 1)
    );
    assert!(!store.holds_nothing().unwrap());
    assert!(store.is_forgotten_email("BOB@example.com").unwrap());
    assert_eq!(store.lead(ada).unwrap(), first.lead(ada).unwrap());
    assert_eq!(store.lead(bob).unwrap(), first.lead(bob).unwrap());
    assert_eq!(
        store.activities(ada).unwrap(),
        first.activities(ada).unwrap()
    );
    assert_eq!(
        store.setting("own_addresses").unwrap().as_deref(),
        Some("me@example.com")
    );
    // The deleted lead's id stays given, in the copy too.
    assert_eq!(add(store, "Next"), gone + 1);
    // And back: the copy of the copy holds the same.
    let back = Store::open_in_memory().unwrap();
    store.copy_into(&back).unwrap();
    assert_eq!(back.lead(ada).unwrap(), first.lead(ada).unwrap());
    assert_eq!(
        back.activities(ada).unwrap(),
        first.activities(ada).unwrap()
    );
    // Never into a database that holds anything: exit 4, nothing written.
    let err = first.copy_into(store).unwrap_err();
    assert_eq!(exit_code(&err), 4);
    assert_eq!(store.lead(ada).unwrap(), first.lead(ada).unwrap());
}
