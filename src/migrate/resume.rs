//! Migrations where DDL is not transactional (MySQL/MariaDB): each
//! statement commits as it runs, so its progress is recorded in a way that
//! lets the next run resume exactly where the last one stopped, whether it
//! failed or its client was killed at any instant.
//!
//! - A statement that changes data (`INSERT`, `UPDATE`, `DELETE`,
//!   `REPLACE`) runs in one transaction with the progress row: both
//!   happen, or neither.
//! - Any other statement (DDL) commits on its own. Before it runs, the
//!   progress row records its *intent*: a fingerprint of the catalog (the
//!   tables, columns, indexes, constraints, routines, triggers and views
//!   of the database). A run that finds an intent compares the catalog
//!   with it: changed, the statement took effect; unchanged, it did not.
//!   The migration lock is held by the killed client's session until its
//!   statement ends, so the comparison never sees a statement half-run.
//!
//! A DDL statement that leaves no trace in the catalog (`ANALYZE`, `SET`,
//! a grant) is run again after such a kill; so is a data change on a
//! table whose engine has no transactions (MyISAM).

use super::{Applied, MigrationConnection};
use crate::error::{Error, Result};

/// Applies `statements` of migration `version` from where `record` (its
/// progress row, if any) says the last run stopped.
pub(super) fn apply<C: MigrationConnection>(
    conn: &mut C,
    version: &str,
    statements: &[String],
    sum: &str,
    record: Option<&Applied>,
) -> Result<()> {
    let total = statements.len();
    let row = |statements: usize, intent: Option<String>| Applied {
        version: version.to_owned(),
        checksum: sum.to_owned(),
        statements: statements as i32,
        complete: statements == total,
        intent,
    };
    let failed = |i: usize, statement: &String, source| Error::Migration {
        version: version.to_owned(),
        applied: i,
        rolled_back: false,
        statement: statement.clone(),
        source,
    };
    let mut done = record.map_or(0, |r| r.statements as usize);
    if let Some(before) = record.and_then(|r| r.intent.as_deref()) {
        // The last run stopped while statement `done + 1` ran.
        if conn.fingerprint()? != before {
            done += 1;
        }
    }
    conn.record(&row(done, None))?;
    for (i, statement) in statements.iter().enumerate().skip(done) {
        if changes_data(statement) {
            conn.transaction(|conn| {
                conn.batch_execute(statement).map_err(|e| failed(i, statement, e))?;
                conn.record(&row(i + 1, None))
            })?;
            continue;
        }
        let before = conn.fingerprint()?;
        conn.record(&row(i, Some(before)))?;
        if let Err(error) = conn.batch_execute(statement) {
            conn.record(&row(i, None))?;
            return Err(failed(i, statement, error));
        }
        conn.record(&row(i + 1, None))?;
    }
    Ok(())
}

/// Whether `statement` changes rows rather than the schema: its first
/// word, after comments and parentheses, is `INSERT`, `UPDATE`, `DELETE`
/// or `REPLACE`. Such a statement runs in one transaction with its
/// progress row (online here, and in `quarry upgrade --sql` scripts).
pub fn changes_data(statement: &str) -> bool {
    let mut rest = statement;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
        if let Some(comment) = rest.strip_prefix("--").or_else(|| rest.strip_prefix('#')) {
            rest = comment.split_once('\n').map_or("", |(_, after)| after);
        } else if rest.starts_with("/*") && !rest.starts_with("/*!") {
            rest = rest[2..].split_once("*/").map_or("", |(_, after)| after);
        } else {
            break;
        }
    }
    let word: String = rest.chars().take_while(char::is_ascii_alphabetic).collect();
    ["INSERT", "UPDATE", "DELETE", "REPLACE"].iter().any(|w| word.eq_ignore_ascii_case(w))
}

