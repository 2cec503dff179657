//! What `add`, `edit` and the touch commands share: the field flags as edits of a lead,
//! the lead a command may write to, the next step, and the warnings about leads whose
//! follow-ups nobody would see.
use anyhow::Result;
use chrono::{DateTime, Utc};

use super::Ctx;
use crate::cli::LeadFieldArgs;
use crate::error::bad_input;
use crate::model::{Field, Lead, LeadField};
use crate::store::Store;
use crate::workflows::touch::Next;

/// The NAME and field flags of `add`/`edit`, each with the field it sets, in the order of
/// `LeadField` (the order their rules need).
pub fn lead_edits<'a>(
    name: Option<&'a str>,
    fields: &'a LeadFieldArgs,
) -> Vec<(&'static str, LeadField, &'a str)> {
    let name = name.map(|name| ("NAME", LeadField::Name, name));
    let single = [
        (
            "--first-name",
            LeadField::Text(Field::FirstName),
            &fields.first_name,
        ),
        (
            "--last-name",
            LeadField::Text(Field::LastName),
            &fields.last_name,
        ),
        ("--phone", LeadField::Text(Field::Phone), &fields.phone),
        (
            "--company",
            LeadField::Text(Field::Company),
            &fields.company,
        ),
        ("--title", LeadField::Text(Field::Title), &fields.title),
        (
            "--industry",
            LeadField::Text(Field::Industry),
            &fields.industry,
        ),
        (
            "--country",
            LeadField::Text(Field::Country),
            &fields.country,
        ),
        (
            "--website",
            LeadField::Text(Field::Website),
            &fields.website,
        ),
        (
            "--source-detail",
            LeadField::Text(Field::SourceDetail),
            &fields.source_detail,
        ),
        ("--note", LeadField::Text(Field::Notes), &fields.notes),
        (
            "--external-id",
            LeadField::Text(Field::ExternalId),
            &fields.external_id,
        ),
        ("--owner", LeadField::Text(Field::Owner), &fields.owner),
        ("--email", LeadField::Email, &fields.email),
        ("--size", LeadField::CompanySize, &fields.company_size),
        ("--source", LeadField::Source, &fields.source),
    ];
    let single = single
        .into_iter()
        .filter_map(|(flag, field, value)| Some((flag, field, value.as_deref()?)));
    let tags = fields
        .tags
        .iter()
        .map(|tag| ("--tag", LeadField::Tag, tag.as_str()));
    name.into_iter().chain(single).chain(tags).collect()
}

/// Apply edits named by their flags to a lead, in order: a value that cannot be used is
/// exit 65 naming its flag; a warning (a source typo taken as the known source) is shown
/// as it comes.
pub fn apply_edits<'a>(
    ctx: &Ctx,
    lead: &mut Lead,
    edits: impl IntoIterator<Item = (&'static str, LeadField, &'a str)>,
) -> Result<()> {
    for (flag, field, value) in edits {
        let warning = lead
            .set_field(field, value)
            .map_err(|err| bad_input(format!("{flag}: {err}")))?;
        if let Some(warning) = warning {
            ctx.warn(format!("{flag}: {warning}"));
        }
    }
    Ok(())
}

/// A note with its blanks trimmed; None when nothing is left.
pub fn trimmed(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|text| !text.is_empty())
}

impl Ctx {
    /// `--next WHEN [--next-note TEXT] [--next-kind K]`, read against this run's clock.
    pub fn next<'a>(&self, args: &'a crate::cli::NextArgs) -> Result<Option<Next<'a>>> {
        let Some(text) = &args.next else {
            return Ok(None);
        };
        Ok(Some(Next {
            due: self.when("--next", text)?,
            note: trimmed(args.next_note.as_deref()),
            kind: args.next_kind,
        }))
    }

    /// A warning when a lead's follow-ups are not listed (do-not-contact, closed): a
    /// follow-up scheduled for it would wait unseen.
    pub fn warn_unlisted(&self, lead: &Lead) {
        let why = if lead.do_not_contact {
            format!(
                "is marked do-not-contact (leads edit {} --do-not-contact false lifts it)",
                lead.id
            )
        } else if lead.status().is_closed() {
            format!("is closed ({})", lead.status())
        } else {
            return;
        };
        self.warn(format!(
            "lead {} {why}: its follow-ups are not listed until that changes",
            lead.id
        ));
    }

    /// A warning when a touch was logged with a lead marked do-not-contact: it happened,
    /// so it is kept, but the mark should not be forgotten.
    pub fn warn_do_not_contact(&self, lead: &Lead) {
        if lead.do_not_contact && !lead.forgotten {
            self.warn(format!(
                "lead {} {} is marked do-not-contact: logged, as it happened (leads edit {} \
                 --do-not-contact false lifts the mark)",
                lead.id,
                lead.name(),
                lead.id
            ));
        }
    }

    /// Whether a due time is in the past: "--due today" is today's work, not a mistake;
    /// an earlier moment likely is one.
    pub fn in_the_past(&self, due_at: DateTime<Utc>) -> Result<bool> {
        Ok(due_at < self.now && due_at != self.when("--due", "today")?)
    }

    /// The warning for a follow-up scheduled in the past (`add --due`, `--next`).
    pub fn warn_past_due(&self, due_at: DateTime<Utc>, id: i64) {
        self.warn(format!(
            "{} is in the past: follow-up {id} is overdue already",
            crate::output::local(due_at)
        ));
    }
}

/// The lead with this id, for a command that writes to it: a forgotten lead is exit 65.
pub fn writable_lead(store: &Store, id: i64) -> Result<Lead> {
    let lead = store.lead(id)?;
    lead.check_writable().map_err(bad_input)?;
    Ok(lead)
}
