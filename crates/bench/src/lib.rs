//! quarry's comparison suite (issue 15): diesel_bench's shapes, run by
//! quarry, hand-written diesel, the raw drivers (rusqlite, postgres,
//! mysql), sqlx and SeaORM, interleaved in one process on SQLite,
//! PostgreSQL and MySQL/MariaDB. `cargo run -p quarry-bench --release --
//! --write` regenerates docs/performance.md; see that page.
//!
//! Where to find things: [`shape`] says what is measured, [`data`] the
//! rows and the plain form every result is checked in, [`contender`] the
//! trait each contender implements (in [`contenders`]), [`database`] the
//! bench's own databases, [`harness`] the check and the interleaved
//! timing, [`report`] and [`chart`] the page.

pub mod chart;
pub mod contender;
pub mod contenders;
pub mod data;
pub mod database;
pub mod harness;
pub mod report;
pub mod shape;

/// Any contender's error: the bench only reports them.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
/// The bench's result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The schema generated from `schema/` by the build script.
pub mod schema {
    quarry::include_schema!();
}
