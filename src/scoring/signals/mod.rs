//! Engagement signals from the columns of marketing-automation and CRM exports.
//!
//! An export says what a lead did in its own columns: HubSpot's "Number of Pageviews",
//! LeadSquared's "Total Time Spent on Website" and "Last Activity" = "Email Opened",
//! Mailchimp's "MEMBER_RATING", ... Import keeps those columns verbatim in the lead's
//! `attributes`; this module recognizes them there (by header, ignoring case, spaces and
//! punctuation, like the import's header mapping) and turns their values into engagement
//! points, each with a line of the form that names the column it came from.
//!
//! Pure and table-driven: `signal_for_key` says which column means what, `LAST_ACTIVITIES`
//! and `LEAD_ORIGINS` what the values of those columns are worth. Only header and value names that
//! real tools write belong here, never a value that one data set happens to use.
//!
//! Two columns say more than what the lead did: a referral flag counts as engagement, as
//! a referral source does, and a data-completeness rating counts for fit (the quality of
//! the lead's data).
//!
//! The counts of an export carry no date of their own: they count as they are, without
//! decay (activities logged in `leads` decay). Opt-outs, bounces and unsubscribes count
//! against the lead.

use super::Part;
use crate::model::{read_yes_no, squash_into};

/// What a recognized column measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Signal {
    /// Time spent on the website, in seconds (or minutes when the header says so).
    TimeOnSite,
    /// Website visits (sessions).
    Visits,
    /// Page views, in total.
    PageViews,
    /// Page views per visit (an average).
    PagesPerVisit,
    /// Form submissions (HubSpot's conversions).
    FormSubmissions,
    EmailsOpened,
    EmailsClicked,
    EmailsReplied,
    /// Times the seller's side reached the lead (calls, meetings, logged emails).
    SalesActivities,
    /// The kind of the lead's last activity ("Email Opened", "Had a Phone Conversation").
    LastActivity,
    /// How the lead entered the other tool (LeadSquared's "Lead Origin"): added by a
    /// seller's hand after a conversation, or bulk-imported.
    LeadOrigin,
    /// A yes/no column saying the lead was referred ("Referral", "Through
    /// Recommendations"), or the name of who referred them ("Referred By").
    Referred,
    /// Mailchimp's member rating, 1 to 5 stars of email engagement.
    MemberRating,
    /// Bounced email: a count, a flag or a bounce date/reason.
    EmailBounced,
    /// Unsubscribed from email (a flag or a date).
    Unsubscribed,
    /// How complete the lead's profile is, as the other tool rates it ("Profile
    /// Completed" = High, a "Data Completeness" of 85%): the quality of its data, a fit
    /// signal, the only one of this table.
    DataCompleteness,
}

impl Signal {
    /// The factor's name on the form.
    pub fn factor(self) -> &'static str {
        match self {
            Signal::TimeOnSite => "time on website",
            Signal::Visits => "website visits",
            Signal::PageViews => "page views",
            Signal::PagesPerVisit => "page views per visit",
            Signal::FormSubmissions => "form submissions",
            Signal::EmailsOpened => "emails opened",
            Signal::EmailsClicked => "emails clicked",
            Signal::EmailsReplied => "emails replied",
            Signal::SalesActivities => "sales activities",
            Signal::LastActivity => "last activity",
            Signal::LeadOrigin => "lead origin",
            Signal::MemberRating => "email rating",
            Signal::EmailBounced => "email bounced",
            Signal::Unsubscribed => "unsubscribed",
            Signal::Referred => "referred",
            Signal::DataCompleteness => "data completeness",
        }
    }

    /// The sub-score its line belongs to.
    pub fn part(self) -> Part {
        match self {
            Signal::DataCompleteness => Part::Fit,
            _ => Part::Engagement,
        }
    }
}

/// Points per unit of a counted signal, and the most it can earn.
struct Count {
    each: f64,
    at_most: f64,
}

