//! A database in a folder its reader cannot write (another user's shared folder, a
//! read-only mount) can still be read: SQLite cannot create its `-wal`/`-shm` there, so
//! leads opens it read-only, and a command that writes says why it cannot.
#![allow(clippy::unwrap_used)] // test helpers: a failed step is a failed test
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Output};

use crate::harness::{file_names, Env, NOW};

/// The unprivileged user the commands run as when the tests run as root, for whom
/// permissions are not checked.
const NOBODY: u32 = 65534;

fn is_root() -> bool {
    let id = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&id.stdout).trim() == "0"
}

/// `leads ARGS` in `folder` as a user who cannot write to it: this user, or nobody (via
/// util-linux `setpriv`) when the tests run as root. None when neither is possible.
fn run_without_write_access(folder: &std::path::Path, args: &[&str]) -> Option<Output> {
    let mut command = if is_root() {
        let mut command = Command::new("setpriv");
        command.args([
            format!("--reuid={NOBODY}"),
            format!("--regid={NOBODY}"),
            "--clear-groups".to_string(),
            env!("CARGO_BIN_EXE_leads").to_string(),
        ]);
        command
    } else {
        Command::new(env!("CARGO_BIN_EXE_leads"))
    };
    command
        .args(args)
        .env_remove("LEADS_DB")
        .env("LEADS_NOW", NOW)
        .env("TZ", "UTC")
        .env("HOME", folder)
        .current_dir(folder);
    command.output().ok().filter(|output| {
        // setpriv missing or not allowed here: nothing to test with.
        !String::from_utf8_lossy(&output.stderr).starts_with("setpriv:")
    })
}

#[test]
fn a_database_in_a_read_only_folder_can_be_read() {
    read_only_folder(false);
}

/// A read leaves the database's empty `-wal` and its `-shm` beside it (a read does not
/// close its connection, see `Store`'s drop): the other user cannot open them either.
#[test]
fn a_database_a_read_left_with_its_log_in_a_read_only_folder_can_be_read() {
    read_only_folder(true);
}

fn read_only_folder(read_last: bool) {
    let env = Env::new();
    let folder = env.path("shared");
    fs::create_dir(&folder).unwrap();
    let db = folder.join("leads.db");
    let db_arg = db.to_string_lossy().into_owned();
    let id = env.add(&[
        "--db",
        &db_arg,
        "Ada Lovelace",
        "--email",
        "ada@example.com",
    ]);
    env.run(&[
        "--db",
        &db_arg,
        "follow-up",
        "add",
        &id.to_string(),
        "--due",
        "tomorrow 10am",
    ])
    .success();
    assert_eq!(file_names(&folder), ["leads.db"]);
    let left = if read_last {
        env.run(&["--db", &db_arg, "list"]).success();
        vec!["leads.db", "leads.db-shm", "leads.db-wal"]
    } else {
        vec!["leads.db"]
    };
    assert_eq!(file_names(&folder), left);
    // The test's own folder must let the other user through to the shared one.
    fs::set_permissions(env.dir(), fs::Permissions::from_mode(0o755)).unwrap();
    if is_root() {
        for path in [&folder, &db] {
            let chown = Command::new("chown")
                .args([NOBODY.to_string(), path.to_string_lossy().into_owned()])
                .status()
                .unwrap();
            assert!(chown.success());
        }
    }
    fs::set_permissions(&db, fs::Permissions::from_mode(0o600)).unwrap();
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o555)).unwrap();
    let before = fs::read(&db).unwrap();

    let Some(list) =
        run_without_write_access(&folder, &["--db", "leads.db", "list", "--format", "json"])
    else {
        eprintln!("skipped: cannot run as a user without write access (no setpriv)");
        return;
    };
    let stderr = String::from_utf8_lossy(&list.stderr);
    assert_eq!(list.status.code(), Some(0), "{stderr}");
    let leads: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(leads[0]["email"], "ada@example.com", "{leads}");

    let due = run_without_write_access(
        &folder,
        &["--db", "leads.db", "follow-up", "list", "--format", "json"],
    )
    .unwrap();
    let stderr = String::from_utf8_lossy(&due.stderr);
    assert_eq!(due.status.code(), Some(0), "{stderr}");
    let follow_ups: serde_json::Value = serde_json::from_slice(&due.stdout).unwrap();
    assert_eq!(follow_ups[0]["lead_id"], id, "{follow_ups}");

    // A command that writes cannot, and says so in one line.
    let add = run_without_write_access(&folder, &["--db", "leads.db", "add", "Bob"]).unwrap();
    let stderr = String::from_utf8_lossy(&add.stderr);
    assert_eq!(add.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("read-only"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");

    assert_eq!(file_names(&folder), left);
    assert_eq!(fs::read(&db).unwrap(), before);
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
}
