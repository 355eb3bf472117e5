//! Common table expressions: `WITH [RECURSIVE] name (columns) AS (query)`,
//! typed by a table that names the CTE and its columns, declared in one
//! line by [`cte_tables!`](crate::cte_tables).
//!
//! ```
//! use diesel::prelude::*;
//! use diesel::sql_types::Integer;
//! use quarry::dsl::{recursive_cte, with};
//!
//! quarry::cte_tables! { numbers (n: Integer); }
//!
//! let mut conn = SqliteConnection::establish(":memory:").unwrap();
//! // WITH RECURSIVE numbers (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM numbers WHERE n < 5)
//! let base = diesel::select(1.into_sql::<Integer>());
//! let step = numbers::table.filter(numbers::n.lt(5)).select(numbers::n + 1);
//! let query = with(recursive_cte(numbers::table, base, step), numbers::table.select(numbers::n));
//! let found: Vec<i32> = query.load(&mut conn).unwrap();
//! assert_eq!(found, [1, 2, 3, 4, 5]);
//! ```
//!
//! The CTE's table gives it typed columns: the definition must select
//! exactly the column types it declares (both parts of a recursive CTE
//! must), and the main query uses the CTE like any table, so comparing a
//! CTE column with a wrongly typed value, or naming a column the CTE does
//! not define, does not compile. `cte_tables! { use schema; ... }` lets the
//! CTEs appear beside the generated schema's tables, and beside each other;
//! a CTE declared with a plain diesel `table!` works too, with
//! `diesel::allow_tables_to_appear_in_same_query!` for each pair it joins.

use std::marker::PhantomData;

use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId, SelectQuery};
use diesel::query_source::Column;
use diesel::{QueryResult, RunQueryDsl, Table};

/// A query row type that is the row type `R` of a CTE's table: the same
/// type, or for a one-column CTE also the bare column type.
#[diagnostic::on_unimplemented(
    message = "this query selects `{Self}`, but the CTE's `table!` declares `{R}`",
    label = "its columns must have the CTE's types, in order"
)]
pub trait SameRow<R> {}
impl<T> SameRow<T> for T {}
impl<T> SameRow<(T,)> for T {}

/// One CTE: the table that names it, the query that defines it, and
/// whether the planner is told to materialize it (`H`, see
/// [`Cte::materialized`]).
#[derive(Debug, Clone, Copy)]
pub struct Cte<T: Table, Q, H = Planned> {
    /// The table as a FROM clause renders it: the CTE's quoted name.
    name: T::FromClause,
    definition: Q,
    recursive: bool,
    hint: PhantomData<H>,
    table: PhantomData<T>,
}

/// A CTE the planner may inline or materialize as it sees fit.
#[derive(Debug, Clone, Copy, Default)]
pub struct Planned;
/// `AS MATERIALIZED`: see [`Cte::materialized`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Materialized;
/// `AS NOT MATERIALIZED`: see [`Cte::not_materialized`].
#[derive(Debug, Clone, Copy, Default)]
pub struct NotMaterialized;

impl<T: Table, Q> Cte<T, Q, Planned> {
    /// `name AS MATERIALIZED (...)`: the CTE is computed once and its rows
    /// kept, even where the planner would inline it (an expensive
    /// definition read several times, or an optimization fence).
    /// PostgreSQL 12+ and SQLite 3.35+; MySQL/MariaDB have no such hint,
    /// and it does not compile there (`tests/ui/materialized_cte_on_mysql.rs`).
    pub fn materialized(self) -> Cte<T, Q, Materialized> {
        self.hinted()
    }

    /// `name AS NOT MATERIALIZED (...)`: the CTE is inlined into the query
    /// that reads it, so filters on it reach its tables' indexes, even
    /// where the planner would compute it once. PostgreSQL 12+ and SQLite
    /// 3.35+, as [`materialized`](Self::materialized).
    pub fn not_materialized(self) -> Cte<T, Q, NotMaterialized> {
        self.hinted()
    }