fn count_points(signal: Signal) -> Option<Count> {
    let (each, at_most) = match signal {
        // Per minute on the website: the strongest web signal there is.
        Signal::TimeOnSite => (1.0, 40.0),
        Signal::Visits => (0.25, 2.5),
        Signal::PageViews => (0.5, 10.0),
        Signal::PagesPerVisit => (0.25, 1.5),
        Signal::FormSubmissions => (10.0, 30.0),
        Signal::EmailsOpened => (1.0, 10.0),
        Signal::EmailsClicked => (3.0, 15.0),
        Signal::EmailsReplied => (10.0, 30.0),
        Signal::SalesActivities => (3.0, 15.0),
        _ => return None,
    };
    Some(Count { each, at_most })
}

/// Points of a lead the file says was referred: nearly a referral source's 25 (the
/// default profile), counted only when the source is not `referral` already.
pub const REFERRED_POINTS: f64 = 20.0;

/// Points of a complete profile, and of a partly complete one.
const COMPLETE_POINTS: f64 = 10.0;
const PARTLY_COMPLETE_POINTS: f64 = 5.0;

/// Points against a lead whose email bounced or who unsubscribed (and for `do_not_contact`).
pub const OPTED_OUT_POINTS: f64 = -10.0;
pub const BOUNCED_POINTS: f64 = -10.0;

/// The signal a header names (squashed: lower-case letters and digits). HubSpot contacts
/// (labels and internal names), Marketo, Pardot, Mailchimp audiences, Salesforce leads,
/// LeadSquared and generic analytics names. A `match`, not a list to search: it runs for
/// every attribute of every imported lead.
fn signal_for_key(key: &str) -> Option<Signal> {
    web_signal(key)
        .or_else(|| email_signal(key))
        .or_else(|| record_signal(key))
}

/// What the lead did on the website: time, visits, pages, forms.
fn web_signal(key: &str) -> Option<Signal> {
    let signal = match key {
        "totaltimespentonwebsite"
        | "timespentonwebsite"
        | "timeonwebsite"
        | "timeonsite"
        | "totaltimeonsite"
        | "sessionduration"
        | "timeonsiteseconds"
        | "timeonsiteminutes"
        | "timespentonwebsiteminutes" => Signal::TimeOnSite,
        "numberofsessions"
        | "hsanalyticsnumvisits"
        | "totalvisits"
        | "websitevisits"
        | "webvisits"
        | "numberofvisits"
        | "visits"
        | "sessions"
        | "numberofwebsitevisits" => Signal::Visits,
        "numberofpageviews"
        | "hsanalyticsnumpageviews"
        | "pageviews"
        | "totalpageviews"
        | "webpageviews"
        | "pagesviewed"
        | "pageviewcount" => Signal::PageViews,
        "pageviewspervisit"
        | "pagespervisit"
        | "pagespersession"
        | "averagepageviews"
        | "hsanalyticsaveragepageviews" => Signal::PagesPerVisit,
        "numberofformsubmissions"
        | "numconversionevents"
        | "formsubmissions"
        | "numberofforms"
        | "formfills" => Signal::FormSubmissions,
        _ => return None,
    };
    Some(signal)
}

/// What the lead did with the emails: opens, clicks, replies, bounces, opt-outs, rating.
fn email_signal(key: &str) -> Option<Signal> {
    let signal = match key {
        "marketingemailsopened"
        | "hsemailopen"
        | "emailopens"
        | "emailsopened"
        | "emailopencount"
        | "totalopens"
        | "uniqueopens"
        | "opens" => Signal::EmailsOpened,
        "marketingemailsclicked"
        | "hsemailclick"
        | "emailclicks"
        | "emailsclicked"
        | "emailclickcount"
        | "totalclicks"
        | "uniqueclicks"
        | "clicks" => Signal::EmailsClicked,
        "marketingemailsreplied"
        | "hsemailreplied"
        | "emailreplies"
        | "emailsreplied"
        | "replies" => Signal::EmailsReplied,
        "memberrating" => Signal::MemberRating,
        "marketingemailsbounced"
        | "hsemailbounce"
        | "emailbounced"
        | "emailbounces"
        | "emailbounceddate"
        | "emailbouncedreason"
        | "emailinvalid"
        | "hardbounced"
        | "bounced" => Signal::EmailBounced,
        "unsubscribedfromallemail"
        | "hsemailoptout"
        | "unsubscribeddate"
        | "unsubscribetime"
        | "marketingsuspended" => Signal::Unsubscribed,
        _ => return None,
    };
    Some(signal)
}

