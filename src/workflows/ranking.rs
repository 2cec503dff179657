//! How well the rule score and the learned model ranked the leads closed in a period: the
//! feedback loop of `report` (did the leads that were won score above those that were lost?).
use anyhow::Result;

use crate::io::mapping::outcome_column;
use crate::learning::{self, auc};
use crate::model::Status;
use crate::store::{Period, Store};

/// The AUCs of the score and the model on the leads closed in a period (None without a won
/// and a lost lead there, or, for the model, without a learned model).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Ranking {
    pub won: usize,
    pub lost: usize,
    pub score_auc: Option<f64>,
    pub model_auc: Option<f64>,
}

/// The leads closed in the period, ranked by their score and by the stored model's
/// probability for their facts (computed as `learn` does: a closed lead keeps no stored
/// probability). A model learned from these very leads flatters itself: it is the
/// seller's history read back, not a forecast.
pub fn closed_ranking(store: &Store, period: Period) -> Result<Ranking> {
    let model = store.win_model()?.map(|saved| saved.model);
    let Some(model) = model else {
        // No model: the scores and outcomes alone (a million leads need not be read whole).
        let (scores, won): (Vec<f64>, Vec<bool>) = store
            .closed_scores_in(period)?
            .into_iter()
            .map(|(score, won)| (score as f64, won))
            .unzip();
        let wins = won.iter().filter(|w| **w).count();
        return Ok(Ranking {
            won: wins,
            lost: won.len() - wins,
            score_auc: auc(&scores, &won),
            model_auc: None,
        });
    };
    let model = Some(model);
    let (mut won, mut scores, mut log_odds) = (Vec::new(), Vec::new(), Vec::new());
    store.for_each_lead_closed_in(period, |lead, counts| {
        won.push(lead.status() == Status::Won);
        scores.push(lead.scores.score as f64);
        if let Some(model) = &model {
            let facts = learning::facts(&lead, &counts, outcome_column);
            log_odds.push(model.log_odds(&facts));
        }
    })?;
    let wins = won.iter().filter(|w| **w).count();
    Ok(Ranking {
        won: wins,
        lost: won.len() - wins,
        score_auc: auc(&scores, &won),
        model_auc: model.and_then(|_| auc(&log_odds, &won)),
    })
}
