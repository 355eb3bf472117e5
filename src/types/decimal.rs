//! [`Decimal`]: exact decimals on every backend, SQLite included.

use std::str::FromStr;

use bigdecimal::{BigDecimal, ParseBigDecimalError, RoundingMode};

use super::wrapper;
use crate::sql_types::Numeric;

/// A `BigDecimal` stored as `NUMERIC(P, S)`: what a schema column declared
/// `BigDecimal` holds.
///
/// PostgreSQL and MySQL/MariaDB store it exactly, round it to the column's
/// scale and refuse a value with too many integer digits. SQLite has no
/// decimal type; quarry stores a `REAL` there and does what PostgreSQL
/// does: the value is rounded to the column's scale (half away from zero),
/// a value with more than `P - S` integer digits is refused, and so is one
/// with more than 15 significant digits, the most a `REAL` holds exactly.
/// Whatever is accepted reads back equal, at the column's scale.
///
/// ```
/// use quarry::types::Decimal;
///
/// let price: Decimal = "19.99".parse().unwrap();
/// assert_eq!(price.to_string(), "19.99");
/// assert_eq!(price, "19.990".parse::<bigdecimal::BigDecimal>().unwrap());
/// ```
#[derive(
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    diesel::deserialize::FromSqlRow,
)]
#[serde(transparent)]
pub struct Decimal(pub BigDecimal);

wrapper!(Decimal(BigDecimal));

impl FromStr for Decimal {
    type Err = ParseBigDecimalError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        BigDecimal::from_str(text).map(Decimal)
    }
}

macro_rules! from_number {
    ($($number:ty),*) => {$(
        impl From<$number> for Decimal {
            fn from(value: $number) -> Self {
                Decimal(BigDecimal::from(value))
            }
        }
    )*};
}
from_number!(i8, i16, i32, i64, u8, u16, u32, u64);

/// `Decimal` is an expression of every `Numeric<P, S>`, owned or borrowed,
/// nullable or not: what `#[derive(AsExpression)]` writes for a type whose
/// SQL type has no parameters.
macro_rules! as_expression {
    ($($ty:ty => $sql:ty),* $(,)?) => {$(
        impl<'a, 'b, const P: u8, const S: u8> diesel::expression::AsExpression<$sql> for $ty {
            type Expression = diesel::internal::derives::as_expression::Bound<$sql, Self>;

            fn as_expression(self) -> Self::Expression {
                diesel::internal::derives::as_expression::Bound::new(self)
            }
        }
    )*};
}
as_expression! {
    Decimal => Numeric<P, S>,
    Decimal => diesel::sql_types::Nullable<Numeric<P, S>>,
    &'a Decimal => Numeric<P, S>,
    &'a Decimal => diesel::sql_types::Nullable<Numeric<P, S>>,
    &'a &'b Decimal => Numeric<P, S>,
    &'a &'b Decimal => diesel::sql_types::Nullable<Numeric<P, S>>,
}

impl<const P: u8, const S: u8, DB> diesel::serialize::ToSql<diesel::sql_types::Nullable<Numeric<P, S>>, DB> for Decimal
where
    DB: diesel::backend::Backend,
    Decimal: diesel::serialize::ToSql<Numeric<P, S>, DB>,
{
    fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, DB>) -> diesel::serialize::Result {
        diesel::serialize::ToSql::<Numeric<P, S>, DB>::to_sql(self, out)
    }
}

/// PostgreSQL and MySQL/MariaDB: the native `NUMERIC`, which rounds and
/// refuses as declared on the server.
#[cfg(any(feature = "postgres", feature = "mysql"))]
macro_rules! native_numeric {
    ($backend:ty) => {
        impl<const P: u8, const S: u8> diesel::sql_types::HasSqlType<Numeric<P, S>> for $backend {
            fn metadata(lookup: &mut Self::MetadataLookup) -> Self::TypeMetadata {
                <$backend as diesel::sql_types::HasSqlType<diesel::sql_types::Numeric>>::metadata(lookup)
            }
        }
        impl<const P: u8, const S: u8> diesel::serialize::ToSql<Numeric<P, S>, $backend> for Decimal {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, $backend>,
            ) -> diesel::serialize::Result {
                <BigDecimal as diesel::serialize::ToSql<diesel::sql_types::Numeric, $backend>>::to_sql(&self.0, out)
            }
        }
        impl<const P: u8, const S: u8> diesel::deserialize::FromSql<Numeric<P, S>, $backend> for Decimal {
            fn from_sql(
                value: <$backend as diesel::backend::Backend>::RawValue<'_>,
            ) -> diesel::deserialize::Result<Self> {
                <BigDecimal as diesel::deserialize::FromSql<diesel::sql_types::Numeric, $backend>>::from_sql(value)
                    .map(Decimal)
            }
        }
    };
}

