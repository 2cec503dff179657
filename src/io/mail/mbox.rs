//! An mbox file read message by message, in constant memory whatever its size: each
//! message's header block (up to `MAX_HEADERS`), and its body only when asked for (a
//! report's, up to `MAX_REPORT`); the rest of a body is skipped line by line, never held.
//!
//! A message starts at a `From ` line at the start of the file or after a blank line (the
//! mboxo/mboxrd separator; a `From ` inside a body is quoted `>From ` by the writer, and an
//! unquoted one without a blank line before it stays part of the body). The `From ` line's
//! date (`From bob@x.example Mon Mar  2 10:00:00 2026`) is when the message arrived.
use std::io::{self, BufRead};

use chrono::{DateTime, NaiveDateTime, Utc};

use super::message::{MAX_HEADERS, MAX_REPORT};

/// A line longer than this is kept cut (headers) or skipped (bodies): no line can make
/// leads hold more than this much of it.
const MAX_LINE: usize = 64 << 10;

/// One message's header block.
#[derive(Debug)]
pub struct MboxMessage {
    /// 1-based, in file order.
    pub number: usize,
    /// The header block, ending with its blank line.
    pub headers: Vec<u8>,
    /// The header block is longer than `MAX_HEADERS` (the message cannot be read).
    pub too_long: bool,
    /// The date of its `From ` line.
    pub arrived: Option<DateTime<Utc>>,
}

pub struct Mbox<R> {
    reader: R,
    line: Vec<u8>,
    /// The `From ` line of the next message, already read.
    next_from: Option<Vec<u8>>,
    /// The body of the current message has not been read or skipped yet.
    in_body: bool,
    count: usize,
    done: bool,
}

impl<R: BufRead> Mbox<R> {
    pub fn new(reader: R) -> Mbox<R> {
        Mbox {
            reader,
            line: Vec::new(),
            next_from: None,
            in_body: false,
            count: 0,
            done: false,
        }
    }

    /// The next message's headers (skipping what is left of the current one's body).
    pub fn next_message(&mut self) -> io::Result<Option<MboxMessage>> {
        if self.in_body {
            self.body(None)?;
        }
        let from_line = match self.next_from.take() {
            Some(line) => line,
            None => {
                if self.done || !self.find_first_from()? {
                    return Ok(None);
                }
                self.next_from.take().unwrap_or_default()
            }
        };
        self.count += 1;
        let mut headers = Vec::new();
        let mut too_long = false;
        loop {
            if read_line(&mut self.reader, &mut self.line, MAX_LINE)? == 0 {
                self.done = true;
                break;
            }
            if is_blank(&self.line) {
                headers.extend_from_slice(&self.line);
                self.in_body = true;
                break;
            }
            if headers.len() + self.line.len() > MAX_HEADERS {
                too_long = true;
            } else {
                headers.extend_from_slice(&self.line);
            }
        }
        Ok(Some(MboxMessage {
            number: self.count,
            headers,
            too_long,
            arrived: from_line_date(&from_line),
        }))
    }

    /// The current message's body, up to `MAX_REPORT` bytes (the rest is skipped).
    pub fn read_body(&mut self) -> io::Result<Vec<u8>> {
        let mut body = Vec::new();
        if self.in_body {
            self.body(Some(&mut body))?;
        }
        Ok(body)
    }

    /// Read to the next `From ` line (kept for `next_message`), keeping the lines in `keep`.
    fn body(&mut self, mut keep: Option<&mut Vec<u8>>) -> io::Result<()> {
        self.in_body = false;
        let mut after_blank = true; // the header block ended with a blank line
        let cap = if keep.is_some() { MAX_LINE } else { 8 };
        loop {
            if read_line(&mut self.reader, &mut self.line, cap)? == 0 {
                self.done = true;
                return Ok(());
            }
            if after_blank && self.line.starts_with(b"From ") {
                self.next_from = Some(std::mem::take(&mut self.line));
                return Ok(());
            }
            after_blank = is_blank(&self.line);
            if let Some(body) = keep.as_deref_mut() {
                if body.len() + self.line.len() <= MAX_REPORT {
                    body.extend_from_slice(&self.line);
                }
            }
        }
    }

    /// Skip anything before the first `From ` line; false when there is none.
    fn find_first_from(&mut self) -> io::Result<bool> {
        let mut after_blank = true;
        loop {
            if read_line(&mut self.reader, &mut self.line, MAX_LINE)? == 0 {
                self.done = true;
                return Ok(false);
            }
            if after_blank && self.line.starts_with(b"From ") {
                self.next_from = Some(std::mem::take(&mut self.line));
                return Ok(true);
            }
            after_blank = is_blank(&self.line);
        }
    }
}

fn is_blank(line: &[u8]) -> bool {
    line == b"\n" || line == b"\r\n"
}

