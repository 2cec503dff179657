//! The domain's workflows: what one seller's action means across several tables, between
//! `commands` (arguments in, one call, rendering out) and `store` (the SQL). Each takes
//! the store inside its write transaction and the moment (`Clock`) from the caller.
//!
//! `touch` records an activity the one way (the first touch moves a new lead, the lead's
//! last touch follows, the lead is rescored); `follow_up_done` closes a follow-up or a
//! cadence step and schedules what comes next; `agenda` is `leads today`; `mail` logs the
//! seller's email exchanges with leads from their own mail; `merge` folds two records of
//! one person into one, and `duplicates` finds the likely pairs; `ranking` measures how
//! the score and the model ranked the leads closed in a period.
pub mod agenda;
pub mod duplicates;
pub mod follow_up_done;
pub mod mail;
pub mod merge;
pub mod ranking;
pub mod touch;
