//! The saving side of an import, on the thread that holds the transaction: each row's
//! decision (`decide::action`) carried out, and what the rows said counted and shown.
use anyhow::Result;
use chrono::{DateTime, Utc};

use super::super::{local_clock, Ctx};
use super::decide::{self, action, Action};
use super::read::Row;
use super::summary::{report, Summary};
use crate::cli::ImportArgs;
use crate::error::bad_input;
use crate::io::leads_in::{Converted, UnreadDate};
use crate::io::reader::Rejects;
use crate::model::{Answer, Lead, Status};
use crate::rescoring::score_lead;
use crate::scoring;
use crate::store::Importer;

/// Individual warnings shown before they are only counted.
const SHOWN_WARNINGS: u64 = 20;

/// The saving side of an import: one row at a time, with what the summary needs.
pub struct Saver<'a> {
    args: &'a ImportArgs,
    ctx: &'a Ctx,
    word: &'static str,
    rejects: Option<Rejects>,
    pub summary: Summary,
    /// Per column with unreadable dates: how many.
    unread_dates: Vec<(String, u64)>,
    /// The columns a notice was given for (said once, counted once).
    noticed: Vec<String>,
    /// Warnings about the whole file, always shown.
    said_once: u64,
    profile: &'a scoring::Profile,
}

