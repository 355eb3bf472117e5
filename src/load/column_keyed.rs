//! Loading, filtering and joining written once for every relation keyed by
//! one NOT NULL column on each side: has_many, has_one and belongs_to over
//! a one-column foreign key, without a declared order. The generated code
//! names the two columns ([`ColumnKeyed`]); the impls below, on
//! [`Keyed<N>`], do the rest, and `column_keyed!(N)` forwards `N`'s own
//! impls to them.
//!
//! Written per relation, these bodies made up much of a large schema's
//! `cargo check`: rustc checks a blanket impl's body once, and a relation's
//! bounds only where it is loaded, filtered or joined. The impls are on a
//! wrapper rather than on every `N: ColumnKeyed` so that each relation type
//! keeps exactly one impl of each trait: with two candidates rustc's errors
//! would no longer say which bound failed.

use diesel::dsl::{Filter, Nullable, Select, SqlTypeOf};
use diesel::expression::{AsExpression, Expression};
use diesel::internal::table_macro::LeftOuter;
use diesel::query_builder::{Query, QueryFragment};
use diesel::query_dsl::methods::{FilterDsl, SelectDsl};
use diesel::query_dsl::{InternalJoinDsl, LoadQuery};
use diesel::sql_types::{SingleValue, SqlType};
use diesel::{Column, Connection, ExpressionMethods, NullableExpressionMethods, QueryResult, RunQueryDsl, Table};

use super::criteria::{RowFilter, RowLimit, RowOrder};
use super::joined::{JoinRows, JoinedRows, UnlimitedQuery};
use super::query::RelatedQuery;
use super::relationship::{KeyedRows, LoadRows, LoadRowsWhere, Matching, Relationship};
use super::{Many, One, Optional};
use crate::dsl::{in_subquery, InSubquery};
use crate::model::Model;
use std::marker::PhantomData;

/// A relation keyed by one NOT NULL column on each side, without a
/// declared order: generated, and given [`LoadRows`], [`LoadRowsWhere`],
/// [`Matching`] and [`JoinRows`] here.
#[doc(hidden)]
pub trait ColumnKeyed: Relationship {
    /// `From`'s column holding the key: the foreign key for belongs_to, the
    /// primary key otherwise.
    type FromColumn: Column<Table = TableOf<Self::From>> + Default;
    /// `To`'s column matched against the keys: the primary key for
    /// belongs_to, the foreign key otherwise.
    type ToColumn: Column<Table = TableOf<Self::To>> + Default;
    /// `to_column IN (keys)`: `diesel::dsl::EqAny<ToColumn, Vec<Key>>`.
    type KeysIn: Expression;
    /// [`JoinRows::GROUPED`]: `false` for belongs_to.
    const GROUPED: bool;

    /// The key a `To` row matched.
    fn to_key(row: &Self::To) -> Self::Key;
    /// `to_column IN (keys)` (diesel names the bound this needs only in a
    /// private module, so each relation writes it with its concrete types).
    fn keys_in(keys: Vec<Self::Key>) -> Self::KeysIn;
}

/// The loading impls of the [`ColumnKeyed`] relation `N`.
#[doc(hidden)]
pub struct Keyed<N>(PhantomData<N>);

impl<N> Clone for Keyed<N> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<N> Copy for Keyed<N> {}

impl<N: ColumnKeyed> Relationship for Keyed<N> {
    type From = N::From;
    type To = N::To;
    type Key = N::Key;
    type Cardinality = N::Cardinality;
    const NAME: &'static str = N::NAME;

    fn parent_key(row: &N::From) -> Option<N::Key> {
        N::parent_key(row)
    }
}

/// The diesel table of a model.
type TableOf<M> = <M as Model>::Table;

/// `WHERE to_column IN (keys)`.
type KeysIn<N> = <N as ColumnKeyed>::KeysIn;

/// Each row with the key it matched.
fn keyed<N: ColumnKeyed>(rows: Vec<N::To>) -> KeyedRows<Keyed<N>> {
    rows.into_iter().map(|row| (N::to_key(&row), row)).collect()
}

