//! `leads today`: the agenda. Every reason is built and named, in its order; closed,
//! do-not-contact and forgotten leads never appear; expected value orders the rest; the
//! agenda is silent when nothing needs the seller (cron mails whatever a job prints).
use serde_json::{json, Value};

use crate::harness::Env;

/// Monday 2026-03-02, 09:00 UTC: the morning of every test here.
const MONDAY: &str = "2026-03-02T09:00:00Z";

/// `today --format json` at `now`, as (lead, reason, reasons, why) lines.
fn agenda(env: &Env, now: &str) -> Vec<(i64, String, Vec<String>, String)> {
    let run = env.run_at(now, &["today", "--format", "json"]).success();
    run.json()
        .as_array()
        .expect("an array")
        .iter()
        .map(|entry| {
            (
                entry["lead_id"].as_i64().expect("a lead id"),
                entry["reason"].as_str().expect("a reason").to_string(),
                entry["reasons"]
                    .as_array()
                    .expect("reasons")
                    .iter()
                    .map(|r| r.as_str().expect("a reason").to_string())
                    .collect(),
                entry["why"].as_str().expect("why").to_string(),
            )
        })
        .collect()
}

fn add_at(env: &Env, now: &str, args: &[&str]) -> i64 {
    let mut full = vec!["add"];
    full.extend_from_slice(args);
    env.run_at(now, &full)
        .success()
        .stdout
        .trim()
        .parse()
        .expect("add prints the id")
}

fn run(env: &Env, now: &str, args: &[&str]) {
    env.run_at(now, args).success();
}

/// One lead for each reason, and one of each kind that must stay off.
fn a_seller_s_monday(env: &Env) -> [i64; 6] {
    let before = "2026-02-01T09:00:00Z";
    let ada = add_at(
        env,
        before,
        &["Ada Lovelace", "--phone", "+44 20 7946 0000"],
    );
    let grace = add_at(env, before, &["Grace Hopper", "--company", "Navy"]);
    let linus = add_at(env, before, &["Linus Torvalds"]);
    let margaret = add_at(env, MONDAY, &["Margaret Hamilton"]);
    let barbara = add_at(env, before, &["Barbara Liskov"]);
    let ken = add_at(env, before, &["Ken Thompson"]);
    run(
        env,
        before,
        &[
            "follow-up",
            "add",
            &ada.to_string(),
            "--due",
            "2026-02-27",
            "--note",
            "ask about the trial",
        ],
    );
    run(
        env,
        MONDAY,
        &[
            "follow-up",
            "add",
            &grace.to_string(),
            "--due",
            "today 15:00",
            "--kind",
            "email_sent",
            "--note",
            "send the quote",
        ],
    );
    run(
        env,
        MONDAY,
        &[
            "log",
            &linus.to_string(),
            "email_replied",
            "--at",
            "2026-02-28 10:00",
        ],
    );
    run(env, MONDAY, &["status", &margaret.to_string(), "qualified"]);
    run(env, before, &["status", &barbara.to_string(), "contacted"]);
    run(
        env,
        "2026-02-10T09:00:00Z",
        &["log", &ken.to_string(), "call", "--outcome", "no_answer"],
    );
    [ada, grace, linus, margaret, barbara, ken]
}

#[test]
fn every_reason_is_named_in_its_order_with_its_words() {
    let env = Env::new();
    let [ada, grace, linus, margaret, barbara, ken] = a_seller_s_monday(&env);
    let reasons = |r: &[&str]| r.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let lines = agenda(&env, MONDAY);
    // Overdue and due today first, by due time; then the rest by expected value (score
    // here: no deal values, no model), the highest first.
    assert_eq!(
        lines[0],
        (
            ada,
            "overdue".into(),
            reasons(&["overdue"]),
            "call: ask about the trial, 3 days overdue".into()
        )
    );
    assert_eq!(
        lines[1],
        (
            grace,
            "due_today".into(),
            reasons(&["due_today"]),
            "email_sent: send the quote, due today".into()
        )
    );
    let mut rest = lines[2..].to_vec();
    rest.sort_by_key(|line| line.0);
    assert_eq!(
        rest,
        vec![
            (
                linus,
                "no_next_step".into(),
                reasons(&["no_next_step"]),
                "replied 2 days ago, nothing planned".into()
            ),
            (
                margaret,
                "no_next_step".into(),
                reasons(&["no_next_step"]),
                "qualified, nothing planned".into()
            ),
            (
                barbara,
                "going_cold".into(),
                reasons(&["going_cold"]),
                "never touched, added 29 days ago".into()
            ),
            (
                ken,
                "going_cold".into(),
                reasons(&["going_cold"]),
                "no touch for 20 days".into()
            ),
        ]
    );
    let scores: Vec<i64> = env
        .run_at(MONDAY, &["today", "--format", "json"])
        .success()
        .json()
        .as_array()
        .unwrap()[2..]
        .iter()
        .map(|e| e["score"].as_i64().unwrap())
        .collect();
    let mut sorted = scores.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(scores, sorted, "the rest by expected value, highest first");
}

