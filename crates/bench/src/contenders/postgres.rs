//! The postgres crate (rust-postgres, sync), by hand: statements prepared
//! once and kept, multi-row `VALUES`, `RETURNING id`, `= ANY($1)`,
//! grouping by key.

use std::collections::HashMap;

use postgres::types::ToSql;
use postgres::{Client, GenericClient, NoTls, Row, Statement};

use super::sql::{self, COMMENT_COLUMNS, POST_COLUMNS, USER_COLUMNS};
use crate::contender::{output, Contender, Output};
use crate::data::{self, Comment, NewTree, NewUser, Outcome, Post, User};
use crate::database::Database;
use crate::Result;

/// rust-postgres on one connection, with its prepared statements.
pub struct Postgres {
    client: Client,
    statements: HashMap<String, Statement>,
}

fn user(r: &Row) -> User {
    User { id: r.get(0), name: r.get(1), hair_color: r.get(2) }
}

fn post(r: &Row) -> Post {
    Post { id: r.get(0), user_id: r.get(1), title: r.get(2), body: r.get(3) }
}

fn comment(r: &Row) -> Comment {
    Comment { id: r.get(0), post_id: r.get(1), text: r.get(2) }
}

/// The statement for `sql`, prepared on first use.
fn statement(client: &mut impl GenericClient, cache: &mut HashMap<String, Statement>, sql: &str) -> Result<Statement> {
    if let Some(statement) = cache.get(sql) {
        return Ok(statement.clone());
    }
    let statement = client.prepare(sql)?;
    cache.insert(sql.to_owned(), statement.clone());
    Ok(statement)
}

/// Inserts `params` (`columns` per row) into `table (names)` with `RETURNING id`.
fn insert_returning(
    client: &mut impl GenericClient,
    cache: &mut HashMap<String, Statement>,
    table: &str,
    names: &str,
    columns: usize,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<i32>> {
    let sql = format!(
        "INSERT INTO {table} ({names}) VALUES {} RETURNING id",
        sql::values(params.len() / columns, columns, true)
    );
    let statement = statement(client, cache, &sql)?;
    Ok(client.query(&statement, params)?.iter().map(|r| r.get(0)).collect())
}

impl Postgres {
    /// A connection to `db`, without TLS.
    pub fn connect(db: &Database) -> Result<Self> {
        Ok(Postgres { client: Client::connect(&db.url, NoTls)?, statements: HashMap::new() })
    }

    fn query(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>> {
        let statement = statement(&mut self.client, &mut self.statements, sql)?;
        Ok(self.client.query(&statement, params)?)
    }
}

impl Contender for Postgres {
    fn name(&self) -> &'static str {
        "postgres"
    }

    fn trivial(&mut self) -> Result<Box<dyn Output>> {
        let users: Vec<User> =
            self.query(&format!("SELECT {USER_COLUMNS} FROM users"), &[])?.iter().map(user).collect();
        Ok(output(users, Outcome::Users))
    }

    fn medium(&mut self) -> Result<Box<dyn Output>> {
        let sql = sql::MEDIUM.replace('?', "$1");
        let rows: Vec<(User, Option<Post>)> = self
            .query(&sql, &[&"black"])?
            .iter()
            .map(|r| {
                let post = r.get::<_, Option<i32>>(3).map(|id| Post {
                    id,
                    user_id: r.get(4),
                    title: r.get(5),
                    body: r.get(6),
                });
                (user(r), post)
            })
            .collect();
        Ok(output(rows, Outcome::Joined))
    }

    fn insert(&mut self, users: Vec<NewUser>) -> Result<()> {
        let sql = format!("INSERT INTO users (name, hair_color) VALUES {}", sql::values(users.len(), 2, true));
        let params: Vec<&(dyn ToSql + Sync)> =
            users.iter().flat_map(|u| [&u.name as &(dyn ToSql + Sync), &u.hair_color]).collect();
        let statement = statement(&mut self.client, &mut self.statements, &sql)?;
        self.client.execute(&statement, &params)?;
        Ok(())
    }

    fn associations(&mut self) -> Result<Box<dyn Output>> {
        let users: Vec<User> =
            self.query(&format!("SELECT {USER_COLUMNS} FROM users"), &[])?.iter().map(user).collect();
        let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
        let sql = format!("SELECT {POST_COLUMNS} FROM posts WHERE user_id = ANY($1)");
        let posts: Vec<Post> = self.query(&sql, &[&ids])?.iter().map(post).collect();
        let ids: Vec<i32> = posts.iter().map(|p| p.id).collect();
        let sql = format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE post_id = ANY($1)");
        let comments: Vec<Comment> = self.query(&sql, &[&ids])?.iter().map(comment).collect();
        Ok(output(data::graph(users, posts, comments), Outcome::Graph))
    }

    fn nested_write(&mut self, trees: Vec<NewTree>) -> Result<()> {
        let cache = &mut self.statements;
        let mut tx = self.client.transaction()?;
        let params: Vec<&(dyn ToSql + Sync)> =
            trees.iter().flat_map(|t| [&t.user.name as &(dyn ToSql + Sync), &t.user.hair_color]).collect();
        let user_ids = insert_returning(&mut tx, cache, "users", "name, hair_color", 2, &params)?;
        let params: Vec<&(dyn ToSql + Sync)> = trees
            .iter()
            .zip(&user_ids)
            .flat_map(|(t, id)| t.posts.iter().flat_map(move |p| [id as &(dyn ToSql + Sync), &p.title, &p.body]))
            .collect();
        let post_ids = insert_returning(&mut tx, cache, "posts", "user_id, title, body", 3, &params)?;
        let params: Vec<&(dyn ToSql + Sync)> = trees
            .iter()
            .flat_map(|t| &t.posts)
            .zip(&post_ids)
            .flat_map(|(p, id)| p.comments.iter().flat_map(move |text| [id as &(dyn ToSql + Sync), text]))
            .collect();
        let sql = format!("INSERT INTO comments (post_id, text) VALUES {}", sql::values(params.len() / 2, 2, true));
        let statement = statement(&mut tx, cache, &sql)?;
        tx.execute(&statement, &params)?;
        tx.commit()?;
        Ok(())
    }
}
