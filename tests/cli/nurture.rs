//! Nurturing: `cadence add|list|show|delete`, `nurture`, `nurture list|stop`, cadence
//! steps as follow-ups (every format, ICS), `follow-up done` on a step, each way of
//! leaving a cadence, `report --by cadence`, and the guide's worked example (docs/GUIDE.md).
use serde_json::{json, Value};

use crate::harness::*;

const EBOOK: [&str; 3] = [
    "0d email_sent: send the e-book",
    "3d call: ask how it went",
    "1w email_sent: webinar invite",
];

fn add_cadence(env: &Env, name: &str, steps: &[&str]) {
    let mut args = vec!["cadence", "add", name];
    args.extend_from_slice(steps);
    env.run(&args).success().stdout_is("");
}

fn json_at(env: &Env, now: &str, args: &[&str]) -> Value {
    env.run_at(now, args).success().json()
}

/// `nurture list --format json` at `now`.
fn enrollments(env: &Env, now: &str) -> Vec<Value> {
    match json_at(env, now, &["nurture", "list", "--format", "json"]) {
        Value::Array(items) => items,
        other => panic!("expected an array, got {other}"),
    }
}

fn overdue(env: &Env, now: &str) -> Vec<Value> {
    match json_at(
        env,
        now,
        &["follow-up", "list", "--overdue", "--format", "json"],
    ) {
        Value::Array(items) => items,
        other => panic!("expected an array, got {other}"),
    }
}

