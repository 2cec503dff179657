//! One file per command: arguments -> one domain call -> rendering. No SQL here.
//!
//! `Ctx` carries what every command shares, built once in `lib::run`: where the database
//! is, the clock (`now`, from `LEADS_NOW` when set) and how to talk to the terminal.
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use chrono::{DateTime, Local, Utc};

use crate::cli::{ColorChoice, Command, FilterArgs, LeadFieldArgs};
use crate::dates;
use crate::error::bad_input;
use crate::io::output_file::{guard, OutputFile, Protected};
use crate::model::{normalize_key, read_yes_no, Field, Lead, LeadField};
use crate::output::{escape_controls, Style};
use crate::scoring::Clock;
use crate::store::{LeadQuery, Store};
use crate::workflows::touch::Next;

mod activity;
mod add;
mod cadence;
mod completions;
mod config;
mod config_rules;
mod delete;
mod duplicates;
mod edit;
mod export;
mod follow_up;
mod forget;
mod import;
mod learn;
mod list;
mod log;
mod mail;
mod manpage;
mod merge;
mod nurture;
mod qualify;
mod report;
mod show;
mod spend;
mod status;
mod today;

/// What every command shares.
pub struct Ctx {
    db: Option<PathBuf>,
    /// The one reading of the clock for this run.
    pub now: DateTime<Utc>,
    pub quiet: bool,
    pub style: Style,
    /// Standard input is a terminal (no file piped in).
    pub stdin_terminal: bool,
    /// Standard output is a terminal (text bars may use block characters).
    pub stdout_terminal: bool,
    /// Standard error is a terminal (progress bars are allowed).
    pub stderr_terminal: bool,
    /// `LEADS_BUSY_TIMEOUT` (milliseconds): how long to wait for another writer.
    busy_timeout: Option<Duration>,
    /// Who is at the keyboard: `LEADS_USER`, else the login name (recorded as `by`).
    pub user: Option<String>,
}

impl Ctx {
    pub fn new(
        db: Option<PathBuf>,
        now: DateTime<Utc>,
        quiet: bool,
        color: ColorChoice,
    ) -> Result<Ctx> {
        let busy_timeout = match std::env::var("LEADS_BUSY_TIMEOUT") {
            Ok(text) if !text.trim().is_empty() => {
                let ms = text.trim().parse::<u64>().map_err(|_| {
                    bad_input(format!(
                        "LEADS_BUSY_TIMEOUT '{text}' is not a whole number of milliseconds"
                    ))
                })?;
                Some(Duration::from_millis(ms))
            }
            _ => None,
        };
        // Asked once: which ends of the process a person is looking at.
        let (stdin_terminal, stdout_terminal, stderr_terminal) = (
            io::stdin().is_terminal(),
            io::stdout().is_terminal(),
            io::stderr().is_terminal(),
        );
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                stdout_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        // A person reads tables on a terminal: fit them to its width (COLUMNS first, as a
        // shell sets it), colour what needs the eye. Piped output (cron's mail, a file)
        // stays whole and plain, even with --color always.
        crate::output::set_table_style(crate::output::TableStyle {
            width: stdout_terminal.then(terminal_width).flatten(),
            color: color && stdout_terminal,
        });
        let ctx = Ctx {
            db,
            now,
            quiet,
            style: Style { color },
            stdin_terminal,
            stdout_terminal,
            stderr_terminal,
            busy_timeout,
            user: user(),
        };
        if let Some(tz) = unknown_time_zone() {
            ctx.warn(format!(
                "unknown time zone TZ='{tz}' (expected a zone name such as Europe/Paris, or a \
                 POSIX rule such as CET-1CEST): dates are read and shown in the system's zone, \
                 UTC when it has none"
            ));
        }
        Ok(ctx)
    }

    /// A person at a terminal: prompts and confirmations are allowed.
    pub fn interactive(&self) -> bool {
        self.stdin_terminal && self.stderr_terminal
    }

    /// Open the database for a command that only reads (or that needs data already there):
    /// it never creates one. A missing file is exit 66 naming the path: a typo in
    /// `--db`, `LEADS_DB` or a crontab must not look like "nothing due".
    pub fn open_store_to_read(&self) -> Result<Store> {
        Store::open_existing(&self.db_path()?, self.busy_timeout()).map(|s| self.warned(s))
    }

