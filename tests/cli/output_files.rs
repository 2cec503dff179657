//! Files leads writes besides its database (`export -o`, `import --rejects`): never the
//! database's real file or its journals however they are reached (a symlink, a symlinked
//! folder, a hard link) or spelled, private to their owner, replacing an old file only when
//! complete, nothing left behind when a signal stops the writing, and a mistyped folder
//! refused (exit 66) before anything is done.
#![allow(clippy::unwrap_used)] // test helpers: a failed step is a failed test
use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{file_names, Env};

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

/// Leads enough that an export takes a while, imported from a generated CSV.
fn many_leads(env: &Env, count: usize) {
    let mut csv = String::from("first_name,last_name,email,company\n");
    for i in 0..count {
        csv.push_str(&format!("Person{i},Surname{i},p{i}@example.com,Firm {i}\n"));
    }
    let input = env.write("many.csv", csv);
    env.run(&["import", &input, "--quiet"]).success();
    fs::remove_file(input).unwrap();
}

fn kill(signal: &str, pid: u32) {
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .unwrap();
    assert!(sent.success(), "kill -{signal} {pid}");
}

#[test]
fn an_export_stopped_by_a_signal_leaves_no_file_behind() {
    let env = Env::new();
    many_leads(&env, 30_000);
    let listing = file_names(env.dir());
    for (signal, number) in [("INT", 2), ("TERM", 15), ("HUP", 1)] {
        let mut export = env.command(&["export", "-o", "out.csv"]);
        let mut child = export
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait for the temporary file, then freeze the export mid-write, so the signal
        // surely arrives while it writes (a stopped process keeps it pending).
        let started = Instant::now();
        let temporary = loop {
            let fresh: Vec<String> = file_names(env.dir())
                .into_iter()
                .filter(|name| !listing.contains(name))
                .collect();
            if let Some(name) = fresh.into_iter().find(|name| name.ends_with(".tmp")) {
                break name;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "no temporary file appeared"
            );
            std::thread::sleep(Duration::from_millis(1));
        };
        kill("STOP", child.id());
        assert!(
            env.path(&temporary).exists(),
            "the export finished before it could be stopped: make it bigger"
        );
        kill(signal, child.id());
        kill("CONT", child.id());
        let status = child.wait().unwrap();
        // Ended by the signal itself, as without leads' handler: a shell shows 128 + n.
        assert_eq!(status.signal(), Some(number), "SIG{signal}: {status:?}");
        // The database's own -wal and -shm may stay, as after any crash: SQLite's to tidy.
        let left: Vec<String> = file_names(env.dir())
            .into_iter()
            .filter(|name| !["leads.db-wal", "leads.db-shm"].contains(&name.as_str()))
            .collect();
        assert_eq!(left, listing, "SIG{signal} left a file");
    }
    env.run(&["export", "-o", "out.csv"]).success();
    assert_eq!(
        fs::read_to_string(env.path("out.csv"))
            .unwrap()
            .lines()
            .count(),
        30_001
    );
}

/// An output through a symlink (a dotfile manager's link, `latest.csv -> 2026-03.csv`)
/// writes the file the link points to, privately; the link stays a link.
#[test]
fn an_output_through_a_symlink_replaces_the_file_it_points_to_not_the_link() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.add(&["Ada", "--email", "ada@example.com"]);
    fs::create_dir(env.path("exports")).unwrap();
    fs::write(env.path("exports/2026-03.csv"), "old").unwrap();
    std::os::unix::fs::symlink("exports/2026-03.csv", env.path("latest.csv")).unwrap();
    // A link to a file not there yet (dangling) makes that file.
    std::os::unix::fs::symlink("exports/2026-04.csv", env.path("next.csv")).unwrap();
    for (link, real) in [
        ("latest.csv", "exports/2026-03.csv"),
        ("next.csv", "exports/2026-04.csv"),
    ] {
        env.run(&["export", "-o", link]).success();
        let meta = fs::symlink_metadata(env.path(link)).unwrap();
        assert!(meta.file_type().is_symlink(), "{link} is no link any more");
        let written = fs::read_to_string(env.path(real)).unwrap();
        assert!(written.contains("ada@example.com"), "{real}: {written}");
        let mode = fs::metadata(env.path(real)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{real}");
    }
    assert_eq!(
        file_names(&env.path("exports")),
        ["2026-03.csv", "2026-04.csv"]
    );
}

