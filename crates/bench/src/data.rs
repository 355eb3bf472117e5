//! The rows every contender writes, and the plain form every result is
//! compared in before anything is timed.

use crate::shape::{COMMENTS_PER_POST, POSTS_PER_USER};

/// A row of `users`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct User {
    pub id: i32,
    pub name: String,
    pub hair_color: Option<String>,
}

/// A row of `posts`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Post {
    pub id: i32,
    pub user_id: i32,
    pub title: String,
    pub body: Option<String>,
}

/// A row of `comments`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Comment {
    pub id: i32,
    pub post_id: i32,
    pub text: String,
}

/// Users → posts → comments, as diesel's guide builds them.
pub type Graph = Vec<(User, Vec<(Post, Vec<Comment>)>)>;

/// A user to insert.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: String,
    pub hair_color: Option<String>,
}

/// A user with its posts and their comments, written as one unit of work.
#[derive(Debug, Clone)]
pub struct NewTree {
    pub user: NewUser,
    pub posts: Vec<NewPostTree>,
}

/// A post with its comments.
#[derive(Debug, Clone)]
pub struct NewPostTree {
    pub title: String,
    pub body: Option<String>,
    pub comments: Vec<String>,
}

/// What the tables hold after a write, keys left out (each contender's
/// rows get keys of their own): users with their posts with their comments.
pub type Stored = Vec<(String, Option<String>, Vec<(String, Option<String>, Vec<String>)>)>;

/// A contender's result in plain form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Users(Vec<User>),
    Joined(Vec<(User, Option<Post>)>),
    Graph(Graph),
    Stored(Stored),
}

impl Outcome {
    /// The same result in one order: no shape asks for an order (nor does
    /// diesel_bench), so rows compare sorted by key, children within parents.
    pub fn normalized(self) -> Outcome {
        match self {
            Outcome::Users(mut users) => {
                users.sort();
                Outcome::Users(users)
            }
            Outcome::Joined(mut rows) => {
                rows.sort();
                Outcome::Joined(rows)
            }
            Outcome::Graph(mut graph) => {
                for (_, posts) in &mut graph {
                    for (_, comments) in posts.iter_mut() {
                        comments.sort();
                    }
                    posts.sort();
                }
                graph.sort();
                Outcome::Graph(graph)
            }
            Outcome::Stored(mut stored) => {
                for (_, _, posts) in &mut stored {
                    for (_, _, comments) in posts.iter_mut() {
                        comments.sort();
                    }
                    posts.sort();
                }
                stored.sort();
                Outcome::Stored(stored)
            }
        }
    }

    /// A one-line account of the result, for a failed check.
    pub fn summary(&self) -> String {
        match self {
            Outcome::Users(users) => format!("{} users, first {:?}", users.len(), users.first()),
            Outcome::Joined(rows) => format!("{} joined rows, first {:?}", rows.len(), rows.first()),
            Outcome::Graph(graph) => {
                let posts: usize = graph.iter().map(|(_, p)| p.len()).sum();
                let comments: usize = graph.iter().flat_map(|(_, p)| p).map(|(_, c)| c.len()).sum();
                format!(
                    "{} users, {posts} posts, {comments} comments, first user {:?}",
                    graph.len(),
                    graph.first().map(|g| &g.0)
                )
            }
            Outcome::Stored(stored) => {
                let posts: usize = stored.iter().map(|(_, _, p)| p.len()).sum();
                format!(
                    "{} users, {posts} posts stored, first {:?}",
                    stored.len(),
                    stored.first().map(|s| (&s.0, &s.1))
                )
            }
        }
    }
}

/// `n` users named `User {i}`, with `hair(i)` as their hair colour.
pub fn users(n: usize, hair: impl Fn(usize) -> Option<&'static str>) -> Vec<NewUser> {
    (0..n).map(|i| NewUser { name: format!("User {i}"), hair_color: hair(i).map(str::to_owned) }).collect()
}

/// Black for even users, brown for odd ones (diesel_bench's medium data).
pub fn black_or_brown(i: usize) -> Option<&'static str> {
    Some(if i.is_multiple_of(2) { "black" } else { "brown" })
}

/// `n` users with 10 posts each (every other one with a body) with 10
/// comments each.
pub fn trees(n: usize) -> Vec<NewTree> {
    users(n, black_or_brown)
        .into_iter()
        .enumerate()
        .map(|(u, user)| NewTree {
            user,
            posts: (0..POSTS_PER_USER)
                .map(|p| NewPostTree {
                    title: format!("Post {p} by user {u}"),
                    body: p.is_multiple_of(2).then(|| format!("The body of post {p} by user {u}")),
                    comments: (0..COMMENTS_PER_POST).map(|c| format!("Comment {c} on post {p} by user {u}")).collect(),
                })
                .collect(),
        })
        .collect()
}

/// Groups `posts` under their users and `comments` under their posts, by
/// key, keeping every user (the raw drivers' and sqlx's loads end here).
pub fn graph(users: Vec<User>, posts: Vec<Post>, comments: Vec<Comment>) -> Graph {
    use std::collections::HashMap;
    let mut comments_of: HashMap<i32, Vec<Comment>> = HashMap::with_capacity(posts.len());
    for comment in comments {
        comments_of.entry(comment.post_id).or_default().push(comment);
    }
    let mut posts_of: HashMap<i32, Vec<(Post, Vec<Comment>)>> = HashMap::with_capacity(users.len());
    for post in posts {
        let comments = comments_of.remove(&post.id).unwrap_or_default();
        posts_of.entry(post.user_id).or_default().push((post, comments));
    }
    users
        .into_iter()
        .map(|user| {
            let posts = posts_of.remove(&user.id).unwrap_or_default();
            (user, posts)
        })
        .collect()
}