#[test]
fn the_json_names_the_follow_up_and_the_last_touch() {
    let env = Env::new();
    let [ada, _, linus, ..] = a_seller_s_monday(&env);
    let all = env
        .run_at(MONDAY, &["today", "--format", "json"])
        .success()
        .json();
    let entry = |id: i64| -> Value {
        all.as_array()
            .unwrap()
            .iter()
            .find(|e| e["lead_id"] == id)
            .cloned()
            .unwrap()
    };
    let ada_entry = entry(ada);
    assert_eq!(ada_entry["follow_up_id"], 1);
    assert_eq!(ada_entry["due_at"], "2026-02-27T00:00:00Z");
    assert_eq!(ada_entry["phone"], "+44 20 7946 0000");
    assert_eq!(ada_entry["last_touch_at"], Value::Null);
    let linus_entry = entry(linus);
    assert_eq!(linus_entry["follow_up_id"], Value::Null);
    assert_eq!(linus_entry["last_touch_at"], "2026-02-28T10:00:00Z");
    assert_eq!(linus_entry["last_touch_kind"], "email_replied");
    let keys: Vec<&str> = ada_entry
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "lead_id",
            "name",
            "company",
            "phone",
            "email",
            "reason",
            "reasons",
            "why",
            "follow_up_id",
            "due_at",
            "last_touch_at",
            "last_touch_kind",
            "score",
            "grade",
            "win_probability"
        ]
    );
}

#[test]
fn the_table_shows_how_to_reach_them_and_why() {
    let env = Env::new();
    a_seller_s_monday(&env);
    let table = env
        .run_at(MONDAY, &["today", "--limit", "2"])
        .success()
        .stdout;
    assert_eq!(
        table,
        "ID  NAME          COMPANY  PHONE             WHY                                                      LAST TOUCH  SCORE\n \
         1  Ada Lovelace           +44 20 7946 0000  call: ask about the trial, 3 days overdue (follow-up 1)                  2\n \
         2  Grace Hopper  Navy                       email_sent: send the quote, due today (follow-up 2)                      2\n"
    );
}

#[test]
fn on_a_narrow_terminal_why_and_phone_stay() {
    let env = Env::new();
    a_seller_s_monday(&env);
    let mut env = env;
    env.now = MONDAY.to_string();
    let (code, screen) = env.on_terminal(&[("COLUMNS", "60")], &["today", "--limit", "1"]);
    assert_eq!(code, 0, "{screen}");
    let lines: Vec<&str> = screen.lines().collect();
    assert!(
        lines[0].contains("PHONE") && lines[0].contains("WHY"),
        "{screen}"
    );
    assert!(!lines[0].contains("COMPANY"), "{screen}");
    assert!(lines[1].contains("+44 20 7946 0000"), "{screen}");
    // WHY is never cut (it names the follow-up to close): the name is, and the columns
    // that may go are gone.
    assert!(
        lines[1].ends_with("call: ask about the trial, 3 days overdue (follow-up 1)"),
        "{screen}"
    );
    assert!(lines[1].contains("Ada L…"), "{screen}");
    assert!(
        !lines[0].contains("SCORE") && !lines[0].contains("LAST TOUCH"),
        "{screen}"
    );
}

