//! `ORDER BY` on a `UNION`, `INTERSECT` or `EXCEPT`: SQLAlchemy's
//! `union(a, b).order_by(Article.title)`; and `INTERSECT`/`EXCEPT` on
//! every backend ([`intersect`], [`except`]).
//!
//! diesel has no `order_by` on a combined query (calling one ends in
//! rustc's "overflow evaluating the requirement"), only an unstable
//! `positional_order_by`. The key of such an `ORDER BY` is one of the
//! result's columns, by its name: [`output`] turns a column into that
//! key, and [`OrderCombined::order_by_output`] sorts by it. `LIMIT` and
//! `OFFSET` work on a combined query as on any other.

use diesel::backend::Backend;
use diesel::expression::Expression;
use diesel::query_builder::{AsQuery, AstPass, Query, QueryFragment, QueryId};
use diesel::query_dsl::methods::{LimitDsl, OffsetDsl};
use diesel::query_dsl::positional_order_dsl::{IntoPositionalOrderExpr, PositionalOrderDsl, PositionalOrderExpr};
use diesel::sql_types::BigInt;
use diesel::{Column, QueryResult};

/// The result column of a combined query named like `column`, as an
/// `ORDER BY` key: `output(articles::title).desc()`.
///
/// ```
/// use diesel::prelude::*;
/// use quarry::dsl::{output, OrderCombined};
/// # diesel::table! { items (id) { id -> Integer, name -> Text } }
/// let low = items::table.filter(items::id.lt(10)).select((items::id, items::name));
/// let high = items::table.filter(items::id.gt(90)).select((items::id, items::name));
/// let query = low.union(high).order_by_output((output(items::name).desc(), output(items::id))).limit(5);
/// let sql = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&query).to_string();
/// assert!(sql.ends_with("ORDER BY `name` DESC, `id` LIMIT ? -- binds: [10, 90, 5]"), "{sql}");
/// ```
///
/// The name must be a column of the result: the combined query's columns
/// are named after the first query's (a column selected twice under one
/// name makes the key ambiguous, which the database reports).
pub fn output<C: Column>(column: C) -> Output<C> {
    Output(column)
}

/// See [`output`].
#[derive(Debug, Clone, Copy)]
pub struct Output<C>(C);

impl<C: Column> Expression for Output<C> {
    type SqlType = C::SqlType;
}

impl<C: Column + 'static> QueryId for Output<C> {
    type QueryId = Output<C>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<C: Column, DB: Backend> QueryFragment<DB> for Output<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_identifier(C::NAME)
    }
}

impl<C: Column> PositionalOrderExpr for Output<C> {}

impl<C: Column> IntoPositionalOrderExpr for Output<C> {
    type Output = Self;

    fn into_positional_expr(self) -> Self {
        self
    }
}

/// `ORDER BY` on a combined query (`a.union(b)`, `union_all`,
/// `intersect`, `except`), by [`output`] keys: one, `.asc()`/`.desc()` of
/// one, or a tuple of them.
pub trait OrderCombined<O>: Sized {
    /// The ordered query.
    type Ordered;

    /// Sorts the combined result by `order`.
    fn order_by_output(self, order: O) -> Self::Ordered;
}

impl<Q, O> OrderCombined<O> for Q
where
    Q: PositionalOrderDsl<O>,
    O: IntoPositionalOrderExpr,
{
    type Ordered = Q::Output;

    fn order_by_output(self, order: O) -> Self::Ordered {
        self.positional_order_by(order)
    }
}

/// `a INTERSECT b` on every backend, MySQL/MariaDB included (diesel offers
/// `intersect` on PostgreSQL and SQLite only): the rows of `a` that `b`
/// also returns, without duplicates. MariaDB has it since 10.3, MySQL
/// since 8.0.31.
///
/// ```
/// use diesel::prelude::*;
/// # diesel::table! { items (id) { id -> Integer, name -> Text } }
/// let low = items::table.filter(items::id.lt(10)).select(items::id);
/// let even = items::table.filter(quarry::dsl::modulo(items::id, 2).eq(0)).select(items::id);
/// let query = quarry::dsl::intersect(low, even);
/// let sql = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&query).to_string();
/// assert!(sql.starts_with("SELECT * FROM (SELECT `items`.`id` FROM `items` WHERE (`items`.`id` < ?)) INTERSECT SELECT * FROM (SELECT"), "{sql}");
/// ```
pub fn intersect<A, B>(a: A, b: B) -> Combined<A::Query, B::Query>
where
    A: AsQuery,
    B: AsQuery<SqlType = A::SqlType>,
{
    combine(a, b, " INTERSECT ", false)
}

/// `a INTERSECT ALL b`: duplicates kept as often as both sides have them.
/// PostgreSQL, MySQL ≥ 8.0.31 and MariaDB ≥ 10.5; SQLite has no
/// `INTERSECT ALL`, so it does not compile there.
pub fn intersect_all<A, B>(a: A, b: B) -> CombinedAll<A::Query, B::Query>
where
    A: AsQuery,
    B: AsQuery<SqlType = A::SqlType>,
{
    CombinedAll(combine(a, b, " INTERSECT ", true))
}

