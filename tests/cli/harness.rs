//! A temp-dir harness: runs the real binary, captures everything, and prints the
//! command, stdout and stderr when an expectation fails.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;
use tempfile::TempDir;

/// The pinned "now" of most tests: Sunday 2026-03-01 09:00 UTC.
pub const NOW: &str = "2026-03-01T09:00:00Z";

pub struct Env {
    dir: TempDir,
    /// The SQLite file of an `Env::sqlite` test (on PostgreSQL, `new`'s tests name none).
    pub db: PathBuf,
    /// The PostgreSQL database of this test, when the suite runs on that engine.
    server: Option<String>,
    pub now: String,
}

impl Env {
    /// A test on the engine under test: an SQLite file in a folder of its own, or, when
    /// `LEADS_TEST_POSTGRES` names a server, a PostgreSQL database of its own there
    /// (dropped when the test ends). What every command does must be the same on both.
    pub fn new() -> Env {
        let mut env = Env::sqlite();
        env.server = leads::store::test_database();
        env
    }

    /// A test of what only an SQLite file has (its path, its mode, its journal, editing
    /// it with rusqlite): on SQLite whichever engine the suite runs on.
    pub fn sqlite() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("leads.db");
        Env {
            dir,
            db,
            server: None,
            now: NOW.to_string(),
        }
    }

    /// Whether this test's database is on a PostgreSQL server.
    pub fn on_postgres(&self) -> bool {
        self.server.is_some()
    }

    /// What `LEADS_DB` holds for this test: the file's path or the server's URL.
    pub fn database(&self) -> std::ffi::OsString {
        match &self.server {
            Some(url) => url.into(),
            None => self.db.clone().into_os_string(),
        }
    }

    /// Create the (empty) database, as the first `add` or `import` would: read commands
    /// never create one.
    pub fn create_db(&self) {
        drop(self.store());
    }

    /// The test's database through the storage interface (created when missing), for
    /// data faster made there than through the command line.
    pub fn store(&self) -> leads::store::Store {
        match &self.server {
            Some(url) => leads::store::Store::open_url(url, std::time::Duration::from_secs(5))
                .expect("open the PostgreSQL database"),
            None => leads::store::Store::open(&self.db).expect("open the database"),
        }
    }

    /// The line a command that creates the database says first.
    pub fn created_line(&self) -> String {
        match &self.server {
            Some(_) => format!("leads: created the leads tables in {}\n", self.shown()),
            None => format!("leads: created a new database at {}\n", self.shown()),
        }
    }

    /// The database as messages name it: the file's path, the server's URL without the
    /// user and password.
    pub fn shown(&self) -> String {
        match &self.server {
            Some(url) => {
                let (scheme, address) = url.split_once("://").expect("a URL");
                let server = address.rsplit_once('@').map_or(address, |(_, s)| s);
                format!("{scheme}://{server}")
            }
            None => self.db.display().to_string(),
        }
    }

    /// A file path inside the test's folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Write a fixture file; returns its path as a string.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> String {
        let path = self.path(name);
        std::fs::write(&path, contents).expect("write fixture");
        path.to_string_lossy().into_owned()
    }

    /// The command, ready to run: database, clock, time zone and colour pinned.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_leads"));
        command
            .args(args)
            .env("LEADS_DB", self.database())
            .env("LEADS_NOW", &self.now)
            .env("TZ", "UTC")
            .env("LEADS_USER", "tester")
            .env_remove("NO_COLOR")
            .current_dir(self.dir.path());
        command
    }

    /// Run with no standard input.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_input(args, None)
    }

    /// Run at another "now".
    pub fn run_at(&self, now: &str, args: &[&str]) -> Run {
        let mut command = self.command(args);
        command.env("LEADS_NOW", now);
        Run::from(command, args, None)
    }

    /// Run with `input` on standard input.
    pub fn run_with_input(&self, args: &[&str], input: Option<&[u8]>) -> Run {
        Run::from(self.command(args), args, input)
    }

    /// `leads add ...`, which must succeed; returns the new id.
    pub fn add(&self, args: &[&str]) -> i64 {
        let mut full = vec!["add"];
        full.extend_from_slice(args);
        self.run(&full)
            .success()
            .stdout
            .trim()
            .parse()
            .expect("add prints the id")
    }

    /// Run `leads` on a pseudo-terminal through util-linux `script`, as a person at a
    /// terminal would. Colour and width as the terminal (and `vars`) say. Returns (exit
    /// code, output with the terminal's CR LF turned back into LF). Panics when `script`
    /// is missing or cannot open a pseudo-terminal: a terminal test that cannot run must
    /// fail, never pass without having looked.
    #[track_caller]
    pub fn on_terminal(&self, vars: &[(&str, &str)], args: &[&str]) -> (i32, String) {
        let quoted: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_leads"))
            .chain(args.iter().copied())
            .map(|arg| format!("'{}'", arg.replace('\'', "'\\''")))
            .collect();
        let mut command = Command::new("script");
        command
            .args(["-qec", &quoted.join(" "), "/dev/null"])
            .env("LEADS_DB", self.database())
            .env("LEADS_NOW", &self.now)
            .env("TZ", "UTC")
            .env_remove("NO_COLOR")
            .env_remove("COLUMNS")
            .envs(vars.iter().copied())
            .current_dir(self.dir())
            .stdin(Stdio::null());
        let output = match command.output() {
            Ok(output) => output,
            Err(err) => panic!(
                "this test runs leads on a pseudo-terminal and needs util-linux `script` \
                 (package bsdutils or util-linux), which could not start: {err}"
            ),
        };
        // `script`'s own complaints (no pseudo-terminal to open, a bad option) go to its
        // stderr; the program's output, stderr included, comes through the terminal.
        let complaint = String::from_utf8_lossy(&output.stderr);
        assert!(
            !complaint.starts_with("script:"),
            "util-linux `script` could not run leads on a pseudo-terminal \
             (is /dev/ptmx there?): {complaint}"
        );
        let text = String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n");
        (output.status.code().unwrap_or(-1), text)
    }

    /// The ids `leads list --format json ARGS...` lists, in its order.
    pub fn list_ids(&self, args: &[&str]) -> Vec<i64> {
        let mut full = vec!["list", "--format", "json"];
        full.extend_from_slice(args);
        self.run(&full)
            .success()
            .json()
            .as_array()
            .expect("a JSON array of leads")
            .iter()
            .map(|lead| lead["id"].as_i64().expect("a lead id"))
            .collect()
    }

    /// `leads show ID --format json`.
    pub fn show(&self, id: i64) -> Value {
        self.run(&["show", &id.to_string(), "--format", "json"])
            .success()
            .json()
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        if let Some(url) = &self.server {
            leads::store::drop_test_database(url);
        }
    }
}

