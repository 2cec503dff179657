//! What leads says: every message starts with `leads:` (the command line's own errors
//! too), counts agree with their noun, and `--quiet` silences messages but never data.

use crate::harness::*;

#[test]
fn counts_in_messages_agree_with_their_noun() {
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
    let (code, out) = env.on_terminal(&[], &["list", "--foo"]);
    assert_eq!(code, 2);
    assert!(out.contains("leads:\x1b[0m unexpected argument"), "{out:?}");
    assert!(out.contains("\x1b[31m"), "{out:?}");
    let (_, plain) = env.on_terminal(&[("NO_COLOR", "1")], &["list", "--foo"]);
    assert!(
        plain.starts_with("leads: unexpected argument '--foo' found\n"),
        "{plain:?}"
    );
}

#[test]
fn quiet_silences_messages_but_not_data() {
    let env = Env::new();
    let run = env.run(&["--quiet", "add", "Bo"]).success();
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("1\n", ""));
    let run = env.run(&["add", "Cy"]).success();
    assert_eq!(run.stderr, "added lead 2: Cy (score 0, grade D)\n");
}
