//! The seller's local mail, read offline: Maildir folders (with Maildir++ subfolders),
//! mbox files, `.eml` files, or one message on standard input (a mail filter's hook).
//! No database here: paths in, `Message`s out, one at a time, so a mailbox of any size
//! costs the memory of one message's headers.
//!
//! `message` reads one message's headers; `maildir` finds the messages under a path and
//! reads a message file; `mbox` splits an mbox file.
pub mod maildir;
pub mod mbox;
pub mod message;

use std::collections::VecDeque;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;
use std::sync::{mpsc, Arc, Mutex};

use chrono::{DateTime, Utc};

pub use self::maildir::Found;
use self::mbox::Mbox;
pub use self::message::{Bulk, Mailbox, Message};

/// Where to read mail from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// One message (or an mbox) on standard input.
    Stdin,
    /// A Maildir, a folder of them, an mbox file or a message file.
    Path(PathBuf),
}

/// Where a message is, for a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Its file (made text only when a warning names it).
    File(PathBuf),
    /// Standard input, or an mbox and the message's number in it.
    Named(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File(path) => path.display().fmt(f),
            Origin::Named(name) => f.write_str(name),
        }
    }
}

/// One message, read or not.
#[derive(Debug)]
pub struct Item {
    /// Where it is, for a warning: the file, or the mbox and the message's number in it.
    pub origin: Origin,
    /// The message, or why it cannot be read.
    pub message: Result<Message, String>,
    /// When it arrived, as its file or mbox says (for a message without a `Date`).
    pub arrived: Option<DateTime<Utc>>,
}

/// Every message of the inputs, one at a time.
pub struct Messages {
    pending: VecDeque<Pending>,
    mbox: Option<(String, Mbox<Box<dyn BufRead + Send>>)>,
    /// Where each message file is read into, one after the other.
    buffer: Vec<u8>,
}

enum Pending {
    Input(Input),
    Found(Found),
}

impl Messages {
    pub fn new(inputs: impl IntoIterator<Item = Input>) -> Messages {
        Messages {
            pending: inputs.into_iter().map(Pending::Input).collect(),
            mbox: None,
            buffer: Vec::new(),
        }
    }

    /// The next message of the open mbox, if any.
    fn next_in_mbox(&mut self) -> Option<Item> {
        let (name, mbox) = self.mbox.as_mut()?;
        let name = name.clone();
        let item = match mbox.next_message() {
            Ok(None) => None,
            Ok(Some(entry)) => {
                let origin = Origin::Named(format!("{name}, message {}", entry.number));
                let message = if entry.too_long {
                    Err(format!(
                        "no end of its headers in the first {} MiB",
                        message::MAX_HEADERS >> 20
                    ))
                } else if message::is_report(&entry.headers) {
                    match mbox.read_body() {
                        Ok(body) => {
                            let mut all = entry.headers;
                            all.extend(body);
                            message::read(&all)
                        }
                        Err(err) => Err(err.to_string()),
                    }
                } else {
                    message::read(&entry.headers)
                };
                return Some(Item {
                    origin,
                    message,
                    arrived: entry.arrived,
                });
            }
            Err(err) => Some(Item {
                origin: Origin::Named(name),
                message: Err(err.to_string()),
                arrived: None,
            }),
        };
        self.mbox = None;
        item
    }

    fn open_mbox(&mut self, name: String, reader: Box<dyn BufRead + Send>) {
        self.mbox = Some((name, Mbox::new(reader)));
    }

    /// One message on standard input (an mbox when it starts with a `From ` line, as
    /// procmail and maildrop hand it over). The rest of the input is read and dropped, so
    /// the filter that pipes it in never sees a broken pipe.
    fn stdin(&mut self) -> Option<Item> {
        let mut input: Box<dyn BufRead + Send> =
            Box::new(BufReader::with_capacity(64 << 10, io::stdin()));
        let starts = match input.fill_buf() {
            Ok(buf) => buf.starts_with(b"From "),
            Err(err) => {
                return Some(unreadable(
                    Origin::Named("standard input".into()),
                    err.to_string(),
                ))
            }
        };
        if starts {
            self.open_mbox("standard input".into(), input);
            return self.next_in_mbox();
        }
        let mut read = || -> Result<Vec<u8>, String> {
            let mut bytes = maildir::read_headers(&mut input)
                .map_err(|err| err.to_string())?
                .ok_or_else(|| {
                    format!(
                        "no end of its headers in the first {} MiB",
                        message::MAX_HEADERS >> 20
                    )
                })?;
            if message::is_report(&bytes) {
                (&mut input)
                    .take(message::MAX_REPORT as u64)
                    .read_to_end(&mut bytes)
                    .map_err(|err| err.to_string())?;
            }
            Ok(bytes)
        };
        let message = read().and_then(|bytes| message::read(&bytes));
        let _ = io::copy(&mut input, &mut io::sink());
        Some(Item {
            origin: Origin::Named("standard input".into()),
            message,
            arrived: None,
        })
    }
}

