//! A lead as stored, its display name and identity, and its JSON shape in the contract.
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use super::{rfc3339, round_to, Answer, Status, StoredScores};

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
    /// The lead's data was erased by `forget`; only an anonymous row is left.
    pub forgotten: bool,
}

impl Lead {
    pub fn status(&self) -> Status {
        self.status.unwrap_or(Status::New)
    }

    /// What a table shows after the name of a lead nobody may contact (see `contact_marker`).
    pub fn contact_marker(&self) -> Option<&'static str> {
        contact_marker(&self.name(), self.do_not_contact, self.forgotten)
    }

    /// The display name: first + last, or the company when there is no person.
    pub fn name(&self) -> String {
        let person = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if !person.is_empty() {
            person
        } else if let Some(company) = self.company.as_deref() {
            company.to_string()
        } else if let Some(email) = self.email.as_deref() {
            email.to_string()
        } else if self.forgotten {
            "(forgotten)".to_string()
        } else {
            // An organization a list knows only by its site: the site names it.
            self.phone
                .clone()
                .or_else(|| self.website.clone())
                .or_else(|| self.external_id.clone())
                .unwrap_or_default()
        }
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

    /// The lead in the contract's JSON shape.
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("id".into(), json!(self.id));
        object.insert("first_name".into(), json!(self.first_name));
        object.insert("last_name".into(), json!(self.last_name));
        object.insert("name".into(), json!(self.name()));
        object.insert("email".into(), json!(self.email));
        object.insert("phone".into(), json!(self.phone));
        object.insert("company".into(), json!(self.company));
        object.insert("title".into(), json!(self.title));
        object.insert("industry".into(), json!(self.industry));
        object.insert("company_size".into(), json!(self.company_size));
        object.insert("country".into(), json!(self.country));
        object.insert("website".into(), json!(self.website));
        object.insert("source".into(), json!(self.source));
        object.insert("source_detail".into(), json!(self.source_detail));
        object.insert("status".into(), json!(self.status().as_str()));
        object.insert("tags".into(), json!(self.tags));
        object.insert("notes".into(), json!(self.notes));
        object.insert("attributes".into(), json!(self.attributes));
        object.insert("external_id".into(), json!(self.external_id));
        object.insert("incentivized".into(), json!(self.incentivized));
        object.insert("aware".into(), json!(self.aware));
        object.insert("do_not_contact".into(), json!(self.do_not_contact));
        object.insert("created_at".into(), json!(self.created_at.map(rfc3339)));
        object.insert("updated_at".into(), json!(self.updated_at.map(rfc3339)));
        object.insert("budget".into(), json!(self.budget.as_str()));
        object.insert("authority".into(), json!(self.authority.as_str()));
        object.insert("need".into(), json!(self.need));
        object.insert("timeline".into(), json!(self.timeline.map(rfc3339)));
        object.insert("fit".into(), json!(self.scores.fit));
        object.insert("engagement".into(), json!(self.scores.engagement));
        object.insert("readiness".into(), json!(self.scores.readiness));
        object.insert("score".into(), json!(self.scores.score));
        object.insert("grade".into(), json!(self.scores.grade.to_string()));
        object.insert(
            "win_probability".into(),
            // Only open leads have one: a closed lead's is stale until the next `learn`.
            json!(self
                .win_probability
                .filter(|_| !self.status().is_closed())
                .map(|p| round_to(p, 3))),
        );
        object.insert(
            "next_follow_up".into(),
            json!(self.next_follow_up.map(rfc3339)),
        );
        object.insert(
            "last_touch_at".into(),
            json!(self.last_touch_at.map(rfc3339)),
        );
        object.insert("deal_value".into(), json!(self.deal_value));
        object.insert("forgotten".into(), json!(self.forgotten));
        Value::Object(object)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_name_falls_back_to_company() {
        let lead = Lead {
            company: Some("Acme".into()),
            ..Lead::default()
        };
        assert_eq!(lead.name(), "Acme");
    }
}
