//! MySQL's and MariaDB's catalog: `information_schema`, for the tables of
//! `DATABASE()`.
//!
//! The two differ in how they report defaults: MariaDB (10.2.7 and later)
//! writes SQL, quoting string literals (`'x'`, `current_timestamp(6)`,
//! `NULL` for none); MySQL 8 writes a literal's bare value and marks
//! expressions with `DEFAULT_GENERATED`, so quarry quotes its literals
//! itself. MariaDB keeps CHECK constraints per table and checks every JSON
//! column with one named after it (`json_valid(`col`)`); MySQL 8 keeps
//! their names per database. quarry's tests run on MariaDB.

use super::read::{comment, foreign_key, grouped, index, select, text, Load, Tables};
use super::{Catalog, Check, Column, PrimaryKey, Unique};
use crate::error::Result;

/// The catalog of the current database (`namespaces` are PostgreSQL's).
pub(super) fn read(load: &mut Load<'_>, _namespaces: &[&str]) -> Result<Catalog> {
    let mariadb = load(&format!("SELECT {}", select(&["VERSION()"], "NULL")))?
        .first()
        .is_some_and(|row| row.t.to_ascii_lowercase().contains("mariadb"));
    let mut tables = Tables::default();

    // (a) comment
    let sql = format!(
        "SELECT {} FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'",
        select(&["TABLE_NAME", "NULL", "TABLE_COMMENT"], "NULL")
    );
    for row in load(&sql)? {
        tables.get(None, &row.t).comment = comment(row.a);
    }

    // (a) name, (b) '1' when NOT NULL, (c) type, (d) default, (e) comment,
    // (f) extra (`auto_increment`, `DEFAULT_GENERATED`), (g) data type
    let sql = format!(
        "SELECT {} FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION",
        select(
            &[
                "TABLE_NAME",
                "NULL",
                "COLUMN_NAME",
                "IF(IS_NULLABLE = 'NO', '1', '0')",
                "COLUMN_TYPE",
                "COLUMN_DEFAULT",
                "COLUMN_COMMENT",
                "EXTRA",
                "DATA_TYPE",
            ],
            "NULL"
        )
    );
    for row in load(&sql)? {
        let default = default(mariadb, row.d.clone(), &text(&row.f), &text(&row.g));
        let Some(table) = tables.of(&row) else { continue };
        table.columns.push(Column {
            name: text(&row.a),
            nullable: row.b.as_deref() != Some("1"),
            sql_type: text(&row.c),
            default,
            comment: comment(row.e),
        });
    }

    // One row per key column: (a) name, (b) kind p/u/f, (c) column, (d)
    // position, then for foreign keys (e) the referenced column, (f) table,
    // (g) its database when not this one, (h) ON DELETE, (i) ON UPDATE.
    let sql = format!(
        "SELECT {} FROM information_schema.TABLE_CONSTRAINTS tc \
         JOIN information_schema.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA \
             AND k.TABLE_NAME = tc.TABLE_NAME AND k.CONSTRAINT_NAME = tc.CONSTRAINT_NAME \
         LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS rc ON rc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA \
             AND rc.TABLE_NAME = tc.TABLE_NAME AND rc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME \
         WHERE tc.CONSTRAINT_SCHEMA = DATABASE() AND tc.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY') \
         ORDER BY 1, 3, k.ORDINAL_POSITION",
        select(
            &[
                "tc.TABLE_NAME",
                "NULL",
                "tc.CONSTRAINT_NAME",
                "CASE tc.CONSTRAINT_TYPE WHEN 'PRIMARY KEY' THEN 'p' WHEN 'UNIQUE' THEN 'u' ELSE 'f' END",
                "k.COLUMN_NAME",
                "CAST(k.ORDINAL_POSITION AS CHAR)",
                "k.REFERENCED_COLUMN_NAME",
                "k.REFERENCED_TABLE_NAME",
                "NULLIF(k.REFERENCED_TABLE_SCHEMA, DATABASE())",
                "rc.DELETE_RULE",
                "rc.UPDATE_RULE",
            ],
            "NULL"
        )
    );
    for group in grouped(load(&sql)?) {
        let Some(table) = tables.of(&group[0]) else { continue };
        let (name, columns) = (group[0].a.clone(), group.iter().map(|r| text(&r.c)).collect());
        match group[0].b.as_deref() {
            // Always named PRIMARY.
            Some("p") => table.primary_key = Some(PrimaryKey { name: None, columns }),
            Some("u") => table.uniques.push(Unique { name, columns }),
            _ => table.foreign_keys.push(foreign_key(&group)),
        }
    }

    // (a) name, (b) condition
    let sql = if mariadb {
        format!(
            "SELECT {} FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY 1, 3",
            select(&["TABLE_NAME", "NULL", "CONSTRAINT_NAME", "CHECK_CLAUSE"], "NULL")
        )
    } else {
        format!(
            "SELECT {} FROM information_schema.TABLE_CONSTRAINTS tc \
             JOIN information_schema.CHECK_CONSTRAINTS cc ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA \
                 AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME \
             WHERE tc.CONSTRAINT_SCHEMA = DATABASE() AND tc.CONSTRAINT_TYPE = 'CHECK' ORDER BY 1, 3",
            select(&["tc.TABLE_NAME", "NULL", "tc.CONSTRAINT_NAME", "cc.CHECK_CLAUSE"], "NULL")
        )
    };
    for row in load(&sql)? {
        let Some(table) = tables.of(&row) else { continue };
        table.checks.push(Check { name: row.a, sql: text(&row.b) });
    }

    // One row per indexed column: (a) index, (b) '1' when unique, (c)
    // column, (d) position.
    let sql = format!(
        "SELECT {} FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY' \
         ORDER BY 1, 3, SEQ_IN_INDEX",
        select(
            &[
                "TABLE_NAME",
                "NULL",
                "INDEX_NAME",
                "IF(NON_UNIQUE = 0, '1', '0')",
                "COLUMN_NAME",
                "CAST(SEQ_IN_INDEX AS CHAR)"
            ],
            "NULL"
        )
    );
    for group in grouped(load(&sql)?) {
        let Some(table) = tables.of(&group[0]) else { continue };
        table.indexes.push(index(&group));
    }
    Ok(tables.finish())
}

/// A column's default as SQL. MariaDB reports SQL already (`NULL` for
/// none); MySQL 8 reports a literal's bare value, which is quoted here
/// unless the column is numeric, and an expression as SQL
/// (`DEFAULT_GENERATED`).
fn default(mariadb: bool, reported: Option<String>, extra: &str, data_type: &str) -> Option<String> {
    let value = reported?;
    if mariadb {
        return (value != "NULL").then_some(value);
    }
    let numeric = matches!(
        data_type.to_ascii_lowercase().as_str(),
        "tinyint" | "smallint" | "mediumint" | "int" | "bigint" | "decimal" | "float" | "double" | "bit" | "year"
    );
    if numeric || extra.to_ascii_uppercase().contains("DEFAULT_GENERATED") {
        Some(value)
    } else {
        Some(format!("'{}'", value.replace('\\', "\\\\").replace('\'', "''")))
    }
}