#[test]
fn closed_do_not_contact_and_forgotten_leads_never_appear() {
    let env = Env::new();
    let before = "2026-02-01T09:00:00Z";
    let won = add_at(&env, before, &["Won Deal", "--email", "won@x.test"]);
    let banned = add_at(&env, before, &["Do Not Call", "--email", "dnc@x.test"]);
    let gone = add_at(&env, before, &["Gone Person", "--email", "gone@x.test"]);
    let lost = add_at(&env, before, &["Lost Deal", "--email", "lost@x.test"]);
    for id in [won, banned, gone, lost] {
        let id = id.to_string();
        run(
            &env,
            before,
            &["follow-up", "add", &id, "--due", "2026-02-20"],
        );
        run(
            &env,
            before,
            &["log", &id, "email_replied", "--at", "2026-02-01 08:00"],
        );
    }
    run(&env, MONDAY, &["status", &won.to_string(), "won"]);
    run(&env, MONDAY, &["status", &lost.to_string(), "lost"]);
    run(
        &env,
        MONDAY,
        &["edit", &banned.to_string(), "--do-not-contact"],
    );
    run(&env, MONDAY, &["forget", &gone.to_string(), "--force"]);
    // Each would be overdue, and going cold, were it open and reachable.
    env.run_at(MONDAY, &["today"])
        .success()
        .stdout_is("")
        .stderr_is("");
    env.run_at(MONDAY, &["today", "--format", "json"])
        .success()
        .stdout_is("[]\n");
}

#[test]
fn nothing_to_do_prints_nothing_for_cron() {
    let env = Env::new();
    // A new lead nobody has worked, and one whose next step is planned.
    add_at(&env, MONDAY, &["Fresh Lead"]);
    let planned = add_at(&env, MONDAY, &["Planned Lead"]);
    run(&env, MONDAY, &["status", &planned.to_string(), "qualified"]);
    run(
        &env,
        MONDAY,
        &["follow-up", "add", &planned.to_string(), "--due", "friday"],
    );
    env.run_at(MONDAY, &["today"])
        .success()
        .stdout_is("")
        .stderr_is("");
    for format in ["csv", "tsv", "ndjson"] {
        env.run_at(MONDAY, &["today", "--format", format])
            .success()
            .stdout_is("");
    }
}

#[test]
fn a_read_never_creates_the_database() {
    let env = Env::new();
    env.run(&["today"]).failure(66);
    assert!(!env.db.exists());
}

#[test]
fn going_cold_waits_for_agenda_cold_after() {
    let env = Env::new();
    let before = "2026-02-20T09:00:00Z"; // 10 days before Monday
    let lead = add_at(&env, before, &["Slow Lead"]);
    run(&env, before, &["log", &lead.to_string(), "email_sent"]);
    assert!(agenda(&env, MONDAY).is_empty(), "14 days by default");
    run(&env, MONDAY, &["config", "agenda.cold_after", "1w"]);
    env.run_at(MONDAY, &["config", "agenda.cold_after"])
        .success()
        .stdout_is("1w\n");
    assert_eq!(agenda(&env, MONDAY)[0].3, "no touch for 10 days");
    env.run_at(MONDAY, &["config", "agenda.cold_after", "soon"])
        .failure(65);
    run(&env, MONDAY, &["config", "agenda.cold_after", "default"]);
    assert!(agenda(&env, MONDAY).is_empty());
}

#[test]
fn expected_value_puts_a_big_deal_before_a_higher_score() {
    let env = Env::new();
    let big = add_at(
        &env,
        MONDAY,
        &[
            "Big Deal",
            "--email",
            "big@acme.test",
            "--source",
            "referral",
        ],
    );
    let warm = add_at(
        &env,
        MONDAY,
        &[
            "Warm Lead",
            "--email",
            "warm@acme.test",
            "--title",
            "CEO",
            "--source",
            "referral",
        ],
    );
    let small = add_at(
        &env,
        MONDAY,
        &[
            "Small Deal",
            "--email",
            "small@acme.test",
            "--title",
            "CEO",
            "--source",
            "referral",
        ],
    );
    for id in [big, warm, small] {
        run(&env, MONDAY, &["status", &id.to_string(), "qualified"]);
    }
    run(
        &env,
        MONDAY,
        &["edit", &big.to_string(), "--value", "20000"],
    );
    run(
        &env,
        MONDAY,
        &["edit", &small.to_string(), "--value", "1000"],
    );
    let all = env
        .run_at(MONDAY, &["today", "--format", "json"])
        .success()
        .json();
    let score = |id: i64| {
        all.as_array()
            .unwrap()
            .iter()
            .find(|e| e["lead_id"] == id)
            .unwrap()["score"]
            .as_i64()
            .unwrap()
    };
    assert!(score(warm) > score(big), "the warm lead scores higher");
    // p × v: the big deal's own value; the warm lead's the median of the open values
    // (10500); the small deal's own 1000.
    let order: Vec<i64> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["lead_id"].as_i64().unwrap())
        .collect();
    assert_eq!(order, [big, warm, small]);
    let limited = env
        .run_at(MONDAY, &["today", "--format", "json", "--limit", "1"])
        .success()
        .json();
    assert_eq!(limited.as_array().unwrap().len(), 1);
    assert_eq!(limited[0]["lead_id"], big);
}

