//! Rust values of quarry's portable SQL types ([`crate::sql_types`]).
//!
//! A schema column declared `NaiveDateTime` holds a [`NaiveTimestamp`],
//! `DateTime<Utc>` a [`UtcDateTime`], `BigDecimal` a [`Decimal`] and
//! `serde_json::Value` a [`Json`] (or a [`Jsonb`] with `jsonb`): thin
//! wrappers that deref to, and convert from and into, the chrono, bigdecimal
//! and serde_json values. They exist for two reasons:
//!
//! - Rust's orphan rule forbids quarry to teach diesel that
//!   `chrono::DateTime<Utc>` is an expression of a SQL type quarry defines;
//!   a wrapper quarry owns can be.
//! - Each wrapper checks its value on the way in, so that a value a backend
//!   would store altered (a decimal SQLite cannot hold exactly, a date-time
//!   outside MySQL's range, a leap second, JSON nested deeper than can be
//!   read back) is refused with [`Error::Data`](crate::Error::Data) before
//!   anything is written. docs/values.md has the table per type and backend.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use quarry::types::{Decimal, UtcDateTime};
//!
//! let at: UtcDateTime = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap().into();
//! assert_eq!(at.timestamp(), 1_714_564_800); // DateTime<Utc>'s methods, through Deref
//! let price: Decimal = "19.99".parse().unwrap();
//! assert_eq!(price.to_string(), "19.99");
//! ```

mod datetime;
mod decimal;
mod json;

pub use datetime::{NaiveTimestamp, UtcDateTime};
pub use decimal::Decimal;
pub use json::{Json, Jsonb, MAX_JSON_DEPTH, MAX_MYSQL_JSON_DEPTH};

/// A value quarry refused to write because the backend would not store it
/// as it is. Turned into [`Error::Data`](crate::Error::Data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueRefused(pub String);

impl std::fmt::Display for ValueRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ValueRefused {}

/// Refuses a value: the `Err` a `ToSql` of a wrapper returns.
fn refuse<T>(message: impl Into<String>) -> Result<T, Box<dyn std::error::Error + Send + Sync>> {
    Err(Box::new(ValueRefused(message.into())))
}

/// `Deref`, `From` both ways and `Display` for a wrapper of `$inner`.
macro_rules! wrapper {
    ($wrapper:ident($inner:ty)) => {
        impl std::ops::Deref for $wrapper {
            type Target = $inner;
            fn deref(&self) -> &$inner {
                &self.0
            }
        }
        impl std::ops::DerefMut for $wrapper {
            fn deref_mut(&mut self) -> &mut $inner {
                &mut self.0
            }
        }
        impl From<$inner> for $wrapper {
            fn from(value: $inner) -> Self {
                $wrapper(value)
            }
        }
        impl From<$wrapper> for $inner {
            fn from(value: $wrapper) -> Self {
                value.0
            }
        }
        impl PartialEq<$inner> for $wrapper {
            fn eq(&self, other: &$inner) -> bool {
                self.0 == *other
            }
        }
        impl std::fmt::Display for $wrapper {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}
use wrapper;

/// Makes a quarry SQL type stand for a native one on a backend: same type
/// metadata, and the wrapper encoded as its inner value is, after `$check`
/// (a `fn(&Wrapper) -> serialize::Result<()>`) accepted it.
macro_rules! delegate {
    ($backend:ty: $quarry:ty => $native:ty, $wrapper:ident($inner:ty), $check:expr) => {
        impl diesel::sql_types::HasSqlType<$quarry> for $backend {
            fn metadata(lookup: &mut Self::MetadataLookup) -> Self::TypeMetadata {
                <$backend as diesel::sql_types::HasSqlType<$native>>::metadata(lookup)
            }
        }
        impl diesel::serialize::ToSql<$quarry, $backend> for $wrapper {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, $backend>,
            ) -> diesel::serialize::Result {
                let check: fn(&$wrapper) -> Result<(), Box<dyn std::error::Error + Send + Sync>> = $check;
                check(self)?;
                <$inner as diesel::serialize::ToSql<$native, $backend>>::to_sql(&self.0, out)
            }
        }
        impl diesel::deserialize::FromSql<$quarry, $backend> for $wrapper {
            fn from_sql(
                value: <$backend as diesel::backend::Backend>::RawValue<'_>,
            ) -> diesel::deserialize::Result<Self> {
                <$inner as diesel::deserialize::FromSql<$native, $backend>>::from_sql(value).map($wrapper)
            }
        }
    };
}
use delegate;

/// Checks generated `NewRow::refused_value` impls call for values diesel
/// binds itself (quarry's own wrappers check in `ToSql`).
#[doc(hidden)]
pub mod unchecked {
    use chrono::{NaiveTime, Timelike};

    use crate::engine::Backend;

    /// SQLite stores a bound NaN as NULL.
    pub fn float(backend: Backend, column: &str, value: f64) -> Option<String> {
        (backend == Backend::Sqlite && value.is_nan())
            .then(|| format!("{column}: SQLite stores NaN as NULL; write NULL (None) or a number"))
    }

    /// No backend stores a leap second in a `TIME` (MySQL turns it into
    /// `00:00:00`, PostgreSQL refuses it).
    pub fn time(_backend: Backend, column: &str, value: &NaiveTime) -> Option<String> {
        (value.nanosecond() >= 1_000_000_000)
            .then(|| format!("{column}: {value} is a leap second, which a TIME column does not store"))
    }
}
