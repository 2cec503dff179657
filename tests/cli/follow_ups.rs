//! `leads follow-up add|list|done|snooze|delete`, `list --overdue`/`--sort follow-up`,
//! `follow-up list --lead`, the table on a narrow terminal, the cron contract (silent when
//! nothing is overdue, safe while another `leads` writes) and ICS.
//!
//! The clock is pinned at Sunday 2026-03-01 09:00 UTC (TZ=UTC unless a test says).
use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::Duration;

use serde_json::{json, Value};

use crate::harness::*;

/// `leads follow-up add LEAD --due WHEN [more]`, which must succeed; returns the new id.
fn schedule(env: &Env, lead: i64, due: &str, more: &[&str]) -> i64 {
    let lead = lead.to_string();
    let mut args = vec!["follow-up", "add", &lead, "--due", due];
    args.extend_from_slice(more);
    let run = env.run(&args).success();
    run.stdout
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("follow-up add prints the id, got {:?}", run.stdout))
}

/// The follow-ups a list prints, as JSON records.
fn listed(env: &Env, flags: &[&str]) -> Vec<Value> {
    let mut args = vec!["follow-up", "list", "--format", "json"];
    args.extend_from_slice(flags);
    match env.run(&args).success().json() {
        Value::Array(items) => items,
        other => panic!("expected a JSON array, got {other}"),
    }
}

fn ids(records: &[Value]) -> Vec<i64> {
    records.iter().filter_map(|r| r["id"].as_i64()).collect()
}

fn due_of(env: &Env, id: i64) -> String {
    let all = listed(env, &[]);
    let record = all
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("follow-up {id} not listed in {all:?}"));
    record["due_at"].as_str().unwrap_or_default().to_string()
}

#[test]
fn every_when_form_is_stored_in_utc() {
    let env = Env::new();
    let lead = env.add(&["Ada Lovelace"]);
    // Sunday 2026-03-01 09:00 UTC.
    let cases = [
        ("2026-03-05", "2026-03-05T00:00:00Z"),
        ("2026-03-05 14:30", "2026-03-05T14:30:00Z"),
        ("2026-03-05T14:30:00Z", "2026-03-05T14:30:00Z"),
        ("2026-03-05T14:30:00+01:00", "2026-03-05T13:30:00Z"),
        ("today", "2026-03-01T00:00:00Z"),
        ("tomorrow", "2026-03-02T00:00:00Z"),
        ("Tomorrow 14:30", "2026-03-02T14:30:00Z"),
        ("friday", "2026-03-06T00:00:00Z"),
        ("monday", "2026-03-02T00:00:00Z"),
        ("sunday", "2026-03-08T00:00:00Z"),
        ("fri 9am", "2026-03-06T09:00:00Z"),
        ("+3d", "2026-03-04T09:00:00Z"),
        ("+2w", "2026-03-15T09:00:00Z"),
        ("+4h", "2026-03-01T13:00:00Z"),
        ("in 3 days", "2026-03-04T09:00:00Z"),
        ("in a week", "2026-03-08T09:00:00Z"),
        ("next week", "2026-03-02T00:00:00Z"),
        ("now", "2026-03-01T09:00:00Z"),
    ];
    let scheduled: Vec<(i64, &str, &str)> = cases
        .iter()
        .map(|(when, expected)| (schedule(&env, lead, when, &[]), *when, *expected))
        .collect();
    let stored: BTreeMap<i64, String> = listed(&env, &[])
        .iter()
        .map(|r| {
            let due = r["due_at"].as_str().unwrap_or_default().to_string();
            (r["id"].as_i64().unwrap_or_default(), due)
        })
        .collect();
    for (id, when, expected) in scheduled {
        assert_eq!(
            stored.get(&id).map(String::as_str),
            Some(expected),
            "--due {when:?}"
        );
    }
}

#[test]
fn a_bad_when_says_what_is_accepted() {
    let env = Env::new();
    let lead = env.add(&["Ada Lovelace"]).to_string();
    let fid = schedule(&env, 1, "tomorrow", &[]).to_string();
    for bad in [
        "soon",
        "",
        "+3x",
        "in thirteen days",
        "2026-13-01",
        "+0d",
        "32/04/2026",
        "tomorrow 25:00",
    ] {
        for (args, flag) in [
            (vec!["follow-up", "add", &lead, "--due", bad], "--due"),
            (vec!["follow-up", "snooze", &fid, "--until", bad], "--until"),
        ] {
            env.run(&args)
                .failure(65)
                .stderr_has(&format!("'{flag} <WHEN>': invalid date '{bad}'"))
                .stderr_has("accepted: now, today, tomorrow")
                .stderr_has("+3d")
                .stderr_has("in 3 days")
                .stderr_has("2026-03-05 14:30");
        }
    }
    for bad in ["0d", "fortnight", "2.5w", "-1w"] {
        let every = format!("--every={bad}");
        env.run(&["follow-up", "add", &lead, "--due", "+1d", &every])
            .failure(65)
            .stderr_has(&format!("'--every <INTERVAL>': invalid interval '{bad}'"))
            .stderr_has("4h, 3d, 2w, 1mo");
        env.run(&["follow-up", "list", &format!("--due-within={bad}")])
            .failure(65)
            .stderr_has("'--due-within <INTERVAL>': invalid interval");
    }
    // Nothing was scheduled by the failures.
    assert_eq!(ids(&listed(&env, &[])), vec![1]);
}

