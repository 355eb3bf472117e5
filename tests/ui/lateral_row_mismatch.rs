// A lateral subquery must select its table's column types, in order.
use diesel::prelude::*;
use quarry::dsl::lateral;

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::{articles, authors};

quarry::cte_tables! { use schema; top (title: Text, views: Integer); }

fn main() {
    let best = articles::table.filter(articles::author_id.eq(authors::id)).select((articles::views, articles::title));
    let _ = lateral(top::table, best);
}