impl<N, C> LoadRows<C> for Keyed<N>
where
    N: ColumnKeyed,
    C: Connection,
    TableOf<N::To>: FilterDsl<KeysIn<N>>,
    Filter<TableOf<N::To>, KeysIn<N>>: RunQueryDsl<C> + LoadQuery<'static, C, N::To>,
{
    fn load_rows(keys: Vec<N::Key>, conn: &mut C) -> QueryResult<KeyedRows<Self>> {
        let query = FilterDsl::filter(TableOf::<N::To>::default(), N::keys_in(keys));
        Ok(keyed::<N>(RunQueryDsl::load(query, conn)?))
    }
}

impl<N, C, F, O, L> LoadRowsWhere<C, (F, O, L)> for Keyed<N>
where
    N: ColumnKeyed,
    C: Connection,
    F: RowFilter<TableOf<N::To>, C::Backend>,
    O: RowOrder<TableOf<N::To>, C::Backend>,
    L: RowLimit,
    TableOf<N::To>: QueryFragment<C::Backend>,
    <TableOf<N::To> as Table>::AllColumns: Expression + QueryFragment<C::Backend> + 'static,
    <TableOf<N::To> as Table>::PrimaryKey: QueryFragment<C::Backend> + 'static,
    N::ToColumn: QueryFragment<C::Backend>,
    KeysIn<N>: QueryFragment<C::Backend> + 'static,
    RelatedQuery<C::Backend, SqlTypeOf<<TableOf<N::To> as Table>::AllColumns>>: LoadQuery<'static, C, N::To>,
{
    fn load_rows_where(
        keys: Vec<N::Key>,
        (filter, order, limit): (F, O, L),
        conn: &mut C,
    ) -> QueryResult<KeyedRows<Self>> {
        let table = TableOf::<N::To>::default();
        let query = RelatedQuery::<C::Backend, SqlTypeOf<<TableOf<N::To> as Table>::AllColumns>>::new(
            table,
            TableOf::<N::To>::all_columns(),
            N::ToColumn::default(),
            N::keys_in(keys),
            Table::primary_key(&table),
        )
        .criteria(filter.boxed(), order.boxed(None), limit.per_parent());
        Ok(keyed::<N>(RunQueryDsl::load(query, conn)?))
    }
}

/// `to_table WHERE predicate`, selecting `to_column`.
type Related<N, P> = Select<Filter<TableOf<<N as Relationship>::To>, P>, <N as ColumnKeyed>::ToColumn>;

impl<N, P> Matching<P> for Keyed<N>
where
    N: ColumnKeyed,
    TableOf<N::To>: FilterDsl<P>,
    Filter<TableOf<N::To>, P>: SelectDsl<N::ToColumn>,
    Related<N, P>: Query<SqlType = SqlTypeOf<N::FromColumn>>,
{
    type Output = InSubquery<N::FromColumn, Related<N, P>>;

    fn matching(predicate: P) -> Self::Output {
        let related = FilterDsl::filter(TableOf::<N::To>::default(), predicate);
        in_subquery(N::FromColumn::default(), SelectDsl::select(related, N::ToColumn::default()))
    }
}

/// What a joined relation asks of the query: nothing for a to-one
/// relation, no LIMIT/OFFSET ([`UnlimitedQuery`]) for a to-many one.
#[doc(hidden)]
pub trait JoinableQuery<Cardinality, N> {}

impl<Q, N> JoinableQuery<One, N> for Q {}
impl<Q, N> JoinableQuery<Optional, N> for Q {}
impl<Q: UnlimitedQuery<N>, N> JoinableQuery<Many, N> for Q {}

/// `to_column = from_column`, the `ON` of the join.
type JoinOn<N> = diesel::dsl::Eq<<N as ColumnKeyed>::ToColumn, <N as ColumnKeyed>::FromColumn>;

