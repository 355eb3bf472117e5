//! Deleting and unlinking through the session with the schema's cascades:
//! a row's dependants go first, in foreign-key order, as its relations
//! declare (SQLAlchemy's `cascade="delete"`), all in one transaction.
//!
//! For each has_many / has_one relation of the deleted rows:
//! - with `passive_deletes`: nothing is done here; the foreign key's
//!   `ON DELETE` does it in the database (the code generator checks there
//!   is one);
//! - with `cascade = "delete"` (or `"all"`): the related rows are deleted,
//!   their own dependants first, one `DELETE ... WHERE fk IN (...)` per
//!   relation and level;
//! - without it, over a nullable foreign key: the related rows' key is set
//!   to NULL (SQLAlchemy's default);
//! - without it, over a NOT NULL key: nothing is done here, and the
//!   database decides (its `ON DELETE CASCADE`, or a foreign-key error that
//!   rolls the whole delete back).
//!
//! A many-to-many relation's association rows are deleted (unless it says
//! `passive_deletes`).
//!
//! [`Session::unlink`] undoes one link: an orphan is deleted (with the
//! cascades above), a nullable key cleared, an association row deleted.
//! Each statement that changes rows fires an
//! [`Event::Cascade`](crate::engine::Event::Cascade).

use crate::engine::{CascadeAction, CascadeEvent, EngineConnection};
use crate::error::Result;
use crate::model::Model;
use crate::relation::Relation;
use crate::session::Session;

/// Where cascade code reports what each statement did.
#[doc(hidden)]
pub type Events<'a> = &'a dyn Fn(CascadeEvent);

/// Deleting rows of a model with its relations' cascades, on connection
/// `C`; generated for every model.
pub trait CascadeDelete<C>: Model {
    /// Deletes the rows whose keys are `keys` and their dependants,
    /// reporting each statement to `events` (this model's own rows as
    /// `action`); returns how many rows of this model were deleted.
    #[doc(hidden)]
    fn delete_cascade(
        keys: Vec<Self::Key>,
        action: CascadeAction,
        conn: &mut C,
        events: Events<'_>,
    ) -> diesel::QueryResult<usize>;
}

/// Unlinking a row of `To` from a row of `From` through the relation
/// whose type this is, on connection `C`: generated, for every backend, for
/// the relations [`kind::Unlink`](crate::relation::kind::Unlink) marks.
#[diagnostic::on_unimplemented(
    message = "`unlink` cannot let go of rows through `{Self}`",
    label = "not a relation `unlink` can undo",
    note = "`unlink` takes a many_to_many relation, or a has_many, has_one or belongs_to one over a nullable foreign key or with cascade \"delete-orphan\" (on the has_many/has_one side); all with one-column keys",
    note = "over a NOT NULL key without delete-orphan, delete the child with `session.delete`, or declare `cascade = \"all, delete-orphan\"`"
)]
pub trait UnlinkRows<C, From: Model, To: Model>: crate::relation::kind::Unlink {
    /// Undoes the link between the rows keyed `from` and `to`, if they are
    /// linked; returns how many rows it changed (0: they were not).
    #[doc(hidden)]
    fn unlink_rows(from: &From::Key, to: &To::Key, conn: &mut C, events: Events<'_>) -> diesel::QueryResult<usize>;
}

/// Reports a statement that changed `rows` rows of `table`, if any.
#[doc(hidden)]
pub fn report(events: Events<'_>, action: CascadeAction, table: &'static str, rows: usize) -> usize {
    if rows > 0 {
        events(CascadeEvent::new(action, table, rows));
    }
    rows
}

/// The SQL name of `M`'s table.
#[doc(hidden)]
pub fn table_of<M: Model>() -> &'static str {
    &M::meta().table
}

impl<C: EngineConnection> Session<C> {
    /// Deletes `row` by its primary key with everything its relations'
    /// cascades reach (see [the module](crate::cascade)), in one transaction
    /// (a savepoint inside an open one): if any statement fails, nothing is
    /// deleted. Returns whether the row was there.
    ///
    /// Each statement that changes rows fires an
    /// [`Event::Cascade`](crate::engine::Event::Cascade) as it runs, the
    /// row itself last (a [`CascadeAction::Delete`] of its table).
    pub fn delete<M: CascadeDelete<C>>(&mut self, row: &M) -> Result<bool> {
        let key = row.key();
        let deleted =
            self.cascading(|conn, events| M::delete_cascade(vec![key], CascadeAction::Delete, conn, events))?;
        Ok(deleted > 0)
    }

