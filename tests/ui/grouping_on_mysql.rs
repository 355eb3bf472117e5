// GROUPING() is refused on diesel's MySQL backend: MariaDB has none.
use diesel::dsl::count_star;
use diesel::prelude::*;
use quarry::dsl::{grouping, rolled, rollup};

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::articles;

fn main() {
    let query = articles::table
        .group_by(rollup(articles::status))
        .select((rolled(articles::status), grouping(articles::status), count_star()));
    let _ = diesel::debug_query::<diesel::mysql::Mysql, _>(&query).to_string();
}
