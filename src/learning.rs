//! The learned win probability: features, fitting, AUC. Pure: no I/O, no clock.
