//! What the model may know about a lead: its facts (categories, numbers, attributes and
//! activity counts), never its status, scores or dates.
use crate::model::{ActivityKind, Answer, Lead};

/// Words of a job title that say nothing about seniority or function.
const TITLE_STOP_WORDS: [&str; 8] = ["of", "and", "the", "for", "to", "in", "at", "a"];
/// Email providers whose addresses say "private person", not "company".
const FREE_MAIL: [&str; 16] = [
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "aol.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "proton.me",
    "protonmail.com",
    "yandex.ru",
];

/// How many activities of each kind a lead had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ActivityCounts(pub [u32; ActivityKind::ALL.len()]);

impl ActivityCounts {
    pub fn add(&mut self, kind: ActivityKind, count: u32) {
        self.0[kind as usize] = self.0[kind as usize].saturating_add(count);
    }

    pub fn get(&self, kind: ActivityKind) -> u32 {
        self.0[kind as usize]
    }
}

/// What the model may know about a lead (never its status, scores or dates).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Facts {
    /// (field, value): one per single-valued field, several for tags and title words.
    pub categories: Vec<(&'static str, String)>,
    /// (field, number): company size.
    pub numbers: Vec<(&'static str, f64)>,
    /// Imported attributes (key, value), non-empty; the encoder decides which are numbers.
    pub attributes: Vec<(String, String)>,
    pub counts: ActivityCounts,
}

/// The facts of a lead and its activity counts. `outcome_column` names the attributes
/// that may spell out the outcome (kept from a status or source column the import did not
/// know, such as "Closed - Lost to competitor"): they are left out, like the status
/// itself. The caller knows the column names; this module knows no file format.
pub fn facts(lead: &Lead, counts: &ActivityCounts, outcome_column: impl Fn(&str) -> bool) -> Facts {
    let mut categories: Vec<(&'static str, String)> = Vec::new();
    let mut category = |field: &'static str, value: Option<&str>| {
        if let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) {
            categories.push((field, value.to_lowercase()));
        }
    };
    category("source", lead.source.as_deref());
    category("source detail", lead.source_detail.as_deref());
    category("industry", lead.industry.as_deref());
    category("country", lead.country.as_deref());
    for tag in &lead.tags {
        category("tag", Some(tag));
    }
    if let Some(title) = &lead.title {
        let mut words: Vec<String> = title
            .split(|c: char| !c.is_alphanumeric())
            .map(str::to_lowercase)
            .filter(|w| w.chars().count() > 1 && !TITLE_STOP_WORDS.contains(&w.as_str()))
            .collect();
        words.sort();
        words.dedup();
        for word in words {
            category("title word", Some(&word));
        }
    }
    let email = lead.email.as_deref().map(|email| {
        let domain = email.rsplit('@').next().unwrap_or("").to_lowercase();
        if FREE_MAIL.contains(&domain.as_str()) {
            "free mail"
        } else {
            "business"
        }
    });
    category("email", Some(email.unwrap_or("none")));
    let yes = |on: bool| on.then_some("yes");
    category("phone", yes(lead.phone.is_some()));
    category("company", yes(lead.company.is_some()));
    category("website", yes(lead.website.is_some()));
    category("incentivized", yes(lead.incentivized));
    category("aware of a follow-up", yes(lead.aware));
    // Not `do_not_contact`: it is often set because of the outcome (a lost lead asks not
    // to be called again), which would teach the model the answer instead of a cause.
    let answer = |answer: Answer| (answer != Answer::Unknown).then_some(answer.as_str());
    category("budget", answer(lead.budget));
    category("authority", answer(lead.authority));
    category("need", yes(lead.need.is_some()));
    category("timeline", yes(lead.timeline.is_some()));

    let numbers = lead
        .company_size
        .map(|size| vec![("company size", size as f64)])
        .unwrap_or_default();
    let attributes = lead
        .attributes
        .iter()
        .filter(|(key, _)| !outcome_column(key))
        .map(|(key, value)| (key.clone(), value.trim().to_string()))
        .filter(|(_, value)| !value.is_empty())
        .collect();
    Facts {
        categories,
        numbers,
        attributes,
        counts: *counts,
    }
}
