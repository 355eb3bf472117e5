//! `create_all` builds exactly what `METADATA` describes: after creating the
//! demo schema, the database's own catalog (PRAGMA on SQLite,
//! information_schema and pg_catalog elsewhere) shows every declared column
//! with its type, nullability and default, and every primary key, unique
//! constraint, index, foreign key (with its ON DELETE) and check constraint.
//! `drop_all` removes it all again, and the pair can be repeated.

use crate::common;

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};
use quarry::metadata::db::{Column, FkAction, ServerDefault, SqlType, Table};

use crate::schema;

/// Five text cells: every catalog query below selects `a` to `e`.
#[derive(QueryableByName, Debug)]
struct Row {
    #[diesel(sql_type = Nullable<Text>)]
    a: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    b: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    c: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    d: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    e: Option<String>,
}

impl Row {
    fn a(&self) -> String {
        self.a.clone().unwrap_or_default()
    }
    fn b(&self) -> String {
        self.b.clone().unwrap_or_default()
    }
    fn c(&self) -> String {
        self.c.clone().unwrap_or_default()
    }
}

/// One table as the database describes it.
#[derive(Debug, Default)]
struct Found {
    /// name → (type, nullable, default, autoincrement, comment)
    columns: BTreeMap<String, FoundColumn>,
    primary_key: Vec<String>,
    /// Column lists of unique constraints, and their names where the backend keeps them.
    uniques: Vec<(Option<String>, Vec<String>)>,
    /// name → (columns, unique)
    indexes: BTreeMap<String, (Vec<String>, bool)>,
    foreign_keys: Vec<FoundForeignKey>,
    checks: Vec<String>,
    comment: Option<String>,
}

#[derive(Debug, Default, Clone)]
struct FoundColumn {
    ty: String,
    nullable: bool,
    default: Option<String>,
    autoincrement: bool,
    comment: Option<String>,
}

#[derive(Debug)]
struct FoundForeignKey {
    name: Option<String>,
    columns: Vec<String>,
    ref_table: String,
    ref_columns: Vec<String>,
    on_delete: String,
}

/// What a backend's catalog says about one table.
trait Catalog {
    const BACKEND: &'static str;
    fn rows(&mut self, sql: &str) -> Vec<Row>;
    fn table_names(&mut self) -> Vec<String>;
    fn describe(&mut self, table: &str) -> Found;
}

fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[cfg(feature = "sqlite")]
impl Catalog for diesel::SqliteConnection {
    const BACKEND: &'static str = "sqlite";