/// Read one line (with its newline) into `line`, keeping at most `cap` bytes of it (of a
/// line starting with `From `, up to `MAX_LINE`) and consuming the rest; returns the bytes consumed, 0 at the end of the input.
pub fn read_line(reader: &mut impl BufRead, line: &mut Vec<u8>, cap: usize) -> io::Result<usize> {
    line.clear();
    let mut consumed = 0;
    loop {
        let available = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if available.is_empty() {
            return Ok(consumed);
        }
        let (taken, ended) = match memchr::memchr(b'\n', available) {
            Some(at) => (at + 1, true),
            None => (available.len(), false),
        };
        // A `From ` line is kept whole whatever the cap: it may start the next message.
        let cap = if line.starts_with(b"From ") {
            cap.max(MAX_LINE)
        } else {
            cap
        };
        let room = cap.saturating_sub(line.len());
        line.extend_from_slice(&available[..taken.min(room)]);
        reader.consume(taken);
        consumed += taken;
        if ended {
            return Ok(consumed);
        }
    }
}

/// The date of a `From ` line: `From bob@x.example Mon Mar  2 10:00:00 2026` (asctime, in
/// UTC as far as anyone can tell: the line has no zone).
fn from_line_date(line: &[u8]) -> Option<DateTime<Utc>> {
    let text = String::from_utf8_lossy(line);
    let words: Vec<&str> = text.split_whitespace().collect();
    // From SENDER WEEKDAY MONTH DAY TIME YEAR [...]
    let at = words.iter().position(|w| w.len() == 3 && is_weekday(w))?;
    let rest = words.get(at + 1..at + 5)?;
    let text = rest.join(" ");
    NaiveDateTime::parse_from_str(&text, "%b %d %H:%M:%S %Y")
        .ok()
        .map(|at| at.and_utc())
}

fn is_weekday(word: &str) -> bool {
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        .iter()
        .any(|day| day.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(bytes: &[u8]) -> Vec<(usize, String, Option<DateTime<Utc>>)> {
        let mut mbox = Mbox::new(io::BufReader::with_capacity(7, bytes));
        let mut found = Vec::new();
        while let Some(message) = mbox.next_message().unwrap() {
            found.push((
                message.number,
                String::from_utf8_lossy(&message.headers).into_owned(),
                message.arrived,
            ));
        }
        found
    }

    #[test]
    fn messages_are_split_at_from_lines_after_a_blank_line() {
        let mbox = b"From ann@acme.example Mon Mar  2 10:00:00 2026\nSubject: one\n\nbody\nFrom here on, a body line\n\n>From quoted\n\nFrom bob@x.example Tue Mar  3 11:30:00 2026\r\nSubject: two\r\n\r\nlast";
        let found = all(mbox);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].1, "Subject: one\n\n");
        assert_eq!(found[1].1, "Subject: two\r\n\r\n");
        assert_eq!(
            found[0].2.unwrap().to_rfc3339(),
            "2026-03-02T10:00:00+00:00"
        );
        assert_eq!(
            found[1].2.unwrap().to_rfc3339(),
            "2026-03-03T11:30:00+00:00"
        );
    }

    #[test]
    fn a_body_is_read_only_when_asked_for() {
        let mbox = b"From a Mon Mar  2 10:00:00 2026\nA: 1\n\nline 1\nline 2\n\nFrom b Mon Mar  2 10:00:00 2026\nB: 2\n\nx\n";
        let mut reader = Mbox::new(&mbox[..]);
        reader.next_message().unwrap().unwrap();
        assert_eq!(reader.read_body().unwrap(), b"line 1\nline 2\n\n");
        let second = reader.next_message().unwrap().unwrap();
        assert_eq!(second.headers, b"B: 2\n\n");
        assert!(reader.next_message().unwrap().is_none());
    }

    #[test]
    fn text_before_the_first_from_line_is_no_message() {
        assert!(all(b"no mbox here\nat all").is_empty());
        assert_eq!(
            all(b"junk\n\nFrom x Mon Mar  2 10:00:00 2026\nA: b\n\n").len(),
            1
        );
    }

    #[test]
    fn a_header_block_without_end_is_bounded() {
        let mut mbox = b"From x Mon Mar  2 10:00:00 2026\n".to_vec();
        mbox.extend(std::iter::repeat_n(b'a', 3 * MAX_HEADERS));
        let mut reader = Mbox::new(&mbox[..]);
        let message = reader.next_message().unwrap().unwrap();
        assert!(message.headers.len() <= MAX_LINE);
        assert!(reader.next_message().unwrap().is_none());
    }

    #[test]
    fn a_long_line_is_cut_to_the_cap() {
        let mut line = Vec::new();
        let input = [b'x'; 100];
        let mut reader = &input[..];
        assert_eq!(read_line(&mut reader, &mut line, 10).unwrap(), 100);
        assert_eq!(line.len(), 10);
    }
}
