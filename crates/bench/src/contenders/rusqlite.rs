//! rusqlite, by hand: cached prepared statements, multi-row `VALUES`,
//! `RETURNING id`, `IN` lists, grouping by key.

use rusqlite::{params_from_iter, types::ToSql, Connection, Row};

use super::sql::{self, COMMENT_COLUMNS, MEDIUM, POST_COLUMNS, USER_COLUMNS};
use crate::contender::{output, Contender, Output};
use crate::data::{self, Comment, NewTree, NewUser, Outcome, Post, User};
use crate::database::{Database, SQLITE_PRAGMAS};
use crate::Result;

/// rusqlite on one connection.
pub struct Rusqlite {
    conn: Connection,
}

impl Rusqlite {
    /// A connection to `db`'s file, with quarry's settings.
    pub fn connect(db: &Database) -> Result<Self> {
        let conn = Connection::open(&db.url)?;
        conn.execute_batch(SQLITE_PRAGMAS)?;
        Ok(Rusqlite { conn })
    }

    fn load<T>(&self, sql: &str, params: &[&dyn ToSql], row: fn(&Row) -> rusqlite::Result<T>) -> Result<Vec<T>> {
        let mut statement = self.conn.prepare_cached(sql)?;
        let rows = statement.query_map(params, row)?.collect::<rusqlite::Result<Vec<T>>>()?;
        Ok(rows)
    }
}

fn user(r: &Row) -> rusqlite::Result<User> {
    Ok(User { id: r.get(0)?, name: r.get(1)?, hair_color: r.get(2)? })
}

fn post(r: &Row) -> rusqlite::Result<Post> {
    Ok(Post { id: r.get(0)?, user_id: r.get(1)?, title: r.get(2)?, body: r.get(3)? })
}

fn comment(r: &Row) -> rusqlite::Result<Comment> {
    Ok(Comment { id: r.get(0)?, post_id: r.get(1)?, text: r.get(2)? })
}

/// Inserts `params` (`columns` per row) into `table (names)` with `RETURNING id`.
fn insert_returning(
    conn: &Connection,
    table: &str,
    names: &str,
    columns: usize,
    params: &[&dyn ToSql],
) -> Result<Vec<i32>> {
    let sql = format!(
        "INSERT INTO {table} ({names}) VALUES {} RETURNING id",
        sql::values(params.len() / columns, columns, false)
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let ids = statement.query_map(params, |r| r.get(0))?.collect::<rusqlite::Result<Vec<i32>>>()?;
    Ok(ids)
}

impl Contender for Rusqlite {
    fn name(&self) -> &'static str {
        "rusqlite"
    }

    fn trivial(&mut self) -> Result<Box<dyn Output>> {
        let users = self.load(&format!("SELECT {USER_COLUMNS} FROM users"), &[], user)?;
        Ok(output(users, Outcome::Users))
    }

    fn medium(&mut self) -> Result<Box<dyn Output>> {
        let rows = self.load(MEDIUM, &[&"black"], |r| {
            let post = match r.get::<_, Option<i32>>(3)? {
                Some(id) => Some(Post { id, user_id: r.get(4)?, title: r.get(5)?, body: r.get(6)? }),
                None => None,
            };
            Ok((user(r)?, post))
        })?;
        Ok(output(rows, Outcome::Joined))
    }

    fn insert(&mut self, users: Vec<NewUser>) -> Result<()> {
        let sql = format!("INSERT INTO users (name, hair_color) VALUES {}", sql::values(users.len(), 2, false));
        let params = users.iter().flat_map(|u| [&u.name as &dyn ToSql, &u.hair_color]);
        self.conn.prepare_cached(&sql)?.execute(params_from_iter(params))?;
        Ok(())
    }

    fn associations(&mut self) -> Result<Box<dyn Output>> {
        let users = self.load(&format!("SELECT {USER_COLUMNS} FROM users"), &[], user)?;
        let ids: Vec<&dyn ToSql> = users.iter().map(|u| &u.id as &dyn ToSql).collect();
        let sql = format!("SELECT {POST_COLUMNS} FROM posts WHERE user_id IN ({})", sql::list(ids.len()));
        let posts = self.load(&sql, &ids, post)?;
        let ids: Vec<&dyn ToSql> = posts.iter().map(|p| &p.id as &dyn ToSql).collect();
        let sql = format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE post_id IN ({})", sql::list(ids.len()));
        let comments = self.load(&sql, &ids, comment)?;
        Ok(output(data::graph(users, posts, comments), Outcome::Graph))
    }

    fn nested_write(&mut self, trees: Vec<NewTree>) -> Result<()> {
        let tx = self.conn.transaction()?;
        let params: Vec<&dyn ToSql> =
            trees.iter().flat_map(|t| [&t.user.name as &dyn ToSql, &t.user.hair_color]).collect();
        let user_ids = insert_returning(&tx, "users", "name, hair_color", 2, &params)?;
        let params: Vec<&dyn ToSql> = trees
            .iter()
            .zip(&user_ids)
            .flat_map(|(t, id)| t.posts.iter().flat_map(move |p| [id as &dyn ToSql, &p.title, &p.body]))
            .collect();
        let post_ids = insert_returning(&tx, "posts", "user_id, title, body", 3, &params)?;
        let params: Vec<&dyn ToSql> = trees
            .iter()
            .flat_map(|t| &t.posts)
            .zip(&post_ids)
            .flat_map(|(p, id)| p.comments.iter().flat_map(move |text| [id as &dyn ToSql, text]))
            .collect();
        let sql = format!("INSERT INTO comments (post_id, text) VALUES {}", sql::values(params.len() / 2, 2, false));
        tx.prepare_cached(&sql)?.execute(params.as_slice())?;
        tx.commit()?;
        Ok(())
    }
}