    fn hinted<H>(self) -> Cte<T, Q, H> {
        Cte {
            name: self.name,
            definition: self.definition,
            recursive: self.recursive,
            hint: PhantomData,
            table: PhantomData,
        }
    }
}

/// How a backend writes a CTE's materialization hint.
#[diagnostic::on_unimplemented(
    message = "this backend has no `{Self}` hint for a CTE",
    label = "MySQL and MariaDB decide materialization themselves: drop `.materialized()` / `.not_materialized()`"
)]
pub trait CteHint<DB> {
    /// The words between `AS` and the definition's parenthesis.
    #[doc(hidden)]
    const SQL: &'static str;
}

impl<DB> CteHint<DB> for Planned {
    const SQL: &'static str = "";
}

macro_rules! hints {
    ($backend:ty, $feature:literal) => {
        #[cfg(feature = $feature)]
        impl CteHint<$backend> for Materialized {
            const SQL: &'static str = "MATERIALIZED ";
        }
        #[cfg(feature = $feature)]
        impl CteHint<$backend> for NotMaterialized {
            const SQL: &'static str = "NOT MATERIALIZED ";
        }
    };
}

hints!(diesel::pg::Pg, "postgres");
hints!(diesel::sqlite::Sqlite, "sqlite");

/// Names `definition` as the CTE `table` (a diesel `table!`). The
/// definition's row type must be the table's.
pub fn cte<T, Q>(table: T, definition: Q) -> Cte<T, Q>
where
    T: Table,
    Q: Query + SelectQuery,
    <Q as Query>::SqlType: SameRow<<T::AllColumns as diesel::Expression>::SqlType>,
{
    Cte { name: table.from_clause(), definition, recursive: false, hint: PhantomData, table: PhantomData }
}

/// Names an `INSERT`, `UPDATE` or `DELETE` with `RETURNING` as the CTE
/// `table`: the statement runs once, and the main query reads the rows it
/// returned (PostgreSQL's data-modifying `WITH`):
///
/// ```
/// # include!("../doctest_setup.rs");
/// # use diesel::sql_types::{Integer, Text};
/// # use quarry::dsl::{modifying_cte, with};
/// # quarry::cte_tables! { use crate::schema; gone (id: Integer, title: Text); }
/// # fn main() {}
/// # #[cfg(feature = "postgres")]
/// # fn move_titles(conn: &mut diesel::PgConnection) -> diesel::QueryResult<usize> {
/// // WITH gone (id, title) AS (DELETE FROM articles WHERE views < 100 RETURNING id, title)
/// // INSERT INTO tags (name) SELECT title FROM gone
/// let gone_rows = diesel::delete(articles::table.filter(articles::views.lt(100)))
///     .returning((articles::id, articles::title));
/// with(modifying_cte(gone::table, gone_rows),
///      diesel::insert_into(tags::table).values(gone::table.select(gone::title)).into_columns(tags::name))
///     .execute(conn)?;
/// # Ok(0)
/// # }
/// ```
///
/// PostgreSQL only: SQLite and MySQL/MariaDB allow no such statement
/// inside a `WITH`, and there it does not compile.
pub fn modifying_cte<T, Q>(table: T, statement: Q) -> Cte<T, Modifying<Q>>
where
    T: Table,
    Q: Query,
    Q::SqlType: SameRow<<T::AllColumns as diesel::Expression>::SqlType>,
{
    Cte {
        name: table.from_clause(),
        definition: Modifying(statement),
        recursive: false,
        hint: PhantomData,
        table: PhantomData,
    }
}

/// See [`modifying_cte`]: a statement that writes, as a CTE's definition.
#[derive(Debug, Clone, Copy)]
pub struct Modifying<Q>(Q);

#[cfg(feature = "postgres")]
impl<Q: QueryFragment<diesel::pg::Pg>> QueryFragment<diesel::pg::Pg> for Modifying<Q> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        self.0.walk_ast(out)
    }
}

