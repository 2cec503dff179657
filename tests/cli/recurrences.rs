//! Recurring follow-ups keep their wall-clock time across daylight-saving changes: a
//! daily 09:00 stays 09:00 local; a time that does not exist on the day clocks go
//! forward moves to the next valid time for that day only, and is back the day after; a
//! monthly one at the end of the range of dates ends.
use serde_json::Value;

use crate::harness::Env;

const NEW_YORK: &str = "America/New_York";
const PARIS: &str = "Europe/Paris";

/// The open follow-ups' due times, as stored (UTC).
fn open_due(env: &Env) -> Vec<String> {
    let listed = env.run(&["follow-up", "list", "--format", "tsv"]).success();
    listed
        .stdout
        .lines()
        .skip(1)
        .map(|line| line.split('\t').nth(1).expect("due_at").to_string())
        .collect()
}

/// Schedule `--due DUE --every EVERY` in `tz` at `now`; returns the follow-up's id.
fn schedule(env: &Env, tz: &str, now: &str, due: &str, every: &str) -> String {
    let run = env
        .run_with_env(
            &[("TZ", tz), ("LEADS_NOW", now)],
            &["follow-up", "add", "1", "--due", due, "--every", every],
        )
        .success();
    run.stdout.trim().to_string()
}

/// Mark follow-up `id` done at `now` in `tz`; returns the id of the next one.
fn done(env: &Env, tz: &str, now: &str, id: &str) -> String {
    env.run_with_env(
        &[("TZ", tz), ("LEADS_NOW", now)],
        &["follow-up", "done", id],
    )
    .success();
    let listed = env.run(&["follow-up", "list", "--format", "json"]).json();
    let Value::Array(items) = listed else {
        panic!("expected a JSON array, got {listed}");
    };
    assert_eq!(items.len(), 1, "one open follow-up: {items:?}");
    items[0]["id"].to_string()
}

#[test]
fn a_daily_nine_oclock_stays_nine_oclock_when_new_york_springs_forward() {
    // New York moves to summer time on Sunday 2026-03-08 at 02:00.
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    let first = schedule(
        &env,
        NEW_YORK,
        "2026-03-07T12:00:00Z",
        "2026-03-07 09:00",
        "1d",
    );
    let next = done(&env, NEW_YORK, "2026-03-08T15:00:00Z", &first);
    assert_eq!(open_due(&env), ["2026-03-09T13:00:00Z"]); // 09:00 EDT
    done(&env, NEW_YORK, "2026-03-09T14:00:00Z", &next);
    assert_eq!(open_due(&env), ["2026-03-10T13:00:00Z"]); // 09:00 EDT
}

#[test]
fn a_daily_half_past_two_moves_only_on_the_day_it_does_not_exist() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    let first = schedule(
        &env,
        NEW_YORK,
        "2026-03-06T12:00:00Z",
        "2026-03-07 02:30",
        "1d",
    );
    // Done on Saturday: Sunday's 02:30 does not exist, 03:30 is the next valid time.
    let sunday = done(&env, NEW_YORK, "2026-03-07T12:00:00Z", &first);
    assert_eq!(open_due(&env), ["2026-03-08T07:30:00Z"]); // 03:30 EDT

    // Done on Sunday: Monday is 02:30 again.
    let monday = done(&env, NEW_YORK, "2026-03-08T12:00:00Z", &sunday);
    assert_eq!(open_due(&env), ["2026-03-09T06:30:00Z"]); // 02:30 EDT
    done(&env, NEW_YORK, "2026-03-09T12:00:00Z", &monday);
    assert_eq!(open_due(&env), ["2026-03-10T06:30:00Z"]); // 02:30 EDT
}

#[test]
fn a_weekly_half_past_two_in_paris_is_back_the_week_after_the_change() {
    // Paris moves to summer time on Sunday 2026-03-29 at 02:00.
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    let first = schedule(
        &env,
        PARIS,
        "2026-03-20T12:00:00Z",
        "2026-03-22 02:30",
        "1w",
    );
    let moved = done(&env, PARIS, "2026-03-22T12:00:00Z", &first);
    assert_eq!(open_due(&env), ["2026-03-29T01:30:00Z"]); // 03:30 CEST
    done(&env, PARIS, "2026-03-29T12:00:00Z", &moved);
    assert_eq!(open_due(&env), ["2026-04-05T00:30:00Z"]); // 02:30 CEST
}

#[test]
fn a_daily_nine_oclock_stays_nine_oclock_when_paris_falls_back() {
    // Paris leaves summer time on Sunday 2026-10-25 at 03:00.
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    let first = schedule(
        &env,
        PARIS,
        "2026-10-23T12:00:00Z",
        "2026-10-24 09:00",
        "1d",
    );
    let next = done(&env, PARIS, "2026-10-24T12:00:00Z", &first);
    assert_eq!(open_due(&env), ["2026-10-25T08:00:00Z"]); // 09:00 CET
    done(&env, PARIS, "2026-10-25T12:00:00Z", &next);
    assert_eq!(open_due(&env), ["2026-10-26T08:00:00Z"]); // 09:00 CET
}

#[test]
fn a_monthly_follow_up_at_the_end_of_the_range_ends() {
    let env = Env::new();
    let id = env.add(&["Ada"]).to_string();
    env.run(&[
        "follow-up",
        "add",
        &id,
        "--due",
        "2199-12-15",
        "--every",
        "1mo",
    ])
    .success();
    env.run_at("2199-12-20T09:00:00Z", &["follow-up", "done", "1"])
        .success()
        .stderr_has("recurrence '1mo' ends");
    env.run_at(
        "2199-12-20T09:00:00Z",
        &["follow-up", "list", "--format", "json"],
    )
    .success()
    .stdout_is("[]\n");
}
