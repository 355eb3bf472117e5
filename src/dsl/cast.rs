//! `CAST(expr AS type)`, written the way each backend needs it, over
//! quarry's SQL types as well as diesel's.
//!
//! diesel's own `.cast::<ST>()` knows few type names per backend (none for
//! `INTEGER` on MySQL, no decimals or `VARCHAR(n)` at all) and nothing of
//! quarry's `Numeric<P, S>`. [`cast`] takes the target as a value, as
//! SQLAlchemy's `cast(x, String(20))` does, and refuses at compile time a
//! conversion it cannot render alike on every backend.

use std::marker::PhantomData;

use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Date, Double, Integer, Nullable, SmallInt, SqlType, Text};
use diesel::QueryResult;

use crate::sql_types::Numeric;

/// `VARCHAR(N)` as a cast target: text cut to `N` characters. The result
/// is `Text`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Varchar<const N: u32>;

/// `CAST(expr AS target)`: `cast(articles::views, Text)`,
/// `cast(employees::id, Numeric::<10, 2>)`, `cast(articles::title, Varchar::<8>)`.
///
/// | source | targets |
/// |---|---|
/// | `SmallInt`, `Integer`, `BigInt` | `Text`, `Varchar<N>`, `Integer`, `BigInt`, `Double`, `Numeric<P, S>` |
/// | `Double` | `Text`, `Numeric<P, S>` |
/// | `Numeric<P, S>` | `Text`, `Double`, `Numeric<P, S>` |
/// | `Text` | `Text`, `Varchar<N>`, `Integer`, `BigInt`, `Double`, `Numeric<P, S>`, `Date` |
/// | `Date` | `Text` |
///
/// A nullable source gives a nullable result. Each backend receives:
///
/// | target | PostgreSQL | MySQL/MariaDB | SQLite |
/// |---|---|---|---|
/// | `Text` | `TEXT` | `CHAR` | `TEXT` (a decimal: `printf('%.Sf', x)`, keeping its `S` places, NULL kept) |
/// | `Varchar<N>` | `VARCHAR(N)` | `CHAR(N)` | `substr(CAST(x AS TEXT), 1, N)` |
/// | `Integer`, `BigInt` | `INTEGER`, `BIGINT` | `SIGNED` | `INTEGER` |
/// | `Double` | `DOUBLE PRECISION` | `DOUBLE` | `REAL` |
/// | `Numeric<P, S>` | `NUMERIC(P, S)` | `DECIMAL(P, S)` | `round(CAST(x AS REAL), S)` |
/// | `Date` | `DATE` | `DATE` | `date(x)` |
///
/// `Numeric<0, 0>` (no declared precision) is `NUMERIC` on PostgreSQL,
/// `DECIMAL(65, 30)` on MySQL. Text that does not hold a number or a date
/// is an error on PostgreSQL and becomes 0 or NULL elsewhere: cast only
/// text you know the shape of. A cast that would round differently on
/// each backend (a float or decimal to an integer) does not compile.
///
/// ```
/// use diesel::prelude::*;
/// use diesel::sql_types::Text;
/// use quarry::dsl::{cast, Varchar};
/// # diesel::table! { items (id) { id -> Integer, name -> Text } }
/// let query = items::table.select((cast(items::id, Text), cast(items::name, Varchar::<3>)));
/// let sql = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&query).to_string();
/// assert_eq!(sql, "SELECT CAST(`items`.`id` AS TEXT), substr(CAST(`items`.`name` AS TEXT), 1, 3) FROM `items` -- binds: []");
/// ```
pub fn cast<E, T>(expr: E, target: T) -> Cast<E, T>
where
    E: Expression,
    E::SqlType: CastTo<T>,
{
    let _ = target;
    Cast { expr, target: PhantomData }
}

/// The SQL types a cast turns `Self` into: `Output` is the result's type.
#[diagnostic::on_unimplemented(
    message = "quarry cannot cast `{Self}` to `{T}` alike on every backend",
    note = "see the table of `quarry::dsl::cast` for the conversions it renders"
)]
pub trait CastTo<T> {
    /// The result's SQL type (`Text` for `Varchar<N>`; nullable when the
    /// source is).
    type Output: SqlType + diesel::sql_types::SingleValue;
    /// The source without `Nullable`, which decides how the cast renders.
    type Base;
}

