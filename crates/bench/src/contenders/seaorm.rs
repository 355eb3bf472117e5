//! SeaORM 2, async, on a current-thread tokio runtime with `block_on` per
//! call: entities matching the quarry schema, `find_also_related` for the
//! join, the loader (`load_many`) for associations, `insert_many` in a
//! transaction for the writes. Its pool holds one connection, with sqlx's
//! statement logging off and no ping before each acquire (quarry's
//! defaults: no echo, no pre-ping).
//!
//! SeaORM also ships a synchronous flavour, `sea-orm-sync`, but for SQLite
//! only (through rusqlite); to keep one set of entities and one driver
//! family across the three backends the async crate is measured everywhere.

use std::time::Duration;

use sea_orm::entity::prelude::*;
use sea_orm::{
    ActiveValue::Set, ConnectOptions, Database as SeaDatabase, DatabaseConnection, DbBackend, IntoActiveModel,
    LoaderTrait, TransactionTrait,
};
use tokio::runtime::Runtime;

use crate::contender::{output, Contender, Output};
use crate::data::{self, NewPostTree, NewTree, NewUser, Outcome};
use crate::database::{Backend, Database, SQLITE_PRAGMAS};
use crate::Result;

/// `users`.
pub mod user {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "users")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub name: String,
        pub hair_color: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(has_many = "super::post::Entity")]
        Post,
    }

    impl Related<super::post::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Post.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// `posts`.
pub mod post {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "posts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub user_id: i32,
        pub title: String,
        pub body: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(belongs_to = "super::user::Entity", from = "Column::UserId", to = "super::user::Column::Id")]
        User,
        #[sea_orm(has_many = "super::comment::Entity")]
        Comment,
    }

    impl Related<super::user::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::User.def()
        }
    }

    impl Related<super::comment::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Comment.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// `comments`.
pub mod comment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "comments")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub post_id: i32,
        pub text: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(belongs_to = "super::post::Entity", from = "Column::PostId", to = "super::post::Column::Id")]
        Post,
    }

    impl Related<super::post::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Post.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

fn plain_user(u: user::Model) -> data::User {
    data::User { id: u.id, name: u.name, hair_color: u.hair_color }
}

fn plain_post(p: post::Model) -> data::Post {
    data::Post { id: p.id, user_id: p.user_id, title: p.title, body: p.body }
}

fn plain_comment(c: comment::Model) -> data::Comment {
    data::Comment { id: c.id, post_id: c.post_id, text: c.text }
}

fn new_user(u: NewUser) -> user::ActiveModel {
    user::ActiveModel { name: Set(u.name), hair_color: Set(u.hair_color), ..Default::default() }
}

/// What the loader builds: users with their posts with their comments.
type Graph = Vec<(user::Model, Vec<(post::Model, Vec<comment::Model>)>)>;

/// SeaORM on a pool of one connection, with the runtime that drives it.
pub struct SeaOrm {
    db: DatabaseConnection,
    runtime: Runtime,
}

impl SeaOrm {
    /// A pool of one connection to `db` (with quarry's settings on SQLite).
    pub fn connect(db: &Database) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let url = match db.backend {
            Backend::Sqlite => format!("sqlite://{}?mode=rwc", db.url),
            _ => db.url.clone(),
        };
        let mut options = ConnectOptions::new(url);
        options
            .max_connections(1)
            .min_connections(1)
            .sqlx_logging(false)
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(10));
        let connection = runtime.block_on(SeaDatabase::connect(options))?;
        if db.backend == Backend::Sqlite {
            runtime.block_on(connection.execute_unprepared(SQLITE_PRAGMAS))?;
        }
        Ok(SeaOrm { db: connection, runtime })
    }
}