/// Names a recursive query as the CTE `table`: `base UNION ALL step`,
/// where `step` reads `table` itself (a tree walk, a management chain).
/// Both parts must select the table's row type. The statement becomes
/// `WITH RECURSIVE`.
///
/// The parts are joined as they are, not through diesel's `union_all`:
/// SQLite allows the recursive reference only directly in the step's
/// `FROM`, which diesel's subquery-wrapped `UNION` on SQLite would hide.
pub fn recursive_cte<T, B, S>(table: T, base: B, step: S) -> Cte<T, RecursiveUnion<B, S>>
where
    T: Table,
    B: Query,
    S: Query,
    B::SqlType: SameRow<<T::AllColumns as diesel::Expression>::SqlType>,
    S::SqlType: SameRow<<T::AllColumns as diesel::Expression>::SqlType>,
{
    recursive(table, RecursiveUnion { base, step, distinct: false })
}

/// [`recursive_cte`] joined by `UNION` instead of `UNION ALL`: a row the
/// walk has already produced is not produced again, so a walk over a
/// graph with cycles ends (SQLAlchemy's `cte(recursive=True)` with
/// `union` rather than `union_all`). Select only what identifies a row
/// (no depth counter), or every lap differs and the walk never ends.
pub fn recursive_cte_distinct<T, B, S>(table: T, base: B, step: S) -> Cte<T, RecursiveUnion<B, S>>
where
    T: Table,
    B: Query,
    S: Query,
    B::SqlType: SameRow<<T::AllColumns as diesel::Expression>::SqlType>,
    S::SqlType: SameRow<<T::AllColumns as diesel::Expression>::SqlType>,
{
    recursive(table, RecursiveUnion { base, step, distinct: true })
}

/// The recursive CTE `table` defined by `definition`.
fn recursive<T: Table, B, S>(table: T, definition: RecursiveUnion<B, S>) -> Cte<T, RecursiveUnion<B, S>> {
    Cte { name: table.from_clause(), definition, recursive: true, hint: PhantomData, table: PhantomData }
}

/// `base UNION ALL step` (or `UNION`), the definition of a recursive CTE.
#[derive(Debug, Clone, Copy)]
pub struct RecursiveUnion<B, S> {
    base: B,
    step: S,
    distinct: bool,
}

impl<DB: Backend, B: QueryFragment<DB>, S: QueryFragment<DB>> QueryFragment<DB> for RecursiveUnion<B, S> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.base.walk_ast(out.reborrow())?;
        out.push_sql(if self.distinct { " UNION " } else { " UNION ALL " });
        self.step.walk_ast(out.reborrow())
    }
}

/// The CTEs of one statement: a [`Cte`] or a tuple of them.
pub trait CteList<DB: Backend> {
    #[doc(hidden)]
    fn is_recursive(&self) -> bool;
    #[doc(hidden)]
    fn walk_definitions<'b>(&'b self, out: AstPass<'_, 'b, DB>) -> QueryResult<()>;
}

/// The column names of a table, in `AllColumns` order.
pub trait ColumnNames {
    #[doc(hidden)]
    fn names() -> Vec<&'static str>;
}

macro_rules! column_names {
    ($($c:ident),+) => {
        impl<$($c: Column),+> ColumnNames for ($($c,)+) {
            fn names() -> Vec<&'static str> {
                vec![$($c::NAME),+]
            }
        }
    };
}
column_names!(A);
column_names!(A, B);
column_names!(A, B, C);
column_names!(A, B, C, D);
column_names!(A, B, C, D, E);
column_names!(A, B, C, D, E, F);
column_names!(A, B, C, D, E, F, G);
column_names!(A, B, C, D, E, F, G, H);
column_names!(A, B, C, D, E, F, G, H, I);
column_names!(A, B, C, D, E, F, G, H, I, J);
column_names!(A, B, C, D, E, F, G, H, I, J, K);
column_names!(A, B, C, D, E, F, G, H, I, J, K, L);

