//! Calibrating a model's probabilities on the held-out leads (Platt scaling).
use super::fit::{log_loss, sigmoid};

/// Platt scaling: the `scale` and `shift` that make `sigmoid(scale · log_odds + shift)` match
/// the held-out outcomes, found by Newton's method with a light pull towards (1, 0) so a small
/// held-out share cannot swing it far. Naive Bayes counts correlated features twice and so
/// is overconfident; this brings its probabilities back to what actually happened. Never
/// inverts the ranking (scale >= 0): a model that ranks no better than chance gives every
/// lead the base rate.
pub(super) fn calibrate(log_odds: &[f64], won: &[bool]) -> (f64, f64) {
    const PULL: f64 = 1.0;
    let loss = |scale: f64, shift: f64| {
        let fit: f64 = log_odds
            .iter()
            .zip(won)
            .map(|(z, won)| log_loss(scale * z + shift, *won))
            .sum();
        fit + 0.5 * PULL * ((scale - 1.0).powi(2) + shift * shift)
    };
    let (mut scale, mut shift) = (1.0, 0.0);
    for _ in 0..50 {
        let (mut g_scale, mut g_shift) = (PULL * (scale - 1.0), PULL * shift);
        let (mut h_ss, mut h_sh, mut h_hh) = (PULL, 0.0, PULL);
        for (z, won) in log_odds.iter().zip(won) {
            let p = sigmoid(scale * z + shift);
            let residual = p - f64::from(u8::from(*won));
            let weight = p * (1.0 - p);
            g_scale += residual * z;
            g_shift += residual;
            h_ss += weight * z * z;
            h_sh += weight * z;
            h_hh += weight;
        }
        let determinant = h_ss * h_hh - h_sh * h_sh;
        if determinant <= 1e-12 {
            break;
        }
        let mut d_scale = (h_hh * g_scale - h_sh * g_shift) / determinant;
        let mut d_shift = (h_ss * g_shift - h_sh * g_scale) / determinant;
        // Damped: halve the Newton step until the loss goes down.
        let before = loss(scale, shift);
        while loss(scale - d_scale, shift - d_shift) > before
            && d_scale.abs() + d_shift.abs() > 1e-12
        {
            d_scale *= 0.5;
            d_shift *= 0.5;
        }
        scale -= d_scale;
        shift -= d_shift;
        if !(scale.is_finite() && shift.is_finite()) {
            return (1.0, 0.0);
        }
        if d_scale.abs() + d_shift.abs() < 1e-10 {
            break;
        }
    }
    if scale < 0.0 {
        // Refit the shift alone at scale 0: the base rate of the held-out leads.
        let wins = won.iter().filter(|w| **w).count() as f64;
        return (0.0, ((wins + 1.0) / (won.len() as f64 - wins + 1.0)).ln());
    }
    (scale, shift)
}
