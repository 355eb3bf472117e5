//! `UPDATE … RETURNING` and `DELETE … RETURNING` on every backend: native
//! on PostgreSQL and SQLite; on MySQL/MariaDB, which has no `RETURNING`,
//! the rows are locked and read in the same transaction instead.

use diesel::associations::HasTable;
use diesel::dsl::AsSelect;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
use diesel::dsl::Returning;
use diesel::query_builder::{AsChangeset, IntoUpdateTarget, Query};
use diesel::query_dsl::methods::LoadQuery;
use diesel::{QueryResult, RunQueryDsl, Selectable, SelectableHelper};

/// An update target (`table.filter(...)`) whose changed rows can be read
/// back as `M` on connection `C`.
pub trait UpdateReturning<C, V, M>: Sized {
    #[doc(hidden)]
    fn update_returning(self, changes: V, conn: &mut C) -> QueryResult<Vec<M>>;
}

/// A delete target whose removed rows can be read back as `M` on `C`.
pub trait DeleteReturning<C, M>: Sized {
    #[doc(hidden)]
    fn delete_returning(self, conn: &mut C) -> QueryResult<Vec<M>>;
}

#[cfg(any(feature = "sqlite", feature = "postgres"))]
macro_rules! native_returning {
    ($conn:ty, $backend:ty) => {
        impl<T, V, M> UpdateReturning<$conn, V, M> for T
        where
            T: IntoUpdateTarget,
            V: AsChangeset<Target = <T as HasTable>::Table>,
            M: Selectable<$backend>,
            diesel::dsl::Update<T, V>: diesel::query_builder::AsQuery,
            Returning<diesel::dsl::Update<T, V>, AsSelect<M, $backend>>: Query + for<'q> LoadQuery<'q, $conn, M>,
        {
            fn update_returning(self, changes: V, conn: &mut $conn) -> QueryResult<Vec<M>> {
                diesel::update(self).set(changes).returning(M::as_select()).get_results(conn)
            }
        }

        impl<T, M> DeleteReturning<$conn, M> for T
        where
            T: IntoUpdateTarget,
            M: Selectable<$backend>,
            AsSelect<M, $backend>: diesel::SelectableExpression<<T as HasTable>::Table>,
            Returning<diesel::dsl::delete<T>, AsSelect<M, $backend>>: Query + for<'q> LoadQuery<'q, $conn, M>,
        {
            fn delete_returning(self, conn: &mut $conn) -> QueryResult<Vec<M>> {
                diesel::delete(self).returning(M::as_select()).get_results(conn)
            }
        }
    };
}

#[cfg(feature = "sqlite")]
native_returning!(diesel::SqliteConnection, diesel::sqlite::Sqlite);
#[cfg(feature = "postgres")]
native_returning!(diesel::PgConnection, diesel::pg::Pg);

#[cfg(feature = "mysql")]
mod mysql {
    use super::*;
    use diesel::query_dsl::methods::{ExecuteDsl, FindDsl, LimitDsl, SelectDsl};

    use crate::model::Model;
    use diesel::mysql::Mysql;
    use diesel::MysqlConnection;

    use diesel::query_builder::{AstPass, QueryFragment, QueryId};

    /// `<query> FOR UPDATE`: the rows read stay locked until the
    /// transaction ends. (diesel's own `for_update()` names a lock type it
    /// does not export, so generic code cannot ask for it.)
    #[derive(Debug, Clone, Copy, QueryId)]
    pub struct ForUpdate<Q>(Q);

    impl<Q: Query> Query for ForUpdate<Q> {
        type SqlType = Q::SqlType;
    }

    impl<Q: QueryFragment<Mysql>> QueryFragment<Mysql> for ForUpdate<Q> {
        fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Mysql>) -> QueryResult<()> {
            self.0.walk_ast(out.reborrow())?;
            out.push_sql(" FOR UPDATE");
            Ok(())
        }
    }

    impl<Q> RunQueryDsl<MysqlConnection> for ForUpdate<Q> {}

    type Locked<T, M> = ForUpdate<diesel::dsl::Select<T, AsSelect<M, Mysql>>>;

    /// Reads the rows `target` matches, locked until the transaction ends.
    fn locked_rows<T, M>(target: T, conn: &mut MysqlConnection) -> QueryResult<Vec<M>>
    where
        M: Selectable<Mysql>,
        M::SelectExpression: QueryId,
        T: SelectDsl<AsSelect<M, Mysql>>,
        Locked<T, M>: for<'q> LoadQuery<'q, MysqlConnection, M>,
    {
        ForUpdate(target.select(M::as_select())).load(conn)
    }

    impl<T, V, M> UpdateReturning<MysqlConnection, V, M> for T
    where
        T: IntoUpdateTarget + Clone,
        V: AsChangeset<Target = <T as HasTable>::Table>,
        M: Model + Selectable<Mysql>,
        M::SelectExpression: QueryId,
        T: SelectDsl<AsSelect<M, Mysql>>,
        Locked<T, M>: for<'q> LoadQuery<'q, MysqlConnection, M>,
        diesel::dsl::Update<T, V>: diesel::query_builder::AsQuery + ExecuteDsl<MysqlConnection>,
        M::Table: FindDsl<M::Key>,
        diesel::dsl::Find<M::Table, M::Key>: LimitDsl,
        diesel::dsl::Limit<diesel::dsl::Find<M::Table, M::Key>>: for<'q> LoadQuery<'q, MysqlConnection, M>,
    {
        fn update_returning(self, changes: V, conn: &mut MysqlConnection) -> QueryResult<Vec<M>> {
            use diesel::Connection;
            conn.transaction(|conn| {
                let keys: Vec<M::Key> = locked_rows::<T, M>(self.clone(), conn)?.iter().map(Model::key).collect();
                diesel::update(self).set(changes).execute(conn)?;
                // The filter may no longer match the changed rows: read them by key.
                keys.into_iter().map(|key| M::Table::default().find(key).limit(1).get_result(conn)).collect()
            })
        }
    }

    impl<T, M> DeleteReturning<MysqlConnection, M> for T
    where
        T: IntoUpdateTarget + Clone,
        M: Selectable<Mysql>,
        M::SelectExpression: QueryId,
        T: SelectDsl<AsSelect<M, Mysql>>,
        Locked<T, M>: for<'q> LoadQuery<'q, MysqlConnection, M>,
        diesel::dsl::delete<T>: ExecuteDsl<MysqlConnection>,
    {
        fn delete_returning(self, conn: &mut MysqlConnection) -> QueryResult<Vec<M>> {
            use diesel::Connection;
            conn.transaction(|conn| {
                let rows = locked_rows::<T, M>(self.clone(), conn)?;
                diesel::delete(self).execute(conn)?;
                Ok(rows)
            })
        }
    }
}