/// The outcome of one run.
pub struct Run {
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from(mut command: Command, args: &[&str], input: Option<&[u8]>) -> Run {
        command
            .stdin(if input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("start leads");
        if let Some(input) = input {
            let mut stdin = child.stdin.take().expect("stdin");
            stdin.write_all(input).expect("write stdin");
        }
        let output = child.wait_with_output().expect("run leads");
        Run {
            args: args.iter().map(|a| a.to_string()).collect(),
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    fn describe(&self) -> String {
        format!(
            "leads {:?}\nexit code: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.args, self.code, self.stdout, self.stderr
        )
    }

    /// Expect exit code 0.
    #[track_caller]
    pub fn success(self) -> Run {
        assert_eq!(self.code, 0, "expected success\n{}", self.describe());
        self
    }

    /// Expect this exit code and an error message on stderr (never a panic).
    #[track_caller]
    pub fn failure(self, code: i32) -> Run {
        assert_eq!(
            self.code,
            code,
            "expected exit code {code}\n{}",
            self.describe()
        );
        assert!(
            !self.stderr.trim().is_empty(),
            "expected a message on stderr\n{}",
            self.describe()
        );
        assert!(
            !self.stderr.contains("panicked"),
            "panicked\n{}",
            self.describe()
        );
        self
    }

    /// Expect stderr to contain `text`.
    #[track_caller]
    pub fn stderr_has(self, text: &str) -> Run {
        assert!(
            self.stderr.contains(text),
            "expected stderr to contain {text:?}\n{}",
            self.describe()
        );
        self
    }

    /// Expect stdout to be exactly `text`.
    #[track_caller]
    pub fn stdout_is(self, text: &str) -> Run {
        assert_eq!(self.stdout, text, "\n{}", self.describe());
        self
    }

    /// Expect stderr to be exactly `text`.
    #[track_caller]
    pub fn stderr_is(self, text: &str) -> Run {
        assert_eq!(
            self.stderr, text,
            "leads {:?} (exit {})\n--- stdout ---\n{}",
            self.args, self.code, self.stdout
        );
        self
    }

    /// Stdout parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|err| panic!("stdout is not JSON ({err})\n{}", self.describe()))
    }

    /// Stdout parsed as NDJSON.
    #[track_caller]
    pub fn ndjson(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|err| panic!("bad NDJSON line ({err})\n{}", self.describe()))
            })
            .collect()
    }
}