#[test]
fn a_cadence_walks_from_enrollment_to_completion() {
    let env = Env::new();
    let ada = env.add(&["Ada Lovelace", "--email", "ada@example.com"]);
    add_cadence(&env, "e-book", &EBOOK);
    env.run(&[
        "nurture",
        &ada.to_string(),
        "--cadence",
        "E-Book",
        "--start",
        "2026-03-02 09:00",
    ])
    .success()
    .stdout_is("")
    .stderr_has("lead 1 Ada Lovelace is in cadence 'e-book': step 1 of 3 due 2026-03-02 09:00");
    assert_eq!(env.show(ada)["status"], "nurturing");

    // Not due before the start; due at it (the first delay is 0d).
    env.run_at("2026-03-02T08:59:00Z", &["follow-up", "list", "--overdue"])
        .success()
        .stdout_is("");
    let step = json!({
        "id": 1, "lead_id": ada, "name": "Ada Lovelace", "due_at": "2026-03-02T09:00:00Z",
        "note": "email_sent: send the e-book", "every": null, "done_at": null,
        "cadence": "e-book", "step": 1, "kind": "email_sent"
    });
    assert_eq!(overdue(&env, "2026-03-02T09:00:00Z"), vec![step.clone()]);
    let at = "2026-03-02T09:30:00Z";
    let list = |format: &str| {
        env.run_at(at, &["follow-up", "list", "--overdue", "--format", format])
            .success()
            .stdout
    };
    assert_eq!(
        list("table"),
        "ID  DUE               LEAD  NAME          NOTE                         EVERY  CADENCE  STEP\n \
         1  2026-03-02 09:00     1  Ada Lovelace  email_sent: send the e-book         e-book      1\n"
    );
    assert_eq!(
        list("tsv"),
        "id\tdue_at\tlead_id\tname\tnote\tevery\tcadence\tstep\n\
         1\t2026-03-02T09:00:00Z\t1\tAda Lovelace\temail_sent: send the e-book\t\te-book\t1\n"
    );
    assert_eq!(
        list("csv"),
        "id,due_at,lead_id,name,note,every,cadence,step\n\
         1,2026-03-02T09:00:00Z,1,Ada Lovelace,email_sent: send the e-book,,e-book,1\n"
    );
    assert_eq!(list("ndjson").trim(), serde_json::to_string(&step).unwrap());
    let ics = list("ics");
    assert!(
        ics.contains("\r\nSUMMARY:Follow up: Ada Lovelace (cadence e-book\\, step 1)\r\nCATEGORIES:e-book\r\nDESCRIPTION:email_sent: send the e-book\r\n"),
        "{ics}"
    );

    // Done late, at 10:00: the activity is logged then, and the call is due 3 days later.
    env.run_at("2026-03-02T10:00:00Z", &["follow-up", "done", "1"])
        .success()
        .stdout_is("")
        .stderr_has(
            "follow-up 1 with Ada Lovelace done: step 1 of cadence 'e-book', email_sent logged; \
             next: step 2 of 3, call: ask how it went, follow-up 2 due 2026-03-05 10:00",
        );
    let shown = env.show(ada);
    assert_eq!(
        shown["activities"],
        json!([{"id": 1, "lead_id": ada, "kind": "email_sent", "at": "2026-03-02T10:00:00Z",
                "note": "send the e-book", "outcome": null, "by": "tester"}])
    );
    assert_eq!(shown["next_follow_up"], "2026-03-05T10:00:00Z");
    assert!(overdue(&env, "2026-03-05T09:59:00Z").is_empty());
    let due = overdue(&env, "2026-03-05T10:00:00Z");
    assert_eq!(
        (due[0]["id"].clone(), due[0]["step"].clone()),
        (json!(2), json!(2))
    );
    assert_eq!(due[0]["note"], "call: ask how it went");

    // `show` says where the lead is.
    let table = env
        .run_at("2026-03-05T10:00:00Z", &["show", "1"])
        .success()
        .stdout;
    assert_eq!(
        field(&table, "cadence"),
        "e-book, step 2 of 3, due 2026-03-05 10:00"
    );
    assert_eq!(
        env.show(ada)["cadence"],
        json!({"lead_id": ada, "name": "Ada Lovelace", "cadence": "e-book", "step": 2,
               "steps": 3, "next_due": "2026-03-05T10:00:00Z",
               "started_at": "2026-03-02T09:00:00Z", "ended_at": null, "end_reason": null})
    );

    env.run_at("2026-03-06T08:00:00Z", &["follow-up", "done", "2"])
        .success()
        .stderr_has("follow-up 3 due 2026-03-13 08:00");
    env.run_at("2026-03-13T12:00:00Z", &["follow-up", "done", "3"])
        .success()
        .stderr_has("that was the last step: the cadence is completed");
    assert_eq!(
        enrollments(&env, "2026-03-14T00:00:00Z"),
        vec![
            json!({"lead_id": ada, "name": "Ada Lovelace", "cadence": "e-book", "step": null,
                    "steps": 3, "next_due": null, "started_at": "2026-03-02T09:00:00Z",
                    "ended_at": "2026-03-13T12:00:00Z", "end_reason": "completed"})
        ]
    );
    assert!(overdue(&env, "2026-04-01T00:00:00Z").is_empty());
    let kinds: Vec<Value> = env.show(ada)["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].clone())
        .collect();
    assert_eq!(
        kinds,
        [json!("email_sent"), json!("call"), json!("email_sent")]
    );
    let table = env.run(&["show", "1"]).success().stdout;
    assert_eq!(
        field(&table, "cadence"),
        "e-book, completed on 2026-03-13 12:00"
    );
    // Done twice changes nothing.
    env.run(&["follow-up", "done", "3"])
        .success()
        .stderr_has("already done");
}

#[test]
fn steps_follow_the_local_calendar_across_a_change_of_summer_time() {
    // New York moves its clocks on Sunday 2026-03-08: a step 3 days after a done at
    // 09:00 local is due at 09:00 local, which is an hour earlier in UTC.
    let env = Env::new();
    let tz = [("TZ", "America/New_York")];
    env.add(&["Ada Lovelace"]);
    add_cadence(&env, "e-book", &["1d email_sent", "3d call"]);
    env.run_with_env(
        &tz,
        &[
            "nurture",
            "1",
            "--cadence",
            "e-book",
            "--start",
            "2026-03-05 09:00",
        ],
    )
    .success()
    .stderr_has("due 2026-03-06 09:00");
    let mut command = env.command(&["follow-up", "done", "1"]);
    command
        .env("TZ", "America/New_York")
        .env("LEADS_NOW", "2026-03-06T14:00:00Z");
    let output = command.output().unwrap();
    assert!(output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("follow-up 2 due 2026-03-09 09:00"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let due = overdue(&env, "2026-03-10T00:00:00Z");
    assert_eq!(due[0]["due_at"], "2026-03-09T13:00:00Z");
}

#[test]
fn malformed_steps_and_unknown_cadences_are_refused() {
    let env = Env::new();
    let cases = [
        (vec!["3x call"], "step 1: invalid step '3x call': invalid interval '3x'"),
        (
            vec!["0d email_sent", "3d cal: how did it go"],
            "step 2: invalid step '3d cal: how did it go': unknown activity 'cal' (did you mean 'call'?)",
        ),
        (vec!["call me maybe"], "invalid step 'call me maybe'"),
        (vec!["3d"], "it needs a delay and a kind"),
    ];
    for (steps, message) in cases {
        let mut args = vec!["cadence", "add", "bad"];
        args.extend(steps);
        env.run(&args).failure(65).stderr_has(message).stderr_has(
            "a step is \"DELAY KIND[: NOTE]\", e.g. \"0d email_sent: send the e-book\"",
        );
    }
    env.run(&["cadence", "add", "bad"]).failure(2);
    // Nothing was created: a read command does not create the database either.
    env.run(&["cadence", "list"]).failure(66);
    env.add(&["Ada Lovelace"]);
    env.run(&["cadence", "list"])
        .success()
        .stdout_is("")
        .stderr_has("no cadences yet");
    add_cadence(&env, "e-book", &EBOOK);
    env.run(&["cadence", "add", "E-BOOK", "1d call"])
        .failure(4)
        .stderr_has("a cadence named 'e-book' already exists");
    env.run(&["cadence", "show", "ebok"])
        .failure(3)
        .stderr_has("no cadence named 'ebok' (did you mean 'e-book'?)");
    env.run(&["nurture", "1", "--cadence", "webinar"])
        .failure(3)
        .stderr_has("no cadence named 'webinar'");
    env.run(&["nurture", "1"]).failure(2);
    env.run(&["nurture", "1", "--cadence", "e-book", "--start", "someday"])
        .failure(65)
        .stderr_has("--start");
    env.run(&["nurture", "1", "7", "--cadence", "e-book"])
        .failure(3);
    // All or nothing: lead 1 was not enrolled either.
    assert!(enrollments(&env, NOW).is_empty());
    env.run(&["nurture", "list", "--cadence", "nope"])
        .failure(3);

    assert_eq!(
        env.run(&["cadence", "list", "--format", "json"])
            .success()
            .json(),
        json!([{"name": "e-book", "created_at": NOW, "enrolled": 0, "active": 0,
                "steps": [
                    {"delay": "0d", "kind": "email_sent", "note": "send the e-book"},
                    {"delay": "3d", "kind": "call", "note": "ask how it went"},
                    {"delay": "1w", "kind": "email_sent", "note": "webinar invite"}]}])
    );
    env.run(&["cadence", "show", "e-book"]).success().stdout_is(
        "e-book: the first delay counts from the start, each next one from when the previous step was done\n\
         STEP  DELAY  KIND        NOTE\n   \
         1  0d     email_sent  send the e-book\n   \
         2  3d     call        ask how it went\n   \
         3  1w     email_sent  webinar invite\n",
    );
}

#[test]
fn each_way_of_leaving_a_cadence() {
    let env = Env::new();
    add_cadence(&env, "e-book", &EBOOK);
    let names = [
        "Replied",
        "Meeting",
        "Demo",
        "Qualified",
        "Won",
        "Lost",
        "Disqualified",
        "Dnc",
        "Forgotten",
        "Stopped",
        "Old News",
        "Stays",
    ];
    let ids: Vec<String> = names
        .iter()
        .map(|name| {
            env.add(&[
                name,
                "--email",
                &format!("{}@example.com", name.replace(' ', ".")),
            ])
            .to_string()
        })
        .collect();
    let mut args = vec!["nurture"];
    args.extend(ids.iter().map(String::as_str));
    args.extend(["--cadence", "e-book"]);
    env.run(&args).success();
    assert_eq!(overdue(&env, NOW).len(), 12);

    let later = "2026-03-02T10:00:00Z";
    let run = |args: &[&str]| {
        env.run_at(later, args).success();
    };
    run(&["log", "1", "email_replied"]);
    run(&["log", "2", "meeting"]);
    run(&["log", "3", "demo"]);
    run(&["status", "4", "qualified"]);
    run(&["status", "5", "won"]);
    run(&["status", "6", "lost", "--reason", "budget"]);
    run(&["status", "7", "disqualified"]);
    run(&["edit", "8", "--do-not-contact"]);
    run(&["forget", "9", "--force"]);
    run(&[
        "nurture",
        "stop",
        "10",
        "--reason",
        "asked for a call in May",
    ]);
    // A reply from before the enrollment is old news; an unanswered call is no answer.
    run(&["log", "11", "email_replied", "--at", "2026-02-20"]);
    run(&["log", "12", "call", "--outcome", "no_answer"]);

    let list = enrollments(&env, later);
    let reasons: Vec<(i64, Value)> = list
        .iter()
        .map(|e| (e["lead_id"].as_i64().unwrap(), e["end_reason"].clone()))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (11, Value::Null),
            (12, Value::Null),
            (1, json!("replied")),
            (2, json!("meeting")),
            (3, json!("demo")),
            (4, json!("qualified")),
            (5, json!("won")),
            (6, json!("lost")),
            (7, json!("disqualified")),
            (8, json!("do_not_contact")),
            (9, json!("forgotten")),
            (10, json!("stopped")),
        ]
    );
    for ended in &list[2..] {
        assert_eq!(ended["ended_at"], later, "{ended}");
        assert_eq!(
            (ended["step"].clone(), ended["next_due"].clone()),
            (Value::Null, Value::Null)
        );
    }
    // Only the two still in the cadence have a step to do.
    let due: Vec<Value> = overdue(&env, later)
        .iter()
        .map(|f| f["lead_id"].clone())
        .collect();
    assert_eq!(due, [json!(11), json!(12)]);
    let table = env.run_at(later, &["nurture", "list"]).success().stdout;
    assert!(
        table.contains("stopped (asked for a call in May)"),
        "{table}"
    );
    // Stopping twice changes nothing.
    env.run(&["nurture", "stop", "10"])
        .success()
        .stderr_has("lead 10 Stopped is in no cadence; nothing changed");
    env.run(&["nurture", "stop", "99"]).failure(3);
}

#[test]
fn enrolling_moves_new_and_contacted_leads_and_refuses_the_rest() {
    let env = Env::new();
    add_cadence(&env, "e-book", &EBOOK);
    add_cadence(&env, "webinar", &["2d email_sent: invite"]);
    let fresh = env.add(&["Fresh"]);
    let contacted = env.add(&["Contacted"]);
    env.run(&["status", "2", "contacted"]).success();
    let qualified = env.add(&["Qualified"]);
    env.run(&["status", "3", "qualified"]).success();
    let quiet = env.add(&["Quiet", "--do-not-contact"]);
    env.run(&["nurture", "1", "2", "--cadence", "e-book"])
        .success();
    assert_eq!(env.show(fresh)["status"], "nurturing");
    assert_eq!(env.show(contacted)["status"], "nurturing");
    env.run(&["nurture", "3", "--cadence", "e-book"])
        .failure(4)
        .stderr_has(
            "lead 3 Qualified is qualified, and a cadence nurtures leads not yet qualified",
        );
    env.run(&["nurture", "4", "--cadence", "e-book"])
        .failure(4)
        .stderr_has("lead 4 Quiet is marked do-not-contact");
    // One active cadence per lead; the same one again changes nothing.
    env.run(&["nurture", "1", "--cadence", "webinar"])
        .failure(4)
        .stderr_has("is already in cadence 'e-book' (one at a time: leads nurture stop 1 first)");
    env.run(&["nurture", "1", "--cadence", "e-book"])
        .success()
        .stderr_has("lead 1 Fresh is already in cadence 'e-book'; left as it is");
    assert_eq!(enrollments(&env, NOW).len(), 2);
    // Once stopped, the lead may join another; both enrollments are listed.
    env.run(&["nurture", "stop", "1"]).success();
    env.run(&["nurture", "1", "--cadence", "webinar", "--start", "+1d"])
        .success();
    let list = enrollments(&env, NOW);
    assert_eq!(list.len(), 3);
    let webinar = json_at(
        &env,
        NOW,
        &[
            "nurture",
            "list",
            "--cadence",
            "webinar",
            "--format",
            "json",
        ],
    );
    assert_eq!(webinar[0]["next_due"], "2026-03-04T09:00:00Z");
    let _ = (qualified, quiet);
}

#[test]
fn the_step_a_cadence_logs_never_ends_it() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    add_cadence(
        &env,
        "demo-day",
        &["0d demo: show the product", "2d meeting: follow up"],
    );
    env.run(&["nurture", "1", "--cadence", "demo-day"])
        .success();
    env.run(&["follow-up", "done", "1"])
        .success()
        .stderr_has("demo logged; next: step 2 of 2");
    env.run(&["follow-up", "done", "2"]).success();
    let list = enrollments(&env, NOW);
    assert_eq!(list[0]["end_reason"], "completed");
}

