// A LEFT JOIN LATERAL makes the lateral columns nullable: selected bare,
// they do not compile (`.nullable()` does).
use diesel::prelude::*;
use diesel::sql_types::Bool;
use quarry::dsl::lateral;

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::{articles, authors};

quarry::cte_tables! { use schema; top (title: Text, views: Integer); }

fn main() {
    let best = articles::table.filter(articles::author_id.eq(authors::id)).limit(1).select((articles::title, articles::views));
    let query = authors::table.left_join(lateral(top::table, best).on(true.into_sql::<Bool>())).select((authors::name, top::title));
    let mut conn = PgConnection::establish("postgres://localhost/test").unwrap();
    let _: Vec<(String, String)> = query.load(&mut conn).unwrap();
}
