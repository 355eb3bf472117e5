//! One way a live database differs from its schema, as [`differences`]
//! reports it, with the one-line message `quarry check` prints.
//!
//! [`differences`]: super::differences

use std::fmt;

/// One difference between a database and a schema. Table names are the
/// schema's, qualified (`auth.accounts`) for a PostgreSQL table in a schema
/// of its own. Where a variant holds both sides, `database` is what the
/// catalog says and `schema` what the schema's DDL would make, each in the
/// form its message shows.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Difference {
    /// A table of the schema is not in the database.
    MissingTable { table: String },
    /// A table of the database is not in the schema (quarry's own
    /// `quarry_migrations` aside).
    ExtraTable { table: String },
    /// A column of the schema is not in the database.
    MissingColumn { table: String, column: String },
    /// A column of the database is not in the schema.
    ExtraColumn { table: String, column: String },
    /// A column takes NULL on one side only; `database` says whether it
    /// does in the database.
    Nullability { table: String, column: String, database: bool },
    /// A column's type: the catalog's spelling and the schema's DDL.
    Type { table: String, column: String, database: String, schema: String },
    /// A column's server default, compared as normalised SQL: the
    /// catalog's text and the schema's DDL, `None` for no default.
    Default { table: String, column: String, database: Option<String>, schema: Option<String> },
    /// A column's comment.
    ColumnComment { table: String, column: String, database: Option<String>, schema: Option<String> },
    /// A table's comment.
    TableComment { table: String, database: Option<String>, schema: Option<String> },
    /// The primary key's columns, as `(a, b)`.
    PrimaryKey { table: String, database: String, schema: String },
    /// A constraint or index the schema names is not in the database.
    MissingConstraint { table: String, name: String },
    /// A named constraint or index of the database is not in the schema.
    ExtraConstraint { table: String, name: String },
    /// An unnamed constraint (SQLite's CHECK on an enum column, or one
    /// written by hand), as `CHECK (...)`, `UNIQUE (...)` or `FOREIGN KEY
    /// ...`, is in the database only or, when `in_database` is false, in
    /// the schema only.
    Unnamed { table: String, definition: String, in_database: bool },
    /// A unique constraint of the same name over other columns, as `(a, b)`.
    Unique { table: String, name: String, database: String, schema: String },
    /// An index of the same name over other columns, in another order, or
    /// unique on one side only, as `UNIQUE (a, b)` or `(a, b)`.
    Index { table: String, name: String, database: String, schema: String },
    /// A foreign key of the same name with other columns, another
    /// referenced table or other actions, as `(a) REFERENCES t (id) ON
    /// DELETE CASCADE` (an action is shown unless it is `NO ACTION`, or on
    /// MySQL `RESTRICT` or `SET DEFAULT`, which are the same there).
    ForeignKey { table: String, name: String, database: String, schema: String },
    /// A CHECK constraint of the same name with another condition: the
    /// catalog's text and the schema's.
    Check { table: String, name: String, database: String, schema: String },
}

/// `DEFAULT x`, or `no default`.
fn default(value: &Option<String>) -> String {
    value.as_ref().map_or_else(|| "no default".to_owned(), |sql| format!("DEFAULT {sql}"))
}

/// `comment 'x'`, or `no comment`.
fn comment(value: &Option<String>) -> String {
    value.as_ref().map_or_else(|| "no comment".to_owned(), |text| format!("comment {text:?}"))
}

fn nullable(value: bool) -> &'static str {
    if value {
        "nullable"
    } else {
        "NOT NULL"
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Difference::*;
        match self {
            MissingTable { table } => write!(f, "table {table} is missing from the database"),
            ExtraTable { table } => write!(f, "table {table} is in the database but not in the schema"),
            MissingColumn { table, column } => write!(f, "column {table}.{column} is missing from the database"),
            ExtraColumn { table, column } => {
                write!(f, "column {table}.{column} is in the database but not in the schema")
            }
            Nullability { table, column, database } => write!(
                f,
                "column {table}.{column} is {} in the database, {} in the schema",
                nullable(*database),
                nullable(!database)
            ),
            Type { table, column, database, schema } => {
                write!(f, "column {table}.{column} is {database} in the database, {schema} in the schema")
            }
            Default { table, column, database, schema } => write!(
                f,
                "column {table}.{column} has {} in the database, {} in the schema",
                default(database),
                default(schema)
            ),
            ColumnComment { table, column, database, schema } => write!(
                f,
                "column {table}.{column} has {} in the database, {} in the schema",
                comment(database),
                comment(schema)
            ),
            TableComment { table, database, schema } => {
                write!(f, "table {table} has {} in the database, {} in the schema", comment(database), comment(schema))
            }
            PrimaryKey { table, database, schema } => {
                write!(f, "the primary key of {table} is {database} in the database, {schema} in the schema")
            }
            MissingConstraint { table, name } => {
                write!(f, "constraint or index {name} on {table} is missing from the database")
            }
            ExtraConstraint { table, name } => {
                write!(f, "constraint or index {name} on {table} is in the database but not in the schema")
            }
            Unnamed { table, definition, in_database: true } => {
                write!(f, "unnamed constraint {definition} on {table} is in the database but not in the schema")
            }
            Unnamed { table, definition, in_database: false } => {
                write!(f, "unnamed constraint {definition} on {table} is missing from the database")
            }
            Unique { table, name, database, schema } => {
                write!(f, "unique constraint {name} on {table} is {database} in the database, {schema} in the schema")
            }
            Index { table, name, database, schema } => {
                write!(f, "index {name} on {table} is {database} in the database, {schema} in the schema")
            }
            ForeignKey { table, name, database, schema } => {
                write!(f, "foreign key {name} on {table} is {database} in the database, {schema} in the schema")
            }
            Check { table, name, database, schema } => write!(
                f,
                "check constraint {name} on {table} is CHECK ({database}) in the database, CHECK ({schema}) in the schema"
            ),
        }
    }
}