/// `-o /dev/stdout` (here `/dev/fd/1`, its other name, which no test can break a machine
/// with) writes to the standard output the shell opened: appended after what a `>>` file
/// held, never a file made in /dev or /proc in its place.
#[test]
fn an_export_to_the_standard_output_by_name_writes_where_the_shell_pointed_it() {
    let env = Env::new();
    env.add(&["Ada", "--email", "ada@example.com"]);
    let kept = env.path("all.csv");
    fs::write(&kept, "precious line\n").unwrap();
    for name in ["/dev/fd/1", "/proc/self/fd/1"] {
        let appended = fs::OpenOptions::new().append(true).open(&kept).unwrap();
        let out = env
            .command(&["export", "-o", name])
            .stdout(appended)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let written = fs::read_to_string(&kept).unwrap();
    assert!(written.starts_with("precious line\n"), "{written}");
    assert_eq!(written.matches("ada@example.com").count(), 2, "{written}");
}

/// `import -` reads the standard input; when the shell pointed it at a file, that file
/// is the input, whatever it is called: `--rejects` naming it (or `/dev/stdin`) is refused
/// before anything is written, and the file is left as it was.
#[test]
fn rejects_to_the_file_on_the_standard_input_are_refused() {
    let env = Env::new();
    let original = "first_name,email\nBad,bad@example.com,extra\nOk,ok@example.com\n";
    let input = env.write("in.csv", original);
    for rejects in ["in.csv", "./in.csv", "/dev/stdin"] {
        let out = env
            .command(&["import", "-", "--rejects", rejects])
            .stdin(fs::File::open(&input).unwrap())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(65), "{rejects}: {stderr}");
        assert!(
            stderr.contains(&format!("--rejects: refusing to write to {rejects}")),
            "{rejects}: {stderr}"
        );
        assert_eq!(fs::read_to_string(&input).unwrap(), original, "{rejects}");
    }
    assert!(!env.db.exists(), "nothing was imported");
}

fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).expect("file").permissions().mode() & 0o777
}

fn ada_and_grace(env: &Env) {
    env.add(&["Ada Lovelace", "--email", "ada@example.com"]);
    env.add(&["Grace Hopper", "--email", "grace@example.com"]);
}

#[test]
fn export_refuses_to_overwrite_the_database_however_it_is_spelled() {
    let env = Env::sqlite();
    ada_and_grace(&env);
    let before = fs::read(&env.db).unwrap();
    fs::create_dir(env.path("sub")).unwrap();
    std::os::unix::fs::symlink(&env.db, env.path("link.csv")).unwrap();
    for (target, shown) in [
        ("leads.db", "leads.db"),
        ("./leads.db", "./leads.db"),
        ("sub/../leads.db", "sub/../leads.db"),
        ("leads.db-wal", "leads.db-wal"),
        ("leads.db-shm", "leads.db-shm"),
        ("link.csv", "link.csv"),
    ] {
        env.run(&["export", "-o", target])
            .failure(65)
            .stderr_has(&format!(
                "-o: refusing to write to {shown}: it is the database"
            ));
    }
    assert_eq!(fs::read(&env.db).unwrap(), before);
    env.run(&["list", "--format", "tsv"]).success();
    assert_eq!(
        env.run(&["export", "--format", "json"])
            .success()
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn import_rejects_refuses_the_database_and_the_input() {
    let env = Env::sqlite();
    ada_and_grace(&env);
    let before = fs::read(&env.db).unwrap();
    let csv = "first_name,email\nBob,bob@example.com\nBad,not-an-email\n";
    let input = env.write("in.csv", csv);
    env.run(&["import", &input, "--rejects", "leads.db"])
        .failure(65)
        .stderr_has("--rejects: refusing to write to leads.db: it is the database");
    env.run(&["import", "in.csv", "--rejects", "./in.csv"])
        .failure(65)
        .stderr_has("--rejects: refusing to write to ./in.csv: it is the input file");
    assert_eq!(fs::read_to_string(&input).unwrap(), csv);
    assert_eq!(fs::read(&env.db).unwrap(), before);
    // Nothing was imported either: the refusal comes before any work.
    assert_eq!(
        env.run(&["list", "--format", "json"])
            .success()
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn outputs_are_private_and_replace_the_old_file_only_when_complete() {
    let env = Env::new();
    ada_and_grace(&env);
    let out = env.path("out.csv");
    fs::write(&out, "old").unwrap();
    env.run(&["export", "-o", "out.csv"]).success();
    assert!(fs::read_to_string(&out)
        .unwrap()
        .contains("ada@example.com"));
    assert_eq!(mode(&out), 0o600);
    // A failing export (a bad filter) leaves the old file and no temporary beside it.
    fs::write(&out, "old").unwrap();
    env.run(&["export", "-o", "out.csv", "--since", "not a date"])
        .failure(65);
    assert_eq!(fs::read_to_string(&out).unwrap(), "old");
    let input = env.write("in.csv", "first_name,email\nBad,bad@example.com,extra\n");
    env.run(&["import", &input, "--rejects", "rejects.csv"])
        .failure(65);
    assert_eq!(mode(&env.path("rejects.csv")), 0o600);
    let names: Vec<String> = fs::read_dir(env.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn an_output_file_in_a_mistyped_folder_is_exit_66_before_anything_is_done() {
    let env = Env::new();
    env.add(&["Ana"]);
    env.run(&["export", "-o", "nofolder/leads.csv"])
        .failure(66)
        .stderr_has(
            "cannot write the export file nofolder/leads.csv: nofolder is not a folder that exists",
        );
    let file = env.write("two.csv", "Name\nBea\nCy\n");
    env.run(&["import", &file, "--rejects", "nofolder/rejects.csv"])
        .failure(66)
        .stderr_has("nofolder is not a folder that exists");
    // Nothing was imported, no folder made.
    assert_eq!(
        env.run(&["list", "--format", "json"])
            .success()
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(!env.dir().join("nofolder").exists());
}