/// Inserts `rows` in one statement and returns their keys: `RETURNING`
/// where the backend has it, else MySQL's first key and those after it.
async fn insert_ids<A>(db: &impl ConnectionTrait, rows: Vec<A>) -> Result<Vec<i32>, DbErr>
where
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
    <<A::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: Into<i32>,
{
    let n = rows.len();
    if db.get_database_backend() == DbBackend::MySql {
        let first = A::Entity::insert_many(rows).exec(db).await?.last_insert_id.ok_or(DbErr::RecordNotInserted)?;
        let first: i32 = first.into();
        Ok((0..n as i32).map(|i| first + i).collect())
    } else {
        let keys = A::Entity::insert_many(rows).exec_with_returning_keys(db).await?;
        Ok(keys.into_iter().map(Into::into).collect())
    }
}

impl Contender for SeaOrm {
    fn name(&self) -> &'static str {
        "SeaORM"
    }

    fn trivial(&mut self) -> Result<Box<dyn Output>> {
        let users = self.runtime.block_on(user::Entity::find().all(&self.db))?;
        Ok(output(users, |users| Outcome::Users(users.into_iter().map(plain_user).collect())))
    }

    fn medium(&mut self) -> Result<Box<dyn Output>> {
        let query = user::Entity::find().find_also_related(post::Entity).filter(user::Column::HairColor.eq("black"));
        let rows = self.runtime.block_on(query.all(&self.db))?;
        Ok(output(rows, |rows| {
            Outcome::Joined(rows.into_iter().map(|(u, p)| (plain_user(u), p.map(plain_post))).collect())
        }))
    }

    fn insert(&mut self, users: Vec<NewUser>) -> Result<()> {
        let rows = users.into_iter().map(new_user);
        self.runtime.block_on(user::Entity::insert_many(rows).exec_without_returning(&self.db))?;
        Ok(())
    }

    fn associations(&mut self) -> Result<Box<dyn Output>> {
        let db = &self.db;
        let graph: Graph = self.runtime.block_on(async {
            let users = user::Entity::find().all(db).await?;
            let posts = users.load_many(post::Entity, db).await?;
            let flat: Vec<post::Model> = posts.iter().flatten().cloned().collect();
            let mut comments = flat.load_many(comment::Entity, db).await?.into_iter();
            Ok::<_, DbErr>(
                users
                    .into_iter()
                    .zip(posts)
                    .map(|(u, posts)| {
                        (u, posts.into_iter().map(|p| (p, comments.next().unwrap_or_default())).collect())
                    })
                    .collect(),
            )
        })?;
        Ok(output(graph, |graph| {
            Outcome::Graph(
                graph
                    .into_iter()
                    .map(|(u, posts)| {
                        let posts = posts
                            .into_iter()
                            .map(|(p, cs)| (plain_post(p), cs.into_iter().map(plain_comment).collect()))
                            .collect();
                        (plain_user(u), posts)
                    })
                    .collect(),
            )
        }))
    }

    fn nested_write(&mut self, trees: Vec<NewTree>) -> Result<()> {
        let db = &self.db;
        self.runtime.block_on(async {
            let txn = db.begin().await?;
            let (users, posts): (Vec<NewUser>, Vec<Vec<NewPostTree>>) =
                trees.into_iter().map(|t| (t.user, t.posts)).unzip();
            let user_ids = insert_ids(&txn, users.into_iter().map(new_user).collect()).await?;
            let mut comments = Vec::new();
            let posts = posts
                .into_iter()
                .zip(&user_ids)
                .flat_map(|(posts, &user_id)| posts.into_iter().map(move |p| (user_id, p)))
                .map(|(user_id, p)| {
                    comments.push(p.comments);
                    post::ActiveModel {
                        user_id: Set(user_id),
                        title: Set(p.title),
                        body: Set(p.body),
                        ..Default::default()
                    }
                })
                .collect();
            let post_ids = insert_ids(&txn, posts).await?;
            let comments = comments.into_iter().zip(&post_ids).flat_map(|(texts, &post_id)| {
                texts.into_iter().map(move |text| comment::ActiveModel {
                    post_id: Set(post_id),
                    text: Set(text),
                    ..Default::default()
                })
            });
            comment::Entity::insert_many(comments).exec_without_returning(&txn).await?;
            txn.commit().await?;
            Ok::<_, DbErr>(())
        })?;
        Ok(())
    }
}
