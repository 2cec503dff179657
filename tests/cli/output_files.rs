//! Files leads writes besides its database (`export -o`, `import --rejects`): never the
//! database's real file or its journals however they are reached (a symlink, a symlinked
//! folder, a hard link).
#![allow(clippy::unwrap_used)] // test helpers: a failed step is a failed test
use std::fs;

use crate::harness::Env;

/// SQLite resolves a symlinked database to its target and keeps its journals beside the
/// target: those are the files to protect, not names beside the link.
#[test]
fn the_journals_of_a_symlinked_databases_target_are_refused() {
    let env = Env::new();
    fs::create_dir(env.path("data")).unwrap();
    env.run(&[
        "--db",
        "data/real.db",
        "add",
        "Ada",
        "--email",
        "ada@example.com",
    ])
    .success();
    std::os::unix::fs::symlink("data/real.db", env.path("link.db")).unwrap();
    let input = env.write("in.csv", "first_name,email\nBad,bad@example.com,extra\n");
    for target in [
        "data/real.db-wal",
        "data/real.db-shm",
        "data/real.db-journal",
    ] {
        env.run(&["--db", "link.db", "export", "-o", target])
            .failure(65)
            .stderr_has(&format!(
                "-o: refusing to write to {target}: it is the database's"
            ));
        env.run(&["--db", "link.db", "import", &input, "--rejects", target])
            .failure(65)
            .stderr_has(&format!("--rejects: refusing to write to {target}"));
        assert!(!env.path(target).exists(), "{target} was written");
    }
    env.run(&["--db", "link.db", "export", "-o", "data/real.db"])
        .failure(65)
        .stderr_has("it is the database");
}

#[test]
fn the_database_through_a_symlinked_folder_or_a_hard_link_is_refused() {
    let env = Env::new();
    fs::create_dir(env.path("data")).unwrap();
    env.run(&[
        "--db",
        "data/leads.db",
        "add",
        "Ada",
        "--email",
        "ada@example.com",
    ])
    .success();
    let before = fs::read(env.path("data/leads.db")).unwrap();
    std::os::unix::fs::symlink("data", env.path("alias")).unwrap();
    fs::hard_link(env.path("data/leads.db"), env.path("copy.csv")).unwrap();
    for (db, target) in [
        ("data/leads.db", "alias/leads.db"),
        ("alias/leads.db", "data/leads.db"),
        ("alias/leads.db", "data/leads.db-wal"),
        ("data/leads.db", "alias/leads.db-shm"),
        ("data/leads.db", "copy.csv"),
        ("alias/leads.db", "copy.csv"),
    ] {
        env.run(&["--db", db, "export", "-o", target])
            .failure(65)
            .stderr_has(&format!(
                "-o: refusing to write to {target}: it is the database"
            ));
    }
    assert_eq!(fs::read(env.path("data/leads.db")).unwrap(), before);
}