/// What the other tool recorded of the lead: sales contacts, the last activity, the
/// origin, a referral, how complete the profile is.
fn record_signal(key: &str) -> Option<Signal> {
    let signal = match key {
        "numberofsalesactivities"
        | "numberoftimescontacted"
        | "numcontactednotes"
        | "timescontacted" => Signal::SalesActivities,
        "lastactivity" | "lastnotableactivity" | "lastactivitytype" | "lastengagementtype" => {
            Signal::LastActivity
        }
        "leadorigin" => Signal::LeadOrigin,
        "referral"
        | "referred"
        | "referredby"
        | "wasreferred"
        | "isreferral"
        | "throughrecommendations"
        | "throughrecommendation" => Signal::Referred,
        "profilecompleted"
        | "profilecomplete"
        | "profilecompleteness"
        | "profilecompletion"
        | "datacompleteness"
        | "completeness" => Signal::DataCompleteness,
        _ => return None,
    };
    Some(signal)
}

/// "Last activity" values (squashed) of LeadSquared, HubSpot, Salesforce and others, and
/// their points: what the lead did last, the seller's direct contacts (a phone
/// conversation, a text) worth most, a bounce or an unsubscribe counting against.
const LAST_ACTIVITIES: &[(&str, f64)] = &[
    ("hadaphoneconversation", 15.0),
    ("phoneconversation", 15.0),
    ("callcompleted", 15.0),
    ("call", 15.0),
    ("phonecall", 15.0),
    ("meeting", 15.0),
    ("meetingbooked", 15.0),
    ("visitedboothintradeshow", 15.0),
    ("eventattended", 15.0),
    ("webinarattended", 15.0),
    ("emailreplied", 15.0),
    ("emailreceived", 15.0), // the lead wrote to the seller
    ("smssent", 12.0),
    ("smsreceived", 12.0),
    ("textmessage", 12.0),
    ("formsubmittedonwebsite", 8.0),
    ("formsubmitted", 8.0),
    ("formsubmission", 8.0),
    ("emaillinkclicked", 5.0),
    ("emailclicked", 5.0),
    ("viewinbrowserlinkclicked", 5.0),
    ("pagevisitedonwebsite", 4.0),
    ("pagevisited", 4.0),
    ("websitevisit", 4.0),
    ("olarkchatconversation", 4.0), // a web chat (often with a bot)
    ("chatconversation", 4.0),
    ("livechat", 4.0),
    ("emailopened", 3.0),
    ("resubscribedtoemails", 3.0),
    ("convertedtolead", 0.0), // nothing yet beyond becoming a lead
    ("unreachable", -3.0),
    ("emailbounced", -10.0),
    ("unsubscribed", -10.0),
    ("emailunsubscribed", -10.0),
    ("emailmarkedspam", -15.0),
    ("markedasspam", -15.0),
];

/// "Lead Origin" values (LeadSquared's standard ones) and their points: a lead a seller
/// typed in by hand was talked to; a bulk import or a web form is how most leads arrive and
/// says nothing more.
const LEAD_ORIGINS: &[(&str, f64)] = &[
    ("leadaddform", 10.0),
    ("quickaddform", 10.0),
    ("landingpagesubmission", 0.0),
    ("api", 0.0),
    ("leadimport", 0.0),
];

/// The signal a column header names, if any. Cheap: called for every attribute of every
/// scored lead, so it squashes into a small buffer and allocates nothing.
pub fn signal_for_header(header: &str) -> Option<Signal> {
    let mut buffer = [0u8; 40];
    let key = squash_into(header, &mut buffer)?;
    signal_for_key(key).or_else(|| {
        // A time column with its unit in the header: "Time on Site (mins)".
        let (unit, _) = time_unit(key)?;
        let signal = signal_for_key(&key[..key.len() - unit.len()])?;
        (signal == Signal::TimeOnSite).then_some(signal)
    })
}

