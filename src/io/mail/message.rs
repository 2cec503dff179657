//! One message's headers as the mail log needs them: who wrote to whom, when, about what,
//! whether it is list or bulk mail, and, for a delivery failure report, which addresses
//! failed. Pure: bytes in, a `Message` out. RFC 5322, MIME and RFC 2047 are `mail-parser`'s
//! work; what this module owns is what those headers mean to a seller.
//!
//! Only the headers are read, except for a report (`multipart/report`), whose
//! `message/delivery-status` part names the failed recipients: the caller reads the body
//! of such a message only (`is_report`), so an ordinary message costs its headers.
use std::sync::LazyLock;

use chrono::{DateTime, TimeZone, Utc};
use mail_parser::{Address, HeaderName, MessageParser, MimeHeaders, PartType};
use sha2::{Digest, Sha256};

/// How much of a message leads ever reads: its header block, and a report's whole body.
pub const MAX_HEADERS: usize = 1 << 20;
pub const MAX_REPORT: usize = 4 << 20;

/// A person in a header: the display name (decoded) and the address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    pub name: Option<String>,
    pub email: String,
}

/// Why a message is list or bulk mail (never logged).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bulk {
    /// A mailing list (`List-Id`).
    List,
    /// `Precedence: bulk`, `list` or `junk`.
    Precedence,
    /// `Auto-Submitted` other than `no`: an auto-reply, a notification.
    AutoSubmitted,
}

/// What the mail log reads of a message.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub from: Option<Mailbox>,
    pub to: Vec<Mailbox>,
    pub cc: Vec<Mailbox>,
    /// The `Date` header, when it reads as a date.
    pub date: Option<DateTime<Utc>>,
    /// The decoded subject.
    pub subject: Option<String>,
    /// What identifies the message (see `digest`).
    pub digest: String,
    pub bulk: Option<Bulk>,
    /// A delivery failure report: the addresses whose delivery failed (the final and, when
    /// given, the original recipient of each failed one). Empty for any other message.
    pub failed: Vec<String>,
}

impl Message {
    /// A delivery failure report?
    pub fn is_bounce(&self) -> bool {
        !self.failed.is_empty()
    }
}

/// Where the header block ends in `bytes` (the offset after its blank line), if it does.
pub fn header_end(bytes: &[u8]) -> Option<usize> {
    let mut start = 0;
    while let Some(newline) = memchr::memchr(b'\n', &bytes[start..]) {
        let line_end = start + newline;
        let line = &bytes[start..line_end];
        if line.is_empty() || line == b"\r" {
            return Some(line_end + 1);
        }
        start = line_end + 1;
    }
    None
}

/// Does this message (its headers at least) carry a report whose body must be read to
/// know what failed? Cheap, a byte search: a `multipart/report` anywhere in the headers
/// (at worst, another message's body is read for nothing).
pub fn is_report(headers: &[u8]) -> bool {
    let end = header_end(headers).unwrap_or(headers.len());
    let headers = &headers[..end];
    memchr::memchr_iter(b'/', headers).any(|slash| {
        let before = headers[..slash].rsplit(|b| !b.is_ascii_alphabetic()).next();
        let after = headers[slash + 1..]
            .split(|b| !b.is_ascii_alphabetic())
            .next();
        before.is_some_and(|w| w.eq_ignore_ascii_case(b"multipart"))
            && after.is_some_and(|w| w.eq_ignore_ascii_case(b"report"))
    })
}

/// The parser of a message's headers: only those read here are parsed (addresses, date,
/// subject, Message-ID, content type); any other is skipped, found again by `header_raw`
/// when asked for (`List-Id`, `Precedence`...). A mailbox's `Received`, `DKIM-Signature`
/// and `References` lines are most of its headers, and parsing them was most of the work.
static HEADERS: LazyLock<MessageParser> = LazyLock::new(|| {
    MessageParser::new()
        .header_address(HeaderName::From)
        .header_address(HeaderName::To)
        .header_address(HeaderName::Cc)
        .header_date(HeaderName::Date)
        .header_text(HeaderName::Subject)
        .header_id(HeaderName::MessageId)
        .header_content_type(HeaderName::ContentType)
        .default_header_ignore()
});

/// The parser of a whole report, every header as the MIME parts need it.
static REPORT: LazyLock<MessageParser> = LazyLock::new(MessageParser::new);