/// `From`'s columns and `To`'s, nullable: what the joined statement selects.
type JoinColumns<N> = (
    <TableOf<<N as Relationship>::From> as Table>::AllColumns,
    Nullable<<TableOf<<N as Relationship>::To> as Table>::AllColumns>,
);

impl<N, Q, C, Q1, Q2> JoinRows<Q, C> for Keyed<N>
where
    N: ColumnKeyed,
    Q: JoinableQuery<N::Cardinality, N>,
    SqlTypeOf<N::ToColumn>: SqlType + SingleValue,
    N::FromColumn: AsExpression<SqlTypeOf<N::ToColumn>>,
    Q: InternalJoinDsl<TableOf<N::To>, LeftOuter, JoinOn<N>, Output = Q1>,
    JoinColumns<N>: Expression,
    Q1: SelectDsl<JoinColumns<N>, Output = Q2>,
    Q2: RunQueryDsl<C> + LoadQuery<'static, C, (N::From, Option<N::To>)>,
{
    const GROUPED: bool = N::GROUPED;

    fn join_rows(query: Q, conn: &mut C) -> QueryResult<JoinedRows<Self>> {
        let on = ExpressionMethods::eq(N::ToColumn::default(), N::FromColumn::default());
        let query = InternalJoinDsl::join(query, TableOf::<N::To>::default(), LeftOuter, on);
        let columns =
            (TableOf::<N::From>::all_columns(), NullableExpressionMethods::nullable(TableOf::<N::To>::all_columns()));
        RunQueryDsl::load(SelectDsl::select(query, columns), conn)
    }
}

/// `LoadRows`, `LoadRowsWhere`, `Matching` and `JoinRows` for the
/// [`ColumnKeyed`] relation type `$name`, forwarded to [`Keyed`]'s.
#[doc(hidden)]
#[macro_export]
macro_rules! __column_keyed {
    ($name:ty) => {
        impl<C> $crate::load::LoadRows<C> for $name
        where
            $crate::load::Keyed<$name>: $crate::load::LoadRows<C>,
        {
            fn load_rows(
                keys: ::std::vec::Vec<<Self as $crate::load::Relationship>::Key>,
                conn: &mut C,
            ) -> diesel::QueryResult<$crate::load::KeyedRows<Self>> {
                <$crate::load::Keyed<$name> as $crate::load::LoadRows<C>>::load_rows(keys, conn)
            }
        }
        impl<C, Q> $crate::load::LoadRowsWhere<C, Q> for $name
        where
            $crate::load::Keyed<$name>: $crate::load::LoadRowsWhere<C, Q>,
        {
            fn load_rows_where(
                keys: ::std::vec::Vec<<Self as $crate::load::Relationship>::Key>,
                criteria: Q,
                conn: &mut C,
            ) -> diesel::QueryResult<$crate::load::KeyedRows<Self>> {
                <$crate::load::Keyed<$name> as $crate::load::LoadRowsWhere<C, Q>>::load_rows_where(keys, criteria, conn)
            }
        }
        impl<P> $crate::load::Matching<P> for $name
        where
            $crate::load::Keyed<$name>: $crate::load::Matching<P>,
        {
            type Output = <$crate::load::Keyed<$name> as $crate::load::Matching<P>>::Output;

            fn matching(predicate: P) -> Self::Output {
                <$crate::load::Keyed<$name> as $crate::load::Matching<P>>::matching(predicate)
            }
        }
        impl<Q, C> $crate::load::JoinRows<Q, C> for $name
        where
            $crate::load::Keyed<$name>: $crate::load::JoinRows<Q, C>,
        {
            const GROUPED: bool = <$crate::load::Keyed<$name> as $crate::load::JoinRows<Q, C>>::GROUPED;

            fn join_rows(query: Q, conn: &mut C) -> diesel::QueryResult<$crate::load::JoinedRows<Self>> {
                <$crate::load::Keyed<$name> as $crate::load::JoinRows<Q, C>>::join_rows(query, conn)
            }
        }
    };
}
