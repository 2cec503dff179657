//! Likely duplicates (`leads duplicates`), and the leads of an import that look like
//! leads already there (the hint after `leads import`).
//!
//! Never quadratic: each lead gives a few normalized keys (its email folded as the store
//! folds it, its phone's last digits, its name at its company, its name with its email's
//! domain), one pass over the leads puts them in a map, and a lead pairs with the first
//! lead (lowest id) that had the same key. A hundred people of one name at one company
//! are 99 pairs, each with the lead they would be merged into, not 4,950.
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};

use anyhow::Result;

use crate::model::Lead;
use crate::store::{fold, Identity, Store};

/// What two leads have in common.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Why {
    Email,
    Phone,
    NameAndCompany,
    NameAndDomain,
}

impl Why {
    pub fn describe(self) -> &'static str {
        match self {
            Why::Email => "same email",
            Why::Phone => "same phone digits",
            Why::NameAndCompany => "same name at the same company",
            Why::NameAndDomain => "same name with the same email domain",
        }
    }
}

/// Two leads that are likely one person: `lead` (the lower id, the one to keep by
/// default) and `other`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub lead: i64,
    pub other: i64,
    /// In the order of `Why`; the email domain is left unsaid when the email is the same.
    pub why: Vec<Why>,
    pub name: String,
    pub other_name: String,
}

/// The keys a lead is recognised by, each with its kind.
pub fn keys(identity: &Identity) -> Vec<(Why, String)> {
    let mut keys = Vec::with_capacity(4);
    let email = text(&identity.email).map(fold);
    if let Some(email) = email.as_deref().filter(|email| email.contains('@')) {
        keys.push((Why::Email, email.to_string()));
    }
    if let Some(phone) = identity.phone.as_deref().and_then(phone_key) {
        keys.push((Why::Phone, phone));
    }
    let name = words(&format!(
        "{} {}",
        identity.first_name.as_deref().unwrap_or_default(),
        identity.last_name.as_deref().unwrap_or_default()
    ));
    if !name.is_empty() {
        let company = words(identity.company.as_deref().unwrap_or_default());
        if !company.is_empty() {
            keys.push((Why::NameAndCompany, format!("{name}\u{1f}{company}")));
        }
        let domain = email
            .as_deref()
            .and_then(|email| email.rsplit_once('@'))
            .map(|(_, domain)| domain.trim())
            .filter(|domain| !domain.is_empty());
        if let Some(domain) = domain {
            keys.push((Why::NameAndDomain, format!("{name}\u{1f}{domain}")));
        }
    }
    keys
}

/// Every likely pair of duplicates among the leads (forgotten ones left out), by the
/// lower id, then the other.
pub fn find(store: &Store) -> Result<Vec<Pair>> {
    let mut first_with: HashMap<(Why, String), i64> = HashMap::new();
    // The names of the leads that came first with some key: only they can be named later.
    let mut names: HashMap<i64, String> = HashMap::new();
    let mut pairs: BTreeMap<(i64, i64), (Vec<Why>, String)> = BTreeMap::new();
    store.for_each_identity(|identity| {
        let mut name = None;
        for (why, key) in keys(&identity) {
            match first_with.entry((why, key)) {
                Entry::Occupied(first) => {
                    pairs
                        .entry((*first.get(), identity.id))
                        .or_insert_with(|| (Vec::new(), display_name(&identity)))
                        .0
                        .push(why);
                }
                Entry::Vacant(slot) => {
                    slot.insert(identity.id);
                    let name = name.get_or_insert_with(|| display_name(&identity));
                    names.entry(identity.id).or_insert_with(|| name.clone());
                }
            }
        }
    })?;
    Ok(pairs
        .into_iter()
        .map(|((lead, other), (mut why, other_name))| {
            why.sort_unstable();
            why.dedup();
            if why.contains(&Why::Email) {
                why.retain(|why| *why != Why::NameAndDomain);
            }
            Pair {
                lead,
                other,
                why,
                name: names.get(&lead).cloned().unwrap_or_default(),
                other_name,
            }
        })
        .collect())
}

