//! The generated `LoadRows` / `LoadRowsWhere` impls, one macro call per
//! relation. A key is one column or several: `[articles::author_id]`, or
//! `[stock::warehouse_id, stock::aisle, stock::shelf]` for a composite
//! foreign key, matched with `IN (...)` or `(a, b, c) IN ((?, ?, ?), ...)`.

/// `LoadRows` and `LoadRowsWhere` for every backend quarry is built with;
/// generated code invokes it once per loadable relation:
///
/// ```text
/// load_rows!(Author__articles, articles::table, [articles::author_id], key |row: &Article| .., order [desc(articles::published)])
///     // SELECT articles.* FROM articles WHERE author_id IN (keys) ORDER BY published DESC
/// load_rows!(Article__tags, through article_tags::table, [article_tags::article_id],
///            on article_tags::tag_id.eq(tags::id), tags::table, tags::all_columns, order [])
///     // SELECT article_tags.article_id, tags.* FROM tags JOIN article_tags ON ... WHERE article_id IN (keys)
/// ```
///
/// Under criteria (filter, order, limit per parent) both kinds load through
/// a [`RelatedQuery`](crate::load::RelatedQuery).
#[doc(hidden)]
#[macro_export]
macro_rules! __load_rows {
    ($name:ty, $table:path, [$($column:path),+], key $key:expr, order [$($order:expr),*]) => {
        $crate::__load_rows!(@backends $name, |keys, conn| {
            let query = diesel::QueryDsl::filter($table, $crate::__load_rows!(@in [$($column),+], keys));
            let rows: ::std::vec::Vec<<Self as $crate::load::Relationship>::To> =
                $crate::__load_rows!(@ordered query, conn, [$($order),*])?;
            let key = $key;
            ::std::result::Result::Ok(rows.into_iter().filter_map(|row| ::std::option::Option::Some((key(&row)?, row))).collect())
        });
        $crate::__load_rows!(@where_backends $name, [$table, [$($column),+], key $key, [$($order),*]]);
    };
    ($name:ty, through $through:path, [$($link:path),+], on $on:expr, $table:path, $columns:path, order [$($order:expr),*]) => {
        $crate::__load_rows!(@backends $name, |keys, conn| {
            let joined = diesel::query_dsl::JoinOnDsl::on($through, $on);
            let query = diesel::QueryDsl::select(
                diesel::QueryDsl::filter(
                    diesel::QueryDsl::inner_join($table, joined),
                    $crate::__load_rows!(@in [$($link),+], keys),
                ),
                ($crate::__load_rows!(@expr [$($link),+]), $columns),
            );
            $crate::__load_rows!(@ordered query, conn, [$($order),*])
        });
        $crate::__load_rows!(@where_backends $name, [through $through, [$($link),+], on $on, $table, $columns, [$($order),*]]);
    };
    (@where_backends $name:ty, [$($args:tt)*]) => {
        $crate::__if_sqlite! { $crate::__load_rows!(@where diesel::SqliteConnection, diesel::sqlite::Sqlite, $name, $($args)*); }
        $crate::__if_postgres! { $crate::__load_rows!(@where diesel::PgConnection, diesel::pg::Pg, $name, $($args)*); }
        $crate::__if_mysql! { $crate::__load_rows!(@where diesel::MysqlConnection, diesel::mysql::Mysql, $name, $($args)*); }
    };
    // Under criteria: a `RelatedQuery`, whose pieces are boxed so that any
    // predicate and order the slots accept (checked against the related
    // table) can be added, with a limit per parent as a window function.
    (@where $conn_ty:ty, $db:ty, $name:ty, $table:path, [$($column:path),+], key $key:expr, [$($order:expr),*]) => {
        $crate::__load_rows!(@where_impl $conn_ty, $db, $name, $table, |keys, filter, order, limit, conn| {
            let query = $crate::load::RelatedQuery::<$db, diesel::dsl::SqlTypeOf<<$table as diesel::Table>::AllColumns>>::new(
                $table,
                <$table as diesel::Table>::all_columns(),
                $crate::__load_rows!(@expr [$($column),+]),
                $crate::__load_rows!(@in [$($column),+], keys),
                diesel::Table::primary_key(&$table),
            )
            .criteria(
                <F as $crate::load::RowFilter<$table, $db>>::boxed(filter),
                <O as $crate::load::RowOrder<$table, $db>>::boxed(order, $crate::__load_rows!(@declared $db, [$($order),*])),
                $crate::load::RowLimit::per_parent(&limit),
            );
            let rows: ::std::vec::Vec<<Self as $crate::load::Relationship>::To> = diesel::RunQueryDsl::load(query, conn)?;
            let key = $key;
            ::std::result::Result::Ok(rows.into_iter().filter_map(|row| ::std::option::Option::Some((key(&row)?, row))).collect())
        });
    };
    (@where $conn_ty:ty, $db:ty, $name:ty, through $through:path, [$($link:path),+], on $on:expr, $table:path, $columns:path, [$($order:expr),*]) => {
        $crate::__load_rows!(@where_impl $conn_ty, $db, $name, $table, |keys, filter, order, limit, conn| {
            let query = $crate::load::RelatedQuery::<
                $db,
                ($crate::__load_rows!(@sql_type [$($link),+]), diesel::dsl::SqlTypeOf<<$table as diesel::Table>::AllColumns>),
            >::new(
                $table,
                $columns,
                $crate::__load_rows!(@expr [$($link),+]),
                $crate::__load_rows!(@in [$($link),+], keys),
                diesel::Table::primary_key(&$table),
            )
            .through($through, $on)
            .key_columns($crate::__load_rows!(@each $db, [$($link),+]))
            .criteria(
                <F as $crate::load::RowFilter<$table, $db>>::boxed(filter),
                <O as $crate::load::RowOrder<$table, $db>>::boxed(order, $crate::__load_rows!(@declared $db, [$($order),*])),
                $crate::load::RowLimit::per_parent(&limit),
            );
            diesel::RunQueryDsl::load(query, conn)
        });
    };
    (@where_impl $conn_ty:ty, $db:ty, $name:ty, $table:path, |$keys:ident, $filter:ident, $order:ident, $limit:ident, $conn:ident| $body:block) => {
        impl<F, O, L> $crate::load::LoadRowsWhere<$conn_ty, (F, O, L)> for $name
        where
            F: $crate::load::RowFilter<$table, $db>,
            O: $crate::load::RowOrder<$table, $db>,
            L: $crate::load::RowLimit,
        {
            fn load_rows_where(
                $keys: ::std::vec::Vec<<Self as $crate::load::Relationship>::Key>,
                ($filter, $order, $limit): (F, O, L),
                $conn: &mut $conn_ty,
            ) -> diesel::QueryResult<
                ::std::vec::Vec<(<Self as $crate::load::Relationship>::Key, <Self as $crate::load::Relationship>::To)>,
            > $body
        }
    };
    // The key's columns: as a filter on `keys`, as one expression, as an
    // SQL type, and one by one (for `RelatedQuery`'s aliases).
    (@in [$column:path], $keys:ident) => {
        diesel::ExpressionMethods::eq_any($column, $keys)
    };
    (@in [$($column:path),+], $keys:ident) => {
        $crate::dsl::tuple_in(($($column,)+), $keys)
    };
    (@expr [$column:path]) => { $column };
    (@expr [$($column:path),+]) => { ($($column,)+) };
    (@sql_type [$column:path]) => { diesel::dsl::SqlTypeOf<$column> };
    (@sql_type [$($column:path),+]) => { ($(diesel::dsl::SqlTypeOf<$column>,)+) };
    (@each $db:ty, [$column:path]) => { ::std::vec::Vec::new() };
    (@each $db:ty, [$($column:path),+]) => {
        ::std::vec![$(::std::boxed::Box::new($column) as ::std::boxed::Box<dyn diesel::query_builder::QueryFragment<$db>>),+]
    };
    (@declared $db:ty, []) => {
        ::std::option::Option::None
    };
    (@declared $db:ty, [$($order:expr),+]) => {
        ::std::option::Option::Some(
            ::std::boxed::Box::new(($($order,)+)) as ::std::boxed::Box<dyn diesel::query_builder::QueryFragment<$db>>
        )
    };
    (@backends $name:ty, |$keys:ident, $conn:ident| $body:block) => {
        $crate::__if_sqlite! { $crate::__load_rows!(@impl diesel::SqliteConnection, $name, |$keys, $conn| $body); }
        $crate::__if_postgres! { $crate::__load_rows!(@impl diesel::PgConnection, $name, |$keys, $conn| $body); }
        $crate::__if_mysql! { $crate::__load_rows!(@impl diesel::MysqlConnection, $name, |$keys, $conn| $body); }
    };
    (@impl $conn_ty:ty, $name:ty, |$keys:ident, $conn:ident| $body:block) => {
        impl $crate::load::LoadRows<$conn_ty> for $name {
            fn load_rows(
                $keys: ::std::vec::Vec<<Self as $crate::load::Relationship>::Key>,
                $conn: &mut $conn_ty,
            ) -> diesel::QueryResult<
                ::std::vec::Vec<(<Self as $crate::load::Relationship>::Key, <Self as $crate::load::Relationship>::To)>,
            > $body
        }
    };
    (@ordered $query:ident, $conn:ident, []) => {
        diesel::RunQueryDsl::load($query, $conn)
    };
    (@ordered $query:ident, $conn:ident, [$($order:expr),+]) => {
        diesel::RunQueryDsl::load(diesel::QueryDsl::order_by($query, ($($order,)+)), $conn)
    };
}
