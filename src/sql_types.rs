//! SQL types that map to a different native type on each backend, so that
//! one generated `table!` serves SQLite, PostgreSQL and MySQL/MariaDB alike
//! and every value comes back as it was written (see docs/values.md).
//!
//! | SQL type | SQLite | PostgreSQL | MySQL/MariaDB | Rust value |
//! |---|---|---|---|---|
//! | [`NaiveTimestamp`] | text | `TIMESTAMP` | `DATETIME(6)`, bound as `DATETIME` | [`NaiveTimestamp`](crate::types::NaiveTimestamp) |
//! | [`UtcTimestamp`] | text with offset | `TIMESTAMPTZ` | `DATETIME(6)` in UTC | [`UtcDateTime`](crate::types::UtcDateTime) |
//! | [`Numeric<P, S>`](Numeric) | `REAL`, exact to 15 digits | `NUMERIC(P, S)` | `NUMERIC(P, S)` | [`Decimal`](crate::types::Decimal) |
//! | [`Jsonb`] | JSON text | `JSONB` | `JSON` | [`Jsonb`](crate::types::Jsonb) |

/// A date and time without time zone: `TIMESTAMP` on PostgreSQL, text on
/// SQLite, `DATETIME(6)` on MySQL/MariaDB.
///
/// It exists because diesel binds its own `Timestamp` as MySQL's
/// `TIMESTAMP`, whose range is 1970–2038: MariaDB stores any other
/// date-time sent that way as NULL. This type binds as `DATETIME`.
#[derive(Debug, Clone, Copy, Default, diesel::sql_types::SqlType, diesel::query_builder::QueryId)]
pub struct NaiveTimestamp;

/// A point in time: `TIMESTAMPTZ` on PostgreSQL, `DATETIME(6)` holding UTC
/// on MySQL/MariaDB, text with an offset on SQLite.
#[derive(Debug, Clone, Copy, Default, diesel::sql_types::SqlType, diesel::query_builder::QueryId)]
pub struct UtcTimestamp;

/// JSON stored in its binary form where the backend has one: `JSONB` on
/// PostgreSQL, `JSON` on MySQL/MariaDB, JSON text on SQLite.
#[derive(Debug, Clone, Copy, Default, diesel::sql_types::SqlType, diesel::query_builder::QueryId)]
pub struct Jsonb;

/// An exact decimal declared `NUMERIC(P, S)`; `P = 0` stands for a
/// `NUMERIC` declared without precision.
///
/// The precision and scale are part of the type so that SQLite, which has
/// no decimal type, can do what PostgreSQL does: round to `S` places on
/// the way in and refuse a value with more than `P - S` integer digits.
#[derive(Debug, Clone, Copy, Default, diesel::sql_types::SqlType, diesel::query_builder::QueryId)]
pub struct Numeric<const P: u8, const S: u8>;

/// The type of `SUM` over `Numeric<P, S>`: the same scale, any precision.
pub type NumericSum<const S: u8> = Numeric<{ u8::MAX }, S>;

/// A `NUMERIC` without declared precision or scale (`AVG`, products, quotients).
pub type AnyNumeric = Numeric<0, 0>;

impl<const P: u8, const S: u8> diesel::sql_types::SqlOrd for Numeric<P, S> {}

impl<const P: u8, const S: u8> diesel::sql_types::Foldable for Numeric<P, S> {
    type Sum = diesel::sql_types::Nullable<NumericSum<S>>;
    type Avg = diesel::sql_types::Nullable<AnyNumeric>;
}

impl<const P: u8, const S: u8> diesel::sql_types::ops::Add for Numeric<P, S> {
    type Rhs = Numeric<P, S>;
    type Output = NumericSum<S>;
}

impl<const P: u8, const S: u8> diesel::sql_types::ops::Sub for Numeric<P, S> {
    type Rhs = Numeric<P, S>;
    type Output = NumericSum<S>;
}

impl<const P: u8, const S: u8> diesel::sql_types::ops::Mul for Numeric<P, S> {
    type Rhs = Numeric<P, S>;
    type Output = AnyNumeric;
}

impl<const P: u8, const S: u8> diesel::sql_types::ops::Div for Numeric<P, S> {
    type Rhs = Numeric<P, S>;
    type Output = AnyNumeric;
}