impl Env {
    /// Run as another seller (`LEADS_USER`).
    pub fn run_as(&self, user: &str, args: &[&str]) -> Run {
        self.run_with_env(&[("LEADS_USER", user)], args)
    }

    /// Run with extra environment variables (e.g. another `TZ`).
    pub fn run_with_env(&self, vars: &[(&str, &str)], args: &[&str]) -> Run {
        let mut command = self.command(args);
        command.envs(vars.iter().copied());
        Run::from(command, args, None)
    }
}

/// Words as a shell splits them, for the double quotes the README uses.
pub fn split_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut started = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                started = true;
            }
            ' ' if !quoted => {
                if started {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            c => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        words.push(word);
    }
    words
}

/// Replay a worked example of the README: each `$ leads ...` line runs (at the time its
/// `# at YYYY-MM-DD HH:MM` comment gives, else the previous one, first `start`) and must
/// print the lines under it (stdout, then stderr). Returns how many commands ran.
pub fn replay(env: &Env, block: &str, start: &str) -> usize {
    let mut now = start.to_string();
    let mut commands = 0;
    let mut lines = block.lines().peekable();
    while let Some(line) = lines.next() {
        let command = line
            .strip_prefix("$ leads ")
            .unwrap_or_else(|| panic!("expected a command, got {line:?}"));
        let (command, comment) = command.split_once("  #").unwrap_or((command, ""));
        if let Some(at) = comment.trim().strip_prefix("at ") {
            now = format!("{}T{}:00Z", &at[..10], &at[11..16]);
        }
        let mut expected = String::new();
        while let Some(next) = lines.next_if(|l| !l.starts_with("$ ")) {
            expected.push_str(next);
            expected.push('\n');
        }
        let args = split_words(command.trim());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = env.run_at(&now, &args).success();
        assert_eq!(
            format!("{}{}", run.stdout, run.stderr),
            expected,
            "leads {command} at {now}"
        );
        commands += 1;
    }
    commands
}

/// Three leads nobody may contact: a do-not-contact one, a forgotten one, and one marked
/// while in a cadence; lead 1 has a follow-up.
pub fn leads_not_to_contact(env: &Env) {
    env.add(&[
        "Linus Torvalds",
        "--company",
        "Linux Foundation",
        "--email",
        "linus@linux.test",
        "--do-not-contact",
    ]);
    env.add(&[
        "Ada Lovelace",
        "--company",
        "Analytical Engines",
        "--email",
        "ada@engines.test",
        "--source",
        "referral",
    ]);
    env.add(&[
        "Grace Hopper",
        "--company",
        "US Navy",
        "--email",
        "grace@navy.test",
    ]);
    env.run(&["forget", "2", "--force"]).success();
    env.run(&["cadence", "add", "welcome", "0d email_sent: hi", "3d call"])
        .success();
    env.run(&["nurture", "3", "--cadence", "welcome"]).success();
    env.run(&["edit", "3", "--do-not-contact", "true"])
        .success();
    env.run(&["follow-up", "add", "1", "--due", "tomorrow"])
        .success();
}

/// A text field of `show ID --format json`, "null" when it is not a text.
pub fn shown_field(env: &Env, id: i64, name: &str) -> String {
    env.show(id)[name]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| "null".to_string())
}

