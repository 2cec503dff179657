//! Lead sources read one way by `add`, `edit`, `import` and `spend`: near misses taken with
//! a warning, synonyms kept in the source detail, a source named among other words, and a
//! source with nothing of a name refused.

use crate::harness::*;

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
    assert_eq!(shown_field(&env, 2, "source"), "referral");
    assert_eq!(shown_field(&env, 2, "source_detail"), "null");
    // Not a near miss of anything: kept as given, no warning.
    let run = env
        .run(&["add", "Bo", "--source", "Podcast Guest"])
        .success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert_eq!(shown_field(&env, 3, "source"), "podcast_guest");
}

#[test]
fn a_synonym_keeps_the_word_in_the_source_detail() {
    let env = Env::new();
    env.add(&["Ada Lovelace", "--source", "LinkedIn"]);
    assert_eq!(shown_field(&env, 1, "source"), "social");
    assert_eq!(shown_field(&env, 1, "source_detail"), "LinkedIn");
    // A detail given is kept.
    env.add(&[
        "Bo",
        "--source",
        "linkedin",
        "--source-detail",
        "Spring post",
    ]);
    assert_eq!(shown_field(&env, 2, "source_detail"), "Spring post");
    // edit: the detail fills only when empty.
    env.run(&["edit", "2", "--source", "twitter"]).success();
    assert_eq!(
        (
            shown_field(&env, 2, "source"),
            shown_field(&env, 2, "source_detail")
        ),
        ("social".to_string(), "Spring post".to_string())
    );
    let id = env.add(&["Cy"]);
    env.run(&["edit", &id.to_string(), "--source", "Word of mouth"])
        .success();
    assert_eq!(
        (
            shown_field(&env, id, "source"),
            shown_field(&env, id, "source_detail")
        ),
        ("referral".to_string(), "Word of mouth".to_string())
    );
    // Other spellings are no synonym: nothing to keep.
    let id = env.add(&["Di", "--source", "Tradeshow"]);
    assert_eq!(
        (
            shown_field(&env, id, "source"),
            shown_field(&env, id, "source_detail")
        ),
        ("trade_show".to_string(), "null".to_string())
    );
}

#[test]
fn a_source_named_among_other_words_is_that_source_everywhere_a_source_is_read() {
    let env = Env::new();
    let ann = env.add(&["Ann", "--source", "referral from Jane"]);
    assert_eq!(
        (
            shown_field(&env, ann, "source"),
            shown_field(&env, ann, "source_detail")
        ),
        ("referral".to_string(), "referral from Jane".to_string())
    );
    // edit: a detail already there stays.
    env.run(&["edit", &ann.to_string(), "--source", "met at conference"])
        .success();
    assert_eq!(
        (
            shown_field(&env, ann, "source"),
            shown_field(&env, ann, "source_detail")
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
fn an_import_reads_sources_as_add_does() {
    let env = Env::new();
    let file = env.write(
        "leads.csv",
        "Name,Email,Lead Source,Source Detail\n\
         Ann Lee,ann@example.com,LinkedIn,\n\
         Bob Roe,bob@example.com,referal,\n\
         Cy Poe,cy@example.com,LinkedIn,Spring post\n",
    );
    env.run(&["import", &file])
        .success()
        .stderr_has("line 3: source 'referal' taken as the known source 'referral'");
    let leads = env.run(&["export", "--format", "json"]).success().json();
    let pairs: Vec<(String, String)> = leads
        .as_array()
        .into_iter()
        .flatten()
        .map(|lead| {
            (
                lead["source"].as_str().unwrap_or_default().to_string(),
                lead["source_detail"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect();
    let expected = [
        ("social", "LinkedIn"),
        ("referral", ""),
        ("social", "Spring post"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(pairs, expected);

    let attendees = env.write("attendees.csv", "Name,Email\nDee Fox,dee@example.com\n");
    env.run(&["import", &attendees, "--source", "LinkedIn"])
        .success();
    let dee = env.show(4);
    assert_eq!(dee["source"], "social");
    assert_eq!(dee["source_detail"], "LinkedIn");
}

#[test]
fn a_source_with_nothing_of_a_name_is_refused_by_import_as_by_add_and_spend() {
    // `import --source '!!!'` stored an empty source on every row.
    let env = Env::new();
    let file = env.write("one.csv", "Name\nAda\n");
    let expected = "invalid source '!!!' (expected a name such as web_form, referral,";
    env.run(&["import", &file, "--source", "!!!"])
        .failure(65)
        .stderr_has(&format!("leads: --source: {expected}"));
    env.run(&["spend", "add", "!!!", "5"])
        .failure(65)
        .stderr_has(&format!("leads: SOURCE: {expected}"));
    env.run(&["add", "Bo", "--source", "!!!"])
        .failure(65)
        .stderr_has("; an empty value clears it)");
    assert!(!env.db.exists(), "nothing was created");
}