#[test]
fn unknown_ids_are_not_found() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    env.run(&["follow-up", "add", "42", "--due", "tomorrow"])
        .failure(3)
        .stderr_has("no lead with id 42");
    env.run(&["follow-up", "done", "7"])
        .failure(3)
        .stderr_has("no follow-up with id 7");
    env.run(&["follow-up", "snooze", "7", "--until", "friday"])
        .failure(3)
        .stderr_has("no follow-up with id 7");
}

#[test]
fn add_prints_the_id_and_says_what_was_scheduled() {
    let env = Env::new();
    let lead = env.add(&["Ada Lovelace"]);
    env.run(&[
        "follow-up",
        "add",
        "1",
        "--due",
        "friday 10:00",
        "--note",
        "  Send the quote  ",
        "--every",
        "2 weeks",
    ])
    .success()
    .stdout_is("1\n")
    .stderr_has("follow-up 1 with Ada Lovelace (lead 1) due 2026-03-06 10:00, every 2w");
    env.run(&["follow-up", "add", "1", "--due", "yesterday"])
        .success()
        .stdout_is("2\n")
        .stderr_has("is in the past: follow-up 2 is overdue already");
    let all = listed(&env, &[]);
    assert_eq!(
        all[1],
        serde_json::json!({
            "id": 1, "lead_id": lead, "name": "Ada Lovelace",
            "due_at": "2026-03-06T10:00:00Z", "note": "Send the quote",
            "every": "2w", "done_at": null, "cadence": null, "step": null, "kind": "call"
        })
    );
    env.run(&["--quiet", "follow-up", "add", "1", "--due", "+1d"])
        .success()
        .stdout_is("3\n");
}

#[test]
fn overdue_due_within_and_all_most_overdue_first() {
    let env = Env::new();
    let ada = env.add(&["Ada Lovelace"]);
    let grace = env.add(&["Grace Hopper"]);
    let in_two_days = schedule(&env, ada, "+2d", &[]);
    let last_week = schedule(&env, grace, "2026-02-22", &[]);
    let in_ten_days = schedule(&env, grace, "+10d", &[]);
    let yesterday = schedule(&env, ada, "yesterday", &[]);
    let due_now = schedule(&env, ada, "now", &[]);

    assert_eq!(
        ids(&listed(&env, &["--overdue"])),
        vec![last_week, yesterday, due_now]
    );
    assert_eq!(
        ids(&listed(&env, &["--due-within", "3d"])),
        vec![last_week, yesterday, due_now, in_two_days]
    );
    // Exactly at the edge is within.
    assert_eq!(
        ids(&listed(&env, &["--due-within", "2d"])),
        vec![last_week, yesterday, due_now, in_two_days]
    );
    assert_eq!(
        ids(&listed(&env, &["--due-within", "47h"])),
        vec![last_week, yesterday, due_now]
    );
    assert_eq!(
        ids(&listed(&env, &[])),
        vec![last_week, yesterday, due_now, in_two_days, in_ten_days]
    );
    // A later clock sees more overdue.
    let later = env
        .run_at(
            "2026-03-05T00:00:00Z",
            &["follow-up", "list", "--overdue", "--format", "json"],
        )
        .success()
        .json();
    let later = later.as_array().cloned().unwrap_or_default();
    assert_eq!(
        ids(&later),
        vec![last_week, yesterday, due_now, in_two_days]
    );
    env.run(&["follow-up", "list", "--overdue", "--due-within", "3d"])
        .failure(2);
}