impl<S: CastTo<T>, T> CastTo<T> for Nullable<S>
where
    S: SqlType<IsNull = diesel::sql_types::is_nullable::NotNull>,
    <S as CastTo<T>>::Output: SqlType<IsNull = diesel::sql_types::is_nullable::NotNull>,
{
    type Output = Nullable<<S as CastTo<T>>::Output>;
    type Base = S::Base;
}

macro_rules! casts {
    ($($from:ty => [$($to:ty),+];)+) => {
        $($(impl CastTo<$to> for $from { type Output = $to; type Base = Self; })+)+
    };
}

casts! {
    SmallInt => [Text, Integer, BigInt, Double];
    Integer => [Text, Integer, BigInt, Double];
    BigInt => [Text, Integer, BigInt, Double];
    Double => [Text];
    Text => [Text, Integer, BigInt, Double, Date];
    Date => [Text];
}

macro_rules! to_varchar_and_numeric {
    ($($from:ty),+) => {
        $(
            impl<const N: u32> CastTo<Varchar<N>> for $from {
                type Output = Text;
                type Base = Self;
            }
            impl<const P: u8, const S: u8> CastTo<Numeric<P, S>> for $from {
                type Output = Numeric<P, S>;
                type Base = Self;
            }
        )+
    };
}

to_varchar_and_numeric!(SmallInt, Integer, BigInt, Text);

impl<const P: u8, const S: u8> CastTo<Numeric<P, S>> for Double {
    type Output = Numeric<P, S>;
    type Base = Self;
}

impl<const P: u8, const S: u8> CastTo<Text> for Numeric<P, S> {
    type Output = Text;
    type Base = Self;
}

impl<const P: u8, const S: u8> CastTo<Double> for Numeric<P, S> {
    type Output = Double;
    type Base = Self;
}

impl<const P: u8, const S: u8, const P2: u8, const S2: u8> CastTo<Numeric<P2, S2>> for Numeric<P, S> {
    type Output = Numeric<P2, S2>;
    type Base = Self;
}

/// See [`cast`]. Arithmetic applies to it as to a column
/// (`cast(order_items::quantity, Numeric::<10, 2>) * order_items::unit_price`).
#[derive(Debug, Clone, Copy, diesel::sql_types::DieselNumericOps)]
pub struct Cast<E, T> {
    expr: E,
    target: PhantomData<T>,
}

impl<E: QueryId, T: 'static> QueryId for Cast<E, T> {
    type QueryId = Cast<E::QueryId, T>;
    const HAS_STATIC_QUERY_ID: bool = E::HAS_STATIC_QUERY_ID;
}

impl<E, T> Expression for Cast<E, T>
where
    E: Expression,
    E::SqlType: CastTo<T>,
{
    type SqlType = <E::SqlType as CastTo<T>>::Output;
}

impl<E: ValidGrouping<G>, T, G> ValidGrouping<G> for Cast<E, T> {
    type IsAggregate = E::IsAggregate;
}

impl<E, T, QS> AppearsOnTable<QS> for Cast<E, T>
where
    E: AppearsOnTable<QS>,
    E::SqlType: CastTo<T>,
{
}

impl<E, T, QS> SelectableExpression<QS> for Cast<E, T>
where
    E: SelectableExpression<QS>,
    E::SqlType: CastTo<T>,
{
}

impl<E, T, DB> QueryFragment<DB> for Cast<E, T>
where
    DB: Backend,
    E: Expression + QueryFragment<DB>,
    E::SqlType: CastTo<T>,
    T: Target<<E::SqlType as CastTo<T>>::Base, DB>,
{
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        T::walk(&self.expr, out)
    }
}

/// How a backend writes a cast to `Self` from an expression of SQL type
/// `From`.
pub trait Target<From, DB: Backend> {
    fn walk<'b>(expr: &'b dyn QueryFragment<DB>, out: AstPass<'_, 'b, DB>) -> QueryResult<()>;
}

/// `CAST(expr AS name)`.
fn plain<'b, DB: Backend>(
    expr: &'b dyn QueryFragment<DB>,
    mut out: AstPass<'_, 'b, DB>,
    name: &str,
) -> QueryResult<()> {
    out.push_sql("CAST(");
    expr.walk_ast(out.reborrow())?;
    out.push_sql(" AS ");
    out.push_sql(name);
    out.push_sql(")");
    Ok(())
}

