// A joined to-many relation refuses a query with LIMIT or OFFSET: the limit
// would cut the joined collections. Load it with the selectin strategy.
mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use diesel::prelude::*;
use schema::{authors, Author};

fn main() {
    let engine = quarry::Engine::<diesel::SqliteConnection>::builder().build("sqlite:///:memory:").unwrap();
    let mut session = engine.session().unwrap();
    let _ = session.load(authors::table.order(authors::id).limit(10), Author::ARTICLES.joined());
}
