//! A lead as stored, its display name and identity, and its JSON shape in the contract.
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use super::{rfc3339, round_to, Answer, Field, Status, StoredScores, FIELDS};

/// How to order a list of leads (`list --sort`; the store writes each as SQL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LeadOrder {
    #[default]
    Score,
    Created,
    Name,
    FollowUp,
    Win,
    /// Longest untouched first (never touched: by creation).
    Touch,
    /// Creation order (ids), for exports.
    Id,
}

/// A lead as stored.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lead {
    pub id: i64,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub industry: Option<String>,
    pub company_size: Option<i64>,
    pub country: Option<String>,
    pub website: Option<String>,
    pub source: Option<String>,
    pub source_detail: Option<String>,
    pub status: Option<Status>,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub attributes: BTreeMap<String, String>,
    pub external_id: Option<String>,
    pub incentivized: bool,
    pub aware: bool,
    pub do_not_contact: bool,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    pub budget: Answer,
    pub authority: Answer,
    pub need: Option<String>,
    pub timeline: Option<DateTime<Utc>>,
    pub scores: StoredScores,
    pub win_probability: Option<f64>,
    pub next_follow_up: Option<DateTime<Utc>>,
    /// The latest touch (an answer or an attempt: see `ActivityKind::touch`).
    pub last_touch_at: Option<DateTime<Utc>>,
    /// The latest answer (not in the contract's JSON: `today` reads it).
    pub last_answer_at: Option<DateTime<Utc>>,
    /// What the won deal brought (`status ID won --value`, `edit --value`).
    pub deal_value: Option<f64>,
    /// The seller the lead belongs to (`LEADS_USER` of whoever added or imported it, or
    /// `--owner`); None for leads from before owners were recorded.
    pub owner: Option<String>,
    /// The lead's data was erased by `forget`; only an anonymous row is left.
    pub forgotten: bool,
}

impl Lead {
    pub fn status(&self) -> Status {
        self.status.unwrap_or(Status::New)
    }