    /// Undoes the link between `from` and `to` through `relation`, at once,
    /// in one transaction (a savepoint inside an open one), SQLAlchemy's
    /// `parent.children.remove(child)` / `child.parent = None` /
    /// `a.bs.remove(b)` followed by a flush:
    ///
    /// - has_many / has_one with `cascade = "delete-orphan"`: the child is
    ///   deleted, with everything its own relations' cascades reach (as
    ///   [`delete`](Self::delete));
    /// - has_many / has_one over a nullable key: the child's key is set to
    ///   NULL;
    /// - belongs_to: the same, seen from the child (`from`); deleted when
    ///   the parent's relation over that key says delete-orphan;
    /// - many_to_many: the association row is deleted, and only it.
    ///
    /// Only the pair given is touched: a child of another parent, or two
    /// rows that are not linked, are left alone, and `false` says so.
    /// Relations over a NOT NULL key without delete-orphan do not compile
    /// (the child cannot be left without a parent). Composite keys work
    /// alike; over a partly nullable composite foreign key, its nullable
    /// columns are set to NULL.
    ///
    /// ```
    /// # include!("doctest_setup.rs");
    /// # fn main() -> quarry::Result<()> {
    /// # let mut session = seeded();
    /// # let ada: Author = session.one(authors::table.filter(authors::name.eq("Ada")))?;
    /// # let draft: Article = session.one(articles::table.filter(articles::title.eq("Draft")))?;
    /// # let article: Article = session.one(articles::table.filter(articles::title.eq("Notes")))?;
    /// # let rust: Tag = session.one(tags::table.filter(tags::name.eq("rust")))?;
    /// # let root: Category = session.one(categories::table.filter(categories::name.eq("root")))?;
    /// # let books: Category = session.one(categories::table.filter(categories::name.eq("books")))?;
    /// session.unlink(&ada, Author::ARTICLES, &draft)?;      // delete-orphan: the article goes
    /// session.unlink(&root, Category::CHILDREN, &books)?;   // books.parent_id = NULL
    /// session.unlink(&books, Category::PARENT, &root)?;     // the same, from the child
    /// session.unlink(&article, Article::TAGS, &rust)?;      // the article_tags row goes
    /// # assert_eq!(session.one::<_, i64>(articles::table.count())?, 2);
    /// # Ok(())
    /// # }
    /// ```
    pub fn unlink<From, To, V, N>(&mut self, from: &From, relation: Relation<From, To, V, N>, to: &To) -> Result<bool>
    where
        From: Model,
        To: Model,
        N: UnlinkRows<C, From, To>,
    {
        let _ = relation;
        let (from, to) = (from.key(), to.key());
        let changed = self.cascading(|conn, events| N::unlink_rows(&from, &to, conn, events))?;
        Ok(changed > 0)
    }
}

/// Keys per `IN (...)` list: the backend's bind limit, with room to spare.
#[doc(hidden)]
pub fn bind_limit<C: EngineConnection>(_: &C) -> usize {
    C::MAX_BIND_PARAMETERS.saturating_sub(16).max(1)
}

