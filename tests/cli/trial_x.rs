//! Findings of a cold trial by a new user following the README (X1-X7), one test or more
//! each, named after what the user saw.

use crate::harness::Env;

/// Three leads nobody may contact: a do-not-contact one, a forgotten one, and one marked
/// while in a cadence; lead 1 has a follow-up.
fn leads_not_to_contact(env: &Env) {
    env.add(&[
        "Linus Torvalds",
        "--company",
        "Linux Foundation",
        "--email",
        "linus@linux.test",
        "--do-not-contact",
    ]);
    env.add(&[
        "Ada Lovelace",
        "--company",
        "Analytical Engines",
        "--email",
        "ada@engines.test",
        "--source",
        "referral",
    ]);
    env.add(&[
        "Grace Hopper",
        "--company",
        "US Navy",
        "--email",
        "grace@navy.test",
    ]);
    env.run(&["forget", "2", "--force"]).success();
    env.run(&["cadence", "add", "welcome", "0d email_sent: hi", "3d call"])
        .success();
    env.run(&["nurture", "3", "--cadence", "welcome"]).success();
    env.run(&["edit", "3", "--do-not-contact", "true"])
        .success();
    env.run(&["follow-up", "add", "1", "--due", "tomorrow"])
        .success();
}

// X1. A marker that stops a salesperson contacting someone is never cut.

#[test]
fn x1_do_not_contact_and_forgotten_markers_stay_whole_when_the_list_is_cut() {
    let env = Env::new();
    leads_not_to_contact(&env);
    let Some((code, out)) = env.on_terminal(&[("NO_COLOR", "1"), ("COLUMNS", "80")], &["list"])
    else {
        return;
    };
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out,
        "ID  NAME                     COMPANY   STATUS     SCORE  GRADE  FOLLOW-UP\n \
          2  (forgotten)                        new           15  D\n \
          1  Linus… (do not contact)  Linux F…  new            6  D      2026-03-02 00:00\n \
          3  Grace… (do not contact)  US Navy   nurturing      6  D\n"
    );
    // Narrower: the cut text before a marker keeps six columns, and the columns that
    // may go are left out (source, email, company, status, grade, follow-up in turn).
    let (_, out) = env
        .on_terminal(&[("NO_COLOR", "1"), ("COLUMNS", "60")], &["list"])
        .unwrap();
    assert_eq!(
        out,
        "ID  NAME                      SCORE  GRADE  FOLLOW-UP\n \
          2  (forgotten)                  15  D\n \
          1  Linus … (do not contact)      6  D      2026-03-02 00:00\n \
          3  Grace … (do not contact)      6  D\n"
    );
    let (_, out) = env
        .on_terminal(&[("NO_COLOR", "1"), ("COLUMNS", "40")], &["list"])
        .unwrap();
    assert_eq!(
        out,
        "ID  NAME                           SCORE\n \
          2  (forgotten)                       15\n \
          1  Linus Torva… (do not contact)      6\n \
          3  Grace Hopper (do not contact)      6\n"
    );
    // Piped, the table is whole: every column, nothing cut.
    env.run_with_env(&[("COLUMNS", "40")], &["list"])
        .success()
        .stdout_is(
            "ID  NAME                             COMPANY           EMAIL             STATUS     SCORE  GRADE  SOURCE    FOLLOW-UP\n \
              2  (forgotten)                                                          new           15  D      referral\n \
              1  Linus Torvalds (do not contact)  Linux Foundation  linus@linux.test  new            6  D                2026-03-02 00:00\n \
              3  Grace Hopper (do not contact)    US Navy           grace@navy.test   nurturing      6  D\n",
        );
    // The marker is for people: JSON and CSV carry the flags, not a changed name.
    let json = env.run(&["list", "--format", "json"]).success().json();
    assert_eq!(json[1]["name"], "Linus Torvalds");
    assert_eq!(json[1]["do_not_contact"], true);
    assert!(json[1].get("marker").is_none());
}

