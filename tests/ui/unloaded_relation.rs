// Reading a relation that was not loaded: SQLAlchemy's lazy="raise",
// refused by rustc instead of at run time.
mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::{authors, Article, Author};

fn comments_of_first(session: &mut quarry::Session<diesel::SqliteConnection>) -> quarry::Result<usize> {
    let authors = session.load(authors::table, Author::ARTICLES)?;
    let article = &authors[0].get(Author::ARTICLES)[0];
    // Articles were loaded without their comments.
    Ok(article.get(Article::COMMENTS).len())
}

fn main() {
    let _ = comments_of_first;
}
