//! Everyday rough edges (issue 13, part A): dates people write, list and show agreeing on a
//! score in any time zone, pasted email addresses, sources, names, search beyond ASCII.
use crate::harness::*;

fn field(env: &Env, id: i64, name: &str) -> String {
    env.show(id)[name]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| "null".to_string())
}

#[test]
fn a_pasted_address_gives_the_address_and_the_name() {
    let env = Env::new();
    let id = env.add(&["--email", "Bob Smith <Bob@Smith.Example>"]);
    assert_eq!(field(&env, id, "email"), "Bob@smith.example");
    assert_eq!(field(&env, id, "first_name"), "Bob");
    assert_eq!(field(&env, id, "last_name"), "Smith");
    // The same person pasted another way is a duplicate, not a new lead.
    env.run(&["add", "--email", "bob@smith.example"])
        .failure(4)
        .stderr_has("a lead with email bob@smith.example already exists: id 1");
    env.run(&[
        "add",
        "Robert",
        "--email",
        "\"Smith, Bob\" <bob@SMITH.example>",
    ])
    .failure(4);
    // A lead that has a name keeps it.
    let ada = env.add(&["Ada Lovelace", "--email", "Countess <ada@acme.test>"]);
    assert_eq!(field(&env, ada, "first_name"), "Ada");
    assert_eq!(field(&env, ada, "email"), "ada@acme.test");
}

#[test]
fn edit_takes_a_pasted_address_too() {
    let env = Env::new();
    let id = env.add(&["--company", "Globex"]);
    env.run(&[
        "edit",
        &id.to_string(),
        "--email",
        "Hank Scorpio <hank@globex.test>",
    ])
    .success();
    assert_eq!(field(&env, id, "email"), "hank@globex.test");
    assert_eq!(field(&env, id, "first_name"), "Hank");
    assert_eq!(field(&env, id, "last_name"), "Scorpio");
    env.run(&["edit", &id.to_string(), "--email", "Hank <hank@>"])
        .failure(65)
        .stderr_has(
            "--email: invalid email 'Hank <hank@>' (expected an address like \
             name@example.com or Name <name@example.com>)",
        );
}

/// Run at `now` in the time zone `tz`.
fn run_in(env: &Env, tz: &str, now: &str, args: &[&str]) -> Run {
    env.run_with_env(&[("TZ", tz), ("LEADS_NOW", now)], args)
}

fn reason(shown: &serde_json::Value, factor: &str) -> String {
    shown["reasons"]
        .as_array()
        .and_then(|reasons| reasons.iter().find(|r| r["factor"] == factor))
        .map(|r| r["value"].as_str().unwrap_or_default().to_string())
        .unwrap_or_default()
}

#[test]
fn list_and_show_agree_on_the_score_from_morning_to_evening() {
    // (zone, 08:00 and 21:30 local on Saturday 2026-02-28, in UTC)
    let zones = [
        (
            "America/Los_Angeles",
            "2026-02-28T16:00:00Z",
            "2026-03-01T05:30:00Z",
        ),
        (
            "Pacific/Auckland",
            "2026-02-27T19:00:00Z",
            "2026-02-28T08:30:00Z",
        ),
        ("UTC", "2026-02-28T08:00:00Z", "2026-02-28T21:30:00Z"),
    ];
    for (tz, morning, evening) in zones {
        let env = Env::new();
        run_in(
            &env,
            tz,
            morning,
            &["add", "Ada Lovelace", "--source", "referral"],
        )
        .success();
        // A short half-life makes one day's age visible in the score.
        run_in(
            &env,
            tz,
            morning,
            &["config", "engagement.half_life_days", "1"],
        )
        .success();
        run_in(
            &env,
            tz,
            morning,
            &["log", "1", "meeting", "--at", "2026-02-27 10:00"],
        )
        .success();
        let score_in_list = |now: &str| {
            run_in(&env, tz, now, &["list", "--format", "json"])
                .success()
                .json()[0]["score"]
                .clone()
        };
        let in_the_morning = score_in_list(morning);
        let shown = run_in(&env, tz, evening, &["show", "1", "--format", "json"])
            .success()
            .json();
        assert_eq!(reason(&shown, "meeting"), "1, latest 1 day ago", "{tz}");
        assert_eq!(shown["score"], in_the_morning, "{tz}: show in the evening");
        assert_eq!(
            score_in_list(evening),
            in_the_morning,
            "{tz}: list in the evening"
        );
        let shown_in_the_morning = run_in(&env, tz, morning, &["show", "1", "--format", "json"])
            .success()
            .json();
        assert_eq!(shown_in_the_morning["score"], in_the_morning, "{tz}");
    }
}