#[test]
fn cron_gets_a_plain_table_of_what_is_overdue() {
    let env = Env::new();
    let ada = env.add(&["Ada Lovelace"]);
    let grace = env.add(&["Grace Hopper"]);
    let long_note = "Ask about the pricing tiers, the onboarding plan, the SSO question from the \
                     last call, and whether the March budget review moved to April";
    schedule(
        &env,
        ada,
        "2026-02-27 10:00",
        &["--note", "Send the quote", "--every", "2w"],
    );
    schedule(&env, grace, "yesterday", &["--note", long_note]);
    schedule(&env, ada, "+3d", &[]);
    let expected = format!(
        "ID  DUE               LEAD  NAME          NOTE{pad}EVERY\n \
         1  2026-02-27 10:00     1  Ada Lovelace  Send the quote{pad2}2w\n \
         2  2026-02-28 00:00     2  Grace Hopper  {long_note}\n",
        pad = " ".repeat(long_note.len() - 4 + 2),
        pad2 = " ".repeat(long_note.len() - "Send the quote".len() + 2),
    );
    env.run(&["follow-up", "list", "--overdue"])
        .success()
        .stdout_is(&expected);
    // Never colour in a table for cron, even when asked for colour.
    let coloured = env
        .run(&["--color", "always", "follow-up", "list", "--overdue"])
        .success();
    assert!(!coloured.stdout.contains('\u{1b}'), "{}", coloured.stdout);
    env.run(&["follow-up", "list", "--overdue", "--format", "tsv"])
        .success()
        .stdout_is(&format!(
            "id\tdue_at\tlead_id\tname\tnote\tevery\tcadence\tstep\n\
             1\t2026-02-27T10:00:00Z\t1\tAda Lovelace\tSend the quote\t2w\t\t\n\
             2\t2026-02-28T00:00:00Z\t2\tGrace Hopper\t{long_note}\t\t\t\n"
        ));
}

#[test]
fn nothing_overdue_prints_nothing_at_all() {
    let env = Env::new();
    env.create_db();
    // A fresh database, then one with only future follow-ups: both silent.
    for setup in [false, true] {
        if setup {
            let ada = env.add(&["Ada Lovelace"]);
            schedule(&env, ada, "tomorrow", &[]);
            let done = schedule(&env, ada, "yesterday", &[]);
            env.run(&["follow-up", "done", &done.to_string()]).success();
        }
        for format in ["table", "tsv", "csv", "ndjson"] {
            env.run(&["follow-up", "list", "--overdue", "--format", format])
                .success()
                .stdout_is("");
            let run = env.run(&["follow-up", "list", "--overdue", "--format", format]);
            assert_eq!(run.stderr, "", "--format {format} wrote on stderr");
        }
        env.run(&["follow-up", "list", "--overdue", "--format", "json"])
            .success()
            .stdout_is("[]\n");
        env.run(&["follow-up", "list", "--overdue"])
            .success()
            .stdout_is("");
    }
    // Without --overdue, an empty list says so on stderr only (and not with --quiet).
    env.run(&["follow-up", "list", "--due-within", "1h", "--format", "csv"])
        .success()
        .stdout_is("")
        .stderr_has("no follow-ups due");
    let quiet = env
        .run(&["--quiet", "follow-up", "list", "--due-within", "1h"])
        .success()
        .stdout_is("");
    assert_eq!(quiet.stderr, "");
}

#[test]
fn done_closes_and_keeps_next_follow_up_in_step() {
    let env = Env::new();
    let ada = env.add(&["Ada Lovelace"]);
    let first = schedule(&env, ada, "yesterday", &[]);
    let second = schedule(&env, ada, "friday", &[]);
    assert_eq!(env.show(ada)["next_follow_up"], "2026-02-28T00:00:00Z");

    env.run(&["follow-up", "done", &first.to_string()])
        .success()
        .stdout_is("")
        .stderr_has("follow-up 1 with Ada Lovelace done");
    assert_eq!(ids(&listed(&env, &[])), vec![second]);
    assert_eq!(listed(&env, &["--overdue"]), Vec::<Value>::new());
    let shown = env.show(ada);
    assert_eq!(shown["next_follow_up"], "2026-03-06T00:00:00Z");
    let follow_ups = shown["follow_ups"].as_array().cloned().unwrap_or_default();
    let done = follow_ups.iter().find(|f| f["id"] == first);
    assert_eq!(
        done.map(|f| f["done_at"].clone()),
        Some(Value::from("2026-03-01T09:00:00Z"))
    );

    // Done twice changes nothing and says so.
    env.run(&["follow-up", "done", &first.to_string()])
        .success()
        .stderr_has("follow-up 1 was already done on 2026-03-01 09:00; nothing changed");
    env.run(&["follow-up", "done", &second.to_string()])
        .success();
    assert_eq!(env.show(ada)["next_follow_up"], Value::Null);
}