    /// The store, telling this command's warnings of every row a read leaves out.
    fn warned(&self, store: Store) -> Store {
        let quiet = self.quiet;
        store.on_unreadable(Box::new(move |message| warn(quiet, message)))
    }

    /// The database a dry run works in: the real one when it exists (every change is
    /// rolled back), else an empty one in memory, so a dry run never creates a file.
    pub fn open_store_for_dry_run(&self) -> Result<Store> {
        let path = self.db_path()?;
        // A dry run against a database in a mistyped folder would say "skipped 0
        // duplicates" of a database that is not there: refused as the real run is.
        if self.db.is_some() {
            self.check_database_path(&path)?;
        }
        if path.exists() {
            self.open_store_to_read()
        } else {
            Store::open_in_memory()
        }
    }

    /// Where the database is: `--db`, `LEADS_DB`, or the platform default.
    /// A path typed there must be a plain file path (exit 65 otherwise, before anything is
    /// created): see `store::check_database_path`.
    pub fn db_path(&self) -> Result<PathBuf> {
        match &self.db {
            Some(path) => {
                crate::store::check_database_path("--db", path)?;
                Ok(path.clone())
            }
            None => crate::store::default_path(),
        }
    }

    /// Start writing an output file named by `flag` (`-o`, `--rejects`): refused when it is
    /// the database (or its -wal/-shm) or the `input` being read; written beside the target
    /// and renamed over it by `OutputFile::commit`, mode 0600. Call before writing anything.
    pub fn output_file(
        &self,
        flag: &str,
        path: &Path,
        input: Option<&Path>,
        what: &str,
    ) -> Result<OutputFile> {
        self.check_output(flag, path, input)?;
        OutputFile::create(path, what)
    }

    /// Refuse an output path that is the database or the input, creating nothing.
    pub fn check_output(&self, flag: &str, path: &Path, input: Option<&Path>) -> Result<()> {
        let mut protected = Protected::database(&self.db_path()?);
        protected.extend(input.map(Protected::input));
        guard(flag, path, &protected)
    }

    /// Open the database (`--db`, `LEADS_DB`, or the platform default), creating it; the
    /// command that creates it says where, once.
    pub fn open_store(&self) -> Result<Store> {
        let path = self.db_path()?;
        self.database_folder(&path)?;
        let (store, created) = Store::open_or_create(&path, self.busy_timeout())?;
        if created {
            self.say(format!(
                "leads: created a new database at {}",
                path.display()
            ));
        }
        Ok(self.warned(store))
    }

