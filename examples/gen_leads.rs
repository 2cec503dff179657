//! Writes a realistic leads CSV, as a CRM would export it, for the benchmark.
//!
//! ```sh
//! cargo run --release --example gen_leads -- 1000000 --seed 42 -o bench-data/leads.csv
//! ```
//!
//! The same N and seed give the same bytes. The file has the headers of a common CRM export,
//! names from many scripts (accents, Cyrillic, CJK), quoted notes with commas, quotes and
//! newlines, company sizes written several ways, ISO dates with and without a time, and
//! about 1.5% rows whose email repeats an earlier row's in a different letter case (the
//! same person signing up twice), which an import must recognise as duplicates.
//! A row is about 200 bytes, so a million rows make about 200 MB.
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

/// The header row, as a CRM export names its columns.
const HEADERS: [&str; 15] = [
    "First Name",
    "Last Name",
    "Email",
    "Phone",
    "Company",
    "Title",
    "Industry",
    "Employees",
    "Country",
    "Website",
    "Lead Source",
    "Lead Status",
    "Created Date",
    "Tags",
    "Notes",
];

/// One in this many rows (about 1.5%) repeats an earlier person's email in another case.
const DUPLICATE_PER_MILLE: u64 = 15;

/// A name as written, and as it appears in an email address.
type Name = (&'static str, &'static str);

const FIRST_NAMES: &[Name] = &[
    ("Ada", "ada"),
    ("James", "james"),
    ("Mary", "mary"),
    ("Robert", "robert"),
    ("Patricia", "patricia"),
    ("Michael", "michael"),
    ("Linda", "linda"),
    ("Olivia", "olivia"),
    ("Noah", "noah"),
    ("Emma", "emma"),
    ("Liam", "liam"),
    ("Zoë", "zoe"),
    ("Chloé", "chloe"),
    ("Hélène", "helene"),
    ("François", "francois"),
    ("Jérôme", "jerome"),
    ("Amélie", "amelie"),
    ("José", "jose"),
    ("María", "maria"),
    ("Sofía", "sofia"),
    ("Iñaki", "inaki"),
    ("João", "joao"),
    ("Jürgen", "jurgen"),
    ("Björn", "bjorn"),
    ("Søren", "soren"),
    ("Åsa", "asa"),
    ("Łukasz", "lukasz"),
    ("Zuzana", "zuzana"),
    ("Ömer", "omer"),
    ("Ayşe", "ayse"),
    ("Дмитрий", "dmitry"),
    ("Анна", "anna"),
    ("Ольга", "olga"),
    ("Сергей", "sergey"),
    ("Олена", "olena"),
    ("伟", "wei"),
    ("芳", "fang"),
    ("静", "jing"),
    ("翔太", "shota"),
    ("さくら", "sakura"),
    ("민준", "minjun"),
    ("Priya", "priya"),
    ("Arjun", "arjun"),
    ("Fatima", "fatima"),
    ("محمد", "mohamed"),
    ("Kwame", "kwame"),
    ("Ngozi", "ngozi"),
    ("Aroha", "aroha"),
];

const LAST_NAMES: &[Name] = &[
    ("Smith", "smith"),
    ("Johnson", "johnson"),
    ("Williams", "williams"),
    ("Brown", "brown"),
    ("Lovelace", "lovelace"),
    ("O'Brien", "obrien"),
    ("McAllister", "mcallister"),
    ("van der Berg", "vanderberg"),
    ("Dubois", "dubois"),
    ("Lefèvre", "lefevre"),
    ("Girard-Côté", "girardcote"),
    ("García", "garcia"),
    ("Núñez", "nunez"),
    ("Gonçalves", "goncalves"),
    ("Müller", "muller"),
    ("Schröder", "schroder"),
    ("Weiß", "weiss"),
    ("Ødegård", "odegard"),
    ("Nowak", "nowak"),
    ("Dvořák", "dvorak"),
    ("Yılmaz", "yilmaz"),
    ("Иванов", "ivanov"),
    ("Петрова", "petrova"),
    ("Шевченко", "shevchenko"),
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("佐藤", "sato"),
    ("鈴木", "suzuki"),
    ("김", "kim"),
    ("Patel", "patel"),
    ("Nguyễn", "nguyen"),
    ("Mensah", "mensah"),
    ("Okafor", "okafor"),
    ("Al-Farsi", "alfarsi"),
    ("Ngata", "ngata"),
];

