//! Generates a sales history for measuring `leads learn`: closed (won/lost) and open leads
//! with about 30 columns (fields, tags, imported attributes, activities), the outcome drawn
//! from a known model with noise. Prints the generator's own AUC: the best any model can do.
//!
//! cargo run --release --example win_history -- /tmp/history.db 100000 1000 [SEED]
//! time LEADS_DB=/tmp/history.db target/release/leads learn
use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, Utc};
use leads::learning::auc;
use leads::model::{ActivityKind, Answer, Lead, Status};
use leads::store::Store;

/// splitmix64: seeded, so a history is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut x = self.0;
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^= x >> 31;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() * n as f64) as usize % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, p: f64) -> bool {
        self.next() < p
    }
}

const SOURCES: [&str; 8] = [
    "referral",
    "web_form",
    "trade_show",
    "webinar",
    "cold_outreach",
    "purchased_list",
    "partner",
    "advertising",
];
const INDUSTRIES: [&str; 6] = [
    "software",
    "retail",
    "logistics",
    "finance",
    "health",
    "manufacturing",
];
const COUNTRIES: [&str; 5] = ["de", "fr", "us", "uk", "es"];
const TITLES: [&str; 6] = [
    "CEO",
    "Head of Sales",
    "Marketing Manager",
    "Intern",
    "IT Director",
    "Office Assistant",
];
const TAGS: [&str; 6] = ["vip", "newsletter", "partner", "trial", "churned", "event"];
const PLANS: [&str; 4] = ["enterprise", "team", "starter", "free"];
const REGIONS: [&str; 4] = ["north", "south", "east", "west"];
const OWNERS: [&str; 5] = ["anna", "ben", "chris", "dana", "eve"];
const KINDS: [ActivityKind; 6] = [
    ActivityKind::EmailSent,
    ActivityKind::EmailReplied,
    ActivityKind::Call,
    ActivityKind::Meeting,
    ActivityKind::Demo,
    ActivityKind::Visit,
];

/// One lead, its activity counts by kind (in `KINDS` order) and its true chance of a win.
fn lead(rng: &mut Rng, index: usize, created: DateTime<Utc>) -> (Lead, [u32; 6], f64) {
    let source = rng.pick(&SOURCES);
    let industry = rng.pick(&INDUSTRIES);
    let title = rng.pick(&TITLES);
    let plan = rng.pick(&PLANS);
    let size = (10.0 * (rng.next() * 8.0).exp()) as i64;
    let free_mail = rng.chance(0.3);
    let budget = [Answer::Yes, Answer::No, Answer::Unknown][rng.below(3)];
    let counts = KINDS.map(|_| (rng.next() * rng.next() * 6.0) as u32);
    let mut tags: Vec<String> = TAGS
        .iter()
        .filter(|_| rng.chance(0.2))
        .map(|t| t.to_string())
        .collect();
    tags.sort();
    let z = match source {
        "referral" => 1.2,
        "partner" => 0.8,
        "purchased_list" => -1.0,
        "cold_outreach" => -0.6,
        _ => 0.0,
    } + match plan {
        "enterprise" => 0.9,
        "free" => -0.7,
        _ => 0.0,
    } + if title.contains("CEO") || title.contains("Head") || title.contains("Director") {
        0.6
    } else {
        0.0
    } + if free_mail { -0.5 } else { 0.2 }
        + if budget == Answer::Yes { 0.7 } else { 0.0 }
        + 0.25 * (size as f64).ln_1p()
        + 0.5 * f64::from(counts[3].min(3))
        + 0.9 * f64::from(counts[4].min(2))
        + 0.3 * f64::from(counts[1].min(3))
        + if tags.iter().any(|t| t == "churned") {
            -1.2
        } else {
            0.0
        }
        - 3.0;
    let mut lead = Lead {
        first_name: Some(format!("First{index}")),
        last_name: Some(format!("Last{index}")),
        email: Some(if free_mail {
            format!("lead{index}@gmail.com")
        } else {
            format!("lead{index}@company{}.com", index % 997)
        }),
        phone: rng.chance(0.6).then(|| format!("+49 30 {index:07}")),
        company: Some(format!("Company {}", index % 997)),
        title: Some(title.into()),
        industry: Some(industry.into()),
        company_size: Some(size),
        country: Some(rng.pick(&COUNTRIES).into()),
        website: rng.chance(0.5).then(|| "https://example.com".into()),
        source: Some(source.into()),
        source_detail: Some(format!("campaign {}", rng.below(40))),
        tags,
        incentivized: rng.chance(0.2),
        aware: rng.chance(0.5),
        budget,
        authority: [Answer::Yes, Answer::No, Answer::Unknown][rng.below(3)],
        created_at: Some(created),
        updated_at: Some(created),
        ..Lead::default()
    };
    let attributes = [
        ("Plan", plan.to_string()),
        ("Region", rng.pick(&REGIONS).to_string()),
        ("Owner", rng.pick(&OWNERS).to_string()),
        ("Annual Revenue", format!("{}", (rng.next() * 5e6) as u64)),
        ("Web Visits", format!("{}", rng.below(60))),
        ("Old Score", format!("{}", rng.below(100))),
        ("Segment", format!("seg{}", rng.below(12))),
        ("Language", rng.pick(&["de", "en", "fr"]).to_string()),
        ("Lead ID", format!("X{index}")),
    ];
    for (key, value) in attributes {
        lead.attributes.insert(key.into(), value);
    }
    (lead, counts, 1.0 / (1.0 + (-z).exp()))
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    const USAGE: &str = "usage: win_history DB [CLOSED] [OPEN] [SEED]  (writes a generated \
                         history of CLOSED won/lost leads, default 100000, and OPEN open ones, \
                         default 1000; SEED, default 2026, draws another history)";
    let path = args.next().context(USAGE)?;
    if path.starts_with('-') {
        println!("{USAGE}");
        return Ok(());
    }
    let path = PathBuf::from(path);
    let closed: usize = args.next().map_or(Ok(100_000), |n| n.parse())?;
    let open: usize = args.next().map_or(Ok(1_000), |n| n.parse())?;
    let seed: u64 = args.next().map_or(Ok(2026), |n| n.parse())?;
    let store = Store::open(&path)?;
    let mut rng = Rng(seed);
    let start = DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z")?.with_timezone(&Utc);
    let (mut chances, mut outcomes) = (Vec::new(), Vec::new());
    store.write(|store| {
        for index in 0..closed + open {
            let created = start + Duration::minutes(index as i64);
            let (lead, counts, chance) = lead(&mut rng, index, created);
            let id = store.insert_lead(&lead)?;
            for (kind, count) in KINDS.iter().zip(counts) {
                for n in 0..count {
                    let at = created + Duration::days(i64::from(n) + 1);
                    store.add_activity(&leads::store::NewActivity::new(id, *kind, at))?;
                }
            }
            if index < closed {
                let won = rng.chance(chance);
                let status = if won { Status::Won } else { Status::Lost };
                store.change_status(id, None, status, created + Duration::days(30), None)?;
                chances.push(chance);
                outcomes.push(won);
            }
        }
        Ok(())
    })?;
    let won = outcomes.iter().filter(|w| **w).count();
    println!(
        "{closed} closed leads ({won} won, {} lost), {open} open; the generator's own AUC {:.3}",
        closed - won,
        auc(&chances, &outcomes).unwrap_or(0.5)
    );
    Ok(())
}
