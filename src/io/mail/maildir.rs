//! Finding the messages under a path, and reading one message file's headers.
//!
//! A Maildir is a folder with `cur/` and `new/` (`tmp/` holds deliveries in progress and is
//! left alone); its Maildir++ subfolders are the folders inside it whose names start with
//! a dot (`.Sent`, `.Archive.2025`). Tools that keep one Maildir per folder (mbsync,
//! offlineimap) nest them (`~/Mail/Work/INBOX/cur`): any other folder is walked for the
//! Maildirs, `.eml` files and mbox files inside it (an mbox is a file that starts with
//! `From `; other files, such as a mail indexer's database, are passed over, and so are
//! hidden folders outside a Maildir, such as `.notmuch`). Symbolic links to folders are
//! not followed, so no loop can make the walk endless.
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};

use super::message::{header_end, is_report, MAX_HEADERS, MAX_REPORT};

/// Deeper than this, a folder tree is not mail.
const MAX_DEPTH: usize = 32;

/// Where messages are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A file holding one message (in a Maildir, or an `.eml`).
    Message(PathBuf),
    /// An mbox file.
    Mbox(PathBuf),
}

/// What is at `path`, a file or a folder: its messages and mbox files, in a stable order
/// (by name, folder by folder).
pub fn find(path: &Path) -> io::Result<Vec<Found>> {
    let mut found = Vec::new();
    if fs::metadata(path)?.is_dir() {
        walk(path, 0, &mut found)?;
    } else if is_eml(path) || !starts_with_from(path) {
        found.push(Found::Message(path.to_path_buf()));
    } else {
        found.push(Found::Mbox(path.to_path_buf()));
    }
    Ok(found)
}

fn walk(folder: &Path, depth: usize, found: &mut Vec<Found>) -> io::Result<()> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    let maildir = ["cur", "new"].iter().any(|sub| folder.join(sub).is_dir());
    let (mut folders, mut files) = (Vec::new(), Vec::new());
    for entry in fs::read_dir(folder)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let name = entry.file_name();
        let hidden = name.to_string_lossy().starts_with('.');
        if kind.is_dir() {
            folders.push((name, hidden));
        } else if kind.is_file() && !hidden {
            files.push(name);
        }
    }
    folders.sort();
    files.sort();
    if maildir {
        for sub in ["cur", "new"] {
            messages_in(&folder.join(sub), found)?;
        }
    } else {
        for name in files {
            let path = folder.join(name);
            if is_eml(&path) {
                found.push(Found::Message(path));
            } else if starts_with_from(&path) {
                found.push(Found::Mbox(path));
            }
        }
    }
    for (name, hidden) in folders {
        let skip = if maildir {
            // Maildir++ subfolders are hidden; cur, new and tmp are the Maildir itself.
            ["cur", "new", "tmp"].iter().any(|s| name == *s)
        } else {
            hidden
        };
        if !skip {
            walk(&folder.join(name), depth + 1, found)?;
        }
    }
    Ok(())
}

/// The message files of a Maildir's `cur/` or `new/`.
fn messages_in(folder: &Path, found: &mut Vec<Found>) -> io::Result<()> {
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(err) => return Err(err),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        if !name.as_encoded_bytes().starts_with(b".") && !entry.file_type()?.is_dir() {
            names.push(name);
        }
    }
    names.sort_unstable(); // names in a folder differ: the same order as a stable sort
    found.extend(names.into_iter().map(|n| Found::Message(folder.join(n))));
    Ok(())
}

fn is_eml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("eml"))
}

fn starts_with_from(path: &Path) -> bool {
    let mut start = [0_u8; 5];
    File::open(path)
        .and_then(|mut file| file.read_exact(&mut start))
        .is_ok_and(|()| &start == b"From ")
}

/// What `read_message` read: when the message arrived, by its Maildir name
/// (`1709280000.M1P2.host:2,S`), else the file's modification time; and how many bytes of
/// the buffer hold it.
#[derive(Debug, Clone, Copy)]
pub struct MessageFile {
    pub arrived: Option<DateTime<Utc>>,
    pub len: usize,
}

/// Read a message file's header block (and, for a report, the rest of it) into the start
/// of `buffer`, in bounded memory. The caller keeps one buffer for every message (see
/// `read_headers_into`). An error says why it cannot be read.
pub fn read_message(path: &Path, buffer: &mut Vec<u8>) -> Result<MessageFile, String> {
    let mut file = File::open(path).map_err(|err| err.to_string())?;
    let Some(mut len) = read_headers_into(&mut file, buffer).map_err(|err| err.to_string())? else {
        return Err(format!(
            "no end of its headers in the first {} MiB",
            MAX_HEADERS >> 20
        ));
    };
    if is_report(&buffer[..len]) {
        buffer.truncate(len);
        (&mut file)
            .take((MAX_REPORT - len.min(MAX_REPORT)) as u64)
            .read_to_end(buffer)
            .map_err(|err| err.to_string())?;
        len = buffer.len();
    }
    // The file's time is asked for only when its name does not say.
    let arrived = name_time(path).or_else(|| {
        file.metadata()
            .and_then(|meta| meta.modified())
            .ok()
            .map(DateTime::<Utc>::from)
    });
    Ok(MessageFile { arrived, len })
}

