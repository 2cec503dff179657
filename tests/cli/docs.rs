//! Every command example of README.md and docs/*.md, replayed against a fresh database, and
//! every relative link checked. A document that drifts from what `leads` does fails here.
//!
//! The convention the documents follow. A block needs no marking; only a set-up is named,
//! in an HTML comment that a reader of the rendered page does not see.
//!
//! - **Transcripts.** A fenced ```` ```text ```` or ```` ```console ```` block whose first line
//!   starts with `$ ` is a transcript. Each `$ COMMAND` line (a line ending in `\` goes on
//!   on the next) runs through `sh -c` and must print exactly the lines under it, up to the
//!   next `$ ` line: its stdout, then its stderr. A line `...` in those lines stands for any
//!   lines, none or more (a tour may leave out the middle of a long form). The command must
//!   exit 0, unless its comment says `# exit N`.
//! - **Command blocks.** In a ```` ```sh ```` block every command line (`\` continues it;
//!   blank lines and lines that are only a comment are skipped) runs through `sh -c` and
//!   must exit 0; its output is not compared. A ```` ```crontab ```` block's lines run the
//!   same way, without their five time fields.
//! - **The clock.** Every block starts at [`NOW`] (Sunday 2026-03-01 09:00 UTC). A comment
//!   `# at YYYY-MM-DD HH:MM` after a command (two spaces before the `#`) moves it, in UTC,
//!   for that command and the ones after.
//! - **Set-up.** Each block runs in a fresh folder that is the working directory and `HOME`
//!   (so `~/Mail` is a folder of the test), with `LEADS_DB=$HOME/leads.db`, `TZ=UTC`,
//!   `LEADS_USER=tester`, no `NO_COLOR`, the `leads` under test first on `PATH`, and
//!   `REPO` the repository's root. A line `<!-- replay: setup=NAME -->` right before the
//!   fence copies the folder `tests/fixtures/docs/NAME/` into it (its files are the block's
//!   input files) and runs its `setup.sh` there with `sh -e` first, output not compared.
//!   A set-up is plain shell: `LEADS_NOW=... leads ...` runs a command at another time.
//! - **Not replayed.** A block (named by its first line) or one command line that cannot run
//!   here (it needs the network, an editor, a terminal, `cargo`, an hour, or a data set that
//!   is not in the repository) is listed in [`NOT_REPLAYED`] with the reason. A listed
//!   line that no document has any more fails the test, so the list cannot rot.
//! - Blocks in other languages (`csv`, `json`, ...) and ```` ```text ```` blocks that are no
//!   transcript (a form, a report) are data; the worked examples among them (the form of
//!   `qualify --explain`, the report of seven leads) are compared by the tests of their
//!   commands, which read them from the documents.
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::harness::NOW;

/// The documents whose examples are replayed.
const DOCUMENTS: &[&str] = &[
    "README.md",
    "docs/GUIDE.md",
    "docs/SCORING.md",
    "docs/BENCHMARKS.md",
    "docs/SCHEMA.md",
];

/// Blocks (by their first line) and command lines that are not replayed, and why.
const NOT_REPLAYED: &[(&str, &str)] = &[
    (
        "createdb leads                                   # once, on the server (or ask its administrator)",
        "needs a PostgreSQL server (the CLI suite runs on one when LEADS_TEST_POSTGRES names it, `db copy` included)",
    ),
    (
        "export LEADS_DB=$(mktemp -d)/demo.db && cargo run --release -- import examples/trade-show-leads.csv && cargo run --release -- list",
        "cargo inside cargo test: a release build of minutes, and `cargo test` would run this test again (the `sample` set-up imports the same list)",
    ),
    (
        "leads forget 12           # asks \"Erase ... of lead 12 (Ada Lovelace) for good? [y/N]\"",
        "it asks on a terminal, which a replay has not (off a terminal it refuses without --force, as the privacy tests check)",
    ),
    (
        "*/15 * * * * mbsync -aq && leads --quiet mail import ~/Mail",
        "mbsync fetches mail over the network (the same mail import runs in the Mail example)",
    ),
    (
        "notmuch search --output=files tag:new | xargs -r -d '\\n' leads --quiet mail import",
        "needs notmuch and its database of mail",
    ),
    (
        "cargo run --release --example score_auc -- Leads.csv",
        "the public data sets are not in the repository (and cargo inside cargo test)",
    ),
    (
        "python3 examples/lead_datasets.py /work/data     # the raw files: see its docstring",
        "the public data sets are not in the repository (and cargo inside cargo test)",
    ),
    (
        "python3 examples/lead_datasets.py /work/data && cargo build --release --example score_auc",
        "the public data sets are not in the repository (and cargo inside cargo test)",
    ),
    (
        "cargo run --release --example win_history -- /tmp/h10k.db 10000 1000",
        "a release build inside cargo test (the closed-history set-up learns from 400)",
    ),
    (
        "bash benches/bench.sh            # 1,000,000 rows; about 10 minutes on 2 cores",
        "a release build and about 10 minutes of measuring (`SMOKE=1 STRICT=1 PROFILE=dev` is the quick check)",
    ),
    (
        "cargo run --release --example gen_leads -- 1000000 --seed 42 -o leads.csv",
        "a release build inside cargo test (the benchmark runs the generator)",
    ),
    (
        "cargo run --release --example win_history -- /tmp/history.db 100000 2000   # [SEED]",
        "a release build and 100,000 generated leads: minutes (the closed-history set-up learns from 400)",
    ),
];

