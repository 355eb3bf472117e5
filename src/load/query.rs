//! The statement that loads a relation's rows under criteria: a predicate,
//! an order, and a limit per parent as a window function.

use std::marker::PhantomData;

use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, HasSqlType};
use diesel::{QueryResult, RunQueryDsl};

/// The name of the rank column of a limited load.
const RANK: &str = "__quarry_rank";
/// The name of a many-to-many load's key column inside the derived table.
const KEY: &str = "__quarry_key";

type Fragment<DB> = Box<dyn QueryFragment<DB>>;

/// The related rows of some keys under criteria, as one statement with
/// SQL type `ST` (the related table's columns; for a many-to-many
/// relation, the association table's key column first). Generated code
/// builds it; read the SQL with `diesel::debug_query`. Without a limit:
///
/// ```sql
/// SELECT articles.<cols> FROM articles
/// WHERE articles.author_id IN (?, ?) AND (<predicate>)
/// ORDER BY <order>, articles.id
/// ```
///
/// With at most `n` rows per parent, ranked by a window function in a
/// derived table named as the table itself, so that the table's own
/// columns name its columns outside:
///
/// ```sql
/// SELECT articles.<cols> FROM (
///     SELECT articles.*, ROW_NUMBER() OVER (PARTITION BY articles.author_id ORDER BY <order>, articles.id) AS __quarry_rank
///     FROM articles WHERE articles.author_id IN (?, ?) AND (<predicate>)
/// ) AS articles
/// WHERE __quarry_rank <= ? ORDER BY <order>, articles.id
/// ```
///
/// A many-to-many load reads `FROM tags INNER JOIN article_tags ON ...`,
/// selects `article_tags.article_id` (as `__quarry_key` inside the derived
/// table) and partitions by it. The order always ends with the related
/// table's primary key, so ties rank the same way on every run.
///
/// ```
/// # include!("../doctest_setup.rs");
/// # use diesel::dsl::SqlTypeOf;
/// # use diesel::sqlite::Sqlite;
/// # use quarry::load::RelatedQuery;
/// # fn main() -> quarry::Result<()> {
/// # let mut session = seeded();
/// # let conn = session.connection();
/// # let keys = vec![1, 2];
/// // What the loader does for `Author::ARTICLES.limit(3)` on SQLite:
/// let query = RelatedQuery::<Sqlite, SqlTypeOf<<articles::table as Table>::AllColumns>>::new(
///     articles::table, articles::all_columns, articles::author_id,
///     articles::author_id.eq_any(keys), articles::table.primary_key(),
/// )
/// .criteria(None, Some(Box::new(articles::published.desc())), Some(3));
/// let rows: Vec<Article> = query.load(conn)?;
/// # assert_eq!(rows.len(), 3);
/// # Ok(())
/// # }
/// ```
///
/// The derived table takes the table's bare name: a table in a database
/// schema (namespace) of its own cannot be loaded with a limit yet.
pub struct RelatedQuery<DB: Backend, ST> {
    table: Fragment<DB>,
    columns: Fragment<DB>,
    through: Option<(Fragment<DB>, Fragment<DB>)>,
    key: Fragment<DB>,
    /// The key's columns one by one, when it has several (a composite key
    /// through an association table): each gets its own alias.
    key_columns: Vec<Fragment<DB>>,
    keys: Fragment<DB>,
    primary_key: Fragment<DB>,
    filter: Option<Fragment<DB>>,
    order: Option<Fragment<DB>>,
    limit: Option<i64>,
    sql_type: PhantomData<fn() -> ST>,
}

impl<DB: Backend, ST> RelatedQuery<DB, ST> {
    /// `SELECT columns FROM table WHERE keys ORDER BY primary_key`, where
    /// `keys` is `key IN (...)`.
    #[doc(hidden)]
    pub fn new(
        table: impl QueryFragment<DB> + 'static,
        columns: impl QueryFragment<DB> + 'static,
        key: impl QueryFragment<DB> + 'static,
        keys: impl QueryFragment<DB> + 'static,
        primary_key: impl QueryFragment<DB> + 'static,
    ) -> Self {
        RelatedQuery {
            table: Box::new(table),
            columns: Box::new(columns),
            through: None,
            key: Box::new(key),
            key_columns: Vec::new(),
            keys: Box::new(keys),
            primary_key: Box::new(primary_key),
            filter: None,
            order: None,
            limit: None,
            sql_type: PhantomData,
        }
    }

