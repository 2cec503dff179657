//! Writing leads out: CSV with every field (re-importable by `leads import`), JSON arrays
//! and NDJSON of `Lead::to_json()`, streamed one lead at a time; redaction of personal
//! fields for `export --redact`.
use std::borrow::Cow;
use std::io::{self, Write};

use super::cells::{join_tags, neutralize};
use crate::model::{exported_fields, personal_fields, rfc3339, round_to, Field, Lead};

/// The shape of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputShape {
    Csv,
    Json,
    Ndjson,
    /// vCard 3.0 cards.
    Vcard,
}

/// The CSV export's columns: the contract's fields marked exported (all but
/// `forgotten`), in `to_json()`'s order. `tags` are joined with `;`, `attributes` are one
/// JSON object.
pub fn csv_columns() -> impl Iterator<Item = &'static str> {
    exported_fields().map(Field::name)
}

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
                writer.write_record(csv_columns())?;
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
    for field in exported_fields() {
        writer.write_field(&*csv_cell(lead, field)?)?;
    }
    writer.write_record(None::<&[u8]>)?;
    Ok(())
}

/// One field's cell in the CSV export: text neutralized (no spreadsheet formula), dates
/// RFC 3339, flags `true`/`false`, an absent value empty.
fn csv_cell(lead: &Lead, field: Field) -> io::Result<Cow<'_, str>> {
    fn text(value: &Option<String>) -> Cow<'_, str> {
        value.as_deref().map(neutralize).unwrap_or_default()
    }
    let date = |at: Option<chrono::DateTime<chrono::Utc>>| at.map(rfc3339).unwrap_or_default();
    let flag = |on: bool| Cow::Borrowed(if on { "true" } else { "false" });
    Ok(match field {
        Field::Id => lead.id.to_string().into(),
        Field::FirstName => text(&lead.first_name),
        Field::LastName => text(&lead.last_name),
        Field::Name => neutralize(&lead.name()).into_owned().into(),
        Field::Email => text(&lead.email),
        Field::Phone => text(&lead.phone),
        Field::Company => text(&lead.company),
        Field::Title => text(&lead.title),
        Field::Industry => text(&lead.industry),
        Field::CompanySize => lead
            .company_size
            .map(|s| s.to_string())
            .unwrap_or_default()
            .into(),
        Field::Country => text(&lead.country),
        Field::Website => text(&lead.website),
        Field::Source => text(&lead.source),
        Field::SourceDetail => text(&lead.source_detail),
        Field::Status => lead.status().as_str().into(),
        Field::Tags => neutralize(&join_tags(&lead.tags)).into_owned().into(),
        Field::Notes => text(&lead.notes),
        // A JSON object starts with `{`: never a formula, so it needs no neutralizing.
        Field::Attributes if lead.attributes.is_empty() => "".into(),
        Field::Attributes => serde_json::to_string(&lead.attributes)?.into(),
        Field::ExternalId => text(&lead.external_id),
        Field::Incentivized => flag(lead.incentivized),
        Field::Aware => flag(lead.aware),
        Field::DoNotContact => flag(lead.do_not_contact),
        Field::CreatedAt => date(lead.created_at).into(),
        Field::UpdatedAt => date(lead.updated_at).into(),
        Field::Budget => lead.budget.as_str().into(),
        Field::Authority => lead.authority.as_str().into(),
        Field::Need => text(&lead.need),
        Field::Timeline => date(lead.timeline).into(),
        Field::Fit => lead.scores.fit.to_string().into(),
        Field::Engagement => lead.scores.engagement.to_string().into(),
        Field::Readiness => lead.scores.readiness.to_string().into(),
        Field::Score => lead.scores.score.to_string().into(),
        Field::Grade => lead.scores.grade.to_string().into(),
        // As stored, whatever the status (`to_json` leaves a closed lead's out).
        Field::WinProbability => lead
            .win_probability
            .map(|p| round_to(p, 3).to_string())
            .unwrap_or_default()
            .into(),
        Field::NextFollowUp => date(lead.next_follow_up).into(),
        Field::LastTouchAt => date(lead.last_touch_at).into(),
        Field::DealValue => lead
            .deal_value
            .map(crate::model::money)
            .unwrap_or_default()
            .into(),
        Field::Owner => text(&lead.owner),
        // Not a column (see `FIELDS`): only JSON says a lead was erased.
        Field::Forgotten => "".into(),
    })
}

