//! The contenders, one module per library, and the list per backend.

pub mod diesel;
pub mod mysql;
pub mod postgres;
pub mod quarry;
pub mod rusqlite;
pub mod seaorm;
pub mod sql;
pub mod sqlx;

use crate::contender::{Contender, Reference};
use crate::database::{Backend, Database};
use crate::Result;

/// The reference and the contenders on one database.
pub struct Lineup {
    /// Hand-written diesel on a connection of its own: creates, seeds,
    /// empties and reads the tables.
    pub reference: Box<dyn Reference>,
    /// Hand-written diesel first, then the others.
    pub contenders: Vec<Box<dyn Contender>>,
}

/// The reference (hand-written diesel, which creates the tables and seeds
/// the data) and the contenders for `db`, hand-written diesel first, each
/// on a connection of its own.
pub fn for_database(db: &Database) -> Result<Lineup> {
    Ok(match db.backend {
        Backend::Sqlite => {
            let mut reference = Box::new(diesel::Diesel::<::diesel::SqliteConnection>::connect(db)?);
            reference.create_tables()?;
            Lineup {
                reference,
                contenders: vec![
                    Box::new(diesel::Diesel::<::diesel::SqliteConnection>::connect(db)?) as Box<dyn Contender>,
                    Box::new(quarry::Quarry::<::diesel::SqliteConnection>::connect(db)?),
                    Box::new(rusqlite::Rusqlite::connect(db)?),
                    Box::new(sqlx::Sqlx::<::sqlx::SqliteConnection>::connect(db)?),
                    Box::new(seaorm::SeaOrm::connect(db)?),
                ],
            }
        }
        Backend::Postgres => {
            let mut reference = Box::new(diesel::Diesel::<::diesel::PgConnection>::connect(db)?);
            reference.create_tables()?;
            Lineup {
                reference,
                contenders: vec![
                    Box::new(diesel::Diesel::<::diesel::PgConnection>::connect(db)?) as Box<dyn Contender>,
                    Box::new(quarry::Quarry::<::diesel::PgConnection>::connect(db)?),
                    Box::new(postgres::Postgres::connect(db)?),
                    Box::new(sqlx::Sqlx::<::sqlx::PgConnection>::connect(db)?),
                    Box::new(seaorm::SeaOrm::connect(db)?),
                ],
            }
        }
        Backend::Mysql => {
            let mut reference = Box::new(diesel::Diesel::<::diesel::MysqlConnection>::connect(db)?);
            reference.create_tables()?;
            Lineup {
                reference,
                contenders: vec![
                    Box::new(diesel::Diesel::<::diesel::MysqlConnection>::connect(db)?) as Box<dyn Contender>,
                    Box::new(quarry::Quarry::<::diesel::MysqlConnection>::connect(db)?),
                    Box::new(mysql::Mysql::connect(db)?),
                    Box::new(sqlx::Sqlx::<::sqlx::MySqlConnection>::connect(db)?),
                    Box::new(seaorm::SeaOrm::connect(db)?),
                ],
            }
        }
    })
}