    /// Joins the association table `through` `on` its link to the table,
    /// and selects the key column first.
    #[doc(hidden)]
    pub fn through(mut self, through: impl QueryFragment<DB> + 'static, on: impl QueryFragment<DB> + 'static) -> Self {
        self.through = Some((Box::new(through), Box::new(on)));
        self
    }

    /// The key's columns one by one, for a key of several columns selected
    /// through an association table.
    #[doc(hidden)]
    pub fn key_columns(mut self, columns: Vec<Box<dyn QueryFragment<DB>>>) -> Self {
        self.key_columns = columns;
        self
    }

    /// `__quarry_key` for a one-column key, `__quarry_key_0, __quarry_key_1, ...`
    /// for a composite one; with `from`, `column AS alias` for each.
    fn walk_key_aliases<'b>(&'b self, mut out: AstPass<'_, 'b, DB>, from: bool) -> QueryResult<()> {
        if self.key_columns.is_empty() {
            if from {
                self.key.walk_ast(out.reborrow())?;
                out.push_sql(" AS ");
            }
            return out.push_identifier(KEY);
        }
        for (i, column) in self.key_columns.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            if from {
                column.walk_ast(out.reborrow())?;
                out.push_sql(" AS ");
            }
            out.push_identifier(&format!("{KEY}_{i}"))?;
        }
        Ok(())
    }

    /// The criteria: an extra predicate, an order before the primary key,
    /// a limit per key.
    #[doc(hidden)]
    pub fn criteria(mut self, filter: Option<Fragment<DB>>, order: Option<Fragment<DB>>, limit: Option<i64>) -> Self {
        self.filter = filter;
        self.order = order;
        self.limit = limit;
        self
    }

    /// `FROM table [INNER JOIN through ON on] WHERE keys [AND (filter)]`.
    fn walk_from_where<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(" FROM ");
        self.table.walk_ast(out.reborrow())?;
        if let Some((through, on)) = &self.through {
            out.push_sql(" INNER JOIN ");
            through.walk_ast(out.reborrow())?;
            out.push_sql(" ON ");
            on.walk_ast(out.reborrow())?;
        }
        out.push_sql(" WHERE ");
        self.keys.walk_ast(out.reborrow())?;
        if let Some(filter) = &self.filter {
            out.push_sql(" AND (");
            filter.walk_ast(out.reborrow())?;
            out.push_sql(")");
        }
        Ok(())
    }

    /// `[order, ]primary_key`.
    fn walk_order<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        if let Some(order) = &self.order {
            order.walk_ast(out.reborrow())?;
            out.push_sql(", ");
        }
        self.primary_key.walk_ast(out.reborrow())
    }
}

impl<DB: Backend, ST> Query for RelatedQuery<DB, ST> {
    type SqlType = ST;
}

// The SQL depends on the criteria (a limit or not, a predicate or not):
// never cache it by type.
impl<DB: Backend, ST> QueryId for RelatedQuery<DB, ST> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<DB, ST> QueryFragment<DB> for RelatedQuery<DB, ST>
where
    DB: Backend + HasSqlType<BigInt>,
    i64: ToSql<BigInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("SELECT ");
        let Some(limit) = &self.limit else {
            if self.through.is_some() {
                self.key.walk_ast(out.reborrow())?;
                out.push_sql(", ");
            }
            self.columns.walk_ast(out.reborrow())?;
            self.walk_from_where(out.reborrow())?;
            out.push_sql(" ORDER BY ");
            return self.walk_order(out.reborrow());
        };
        if self.through.is_some() {
            self.walk_key_aliases(out.reborrow(), false)?;
            out.push_sql(", ");
        }
        self.columns.walk_ast(out.reborrow())?;
        out.push_sql(" FROM (SELECT ");
        if self.through.is_some() {
            self.walk_key_aliases(out.reborrow(), true)?;
            out.push_sql(", ");
        }
        self.table.walk_ast(out.reborrow())?;
        out.push_sql(".*, ROW_NUMBER() OVER (PARTITION BY ");
        self.key.walk_ast(out.reborrow())?;
        out.push_sql(" ORDER BY ");
        self.walk_order(out.reborrow())?;
        out.push_sql(") AS ");
        out.push_identifier(RANK)?;
        self.walk_from_where(out.reborrow())?;
        out.push_sql(") AS ");
        self.table.walk_ast(out.reborrow())?;
        out.push_sql(" WHERE ");
        out.push_identifier(RANK)?;
        out.push_sql(" <= ");
        out.push_bind_param::<BigInt, i64>(limit)?;
        out.push_sql(" ORDER BY ");
        self.walk_order(out.reborrow())
    }
}

impl<DB: Backend, ST, C> RunQueryDsl<C> for RelatedQuery<DB, ST> {}
