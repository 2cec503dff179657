//! One test per defect found by a cold trial of the tool (named after what was seen).
use crate::harness::Env;

#[test]
fn a_forgotten_lead_without_a_company_is_marked_once() {
    let env = Env::new();
    let id = env.add(&["Ada Lovelace", "--email", "ada@example.com"]);
    env.run(&["forget", &id.to_string(), "--force"]).success();
    let listed = env.run(&["list", "--all"]).success().stdout;
    assert!(listed.contains(" (forgotten) "), "{listed}");
    assert!(!listed.contains("(forgotten) (forgotten)"), "{listed}");
    let shown = env.run(&["show", &id.to_string()]).success().stdout;
    assert!(
        shown.starts_with(&format!("(forgotten)  #{id}\n")),
        "{shown}"
    );
}

#[test]
fn the_dry_run_says_where_a_linkedin_profile_url_goes() {
    let env = Env::new();
    let file = env.write(
        "Connections.csv",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n\
         Ann,Lee,https://www.linkedin.com/in/ann-lee-0000,,Acme,Buyer,05 Mar 2024\n",
    );
    env.run(&["import", &file, "--dry-run"])
        .success()
        .stderr_has("  URL -> website (its name; a LinkedIn profile URL goes to attributes)\n")
        .stderr_has(
            "  Position -> title (its name; a salutation such as Mr. or Dr. goes to attributes)\n",
        );
    env.run(&["import", &file]).success();
    let lead = env.show(1);
    assert_eq!(lead["website"], serde_json::Value::Null);
    assert_eq!(
        lead["attributes"]["URL"],
        "https://www.linkedin.com/in/ann-lee-0000"
    );
}

#[test]
fn re_importing_people_known_by_name_alone_adds_nobody() {
    let env = Env::new();
    let file = env.write("solo.csv", "Name\nSolo Person\n");
    env.run(&["import", &file]).success();
    env.run(&["import", &file, "--format", "json"]).success();
    let all = env
        .run(&["list", "--all", "--format", "json"])
        .success()
        .json();
    assert_eq!(all.as_array().map(Vec::len), Some(1), "{all}");
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
fn completions_offer_the_sources_in_use_when_there_is_a_database() {
    let env = Env::new();
    let before = env.run(&["completions", "bash"]).success().stdout;
    assert!(
        !before.contains("spring_podcast"),
        "no database, no sources in use"
    );
    env.add(&["Ann Lee", "--source", "Spring Podcast"]);
    let bash = env.run(&["completions", "bash"]).success().stdout;
    assert!(
        bash.contains("web_form referral trade_show"),
        "the known sources stay offered"
    );
    assert!(
        bash.contains("spring_podcast"),
        "the source in use is offered"
    );
}

#[test]
fn re_importing_a_row_known_by_its_company_alone_adds_nobody() {
    let env = Env::new();
    let file = env.write(
        "accounts.csv",
        "Name,Email,Company\nAda Lovelace,ada@x.example,Acme\n,,Widgets\n",
    );
    env.run(&["import", &file, "--quiet"]).success();
    let again = env
        .run(&["import", &file, "--format", "json"])
        .success()
        .json();
    assert_eq!(
        (&again["imported"], &again["skipped"], &again["batch"]),
        (
            &serde_json::json!(0),
            &serde_json::json!(2),
            &serde_json::Value::Null
        )
    );
    env.run(&["import", &file, "--dry-run"])
        .success()
        .stderr_has("same company, and nothing else to tell them apart");
}

#[test]
fn a_report_never_cuts_the_name_of_its_group() {
    // Two campaigns cut to one label would read as one.
    let env = Env::new();
    for detail in ["Expo 2026 Hall A", "Expo 2026 Hall B"] {
        env.add(&["Lee", "--source", "trade_show", "--source-detail", detail]);
    }
    let (code, out) = env.on_terminal(
        &[("COLUMNS", "60"), ("NO_COLOR", "1")],
        &["report", "--by", "source-detail"],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Expo 2026 Hall A "), "{out}");
    assert!(out.contains("Expo 2026 Hall B "), "{out}");
}

#[test]
fn a_database_path_that_cannot_be_a_file_is_exit_66_and_nothing_is_made() {
    let env = Env::new();
    let file = env.write("one.csv", "Name\nAda\n");
    let plain = env.write("afile", "not a folder");
    let folder = env.dir().join("adir");
    std::fs::create_dir(&folder).unwrap();
    let under_file = format!("{plain}/x.db");
    let missing = env.dir().join("nope/x.db").display().to_string();
    let folder = folder.display().to_string();
    for (db, says) in [
        (&under_file, "is not a folder, so there is no database"),
        (&folder, "is a folder, not a database file"),
        (&missing, "no folder"),
    ] {
        for args in [
            vec!["--db", db, "add", "Zoe"],
            vec!["--db", db, "import", &file, "--dry-run"],
        ] {
            env.run(&args).failure(66).stderr_has(says);
        }
        env.run(&["--db", db, "list"]).failure(66).stderr_has(db);
    }
    assert!(!env.dir().join("nope").exists());
}

#[test]
fn rule_list_takes_every_listing_format() {
    let env = Env::new();
    env.add(&["Ana", "--industry", "software"]);
    env.run(&[
        "config",
        "rule",
        "add",
        "industry = software",
        "--points",
        "5",
    ])
    .success();
    env.run(&["config", "rule", "list", "--format", "csv"])
        .success()
        .stdout_is("id,axis,points,condition\n1,fit,+5,industry = software\n");
    env.run(&["config", "rule", "list", "--format", "tsv"])
        .success()
        .stdout_is("id\taxis\tpoints\tcondition\n1\tfit\t+5\tindustry = software\n");
    let line = env
        .run(&["config", "rule", "list", "--format", "ndjson"])
        .success()
        .json();
    assert_eq!(line["condition"], "industry = software");
    // Its first release's name for the table still works.
    env.run(&["config", "rule", "list", "--format", "text"])
        .success()
        .stdout_is("ID  AXIS  POINTS  CONDITION\n 1  fit       +5  industry = software\n");
    env.run(&["config", "rule", "list", "--format", "xml"])
        .failure(65)
        .stderr_has("'xml' is not a format (expected one of: table, tsv, csv, json, ndjson)");
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

#[test]
fn a_name_typed_with_a_comma_is_last_first_unless_a_title_follows() {
    let env = Env::new();
    let sarah = env.add(&["Sarah O'Connor, CFO", "--email", "sarah@example.com"]);
    let lead = env.show(sarah);
    assert_eq!(
        (&lead["first_name"], &lead["last_name"], &lead["title"]),
        (
            &serde_json::json!("Sarah"),
            &serde_json::json!("O'Connor"),
            &serde_json::json!("CFO")
        )
    );
    let ada = env.add(&["Lovelace, Ada", "--email", "ada@example.com"]);
    let lead = env.show(ada);
    assert_eq!(
        (&lead["first_name"], &lead["last_name"], &lead["title"]),
        (
            &serde_json::json!("Ada"),
            &serde_json::json!("Lovelace"),
            &serde_json::Value::Null
        )
    );
}
