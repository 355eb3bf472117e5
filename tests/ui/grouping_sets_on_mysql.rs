// GROUPING SETS are PostgreSQL's: MySQL/MariaDB (and SQLite) have none.
use diesel::dsl::count_star;
use diesel::prelude::*;
use quarry::dsl::{grouping_sets, rolled};

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::articles;

fn main() {
    let query = articles::table
        .group_by(grouping_sets((articles::author_id, articles::status)))
        .select((rolled(articles::author_id), rolled(articles::status), count_star()));
    let _ = diesel::debug_query::<diesel::mysql::Mysql, _>(&query).to_string();
}