#[test]
fn deleting_a_cadence_in_use_needs_force_and_ends_its_enrollments() {
    let env = Env::new();
    add_cadence(&env, "e-book", &EBOOK);
    add_cadence(&env, "unused", &["1d call"]);
    env.run(&["cadence", "delete", "unused"])
        .success()
        .stderr_has("deleted cadence 'unused'");
    env.add(&["Ada Lovelace"]);
    env.run(&["nurture", "1", "--cadence", "e-book"]).success();
    env.run(&["cadence", "delete", "e-book"])
        .failure(4)
        .stderr_has(
            "1 lead is in cadence 'e-book': delete it and end their enrollments? Give --force",
        );
    assert_eq!(enrollments(&env, NOW)[0]["end_reason"], Value::Null);
    env.run(&["cadence", "delete", "e-book", "--force"])
        .success()
        .stderr_has("deleted cadence 'e-book'; 1 enrollment ended");
    let list = enrollments(&env, NOW);
    assert_eq!(
        (list[0]["cadence"].clone(), list[0]["end_reason"].clone()),
        (json!("e-book"), json!("cadence_deleted"))
    );
    assert!(overdue(&env, NOW).is_empty());
    env.run(&["cadence", "show", "e-book"]).failure(3);
    // The name is free again.
    add_cadence(&env, "e-book", &["1d call"]);
}