/// One fenced block of a document.
struct Block {
    /// The document and the line of the opening fence, for messages.
    place: String,
    language: String,
    /// The set-up fixture named by a `<!-- replay: setup=NAME -->` line before the fence.
    setup: Option<String>,
    lines: Vec<String>,
}

/// The fenced blocks of a Markdown text (fences may be indented, as in a list item).
fn blocks(document: &str, text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines = text.lines().enumerate();
    let mut previous = "";
    while let Some((number, line)) = lines.next() {
        let trimmed = line.trim_start();
        if let Some(language) = trimmed.strip_prefix("```") {
            let indent = line.len() - trimmed.len();
            let setup = previous
                .trim()
                .strip_prefix("<!-- replay: setup=")
                .and_then(|rest| rest.strip_suffix("-->"))
                .map(|name| name.trim().to_string());
            let mut body = Vec::new();
            for (_, line) in lines.by_ref() {
                if line.trim_start().starts_with("```") {
                    break;
                }
                body.push(line.get(indent..).unwrap_or(line.trim_start()).to_string());
            }
            blocks.push(Block {
                place: format!("{document}:{}", number + 1),
                language: language.trim().to_string(),
                setup,
                lines: body,
            });
            previous = "";
        } else {
            previous = line;
        }
    }
    blocks
}

/// The repository's root.
fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The folder a block runs in, with its environment.
struct Sandbox {
    dir: tempfile::TempDir,
    now: String,
}

impl Sandbox {
    fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
            now: NOW.to_string(),
        }
    }

    fn shell(&self, flags: &str, script: &str) -> Command {
        let bin = Path::new(env!("CARGO_BIN_EXE_leads"))
            .parent()
            .expect("the folder of leads");
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut command = Command::new("sh");
        command
            .args([flags, script])
            .current_dir(self.dir.path())
            .env("HOME", self.dir.path())
            .env("PATH", path)
            .env("REPO", repo())
            .env("LEADS_DB", self.dir.path().join("leads.db"))
            .env("LEADS_NOW", &self.now)
            .env("TZ", "UTC")
            .env("LEADS_USER", "tester")
            .env_remove("NO_COLOR")
            .env_remove("COLUMNS")
            .env_remove("LEADS_BUSY_TIMEOUT")
            .stdin(Stdio::null());
        command
    }

    /// Run one command line; (exit code, stdout then stderr).
    fn run(&self, line: &str) -> (i32, String) {
        let output = self.shell("-c", line).output().expect("run sh");
        let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&output.stderr));
        (output.status.code().unwrap_or(-1), text)
    }

    /// Copy the fixture folder in and run its `setup.sh`.
    fn set_up(&self, name: &str) -> Result<(), String> {
        let fixture = repo().join("tests/fixtures/docs").join(name);
        copy_folder(&fixture, self.dir.path())
            .map_err(|err| format!("set-up {name}: cannot copy {}: {err}", fixture.display()))?;
        let script = self.dir.path().join("setup.sh");
        if script.exists() {
            let output = self
                .shell("-e", &script.to_string_lossy())
                .output()
                .expect("run sh");
            std::fs::remove_file(&script).expect("remove setup.sh");
            if !output.status.success() {
                return Err(format!(
                    "set-up {name} failed:\n{}{}",
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                ));
            }
        }
        Ok(())
    }

    /// Move the clock when the line's comment says `# at YYYY-MM-DD HH:MM`.
    fn follow_clock(&mut self, line: &str) {
        if let Some(at) = comment(line).and_then(|c| c.strip_prefix("at ")) {
            let at = at
                .get(..16)
                .unwrap_or_else(|| panic!("a bad `# at` in {line:?}"));
            self.now = format!("{}T{}:00Z", &at[..10], &at[11..16]);
        }
    }
}