#[test]
fn snooze_moves_the_due_time() {
    let env = Env::new();
    let ada = env.add(&["Ada Lovelace"]);
    let id = schedule(&env, ada, "2026-02-20", &[]).to_string();
    env.run(&["follow-up", "snooze", &id, "--until", "thursday 15:00"])
        .success()
        .stdout_is("")
        .stderr_has("follow-up 1 with Ada Lovelace snoozed until 2026-03-05 15:00");
    assert_eq!(due_of(&env, 1), "2026-03-05T15:00:00Z");
    assert_eq!(listed(&env, &["--overdue"]), Vec::<Value>::new());
    assert_eq!(env.show(ada)["next_follow_up"], "2026-03-05T15:00:00Z");

    // Snoozing into the past is allowed, with a warning that it stays overdue.
    env.run(&["follow-up", "snooze", &id, "--until", "yesterday"])
        .success()
        .stderr_has("is still overdue");
    assert_eq!(ids(&listed(&env, &["--overdue"])), vec![1]);

    env.run(&["follow-up", "done", &id]).success();
    env.run(&["follow-up", "snooze", &id, "--until", "+1d"])
        .failure(4)
        .stderr_has("follow-up 1 was done on 2026-03-01 09:00")
        .stderr_has("leads follow-up add 1 --due WHEN");
}

#[test]
fn a_recurring_follow_up_schedules_the_next_when_done() {
    let env = Env::new();
    let ada = env.add(&["Ada Lovelace"]);
    let first = schedule(
        &env,
        ada,
        "2026-02-27 10:00",
        &["--every", "2w", "--note", "Check in"],
    );
    env.run(&["follow-up", "done", &first.to_string()])
        .success()
        .stdout_is("")
        .stderr_has(
            "follow-up 1 with Ada Lovelace done: call logged (engagement 0 -> 15, score 0 -> 5); \
             now contacted; next: follow-up 2 due 2026-03-13 10:00",
        );
    assert_eq!(
        listed(&env, &[]),
        vec![serde_json::json!({
            "id": 2, "lead_id": ada, "name": "Ada Lovelace", "due_at": "2026-03-13T10:00:00Z",
            "note": "Check in", "every": "2w", "done_at": null, "cadence": null, "step": null,
            "kind": "call"
        })]
    );
    assert_eq!(env.show(ada)["next_follow_up"], "2026-03-13T10:00:00Z");

    // Done early (before it is due): the cadence keeps its dates.
    env.run(&["follow-up", "done", "2"])
        .success()
        .stderr_has("next: follow-up 3 due 2026-03-27 10:00");
}

#[test]
fn a_neglected_cadence_resumes_after_now_without_a_flood() {
    let env = Env::new();
    let ada = env.add(&["Ada Lovelace"]);
    // Due ten weeks ago, every two weeks: five missed dates are skipped, not listed.
    schedule(&env, ada, "2025-12-21 09:00", &["--every", "2w"]);
    env.run(&["follow-up", "done", "1"])
        .success()
        .stderr_has("next: follow-up 2 due 2026-03-15 09:00");
    assert_eq!(ids(&listed(&env, &[])), vec![2]);
    assert_eq!(listed(&env, &["--overdue"]), Vec::<Value>::new());

    // Monthly from the 31st keeps to month ends.
    schedule(&env, ada, "2026-01-31", &["--every", "1mo"]);
    env.run(&["follow-up", "done", "3"])
        .success()
        .stderr_has("next: follow-up 4 due 2026-03-31 00:00");
}

#[test]
fn do_not_contact_leads_never_appear() {
    let env = Env::new();
    let ada = env.add(&["Ada Lovelace"]);
    let dana = env.add(&["Dana Scully", "--do-not-contact"]);
    schedule(&env, ada, "yesterday", &[]);
    // Scheduling is allowed (the flag may be lifted later) but warned about.
    env.run(&["follow-up", "add", &dana.to_string(), "--due", "yesterday"])
        .success()
        .stdout_is("2\n")
        .stderr_has("lead 2 is marked do-not-contact")
        .stderr_has("its follow-ups are not listed");
    for flags in [&[][..], &["--overdue"], &["--due-within", "1w"]] {
        assert_eq!(ids(&listed(&env, flags)), vec![1], "{flags:?}");
    }
    let ics = env
        .run(&["follow-up", "list", "--format", "ics"])
        .success()
        .stdout;
    assert!(!ics.contains("Dana"), "{ics}");
    let overdue_leads = env
        .run(&["list", "--overdue", "--format", "json"])
        .success()
        .json();
    assert_eq!(overdue_leads.as_array().map(Vec::len), Some(1));
    assert_eq!(overdue_leads[0]["id"], ada);

    // A lead marked do-not-contact after scheduling disappears too; lifting brings it back.
    env.run(&["edit", &ada.to_string(), "--do-not-contact", "true"])
        .success();
    env.run(&["follow-up", "list", "--overdue"])
        .success()
        .stdout_is("");
    env.run(&["edit", &dana.to_string(), "--do-not-contact", "false"])
        .success();
    assert_eq!(ids(&listed(&env, &["--overdue"])), vec![2]);
}

