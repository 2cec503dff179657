//! Report aggregates: source performance and the funnel.
