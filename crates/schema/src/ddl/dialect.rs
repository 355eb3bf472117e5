//! How each backend spells identifiers, literals, types and defaults.

use crate::db::{Column, Enum, Schema, ServerDefault, SqlType, Table};
use crate::Backend;

impl Backend {
    /// `name` quoted as an identifier: `"name"`, or `` `name` `` on MySQL.
    pub fn quote(self, name: &str) -> String {
        match self {
            Backend::Mysql => format!("`{}`", name.replace('`', "``")),
            Backend::Sqlite | Backend::Postgres => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// `text` as a string literal. MySQL also reads backslash escapes in
    /// literals, so backslashes are doubled there.
    pub fn string(self, text: &str) -> String {
        let text = text.replace('\'', "''");
        match self {
            Backend::Mysql => format!("'{}'", text.replace('\\', "\\\\")),
            Backend::Sqlite | Backend::Postgres => format!("'{text}'"),
        }
    }

    /// The table's name as statements write it: schema-qualified on
    /// PostgreSQL when the table has a schema.
    pub fn table_name(self, table: &Table) -> String {
        match (&table.schema, self) {
            (Some(schema), Backend::Postgres) => {
                format!("{}.{}", self.quote(schema), self.quote(&table.name))
            }
            _ => self.quote(&table.name),
        }
    }

    /// The SQL type of a column (without NULL-ness).
    pub fn column_type(self, schema: &Schema, column: &Column) -> String {
        use Backend::*;
        let numeric = |p: Option<u32>, s: Option<u32>| match (p, s) {
            (Some(p), s) => format!("NUMERIC({p}, {})", s.unwrap_or(0)),
            // MySQL's bare NUMERIC is DECIMAL(10, 0), which drops every
            // fraction; take its widest exact form instead.
            (None, _) if self == Mysql => "NUMERIC(65, 30)".to_owned(),
            (None, _) => "NUMERIC".to_owned(),
        };
        match (self, &column.sql_type) {
            // A lone INTEGER PRIMARY KEY is SQLite's rowid: generated on insert.
            (Sqlite, _) if column.autoincrement => "INTEGER".to_owned(),
            (_, SqlType::SmallInt) => "SMALLINT".to_owned(),
            (Mysql, SqlType::Integer) => "INT".to_owned(),
            (_, SqlType::Integer) => "INTEGER".to_owned(),
            (_, SqlType::BigInt) => "BIGINT".to_owned(),
            (Mysql, SqlType::Float) => "FLOAT".to_owned(),
            (_, SqlType::Float) => "REAL".to_owned(),
            (Postgres, SqlType::Double) => "DOUBLE PRECISION".to_owned(),
            (_, SqlType::Double) => "DOUBLE".to_owned(),
            (Mysql, SqlType::Bool) => "BOOL".to_owned(),
            (_, SqlType::Bool) => "BOOLEAN".to_owned(),
            (_, SqlType::Text) => "TEXT".to_owned(),
            (_, SqlType::Varchar(n)) => format!("VARCHAR({n})"),
            (_, SqlType::Numeric { precision, scale }) => numeric(*precision, *scale),
            (_, SqlType::Date) => "DATE".to_owned(),
            (Mysql, SqlType::Time) => "TIME(6)".to_owned(),
            (_, SqlType::Time) => "TIME".to_owned(),
            (Mysql, SqlType::Timestamp | SqlType::TimestampTz) => "DATETIME(6)".to_owned(),
            (_, SqlType::Timestamp) => "TIMESTAMP".to_owned(),
            // SQLite: a declared type naming no known affinity would be
            // NUMERIC and turn numeric-looking text into numbers; TEXT keeps it.
            (Sqlite, SqlType::TimestampTz | SqlType::Json | SqlType::Jsonb) => "TEXT".to_owned(),
            (_, SqlType::TimestampTz) => "TIMESTAMPTZ".to_owned(),
            (Postgres, SqlType::Jsonb) => "JSONB".to_owned(),
            (_, SqlType::Json | SqlType::Jsonb) => "JSON".to_owned(),
            (Sqlite, SqlType::Binary) => "BLOB".to_owned(),
            (Postgres, SqlType::Binary) => "BYTEA".to_owned(),
            (Mysql, SqlType::Binary) => "LONGBLOB".to_owned(),
            (Sqlite, SqlType::Enum(_)) => "TEXT".to_owned(),
            (Postgres, SqlType::Enum(name)) => match schema.enum_type(name) {
                Some(e) => self.enum_type_name(e),
                None => self.quote(name),
            },
            (Mysql, SqlType::Enum(name)) => {
                let values = schema.enum_type(name).map(|e| &e.values[..]).unwrap_or_default();
                let values: Vec<String> = values.iter().map(|v| self.string(v)).collect();
                format!("ENUM({})", values.join(", "))
            }
        }
    }

    /// A PostgreSQL enum type's qualified, quoted name.
    pub fn enum_type_name(self, e: &Enum) -> String {
        match &e.schema {
            Some(schema) => format!("{}.{}", self.quote(schema), self.quote(&e.name)),
            None => self.quote(&e.name),
        }
    }

    /// The `DEFAULT ...` clause's expression.
    pub fn default_value(self, column: &Column, default: &ServerDefault) -> String {
        // MySQL allows only expressions as defaults of TEXT, BLOB and JSON.
        let needs_parens = self == Backend::Mysql
            && matches!(column.sql_type, SqlType::Text | SqlType::Binary | SqlType::Json | SqlType::Jsonb);
        let literal = |text: String| {
            if needs_parens {
                format!("({text})")
            } else {
                text
            }
        };
        match default {
            ServerDefault::Int(v) => literal(v.to_string()),
            ServerDefault::Float(v) => literal(v.to_string()),
            ServerDefault::Bool(v) => literal(if *v { "TRUE" } else { "FALSE" }.to_owned()),
            ServerDefault::Str(v) => literal(self.string(v)),
            ServerDefault::CurrentTimestamp => match self {
                Backend::Mysql => "CURRENT_TIMESTAMP(6)".to_owned(),
                _ => "CURRENT_TIMESTAMP".to_owned(),
            },
            ServerDefault::CurrentDate => match self {
                Backend::Mysql => "(CURRENT_DATE)".to_owned(),
                _ => "CURRENT_DATE".to_owned(),
            },
            ServerDefault::Sql(sql) => format!("({sql})"),
        }
    }

    /// Whether an index or key over this column needs a prefix length
    /// (MySQL cannot index TEXT and BLOB whole).
    pub fn needs_prefix(self, column: &Column) -> bool {
        self == Backend::Mysql && matches!(column.sql_type, SqlType::Text | SqlType::Binary)
    }
}