#[test]
fn the_timeline_reason_prints_the_local_date() {
    for (tz, evening) in [
        ("Pacific/Auckland", "2026-02-28T08:30:00Z"),
        ("America/Los_Angeles", "2026-03-01T05:30:00Z"),
    ] {
        let env = Env::new();
        run_in(&env, tz, evening, &["add", "Ada Lovelace"]).success();
        run_in(
            &env,
            tz,
            evening,
            &[
                "qualify",
                "1",
                "--timeline",
                "2026-03-10",
                "--status",
                "nurturing",
            ],
        )
        .success();
        let shown = run_in(&env, tz, evening, &["show", "1", "--format", "json"])
            .success()
            .json();
        // Saturday 2026-02-28 local: ten calendar days ahead, whatever the hour.
        assert_eq!(
            reason(&shown, "timeline"),
            "2026-03-10 (in 10 days)",
            "{tz}"
        );
        let table = run_in(&env, tz, evening, &["show", "1"]).success().stdout;
        assert!(table.contains("2026-03-10 (in 10 days)"), "{tz}\n{table}");
        let passed = run_in(
            &env,
            tz,
            "2026-03-11T12:00:00Z",
            &["show", "1", "--format", "json"],
        )
        .success()
        .json();
        assert!(
            reason(&passed, "timeline").starts_with("2026-03-10 (passed)"),
            "{tz}"
        );
    }
}

