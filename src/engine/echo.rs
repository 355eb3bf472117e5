//! Statement logging and counting through diesel's `Instrumentation`.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use diesel::connection::{Instrumentation, InstrumentationEvent};

use super::Shared;
use crate::error::is_connection_lost;

/// Installed on every pooled connection: counts statements, records them
/// when asked, logs each with its binds and duration when echo is on, and
/// notes when one failed because the connection to the server is gone.
pub(crate) struct Echo {
    shared: Arc<Shared>,
    started: Option<Instant>,
    lost: bool,
}

impl Echo {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        Echo { shared, started: None, lost: false }
    }

    /// Whether a statement on `conn` failed because its connection to the
    /// server is gone. Every statement passes through the instrumentation,
    /// whether run by a session or by plain diesel on a pooled connection,
    /// so this sees what the transaction manager (all that diesel's
    /// `is_broken` asks) does not: a connection lost outside a transaction.
    pub(crate) fn lost_connection<C: diesel::Connection>(conn: &mut C) -> bool {
        conn.instrumentation().downcast_ref::<Echo>().is_some_and(|echo| echo.lost)
    }
}

impl Instrumentation for Echo {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        match event {
            InstrumentationEvent::StartQuery { .. } => self.started = Some(Instant::now()),
            InstrumentationEvent::FinishQuery { query, error, .. } => {
                if error.is_some_and(is_connection_lost) {
                    self.lost = true;
                }
                let elapsed = self.started.take().map(|s| s.elapsed()).unwrap_or_default();
                self.shared.statements.fetch_add(1, Ordering::Relaxed);
                let wants_text =
                    self.shared.echo.load(Ordering::Relaxed) || self.shared.recording.load(Ordering::Relaxed);
                if !wants_text {
                    return;
                }
                let sql = query.to_string();
                if self.shared.echo.load(Ordering::Relaxed) {
                    let micros = elapsed.as_micros() as u64;
                    match error {
                        None => tracing::info!(target: "quarry::echo", elapsed_us = micros, "{sql}"),
                        Some(error) => tracing::warn!(target: "quarry::echo", elapsed_us = micros, %error, "{sql}"),
                    }
                }
                if self.shared.recording.load(Ordering::Relaxed) {
                    self.shared.recorded.lock().unwrap_or_else(|e| e.into_inner()).push(sql);
                }
            }
            _ => {}
        }
    }
}