/// The unit at the end of a time column's header (squashed), and its seconds: one
/// reading for both questions, which column it is and what its numbers count.
fn time_unit(key: &str) -> Option<(&'static str, f64)> {
    const UNITS: [(&str, f64); 6] = [
        ("seconds", 1.0),
        ("minutes", 60.0),
        ("secs", 1.0),
        ("mins", 60.0),
        ("sec", 1.0),
        ("min", 60.0),
    ];
    UNITS.into_iter().find(|(unit, _)| key.ends_with(unit))
}

/// The points of a "last activity" value, if it is one the table knows.
pub fn last_activity_points(value: &str) -> Option<f64> {
    let mut buffer = [0u8; 40];
    let key = squash_into(value, &mut buffer)?;
    LAST_ACTIVITIES
        .iter()
        .find(|(name, _)| *name == key)
        .map(|(_, points)| *points)
}

/// One recognized column's contribution: the form's line. Borrowed, and its value text
/// built only when the form is printed (an import scores without one).
#[derive(Debug, Clone, PartialEq)]
pub struct Found<'a> {
    pub signal: Signal,
    header: &'a str,
    text: &'a str,
    shown: Shown,
    pub points: f64,
}

/// How a value is shown on the form.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shown {
    /// As the file has it.
    Text,
    Seconds(f64),
    Count(f64),
    Stars(f64),
}

impl Found<'_> {
    /// What the lead has, as the form shows it ("674 seconds (Total Time Spent on Website)").
    pub fn value(&self) -> String {
        let shown = match self.shown {
            Shown::Text => self.text.to_string(),
            Shown::Seconds(1.0) => "1 second".to_string(),
            Shown::Seconds(seconds) => format!("{} seconds", format_number(seconds)),
            Shown::Count(count) => format_number(count),
            Shown::Stars(stars) => format!("{stars} of 5"),
        };
        format!("{shown} ({})", self.header)
    }
}

/// How many kinds of signal there are (`Signal as usize` is below).
pub const KINDS: usize = Signal::DataCompleteness as usize + 1;

/// Read one attribute as a signal: None when the header is no signal or the value says
/// nothing (empty, zero, "false", unreadable).
pub fn read<'a>(signal: Signal, header: &'a str, value: &'a str) -> Option<Found<'a>> {
    let text = value.trim();
    if text.is_empty() {
        return None;
    }
    let header = header.trim();
    let found = |shown: Shown, points: f64| Found {
        signal,
        header,
        text,
        shown,
        points,
    };
    match signal {
        Signal::LastActivity => {
            let points = last_activity_points(text)?;
            Some(found(Shown::Text, points))
        }
        Signal::LeadOrigin => {
            let mut buffer = [0u8; 40];
            let key = squash_into(text, &mut buffer)?;
            let (_, points) = LEAD_ORIGINS.iter().find(|(name, _)| *name == key)?;
            Some(found(Shown::Text, *points))
        }
        Signal::MemberRating => {
            let stars = number(text)?;
            if !(1.0..=5.0).contains(&stars) {
                return None;
            }
            // Mailchimp gives new contacts 2 stars; each star above is 5 points, below -5.
            let points = (stars.round() - 2.0) * 5.0;
            Some(found(Shown::Stars(stars.round()), points))
        }
        Signal::Referred => {
            if !says_yes(text) {
                return None;
            }
            Some(found(Shown::Text, REFERRED_POINTS))
        }
        Signal::DataCompleteness => {
            let points = completeness_points(text)?;
            Some(found(Shown::Text, points))
        }
        Signal::EmailBounced | Signal::Unsubscribed => {
            if !says_yes(text) {
                return None;
            }
            let points = if signal == Signal::EmailBounced {
                BOUNCED_POINTS
            } else {
                OPTED_OUT_POINTS
            };
            Some(found(Shown::Text, points))
        }
        Signal::TimeOnSite => {
            let seconds = duration_seconds(text, header)?;
            if seconds <= 0.0 {
                return None;
            }
            let Count { each, at_most } = count_points(signal)?;
            let points = (seconds / 60.0 * each).min(at_most);
            Some(found(Shown::Seconds(seconds), points))
        }
        _ => {
            let count = number(text)?;
            if count <= 0.0 {
                return None;
            }
            let Count { each, at_most } = count_points(signal)?;
            Some(found(Shown::Count(count), (count * each).min(at_most)))
        }
    }
}

