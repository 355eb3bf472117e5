//! What a live database holds, read from its own catalog: its tables, their
//! columns (type as the catalog spells it, nullability, default), and the
//! names of their constraints and indexes. `quarry check` compares this
//! with the schema; it is plain data for any other tool too.
//!
//! ```
//! use diesel::connection::SimpleConnection;
//! use diesel::Connection;
//!
//! let mut conn = diesel::SqliteConnection::establish(":memory:")?;
//! conn.batch_execute(
//!     "CREATE TABLE notes (id INTEGER NOT NULL, body TEXT DEFAULT 'x', \
//!      CONSTRAINT \"pk_notes\" PRIMARY KEY (id)); CREATE INDEX ix_notes_body ON notes (body)",
//! )?;
//! let catalog = quarry::inspect::catalog(&mut conn)?;
//! let notes = catalog.table("notes").unwrap();
//! assert_eq!(notes.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["id", "body"]);
//! assert!(!notes.columns[0].nullable && notes.columns[1].nullable);
//! assert_eq!(notes.columns[1].default.as_deref(), Some("'x'"));
//! assert_eq!((notes.constraints.as_slice(), notes.indexes.as_slice()), (&["pk_notes".to_owned()][..], &["ix_notes_body".to_owned()][..]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::engine::{Backend, EngineConnection};
use crate::error::Result;

/// The tables of the database a connection uses: SQLite's main database,
/// PostgreSQL's `current_schema()`, MySQL's `DATABASE()`. quarry's own
/// `quarry_migrations` is among them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Catalog {
    /// In name order.
    pub tables: Vec<Table>,
}

/// A table as the database's catalog describes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Table {
    /// The name as the catalog spells it (PostgreSQL: as `regclass` prints
    /// it, quoted where it needs quotes).
    pub name: String,
    /// In the table's column order.
    pub columns: Vec<Column>,
    /// The names of its constraints: primary key (SQLite and PostgreSQL;
    /// MySQL's is always `PRIMARY` and left out), unique, foreign key and
    /// check. SQLite keeps only the names its `CREATE TABLE` gives with
    /// `CONSTRAINT "name"`.
    pub constraints: Vec<String>,
    /// The names of its indexes: made by `CREATE INDEX` (SQLite), not
    /// backing a constraint (PostgreSQL), or any but `PRIMARY` (MySQL,
    /// which also lists the indexes of unique constraints and foreign keys).
    pub indexes: Vec<String>,
}

/// A column as the database's catalog describes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Column {
    /// The name as the catalog spells it.
    pub name: String,
    /// The type as the catalog spells it: `VARCHAR(50)` (SQLite, as
    /// declared), `character varying(50)` (PostgreSQL's `format_type`),
    /// `varchar(50)` (MySQL's `COLUMN_TYPE`).
    pub sql_type: String,
    /// Whether it takes NULL (no `NOT NULL`).
    pub nullable: bool,
    /// The default's SQL, if it has one.
    pub default: Option<String>,
}

impl Catalog {
    /// The table named `name`.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}

impl Table {
    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// A connection whose database can be inspected: SQLite, PostgreSQL and
/// MySQL/MariaDB.
pub trait InspectConnection: EngineConnection {
    /// Reads the catalog; see [`catalog`].
    fn inspect(&mut self) -> Result<Catalog>;
}

/// The tables, columns, constraints and indexes of the database `conn`
/// uses.
pub fn catalog<C: InspectConnection>(conn: &mut C) -> Result<Catalog> {
    conn.inspect()
}

impl<C: InspectConnection> crate::Engine<C> {
    /// [`catalog`] over one of this engine's connections.
    pub fn inspect(&self) -> Result<Catalog> {
        catalog(&mut *self.connection()?)
    }
}

impl crate::AnyEngine {
    /// [`catalog`] on whichever backend this engine is.
    pub fn inspect(&self) -> Result<Catalog> {
        crate::with_engine!(self, |engine| engine.inspect())
    }
}

/// One row of a catalog query: (table, column or kind, not-null flag or
/// name, type, default).
#[derive(diesel::QueryableByName)]
struct Row {
    #[diesel(sql_type = diesel::sql_types::Text)]
    t: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    c: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    n: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    ty: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    d: Option<String>,
}

macro_rules! inspect_with_sql_query {
    ($connection:ty) => {
        impl InspectConnection for $connection {
            fn inspect(&mut self) -> Result<Catalog> {
                use diesel::RunQueryDsl;
                read(Self::BACKEND, &mut |sql| Ok(diesel::sql_query(sql).load::<Row>(&mut *self)?))
            }
        }
    };
}

#[cfg(feature = "sqlite")]
inspect_with_sql_query!(diesel::SqliteConnection);
#[cfg(feature = "postgres")]
inspect_with_sql_query!(diesel::PgConnection);
#[cfg(feature = "mysql")]
inspect_with_sql_query!(diesel::MysqlConnection);

/// Columns: (table, column, '1' when NOT NULL, type, default).
fn columns_sql(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "SELECT m.name AS t, c.name AS c, CAST(c.\"notnull\" AS TEXT) AS n, c.type AS ty, c.dflt_value AS d \
             FROM sqlite_master m, pragma_table_info(m.name) c \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, c.cid"
        }
        Backend::Postgres => {
            "SELECT a.attrelid::regclass::text AS t, a.attname::text AS c, CASE WHEN a.attnotnull THEN '1' ELSE '0' END AS n, \
             format_type(a.atttypid, a.atttypmod) AS ty, pg_get_expr(d.adbin, d.adrelid) AS d FROM pg_attribute a \
             JOIN pg_class r ON r.oid = a.attrelid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
             WHERE r.relnamespace = current_schema()::regnamespace AND r.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped \
             ORDER BY 1, a.attnum"
        }
        Backend::Mysql => {
            "SELECT TABLE_NAME AS t, COLUMN_NAME AS c, IF(IS_NULLABLE = 'NO', '1', '0') AS n, COLUMN_TYPE AS ty, \
             NULLIF(COLUMN_DEFAULT, 'NULL') AS d FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
             ORDER BY TABLE_NAME, ORDINAL_POSITION"
        }
    }
}