/// `CascadeDelete` for every backend quarry is built with; `model!`
/// invokes it once per model, with the primary key's columns and a step per
/// relation the session acts on, each naming the foreign key's columns in
/// the primary key's order:
///
/// ```text
/// cascade_delete!(Author, authors::table, [authors::id], [
///     { delete "articles" articles::table, [articles::author_id], Article }          // cascade = "delete"
///     { nullify "categories" categories::table, [categories::parent_id], [categories::parent_id] }  // nullable key
///     { unlink "article_tags" article_tags::table, [article_tags::article_id] }      // many-to-many
/// ])
/// cascade_delete!(Bin, bins::table, [bins::warehouse_id, bins::aisle, bins::shelf], [
///     { nullify "counts" counts::table, [counts::warehouse_id, counts::aisle, counts::shelf], [counts::aisle, counts::shelf] }
/// ])   // composite keys: WHERE (warehouse_id, aisle, shelf) IN ((?, ?, ?), ...)
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! __cascade_delete {
    ($model:ty, $table:path, [$($key:path),+], [$({ $kind:ident $name:literal $($arg:tt)* })*]) => {
        $crate::__cascade_delete!(@backends $model, |keys, action, conn, events| {
            let mut deleted = 0;
            let width = [$(stringify!($key)),+].len();
            for chunk in keys.chunks(($crate::cascade::bind_limit(&*conn) / width).max(1)) {
                $( $crate::__cascade_delete!(@step $kind chunk, conn, events, $name, $($arg)*); )*
                let rows = diesel::RunQueryDsl::execute(
                    diesel::delete(diesel::QueryDsl::filter($table, $crate::__cascade_delete!(@in [$($key),+], chunk))),
                    conn,
                )?;
                deleted += $crate::cascade::report(events, action, $crate::cascade::table_of::<$model>(), rows);
            }
            ::std::result::Result::Ok(deleted)
        });
    };
    // `key IN (...)` for one column, `(a, b) IN ((?, ?), ...)` for several.
    (@in [$column:path], $keys:ident) => {
        diesel::ExpressionMethods::eq_any($column, $keys.to_vec())
    };
    (@in [$($column:path),+], $keys:ident) => {
        $crate::dsl::tuple_in(($($column,)+), $keys.to_vec())
    };
    (@step delete $keys:ident, $conn:ident, $events:ident, $name:literal, $table:path, [$($fk:path),+], $child:ty) => {
        let children = diesel::RunQueryDsl::load(
            diesel::QueryDsl::select(
                diesel::QueryDsl::filter($table, $crate::__cascade_delete!(@in [$($fk),+], $keys)),
                diesel::Table::primary_key(&$table),
            ),
            $conn,
        )?;
        if !children.is_empty() {
            <$child as $crate::cascade::CascadeDelete<_>>::delete_cascade(
                children,
                $crate::engine::CascadeAction::Delete,
                $conn,
                $events,
            )?;
        }
    };
    (@step nullify $keys:ident, $conn:ident, $events:ident, $name:literal, $table:path, [$($fk:path),+], [$($null:path),+]) => {
        let rows = diesel::RunQueryDsl::execute(
            diesel::update(diesel::QueryDsl::filter($table, $crate::__cascade_delete!(@in [$($fk),+], $keys)))
                .set(($(diesel::ExpressionMethods::eq($null, diesel::dsl::sql::<diesel::dsl::SqlTypeOf<$null>>("NULL")),)+)),
            $conn,
        )?;
        $crate::cascade::report($events, $crate::engine::CascadeAction::Nullify, $name, rows);
    };
    (@step unlink $keys:ident, $conn:ident, $events:ident, $name:literal, $table:path, [$($link:path),+]) => {
        let rows = diesel::RunQueryDsl::execute(
            diesel::delete(diesel::QueryDsl::filter($table, $crate::__cascade_delete!(@in [$($link),+], $keys))),
            $conn,
        )?;
        $crate::cascade::report($events, $crate::engine::CascadeAction::Unlink, $name, rows);
    };
    (@backends $model:ty, |$keys:ident, $action:ident, $conn:ident, $events:ident| $body:block) => {
        $crate::__if_sqlite! { $crate::__cascade_delete!(@impl diesel::SqliteConnection, $model, |$keys, $action, $conn, $events| $body); }
        $crate::__if_postgres! { $crate::__cascade_delete!(@impl diesel::PgConnection, $model, |$keys, $action, $conn, $events| $body); }
        $crate::__if_mysql! { $crate::__cascade_delete!(@impl diesel::MysqlConnection, $model, |$keys, $action, $conn, $events| $body); }
    };
    (@impl $conn_ty:ty, $model:ty, |$keys:ident, $action:ident, $conn:ident, $events:ident| $body:block) => {
        impl $crate::cascade::CascadeDelete<$conn_ty> for $model {
            fn delete_cascade(
                $keys: ::std::vec::Vec<<Self as $crate::Model>::Key>,
                $action: $crate::engine::CascadeAction,
                $conn: &mut $conn_ty,
                $events: $crate::cascade::Events<'_>,
            ) -> diesel::QueryResult<usize> $body
        }
    };
}

