//! The generated `LoadRows` / `LoadRowsWhere` impls, one macro call per relation.

/// `LoadRows` for every backend quarry is built with; generated code
/// invokes it once per loadable relation:
///
/// ```text
/// load_rows!(Author__articles, articles::table, articles::author_id, key |row: &Article| .., order [desc(articles::published)])
///     // SELECT articles.* FROM articles WHERE author_id IN (keys) ORDER BY published DESC
/// load_rows!(Article__tags, through article_tags::table, article_tags::article_id,
///            on article_tags::tag_id.eq(tags::id), tags::table, tags::all_columns, order [])
///     // SELECT article_tags.article_id, tags.* FROM tags JOIN article_tags ON ... WHERE article_id IN (keys)
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! __load_rows {
    ($name:ty, $table:path, $column:path, key $key:expr, order [$($order:expr),*]) => {
        $crate::__load_rows!(@backends $name, |keys, conn| {
            let query = diesel::QueryDsl::filter($table, diesel::ExpressionMethods::eq_any($column, keys));
            let rows: ::std::vec::Vec<<Self as $crate::load::Relationship>::To> =
                $crate::__load_rows!(@ordered query, conn, [$($order),*])?;
            let key = $key;
            ::std::result::Result::Ok(rows.into_iter().filter_map(|row| ::std::option::Option::Some((key(&row)?, row))).collect())
        });
        $crate::__if_sqlite! { $crate::__load_rows!(@where diesel::SqliteConnection, diesel::sqlite::Sqlite, $name, $table, $column, key $key, [$($order),*]); }
        $crate::__if_postgres! { $crate::__load_rows!(@where diesel::PgConnection, diesel::pg::Pg, $name, $table, $column, key $key, [$($order),*]); }
        $crate::__if_mysql! { $crate::__load_rows!(@where diesel::MysqlConnection, diesel::mysql::Mysql, $name, $table, $column, key $key, [$($order),*]); }
    };
    // With extra criteria: the query is boxed, so that any predicate the
    // boxed query accepts (checked against the related table) can be added.
    (@where $conn_ty:ty, $db:ty, $name:ty, $table:path, $column:path, key $key:expr, [$($order:expr),*]) => {
        impl<P> $crate::load::LoadRowsWhere<$conn_ty, P> for $name
        where
            diesel::dsl::IntoBoxed<
                'static,
                diesel::dsl::Filter<$table, diesel::dsl::EqAny<$column, ::std::vec::Vec<<Self as $crate::load::Relationship>::Key>>>,
                $db,
            >: diesel::query_dsl::methods::FilterDsl<
                P,
                Output = diesel::dsl::IntoBoxed<
                    'static,
                    diesel::dsl::Filter<$table, diesel::dsl::EqAny<$column, ::std::vec::Vec<<Self as $crate::load::Relationship>::Key>>>,
                    $db,
                >,
            >,
        {
            fn load_rows_where(
                keys: ::std::vec::Vec<<Self as $crate::load::Relationship>::Key>,
                predicate: P,
                conn: &mut $conn_ty,
            ) -> diesel::QueryResult<
                ::std::vec::Vec<(<Self as $crate::load::Relationship>::Key, <Self as $crate::load::Relationship>::To)>,
            > {
                let boxed = diesel::QueryDsl::into_boxed::<$db>(
                    diesel::QueryDsl::filter($table, diesel::ExpressionMethods::eq_any($column, keys)),
                );
                let query = diesel::query_dsl::methods::FilterDsl::filter(boxed, predicate);
                let rows: ::std::vec::Vec<<Self as $crate::load::Relationship>::To> =
                    $crate::__load_rows!(@ordered query, conn, [$($order),*])?;
                let key = $key;
                ::std::result::Result::Ok(rows.into_iter().filter_map(|row| ::std::option::Option::Some((key(&row)?, row))).collect())
            }
        }
    };
    ($name:ty, through $through:path, $link:path, on $on:expr, $table:path, $columns:path, order [$($order:expr),*]) => {
        $crate::__load_rows!(@backends $name, |keys, conn| {
            let joined = diesel::query_dsl::JoinOnDsl::on($through, $on);
            let query = diesel::QueryDsl::select(
                diesel::QueryDsl::filter(
                    diesel::QueryDsl::inner_join($table, joined),
                    diesel::ExpressionMethods::eq_any($link, keys),
                ),
                ($link, $columns),
            );
            $crate::__load_rows!(@ordered query, conn, [$($order),*])
        });
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