fn unreadable(origin: Origin, why: String) -> Item {
    Item {
        origin,
        message: Err(why),
        arrived: None,
    }
}

/// What `Messages` has next: a message read, or a message file still to read (which
/// `read_in_parallel` hands to another thread).
enum Entry {
    Item(Box<Item>),
    File(PathBuf),
}

impl Messages {
    fn next_entry(&mut self) -> Option<Entry> {
        loop {
            if self.mbox.is_some() {
                if let Some(item) = self.next_in_mbox() {
                    return Some(Entry::Item(Box::new(item)));
                }
                continue;
            }
            match self.pending.pop_front()? {
                Pending::Input(Input::Stdin) => {
                    if let Some(item) = self.stdin() {
                        return Some(Entry::Item(Box::new(item)));
                    }
                }
                Pending::Input(Input::Path(path)) => match maildir::find(&path) {
                    Ok(found) => {
                        for found in found.into_iter().rev() {
                            self.pending.push_front(Pending::Found(found));
                        }
                    }
                    Err(err) => {
                        return Some(Entry::Item(Box::new(unreadable(
                            Origin::File(path),
                            err.to_string(),
                        ))))
                    }
                },
                Pending::Found(Found::Message(path)) => return Some(Entry::File(path)),
                Pending::Found(Found::Mbox(path)) => {
                    let origin = path.display().to_string();
                    match File::open(&path) {
                        Ok(file) => self
                            .open_mbox(origin, Box::new(BufReader::with_capacity(64 << 10, file))),
                        Err(err) => {
                            return Some(Entry::Item(Box::new(unreadable(
                                Origin::Named(origin),
                                err.to_string(),
                            ))))
                        }
                    }
                }
            }
        }
    }
}

/// Read one message file, into `buffer` (one for all the files a thread reads).
fn read_file(path: PathBuf, buffer: &mut Vec<u8>) -> Item {
    match maildir::read_message(&path, buffer) {
        Ok(file) => Item {
            origin: Origin::File(path),
            message: message::read(&buffer[..file.len]),
            arrived: file.arrived,
        },
        Err(why) => unreadable(Origin::File(path), why),
    }
}

impl Iterator for Messages {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        match self.next_entry()? {
            Entry::Item(item) => Some(*item),
            Entry::File(path) => Some(read_file(path, &mut self.buffer)),
        }
    }
}

/// How many message files one thread reads at a time.
const CHUNK: usize = 256;

/// Every message of the inputs, in their order (as `Messages` gives them), with the
/// message files read by `workers` threads of `scope` at once: opening, reading and
/// parsing 100,000 small files is most of an import, and each file is read on its own. A
/// thread of `scope` walks the folders, reads mbox files and standard input (a stream
/// has one reader) and hands out the message files in chunks; the chunks come back in
/// their order whichever thread read them first. About `ahead` messages (and a few chunks
/// per thread) are read ahead of the one taken, so memory stays bounded. When the
/// returned `Reading` is dropped, the threads stop after the chunk in hand.
pub fn read_in_parallel<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    inputs: Vec<Input>,
    workers: usize,
    ahead: usize,
) -> Reading {
    let workers = workers.max(1);
    // The chunks in order, each to be filled by whichever thread reads it.
    let (order, chunks) = mpsc::sync_channel::<Chunk>(ahead.div_ceil(CHUNK) + workers * 2);
    let (jobs, queue) = mpsc::channel::<(Vec<PathBuf>, mpsc::SyncSender<Vec<Item>>)>();
    let queue = Arc::new(Mutex::new(queue));
    for _ in 0..workers {
        let queue = Arc::clone(&queue);
        scope.spawn(move || {
            let mut buffer = Vec::new();
            loop {
                // The lock is held while waiting for a job only, never while reading.
                let job = match queue.lock() {
                    Ok(queue) => queue.recv(),
                    Err(_) => return,
                };
                let Ok((paths, done)) = job else { return };
                let items = paths
                    .into_iter()
                    .map(|path| read_file(path, &mut buffer))
                    .collect();
                let _ = done.send(items);
            }
        });
    }
    scope.spawn(move || {
        let mut messages = Messages::new(inputs);
        let mut items = Vec::new();
        let mut files = Vec::new();
        // Hands over what is gathered (one kind at a time): false when the reader of the
        // chunks is gone.
        let flush = |items: &mut Vec<Item>, files: &mut Vec<PathBuf>| -> bool {
            if !items.is_empty() {
                let (done, chunk) = mpsc::sync_channel(1);
                let _ = done.send(std::mem::take(items));
                if order.send(chunk).is_err() {
                    return false;
                }
            }
            if !files.is_empty() {
                let (done, chunk) = mpsc::sync_channel(1);
                if jobs.send((std::mem::take(files), done)).is_err() || order.send(chunk).is_err() {
                    return false;
                }
            }
            true
        };
        while let Some(entry) = messages.next_entry() {
            // A chunk holds messages read here or files to read, never both: what is
            // gathered of the other kind goes first.
            let other_kind = match entry {
                Entry::Item(_) => !files.is_empty(),
                Entry::File(_) => !items.is_empty(),
            };
            if other_kind && !flush(&mut items, &mut files) {
                return;
            }
            match entry {
                Entry::Item(item) => items.push(*item),
                Entry::File(path) => files.push(path),
            }
            if items.len() + files.len() == CHUNK && !flush(&mut items, &mut files) {
                return;
            }
        }
        flush(&mut items, &mut files);
    });
    Reading { chunks }
}