fn copy_folder(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            std::fs::create_dir_all(&target)?;
            copy_folder(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// The comment after a command (two spaces, then `#`), trimmed.
fn comment(line: &str) -> Option<&str> {
    line.split_once("  #").map(|(_, comment)| comment.trim())
}

/// The exit code a command's comment expects: `# exit N`, else 0.
fn expected_code(line: &str) -> i32 {
    comment(line)
        .and_then(|c| c.strip_prefix("exit "))
        .and_then(|code| code.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Lines joined where one ends in `\`.
fn logical_lines(lines: &[String]) -> Vec<String> {
    let mut joined = Vec::new();
    let mut current = String::new();
    for line in lines {
        if line.ends_with('\\') {
            // The shell reads the backslash and the new line as a continuation.
            current.push_str(line);
            current.push('\n');
        } else {
            current.push_str(line);
            joined.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        joined.push(current);
    }
    joined
}

/// Whether `actual` matches `expected`, where a line `...` stands for any lines.
fn lines_match(expected: &[&str], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((&"...", rest)) => (0..=actual.len()).any(|skip| lines_match(rest, &actual[skip..])),
        Some((line, rest)) => actual
            .split_first()
            .is_some_and(|(first, others)| first == line && lines_match(rest, others)),
    }
}

fn not_replayed(line: &str) -> bool {
    NOT_REPLAYED
        .iter()
        .any(|(listed, _)| *listed == line.trim())
}

/// Replay a transcript; the failures, one message each.
fn replay_transcript(block: &Block, sandbox: &mut Sandbox) -> Vec<String> {
    let mut failures = Vec::new();
    let mut lines = block.lines.iter().peekable();
    while let Some(first) = lines.next() {
        let Some(start) = first.strip_prefix("$ ") else {
            failures.push(format!(
                "{}: expected a `$ ` command, got {first:?}",
                block.place
            ));
            break;
        };
        let mut command = start.to_string();
        while command.ends_with('\\') {
            command.push('\n');
            match lines.next() {
                Some(next) => command.push_str(next),
                None => break,
            }
        }
        let mut expected = Vec::new();
        while let Some(next) = lines.next_if(|l| !l.starts_with("$ ")) {
            expected.push(next.as_str());
        }
        if not_replayed(&command) {
            continue;
        }
        sandbox.follow_clock(&command);
        let (code, output) = sandbox.run(&command);
        let actual: Vec<&str> = output.lines().collect();
        let code_wanted = expected_code(&command);
        if code != code_wanted || !lines_match(&expected, &actual) || output.ends_with("\n\n") {
            failures.push(format!(
                "{}: $ {command}  (at {}; exit {code}, expected {code_wanted})\n--- the document shows ---\n{}\n--- leads printed ---\n{output}",
                block.place,
                sandbox.now,
                expected.join("\n"),
            ));
        }
    }
    failures
}

/// Run every command line of a ```sh or ```crontab block; the failures.
fn run_commands(block: &Block, sandbox: &mut Sandbox) -> Vec<String> {
    let mut failures = Vec::new();
    for line in logical_lines(&block.lines) {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || not_replayed(&line) {
            continue;
        }
        let command = if block.language == "crontab" {
            // Five time fields, then the command.
            let mut rest = trimmed;
            for _ in 0..5 {
                rest = rest
                    .split_once(char::is_whitespace)
                    .map_or("", |(_, r)| r)
                    .trim_start();
            }
            rest.to_string()
        } else {
            line.clone()
        };
        sandbox.follow_clock(&command);
        let (code, output) = sandbox.run(&command);
        let wanted = expected_code(&command);
        if code != wanted {
            failures.push(format!(
                "{}: {command}\n  (at {}) exit {code}, expected {wanted}:\n{output}",
                block.place, sandbox.now
            ));
        }
    }
    failures
}

/// Replay every example of one document; panics with every failure at once. Returns how
/// many blocks were replayed.
fn replay_document(document: &str) -> usize {
    let text = std::fs::read_to_string(repo().join(document)).expect("the document");
    let mut failures = Vec::new();
    let mut replayed = 0;
    for block in blocks(document, &text) {
        let transcript = matches!(block.language.as_str(), "text" | "console")
            && block.lines.first().is_some_and(|l| l.starts_with("$ "));
        let commands = matches!(block.language.as_str(), "sh" | "crontab");
        if !(transcript || commands) || block.lines.first().is_some_and(|l| not_replayed(l)) {
            continue;
        }
        let mut sandbox = Sandbox::new();
        if let Some(name) = &block.setup {
            if let Err(err) = sandbox.set_up(name) {
                failures.push(format!("{}: {err}", block.place));
                continue;
            }
        }
        failures.extend(if transcript {
            replay_transcript(&block, &mut sandbox)
        } else {
            run_commands(&block, &mut sandbox)
        });
        replayed += 1;
    }
    assert!(
        failures.is_empty(),
        "{} of the examples in {document} do not run as shown:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    replayed
}

#[test]
fn the_readme_s_examples_run_as_shown() {
    // Your day and the tour.
    assert_eq!(replay_document("README.md"), 2);
}

#[test]
fn the_guide_s_examples_run_as_shown() {
    assert!(replay_document("docs/GUIDE.md") >= 10);
}

#[test]
fn the_scoring_examples_run_as_shown() {
    assert!(replay_document("docs/SCORING.md") >= 5);
}

#[test]
fn the_benchmark_s_commands_are_each_listed_as_not_replayed() {
    // Each takes a release build and minutes: all are in NOT_REPLAYED, with why.
    assert_eq!(replay_document("docs/BENCHMARKS.md"), 0);
}

#[test]
fn the_schema_s_examples_run_as_shown() {
    assert_eq!(replay_document("docs/SCHEMA.md"), 1);
}

#[test]
fn every_document_of_docs_is_replayed() {
    let mut found: Vec<String> = std::fs::read_dir(repo().join("docs"))
        .expect("the docs folder")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".md"))
        .map(|name| format!("docs/{name}"))
        .collect();
    found.push("README.md".to_string());
    found.sort();
    let mut listed: Vec<String> = DOCUMENTS.iter().map(|d| d.to_string()).collect();
    listed.sort();
    assert_eq!(
        found, listed,
        "DOCUMENTS must name README.md and every docs/*.md"
    );
}

#[test]
fn every_line_not_replayed_is_still_in_a_document() {
    let lines: Vec<String> = DOCUMENTS
        .iter()
        .flat_map(|document| {
            let text = std::fs::read_to_string(repo().join(document)).expect("the document");
            blocks(document, &text)
        })
        .flat_map(|block| {
            let mut lines = logical_lines(&block.lines);
            lines.extend(block.lines.iter().cloned());
            lines.extend(
                block
                    .lines
                    .iter()
                    .filter_map(|l| l.strip_prefix("$ ").map(str::to_string)),
            );
            lines
        })
        .map(|line| line.trim().to_string())
        .collect();
    for (listed, why) in NOT_REPLAYED {
        assert!(
            lines.iter().any(|line| line == listed),
            "NOT_REPLAYED lists a line no document has any more ({why}):\n{listed}"
        );
    }
}

/// The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to `-`.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a Markdown file's headings (outside code blocks).
fn anchors(text: &str) -> Vec<String> {
    let mut fenced = false;
    let mut anchors = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') {
            anchors.push(anchor(line.trim_start_matches('#')));
        }
    }
    anchors
}

/// The targets of the inline links `[text](target)` of a Markdown text, outside code.
fn link_targets(text: &str) -> Vec<String> {
    let mut fenced = false;
    let mut targets = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            targets.push(after[..end].to_string());
            rest = &after[end..];
        }
    }
    targets
}

#[test]
fn every_relative_link_reaches_a_file_and_its_heading() {
    let mut broken = Vec::new();
    let mut checked = 0;
    for document in DOCUMENTS {
        let path = repo().join(document);
        let text = std::fs::read_to_string(&path).expect("the document");
        for target in link_targets(&text) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (file, fragment) = target.split_once('#').unwrap_or((&target, ""));
            let file = if file.is_empty() {
                path.clone()
            } else {
                path.parent().expect("a folder").join(file)
            };
            checked += 1;
            let Ok(linked) = std::fs::read_to_string(&file) else {
                if !file.exists() {
                    broken.push(format!("{document}: {target}: no such file"));
                }
                continue;
            };
            if !fragment.is_empty() && !anchors(&linked).iter().any(|a| a == fragment) {
                broken.push(format!("{document}: {target}: no such heading"));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    assert!(checked > 10, "only {checked} links checked");
}

#[test]
fn the_anchors_are_github_s() {
    assert_eq!(
        anchor(" `leads config`: the profile"),
        "leads-config-the-profile"
    );
    assert_eq!(
        anchor(" Engagement from an export's columns"),
        "engagement-from-an-exports-columns"
    );
    assert!(lines_match(&["a", "...", "d"], &["a", "b", "c", "d"]));
    assert!(lines_match(&["a", "...", "b"], &["a", "b"]));
    assert!(!lines_match(&["a", "...", "d"], &["a", "b"]));
    assert!(!lines_match(&["a"], &["a", "b"]));
}
