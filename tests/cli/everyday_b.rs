//! Everyday rough edges (issue 13, part B) and values parsed at the boundary (issue 17):
//! delete, open leads by default, follow-ups of one lead, tables that fit the terminal,
//! colour, completions and the man page, forgotten in JSON, notes, qualify --all,
//! did-you-mean, Ctrl-D at a prompt, learn as data, and exit 65 for every unusable value.

use serde_json::{json, Value};

use crate::harness::*;

/// Ada (warm, referral), Grace (trade show) and Globex (purchased list), as in the tour.
fn three_leads(env: &Env) {
    env.add(&[
        "Ada Lovelace",
        "--email",
        "ada@acme.test",
        "--company",
        "Acme",
        "--title",
        "VP Sales",
        "--size",
        "120",
        "--source",
        "referral",
        "--phone",
        "+1 555 0100",
    ]);
    env.add(&[
        "Grace Hopper",
        "--email",
        "grace@navy.test",
        "--company",
        "US Navy",
        "--title",
        "Rear Admiral",
        "--size",
        "5000",
        "--source",
        "Trade Show",
    ]);
    env.add(&[
        "--company",
        "Globex",
        "--email",
        "buyer@globex.test",
        "--source",
        "Purchased List",
    ]);
}

fn ids(listed: &Value) -> Vec<i64> {
    listed
        .as_array()
        .map(|leads| leads.iter().filter_map(|l| l["id"].as_i64()).collect())
        .unwrap_or_default()
}

fn list_ids(env: &Env, args: &[&str]) -> Vec<i64> {
    let mut full = vec!["list", "--format", "json"];
    full.extend_from_slice(args);
    ids(&env.run(&full).success().json())
}

// 1. delete and follow-up delete

