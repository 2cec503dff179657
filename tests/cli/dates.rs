//! WHEN as sellers type it, through the real binary: parts of a day, a time before a day,
//! numbers in words, end of week, dotted and slashed dates, a timeline's quarters and
//! months; on the user's calendar (`TZ`), stored in UTC.
//!
//! The clock is pinned at Sunday 2026-03-01 09:00 UTC, which is Sunday 22:00 in Auckland
//! (UTC+13 until April 5, then UTC+12).
use serde_json::Value;

use crate::harness::*;

const AUCKLAND: &str = "Pacific/Auckland";

/// The stored due time of the follow-up `leads follow-up add 1 --due WHEN` schedules in
/// time zone `tz`.
fn due_in(env: &Env, tz: &str, when: &str) -> String {
    let run = env
        .run_with_env(&[("TZ", tz)], &["follow-up", "add", "1", "--due", when])
        .success();
    let id: i64 = run
        .stdout
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("follow-up add prints the id, got {:?}", run.stdout));
    let listed = env.run(&["follow-up", "list", "--format", "json"]).json();
    let Value::Array(items) = listed else {
        panic!("expected a JSON array, got {listed}");
    };
    items
        .iter()
        .find(|item| item["id"].as_i64() == Some(id))
        .and_then(|item| item["due_at"].as_str())
        .unwrap_or_else(|| panic!("follow-up {id} not listed in {items:?}"))
        .to_string()
}

#[test]
fn due_dates_as_sellers_type_them_on_the_users_calendar() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    let cases = [
        // (WHEN, stored under TZ=UTC, stored under TZ=Pacific/Auckland)
        (
            "friday afternoon",
            "2026-03-06T14:00:00Z",
            "2026-03-06T01:00:00Z",
        ),
        (
            "tomorrow morning",
            "2026-03-02T09:00:00Z",
            "2026-03-01T20:00:00Z",
        ),
        (
            "monday evening",
            "2026-03-02T18:00:00Z",
            "2026-03-02T05:00:00Z",
        ),
        ("3pm friday", "2026-03-06T15:00:00Z", "2026-03-06T02:00:00Z"),
        ("friday 3pm", "2026-03-06T15:00:00Z", "2026-03-06T02:00:00Z"),
        (
            "10:30 tomorrow",
            "2026-03-02T10:30:00Z",
            "2026-03-01T21:30:00Z",
        ),
        (
            "in two days",
            "2026-03-03T09:00:00Z",
            "2026-03-03T09:00:00Z",
        ),
        (
            "end of week",
            "2026-03-06T00:00:00Z",
            "2026-03-05T11:00:00Z",
        ),
        // After Auckland's summer time ends: UTC+12.
        ("15.04.2027", "2027-04-15T00:00:00Z", "2027-04-14T12:00:00Z"),
        ("04/15/2027", "2027-04-15T00:00:00Z", "2027-04-14T12:00:00Z"),
        (
            "15/04/2027 9am",
            "2027-04-15T09:00:00Z",
            "2027-04-14T21:00:00Z",
        ),
    ];
    for (when, utc, auckland) in cases {
        assert_eq!(due_in(&env, "UTC", when), utc, "--due {when:?} in UTC");
        assert_eq!(
            due_in(&env, AUCKLAND, when),
            auckland,
            "--due {when:?} in Auckland"
        );
    }
}

#[test]
fn a_slashed_date_with_two_readings_is_refused_naming_both() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    for args in [
        vec!["follow-up", "add", "1", "--due", "05/04/2027"],
        vec!["log", "1", "call", "--at", "05/04/2027"],
        vec!["qualify", "1", "--timeline", "05/04/2027"],
    ] {
        env.run(&args).failure(65).stderr_has(
            "ambiguous date '05/04/2027': it could be 4 May or 5 April 2027; \
             write 2027-05-04 or 2027-04-05",
        );
    }
    // Nothing was scheduled, logged or answered.
    let shown = env.show(1);
    assert_eq!(shown["activities"], Value::Array(vec![]), "{shown}");
    assert_eq!(shown["timeline"], Value::Null, "{shown}");
}

#[test]
fn a_past_moment_looks_back() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    for when in ["friday afternoon", "two days ago", "3pm friday"] {
        env.run(&["log", "1", "call", "--at", when]).success();
    }
    let shown = env.show(1);
    let mut logged: Vec<&str> = shown["activities"]
        .as_array()
        .unwrap_or_else(|| panic!("activities in {shown}"))
        .iter()
        .filter_map(|activity| activity["at"].as_str())
        .collect();
    logged.sort_unstable();
    assert_eq!(
        logged,
        [
            "2026-02-27T09:00:00Z",
            "2026-02-27T14:00:00Z",
            "2026-02-27T15:00:00Z"
        ]
    );
}

#[test]
fn a_timeline_takes_a_quarter_or_a_month_as_its_last_day() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    let cases = [
        // (--timeline, stored under TZ=UTC, stored under TZ=Pacific/Auckland)
        ("Q2", "2026-06-30T00:00:00Z", "2026-06-29T12:00:00Z"),
        ("q1", "2026-03-31T00:00:00Z", "2026-03-30T11:00:00Z"),
        ("april", "2026-04-30T00:00:00Z", "2026-04-29T12:00:00Z"),
        ("February", "2027-02-28T00:00:00Z", "2027-02-27T11:00:00Z"),
        ("Q2 2027", "2027-06-30T00:00:00Z", "2027-06-29T12:00:00Z"),
        (
            "friday afternoon",
            "2026-03-06T14:00:00Z",
            "2026-03-06T01:00:00Z",
        ),
    ];
    for (when, utc, auckland) in cases {
        for (tz, expected) in [("UTC", utc), (AUCKLAND, auckland)] {
            env.run_with_env(&[("TZ", tz)], &["qualify", "1", "--timeline", when])
                .success();
            assert_eq!(
                env.show(1)["timeline"],
                expected,
                "--timeline {when:?} in {tz}"
            );
        }
    }
    // A quarter or a month alone is no due date.
    env.run(&["follow-up", "add", "1", "--due", "Q2"])
        .failure(65)
        .stderr_has("invalid date 'Q2' (accepted: now, today, tomorrow");
    env.run(&["qualify", "1", "--timeline", "Q5"])
        .failure(65)
        .stderr_has("a timeline also takes a quarter or a month: Q2, Q2 2027, april");
}

#[test]
fn a_bad_when_lists_the_new_forms() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    env.run(&["follow-up", "add", "1", "--due", "someday"])
        .failure(65)
        .stderr_has("end of week (friday; on a weekend the coming one)")
        .stderr_has("tomorrow morning 9:00, friday afternoon 14:00, monday evening 18:00")
        .stderr_has("3pm friday")
        .stderr_has("in two days")
        .stderr_has("15.04.2027 (day first)")
        .stderr_has("04/15/2027 or 15/04/2027 (when only one reading is a date)");
    // Outside the years 1900-2199.
    env.run(&["follow-up", "add", "1", "--due", "15.04.2200"])
        .failure(65)
        .stderr_has("dates lie between the years 1900 and 2199");
}
