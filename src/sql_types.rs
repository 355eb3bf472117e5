//! SQL types that map to a different native type on each backend, so that
//! one generated `table!` serves SQLite, PostgreSQL and MySQL/MariaDB alike.
//!
//! | SQL type | SQLite | PostgreSQL | MySQL/MariaDB | Rust value |
//! |---|---|---|---|---|
//! | [`UtcTimestamp`] | text with offset | `TIMESTAMPTZ` | `DATETIME(6)` in UTC | [`UtcDateTime`](crate::types::UtcDateTime) |
//! | [`Jsonb`] | JSON text | `JSONB` | `JSON` | [`Jsonb`](crate::types::Jsonb) |

/// A point in time: `TIMESTAMPTZ` on PostgreSQL, `DATETIME(6)` holding UTC
/// on MySQL/MariaDB, text with an offset on SQLite.
#[derive(Debug, Clone, Copy, Default, diesel::sql_types::SqlType, diesel::query_builder::QueryId)]
pub struct UtcTimestamp;

/// JSON stored in its binary form where the backend has one: `JSONB` on
/// PostgreSQL, `JSON` on MySQL/MariaDB, JSON text on SQLite.
#[derive(Debug, Clone, Copy, Default, diesel::sql_types::SqlType, diesel::query_builder::QueryId)]
pub struct Jsonb;
