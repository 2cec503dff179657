//! WHEN as sellers type it, through the real binary: parts of a day, a time before a day,
//! numbers in words, end of week, weekdays and month days (ahead for a follow-up, behind for
//! `log --at` and `--since`), dotted and slashed dates, a timeline's quarters and months,
//! time zones, and dates outside 1900-2199 refused everywhere; on the user's calendar
//! (`TZ`), stored in UTC.
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

/// The due date `follow-up add --due WHEN` stored (UTC), under time zone `tz`.
fn due_of(env: &Env, tz: &str, when: &str) -> String {
    env.run_with_env(&[("TZ", tz)], &["follow-up", "add", "1", "--due", when])
        .success();
    let listed = env
        .run(&["follow-up", "list", "--format", "json"])
        .success()
        .json();
    let last = listed
        .as_array()
        .and_then(|all| all.iter().max_by_key(|f| f["id"].as_i64()))
        .expect("a follow-up");
    last["due_at"].as_str().expect("due_at").to_string()
}

/// Leads created on Friday 2026-02-20, Thursday 2026-02-26 and Saturday 2026-02-28; the
/// pinned now is Sunday 2026-03-01 09:00.
fn a_week_of_leads(env: &Env, tz: &str) {
    for (name, created) in [
        ("Ann Old", "2026-02-20T10:00:00Z"),
        ("Ben Thursday", "2026-02-26T10:00:00Z"),
        ("Cy Saturday", "2026-02-28T10:00:00Z"),
    ] {
        run_in(env, tz, created, &["add", name, "--source", "referral"]).success();
    }
}

#[test]
fn a_month_day_is_the_next_one_today_included_and_a_time_alone_is_today_or_tomorrow() {
    // Now: Sunday 2026-03-01 09:00 UTC (04:00 in New York, 22:00 in Auckland).
    let env = Env::new();
    env.add(&["Ann", "--email", "ann@x.test"]);
    let cases = [
        ("UTC", "1 March", "2026-03-01T00:00:00Z"),
        ("UTC", "28 Feb", "2027-02-28T00:00:00Z"),
        ("UTC", "March 1 5pm", "2026-03-01T17:00:00Z"),
        ("UTC", "9am", "2026-03-02T09:00:00Z"),
        ("UTC", "9 am", "2026-03-02T09:00:00Z"),
        ("UTC", "at 14:30", "2026-03-01T14:30:00Z"),
        ("UTC", "Friday 9 am", "2026-03-06T09:00:00Z"),
        ("UTC", "friday 9am", "2026-03-06T09:00:00Z"),
        ("America/New_York", "1 March", "2026-03-01T05:00:00Z"),
        ("America/New_York", "9am", "2026-03-01T14:00:00Z"),
        ("Pacific/Auckland", "9am", "2026-03-01T20:00:00Z"),
        ("Pacific/Auckland", "2 March", "2026-03-01T11:00:00Z"),
    ];
    for (tz, when, expected) in cases {
        assert_eq!(due_of(&env, tz, when), expected, "{when} in {tz}");
    }
    // Only the two "1 March" are overdue at once: today's date, its start past (as
    // `today`), never a year away.
    let overdue = env
        .run(&["follow-up", "list", "--overdue", "--format", "json"])
        .success()
        .json();
    let due: Vec<&str> = overdue
        .as_array()
        .expect("a list")
        .iter()
        .map(|f| f["due_at"].as_str().expect("due_at"))
        .collect();
    assert_eq!(due, vec!["2026-03-01T00:00:00Z", "2026-03-01T05:00:00Z"]);
    // A past moment leans back: "1 March" is today, "10am" yesterday's.
    env.run(&["log", "1", "call", "--at", "10am"]).success();
    let show = env.show(1);
    assert_eq!(show["activities"][0]["at"], "2026-02-28T10:00:00Z");
}

