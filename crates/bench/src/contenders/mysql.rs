//! The mysql crate, by hand: prepared statements (its statement cache),
//! multi-row `VALUES`, `LAST_INSERT_ID` for the keys, `IN` lists,
//! grouping by key.

use mysql::prelude::Queryable;
use mysql::{Conn, Opts, Params, Transaction, TxOpts, Value};

use super::sql::{self, COMMENT_COLUMNS, MEDIUM, POST_COLUMNS, USER_COLUMNS};
use crate::contender::{output, Contender, Output};
use crate::data::{self, Comment, NewTree, NewUser, Outcome, Post, User};
use crate::database::Database;
use crate::Result;

/// The mysql crate on one connection.
pub struct Mysql {
    conn: Conn,
}

type UserRow = (i32, String, Option<String>);

fn user((id, name, hair_color): UserRow) -> User {
    User { id, name, hair_color }
}

fn post((id, user_id, title, body): (i32, i32, String, Option<String>)) -> Post {
    Post { id, user_id, title, body }
}

fn comment((id, post_id, text): (i32, i32, String)) -> Comment {
    Comment { id, post_id, text }
}

fn text(value: Option<String>) -> Value {
    value.map_or(Value::NULL, Value::from)
}

/// Inserts `params` (`columns` per row) into `table (names)`; returns the
/// rows' keys: the OK packet's last insert id is the first's, the others
/// follow (InnoDB's consecutive keys for a simple insert).
fn insert_ids(
    tx: &mut Transaction<'_>,
    table: &str,
    names: &str,
    columns: usize,
    params: Vec<Value>,
) -> Result<Vec<i32>> {
    let rows = params.len() / columns;
    let sql = format!("INSERT INTO {table} ({names}) VALUES {}", sql::values(rows, columns, false));
    tx.exec_drop(sql, Params::Positional(params))?;
    let first = tx.last_insert_id().ok_or("the server sent no LAST_INSERT_ID")?;
    Ok((0..rows).map(|i| (first as usize + i) as i32).collect())
}

impl Mysql {
    /// A connection to `db`, without TLS.
    pub fn connect(db: &Database) -> Result<Self> {
        Ok(Mysql { conn: Conn::new(Opts::from_url(&db.url)?)? })
    }

    fn users(&mut self) -> Result<Vec<User>> {
        Ok(self.conn.exec_map(format!("SELECT {USER_COLUMNS} FROM users"), (), user)?)
    }
}

impl Contender for Mysql {
    fn name(&self) -> &'static str {
        "mysql"
    }

    fn trivial(&mut self) -> Result<Box<dyn Output>> {
        Ok(output(self.users()?, Outcome::Users))
    }

    fn medium(&mut self) -> Result<Box<dyn Output>> {
        type Row = (i32, String, Option<String>, Option<i32>, Option<i32>, Option<String>, Option<String>);
        let rows =
            self.conn.exec_map(MEDIUM, ("black",), |(id, name, hair_color, post_id, user_id, title, body): Row| {
                let post = post_id.map(|id| Post {
                    id,
                    user_id: user_id.unwrap_or_default(),
                    title: title.unwrap_or_default(),
                    body,
                });
                (User { id, name, hair_color }, post)
            })?;
        Ok(output(rows, Outcome::Joined))
    }

    fn insert(&mut self, users: Vec<NewUser>) -> Result<()> {
        let sql = format!("INSERT INTO users (name, hair_color) VALUES {}", sql::values(users.len(), 2, false));
        let params: Vec<Value> = users.into_iter().flat_map(|u| [Value::from(u.name), text(u.hair_color)]).collect();
        self.conn.exec_drop(sql, Params::Positional(params))?;
        Ok(())
    }

    fn associations(&mut self) -> Result<Box<dyn Output>> {
        let users = self.users()?;
        let ids: Vec<Value> = users.iter().map(|u| Value::from(u.id)).collect();
        let sql = format!("SELECT {POST_COLUMNS} FROM posts WHERE user_id IN ({})", sql::list(ids.len()));
        let posts = self.conn.exec_map(sql, Params::Positional(ids), post)?;
        let ids: Vec<Value> = posts.iter().map(|p| Value::from(p.id)).collect();
        let sql = format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE post_id IN ({})", sql::list(ids.len()));
        let comments = self.conn.exec_map(sql, Params::Positional(ids), comment)?;
        Ok(output(data::graph(users, posts, comments), Outcome::Graph))
    }

    fn nested_write(&mut self, trees: Vec<NewTree>) -> Result<()> {
        let mut tx = self.conn.start_transaction(TxOpts::default())?;
        let mut posts = Vec::with_capacity(trees.len());
        let params = trees
            .into_iter()
            .flat_map(|t| {
                posts.push(t.posts);
                [Value::from(t.user.name), text(t.user.hair_color)]
            })
            .collect();
        let user_ids = insert_ids(&mut tx, "users", "name, hair_color", 2, params)?;
        let mut comments = Vec::new();
        let params = posts
            .into_iter()
            .zip(&user_ids)
            .flat_map(|(posts, &id)| posts.into_iter().map(move |p| (id, p)))
            .flat_map(|(id, p)| {
                comments.push(p.comments);
                [Value::from(id), Value::from(p.title), text(p.body)]
            })
            .collect();
        let post_ids = insert_ids(&mut tx, "posts", "user_id, title, body", 3, params)?;
        let params: Vec<Value> = comments
            .into_iter()
            .zip(&post_ids)
            .flat_map(|(texts, &id)| texts.into_iter().flat_map(move |text| [Value::from(id), Value::from(text)]))
            .collect();
        let sql = format!("INSERT INTO comments (post_id, text) VALUES {}", sql::values(params.len() / 2, 2, false));
        tx.exec_drop(sql, Params::Positional(params))?;
        tx.commit()?;
        Ok(())
    }
}
