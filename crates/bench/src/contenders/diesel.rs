//! Hand-written diesel, as diesel's guide and diesel_bench write it: its
//! own `table!` declarations matching the quarry schema, models with
//! derives, borrowed insertables, `belonging_to` + `grouped_by`.

use diesel::prelude::*;

use crate::contender::{output, Contender, Output, Reference};
use crate::data::{self, NewTree, NewUser as NewUserData, Outcome, Stored};
use crate::database::{Database, SQLITE_PRAGMAS};
use crate::Result;

diesel::table! {
    users (id) {
        id -> Integer,
        name -> Text,
        hair_color -> Nullable<Text>,
    }
}

diesel::table! {
    posts (id) {
        id -> Integer,
        user_id -> Integer,
        title -> Text,
        body -> Nullable<Text>,
    }
}

diesel::table! {
    comments (id) {
        id -> Integer,
        post_id -> Integer,
        text -> Text,
    }
}

diesel::joinable!(comments -> posts (post_id));
diesel::joinable!(posts -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(users, posts, comments);

/// A row of `users`.
#[derive(Debug, Clone, PartialEq, Queryable, Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i32,
    pub name: String,
    pub hair_color: Option<String>,
}

/// A row of `posts`.
#[derive(Debug, Clone, PartialEq, Queryable, Identifiable, Associations)]
#[diesel(table_name = posts, belongs_to(User))]
pub struct Post {
    pub id: i32,
    pub user_id: i32,
    pub title: String,
    pub body: Option<String>,
}

/// A row of `comments`.
#[derive(Debug, Clone, PartialEq, Queryable, Identifiable, Associations)]
#[diesel(table_name = comments, belongs_to(Post))]
pub struct Comment {
    pub id: i32,
    pub post_id: i32,
    pub text: String,
}

// `None` is NULL, never DEFAULT: so SQLite takes many rows in one statement.
#[derive(Insertable)]
#[diesel(table_name = users, treat_none_as_default_value = false)]
struct NewUser<'a> {
    name: &'a str,
    hair_color: Option<&'a str>,
}

#[derive(Insertable)]
#[diesel(table_name = posts, treat_none_as_default_value = false)]
struct NewPost<'a> {
    user_id: i32,
    title: &'a str,
    body: Option<&'a str>,
}

#[derive(Insertable)]
#[diesel(table_name = comments)]
struct NewComment<'a> {
    post_id: i32,
    text: &'a str,
}

impl From<User> for data::User {
    fn from(u: User) -> Self {
        data::User { id: u.id, name: u.name, hair_color: u.hair_color }
    }
}

impl From<Post> for data::Post {
    fn from(p: Post) -> Self {
        data::Post { id: p.id, user_id: p.user_id, title: p.title, body: p.body }
    }
}

impl From<Comment> for data::Comment {
    fn from(c: Comment) -> Self {
        data::Comment { id: c.id, post_id: c.post_id, text: c.text }
    }
}

/// What diesel's guide builds.
type Graph = Vec<(User, Vec<(Post, Vec<Comment>)>)>;

fn graph_outcome(graph: Graph) -> Outcome {
    Outcome::Graph(
        graph
            .into_iter()
            .map(|(u, posts)| {
                let posts =
                    posts.into_iter().map(|(p, cs)| (p.into(), cs.into_iter().map(Into::into).collect())).collect();
                (u.into(), posts)
            })
            .collect(),
    )
}

fn new_users(users: &[NewUserData]) -> Vec<NewUser<'_>> {
    users.iter().map(|u| NewUser { name: &u.name, hair_color: u.hair_color.as_deref() }).collect()
}

/// Hand-written diesel on one connection.
pub struct Diesel<C> {
    conn: C,
}

/// Inserts `$rows` into `$table` in one statement and returns their keys:
/// `RETURNING id` (SQLite, PostgreSQL).
macro_rules! returning_ids {
    ($conn:expr, $table:ident, $rows:expr) => {
        diesel::insert_into($table::table).values($rows).returning($table::id).get_results::<i32>($conn)?
    };
}

/// The same on MySQL: `LAST_INSERT_ID()` is the first row's key, the
/// others follow it (InnoDB's consecutive keys for a simple insert).
macro_rules! last_insert_ids {
    ($conn:expr, $table:ident, $rows:expr) => {{
        let inserted = diesel::insert_into($table::table).values($rows).execute($conn)?;
        let first: u64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::Unsigned<diesel::sql_types::BigInt>>(
            "LAST_INSERT_ID()",
        ))
        .get_result($conn)?;
        (0..inserted).map(|i| first as i32 + i as i32).collect::<Vec<i32>>()
    }};
}

/// Empties the tables, children first. PostgreSQL truncates: deleted rows
/// would stay behind as dead tuples until a vacuum, and every later
/// foreign-key check and scan would wade through them.
const DELETE_ALL: &[&str] = &["DELETE FROM comments", "DELETE FROM posts", "DELETE FROM users"];
const TRUNCATE_ALL: &[&str] = &["TRUNCATE comments, posts, users"];

