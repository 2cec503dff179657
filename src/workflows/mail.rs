//! `leads mail import`: the seller's email exchanges with leads, logged from their own
//! mail. Each message (read by `io::mail`) is decided once, by these rules in order:
//!
//! 1. a delivery failure report (a bounce) logs `email_bounced` for each lead whose
//!    address failed (before the bulk rule: a mail server's bounce is auto-submitted);
//! 2. list and bulk mail (`List-Id`, `Precedence`, `Auto-Submitted`) is never logged;
//! 3. a message from one of the seller's addresses (`mail.me`) logs `email_sent` for each
//!    lead among its To and Cc; one that reaches only the seller's own addresses is theirs;
//! 4. a message from a lead logs `email_replied`; with `--add-unknown`, one that a person
//!    wrote to the seller directly (a seller's address in To) makes them a lead first
//!    (source `inbound_email`), unless they asked to be forgotten.
//!
//! Addresses and domains in `mail.ignore` are never logged, nor is an erased lead. Every
//! activity goes through `touch::log`, so a logged reply ends a cadence and the first
//! touch moves a `new` lead to `contacted`, as a hand-logged one does; each lead it touched
//! is rescored once (`touch::rescore`) when the import ends. Each message is
//! logged once: its digest is remembered (`Store::remember_mail`). What is stored is the
//! time, the kind and the subject (addresses in it other than the lead's own blanked):
//! never a body, never the address of someone who is not a lead.
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use anyhow::Result;
use chrono::{DateTime, Utc};

use super::touch;
use crate::error::{bad_input, Failure};
use crate::io::mail::{read_in_parallel, Input, Item, Mailbox, Message};
use crate::model::{ActivityKind, AddressList, Lead, LeadField, Status};
use crate::rescoring::mark_scored_if_new;
use crate::scoring::keys::OTHER_SETTINGS;
use crate::scoring::{self, Clock, Profile};
use crate::store::{NewActivity, Store};

/// The seller's own addresses and aliases.
pub const MAIL_ME: &str = OTHER_SETTINGS[2];
/// Addresses and domains whose mail is never logged.
pub const MAIL_IGNORE: &str = OTHER_SETTINGS[3];

/// How many messages are logged in one transaction (about: whole chunks of reading), the
/// first and the others: the write lock is held for the logging only, never while files
/// are read.
const FIRST_BATCH: usize = 1000;
const BATCH: usize = 10_000;

/// The database's pages kept in memory during an import, at most, and the write-ahead log
/// it lets grow before copying it back (SQLite's defaults are 2 and 4 MiB): every logged
/// message adds to indexes in random places (its digest, its lead's activities), and with
/// the defaults a mailbox of 100,000 messages read 20,000 pages back from the file, wrote
/// many twice, and waited for the disk at 17 checkpoints.
const CACHE_MIB: u32 = 32;

/// At most this many threads read mail files, however many processors there are: the
/// logging is one thread, and the disk is one.
const MAX_READERS: usize = 4;

/// The longest note kept of a subject, in characters.
const MAX_NOTE: usize = 300;

/// What the import is asked to do.
#[derive(Debug, Clone, Copy, Default)]
pub struct MailOptions<'a> {
    pub dry_run: bool,
    pub add_unknown: bool,
    pub no_subject: bool,
    /// Who is logging (`LEADS_USER`).
    pub by: Option<&'a str>,
}

/// What an import did: messages read; activities logged, by kind; messages skipped, by
/// reason; messages that could not be read; leads created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub read: u64,
    pub sent: u64,
    pub replied: u64,
    pub bounced: u64,
    pub not_a_lead: u64,
    pub bulk: u64,
    pub ignored: u64,
    pub own: u64,
    pub already_logged: u64,
    pub erased: u64,
    pub unreadable: u64,
    pub created: u64,
}

impl Tally {
    /// Activities logged.
    pub fn logged(&self) -> u64 {
        self.sent + self.replied + self.bounced
    }