#[test]
fn days_are_the_seller_s_own_in_any_time_zone() {
    // 23:30 on Monday in Auckland is 10:30 UTC Monday: a follow-up due Tuesday local is
    // not due today there, and one due Monday local is.
    let env = Env::new();
    let lead = env.add(&["Ada Lovelace"]);
    let now = "2026-03-02T10:30:00Z"; // Monday 23:30 NZDT
    let mut command = env.command(&[
        "follow-up",
        "add",
        &lead.to_string(),
        "--due",
        "2026-03-02 20:00",
    ]);
    command.env("TZ", "Pacific/Auckland").env("LEADS_NOW", now);
    assert!(command.output().unwrap().status.success());
    let mut today = env.command(&["today", "--format", "json"]);
    today.env("TZ", "Pacific/Auckland").env("LEADS_NOW", now);
    let out: Value = serde_json::from_slice(&today.output().unwrap().stdout).unwrap();
    assert_eq!(out[0]["reason"], json!("due_today"));
    // An hour later it is Tuesday there: the follow-up is a day overdue.
    let mut tuesday = env.command(&["today", "--format", "json"]);
    tuesday
        .env("TZ", "Pacific/Auckland")
        .env("LEADS_NOW", "2026-03-02T11:30:00Z");
    let out: Value = serde_json::from_slice(&tuesday.output().unwrap().stdout).unwrap();
    assert_eq!(out[0]["reason"], json!("overdue"));
    assert_eq!(out[0]["why"], json!("call, 1 day overdue"));
}

/// The README's morning ("Your day"), replayed: the same four leads worked over the
/// last weeks, then each `$ leads ...` line of the block must print the lines under it.
#[test]
fn the_readme_s_morning_runs_as_shown() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("the README");
    let block = readme
        .split_once("## Your day\n")
        .and_then(|(_, rest)| rest.split_once("```text\n"))
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .expect("the README's Your day section has a worked example");

    let env = Env::new();
    let weeks_ago = "2026-02-02T09:00:00Z";
    for lead in [
        &[
            "Ada Lovelace",
            "--company",
            "Analytical Engines",
            "--phone",
            "+44 20 7946 0000",
            "--email",
            "ada@engines.test",
            "--title",
            "CEO",
            "--source",
            "referral",
        ][..],
        &[
            "Grace Hopper",
            "--company",
            "US Navy",
            "--phone",
            "+1 555 0100",
            "--email",
            "grace@navy.test",
            "--title",
            "Rear Admiral",
            "--source",
            "trade_show",
        ],
        &[
            "Linus Torvalds",
            "--company",
            "Linux Foundation",
            "--phone",
            "+1 555 0101",
            "--email",
            "linus@lf.test",
            "--source",
            "web_form",
        ],
        &[
            "Margaret Hamilton",
            "--company",
            "Draper Lab",
            "--phone",
            "+1 555 0102",
            "--email",
            "margaret@draper.test",
            "--source",
            "conference",
        ],
    ] {
        add_at(&env, weeks_ago, lead);
    }
    let last_week = "2026-02-25T09:00:00Z";
    run(
        &env,
        last_week,
        &[
            "follow-up",
            "add",
            "1",
            "--due",
            "2026-02-27",
            "--note",
            "ask about the trial",
        ],
    );
    run(
        &env,
        last_week,
        &[
            "follow-up",
            "add",
            "2",
            "--due",
            "2026-03-02 14:00",
            "--kind",
            "email_sent",
            "--note",
            "send the quote",
        ],
    );
    run(
        &env,
        "2026-02-28T11:00:00Z",
        &["log", "3", "email_replied", "--note", "interested, call me"],
    );
    run(
        &env,
        "2026-02-09T09:00:00Z",
        &["log", "4", "email_sent", "--note", "intro"],
    );

    let commands = crate::harness::replay(&env, block, "");
    assert_eq!(commands, 5);
}

