// A limit per parent takes a to-many relation (has_many, many_to_many): an
// article has one author, so there is nothing to limit, and rustc refuses.
mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::{articles, Article};

fn authors_of(session: &mut quarry::Session<diesel::SqliteConnection>) -> quarry::Result<usize> {
    let articles = session.load(articles::table, Article::AUTHOR.limit(1))?;
    Ok(articles.len())
}

fn main() {
    let _ = authors_of;
}