#[test]
fn x1_nurture_list_marks_who_must_not_be_contacted_and_fits_too() {
    let env = Env::new();
    leads_not_to_contact(&env);
    env.run(&["nurture", "list"]).success().stdout_is(
        "LEAD  NAME                           CADENCE  STEP  OF  NEXT DUE  STARTED           ENDED             WHY ENDED\n   \
            3  Grace Hopper (do not contact)  welcome         2            2026-03-01 09:00  2026-03-01 09:00  do_not_contact\n",
    );
    let json = env
        .run(&["nurture", "list", "--format", "json"])
        .success()
        .json();
    assert_eq!(json[0]["name"], "Grace Hopper");
    let Some((_, out)) = env.on_terminal(
        &[("NO_COLOR", "1"), ("COLUMNS", "80")],
        &["nurture", "list"],
    ) else {
        return;
    };
    assert_eq!(
        out,
        "LEAD  NAME                           CADENCE  STEP  OF  NEXT DUE  WHY ENDED\n   \
            3  Grace Hopper (do not contact)  welcome         2            do_not_contact\n"
    );
    let (_, out) = env
        .on_terminal(
            &[("NO_COLOR", "1"), ("COLUMNS", "40")],
            &["nurture", "list"],
        )
        .unwrap();
    assert_eq!(
        out,
        "LEAD  NAME                      NEXT DUE\n   \
            3  Grace … (do not contact)\n"
    );
}

#[test]
fn x1_follow_up_list_fits_a_narrow_terminal_by_leaving_columns_out() {
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
    let Some((_, out)) = env.on_terminal(
        &[("NO_COLOR", "1"), ("COLUMNS", "60")],
        &["follow-up", "list"],
    ) else {
        return;
    };
    assert_eq!(
        out,
        "ID  DUE               LEAD  NAME         NOTE          EVERY\n \
          1  2026-03-02 00:00     1  Bob Anothe…  call about …  2w\n"
    );
    let (_, out) = env
        .on_terminal(
            &[("NO_COLOR", "1"), ("COLUMNS", "40")],
            &["follow-up", "list"],
        )
        .unwrap();
    assert_eq!(
        out,
        "ID  DUE               NAME      NOTE\n \
          1  2026-03-02 00:00  Bob Ano…  call ab…\n"
    );
}

// X2. A typo in an explicit database path never creates folders.

#[test]
fn x2_an_explicit_database_path_in_a_missing_folder_is_exit_66_and_creates_nothing() {
    let env = Env::new();
    let typo = env.path("nonexistent/dir/x.db");
    let typo_text = typo.to_string_lossy().into_owned();
    let folder = env.path("nonexistent/dir");
    let message = format!(
        "leads: no folder {} for the database {typo_text}: check --db or LEADS_DB (leads \
         creates the database file, never its folder)\n",
        folder.display()
    );
    // --db
    env.run(&["--db", &typo_text, "add", "Z"])
        .failure(66)
        .stdout_is("")
        .stderr_is(&message);
    // LEADS_DB, through every command that may create a database.
    let csv = env.write("in.csv", "name,email\nZed,z@x.test\n");
    let creating: [&[&str]; 6] = [
        &["add", "Z"],
        &["import", &csv],
        &["cadence", "add", "c", "0d call"],
        &["config", "currency", "EUR"],
        &[
            "config",
            "rule",
            "add",
            "industry = software",
            "--points",
            "10",
        ],
        &["spend", "add", "web_form", "10"],
    ];
    for args in creating {
        env.run_with_env(&[("LEADS_DB", &typo_text)], args)
            .failure(66)
            .stderr_is(&message);
    }
    assert!(!env.path("nonexistent").exists());
}

#[test]
fn x2_the_default_database_gets_its_folder_created() {
    let env = Env::new();
    let data = env.path("data-home");
    let run = env
        .command(&["add", "Z"])
        .env_remove("LEADS_DB")
        .env("XDG_DATA_HOME", &data)
        .env("HOME", env.dir())
        .output()
        .expect("run leads");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    let db = data.join("leads/leads.db");
    assert_eq!(
        stderr,
        format!(
            "leads: created a new database at {}\nadded lead 1: Z (score 0, grade D)\n",
            db.display()
        )
    );
    assert!(db.exists());
}

// X3. Which commands create a missing database: those that add data or set up.

#[test]
fn x3_cadence_add_creates_a_database_as_the_readme_says() {
    let env = Env::new();
    env.run(&["cadence", "add", "welcome", "0d call"])
        .success()
        .stderr_is(&format!(
            "leads: created a new database at {}\nadded cadence 'welcome' with 1 step; enroll \
             leads with: leads nurture ID... --cadence 'welcome'\n",
            env.db.display()
        ));
    assert!(env.db.exists());
}