    /// What a table shows after the name of a lead nobody may contact (see `contact_marker`).
    pub fn contact_marker(&self) -> Option<&'static str> {
        if !self.forgotten && !self.do_not_contact {
            return None; // most leads: no name to make
        }
        contact_marker(&self.name(), self.do_not_contact, self.forgotten)
    }

    /// The display name: first + last, or the company when there is no person.
    pub fn name(&self) -> String {
        display_name(&NameParts {
            first_name: self.first_name.as_deref(),
            last_name: self.last_name.as_deref(),
            company: self.company.as_deref(),
            email: self.email.as_deref(),
            phone: self.phone.as_deref(),
            website: self.website.as_deref(),
            external_id: self.external_id.as_deref(),
            forgotten: self.forgotten,
        })
    }

    /// A lead needs something to recognise it by.
    pub fn has_identity(&self) -> bool {
        [
            &self.first_name,
            &self.last_name,
            &self.company,
            &self.email,
            &self.phone,
            &self.website,
            &self.external_id,
        ]
        .iter()
        .any(|field| field.as_deref().is_some_and(|v| !v.trim().is_empty()))
    }

    /// The lead in the contract's JSON shape: every field of `FIELDS`, in its order.
    pub fn to_json(&self) -> Value {
        self.to_json_of(|_| true)
    }

    /// The fields of the contract's JSON that `keep` names, in its order: what a table or
    /// a CSV of a few columns needs, without building (and hashing into a map) the other
    /// thirty of every lead on every read.
    pub fn to_json_of(&self, keep: impl Fn(&str) -> bool) -> Value {
        let mut object = Map::new();
        for spec in FIELDS.iter().filter(|spec| keep(spec.name)) {
            object.insert(spec.name.into(), self.json_value(spec.field));
        }
        Value::Object(object)
    }

    /// One field's value in the contract's JSON.
    pub fn json_value(&self, field: Field) -> Value {
        let date = |at: Option<DateTime<Utc>>| json!(at.map(rfc3339));
        match field {
            Field::Id => json!(self.id),
            Field::FirstName => json!(self.first_name),
            Field::LastName => json!(self.last_name),
            Field::Name => json!(self.name()),
            Field::Email => json!(self.email),
            Field::Phone => json!(self.phone),
            Field::Company => json!(self.company),
            Field::Title => json!(self.title),
            Field::Industry => json!(self.industry),
            Field::CompanySize => json!(self.company_size),
            Field::Country => json!(self.country),
            Field::Website => json!(self.website),
            Field::Source => json!(self.source),
            Field::SourceDetail => json!(self.source_detail),
            Field::Status => json!(self.status().as_str()),
            Field::Tags => json!(self.tags),
            Field::Notes => json!(self.notes),
            Field::Attributes => json!(self.attributes),
            Field::ExternalId => json!(self.external_id),
            Field::Incentivized => json!(self.incentivized),
            Field::Aware => json!(self.aware),
            Field::DoNotContact => json!(self.do_not_contact),
            Field::CreatedAt => date(self.created_at),
            Field::UpdatedAt => date(self.updated_at),
            Field::Budget => json!(self.budget.as_str()),
            Field::Authority => json!(self.authority.as_str()),
            Field::Need => json!(self.need),
            Field::Timeline => date(self.timeline),
            Field::Fit => json!(self.scores.fit),
            Field::Engagement => json!(self.scores.engagement),
            Field::Readiness => json!(self.scores.readiness),
            Field::Score => json!(self.scores.score),
            Field::Grade => json!(self.scores.grade.to_string()),
            // Only open leads have one: a closed lead's is stale until the next `learn`.
            Field::WinProbability => json!(self
                .win_probability
                .filter(|_| !self.status().is_closed())
                .map(|p| round_to(p, 3))),
            Field::NextFollowUp => date(self.next_follow_up),
            Field::LastTouchAt => date(self.last_touch_at),
            Field::DealValue => json!(self.deal_value),
            Field::Owner => json!(self.owner),
            Field::Forgotten => json!(self.forgotten),
        }
    }

    /// Where a field of free text (`Kind::Text`) is held, to set it (`add`, `edit`, an
    /// import's cell); `None` for any other field.
    pub fn text_mut(&mut self, field: Field) -> Option<&mut Option<String>> {
        self.text_and_attributes_mut(field).map(|(slot, _)| slot)
    }

    /// `text_mut`, with the attributes beside it (an import keeps a second, different
    /// value there).
    pub fn text_and_attributes_mut(
        &mut self,
        field: Field,
    ) -> Option<(&mut Option<String>, &mut BTreeMap<String, String>)> {
        let Lead {
            first_name,
            last_name,
            phone,
            company,
            title,
            industry,
            country,
            website,
            source_detail,
            notes,
            external_id,
            need,
            owner,
            attributes,
            ..
        } = self;
        let slot = match field {
            Field::FirstName => first_name,
            Field::LastName => last_name,
            Field::Phone => phone,
            Field::Company => company,
            Field::Title => title,
            Field::Industry => industry,
            Field::Country => country,
            Field::Website => website,
            Field::SourceDetail => source_detail,
            Field::Notes => notes,
            Field::Owner => owner,
            Field::ExternalId => external_id,
            Field::Need => need,
            _ => return None,
        };
        Some((slot, attributes))
    }
}

/// The marker a table shows after the name of a lead nobody may contact: "forgotten" for
/// an erased person's row (unless the name already is "(forgotten)"), "do not contact"
/// for a lead marked so. Tables keep it whole however narrow they get.
pub fn contact_marker(name: &str, do_not_contact: bool, forgotten: bool) -> Option<&'static str> {
    if forgotten {
        (name != "(forgotten)").then_some("forgotten")
    } else if do_not_contact {
        Some("do not contact")
    } else {
        None
    }
}