#[test]
fn closed_leads_are_not_listed() {
    let env = Env::new();
    let ada = env.add(&["Ada Lovelace"]);
    let grace = env.add(&["Grace Hopper"]);
    schedule(&env, ada, "yesterday", &[]);
    schedule(&env, grace, "yesterday", &[]);
    env.run(&["status", &grace.to_string(), "won"]).success();
    assert_eq!(ids(&listed(&env, &["--overdue"])), vec![1]);
    let overdue_leads = env
        .run(&["list", "--overdue", "--format", "json"])
        .success()
        .json();
    assert_eq!(overdue_leads.as_array().map(Vec::len), Some(1));
    env.run(&["follow-up", "add", &grace.to_string(), "--due", "+1w"])
        .success()
        .stderr_has("lead 2 is closed (won)");
}

#[test]
fn lead_list_overdue_and_sort_by_follow_up() {
    let env = Env::new();
    let ada = env.add(&["Ada Lovelace"]);
    let grace = env.add(&["Grace Hopper"]);
    let linus = env.add(&["Linus Torvalds"]);
    let _none = env.add(&["Margaret Hamilton"]);
    schedule(&env, ada, "+5d", &[]);
    schedule(&env, grace, "yesterday", &[]);
    let linus_fu = schedule(&env, linus, "2026-02-01", &[]);
    schedule(&env, linus, "+1d", &[]);

    let list = |flags: &[&str]| {
        let mut args = vec!["list", "--format", "json"];
        args.extend_from_slice(flags);
        let leads = env.run(&args).success().json();
        leads
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| {
                (
                    l["id"].as_i64().unwrap_or_default(),
                    l["next_follow_up"].as_str().unwrap_or("-").to_string(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        list(&["--overdue"]),
        vec![
            (grace, "2026-02-28T00:00:00Z".into()),
            (linus, "2026-02-01T00:00:00Z".into())
        ]
    );
    assert_eq!(
        list(&["--sort", "follow-up"]),
        vec![
            (linus, "2026-02-01T00:00:00Z".into()),
            (grace, "2026-02-28T00:00:00Z".into()),
            (ada, "2026-03-06T09:00:00Z".into()),
            (4, "-".into()),
        ]
    );
    // Done with Linus's overdue one: his next is the one tomorrow.
    env.run(&["follow-up", "done", &linus_fu.to_string()])
        .success();
    assert_eq!(
        list(&["--sort", "follow-up", "--overdue"]),
        vec![(grace, "2026-02-28T00:00:00Z".into())]
    );
    assert_eq!(
        list(&["--sort", "follow-up"]),
        vec![
            (grace, "2026-02-28T00:00:00Z".into()),
            (linus, "2026-03-02T09:00:00Z".into()),
            (ada, "2026-03-06T09:00:00Z".into()),
            (4, "-".into()),
        ]
    );
}

#[test]
fn tomorrow_in_paris_is_stored_in_utc() {
    let env = Env::new();
    let ada = env.add(&["Ada Lovelace"]).to_string();
    let paris = [("TZ", "Europe/Paris")];
    env.run_with_env(&paris, &["follow-up", "add", &ada, "--due", "tomorrow"])
        .success()
        .stderr_has("due 2026-03-02 00:00");
    env.run_with_env(
        &paris,
        &["follow-up", "add", &ada, "--due", "2026-03-05 14:30"],
    )
    .success();
    assert_eq!(due_of(&env, 1), "2026-03-01T23:00:00Z");
    assert_eq!(due_of(&env, 2), "2026-03-05T13:30:00Z");
    // Tables show local time.
    let paris_table = env
        .run_with_env(&paris, &["follow-up", "list"])
        .success()
        .stdout;
    assert!(
        paris_table.contains(" 1  2026-03-02 00:00 "),
        "{paris_table}"
    );
    let utc_table = env.run(&["follow-up", "list"]).success().stdout;
    assert!(utc_table.contains(" 1  2026-03-01 23:00 "), "{utc_table}");
}

/// A minimal RFC 5545 reader for the test: checks the physical lines, unfolds them,
/// and returns each VTODO's properties (name -> value, TEXT values unescaped).
fn parse_ics(text: &str) -> Vec<BTreeMap<String, String>> {
    assert!(text.ends_with("\r\n"), "the last line ends in CRLF");
    let physical: Vec<&str> = text[..text.len() - 2].split("\r\n").collect();
    for line in &physical {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare newline: {line:?}"
        );
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    let mut lines: Vec<String> = Vec::new();
    for line in physical {
        match line.strip_prefix(' ') {
            Some(rest) => lines
                .last_mut()
                .expect("a continuation follows a line")
                .push_str(rest),
            None => lines.push(line.to_string()),
        }
    }
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    assert!(lines.iter().any(|l| l == "VERSION:2.0"));
    assert!(lines.iter().any(|l| l.starts_with("PRODID:")));
    let mut todos = Vec::new();
    let mut current: Option<BTreeMap<String, String>> = None;
    for line in &lines {
        let (name, value) = line.split_once(':').expect("NAME:value");
        match (name, current.as_mut()) {
            ("BEGIN", None) if value == "VTODO" => current = Some(BTreeMap::new()),
            ("END", Some(_)) if value == "VTODO" => todos.extend(current.take()),
            (_, Some(todo)) => {
                let value = match name {
                    "SUMMARY" | "DESCRIPTION" => unescape(value),
                    _ => value.to_string(),
                };
                assert!(
                    todo.insert(name.to_string(), value).is_none(),
                    "{name} twice"
                );
            }
            _ => {}
        }
    }
    assert!(current.is_none(), "unterminated VTODO");
    todos
}

fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => panic!("dangling backslash in {value:?}"),
            }
        } else {
            assert!(c != ';' && c != ',', "unescaped {c:?} in {value:?}");
            out.push(c);
        }
    }
    out
}

