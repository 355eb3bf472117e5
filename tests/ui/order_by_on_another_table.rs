// A relation's `.order_by(..)` is checked against the related table: an
// author's articles cannot be ordered by a column of comments.
mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use diesel::ExpressionMethods;
use schema::{authors, comments, Author};

fn newest(session: &mut quarry::Session<diesel::SqliteConnection>) -> quarry::Result<usize> {
    let authors = session.load(authors::table, Author::ARTICLES.order_by(comments::score.desc()).limit(3))?;
    Ok(authors.len())
}

fn main() {
    let _ = newest;
}