    /// Make sure the folder of the database exists before creating it there. Only the
    /// platform's data directory (no `--db`, no `LEADS_DB`) is created: a folder missing
    /// from a path the user typed is a typo, exit 66 naming it, never a new folder.
    fn database_folder(&self, path: &Path) -> Result<()> {
        if self.db.is_some() {
            return self.check_database_path(path);
        }
        match path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            Some(folder) if !folder.exists() => std::fs::create_dir_all(folder)
                .with_context(|| format!("cannot create the folder {}", folder.display())),
            _ => Ok(()),
        }
    }

    /// A database path the user typed must name a file in a folder that exists (exit 66
    /// otherwise, naming what is wrong).
    fn check_database_path(&self, path: &Path) -> Result<()> {
        let missing = |what: String| -> Result<()> {
            Err(crate::error::Failure::InputMissing(format!(
                "{what}: check --db or LEADS_DB (leads creates the database file, never its \
                 folder)"
            ))
            .into())
        };
        if path.is_dir() {
            return missing(format!(
                "{} is a folder, not a database file",
                path.display()
            ));
        }
        let Some(folder) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) else {
            return Ok(());
        };
        if folder.is_dir() {
            Ok(())
        } else if folder.exists() {
            missing(format!(
                "{} is not a folder, so there is no database {}",
                folder.display(),
                path.display()
            ))
        } else {
            missing(format!(
                "no folder {} for the database {}",
                folder.display(),
                path.display()
            ))
        }
    }

    fn busy_timeout(&self) -> Duration {
        self.busy_timeout.unwrap_or(crate::store::BUSY_TIMEOUT)
    }

    /// Buffered standard output: data goes here.
    pub fn stdout(&self) -> BufWriter<io::StdoutLock<'static>> {
        BufWriter::new(io::stdout().lock())
    }

    /// A message for the person (stderr), unless --quiet.
    pub fn say(&self, message: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", escape_controls(message.as_ref()));
        }
    }

    /// A warning (stderr), unless --quiet.
    pub fn warn(&self, message: impl AsRef<str>) {
        warn(self.quiet, message.as_ref());
    }

    /// The clock scores are computed with: `now` and the user's calendar (`TZ`).
    pub fn clock(&self) -> Clock {
        local_clock(self.now)
    }

    /// Parse a WHEN in the local time zone, relative to `now`.
    pub fn when(&self, flag: &str, text: &str) -> Result<DateTime<Utc>> {
        dates::parse_when(text, self.now, &Local)
            .and_then(|at| dates::check_range(at, &Local))
            .map_err(|err| bad_input(format!("{flag}: {err}")))
    }

    /// Parse a WHEN for something that already happened: "friday" is the latest one.
    pub fn when_past(&self, flag: &str, text: &str) -> Result<DateTime<Utc>> {
        dates::parse_past_when(text, self.now, &Local)
            .and_then(|at| dates::check_range(at, &Local))
            .map_err(|err| bad_input(format!("{flag}: {err}")))
    }

    /// Parse a purchase timeline: a WHEN, or a quarter or a month (`Q2`, `april`: its last
    /// day).
    pub fn timeline(&self, flag: &str, text: &str) -> Result<DateTime<Utc>> {
        dates::parse_timeline(text, self.now, &Local)
            .and_then(|at| dates::check_range(at, &Local))
            .map_err(|err| bad_input(format!("{flag}: {err}")))
    }

    /// Ask a question on the terminal; None when the person just pressed Enter.
    /// End of input (Ctrl-D) is not an answer: it stops the command before anything
    /// is written, as Ctrl-C does.
    pub fn ask(&self, question: &str) -> Result<Option<String>> {
        eprint!("{}", escape_controls(question));
        io::stderr().flush()?;
        let mut answer = String::new();
        if io::stdin().read_line(&mut answer)? == 0 {
            eprintln!();
            anyhow::bail!("stopped at end of input; nothing was changed");
        }
        let answer = answer.trim();
        Ok((!answer.is_empty()).then(|| answer.to_string()))
    }
}

/// Who is logging: `LEADS_USER`, else the login name (`USER`, `LOGNAME`).
fn user() -> Option<String> {
    ["LEADS_USER", "USER", "LOGNAME"]
        .into_iter()
        .filter_map(|name| std::env::var(name).ok())
        .map(|name| name.trim().to_string())
        .find(|name| !name.is_empty())
}

/// The terminal's width: `COLUMNS` when set to a number, else what the terminal says.
fn terminal_width() -> Option<usize> {
    let columns = std::env::var("COLUMNS").ok();
    match columns.as_deref().map(str::trim).map(str::parse::<usize>) {
        Some(Ok(width)) if width > 0 => Some(width),
        _ => terminal_size::terminal_size_of(io::stdout()).map(|(width, _)| usize::from(width.0)),
    }
}

/// Run one command.
pub fn run(command: Command, ctx: &Ctx) -> Result<()> {
    match command {
        Command::Add(args) => add::run(args, ctx),
        Command::Import(args) => import::run(args, ctx),
        Command::List(args) => list::run(args, ctx),
        Command::Delete(args) => delete::run(args, ctx),
        Command::Show(args) => show::run(args, ctx),
        Command::Edit(args) => edit::run(args, ctx),
        Command::Log(args) => log::run(args, ctx),
        Command::Activity(command) => activity::run(command, ctx),
        Command::Merge(args) => merge::run(args, ctx),
        Command::Duplicates(args) => duplicates::run(args, ctx),
        Command::Today(args) => today::run(args, ctx),
        Command::Qualify(args) => qualify::run(args, ctx),
        Command::Status(args) => status::run(args, ctx),
        Command::FollowUp(command) => follow_up::run(command, ctx),
        Command::Cadence(command) => cadence::run(command, ctx),
        Command::Nurture(args) => nurture::run(args, ctx),
        Command::Mail(command) => mail::run(command, ctx),
        Command::Export(args) => export::run(args, ctx),
        Command::Learn(args) => learn::run(args, ctx),
        Command::Report(args) => report::run(args, ctx),
        Command::Spend(command) => spend::run(command, ctx),
        Command::Forget(args) => forget::run(args, ctx),
        Command::Config(args) => config::run(args, ctx),
        Command::Completions(args) => completions::run(args, ctx),
        Command::Manpage => manpage::run(),
    }
}

