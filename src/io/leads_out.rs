//! Writing leads out: CSV with every field (re-importable by `leads import`), JSON arrays
//! and NDJSON of `Lead::to_json()`, streamed one lead at a time; redaction of personal
//! fields for `export --redact`.
use std::borrow::Cow;
use std::io::{self, Write};

use super::cells::{join_tags, neutralize};
use crate::model::{rfc3339, round_to, Lead};

/// The shape of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputShape {
    Csv,
    Json,
    Ndjson,
    /// vCard 3.0 cards.
    Vcard,
}

/// The CSV export's columns: the contract's field names, in `to_json()`'s order.
/// `tags` are joined with `;`, `attributes` are one JSON object.
pub const CSV_COLUMNS: [&str; 37] = [
    "id",
    "first_name",
    "last_name",
    "name",
    "email",
    "phone",
    "company",
    "title",
    "industry",
    "company_size",
    "country",
    "website",
    "source",
    "source_detail",
    "status",
    "tags",
    "notes",
    "attributes",
    "external_id",
    "incentivized",
    "aware",
    "do_not_contact",
    "created_at",
    "updated_at",
    "budget",
    "authority",
    "need",
    "timeline",
    "fit",
    "engagement",
    "readiness",
    "score",
    "grade",
    "win_probability",
    "next_follow_up",
    "last_touch_at",
    "deal_value",
];

/// Streams leads in one shape.
pub struct LeadWriter<W: Write> {
    out: Shape<W>,
    count: usize,
}

enum Shape<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Json(W),
    Ndjson(W),
    Vcard(W),
}

impl<W: Write> LeadWriter<W> {
    pub fn new(out: W, shape: OutputShape) -> io::Result<Self> {
        let out = match shape {
            OutputShape::Csv => {
                let mut writer = csv::WriterBuilder::new()
                    .buffer_capacity(64 * 1024)
                    .from_writer(out);
                writer.write_record(CSV_COLUMNS)?;
                Shape::Csv(Box::new(writer))
            }
            OutputShape::Json => {
                let mut out = out;
                out.write_all(b"[")?;
                Shape::Json(out)
            }
            OutputShape::Ndjson => Shape::Ndjson(out),
            OutputShape::Vcard => Shape::Vcard(out),
        };
        Ok(LeadWriter { out, count: 0 })
    }

    pub fn write(&mut self, lead: &Lead) -> io::Result<()> {
        match &mut self.out {
            Shape::Csv(writer) => write_csv(writer, lead)?,
            Shape::Json(out) => {
                out.write_all(if self.count == 0 { b"\n  " } else { b",\n  " })?;
                serde_json::to_writer(&mut *out, &lead.to_json())?;
            }
            Shape::Ndjson(out) => {
                serde_json::to_writer(&mut *out, &lead.to_json())?;
                out.write_all(b"\n")?;
            }
            Shape::Vcard(out) => super::vcard::write_card(out, lead)?,
        }
        self.count += 1;
        Ok(())
    }

    /// End the output (closing a JSON array) and flush it.
    pub fn finish(self) -> io::Result<()> {
        match self.out {
            Shape::Csv(mut writer) => writer.flush(),
            Shape::Json(mut out) => {
                out.write_all(if self.count == 0 { b"]\n" } else { b"\n]\n" })?;
                out.flush()
            }
            Shape::Ndjson(mut out) | Shape::Vcard(mut out) => out.flush(),
        }
    }
}

fn write_csv<W: Write>(writer: &mut csv::Writer<W>, lead: &Lead) -> io::Result<()> {
    fn text(value: &Option<String>) -> Cow<'_, str> {
        value.as_deref().map(neutralize).unwrap_or_default()
    }
    let date = |at: Option<chrono::DateTime<chrono::Utc>>| at.map(rfc3339).unwrap_or_default();
    let flag = |on: bool| if on { "true" } else { "false" };
    let attributes = if lead.attributes.is_empty() {
        String::new()
    } else {
        serde_json::to_string(&lead.attributes)?
    };
    writer.write_field(lead.id.to_string())?;
    writer.write_field(&*text(&lead.first_name))?;
    writer.write_field(&*text(&lead.last_name))?;
    writer.write_field(&*neutralize(&lead.name()))?;
    writer.write_field(&*text(&lead.email))?;
    writer.write_field(&*text(&lead.phone))?;
    writer.write_field(&*text(&lead.company))?;
    writer.write_field(&*text(&lead.title))?;
    writer.write_field(&*text(&lead.industry))?;
    writer.write_field(lead.company_size.map(|s| s.to_string()).unwrap_or_default())?;
    writer.write_field(&*text(&lead.country))?;
    writer.write_field(&*text(&lead.website))?;
    writer.write_field(&*text(&lead.source))?;
    writer.write_field(&*text(&lead.source_detail))?;
    writer.write_field(lead.status().as_str())?;
    writer.write_field(&*neutralize(&join_tags(&lead.tags)))?;
    writer.write_field(&*text(&lead.notes))?;
    // A JSON object starts with `{`: never a formula, so it needs no neutralizing.
    writer.write_field(&attributes)?;
    writer.write_field(&*text(&lead.external_id))?;
    writer.write_field(flag(lead.incentivized))?;
    writer.write_field(flag(lead.aware))?;
    writer.write_field(flag(lead.do_not_contact))?;
    writer.write_field(date(lead.created_at))?;
    writer.write_field(date(lead.updated_at))?;
    writer.write_field(lead.budget.as_str())?;
    writer.write_field(lead.authority.as_str())?;
    writer.write_field(&*text(&lead.need))?;
    writer.write_field(date(lead.timeline))?;
    writer.write_field(lead.scores.fit.to_string())?;
    writer.write_field(lead.scores.engagement.to_string())?;
    writer.write_field(lead.scores.readiness.to_string())?;
    writer.write_field(lead.scores.score.to_string())?;
    writer.write_field(lead.scores.grade.to_string())?;
    writer.write_field(
        lead.win_probability
            .map(|p| round_to(p, 3).to_string())
            .unwrap_or_default(),
    )?;
    writer.write_field(date(lead.next_follow_up))?;
    writer.write_field(date(lead.last_touch_at))?;
    writer.write_field(lead.deal_value.map(crate::model::money).unwrap_or_default())?;
    writer.write_record(None::<&[u8]>)?;
    Ok(())
}

