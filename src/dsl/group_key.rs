//! `SELECT expr AS name ... GROUP BY name`: grouping by an expression that
//! is selected beside its groups, such as a `CASE` bucket (SQLAlchemy's
//! `select(bucket.label("bucket"), func.count()).group_by("bucket")`).
//!
//! diesel checks a grouped select column by column, so an expression over
//! columns outside the `GROUP BY` does not compile; and writing the
//! expression twice would bind its values twice, which PostgreSQL does not
//! read as one expression. A [`group_key`] is written once, in the select
//! list with its name, and grouped and ordered by that name:
//!
//! ```
//! use diesel::dsl::{case_when, count_star};
//! use diesel::prelude::*;
//! use diesel::sql_types::Text;
//! use quarry::dsl::group_key;
//! # diesel::table! { articles (id) { id -> Integer, views -> Integer } }
//! let mut conn = SqliteConnection::establish(":memory:").unwrap();
//! # diesel::connection::SimpleConnection::batch_execute(&mut conn, "
//! #   CREATE TABLE articles (id INTEGER PRIMARY KEY, views INTEGER NOT NULL);
//! #   INSERT INTO articles VALUES (1, 420), (2, 95), (3, 12);").unwrap();
//! let bucket = group_key(
//!     "bucket",
//!     case_when(articles::views.lt(100), "low".into_sql::<Text>()).otherwise("high".into_sql::<Text>()),
//! );
//! let rows: Vec<(String, i64)> = articles::table
//!     .group_by(bucket.name())
//!     .select((bucket, count_star()))
//!     .order(bucket.name())
//!     .load(&mut conn)
//!     .unwrap();
//! assert_eq!(rows, [("high".to_owned(), 1), ("low".to_owned(), 2)]);
//! ```
//!
//! The `GROUP BY` is the key's name, alone or in a tuple with columns
//! (`.group_by((bucket.name(), authors::id))`), which may then be selected
//! too. A column outside the `GROUP BY` still does not compile, nor does
//! the key in a query grouped otherwise. PostgreSQL and MySQL/MariaDB read
//! a `GROUP BY` name as a column of the `FROM` tables first: name the key
//! differently from every column of the query's tables.

use diesel::backend::Backend;
use diesel::expression::is_aggregate;
use diesel::expression::is_contained_in_group_by::No;
use diesel::expression::{
    AppearsOnTable, Expression, IsContainedInGroupBy, NonAggregate, SelectableExpression, ValidGrouping,
};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::{Column, QueryResult};

/// `expression AS name` in a select list, grouped and ordered by
/// [`GroupKey::name`]. `expression` must not aggregate:
///
/// ```compile_fail
/// let total = quarry::dsl::group_key("total", diesel::dsl::count_star());
/// ```
pub fn group_key<E>(name: &'static str, expression: E) -> GroupKey<E>
where
    E: Expression + NonAggregate,
{
    GroupKey { name, expression }
}

/// See [`group_key`]: select it as it is, group and order by its
/// [`name`](GroupKey::name).
#[derive(Debug, Clone, Copy)]
pub struct GroupKey<E> {
    name: &'static str,
    expression: E,
}

/// A [`GroupKey`]'s name, to group or order by: it stands for the
/// expression the select list names so.
#[derive(Debug, Clone, Copy)]
pub struct KeyName<E> {
    name: &'static str,
    expression: std::marker::PhantomData<E>,
}

impl<E> GroupKey<E> {
    /// The key's name, for `.group_by(...)` and `.order(...)`.
    pub fn name(&self) -> KeyName<E> {
        KeyName { name: self.name, expression: std::marker::PhantomData }
    }
}

impl<E: Expression> Expression for GroupKey<E> {
    type SqlType = E::SqlType;
}

impl<E: Expression> Expression for KeyName<E> {
    type SqlType = E::SqlType;
}

impl<E: AppearsOnTable<QS>, QS> AppearsOnTable<QS> for GroupKey<E> {}

impl<E: SelectableExpression<QS>, QS> SelectableExpression<QS> for GroupKey<E> {}

impl<E: AppearsOnTable<QS>, QS> AppearsOnTable<QS> for KeyName<E> {}

/// Selectable, and orderable by name, only in a query grouped by the key:
/// there each of its rows is one group's.
impl<E, G: GroupedByKey<E>> ValidGrouping<G> for GroupKey<E> {
    type IsAggregate = is_aggregate::Yes;
}

impl<E, G: GroupedByKey<E>> ValidGrouping<G> for KeyName<E> {
    type IsAggregate = is_aggregate::Yes;
}

/// A column beside the key in a `GROUP BY` is grouped by the tuple's
/// other members; the key's name groups no column.
impl<E, C: Column> IsContainedInGroupBy<C> for KeyName<E> {
    type Output = No;
}

/// A `GROUP BY` that names the key `E`: its name alone, or a tuple of it
/// and columns.
#[diagnostic::on_unimplemented(
    message = "this query is not grouped by the key `{E}`",
    label = "group by `key.name()`, alone or in a tuple with columns",
    note = "a group key is selectable only in a query grouped by its name"
)]
pub trait GroupedByKey<E> {}

impl<E> GroupedByKey<E> for KeyName<E> {}

/// The key at any place in a tuple of columns: the other members are
/// columns, so the impls for different places do not overlap.
macro_rules! key_in_tuple {
    ($(($($before:ident),*; $($after:ident),*)),+ $(,)?) => {$(
        impl<E, $($before: Column,)* $($after: Column,)*> GroupedByKey<E> for ($($before,)* KeyName<E>, $($after,)*) {}
    )+};
}

key_in_tuple!(
    (; A),
    (A; ),
    (; A, B),
    (A; B),
    (A, B; ),
    (; A, B, C),
    (A; B, C),
    (A, B; C),
    (A, B, C; ),
);

impl<E: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for GroupKey<E> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.expression.walk_ast(out.reborrow())?;
        out.push_sql(" AS ");
        out.push_identifier(self.name)
    }
}

impl<E, DB: Backend> QueryFragment<DB> for KeyName<E> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_identifier(self.name)
    }
}

// The name is a value: never cache by type.
impl<E> QueryId for GroupKey<E> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<E> QueryId for KeyName<E> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}