/// The NAME and field flags of `add`/`edit`, each with the field it sets, in the order of
/// `LeadField` (the order their rules need).
pub fn lead_edits<'a>(
    name: Option<&'a str>,
    fields: &'a LeadFieldArgs,
) -> Vec<(&'static str, LeadField, &'a str)> {
    let name = name.map(|name| ("NAME", LeadField::Name, name));
    let single = [
        (
            "--first-name",
            LeadField::Text(Field::FirstName),
            &fields.first_name,
        ),
        (
            "--last-name",
            LeadField::Text(Field::LastName),
            &fields.last_name,
        ),
        ("--phone", LeadField::Text(Field::Phone), &fields.phone),
        (
            "--company",
            LeadField::Text(Field::Company),
            &fields.company,
        ),
        ("--title", LeadField::Text(Field::Title), &fields.title),
        (
            "--industry",
            LeadField::Text(Field::Industry),
            &fields.industry,
        ),
        (
            "--country",
            LeadField::Text(Field::Country),
            &fields.country,
        ),
        (
            "--website",
            LeadField::Text(Field::Website),
            &fields.website,
        ),
        (
            "--source-detail",
            LeadField::Text(Field::SourceDetail),
            &fields.source_detail,
        ),
        ("--note", LeadField::Text(Field::Notes), &fields.notes),
        (
            "--external-id",
            LeadField::Text(Field::ExternalId),
            &fields.external_id,
        ),
        ("--email", LeadField::Email, &fields.email),
        ("--size", LeadField::CompanySize, &fields.company_size),
        ("--source", LeadField::Source, &fields.source),
    ];
    let single = single
        .into_iter()
        .filter_map(|(flag, field, value)| Some((flag, field, value.as_deref()?)));
    let tags = fields
        .tags
        .iter()
        .map(|tag| ("--tag", LeadField::Tag, tag.as_str()));
    name.into_iter().chain(single).chain(tags).collect()
}

/// Apply edits named by their flags to a lead, in order: a value that cannot be used is
/// exit 65 naming its flag; a warning (a source typo taken as the known source) is shown
/// as it comes.
pub fn apply_edits<'a>(
    ctx: &Ctx,
    lead: &mut Lead,
    edits: impl IntoIterator<Item = (&'static str, LeadField, &'a str)>,
) -> Result<()> {
    for (flag, field, value) in edits {
        let warning = lead
            .set_field(field, value)
            .map_err(|err| bad_input(format!("{flag}: {err}")))?;
        if let Some(warning) = warning {
            ctx.warn(format!("{flag}: {warning}"));
        }
    }
    Ok(())
}

/// A note with its blanks trimmed; None when nothing is left.
pub fn trimmed(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|text| !text.is_empty())
}

impl Ctx {
    /// `--next WHEN [--next-note TEXT] [--next-kind K]`, read against this run's clock.
    pub fn next<'a>(&self, args: &'a crate::cli::NextArgs) -> Result<Option<Next<'a>>> {
        let Some(text) = &args.next else {
            return Ok(None);
        };
        Ok(Some(Next {
            due: self.when("--next", text)?,
            note: trimmed(args.next_note.as_deref()),
            kind: args.next_kind,
        }))
    }

    /// A warning when a lead's follow-ups are not listed (do-not-contact, closed): a
    /// follow-up scheduled for it would wait unseen.
    pub fn warn_unlisted(&self, lead: &Lead) {
        let why = if lead.do_not_contact {
            format!(
                "is marked do-not-contact (leads edit {} --do-not-contact false lifts it)",
                lead.id
            )
        } else if lead.status().is_closed() {
            format!("is closed ({})", lead.status())
        } else {
            return;
        };
        self.warn(format!(
            "lead {} {why}: its follow-ups are not listed until that changes",
            lead.id
        ));
    }

    /// A warning when a touch was logged with a lead marked do-not-contact: it happened,
    /// so it is kept, but the mark should not be forgotten.
    pub fn warn_do_not_contact(&self, lead: &Lead) {
        if lead.do_not_contact && !lead.forgotten {
            self.warn(format!(
                "lead {} {} is marked do-not-contact: logged, as it happened (leads edit {} \
                 --do-not-contact false lifts the mark)",
                lead.id,
                lead.name(),
                lead.id
            ));
        }
    }

    /// Whether a due time is in the past: "--due today" is today's work, not a mistake;
    /// an earlier moment likely is one.
    pub fn in_the_past(&self, due_at: DateTime<Utc>) -> Result<bool> {
        Ok(due_at < self.now && due_at != self.when("--due", "today")?)
    }

    /// The warning for a follow-up scheduled in the past (`add --due`, `--next`).
    pub fn warn_past_due(&self, due_at: DateTime<Utc>, id: i64) {
        self.warn(format!(
            "{} is in the past: follow-up {id} is overdue already",
            crate::output::local(due_at)
        ));
    }
}