#[test]
fn since_a_weekday_means_the_latest_one() {
    for tz in ["UTC", "America/Los_Angeles"] {
        let env = Env::new();
        a_week_of_leads(&env, tz);
        let since = |when: &str| {
            sorted_ids(run_in(
                &env,
                tz,
                NOW,
                &[
                    "list", "--since", when, "--format", "json", "--sort", "created",
                ],
            ))
        };
        assert_eq!(since("friday"), vec![3], "{tz}");
        assert_eq!(since("monday"), vec![2, 3], "{tz}");
        assert_eq!(since("last week"), vec![1, 2, 3], "{tz}");
        assert_eq!(since("2 days ago"), vec![3], "{tz}");
        assert_eq!(since("Feb 26"), vec![2, 3], "{tz}");
        assert_eq!(since("26 FEBRUARY 2026"), vec![2, 3], "{tz}");
        let exported = run_in(
            &env,
            tz,
            NOW,
            &["export", "--since", "friday", "--format", "json"],
        );
        assert_eq!(sorted_ids(exported), vec![3], "{tz}");
        // The README's own example.
        let report = run_in(
            &env,
            tz,
            NOW,
            &["report", "--since", "monday", "--format", "json"],
        )
        .success()
        .json();
        assert_eq!(report["groups"][0]["leads"], 2, "{tz}: {report}");
    }
}

#[test]
fn log_at_a_weekday_or_a_month_day_is_in_the_past() {
    let env = Env::new();
    let id = env.add(&["Ada Lovelace"]).to_string();
    env.run(&["log", &id, "call", "--at", "friday 14:30"])
        .success();
    env.run(&["log", &id, "meeting", "--at", "Dec 5"]).success();
    env.run(&["log", &id, "demo", "--at", "2 days ago"])
        .success();
    let shown = env.show(1);
    let at: Vec<&str> = shown["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["at"].as_str().unwrap())
        .collect();
    let mut at = at;
    at.sort();
    assert_eq!(
        at,
        [
            "2025-12-05T00:00:00Z",
            "2026-02-27T09:00:00Z",
            "2026-02-27T14:30:00Z"
        ]
    );
}

#[test]
fn follow_ups_take_the_dates_people_write_and_warn_about_the_past() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    let due = |when: &str| {
        env.run(&["follow-up", "add", "1", "--due", when]).success();
        let listed = env
            .run(&["follow-up", "list", "--format", "json"])
            .success()
            .json();
        let last = listed.as_array().unwrap().last().unwrap().clone();
        last["due_at"].as_str().unwrap().to_string()
    };
    // Sunday 2026-03-01 09:00 UTC.
    assert_eq!(due("Dec 5"), "2026-12-05T00:00:00Z");
    let run = env
        .run(&["follow-up", "add", "1", "--due", "end of month"])
        .success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    env.run(&["follow-up", "add", "1", "--due", "tonight"])
        .success()
        .stderr_has("due 2026-03-01 20:00");
    env.run(&["follow-up", "add", "1", "--due", "today"])
        .success()
        .stdout_is("4\n");
    let today = env
        .run(&["follow-up", "add", "1", "--due", "today"])
        .success();
    assert!(!today.stderr.contains("in the past"), "{}", today.stderr);
    env.run(&["follow-up", "add", "1", "--due", "Feb 27 2026"])
        .success()
        .stderr_has(
            "leads: warning: 2026-02-27 00:00 is in the past: follow-up 6 is overdue already",
        );
    env.run(&["follow-up", "snooze", "6", "--until", "2 days ago"])
        .success()
        .stderr_has("is not in the future: follow-up 6 is still overdue");
}

#[test]
fn a_bad_date_shows_what_is_accepted() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    for (args, flag) in [
        (vec!["list", "--since", "the other day"], "--since"),
        (vec!["follow-up", "add", "1", "--due", "dec 32"], "--due"),
        (vec!["log", "1", "call", "--at", "Decembre 5"], "--at"),
    ] {
        let bad = args.last().unwrap().to_string();
        env.run(&args)
            .failure(65)
            .stderr_has(flag)
            .stderr_has(&format!(
                "invalid date '{bad}' (accepted: now, today, tomorrow"
            ))
            .stderr_has("a month name with a day (Dec 5, 5 dec, December 5 2027)");
    }
}