/// How many leads of import batch `batch` look like a lead that was there before it, by
/// the phone's digits or the name at the company (the email is the import's own
/// duplicate check). Only keys' hashes are kept: a count need not be exact to the last
/// collision, and a million leads fit in a few megabytes.
pub fn lookalikes_in_batch(store: &Store, batch: i64) -> Result<u64> {
    let mut before: HashSet<u64> = HashSet::new();
    let mut imported: Vec<Vec<u64>> = Vec::new();
    store.for_each_identity(|identity| {
        let hashes = keys(&identity)
            .into_iter()
            .filter(|(why, _)| matches!(why, Why::Phone | Why::NameAndCompany))
            .map(|key| hash(&key));
        if identity.batch == Some(batch) {
            imported.push(hashes.collect());
        } else {
            before.extend(hashes);
        }
    })?;
    Ok(imported
        .iter()
        .filter(|hashes| hashes.iter().any(|hash| before.contains(hash)))
        .count() as u64)
}

fn hash(key: &(Why, String)) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x6d_65_72_67_65).hash_one(key)
}

/// What two phone numbers are compared by (the one rule, in `model`).
pub use crate::model::phone_key;

/// A text with something in it, trimmed.
fn text(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

/// Folded, its words joined by one space: `  Ada   LOVELACE ` is `ada lovelace`.
fn words(text: &str) -> String {
    fold(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The name a table shows, as `Lead::name` gives it.
fn display_name(identity: &Identity) -> String {
    Lead {
        first_name: identity.first_name.clone(),
        last_name: identity.last_name.clone(),
        company: identity.company.clone(),
        email: identity.email.clone(),
        phone: identity.phone.clone(),
        ..Lead::default()
    }
    .name()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(id: i64, fields: &[(&str, &str)]) -> Identity {
        let mut identity = Identity {
            id,
            ..Identity::default()
        };
        for (field, value) in fields {
            let value = Some(value.to_string());
            match *field {
                "first" => identity.first_name = value,
                "last" => identity.last_name = value,
                "company" => identity.company = value,
                "email" => identity.email = value,
                "phone" => identity.phone = value,
                other => panic!("no field {other}"),
            }
        }
        identity
    }

    #[test]
    fn keys_are_normalized_so_that_spellings_of_one_person_agree() {
        type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a [(Why, &'a str)]);
        let cases: [Case<'_>; 6] = [
            (
                "email folded beyond ASCII",
                &[("email", " JÖRG@X.example ")],
                &[(Why::Email, "jörg@x.example")],
            ),
            (
                "a phone with its country code, by its last nine digits",
                &[("phone", "+44 (0)20 7946-0958")],
                &[(Why::Phone, "079460958")],
            ),
            (
                "a short local number whole",
                &[("phone", "946 0958")],
                &[(Why::Phone, "9460958")],
            ),
            ("too few digits", &[("phone", "ext. 12")], &[]),
            (
                "a name at a company, spaces and case aside",
                &[
                    ("first", " Ada "),
                    ("last", "LOVELACE"),
                    ("company", "Analytical  Engines"),
                ],
                &[(Why::NameAndCompany, "ada lovelace\u{1f}analytical engines")],
            ),
            (
                "a name with an email's domain",
                &[("first", "Ada"), ("email", "ada@Engines.example")],
                &[
                    (Why::Email, "ada@engines.example"),
                    (Why::NameAndDomain, "ada\u{1f}engines.example"),
                ],
            ),
        ];
        for (case, fields, expected) in cases {
            let got = keys(&identity(1, fields));
            let expected: Vec<(Why, String)> = expected
                .iter()
                .map(|(why, key)| (*why, key.to_string()))
                .collect();
            assert_eq!(got, expected, "{case}");
        }
    }

    #[test]
    fn a_company_alone_or_a_name_alone_is_no_key() {
        assert!(keys(&identity(1, &[("company", "Acme")])).is_empty());
        assert!(keys(&identity(1, &[("first", "Ada")])).is_empty());
    }
}
