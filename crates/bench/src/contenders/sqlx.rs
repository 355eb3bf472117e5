//! sqlx without its macros (no database at compile time): `query_as` into
//! `FromRow` rows, `QueryBuilder` for multi-row `VALUES` and `IN` lists,
//! on one connection, each call run to completion on a current-thread
//! tokio runtime (`block_on` per call: the cost of using an async library
//! from synchronous code is part of what is measured).

use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, QueryBuilder};
use tokio::runtime::Runtime;

use crate::contender::{output, Contender, Output};
use crate::data::{self, NewTree, NewUser, Outcome};
use crate::database::Database;
use crate::Result;

/// A row of `users`.
#[derive(sqlx::FromRow)]
pub struct User {
    pub id: i32,
    pub name: String,
    pub hair_color: Option<String>,
}

/// A row of `posts`.
#[derive(sqlx::FromRow)]
pub struct Post {
    pub id: i32,
    pub user_id: i32,
    pub title: String,
    pub body: Option<String>,
}

/// A row of `comments`.
#[derive(sqlx::FromRow)]
pub struct Comment {
    pub id: i32,
    pub post_id: i32,
    pub text: String,
}

/// The medium query's row: a user and a post's columns, NULL without one.
type JoinedRow = (i32, String, Option<String>, Option<i32>, Option<i32>, Option<String>, Option<String>);

fn user(u: User) -> data::User {
    data::User { id: u.id, name: u.name, hair_color: u.hair_color }
}

fn post(p: Post) -> data::Post {
    data::Post { id: p.id, user_id: p.user_id, title: p.title, body: p.body }
}

fn comment(c: Comment) -> data::Comment {
    data::Comment { id: c.id, post_id: c.post_id, text: c.text }
}

/// sqlx on one connection, with the runtime that drives it.
pub struct Sqlx<C> {
    conn: C,
    runtime: Runtime,
}

fn runtime() -> Result<Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread().enable_all().build()?)
}

impl Sqlx<sqlx::SqliteConnection> {
    /// A connection to `db`'s file, with quarry's settings.
    pub fn connect(db: &Database) -> Result<Self> {
        let runtime = runtime()?;
        let options = SqliteConnectOptions::new()
            .filename(&db.url)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal);
        let conn = runtime.block_on(options.connect())?;
        Ok(Sqlx { conn, runtime })
    }
}

impl Sqlx<sqlx::PgConnection> {
    /// A connection to `db`.
    pub fn connect(db: &Database) -> Result<Self> {
        let runtime = runtime()?;
        let conn = runtime.block_on(sqlx::PgConnection::connect(&db.url))?;
        Ok(Sqlx { conn, runtime })
    }
}

impl Sqlx<sqlx::MySqlConnection> {
    /// A connection to `db`.
    pub fn connect(db: &Database) -> Result<Self> {
        let runtime = runtime()?;
        let conn = runtime.block_on(sqlx::MySqlConnection::connect(&db.url))?;
        Ok(Sqlx { conn, runtime })
    }
}

/// Runs the built insert with `RETURNING id` and returns the keys
/// (SQLite, PostgreSQL).
macro_rules! returning_ids {
    ($builder:expr, $conn:expr) => {{
        $builder.push(" RETURNING id");
        $builder.build_query_scalar::<i32>().fetch_all($conn).await?
    }};
}

/// Runs the built insert and returns the keys from the first row's,
/// which MySQL reports (the others follow it).
macro_rules! last_insert_ids {
    ($builder:expr, $conn:expr) => {{
        let result = $builder.build().execute($conn).await?;
        let first = result.last_insert_id();
        (0..result.rows_affected()).map(|i| (first + i) as i32).collect::<Vec<i32>>()
    }};
}

