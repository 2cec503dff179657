//! Writes a seller's Maildir for the benchmark of `leads mail import`, and the CSV of the
//! leads it mentions.
//!
//! ```sh
//! cargo run --release --example gen_mail -- 100000 bench-data/Maildir bench-data/mail-leads.csv
//! ```
//!
//! The seller is ann@acme.example. Of every 100 messages, about 10 are sent by her to a
//! lead (Sent folder, a Maildir++ subfolder), 10 are replies from leads, 2 are Postfix
//! bounces for a lead, 20 are newsletters (`List-Id`) and the rest are mail from people who
//! are not leads. Each message has the headers a mail client writes and a plain-text body
//! of 1 to 6 KB (1 in 20 an HTML body of about 20 KB). The same arguments give the same
//! files.
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

/// How many leads the mail is exchanged with.
const LEADS: u64 = 2000;

const WORDS: [&str; 16] = [
    "proposal", "quote", "meeting", "thanks", "invoice", "trial", "next", "week", "call",
    "pricing", "contract", "team", "update", "question", "demo", "follow",
];

struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn words(&mut self, bytes: usize) -> String {
        let mut text = String::with_capacity(bytes + 16);
        while text.len() < bytes {
            text.push_str(WORDS[self.below(16) as usize]);
            text.push(if self.below(12) == 0 { '\n' } else { ' ' });
        }
        text
    }
}

fn lead_email(k: u64) -> String {
    format!("lead{k}@client{}.example", k % 300)
}

fn date(i: u64) -> (u64, String) {
    // One message every 5 minutes, back from 2026-03-01.
    let at = 1_772_323_200 - i * 300;
    let days = at / 86_400;
    let secs = at % 86_400;
    let civil = civil_from_days(days as i64);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][civil.1 as usize - 1];
    let text = format!(
        "{weekday}, {} {month} {} {:02}:{:02}:{:02} +0000",
        civil.2,
        civil.0,
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    );
    (at, text)
}

/// (year, month, day) of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn write_message(folder: &Path, i: u64, at: u64, text: &str) -> io::Result<()> {
    let name = folder.join(format!("{at}.M{i}P7.bench:2,S"));
    fs::write(name, text)
}

fn run(count: u64, maildir: &Path, leads_csv: &Path) -> io::Result<()> {
    for sub in ["cur", "new", "tmp", ".Sent/cur", ".Sent/new", ".Sent/tmp"] {
        fs::create_dir_all(maildir.join(sub))?;
    }
    let mut csv = BufWriter::new(fs::File::create(leads_csv)?);
    writeln!(csv, "Name,Email,Company")?;
    for k in 0..LEADS {
        writeln!(csv, "Lead {k},{},Client {}", lead_email(k), k % 300)?;
    }
    csv.flush()?;
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    let (inbox, sent) = (maildir.join("cur"), maildir.join(".Sent/cur"));
    for i in 0..count {
        let (at, date) = date(i);
        let roll = random.below(100);
        let lead = random.below(LEADS);
        let subject = format!(
            "{} {} {i}",
            WORDS[random.below(16) as usize],
            WORDS[random.below(16) as usize]
        );
        let body = if random.below(20) == 0 {
            format!(
                "<html><body><p>{}</p></body></html>\n",
                random.words(20_000)
            )
        } else {
            let size = 1000 + random.below(5000) as usize;
            random.words(size)
        };
        let content_type = if body.starts_with("<html>") {
            "text/html"
        } else {
            "text/plain"
        };
        let common = format!(
            "Date: {date}\nMessage-ID: <{i}.{at}@bench.example>\nMIME-Version: 1.0\n\
             Content-Type: {content_type}; charset=\"UTF-8\"\nContent-Transfer-Encoding: 8bit\n"
        );
        let (folder, text) = match roll {
            0..=9 => (&sent, format!(
                "From: Ann Smith <ann@acme.example>\nTo: Lead {lead} <{}>\nSubject: {subject}\n{common}\n{body}",
                lead_email(lead)
            )),
            10..=19 => (&inbox, format!(
                "From: Lead {lead} <{}>\nTo: Ann Smith <ann@acme.example>\nSubject: Re: {subject}\n{common}\n{body}",
                lead_email(lead)
            )),
            20..=21 => (&inbox, format!(
                "From: MAILER-DAEMON@mail.acme.example (Mail Delivery System)\nTo: ann@acme.example\n\
                 Subject: Undelivered Mail Returned to Sender\nAuto-Submitted: auto-replied\n\
                 Date: {date}\nMessage-ID: <bounce.{i}@mail.acme.example>\nMIME-Version: 1.0\n\
                 Content-Type: multipart/report; report-type=delivery-status; boundary=\"b{i}\"\n\n\
                 --b{i}\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n\
                 --b{i}\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mail.acme.example\n\n\
                 Final-Recipient: rfc822; {}\nAction: failed\nStatus: 5.1.1\n\n--b{i}--\n",
                lead_email(lead)
            )),
            22..=41 => (&inbox, format!(
                "From: Weekly News <news@list{}.example>\nTo: ann@acme.example\nSubject: {subject}\n\
                 List-Id: <weekly.list{}.example>\nList-Unsubscribe: <mailto:leave@list.example>\n\
                 Precedence: bulk\n{common}\n{body}",
                lead % 50,
                lead % 50
            )),
            _ => (&inbox, format!(
                "From: Person {lead} <person{lead}@elsewhere.example>\nTo: Ann Smith <ann@acme.example>\n\
                 Subject: {subject}\n{common}\n{body}"
            )),
        };
        write_message(folder, i, at, &text)?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(count), Some(maildir), Some(csv)) = (
        args.first().and_then(|n| n.parse::<u64>().ok()),
        args.get(1),
        args.get(2),
    ) else {
        eprintln!("usage: gen_mail COUNT MAILDIR LEADS_CSV");
        return ExitCode::from(2);
    };
    match run(count, Path::new(maildir), Path::new(csv)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("gen_mail: {err}");
            ExitCode::FAILURE
        }
    }
}