#[test]
fn x3_commands_about_existing_things_never_create_a_database() {
    let env = Env::new();
    let message = format!(
        "leads: no database at {}: check --db or LEADS_DB (a command that adds data, such as \
         `leads add` or `leads import`, creates it)\n",
        env.db.display()
    );
    let commands: [&[&str]; 12] = [
        &["cadence", "delete", "welcome", "--force"],
        &["nurture", "1", "--cadence", "welcome"],
        &["nurture", "stop", "1"],
        &["follow-up", "add", "1", "--due", "tomorrow"],
        &["follow-up", "done", "1"],
        &["log", "1", "call"],
        &["status", "1", "won"],
        &["edit", "1", "--company", "X"],
        &["config", "rule", "delete", "1"],
        &["spend", "delete", "1"],
        &["forget", "1", "--force"],
        &["import", "--undo", "1", "--force"],
    ];
    for args in commands {
        env.run(args).failure(66).stdout_is("").stderr_is(&message);
        assert!(!env.db.exists(), "{args:?} created the database");
    }
}

#[test]
fn x3_the_man_page_says_when_66_means_no_database() {
    let env = Env::new();
    let page = env.run(&["manpage"]).success().stdout;
    assert!(
        page.contains(
            "66 input file missing or unreadable, or no database where a command needs one \
             (only add, import, cadence add, config KEY VALUE, config rule add and spend add \
             create it), or a folder named for the database or an output file that does not \
             exist, 75 database busy."
        ),
        "{page}"
    );
}

// X4. A VTODO's DUE is never equal to its DTSTART (RFC 5545 3.8.2.3).

#[test]
fn x4_ics_gives_due_alone_or_a_start_for_a_recurrence_never_both_equal() {
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

// X5. export --redact masks every name part present, the same in every format.

#[test]
fn x5_redact_masks_each_name_part_present_in_every_format() {
    let env = Env::new();
    env.add(&[
        "Ada Lovelace",
        "--email",
        "ada@engines.test",
        "--company",
        "Analytical Engines",
    ]);
    env.add(&["Cher", "--phone", "+1 555 0100"]);
    env.add(&["--company", "Globex"]);
    let csv = env
        .run(&["export", "--redact", "--format", "csv"])
        .success()
        .stdout;
    let rows: Vec<&str> = csv.lines().collect();
    assert!(rows[0].starts_with("id,first_name,last_name,name,email,phone,company,"));
    assert!(
        rows[1].starts_with("1,***,***,*** ***,***,,Analytical Engines,"),
        "{csv}"
    );
    assert!(rows[2].starts_with("2,***,,***,,***,,"), "{csv}");
    assert!(rows[3].starts_with("3,,,Globex,,,Globex,"), "{csv}");
    for format in ["json", "ndjson"] {
        let run = env
            .run(&["export", "--redact", "--format", format])
            .success();
        let leads = if format == "json" {
            run.json().as_array().cloned().unwrap()
        } else {
            run.ndjson()
        };
        let names: Vec<(String, String, String)> = leads
            .iter()
            .map(|lead| {
                let text = |key: &str| lead[key].as_str().unwrap_or("null").to_string();
                (text("first_name"), text("last_name"), text("name"))
            })
            .collect();
        let expected = [
            ("***", "***", "*** ***"),
            ("***", "null", "***"),
            ("null", "null", "Globex"),
        ]
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()));
        assert_eq!(names, expected, "{format}");
    }
    env.run(&["export", "--redact", "--format", "vcard"])
        .success()
        .stdout_is(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nN:***;***;;;\r\nFN:*** ***\r\nORG:Analytical Engines\r\n\
             EMAIL;TYPE=INTERNET,pref:***\r\nPRODID:-//leads//leads export//EN\r\nEND:VCARD\r\n\
             BEGIN:VCARD\r\nVERSION:3.0\r\nN:;***;;;\r\nFN:***\r\nTEL:***\r\n\
             PRODID:-//leads//leads export//EN\r\nEND:VCARD\r\n\
             BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;\r\nFN:Globex\r\nORG:Globex\r\n\
             PRODID:-//leads//leads export//EN\r\nEND:VCARD\r\n",
        );
}

// X6. Small things a new user reads.