const COMPANY_STEMS: &[Name] = &[
    ("Acme", "acme"),
    ("Globex", "globex"),
    ("Initech", "initech"),
    ("Nordwind", "nordwind"),
    ("Bäckerei Sonne", "baeckerei-sonne"),
    ("Café Lumière", "cafe-lumiere"),
    ("Blue Harbor", "blueharbor"),
    ("Pinecrest", "pinecrest"),
    ("Redwood", "redwood"),
    ("Северсталь Трейд", "severtrade"),
    ("東京テック", "tokyotech"),
    ("华北物流", "huabei-logistics"),
    ("Ørsted Byg", "orsted-byg"),
    ("Ñandú", "nandu"),
    ("Brightline", "brightline"),
    ("Keystone", "keystone"),
    ("Summit", "summit"),
    ("Hollis & Finch", "hollisfinch"),
    ("Quantum Leaf", "quantumleaf"),
    ("Tidewater", "tidewater"),
];

const COMPANY_KINDS: &[&str] = &[
    "Software",
    "Logistics",
    "Consulting",
    "Dental",
    "Foods",
    "Analytics",
    "Builders",
    "Health",
    "Labs",
    "Partners",
];

const COMPANY_FORMS: &[&str] = &[
    "", "", " Inc.", " Ltd", " LLC", " GmbH", " SA", " S.r.l.", " AB", " Pty Ltd", ", Inc.",
];

/// Company sizes in employees, each band equally likely.
const SIZE_BANDS: &[(u64, u64)] = &[
    (1, 9),
    (1, 9),
    (10, 49),
    (10, 49),
    (50, 199),
    (200, 999),
    (1000, 4999),
    (5000, 60000),
];

const TLDS: &[&str] = &[
    "com", "com", "com", "io", "co.uk", "de", "fr", "es", "jp", "net",
];

const TITLES: &[&str] = &[
    "CEO",
    "Founder",
    "Owner",
    "CTO",
    "VP of Sales",
    "VP Marketing",
    "Head of Operations",
    "Director of IT",
    "Marketing Manager",
    "Office Manager",
    "Procurement Lead",
    "Software Engineer",
    "Account Executive",
    "Directrice générale",
    "Geschäftsführer",
    "Генеральный директор",
    "営業部長",
    "",
];

const INDUSTRIES: &[&str] = &[
    "Software",
    "Manufacturing",
    "Retail",
    "Healthcare",
    "Financial Services",
    "Education",
    "Construction",
    "Hospitality",
    "Logistics",
    "Professional Services",
    "Non-profit",
    "Real Estate",
    "",
];

const COUNTRIES: &[&str] = &[
    "United States",
    "United States",
    "US",
    "USA",
    "Canada",
    "United Kingdom",
    "UK",
    "Germany",
    "DE",
    "France",
    "España",
    "Brasil",
    "Россия",
    "日本",
    "中国",
    "India",
    "Nigeria",
    "Australia",
    "New Zealand",
    "",
];

const SOURCES: &[&str] = &[
    "Web Form",
    "Web",
    "Website",
    "Referral",
    "Employee Referral",
    "Trade Show",
    "Conference",
    "Webinar",
    "Content Download",
    "Newsletter",
    "Email Campaign",
    "Cold Call",
    "Cold Outreach",
    "LinkedIn",
    "Social",
    "Google Ads",
    "Advertising",
    "Partner",
    "Purchased List",
    "Chamber of Commerce",
    "Networking Event",
    "Direct Mail",
    "Other",
    "",
];

const STATUSES: &[&str] = &[
    "New",
    "New",
    "New",
    "Open - Not Contacted",
    "Working - Contacted",
    "Working - Contacted",
    "Nurturing",
    "Qualified",
    "Closed - Converted",
    "Closed - Not Converted",
    "Unqualified",
    "",
];

const TAGS: &[&str] = &[
    "vip",
    "newsletter",
    "q3-campaign",
    "renewal",
    "enterprise",
    "smb",
    "partner",
    "hot",
    "follow-up",
    "event-2025",
    "tiếng-việt",
    "français",
];