    fn rows(&mut self, sql: &str) -> Vec<Row> {
        diesel::sql_query(sql).load(self).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    fn table_names(&mut self) -> Vec<String> {
        self.rows("SELECT name AS a, NULL AS b, NULL AS c, NULL AS d, NULL AS e FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            .iter()
            .map(Row::a)
            .collect()
    }

    fn describe(&mut self, table: &str) -> Found {
        let t = lit(table);
        let mut found = Found::default();
        let sql = self.rows(&format!(
            "SELECT sql AS a, NULL AS b, NULL AS c, NULL AS d, NULL AS e FROM sqlite_master WHERE name = {t}"
        ))[0]
            .a();
        let mut key: Vec<(i64, String)> = Vec::new();
        for row in self.rows(&format!(
            "SELECT name AS a, type AS b, CAST(\"notnull\" AS TEXT) AS c, dflt_value AS d, CAST(pk AS TEXT) AS e FROM pragma_table_info({t}) ORDER BY cid"
        )) {
            let pk: i64 = row.e.as_deref().unwrap_or("0").parse().unwrap();
            if pk > 0 {
                key.push((pk, row.a()));
            }
            let ty = row.b().to_lowercase();
            found.columns.insert(
                row.a(),
                FoundColumn { autoincrement: false, nullable: row.c() == "0", default: row.d.clone(), comment: None, ty },
            );
        }
        key.sort();
        found.primary_key = key.into_iter().map(|(_, c)| c).collect();
        // A lone INTEGER primary key is the rowid: SQLite generates it.
        if let [only] = found.primary_key.as_slice() {
            let column = found.columns.get_mut(only).unwrap();
            column.autoincrement = column.ty == "integer";
        }
        for index in self.rows(&format!(
            "SELECT name AS a, origin AS b, CAST(\"unique\" AS TEXT) AS c, NULL AS d, NULL AS e FROM pragma_index_list({t})"
        )) {
            let columns: Vec<String> = self
                .rows(&format!(
                    "SELECT name AS a, NULL AS b, NULL AS c, NULL AS d, NULL AS e FROM pragma_index_info({}) ORDER BY seqno",
                    lit(&index.a())
                ))
                .iter()
                .map(Row::a)
                .collect();
            match index.b().as_str() {
                // SQLite keeps no names for unique constraints: the table's SQL does.
                "u" => found.uniques.push((None, columns)),
                "c" => {
                    found.indexes.insert(index.a(), (columns, index.c() == "1"));
                }
                _ => {}
            }
        }
        let mut fks: BTreeMap<String, FoundForeignKey> = BTreeMap::new();
        for row in self.rows(&format!(
            "SELECT CAST(id AS TEXT) AS a, \"table\" AS b, \"from\" AS c, \"to\" AS d, on_delete AS e FROM pragma_foreign_key_list({t}) ORDER BY id, seq"
        )) {
            let fk = fks.entry(row.a()).or_insert_with(|| FoundForeignKey {
                name: None,
                columns: Vec::new(),
                ref_table: row.b(),
                ref_columns: Vec::new(),
                on_delete: row.e.clone().unwrap_or_default(),
            });
            fk.columns.push(row.c());
            fk.ref_columns.push(row.d.clone().unwrap_or_default());
        }
        found.foreign_keys = fks.into_values().collect();
        // Constraint names survive only in the CREATE TABLE text.
        found.checks = names_in(&sql, "CHECK");
        let unique_names = names_in(&sql, "UNIQUE");
        for (name, _) in found.uniques.iter_mut() {
            *name = None;
        }
        found.uniques.extend(unique_names.into_iter().map(|n| (Some(n), Vec::new())));
        for fk_name in names_in(&sql, "FOREIGN KEY") {
            found.checks.push(format!("fk:{fk_name}"));
        }
        found
    }
}

/// Names of `CONSTRAINT "name" <kind>` clauses in a CREATE TABLE statement.
#[cfg(feature = "sqlite")]
fn names_in(sql: &str, kind: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = sql;
    while let Some(at) = rest.find("CONSTRAINT \"") {
        rest = &rest[at + "CONSTRAINT \"".len()..];
        let end = rest.find('"').unwrap();
        let name = rest[..end].to_owned();
        if rest[end + 1..].trim_start().starts_with(kind) {
            names.push(name);
        }
        rest = &rest[end + 1..];
    }
    names
}

#[cfg(feature = "postgres")]
impl Catalog for diesel::PgConnection {
    const BACKEND: &'static str = "postgres";

    fn rows(&mut self, sql: &str) -> Vec<Row> {
        diesel::sql_query(sql).load(self).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    fn table_names(&mut self) -> Vec<String> {
        self.rows("SELECT table_name::text AS a, NULL::text AS b, NULL::text AS c, NULL::text AS d, NULL::text AS e FROM information_schema.tables WHERE table_schema = current_schema()")
            .iter()
            .map(Row::a)
            .collect()
    }

    fn describe(&mut self, table: &str) -> Found {
        let t = lit(table);
        let oid = format!(
            "(SELECT c.oid FROM pg_class c WHERE c.relname = {t} AND c.relnamespace = current_schema()::regnamespace)"
        );
        let mut found = Found::default();
        for row in self.rows(&format!(
            "SELECT a.attname::text AS a, format_type(a.atttypid, a.atttypmod) AS b, \
             CASE WHEN a.attnotnull THEN '0' ELSE '1' END AS c, pg_get_expr(d.adbin, d.adrelid) AS d, \
             CASE WHEN a.attidentity <> '' THEN 'identity' ELSE '' END || '|' || coalesce(col_description(a.attrelid, a.attnum), '') AS e \
             FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
             WHERE a.attrelid = {oid} AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum"
        )) {
            let extra = row.e.clone().unwrap_or_default();
            let (identity, comment) = extra.split_once('|').unwrap();
            found.columns.insert(
                row.a(),
                FoundColumn {
                    ty: row.b(),
                    nullable: row.c() == "1",
                    default: row.d.clone(),
                    autoincrement: identity == "identity",
                    comment: (!comment.is_empty()).then(|| comment.to_owned()),
                },
            );
        }
        found.comment = self.rows(&format!("SELECT obj_description({oid}, 'pg_class') AS a, NULL::text AS b, NULL::text AS c, NULL::text AS d, NULL::text AS e"))[0].a.clone();
        // Constraints: name, kind, columns in key order, referenced table and columns, delete rule.
        for row in self.rows(&format!(
            "SELECT con.conname::text AS a, con.contype::text AS b, \
             (SELECT string_agg(att.attname, ',' ORDER BY k.n) FROM unnest(con.conkey) WITH ORDINALITY k(num, n) JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = k.num) AS c, \
             (SELECT string_agg(att.attname, ',' ORDER BY k.n) FROM unnest(con.confkey) WITH ORDINALITY k(num, n) JOIN pg_attribute att ON att.attrelid = con.confrelid AND att.attnum = k.num) AS d, \
             CASE WHEN con.contype = 'f' THEN (SELECT relname::text FROM pg_class WHERE oid = con.confrelid) || '|' || \
               CASE con.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' ELSE 'SET DEFAULT' END END AS e \
             FROM pg_constraint con WHERE con.conrelid = {oid}"
        )) {
            let columns = split(&row.c());
            match row.b().as_str() {
                "p" => found.primary_key = columns,
                "u" => found.uniques.push((Some(row.a()), columns)),
                "c" => found.checks.push(row.a()),
                "f" => {
                    let target = row.e.clone().unwrap_or_default();
                    let (ref_table, on_delete) = target.split_once('|').unwrap();
                    found.foreign_keys.push(FoundForeignKey {
                        name: Some(row.a()),
                        columns,
                        ref_table: ref_table.to_owned(),
                        ref_columns: split(&row.d.clone().unwrap_or_default()),
                        on_delete: on_delete.to_owned(),
                    });
                }
                _ => {}
            }
        }
        for row in self.rows(&format!(
            "SELECT ic.relname::text AS a, CASE WHEN ix.indisunique THEN '1' ELSE '0' END AS b, \
             (SELECT string_agg(att.attname, ',' ORDER BY k.n) FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(num, n) JOIN pg_attribute att ON att.attrelid = ix.indrelid AND att.attnum = k.num) AS c, \
             NULL::text AS d, NULL::text AS e \
             FROM pg_index ix JOIN pg_class ic ON ic.oid = ix.indexrelid \
             WHERE ix.indrelid = {oid} AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid)"
        )) {
            found.indexes.insert(row.a(), (split(&row.c()), row.b() == "1"));
        }
        found
    }
}

#[cfg(feature = "mysql")]
impl Catalog for diesel::MysqlConnection {
    const BACKEND: &'static str = "mysql";

    fn rows(&mut self, sql: &str) -> Vec<Row> {
        diesel::sql_query(sql).load(self).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    fn table_names(&mut self) -> Vec<String> {
        self.rows("SELECT TABLE_NAME AS a, NULL AS b, NULL AS c, NULL AS d, NULL AS e FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()")
            .iter()
            .map(Row::a)
            .collect()
    }

    fn describe(&mut self, table: &str) -> Found {
        let t = lit(table);
        let here = format!("TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {t}");
        let mut found = Found::default();
        for row in self.rows(&format!(
            "SELECT COLUMN_NAME AS a, CONCAT(DATA_TYPE, '|', COLUMN_TYPE) AS b, IS_NULLABLE AS c, COLUMN_DEFAULT AS d, CONCAT(EXTRA, '|', COLUMN_COMMENT) AS e \
             FROM information_schema.COLUMNS WHERE {here} ORDER BY ORDINAL_POSITION"
        )) {
            let extra = row.e.clone().unwrap_or_default();
            let (extra, comment) = extra.split_once('|').unwrap();
            // MariaDB reports "NULL" as the default of a nullable column without one.
            let default = row.d.clone().filter(|d| d != "NULL");
            found.columns.insert(
                row.a(),
                FoundColumn {
                    ty: row.b().to_lowercase(),
                    nullable: row.c() == "YES",
                    default,
                    autoincrement: extra.contains("auto_increment"),
                    comment: (!comment.is_empty()).then(|| comment.to_owned()),
                },
            );
        }
        found.comment = self
            .rows(&format!("SELECT TABLE_COMMENT AS a, NULL AS b, NULL AS c, NULL AS d, NULL AS e FROM information_schema.TABLES WHERE {here}"))
            .first()
            .and_then(|r| r.a.clone())
            .filter(|c| !c.is_empty());
        // Indexes, unique constraints and the primary key all show in STATISTICS.
        let constraints: BTreeMap<String, String> = self
            .rows(&format!("SELECT CONSTRAINT_NAME AS a, CONSTRAINT_TYPE AS b, NULL AS c, NULL AS d, NULL AS e FROM information_schema.TABLE_CONSTRAINTS WHERE {here}"))
            .iter()
            .map(|r| (r.a(), r.b()))
            .collect();
        let mut indexes: BTreeMap<String, (Vec<String>, bool)> = BTreeMap::new();
        for row in self.rows(&format!(
            "SELECT INDEX_NAME AS a, COLUMN_NAME AS b, CAST(NON_UNIQUE AS CHAR) AS c, NULL AS d, NULL AS e FROM information_schema.STATISTICS WHERE {here} ORDER BY INDEX_NAME, SEQ_IN_INDEX"
        )) {
            let entry = indexes.entry(row.a()).or_insert_with(|| (Vec::new(), row.c() == "0"));
            entry.0.push(row.b());
        }
        for (name, (columns, unique)) in indexes {
            match constraints.get(&name).map(String::as_str) {
                Some("PRIMARY KEY") => found.primary_key = columns,
                Some("UNIQUE") => found.uniques.push((Some(name), columns)),
                // InnoDB backs each foreign key with an index of the same name.
                Some("FOREIGN KEY") => {}
                _ => {
                    found.indexes.insert(name, (columns, unique));
                }
            }
        }
        let mut fks: BTreeMap<String, FoundForeignKey> = BTreeMap::new();
        for row in self.rows(&format!(
            "SELECT k.CONSTRAINT_NAME AS a, k.COLUMN_NAME AS b, k.REFERENCED_TABLE_NAME AS c, k.REFERENCED_COLUMN_NAME AS d, r.DELETE_RULE AS e \
             FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r \
             ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME \
             WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME = {t} ORDER BY k.CONSTRAINT_NAME, k.ORDINAL_POSITION"
        )) {
            let fk = fks.entry(row.a()).or_insert_with(|| FoundForeignKey {
                name: Some(row.a()),
                columns: Vec::new(),
                ref_table: row.c(),
                ref_columns: Vec::new(),
                on_delete: row.e.clone().unwrap_or_default(),
            });
            fk.columns.push(row.b());
            fk.ref_columns.push(row.d.clone().unwrap_or_default());
        }
        found.foreign_keys = fks.into_values().collect();
        found.checks = self
            .rows(&format!(
                "SELECT CONSTRAINT_NAME AS a, NULL AS b, NULL AS c, NULL AS d, NULL AS e FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = {t}"
            ))
            .iter()
            .map(Row::a)
            .collect();
        found
    }
}

#[cfg(any(feature = "postgres", feature = "mysql"))]
fn split(list: &str) -> Vec<String> {
    list.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// The type names a backend may report for a column, lower case.
fn expected_types(backend: &str, column: &Column) -> Vec<String> {
    let numeric = |p: Option<u32>, s: Option<u32>, word: &str| match (p, s) {
        (Some(p), Some(s)) => format!("{word}({p},{s})"),
        (Some(p), None) => format!("{word}({p},0)"),
        _ => word.to_owned(),
    };
    let one = |s: &str| vec![s.to_owned()];
    match (backend, column.sql_type.clone()) {
        ("sqlite", _) if column.autoincrement => one("integer"),
        ("sqlite", SqlType::SmallInt) => one("smallint"),
        ("sqlite", SqlType::Integer) => one("integer"),
        ("sqlite", SqlType::BigInt) => one("bigint"),
        ("sqlite", SqlType::Float) => one("real"),
        ("sqlite", SqlType::Double) => vec!["double".into(), "double precision".into()],
        ("sqlite", SqlType::Bool) => one("boolean"),
        ("sqlite", SqlType::Varchar(n)) => one(&format!("varchar({n})")),
        ("sqlite", SqlType::Numeric { precision, scale }) => {
            vec![numeric(precision, scale, "numeric"), numeric(precision, scale, "numeric").replace(',', ", ")]
        }
        ("sqlite", SqlType::Date) => one("date"),
        ("sqlite", SqlType::Time) => one("time"),
        ("sqlite", SqlType::Timestamp) => one("timestamp"),
        ("sqlite", SqlType::Binary) => one("blob"),
        ("sqlite", _) => one("text"),
        ("postgres", SqlType::SmallInt) => one("smallint"),
        ("postgres", SqlType::Integer) => one("integer"),
        ("postgres", SqlType::BigInt) => one("bigint"),
        ("postgres", SqlType::Float) => one("real"),
        ("postgres", SqlType::Double) => one("double precision"),
        ("postgres", SqlType::Bool) => one("boolean"),
        ("postgres", SqlType::Text) => one("text"),
        ("postgres", SqlType::Varchar(n)) => one(&format!("character varying({n})")),
        ("postgres", SqlType::Numeric { precision, scale }) => one(&numeric(precision, scale, "numeric")),
        ("postgres", SqlType::Date) => one("date"),
        ("postgres", SqlType::Time) => one("time without time zone"),
        ("postgres", SqlType::Timestamp) => one("timestamp without time zone"),
        ("postgres", SqlType::TimestampTz) => one("timestamp with time zone"),
        ("postgres", SqlType::Json) => one("json"),
        ("postgres", SqlType::Jsonb) => one("jsonb"),
        ("postgres", SqlType::Binary) => one("bytea"),
        ("postgres", SqlType::Enum(name)) => one(&name),
        // MySQL: "DATA_TYPE|COLUMN_TYPE"; MariaDB stores JSON as LONGTEXT.
        (_, SqlType::SmallInt) => vec!["smallint|smallint".into(), "smallint|smallint(6)".into()],
        (_, SqlType::Integer) => vec!["int|int".into(), "int|int(11)".into()],
        (_, SqlType::BigInt) => vec!["bigint|bigint".into(), "bigint|bigint(20)".into()],
        (_, SqlType::Float) => one("float|float"),
        (_, SqlType::Double) => one("double|double"),
        (_, SqlType::Bool) => vec!["tinyint|tinyint(1)".into()],
        (_, SqlType::Text) => one("text|text"),
        (_, SqlType::Varchar(n)) => one(&format!("varchar|varchar({n})")),
        (_, SqlType::Numeric { precision, scale }) => one(&format!("decimal|{}", numeric(precision, scale, "decimal"))),
        (_, SqlType::Date) => one("date|date"),
        (_, SqlType::Time) => vec!["time|time".into(), "time|time(6)".into()],
        (_, SqlType::Timestamp | SqlType::TimestampTz) => one("datetime|datetime(6)"),
        (_, SqlType::Json | SqlType::Jsonb) => vec!["json|json".into(), "longtext|longtext".into()],
        (_, SqlType::Binary) => one("longblob|longblob"),
        (_, SqlType::Enum(name)) => {
            let values = &schema::METADATA.schema.enum_type(&name).unwrap().values;
            let list: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
            one(&format!("enum|enum({})", list.join(",")))
        }
    }
}

/// Whether a catalog's default text says what the schema declared.
fn default_matches(declared: &ServerDefault, found: &str) -> bool {
    let found = found.to_lowercase();
    match declared {
        ServerDefault::Int(_) | ServerDefault::Float(_) | ServerDefault::Bool(_) | ServerDefault::Str(_) => {
            let text = match declared {
                ServerDefault::Int(v) => v.to_string(),
                ServerDefault::Float(v) => v.to_string(),
                ServerDefault::Bool(v) => v.to_string(),
                ServerDefault::Str(v) => v.to_lowercase(),
                _ => unreachable!(),
            };
            let bool_as_int = match text.as_str() {
                "true" => "1",
                "false" => "0",
                _ => "\u{0}",
            };
            found.contains(&text) || found.trim_matches(|c| c == '\'' || c == '(' || c == ')') == bool_as_int
        }
        ServerDefault::CurrentTimestamp => found.contains("current_timestamp") || found.contains("now()"),
        ServerDefault::CurrentDate => found.contains("current_date") || found.contains("curdate()"),
        ServerDefault::Sql(_) => !found.is_empty(),
    }
}

fn on_delete_matches(declared: Option<FkAction>, found: &str) -> bool {
    match declared {
        None | Some(FkAction::NoAction) => found == "NO ACTION" || found == "RESTRICT",
        Some(FkAction::Restrict) => found == "RESTRICT",
        Some(FkAction::Cascade) => found == "CASCADE",
        Some(FkAction::SetNull) => found == "SET NULL",
        Some(FkAction::SetDefault) => found == "SET DEFAULT",
    }
}

/// Asserts that `found` is what `table` declares on `backend`.
fn assert_table(backend: &str, table: &Table, found: &Found) {
    let name = &table.name;
    assert_eq!(found.columns.len(), table.columns.len(), "{backend}: {name}: columns {:?}", found.columns.keys());
    for column in table.columns.iter() {
        let got =
            found.columns.get(&*column.name).unwrap_or_else(|| panic!("{backend}: {name}.{} is missing", column.name));
        let want = expected_types(backend, column);
        assert!(
            want.contains(&got.ty),
            "{backend}: {name}.{}: type {:?}, expected one of {want:?}",
            column.name,
            got.ty
        );
        assert_eq!(got.nullable, column.nullable, "{backend}: {name}.{} nullability", column.name);
        assert_eq!(got.autoincrement, column.autoincrement, "{backend}: {name}.{} autoincrement", column.name);
        match (&column.server_default, &got.default) {
            (Some(declared), Some(found)) => {
                assert!(
                    default_matches(declared, found),
                    "{backend}: {name}.{}: default {found:?}, declared {declared:?}",
                    column.name
                )
            }
            (None, None) => {}
            (declared, found) => panic!("{backend}: {name}.{}: default {found:?}, declared {declared:?}", column.name),
        }
        if backend != "sqlite" {
            assert_eq!(got.comment.as_deref(), column.comment.as_deref(), "{backend}: {name}.{} comment", column.name);
        }
    }
    if backend != "sqlite" {
        assert_eq!(found.comment.as_deref(), table.comment.as_deref(), "{backend}: {name} comment");
    }
    assert_eq!(found.primary_key, names(&table.primary_key), "{backend}: {name} primary key");

    let unique_columns: Vec<&Vec<String>> = found.uniques.iter().map(|(_, c)| c).filter(|c| !c.is_empty()).collect();
    assert_eq!(unique_columns.len(), table.uniques.len(), "{backend}: {name} uniques {:?}", found.uniques);
    for unique in table.uniques.iter() {
        assert!(
            unique_columns.iter().any(|c| **c == names(&unique.columns)),
            "{backend}: {name}: unique {:?} missing",
            unique.columns
        );
        assert!(
            found.uniques.iter().any(|(n, _)| n.as_deref() == Some(&*unique.name)),
            "{backend}: {name}: unique constraint {} missing in {:?}",
            unique.name,
            found.uniques
        );
    }

    assert_eq!(found.indexes.len(), table.indexes.len(), "{backend}: {name} indexes {:?}", found.indexes);
    for index in table.indexes.iter() {
        let (columns, unique) =
            found.indexes.get(&*index.name).unwrap_or_else(|| panic!("{backend}: index {} missing", index.name));
        assert_eq!(columns, &names(&index.columns), "{backend}: index {} columns", index.name);
        assert_eq!(*unique, index.unique, "{backend}: index {} uniqueness", index.name);
    }

    assert_eq!(
        found.foreign_keys.len(),
        table.foreign_keys.len(),
        "{backend}: {name} foreign keys {:?}",
        found.foreign_keys
    );
    for fk in table.foreign_keys.iter() {
        let got = found
            .foreign_keys
            .iter()
            .find(|f| f.columns == names(&fk.columns))
            .unwrap_or_else(|| panic!("{backend}: {name}: foreign key {} missing", fk.name));
        assert_eq!(got.ref_table, fk.ref_table, "{backend}: {} target", fk.name);
        assert_eq!(got.ref_columns, names(&fk.ref_columns), "{backend}: {} target columns", fk.name);
        assert!(on_delete_matches(fk.on_delete, &got.on_delete), "{backend}: {} on delete {}", fk.name, got.on_delete);
        match &got.name {
            Some(found_name) => assert_eq!(found_name, &fk.name, "{backend}: foreign key name"),
            None => {
                assert!(found.checks.contains(&format!("fk:{}", fk.name)), "{backend}: foreign key {} unnamed", fk.name)
            }
        }
    }
    for check in table.checks.iter() {
        assert!(
            found.checks.iter().any(|c| *c == check.name),
            "{backend}: {name}: check {} missing in {:?}",
            check.name,
            found.checks
        );
    }
}

/// Owned copies of a list of names, to compare with what a catalog returns.
fn names(list: &[quarry::metadata::Str]) -> Vec<String> {
    list.iter().map(|n| n.to_string()).collect()
}

fn assert_schema<C: Catalog>(conn: &mut C) {
    let mut tables = conn.table_names();
    tables.sort();
    let mut declared: Vec<String> = schema::METADATA.schema.tables.iter().map(|t| t.name.to_string()).collect();
    declared.sort();
    assert_eq!(tables, declared, "{}: tables", C::BACKEND);
    for table in schema::METADATA.schema.tables.iter() {
        let found = conn.describe(&table.name);
        assert_table(C::BACKEND, table, &found);
    }
}

common::backend_tests! {
    fn create_all_builds_what_metadata_declares(conn) {
        schema::create_all(conn).expect("create_all");
        assert_schema(conn);
    }

    fn drop_all_removes_everything_and_create_all_runs_again(conn) {
        schema::create_all(conn).expect("create_all");
        schema::drop_all(conn).expect("drop_all");
        assert_eq!(conn.table_names(), Vec::<String>::new());
        schema::drop_all(conn).expect("drop_all on an empty database");
        schema::create_all(conn).expect("create_all after drop_all");
        assert_schema(conn);
    }

    fn create_all_on_existing_tables_fails_and_keeps_them(conn) {
        schema::create_all(conn).expect("create_all");
        let error = schema::create_all(conn).expect_err("tables exist already");
        assert!(matches!(error, quarry::Error::Ddl { .. }), "{error}");
        assert_schema(conn);
    }
}
