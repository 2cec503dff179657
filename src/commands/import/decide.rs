//! What to do with one row of an import: a pure decision, tested with its case table.
use crate::cli::OnDuplicate;
use crate::store::Same;

/// What a row turned out to be, before the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// No value at all (a blank line): nothing to do.
    Empty,
    /// It cannot be a lead (the reason goes with it).
    Unreadable,
    /// A lead whose email belongs to a person who asked to be forgotten.
    Forgotten,
    /// A lead.
    Lead,
}

/// The decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Nothing,
    /// Rejected for the reason the row carries.
    Reject,
    /// Skipped: the person asked to be forgotten (`--allow-forgotten` imports them).
    SkipForgotten,
    Create,
    /// A duplicate of this lead, kept as it is.
    Skip(i64, Same),
    /// A duplicate of this lead, rejected (`--on-duplicate error`).
    RejectDuplicate(i64, Same),
    /// A duplicate of this lead, updated with the row's values.
    Update(i64),
}

/// Decide what to do with a row, given the lead it duplicates (if any) and the policy.
pub fn action(
    row: Row,
    duplicate: Option<(i64, Same)>,
    policy: OnDuplicate,
    allow_forgotten: bool,
) -> Action {
    match (row, duplicate, policy) {
        (Row::Empty, ..) => Action::Nothing,
        (Row::Unreadable, ..) => Action::Reject,
        (Row::Forgotten, ..) if !allow_forgotten => Action::SkipForgotten,
        (_, None, _) => Action::Create,
        (_, Some((id, same)), OnDuplicate::Skip) => Action::Skip(id, same),
        (_, Some((id, same)), OnDuplicate::Error) => Action::RejectDuplicate(id, same),
        (_, Some((id, _)), OnDuplicate::Update) => Action::Update(id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_case_table() {
        use Action as A;
        use OnDuplicate::{Error, Skip, Update};
        let dup = Some((7, Same::Phone));
        let cases = [
            (Row::Empty, dup, Update, false, A::Nothing),
            (Row::Unreadable, None, Skip, false, A::Reject),
            (Row::Unreadable, dup, Update, true, A::Reject),
            (Row::Forgotten, None, Skip, false, A::SkipForgotten),
            (Row::Forgotten, dup, Update, false, A::SkipForgotten),
            (Row::Forgotten, None, Skip, true, A::Create),
            (Row::Forgotten, dup, Update, true, A::Update(7)),
            (Row::Lead, None, Skip, false, A::Create),
            (Row::Lead, None, Error, false, A::Create),
            (Row::Lead, None, Update, false, A::Create),
            (Row::Lead, dup, Skip, false, A::Skip(7, Same::Phone)),
            (
                Row::Lead,
                dup,
                Error,
                false,
                A::RejectDuplicate(7, Same::Phone),
            ),
            (Row::Lead, dup, Update, false, A::Update(7)),
        ];
        for (row, duplicate, policy, allow, expected) in cases {
            assert_eq!(
                action(row, duplicate, policy, allow),
                expected,
                "{row:?} {duplicate:?} {policy:?} {allow}"
            );
        }
    }
}