#[test]
fn delete_removes_leads_everywhere_and_needs_force_without_a_terminal() {
    let env = Env::new();
    three_leads(&env);
    env.run(&["follow-up", "add", "2", "--due", "tomorrow"])
        .success();
    env.run(&["log", "2", "call"]).success();
    env.run(&["delete", "2"]).failure(1).stderr_is(
        "leads: deleting lead 2 (Grace Hopper) removes them and their history for good: \
             pass --force to confirm (there is no terminal to ask on)\n",
    );
    assert_eq!(list_ids(&env, &[]), [1, 2, 3]);
    // An unknown id among them: nothing is deleted.
    env.run(&["delete", "2", "99", "--force"])
        .failure(3)
        .stderr_is("leads: no lead with id 99\n");
    assert_eq!(list_ids(&env, &[]), [1, 2, 3]);
    env.run(&["delete", "2", "3", "--force"])
        .success()
        .stdout_is("")
        .stderr_is("deleted leads 2 (Grace Hopper), 3 (Globex)\n");
    assert_eq!(list_ids(&env, &["--all"]), [1]);
    env.run(&["show", "2"])
        .failure(3)
        .stderr_is("leads: no lead with id 2\n");
    env.run(&["follow-up", "list", "--format", "json"])
        .success()
        .stdout_is("[]\n");
    let exported = env.run(&["export", "--format", "json"]).success().json();
    assert_eq!(ids(&exported), [1]);
    let report = env.run(&["report", "--format", "json"]).success().stdout;
    assert!(!report.contains("trade_show"), "{report}");
    assert!(!report.contains("purchased_list"), "{report}");
    // Nothing of them is left in the file's tables.
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    for table in ["activities", "follow_ups", "status_changes"] {
        let left: i64 = conn
            .query_row(
                &format!("SELECT count(*) FROM {table} WHERE lead_id IN (2, 3)"),
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(left, 0, "{table}");
    }
}

#[test]
fn a_forgotten_lead_can_be_deleted_too() {
    let env = Env::new();
    three_leads(&env);
    env.run(&["forget", "1", "--force"]).success();
    env.run(&["delete", "1", "--force"])
        .success()
        .stderr_is("deleted lead 1 ((forgotten))\n");
    assert_eq!(list_ids(&env, &["--all"]), [2, 3]);
}

#[test]
fn delete_asks_on_a_terminal() {
    let env = Env::new();
    three_leads(&env);
    // No answer (end of input) deletes nothing.
    let (code, out) = env.on_terminal(&[], &["delete", "3"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("Delete lead 3 (Globex) with their activities and follow-ups for good? [y/N]"),
        "{out}"
    );
    assert_eq!(list_ids(&env, &[]), [1, 2, 3]);
}

#[test]
fn follow_up_delete_removes_one_follow_up() {
    let env = Env::new();
    three_leads(&env);
    env.run(&[
        "follow-up",
        "add",
        "1",
        "--due",
        "2026-03-02",
        "--note",
        "call",
    ])
    .success();
    env.run(&["follow-up", "add", "1", "--due", "2026-03-05"])
        .success();
    env.run(&["follow-up", "delete", "1"])
        .success()
        .stderr_is("deleted follow-up 1 with Ada Lovelace (lead 1), due 2026-03-02 00:00\n");
    let listed = env
        .run(&["follow-up", "list", "--format", "json"])
        .success()
        .json();
    assert_eq!(ids(&listed), [2]);
    // The lead's next follow-up moved to the one left.
    assert_eq!(env.show(1)["next_follow_up"], json!("2026-03-05T00:00:00Z"));
    env.run(&["follow-up", "delete", "1"])
        .failure(3)
        .stderr_is("leads: no follow-up with id 1\n");
}

// 2. open leads by default, --all, follow-up list --lead

#[test]
fn list_shows_open_leads_unless_all_or_status() {
    let env = Env::new();
    three_leads(&env);
    env.run(&["status", "1", "won"]).success();
    env.run(&["status", "3", "disqualified"]).success();
    assert_eq!(list_ids(&env, &[]), [2]);
    assert_eq!(list_ids(&env, &["--all"]), [1, 2, 3]);
    assert_eq!(list_ids(&env, &["--status", "won"]), [1]);
    assert_eq!(
        list_ids(&env, &["--status", "won", "--status", "new"]),
        [1, 2]
    );
    env.run(&["list"]).success().stdout_is(
        "ID  NAME          COMPANY  EMAIL            STATUS  SCORE  GRADE  SOURCE      FOLLOW-UP\n \
          2  Grace Hopper  US Navy  grace@navy.test  new        14  D      trade_show\n",
    );
    // export keeps its own default: every lead.
    let exported = env.run(&["export", "--format", "json"]).success().json();
    assert_eq!(ids(&exported), [1, 2, 3]);
}

#[test]
fn follow_up_list_for_one_lead() {
    let env = Env::new();
    three_leads(&env);
    env.run(&["follow-up", "add", "1", "--due", "2026-03-02"])
        .success();
    env.run(&["follow-up", "add", "2", "--due", "2026-03-03"])
        .success();
    env.run(&[
        "follow-up",
        "add",
        "1",
        "--due",
        "2026-03-04",
        "--note",
        "demo",
    ])
    .success();
    env.run(&["follow-up", "list", "--lead", "1", "--format", "tsv"])
        .success()
        .stdout_is(
            "id\tdue_at\tlead_id\tname\tnote\tevery\tcadence\tstep\n\
             1\t2026-03-02T00:00:00Z\t1\tAda Lovelace\t\t\t\t\n\
             3\t2026-03-04T00:00:00Z\t1\tAda Lovelace\tdemo\t\t\t\n",
        );
    env.run(&["follow-up", "list", "--lead", "3"])
        .success()
        .stdout_is("")
        .stderr_is("no follow-ups due\n");
    env.run(&["follow-up", "list", "--lead", "9"])
        .failure(3)
        .stderr_is("leads: no lead with id 9\n");
}

// 3. and 4. tables fit the terminal; colour

#[test]
fn on_a_terminal_the_table_fits_columns_and_colours_grades_and_overdue() {
    let env = Env::new();
    three_leads(&env);
    env.run(&["follow-up", "add", "1", "--due", "yesterday"])
        .success();
    let (code, out) = env.on_terminal(&[("COLUMNS", "80"), ("NO_COLOR", "1")], &["list"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out,
        "ID  NAME     COMPANY  EMAIL     STATUS  SCORE  GRADE  SOURCE    FOLLOW-UP\n \
          1  Ada Lo…  Acme     ada@acm…  new        33  C      referral  2026-02-28 00:00\n \
          2  Grace …  US Navy  grace@n…  new        14  D      trade_s…\n \
          3  Globex   Globex   buyer@g…  new         6  D      purchas…\n"
    );
    // Colour (no NO_COLOR): the grade by its letter, an overdue follow-up in red.
    let (_, out) = env.on_terminal(&[("COLUMNS", "200")], &["list"]);
    assert!(out.contains("\x1b[33mC\x1b[0m"), "{out:?}");
    assert!(out.contains("\x1b[31m2026-02-28 00:00\x1b[0m"), "{out:?}");
    let (_, out) = env.on_terminal(&[("COLUMNS", "200")], &["follow-up", "list"]);
    assert!(out.contains("\x1b[31m2026-02-28 00:00\x1b[0m"), "{out:?}");
    // The tool's own errors: "leads:" in red, as in clap's own errors.
    let (code, out) = env.on_terminal(&[], &["show", "99"]);
    assert_eq!(code, 3);
    assert_eq!(out, "\x1b[1;31mleads:\x1b[0m no lead with id 99\n");
    let (_, out) = env.on_terminal(&[("NO_COLOR", "1")], &["show", "99"]);
    assert_eq!(out, "leads: no lead with id 99\n");
}

#[test]
fn piped_tables_are_whole_and_plain() {
    let env = Env::new();
    three_leads(&env);
    let wide = env
        .run_with_env(&[("COLUMNS", "40")], &["list"])
        .success()
        .stdout;
    assert!(
        wide.contains("Ada Lovelace  Acme     ada@acme.test"),
        "{wide}"
    );
    assert!(!wide.contains('\x1b'));
    let coloured = env.run(&["--color", "always", "list"]).success().stdout;
    // A table piped to cron's mail or a file is never coloured, even when asked.
    assert_eq!(coloured, wide);
    env.run(&["--color", "always", "show", "99"])
        .failure(3)
        .stderr_is("\x1b[1;31mleads:\x1b[0m no lead with id 99\n");
}

// 5. completions and man page

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

// 6. forgotten in JSON; notes

#[test]
fn every_json_of_a_lead_says_whether_it_was_forgotten() {
    let env = Env::new();
    three_leads(&env);
    env.run(&["forget", "2", "--force"]).success();
    let listed = env
        .run(&["list", "--all", "--format", "json"])
        .success()
        .json();
    let flags: Vec<Value> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["forgotten"].clone())
        .collect();
    assert_eq!(flags, [json!(false), json!(true), json!(false)]);
    assert_eq!(env.show(2)["forgotten"], json!(true));
    assert_eq!(env.show(1)["forgotten"], json!(false));
    for format in ["json", "ndjson"] {
        let out = env.run(&["export", "--format", format]).success().stdout;
        assert_eq!(
            out.matches("\"forgotten\":true").count(),
            1,
            "{format}: {out}"
        );
        assert_eq!(out.matches("\"forgotten\":false").count(), 2, "{format}");
    }
    let ndjson = env
        .run(&["list", "--all", "--format", "ndjson"])
        .success()
        .ndjson();
    assert_eq!(ndjson[1]["forgotten"], json!(true));
    // A JSON export imports back: `forgotten` is not an attribute of the new leads.
    let exported = env.run(&["export", "--format", "json"]).success().stdout;
    let file = env.write("export.json", exported);
    let other = Env::new();
    other.run(&["import", &file]).success();
    assert_eq!(other.show(1)["attributes"], json!({}));
}

#[test]
fn note_replaces_and_append_note_adds_a_line() {
    let env = Env::new();
    three_leads(&env);
    env.run(&["edit", "1", "--note", "met at the expo"])
        .success();
    env.run(&[
        "edit",
        "1",
        "--append-note",
        "called back",
        "--append-note",
        "sent prices",
    ])
    .success();
    assert_eq!(
        env.show(1)["notes"],
        json!("met at the expo\ncalled back\nsent prices")
    );
    env.run(&["edit", "1", "--note", "fresh start"]).success();
    assert_eq!(env.show(1)["notes"], json!("fresh start"));
    let help = env.run(&["edit", "--help"]).success().stdout;
    assert!(help.contains("`edit --note` replaces the notes"), "{help}");
    assert!(help.contains("--append-note <TEXT>"), "{help}");
}

// 7. qualify --all, did-you-mean, Ctrl-D, learn as data

#[test]
fn qualify_all_counts_the_scores_that_changed() {
    let env = Env::new();
    three_leads(&env);
    env.run(&["qualify", "--all"])
        .success()
        .stderr_is("rescored 3 open leads: no score changed\n");
    env.run(&["config", "weights.fit", "80"]).success();
    env.run(&["qualify", "--all", "--format", "json"])
        .success()
        .stdout_is("{\n  \"rescored\": 3,\n  \"changed\": 0\n}\n");
    env.run(&["status", "3", "lost"]).success();
    // A profile written behind the scores' back: only fit counts now.
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute(
        "UPDATE settings SET value = '{\"weight_engagement\": 0.0, \"weight_readiness\": 0.0}'
         WHERE key = 'profile'",
        [],
    )
    .unwrap();
    drop(conn);
    env.run(&["qualify", "--all"])
        .success()
        .stderr_is("rescored 2 open leads: 2 scores changed\n");
}

#[test]
fn a_mistyped_status_gets_a_did_you_mean_everywhere() {
    let env = Env::new();
    three_leads(&env);
    for (args, argument) in [
        (vec!["status", "1", "lsot"], "'<STATUS>'"),
        (vec!["list", "--status", "lsot"], "'--status <STATUS>'"),
        (
            vec!["qualify", "1", "--status", "lsot"],
            "'--status <STATUS>'",
        ),
    ] {
        env.run(&args).failure(65).stderr_is(&format!(
            "leads: invalid value 'lsot' for {argument}: unknown status 'lsot' (did you mean \
             'lost'?) (expected one of: new, contacted, nurturing, qualified, won, lost, \
             disqualified)\n\nFor more information, try '--help'.\n"
        ));
    }
    env.run(&["list", "--status", "qualifed"])
        .failure(65)
        .stderr_has("(did you mean 'qualified'?)");
    env.run(&["log", "1", "meetign"])
        .failure(65)
        .stderr_has("(did you mean 'meeting'?)");
    assert_eq!(env.show(1)["status"], json!("new"));
}

#[test]
fn ctrl_d_at_a_qualify_prompt_saves_nothing_and_exits_1() {
    let env = Env::new();
    three_leads(&env);
    let (code, out) = env.on_terminal(&[("NO_COLOR", "1")], &["qualify", "2"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.ends_with(
            "Budget (yes/no/unknown) [unknown]: \nleads: stopped at end of input; nothing was changed\n"
        ),
        "{out:?}"
    );
    let lead = env.show(2);
    assert_eq!(
        (lead["budget"].clone(), lead["status"].clone()),
        (json!("unknown"), json!("new"))
    );
}

#[test]
fn learn_gives_data_in_csv_and_tsv() {
    let env = Env::new();
    three_leads(&env);
    env.run(&["learn", "--format", "csv"]).success().stdout_is(
        "enough_data,closed,won,lost,needed_each,held_out,auc,auc_low,auc_high,score_auc,method,features,learned_at,scored_open_leads\n\
         false,0,0,0,10,,,,,,,,,\n",
    );
    env.run(&["learn", "--format", "tsv"]).success().stdout_is(
        "enough_data\tclosed\twon\tlost\tneeded_each\theld_out\tauc\tauc_low\tauc_high\tscore_auc\tmethod\tfeatures\tlearned_at\tscored_open_leads\n\
         false\t0\t0\t0\t10\t\t\t\t\t\t\t\t\t\n",
    );
}

// 8. values parsed at the boundary: 65 for an unusable value, 2 for a malformed line

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