/// A chunk of messages, once a thread has read it.
type Chunk = mpsc::Receiver<Vec<Item>>;

/// The messages `read_in_parallel` reads, chunk by chunk, in order.
pub struct Reading {
    chunks: mpsc::Receiver<Chunk>,
}

impl Reading {
    /// The next messages, waiting for them to be read; None when all are.
    pub fn next_chunk(&mut self) -> Option<Vec<Item>> {
        let chunk = self.chunks.recv().ok()?;
        // A thread that failed (it cannot, short of a panic, which the scope raises again)
        // leaves its chunk empty.
        Some(chunk.recv().unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a reading gives, message by message: where, and what was read.
    fn summary(item: Item) -> String {
        match item.message {
            Ok(message) => format!("{} {:?}", item.origin, message.subject),
            Err(why) => format!("{} unreadable: {why}", item.origin),
        }
    }

    #[test]
    fn messages_read_in_parallel_come_in_the_order_of_one_reader() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for folder in ["Mail/cur", "Mail/new", "Other/cur"] {
            std::fs::create_dir_all(root.join(folder)).unwrap();
        }
        let message = |n: usize| format!("From: a{n}@x.example\nSubject: m{n}\n\nbody\n");
        std::fs::write(root.join("a.eml"), message(0)).unwrap();
        let mbox: String = (1..=3)
            .map(|n| {
                format!(
                    "From a@x.example Mon Mar  2 10:00:00 2026\n{}\n",
                    message(n)
                )
            })
            .collect();
        std::fs::write(root.join("b.mbox"), mbox).unwrap();
        // More files than a chunk, and one that cannot be read.
        for n in 10..700 {
            std::fs::write(root.join(format!("Mail/cur/{n}.x:2,S")), message(n)).unwrap();
        }
        std::fs::write(root.join("Mail/new/empty"), "").unwrap();
        std::fs::write(root.join("Other/cur/1.y"), message(1000)).unwrap();
        let inputs = vec![Input::Path(root.to_path_buf())];

        let one_reader: Vec<String> = Messages::new(inputs.clone()).map(summary).collect();
        assert_eq!(one_reader.len(), 1 + 3 + 690 + 1 + 1);
        for workers in [1, 3] {
            let parallel: Vec<String> = std::thread::scope(|scope| {
                let mut reading = read_in_parallel(scope, inputs.clone(), workers, 100);
                let mut all = Vec::new();
                while let Some(chunk) = reading.next_chunk() {
                    all.extend(chunk.into_iter().map(summary));
                }
                all
            });
            assert_eq!(parallel, one_reader, "{workers} workers");
        }
    }

    #[test]
    fn reading_stops_when_its_reader_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("cur")).unwrap();
        for n in 0..2000 {
            let text = format!("From: a@x.example\nSubject: m{n}\n\n");
            std::fs::write(dir.path().join(format!("cur/{n}")), text).unwrap();
        }
        let inputs = vec![Input::Path(dir.path().to_path_buf())];
        // The scope ends (its threads joined) although only one chunk was taken.
        let first = std::thread::scope(|scope| {
            let mut reading = read_in_parallel(scope, inputs, 2, 0);
            reading.next_chunk().unwrap().len()
        });
        assert_eq!(first, CHUNK);
    }
}
