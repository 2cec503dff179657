//! `--help`, `--version`, the man page and shell completions: every command described,
//! its values named, usage lines that are true, completions that know the values in use.

use crate::harness::*;

#[test]
fn the_man_page_says_when_66_means_no_database() {
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

#[test]
fn help_and_the_scoring_guide_say_what_the_tool_does() {
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

// Usage lines in errors are the command's own, whatever was typed or set.

#[test]
fn usage_lines_are_true_with_leads_db_set_and_after_a_typo() {
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
fn completions_know_the_values_and_the_man_page_needs_no_database() {
    let env = Env::new();
    let bash = env.run(&["completions", "bash"]).success().stdout;
    for values in [
        "new contacted nurturing qualified won lost disqualified",
        "email_sent email_opened email_replied email_bounced call meeting demo visit download webinar event form note",
        "connected no_answer voicemail wrong_number",
        "A B C D",
        "table tsv csv json ndjson",
        "yes no unknown",
        "web_form referral trade_show",
        "score created name follow-up win touch",
    ] {
        assert!(bash.contains(values), "bash completions lack {values}");
    }
    let fish = env.run(&["completions", "fish"]).success().stdout;
    assert!(
        fish.contains("won\\t''"),
        "fish completions lack the statuses"
    );
    let page = env.run(&["manpage"]).success().stdout;
    assert!(page.contains(".TH leads 1"), "{page}");
    assert!(page.contains("follow\\-up"), "{page}");
    // Every command in the one page, with its own flags; no page per command to miss.
    assert!(page.contains(".SH \"LEADS FOLLOW\\-UP ADD\"\n"), "{page}");
    assert!(page.contains("Repeat at this interval once done"), "{page}");
    assert!(page.contains(".SH \"LEADS CONFIG RULE ADD\"\n"), "{page}");
    assert!(!page.contains("leads\\-add(1)"), "{page}");
    assert_eq!(page.matches(".SH \"GLOBAL OPTIONS\"").count(), 1);
    // A cron user learns LEADS_DB from `man leads`.
    assert!(
        page.contains(".SH ENVIRONMENT\n.TP\n\\fBLEADS_DB\\fR\n"),
        "{page}"
    );
    assert!(
        !env.db.exists(),
        "manpage and completions create no database"
    );
}

#[test]
fn the_help_of_every_command_names_its_values() {
    let env = Env::new();
    let help = |args: &[&str]| env.run(args).success().stdout;
    let list = help(&["list", "--help"]);
    assert!(
        list.contains(
            "[possible values: new, contacted, nurturing, qualified, won, lost, disqualified]"
        ),
        "{list}"
    );
    assert!(list.contains("[possible values: A, B, C, D]"), "{list}");
    assert!(
        list.contains("- follow-up: Earliest next follow-up first"),
        "{list}"
    );
    let log = help(&["log", "--help"]);
    assert!(
        log.contains("email_sent, email_opened, email_replied, email_bounced,"),
        "{log}"
    );
    let qualify = help(&["qualify", "--help"]);
    assert!(
        qualify.contains("[possible values: yes, no, unknown]"),
        "{qualify}"
    );
    let status = help(&["status", "--help"]);
    assert!(status.contains("won, lost, disqualified]"), "{status}");
    let follow_ups = help(&["follow-up", "list", "--help"]);
    assert!(follow_ups.contains("ics"), "{follow_ups}");
}

#[test]
fn completions_offer_the_sources_in_use_when_there_is_a_database() {
    let env = Env::sqlite();
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
fn help_describes_every_command() {
    let env = Env::new();
    let help = env.run(&["--help"]).success().stdout;
    for command in [
        "add",
        "import",
        "list",
        "show",
        "edit",
        "log",
        "qualify",
        "status",
        "follow-up",
        "export",
        "learn",
        "report",
        "forget",
        "config",
        "completions",
    ] {
        assert!(
            help.contains(&format!("  {command} ")),
            "{command} missing from\n{help}"
        );
    }
}

#[test]
fn completions_on_a_closed_pipe_are_quiet() {
    let script = format!(
        "'{}' completions bash | head -n 1 >/dev/null; echo \"${{PIPESTATUS[0]}}\"",
        env!("CARGO_BIN_EXE_leads")
    );
    let result = std::process::Command::new("bash")
        .args(["-c", &script])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&result.stdout), "0\n");
    assert_eq!(String::from_utf8_lossy(&result.stderr), "");
}

#[test]
fn completions_generate_for_every_shell() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = env.run(&["completions", shell]).success().stdout;
        assert!(out.contains("follow-up"), "{shell}: no follow-up");
        assert!(out.contains("import"), "{shell}: no import");
    }
    env.run(&["completions", "tcsh"]).failure(65);
}
