//! The shapes measured: diesel_bench's, plus the nested unit-of-work write.

use std::fmt;

/// Posts per user and comments per post in the association shapes.
pub const POSTS_PER_USER: usize = 10;
/// Comments per post in the association shapes.
pub const COMMENTS_PER_POST: usize = 10;

/// One measured workload and its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Load every row of `users` (`users` holds this many).
    Trivial(usize),
    /// `users LEFT JOIN posts WHERE hair_color = 'black'` over this many
    /// users, half of them black-haired (diesel_bench's data: no posts).
    Medium(usize),
    /// Insert this many users, in one statement where the contender can.
    Insert(usize),
    /// Load this many users → their 10 posts each → 10 comments each.
    Associations(usize),
    /// Write this many users with 10 posts each with 10 comments each in
    /// one transaction, keys handed from parents to children.
    NestedWrite(usize),
}

impl Shape {
    /// The shapes of issue 15 at diesel_bench's sizes.
    pub fn all() -> Vec<Shape> {
        let mut shapes = Vec::new();
        shapes.extend([1, 100, 10_000].map(Shape::Trivial));
        shapes.extend([1, 100, 1_000].map(Shape::Medium));
        shapes.extend([1, 100, 1_000].map(Shape::Insert));
        shapes.push(Shape::Associations(100));
        shapes.push(Shape::NestedWrite(100));
        shapes
    }

    /// The kind's name, as `--shapes` takes it.
    pub fn kind(self) -> &'static str {
        match self {
            Shape::Trivial(_) => "trivial",
            Shape::Medium(_) => "medium",
            Shape::Insert(_) => "insert",
            Shape::Associations(_) => "associations",
            Shape::NestedWrite(_) => "nested-write",
        }
    }

    /// `kind-size`, as SQLAlchemy's script's JSON names the shape.
    pub fn key(self) -> String {
        let (Shape::Trivial(n) | Shape::Medium(n) | Shape::Insert(n) | Shape::Associations(n) | Shape::NestedWrite(n)) =
            self;
        format!("{}-{n}", self.kind())
    }

    /// Whether the shape writes (and the tables are emptied after each call).
    pub fn writes(self) -> bool {
        matches!(self, Shape::Insert(_) | Shape::NestedWrite(_))
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Shape::Trivial(n) => write!(f, "trivial query, {n} {}", plural(n, "row")),
            Shape::Medium(n) => write!(f, "medium join, {n} {}", plural(n, "user")),
            Shape::Insert(n) => write!(f, "insert {n} {}", plural(n, "user")),
            Shape::Associations(n) => {
                write!(f, "load {n} users × {POSTS_PER_USER} posts × {COMMENTS_PER_POST} comments")
            }
            Shape::NestedWrite(n) => {
                write!(f, "unit of work: {n} users × {POSTS_PER_USER} posts × {COMMENTS_PER_POST} comments")
            }
        }
    }
}

/// `word`, with an `s` unless there is one.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_owned()
    } else {
        format!("{word}s")
    }
}
