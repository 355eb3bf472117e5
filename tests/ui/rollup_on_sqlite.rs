// SQLite has no ROLLUP (nor CUBE).
use diesel::dsl::count_star;
use diesel::prelude::*;
use quarry::dsl::{rolled, rollup};

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::articles;

fn main() {
    let query = articles::table.group_by(rollup(articles::author_id)).select((rolled(articles::author_id), count_star()));
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _: Vec<(Option<i32>, i64)> = query.load(&mut conn).unwrap();
}
