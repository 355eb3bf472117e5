//! Rust values of quarry's portable SQL types ([`crate::sql_types`]).
//!
//! A schema column declared `DateTime<Utc>` holds a [`UtcDateTime`], and one
//! declared `serde_json::Value` with `jsonb` holds a [`Jsonb`]: thin
//! wrappers that deref to, and convert from and into, the chrono and
//! serde_json values. They exist because Rust's orphan rule forbids quarry
//! to teach diesel that `chrono::DateTime<Utc>` is an expression of a SQL
//! type quarry defines; a wrapper quarry owns can be.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use quarry::types::UtcDateTime;
//!
//! let at: UtcDateTime = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap().into();
//! assert_eq!(at.timestamp(), 1_714_564_800); // DateTime<Utc>'s methods, through Deref
//! ```

use std::fmt;
use std::ops::{Deref, DerefMut};

use chrono::{DateTime, Utc};
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};

use crate::sql_types;

/// A `DateTime<Utc>` stored as `TIMESTAMPTZ` on PostgreSQL, `DATETIME(6)`
/// (UTC wall-clock time) on MySQL/MariaDB, and text with an offset on SQLite.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[serde(transparent)]
#[diesel(sql_type = sql_types::UtcTimestamp)]
pub struct UtcDateTime(pub DateTime<Utc>);

impl UtcDateTime {
    /// The current time.
    pub fn now() -> Self {
        UtcDateTime(Utc::now())
    }
}

/// A JSON document stored as `JSONB` on PostgreSQL, `JSON` on
/// MySQL/MariaDB and JSON text on SQLite.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[serde(transparent)]
#[diesel(sql_type = sql_types::Jsonb)]
pub struct Jsonb(pub serde_json::Value);

macro_rules! wrapper {
    ($wrapper:ident($inner:ty)) => {
        impl Deref for $wrapper {
            type Target = $inner;
            fn deref(&self) -> &$inner {
                &self.0
            }
        }
        impl DerefMut for $wrapper {
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
        impl fmt::Display for $wrapper {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

wrapper!(UtcDateTime(DateTime<Utc>));
wrapper!(Jsonb(serde_json::Value));

/// Makes a quarry SQL type stand for a native one on a backend: same type
/// metadata, and the wrapper encoded as its inner value is.
macro_rules! delegate {
    ($backend:ty: $quarry:ty => $native:ty, $wrapper:ident($inner:ty)) => {
        impl diesel::sql_types::HasSqlType<$quarry> for $backend {
            fn metadata(lookup: &mut Self::MetadataLookup) -> Self::TypeMetadata {
                <$backend as diesel::sql_types::HasSqlType<$native>>::metadata(lookup)
            }
        }
        impl ToSql<$quarry, $backend> for $wrapper {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, $backend>) -> serialize::Result {
                <$inner as ToSql<$native, $backend>>::to_sql(&self.0, out)
            }
        }
        impl FromSql<$quarry, $backend> for $wrapper {
            fn from_sql(value: <$backend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                <$inner as FromSql<$native, $backend>>::from_sql(value).map($wrapper)
            }
        }
    };
}

#[cfg(feature = "sqlite")]
mod sqlite {
    use super::*;
    use diesel::sql_types as native;
    use diesel::sqlite::Sqlite;

    delegate!(Sqlite: sql_types::UtcTimestamp => native::TimestamptzSqlite, UtcDateTime(DateTime<Utc>));
    delegate!(Sqlite: sql_types::Jsonb => native::Json, Jsonb(serde_json::Value));
}

#[cfg(feature = "postgres")]
mod postgres {
    use super::*;
    use diesel::pg::Pg;
    use diesel::sql_types as native;

    delegate!(Pg: sql_types::UtcTimestamp => native::Timestamptz, UtcDateTime(DateTime<Utc>));
    delegate!(Pg: sql_types::Jsonb => native::Jsonb, Jsonb(serde_json::Value));
}

#[cfg(feature = "mysql")]
mod mysql {
    use super::*;
    use chrono::NaiveDateTime;
    use diesel::mysql::Mysql;
    use diesel::sql_types as native;

    delegate!(Mysql: sql_types::Jsonb => native::Json, Jsonb(serde_json::Value));

    // MySQL has no time zone-aware type: store the UTC wall-clock time.
    impl diesel::sql_types::HasSqlType<sql_types::UtcTimestamp> for Mysql {
        fn metadata(lookup: &mut ()) -> Self::TypeMetadata {
            <Mysql as diesel::sql_types::HasSqlType<native::Datetime>>::metadata(lookup)
        }
    }

    impl ToSql<sql_types::UtcTimestamp, Mysql> for UtcDateTime {
        fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Mysql>) -> serialize::Result {
            let naive = self.0.naive_utc();
            <NaiveDateTime as ToSql<native::Datetime, Mysql>>::to_sql(&naive, &mut out.reborrow())
        }
    }

    impl FromSql<sql_types::UtcTimestamp, Mysql> for UtcDateTime {
        fn from_sql(value: <Mysql as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
            let naive = <NaiveDateTime as FromSql<native::Datetime, Mysql>>::from_sql(value)?;
            Ok(UtcDateTime(naive.and_utc()))
        }
    }
}
