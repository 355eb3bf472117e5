//! The bookkeeping table, `quarry_migrations`: one row per migration
//! applied or partly applied. The runner keeps it through diesel; offline
//! scripts (`quarry upgrade --sql`) write the same rows as SQL text, so
//! both are defined here.
//!
//! | column | meaning |
//! |---|---|
//! | `version` | the revision's version, such as `0002` |
//! | `checksum` | [`checksum`] of the `up.sql` that ran |
//! | `statements` | how many of its statements ran |
//! | `complete` | whether all of them did |
//! | `intent` | MySQL/MariaDB only: while statement `statements + 1` runs, a fingerprint of the catalog taken just before it, so that a run after a killed client can tell whether that statement took effect |
//!
//! ```
//! use quarry_schema::migrations::bookkeeping;
//! assert!(bookkeeping::CREATE_TABLE.starts_with("CREATE TABLE IF NOT EXISTS quarry_migrations"));
//! assert_eq!(bookkeeping::checksum("CREATE TABLE t (id INTEGER)"), bookkeeping::checksum("CREATE TABLE t (id INTEGER)"));
//! assert_ne!(bookkeeping::checksum("a"), bookkeeping::checksum("b"));
//! ```

/// The table's name.
pub const TABLE: &str = "quarry_migrations";

/// Creates the table unless it exists; valid SQL on every backend.
pub const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS quarry_migrations (\
     version VARCHAR(64) NOT NULL PRIMARY KEY, \
     checksum VARCHAR(32) NOT NULL, \
     statements INTEGER NOT NULL, \
     complete BOOLEAN NOT NULL, \
     intent VARCHAR(64))";

/// Adds the `intent` column to a table created before it existed.
pub const ADD_INTENT: &str = "ALTER TABLE quarry_migrations ADD COLUMN intent VARCHAR(64)";

/// PostgreSQL: the key of the session advisory lock migrations of one
/// schema run under (`pg_advisory_lock(KEY)`), taken by the runner and by
/// offline scripts alike.
pub const POSTGRES_LOCK_KEY: &str = "hashtext('quarry_migrations'), hashtext(current_schema())";

/// MySQL/MariaDB: the name of the lock (`GET_LOCK(NAME, seconds)`)
/// migrations of one database run under, made from the database's name so
/// that migrating one never holds up another; taken by the runner and by
/// offline scripts alike.
pub const MYSQL_LOCK_NAME: &str = "CONCAT('quarry_migrations_', MD5(IFNULL(DATABASE(), '')))";

/// A stable fingerprint of a script (64-bit FNV-1a, hex): what an applied
/// migration's record keeps, so that an edited migration is noticed.
pub fn checksum(sql: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in sql.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}
