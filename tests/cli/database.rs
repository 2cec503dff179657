//! The database file: which commands create it, private to its owner, other programs' files
//! and newer releases' databases refused and left alone, older ones upgraded, processes
//! started together, a busy database (exit 75), ids never given twice.
#![allow(clippy::unwrap_used)] // test code: a failed step fails the test

use std::fs;

use crate::harness::*;

/// The bytes of a file and whether SQLite left files beside it.
fn snapshot(path: &std::path::Path) -> (Vec<u8>, bool, bool) {
    let side = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        std::path::PathBuf::from(name).exists()
    };
    (fs::read(path).unwrap(), side("-wal"), side("-shm"))
}

/// A database as the previous release (schema version 3, no application_id) made it.
fn previous_release_database(env: &Env) {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    for sql in &leads::store::schema::MIGRATIONS[..3] {
        conn.execute_batch(sql).unwrap();
    }
    conn.pragma_update(None, "user_version", 3).unwrap();
    conn.execute(
        "INSERT INTO leads (first_name, email, created_at, updated_at, sort_name)
         VALUES ('Old', 'old@example.com', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 'old')",
        [],
    )
    .unwrap();
}

/// Start `count` copies of a command at the same moment; their exit codes and stderr.
fn together(env: &Env, count: usize, args: &[&str]) -> Vec<(Option<i32>, String)> {
    let children: Vec<_> = (0..count)
        .map(|_| {
            env.command(args)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    children
        .into_iter()
        .map(|child| {
            let output = child.wait_with_output().unwrap();
            (
                output.status.code(),
                String::from_utf8_lossy(&output.stderr).into_owned(),
            )
        })
        .collect()
}

// Which commands create a missing database: those that add data or set up.

#[test]
fn cadence_add_creates_a_database_as_the_readme_says() {
    let env = Env::sqlite();
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
fn commands_about_existing_things_never_create_a_database() {
    let env = Env::sqlite();
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
fn the_database_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::sqlite();
    env.add(&["Bo"]);
    let mode = std::fs::metadata(&env.db).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    // The default database, in a data directory created on first use (an explicit path
    // in a missing folder is refused: see database_paths).
    let nested = env.path("deep/er/leads/leads.db");
    let mut command = env.command(&["add", "Cy"]);
    command
        .env_remove("LEADS_DB")
        .env("XDG_DATA_HOME", env.path("deep/er"));
    assert!(command.output().unwrap().status.success());
    assert_eq!(
        std::fs::metadata(&nested).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_alone() {
    let env = Env::sqlite();
    let contents = "name,email\nAda,ada@example.com\n".repeat(200);
    std::fs::write(&env.db, &contents).unwrap();
    env.run(&["list"])
        .failure(1)
        .stderr_has("is not a leads database");
    assert_eq!(std::fs::read_to_string(&env.db).unwrap(), contents);
}

#[test]
fn a_database_from_a_newer_leads_is_refused() {
    let env = Env::sqlite();
    env.add(&["Bo"]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    env.run(&["list"])
        .failure(1)
        .stderr_has("newer than this leads understands");
}

#[test]
fn an_older_database_is_upgraded_and_keeps_its_leads() {
    let env = Env::sqlite();
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute_batch(leads::store::schema::MIGRATIONS[0])
        .unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    conn.execute(
        "INSERT INTO leads (first_name, last_name, email, created_at, updated_at, sort_name)
         VALUES ('Old', 'Timer', 'old@example.test', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 'old timer')",
        [],
    )
    .unwrap();
    drop(conn);
    let listed = env.run(&["list", "--format", "json"]).success().json();
    assert_eq!(listed[0]["name"], "Old Timer");
    assert_eq!(listed[0]["fit"], 10); // rescored on first read: a valid email
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, leads::store::schema::CURRENT_VERSION);
}

#[test]
fn a_database_busy_beyond_the_timeout_exits_75() {
    let env = Env::sqlite();
    env.add(&["Bo"]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE; UPDATE leads SET notes = 'held' WHERE id = 1;")
        .unwrap();
    let mut command = env.command(&["add", "Cy"]);
    command.env("LEADS_BUSY_TIMEOUT", "200");
    let output = command.output().unwrap();
    assert_eq!(output.status.code(), Some(75));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("another leads process is using the database"),
        "{stderr}"
    );
    // Readers are not blocked by the writer (WAL).
    env.run(&["list", "--format", "json"]).success();
    conn.execute_batch("COMMIT").unwrap();
    env.run(&["add", "Cy"]).success().stdout_is("2\n");
}

#[test]
fn read_commands_never_create_a_database() {
    let env = Env::sqlite();
    let missing = env.db.display().to_string();
    let input = env.write("in.csv", "first_name,email\nBob,bob@example.com\n");
    for args in [
        vec!["list"],
        vec!["show", "1"],
        vec!["export"],
        vec!["export", "-o", "out.csv"],
        vec!["report"],
        vec!["follow-up", "list", "--overdue"],
        vec!["follow-up", "list", "--format", "ics"],
        vec!["config"],
        vec!["config", "weights"],
        vec!["learn"],
        // Commands about leads that must already be there.
        vec!["edit", "1", "--phone", "1"],
        vec!["log", "1", "call"],
        vec!["status", "1", "won"],
        vec!["qualify", "1", "--budget", "yes"],
        vec!["qualify", "--all"],
        vec!["follow-up", "add", "1", "--due", "tomorrow"],
        vec!["follow-up", "done", "1"],
        vec!["forget", "1", "--force"],
        vec!["import", "--undo", "1"],
    ] {
        env.run(&args)
            .failure(66)
            .stderr_has(&format!("no database at {missing}"));
        assert!(!env.db.exists(), "{args:?} created the database");
        assert!(!env.path("out.csv").exists());
    }
    // A dry run says what would happen, in a database that does not exist either.
    env.run(&["import", &input, "--dry-run"])
        .success()
        .stderr_has("imported 1");
    assert!(!env.db.exists(), "import --dry-run created the database");
    let created = env.run(&["add", "Ada"]).success();
    assert!(created
        .stderr
        .starts_with(&format!("leads: created a new database at {missing}\n")));
    assert!(!env.run(&["add", "Bo"]).success().stderr.contains("created"));
    env.run(&["list"]).success();
}

#[test]
fn other_programs_sqlite_files_are_refused_and_left_byte_identical() {
    let env = Env::new();
    let rollback = env.path("other.sqlite");
    let conn = rusqlite::Connection::open(&rollback).unwrap();
    conn.execute_batch(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
         INSERT INTO notes (body) VALUES ('keep me');",
    )
    .unwrap();
    conn.pragma_update(None, "user_version", 7).unwrap();
    drop(conn);
    let wal = env.path("wal.sqlite");
    let conn = rusqlite::Connection::open(&wal).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.execute_batch("CREATE TABLE leads (id INTEGER PRIMARY KEY, name TEXT);")
        .unwrap();
    drop(conn);
    let marked = env.path("marked.sqlite");
    let conn = rusqlite::Connection::open(&marked).unwrap();
    conn.pragma_update(None, "application_id", 0x1234).unwrap();
    drop(conn);
    for file in [&rollback, &wal, &marked] {
        let before = snapshot(file);
        for args in [
            vec!["list"],
            vec!["add", "Eve"],
            vec!["config", "currency", "EUR"],
        ] {
            let mut command = env.command(&args);
            command.env("LEADS_DB", file);
            let output = command.output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(1), "{stderr}");
            assert!(stderr.contains("is not a leads database"), "{stderr}");
            assert_eq!(snapshot(file), before, "{} changed", file.display());
        }
    }
}

#[test]
fn a_newer_database_is_refused_before_its_journal_mode_changes() {
    let env = Env::sqlite();
    env.add(&["Bo"]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    let before = snapshot(&env.db);
    assert_eq!((before.1, before.2), (false, false));
    env.run(&["list"])
        .failure(1)
        .stderr_has("newer than this leads understands");
    env.run(&["add", "Cy"]).failure(1);
    assert_eq!(snapshot(&env.db), before);
}

#[test]
fn a_database_of_the_previous_release_is_recognized_and_marked() {
    let env = Env::sqlite();
    previous_release_database(&env);
    let listed = env.run(&["list", "--format", "json"]).success().json();
    assert_eq!(listed[0]["email"], "old@example.com");
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let (id, version): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT application_id FROM pragma_application_id), \
                    (SELECT user_version FROM pragma_user_version)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(id, leads::store::schema::APPLICATION_ID);
    assert_eq!(version, leads::store::schema::MIGRATIONS.len() as i64);
}

#[test]
fn processes_starting_together_on_a_new_or_older_database_all_succeed() {
    for round in 0..3 {
        let env = Env::sqlite();
        let outcomes = together(&env, 8, &["add", "Ada"]);
        for (code, stderr) in &outcomes {
            assert!(
                matches!(code, Some(0 | 75)),
                "round {round}: {code:?} {stderr}"
            );
        }
        let created = outcomes
            .iter()
            .filter(|(_, e)| e.contains("created a new database"))
            .count();
        assert_eq!(created, 1, "{outcomes:?}");
        let env = Env::sqlite();
        previous_release_database(&env);
        for (code, stderr) in together(&env, 6, &["list"]) {
            assert!(
                matches!(code, Some(0 | 75)),
                "round {round}: {code:?} {stderr}"
            );
        }
        env.run(&["list", "--format", "json"]).success();
    }
}

#[test]
fn commands_started_during_an_import_into_a_new_database_wait_for_it() {
    let env = Env::new();
    let mut csv = String::from("first_name,email,company\n");
    for i in 0..40_000 {
        csv.push_str(&format!("Person {i},p{i}@example.com,Company {i}\n"));
    }
    let input = env.write("big.csv", csv);
    let import = env
        .command(&["import", &input])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The database exists from the import's first moment; before that, `list` rightly
    // says there is none (exit 66).
    // On PostgreSQL, once the import has made the tables.
    let started = std::time::Instant::now();
    let exists = || match env.on_postgres() {
        true => env.run(&["list", "--limit", "1"]).code != 66,
        false => env.db.exists(),
    };
    while !exists() {
        assert!(started.elapsed() < std::time::Duration::from_secs(30));
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    let mut others = Vec::new();
    for delay in [0, 10, 20, 40, 80] {
        std::thread::sleep(std::time::Duration::from_millis(delay));
        for args in [vec!["add", "Late"], vec!["list", "--limit", "1"]] {
            // Readers wait for the whole import (it holds the file while it fills an empty
            // database); on a loaded machine that can exceed the default 10 s.
            let child = env
                .command(&args)
                .env("LEADS_BUSY_TIMEOUT", "300000")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            others.push(child);
        }
    }
    let import = import.wait_with_output().unwrap();
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    for child in others {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{:?}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn an_id_is_never_given_twice() {
    // "lead 3" in a note, a script or an earlier message must never name someone else.
    let env = Env::new();
    for name in ["Ana", "Ben", "Cai"] {
        env.add(&[name]);
    }
    env.run(&["delete", "3", "--force"]).success();
    assert_eq!(env.add(&["Dee"]), 4);

    // An undone import takes its ids with it.
    let path = env.write("two.csv", "Name\nEli\nFay\n");
    env.run(&["import", &path, "--quiet"]).success();
    env.run(&["import", "--undo", "1"]).success();
    assert_eq!(env.add(&["Gus"]), 7);
    let path = env.write("one.csv", "Name\nHal\n");
    env.run(&["import", &path, "--quiet"]).success();
    let hal = env
        .run(&["list", "--search", "Hal", "--format", "json"])
        .success()
        .json();
    assert_eq!(hal[0]["id"], 8);

    // Follow-ups and spends too.
    let due = ["--due", "2026-03-05"];
    for _ in 0..2 {
        env.run(&["follow-up", "add", "1", due[0], due[1]])
            .success();
    }
    env.run(&["follow-up", "delete", "2"]).success();
    env.run(&["follow-up", "add", "1", due[0], due[1]])
        .success()
        .stdout_is("3\n");
    env.run(&["spend", "add", "referral", "100"]).success();
    env.run(&["spend", "delete", "1"]).success();
    env.run(&["spend", "add", "referral", "100"])
        .success()
        .stdout_is("2\n");
}

/// A read leaves its connection for the process's end (nothing to copy back), and the
/// empty log stays beside the database; a command that reads a setting through a first
/// store and then writes through a second (`spend add` reads the currency first) must
/// still copy its log back into the database when it ends, as every write does: the
/// first connection may not linger beside the second.
#[test]
fn a_read_leaves_an_empty_log_and_a_write_after_a_read_in_one_command_copies_its_log_back() {
    let env = Env::sqlite();
    env.run(&["config", "currency", "EUR"]).success();
    env.run(&["list"]).success(); // may refresh the scores: a write
    env.run(&["list"]).success();
    let log = |env: &Env| {
        let mut name = env.db.as_os_str().to_owned();
        name.push("-wal");
        fs::metadata(std::path::PathBuf::from(name))
            .ok()
            .map(|m| m.len())
    };
    assert_eq!(log(&env), Some(0), "a read leaves the empty log");
    env.run(&["spend", "add", "webinar", "4.500,50", "--on", "2026-02-01"])
        .success();
    assert_eq!(
        log(&env),
        None,
        "the write's log is copied back and removed"
    );
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let amount: f64 = conn
        .query_row("SELECT amount FROM spend", [], |row| row.get(0))
        .unwrap();
    assert_eq!(amount, 4500.5);
}
