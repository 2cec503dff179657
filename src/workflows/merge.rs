//! Folding two (or more) records of one person into one: `leads merge KEEP OTHER...`.
//!
//! The rules, decided here once: KEEP's non-empty fields win and its empty ones take the
//! first non-empty value of the others, in the order given; an email or phone that
//! differs is kept in `attributes` (`email 2`, `phone 2`); tags are united, notes
//! appended, attributes merged (KEEP's value wins, the other's kept under `KEY (lead N)`);
//! the status is the one furthest along the pipeline; the flags (do not contact,
//! incentivized, aware) hold when any record has them; the lead dates from the earliest
//! record. The history moves over (the store moves the rows), one cadence stays active at
//! most, and the lead belongs to an import batch only when all its records came from it.
use std::collections::BTreeMap;

use anyhow::Result;

use crate::cadence::EndReason;
use crate::error::bad_input;
use crate::model::{normalize_tag, Answer, Lead, Status};
use crate::scoring::{Clock, Profile};
use crate::store::{fold, Moved, Store};
use crate::workflows::duplicates::phone_key;
use crate::workflows::touch::rescore;

/// The leads of a merge, read and checked: none forgotten, KEEP not among the others.
#[derive(Debug, Clone)]
pub struct Merge {
    pub keep: Lead,
    /// In the order given, each once.
    pub others: Vec<Lead>,
}

/// What a merge did.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The lead kept, as stored now (rescored).
    pub lead: Lead,
    pub moved: Moved,
    /// The cadences ended because KEEP (or an earlier other) already had one: lead id and
    /// cadence name.
    pub ended_cadences: Vec<(i64, String)>,
}

/// Read the leads of `leads merge KEEP OTHER...` and check they can be merged: an id
/// that does not exist is not found (exit 3); KEEP among the others, or a forgotten lead
/// (its data is gone, nothing to fold), is bad input (exit 65).
pub fn check(store: &Store, keep: i64, others: &[i64]) -> Result<Merge> {
    if others.contains(&keep) {
        return Err(bad_input(format!(
            "lead {keep} is both the lead to keep and one to merge into it: name it once, \
             first"
        )));
    }
    let mut unique: Vec<i64> = Vec::with_capacity(others.len());
    for id in others {
        if !unique.contains(id) {
            unique.push(*id);
        }
    }
    let keep = store.lead(keep)?;
    let others = unique
        .iter()
        .map(|id| store.lead(*id))
        .collect::<Result<Vec<_>>>()?;
    for lead in std::iter::once(&keep).chain(&others) {
        if lead.forgotten {
            return Err(bad_input(format!(
                "lead {} was forgotten (privacy): it cannot be merged (its data is gone); \
                 `leads delete {}` removes what is left of it",
                lead.id, lead.id
            )));
        }
    }
    Ok(Merge { keep, others })
}

/// Merge: check the leads again (inside the transaction), end the cadences one too many,
/// move the others' history onto KEEP, save its merged fields, delete the others and
/// rescore KEEP. Call inside `write` (or `write_then_discard` for a dry run).
pub fn merge(
    store: &Store,
    keep: i64,
    others: &[i64],
    profile: &Profile,
    clock: Clock,
) -> Result<Merged> {
    let Merge { keep, others } = check(store, keep, others)?;
    let merged = merged_lead(&keep, &others, clock.now);

    // One cadence at most: KEEP's, else the first of the others' in the order given.
    let mut ended_cadences = Vec::new();
    let mut active = store.active_enrollment(keep.id)?.is_some();
    for other in &others {
        if let Some(enrollment) = store.active_enrollment(other.id)? {
            if active {
                store.end_enrollment(enrollment.id, EndReason::Merged, None, clock.now)?;
                ended_cadences.push((other.id, enrollment.cadence));
            }
            active = true;
        }
    }

    let batch = merged_batch(
        store.batch_of(keep.id)?,
        &others
            .iter()
            .map(|other| store.batch_of(other.id))
            .collect::<Result<Vec<_>>>()?,
    );
    let other_ids: Vec<i64> = others.iter().map(|other| other.id).collect();
    let moved = store.merge_leads(&merged, &other_ids, batch)?;
    let (lead, _) = rescore(store, keep.id, profile, clock)?;
    Ok(Merged {
        lead,
        moved,
        ended_cadences,
    })
}

