// `unlink` cannot leave a child without its parent: `Article::COMMENTS` runs
// over a NOT NULL key and does not say delete-orphan, so there is nothing
// to set the key to, and the comment is not deleted behind the user's back.
mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::{Article, Comment};

fn detach(session: &mut quarry::Session<diesel::SqliteConnection>, article: &Article, comment: &Comment) {
    let _ = session.unlink(article, Article::COMMENTS, comment);
}

fn main() {}
