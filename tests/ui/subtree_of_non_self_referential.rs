// `subtree` and `ancestors` walk a relation from a table to itself:
// `Author::ARTICLES` goes from authors to articles, `Article::AUTHOR` back.
mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::{Article, Author};

fn walk(session: &mut quarry::Session<diesel::SqliteConnection>, ada: &Author, notes: &Article) {
    let _ = session.subtree(ada, Author::ARTICLES);
    let _ = session.ancestors(notes, Article::AUTHOR);
}

fn main() {}