/// Run at `now` in the time zone `tz`.
pub fn run_in(env: &Env, tz: &str, now: &str, args: &[&str]) -> Run {
    env.run_with_env(&[("TZ", tz), ("LEADS_NOW", now)], args)
}

/// The value of the reason named `factor` on a shown lead's form ("" when it has none).
pub fn reason(shown: &serde_json::Value, factor: &str) -> String {
    shown["reasons"]
        .as_array()
        .and_then(|reasons| reasons.iter().find(|r| r["factor"] == factor))
        .map(|r| r["value"].as_str().unwrap_or_default().to_string())
        .unwrap_or_default()
}

/// The ids of the leads listed, in id order.
pub fn sorted_ids(run: Run) -> Vec<i64> {
    let mut ids: Vec<i64> = run
        .success()
        .json()
        .as_array()
        .map(|leads| leads.iter().filter_map(|l| l["id"].as_i64()).collect())
        .unwrap_or_default();
    ids.sort();
    ids
}

/// Ada (warm, referral), Grace (trade show) and Globex (purchased list), as in the tour.
pub fn three_leads(env: &Env) {
    env.add(&[
        "Ada Lovelace",
        "--email",
        "ada@acme.test",
        "--company",
        "Acme",
        "--title",
        "VP Sales",
        "--size",
        "120",
        "--source",
        "referral",
        "--phone",
        "+1 555 0100",
    ]);
    env.add(&[
        "Grace Hopper",
        "--email",
        "grace@navy.test",
        "--company",
        "US Navy",
        "--title",
        "Rear Admiral",
        "--size",
        "5000",
        "--source",
        "Trade Show",
    ]);
    env.add(&[
        "--company",
        "Globex",
        "--email",
        "buyer@globex.test",
        "--source",
        "Purchased List",
    ]);
}

/// A warm lead and a cold one, as in the README tour.
pub fn two_leads(env: &Env) -> (i64, i64) {
    let ada = env.add(&[
        "Ada Lovelace",
        "--email",
        "ada@acme.test",
        "--phone",
        "+1 555 0100",
        "--company",
        "Acme",
        "--title",
        "VP Sales",
        "--size",
        "120",
        "--source",
        "Referral",
        "--tag",
        "Hot",
    ]);
    let globex = env.add(&[
        "--company",
        "Globex",
        "--email",
        "buyer@globex.test",
        "--source",
        "Purchased List",
    ]);
    (ada, globex)
}

/// How many leads `list` shows (open ones, by default).
pub fn lead_count(env: &Env) -> usize {
    env.run(&["list", "--format", "json"])
        .success()
        .json()
        .as_array()
        .map_or(0, Vec::len)
}

/// Every lead, by `list --format json`.
pub fn all_leads(env: &Env) -> Vec<Value> {
    let run = env
        .run(&["list", "--all", "--format", "json", "--sort", "created"])
        .success();
    run.json().as_array().cloned().unwrap_or_default()
}

/// The header of a generated lead list.
pub const GENERATED_HEADER: &str =
    "First Name,Last Name,Email,Company,Job Title,Lead Source,Created Date,Notes\n";

/// Row `i` of a generated lead list: each the same buyer from the same webinar.
pub fn generated_row(i: usize) -> String {
    format!(
        "First{i},Last{i},person{i}@example.com,\"Company {}, Inc.\",Buyer,Webinar,2025-{:02}-{:02},note {i}\n",
        i % 1000,
        i % 12 + 1,
        i % 28 + 1
    )
}

/// A generated lead list of `rows` rows.
pub fn generated_csv(rows: usize) -> String {
    let mut csv = String::with_capacity(rows * 120);
    csv.push_str(GENERATED_HEADER);
    for i in 0..rows {
        csv.push_str(&generated_row(i));
    }
    csv
}

/// The ids of a JSON array of leads, in its order.
pub fn ids_of(listed: &Value) -> Vec<i64> {
    listed
        .as_array()
        .map(|leads| leads.iter().filter_map(|l| l["id"].as_i64()).collect())
        .unwrap_or_default()
}

/// The names of the files in `folder`, sorted.
pub fn file_names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("read the folder")
        .map(|entry| {
            entry
                .expect("a folder entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}