/// `before expr after`.
#[cfg(feature = "sqlite")]
fn around<'b, DB: Backend>(
    expr: &'b dyn QueryFragment<DB>,
    mut out: AstPass<'_, 'b, DB>,
    before: &str,
    after: &str,
) -> QueryResult<()> {
    out.push_sql(before);
    expr.walk_ast(out.reborrow())?;
    out.push_sql(after);
    Ok(())
}

/// The name a backend gives a target whatever the source.
macro_rules! named {
    ($backend:ty, $feature:literal: $($target:ty => $name:literal),+) => {
        $(
            #[cfg(feature = $feature)]
            impl<F> Target<F, $backend> for $target {
                fn walk<'b>(expr: &'b dyn QueryFragment<$backend>, out: AstPass<'_, 'b, $backend>) -> QueryResult<()> {
                    plain(expr, out, $name)
                }
            }
        )+
    };
}

named!(diesel::pg::Pg, "postgres": Text => "TEXT", Integer => "INTEGER", BigInt => "BIGINT", Double => "DOUBLE PRECISION", Date => "DATE");
named!(diesel::mysql::Mysql, "mysql": Text => "CHAR", Integer => "SIGNED", BigInt => "SIGNED", Double => "DOUBLE", Date => "DATE");
named!(diesel::sqlite::Sqlite, "sqlite": Integer => "INTEGER", BigInt => "INTEGER", Double => "REAL");

#[cfg(feature = "sqlite")]
impl<F, const N: u32> Target<F, diesel::sqlite::Sqlite> for Varchar<N> {
    fn walk<'b>(
        expr: &'b dyn QueryFragment<diesel::sqlite::Sqlite>,
        out: AstPass<'_, 'b, diesel::sqlite::Sqlite>,
    ) -> QueryResult<()> {
        around(expr, out, "substr(CAST(", &format!(" AS TEXT), 1, {N})"))
    }
}

/// `NUMERIC(P, S)` / `DECIMAL(P, S)`; no precision: `NUMERIC` / the widest `DECIMAL`.
#[cfg(any(feature = "postgres", feature = "mysql"))]
fn decimal_name(keyword: &str, precision: u8, scale: u8) -> String {
    match (keyword, precision) {
        ("NUMERIC", 0) => "NUMERIC".to_owned(),
        (_, 0) => format!("{keyword}(65, 30)"),
        _ => format!("{keyword}({precision}, {scale})"),
    }
}

/// `VARCHAR(N)` / `CHAR(N)` and `NUMERIC(P, S)` / `DECIMAL(P, S)`, which
/// PostgreSQL and MySQL spell alike but for the keyword.
macro_rules! sized {
    ($backend:ty, $feature:literal, $varchar:literal, $decimal:literal) => {
        #[cfg(feature = $feature)]
        impl<F, const N: u32> Target<F, $backend> for Varchar<N> {
            fn walk<'b>(expr: &'b dyn QueryFragment<$backend>, out: AstPass<'_, 'b, $backend>) -> QueryResult<()> {
                plain(expr, out, &format!(concat!($varchar, "({})"), N))
            }
        }

        #[cfg(feature = $feature)]
        impl<F, const P: u8, const S: u8> Target<F, $backend> for Numeric<P, S> {
            fn walk<'b>(expr: &'b dyn QueryFragment<$backend>, out: AstPass<'_, 'b, $backend>) -> QueryResult<()> {
                plain(expr, out, &decimal_name($decimal, P, S))
            }
        }
    };
}

sized!(diesel::pg::Pg, "postgres", "VARCHAR", "NUMERIC");
sized!(diesel::mysql::Mysql, "mysql", "CHAR", "DECIMAL");

/// SQLite has no decimal type (quarry stores `Numeric` as `REAL`): the
/// value rounded to `S` places, as `NUMERIC(P, S)` rounds elsewhere.
#[cfg(feature = "sqlite")]
impl<F, const P: u8, const S: u8> Target<F, diesel::sqlite::Sqlite> for Numeric<P, S> {
    fn walk<'b>(
        expr: &'b dyn QueryFragment<diesel::sqlite::Sqlite>,
        out: AstPass<'_, 'b, diesel::sqlite::Sqlite>,
    ) -> QueryResult<()> {
        if P == 0 {
            return plain(expr, out, "REAL");
        }
        around(expr, out, "round(CAST(", &format!(" AS REAL), {S})"))
    }
}

