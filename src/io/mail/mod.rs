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
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;

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

/// One message, read or not.
#[derive(Debug)]
pub struct Item {
    /// Where it is, for a warning: the file, or the mbox and the message's number in it.
    pub origin: String,
    /// The message, or why it cannot be read.
    pub message: Result<Message, String>,
    /// When it arrived, as its file or mbox says (for a message without a `Date`).
    pub arrived: Option<DateTime<Utc>>,
}

/// Every message of the inputs, one at a time.
pub struct Messages {
    pending: VecDeque<Pending>,
    mbox: Option<(String, Mbox<Box<dyn BufRead + Send>>)>,
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
        }
    }

    /// The next message of the open mbox, if any.
    fn next_in_mbox(&mut self) -> Option<Item> {
        let (name, mbox) = self.mbox.as_mut()?;
        let name = name.clone();
        let item = match mbox.next_message() {
            Ok(None) => None,
            Ok(Some(entry)) => {
                let origin = format!("{name}, message {}", entry.number);
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
                origin: name,
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
            Err(err) => return Some(unreadable("standard input", err.to_string())),
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
            origin: "standard input".into(),
            message,
            arrived: None,
        })
    }
}

fn unreadable(origin: &str, why: String) -> Item {
    Item {
        origin: origin.to_string(),
        message: Err(why),
        arrived: None,
    }
}

impl Iterator for Messages {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if self.mbox.is_some() {
                if let Some(item) = self.next_in_mbox() {
                    return Some(item);
                }
                continue;
            }
            match self.pending.pop_front()? {
                Pending::Input(Input::Stdin) => {
                    if let Some(item) = self.stdin() {
                        return Some(item);
                    }
                }
                Pending::Input(Input::Path(path)) => match maildir::find(&path) {
                    Ok(found) => {
                        for found in found.into_iter().rev() {
                            self.pending.push_front(Pending::Found(found));
                        }
                    }
                    Err(err) => {
                        return Some(unreadable(&path.display().to_string(), err.to_string()))
                    }
                },
                Pending::Found(Found::Message(path)) => {
                    let origin = path.display().to_string();
                    return Some(match maildir::read_message(&path) {
                        Ok(file) => Item {
                            origin,
                            message: message::read(&file.bytes),
                            arrived: file.arrived,
                        },
                        Err(why) => unreadable(&origin, why),
                    });
                }
                Pending::Found(Found::Mbox(path)) => {
                    let origin = path.display().to_string();
                    match File::open(&path) {
                        Ok(file) => self
                            .open_mbox(origin, Box::new(BufReader::with_capacity(64 << 10, file))),
                        Err(err) => return Some(unreadable(&origin, err.to_string())),
                    }
                }
            }
        }
    }
}