macro_rules! backend {
    ($db:ty, $conn:ty, $ids:ident) => {
        impl Contender for Sqlx<$conn> {
            fn name(&self) -> &'static str {
                "sqlx"
            }

            fn trivial(&mut self) -> Result<Box<dyn Output>> {
                let conn = &mut self.conn;
                let users: Vec<User> = self
                    .runtime
                    .block_on(sqlx::query_as("SELECT id, name, hair_color FROM users").fetch_all(&mut *conn))?;
                Ok(output(users, |users| Outcome::Users(users.into_iter().map(user).collect())))
            }

            fn medium(&mut self) -> Result<Box<dyn Output>> {
                let conn = &mut self.conn;
                let mut builder = QueryBuilder::<$db>::new(
                    "SELECT users.id, users.name, users.hair_color, posts.id, posts.user_id, posts.title, posts.body \
                     FROM users LEFT JOIN posts ON posts.user_id = users.id WHERE users.hair_color = ",
                );
                builder.push_bind("black");
                let rows: Vec<(data::User, Option<data::Post>)> = self.runtime.block_on(async {
                    let rows: Vec<JoinedRow> = builder.build_query_as().fetch_all(&mut *conn).await?;
                    Ok::<_, sqlx::Error>(
                        rows.into_iter()
                            .map(|(id, name, hair_color, post_id, user_id, title, body)| {
                                let post = post_id.map(|id| data::Post {
                                    id,
                                    user_id: user_id.unwrap_or_default(),
                                    title: title.unwrap_or_default(),
                                    body,
                                });
                                (data::User { id, name, hair_color }, post)
                            })
                            .collect(),
                    )
                })?;
                Ok(output(rows, Outcome::Joined))
            }

            fn insert(&mut self, users: Vec<NewUser>) -> Result<()> {
                let conn = &mut self.conn;
                let mut builder = QueryBuilder::<$db>::new("INSERT INTO users (name, hair_color) ");
                builder.push_values(&users, |mut row, u| {
                    row.push_bind(&u.name).push_bind(&u.hair_color);
                });
                self.runtime.block_on(builder.build().execute(&mut *conn))?;
                Ok(())
            }

            fn associations(&mut self) -> Result<Box<dyn Output>> {
                let conn = &mut self.conn;
                let graph = self.runtime.block_on(async {
                    let users: Vec<User> =
                        sqlx::query_as("SELECT id, name, hair_color FROM users").fetch_all(&mut *conn).await?;
                    let mut builder =
                        QueryBuilder::<$db>::new("SELECT id, user_id, title, body FROM posts WHERE user_id IN (");
                    let mut list = builder.separated(", ");
                    for u in &users {
                        list.push_bind(u.id);
                    }
                    list.push_unseparated(")");
                    let posts: Vec<Post> = builder.build_query_as().fetch_all(&mut *conn).await?;
                    let mut builder =
                        QueryBuilder::<$db>::new("SELECT id, post_id, text FROM comments WHERE post_id IN (");
                    let mut list = builder.separated(", ");
                    for p in &posts {
                        list.push_bind(p.id);
                    }
                    list.push_unseparated(")");
                    let comments: Vec<Comment> = builder.build_query_as().fetch_all(&mut *conn).await?;
                    Ok::<_, sqlx::Error>(data::graph(
                        users.into_iter().map(user).collect(),
                        posts.into_iter().map(post).collect(),
                        comments.into_iter().map(comment).collect(),
                    ))
                })?;
                Ok(output(graph, Outcome::Graph))
            }

            fn nested_write(&mut self, trees: Vec<NewTree>) -> Result<()> {
                let conn = &mut self.conn;
                self.runtime.block_on(async {
                    let mut tx = conn.begin().await?;
                    let mut builder = QueryBuilder::<$db>::new("INSERT INTO users (name, hair_color) ");
                    builder.push_values(&trees, |mut row, t| {
                        row.push_bind(&t.user.name).push_bind(&t.user.hair_color);
                    });
                    let user_ids = $ids!(builder, &mut *tx);
                    let mut builder = QueryBuilder::<$db>::new("INSERT INTO posts (user_id, title, body) ");
                    let posts = trees.iter().zip(&user_ids).flat_map(|(t, id)| t.posts.iter().map(move |p| (*id, p)));
                    builder.push_values(posts, |mut row, (id, p)| {
                        row.push_bind(id).push_bind(&p.title).push_bind(&p.body);
                    });
                    let post_ids = $ids!(builder, &mut *tx);
                    let mut builder = QueryBuilder::<$db>::new("INSERT INTO comments (post_id, text) ");
                    let comments = trees
                        .iter()
                        .flat_map(|t| &t.posts)
                        .zip(&post_ids)
                        .flat_map(|(p, id)| p.comments.iter().map(move |text| (*id, text)));
                    builder.push_values(comments, |mut row, (id, text)| {
                        row.push_bind(id).push_bind(text);
                    });
                    builder.build().execute(&mut *tx).await?;
                    tx.commit().await?;
                    Ok::<_, sqlx::Error>(())
                })?;
                Ok(())
            }
        }
    };
}

backend!(sqlx::Sqlite, sqlx::SqliteConnection, returning_ids);
backend!(sqlx::Postgres, sqlx::PgConnection, returning_ids);
backend!(sqlx::MySql, sqlx::MySqlConnection, last_insert_ids);
