//! `leads config rule add|list|delete` as a new user types it: the operators, numbers
//! and text, dates on the local calendar, rule numbers, the checks by field, the listing
//! formats, and the exit codes of every typed flag.

use crate::harness::*;

/// `leads config rule add ARGS...`
fn rule_add(env: &Env, args: &[&str]) -> Run {
    let mut full = vec!["config", "rule", "add"];
    full.extend_from_slice(args);
    env.run(&full)
}

/// Expect exactly this exit code, nothing on stdout and exactly this stderr.
#[track_caller]
fn refused(run: Run, code: i32, stderr: &str) {
    let run = run.failure(code);
    assert_eq!(run.stderr, stderr, "leads {:?}", run.args);
    assert_eq!(run.stdout, "", "leads {:?}", run.args);
}

/// The rule lines of a lead's form, as "factor | value | points".
fn rule_lines(env: &Env, vars: &[(&str, &str)], id: i64) -> Vec<String> {
    let shown = env
        .run_with_env(vars, &["show", &id.to_string(), "--format", "json"])
        .success()
        .json();
    shown["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .filter(|r| r["factor"].as_str().is_some_and(|f| f.starts_with("rule")))
        .map(|r| {
            format!(
                "{} | {} | {}",
                r["factor"].as_str().expect("factor"),
                r["value"].as_str().expect("value"),
                r["points"]
            )
        })
        .collect()
}

fn listed(env: &Env) -> String {
    env.run(&["config", "rule", "list"]).success().stdout
}

const OPERATORS: &str = "(operators: = != < <= > >= contains; a value that begins with = ! < > \
                         or ~ must be quoted)";

#[test]
fn bad_operators_are_refused_naming_them_and_nothing_is_saved() {
    let env = Env::new();
    env.add(&["Ada Byron", "--industry", "software"]);
    for (condition, symbol) in [
        ("industry => software", "=>"),
        ("industry =~ software", "=~"),
        ("industry <> software", "<>"),
        ("industry =! software", "=!"),
        ("industry != = software", "!= ="),
        ("industry == software", "=="),
        ("title contains =x", "contains ="),
    ] {
        refused(
            rule_add(&env, &[condition, "--points", "5"]),
            65,
            &format!("leads: '{condition}': bad operator '{symbol}' {OPERATORS}\n"),
        );
    }
    // As separate words, the same.
    refused(
        rule_add(&env, &["industry", "=>", "software", "--points", "5"]),
        65,
        &format!("leads: 'industry => software': bad operator '=>' {OPERATORS}\n"),
    );
    assert_eq!(listed(&env), "");
    // Quoted, a value may begin with an operator character, and lists back quoted.
    rule_add(&env, &["title = \"=> x\"", "--points", "5"])
        .success()
        .stdout_is("1\n")
        .stderr_has("rule 1 added: title = \"=> x\": fit +5\n");
    assert_eq!(
        listed(&env),
        "ID  AXIS  POINTS  CONDITION\n 1  fit       +5  title = \"=> x\"\n"
    );
}

#[test]
fn an_unclosed_quote_is_refused_in_the_value_as_in_the_subject() {
    let env = Env::new();
    let csv = "Email,Lead Origin\nada@example.com,API\n";
    let path = env.write("origin.csv", csv);
    env.run(&["import", &path, "--quiet"]).success();
    refused(
        rule_add(&env, &["\"Lead Origin\" = \"API", "--points", "5"]),
        65,
        "leads: '\"Lead Origin\" = \"API': the quote \" at character 17 (\"API) is never closed\n",
    );
    refused(
        rule_add(&env, &["\"Lead Origin = API", "--points", "5"]),
        65,
        "leads: '\"Lead Origin = API': the quote \" at character 1 (\"Lead Origin = API) is \
         never closed\n",
    );
    refused(
        rule_add(&env, &["'Lead Origin' = 'API' x", "--points", "5"]),
        65,
        "leads: ''Lead Origin' = 'API' x': text after the closing quote ': ' x' (quote the \
         whole value)\n",
    );
    assert_eq!(listed(&env), "");
    rule_add(&env, &["\"Lead Origin\" = \"API\"", "--points", "5"]).success();
    assert_eq!(
        rule_lines(&env, &[], 1),
        vec!["rule 1: \"Lead Origin\" = API | API | 5.0"]
    );
}

/// Five leads whose "Total Time Spent on Website" is a number, as exports write numbers,
/// or something else.
const TIMES: &str = "\
Email,Total Time Spent on Website
a@example.com,674
b@example.com,NaN
c@example.com,about ten minutes
d@example.com,\"1,234\"
e@example.com,\"600,5\"
f@example.com,inf
g@example.com,599
";

#[test]
fn a_number_in_a_rule_only_matches_cells_that_read_as_numbers() {
    let env = Env::new();
    let path = env.write("times.csv", TIMES);
    env.run(&["import", &path, "--quiet"]).success();
    rule_add(
        &env,
        &[
            "\"Total Time Spent on Website\" >= 600",
            "--axis",
            "engagement",
            "--points",
            "15",
        ],
    )
    .success();
    let fired: Vec<Vec<String>> = (1..=7).map(|id| rule_lines(&env, &[], id)).collect();
    let line = |value: &str| {
        vec![format!(
            "rule 1: \"Total Time Spent on Website\" >= 600 | {value} | 15.0"
        )]
    };
    assert_eq!(
        fired,
        vec![
            line("674"),
            vec![],
            vec![],
            // 1234 or 1.234: no number, never a guess.
            vec![],
            line("600,5"),
            vec![],
            vec![]
        ]
    );
    // `<` with a number does not match text either.
    rule_add(
        &env,
        &[
            "\"Total Time Spent on Website\" < 600",
            "--axis",
            "engagement",
            "--points",
            "-5",
        ],
    )
    .success();
    assert_eq!(
        rule_lines(&env, &[], 7)[0],
        "rule 2: \"Total Time Spent on Website\" < 600 | 599 | -5.0"
    );
    assert_eq!(rule_lines(&env, &[], 3), Vec::<String>::new());

    for value in ["NaN", "inf", "-inf", "1e400"] {
        refused(
            rule_add(
                &env,
                &[
                    &format!("\"Total Time Spent on Website\" >= {value}"),
                    "--points",
                    "5",
                ],
            ),
            65,
            &format!("leads: '{value}': expected a finite number (or a text that is no number)\n"),
        );
    }
    // A rule's number is read as the import reads one: one that reads two ways is refused.
    refused(
        rule_add(
            &env,
            &["\"Total Time Spent on Website\" >= 1,000", "--points", "1"],
        ),
        65,
        "leads: '1,000' could be 1000 or 1: write it without the separator or with a decimal \
         point (1000 or 1)\n",
    );
    rule_add(
        &env,
        &[
            "\"Total Time Spent on Website\" >= 600,25",
            "--axis",
            "engagement",
            "--points",
            "1",
        ],
    )
    .success();
    assert_eq!(
        rule_lines(&env, &[], 5)[1],
        "rule 3: \"Total Time Spent on Website\" >= 600,25 | 600,5 | 1.0"
    );
}

#[test]
fn rule_numbers_are_never_given_twice() {
    let env = Env::new();
    env.add(&["Ada Byron"]);
    for n in 1..=18 {
        rule_add(&env, &[&format!("\"Score Column\" = {n}"), "--points", "1"])
            .failure(65)
            .stderr_has("no field or attribute 'Score Column'");
        rule_add(&env, &[&format!("notes = n{n}"), "--points", "1"])
            .success()
            .stdout_is(&format!("{n}\n"));
    }
    let ids: Vec<String> = (1..=18).map(|n| n.to_string()).collect();
    let mut delete = vec!["config", "rule", "delete"];
    delete.extend(ids.iter().map(String::as_str));
    let run = env.run(&delete).success();
    assert_eq!(run.stdout, "");
    assert!(run
        .stderr
        .starts_with("rule 1 deleted: notes = n1: fit +1\nrule 2 deleted"));
    assert_eq!(listed(&env), "");
    rule_add(&env, &["notes = again", "--points", "1"])
        .success()
        .stdout_is("19\n")
        .stderr_has("rule 19 added: notes = again: fit +1");

    // The highest, deleted, is not given again either.
    let env = Env::new();
    env.add(&["Ada Byron"]);
    for n in 1..=10 {
        rule_add(&env, &[&format!("notes = n{n}"), "--points", "1"]).success();
    }
    env.run(&["config", "rule", "delete", "10"]).success();
    rule_add(&env, &["notes = n10", "--points", "1"])
        .success()
        .stdout_is("11\n");
    assert_eq!(
        listed(&env).lines().last(),
        Some("11  fit       +1  notes = n10")
    );
}

#[test]
fn a_profile_saved_before_numbers_were_kept_goes_on_from_its_highest_rule() {
    let env = Env::new();
    env.add(&["Ada Byron"]);
    for n in 1..=5 {
        rule_add(&env, &[&format!("notes = n{n}"), "--points", "1"]).success();
    }
    env.run(&["config", "rule", "delete", "3", "4"]).success();
    // The profile as a release without `last_rule_id` saved it.
    let store = env.store();
    let mut profile = serde_json::to_value(store.profile().expect("profile")).expect("json");
    assert_eq!(profile["last_rule_id"], 5);
    profile
        .as_object_mut()
        .expect("object")
        .remove("last_rule_id");
    store
        .set_setting("profile", &profile.to_string())
        .expect("save");
    drop(store);
    rule_add(&env, &["notes = n6", "--points", "1"])
        .success()
        .stdout_is("6\n");
}

#[test]
fn date_fields_are_read_on_the_local_calendar() {
    for tz in ["Pacific/Auckland", "America/New_York"] {
        let env = Env::new();
        // 20:00 UTC is already 2 March in Auckland, still 1 March in New York.
        let local = [("TZ", tz), ("LEADS_NOW", "2026-03-01T20:00:00Z")];
        env.run_with_env(&local, &["add", "Ada Byron"]).success();
        env.run_with_env(
            &local,
            &["qualify", "1", "--timeline", "2026-04-01", "--quiet"],
        )
        .success();
        for (condition, points) in [
            ("timeline = 2026-04-01", "10"),
            ("timeline <= 2026-04-01", "5"),
            ("created_at = 2026-03-02", "3"),
            ("updated_at >= 2026-03-01", "2"),
        ] {
            env.run_with_env(
                &local,
                &[
                    "config",
                    "rule",
                    "add",
                    condition,
                    "--axis",
                    "readiness",
                    "--points",
                    points,
                ],
            )
            .success();
        }
        let created = if tz == "Pacific/Auckland" {
            vec!["rule 3: created_at = 2026-03-02 | 2026-03-02 | 3.0".to_string()]
        } else {
            vec![]
        };
        let updated = if tz == "Pacific/Auckland" {
            "2026-03-02"
        } else {
            "2026-03-01"
        };
        let mut expected = vec![
            "rule 1: timeline = 2026-04-01 | 2026-04-01 | 10.0".to_string(),
            "rule 2: timeline <= 2026-04-01 | 2026-04-01 | 5.0".to_string(),
        ];
        expected.extend(created);
        expected.push(format!(
            "rule 4: updated_at >= 2026-03-01 | {updated} | 2.0"
        ));
        assert_eq!(rule_lines(&env, &local, 1), expected, "{tz}");
        // The form shows the same local dates.
        let explained = env
            .run_with_env(&local, &["qualify", "1", "--explain", "--quiet"])
            .success()
            .stdout;
        let line = explained
            .lines()
            .find(|line| line.starts_with("rule 2:"))
            .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "));
        assert_eq!(
            line.as_deref(),
            Some("rule 2: timeline <= 2026-04-01 2026-04-01 5"),
            "{tz}: {explained}"
        );
    }
    let env = Env::new();
    env.add(&["Ada Byron"]);
    refused(
        rule_add(&env, &["timeline <= april", "--points", "5"]),
        65,
        "leads: timeline is a date: expected YYYY-MM-DD (e.g. 2026-04-01), not 'april'\n",
    );
}

#[test]
fn flag_values_that_cannot_be_used_exit_65_and_negative_ids_are_ids() {
    let env = Env::new();
    env.add(&["Ada Byron"]);
    rule_add(&env, &["industry = software", "--points", "ten"])
        .failure(65)
        .stderr_has("invalid value 'ten' for '--points <POINTS>'");
    rule_add(
        &env,
        &["industry = software", "--points", "5", "--axis", "fitt"],
    )
    .failure(65)
    .stderr_has("invalid value 'fitt' for '--axis <AXIS>'");
    refused(
        rule_add(&env, &["industry = software", "--points", "0"]),
        65,
        "leads: --points 0: a rule of 0 points does nothing (expected a number from -100 to \
         100, not 0)\n",
    );
    refused(
        env.run(&["config", "rule", "delete", "-1"]),
        3,
        "leads: no rule -1: there are no rules\n",
    );
    // The same through every command that takes an id: a negative one is no lead (3),
    // never an unknown flag (2).
    for (args, message) in [
        (vec!["show", "-1"], "leads: no lead with id -1\n"),
        (vec!["delete", "1", "-2"], "leads: no lead with id -2\n"),
        (
            vec!["edit", "-1", "--title", "CEO"],
            "leads: no lead with id -1\n",
        ),
        (vec!["log", "-1", "call"], "leads: no lead with id -1\n"),
        (vec!["qualify", "-1"], "leads: no lead with id -1\n"),
        (vec!["status", "-1", "won"], "leads: no lead with id -1\n"),
        (vec!["forget", "-1"], "leads: no lead with id -1\n"),
        (
            vec!["follow-up", "add", "-1", "--due", "tomorrow"],
            "leads: no lead with id -1\n",
        ),
        (
            vec!["follow-up", "done", "-1"],
            "leads: no follow-up with id -1\n",
        ),
        (
            vec!["follow-up", "delete", "-1"],
            "leads: no follow-up with id -1\n",
        ),
        (
            vec!["follow-up", "list", "--lead", "-1"],
            "leads: no lead with id -1\n",
        ),
        (
            vec!["import", "--undo", "-1"],
            "leads: no import batch -1\n",
        ),
        (
            vec!["spend", "delete", "-1"],
            "leads: no spend with id -1\n",
        ),
        (vec!["nurture", "stop", "-1"], "leads: no lead with id -1\n"),
    ] {
        refused(env.run(&args), 3, message);
    }
    // A typed value that begins with '-' reaches its parser: exit 65 naming it, not 2.
    for (args, message) in [
        (
            vec!["edit", "1", "--size", "-5"],
            "leads: --size: invalid company size '-5' (expected a whole number of employees, \
             e.g. 120 or 1,200)\n",
        ),
        (
            vec!["add", "Bob", "--size", "-5"],
            "leads: --size: invalid company size '-5' (expected a whole number of employees, \
             e.g. 120 or 1,200)\n",
        ),
        (
            vec!["config", "rule", "add", "industry = x", "--points", "-inf"],
            "leads: --points -inf: expected a number from -100 to 100\n",
        ),
    ] {
        refused(env.run(&args), 65, message);
    }
    for (args, shown) in [
        (
            vec!["follow-up", "list", "--due-within", "-3d"],
            "invalid value '-3d' for '--due-within <INTERVAL>'",
        ),
        (
            vec![
                "follow-up",
                "add",
                "1",
                "--due",
                "tomorrow",
                "--every",
                "-1w",
            ],
            "invalid value '-1w' for '--every <INTERVAL>'",
        ),
        (
            vec!["cadence", "add", "warm", "-1d call: ask"],
            "step 1: invalid step '-1d call: ask': invalid interval '-1d'",
        ),
    ] {
        env.run(&args).failure(65).stderr_has(shown);
    }
    // A count or a score below 0 is a value that cannot be used.
    env.run(&["list", "--limit", "-1"])
        .failure(65)
        .stderr_has("invalid value '-1' for '--limit <N>'");
    env.run(&["list", "--min-score", "-1"])
        .failure(65)
        .stderr_has("invalid value '-1' for '--min-score <SCORE>'");
}

#[test]
fn values_are_checked_by_field() {
    let env = Env::new();
    env.add(&["Ada Byron", "--size", "1,500", "--industry", "software"]);
    refused(
        rule_add(&env, &["status = hot", "--points", "5"]),
        65,
        "leads: status: unknown status 'hot' (expected one of: new, contacted, nurturing, \
         qualified, won, lost, disqualified)\n",
    );
    rule_add(&env, &["status = qualifed", "--points", "5"])
        .failure(65)
        .stderr_has("did you mean 'qualified'?");
    refused(
        rule_add(&env, &["status > new", "--points", "5"]),
        65,
        "leads: status takes = or !=, not >\n",
    );
    refused(
        rule_add(&env, &["budget = maybe", "--points", "5"]),
        65,
        "leads: budget: unknown answer 'maybe' (expected yes, no or unknown)\n",
    );
    refused(
        rule_add(&env, &["company_size >= 1.5", "--points", "5"]),
        65,
        "leads: company_size is a number of employees: '1.5' is not a whole number (expected \
         a whole number such as 120 or 1,200)\n",
    );
    refused(
        rule_add(&env, &["company_size contains 5", "--points", "5"]),
        65,
        "leads: company_size takes = != < <= > >=, not contains\n",
    );
    // Sizes as everywhere else: 1,200 is 1200.
    rule_add(&env, &["company_size >= 1,200", "--points", "5"])
        .success()
        .stdout_is("1\n")
        .stderr_has("rule 1 added: company_size >= 1200: fit +5");
    rule_add(&env, &["status = New", "--points", "5"])
        .success()
        .stderr_has("rule 2 added: status = new: fit +5");
    assert_eq!(
        rule_lines(&env, &[], 1),
        vec![
            "rule 1: company_size >= 1200 | 1500 | 5.0",
            "rule 2: status = new | new | 5.0"
        ]
    );
    // The same condition on the same sub-score again is a conflict, whatever the points
    // or the case.
    rule_add(&env, &["industry = software", "--points", "5"]).success();
    refused(
        rule_add(&env, &["Industry = Software", "--points", "8"]),
        4,
        "leads: rule 3 is already industry = software: fit +5; delete it first to change its \
         points (leads config rule delete 3)\n",
    );
    refused(
        rule_add(&env, &["company_size >= 1200", "--points", "8"]),
        4,
        "leads: rule 1 is already company_size >= 1200: fit +5; delete it first to change \
         its points (leads config rule delete 1)\n",
    );
    // On another sub-score it is another rule.
    rule_add(
        &env,
        &[
            "industry = software",
            "--axis",
            "engagement",
            "--points",
            "5",
        ],
    )
    .success()
    .stdout_is("4\n");
}

#[test]
fn delete_takes_several_numbers_all_or_none() {
    let env = Env::new();
    env.add(&["Ada Byron"]);
    for n in 1..=9 {
        rule_add(&env, &[&format!("notes = n{n}"), "--points", "1"]).success();
    }
    refused(
        env.run(&["config", "rule", "delete", "7", "12", "9", "13"]),
        3,
        "leads: no rules 12, 13 (rules: 1, 2, 3, 4, 5, 6, 7, 8, 9); nothing was deleted\n",
    );
    let run = env.run(&["config", "rule", "delete", "7", "9"]).success();
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "rule 7 deleted: notes = n7: fit +1\nrule 9 deleted: notes = n9: fit +1\n"
    );
    assert_eq!(
        listed(&env)
            .lines()
            .skip(1)
            .map(|l| l[..3].trim())
            .collect::<Vec<_>>(),
        vec!["1", "2", "3", "4", "5", "6", "8"]
    );
    refused(
        env.run(&["config", "rules", "list"]),
        65,
        "leads: unknown setting 'rules' (did you mean 'rule'? scoring rules are `leads config \
         rule add|list|delete`)\n",
    );
    refused(
        env.run(&["config", "rules"]),
        65,
        "leads: unknown setting 'rules' (did you mean 'rule'? scoring rules are `leads config \
         rule add|list|delete`)\n",
    );
}

