//! `PRAGMA user_version` says which migrations a database has had. One changed by another
//! tool (so that it no longer matches the tables) is refused in one line naming the file
//! and the version, never with a migration's SQL error, and left as it was.
#![allow(clippy::unwrap_used)] // test helpers: a failed step is a failed test
use std::fs;

use crate::harness::Env;

fn set_user_version(env: &Env, version: i64) {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.pragma_update(None, "user_version", version).unwrap();
}

#[test]
fn a_tampered_schema_version_is_one_line_naming_the_file_and_the_version() {
    let env = Env::sqlite();
    env.add(&["Ada Lovelace", "--email", "ada@example.com"]);
    let db = env.db.display().to_string();
    for version in [0, 2, 6] {
        set_user_version(&env, version);
        let before = fs::read(&env.db).unwrap();
        for args in [vec!["list"], vec!["add", "Bob"], vec!["follow-up", "list"]] {
            let run = env.run(&args).failure(1).stderr_has(&format!(
                "cannot use the database {db}: its schema version ({version}) does not match \
                 its tables"
            ));
            assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
            for sql in ["duplicate column", "already exists", "no such"] {
                assert!(!run.stderr.contains(sql), "{}", run.stderr);
            }
        }
        assert_eq!(fs::read(&env.db).unwrap(), before, "version {version}");
    }
    set_user_version(&env, 99);
    let run = env.run(&["list"]).failure(1).stderr_has(&format!(
        "cannot use the database {db}: the database is at schema version 99"
    ));
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}