const NOTE_OPENINGS: &[&str] = &[
    "Met at the booth, very interested in the annual plan",
    "Asked for pricing, wants a demo next week",
    "Called back, said \"send me the deck\"",
    "Not the decision maker; her manager, Tom, signs off",
    "Budget approved for Q3, timeline: before end of year",
    "Prefers email, no calls before 10am",
    "Downloaded the whitepaper twice",
    "Rencontré au salon, très intéressé",
    "Möchte ein Angebot, bitte bis Freitag",
    "Перезвонить после праздников",
    "展示会で名刺交換、来月フォロー",
    "Uses a competitor, contract ends in March",
];

const NOTE_FOLLOWS: &[&str] = &[
    "Follow up in two weeks.",
    "Sent the brochure, pricing sheet, and case study.",
    "Wants: onboarding, SSO, and an invoice in EUR.",
    "Spoke with IT as well; they liked it.",
    "P.S. spells her name with an accent: Zoë.",
    "Next step, a call with the CFO.",
];

/// A small, fast, well-mixed generator (splitmix64): the benchmark needs no crate for this.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in 0..n (n > 0); the slight modulo bias does not matter here.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Each row draws from its own generator, so that a duplicate row can rebuild the person
/// of any earlier row without the generator keeping every email in memory.
fn row_rng(seed: u64, row: u64) -> Rng {
    let mut mix = Rng::new(seed ^ row.wrapping_mul(0xD6E8_FEB8_6659_FD93));
    Rng::new(mix.next())
}

/// Whether a row repeats an earlier person (decided by the row alone, so it can be asked
/// about any row).
fn is_duplicate(seed: u64, row: u64) -> bool {
    row > 0 && row_rng(seed ^ 0xD0B1, row).chance(DUPLICATE_PER_MILLE)
}

/// The person of a row: names, company and the email built from them. The row number in
/// the address keeps every person's email distinct, so the only duplicates are planted ones.
struct Person {
    first: Name,
    last: Name,
    company: String,
    domain: String,
    email: String,
}

fn person(seed: u64, row: u64) -> Person {
    let mut rng = row_rng(seed, row);
    let first = rng.pick(FIRST_NAMES);
    let last = rng.pick(LAST_NAMES);
    let stem = rng.pick(COMPANY_STEMS);
    let kind = rng.pick(COMPANY_KINDS);
    let form = rng.pick(COMPANY_FORMS);
    let tld = rng.pick(TLDS);
    let company = format!("{} {}{}", stem.0, kind, form);
    let domain = format!("{}.{}", stem.1, tld);
    let email = match rng.below(4) {
        0 => format!("{}.{}{}@{}", first.1, last.1, row, domain),
        1 => format!("{}{}{}@{}", &first.1[..1], last.1, row, domain),
        2 => format!("{}_{}{}@{}", first.1, last.1, row, domain),
        _ => format!("{}{}@{}", first.1, row, domain),
    };
    Person {
        first,
        last,
        company,
        domain,
        email,
    }
}

/// The same address in another letter case, as a person typing it again would.
fn recased(email: &str, rng: &mut Rng) -> String {
    match rng.below(3) {
        0 => email.to_uppercase(),
        1 => {
            // Capitalise the first letter of each part: "Ada.Lovelace12@Acme-Labs.com".
            let mut out = String::with_capacity(email.len());
            let mut start = true;
            for c in email.chars() {
                out.push(if start { c.to_ascii_uppercase() } else { c });
                start = matches!(c, '.' | '@' | '_' | '-');
            }
            out
        }
        _ => match email.split_once('@') {
            Some((local, domain)) => format!("{local}@{}", domain.to_uppercase()),
            None => email.to_uppercase(),
        },
    }
}

/// What was written, for the summary on stderr and the tests.
#[derive(Debug, Default, PartialEq)]
pub struct Written {
    pub rows: u64,
    pub duplicates: u64,
    pub bytes: u64,
}

