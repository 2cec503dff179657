//! Output on a terminal and into a pipe: tables fit the terminal's width and colour grades
//! and overdue dates there, piped tables are whole and plain, a closed pipe is a quiet
//! success, and control characters from the data reach the terminal escaped.
#![allow(clippy::unwrap_used)] // test code: a failed step fails the test

use crate::harness::*;

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

#[test]
fn a_closed_pipe_is_a_quiet_success() {
    let env = Env::sqlite();
    env.add(&["Bo"]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute_batch(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
         INSERT INTO leads (first_name, company, created_at, updated_at)
         SELECT 'Person ' || i, 'Company with a fairly long name ' || i, '2026-01-01T00:00:00Z',
                '2026-01-01T00:00:00Z' FROM n;",
    )
    .unwrap();
    drop(conn);
    for command in [
        "list --format ndjson",
        "list --format csv",
        "export",
        "export --format json",
        "export --format ndjson",
    ] {
        let script = format!(
            "'{}' {command} | head -n 1 >/dev/null; echo \"${{PIPESTATUS[0]}}\"",
            env!("CARGO_BIN_EXE_leads")
        );
        let result = std::process::Command::new("bash")
            .args(["-c", &script])
            .env("LEADS_DB", &env.db)
            .env("LEADS_NOW", NOW)
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&result.stdout), "0\n", "{command}");
        assert_eq!(String::from_utf8_lossy(&result.stderr), "", "{command}");
    }
}

#[test]
fn control_characters_from_the_data_reach_the_terminal_escaped() {
    let env = Env::new();
    let id = env.add(&[
        "Eve\x1b[2JMallory",
        "--company",
        "Acme\x07\r\x08\u{9b}31m",
        "--note",
        "\x1b]0;pwned\x07",
    ]);
    let list = env.run(&["list"]).success();
    assert!(list.stdout.contains("Eve\\e[2JMallory"), "{}", list.stdout);
    assert!(
        list.stdout.contains("Acme\\x07\\r\\b\\u{9b}31m"),
        "{}",
        list.stdout
    );
    assert!(!list.stdout.contains('\x1b'));
    let show = env.run(&["show", &id.to_string()]).success();
    assert!(show.stdout.contains("Eve\\e[2JMallory"), "{}", show.stdout);
    assert!(show.stdout.contains("\\e]0;pwned\\x07"), "{}", show.stdout);
    assert!(!show.stdout.contains('\x1b') && !show.stdout.contains('\x07'));
    // Machine formats keep the data as it is.
    let json = env.run(&["list", "--format", "json"]).success().json();
    assert_eq!(json[0]["company"], "Acme\x07\r\x08\u{9b}31m");
    let csv = env.run(&["list", "--format", "csv"]).success();
    assert!(csv.stdout.contains("Eve\x1b[2JMallory"));
    // Messages quoting a value: an error and an import warning.
    env.run(&["list", "--status", "won\x1b[2J"])
        .failure(65)
        .stderr_has("won\\e[2J");
    let input = env.write(
        "in.csv",
        "first_name,email,company_size\nBob\x1b[31m,bob@example.com,many\x1b[2J\n",
    );
    let import = env.run(&["import", &input]);
    assert!(!import.stderr.contains('\x1b'), "{}", import.stderr);
}