/// What a masked personal value shows.
pub const MASK: &str = "***";

/// Mask the personal fields of a lead (names, email, phone, notes, the values of its
/// attributes, its external id, its website, its source detail); what describes the company and the
/// pipeline stays, so a redacted export still serves statistics.
/// Each name part present is masked on its own (a lead with a first and a last name shows
/// `*** ***`), an absent one stays absent: the same in CSV, JSON, NDJSON and vCard.
pub fn redact(lead: &mut Lead) {
    for field in [
        &mut lead.first_name,
        &mut lead.last_name,
        &mut lead.email,
        &mut lead.phone,
        &mut lead.notes,
        &mut lead.external_id,
        &mut lead.website,
        &mut lead.need,
        // "referred by Ada Lovelace": a detail of the source may name the person.
        &mut lead.source_detail,
    ] {
        if field.is_some() {
            *field = Some(MASK.to_string());
        }
    }
    for value in lead.attributes.values_mut() {
        *value = MASK.to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::cells::unneutralize;

    #[test]
    fn formulas_are_neutralized_and_come_back() {
        for cell in ["=HYPERLINK(\"x\")", "+1 555 0100", "-5", "@SUM(A1)"] {
            let safe = neutralize(cell);
            assert!(safe.starts_with('\''), "{cell}");
            assert_eq!(unneutralize(&safe), cell);
        }
        assert_eq!(neutralize("Acme"), "Acme");
        assert_eq!(neutralize(""), "");
    }

    #[test]
    fn redaction_masks_every_personal_field() {
        let mut lead = Lead {
            first_name: Some("Ada".into()),
            last_name: Some("Lovelace".into()),
            email: Some("ada@example.com".into()),
            phone: Some("+44 20 7946 0000".into()),
            company: Some("Analytical Engines".into()),
            notes: Some("met at the expo".into()),
            attributes: [("Mobile".to_string(), "+44 7700 900000".to_string())].into(),
            ..Lead::default()
        };
        redact(&mut lead);
        let json = lead.to_json().to_string();
        for secret in ["Ada", "Lovelace", "ada@", "7946", "7700", "expo"] {
            assert!(!json.contains(secret), "{secret} in {json}");
        }
        assert_eq!(lead.name(), "*** ***");
        assert_eq!(lead.last_name.as_deref(), Some("***"));
        assert_eq!(lead.company.as_deref(), Some("Analytical Engines"));
    }

    #[test]
    fn a_csv_export_has_every_column() {
        let lead = Lead {
            id: 7,
            first_name: Some("Ada".into()),
            phone: Some("+1 555".into()),
            tags: vec!["vip".into(), "expo".into()],
            attributes: [("Shoe Size".to_string(), "44".to_string())].into(),
            scores: crate::model::StoredScores {
                grade: crate::model::Grade::D,
                ..Default::default()
            },
            ..Lead::default()
        };
        let mut out = Vec::new();
        let mut writer = LeadWriter::new(&mut out, OutputShape::Csv).unwrap();
        writer.write(&lead).unwrap();
        writer.finish().unwrap();
        let text = String::from_utf8(out).unwrap();
        let mut lines = text.lines();
        // The contract's field names (DESIGN.md, Domain), in its order: written out here,
        // not taken from CSV_COLUMNS, so a column lost or renamed there fails this test.
        let contract = "id,first_name,last_name,name,email,phone,company,title,industry,\
            company_size,country,website,source,source_detail,status,tags,notes,attributes,\
            external_id,incentivized,aware,do_not_contact,created_at,updated_at,budget,\
            authority,need,timeline,fit,engagement,readiness,score,grade,win_probability,\
            next_follow_up,last_touch_at,deal_value";
        assert_eq!(lines.next(), Some(contract));
        assert_eq!(
            lines.next(),
            Some(
                "7,Ada,,Ada,,'+1 555,,,,,,,,,new,vip;expo,,\"{\"\"Shoe Size\"\":\"\"44\"\"}\",,false,false,false,,,unknown,unknown,,,0,0,0,0,D,,,,"
            )
        );
    }
}