/// `a EXCEPT b` on every backend, MySQL/MariaDB included: the rows of `a`
/// that `b` does not return, without duplicates.
pub fn except<A, B>(a: A, b: B) -> Combined<A::Query, B::Query>
where
    A: AsQuery,
    B: AsQuery<SqlType = A::SqlType>,
{
    combine(a, b, " EXCEPT ", false)
}

/// `a EXCEPT ALL b`; see [`intersect_all`] for where it exists.
pub fn except_all<A, B>(a: A, b: B) -> CombinedAll<A::Query, B::Query>
where
    A: AsQuery,
    B: AsQuery<SqlType = A::SqlType>,
{
    CombinedAll(combine(a, b, " EXCEPT ", true))
}

/// `a operator b` (with `ALL` when `all`).
fn combine<A, B>(a: A, b: B, operator: &'static str, all: bool) -> Combined<A::Query, B::Query>
where
    A: AsQuery,
    B: AsQuery<SqlType = A::SqlType>,
{
    Combined { a: a.as_query(), b: b.as_query(), operator, all }
}

/// See [`intersect`] and [`except`].
#[derive(Debug, Clone, Copy)]
pub struct Combined<A, B> {
    a: A,
    b: B,
    operator: &'static str,
    #[cfg_attr(not(any(feature = "postgres", feature = "mysql")), allow(dead_code))]
    all: bool,
}

/// See [`intersect_all`] and [`except_all`]: a [`Combined`] that keeps
/// duplicates, a type of its own so that SQLite refuses it.
#[derive(Debug, Clone, Copy)]
pub struct CombinedAll<A, B>(Combined<A, B>);

// The operator is a value: the statement must not be cached by type alone.
impl<A, B> QueryId for Combined<A, B> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<A, B> QueryId for CombinedAll<A, B> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<A: Query, B> Query for Combined<A, B> {
    type SqlType = A::SqlType;
}

impl<A: Query, B> diesel::query_builder::SelectQuery for Combined<A, B> {
    type SqlType = A::SqlType;
}

impl<A: Query, B> diesel::query_builder::SelectQuery for CombinedAll<A, B> {
    type SqlType = A::SqlType;
}

impl<A: Query, B> Query for CombinedAll<A, B> {
    type SqlType = A::SqlType;
}

impl<A, B, C> diesel::RunQueryDsl<C> for Combined<A, B> {}
impl<A, B, C> diesel::RunQueryDsl<C> for CombinedAll<A, B> {}

#[cfg(any(feature = "postgres", feature = "mysql"))]
impl<A, B> Combined<A, B> {
    /// `(a) OP (b)`, each side in parentheses (PostgreSQL, MySQL/MariaDB).
    fn walk_parenthesized<'b, DB>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()>
    where
        DB: Backend,
        A: QueryFragment<DB>,
        B: QueryFragment<DB>,
    {
        out.push_sql("(");
        self.a.walk_ast(out.reborrow())?;
        out.push_sql(")");
        out.push_sql(self.operator);
        if self.all {
            out.push_sql("ALL ");
        }
        out.push_sql("(");
        self.b.walk_ast(out.reborrow())?;
        out.push_sql(")");
        Ok(())
    }
}

macro_rules! parenthesized {
    ($backend:ty, $feature:literal) => {
        #[cfg(feature = $feature)]
        impl<A: QueryFragment<$backend>, B: QueryFragment<$backend>> QueryFragment<$backend> for Combined<A, B> {
            fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, $backend>) -> QueryResult<()> {
                self.walk_parenthesized(out)
            }
        }

        #[cfg(feature = $feature)]
        impl<A: QueryFragment<$backend>, B: QueryFragment<$backend>> QueryFragment<$backend> for CombinedAll<A, B> {
            fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, $backend>) -> QueryResult<()> {
                self.0.walk_parenthesized(out)
            }
        }
    };
}

parenthesized!(diesel::pg::Pg, "postgres");
parenthesized!(diesel::mysql::Mysql, "mysql");

/// SQLite refuses parentheses around the sides of a compound select, and
/// a side with its own `ORDER BY` or `LIMIT`: each side is a subquery.
#[cfg(feature = "sqlite")]
impl<A, B> QueryFragment<diesel::sqlite::Sqlite> for Combined<A, B>
where
    A: QueryFragment<diesel::sqlite::Sqlite>,
    B: QueryFragment<diesel::sqlite::Sqlite>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, diesel::sqlite::Sqlite>) -> QueryResult<()> {
        out.push_sql("SELECT * FROM (");
        self.a.walk_ast(out.reborrow())?;
        out.push_sql(")");
        out.push_sql(self.operator);
        out.push_sql("SELECT * FROM (");
        self.b.walk_ast(out.reborrow())?;
        out.push_sql(")");
        Ok(())
    }
}