#[test]
fn rule_add_creates_the_database_and_rule_list_does_not() {
    let env = Env::sqlite();
    env.run(&["config", "rule", "list"])
        .failure(66)
        .stderr_has("leads.db");
    assert!(!env.db.exists());
    // A condition that cannot be used creates nothing either.
    rule_add(&env, &["industry => software", "--points", "5"]).failure(65);
    rule_add(&env, &["\"Lead Origin\" = API", "--points", "5"])
        .failure(65)
        .stderr_has("no field or attribute 'Lead Origin'");
    assert!(!env.db.exists());
    let run = rule_add(&env, &["industry = software", "--points", "5"])
        .success()
        .stdout_is("1\n");
    assert_eq!(
        run.stderr,
        format!(
            "leads: created a new database at {}\nrule 1 added: industry = software: fit +5\n",
            env.db.display()
        )
    );
}

#[test]
fn rule_list_has_a_header_row_and_compact_json() {
    let env = Env::new();
    env.run(&[
        "config",
        "rule",
        "add",
        "industry = software",
        "--points",
        "10",
    ])
    .success();
    env.run(&["config", "rule", "add", "country = india", "--points", "-5"])
        .success();
    env.run(&["config", "rule", "list"]).success().stdout_is(
        "ID  AXIS  POINTS  CONDITION\n 1  fit      +10  industry = software\n 2  fit       -5  country = india\n",
    );
    env.run(&["config", "rule", "list", "--format", "json"])
        .success()
        .stdout_is(
            "[\n  {\"id\":1,\"condition\":\"industry = software\",\"subject\":\"industry\",\"operator\":\"=\",\"value\":\"software\",\"axis\":\"fit\",\"points\":10},\n  \
             {\"id\":2,\"condition\":\"country = india\",\"subject\":\"country\",\"operator\":\"=\",\"value\":\"india\",\"axis\":\"fit\",\"points\":-5}\n]\n",
        );
    env.run(&["config", "rule", "delete", "1", "2"]).success();
    env.run(&["config", "rule", "list"])
        .success()
        .stdout_is("")
        .stderr_has("no rules (add one with leads config rule add)\n");
    env.run(&["config", "rule", "list", "--format", "json"])
        .success()
        .stdout_is("[]\n");
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