/// `UnlinkRows` for every backend quarry is built with, for one relation's
/// type; generated code invokes it once per relation `unlink` can undo:
///
/// ```text
/// unlink!(Author__articles, Author, Article, children orphan articles::table, [articles::author_id], Article);
/// unlink!(Category__children, Category, Category, children nullify categories::table, [categories::parent_id], [categories::parent_id], "categories");
/// unlink!(Category__parent, Category, Category, parent nullify categories::table, [categories::parent_id], [categories::parent_id], "categories");
/// unlink!(Article__tags, Article, Tag, link article_tags::table, [article_tags::article_id], [article_tags::tag_id], "article_tags");
/// ```
///
/// `children`: `From` is the parent, `To` the child; `parent`: the
/// reverse. Every statement is filtered by both keys, so a pair that is not
/// linked changes nothing.
#[doc(hidden)]
#[macro_export]
macro_rules! __unlink {
    ($rel:ty, $from:ty, $to:ty, children $action:ident $($arg:tt)*) => {
        $crate::__unlink!(@backends $rel, $from, $to, |parent, child, conn, events| {
            $crate::__unlink!(@$action parent, child, conn, events, $($arg)*)
        });
    };
    ($rel:ty, $from:ty, $to:ty, parent $action:ident $($arg:tt)*) => {
        $crate::__unlink!(@backends $rel, $from, $to, |child, parent, conn, events| {
            $crate::__unlink!(@$action parent, child, conn, events, $($arg)*)
        });
    };
    ($rel:ty, $from:ty, $to:ty, link $table:path, [$($mine:path),+], [$($theirs:path),+], $name:literal) => {
        $crate::__unlink!(@backends $rel, $from, $to, |mine, theirs, conn, events| {
            let rows = diesel::RunQueryDsl::execute(
                diesel::delete(diesel::QueryDsl::filter(
                    diesel::QueryDsl::filter($table, $crate::__unlink!(@is [$($mine),+], mine)),
                    $crate::__unlink!(@is [$($theirs),+], theirs),
                )),
                conn,
            )?;
            ::std::result::Result::Ok($crate::cascade::report(events, $crate::engine::CascadeAction::Unlink, $name, rows))
        });
    };
    // The columns equal a key: `col = ?`, or `(a, b) IN ((?, ?))` for a composite one.
    (@is [$column:path], $key:ident) => {
        diesel::ExpressionMethods::eq($column, ::std::clone::Clone::clone($key))
    };
    (@is [$($column:path),+], $key:ident) => {
        $crate::dsl::tuple_in(($($column,)+), ::std::vec![::std::clone::Clone::clone($key)])
    };
    (@orphan $parent:ident, $child:ident, $conn:ident, $events:ident, $table:path, [$($fk:path),+], $model:ty) => {{
        let linked = diesel::RunQueryDsl::load(
            diesel::QueryDsl::select(
                diesel::QueryDsl::filter(
                    diesel::QueryDsl::find($table, ::std::clone::Clone::clone($child)),
                    $crate::__unlink!(@is [$($fk),+], $parent),
                ),
                diesel::Table::primary_key(&$table),
            ),
            $conn,
        )?;
        if linked.is_empty() {
            ::std::result::Result::Ok(0)
        } else {
            <$model as $crate::cascade::CascadeDelete<_>>::delete_cascade(
                linked,
                $crate::engine::CascadeAction::DeleteOrphan,
                $conn,
                $events,
            )
        }
    }};
    (@nullify $parent:ident, $child:ident, $conn:ident, $events:ident, $table:path, [$($fk:path),+], [$($null:path),+], $name:literal) => {{
        let rows = diesel::RunQueryDsl::execute(
            diesel::update(diesel::QueryDsl::filter(
                diesel::QueryDsl::find($table, ::std::clone::Clone::clone($child)),
                $crate::__unlink!(@is [$($fk),+], $parent),
            ))
            .set(($(diesel::ExpressionMethods::eq($null, diesel::dsl::sql::<diesel::dsl::SqlTypeOf<$null>>("NULL")),)+)),
            $conn,
        )?;
        ::std::result::Result::Ok($crate::cascade::report($events, $crate::engine::CascadeAction::Nullify, $name, rows))
    }};
    (@backends $rel:ty, $from:ty, $to:ty, |$a:ident, $b:ident, $conn:ident, $events:ident| $body:block) => {
        $crate::__if_sqlite! { $crate::__unlink!(@impl diesel::SqliteConnection, $rel, $from, $to, |$a, $b, $conn, $events| $body); }
        $crate::__if_postgres! { $crate::__unlink!(@impl diesel::PgConnection, $rel, $from, $to, |$a, $b, $conn, $events| $body); }
        $crate::__if_mysql! { $crate::__unlink!(@impl diesel::MysqlConnection, $rel, $from, $to, |$a, $b, $conn, $events| $body); }
    };
    (@impl $conn_ty:ty, $rel:ty, $from:ty, $to:ty, |$a:ident, $b:ident, $conn:ident, $events:ident| $body:block) => {
        impl $crate::cascade::UnlinkRows<$conn_ty, $from, $to> for $rel {
            fn unlink_rows(
                $a: &<$from as $crate::Model>::Key,
                $b: &<$to as $crate::Model>::Key,
                $conn: &mut $conn_ty,
                $events: $crate::cascade::Events<'_>,
            ) -> diesel::QueryResult<usize> $body
        }
    };
}
