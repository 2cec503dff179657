//! The progress bar of a long import (indicatif), on stderr when it is a terminal.
use std::time::Duration;

use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar over the file's bytes when its size is known, a spinner with the row count
    /// otherwise; nothing when stderr is not a terminal (or with --quiet).
    pub fn new(enabled: bool, size: Option<u64>) -> Progress {
        if !enabled {
            return Progress { bar: None };
        }
        let bar = match size.filter(|size| *size > 0) {
            Some(size) => ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::stderr())
                .with_style(
                    ProgressStyle::with_template("importing [{bar:20}] {percent:>3}%  {msg} rows")
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("#> "),
                ),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
                ProgressStyle::with_template("importing... {msg} rows")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            ),
        };
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress { bar: Some(bar) }
    }

    /// Cheap when there is no bar; indicatif itself limits how often it draws.
    pub fn tick(&mut self, bytes: u64, rows: u64) {
        if let Some(bar) = &self.bar {
            if rows % 1024 == 0 {
                bar.set_position(bytes);
                bar.set_message(HumanCount(rows).to_string());
            }
        }
    }

    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