#[test]
fn x6_counts_in_messages_agree_with_their_noun() {
    let env = Env::new();
    let csv = env.write("in.csv", "name,email\nAnn,ann@x.test\nBob,bob@x.test\n");
    env.run(&["import", &csv]).success();
    env.run(&["log", "1", "call"]).success();
    env.run(&["import", "--undo", "1"]).failure(4).stderr_is(
        "leads: import batch 1 has 1 lead worked on since the import (activities, follow-ups, \
         answers, status moves or edits: 1); nothing was removed (--force removes them anyway)\n",
    );
    env.run(&["log", "2", "call"]).success();
    env.run(&["import", "--undo", "1"]).failure(4).stderr_is(
        "leads: import batch 1 has 2 leads worked on since the import (activities, follow-ups, \
         answers, status moves or edits: 1, 2); nothing was removed (--force removes them anyway)\n",
    );
    env.run(&["import", "--undo", "1", "--dry-run"])
        .success()
        .stderr_is(
            "would remove 2 leads created by import batch 1; 2 of them worked on since the \
             import (activities, follow-ups, answers, status moves or edits: 1, 2) (dry run: \
             nothing was removed)\n",
        );
    // A timeline one day away is "in 1 day", also in another time zone.
    let id = env.add(&["Zed"]);
    for tz in ["UTC", "Pacific/Auckland"] {
        let explained = env
            .run_with_env(
                &[("TZ", tz)],
                &[
                    "qualify",
                    &id.to_string(),
                    "--timeline",
                    "tomorrow",
                    "--explain",
                ],
            )
            .success()
            .stdout;
        assert!(explained.contains("(in 1 day) "), "{tz}: {explained}");
    }
}

