//! Deleting through the session with the schema's cascades: a row's
//! dependants go first, in foreign-key order, as its relations declare
//! (SQLAlchemy's `cascade="delete"`), all in one transaction.
//!
//! For each has_many / has_one relation of the deleted rows:
//! - with `cascade = "delete"` (or `"all"`): the related rows are deleted,
//!   their own dependants first, one `DELETE ... WHERE fk IN (...)` per
//!   relation and level;
//! - without it, over a nullable foreign key: the related rows' key is set
//!   to NULL (SQLAlchemy's default);
//! - without it, over a NOT NULL key: nothing is done here, and the
//!   database decides (its `ON DELETE CASCADE`, or a foreign-key error that
//!   rolls the whole delete back).
//!
//! A many-to-many relation's association rows are always deleted.

use crate::engine::EngineConnection;
use crate::error::Result;
use crate::model::Model;
use crate::session::Session;

/// Deleting rows of a model with its relations' cascades, on connection
/// `C`; generated for every model.
pub trait CascadeDelete<C>: Model {
    /// Deletes the rows whose keys are `keys` and their dependants;
    /// returns how many rows of this model were deleted.
    #[doc(hidden)]
    fn delete_cascade(keys: Vec<Self::Key>, conn: &mut C) -> diesel::QueryResult<usize>;
}

impl<C: EngineConnection> Session<C> {
    /// Deletes `row` by its primary key with everything its relations'
    /// cascades reach (see [the module](crate::cascade)), in one transaction
    /// (a savepoint inside an open one): if any statement fails, nothing is
    /// deleted. Returns whether the row was there.
    pub fn delete<M: CascadeDelete<C>>(&mut self, row: &M) -> Result<bool> {
        let key = row.key();
        let deleted =
            self.transaction(|session| -> Result<usize> { Ok(M::delete_cascade(vec![key], session.connection())?) })?;
        Ok(deleted > 0)
    }
}

/// Keys per `IN (...)` list: the backend's bind limit, with room to spare.
#[doc(hidden)]
pub fn bind_limit<C: EngineConnection>(_: &C) -> usize {
    C::MAX_BIND_PARAMETERS.saturating_sub(16).max(1)
}

/// `CascadeDelete` for every backend quarry is built with; generated code
/// invokes it once per model:
///
/// ```text
/// cascade_delete!(Author, authors::table, authors::id, [
///     delete articles::table, articles::author_id, articles::id, Article;   // cascade = "delete"
///     nullify categories::table, categories::parent_id;                     // nullable key, no cascade
///     unlink article_tags::table, article_tags::article_id;                 // many-to-many
/// ])
/// cascade_delete!(OrderLine, order_lines::table, composite)                  // deleted by key, one by one
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! __cascade_delete {
    ($model:ty, $table:path, composite) => {
        $crate::__cascade_delete!(@backends $model, |keys, conn| {
            let mut deleted = 0;
            for key in keys {
                deleted += diesel::RunQueryDsl::execute(diesel::delete(diesel::QueryDsl::find($table, key)), conn)?;
            }
            ::std::result::Result::Ok(deleted)
        });
    };
    ($model:ty, $table:path, $key:path, [$($kind:ident $($arg:path),+);* $(;)?]) => {
        $crate::__cascade_delete!(@backends $model, |keys, conn| {
            let mut deleted = 0;
            for chunk in keys.chunks($crate::cascade::bind_limit(&*conn)) {
                $( $crate::__cascade_delete!(@step $kind chunk, conn, $($arg),+); )*
                deleted += diesel::RunQueryDsl::execute(
                    diesel::delete(diesel::QueryDsl::filter($table, diesel::ExpressionMethods::eq_any($key, chunk.to_vec()))),
                    conn,
                )?;
            }
            ::std::result::Result::Ok(deleted)
        });
    };
    (@step delete $keys:ident, $conn:ident, $table:path, $fk:path, $child_key:path, $child:path) => {
        let children = diesel::RunQueryDsl::load(
            diesel::QueryDsl::select(diesel::QueryDsl::filter($table, diesel::ExpressionMethods::eq_any($fk, $keys.to_vec())), $child_key),
            $conn,
        )?;
        <$child as $crate::cascade::CascadeDelete<_>>::delete_cascade(children, $conn)?;
    };
    (@step delete_rows $keys:ident, $conn:ident, $table:path, $fk:path) => {
        diesel::RunQueryDsl::execute(
            diesel::delete(diesel::QueryDsl::filter($table, diesel::ExpressionMethods::eq_any($fk, $keys.to_vec()))),
            $conn,
        )?;
    };
    (@step nullify $keys:ident, $conn:ident, $table:path, $fk:path) => {
        diesel::RunQueryDsl::execute(
            diesel::update(diesel::QueryDsl::filter($table, diesel::ExpressionMethods::eq_any($fk, $keys.to_vec())))
                .set(diesel::ExpressionMethods::eq($fk, diesel::dsl::sql::<diesel::dsl::SqlTypeOf<$fk>>("NULL"))),
            $conn,
        )?;
    };
    (@step unlink $keys:ident, $conn:ident, $table:path, $link:path) => {
        diesel::RunQueryDsl::execute(
            diesel::delete(diesel::QueryDsl::filter($table, diesel::ExpressionMethods::eq_any($link, $keys.to_vec()))),
            $conn,
        )?;
    };
    (@backends $model:ty, |$keys:ident, $conn:ident| $body:block) => {
        $crate::__if_sqlite! { $crate::__cascade_delete!(@impl diesel::SqliteConnection, $model, |$keys, $conn| $body); }
        $crate::__if_postgres! { $crate::__cascade_delete!(@impl diesel::PgConnection, $model, |$keys, $conn| $body); }
        $crate::__if_mysql! { $crate::__cascade_delete!(@impl diesel::MysqlConnection, $model, |$keys, $conn| $body); }
    };
    (@impl $conn_ty:ty, $model:ty, |$keys:ident, $conn:ident| $body:block) => {
        impl $crate::cascade::CascadeDelete<$conn_ty> for $model {
            fn delete_cascade(
                $keys: ::std::vec::Vec<<Self as $crate::Model>::Key>,
                $conn: &mut $conn_ty,
            ) -> diesel::QueryResult<usize> $body
        }
    };
}