#[test]
fn ics_parses_back_into_the_follow_ups() {
    let env = Env::new();
    let zoe = env.add(&["Zoë Château", "--company", "Café, Crème; & Co"]);
    let grace = env.add(&["Grace Hopper"]);
    let note = "Call back; ask about pricing, the \\ backslash\nand the second line — \
                plus a long tail to force folding: éééééééééééééééééééééééééééééé 🦀🦀🦀";
    schedule(
        &env,
        zoe,
        "2026-02-27 10:00",
        &["--note", note, "--every", "2w"],
    );
    schedule(&env, grace, "+3d", &[]);
    let done = schedule(&env, grace, "yesterday", &[]);
    env.run(&["follow-up", "done", &done.to_string()]).success();

    let run = env.run(&["follow-up", "list", "--format", "ics"]).success();
    let todos = parse_ics(&run.stdout);
    assert_eq!(todos.len(), 2);
    let first = &todos[0];
    assert_eq!(first["UID"], "follow-up-1@leads");
    assert_eq!(first["DTSTAMP"], "20260301T090000Z");
    // A repeating follow-up: DTSTART for its RRULE, due then (no DUE equal to DTSTART).
    assert_eq!(first["DTSTART"], "20260227T100000Z");
    assert_eq!(first["DURATION"], "PT0S");
    assert!(!first.contains_key("DUE"));
    assert_eq!(first["SUMMARY"], "Follow up: Zoë Château");
    assert_eq!(first["DESCRIPTION"], note);
    assert_eq!(first["RRULE"], "FREQ=WEEKLY;INTERVAL=2");
    assert_eq!(first["STATUS"], "NEEDS-ACTION");
    let second = &todos[1];
    assert_eq!(second["UID"], "follow-up-2@leads");
    assert_eq!(second["DUE"], "20260304T090000Z");
    assert!(!second.contains_key("DTSTART") && !second.contains_key("DURATION"));
    assert_eq!(second["SUMMARY"], "Follow up: Grace Hopper");
    assert!(!second.contains_key("DESCRIPTION") && !second.contains_key("RRULE"));

    // UIDs are stable from one export to the next; filters apply; empty is still a calendar.
    let overdue = env
        .run_at(
            "2026-03-02T09:00:00Z",
            &["follow-up", "list", "--overdue", "--format", "ics"],
        )
        .success();
    let overdue = parse_ics(&overdue.stdout);
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0]["UID"], "follow-up-1@leads");
    assert_eq!(overdue[0]["DTSTAMP"], "20260302T090000Z");
    let empty = env
        .run_at(
            "2026-01-01T00:00:00Z",
            &["follow-up", "list", "--overdue", "--format", "ics"],
        )
        .success();
    assert_eq!(parse_ics(&empty.stdout).len(), 0);
}

