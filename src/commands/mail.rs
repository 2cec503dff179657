//! `leads mail import PATH...`: log the seller's email exchanges with leads from their own
//! mail (`workflows::mail`), and say what it did.
use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use serde_json::json;

use super::Ctx;
use crate::cli::{MailCommand, MailImportArgs, SummaryFormat};
use crate::io::mail::Input;
use crate::workflows::mail::{self, MailOptions, Tally};

pub fn run(command: MailCommand, ctx: &Ctx) -> Result<()> {
    match command {
        MailCommand::Import(args) => import(args, ctx),
    }
}

fn import(args: MailImportArgs, ctx: &Ctx) -> Result<()> {
    let inputs: Vec<Input> = args
        .paths
        .iter()
        .map(|path| match path.as_str() {
            "-" => Input::Stdin,
            path => Input::Path(PathBuf::from(path)),
        })
        .collect();
    // Mail import needs `mail.me`, so a database: it never creates one.
    let store = if args.dry_run {
        ctx.open_store_for_dry_run()?
    } else {
        ctx.open_store_to_read()?
    };
    let options = MailOptions {
        dry_run: args.dry_run,
        add_unknown: args.add_unknown,
        no_subject: args.no_subject,
        by: ctx.user.as_deref(),
    };
    let tally = mail::import(&store, inputs, options, ctx.clock(), &mut |warning| {
        ctx.warn(warning)
    })?;
    match args.format {
        SummaryFormat::Json => {
            let mut out = ctx.stdout();
            serde_json::to_writer(&mut out, &summary_json(&tally))?;
            writeln!(out)?;
            out.flush()?;
        }
        SummaryFormat::Text => ctx.say(summary_line(&tally, args.dry_run)),
    }
    Ok(())
}

fn summary_json(tally: &Tally) -> serde_json::Value {
    json!({
        "read": tally.read,
        "logged": tally.logged(),
        "sent": tally.sent,
        "replied": tally.replied,
        "bounced": tally.bounced,
        "skipped": tally.skipped(),
        "unreadable": tally.unreadable,
        "created": tally.created,
    })
}

/// "read 9 messages: logged 4 (2 sent, 1 reply, 1 bounce), skipped 5 (3 not a lead, 1 list
/// or bulk, 1 already logged)".
fn summary_line(tally: &Tally, dry_run: bool) -> String {
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut line = format!(
        "read {}: logged {} ({} sent, {}, {})",
        plural(tally.read, "message", "messages"),
        tally.logged(),
        tally.sent,
        plural(tally.replied, "reply", "replies"),
        plural(tally.bounced, "bounce", "bounces"),
    );
    let reasons: Vec<String> = [
        (tally.not_a_lead, "not a lead"),
        (tally.bulk, "list or bulk"),
        (tally.ignored, "ignored"),
        (tally.own, "among your own addresses"),
        (tally.already_logged, "already logged"),
        (tally.erased, "forgotten"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, why)| format!("{n} {why}"))
    .collect();
    line.push_str(&format!(", skipped {}", tally.skipped()));
    if !reasons.is_empty() {
        line.push_str(&format!(" ({})", reasons.join(", ")));
    }
    if tally.unreadable > 0 {
        line.push_str(&format!(", {} unreadable", tally.unreadable));
    }
    if tally.created > 0 {
        line.push_str(&format!(
            ", created {}",
            plural(tally.created, "lead", "leads")
        ));
    }
    if dry_run {
        line.push_str(" (dry run: nothing was written)");
    }
    line
}
