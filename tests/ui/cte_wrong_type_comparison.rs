// Comparing a CTE column with a value of the wrong type.
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
    let query = with(cte(busy::table, per_author), busy::table.filter(busy::written.eq("many")).select(busy::author_id));
    let _ = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&query);
}