/// What a lead's display name is made of, borrowed (a listing makes names from its rows
/// without making a lead for each).
#[derive(Debug, Clone, Copy, Default)]
pub struct NameParts<'a> {
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
    pub company: Option<&'a str>,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub website: Option<&'a str>,
    pub external_id: Option<&'a str>,
    pub forgotten: bool,
}

/// The display name (`Lead::name`): first + last, or the company when there is no
/// person, else the email, "(forgotten)", the phone, the website, the external id.
pub fn display_name(parts: &NameParts<'_>) -> String {
    let person = match (
        parts.first_name.filter(|part| !part.is_empty()),
        parts.last_name.filter(|part| !part.is_empty()),
    ) {
        (Some(first), Some(last)) => format!("{first} {last}"),
        (Some(one), None) | (None, Some(one)) => one.to_string(),
        (None, None) => String::new(),
    };
    if !person.is_empty() {
        person
    } else if let Some(company) = parts.company {
        company.to_string()
    } else if let Some(email) = parts.email {
        email.to_string()
    } else if parts.forgotten {
        "(forgotten)".to_string()
    } else {
        // An organization a list knows only by its site: the site names it.
        parts
            .phone
            .or(parts.website)
            .or(parts.external_id)
            .unwrap_or_default()
            .to_string()
    }
}

/// A lead with every field of `FIELDS` given a value (none empty, every flag on), for
/// tests that check each representation knows each field.
#[cfg(test)]
pub fn every_field_set() -> Lead {
    use chrono::TimeZone;
    let at = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let text = |t: &str| Some(t.to_string());
    Lead {
        id: 7,
        first_name: text("Ada"),
        last_name: text("Lovelace"),
        email: text("ada@example.com"),
        phone: text("+64 9 555 0100"),
        company: text("Acme"),
        title: text("CTO"),
        industry: text("software"),
        company_size: Some(40),
        country: text("NZ"),
        website: text("acme.example"),
        source: text("referral"),
        source_detail: text("Bob"),
        status: Some(Status::Qualified),
        tags: vec!["vip".into()],
        notes: text("met at expo"),
        attributes: [("Shoe Size".to_string(), "44".to_string())].into(),
        external_id: text("X-1"),
        incentivized: true,
        aware: true,
        do_not_contact: true,
        created_at: Some(at),
        updated_at: Some(at),
        budget: Answer::Yes,
        authority: Answer::No,
        need: text("a CRM"),
        timeline: Some(at),
        scores: StoredScores {
            fit: 50,
            engagement: 20,
            readiness: 65,
            score: 44,
            grade: super::Grade::C,
        },
        win_probability: Some(0.5),
        next_follow_up: Some(at),
        last_touch_at: Some(at),
        last_answer_at: Some(at),
        deal_value: Some(100.0),
        owner: Some("sam".to_string()),
        forgotten: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    #[test]
    fn display_name_falls_back_to_company() {
        let lead = Lead {
            company: Some("Acme".into()),
            ..Lead::default()
        };
        assert_eq!(lead.name(), "Acme");
    }

    #[test]
    fn every_text_field_has_a_slot_and_no_other() {
        let mut lead = Lead::default();
        for spec in FIELDS {
            let slot = lead.text_mut(spec.field).is_some();
            assert_eq!(slot, spec.kind == Kind::Text, "{}", spec.name);
        }
    }

    #[test]
    fn the_json_has_every_field_in_the_tables_order() {
        let json = Lead::default().to_json();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let names: Vec<&str> = FIELDS.iter().map(|spec| spec.name).collect();
        assert_eq!(keys, names);
        // The contract's order, spelt out: the table may only grow at the end of a group.
        assert_eq!(
            keys.join(","),
            "id,first_name,last_name,name,email,phone,company,title,industry,company_size,\
             country,website,source,source_detail,status,tags,notes,attributes,external_id,\
             incentivized,aware,do_not_contact,created_at,updated_at,budget,authority,need,\
             timeline,fit,engagement,readiness,score,grade,win_probability,next_follow_up,\
             last_touch_at,deal_value,owner,forgotten"
        );
    }
}
