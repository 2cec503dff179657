//! The stored win-probability model and per-lead probabilities.
