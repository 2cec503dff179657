//! `leads edit`: change a lead's fields, then rescore it.
use anyhow::Result;

use super::{apply_edits, lead_edits, writable_lead, Ctx};
use crate::cli::EditArgs;
use crate::error::{bad_input, Failure};
use crate::model::{read_amount, Lead, LeadField};
use crate::rescoring::score_lead;
use crate::store::Store;

pub fn run(args: EditArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    let lead = store.write(|store| {
        let original = writable_lead(store, args.id)?;
        let mut lead = original.clone();
        apply_edits(ctx, &mut lead, edits(&args))?;
        if let Some(value) = &args.value {
            lead.deal_value = deal_value(value, store.currency()?.as_deref())
                .map_err(|err| bad_input(format!("--value: {err}")))?;
        }
        if let Some(flag) = args.do_not_contact {
            lead.do_not_contact = flag;
        }
        if let Some(flag) = args.incentivized {
            lead.incentivized = flag;
        }
        if let Some(flag) = args.aware {
            lead.aware = flag;
        }
        lead.check_identity().map_err(bad_input)?;
        check_new_email(store, &lead, original.email.as_deref())?;
        if lead == original {
            return Ok(None);
        }
        lead.updated_at = Some(ctx.now);
        let profile = store.profile()?;
        lead.scores = score_lead(store, &lead, &profile, ctx.clock())?.stored();
        store.update_lead(&lead)?;
        Ok(Some(lead))
    })?;
    let Some(lead) = lead else {
        ctx.say(format!("nothing to change for lead {}", args.id));
        return Ok(());
    };
    // The amount as `status --value` says it: two decimals.
    let deal = match (args.value.is_some(), lead.deal_value) {
        (true, Some(value)) => format!(", deal value {}", crate::output::money(value)),
        _ => String::new(),
    };
    ctx.say(format!(
        "updated lead {}: {} (score {}, grade {}){deal}",
        lead.id,
        lead.name(),
        lead.scores.score,
        lead.scores.grade
    ));
    Ok(())
}

/// Every flag of `edit` that sets a field, in the order of `LeadField`.
fn edits(args: &EditArgs) -> Vec<(&'static str, LeadField, &str)> {
    let mut edits = lead_edits(args.name.as_deref(), &args.fields);
    let repeated = [
        ("--append-note", LeadField::AppendNote, &args.append_notes),
        ("--untag", LeadField::Untag, &args.untags),
        ("--attr", LeadField::Attribute, &args.attrs),
    ];
    for (flag, field, values) in repeated {
        edits.extend(values.iter().map(|value| (flag, field, value.as_str())));
    }
    edits
}

/// `--value`: the amount the deal brought, `18.000` read by the currency set; empty
/// clears it.
fn deal_value(text: &str, currency: Option<&str>) -> Result<Option<f64>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    read_amount(text, currency).map(Some)
}

/// A new email must belong to no other lead and to no one who asked to be forgotten. Only
/// a changed email is checked: a lead added with --allow-duplicate stays editable.
fn check_new_email(store: &Store, lead: &Lead, old_email: Option<&str>) -> Result<()> {
    let changed = lead.email.as_deref().map(str::to_lowercase) != old_email.map(str::to_lowercase);
    let Some(email) = lead.email.as_deref().filter(|_| changed) else {
        return Ok(());
    };
    if let Some(other) = store.lead_id_by_email(email)?.filter(|id| *id != lead.id) {
        return Err(Failure::Conflict(format!(
            "a lead with email {email} already exists: id {other}"
        ))
        .into());
    }
    if store.is_forgotten_email(email)? {
        return Err(Failure::Conflict(format!(
            "{email} belongs to a person who asked to be forgotten"
        ))
        .into());
    }
    Ok(())
}
