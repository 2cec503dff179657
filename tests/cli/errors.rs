//! Values leads cannot use: exit 65 naming the value and what is accepted, however it is
//! parsed (flags, `LEADS_NOW`, numbers); exit 3 for an id that does not exist; nothing
//! changed either way.

use serde_json::json;

use crate::harness::*;

#[test]
fn a_number_the_parser_refuses_is_named_with_what_is_accepted() {
    let env = Env::new();
    env.create_db();
    let cases: [(&[&str], &str); 12] = [
        (&["list", "--limit", "-1"], "invalid value '-1' for '--limit <N>': '-1' is not a count of leads (a whole number from 0, such as 50)"),
        (&["list", "--min-score", "abc"], "invalid value 'abc' for '--min-score <SCORE>': 'abc' is not a score (a whole number from 0 to 100, such as 40)"),
        (&["list", "--min-score", "101"], "'101' is not a score (a whole number from 0 to 100, such as 40)"),
        (&["qualify", "1", "abc"], "'abc' is not a lead id (a whole number such as 12)"),
        (&["show", "abc"], "invalid value 'abc' for '<ID>': 'abc' is not a lead id (a whole number such as 12)"),
        (&["follow-up", "list", "--lead", "abc"], "'abc' is not a lead id (a whole number such as 12)"),
        (&["log", "x1", "call"], "'x1' is not a lead id (a whole number such as 12)"),
        (&["follow-up", "done", "abc"], "'abc' is not a follow-up id (a whole number such as 12; see leads follow-up list)"),
        (&["spend", "delete", "abc"], "'abc' is not a spend id (a whole number such as 12; see leads spend list)"),
        (&["import", "--undo", "abc"], "'abc' is not an import batch id (a whole number such as 12; see leads import --list)"),
        (&["config", "rule", "delete", "abc"], "'abc' is not a rule id (a whole number such as 12; see leads config rule list)"),
        (&["config", "rule", "add", "industry = software", "--axis", "fit", "--points", "ten"], "invalid value 'ten' for '--points <POINTS>': 'ten' is not a number of points (a number from -100 to 100, such as 10 or -5)"),
    ];
    for (args, message) in cases {
        let run = env.run(args).failure(65).stderr_has(message);
        assert!(!run.stderr.contains("invalid digit"), "{}", run.stderr);
    }
    // An id that parses but does not exist is still "not found".
    env.run(&["show", "-1"])
        .failure(3)
        .stderr_has("no lead with id -1");
}

#[test]
fn an_unusable_value_exits_65_however_it_is_parsed() {
    let env = Env::new();
    three_leads(&env);
    let bad_values: [&[&str]; 16] = [
        &["list", "--since", "someday"],
        &["list", "--sort", "height"],
        &["list", "--grade", "E"],
        &["list", "--min-score", "101"],
        &["list", "--min-score", "lots"],
        &["list", "--limit=-1"],
        &["list", "--format", "yaml"],
        &["log", "1", "lunch"],
        &["log", "1", "call", "--at", "someday"],
        &["qualify", "1", "--budget", "maybe"],
        &["qualify", "1", "--timeline", "someday"],
        &["status", "1", "hot"],
        &["follow-up", "add", "1", "--due", "someday"],
        &[
            "follow-up",
            "add",
            "1",
            "--due",
            "+1d",
            "--every",
            "fortnight",
        ],
        &["follow-up", "list", "--due-within", "soon"],
        &["report", "--since", "someday"],
    ];
    for args in bad_values {
        env.run(args).failure(65).stderr_has("invalid value");
    }
    let malformed: [&[&str]; 5] = [
        &["list", "--sorting", "score"],
        &["list", "--since"],
        &["status", "1"],
        &["log"],
        &["frobnicate"],
    ];
    for args in malformed {
        env.run(args).failure(2);
    }
    // Nothing was written by the failures.
    assert_eq!(env.show(1)["budget"], json!("unknown"));
    env.run(&["follow-up", "list", "--format", "json"])
        .success()
        .stdout_is("[]\n");
}

#[test]
fn bad_input_changes_nothing_and_exits_65() {
    let env = Env::new();
    two_leads(&env);
    env.run(&["add", "--tag", "x"])
        .failure(65)
        .stderr_has("a lead needs at least one of");
    env.run(&["add", "Bo", "--email", "bo-at-example"])
        .failure(65)
        .stderr_has("invalid email 'bo-at-example' (expected an address like name@example.com");
    env.run(&["add", "Bo", "--size", "lots"])
        .failure(65)
        .stderr_has("invalid company size 'lots' (expected a whole number of employees");
    env.run(&["edit", "1", "--email", "nope"]).failure(65);
    env.run(&["status", "1", "hot"])
        .failure(65)
        .stderr_has("unknown status 'hot'");
    env.run(&["log", "1", "lunch"])
        .failure(65)
        .stderr_has("unknown activity 'lunch' (expected one of: email_sent");
    env.run(&["log", "1", "call", "--at", "the other day"])
        .failure(65)
        .stderr_has("accepted: now, today, tomorrow");
    assert_eq!(lead_count(&env), 2);
    let ada = env.show(1);
    assert_eq!(
        (ada["email"].as_str(), ada["status"].as_str()),
        (Some("ada@acme.test"), Some("new"))
    );
    assert_eq!(ada["activities"], json!([]));
}

#[test]
fn a_missing_id_exits_3() {
    let env = Env::new();
    two_leads(&env);
    env.run(&["show", "99"])
        .failure(3)
        .stderr_has("no lead with id 99");
    env.run(&["edit", "99", "--phone", "1"]).failure(3);
    env.run(&["status", "99", "won"]).failure(3);
    env.run(&["log", "99", "call"]).failure(3);
    env.run(&["show", "abc"]).failure(65);
    env.run(&["show"]).failure(2);
}

#[test]
fn a_bad_leads_now_is_an_error() {
    let env = Env::new();
    env.run_at("yesterday-ish", &["list"])
        .failure(65)
        .stderr_has("LEADS_NOW 'yesterday-ish' is not an RFC 3339 date-time");
}

#[test]
fn edge_values_are_refused_with_a_clear_message() {
    let env = Env::new();
    env.add(&["Bo"]);
    env.run(&["log", "1", "meeting", "--at", "2030-01-01"])
        .failure(65)
        .stderr_has("'2030-01-01' is in the future");
    env.run(&["add", "Cy", "--source", "!!!"])
        .failure(65)
        .stderr_has("invalid source '!!!'");
    env.run(&["list", "--limit", "9223372036854775808"])
        .failure(65);
    let mut command = env.command(&["list"]);
    command.env("LEADS_BUSY_TIMEOUT", "soon");
    let output = command.output().unwrap();
    assert_eq!(output.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&output.stderr).contains("LEADS_BUSY_TIMEOUT 'soon'"));
    assert_eq!(lead_count(&env), 1);
}