#[cfg(feature = "postgres")]
native_numeric!(diesel::pg::Pg);
#[cfg(feature = "mysql")]
native_numeric!(diesel::mysql::Mysql);

/// The most significant digits a `REAL` (an IEEE double) holds exactly:
/// every decimal with at most this many converts to a double and back
/// unchanged.
#[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
const REAL_DIGITS: u64 = 15;

/// What SQLite stores for `value` in a `NUMERIC(P, S)` column: the value
/// rounded to `S` places as PostgreSQL would, or why it is refused.
#[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
fn for_real_column(value: &BigDecimal, precision: u8, scale: u8) -> Result<BigDecimal, String> {
    let value = if precision == 0 { value.clone() } else { value.with_scale_round(scale.into(), RoundingMode::HalfUp) };
    if precision != 0 && precision != u8::MAX && !is_zero(&value) && value.digits() > u64::from(precision) {
        return Err(format!(
            "numeric field overflow: {value} has more than the {} integer digits a NUMERIC({precision}, {scale}) column holds",
            precision.saturating_sub(scale)
        ));
    }
    let significant = value.normalized().digits();
    if significant > REAL_DIGITS {
        return Err(format!(
            "{value} has {significant} significant digits; SQLite stores decimals as REAL, which holds {REAL_DIGITS} exactly"
        ));
    }
    Ok(value)
}

fn is_zero(value: &BigDecimal) -> bool {
    bigdecimal::Zero::is_zero(value)
}

/// The decimal a `REAL` read from SQLite stands for: the shortest text that
/// reads back as the same double, which is the written value whenever it
/// had at most 15 significant digits.
#[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
fn from_real(real: f64) -> Result<BigDecimal, String> {
    if !real.is_finite() {
        return Err(format!("{real} is not a decimal"));
    }
    BigDecimal::from_str(&real.to_string()).map_err(|e| format!("{real} is not a decimal: {e}"))
}

#[cfg(feature = "sqlite")]
mod sqlite {
    use super::*;
    use diesel::deserialize::{self, FromSql};
    use diesel::serialize::{self, IsNull, Output, ToSql};
    use diesel::sqlite::{Sqlite, SqliteType, SqliteValue};

    impl<const P: u8, const S: u8> diesel::sql_types::HasSqlType<Numeric<P, S>> for Sqlite {
        fn metadata(_: &mut ()) -> SqliteType {
            SqliteType::Double
        }
    }

    impl<const P: u8, const S: u8> ToSql<Numeric<P, S>, Sqlite> for Decimal {
        fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
            let value = for_real_column(&self.0, P, S).or_else(super::super::refuse)?;
            let real: f64 = value.to_string().parse()?;
            out.set_value(real);
            Ok(IsNull::No)
        }
    }

    impl<const P: u8, const S: u8> FromSql<Numeric<P, S>, Sqlite> for Decimal {
        fn from_sql(mut value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
            let decimal = match value.value_type() {
                Some(SqliteType::Long) => BigDecimal::from(value.read_long()),
                Some(SqliteType::Text) => BigDecimal::from_str(value.read_text())?,
                _ => from_real(value.read_double())?,
            };
            Ok(Decimal(if P == 0 { decimal } else { decimal.with_scale_round(S.into(), RoundingMode::HalfUp) }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> BigDecimal {
        text.parse().unwrap()
    }

    #[test]
    fn sqlite_rounds_and_refuses_as_postgres_does() {
        assert_eq!(for_real_column(&dec("19.99"), 10, 2).unwrap().to_string(), "19.99");
        assert_eq!(for_real_column(&dec("1.1"), 10, 2).unwrap().to_string(), "1.10");
        assert_eq!(for_real_column(&dec("1.235"), 10, 2).unwrap().to_string(), "1.24");
        assert_eq!(for_real_column(&dec("-1.235"), 10, 2).unwrap().to_string(), "-1.24");
        assert_eq!(for_real_column(&dec("99999999.99"), 10, 2).unwrap().to_string(), "99999999.99");
        assert!(for_real_column(&dec("100000000"), 10, 2).unwrap_err().contains("overflow"));
        assert!(for_real_column(&dec("99999999.995"), 10, 2).unwrap_err().contains("overflow"));
        assert!(for_real_column(&dec("1234567890.123456"), 38, 10).unwrap_err().contains("15"));
        assert_eq!(for_real_column(&dec("0"), 3, 2).unwrap(), dec("0"));
    }

    #[test]
    fn every_decimal_of_fifteen_digits_reads_back_from_a_real() {
        for text in ["0.1", "19.99", "1.10", "-0.125", "999999999999999", "0.000000000000001", "123456789.123456"] {
            let value = dec(text);
            let real: f64 = value.to_string().parse().unwrap();
            assert_eq!(from_real(real).unwrap(), value, "{text}");
        }
    }
}