/// An [`intersect`] or [`except`] (or its `ALL` form) with `ORDER BY`,
/// `LIMIT` or `OFFSET`: made by [`OrderCombined::order_by_output`],
/// `.limit(n)` and `.offset(n)`, as on diesel's `union`.
#[derive(Debug, Clone, Copy)]
pub struct Sorted<Q, O> {
    query: Q,
    order: O,
    limit: Option<i64>,
    offset: Option<i64>,
}

/// The `ORDER BY` keys of a [`Sorted`] query.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct OrderedBy<O>(O);

/// A [`Sorted`] query without `ORDER BY` (only a limit or offset).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Unordered;

macro_rules! sortable {
    ($($combined:ident),+) => {$(
        impl<A, B, O> PositionalOrderDsl<O> for $combined<A, B>
        where
            O: IntoPositionalOrderExpr,
        {
            type Output = Sorted<Self, OrderedBy<O::Output>>;

            fn positional_order_by(self, order: O) -> Self::Output {
                Sorted { query: self, order: OrderedBy(order.into_positional_expr()), limit: None, offset: None }
            }
        }

        impl<A, B> LimitDsl for $combined<A, B> where Self: Query {
            type Output = Sorted<Self, Unordered>;

            fn limit(self, limit: i64) -> Self::Output {
                Sorted { query: self, order: Unordered, limit: Some(limit), offset: None }
            }
        }

        impl<A, B> OffsetDsl for $combined<A, B> where Self: Query {
            type Output = Sorted<Self, Unordered>;

            fn offset(self, offset: i64) -> Self::Output {
                Sorted { query: self, order: Unordered, limit: None, offset: Some(offset) }
            }
        }

        impl<A, B> diesel::QueryDsl for $combined<A, B> {}
    )+};
}

sortable!(Combined, CombinedAll);

impl<Q: Query, O> LimitDsl for Sorted<Q, O> {
    type Output = Self;

    fn limit(self, limit: i64) -> Self {
        Sorted { limit: Some(limit), ..self }
    }
}

impl<Q: Query, O> OffsetDsl for Sorted<Q, O> {
    type Output = Self;

    fn offset(self, offset: i64) -> Self {
        Sorted { offset: Some(offset), ..self }
    }
}

impl<Q, O> diesel::QueryDsl for Sorted<Q, O> {}

impl<Q: Query, O> Query for Sorted<Q, O> {
    type SqlType = Q::SqlType;
}

impl<Q: Query, O> diesel::query_builder::SelectQuery for Sorted<Q, O> {
    type SqlType = Q::SqlType;
}

impl<Q, O> QueryId for Sorted<Q, O> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q, O, C> diesel::RunQueryDsl<C> for Sorted<Q, O> {}

/// How a backend writes an `OFFSET` without a `LIMIT`: SQLite and MySQL
/// require a `LIMIT` before it.
#[doc(hidden)]
pub trait OffsetAlone: Backend {
    const NO_LIMIT: Option<&'static str>;
}

#[cfg(feature = "sqlite")]
impl OffsetAlone for diesel::sqlite::Sqlite {
    const NO_LIMIT: Option<&'static str> = Some(" LIMIT -1");
}

#[cfg(feature = "postgres")]
impl OffsetAlone for diesel::pg::Pg {
    const NO_LIMIT: Option<&'static str> = None;
}

#[cfg(feature = "mysql")]
impl OffsetAlone for diesel::mysql::Mysql {
    const NO_LIMIT: Option<&'static str> = Some(" LIMIT 18446744073709551615");
}

/// The `ORDER BY` part of a [`Sorted`] query, if it has one.
#[doc(hidden)]
pub trait OrderPart<DB: Backend> {
    fn walk_order<'b>(&'b self, out: AstPass<'_, 'b, DB>) -> QueryResult<()>;
}

impl<DB: Backend> OrderPart<DB> for Unordered {
    fn walk_order<'b>(&'b self, _out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        Ok(())
    }
}

impl<DB: Backend, O: QueryFragment<DB>> OrderPart<DB> for OrderedBy<O> {
    fn walk_order<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(" ORDER BY ");
        self.0.walk_ast(out)
    }
}

impl<Q, O, DB> QueryFragment<DB> for Sorted<Q, O>
where
    DB: OffsetAlone + diesel::sql_types::HasSqlType<BigInt>,
    Q: QueryFragment<DB>,
    O: OrderPart<DB>,
    i64: diesel::serialize::ToSql<BigInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.query.walk_ast(out.reborrow())?;
        self.order.walk_order(out.reborrow())?;
        if let Some(limit) = &self.limit {
            out.push_sql(" LIMIT ");
            out.push_bind_param::<BigInt, i64>(limit)?;
        } else if let (Some(_), Some(no_limit)) = (&self.offset, DB::NO_LIMIT) {
            out.push_sql(no_limit);
        }
        if let Some(offset) = &self.offset {
            out.push_sql(" OFFSET ");
            out.push_bind_param::<BigInt, i64>(offset)?;
        }
        Ok(())
    }
}