#[test]
fn the_report_by_cadence_counts_each_outcome() {
    let env = Env::new();
    add_cadence(&env, "e-book", &["0d email_sent"]);
    add_cadence(&env, "webinar", &["1d email_sent"]);
    for name in ["A", "B", "C", "D", "E"] {
        env.add(&[name]);
    }
    env.run(&["nurture", "1", "2", "3", "4", "--cadence", "e-book"])
        .success();
    let later = "2026-03-03T09:00:00Z";
    env.run_at(later, &["follow-up", "done", "1"]).success(); // A completes
    env.run_at(later, &["log", "2", "email_replied"]).success(); // B answers, then wins
    env.run_at(later, &["status", "2", "qualified"]).success();
    env.run_at(later, &["status", "2", "won"]).success();
    env.run_at(later, &["status", "3", "qualified"]).success(); // C qualifies
    let report = json_at(
        &env,
        later,
        &["report", "--by", "cadence", "--format", "json"],
    );
    assert_eq!(
        report,
        json!({"by": "cadence", "groups": [
            {"cadence": "e-book", "enrolled": 4, "active": 1, "completed": 1, "completed_pct": 25.0,
             "answered": 1, "answered_pct": 25.0, "qualified": 2, "qualified_pct": 50.0,
             "won": 1, "won_pct": 25.0},
            {"cadence": "webinar", "enrolled": 0, "active": 0, "completed": 0, "completed_pct": null,
             "answered": 0, "answered_pct": null, "qualified": 0, "qualified_pct": null,
             "won": 0, "won_pct": null}]})
    );
    env.run_at(later, &["report", "--by", "cadence", "--format", "csv"])
        .success()
        .stdout_is(
            "cadence,enrolled,active,completed,completed_pct,answered,answered_pct,qualified,qualified_pct,won,won_pct\n\
             e-book,4,1,1,25.0,1,25.0,2,50.0,1,25.0\n\
             webinar,0,0,0,,0,,0,,0,\n",
        );
    // Enrolled after --since: none.
    let report = json_at(
        &env,
        later,
        &[
            "report",
            "--by",
            "cadence",
            "--since",
            "2026-03-02",
            "--format",
            "json",
        ],
    );
    assert_eq!(report["groups"][0]["enrolled"], 0);
}