/// KEEP with the others folded in, by the rules of the module (scores are left to the
/// rescoring that follows).
pub fn merged_lead(keep: &Lead, others: &[Lead], now: chrono::DateTime<chrono::Utc>) -> Lead {
    let mut lead = keep.clone();
    for other in others {
        fill(&mut lead.first_name, &other.first_name);
        fill(&mut lead.last_name, &other.last_name);
        fill(&mut lead.email, &other.email);
        fill(&mut lead.phone, &other.phone);
        fill(&mut lead.company, &other.company);
        fill(&mut lead.title, &other.title);
        fill(&mut lead.industry, &other.industry);
        fill(&mut lead.country, &other.country);
        fill(&mut lead.website, &other.website);
        fill(&mut lead.source, &other.source);
        fill(&mut lead.source_detail, &other.source_detail);
        fill(&mut lead.external_id, &other.external_id);
        fill(&mut lead.need, &other.need);
        fill(&mut lead.owner, &other.owner);
        lead.company_size = lead.company_size.or(other.company_size);
        lead.timeline = lead.timeline.or(other.timeline);
        lead.deal_value = lead.deal_value.or(other.deal_value);
        lead.win_probability = lead.win_probability.or(other.win_probability);
        if lead.budget == Answer::Unknown {
            lead.budget = other.budget;
        }
        if lead.authority == Answer::Unknown {
            lead.authority = other.authority;
        }
        // Any record that says so: a "do not contact" is never lost to a merge.
        lead.do_not_contact |= other.do_not_contact;
        lead.incentivized |= other.incentivized;
        lead.aware |= other.aware;
        for tag in &other.tags {
            let tag = normalize_tag(tag);
            if !tag.is_empty() && !lead.tags.contains(&tag) {
                lead.tags.push(tag);
            }
        }
        lead.notes = appended(lead.notes.take(), other.notes.as_deref());
        merge_attributes(&mut lead.attributes, &other.attributes, other.id);
        lead.created_at = match (lead.created_at, other.created_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    // The addresses that lost to KEEP's (or an earlier other's) stay reachable.
    for other in others {
        if let Some(email) = present(&other.email) {
            let same = |kept: &str| fold(kept.trim()) == fold(email);
            keep_second(
                &mut lead.attributes,
                "email",
                email,
                lead.email.as_deref(),
                same,
            );
        }
        if let Some(phone) = present(&other.phone) {
            // The same number written another way (`+44 20...`, `020...`) is no second one.
            let same = |kept: &str| match phone_key(kept) {
                Some(key) => phone_key(phone) == Some(key),
                None => kept.trim() == phone,
            };
            keep_second(
                &mut lead.attributes,
                "phone",
                phone,
                lead.phone.as_deref(),
                same,
            );
        }
    }
    lead.status = Some(merged_status(
        std::iter::once(keep)
            .chain(others)
            .map(|lead| lead.status()),
    ));
    lead.updated_at = Some(now);
    lead
}

/// The status furthest along the pipeline: a closed status over an open one, `won` over
/// `lost` over `disqualified`, and among open ones the later stage.
pub fn merged_status(statuses: impl IntoIterator<Item = Status>) -> Status {
    statuses
        .into_iter()
        .max_by_key(|status| pipeline_rank(*status))
        .unwrap_or(Status::New)
}

/// How far along the pipeline a status is: open stages in their order, then the closed
/// ones, `disqualified` < `lost` < `won` (the reverse of their order in `Status::ALL`).
fn pipeline_rank(status: Status) -> usize {
    let closed_from = Status::Won.index();
    if status.is_closed() {
        closed_from + (Status::ALL.len() - 1 - status.index())
    } else {
        status.index()
    }
}

/// The import batch of the merged lead: the one that created all its records, else none,
/// so that `import --undo` of one batch never removes a person another batch (or the
/// seller by hand) brought too.
pub fn merged_batch(keep: Option<i64>, others: &[Option<i64>]) -> Option<i64> {
    if others.iter().all(|batch| *batch == keep) {
        keep
    } else {
        None
    }
}

/// A text with something in it (blanks are empty).
fn present(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

/// An empty field takes the other's value.
fn fill(field: &mut Option<String>, other: &Option<String>) {
    if present(field).is_none() {
        if let Some(value) = present(other) {
            *field = Some(value.to_string());
        }
    }
}

/// Notes with the other's appended on a line of their own (once: the same notes twice
/// are not repeated).
fn appended(notes: Option<String>, other: Option<&str>) -> Option<String> {
    let other = other.map(str::trim).filter(|text| !text.is_empty());
    match (notes.filter(|notes| !notes.trim().is_empty()), other) {
        (Some(notes), Some(other)) if notes.lines().any(|line| line.trim() == other) => Some(notes),
        (Some(notes), Some(other)) => Some(format!("{}\n{other}", notes.trim_end())),
        (notes, other) => notes.or(other.map(str::to_string)),
    }
}

/// The other's attributes join KEEP's: a key KEEP lacks comes as it is, a value that
/// differs from KEEP's is kept under `KEY (lead N)`.
fn merge_attributes(
    attributes: &mut BTreeMap<String, String>,
    other: &BTreeMap<String, String>,
    other_id: i64,
) {
    for (key, value) in other {
        match attributes.get(key) {
            None => {
                attributes.insert(key.clone(), value.clone());
            }
            Some(kept) if kept == value => {}
            Some(_) => {
                attributes
                    .entry(format!("{key} (lead {other_id})"))
                    .or_insert_with(|| value.clone());
            }
        }
    }
}

/// Keep `value` (an email or phone that is not the lead's own) under `KIND 2` (or the
/// next free number), unless the lead or one of those attributes has it already.
fn keep_second(
    attributes: &mut BTreeMap<String, String>,
    kind: &str,
    value: &str,
    own: Option<&str>,
    same: impl Fn(&str) -> bool,
) {
    if own.is_some_and(&same) {
        return;
    }
    let numbered = |n: u32| format!("{kind} {n}");
    let mut n = 2;
    while let Some(kept) = attributes.get(&numbered(n)) {
        if same(kept) {
            return;
        }
        n += 1;
    }
    attributes.insert(numbered(n), value.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::test_support::at;

    fn lead(id: i64) -> Lead {
        Lead {
            id,
            created_at: Some(at("2026-01-01T00:00:00Z")),
            updated_at: Some(at("2026-01-01T00:00:00Z")),
            ..Lead::default()
        }
    }

    fn text(value: &str) -> Option<String> {
        Some(value.to_string())
    }

    const NOW: &str = "2026-03-01T09:00:00Z";

    #[test]
    fn the_status_furthest_along_the_pipeline_wins() {
        use Status::*;
        let cases: [(&str, &[Status], Status); 8] = [
            ("a later open stage", &[New, Contacted], Contacted),
            (
                "qualified over nurturing",
                &[Nurturing, Qualified, New],
                Qualified,
            ),
            ("closed over open", &[Qualified, Disqualified], Disqualified),
            ("won over lost", &[Lost, Won], Won),
            ("lost over disqualified", &[Disqualified, Lost], Lost),
            (
                "won over everything",
                &[Won, Qualified, Lost, Disqualified],
                Won,
            ),
            ("one alone", &[Nurturing], Nurturing),
            ("nothing", &[], New),
        ];
        for (case, statuses, expected) in cases {
            assert_eq!(merged_status(statuses.iter().copied()), expected, "{case}");
        }
    }

    #[test]
    fn a_merged_lead_belongs_to_a_batch_only_when_all_its_records_came_from_it() {
        let cases = [
            ("all from batch 2", Some(2), vec![Some(2), Some(2)], Some(2)),
            ("kept by hand, other imported", None, vec![Some(2)], None),
            ("kept imported, other by hand", Some(2), vec![None], None),
            ("two batches", Some(1), vec![Some(2)], None),
            ("all by hand", None, vec![None], None),
        ];
        for (case, keep, others, expected) in cases {
            assert_eq!(merged_batch(keep, &others), expected, "{case}");
        }
    }

    /// Merged into a lead that has nothing, a record gives every field it was given
    /// (those `model::FIELDS` does not mark computed): a field added to the table but
    /// not to `merged_lead` fails here.
    #[test]
    fn merging_into_an_empty_lead_keeps_every_given_field() {
        use crate::model::{Field, FIELDS};
        let other = Lead {
            forgotten: false,
            ..crate::model::every_field_set()
        };
        let now = other.created_at.unwrap() + chrono::Duration::days(1);
        let merged = merged_lead(&Lead::default(), std::slice::from_ref(&other), now);
        for spec in FIELDS.iter().filter(|spec| !spec.computed()) {
            if spec.field == Field::UpdatedAt {
                assert_eq!(merged.updated_at, Some(now));
                continue;
            }
            let (got, given) = (merged.json_value(spec.field), other.json_value(spec.field));
            assert_eq!(got, given, "{}", spec.name);
        }
    }

    #[test]
    fn keeps_non_empty_fields_and_fills_empty_ones_in_the_order_given() {
        let keep = Lead {
            first_name: text("Ada"),
            title: text("  "),
            ..lead(1)
        };
        let second = Lead {
            first_name: text("Augusta"),
            last_name: text("Lovelace"),
            title: text("CTO"),
            company_size: Some(40),
            ..lead(2)
        };
        let third = Lead {
            last_name: text("Byron"),
            title: text("CEO"),
            company: text("Analytical Engines"),
            company_size: Some(400),
            budget: Answer::Yes,
            ..lead(3)
        };
        let merged = merged_lead(&keep, &[second, third], at(NOW));
        assert_eq!(merged.id, 1);
        assert_eq!(merged.name(), "Ada Lovelace");
        assert_eq!(merged.title.as_deref(), Some("CTO"));
        assert_eq!(merged.company.as_deref(), Some("Analytical Engines"));
        assert_eq!(merged.company_size, Some(40));
        assert_eq!(merged.budget, Answer::Yes);
        assert_eq!(merged.updated_at, Some(at(NOW)));
    }

    #[test]
    fn a_different_email_or_phone_is_kept_as_a_second_one() {
        let keep = Lead {
            email: text("ada@example.com"),
            phone: text("+1 555 014 2977"),
            ..lead(1)
        };
        let same = Lead {
            email: text("ADA@Example.com"),
            phone: text("(1) 555-014-2977"),
            ..lead(2)
        };
        let other = Lead {
            email: text("ada@engines.example"),
            phone: text("+44 20 7946 0958"),
            ..lead(3)
        };
        let third = Lead {
            email: text("lovelace@old.example"),
            ..lead(4)
        };
        let merged = merged_lead(&keep, &[same, other.clone(), other, third], at(NOW));
        assert_eq!(merged.email.as_deref(), Some("ada@example.com"));
        let attributes: Vec<(&str, &str)> = merged
            .attributes
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            attributes,
            [
                ("email 2", "ada@engines.example"),
                ("email 3", "lovelace@old.example"),
                ("phone 2", "+44 20 7946 0958"),
            ]
        );
    }

    #[test]
    fn tags_unite_notes_append_attributes_merge() {
        let keep = Lead {
            tags: vec!["vip".into(), "expo".into()],
            notes: text("Met at the expo"),
            attributes: BTreeMap::from([
                ("Region".to_string(), "EMEA".to_string()),
                ("Plan".to_string(), "Pro".to_string()),
            ]),
            ..lead(1)
        };
        let other = Lead {
            tags: vec!["Expo".into(), "newsletter".into()],
            notes: text("Asked for a demo"),
            attributes: BTreeMap::from([
                ("Region".to_string(), "EMEA".to_string()),
                ("Plan".to_string(), "Free".to_string()),
                ("Seats".to_string(), "12".to_string()),
            ]),
            ..lead(7)
        };
        let repeated = Lead {
            notes: text("Met at the expo"),
            ..lead(8)
        };
        let merged = merged_lead(&keep, &[other, repeated], at(NOW));
        assert_eq!(merged.tags, ["vip", "expo", "newsletter"]);
        assert_eq!(
            merged.notes.as_deref(),
            Some("Met at the expo\nAsked for a demo")
        );
        let attributes: Vec<(&str, &str)> = merged
            .attributes
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            attributes,
            [
                ("Plan", "Pro"),
                ("Plan (lead 7)", "Free"),
                ("Region", "EMEA"),
                ("Seats", "12"),
            ]
        );
    }

    #[test]
    fn flags_hold_when_any_record_has_them_and_the_earliest_date_stays() {
        let keep = Lead {
            deal_value: None,
            ..lead(1)
        };
        let other = Lead {
            do_not_contact: true,
            deal_value: Some(1200.0),
            created_at: Some(at("2025-06-01T00:00:00Z")),
            ..lead(2)
        };
        let merged = merged_lead(&keep, &[other], at(NOW));
        assert!(merged.do_not_contact);
        assert_eq!(merged.deal_value, Some(1200.0));
        assert_eq!(merged.created_at, Some(at("2025-06-01T00:00:00Z")));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(80))]

        /// A random database (leads with activities, follow-ups, answers, moves and
        /// cadences), a random merge: every activity and follow-up is still there, on the
        /// lead kept. (Proptest draws the seed of one database's choices.)
        #[test]
        fn merging_never_loses_an_activity_or_a_follow_up(seed in 1u64..) {
            merge_a_random_database(seed);
        }
    }

    fn merge_a_random_database(seed: u64) {
        use crate::model::{ActivityKind, Qualification};
        use crate::store::{NewActivity, NewFollowUp};

        let mut state: u64 = seed;
        let mut random = move |below: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % below
        };
        let kinds = [
            ActivityKind::Call,
            ActivityKind::EmailSent,
            ActivityKind::EmailReplied,
            ActivityKind::Meeting,
            ActivityKind::Visit,
            ActivityKind::Note,
        ];
        let now = at(NOW);
        let clock = Clock::utc(now);
        let profile = Profile::default();
        let round = seed;
        {
            let store = Store::open_in_memory().unwrap();
            let steps = ["0d call".parse().unwrap(), "3d email_sent".parse().unwrap()];
            store.insert_cadence("e-book", &steps, now).unwrap();
            let cadence = store.cadence("e-book").unwrap();
            let count = 2 + random(5) as i64;
            for n in 0..count {
                let status = Status::ALL[random(Status::ALL.len() as u64) as usize];
                let id = store
                    .insert_lead(&Lead {
                        first_name: Some(format!("Lead {n}")),
                        status: Some(status),
                        ..lead(0)
                    })
                    .unwrap();
                for _ in 0..random(4) {
                    let kind = kinds[random(kinds.len() as u64) as usize];
                    let when = now - chrono::Duration::days(random(30) as i64);
                    store
                        .add_activity(&NewActivity::new(id, kind, when))
                        .unwrap();
                }
                for _ in 0..random(3) {
                    let due = now + chrono::Duration::days(random(30) as i64 - 10);
                    let follow_up = NewFollowUp::new(id, due, ActivityKind::Call);
                    store.insert_follow_up(&follow_up, now).unwrap();
                }
                if random(2) == 0 {
                    store.enroll(id, &cadence, now, now, now).unwrap();
                }
                if random(3) == 0 {
                    let answers = Qualification {
                        at: now,
                        budget: Answer::Yes,
                        authority: Answer::No,
                        need: None,
                        timeline: None,
                    };
                    store.add_qualification(id, &answers).unwrap();
                }
            }
            let all: Vec<i64> = (1..=count).collect();
            let totals = |store: &Store| -> (usize, usize) {
                all.iter().fold((0, 0), |(activities, follow_ups), id| {
                    (
                        activities + store.activities(*id).unwrap().len(),
                        follow_ups + store.follow_ups_of_lead(*id).unwrap().len(),
                    )
                })
            };
            let before = totals(&store);
            let keep = 1 + random(count as u64) as i64;
            let mut others: Vec<i64> = all
                .iter()
                .copied()
                .filter(|id| *id != keep && random(2) == 0)
                .collect();
            if others.is_empty() {
                others.push(if keep == 1 { 2 } else { 1 });
            }
            if random(2) == 0 {
                others.reverse();
            }
            let merged = store
                .write(|store| merge(store, keep, &others, &profile, clock))
                .unwrap();
            assert_eq!(
                totals(&store),
                before,
                "round {round}: {keep} <- {others:?}"
            );
            assert_eq!(merged.lead.id, keep);
            for other in &others {
                assert!(
                    store.lead(*other).is_err(),
                    "round {round}: {other} is gone"
                );
                assert!(store.activities(*other).unwrap().is_empty());
            }
            let active = store
                .enrollments_of_lead(keep)
                .unwrap()
                .iter()
                .filter(|enrollment| enrollment.is_active())
                .count();
            assert!(active <= 1, "round {round}: {active} active cadences");
            // Ids are never given again.
            let next = store.insert_lead(&lead(0)).unwrap();
            assert_eq!(next, count + 1, "round {round}");
        }
    }
}