/// The header block of a message read from `input` (the whole input when it has no body),
/// with the little that follows it in the same read: None when no blank line ends it
/// within `MAX_HEADERS`. Most header blocks come in one read of 8 KiB.
pub fn read_headers(input: impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    Ok(read_headers_into(input, &mut bytes)?.map(|len| {
        bytes.truncate(len);
        bytes
    }))
}

/// `read_headers` into the start of `buffer`, returning how many bytes it read. The buffer
/// keeps its length (zeroed once, grown as needed) from one message to the next, so that
/// reading a mailbox of small files costs neither an allocation nor a clearing per file;
/// bytes past the returned length are left from earlier messages.
pub fn read_headers_into(mut input: impl Read, buffer: &mut Vec<u8>) -> io::Result<Option<usize>> {
    if buffer.len() < 8 << 10 {
        buffer.resize(8 << 10, 0);
    }
    let mut filled = 0;
    loop {
        // A report before may have left the buffer longer than any header block may be.
        let room = buffer.len().min(MAX_HEADERS);
        if filled == room {
            if filled >= MAX_HEADERS {
                return Ok(None);
            }
            buffer.resize((filled * 2).min(MAX_HEADERS), 0);
            continue;
        }
        let read = match input.read(&mut buffer[filled..room]) {
            Ok(read) => read,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        // The blank line may straddle two reads: look again from a little before.
        let from = filled.saturating_sub(3);
        filled += read;
        if read == 0 || header_end(&buffer[from..filled]).is_some() {
            return Ok(Some(filled));
        }
    }
}

/// The delivery time a Maildir file name starts with (seconds since 1970).
fn name_time(path: &Path) -> Option<DateTime<Utc>> {
    let name = path.file_name()?.to_str()?;
    let digits: &str = name.split('.').next()?;
    if digits.len() < 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Utc.timestamp_opt(digits.parse().ok()?, 0).single()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maildirs_subfolders_eml_and_mbox_files_are_found_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for folder in [
            "Mail/INBOX/cur",
            "Mail/INBOX/new",
            "Mail/INBOX/tmp",
            "Mail/INBOX/.Sent/cur",
            "Mail/.notmuch/xapian",
        ] {
            fs::create_dir_all(root.join(folder)).unwrap();
        }
        let write = |name: &str, text: &str| fs::write(root.join(name), text).unwrap();
        write("Mail/INBOX/cur/2.b:2,S", "A: 1\n\n");
        write("Mail/INBOX/cur/1.a:2,S", "A: 1\n\n");
        write("Mail/INBOX/new/3.c", "A: 1\n\n");
        write("Mail/INBOX/tmp/4.d", "A: 1\n\n");
        write("Mail/INBOX/.Sent/cur/5.e", "A: 1\n\n");
        write("Mail/INBOX/dovecot.index", "x");
        write("Mail/.notmuch/xapian/x", "From a b");
        write("Mail/saved.eml", "A: 1\n\n");
        write("Mail/archive", "From a Mon Mar  2 10:00:00 2026\n");
        write("Mail/notes.txt", "hello");
        let names: Vec<String> = find(&root.join("Mail"))
            .unwrap()
            .into_iter()
            .map(|found| match found {
                Found::Message(p) => format!("message {}", p.strip_prefix(root).unwrap().display()),
                Found::Mbox(p) => format!("mbox {}", p.strip_prefix(root).unwrap().display()),
            })
            .collect();
        assert_eq!(
            names,
            [
                "mbox Mail/archive",
                "message Mail/saved.eml",
                "message Mail/INBOX/cur/1.a:2,S",
                "message Mail/INBOX/cur/2.b:2,S",
                "message Mail/INBOX/new/3.c",
                "message Mail/INBOX/.Sent/cur/5.e",
            ]
        );
    }

    #[test]
    fn only_the_headers_are_read() {
        let mut message = b"Subject: hi\r\nFrom: a@b.example\r\n\r\n".to_vec();
        message.extend(std::iter::repeat_n(b'x', 100_000));
        let headers = read_headers(&message[..]).unwrap().unwrap();
        assert!(headers.len() <= 8 << 10);
        assert_eq!(header_end(&headers), Some(34));
        // The blank line across the boundary of two reads.
        let (first, second) = (&b"X: y\r\n\r"[..], &b"\nbody"[..]);
        let headers = read_headers(first.chain(second)).unwrap().unwrap();
        assert_eq!(headers, b"X: y\r\n\r\nbody");
        // Headers longer than one read.
        let mut long = b"X: ".to_vec();
        long.extend(std::iter::repeat_n(b'y', 20_000));
        long.extend(b"\n\nbody");
        let headers = read_headers(&long[..]).unwrap().unwrap();
        assert_eq!(header_end(&headers), Some(20_005));
        assert_eq!(read_headers(std::io::repeat(b'a')).unwrap(), None);
    }

    #[test]
    fn a_maildir_name_says_when_the_message_arrived() {
        let at = name_time(Path::new("cur/1772442000.M1P2.host:2,S")).unwrap();
        assert_eq!(at.to_rfc3339(), "2026-03-02T09:00:00+00:00");
        assert_eq!(name_time(Path::new("cur/msg.eml")), None);
    }
}