/// A number in an imported cell, by the one reader (`model::read_cell_number`): "12",
/// "3.5", "1,234.5", "2,5" (decimal comma), "$5,000", "12.5%". A cell that reads two ways
/// ("1,234": thousands or a decimal) is no number: never a guess.
pub(crate) fn number(text: &str) -> Option<f64> {
    crate::model::read_cell_number(text)
}

/// The points of a completeness rating: a level (high, medium, low) or a percentage
/// ("85%", "85", "0.85"): three quarters and above is complete, two fifths partly.
fn completeness_points(text: &str) -> Option<f64> {
    let lower = text.trim().to_ascii_lowercase();
    let level = match lower.as_str() {
        "high" | "complete" | "completed" | "full" | "yes" => Some(COMPLETE_POINTS),
        "medium" | "partial" | "partly" => Some(PARTLY_COMPLETE_POINTS),
        "low" | "incomplete" | "basic" | "no" => Some(0.0),
        _ => None,
    };
    if level.is_some() {
        return level;
    }
    let number = number(lower.trim_end_matches('%'))?;
    let percent = if number <= 1.0 && lower.contains('.') {
        number * 100.0
    } else {
        number
    };
    if !(0.0..=100.0).contains(&percent) {
        return None;
    }
    Some(if percent >= 75.0 {
        COMPLETE_POINTS
    } else if percent >= 40.0 {
        PARTLY_COMPLETE_POINTS
    } else {
        0.0
    })
}

/// A flag or a date that says "yes, it happened": a yes word (`model::read_yes_no`), a
/// count above zero, or a date. A no word ("false", "off", "0") says no.
fn says_yes(text: &str) -> bool {
    if let Some(yes) = read_yes_no(text) {
        return yes;
    }
    let lower = text.trim().to_ascii_lowercase();
    match lower.as_str() {
        "none" => false,
        // What spreadsheets and data tools write in an empty cell (pandas' NaN, N/A, a
        // dash) says nothing happened.
        "" | "nan" | "n/a" | "na" | "-" | "--" | "null" | "nil" | "unknown" => false,
        _ => number(&lower).is_none_or(|n| n > 0.0),
    }
}

/// A duration in seconds: a plain number (seconds, or minutes when the header ends with
/// "minutes"/"mins"/"min", see `time_unit`), or "h:mm:ss" / "m:ss" as analytics tools write it (minutes and
/// seconds below 60: "1:99:99" is no duration).
fn duration_seconds(text: &str, header: &str) -> Option<f64> {
    if text.contains(':') {
        let mut seconds = 0.0;
        for (at, part) in text.split(':').enumerate() {
            let part: f64 = part.trim().parse().ok()?;
            if !part.is_finite() || part < 0.0 || (at > 0 && part >= 60.0) {
                return None;
            }
            seconds = seconds * 60.0 + part;
        }
        return Some(seconds);
    }
    let value = number(text)?;
    let mut buffer = [0u8; 40];
    let unit = squash_into(header, &mut buffer)
        .and_then(time_unit)
        .map_or(1.0, |(_, seconds)| seconds);
    Some(value * unit)
}

/// Whole numbers plain, others to two decimals without trailing zeros; a number of more
/// than fifteen digits (no count is) in scientific notation, so it cannot widen a table.
fn format_number(value: f64) -> String {
    if value.abs() >= 1e15 {
        format!("{value:.3e}")
    } else if value.fract() == 0.0 {
        format!("{}", value as i64)
    } else {
        let text = format!("{value:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests;
