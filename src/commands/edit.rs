//! `leads edit`: change a lead's fields, then rescore it.
use anyhow::Result;

use super::{apply_fields, require_identity, writable_lead, Ctx};
use crate::cli::EditArgs;
use crate::error::{bad_input, Failure};
use crate::model::{parse_amount, split_name};
use crate::rescoring::score_lead;

pub fn run(args: EditArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    let lead = store.write(|store| {
        let original = writable_lead(store, args.id)?;
        let mut lead = original.clone();
        let old_email = lead.email.clone();
        if let Some(name) = &args.name {
            (lead.first_name, lead.last_name) = split_name(name);
        }
        for warning in apply_fields(&mut lead, &args.fields)? {
            ctx.warn(warning);
        }
        for line in &args.append_notes {
            append_note(&mut lead.notes, line);
        }
        for tag in &args.untags {
            let tag = tag.trim().to_lowercase();
            lead.tags.retain(|t| *t != tag);
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
        for pair in &args.attrs {
            let (key, value) = pair.split_once('=').ok_or_else(|| {
                bad_input(format!(
                    "--attr: invalid '{pair}' (expected key=value; an empty value removes the key)"
                ))
            })?;
            let key = key.trim();
            if key.is_empty() {
                return Err(bad_input(format!(
                    "--attr: invalid '{pair}': the key is empty"
                )));
            }
            if value.is_empty() {
                lead.attributes.remove(key);
            } else {
                lead.attributes.insert(key.to_string(), value.to_string());
            }
        }
        if let Some(text) = &args.value {
            lead.deal_value = if text.trim().is_empty() {
                None
            } else {
                Some(parse_amount(text).map_err(|err| bad_input(format!("--value: {err}")))?)
            };
        }
        require_identity(&lead)?;
        // Only a new email is checked: a lead added with --allow-duplicate stays editable.
        let changed = lead.email.as_deref().map(str::to_lowercase)
            != old_email.as_deref().map(str::to_lowercase);
        if let (Some(email), true) = (&lead.email, changed) {
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
        }
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
    ctx.say(format!(
        "updated lead {}: {} (score {}, grade {})",
        lead.id,
        lead.name(),
        lead.scores.score,
        lead.scores.grade
    ));
    Ok(())
}

/// Add a line to the notes (after `--note`, when both are given); a blank line adds nothing.
fn append_note(notes: &mut Option<String>, line: &str) {
    let line = line.trim();
    if line.is_empty() {
        return;
    }
    *notes = Some(match notes.take().filter(|n| !n.trim().is_empty()) {
        Some(existing) => format!("{}\n{line}", existing.trim_end()),
        None => line.to_string(),
    });
}

#[cfg(test)]
mod tests {
    use super::append_note;

    #[test]
    fn appended_notes_are_lines() {
        let cases: [(Option<&str>, &str, Option<&str>); 5] = [
            (None, "called", Some("called")),
            (Some("met at expo"), "called", Some("met at expo\ncalled")),
            (
                Some("met at expo\n"),
                " called ",
                Some("met at expo\ncalled"),
            ),
            (Some("met at expo"), "  ", Some("met at expo")),
            (Some(""), "called", Some("called")),
        ];
        for (before, line, after) in cases {
            let mut notes = before.map(str::to_string);
            append_note(&mut notes, line);
            assert_eq!(notes.as_deref(), after, "{before:?} + {line:?}");
        }
    }
}
