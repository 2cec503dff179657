//! The salesperson's vocabulary: leads, statuses, sources, activities, follow-ups.
//! Types, parsing from user text, and the JSON shape of the contract. No I/O.
//!
//! One file a job: `fields` (the contract's fields, declared once), `lead` (the lead), `edit` (setting them as people type
//! them, the tag rule, the identity and forgotten checks), `status`, `source` (and its
//! synonyms), `activity`, `follow_up`, `qualification` (answers), `scores` (grades),
//! `numbers` (amounts, company sizes, rounding), `country` (codes and names), `names` (and honorifics), `email`,
//! `words` (snake-case keys, "did you mean"), `yes_no` (the one yes/no word list). Everything is re-exported here: callers say
//! `model::Status`, not where it lives.
use chrono::{DateTime, SecondsFormat, Utc};

mod activity;
mod country;
mod edit;
mod email;
mod fields;
mod follow_up;
mod lead;
mod names;
mod numbers;
mod own_mail;
mod qualification;
mod scores;
mod source;
mod status;
mod words;
mod yes_no;

pub use activity::{Activity, ActivityKind, CallOutcome, Touch};
pub use country::{country_code, same_country};
pub use edit::{normalize_tag, LeadField};
pub use email::{check_email, parse_email_address};
pub use fields::{
    exported_fields, importable_fields, personal_fields, rule_fields, Field, FieldSpec, Kind,
    FIELDS,
};
pub use follow_up::{FollowUp, StepOf};
#[cfg(test)]
pub use lead::every_field_set;
pub use lead::{contact_marker, display_name, Lead, LeadOrder, NameParts};
pub use names::{is_honorific, split_name, split_name_and_title};
pub use numbers::{
    grouping_of, money, parse_amount, parse_company_size, read_amount, read_cell_number,
    read_number, round_to, Amount, Grouping, Unread,
};
pub use own_mail::AddressList;
pub use qualification::{Answer, Qualification};
pub use scores::{Grade, StoredScores};
pub use source::{
    checked_source, is_known_source, normalize_source, parse_source, SourceReading, KNOWN_SOURCES,
    SOURCE_SYNONYMS,
};
pub use status::{Status, StatusChange};
pub use words::{
    did_you_mean, edit_distance, escape_controls, normalize_key, phone_key, squash, squash_into,
    OWNER_HEADERS,
};
pub use yes_no::read_yes_no;

/// Dates in the contract: RFC 3339, UTC, whole seconds.
pub fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}
