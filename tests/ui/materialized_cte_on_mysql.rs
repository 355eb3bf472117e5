// MySQL and MariaDB have no MATERIALIZED hint for a CTE.
use diesel::dsl::count;
use diesel::prelude::*;
use quarry::dsl::{cte, with};

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::articles;

quarry::cte_tables! { use schema; busy (author_id: Integer, written: BigInt); }

fn main() {
    let per_author = articles::table.group_by(articles::author_id).select((articles::author_id, count(articles::id)));
    let query = with(cte(busy::table, per_author).materialized(), busy::table.select(busy::author_id));
    let mut conn = MysqlConnection::establish("mysql://localhost/test").unwrap();
    let _: Vec<i32> = query.load(&mut conn).unwrap();
}
