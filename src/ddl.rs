//! Creating and dropping a whole schema from its [`Metadata`].
//!
//! Generated modules expose this as `schema::create_all(conn)` and
//! `schema::drop_all(conn)`; the functions here take the metadata
//! explicitly, for tools that hold several schemas. The statements are
//! written from the schema model by [`quarry_schema::ddl::script`], the
//! same code that writes migrations.

use quarry_schema::ddl::{script, MYSQL_CHECKS_OFF, MYSQL_CHECKS_ON};

use crate::engine::EngineConnection;
use crate::error::{Error, Result};
use crate::metadata::Metadata;

/// Creates every table, type and index of `metadata`, parents before
/// children.
///
/// On SQLite and PostgreSQL it runs in one transaction: if a statement
/// fails, nothing is created. MySQL/MariaDB commit each DDL statement, so
/// there the tables created before the failing statement remain; the error
/// names the statement that failed.
pub fn create_all<C: EngineConnection>(conn: &mut C, metadata: &Metadata) -> Result<()> {
    run(conn, &script(&metadata.schema, C::BACKEND).create)
}

/// Drops every table and type of `metadata`, children before parents.
/// Tables that do not exist are skipped.
pub fn drop_all<C: EngineConnection>(conn: &mut C, metadata: &Metadata) -> Result<()> {
    run(conn, &script(&metadata.schema, C::BACKEND).drop)
}

fn run<C: EngineConnection>(conn: &mut C, statements: &[String]) -> Result<()> {
    let execute = |conn: &mut C| -> Result<()> {
        for statement in statements {
            if let Err(source) = conn.batch_execute(statement) {
                // Never leave the session with foreign key checks off.
                if statements.iter().any(|s| s == MYSQL_CHECKS_OFF) {
                    let _ = conn.batch_execute(MYSQL_CHECKS_ON);
                }
                return Err(Error::Ddl { statement: statement.clone(), source });
            }
        }
        Ok(())
    };
    let outcome = if C::BACKEND.transactional_ddl() { conn.transaction(execute) } else { execute(conn) };
    crate::engine::schema_changed(conn);
    outcome
}
