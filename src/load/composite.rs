//! Loading relations over composite foreign keys: the related rows of some
//! keys in one `WHERE (a, b) IN ((?, ?), ...)` per chunk, directly or
//! through an association table.

/// `LoadRows` and `LoadRowsWhere` for a relation whose foreign key has
/// several columns, for every backend quarry is built with:
///
/// ```text
/// load_rows_composite!(Bin__stock, stock::table, (stock::warehouse_id, stock::aisle, stock::shelf),
///     key |row: &Stock| .., order [])
///     // SELECT stock.* FROM stock WHERE (warehouse_id, aisle, shelf) IN ((?, ?, ?), ...)
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! __load_rows_composite {
    ($name:ty, $table:path, ($($column:path),+), key $key:expr, order [$($order:expr),*]) => {
        $crate::__load_rows!(@backends $name, |keys, conn| {
            let query = diesel::QueryDsl::filter($table, $crate::dsl::tuple_in(($($column,)+), keys));
            let rows: ::std::vec::Vec<<Self as $crate::load::Relationship>::To> =
                $crate::__load_rows!(@ordered query, conn, [$($order),*])?;
            let key = $key;
            ::std::result::Result::Ok(rows.into_iter().filter_map(|row| ::std::option::Option::Some((key(&row)?, row))).collect())
        });
        $crate::__if_sqlite! { $crate::__load_rows_composite!(@where diesel::SqliteConnection, diesel::sqlite::Sqlite, $name, $table, ($($column),+), key $key, [$($order),*]); }
        $crate::__if_postgres! { $crate::__load_rows_composite!(@where diesel::PgConnection, diesel::pg::Pg, $name, $table, ($($column),+), key $key, [$($order),*]); }
        $crate::__if_mysql! { $crate::__load_rows_composite!(@where diesel::MysqlConnection, diesel::mysql::Mysql, $name, $table, ($($column),+), key $key, [$($order),*]); }
    };
    ($name:ty, through $through:path, ($($link:path),+), on $on:expr, $table:path, $columns:path, order [$($order:expr),*]) => {
        $crate::__load_rows!(@backends $name, |keys, conn| {
            let joined = diesel::query_dsl::JoinOnDsl::on($through, $on);
            let query = diesel::QueryDsl::select(
                diesel::QueryDsl::filter(
                    diesel::QueryDsl::inner_join($table, joined),
                    $crate::dsl::tuple_in(($($link,)+), keys),
                ),
                (($($link,)+), $columns),
            );
            $crate::__load_rows!(@ordered query, conn, [$($order),*])
        });
        $crate::__if_sqlite! { $crate::__load_rows_composite!(@where diesel::SqliteConnection, diesel::sqlite::Sqlite, $name, through $through, ($($link),+), on $on, $table, $columns, [$($order),*]); }
        $crate::__if_postgres! { $crate::__load_rows_composite!(@where diesel::PgConnection, diesel::pg::Pg, $name, through $through, ($($link),+), on $on, $table, $columns, [$($order),*]); }
        $crate::__if_mysql! { $crate::__load_rows_composite!(@where diesel::MysqlConnection, diesel::mysql::Mysql, $name, through $through, ($($link),+), on $on, $table, $columns, [$($order),*]); }
    };
    (@where $conn_ty:ty, $db:ty, $name:ty, through $through:path, ($($link:path),+), on $on:expr, $table:path, $columns:path, [$($order:expr),*]) => {
        impl<F, O, L> $crate::load::LoadRowsWhere<$conn_ty, (F, O, L)> for $name
        where
            F: $crate::load::RowFilter<$table, $db>,
            O: $crate::load::RowOrder<$table, $db>,
            L: $crate::load::RowLimit,
        {
            fn load_rows_where(
                keys: ::std::vec::Vec<<Self as $crate::load::Relationship>::Key>,
                (filter, order, limit): (F, O, L),
                conn: &mut $conn_ty,
            ) -> diesel::QueryResult<
                ::std::vec::Vec<(<Self as $crate::load::Relationship>::Key, <Self as $crate::load::Relationship>::To)>,
            > {
                let query = $crate::load::RelatedQuery::<
                    $db,
                    (($(diesel::dsl::SqlTypeOf<$link>,)+), diesel::dsl::SqlTypeOf<<$table as diesel::Table>::AllColumns>),
                >::new(
                    $table,
                    $columns,
                    ($($link,)+),
                    $crate::dsl::tuple_in(($($link,)+), keys),
                    diesel::Table::primary_key(&$table),
                )
                .through($through, $on)
                .key_columns(::std::vec![$(::std::boxed::Box::new($link) as ::std::boxed::Box<dyn diesel::query_builder::QueryFragment<$db>>),+])
                .criteria(
                    <F as $crate::load::RowFilter<$table, $db>>::boxed(filter),
                    <O as $crate::load::RowOrder<$table, $db>>::boxed(order, $crate::__load_rows!(@declared $db, [$($order),*])),
                    $crate::load::RowLimit::per_parent(&limit),
                );
                diesel::RunQueryDsl::load(query, conn)
            }
        }
    };
    (@declared $db:ty, []) => {
        ::std::option::Option::None
    };
    (@declared $db:ty, [$($order:expr),+]) => {
        ::std::option::Option::Some(
            ::std::boxed::Box::new(($($order,)+)) as ::std::boxed::Box<dyn diesel::query_builder::QueryFragment<$db>>
        )
    };
    (@where $conn_ty:ty, $db:ty, $name:ty, $table:path, ($($column:path),+), key $key:expr, [$($order:expr),*]) => {
        impl<F, O, L> $crate::load::LoadRowsWhere<$conn_ty, (F, O, L)> for $name
        where
            F: $crate::load::RowFilter<$table, $db>,
            O: $crate::load::RowOrder<$table, $db>,
            L: $crate::load::RowLimit,
        {
            fn load_rows_where(
                keys: ::std::vec::Vec<<Self as $crate::load::Relationship>::Key>,
                (filter, order, limit): (F, O, L),
                conn: &mut $conn_ty,
            ) -> diesel::QueryResult<
                ::std::vec::Vec<(<Self as $crate::load::Relationship>::Key, <Self as $crate::load::Relationship>::To)>,
            > {
                let query = $crate::load::RelatedQuery::<$db, diesel::dsl::SqlTypeOf<<$table as diesel::Table>::AllColumns>>::new(
                    $table,
                    <$table as diesel::Table>::all_columns(),
                    ($($column,)+),
                    $crate::dsl::tuple_in(($($column,)+), keys),
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
            }
        }
    };
}
