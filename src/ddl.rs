//! Creating and dropping a whole schema from its [`Metadata`].
//!
//! Generated modules expose this as `schema::create_all(conn)` and
//! `schema::drop_all(conn)`; the functions here take the metadata
//! explicitly, for tools that hold several schemas.

use diesel::connection::SimpleConnection;
use diesel::Connection;

use crate::error::{Error, Result};
use crate::metadata::{DdlScript, Metadata};

/// A connection whose backend quarry writes DDL for.
pub trait DdlConnection: Connection + SimpleConnection {
    /// Whether DDL statements take part in transactions (SQLite and
    /// PostgreSQL: yes; MySQL/MariaDB commit each one implicitly).
    const TRANSACTIONAL_DDL: bool;

    /// The statements of `metadata` for this connection's backend.
    fn script(metadata: &Metadata) -> &DdlScript;
}

#[cfg(feature = "sqlite")]
impl DdlConnection for diesel::SqliteConnection {
    const TRANSACTIONAL_DDL: bool = true;

    fn script(metadata: &Metadata) -> &DdlScript {
        &metadata.ddl.sqlite
    }
}

#[cfg(feature = "postgres")]
impl DdlConnection for diesel::PgConnection {
    const TRANSACTIONAL_DDL: bool = true;

    fn script(metadata: &Metadata) -> &DdlScript {
        &metadata.ddl.postgres
    }
}

#[cfg(feature = "mysql")]
impl DdlConnection for diesel::MysqlConnection {
    const TRANSACTIONAL_DDL: bool = false;

    fn script(metadata: &Metadata) -> &DdlScript {
        &metadata.ddl.mysql
    }
}

/// Creates every table, type and index of `metadata`, parents before
/// children.
///
/// On SQLite and PostgreSQL it runs in one transaction: if a statement
/// fails, nothing is created. MySQL/MariaDB commit each DDL statement, so
/// there the tables created before the failing statement remain; the error
/// names the statement that failed.
pub fn create_all<C: DdlConnection>(conn: &mut C, metadata: &Metadata) -> Result<()> {
    run(conn, C::script(metadata).create)
}

/// Drops every table and type of `metadata`, children before parents.
/// Tables that do not exist are skipped.
pub fn drop_all<C: DdlConnection>(conn: &mut C, metadata: &Metadata) -> Result<()> {
    run(conn, C::script(metadata).drop)
}

/// MySQL statements that bracket a drop of mutually referencing tables
/// (as quarry-codegen writes them).
const CHECKS_OFF: &str = "SET FOREIGN_KEY_CHECKS = 0";
const CHECKS_ON: &str = "SET FOREIGN_KEY_CHECKS = 1";

fn run<C: DdlConnection>(conn: &mut C, statements: &[&str]) -> Result<()> {
    let execute = |conn: &mut C| -> Result<()> {
        for statement in statements {
            if let Err(source) = conn.batch_execute(statement) {
                // Never leave the session with foreign key checks off.
                if statements.contains(&CHECKS_OFF) {
                    let _ = conn.batch_execute(CHECKS_ON);
                }
                return Err(Error::Ddl { statement: (*statement).to_owned(), source });
            }
        }
        Ok(())
    };
    if C::TRANSACTIONAL_DDL {
        conn.transaction(execute)
    } else {
        execute(conn)
    }
}