impl<DB, T, Q, H> CteList<DB> for Cte<T, Q, H>
where
    DB: Backend,
    T: Table,
    T::AllColumns: ColumnNames,
    T::FromClause: QueryFragment<DB>,
    Q: QueryFragment<DB>,
    H: CteHint<DB>,
{
    fn is_recursive(&self) -> bool {
        self.recursive
    }

    fn walk_definitions<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        walk_named_columns::<T, DB>(&self.name, out.reborrow())?;
        out.push_sql(" AS ");
        out.push_sql(H::SQL);
        out.push_sql("(");
        self.definition.walk_ast(out.reborrow())?;
        out.push_sql(")");
        Ok(())
    }
}

/// `"name" ("a", "b")`: a table's name and its columns, as a CTE or a
/// lateral subquery is named.
pub(crate) fn walk_named_columns<'b, T, DB>(name: &'b T::FromClause, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()>
where
    DB: Backend,
    T: Table,
    T::AllColumns: ColumnNames,
    T::FromClause: QueryFragment<DB>,
{
    name.walk_ast(out.reborrow())?;
    out.push_sql(" (");
    for (i, column) in <T::AllColumns as ColumnNames>::names().into_iter().enumerate() {
        if i > 0 {
            out.push_sql(", ");
        }
        out.push_identifier(column)?;
    }
    out.push_sql(")");
    Ok(())
}

macro_rules! cte_tuple {
    ($($c:ident: $i:tt),+) => {
        impl<DB: Backend, $($c: CteList<DB>),+> CteList<DB> for ($($c,)+) {
            fn is_recursive(&self) -> bool {
                false $(|| self.$i.is_recursive())+
            }

            fn walk_definitions<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
                let mut first = true;
                $(
                    if !std::mem::take(&mut first) {
                        out.push_sql(", ");
                    }
                    self.$i.walk_definitions(out.reborrow())?;
                )+
                let _ = first;
                Ok(())
            }
        }
    };
}
cte_tuple!(A: 0, B: 1);
cte_tuple!(A: 0, B: 1, C: 2);
cte_tuple!(A: 0, B: 1, C: 2, D: 3);

/// `WITH ctes main`: a query that first defines `ctes` (a [`Cte`] or a
/// tuple of them) and then runs `main`, which reads them as tables.
///
/// `main` is a select to load, or on PostgreSQL and SQLite also an
/// `INSERT`, `UPDATE` or `DELETE` to execute (`WITH busy AS (...) INSERT
/// INTO ... SELECT ... FROM busy`). MySQL/MariaDB take a `WITH` only
/// before a select; there another main statement does not compile.
pub fn with<L, Q>(ctes: L, main: Q) -> With<L, Q> {
    With { ctes, main }
}

/// See [`with`].
#[derive(Debug, Clone, Copy)]
pub struct With<L, Q> {
    ctes: L,
    main: Q,
}

impl<L, Q: Query> Query for With<L, Q> {
    type SqlType = Q::SqlType;
}

// `WITH` or `WITH RECURSIVE` is chosen at run time: never cache by type.
impl<L, Q> QueryId for With<L, Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<L, Q> With<L, Q> {
    fn walk<'b, DB>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()>
    where
        DB: Backend,
        L: CteList<DB>,
        Q: QueryFragment<DB>,
    {
        out.push_sql(if self.ctes.is_recursive() { "WITH RECURSIVE " } else { "WITH " });
        self.ctes.walk_definitions(out.reborrow())?;
        out.push_sql(" ");
        self.main.walk_ast(out.reborrow())
    }
}

/// PostgreSQL and SQLite put a `WITH` before any statement.
macro_rules! with_any_statement {
    ($backend:ty, $feature:literal) => {
        #[cfg(feature = $feature)]
        impl<L: CteList<$backend>, Q: QueryFragment<$backend>> QueryFragment<$backend> for With<L, Q> {
            fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, $backend>) -> QueryResult<()> {
                self.walk(out)
            }
        }
    };
}

with_any_statement!(diesel::pg::Pg, "postgres");
with_any_statement!(diesel::sqlite::Sqlite, "sqlite");