/// Counts the bytes going through, so the summary can say the file's size.
struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Write `rows` leads (plus the header) generated from `seed` to `out`.
pub fn write_leads(out: impl Write, rows: u64, seed: u64) -> io::Result<Written> {
    let mut csv = csv::WriterBuilder::new()
        .buffer_capacity(1 << 16)
        .from_writer(Counting {
            inner: out,
            bytes: 0,
        });
    csv.write_record(HEADERS)?;
    let mut written = Written::default();
    // Reused buffers: a million rows should take seconds, not allocations.
    let (mut phone, mut size, mut website, mut created, mut tags, mut notes) = (
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    );
    for row in 0..rows {
        let mut rng = row_rng(seed ^ 0x5EED, row);
        let mut who = person(seed, row);
        if is_duplicate(seed, row) {
            // Someone already in the file signs up again, typing the email differently.
            let mut earlier = rng.below(row);
            while is_duplicate(seed, earlier) {
                earlier = rng.below(row);
            }
            let original = person(seed, earlier);
            who.email = recased(&original.email, &mut rng);
            who.first = original.first;
            who.last = original.last;
            written.duplicates += 1;
        }

        phone.clear();
        if !rng.chance(120) {
            let (a, b, c) = (rng.below(800) + 200, rng.below(900) + 100, rng.below(10000));
            use std::fmt::Write as _;
            let _ = match rng.below(4) {
                0 => write!(phone, "+1 {a}-{b}-{c:04}"),
                1 => write!(phone, "({a}) {b}-{c:04}"),
                2 => write!(phone, "+44 20 {b}{} {c:04}", a % 10),
                _ => write!(phone, "+49 30 {a}{b}{c:04}"),
            };
        }

        size.clear();
        if !rng.chance(150) {
            // Many small firms, few large; integers only, so every platform writes the same.
            let (low, high) = rng.pick(SIZE_BANDS);
            let employees = low + rng.below(high - low + 1);
            use std::fmt::Write as _;
            let _ = if employees >= 1000 && rng.chance(300) {
                write!(size, "{},{:03}", employees / 1000, employees % 1000)
            } else {
                write!(size, "{employees}")
            };
        }

        website.clear();
        if rng.chance(500) {
            website.push_str("https://www.");
            website.push_str(&who.domain);
        }

        created.clear();
        {
            use std::fmt::Write as _;
            // Spread over 2023-01-01 .. 2026-02-28.
            let day = chrono::NaiveDate::from_ymd_opt(2023, 1, 1)
                .and_then(|d| d.checked_add_days(chrono::Days::new(rng.below(1155))))
                .unwrap_or_default();
            let _ = if rng.chance(500) {
                write!(created, "{day}")
            } else {
                write!(created, "{day} {:02}:{:02}", rng.below(24), rng.below(60))
            };
        }

        tags.clear();
        for _ in 0..rng.below(5).saturating_sub(2) {
            let tag = rng.pick(TAGS);
            if !tags.split(", ").any(|t| t == tag) {
                if !tags.is_empty() {
                    tags.push_str(", ");
                }
                tags.push_str(tag);
            }
        }

        notes.clear();
        if rng.chance(400) {
            notes.push_str(rng.pick(NOTE_OPENINGS));
            match rng.below(3) {
                0 => {}
                1 => {
                    notes.push_str(". ");
                    notes.push_str(rng.pick(NOTE_FOLLOWS));
                }
                _ => {
                    notes.push_str(".\n");
                    notes.push_str(rng.pick(NOTE_FOLLOWS));
                }
            }
        }

        csv.write_record([
            who.first.0,
            who.last.0,
            &who.email,
            &phone,
            &who.company,
            rng.pick(TITLES),
            rng.pick(INDUSTRIES),
            &size,
            rng.pick(COUNTRIES),
            &website,
            rng.pick(SOURCES),
            rng.pick(STATUSES),
            &created,
            &tags,
            &notes,
        ])?;
        written.rows += 1;
    }
    csv.flush()?;
    let counting = csv
        .into_inner()
        .map_err(|err| io::Error::other(err.to_string()))?;
    written.bytes = counting.bytes;
    Ok(written)
}