impl<'a> Saver<'a> {
    pub fn new(
        args: &'a ImportArgs,
        ctx: &'a Ctx,
        word: &'static str,
        rejects: Option<Rejects>,
        profile: &'a scoring::Profile,
    ) -> Saver<'a> {
        Saver {
            args,
            ctx,
            word,
            rejects,
            summary: Summary::default(),
            unread_dates: Vec::new(),
            noticed: Vec::new(),
            said_once: 0,
            profile,
        }
    }

    /// Decide about one row and carry the decision out.
    pub fn save(
        &mut self,
        importer: &mut Importer<'_>,
        item: &Row,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let (kind, converted) = match &item.lead {
            Ok(None) => (decide::Row::Empty, None),
            Err(_) => (decide::Row::Unreadable, None),
            Ok(Some(converted)) => {
                let forgotten = converted
                    .lead
                    .email
                    .as_deref()
                    .is_some_and(|email| importer.is_forgotten(email));
                let kind = if forgotten {
                    decide::Row::Forgotten
                } else {
                    decide::Row::Lead
                };
                (kind, Some(converted))
            }
        };
        if let Some(converted) = converted {
            for warning in &converted.warnings {
                self.warn(item.line, warning);
            }
            for unread in &converted.unread_dates {
                self.unread_date(item.line, unread);
            }
            for notice in &converted.notices {
                if !self.noticed.contains(&notice.column) {
                    self.noticed.push(notice.column.clone());
                    self.warn_once(&format!("{}: {}", notice.column, notice.message));
                }
            }
        }
        let needs_duplicate = matches!(kind, decide::Row::Lead)
            || (kind == decide::Row::Forgotten && self.args.allow_forgotten);
        let duplicate = match converted {
            Some(converted) if needs_duplicate => importer.duplicate_of(&converted.lead)?,
            _ => None,
        };
        let action = action(
            kind,
            duplicate,
            self.args.on_duplicate,
            self.args.allow_forgotten,
        );
        self.apply(importer, action, item, converted, now)
    }

    /// Carry out the decision about a row.
    fn apply(
        &mut self,
        importer: &mut Importer<'_>,
        action: Action,
        item: &Row,
        converted: Option<&Converted>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        match action {
            Action::Nothing => {}
            Action::Reject => {
                let reason = item.lead.as_ref().err().map_or("", String::as_str);
                self.reject(item, reason)?;
            }
            Action::SkipForgotten => {
                self.summary.skipped += 1;
                let email = converted
                    .and_then(|c| c.lead.email.as_deref())
                    .unwrap_or_default();
                self.warn(
                    item.line,
                    &format!(
                        "{email} asked to be forgotten: skipped \
                         (--allow-forgotten if they came back of their own accord)"
                    ),
                );
            }
            Action::Create => {
                if let Some(converted) = converted {
                    importer.create(&converted.lead)?;
                    self.summary.imported += 1;
                    self.summary.scores.add(converted.lead.scores.score);
                }
            }
            Action::Skip(id, same) => {
                self.summary.skipped += 1;
                if self.summary.skipped <= SHOWN_WARNINGS {
                    self.ctx.say(format!(
                        "{} {}: skipped: duplicate of lead {id} ({})",
                        self.word,
                        item.line,
                        same.describe()
                    ));
                }
            }
            Action::RejectDuplicate(id, same) => {
                let reason = format!("duplicate of lead {id} ({})", same.describe());
                self.reject(item, &reason)?;
            }
            Action::Update(id) => {
                if let Some(converted) = converted {
                    let kept = update(importer, id, converted.lead.clone(), self.profile, now)?;
                    self.summary.updated += 1;
                    if let Some(kept) = kept {
                        self.warn(item.line, &kept);
                    }
                }
            }
        }
        Ok(())
    }

    fn reject(&mut self, item: &Row, reason: &str) -> Result<()> {
        self.summary.rejected += 1;
        self.ctx
            .say(format!("{} {}: rejected: {reason}", self.word, item.line));
        if let (Some(rejects), Some(original)) = (self.rejects.as_mut(), &item.original) {
            rejects.write(original, reason)?;
        }
        Ok(())
    }

    /// A warning about the whole file (a column), said before the rows' and counted once.
    pub fn warn_once(&mut self, warning: &str) {
        self.summary.warnings += 1;
        self.said_once += 1;
        self.ctx.warn(warning);
    }

    fn warn(&mut self, line: u64, warning: &str) {
        self.summary.warnings += 1;
        if self.summary.warnings <= SHOWN_WARNINGS {
            self.ctx.warn(format!("{} {line}: {warning}", self.word));
        }
    }

    /// An unreadable date: said once per column (with the format that would read it),
    /// then counted.
    fn unread_date(&mut self, line: u64, unread: &UnreadDate) {
        self.summary.warnings += 1;
        match self
            .unread_dates
            .iter_mut()
            .find(|(column, _)| *column == unread.column)
        {
            Some((_, count)) => *count += 1,
            None => {
                self.unread_dates.push((unread.column.clone(), 1));
                self.ctx.warn(format!(
                    "{} {line}: {}: {}; the value is kept in attributes",
                    self.word, unread.column, unread.message
                ));
            }
        }
    }

    /// The end: the rejects file closed, what was not shown counted, the summary.
    pub fn finish(self) -> Result<()> {
        let Saver {
            args,
            ctx,
            rejects,
            summary,
            unread_dates,
            said_once,
            ..
        } = self;
        if let Some(rejects) = rejects {
            rejects.finish()?;
        } else if let (true, Some(path)) = (args.dry_run, &args.rejects) {
            let plural = if summary.rejected == 1 { "" } else { "s" };
            ctx.say(format!(
                "would write {} rejected row{plural} to {} (dry run: not written)",
                summary.rejected,
                path.display()
            ));
        }
        for (column, count) in unread_dates.iter().filter(|(_, count)| *count > 1) {
            let more = match count - 1 {
                1 => "1 more date".to_string(),
                n => format!("{n} more dates"),
            };
            ctx.warn(format!(
                "{column}: {more} like it could not be read (kept in attributes)"
            ));
        }
        let shown_warnings =
            summary.warnings - said_once - unread_dates.iter().map(|(_, n)| n).sum::<u64>();
        if shown_warnings > SHOWN_WARNINGS {
            let more = shown_warnings - SHOWN_WARNINGS;
            let plural = if more == 1 { "" } else { "s" };
            ctx.warn(format!("{more} more warning{plural} not shown"));
        }
        if summary.skipped > SHOWN_WARNINGS {
            let more = summary.skipped - SHOWN_WARNINGS;
            let plural = if more == 1 { "" } else { "s" };
            ctx.say(format!("{more} more skipped duplicate{plural} not shown"));
        }
        report(&summary, args, ctx)?;
        if summary.rejected > 0 {
            let what = if args.strict && !args.dry_run {
                "nothing was imported (--strict)"
            } else if summary.imported + summary.updated == 0 {
                "nothing was imported"
            } else {
                "the other rows were imported"
            };
            let what = if args.dry_run { "dry run" } else { what };
            return Err(bad_input(format!(
                "{} {} rejected; {what}",
                summary.rejected,
                if summary.rejected == 1 { "row" } else { "rows" }
            )));
        }
        Ok(())
    }
}