/// What a masked personal value shows.
pub const MASK: &str = "***";

/// Mask the personal fields of a lead (those `model::FIELDS` marks personal: names,
/// email, phone, website, source detail ("referred by Ada Lovelace"), notes, external id,
/// need; and the values of its attributes); what describes the company and the pipeline
/// stays, so a redacted export still serves statistics.
/// Each name part present is masked on its own (a lead with a first and a last name shows
/// `*** ***`), an absent one stays absent: the same in CSV, JSON, NDJSON and vCard.
pub fn redact(lead: &mut Lead) {
    for field in personal_fields() {
        let slot = match field {
            Field::Email => Some(&mut lead.email),
            field => lead.text_mut(field),
        };
        if let Some(value) = slot.filter(|value| value.is_some()) {
            *value = Some(MASK.to_string());
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

    /// Every field an export writes and an import can fill comes back as it was, and
    /// every other column is one the import drops as computed: a field added to one of
    /// the lists only (`FIELDS`, the CSV cells, the mapping, the reader) fails here.
    #[test]
    fn every_field_round_trips_through_the_csv_export() {
        use crate::io::leads_in::{lead_from_cells, RowOptions};
        use crate::io::mapping::{map_headers, Target};
        use crate::model::{every_field_set, importable_fields};

        let lead = Lead {
            forgotten: false,
            ..every_field_set()
        };
        let mut out = Vec::new();
        let mut writer = LeadWriter::new(&mut out, OutputShape::Csv).unwrap();
        writer.write(&lead).unwrap();
        writer.finish().unwrap();
        let mut reader = csv::Reader::from_reader(out.as_slice());
        let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let row = reader.records().next().unwrap().unwrap();
        let mapping = map_headers(&headers, &[]);
        assert!(mapping.leads_export);
        for (header, target) in headers.iter().zip(&mapping.targets) {
            let field = Field::named(header).unwrap();
            let expected = if field.spec().computed() {
                Target::Drop
            } else {
                Target::Field(field)
            };
            assert_eq!(*target, expected, "{header}");
        }
        let options = RowOptions {
            leads_export: true,
            ..RowOptions::default()
        };
        let cells = mapping
            .targets
            .iter()
            .zip(mapping.keys.iter().map(String::as_str))
            .zip(row.iter())
            .map(|((target, key), value)| {
                (target, key, value, crate::dates::imported::Order::Unknown)
            });
        let back = lead_from_cells(cells, options).unwrap().unwrap();
        assert!(back.warnings.is_empty(), "{:?}", back.warnings);
        for field in importable_fields() {
            assert_eq!(
                back.lead.json_value(field),
                lead.json_value(field),
                "{}",
                field.name()
            );
        }
    }

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

    /// Every field the table marks personal is masked, and only those (with the
    /// attributes' values): a personal field the redaction cannot reach fails here.
    #[test]
    fn redaction_follows_the_table() {
        let lead = crate::model::every_field_set();
        let mut redacted = lead.clone();
        redact(&mut redacted);
        for spec in crate::model::FIELDS {
            let (before, after) = (lead.json_value(spec.field), redacted.json_value(spec.field));
            match spec.field {
                Field::Attributes => assert_eq!(after, serde_json::json!({"Shoe Size": MASK})),
                // The display name follows the names.
                Field::Name => assert_eq!(after, serde_json::json!("*** ***")),
                _ if spec.personal() => assert_eq!(after, serde_json::json!(MASK), "{}", spec.name),
                _ => assert_eq!(after, before, "{}", spec.name),
            }
        }
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
        // not taken from the table, so a column lost or renamed there fails this test.
        let contract = "id,first_name,last_name,name,email,phone,company,title,industry,\
            company_size,country,website,source,source_detail,status,tags,notes,attributes,\
            external_id,incentivized,aware,do_not_contact,created_at,updated_at,budget,\
            authority,need,timeline,fit,engagement,readiness,score,grade,win_probability,\
            next_follow_up,last_touch_at,deal_value,owner";
        assert_eq!(lines.next(), Some(contract));
        assert_eq!(
            lines.next(),
            Some(
                "7,Ada,,Ada,,'+1 555,,,,,,,,,new,vip;expo,,\"{\"\"Shoe Size\"\":\"\"44\"\"}\",,false,false,false,,,unknown,unknown,,,0,0,0,0,D,,,,,"
            )
        );
    }
}
