//! Date-times: [`NaiveTimestamp`] (no time zone) and [`UtcDateTime`].

use chrono::{DateTime, Datelike, NaiveDateTime, Timelike, Utc};

use super::{refuse, wrapper};
use crate::sql_types;

/// A `NaiveDateTime` stored as `TIMESTAMP` on PostgreSQL, `DATETIME(6)` on
/// MySQL/MariaDB and text on SQLite: what a schema column declared
/// `NaiveDateTime` holds.
///
/// ```
/// use chrono::{Datelike, NaiveDate};
/// use quarry::types::NaiveTimestamp;
///
/// let at: NaiveTimestamp = NaiveDate::from_ymd_opt(1969, 7, 20).unwrap().and_hms_opt(20, 17, 0).unwrap().into();
/// assert_eq!(at.year(), 1969); // NaiveDateTime's methods, through Deref
/// ```
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
#[diesel(sql_type = sql_types::NaiveTimestamp)]
pub struct NaiveTimestamp(pub NaiveDateTime);

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

wrapper!(NaiveTimestamp(NaiveDateTime));
wrapper!(UtcDateTime(DateTime<Utc>));

type CheckResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// No backend stores a leap second (`23:59:60`): MySQL turns it into
/// `00:00:00`, PostgreSQL into the next second. Refused everywhere.
fn no_leap_second(at: &NaiveDateTime) -> CheckResult {
    if at.nanosecond() >= 1_000_000_000 {
        return refuse(format!(
            "{at} is a leap second, which no backend stores: use {}",
            at.with_nanosecond(0).map_or_else(String::new, |a| a.to_string())
        ));
    }
    Ok(())
}

/// MySQL's `DATETIME` and the text SQLite stores hold years 1 to 9999.
#[cfg_attr(not(any(feature = "sqlite", feature = "mysql")), allow(dead_code))]
fn four_digit_year(at: &NaiveDateTime, backend: &str) -> CheckResult {
    no_leap_second(at)?;
    if !(1..=9999).contains(&at.year()) {
        return refuse(format!("{at} is outside the years 1 to 9999 that {backend} stores"));
    }
    Ok(())
}

#[cfg(feature = "sqlite")]
mod sqlite {
    use super::*;
    use crate::types::delegate;
    use diesel::sql_types as native;
    use diesel::sqlite::Sqlite;

    delegate!(Sqlite: sql_types::NaiveTimestamp => native::Timestamp, NaiveTimestamp(NaiveDateTime),
        |v| four_digit_year(&v.0, "SQLite"));
    delegate!(Sqlite: sql_types::UtcTimestamp => native::TimestamptzSqlite, UtcDateTime(DateTime<Utc>),
        |v| four_digit_year(&v.0.naive_utc(), "SQLite"));
}

#[cfg(feature = "postgres")]
mod postgres {
    use super::*;
    use crate::types::delegate;
    use diesel::pg::Pg;
    use diesel::sql_types as native;

    delegate!(Pg: sql_types::NaiveTimestamp => native::Timestamp, NaiveTimestamp(NaiveDateTime),
        |v| no_leap_second(&v.0));
    delegate!(Pg: sql_types::UtcTimestamp => native::Timestamptz, UtcDateTime(DateTime<Utc>),
        |v| no_leap_second(&v.0.naive_utc()));
}

#[cfg(feature = "mysql")]
mod mysql {
    use super::*;
    use crate::types::delegate;
    use diesel::backend::Backend;
    use diesel::deserialize::{self, FromSql};
    use diesel::mysql::Mysql;
    use diesel::serialize::{self, Output, ToSql};
    use diesel::sql_types as native;

    // Bound as DATETIME: a TIMESTAMP bind is limited to 1970–2038.
    delegate!(Mysql: sql_types::NaiveTimestamp => native::Datetime, NaiveTimestamp(NaiveDateTime),
        |v| four_digit_year(&v.0, "MySQL/MariaDB"));

    // MySQL has no time zone-aware type: store the UTC wall-clock time.
    impl diesel::sql_types::HasSqlType<sql_types::UtcTimestamp> for Mysql {
        fn metadata(lookup: &mut ()) -> Self::TypeMetadata {
            <Mysql as diesel::sql_types::HasSqlType<native::Datetime>>::metadata(lookup)
        }
    }

    impl ToSql<sql_types::UtcTimestamp, Mysql> for UtcDateTime {
        fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Mysql>) -> serialize::Result {
            let naive = self.0.naive_utc();
            four_digit_year(&naive, "MySQL/MariaDB")?;
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
