//! A lead's stored scores and grade (`scoring` computes them).
use std::fmt;

/// A lead's grade, from its score and the profile's thresholds: A for the best leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Grade {
    A,
    B,
    C,
    #[default]
    D,
}

impl Grade {
    /// Best first.
    pub const ALL: [Grade; 4] = [Grade::A, Grade::B, Grade::C, Grade::D];

    pub fn letter(self) -> char {
        match self {
            Grade::A => 'A',
            Grade::B => 'B',
            Grade::C => 'C',
            Grade::D => 'D',
        }
    }

    /// The grade a stored letter names (`None` for anything else).
    pub fn from_letter(letter: &str) -> Option<Grade> {
        Grade::ALL
            .into_iter()
            .find(|grade| letter.len() == 1 && letter.starts_with(grade.letter()))
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.letter())
    }
}

/// The stored scores of a lead (see `scoring` for how they are computed).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StoredScores {
    pub fit: i64,
    pub engagement: i64,
    pub readiness: i64,
    pub score: i64,
    pub grade: Grade,
}
