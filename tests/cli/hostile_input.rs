//! Hostile input: a line with no end, a flood of NUL bytes, `/dev/zero`, 200,000 tags in
//! one cell, a ten-megabyte name. Memory stays bounded and time linear: an error naming the
//! line, quickly, never gigabytes and never a hang. (The record limit is 16 MiB; the files
//! here are just over it, so that each test stays short.)
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::Env;

/// Just over the 16 MiB a record may take.
const OVER_THE_LIMIT: usize = 17 << 20;

/// How long any of these may take, even in a debug build on a busy machine.
const PATIENCE: Duration = Duration::from_secs(30);

/// What a run that must end on its own gave.
struct Ended {
    code: i32,
    stderr: String,
}

/// Run `leads ARGS`, killing it when it takes longer than `PATIENCE` (then the test fails:
/// a hang is what is being tested for).
fn run_with_watchdog(env: &Env, args: &[&str]) -> Ended {
    let mut command: Command = env.command(args);
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run leads");
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for leads") {
            let mut stderr = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().expect("stderr"), &mut stderr)
                .expect("read stderr");
            return Ended {
                code: status.code().unwrap_or(-1),
                stderr,
            };
        }
        if started.elapsed() > PATIENCE {
            child.kill().expect("kill leads");
            let _ = child.wait();
            panic!("leads {args:?} still running after {PATIENCE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Expect exit 65 with a message that contains every one of `texts`, and no panic.
#[track_caller]
fn refused(ended: &Ended, texts: &[&str]) {
    assert_eq!(ended.code, 65, "{}", ended.stderr);
    assert!(!ended.stderr.contains("panicked"), "{}", ended.stderr);
    for text in texts {
        assert!(ended.stderr.contains(text), "{text:?} in {}", ended.stderr);
    }
}

#[test]
fn a_csv_line_with_no_end_is_refused_naming_its_line() {
    let env = Env::new();
    let mut file = b"Name,Email\nAnn,ann@example.com\nBob,".to_vec();
    file.resize(file.len() + OVER_THE_LIMIT, b'x');
    let path = env.write("endless.csv", &file);
    let ended = run_with_watchdog(&env, &["import", &path]);
    refused(&ended, &["line 3", "longer than 16 MiB"]);
    // Nothing was imported: the file cannot be read to its end.
    env.run(&["list", "--format", "tsv"]).failure(66);
}

#[test]
fn a_quote_never_closed_cannot_swallow_more_than_the_limit() {
    let env = Env::new();
    let mut file = b"Name,Notes\nAnn,\"opened here\n".to_vec();
    let line = b"a line of notes that goes on and on, inside the quote\n";
    while file.len() < OVER_THE_LIMIT + 1024 {
        file.extend_from_slice(line);
    }
    let path = env.write("open_quote.csv", &file);
    let ended = run_with_watchdog(&env, &["import", &path]);
    refused(&ended, &["line 2", "longer than 16 MiB"]);
}

#[test]
fn a_flood_of_nul_bytes_is_refused_naming_its_line() {
    let env = Env::new();
    let path = env.write("nul.csv", vec![0u8; OVER_THE_LIMIT]);
    let ended = run_with_watchdog(&env, &["import", &path]);
    refused(&ended, &["line 1", "longer than 16 MiB"]);
}

#[test]
fn dev_zero_is_refused_quickly() {
    if !std::path::Path::new("/dev/zero").exists() {
        return;
    }
    let env = Env::new();
    let ended = run_with_watchdog(&env, &["import", "/dev/zero"]);
    refused(&ended, &["line 1", "longer than 16 MiB"]);
}

#[test]
fn an_ndjson_line_with_no_end_is_refused_naming_its_line() {
    let env = Env::new();
    let mut file = b"{\"email\": \"ann@example.com\"}\n{\"notes\": \"".to_vec();
    file.resize(file.len() + OVER_THE_LIMIT, b'x');
    let path = env.write("endless.ndjson", &file);
    let ended = run_with_watchdog(&env, &["import", &path]);
    refused(&ended, &["line 2", "longer than 16 MiB"]);
}

#[test]
fn a_json_array_element_over_the_limit_is_refused_naming_its_line() {
    // The array is read element by element: one element past the limit stops the import
    // where it began, before the rest of the file is read into memory.
    let env = Env::new();
    let mut file = b"[\n  {\"email\": \"ann@example.com\"},\n  {\"notes\": \"".to_vec();
    file.resize(file.len() + OVER_THE_LIMIT, b'x');
    file.extend_from_slice(b"\"}\n]\n");
    let path = env.write("huge_element.json", &file);
    let ended = run_with_watchdog(&env, &["import", &path]);
    refused(&ended, &["line 3", "longer than 16 MiB"]);
    // Nothing was imported, not even the elements before it.
    assert_eq!(
        env.run(&["list", "--format", "json"]).json(),
        serde_json::json!([])
    );
}

#[test]
fn a_json_array_of_fifty_thousand_leads_imports_element_by_element() {
    let env = Env::new();
    let mut file = String::from("[");
    for n in 0..50_000 {
        if n > 0 {
            file.push(',');
        }
        file.push_str(&format!(
            "\n {{\"email\": \"p{n}@example.com\", \"first_name\": \"P{n}\", \"tags\": [\"x]\", \"{{y\"]}}"
        ));
    }
    file.push_str("\n]\n");
    let path = env.write("many.json", file);
    let ended = run_with_watchdog(&env, &["import", &path, "--quiet"]);
    assert_eq!(ended.code, 0, "{}", ended.stderr);
    let last = env.show(50_000);
    assert_eq!(last["email"], "p49999@example.com");
    assert_eq!(last["tags"], serde_json::json!(["x]", "{y"]));
}

#[test]
fn a_vcard_line_with_no_end_is_refused_naming_its_line() {
    let env = Env::new();
    let mut file = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nNOTE:".to_vec();
    file.resize(file.len() + OVER_THE_LIMIT, b'x');
    let path = env.write("endless.vcf", &file);
    let ended = run_with_watchdog(&env, &["import", &path]);
    refused(&ended, &["line 4", "longer than 16 MiB"]);
}

#[test]
fn two_hundred_thousand_tags_in_one_cell_are_kept_once_each_in_linear_time() {
    let env = Env::new();
    let mut tags: Vec<String> = (0..200_000).map(|n| format!("t{n}")).collect();
    // Every tag twice: the second of each is dropped.
    tags.extend((0..200_000).map(|n| format!("T{n}")));
    let file = format!("Name,Tags\nAnn,\"{}\"\n", tags.join(";"));
    let path = env.write("tags.csv", file);
    let ended = run_with_watchdog(&env, &["import", &path, "--quiet"]);
    assert_eq!(ended.code, 0, "{}", ended.stderr);
    let shown = env.show(1);
    let kept = shown["tags"].as_array().expect("tags");
    assert_eq!(kept.len(), 200_000);
    assert_eq!(
        (&kept[0], &kept[199_999]),
        (&"t0".into(), &"t199999".into())
    );
}

#[test]
fn a_ten_megabyte_name_lists_in_linear_time() {
    let env = Env::sqlite();
    env.add(&["Ada"]);
    let huge = "A".repeat(10_000_000);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute("UPDATE leads SET first_name = ?1", [&huge])
        .unwrap();
    drop(conn);
    let started = std::time::Instant::now();
    let list = env.run(&["list"]).success();
    // Was 30 s (quadratic); linear takes well under a second even in a debug build.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert!(list.stdout.lines().nth(1).unwrap().contains(&huge));
}