const USAGE: &str = "usage: gen_leads ROWS [--seed S] [-o FILE]";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("gen_leads: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let (mut rows, mut seed, mut output) = (None, 42u64, None);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seed" => {
                let value = args.next().ok_or(USAGE)?;
                seed = value
                    .parse()
                    .map_err(|_| format!("invalid seed '{value}' (expected a whole number)"))?;
            }
            "-o" | "--output" => output = Some(args.next().ok_or(USAGE)?),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            _ if rows.is_none() => {
                rows = Some(arg.replace('_', "").parse::<u64>().map_err(|_| {
                    format!("invalid row count '{arg}' (expected a whole number)\n{USAGE}")
                })?)
            }
            _ => return Err(format!("unexpected argument '{arg}'\n{USAGE}")),
        }
    }
    let rows = rows.ok_or(USAGE)?;
    let written = match &output {
        Some(path) => {
            let file = File::create(path).map_err(|err| format!("cannot create {path}: {err}"))?;
            write_leads(BufWriter::new(file), rows, seed)
        }
        None => write_leads(io::stdout().lock(), rows, seed),
    };
    match written {
        Ok(written) => {
            eprintln!(
                "gen_leads: {} rows ({} repeat an earlier email in another case), {} bytes",
                written.rows, written.duplicates, written.bytes
            );
            Ok(())
        }
        // `| head` closes the pipe: not an error.
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(err) => Err(err.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn generate(rows: u64, seed: u64) -> (Vec<u8>, Written) {
        let mut bytes = Vec::new();
        let written = write_leads(&mut bytes, rows, seed).unwrap();
        (bytes, written)
    }

    fn records(bytes: &[u8]) -> Vec<csv::StringRecord> {
        csv::Reader::from_reader(bytes)
            .records()
            .map(|r| r.unwrap())
            .collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_file_and_another_seed_another() {
        let (a, _) = generate(500, 7);
        let (b, _) = generate(500, 7);
        let (c, _) = generate(500, 8);
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn every_row_reads_back_with_all_fifteen_columns() {
        let (bytes, written) = generate(2000, 42);
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        assert_eq!(reader.headers().unwrap(), HEADERS.as_slice());
        let records = records(&bytes);
        assert_eq!(records.len(), 2000);
        assert!(records.iter().all(|r| r.len() == 15));
        assert_eq!(written.rows, 2000);
        assert_eq!(written.bytes, bytes.len() as u64);
    }

    #[test]
    fn rows_are_about_200_bytes() {
        let (_, written) = generate(20_000, 42);
        let per_row = written.bytes / written.rows;
        assert!((170..=230).contains(&per_row), "{per_row} bytes per row");
    }

    #[test]
    fn about_one_and_a_half_percent_of_emails_repeat_in_another_case_only() {
        let (bytes, written) = generate(20_000, 42);
        let mut seen: HashMap<String, String> = HashMap::new();
        let mut repeats = 0;
        for record in records(&bytes) {
            let email = record[2].to_string();
            match seen.get(&email.to_lowercase()) {
                Some(first) => {
                    assert_ne!(first, &email, "a repeat differs from the first in case");
                    repeats += 1;
                }
                None => {
                    seen.insert(email.to_lowercase(), email);
                }
            }
        }
        assert_eq!(repeats, written.duplicates);
        assert!(
            (200..=400).contains(&repeats),
            "{repeats} repeats in 20,000"
        );
    }

    #[test]
    fn notes_hold_commas_quotes_newlines_and_names_many_scripts() {
        let (bytes, _) = generate(2000, 42);
        let records = records(&bytes);
        let notes = |pattern: char| records.iter().any(|r| r[14].contains(pattern));
        assert!(notes(',') && notes('"') && notes('\n'));
        let names: String = records
            .iter()
            .map(|r| format!("{}{}", &r[0], &r[1]))
            .collect();
        assert!(names.contains('é') && names.contains('Д') && names.contains('王'));
    }

    #[test]
    fn dates_are_iso_with_and_without_a_time() {
        let (bytes, _) = generate(1000, 42);
        let records = records(&bytes);
        let date = |r: &csv::StringRecord| chrono::NaiveDate::parse_from_str(&r[12], "%Y-%m-%d");
        let date_time =
            |r: &csv::StringRecord| chrono::NaiveDateTime::parse_from_str(&r[12], "%Y-%m-%d %H:%M");
        assert!(records
            .iter()
            .all(|r| date(r).is_ok() || date_time(r).is_ok()));
        assert!(records.iter().any(|r| date(r).is_ok()));
        assert!(records.iter().any(|r| date_time(r).is_ok()));
    }
}
