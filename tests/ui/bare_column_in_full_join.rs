// Either side of a full join may be NULL: a bare (non-nullable) column
// does not compile in its select clause; `outer(column)` does.
use diesel::prelude::*;
use quarry::dsl::full_join;

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::{articles, authors};

fn main() {
    let query = full_join(authors::table, articles::table, articles::author_id.eq(authors::id)).select(authors::name);
    let _ = diesel::debug_query::<diesel::pg::Pg, _>(&query);
}
