// MySQL and MariaDB take a WITH only before a SELECT, not before an INSERT.
use diesel::prelude::*;
use quarry::dsl::{cte, with};

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::{articles, tags};

quarry::cte_tables! { use schema; popular (id: Integer, title: Text); }

fn main() {
    let rows = articles::table.filter(articles::views.gt(15)).select((articles::id, articles::title));
    let insert = diesel::insert_into(tags::table).values(popular::table.select(popular::title)).into_columns(tags::name);
    let mut conn = MysqlConnection::establish("mysql://localhost/test").unwrap();
    with(cte(popular::table, rows), insert).execute(&mut conn).unwrap();
}