macro_rules! backend {
    ($conn:ty, $ids:ident, $clear:expr) => {
        impl Contender for Diesel<$conn> {
            fn name(&self) -> &'static str {
                "diesel"
            }

            fn trivial(&mut self) -> Result<Box<dyn Output>> {
                let users = users::table.load::<User>(&mut self.conn)?;
                Ok(output(users, |users| Outcome::Users(users.into_iter().map(Into::into).collect())))
            }

            fn medium(&mut self) -> Result<Box<dyn Output>> {
                let rows =
                    users::table
                        .left_join(posts::table)
                        .filter(users::hair_color.eq("black"))
                        .load::<(User, Option<Post>)>(&mut self.conn)?;
                Ok(output(rows, |rows| {
                    Outcome::Joined(rows.into_iter().map(|(u, p)| (u.into(), p.map(Into::into))).collect())
                }))
            }

            fn insert(&mut self, users: Vec<NewUserData>) -> Result<()> {
                diesel::insert_into(users::table).values(&new_users(&users)).execute(&mut self.conn)?;
                Ok(())
            }

            fn associations(&mut self) -> Result<Box<dyn Output>> {
                let conn = &mut self.conn;
                let users = users::table.load::<User>(conn)?;
                let posts = Post::belonging_to(&users).load::<Post>(conn)?;
                let comments = Comment::belonging_to(&posts).load::<Comment>(conn)?.grouped_by(&posts);
                let posts = posts.into_iter().zip(comments).grouped_by(&users);
                let graph: Graph = users.into_iter().zip(posts).collect();
                Ok(output(graph, graph_outcome))
            }

            fn nested_write(&mut self, trees: Vec<NewTree>) -> Result<()> {
                self.conn.transaction::<_, diesel::result::Error, _>(|conn| {
                    let users: Vec<NewUser> = trees
                        .iter()
                        .map(|t| NewUser { name: &t.user.name, hair_color: t.user.hair_color.as_deref() })
                        .collect();
                    let user_ids = $ids!(conn, users, &users);
                    let posts: Vec<NewPost> = trees
                        .iter()
                        .zip(&user_ids)
                        .flat_map(|(t, &user_id)| {
                            t.posts.iter().map(move |p| NewPost { user_id, title: &p.title, body: p.body.as_deref() })
                        })
                        .collect();
                    let post_ids = $ids!(conn, posts, &posts);
                    let comments: Vec<NewComment> = trees
                        .iter()
                        .flat_map(|t| &t.posts)
                        .zip(&post_ids)
                        .flat_map(|(p, &post_id)| p.comments.iter().map(move |text| NewComment { post_id, text }))
                        .collect();
                    diesel::insert_into(comments::table).values(&comments).execute(conn)?;
                    Ok(())
                })?;
                Ok(())
            }
        }

        impl Reference for Diesel<$conn> {
            fn create_tables(&mut self) -> Result<()> {
                crate::schema::create_all(&mut self.conn)?;
                Ok(())
            }

            fn clear(&mut self) -> Result<()> {
                for statement in $clear {
                    diesel::sql_query(*statement).execute(&mut self.conn)?;
                }
                Ok(())
            }

            fn stored(&mut self) -> Result<Stored> {
                let users = users::table.load::<User>(&mut self.conn)?;
                let posts = posts::table.load::<Post>(&mut self.conn)?;
                let comments = comments::table.load::<Comment>(&mut self.conn)?;
                let graph = data::graph(
                    users.into_iter().map(Into::into).collect(),
                    posts.into_iter().map(Into::into).collect(),
                    comments.into_iter().map(Into::into).collect(),
                );
                Ok(graph
                    .into_iter()
                    .map(|(u, posts)| {
                        let posts = posts
                            .into_iter()
                            .map(|(p, cs)| (p.title, p.body, cs.into_iter().map(|c| c.text).collect()))
                            .collect();
                        (u.name, u.hair_color, posts)
                    })
                    .collect())
            }
        }
    };
}

backend!(diesel::SqliteConnection, returning_ids, DELETE_ALL);
backend!(diesel::PgConnection, returning_ids, TRUNCATE_ALL);
backend!(diesel::MysqlConnection, last_insert_ids, DELETE_ALL);

impl Diesel<diesel::SqliteConnection> {
    /// A connection to `db`'s file, with quarry's settings.
    pub fn connect(db: &Database) -> Result<Self> {
        let mut conn = diesel::SqliteConnection::establish(&db.url)?;
        diesel::connection::SimpleConnection::batch_execute(&mut conn, SQLITE_PRAGMAS)?;
        Ok(Diesel { conn })
    }
}

impl Diesel<diesel::PgConnection> {
    /// A connection to `db`.
    pub fn connect(db: &Database) -> Result<Self> {
        Ok(Diesel { conn: diesel::PgConnection::establish(&db.url)? })
    }
}

impl Diesel<diesel::MysqlConnection> {
    /// A connection to `db`.
    pub fn connect(db: &Database) -> Result<Self> {
        Ok(Diesel { conn: diesel::MysqlConnection::establish(&db.url)? })
    }
}