#[test]
fn read_commands_on_an_empty_database() {
    let env = Env::new();
    for read in [
        &["nurture", "list"][..],
        &["cadence", "list"],
        &["cadence", "show", "e-book"],
    ] {
        env.run(read).failure(66);
    }
    env.add(&["Ada Lovelace"]);
    env.run(&["nurture", "list"])
        .success()
        .stdout_is("")
        .stderr_has("nobody is in a cadence");
    env.run(&["nurture", "list", "--format", "json"])
        .success()
        .stdout_is("[]\n");
    env.run(&["report", "--by", "cadence"])
        .success()
        .stdout_is("")
        .stderr_has("no cadences to report");
}

/// The worked example of the guide (docs/GUIDE.md, Nurturing), replayed: each `$ leads ...` line runs (at the time
/// its `# at` comment gives, else the previous one) and must print the lines under it.
#[test]
fn the_worked_example_of_the_guide_runs_as_shown() {
    let guide = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/GUIDE.md"))
        .expect("the guide");
    let section = guide
        .split_once("## Nurturing\n")
        .and_then(|(_, rest)| rest.split_once("### A worked example\n"))
        .and_then(|(_, rest)| rest.split_once("```text\n"))
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .expect("the guide's Nurturing section has a worked example");

    let env = Env::new();
    let start = "2026-03-02T09:00:00Z";
    for lead in [
        ["Ada Lovelace", "Analytical Engines"],
        ["Grace Hopper", "Navy"],
    ] {
        env.run_at(start, &["--quiet", "add", lead[0], "--company", lead[1]])
            .success();
    }
    let commands = replay(&env, section, start);
    assert_eq!(commands, 12);
}

/// The value of a field in `show`'s table.
fn field(table: &str, label: &str) -> String {
    table
        .lines()
        .find_map(|line| {
            line.strip_prefix(label)
                .filter(|rest| rest.starts_with("  "))
        })
        .map(|rest| rest.trim().to_string())
        .unwrap_or_else(|| panic!("no {label} in {table}"))
}

#[test]
fn deleting_a_lead_takes_it_out_of_its_cadence() {
    let env = Env::new();
    add_cadence(&env, "e-book", &EBOOK);
    env.add(&["Ada Lovelace"]);
    env.add(&["Grace Hopper"]);
    env.run(&["nurture", "1", "2", "--cadence", "e-book"])
        .success();
    env.run(&["delete", "1", "--force"]).success();
    let list = enrollments(&env, NOW);
    let leads: Vec<Value> = list.iter().map(|e| e["lead_id"].clone()).collect();
    assert_eq!(leads, [json!(2)]);
    let due: Vec<Value> = overdue(&env, NOW)
        .iter()
        .map(|f| f["lead_id"].clone())
        .collect();
    assert_eq!(due, [json!(2)]);
}