    /// Messages read that logged nothing (the unreadable ones apart).
    pub fn skipped(&self) -> u64 {
        self.not_a_lead + self.bulk + self.ignored + self.own + self.already_logged + self.erased
    }
}

/// Why a message logs nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Skip {
    NotALead,
    Bulk,
    Ignored,
    Own,
    AlreadyLogged,
    /// Its lead was erased, or its sender asked to be forgotten.
    Erased,
}

/// Who a message is logged with.
enum Target {
    Lead(Rc<Lead>),
    /// A person to make a lead of (`--add-unknown`).
    New(Mailbox),
}

/// The seller's mail settings, as stored by `leads config`.
pub struct MailSettings {
    pub me: AddressList,
    pub ignore: AddressList,
}

impl MailSettings {
    /// Read them; without `mail.me` nothing can be told apart (exit 65, saying how to set it).
    pub fn load(store: &Store) -> Result<MailSettings> {
        let list = |key: &str, domains: bool| -> Result<AddressList> {
            let text = store.setting(key)?.unwrap_or_default();
            let entries = AddressList::parse_entries(&text, domains).map_err(|err| {
                bad_input(format!(
                    "the setting {key} cannot be read ({err}); set it again with \
                     `leads config {key} ...`"
                ))
            })?;
            Ok(AddressList::from_entries(&entries))
        };
        let me = list(MAIL_ME, false)?;
        if me.is_empty() {
            return Err(bad_input(format!(
                "mail import needs your own addresses to tell what you sent from what you \
                 received: set them with `leads config {MAIL_ME} \"you@example.com, \
                 alias@example.com\"`"
            )));
        }
        Ok(MailSettings {
            me,
            ignore: list(MAIL_IGNORE, true)?,
        })
    }
}

/// Log the exchanges with leads found in `inputs`. `warn` is told of each message that
/// cannot be read (naming its file). A dry run logs nothing and keeps nothing.
pub fn import(
    store: &Store,
    inputs: Vec<Input>,
    options: MailOptions<'_>,
    clock: Clock,
    warn: &mut dyn FnMut(String),
) -> Result<Tally> {
    let settings = MailSettings::load(store)?;
    for input in &inputs {
        if let Input::Path(path) = input {
            if let Err(err) = std::fs::metadata(path) {
                return Err(Failure::InputMissing(format!(
                    "cannot read {}: {err}",
                    path.display()
                ))
                .into());
            }
        }
    }
    let profile = store.profile()?;
    store.prepare_for_many_writes(CACHE_MIB)?;
    let mut run = Run {
        settings: &settings,
        options,
        profile: &profile,
        clock,
        tally: Tally::default(),
        touched: BTreeSet::new(),
        leads: HashMap::default(),
        data_version: None,
    };
    // The files are read on other threads while this one logs what they said: reading
    // is most of the work, and each file is read on its own.
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_READERS));
    std::thread::scope(|scope| {
        // Read ahead by a batch: the next one is read while this one is logged.
        let mut reading = read_in_parallel(scope, inputs, workers, BATCH);
        // The first batch is small, so that the logging starts soon; the others are large,
        // so that the pages each commit writes (indexes, leads) are written fewer times.
        let mut wanted = FIRST_BATCH;
        let mut next_batch = || -> Vec<Item> {
            let mut batch = Vec::new();
            while batch.len() < wanted {
                match reading.next_chunk() {
                    Some(chunk) => batch.extend(chunk),
                    None => break,
                }
            }
            wanted = BATCH;
            batch
        };
        if options.dry_run {
            store.write_then_discard(|store| {
                loop {
                    let batch = next_batch();
                    if batch.is_empty() {
                        break;
                    }
                    run.batch(store, batch, warn)?;
                }
                run.rescore(store)
            })
        } else {
            let logged = loop {
                let batch = next_batch();
                if batch.is_empty() {
                    break Ok(());
                }
                if let Err(err) = store.write(|store| run.batch(store, batch, warn)) {
                    break Err(err);
                }
            };
            // The leads of the batches written are rescored even when a later one failed.
            let rescored = store.write(|store| run.rescore(store));
            logged.and(rescored)
        }
    })?;
    Ok(run.tally)
}