/// `--on-duplicate update`: the row's non-empty values over the existing lead's. Returns
/// the warning when the row's status or deal value was ignored (see `merge`).
fn update(
    importer: &mut Importer<'_>,
    id: i64,
    row: Lead,
    profile: &scoring::Profile,
    now: DateTime<Utc>,
) -> Result<Option<String>> {
    let store = importer.store()?;
    let mut lead = store.lead(id)?;
    let was = lead.status();
    let ignored = merge(&mut lead, row);
    lead.updated_at = Some(now);
    lead.scores = score_lead(store, &lead, profile, local_clock(now))?.stored();
    importer.update(&lead, was, now)?;
    Ok(ignored.warning(id, was))
}

/// What of a row `merge` did not take: an older file never rolls a lead back.
#[derive(Debug, Default, PartialEq)]
struct Ignored {
    status: Option<Status>,
    deal_value: Option<f64>,
}

impl Ignored {
    /// "lead 7 is won: the file's status qualified and deal value 12000.00 are ignored".
    fn warning(&self, id: i64, was: Status) -> Option<String> {
        let status = self.status.map(|s| format!("status {}", s.as_str()));
        let value = self
            .deal_value
            .map(|v| format!("deal value {}", crate::output::money(v)));
        let what = match (status, value) {
            (None, None) => return None,
            (Some(one), None) | (None, Some(one)) => format!("{one} is"),
            (Some(status), Some(value)) => format!("{status} and {value} are"),
        };
        Some(format!(
            "lead {id} is {}: the file's {what} ignored",
            was.as_str()
        ))
    }
}

/// Is `to` a move forward in the pipeline from `from` (new < contacted < nurturing <
/// qualified < a closed status)? A closed status never moves.
fn moves_forward(from: Status, to: Status) -> bool {
    !from.is_closed() && (to.is_closed() || to.index() > from.index())
}

