//! quarry: its `Session` API through a pooled `Engine`, on the code its
//! build script generates from `schema/`.

use diesel::prelude::*;
use quarry::{Engine, Session};

use crate::contender::{output, Contender, Output};
use crate::data::{self, NewTree, NewUser as NewUserData, Outcome};
use crate::database::Database;
use crate::schema::{posts, users, Comment, NewComment, NewPost, NewUser, Post, User};
use crate::Result;

fn user(u: User) -> data::User {
    data::User { id: u.id, name: u.name, hair_color: u.hair_color }
}

fn post(p: Post) -> data::Post {
    data::Post { id: p.id, user_id: p.user_id, title: p.title, body: p.body }
}

fn comment(c: &Comment) -> data::Comment {
    data::Comment { id: c.id, post_id: c.post_id, text: c.text.clone() }
}

/// A session held for the contender's life, from an engine of its own.
pub struct Quarry<C: quarry::__codegen::EngineConnection> {
    session: Session<C>,
    _engine: Engine<C>,
}

impl<C: quarry::__codegen::EngineConnection> Quarry<C> {
    /// An engine on `db` (quarry's defaults) and a session from it.
    pub fn connect(db: &Database) -> Result<Self> {
        let engine = Engine::<C>::connect(&db.quarry_url())?;
        Ok(Quarry { session: engine.session()?, _engine: engine })
    }
}

macro_rules! backend {
    ($conn:ty) => {
        impl Contender for Quarry<$conn> {
            fn name(&self) -> &'static str {
                "quarry"
            }

            fn trivial(&mut self) -> Result<Box<dyn Output>> {
                let users: Vec<User> = self.session.all(users::table)?;
                Ok(output(users, |users| Outcome::Users(users.into_iter().map(user).collect())))
            }

            fn medium(&mut self) -> Result<Box<dyn Output>> {
                let rows: Vec<(User, Option<Post>)> =
                    self.session.all(users::table.left_join(posts::table).filter(users::hair_color.eq("black")))?;
                Ok(output(rows, |rows| {
                    Outcome::Joined(rows.into_iter().map(|(u, p)| (user(u), p.map(post))).collect())
                }))
            }

            fn insert(&mut self, users: Vec<NewUserData>) -> Result<()> {
                let rows: Vec<NewUser> =
                    users.into_iter().map(|u| NewUser { id: None, name: u.name, hair_color: u.hair_color }).collect();
                self.session.insert_all(users::table, &rows)?;
                Ok(())
            }

            fn associations(&mut self) -> Result<Box<dyn Output>> {
                let loaded = self.session.load(users::table, User::POSTS.with(Post::COMMENTS))?;
                Ok(output(loaded, |loaded| {
                    Outcome::Graph(
                        loaded
                            .iter()
                            .map(|u| {
                                let posts = u
                                    .get(User::POSTS)
                                    .iter()
                                    .map(|p| {
                                        (
                                            post(p.row().clone()),
                                            p.get(Post::COMMENTS).iter().map(|c| comment(c.row())).collect(),
                                        )
                                    })
                                    .collect();
                                (user(u.row().clone()), posts)
                            })
                            .collect(),
                    )
                }))
            }

            fn nested_write(&mut self, trees: Vec<NewTree>) -> Result<()> {
                let session = &mut self.session;
                session.begin()?;
                for tree in trees {
                    let user =
                        session.add(NewUser { id: None, name: tree.user.name, hair_color: tree.user.hair_color });
                    for p in tree.posts {
                        let (title, body) = (p.title, p.body);
                        let post = session.add_child(user, User::POSTS, move |user_id| NewPost {
                            id: None,
                            user_id,
                            title,
                            body,
                        })?;
                        for text in p.comments {
                            session.add_child(post, Post::COMMENTS, move |post_id| NewComment {
                                id: None,
                                post_id,
                                text,
                            })?;
                        }
                    }
                }
                session.commit()?;
                Ok(())
            }
        }
    };
}

backend!(diesel::SqliteConnection);
backend!(diesel::PgConnection);
backend!(diesel::MysqlConnection);