/// The lead with this id, for a command that writes to it: a forgotten lead is exit 65.
pub fn writable_lead(store: &Store, id: i64) -> Result<Lead> {
    let lead = store.lead(id)?;
    lead.check_writable().map_err(bad_input)?;
    Ok(lead)
}

/// The value of `TZ` when it names no zone this system has and is no POSIX rule: the
/// clock library would quietly fall back to the system's zone. (Its own search, repeated.)
fn unknown_time_zone() -> Option<String> {
    let tz = std::env::var("TZ").ok()?;
    let name = tz.strip_prefix(':').unwrap_or(&tz).trim();
    if name.is_empty() || matches!(name, "UTC" | "GMT") {
        return None;
    }
    let path = Path::new(name);
    let known = if path.is_absolute() {
        path.is_file()
    } else {
        [
            "/usr/share/zoneinfo",
            "/share/zoneinfo",
            "/etc/zoneinfo",
            "/usr/share/lib/zoneinfo",
        ]
        .iter()
        .any(|folder| Path::new(folder).join(path).is_file())
    };
    // A leading ':' names a file only; otherwise a rule is tried after the files.
    let rule = !tz.starts_with(':') && is_posix_rule(name);
    (!known && !rule).then_some(tz)
}

/// "EST5EDT", "CET-1CEST,M3.5.0,M10.5.0/3", "<+03>-3": a zone abbreviation, then an offset.
fn is_posix_rule(text: &str) -> bool {
    let rest = if let Some(quoted) = text.strip_prefix('<') {
        match quoted.split_once('>') {
            Some((abbreviation, rest)) if !abbreviation.is_empty() => rest,
            _ => return false,
        }
    } else {
        let letters = text.chars().take_while(char::is_ascii_alphabetic).count();
        if letters < 3 {
            return false;
        }
        &text[letters..]
    };
    let rest = rest.strip_prefix(['+', '-']).unwrap_or(rest);
    rest.starts_with(|c: char| c.is_ascii_digit())
}

/// `now` on the user's calendar (`TZ`): what scores count days with.
pub fn local_clock(now: DateTime<Utc>) -> Clock {
    Clock::new(now, |at| at.with_timezone(&Local).date_naive())
}

/// Turn `list`/`export` filters (already typed by the command line) into a query.
pub fn lead_query(filter: &FilterArgs, ctx: &Ctx) -> Result<LeadQuery> {
    let query = LeadQuery {
        statuses: filter.statuses.clone(),
        grades: filter.grades.clone(),
        min_score: filter.min_score,
        since: filter
            .since
            .as_ref()
            .map(|since| ctx.when_past("--since", since))
            .transpose()?,
        overdue_at: filter.overdue.then_some(ctx.now),
        untouched_since: filter
            .stale
            .map(|stale| {
                stale
                    .shift(ctx.now, -1, &Local)
                    .ok_or_else(|| bad_input(format!("--stale: '{stale}' is too far back")))
            })
            .transpose()?,
        no_next_step: filter.no_next_step,
        ..LeadQuery::default()
    };
    Ok(query
        .with_sources(&filter.sources)
        .with_tags(&filter.tags)
        .with_search(filter.search.as_deref()))
}

/// A yes/no question on the terminal; anything but yes (`model::read_yes_no`; "y." and
/// "Yes!" too) is no.
pub fn confirm(ctx: &Ctx, question: &str) -> Result<bool> {
    let answer = ctx.ask(&format!("{question} [y/N] "))?;
    Ok(answer
        .as_deref()
        .map(normalize_key)
        .and_then(|word| read_yes_no(&word))
        == Some(true))
}

/// A warning on stderr, with any text from the data escaped; none under `--quiet`.
fn warn(quiet: bool, message: &str) {
    if !quiet {
        eprintln!("leads: warning: {}", escape_controls(message));
    }
}