/// Copy what a row says onto a lead. Empty cells change nothing; tags and attributes are
/// added to; an opt-out is never cleared by an import, only set. The file may be older
/// than the lead: a status behind the lead's in the pipeline, or any other once it is
/// closed, is ignored, and so is a deal value that would change a closed lead's (or give
/// one to a lost or disqualified lead); what was ignored is returned.
fn merge(lead: &mut Lead, row: Lead) -> Ignored {
    let mut ignored = Ignored::default();
    let was = lead.status();
    let fields = [
        (&mut lead.first_name, row.first_name),
        (&mut lead.last_name, row.last_name),
        (&mut lead.email, row.email),
        (&mut lead.phone, row.phone),
        (&mut lead.company, row.company),
        (&mut lead.title, row.title),
        (&mut lead.industry, row.industry),
        (&mut lead.country, row.country),
        (&mut lead.website, row.website),
        (&mut lead.source, row.source),
        (&mut lead.source_detail, row.source_detail),
        (&mut lead.notes, row.notes),
        (&mut lead.external_id, row.external_id),
        (&mut lead.need, row.need),
        (&mut lead.owner, row.owner),
    ];
    for (slot, value) in fields {
        if value.is_some() {
            *slot = value;
        }
    }
    if row.company_size.is_some() {
        lead.company_size = row.company_size;
    }
    if let Some(status) = row.status {
        if moves_forward(lead.status(), status) {
            lead.status = Some(status);
        } else if status != lead.status() {
            ignored.status = Some(status);
        }
    }
    if row.timeline.is_some() {
        lead.timeline = row.timeline;
    }
    if let Some(value) = row.deal_value {
        // An open lead's value is what it is expected to bring: the file may update it.
        // A closed lead's is settled: a won deal with no value yet may get one, no more.
        match lead.deal_value {
            _ if !was.is_closed() => lead.deal_value = Some(value),
            Some(kept) if kept == value => {}
            None if was == Status::Won => lead.deal_value = Some(value),
            _ => ignored.deal_value = Some(value),
        }
    }
    for tag in row.tags {
        if !lead.tags.contains(&tag) {
            lead.tags.push(tag);
        }
    }
    lead.attributes.extend(row.attributes);
    lead.incentivized |= row.incentivized;
    lead.aware |= row.aware;
    lead.do_not_contact |= row.do_not_contact;
    if row.budget != Answer::Unknown {
        lead.budget = row.budget;
    }
    if row.authority != Answer::Unknown {
        lead.authority = row.authority;
    }
    ignored
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_older_row_never_rolls_a_lead_back() {
        use Status::*;
        // (the lead's status and value, the row's, what the lead has after, ignored)
        let cases = [
            (
                (Contacted, None),
                (New, None),
                (Contacted, None),
                (Some(New), None),
            ),
            (
                (Nurturing, None),
                (Contacted, None),
                (Nurturing, None),
                (Some(Contacted), None),
            ),
            (
                (Contacted, None),
                (Nurturing, None),
                (Nurturing, None),
                (None, None),
            ),
            (
                (Qualified, None),
                (Won, Some(9.0)),
                (Won, Some(9.0)),
                (None, None),
            ),
            ((New, None), (Lost, None), (Lost, None), (None, None)),
            (
                (Won, Some(18.0)),
                (Qualified, Some(12.0)),
                (Won, Some(18.0)),
                (Some(Qualified), Some(12.0)),
            ),
            (
                (Won, Some(18.0)),
                (Won, Some(18.0)),
                (Won, Some(18.0)),
                (None, None),
            ),
            (
                (Won, Some(18.0)),
                (Lost, None),
                (Won, Some(18.0)),
                (Some(Lost), None),
            ),
            (
                (Won, None),
                (Won, Some(5.0)),
                (Won, Some(5.0)),
                (None, None),
            ),
            (
                (Lost, None),
                (Won, Some(5.0)),
                (Lost, None),
                (Some(Won), Some(5.0)),
            ),
            (
                (Disqualified, None),
                (New, None),
                (Disqualified, None),
                (Some(New), None),
            ),
        ];
        for ((status, value), (row_status, row_value), (after, after_value), ignored) in cases {
            let mut lead = Lead {
                status: Some(status),
                deal_value: value,
                ..Lead::default()
            };
            let row = Lead {
                status: Some(row_status),
                deal_value: row_value,
                ..Lead::default()
            };
            let found = merge(&mut lead, row);
            assert_eq!(
                (lead.status(), lead.deal_value),
                (after, after_value),
                "{status:?} {value:?} <- {row_status:?} {row_value:?}"
            );
            assert_eq!(
                (found.status, found.deal_value),
                ignored,
                "{status:?} {value:?} <- {row_status:?} {row_value:?}"
            );
        }
    }

    #[test]
    fn an_empty_cell_never_clears_a_deal_value() {
        let mut lead = Lead {
            status: Some(Status::Won),
            deal_value: Some(18000.0),
            ..Lead::default()
        };
        assert_eq!(merge(&mut lead, Lead::default()), Ignored::default());
        assert_eq!(lead.deal_value, Some(18000.0));
    }
}
