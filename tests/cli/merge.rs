//! `merge KEEP OTHER...`: two records of one person become one, by the rules of DESIGN's
//! Merging; the others are deleted and their ids never given again.
use serde_json::{json, Value};

use crate::harness::*;

fn merge(env: &Env, args: &[&str]) -> Run {
    let mut full = vec!["merge"];
    full.extend_from_slice(args);
    env.run(&full)
}

fn all_leads(env: &Env) -> Vec<Value> {
    match env
        .run(&["list", "--all", "--format", "json"])
        .success()
        .json()
    {
        Value::Array(leads) => leads,
        other => panic!("expected an array, got {other}"),
    }
}

fn ids(env: &Env) -> Vec<i64> {
    let mut ids: Vec<i64> = all_leads(env)
        .iter()
        .map(|lead| lead["id"].as_i64().expect("an id"))
        .collect();
    ids.sort_unstable();
    ids
}

#[test]
fn keep_wins_its_empty_fields_fill_in_order_and_the_rest_is_kept_aside() {
    let env = Env::new();
    let keep = env.add(&[
        "Ada",
        "--email",
        "ada@example.com",
        "--phone",
        "+44 20 7946 0958",
        "--tag",
        "vip",
        "--note",
        "Met at the expo",
    ]);
    env.run(&["edit", "1", "--attr", "Plan=Pro", "--attr", "Region=EMEA"])
        .success();
    env.add(&[
        "Augusta Lovelace",
        "--email",
        "ADA@example.com",
        "--allow-duplicate",
        "--phone",
        "020 7946 0958",
        "--company",
        "Analytical Engines",
        "--title",
        "CTO",
        "--tag",
        "Newsletter",
        "--tag",
        "VIP",
        "--note",
        "Asked for a demo",
    ]);
    env.run(&["edit", "2", "--attr", "Plan=Free", "--attr", "Seats=12"])
        .success();
    env.add(&[
        "Ada Byron",
        "--email",
        "countess@engines.example",
        "--phone",
        "+1 555 014 2977",
        "--title",
        "CEO",
        "--size",
        "40",
    ]);

    merge(&env, &[&keep.to_string(), "2", "3", "--force"])
        .success()
        .stdout_is("")
        .stderr_is(
            "merged leads 2 (Augusta Lovelace), 3 (Ada Byron) into lead 1 (Ada): moved 2 \
             status changes\n",
        );
    let lead = env.show(keep);
    let fields = [
        "first_name",
        "last_name",
        "email",
        "phone",
        "company",
        "title",
        "company_size",
        "tags",
        "notes",
        "attributes",
    ];
    let got: Value = fields
        .iter()
        .map(|f| (f.to_string(), lead[f].clone()))
        .collect();
    assert_eq!(
        got,
        json!({
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.com",
            "phone": "+44 20 7946 0958",
            "company": "Analytical Engines",
            "title": "CTO",
            "company_size": 40,
            "tags": ["vip", "newsletter"],
            "notes": "Met at the expo\nAsked for a demo",
            "attributes": {
                "Plan": "Pro",
                "Plan (lead 2)": "Free",
                "Region": "EMEA",
                "Seats": "12",
                "email 2": "countess@engines.example",
                "phone 2": "+1 555 014 2977",
            },
        })
    );
    assert_eq!(ids(&env), [1]);
}

#[test]
fn the_status_furthest_along_wins_and_the_deal_value_moves_over() {
    let env = Env::new();
    let cases = [
        ("qualified", "won", "won"),
        ("lost", "disqualified", "lost"),
        ("won", "lost", "won"),
        ("nurturing", "contacted", "nurturing"),
        ("qualified", "disqualified", "disqualified"),
    ];
    for (n, (kept, other, expected)) in cases.iter().enumerate() {
        let keep = env.add(&[&format!("Keep {n}")]);
        let gone = env.add(&[&format!("Other {n}")]);
        env.run(&["status", &keep.to_string(), kept]).success();
        let mut status = vec!["status".to_string(), gone.to_string(), other.to_string()];
        if *other == "won" {
            status.extend(["--value".to_string(), "5000".to_string()]);
        }
        let status: Vec<&str> = status.iter().map(String::as_str).collect();
        env.run(&status).success();
        merge(&env, &[&keep.to_string(), &gone.to_string(), "--force"]).success();
        let lead = env.show(keep);
        assert_eq!(lead["status"], *expected, "{kept} + {other}");
        let value = if *other == "won" {
            json!(5000.0)
        } else {
            json!(null)
        };
        assert_eq!(lead["deal_value"], value, "{kept} + {other}");
    }
}