#[test]
fn x6_a_follow_up_due_in_the_past_is_said_overdue_once() {
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
fn x6_config_names_currency_among_the_settings() {
    let env = Env::new();
    env.create_db();
    let run = env.run(&["config", "nosuch"]).failure(65);
    assert!(run
        .stderr
        .starts_with("leads: unknown setting 'nosuch'; settings: fit.industries,"));
    assert!(
        run.stderr.ends_with(
            ", engagement.activity.<activity>, engagement.source.<source>, currency, \
                 agenda.cold_after, mail.me, mail.ignore\n"
        ),
        "{}",
        run.stderr
    );
    env.run(&["config", "curency", "EUR"])
        .failure(65)
        .stderr_has("leads: unknown setting 'curency' (did you mean currency?); settings:");
}

#[test]
fn x6_help_and_readme_say_what_the_tool_does() {
    let env = Env::new();
    let help = env.run(&["import", "--help"]).success().stdout;
    assert!(
        help.starts_with(
            "Import leads from a CSV, JSON, NDJSON or vCard file (or `-` for stdin)\n"
        ),
        "{help}"
    );
    let scoring = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/SCORING.md"))
        .expect("the scoring document");
    // The worked example's two commands are a code block, not one inline span with a
    // shell comment inside.
    assert!(scoring.contains(
        "Then\n\n```sh\nleads config fit.industries software,fintech\nleads config \
         fit.industries Software, FinTech   # the same: the words after KEY are one value\n```\n"
    ));
    assert!(!scoring.contains("Then `leads config fit.industries"));
}

// X7. Usage lines in errors are the command's own, whatever was typed or set.

#[test]
fn x7_usage_lines_are_true_with_leads_db_set_and_after_a_typo() {
    // The harness sets LEADS_DB, as a user with it in their profile has.
    let env = Env::new();
    env.run(&["show"]).failure(2).stderr_is(
        "leads: the following required arguments were not provided:\n  <ID>\n\n\
         Usage: leads show [OPTIONS] <ID>\n\nFor more information, try '--help'.\n",
    );
    env.run(&["add", "Z", "--bogus"]).failure(2).stderr_is(
        "leads: unexpected argument '--bogus' found\n\n  tip: to pass '--bogus' as a value, use \
         '-- --bogus'\n\nUsage: leads add [OPTIONS] [NAME]\n\nFor more information, try '--help'.\n",
    );
    env.run(&["export", "--sort", "x"]).failure(2).stderr_is(
        "leads: unexpected argument '--sort' found\n\n  tip: a similar argument exists: \
         '--format'\n\nUsage: leads export [OPTIONS]\n\nFor more information, try '--help'.\n",
    );
    // Nested commands, and --db given on the line before the command.
    let db = env.db.to_string_lossy().into_owned();
    env.run(&["--db", &db, "follow-up", "add", "1"])
        .failure(2)
        .stderr_is(
            "leads: the following required arguments were not provided:\n  --due <WHEN>\n\n\
             Usage: leads follow-up add [OPTIONS] --due <WHEN> <ID>\n\n\
             For more information, try '--help'.\n",
        );
    env.run(&["config", "rule", "add", "industry = software"])
        .failure(2)
        .stderr_is(
            "leads: the following required arguments were not provided:\n  --points <POINTS>\n\n\
             Usage: leads config rule add [OPTIONS] --points <POINTS> <CONDITION>...\n\n\
             For more information, try '--help'.\n",
        );
    env.run(&["follow-up", "bogus"]).failure(2).stderr_is(
        "leads: unrecognized subcommand 'bogus'\n\nUsage: leads follow-up [OPTIONS] <COMMAND>\n\n\
         For more information, try '--help'.\n",
    );
    // Help is unchanged (stdout, exit 0).
    let help = env.run(&["show", "--help"]).success().stdout;
    assert!(
        help.contains("Usage: leads show [OPTIONS] <ID>\n"),
        "{help}"
    );
}

#[test]
fn command_line_errors_start_with_leads_as_every_message() {
    let env = Env::new();
    // An unknown flag (usage, 2) and a value that cannot be used (65): clap's message,
    // tip and usage, after our prefix.
    let unknown = env.run(&["list", "--foo"]).failure(2).stderr;
    assert!(
        unknown.starts_with("leads: unexpected argument '--foo' found\n"),
        "{unknown}"
    );
    assert!(
        unknown.contains("\nUsage: leads list [OPTIONS]\n"),
        "{unknown}"
    );
    let bad = env.run(&["list", "--grade", "E"]).failure(65).stderr;
    assert!(
        bad.starts_with("leads: invalid value 'E' for '--grade <GRADE>'"),
        "{bad}"
    );
    // A value with control characters, written escaped.
    let hostile = env
        .run(&["list", "--grade", "\u{1b}[2J"])
        .failure(65)
        .stderr;
    assert!(hostile.starts_with("leads: invalid value '"), "{hostile:?}");
    assert!(!hostile.contains('\u{1b}'), "{hostile:?}");
    assert!(!format!("{unknown}{bad}{hostile}").contains("error:"));
    // Help and the version are no errors: stdout, exit 0, as before.
    let help = env.run(&["list", "--help"]).success();
    assert!(
        help.stdout.starts_with("List open leads"),
        "{}",
        help.stdout
    );
    assert_eq!(help.stderr, "");
    let version = env.run(&["--version"]).success();
    assert!(version.stdout.starts_with("leads "), "{}", version.stdout);
    // `leads` alone: a missing command, a usage error like the others.
    let bare = env.run(&[]).failure(2).stderr;
    assert!(
        bare.starts_with("leads: 'leads' requires a subcommand"),
        "{bare}"
    );
    // On a terminal the prefix is in clap's red; NO_COLOR keeps it plain.
    if let Some((code, out)) = env.on_terminal(&[], &["list", "--foo"]) {
        assert_eq!(code, 2);
        assert!(out.contains("leads:\x1b[0m unexpected argument"), "{out:?}");
        assert!(out.contains("\x1b[31m"), "{out:?}");
        let (_, plain) = env
            .on_terminal(&[("NO_COLOR", "1")], &["list", "--foo"])
            .unwrap();
        assert!(
            plain.starts_with("leads: unexpected argument '--foo' found\n"),
            "{plain:?}"
        );
    }
}

#[test]
fn x1_show_and_qualify_explain_mark_who_must_not_be_contacted_in_their_title() {
    let env = Env::new();
    leads_not_to_contact(&env);
    let shown = env.run(&["show", "1"]).success().stdout;
    assert!(
        shown.starts_with("Linus Torvalds  #1 (do not contact)\n"),
        "{shown}"
    );
    // Forgetting erased the company no other lead shares: the name says it all.
    let shown = env.run(&["show", "2"]).success().stdout;
    assert!(shown.starts_with("(forgotten)  #2\n"), "{shown}");
    let explained = env.run(&["qualify", "1", "--explain"]).success().stdout;
    assert!(
        explained.starts_with("Linus Torvalds  #1 (do not contact)\n"),
        "{explained}"
    );
}