/// The MySQL/MariaDB catalog, a line per object and part.
#[cfg(feature = "mysql")]
pub(super) const MYSQL_CATALOG: &str = "\
SELECT CONCAT_WS('|', 'table', TABLE_NAME, TABLE_TYPE, IFNULL(ENGINE, ''), TABLE_COMMENT) AS line
  FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> 'quarry_migrations'
UNION ALL SELECT CONCAT_WS('|', 'column', TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, IS_NULLABLE,
    IFNULL(COLUMN_DEFAULT, '~'), EXTRA, COLUMN_COMMENT, IFNULL(COLLATION_NAME, ''))
  FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> 'quarry_migrations'
UNION ALL SELECT CONCAT_WS('|', 'index', TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, IFNULL(COLUMN_NAME, ''), NON_UNIQUE,
    IFNULL(SUB_PART, ''))
  FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> 'quarry_migrations'
UNION ALL SELECT CONCAT_WS('|', 'constraint', TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE)
  FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME <> 'quarry_migrations'
UNION ALL SELECT CONCAT_WS('|', 'reference', TABLE_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_NAME, UPDATE_RULE, DELETE_RULE)
  FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()
UNION ALL SELECT CONCAT_WS('|', 'check', CONSTRAINT_NAME, CHECK_CLAUSE)
  FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()
UNION ALL SELECT CONCAT_WS('|', 'routine', ROUTINE_TYPE, ROUTINE_NAME, IFNULL(ROUTINE_DEFINITION, ''))
  FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()
UNION ALL SELECT CONCAT_WS('|', 'trigger', TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_STATEMENT)
  FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()
UNION ALL SELECT CONCAT_WS('|', 'event', EVENT_NAME, EVENT_DEFINITION)
  FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()";

/// The SQLite catalog: every object's SQL.
#[cfg(feature = "sqlite")]
pub(super) const SQLITE_CATALOG: &str = "SELECT type || '|' || name || '|' || IFNULL(sql, '') AS line \
     FROM sqlite_master WHERE name <> 'quarry_migrations'";

/// The PostgreSQL catalog of the current schema: columns, indexes,
/// constraints, functions, triggers and views.
#[cfg(feature = "postgres")]
pub(super) const POSTGRES_CATALOG: &str = "\
SELECT concat_ws('|', 'column', table_name, column_name, ordinal_position, data_type, is_nullable,
    coalesce(column_default, '~')) AS line
  FROM information_schema.columns WHERE table_schema = current_schema() AND table_name <> 'quarry_migrations'
UNION ALL SELECT concat_ws('|', 'index', tablename, indexname, indexdef)
  FROM pg_indexes WHERE schemaname = current_schema() AND tablename <> 'quarry_migrations'
UNION ALL SELECT concat_ws('|', 'constraint', c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid))
  FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema()
UNION ALL SELECT concat_ws('|', 'routine', p.proname, md5(p.prosrc))
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()
UNION ALL SELECT concat_ws('|', 'trigger', t.tgname, t.tgrelid::regclass::text)
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = current_schema() AND NOT t.tgisinternal
UNION ALL SELECT concat_ws('|', 'view', viewname, definition) FROM pg_views WHERE schemaname = current_schema()
UNION ALL SELECT concat_ws('|', 'type', t.typname, t.typtype)
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = current_schema()";

#[cfg(test)]
mod tests {
    use super::changes_data;

    #[test]
    fn tells_data_changes_from_ddl() {
        for dml in [
            "INSERT INTO t VALUES (1)",
            "  update t set x = 1",
            "-- seed\nDELETE FROM t",
            "/* x */ REPLACE INTO t VALUES (1)",
            "(INSERT INTO t SELECT 1)",
        ] {
            assert!(changes_data(dml), "{dml}");
        }
        for ddl in [
            "ALTER TABLE t ADD COLUMN x INT",
            "CREATE TABLE inserts (id INT)",
            "/*!40101 SET x = 1 */",
            "-- INSERT\nDROP TABLE t",
            "",
        ] {
            assert!(!changes_data(ddl), "{ddl}");
        }
    }
}
