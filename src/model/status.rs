//! Where a lead is in the pipeline (`Status`, read also as other CRMs write it) and the
//! moves between places (`StatusChange`).
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::{did_you_mean, normalize_key, rfc3339};

/// A place in the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    New,
    Contacted,
    Nurturing,
    Qualified,
    Won,
    Lost,
    Disqualified,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::New,
        Status::Contacted,
        Status::Nurturing,
        Status::Qualified,
        Status::Won,
        Status::Lost,
        Status::Disqualified,
    ];

    /// Its place in the pipeline, `ALL`'s order: the index of per-status counts.
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Contacted => "contacted",
            Status::Nurturing => "nurturing",
            Status::Qualified => "qualified",
            Status::Won => "won",
            Status::Lost => "lost",
            Status::Disqualified => "disqualified",
        }
    }

    /// Won, lost and disqualified leads are closed: no more scoring or follow-ups.
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Won | Status::Lost | Status::Disqualified)
    }

    /// The status with exactly this name ("won"), if any.
    fn named(name: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Read a status the way other CRMs write it ("Closed - Converted", "Working - Contacted").
    /// Returns None for a value we do not recognise.
    pub fn from_synonym(text: &str) -> Option<Status> {
        // Not through `parse`: its error (with a did-you-mean) costs more than the lookup,
        // and an import asks this for every row.
        let key = normalize_key(text);
        if let Some(status) = Status::named(&key) {
            return Some(status);
        }
        let status = match key.as_str() {
            // Salesforce, HubSpot, Zoho and SuiteCRM default lead statuses included.
            "open" | "open_not_contacted" | "not_contacted" | "fresh" | "unworked" | "assigned"
            | "prospecting" | "potential" | "neu" | "nouveau" | "nuevo" | "novo" | "nuovo"
            | "nieuw" => Status::New,
            "working"
            | "working_contacted"
            | "attempted_to_contact"
            | "attempted"
            | "in_progress"
            | "in_process"
            | "pre_qualified"
            | "prequalified"
            | "connected"
            | "engaging"
            | "kontaktiert"
            | "contacté"
            | "contactado"
            | "contattato"
            | "gecontacteerd" => Status::Contacted,
            "nurture"
            | "nurturing"
            | "marketing_qualified"
            | "mql"
            | "engaged"
            | "bad_timing"
            | "contact_in_future"
            | "recycled" => Status::Nurturing,
            "sales_qualified"
            | "sql"
            | "prospect"
            | "opportunity"
            | "converted_to_opportunity"
            | "open_deal"
            | "proposition"
            | "proposal"
            | "qualifiziert"
            | "qualifié"
            | "cualificado"
            | "calificado"
            | "qualificado"
            | "qualificato"
            | "gekwalificeerd" => Status::Qualified,
            "closed_converted" | "converted" | "closed_won" | "customer" | "gewonnen" | "gagné"
            | "ganado" | "ganho" | "vinto" => Status::Won,
            "closed_not_converted"
            | "closed_lost"
            | "not_converted"
            | "lost_lead"
            | "dead"
            | "verloren"
            | "perdu"
            | "perdido"
            | "perso" => Status::Lost,
            "unqualified" | "junk" | "junk_lead" | "bad_data" | "not_interested"
            | "not_qualified" | "bad_fit" | "disqualifiziert" => Status::Disqualified,
            _ => return None,
        };
        Some(status)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_ascii_lowercase();
        Status::named(&wanted).ok_or_else(|| {
            let names = Status::ALL.map(|s| s.as_str());
            format!(
                "unknown status '{text}'{} (expected one of: {})",
                did_you_mean(&wanted, &names),
                names.join(", ")
            )
        })
    }
}

/// A move in the pipeline.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusChange {
    pub from: Option<Status>,
    pub to: Status,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
    /// Who moved it (`LEADS_USER`, else the login name); None before it was recorded.
    pub by: Option<String>,
}

impl StatusChange {
    pub fn to_json(&self) -> Value {
        json!({
            "from": self.from.map(|s| s.as_str()),
            "to": self.to.as_str(),
            "at": rfc3339(self.at),
            "reason": self.reason,
            "by": self.by,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_is_the_place_in_all() {
        for (place, status) in Status::ALL.iter().enumerate() {
            assert_eq!(status.index(), place, "{status:?}");
        }
    }

    #[test]
    fn statuses_from_other_crms() {
        assert_eq!(
            Status::from_synonym("Closed - Converted"),
            Some(Status::Won)
        );
        assert_eq!(
            Status::from_synonym("Closed - Not Converted"),
            Some(Status::Lost)
        );
        assert_eq!(
            Status::from_synonym("Working - Contacted"),
            Some(Status::Contacted)
        );
        assert_eq!(
            Status::from_synonym("Unqualified"),
            Some(Status::Disqualified)
        );
        assert_eq!(Status::from_synonym("QUALIFIED"), Some(Status::Qualified));
        assert_eq!(Status::from_synonym("Sleeping"), None);
    }
}
