//! `ORDER BY` on a `UNION`, `INTERSECT` or `EXCEPT`: SQLAlchemy's
//! `union(a, b).order_by(Article.title)`.
//!
//! diesel has no `order_by` on a combined query (calling one ends in
//! rustc's "overflow evaluating the requirement"), only an unstable
//! `positional_order_by`. The key of such an `ORDER BY` is one of the
//! result's columns, by its name: [`output`] turns a column into that
//! key, and [`OrderCombined::order_by_output`] sorts by it. `LIMIT` and
//! `OFFSET` work on a combined query as on any other.

use diesel::backend::Backend;
use diesel::expression::Expression;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::query_dsl::positional_order_dsl::{IntoPositionalOrderExpr, PositionalOrderDsl, PositionalOrderExpr};
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
