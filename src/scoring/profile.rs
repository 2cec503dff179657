//! The seller's profile: the ideal customer, the points of each activity and source, the
//! weights and thresholds; and the defaults that work with no configuration.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::rules;
use crate::model::{ActivityKind, CallOutcome, Touch, KNOWN_SOURCES};

/// Everything the scores depend on besides the lead: the seller's ideal customer, the
/// weights and thresholds. Stored in the database, changed with `leads config`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    /// Target industries (lower case); empty means "any industry".
    pub industries: Vec<String>,
    /// Target company size, in employees, inclusive.
    pub size_min: i64,
    pub size_max: i64,
    /// Target countries (lower case); empty means "any country".
    pub countries: Vec<String>,
    /// Words in a title that mark a decision maker.
    pub senior_titles: Vec<String>,
    /// Words in a title that mark someone who influences the decision.
    pub manager_titles: Vec<String>,
    /// Words in a title (or an occupation) that mark someone who does not buy: a student,
    /// someone out of work. They come first: a "Retired CEO" signs nothing.
    pub non_buyer_titles: Vec<String>,
    pub weight_fit: f64,
    pub weight_engagement: f64,
    pub weight_readiness: f64,
    /// Days after which an activity counts half as much.
    pub half_life_days: f64,
    /// Points per activity kind, when it just happened.
    pub activity_points: BTreeMap<String, f64>,
    /// Points for where the lead came from (do not decay).
    pub source_points: BTreeMap<String, f64>,
    /// Points for a source not in `source_points`.
    pub unknown_source_points: f64,
    /// Engagement multiplier for an incentivized lead who was not aware of a follow-up.
    pub incentive_factor: f64,
    /// Lowest score of each grade.
    pub grade_a: i64,
    pub grade_b: i64,
    pub grade_c: i64,
    /// `qualify` moves a lead to qualified at this score or above...
    pub qualify_at: i64,
    /// ...and to disqualified below this one.
    pub disqualify_below: i64,
    /// The seller's rules on any field or attribute (`leads config rule add`).
    pub rules: Vec<rules::Rule>,
    /// The highest rule number ever given, so that numbers are never reused once the
    /// highest rules are deleted. A profile saved before it was kept reads 0: the
    /// numbers then go on from its highest rule (`next_rule_id`).
    pub last_rule_id: u32,
}

impl Profile {
    /// The number of the next rule added: never one given before.
    pub fn next_rule_id(&self) -> u32 {
        let highest = self.rules.iter().map(|rule| rule.id).max().unwrap_or(0);
        self.last_rule_id.max(highest).saturating_add(1)
    }
}

/// Words of a decision maker's title.
const SENIOR_TITLES: [&str; 16] = [
    "owner",
    "founder",
    "co-founder",
    "ceo",
    "cto",
    "cfo",
    "coo",
    "cmo",
    "chief",
    "president",
    "vp",
    "vice president",
    "head",
    "director",
    "partner",
    "principal",
];

/// Words of an influencer's title.
const MANAGER_TITLES: [&str; 5] = ["manager", "lead", "supervisor", "buyer", "purchasing"];

/// Words of someone who does not buy: a common negative-scoring rule (students, people
/// between jobs).
const NON_BUYER_TITLES: [&str; 8] = [
    "student",
    "unemployed",
    "retired",
    "intern",
    "trainee",
    "job seeker",
    "homemaker",
    "housewife",
];

impl Default for Profile {
    fn default() -> Self {
        Profile {
            industries: Vec::new(),
            size_min: 10,
            size_max: 500,
            countries: Vec::new(),
            senior_titles: SENIOR_TITLES.map(String::from).to_vec(),
            manager_titles: MANAGER_TITLES.map(String::from).to_vec(),
            non_buyer_titles: NON_BUYER_TITLES.map(String::from).to_vec(),
            weight_fit: 40.0,
            weight_engagement: 35.0,
            weight_readiness: 25.0,
            half_life_days: 30.0,
            activity_points: default_activity_points(),
            source_points: default_source_points(),
            unknown_source_points: 3.0,
            incentive_factor: 0.5,
            grade_a: 70,
            grade_b: 50,
            grade_c: 30,
            qualify_at: 60,
            disqualify_below: 25,
            rules: Vec::new(),
            last_rule_id: 0,
        }
    }
}

/// Whether a kind of activity has points of its own in the profile: not the seller's own
/// email (an attempt: Domain), nor a bounce (it counts against, as silence does). A call
/// has points, for a connected one; an unanswered call earns none.
pub fn has_points(kind: ActivityKind) -> bool {
    // A call is an answer when connected: it has points. A kind that is an attempt
    // whatever happened (an email sent) has none.
    let attempt = kind.touch(Some(CallOutcome::Connected)) == Some(Touch::Attempt);
    !attempt && kind != ActivityKind::EmailBounced
}

/// What each kind of activity is worth when it just happened: the lead's own steps
/// towards the seller (a demo, a meeting, a reply) most.
fn default_activity_points() -> BTreeMap<String, f64> {
    [
        (ActivityKind::EmailOpened, 3.0),
        (ActivityKind::EmailReplied, 20.0),
        (ActivityKind::Call, 15.0),
        (ActivityKind::Meeting, 30.0),
        (ActivityKind::Demo, 35.0),
        (ActivityKind::Visit, 5.0),
        (ActivityKind::Download, 10.0),
        (ActivityKind::Webinar, 15.0),
        (ActivityKind::Event, 15.0),
        (ActivityKind::Form, 20.0),
        (ActivityKind::Note, 0.0),
    ]
    .into_iter()
    .map(|(kind, points)| (kind.as_str().to_string(), points))
    .collect()
}

/// How warm each known source is: someone's word (a referral, a partner) most, a
/// purchased list nothing.
fn default_source_points() -> BTreeMap<String, f64> {
    KNOWN_SOURCES
        .iter()
        .map(|source| {
            let points = match *source {
                "referral" => 25.0,
                "partner" => 20.0,
                "networking_event" => 15.0,
                "trade_show" | "conference" | "chamber_of_commerce" => 12.0,
                // Someone who wrote in of their own accord (`mail import --add-unknown`).
                "web_form" | "webinar" | "inbound_email" => 10.0,
                "content_download" | "sponsorship" => 8.0,
                "email_campaign" | "newsletter" | "social" | "local_media" => 5.0,
                "advertising" => 4.0,
                "direct_mail" | "third_party" | "other" => 3.0,
                "cold_outreach" => 2.0,
                _ => 0.0, // purchased_list
            };
            (source.to_string(), points)
        })
        .collect()
}
