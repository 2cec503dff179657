//! A database path is a plain file path: SQLite URIs (`file:...`), `:memory:`, device
//! files and FIFOs are refused (exit 65) before anything is created, and never opened.
#![allow(clippy::unwrap_used)] // test helpers: a failed step is a failed test
use std::fs;
use std::path::Path;

use crate::harness::Env;

/// The names in a folder, sorted.
fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

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
    let env = Env::new();
    env.add(&["Ada Lovelace", "--email", "ada@example.com"]);
    let before = fs::read(&env.db).unwrap();
    env.write("in.csv", "first_name,email\nBob,bob@example.com\n");
    let listing = names(env.dir());
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
            assert_eq!(names(env.dir()), listing, "{args:?} created a file");
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
    let env = Env::new();
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
    let listing = names(env.dir());
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
            assert_eq!(names(env.dir()), listing, "{args:?} created a file");
        }
    }
}

#[test]
fn a_postgresql_address_says_the_engine_is_not_in_this_build() {
    let env = Env::new();
    let listing = names(env.dir());
    for db in [
        "postgres://seller@localhost/leads",
        "postgresql://seller@localhost/leads",
    ] {
        for args in [vec!["--db", db, "list"], vec!["--db", db, "add", "Bob"]] {
            let run = env
                .run(&args)
                .failure(65)
                .stderr_has("the PostgreSQL engine is not available in this build yet");
            assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        }
        let mut command = env.command(&["add", "Bob"]);
        command.env("LEADS_DB", db);
        assert_eq!(command.output().unwrap().status.code(), Some(65));
    }
    assert_eq!(names(env.dir()), listing);
}
