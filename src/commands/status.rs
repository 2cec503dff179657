//! `leads status`: move a lead in the pipeline, with an optional reason and, when won,
//! the deal's value.
use anyhow::Result;

use super::{writable_lead, Ctx};
use crate::cli::StatusArgs;
use crate::error::bad_input;
use crate::model::Status;
use crate::output::money;

pub fn run(args: StatusArgs, ctx: &Ctx) -> Result<()> {
    let status = args.status;
    if args.value.is_some() && status != Status::Won {
        return Err(bad_input(format!(
            "--value: a deal's value is recorded when it is won (`status ID won --value \
             AMOUNT`), not with {status}; `edit ID --value AMOUNT` changes it"
        )));
    }
    let store = ctx.open_store_to_read()?;
    // `18.000` is read by the currency set (`leads config currency`).
    let value = match &args.value {
        Some(amount) => Some(
            amount
                .in_currency(store.currency()?.as_deref())
                .map_err(|err| bad_input(format!("--value: {err}")))?,
        ),
        None => None,
    };
    let mut reason = args.reason.clone().filter(|r| !r.trim().is_empty());
    if reason.is_none() && status.is_closed() && ctx.interactive() {
        // Asked before the write lock is taken: a person may take their time to answer.
        // The lead must exist, or the question is pointless.
        let lead = writable_lead(&store, args.id)?;
        if lead.status() != status {
            reason = ctx.ask(&format!("Why {status}? (optional, Enter to skip) "))?;
        }
    }
    // The status is read inside the write transaction, so a concurrent change cannot
    // make the recorded move start from a status the lead no longer had.
    let (lead, from) = store.write(|store| {
        let lead = writable_lead(store, args.id)?;
        let from = lead.status();
        if from != status {
            store.change_status(lead.id, Some(from), status, ctx.now, reason.as_deref())?;
        }
        if value.is_some() {
            store.set_deal_value(lead.id, value)?;
        }
        Ok((lead, from))
    })?;
    let worth = value
        .map(|v| format!(", deal value {}", money(v)))
        .unwrap_or_default();
    if from == status {
        ctx.say(format!("lead {} is already {status}{worth}", lead.id));
    } else {
        ctx.say(format!(
            "lead {}: {} {from} -> {status}{worth}",
            lead.id,
            lead.name()
        ));
    }
    Ok(())
}
