//! `leads add`: create a lead, print its id.
use std::io::Write;

use anyhow::Result;

use super::{apply_edits, lead_edits, Ctx};
use crate::cli::AddArgs;
use crate::error::{bad_input, Failure};
use crate::model::{Lead, Status};
use crate::rescoring::mark_scored_if_new;
use crate::scoring;

pub fn run(args: AddArgs, ctx: &Ctx) -> Result<()> {
    let mut lead = Lead::default();
    apply_edits(
        ctx,
        &mut lead,
        lead_edits(args.name.as_deref(), &args.fields),
    )?;
    lead.incentivized = args.incentivized;
    lead.aware = args.aware;
    lead.do_not_contact = args.do_not_contact;
    // Who adds a lead owns it, unless `--owner` names another seller.
    if lead.owner.is_none() {
        lead.owner = ctx.user.clone();
    }
    lead.check_identity().map_err(bad_input)?;
    lead.status = Some(Status::New);
    lead.created_at = Some(ctx.now);
    lead.updated_at = Some(ctx.now);

    let store = ctx.open_store()?;
    let id = store.write(|store| {
        if let (Some(email), false) = (&lead.email, args.allow_duplicate) {
            if let Some(existing) = store.lead_id_by_email(email)? {
                return Err(Failure::Conflict(format!(
                    "a lead with email {email} already exists: id {existing} \
                     (use --allow-duplicate to add another)"
                ))
                .into());
            }
        }
        if let (Some(email), false) = (&lead.email, args.allow_forgotten) {
            if store.is_forgotten_email(email)? {
                return Err(Failure::Conflict(format!(
                    "{email} belongs to a person who asked to be forgotten \
                     (use --allow-forgotten if they came back of their own accord)"
                ))
                .into());
            }
        }
        let profile = store.profile()?;
        // A new lead has no activities yet.
        lead.scores = scoring::score_numbers(&lead, &[], &profile, ctx.clock());
        let id = store.insert_lead(&lead)?;
        store.change_status(id, None, Status::New, ctx.now, None)?;
        mark_scored_if_new(store, &profile, ctx.clock())?;
        Ok(id)
    })?;
    let mut out = ctx.stdout();
    writeln!(out, "{id}")?;
    out.flush()?;
    ctx.say(format!(
        "added lead {id}: {} (score {}, grade {})",
        lead.name(),
        lead.scores.score,
        lead.scores.grade
    ));
    Ok(())
}