struct Run<'a> {
    settings: &'a MailSettings,
    options: MailOptions<'a>,
    profile: &'a Profile,
    clock: Clock,
    tally: Tally,
    /// The leads the import logged something with, to rescore once when it ends: a lead
    /// in many messages is scored once, not once a message (nor once a batch).
    touched: BTreeSet<i64>,
    /// The lead of each address looked up (None: no lead has it), so that an address in
    /// many messages is looked up once.
    leads: HashMap<String, Option<Rc<Lead>>, foldhash::fast::RandomState>,
    /// The database's version as the cache of `leads` saw it (`Store::data_version`): when
    /// another process wrote between two batches, what was looked up is looked up again.
    data_version: Option<i64>,
}

impl Run<'_> {
    fn batch(
        &mut self,
        store: &Store,
        batch: Vec<Item>,
        warn: &mut dyn FnMut(String),
    ) -> Result<()> {
        let version = store.data_version()?;
        if self.data_version != Some(version) {
            self.leads.clear();
            self.data_version = Some(version);
        }
        for item in batch {
            self.tally.read += 1;
            let message = match item.message {
                Ok(message) => message,
                Err(why) => {
                    self.tally.unreadable += 1;
                    warn(format!(
                        "{}: cannot read the message ({why}); skipped",
                        item.origin
                    ));
                    continue;
                }
            };
            let skip = match self.decide(store, &message)? {
                Ok((kind, targets)) => self.log(store, &message, item.arrived, kind, targets)?,
                Err(skip) => Some(skip),
            };
            let counter = match skip {
                None => continue,
                Some(Skip::NotALead) => &mut self.tally.not_a_lead,
                Some(Skip::Bulk) => &mut self.tally.bulk,
                Some(Skip::Ignored) => &mut self.tally.ignored,
                Some(Skip::Own) => &mut self.tally.own,
                Some(Skip::AlreadyLogged) => &mut self.tally.already_logged,
                Some(Skip::Erased) => &mut self.tally.erased,
            };
            *counter += 1;
        }
        Ok(())
    }

    /// Rescore each lead the import touched, once, from all it logged. A lead deleted
    /// meanwhile (by another process) has nothing left to score.
    fn rescore(&mut self, store: &Store) -> Result<()> {
        for lead in std::mem::take(&mut self.touched) {
            if store.lead_exists(lead)? {
                touch::rescore(store, lead, self.profile, self.clock)?;
            }
        }
        Ok(())
    }

    /// The lead with this email (compared as duplicates are), if any: looked up once an
    /// import (`leads`).
    fn find_lead(&mut self, store: &Store, email: &str) -> Result<Option<Rc<Lead>>> {
        if let Some(known) = self.leads.get(email) {
            return Ok(known.clone());
        }
        let lead = match store.lead_id_by_email(email)? {
            Some(id) => Some(Rc::new(store.lead(id)?)),
            None => None,
        };
        self.leads.insert(email.to_string(), lead.clone());
        Ok(lead)
    }

    /// What a message logs, and with whom; or why it logs nothing.
    fn decide(
        &mut self,
        store: &Store,
        message: &Message,
    ) -> Result<Result<(ActivityKind, Vec<Target>), Skip>> {
        let (me, ignore) = (&self.settings.me, &self.settings.ignore);
        if message.is_bounce() {
            let failed = message.failed.iter().map(String::as_str);
            return self.leads_among(store, failed, ActivityKind::EmailBounced);
        }
        if message.bulk.is_some() {
            return Ok(Err(Skip::Bulk));
        }
        let Some(from) = &message.from else {
            return Ok(Err(Skip::NotALead));
        };
        if me.contains(&from.email) {
            let recipients: Vec<&str> = message
                .to
                .iter()
                .chain(&message.cc)
                .map(|m| m.email.as_str())
                .filter(|email| !me.contains(email))
                .collect();
            if recipients.is_empty() {
                return Ok(Err(Skip::Own));
            }
            return self.leads_among(store, recipients.into_iter(), ActivityKind::EmailSent);
        }
        if ignore.contains(&from.email) {
            return Ok(Err(Skip::Ignored));
        }
        if let Some(lead) = self.find_lead(store, &from.email)? {
            if lead.forgotten {
                return Ok(Err(Skip::Erased));
            }
            return Ok(Ok((ActivityKind::EmailReplied, vec![Target::Lead(lead)])));
        }
        let direct = message.to.iter().any(|to| me.contains(&to.email));
        if !(self.options.add_unknown && direct && is_a_person(&from.email)) {
            return Ok(Err(Skip::NotALead));
        }
        // Told now, before the message is remembered as logged (`log`).
        if Lead::default()
            .set_field(LeadField::Email, &from.email)
            .is_err()
        {
            return Ok(Err(Skip::NotALead));
        }
        if store.is_forgotten_email(&from.email)? {
            return Ok(Err(Skip::Erased));
        }
        Ok(Ok((
            ActivityKind::EmailReplied,
            vec![Target::New(from.clone())],
        )))
    }

    /// The leads among these addresses (each once, ignored ones left out), for `kind`.
    fn leads_among<'m>(
        &mut self,
        store: &Store,
        addresses: impl Iterator<Item = &'m str>,
        kind: ActivityKind,
    ) -> Result<Result<(ActivityKind, Vec<Target>), Skip>> {
        let mut leads: Vec<Target> = Vec::new();
        let (mut ignored, mut erased) = (false, false);
        for address in addresses {
            if self.settings.ignore.contains(address) {
                ignored = true;
                continue;
            }
            let Some(lead) = self.find_lead(store, address)? else {
                continue;
            };
            if lead.forgotten {
                erased = true;
            } else if !leads
                .iter()
                .any(|t| matches!(t, Target::Lead(l) if l.id == lead.id))
            {
                leads.push(Target::Lead(lead));
            }
        }
        Ok(match (leads.is_empty(), erased, ignored) {
            (false, _, _) => Ok((kind, leads)),
            (true, true, _) => Err(Skip::Erased),
            (true, false, true) => Err(Skip::Ignored),
            (true, false, false) => Err(Skip::NotALead),
        })
    }

    /// Log `kind` with each target, once per message; None when logged, else why not.
    fn log(
        &mut self,
        store: &Store,
        message: &Message,
        arrived: Option<DateTime<Utc>>,
        kind: ActivityKind,
        targets: Vec<Target>,
    ) -> Result<Option<Skip>> {
        let now = self.clock.now;
        // Remembered first, in one statement that says whether it was already: all that
        // follows is in the same transaction.
        if !store.remember_mail(&message.digest, now)? {
            return Ok(Some(Skip::AlreadyLogged));
        }
        // Mail dated in the future (a wrong clock) counts as arriving now: an activity is
        // what already happened.
        let at = message.date.or(arrived).unwrap_or(now).min(now);
        for target in targets {
            let lead = match target {
                Target::Lead(lead) => lead,
                Target::New(person) => match self.create_lead(store, &person)? {
                    Some(lead) => Rc::new(lead),
                    None => return Ok(Some(Skip::NotALead)),
                },
            };
            let note = match (&message.subject, self.options.no_subject) {
                (Some(subject), false) => Some(note_of(subject, lead.email.as_deref())),
                _ => None,
            };
            let activity = NewActivity {
                note: note.as_deref(),
                by: self.options.by,
                ..NewActivity::new(lead.id, kind, at)
            };
            // Rescored once per lead when the import ends (`rescore`), not per message.
            touch::log(store, &activity, self.clock)?;
            self.touched.insert(lead.id);
            match kind {
                ActivityKind::EmailSent => self.tally.sent += 1,
                ActivityKind::EmailReplied => self.tally.replied += 1,
                _ => self.tally.bounced += 1,
            }
        }
        Ok(None)
    }

    /// A lead made of a person who wrote to the seller (`--add-unknown`): the display name,
    /// the address, source `inbound_email`. None when the address cannot be a lead's
    /// (`decide` has told it already).
    fn create_lead(&mut self, store: &Store, person: &Mailbox) -> Result<Option<Lead>> {
        let mut lead = Lead::default();
        if lead.set_field(LeadField::Email, &person.email).is_err() {
            return Ok(None);
        }
        if let Some(name) = person.name.as_deref().filter(|n| !n.contains('@')) {
            // A display name that reads as no name leaves the lead with its email alone.
            let _ = lead.set_field(LeadField::Name, name);
        }
        let _ = lead.set_field(LeadField::Source, "inbound_email");
        let now = self.clock.now;
        lead.status = Some(Status::New);
        lead.created_at = Some(now);
        lead.updated_at = Some(now);
        lead.scores = scoring::score_numbers(&lead, &[], self.profile, self.clock);
        let id = store.insert_lead(&lead)?;
        store.change_status(id, None, Status::New, now, None)?;
        mark_scored_if_new(store, self.profile, self.clock)?;
        self.tally.created += 1;
        // An address looked up before, in another case, is now this lead's.
        self.leads.clear();
        store.lead(id).map(Some)
    }
}