#[test]
fn overdue_list_reads_while_another_process_holds_the_write_lock() {
    let env = Env::sqlite();
    let ada = env.add(&["Ada Lovelace"]);
    schedule(&env, ada, "yesterday", &[]);

    // Another writer (as an import would) takes the write lock and keeps it.
    let writer = rusqlite::Connection::open(&env.db).expect("open the database");
    writer
        .execute_batch(
            "BEGIN IMMEDIATE;
             INSERT INTO leads (first_name, created_at, updated_at, next_follow_up)
             VALUES ('Uncommitted', '2026-03-01T08:00:00Z', '2026-03-01T08:00:00Z',
                     '2026-02-01T00:00:00Z');",
        )
        .expect("hold the write lock");
    // The lock is really held: a second writer cannot get it (asked without waiting:
    // rusqlite's own busy timeout is 5 s).
    let other = rusqlite::Connection::open(&env.db).expect("open the database");
    other
        .busy_timeout(Duration::ZERO)
        .expect("set the busy timeout");
    assert!(other.execute_batch("BEGIN IMMEDIATE").is_err());

    // With no patience at all for a busy database, the reader still succeeds: it never
    // needed the writer's lock.
    let run = env
        .run_with_env(
            &[("LEADS_BUSY_TIMEOUT", "0")],
            &["follow-up", "list", "--overdue"],
        )
        .success();
    assert!(run.stdout.contains("Ada Lovelace"), "{}", run.stdout);
    assert!(!run.stdout.contains("Uncommitted"), "{}", run.stdout);
    env.run(&["follow-up", "list", "--overdue", "--format", "json"])
        .success();
    env.run(&["list", "--overdue", "--format", "json"])
        .success();
    writer.execute_batch("ROLLBACK").expect("release the lock");
}

#[test]
fn overdue_list_succeeds_while_many_processes_write() {
    let env = Env::new();
    let ada = env.add(&["Ada Lovelace"]);
    schedule(&env, ada, "yesterday", &[]);
    let expected = env
        .run(&["follow-up", "list", "--overdue"])
        .success()
        .stdout;

    std::thread::scope(|scope| {
        let writers: Vec<_> = (0..4)
            .map(|writer| {
                let env = &env;
                scope.spawn(move || {
                    for n in 0..6 {
                        let email = format!("w{writer}-{n}@example.com");
                        let output = env
                            .command(&["add", "Writer Person", "--email", &email])
                            .stdin(Stdio::null())
                            .output()
                            .expect("run leads add");
                        assert!(
                            output.status.success(),
                            "leads add failed: {}",
                            String::from_utf8_lossy(&output.stderr)
                        );
                    }
                })
            })
            .collect();
        let mut reads = 0;
        while reads < 15 || writers.iter().any(|w| !w.is_finished()) {
            env.run(&["follow-up", "list", "--overdue"])
                .success()
                .stdout_is(&expected);
            reads += 1;
        }
        for writer in writers {
            writer.join().expect("a writer panicked");
        }
    });
    let leads = env.run(&["list", "--format", "json"]).success().json();
    assert_eq!(leads.as_array().map(Vec::len), Some(25));
}

#[test]
fn follow_up_list_fits_a_narrow_terminal_by_leaving_columns_out() {
    let env = Env::new();
    env.add(&[
        "Bob Anotherlongname",
        "--company",
        "Something Very Long Inc",
    ]);
    env.run(&[
        "follow-up",
        "add",
        "1",
        "--due",
        "tomorrow",
        "--every",
        "2w",
        "--note",
        "call about the contract",
    ])
    .success();
    let (_, out) = env.on_terminal(
        &[("NO_COLOR", "1"), ("COLUMNS", "60")],
        &["follow-up", "list"],
    );
    assert_eq!(
        out,
        "ID  DUE               LEAD  NAME         NOTE          EVERY\n \
          1  2026-03-02 00:00     1  Bob Anothe…  call about …  2w\n"
    );
    let (_, out) = env.on_terminal(
        &[("NO_COLOR", "1"), ("COLUMNS", "40")],
        &["follow-up", "list"],
    );
    assert_eq!(
        out,
        "ID  DUE               NAME      NOTE\n \
          1  2026-03-02 00:00  Bob Ano…  call ab…\n"
    );
}

// A VTODO's DUE is never equal to its DTSTART (RFC 5545 3.8.2.3).