#[test]
fn a_lead_overdue_and_due_today_says_both_and_limit_zero_is_nothing() {
    let env = Env::new();
    let ada = add_at(&env, "2026-02-01T09:00:00Z", &["Ada Lovelace"]);
    run(
        &env,
        MONDAY,
        &[
            "follow-up",
            "add",
            &ada.to_string(),
            "--due",
            "2026-02-27",
            "--note",
            "callback about pricing",
        ],
    );
    run(
        &env,
        MONDAY,
        &["follow-up", "add", &ada.to_string(), "--due", "today 15:00"],
    );
    let lines = agenda(&env, MONDAY);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].2, ["overdue", "due_today"]);
    // A note that starts with the kind's letters still says its kind.
    assert_eq!(lines[0].3, "call: callback about pricing, 3 days overdue");
    env.run_at(MONDAY, &["today", "--limit", "0"])
        .success()
        .stdout_is("");
}

/// The stored scores' day and a lead's stored score, read from the file itself (a `leads`
/// command would refresh them first).
fn stored_day_and_score(env: &Env, id: i64) -> (Option<String>, i64) {
    let conn = rusqlite::Connection::open(&env.db).expect("the database");
    let day = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'scores.day'",
            [],
            |row| row.get(0),
        )
        .ok();
    let score = conn
        .query_row("SELECT score FROM leads WHERE id = ?1", [id], |row| {
            row.get(0)
        })
        .expect("the lead");
    (day, score)
}

/// Cron's `today` is the first read of the day: on a large database the day's refresh of
/// the decaying scores (1.25 s on a million leads) would be most of its time, so it is
/// started in a process of its own and the agenda does not wait; that process makes the
/// scores current soon after. (A small refresh is done in place: every other test here.)
#[test]
fn the_first_agenda_of_a_day_leaves_a_long_refresh_to_a_process_of_its_own() {
    first_agenda_of_a_day(&[], "2026-03-23T09:00:00Z", "2026-03-23");
}

/// The same in Auckland (UTC+13 then): the day the refresh records is the seller's,
/// already the 24th at 12:00 UTC on the 23rd.
#[test]
fn the_background_refresh_counts_the_seller_s_day() {
    first_agenda_of_a_day(
        &[("TZ", "Pacific/Auckland")],
        "2026-03-23T12:00:00Z",
        "2026-03-24",
    );
}

/// A lead with a meeting on Monday; `today` at `later` (in `vars`' time zone) with any
/// refresh counted as long, while another program writes; the refresh records `day`.
fn first_agenda_of_a_day(vars: &[(&str, &str)], later: &str, day: &str) {
    // The background refresh is an SQLite file's (a server's URL is kept off the command
    // line, and its refresh done in place).
    let env = Env::sqlite();
    let command = |now: &str, args: &[&str]| {
        let mut command = env.command(args);
        command.env("LEADS_NOW", now).envs(vars.iter().copied());
        command
    };
    let added = command(
        MONDAY,
        &["add", "Ada Lovelace", "--phone", "+44 20 7946 0000"],
    )
    .output()
    .expect("leads runs");
    let ada: i64 = String::from_utf8_lossy(&added.stdout)
        .trim()
        .parse()
        .expect("an id");
    for args in [&["log", &ada.to_string(), "meeting"][..], &["today"]] {
        assert!(command(MONDAY, args)
            .status()
            .expect("leads runs")
            .success());
    }
    let (monday, monday_score) = stored_day_and_score(&env, ada);
    assert!(monday.is_some());

    // `today` answers at once, exit 0, and leaves the scores as they were (a refresh in
    // place would skip, busy, and never come back).
    let mut writer = rusqlite::Connection::open(&env.db).expect("the database");
    let writing = writer
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .expect("the write lock");
    let mut today = command(later, &["today", "--format", "json"]);
    today.env("LEADS_BACKGROUND_REFRESH_FROM", "1");
    let output = today.output().expect("leads runs");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(
        output.stderr, b"",
        "nothing said: cron mails what a job prints"
    );
    assert_eq!(stored_day_and_score(&env, ada), (monday, monday_score));
    writing.commit().expect("the other program ends");

    // The process of its own waited its turn: the day is recorded and the meeting has
    // decayed (waited for up to ten seconds, checked every 20 ms).
    let started = std::time::Instant::now();
    let (recorded, score) = loop {
        let (recorded, score) = stored_day_and_score(&env, ada);
        if recorded.as_deref() == Some(day) || started.elapsed().as_secs() >= 10 {
            break (recorded, score);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(recorded.as_deref(), Some(day), "the refresh never landed");
    assert!(score < monday_score, "{score} after {monday_score}");
}
