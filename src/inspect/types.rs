//! How a catalog's spelling of a column type compares with the type the
//! schema's DDL declares: `character varying(50)` is `VARCHAR(50)` on
//! PostgreSQL, `int(11)` is `INT` and `tinyint(1)` is `BOOL` on MySQL.

use crate::engine::Backend;
use crate::metadata::db::{Column, Schema};

/// Whether the catalog's `found` type is the one the schema's DDL gives
/// `column`.
pub(super) fn same_type(backend: Backend, found: &str, schema: &Schema, column: &Column) -> bool {
    fold(found) == expected(backend, schema, column)
}

/// A type name folded for comparison: lower case and without spaces or
/// double quotes outside string literals (an enum's values keep theirs),
/// and without MySQL's integer display widths.
fn fold(ty: &str) -> String {
    let mut in_string = false;
    let mut folded = String::with_capacity(ty.len());
    for c in ty.chars() {
        if c == '\'' {
            in_string = !in_string;
        }
        if in_string || c == '\'' {
            folded.push(c);
        } else if !c.is_whitespace() && c != '"' {
            folded.extend(c.to_lowercase());
        }
    }
    // MariaDB keeps JSON as LONGTEXT (quarry never declares LONGTEXT itself).
    if folded == "longtext" {
        return "json".to_owned();
    }
    for int in ["tinyint", "smallint", "bigint", "int"] {
        if let Some(width) = folded.strip_prefix(int).filter(|rest| rest.starts_with('(')) {
            if int == "tinyint" && width == "(1)" {
                return "bool".to_owned();
            }
            return int.to_owned();
        }
    }
    folded
}

/// The type the schema's DDL gives `column`, spelled as the backend's
/// catalog reports it, folded by [`fold`].
fn expected(backend: Backend, schema: &Schema, column: &Column) -> String {
    let ddl = fold(&backend.column_type(schema, column));
    match backend {
        Backend::Sqlite => ddl,
        Backend::Postgres => match ddl.as_str() {
            "time" => "timewithouttimezone".to_owned(),
            "timestamp" => "timestampwithouttimezone".to_owned(),
            "timestamptz" => "timestampwithtimezone".to_owned(),
            other => other.replace("varchar", "charactervarying"),
        },
        Backend::Mysql => match ddl.as_str() {
            "numeric" => "decimal(10,0)".to_owned(),
            other if other.starts_with("numeric") => other.replacen("numeric", "decimal", 1),
            other => other.to_owned(),
        },
    }
}
