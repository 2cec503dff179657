//! The seller's mail settings: their own addresses and aliases (`mail.me`) and the
//! addresses and domains whose mail is never logged (`mail.ignore`). Each is kept as a
//! comma-separated list of checked, lower-cased entries.
use std::collections::HashSet;

use super::email::check_email;

/// A list of addresses (and, where allowed, domains), matched without case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressList {
    addresses: HashSet<String>,
    /// Domains, each matching its subdomains too (`acme.example` covers `eu.acme.example`).
    domains: Vec<String>,
}

impl AddressList {
    /// Read a list as typed: `ann@acme.example, a.smith@acme.example`, `@news.example` or
    /// `news.example` for a domain when `domains` are allowed. Returns the entries as they
    /// are stored, or a message naming the entry that is neither.
    pub fn parse_entries(text: &str, domains: bool) -> Result<Vec<String>, String> {
        let mut entries: Vec<String> = Vec::new();
        for entry in text
            .split([',', ';', '\n'])
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            let bare = entry.trim_matches(['<', '>']);
            let checked = if bare.contains('@') && !bare.starts_with('@') {
                check_email(bare)
                    .map(|email| email.to_lowercase())
                    .map_err(|_| format!("'{entry}' is not an email address"))?
            } else if domains {
                check_domain(bare.trim_start_matches('@'))
                    .ok_or_else(|| format!("'{entry}' is neither an email address nor a domain"))?
            } else {
                return Err(format!(
                    "'{entry}' is not an email address (expected addresses such as \
                     ann@acme.example, separated by commas)"
                ));
            };
            if !entries.contains(&checked) {
                entries.push(checked);
            }
        }
        Ok(entries)
    }

    /// The list of stored entries (as `parse_entries` returns them).
    pub fn from_entries(entries: &[String]) -> AddressList {
        let mut list = AddressList::default();
        for entry in entries {
            if entry.contains('@') {
                list.addresses.insert(canonical(entry));
            } else {
                list.domains.push(entry.to_lowercase());
            }
        }
        list
    }

    pub fn is_empty(&self) -> bool {
        self.addresses.is_empty() && self.domains.is_empty()
    }

    /// Is this address on the list, itself or by its domain? `ann+leads@acme.example` is
    /// `ann@acme.example` (a sub-address reaches the same mailbox).
    pub fn contains(&self, email: &str) -> bool {
        let email = canonical(email);
        if self.addresses.contains(&email) {
            return true;
        }
        let Some((_, domain)) = email.rsplit_once('@') else {
            return false;
        };
        self.domains.iter().any(|listed| {
            domain == listed
                || domain
                    .strip_suffix(listed.as_str())
                    .is_some_and(|head| head.ends_with('.'))
        })
    }
}

/// Lower case, without a `+tag` sub-address.
fn canonical(email: &str) -> String {
    let email = email.trim();
    if email.is_ascii() {
        // Most addresses: one string made, not three (every message of a mailbox asks).
        let Some((local, domain)) = email.rsplit_once('@') else {
            return email.to_ascii_lowercase();
        };
        let local = local.split_once('+').map_or(local, |(base, _)| base);
        let mut canonical = String::with_capacity(local.len() + 1 + domain.len());
        canonical.push_str(local);
        canonical.push('@');
        canonical.push_str(domain);
        canonical.make_ascii_lowercase();
        return canonical;
    }
    let email = email.to_lowercase();
    match email.rsplit_once('@') {
        Some((local, domain)) => {
            let local = local.split_once('+').map_or(local, |(base, _)| base);
            format!("{local}@{domain}")
        }
        None => email,
    }
}

/// A domain name (`acme.example`), lower-cased; None when it is not one.
fn check_domain(text: &str) -> Option<String> {
    let domain = text.trim().trim_end_matches('.').to_lowercase();
    let labels: Vec<&str> = domain.split('.').collect();
    let good_label = |label: &&str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    (labels.len() >= 2 && domain.len() <= 253 && labels.iter().all(good_label)).then_some(domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_compared_lower_cased_without_its_tag() {
        assert_eq!(canonical(" Ann+news@Acme.Example "), "ann@acme.example");
        assert_eq!(canonical("ÅSA+x@Acme.example"), "åsa@acme.example");
        assert_eq!(canonical("a+b+c@X.example"), "a@x.example");
        assert_eq!(canonical("No-At+x"), "no-at+x");
    }

    #[test]
    fn entries_are_checked_and_lower_cased() {
        assert_eq!(
            AddressList::parse_entries(
                " Ann@Acme.example, <a.smith@acme.example>,ann@acme.example",
                false
            ),
            Ok(vec![
                "ann@acme.example".to_string(),
                "a.smith@acme.example".to_string()
            ])
        );
        assert_eq!(
            AddressList::parse_entries("@News.example, bulk.example., x@y.example", true),
            Ok(vec![
                "news.example".to_string(),
                "bulk.example".to_string(),
                "x@y.example".to_string()
            ])
        );
        assert!(AddressList::parse_entries("acme.example", false).is_err());
        assert!(AddressList::parse_entries("not a domain", true).is_err());
        assert!(AddressList::parse_entries("localhost", true).is_err());
        assert!(AddressList::parse_entries("bob@", true).is_err());
    }

    #[test]
    fn addresses_match_without_case_sub_addresses_and_subdomains() {
        let list = AddressList::from_entries(&["ann@acme.example".into(), "news.example".into()]);
        for yes in [
            "ANN@acme.EXAMPLE",
            "ann+leads@acme.example",
            "x@news.example",
            "x@eu.news.example",
        ] {
            assert!(list.contains(yes), "{yes}");
        }
        for no in [
            "anne@acme.example",
            "x@badnews.example",
            "news.example",
            "x@news.example.org",
        ] {
            assert!(!list.contains(no), "{no}");
        }
    }
}