#[test]
fn an_unknown_time_zone_is_said() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    env.run_with_env(&[("TZ", "Mars/Olympus_Mons")], &["list", "--format", "tsv"])
        .success()
        .stderr_has(
            "leads: warning: unknown time zone TZ='Mars/Olympus_Mons' (expected a zone name \
             such as Europe/Paris, or a POSIX rule such as CET-1CEST)",
        );
    for known in [
        "Pacific/Auckland",
        "EST5EDT",
        "CET-1CEST,M3.5.0,M10.5.0/3",
        "<+03>-3",
        "",
    ] {
        let run = env
            .run_with_env(&[("TZ", known)], &["list", "--format", "tsv"])
            .success();
        assert_eq!(run.stderr, "", "TZ={known}");
    }
}

#[test]
fn a_month_name_date_outside_the_years_leads_keeps_is_refused() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    env.run(&["follow-up", "add", "1", "--due", "5 December 2300"])
        .failure(65)
        .stderr_has("--due: the date 2300-12-05 is out of range (dates lie between the years 1900 and 2199)");
    env.run(&["list", "--since", "Jan 1 1899"])
        .failure(65)
        .stderr_has("out of range");
}

#[test]
fn a_weekday_for_an_activity_is_the_latest_one() {
    let env = Env::new(); // Sunday 2026-03-01
    let id = env.add(&["Bo"]);
    env.run(&["log", "1", "call", "--at", "friday 14:30"])
        .success();
    env.run(&["log", "1", "email_sent", "--at", "last sunday"])
        .success();
    let at: Vec<String> = env.show(id)["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["at"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(at, ["2026-02-22T00:00:00Z", "2026-02-27T14:30:00Z"]);
}

#[test]
fn dates_outside_1900_to_2199_are_refused_by_every_flag() {
    let env = Env::new();
    let id = env.add(&["Ada"]).to_string();
    let fid = env
        .run(&["follow-up", "add", &id, "--due", "tomorrow"])
        .success()
        .stdout
        .trim()
        .to_string();
    for tz in ["UTC", "Pacific/Auckland", "America/New_York"] {
        for date in [
            "-0001-01-01",
            "9999-12-31T23:59:59-23:59",
            "0000-01-01T00:00:00+23:59",
            "1899-06-01",
            "2200-06-01",
        ] {
            for args in [
                vec!["follow-up", "add", &id, "--due", date],
                vec!["follow-up", "snooze", &fid, "--until", date],
                vec!["qualify", &id, "--timeline", date],
                vec!["log", &id, "call", "--at", date],
                vec!["list", "--since", date],
                vec!["report", "--since", date],
            ] {
                let run = env.run_with_env(&[("TZ", tz)], &args);
                assert_eq!(run.code, 65, "{tz} {args:?}: {}", run.stderr);
                assert!(
                    run.stderr
                        .contains("dates lie between the years 1900 and 2199")
                        || run.stderr.contains("invalid date"),
                    "{args:?}: {}",
                    run.stderr
                );
            }
        }
        for date in ["1900-01-01", "2199-12-31"] {
            env.run_with_env(&[("TZ", tz)], &["follow-up", "add", &id, "--due", date])
                .success();
        }
    }
    // Every reader still works.
    env.run(&["list"]).success();
    env.run(&["show", &id]).success();
    env.run(&["follow-up", "list"]).success();
    env.run(&["export"]).success();
}

#[test]
fn an_import_with_an_out_of_range_date_does_not_store_it() {
    let env = Env::new();
    let input = env.write(
        "in.csv",
        "first_name,email,created_at\nAda,ada@example.com,9999-12-31T23:59:59-23:59\n\
         Bo,bo@example.com,0000-01-01T00:00:00+23:59\nCy,cy@example.com,2025-01-01\n",
    );
    let run = env.run(&["import", &input]);
    assert!(
        run.stderr.contains("outside the years 1900-2199"),
        "{}",
        run.stderr
    );
    let created: Vec<serde_json::Value> = env
        .run(&["export", "--format", "json"])
        .success()
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|lead| lead["created_at"].clone())
        .collect();
    assert!(
        created
            .iter()
            .all(|at| at.as_str().is_some_and(|at| at.starts_with("20"))),
        "{created:?}"
    );
    env.run(&["list"]).success();
    env.run(&["export"]).success();
}