#[test]
fn activities_follow_ups_history_and_answers_move_to_the_lead_kept() {
    let env = Env::new();
    let keep = env.add(&["Ada Lovelace", "--email", "ada@example.com"]);
    let other = env.add(&["Ada Lovelace", "--phone", "+44 20 7946 0958"]);
    env.run_at(
        "2026-02-20T10:00:00Z",
        &["log", "2", "call", "--note", "liked the demo"],
    )
    .success();
    env.run(&[
        "follow-up",
        "add",
        "2",
        "--due",
        "2026-03-05 10:00",
        "--note",
        "send the quote",
    ])
    .success();
    env.run(&[
        "qualify",
        "2",
        "--budget",
        "yes",
        "--authority",
        "yes",
        "--status",
        "qualified",
    ])
    .success();
    env.run(&["log", "1", "email_sent"]).success();

    merge(&env, &["1", &other.to_string(), "--force"])
        .success()
        .stderr_has(
            "merged lead 2 (Ada Lovelace) into lead 1 (Ada Lovelace): moved 1 activity, \
             1 follow-up, ",
        );
    let lead = env.show(keep);
    let activities: Vec<(&str, &str)> = lead["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["kind"].as_str().unwrap(), a["at"].as_str().unwrap()))
        .collect();
    assert_eq!(
        activities,
        [
            ("call", "2026-02-20T10:00:00Z"),
            ("email_sent", "2026-03-01T09:00:00Z")
        ]
    );
    assert_eq!(lead["follow_ups"][0]["note"], "send the quote");
    assert_eq!(lead["next_follow_up"], "2026-03-05T10:00:00Z");
    assert_eq!(lead["last_touch_at"], "2026-03-01T09:00:00Z");
    assert_eq!(lead["budget"], "yes");
    assert_eq!(lead["authority"], "yes");
    assert_eq!(lead["qualifications"].as_array().unwrap().len(), 1);
    let moves: Vec<(Value, Value)> = lead["status_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["from"].clone(), m["to"].clone()))
        .collect();
    assert!(
        moves.contains(&(json!("new"), json!("contacted"))),
        "{moves:?}"
    );
    assert_eq!(lead["phone"], "+44 20 7946 0958");
    // The score counts the call that moved over.
    assert!(lead["engagement"].as_i64().unwrap() > 0, "{lead}");
    let overdue = env
        .run_at(
            "2026-03-06T00:00:00Z",
            &["follow-up", "list", "--overdue", "--format", "json"],
        )
        .success()
        .json();
    assert_eq!(overdue[0]["lead_id"], 1);
    assert_eq!(overdue[0]["name"], "Ada Lovelace");
}

#[test]
fn one_cadence_stays_the_kept_leads_own() {
    let env = Env::new();
    env.run(&[
        "cadence",
        "add",
        "e-book",
        "0d email_sent: send the e-book",
        "3d call",
    ])
    .success();
    env.run(&["cadence", "add", "webinar", "0d email_sent: invite"])
        .success();
    env.add(&["Ada Lovelace"]);
    env.add(&["Ada L."]);
    env.add(&["Ada Byron"]);
    env.run(&["nurture", "1", "--cadence", "e-book"]).success();
    env.run(&["nurture", "2", "--cadence", "webinar"]).success();
    merge(&env, &["1", "2", "--force"])
        .success()
        .stderr_has("; lead 2 left cadence webinar (one cadence at a time)");
    let cadences: Vec<(Value, Value, Value)> = match env
        .run(&["nurture", "list", "--format", "json"])
        .success()
        .json()
    {
        Value::Array(items) => items
            .iter()
            .map(|e| {
                (
                    e["lead_id"].clone(),
                    e["cadence"].clone(),
                    e["end_reason"].clone(),
                )
            })
            .collect(),
        other => panic!("expected an array, got {other}"),
    };
    assert_eq!(
        cadences,
        [
            (json!(1), json!("e-book"), json!(null)),
            (json!(1), json!("webinar"), json!("merged")),
        ]
    );
    // The ended cadence's open step is closed: one open follow-up, the kept cadence's.
    let lead = env.show(1);
    let open: Vec<&Value> = lead["follow_ups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["done_at"].is_null())
        .collect();
    assert_eq!(open.len(), 1, "{lead}");
    assert_eq!(open[0]["note"], "email_sent: send the e-book");

    // KEEP without a cadence takes the other's.
    env.run(&["nurture", "3", "--cadence", "webinar"]).success();
    env.add(&["Grace Hopper"]);
    merge(&env, &["4", "3", "--force"]).success();
    assert_eq!(env.show(4)["cadence"]["cadence"], "webinar");
    assert_eq!(env.show(4)["cadence"]["ended_at"], Value::Null);
}

#[test]
fn undoing_the_import_that_brought_the_other_removes_nobody_merged() {
    let env = Env::new();
    let file = env.write(
        "expo.csv",
        "Name,Phone,Company\nAda Lovelace,+44 20 7946 0958,Analytical Engines\n\
         Grace Hopper,+1 555 014 2977,Navy\n",
    );
    let keep = env.add(&["Ada Lovelace", "--email", "ada@example.com"]);
    env.run(&["import", &file]).success();
    merge(&env, &[&keep.to_string(), "2", "--force"]).success();
    env.run(&["import", "--undo", "1", "--force"])
        .success()
        .stderr_has("removed 1 lead created by import batch 1");
    assert_eq!(ids(&env), [1]);
    let lead = env.show(1);
    assert_eq!(lead["company"], "Analytical Engines");
    assert_eq!(lead["phone"], "+44 20 7946 0958");

    // Kept from a batch, the other added by hand: the person was there before the batch,
    // so its undo leaves them.
    let env = Env::new();
    env.run(&["import", &file]).success();
    env.add(&["Ada Lovelace", "--email", "ada@example.com"]);
    merge(&env, &["1", "3", "--force"]).success();
    env.run(&["import", "--undo", "1", "--force"])
        .success()
        .stderr_has("removed 1 lead created by import batch 1");
    assert_eq!(ids(&env), [1]);

    // Both from the same batch: its undo removes the merged lead with the rest.
    let env = Env::new();
    env.run(&["import", &file]).success();
    merge(&env, &["1", "2", "--force"]).success();
    env.run(&["import", "--undo", "1", "--force"])
        .success()
        .stderr_has("removed 1 lead created by import batch 1");
    assert_eq!(ids(&env), Vec::<i64>::new());
}

#[test]
fn a_forgotten_lead_cannot_be_merged() {
    let env = Env::new();
    env.add(&["Ada Lovelace", "--email", "ada@example.com"]);
    env.add(&["Ada Lovelace", "--phone", "+44 20 7946 0958"]);
    env.run(&["forget", "2", "--force"]).success();
    let before = all_leads(&env);
    merge(&env, &["1", "2", "--force"])
        .failure(65)
        .stderr_has("lead 2 was forgotten (privacy): it cannot be merged");
    merge(&env, &["2", "1", "--force"]).failure(65);
    assert_eq!(all_leads(&env), before);
}

#[test]
fn refusals_change_nothing() {
    let env = Env::new();
    env.add(&["Ada Lovelace", "--email", "ada@example.com"]);
    env.add(&["Ada Lovelace", "--phone", "+44 20 7946 0958"]);
    env.run(&["log", "2", "call"]).success();
    let before = all_leads(&env);
    let shown = env.show(2);

    // Off a terminal, without --force.
    merge(&env, &["1", "2"]).failure(1).stderr_is(
        "leads: merging lead 2 (Ada Lovelace) into lead 1 (Ada Lovelace) deletes it once \
         their history has moved: pass --force to confirm (there is no terminal to ask on)\n",
    );
    // An id that does not exist, kept or merged.
    merge(&env, &["1", "2", "9", "--force"])
        .failure(3)
        .stderr_is("leads: no lead with id 9\n");
    merge(&env, &["9", "2", "--force"]).failure(3);
    // KEEP among the others.
    merge(&env, &["1", "2", "1", "--force"])
        .failure(65)
        .stderr_has("lead 1 is both the lead to keep and one to merge into it");
    // Nothing to merge: clap's usage error.
    merge(&env, &["1", "--force"]).failure(2);

    assert_eq!(all_leads(&env), before);
    assert_eq!(env.show(2), shown);
}

#[test]
fn a_dry_run_shows_the_merged_lead_and_writes_nothing() {
    let env = Env::sqlite();
    env.add(&["Ada", "--email", "ada@example.com", "--tag", "vip"]);
    env.add(&[
        "Ada Lovelace",
        "--company",
        "Analytical Engines",
        "--tag",
        "expo",
    ]);
    env.run(&["log", "2", "meeting"]).success();
    env.run(&["status", "2", "qualified"]).success();
    let before = all_leads(&env);
    let database = std::fs::read(&env.db).unwrap();

    let run = merge(&env, &["1", "2", "--dry-run", "--format", "json"]).success();
    let shown = run.json();
    assert!(run.stderr.contains(
        "would merge lead 2 (Ada Lovelace) into lead 1 (Ada): moved 1 activity, 3 status \
         changes (dry run: nothing was written)"
    ));
    // As `show --format json` prints a lead: its fields, then its history.
    assert_eq!(shown["id"], 1);
    assert_eq!(shown["name"], "Ada Lovelace");
    assert_eq!(shown["company"], "Analytical Engines");
    assert_eq!(shown["status"], "qualified");
    assert_eq!(shown["tags"], json!(["vip", "expo"]));
    assert_eq!(shown["activities"][0]["kind"], "meeting");
    for key in [
        "reasons",
        "follow_ups",
        "status_history",
        "qualifications",
        "cadence",
    ] {
        assert!(shown.get(key).is_some(), "{key} missing: {shown}");
    }
    // A table by default, as `show` prints one.
    merge(&env, &["1", "2", "--dry-run"])
        .success()
        .stdout
        .starts_with("Ada Lovelace  #1\nstatus      qualified\nemail       ada@example.com\n")
        .then_some(())
        .expect("the table of show");

    assert_eq!(all_leads(&env), before);
    assert_eq!(std::fs::read(&env.db).unwrap(), database);
    // And the real merge shows the same lead, asked for.
    let merged = merge(&env, &["1", "2", "--force", "--format", "json"])
        .success()
        .json();
    assert_eq!(merged["company"], shown["company"]);
    assert_eq!(merged["activities"], shown["activities"]);
}

#[test]
fn merged_ids_are_never_given_again() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    env.add(&["Ada L."]);
    env.add(&["Ada Byron"]);
    env.run(&["log", "3", "call", "--next", "tomorrow"])
        .success();
    merge(&env, &["1", "3", "2", "--force"]).success();
    assert_eq!(ids(&env), [1]);
    assert_eq!(env.add(&["Grace Hopper"]), 4);
    // The moved activity and follow-up kept their ids; the next ones come after them.
    let lead = env.show(1);
    assert_eq!(lead["activities"][0]["id"], 1);
    assert_eq!(lead["follow_ups"][0]["id"], 1);
    env.run(&["log", "4", "call", "--next", "tomorrow"])
        .success();
    let grace = env.show(4);
    assert_eq!(grace["activities"][0]["id"], 2);
    assert_eq!(grace["follow_ups"][0]["id"], 2);
}