/// Does this address belong to a person, not a robot (`noreply@`, `mailer-daemon@`)?
fn is_a_person(email: &str) -> bool {
    let local = email
        .rsplit_once('@')
        .map_or(email, |(local, _)| local)
        .to_ascii_lowercase();
    let squashed: String = local.chars().filter(char::is_ascii_alphanumeric).collect();
    let robots = [
        "mailerdaemon",
        "postmaster",
        "bounce",
        "bounces",
        "notification",
        "notifications",
        "newsletter",
    ];
    let robot = robots.contains(&squashed.as_str())
        || squashed.starts_with("noreply")
        || squashed.starts_with("donotreply")
        || ["bounce-", "bounces-", "bounce+", "bounces+"]
            .iter()
            .any(|prefix| local.starts_with(prefix));
    !robot
}

/// The subject as a note: every address in it blanked but the lead's own (a subject can
/// name a stranger: "Fwd: from bob@x.example"), cut to `MAX_NOTE` characters.
fn note_of(subject: &str, lead_email: Option<&str>) -> String {
    let mut note = String::with_capacity(subject.len());
    for word in subject.split_inclusive(char::is_whitespace) {
        let bare = word.trim_end();
        let core = bare.trim_matches(|c: char| !(c.is_alphanumeric() || c == '@'));
        let is_address = core.contains('@')
            && core
                .split_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && !d.is_empty());
        let own = lead_email.is_some_and(|e| e.eq_ignore_ascii_case(core));
        if is_address && !own {
            note.push_str(&word.replace(core, "[address]"));
        } else {
            note.push_str(word);
        }
    }
    let note = note.trim();
    match note.char_indices().nth(MAX_NOTE) {
        Some((cut, _)) => format!("{}…", &note[..cut]),
        None => note.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_in_a_subject_are_blanked_but_the_leads_own() {
        assert_eq!(
            note_of(
                "Fwd: intro from bob@stranger.example (cc <ann@acme.example>)",
                Some("carla@lead.example")
            ),
            "Fwd: intro from [address] (cc <[address]>)"
        );
        assert_eq!(
            note_of(
                "Re: your account Carla@Lead.example",
                Some("carla@lead.example")
            ),
            "Re: your account Carla@Lead.example"
        );
        assert_eq!(note_of("Meet @ 3pm", None), "Meet @ 3pm");
        let long = "x".repeat(400);
        assert_eq!(note_of(&long, None).chars().count(), MAX_NOTE + 1);
    }

    #[test]
    fn robots_are_not_people() {
        for robot in [
            "no-reply@x.example",
            "noreply+abc@x.example",
            "MAILER-DAEMON@x.example",
            "bounces-123@x.example",
            "do_not_reply@x.example",
        ] {
            assert!(!is_a_person(robot), "{robot}");
        }
        for person in ["dana@x.example", "noah@x.example", "bouncer.bob@x.example"] {
            assert!(is_a_person(person), "{person}");
        }
    }
}
