// SQLite (and MariaDB) have no LATERAL join.
use diesel::prelude::*;
use diesel::sql_types::Bool;
use quarry::dsl::lateral;

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::{articles, authors};

quarry::cte_tables! { use schema; top (title: Text, views: Integer); }

fn main() {
    let best = articles::table.filter(articles::author_id.eq(authors::id)).limit(2).select((articles::title, articles::views));
    let query = authors::table.inner_join(lateral(top::table, best).on(true.into_sql::<Bool>())).select((authors::name, top::title));
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _: Vec<(String, String)> = query.load(&mut conn).unwrap();
}