/// Constraints and indexes: (table, `constraint` | `index` | `sql`, name
/// (or, for `sql`, SQLite's `CREATE TABLE` text), '', NULL).
fn names_sql(backend: Backend) -> &'static [&'static str] {
    match backend {
        Backend::Sqlite => &[
            "SELECT m.name AS t, 'index' AS c, i.name AS n, '' AS ty, NULL AS d FROM sqlite_master m, pragma_index_list(m.name) i \
             WHERE m.type = 'table' AND i.origin = 'c'",
            "SELECT name AS t, 'sql' AS c, sql AS n, '' AS ty, NULL AS d FROM sqlite_master \
             WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        ],
        Backend::Postgres => &[
            "SELECT conrelid::regclass::text AS t, 'constraint' AS c, conname::text AS n, ''::text AS ty, NULL::text AS d FROM pg_constraint \
             WHERE connamespace = current_schema()::regnamespace AND contype IN ('p', 'u', 'f', 'c')",
            "SELECT tablename::text AS t, 'index' AS c, indexname::text AS n, ''::text AS ty, NULL::text AS d FROM pg_indexes \
             WHERE schemaname = current_schema() \
             AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE connamespace = current_schema()::regnamespace)",
        ],
        Backend::Mysql => &[
            "SELECT TABLE_NAME AS t, 'constraint' AS c, CONSTRAINT_NAME AS n, '' AS ty, NULL AS d FROM information_schema.TABLE_CONSTRAINTS \
             WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_TYPE <> 'PRIMARY KEY'",
            "SELECT DISTINCT TABLE_NAME AS t, 'index' AS c, INDEX_NAME AS n, '' AS ty, NULL AS d FROM information_schema.STATISTICS \
             WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY'",
        ],
    }
}

/// The catalog of `backend`, with `load` running its queries.
fn read(backend: Backend, load: &mut dyn FnMut(&str) -> Result<Vec<Row>>) -> Result<Catalog> {
    let mut tables: Vec<Table> = Vec::new();
    for row in load(columns_sql(backend))? {
        let table = match tables.iter().position(|t| t.name == row.t) {
            Some(at) => &mut tables[at],
            None => {
                tables.push(Table { name: row.t.clone(), ..Table::default() });
                tables.last_mut().expect("pushed above")
            }
        };
        table.columns.push(Column { name: row.c, sql_type: row.ty, nullable: row.n == "0", default: row.d });
    }
    for query in names_sql(backend) {
        for row in load(query)? {
            let Some(table) = tables.iter_mut().find(|t| t.name == row.t) else { continue };
            match row.c.as_str() {
                "index" => table.indexes.push(row.n),
                "constraint" => table.constraints.push(row.n),
                // SQLite keeps constraint names only in the table's SQL.
                _ => {
                    let mut rest = row.n.as_str();
                    while let Some(at) = rest.find("CONSTRAINT \"") {
                        rest = &rest[at + 12..];
                        let end = rest.find('"').unwrap_or(rest.len());
                        table.constraints.push(rest[..end].to_owned());
                        rest = &rest[end..];
                    }
                }
            }
        }
    }
    for table in &mut tables {
        table.constraints.sort();
        table.constraints.dedup();
        table.indexes.sort();
        table.indexes.dedup();
    }
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Catalog { tables })
}
