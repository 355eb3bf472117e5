// A derived table's subquery must select the declared columns' types.
use diesel::prelude::*;
use quarry::dsl::derived;

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::articles;

quarry::cte_tables! { use schema; busy (author_id: Integer, written: BigInt); }

fn main() {
    let _ = derived(busy::table, articles::table.select((articles::author_id, articles::title)));
}