/// The ids of the leads listed, in id order.
fn ids(run: Run) -> Vec<i64> {
    let mut ids: Vec<i64> = run
        .success()
        .json()
        .as_array()
        .map(|leads| leads.iter().filter_map(|l| l["id"].as_i64()).collect())
        .unwrap_or_default();
    ids.sort();
    ids
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
fn since_a_weekday_means_the_latest_one() {
    for tz in ["UTC", "America/Los_Angeles"] {
        let env = Env::new();
        a_week_of_leads(&env, tz);
        let since = |when: &str| {
            ids(run_in(
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
        assert_eq!(ids(exported), vec![3], "{tz}");
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
fn a_near_miss_of_a_known_source_is_taken_with_a_warning() {
    let env = Env::new();
    env.add(&["Cy"]);
    let run = env
        .run(&["add", "Ada Lovelace", "--source", "referal"])
        .success();
    assert_eq!(
        run.stderr,
        "leads: warning: --source: source 'referal' taken as the known source 'referral'\n\
         added lead 2: Ada Lovelace (score 9, grade D)\n"
    );
    assert_eq!(field(&env, 2, "source"), "referral");
    assert_eq!(field(&env, 2, "source_detail"), "null");
    // Not a near miss of anything: kept as given, no warning.
    let run = env
        .run(&["add", "Bo", "--source", "Podcast Guest"])
        .success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert_eq!(field(&env, 3, "source"), "podcast_guest");
}

#[test]
fn a_synonym_keeps_the_word_in_the_source_detail() {
    let env = Env::new();
    env.add(&["Ada Lovelace", "--source", "LinkedIn"]);
    assert_eq!(field(&env, 1, "source"), "social");
    assert_eq!(field(&env, 1, "source_detail"), "LinkedIn");
    // A detail given is kept.
    env.add(&[
        "Bo",
        "--source",
        "linkedin",
        "--source-detail",
        "Spring post",
    ]);
    assert_eq!(field(&env, 2, "source_detail"), "Spring post");
    // edit: the detail fills only when empty.
    env.run(&["edit", "2", "--source", "twitter"]).success();
    assert_eq!(
        (field(&env, 2, "source"), field(&env, 2, "source_detail")),
        ("social".to_string(), "Spring post".to_string())
    );
    let id = env.add(&["Cy"]);
    env.run(&["edit", &id.to_string(), "--source", "Word of mouth"])
        .success();
    assert_eq!(
        (field(&env, id, "source"), field(&env, id, "source_detail")),
        ("referral".to_string(), "Word of mouth".to_string())
    );
    // Other spellings are no synonym: nothing to keep.
    let id = env.add(&["Di", "--source", "Tradeshow"]);
    assert_eq!(
        (field(&env, id, "source"), field(&env, id, "source_detail")),
        ("trade_show".to_string(), "null".to_string())
    );
}

#[test]
fn a_source_named_among_other_words_is_that_source_everywhere_a_source_is_read() {
    let env = Env::new();
    let ann = env.add(&["Ann", "--source", "referral from Jane"]);
    assert_eq!(
        (
            field(&env, ann, "source"),
            field(&env, ann, "source_detail")
        ),
        ("referral".to_string(), "referral from Jane".to_string())
    );
    // edit: a detail already there stays.
    env.run(&["edit", &ann.to_string(), "--source", "met at conference"])
        .success();
    assert_eq!(
        (
            field(&env, ann, "source"),
            field(&env, ann, "source_detail")
        ),
        ("conference".to_string(), "referral from Jane".to_string())
    );
    // import: the source column, and --source for every row.
    let file = env.write("leads.csv", "Name,Lead Source\nBo,Trade Show booth\nCy,\n");
    env.run(&["import", &file, "--source", "website form"])
        .success();
    let rows = env
        .run(&["list", "--sort", "name", "--format", "json"])
        .success()
        .json();
    let sources: Vec<(String, String, String)> = rows
        .as_array()
        .expect("an array")
        .iter()
        .map(|row| {
            let text = |name: &str| row[name].as_str().unwrap_or("null").to_string();
            (text("name"), text("source"), text("source_detail"))
        })
        .collect();
    let owned = |(a, b, c): (&str, &str, &str)| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        sources,
        [
            ("Ann", "conference", "referral from Jane"),
            ("Bo", "trade_show", "Trade Show booth"),
            ("Cy", "web_form", "website form"),
        ]
        .map(owned)
    );
    // spend add SOURCE: the whole value is the campaign, unless --detail gives one.
    env.run(&["spend", "add", "LinkedIn ad campaign", "100"])
        .success();
    let spends = env
        .run(&["spend", "list", "--format", "json"])
        .success()
        .json();
    assert_eq!(spends[0]["source"], "advertising");
    assert_eq!(spends[0]["detail"], "LinkedIn ad campaign");
}

#[test]
fn names_with_honorifics_suffixes_and_particles() {
    let env = Env::new();
    let cases = [
        (
            "Dr. Martin Luther King Jr.",
            "Martin",
            "Luther King Jr.",
            "Martin Luther King Jr.",
        ),
        ("van der Berg", "null", "van der Berg", "van der Berg"),
        ("Anna de la Cruz", "Anna", "de la Cruz", "Anna de la Cruz"),
        ("Mrs Lovelace", "null", "Lovelace", "Lovelace"),
        ("Van Morrison", "Van", "Morrison", "Van Morrison"),
    ];
    for (typed, first, last, name) in cases {
        let id = env.add(&[typed]);
        let shown = env.show(id);
        let text = |key: &str| shown[key].as_str().unwrap_or("null").to_string();
        assert_eq!(
            (text("first_name"), text("last_name"), text("name")),
            (first.to_string(), last.to_string(), name.to_string()),
            "{typed}"
        );
    }
    env.run(&["edit", "1", "--name", "Prof. Ada von Lovelace PhD"])
        .success();
    assert_eq!(field(&env, 1, "first_name"), "Ada");
    assert_eq!(field(&env, 1, "last_name"), "von Lovelace PhD");
}

#[test]
fn search_folds_case_beyond_ascii() {
    let env = Env::new();
    env.add(&["Jürgen Müller", "--company", "Ölwerke Süd"]);
    env.add(&["ÉLODIE Durand", "--email", "élodie@durand.example"]);
    env.add(&["Ada Lovelace", "--company", "Acme"]);
    let found = |text: &str| ids(env.run(&["list", "--search", text, "--format", "json"]));
    assert_eq!(found("MÜLLER"), vec![1]);
    assert_eq!(found("müller"), vec![1]);
    assert_eq!(found("jürgen mü"), vec![1]);
    assert_eq!(found("ÖLWERKE"), vec![1]);
    assert_eq!(found("élodie"), vec![2]);
    assert_eq!(found("Élodie@"), vec![2]);
    assert_eq!(found("ACME"), vec![3]);
    assert_eq!(found("ü"), vec![1]);
    assert_eq!(found("Muller"), Vec::<i64>::new());
    // Searching beyond ASCII is filtered like any other search.
    assert_eq!(
        ids(env.run(&["list", "--search", "MÜLLER", "--source", "referral", "--format", "json"])),
        Vec::<i64>::new()
    );
}

#[test]
fn duplicate_emails_are_found_whatever_the_case_beyond_ascii() {
    let env = Env::new();
    env.add(&["--email", "Jörg.Müller@Straße.example"]);
    assert_eq!(field(&env, 1, "email"), "Jörg.Müller@straße.example");
    env.run(&["add", "--email", "JÖRG.MÜLLER@STRASSE.example"])
        .success();
    env.run(&["add", "--email", "jörg.müller@STRAßE.EXAMPLE"])
        .failure(4)
        .stderr_has("already exists: id 1");
    env.run(&["add", "--email", "ÉMILE@example.com"]).success();
    env.run(&["add", "--email", "émile@example.com"])
        .failure(4)
        .stderr_has("already exists: id 3");
    env.run(&["edit", "2", "--email", "Émile@Example.com"])
        .failure(4)
        .stderr_has("a lead with email Émile@example.com already exists: id 3");
}

#[test]
fn spend_reads_its_source_as_add_does() {
    let env = Env::new();
    env.run(&["spend", "add", "webinr", "120", "--on", "2026-02-11"])
        .success()
        .stderr_has("leads: warning: SOURCE: source 'webinr' taken as the known source 'webinar'");
    env.run(&["spend", "add", "Tradeshow", "900", "--on", "2026-02-12"])
        .success();
    let list = env
        .run(&["spend", "list", "--format", "json"])
        .success()
        .json();
    let pairs: Vec<(String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["source"].to_string(), s["detail"].to_string()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("\"webinar\"".to_string(), "null".to_string()),
            ("\"trade_show\"".to_string(), "null".to_string())
        ]
    );
}

#[test]
fn import_finds_duplicates_whatever_the_case_beyond_ascii() {
    let env = Env::new();
    env.add(&["--email", "jörg@straße.example"]);
    let file = env.write(
        "people.csv",
        "Name,Email\nJörg Müller,JÖRG@STRAßE.example\nÉmile Zola,émile@zola.example\nÉmile Z,ÉMILE@zola.example\n",
    );
    let summary = env
        .run(&["import", &file, "--format", "json"])
        .success()
        .json();
    assert_eq!(
        (&summary["imported"], &summary["skipped"]),
        (&serde_json::json!(1), &serde_json::json!(2)),
        "{summary}"
    );
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
