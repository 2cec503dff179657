//! `leads list`: every format, open leads by default, filters and sorts, search beyond
//! ASCII, the markers of who must not be contacted, and a row that cannot be read back.
#![allow(clippy::unwrap_used)] // test code: a failed step fails the test

use crate::harness::*;

// A marker that stops a salesperson contacting someone is never cut.

#[test]
fn do_not_contact_and_forgotten_markers_stay_whole_when_the_list_is_cut() {
    let env = Env::new();
    leads_not_to_contact(&env);
    let (code, out) = env.on_terminal(&[("NO_COLOR", "1"), ("COLUMNS", "80")], &["list"]);
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
    let (_, out) = env.on_terminal(&[("NO_COLOR", "1"), ("COLUMNS", "60")], &["list"]);
    assert_eq!(
        out,
        "ID  NAME                      SCORE  GRADE  FOLLOW-UP\n \
          2  (forgotten)                  15  D\n \
          1  Linus … (do not contact)      6  D      2026-03-02 00:00\n \
          3  Grace … (do not contact)      6  D\n"
    );
    let (_, out) = env.on_terminal(&[("NO_COLOR", "1"), ("COLUMNS", "40")], &["list"]);
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
fn sort_win_without_a_model_is_by_score_and_says_so() {
    let env = Env::new();
    env.add(&["Cold", "--source", "purchased_list"]);
    env.add(&[
        "Warm",
        "--email",
        "warm@x.test",
        "--company",
        "Acme",
        "--title",
        "CEO",
        "--source",
        "referral",
    ]);
    let run = env
        .run(&["list", "--sort", "win", "--format", "csv"])
        .success();
    let names: Vec<&str> = run
        .stdout
        .lines()
        .skip(1)
        .map(|line| line.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(names, ["Warm", "Cold"]);
    assert_eq!(
        run.stderr,
        "leads: warning: --sort win: no win probabilities yet (run leads learn once enough leads are closed); sorted by score\n"
    );
}

#[test]
fn search_folds_case_beyond_ascii() {
    let env = Env::new();
    env.add(&["Jürgen Müller", "--company", "Ölwerke Süd"]);
    env.add(&["ÉLODIE Durand", "--email", "élodie@durand.example"]);
    env.add(&["Ada Lovelace", "--company", "Acme"]);
    let found = |text: &str| sorted_ids(env.run(&["list", "--search", text, "--format", "json"]));
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
        sorted_ids(
            env.run(&["list", "--search", "MÜLLER", "--source", "referral", "--format", "json"])
        ),
        Vec::<i64>::new()
    );
}

#[test]
fn list_shows_open_leads_unless_all_or_status() {
    let env = Env::new();
    three_leads(&env);
    env.run(&["status", "1", "won"]).success();
    env.run(&["status", "3", "disqualified"]).success();
    assert_eq!(env.list_ids(&[]), [2]);
    assert_eq!(env.list_ids(&["--all"]), [1, 2, 3]);
    assert_eq!(env.list_ids(&["--status", "won"]), [1]);
    assert_eq!(
        env.list_ids(&["--status", "won", "--status", "new"]),
        [1, 2]
    );
    env.run(&["list"]).success().stdout_is(
        "ID  NAME          COMPANY  EMAIL            STATUS  SCORE  GRADE  SOURCE      FOLLOW-UP\n \
          2  Grace Hopper  US Navy  grace@navy.test  new        14  D      trade_show\n",
    );
    // export keeps its own default: every lead.
    let exported = env.run(&["export", "--format", "json"]).success().json();
    assert_eq!(ids_of(&exported), [1, 2, 3]);
}

#[test]
fn list_renders_every_format() {
    let env = Env::new();
    two_leads(&env);
    env.run(&["list"]).success().stdout_is(
        "ID  NAME          COMPANY  EMAIL              STATUS  SCORE  GRADE  SOURCE          FOLLOW-UP\n \
         1  Ada Lovelace  Acme     ada@acme.test      new        33  C      referral\n \
         2  Globex        Globex   buyer@globex.test  new         6  D      purchased_list\n",
    );
    env.run(&["list", "--format", "csv"]).success().stdout_is(
        "id,name,company,email,status,score,grade,source,next_follow_up,last_touch_at\n\
         1,Ada Lovelace,Acme,ada@acme.test,new,33,C,referral,,\n\
         2,Globex,Globex,buyer@globex.test,new,6,D,purchased_list,,\n",
    );
    env.run(&["list", "--format", "tsv"]).success().stdout_is(
        "id\tname\tcompany\temail\tstatus\tscore\tgrade\tsource\tnext_follow_up\tlast_touch_at\n\
         1\tAda Lovelace\tAcme\tada@acme.test\tnew\t33\tC\treferral\t\t\n\
         2\tGlobex\tGlobex\tbuyer@globex.test\tnew\t6\tD\tpurchased_list\t\t\n",
    );
    let json = env.run(&["list", "--format", "json"]).success().json();
    let names: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ada Lovelace", "Globex"]);
    assert_eq!(json[1]["fit"], 15); // a valid email and a company
    let lines = env.run(&["list", "--format", "ndjson"]).success().ndjson();
    assert_eq!(lines, json.as_array().unwrap().clone());
}

#[test]
fn an_empty_list_prints_nothing_on_stdout() {
    let env = Env::new();
    env.create_db();
    env.run(&["list"]).success().stdout_is("");
    env.run(&["list", "--format", "json"])
        .success()
        .stdout_is("[]\n");
    env.run(&["list", "--format", "csv"]).success().stdout_is(
        "id,name,company,email,status,score,grade,source,next_follow_up,last_touch_at\n",
    );
}

#[test]
fn list_filters_and_sorts() {
    let env = Env::new();
    two_leads(&env);
    env.add(&[
        "Zoe Zimmer",
        "--title",
        "Owner",
        "--company",
        "Initech",
        "--source",
        "trade show",
        "--tag",
        "expo",
        "--note",
        "met at booth 12",
    ]);
    let ids = |args: &[&str]| env.list_ids(args);
    assert_eq!(ids(&[]), [1, 3, 2]); // by score: 33, 14, 6
    assert_eq!(ids(&["--source", "Trade Show"]), [3]);
    assert_eq!(ids(&["--tag", "HOT"]), [1]);
    assert_eq!(ids(&["--grade", "d"]), [3, 2]);
    assert_eq!(ids(&["--min-score", "10"]), [1, 3]);
    assert_eq!(ids(&["--search", "booth"]), [3]);
    assert_eq!(ids(&["--search", "ada lovelace"]), [1]);
    assert_eq!(ids(&["--search", "GLOBEX"]), [2]);
    assert_eq!(ids(&["--status", "new", "--status", "won"]), [1, 3, 2]);
    assert_eq!(ids(&["--status", "won"]), Vec::<i64>::new());
    assert_eq!(ids(&["--sort", "name"]), [1, 2, 3]);
    assert_eq!(ids(&["--sort", "created", "--limit", "2"]), [3, 2]);
    assert_eq!(ids(&["--since", "tomorrow"]), Vec::<i64>::new());
    assert_eq!(ids(&["--since", "2026-03-01"]), [1, 3, 2]);
}

#[test]
fn bad_filter_values_name_the_value_and_what_is_accepted() {
    let env = Env::new();
    env.run(&["list", "--status", "hot"])
        .failure(65)
        .stderr_has("unknown status 'hot' (expected one of: new, contacted");
    env.run(&["list", "--grade", "E"])
        .failure(65)
        .stderr_has("invalid value 'E' for '--grade <GRADE>'\n  [possible values: A, B, C, D]");
    env.run(&["list", "--min-score", "lots"])
        .failure(65)
        .stderr_has("'lots'");
    env.run(&["list", "--since", "someday"])
        .failure(65)
        .stderr_has("invalid date 'someday'");
    // A value clap refuses is as unusable as one the command refuses: 65 both ways.
    env.run(&["list", "--sort", "height"])
        .failure(65)
        .stderr_has("[possible values: score, created, name, follow-up, win, touch]");
    env.run(&["list", "--sorting", "score"]).failure(2);
}

#[test]
fn a_row_that_cannot_be_read_back_is_named_and_the_rest_is_listed() {
    let env = Env::sqlite();
    let good = env.add(&["Ada", "--email", "ada@example.com"]);
    let bad = env.add(&["Bo", "--email", "bo@example.com"]);
    env.run(&["follow-up", "add", &good.to_string(), "--due", "yesterday"])
        .success();
    env.run(&["follow-up", "add", &bad.to_string(), "--due", "yesterday"])
        .success();
    // An activity: its score moves with the clock, so each day's refresh reads it again.
    env.run(&["log", &bad.to_string(), "call"]).success();
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute(
        "UPDATE leads SET created_at = '+10000-01-01T23:58:59Z', updated_at = 'garbage' WHERE id = ?1",
        [bad],
    )
    .unwrap();
    conn.execute(
        "UPDATE follow_ups SET due_at = '2026-02-30T00:00:00Z' WHERE lead_id = ?1",
        [bad],
    )
    .unwrap();
    drop(conn);
    let hint =
        format!("lead {bad} cannot be read: created_at '+10000-01-01T23:58:59Z' is not a date");
    let list = env
        .run(&["list", "--format", "json"])
        .success()
        .stderr_has(&hint);
    assert_eq!(list.json().as_array().unwrap().len(), 1);
    let export = env
        .run(&["export", "--format", "ndjson"])
        .success()
        .stderr_has(&hint);
    assert_eq!(export.ndjson().len(), 1);
    env.run(&["list"])
        .success()
        .stderr_has("repair it with sqlite3");
    let follow_ups = env
        .run(&["follow-up", "list", "--overdue", "--format", "json"])
        .success()
        .stderr_has("follow-up 2 cannot be read: due_at '2026-02-30T00:00:00Z' is not a date");
    assert_eq!(follow_ups.json().as_array().unwrap().len(), 1);
    env.run(&["show", &bad.to_string()])
        .failure(1)
        .stderr_has(&hint)
        .stderr_has(&format!("WHERE id = {bad}"));
    env.run(&["show", &good.to_string()]).success();
    // The next day's rescoring, before `show` of another lead, says it too.
    env.run_at("2026-03-02T09:00:00Z", &["show", &good.to_string()])
        .success()
        .stderr_has(&hint);
}
