//! `expression IN (SELECT ...)`: the filter behind `Relation::any` and
//! `Relation::has`, usable on its own.

use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::Bool;
use diesel::QueryResult;

/// See [`in_subquery`].
#[derive(Debug, Clone, Copy)]
pub struct InSubquery<L, Q> {
    lhs: L,
    query: Q,
}

/// `lhs IN (query)`, for a query selecting one column of `lhs`'s type.
/// The query stands alone (it names no column of the outer query), so any
/// backend runs it as a semi-join.
///
/// ```
/// use diesel::prelude::*;
/// diesel::table! { authors (id) { id -> Integer, name -> Text } }
/// diesel::table! { articles (id) { id -> Integer, author_id -> Integer, views -> Integer } }
///
/// let popular = articles::table.filter(articles::views.gt(100)).select(articles::author_id);
/// let query = authors::table.filter(quarry::dsl::in_subquery(authors::id, popular)).select(authors::name);
/// let sql = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&query).to_string();
/// assert!(sql.starts_with("SELECT `authors`.`name` FROM `authors` WHERE `authors`.`id` IN (SELECT `articles`.`author_id` FROM `articles` WHERE (`articles`.`views` > ?))"), "{sql}");
/// ```
pub fn in_subquery<L, Q>(lhs: L, query: Q) -> InSubquery<L, Q>
where
    L: Expression,
    Q: Query<SqlType = L::SqlType>,
{
    InSubquery { lhs, query }
}

impl<L, Q> QueryId for InSubquery<L, Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<L: Expression, Q> Expression for InSubquery<L, Q> {
    type SqlType = Bool;
}

impl<L: AppearsOnTable<QS>, Q, QS> AppearsOnTable<QS> for InSubquery<L, Q> {}

impl<L: SelectableExpression<QS>, Q, QS> SelectableExpression<QS> for InSubquery<L, Q> {}

impl<L: ValidGrouping<GB>, Q, GB> ValidGrouping<GB> for InSubquery<L, Q> {
    type IsAggregate = L::IsAggregate;
}

impl<L, Q, DB> QueryFragment<DB> for InSubquery<L, Q>
where
    DB: Backend,
    L: QueryFragment<DB>,
    Q: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.lhs.walk_ast(out.reborrow())?;
        out.push_sql(" IN (");
        self.query.walk_ast(out.reborrow())?;
        out.push_sql(")");
        Ok(())
    }
}