/// Read a message: its headers, or (for a report) the whole of it. An error says why it
/// cannot be read.
pub fn read(bytes: &[u8]) -> Result<Message, String> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("it is empty".into());
    }
    let Some(headers) = HEADERS.parse_headers(bytes) else {
        return Err("no mail headers found".into());
    };
    let report = headers.content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("multipart")
            && ct
                .subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
    });
    // Only a report's body is parsed: its delivery-status part names who failed.
    let parsed = if report {
        REPORT.parse(bytes)
    } else {
        Some(headers)
    };
    let Some(parsed) = parsed else {
        return Err("no mail headers found".into());
    };
    if parsed.headers().is_empty() {
        return Err("no mail headers found".into());
    }
    let from = parsed
        .from()
        .and_then(|from| mailboxes(from).into_iter().next());
    let to = parsed.to().map(mailboxes).unwrap_or_default();
    let cc = parsed.cc().map(mailboxes).unwrap_or_default();
    if from.is_none() && to.is_empty() && cc.is_empty() {
        return Err("no sender and no recipient".into());
    }
    let date = parsed.date().filter(|d| d.is_valid()).and_then(|date| {
        let at = Utc.timestamp_opt(date.to_timestamp(), 0).single()?;
        (1900..2200)
            .contains(&chrono::Datelike::year(&at))
            .then_some(at)
    });
    let subject = parsed.subject().map(squash).filter(|s| !s.is_empty());
    let digest = match parsed
        .message_id()
        .map(str::trim)
        .filter(|id| !id.is_empty())
    {
        Some(id) => sha256(&["message-id", id]),
        None => sha256(&[
            "date sender subject",
            parsed.header_raw("Date").map(str::trim).unwrap_or_default(),
            &from
                .as_ref()
                .map(|f| f.email.to_lowercase())
                .unwrap_or_default(),
            subject.as_deref().unwrap_or_default(),
        ]),
    };
    let mut failed = raw_header(&parsed, "X-Failed-Recipients")
        .map(|value| {
            value
                .split(',')
                .filter_map(bare_address)
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    if report {
        for part in parsed.parts.iter() {
            let Some(ct) = part.content_type() else {
                continue;
            };
            let is_status = ct.ctype().eq_ignore_ascii_case("message")
                && ct.subtype().is_some_and(|s| {
                    s.eq_ignore_ascii_case("delivery-status")
                        || s.eq_ignore_ascii_case("global-delivery-status")
                });
            if is_status {
                let contents = match &part.body {
                    PartType::Text(text) | PartType::Html(text) => text.as_bytes(),
                    PartType::Binary(bytes) | PartType::InlineBinary(bytes) => bytes,
                    _ => &[],
                };
                failed.extend(failed_recipients(&String::from_utf8_lossy(contents)));
            }
        }
    }
    failed.sort();
    failed.dedup();
    Ok(Message {
        from,
        to,
        cc,
        date,
        subject,
        digest,
        bulk: bulk(&parsed),
        failed,
    })
}

/// A header's raw value, unfolded and trimmed.
fn raw_header(message: &mail_parser::Message<'_>, name: &str) -> Option<String> {
    message
        .header_raw(name)
        .map(squash)
        .filter(|value| !value.is_empty())
}

/// `text` with its runs of white space made one space, and none at either end (a folded
/// header unfolded).
fn squash(text: &str) -> String {
    let mut squashed = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !squashed.is_empty() {
            squashed.push(' ');
        }
        squashed.push_str(word);
    }
    squashed
}

fn bulk(message: &mail_parser::Message<'_>) -> Option<Bulk> {
    if message.header_raw("List-Id").is_some() {
        return Some(Bulk::List);
    }
    if let Some(precedence) = raw_header(message, "Precedence") {
        let word = precedence.to_ascii_lowercase();
        if ["bulk", "list", "junk"].iter().any(|w| word.starts_with(w)) {
            return Some(Bulk::Precedence);
        }
    }
    if let Some(auto) = raw_header(message, "Auto-Submitted") {
        // `no` may carry a comment: `no (a person wrote this)`.
        let word = auto.split(['(', ';']).next().unwrap_or_default().trim();
        if !word.eq_ignore_ascii_case("no") {
            return Some(Bulk::AutoSubmitted);
        }
    }
    None
}

/// Every mailbox of an address header (groups flattened), those without an address left
/// out.
fn mailboxes(address: &Address<'_>) -> Vec<Mailbox> {
    address
        .iter()
        .filter_map(|addr| {
            let email = addr.address()?.trim().trim_matches(['<', '>']).trim();
            if !email.contains('@') {
                return None;
            }
            let name = addr
                .name()
                .map(squash)
                .map(|n| n.trim_matches(['"', '\'']).trim().to_string())
                .filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case(email));
            Some(Mailbox {
                name,
                email: email.to_string(),
            })
        })
        .collect()
}

/// The failed recipients of a `message/delivery-status` body (RFC 3464): one block of
/// fields per recipient; a recipient whose `Action` is `failed` (or, without an action,
/// whose `Status` is permanent, 5.x.x) failed. `Final-Recipient` and `Original-Recipient`
/// (`rfc822; bob@example.com`) name it. A delayed or delivered recipient did not fail.
pub fn failed_recipients(status: &str) -> Vec<String> {
    let mut failed = Vec::new();
    let text = status.replace("\r\n", "\n");
    for block in text.split("\n\n") {
        let mut recipients = Vec::new();
        let mut action = None;
        let mut permanent = false;
        // Continuation lines belong to the field above; only the field names matter here.
        for line in block.lines().filter(|l| !l.starts_with([' ', '\t'])) {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            match name.trim().to_ascii_lowercase().as_str() {
                "final-recipient" | "original-recipient" => {
                    let address = value.split_once(';').map_or(value, |(_, a)| a);
                    recipients.extend(bare_address(address));
                }
                "action" => action = Some(value.to_ascii_lowercase()),
                "status" => permanent = value.starts_with('5'),
                _ => {}
            }
        }
        let failed_here = match action.as_deref() {
            Some(action) => action.starts_with("failed"),
            None => permanent,
        };
        if failed_here {
            failed.extend(recipients);
        }
    }
    failed
}

/// `<bob@x.example>`, ` bob@x.example ` -> `bob@x.example`; None when it is no address.
fn bare_address(text: &str) -> Option<String> {
    let address = text.trim().trim_matches(['<', '>']).trim();
    (address.contains('@') && !address.contains(char::is_whitespace) && address.len() <= 320)
        .then(|| address.to_string())
}

fn sha256(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(64);
    for byte in hasher.finalize() {
        hex.push(char::from(HEX[usize::from(byte >> 4)]));
        hex.push(char::from(HEX[usize::from(byte & 15)]));
    }
    hex
}

#[cfg(test)]
mod tests;