#[test]
fn ics_gives_due_alone_or_a_start_for_a_recurrence_never_both_equal() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    env.run(&[
        "follow-up",
        "add",
        "1",
        "--due",
        "2026-03-05T14:30",
        "--note",
        "send the quote",
    ])
    .success();
    env.run(&[
        "follow-up",
        "add",
        "1",
        "--due",
        "2026-03-09",
        "--every",
        "1w",
    ])
    .success();
    let expected = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//leads//follow-ups//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Follow-ups",
        "BEGIN:VTODO",
        "UID:follow-up-1@leads",
        "DTSTAMP:20260301T090000Z",
        "DUE:20260305T143000Z",
        "SUMMARY:Follow up: Ada Lovelace",
        "DESCRIPTION:send the quote",
        "STATUS:NEEDS-ACTION",
        "END:VTODO",
        "BEGIN:VTODO",
        "UID:follow-up-2@leads",
        "DTSTAMP:20260301T090000Z",
        "DTSTART:20260309T000000Z",
        "DURATION:PT0S",
        "SUMMARY:Follow up: Ada Lovelace",
        "RRULE:FREQ=WEEKLY;INTERVAL=1",
        "STATUS:NEEDS-ACTION",
        "END:VTODO",
        "END:VCALENDAR",
        "",
    ]
    .join("\r\n");
    env.run(&["follow-up", "list", "--format", "ics"])
        .success()
        .stdout_is(&expected);
    // In another time zone the same moments, written in UTC.
    let new_york = env
        .run_with_env(
            &[("TZ", "America/New_York")],
            &["follow-up", "list", "--format", "ics"],
        )
        .success()
        .stdout;
    assert_eq!(new_york, expected);
    // A cadence step is a one-off follow-up: DUE alone.
    env.run(&["cadence", "add", "welcome", "2d call"]).success();
    env.run(&["nurture", "1", "--cadence", "welcome"]).success();
    let ics = env
        .run(&["follow-up", "list", "--format", "ics"])
        .success()
        .stdout;
    let step = &ics[ics.find("UID:follow-up-3@leads").expect("the step's VTODO")..];
    assert!(step.contains("DUE:20260303T090000Z\r\n"), "{ics}");
    assert_eq!(ics.matches("DTSTART").count(), 1, "{ics}");
}

#[test]
fn a_follow_up_due_in_the_past_is_said_overdue_once() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    env.run(&["follow-up", "add", "1", "--due", "yesterday"])
        .success()
        .stdout_is("1\n")
        .stderr_is(
            "follow-up 1 with Ada Lovelace (lead 1) due 2026-02-28 00:00\n\
             leads: warning: 2026-02-28 00:00 is in the past: follow-up 1 is overdue already\n",
        );
    // Earlier today is today's work: no warning, the message says it is overdue.
    env.run(&["follow-up", "add", "1", "--due", "today"])
        .success()
        .stderr_is(
            "follow-up 2 with Ada Lovelace (lead 1) due 2026-03-01 00:00 (already overdue)\n",
        );
}

#[test]
fn follow_up_delete_removes_one_follow_up() {
    let env = Env::new();
    three_leads(&env);
    env.run(&[
        "follow-up",
        "add",
        "1",
        "--due",
        "2026-03-02",
        "--note",
        "call",
    ])
    .success();
    env.run(&["follow-up", "add", "1", "--due", "2026-03-05"])
        .success();
    env.run(&["follow-up", "delete", "1"])
        .success()
        .stderr_is("deleted follow-up 1 with Ada Lovelace (lead 1), due 2026-03-02 00:00\n");
    let listed = env
        .run(&["follow-up", "list", "--format", "json"])
        .success()
        .json();
    assert_eq!(ids(listed.as_array().expect("a JSON array")), [2]);
    // The lead's next follow-up moved to the one left.
    assert_eq!(env.show(1)["next_follow_up"], json!("2026-03-05T00:00:00Z"));
    env.run(&["follow-up", "delete", "1"])
        .failure(3)
        .stderr_is("leads: no follow-up with id 1\n");
}

#[test]
fn follow_up_list_for_one_lead() {
    let env = Env::new();
    three_leads(&env);
    env.run(&["follow-up", "add", "1", "--due", "2026-03-02"])
        .success();
    env.run(&["follow-up", "add", "2", "--due", "2026-03-03"])
        .success();
    env.run(&[
        "follow-up",
        "add",
        "1",
        "--due",
        "2026-03-04",
        "--note",
        "demo",
    ])
    .success();
    env.run(&["follow-up", "list", "--lead", "1", "--format", "tsv"])
        .success()
        .stdout_is(
            "id\tdue_at\tlead_id\tname\tnote\tevery\tcadence\tstep\n\
             1\t2026-03-02T00:00:00Z\t1\tAda Lovelace\t\t\t\t\n\
             3\t2026-03-04T00:00:00Z\t1\tAda Lovelace\tdemo\t\t\t\n",
        );
    env.run(&["follow-up", "list", "--lead", "3"])
        .success()
        .stdout_is("")
        .stderr_is("no follow-ups due\n");
    env.run(&["follow-up", "list", "--lead", "9"])
        .failure(3)
        .stderr_is("leads: no lead with id 9\n");
}