/// MySQL/MariaDB put a `WITH` only before a select.
#[cfg(feature = "mysql")]
impl<L, Q> QueryFragment<diesel::mysql::Mysql> for With<L, Q>
where
    L: CteList<diesel::mysql::Mysql>,
    Q: QueryFragment<diesel::mysql::Mysql> + SelectQuery,
{
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, diesel::mysql::Mysql>) -> QueryResult<()> {
        self.walk(out)
    }
}

impl<L, Q, C> RunQueryDsl<C> for With<L, Q> {}

/// Declares the tables that name CTEs (or derived tables), one line each:
/// the name and its columns with their diesel SQL types, nothing else.
///
/// ```
/// # mod schema { diesel::table! { authors (id) { id -> Integer, name -> Text } } quarry::__codegen::cte_ready!(authors); }
/// quarry::cte_tables! {
///     use schema;
///     busy (author_id: Integer, written: BigInt);
///     read (author_id: Integer, views: Nullable<BigInt>);
/// }
/// ```
///
/// Each line becomes a diesel `table!` (its first column stands in for the
/// primary key diesel requires, which nothing uses). `use schema;` names
/// the module of a generated schema: the CTEs may then appear in one query
/// with any of its tables, and the CTEs of one call with each other,
/// without `allow_tables_to_appear_in_same_query!`. Declare them in the
/// crate that includes the schema.
#[macro_export]
macro_rules! cte_tables {
    (use $($schema:ident)::+; $($declarations:tt)+) => {
        $crate::cte_tables! { $($declarations)+ }
        $crate::cte_tables! { @beside [$($schema)::+] $($declarations)+ }
    };
    (@beside [$($schema:ident)::+] $name:ident $columns:tt; $($rest:tt)*) => {
        impl $($schema)::+::__QuarryCte for $name::table {}
        impl<T: $($schema)::+::__QuarryTable> diesel::query_source::TableNotEqual<T> for $name::table {}
        $crate::cte_tables! { @beside [$($schema)::+] $($rest)* }
    };
    (@beside [$($schema:ident)::+]) => {};
    ($($name:ident ($first:ident : $first_type:ty $(, $column:ident : $type:ty)* $(,)?);)+) => {
        $(
            diesel::table! { $name ($first) { $first -> $first_type, $($column -> $type,)* } }
            // Selectable from the table joined as a lateral subquery.
            impl<Q, K> diesel::SelectableExpression<$crate::dsl::Derived<$name::table, Q, K>> for $name::$first {}
            $(impl<Q, K> diesel::SelectableExpression<$crate::dsl::Derived<$name::table, Q, K>> for $name::$column {})*
            impl<Q, K> diesel::query_source::AppearsInFromClause<$name::table> for $crate::dsl::Derived<$name::table, Q, K> {
                type Count = diesel::query_source::Once;
            }
        )+
        diesel::allow_tables_to_appear_in_same_query!($($name,)+);
    };
}

/// What the generated schema declares so that [`cte_tables!`] can let a
/// CTE appear beside each of its tables: two marker traits, local to the
/// schema's crate, and for every table a blanket impl over the CTEs.
/// Local traits are what makes this coherent: rustc can see that no
/// table, and none of diesel's wrappers (`Only`, `Alias`), is a CTE.
#[doc(hidden)]
#[macro_export]
macro_rules! __cte_ready {
    ($($table:ident),* $(,)?) => {
        /// The schema's tables, which a CTE may appear beside.
        #[doc(hidden)]
        pub trait __QuarryTable: diesel::Table {}
        /// The CTEs declared over the schema by `quarry::cte_tables!`.
        #[doc(hidden)]
        pub trait __QuarryCte: diesel::Table {}
        $(
            impl __QuarryTable for $table::table {}
            impl<C: __QuarryCte> diesel::query_source::TableNotEqual<C> for $table::table {}
            impl<C: __QuarryCte, Q, K> diesel::query_source::AppearsInFromClause<$table::table> for $crate::dsl::Derived<C, Q, K> {
                type Count = diesel::query_source::Never;
            }
        )*
    };
}
