//! `leads export`: every field of the leads `list`'s filters select, streamed as CSV,
//! JSON or NDJSON to stdout or a file; `--redact` masks personal fields.
use std::io::Write;

use anyhow::Result;

use super::{lead_query, Ctx};
use crate::cli::{ExportArgs, ExportFormat};
use crate::io::leads_out::{redact, LeadWriter, OutputShape};
use crate::rescoring::refresh_scores;
use crate::store::LeadOrder;

pub fn run(args: ExportArgs, ctx: &Ctx) -> Result<()> {
    let mut query = lead_query(&args.filter, ctx)?;
    // Creation order: an export re-imported into an empty database keeps the leads' order.
    query.order = LeadOrder::Id;
    let shape = match args.format {
        ExportFormat::Csv => OutputShape::Csv,
        ExportFormat::Json => OutputShape::Json,
        ExportFormat::Ndjson => OutputShape::Ndjson,
        ExportFormat::Vcard => OutputShape::Vcard,
    };
    let mut file = args
        .output
        .as_deref()
        .map(|path| ctx.output_file("-o", path, None, "the export file"))
        .transpose()?;
    let store = ctx.open_store_to_read()?;
    refresh_scores(&store, &store.profile()?, ctx.clock())?;
    let mut stdout = ctx.stdout();
    let out: &mut dyn Write = match file.as_mut() {
        Some(file) => file,
        None => &mut stdout,
    };
    let mut writer = LeadWriter::new(out, shape)?;
    let mut count = 0_u64;
    store.for_each_lead(&query, |mut lead| {
        if args.redact {
            redact(&mut lead);
        }
        writer.write(&lead)?;
        count += 1;
        Ok(())
    })?;
    writer.finish()?;
    if let Some(file) = file {
        file.commit()?;
    }
    if let Some(path) = &args.output {
        ctx.say(format!(
            "exported {count} {} to {}",
            if count == 1 { "lead" } else { "leads" },
            path.display()
        ));
    }
    Ok(())
}