/// Text on SQLite: a decimal keeps its `S` places, as its text does on
/// PostgreSQL and MySQL (`12.50`, not `12.5`).
#[cfg(feature = "sqlite")]
mod sqlite_text {
    use super::*;
    use diesel::sqlite::Sqlite;

    macro_rules! text_from {
        ($($from:ty),+) => {
            $(
                impl Target<$from, Sqlite> for Text {
                    fn walk<'b>(expr: &'b dyn QueryFragment<Sqlite>, out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
                        plain(expr, out, "TEXT")
                    }
                }
            )+
        };
    }

    text_from!(SmallInt, Integer, BigInt, Double, Text, Date);

    impl<const P: u8, const S: u8> Target<Numeric<P, S>, Sqlite> for Text {
        fn walk<'b>(expr: &'b dyn QueryFragment<Sqlite>, out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
            if P == 0 {
                return plain(expr, out, "TEXT");
            }
            // printf writes NULL as 0.00: keep NULL NULL.
            let mut out = out;
            around(expr, out.reborrow(), "CASE WHEN ", " IS NULL THEN NULL ELSE ")?;
            around(expr, out, &format!("printf('%.{S}f', "), ") END")
        }
    }

    impl<F> Target<F, Sqlite> for Date {
        fn walk<'b>(expr: &'b dyn QueryFragment<Sqlite>, out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
            around(expr, out, "date(", ")")
        }
    }
}

/// `a % b`, the remainder of integer division, with the sign of `a` on
/// every backend: `modulo(articles::views, 7)` (SQLAlchemy's
/// `Article.views % 7`). Integer types only: SQLite's `%` truncates
/// decimals to integers first. A zero divisor is an error on PostgreSQL and
/// NULL on SQLite and MySQL/MariaDB (reading which into a non-null value
/// is an error too).
///
/// ```
/// use diesel::prelude::*;
/// # diesel::table! { items (id) { id -> Integer } }
/// let odd = items::table.filter(quarry::dsl::modulo(items::id, 2).eq(1));
/// let sql = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&odd).to_string();
/// assert_eq!(sql, "SELECT `items`.`id` FROM `items` WHERE ((`items`.`id` % ?) = ?) -- binds: [2, 1]");
/// ```
pub fn modulo<L, R>(dividend: L, divisor: R) -> Modulo<L, R::Expression>
where
    L: Expression,
    L::SqlType: IntegerType,
    R: diesel::expression::AsExpression<L::SqlType>,
{
    Modulo { dividend, divisor: divisor.as_expression() }
}

/// SQL integer types, nullable or not.
pub trait IntegerType: SqlType + diesel::sql_types::SingleValue {}
impl IntegerType for SmallInt {}
impl IntegerType for Integer {}
impl IntegerType for BigInt {}
impl<T: IntegerType + SqlType<IsNull = diesel::sql_types::is_nullable::NotNull>> IntegerType for Nullable<T> {}

/// See [`modulo`].
#[derive(Debug, Clone, Copy, QueryId, ValidGrouping, diesel::sql_types::DieselNumericOps)]
pub struct Modulo<L, R> {
    dividend: L,
    divisor: R,
}

impl<L: Expression, R> Expression for Modulo<L, R> {
    type SqlType = L::SqlType;
}

impl<L: AppearsOnTable<QS>, R: AppearsOnTable<QS>, QS> AppearsOnTable<QS> for Modulo<L, R> {}
impl<L: SelectableExpression<QS>, R: SelectableExpression<QS>, QS> SelectableExpression<QS> for Modulo<L, R> {}

impl<L, R, DB> QueryFragment<DB> for Modulo<L, R>
where
    DB: Backend,
    L: QueryFragment<DB>,
    R: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("(");
        self.dividend.walk_ast(out.reborrow())?;
        out.push_sql(" % ");
        self.divisor.walk_ast(out.reborrow())?;
        out.push_sql(")");
        Ok(())
    }
}
