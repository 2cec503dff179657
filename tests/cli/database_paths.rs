//! A database path is a plain file path: SQLite URIs (`file:...`), `:memory:`, device
//! files and FIFOs are refused (exit 65) before anything is created, and never opened; a
//! path in a missing folder, or one that cannot be a file, is exit 66 and makes nothing;
//! the default database gets its folder created.
#![allow(clippy::unwrap_used)] // test helpers: a failed step is a failed test
use std::fs;
use std::path::Path;

use crate::harness::*;

/// The files SQLite keeps beside `path` that exist now.
fn sqlite_files_beside(path: &str) -> Vec<String> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|suffix| format!("{path}{suffix}"))
        .filter(|name| Path::new(name).exists())
        .collect()
}

#[test]
fn sqlite_uris_and_memory_databases_are_refused_before_anything_is_created() {
    let env = Env::sqlite();
    env.add(&["Ada Lovelace", "--email", "ada@example.com"]);
    let before = fs::read(&env.db).unwrap();
    env.write("in.csv", "first_name,email\nBob,bob@example.com\n");
    let listing = file_names(env.dir());
    for db in [
        "file:leads.db",
        "file:x?mode=memory",
        "FILE:leads.db",
        ":memory:",
    ] {
        for args in [
            vec!["--db", db, "add", "Bob", "--email", "bob@example.com"],
            vec!["--db", db, "list"],
            vec!["--db", db, "import", "in.csv"],
            vec!["--db", db, "import", "--dry-run", "in.csv"],
        ] {
            env.run(&args)
                .failure(65)
                .stderr_has(&format!("--db {db} is not a database file path"));
            assert_eq!(file_names(env.dir()), listing, "{args:?} created a file");
        }
    }
    // The real database was never reached through the URI.
    assert_eq!(fs::read(&env.db).unwrap(), before);
    assert_eq!(
        env.run(&["list", "--format", "json"])
            .success()
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// The worst known case: SQLite read `file:leads.db` as a URI naming `leads.db`, while
/// the output guard protected a file named `file:leads.db`, so the export replaced the
/// real database with a CSV.
#[test]
fn an_export_through_a_uri_never_replaces_the_database() {
    let env = Env::sqlite();
    env.add(&["Ada Lovelace", "--email", "ada@example.com"]);
    let before = fs::read(&env.db).unwrap();
    // An earlier version created this empty file beside the database.
    fs::write(env.path("file:leads.db"), "").unwrap();
    env.run(&["--db", "file:leads.db", "export", "-o", "leads.db"])
        .failure(65)
        .stderr_has("--db file:leads.db is not a database file path");
    assert_eq!(fs::read(&env.db).unwrap(), before);
    env.run(&["--db", "file:leads.db", "add", "Bob"])
        .failure(65);
    assert_eq!(fs::read(&env.db).unwrap(), before);
}

#[test]
fn device_files_and_fifos_are_refused_before_anything_is_created() {
    let env = Env::new();
    let fifo = env.path("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let fifo = fifo.to_string_lossy().into_owned();
    let listing = file_names(env.dir());
    for db in ["/dev/null", "/dev/zero", fifo.as_str()] {
        for args in [
            vec!["--db", db, "list"],
            vec!["--db", db, "add", "Bob"],
            vec!["--db", db, "follow-up", "list"],
        ] {
            // /dev is shared with every other process: only what this run created counts.
            let already = sqlite_files_beside(db);
            env.run(&args)
                .failure(65)
                .stderr_has(&format!("--db {db} is not a database file"));
            let created: Vec<String> = sqlite_files_beside(db)
                .into_iter()
                .filter(|name| !already.contains(name))
                .collect();
            assert_eq!(created, Vec::<String>::new(), "{args:?}");
            assert_eq!(file_names(env.dir()), listing, "{args:?} created a file");
        }
    }
}

#[test]
fn a_postgresql_server_that_does_not_answer_is_exit_75_without_its_password() {
    let env = Env::sqlite();
    let listing = file_names(env.dir());
    // Port 1 of this machine: nothing listens there.
    for db in [
        "postgres://seller:s3cret@127.0.0.1:1/leads",
        "postgresql://seller@127.0.0.1:1/leads?password=s3cret",
    ] {
        for args in [vec!["--db", db, "list"], vec!["--db", db, "add", "Bob"]] {
            let run = env.run(&args).failure(75).stderr_has(&format!(
                "cannot reach the PostgreSQL server {}://127.0.0.1:1/leads",
                db.split_once("://").unwrap().0
            ));
            assert!(!run.stderr.contains("s3cret"), "{}", run.stderr);
            assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        }
        let mut command = env.command(&["add", "Bob"]);
        command.env("LEADS_DB", db);
        assert_eq!(command.output().unwrap().status.code(), Some(75));
    }
    assert_eq!(file_names(env.dir()), listing, "no file made for a server");
}

// A typo in an explicit database path never creates folders.

#[test]
fn an_explicit_database_path_in_a_missing_folder_is_exit_66_and_creates_nothing() {
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

/// The default database, its folder made on first use; also with `LEADS_DB=` (set to
/// nothing, as a script's unset variable leaves it), not an error about a `--db` flag
/// nobody typed.
#[test]
fn the_default_database_gets_its_folder_created() {
    for leads_db in [None, Some("")] {
        let env = Env::new();
        let data = env.path("data-home");
        let mut command = env.command(&["add", "Z"]);
        match leads_db {
            Some(value) => command.env("LEADS_DB", value),
            None => command.env_remove("LEADS_DB"),
        };
        let run = command
            .env("XDG_DATA_HOME", &data)
            .env("HOME", env.dir())
            .output()
            .expect("run leads");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(0), "{leads_db:?}: {stderr}");
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
fn reading_from_a_folder_that_does_not_exist_is_an_error_not_a_new_database() {
    let env = Env::sqlite();
    let typo = env.path("no-such-folder/leads.db");
    for args in [
        &["list"][..],
        &["follow-up", "list", "--overdue"],
        &["show", "1"],
        &["export"],
        &["report"],
    ] {
        let mut command = env.command(args);
        command.env("LEADS_DB", &typo);
        let output = command.output().unwrap();
        assert_eq!(output.status.code(), Some(66), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("the folder") && stderr.contains("does not exist"),
            "{stderr}"
        );
    }
    assert!(!env.path("no-such-folder").exists());
    // A missing file in an existing folder is no database either (issue 11): a typo in a
    // crontab must not look like "nothing due".
    env.run(&["follow-up", "list", "--overdue"])
        .failure(66)
        .stderr_has("no database at");
    assert!(!env.db.exists());
}

/// An empty file (`touch`, or `sqlite3` given a typo) becomes the database, private (0600)
/// as a new one, whichever command opens it first (leads holds personal data; it was left
/// readable by everyone); a dry run works in memory, as with no file at all.
#[test]
fn an_empty_file_becomes_a_private_database() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |env: &Env| std::fs::metadata(&env.db).unwrap().permissions().mode() & 0o777;
    for first in [&["today"][..], &["add", "Ada Lovelace"]] {
        let env = Env::sqlite();
        std::fs::write(&env.db, b"").unwrap();
        std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o644)).unwrap();
        let csv = env.write("one.csv", "Name,Email\nAda Lovelace,ada@example.com\n");
        env.run(&["import", &csv, "--dry-run"]).success();
        assert_eq!(std::fs::metadata(&env.db).unwrap().len(), 0);
        env.run(first).success();
        assert_eq!(mode(&env), 0o600, "after {first:?}");
        env.run(&["add", "Grace Hopper"]).success();
        assert_eq!(mode(&env), 0o600);
    }
}

/// libpq's KEY=VALUE form is no file name: refused before anything is made, its password
/// never shown (not even by `--help`, which shows where `LEADS_DB` points).
#[test]
fn a_libpq_connection_string_is_refused_and_its_password_never_shown() {
    let env = Env::sqlite();
    let listing = file_names(env.dir());
    let conninfo = "host=127.0.0.1 user=seller password=s3cret dbname=leads";
    for args in [
        vec!["--db", conninfo, "add", "Bob"],
        vec!["--db", conninfo, "list"],
    ] {
        let run = env
            .run(&args)
            .failure(65)
            .stderr_has("looks like a libpq connection string");
        assert!(!run.stderr.contains("s3cret"), "{}", run.stderr);
    }
    let url = "postgres://seller:s3cret@127.0.0.1:1/leads";
    for args in [vec!["--help"], vec!["list", "--help"]] {
        let run = env.run_with_env(&[("LEADS_DB", url)], &args).success();
        assert!(!run.stdout.contains("s3cret"), "{}", run.stdout);
    }
    assert_eq!(file_names(env.dir()), listing);
}
