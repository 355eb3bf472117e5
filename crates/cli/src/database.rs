//! Commands that run against a database, on whichever backend its URL names.

use quarry::migrate::{self, applied, revert_last, run_pending, Migration};
use quarry::AnyEngine;

pub fn url(given: Option<String>) -> Result<String, String> {
    given
        .or_else(|| std::env::var("DATABASE_URL").ok())
        .ok_or_else(|| "no database: pass --url or set DATABASE_URL".to_owned())
}

fn engine(url: &str) -> Result<AnyEngine, String> {
    AnyEngine::connect_with(url, quarry::engine::EngineBuilder::<()>::default().pool_size(1).max_overflow(0))
        .map_err(|e| e.to_string())
}

/// The migrations up to `target`: `head`, `+N` more than applied, or a version.
fn up_to<'a>(migrations: &'a [Migration], applied: &[String], target: &str) -> Result<Vec<Migration>, String> {
    let pending = migrations.iter().filter(|m| !applied.contains(&m.version.to_owned()));
    let chosen: Vec<&'a Migration> = match target.strip_prefix('+') {
        Some(n) => {
            let n: usize = n.parse().map_err(|_| format!("`{target}`: expected +N"))?;
            let keep: Vec<&str> = pending.take(n).map(|m| m.version).collect();
            migrations.iter().filter(|m| applied.contains(&m.version.to_owned()) || keep.contains(&m.version)).collect()
        }
        None if target == "head" => migrations.iter().collect(),
        None => {
            if !migrations.iter().any(|m| m.version == target) {
                return Err(format!("no revision `{target}`"));
            }
            migrations.iter().filter(|m| m.version <= target).collect()
        }
    };
    Ok(chosen.into_iter().copied().collect())
}

pub fn upgrade(url: &str, migrations: &[Migration], target: &str) -> Result<(), String> {
    let engine = engine(url)?;
    let ran: Vec<&str> = quarry::with_engine!(engine, |engine| {
        let mut conn = engine.connection().map_err(|e| e.to_string())?;
        let done: Vec<String> =
            applied(&mut *conn).map_err(|e| e.to_string())?.into_iter().map(|a| a.version).collect();
        let chosen = up_to(migrations, &done, target)?;
        run_pending(&mut *conn, &chosen).map_err(|e| e.to_string())?
    });
    if ran.is_empty() {
        println!("Nothing to upgrade.");
    }
    for version in ran {
        println!("Applied {version}.");
    }
    Ok(())
}

pub fn downgrade(url: &str, migrations: &[Migration], target: &str) -> Result<(), String> {
    let engine = engine(url)?;
    quarry::with_engine!(engine, |engine| {
        let mut conn = engine.connection().map_err(|e| e.to_string())?;
        loop {
            let done = applied(&mut *conn).map_err(|e| e.to_string())?;
            let Some(last) = done.iter().rev().find(|a| a.complete) else { break };
            let stop = match target {
                "-1" | "base" => false,
                rev => last.version.as_str() <= rev,
            };
            if stop {
                break;
            }
            match revert_last(&mut *conn, migrations).map_err(|e| e.to_string())? {
                Some(version) => println!("Reverted {version}."),
                None => break,
            }
            if target == "-1" {
                break;
            }
        }
    });
    Ok(())
}

pub fn current(url: &str) -> Result<(), String> {
    let engine = engine(url)?;
    let done = quarry::with_engine!(engine, |engine| {
        let mut conn = engine.connection().map_err(|e| e.to_string())?;
        applied(&mut *conn).map_err(|e| e.to_string())?
    });
    match done.last() {
        Some(last) if !last.complete => {
            println!("{} (incomplete: {} statements applied)", last.version, last.statements)
        }
        Some(last) => println!("{}", last.version),
        None => println!("base (nothing applied)"),
    }
    Ok(())
}

pub fn history(url: Option<String>, migrations: &[Migration]) -> Result<(), String> {
    let done: Vec<String> = match url {
        Some(url) => {
            let engine = engine(&url)?;
            quarry::with_engine!(engine, |engine| {
                let mut conn = engine.connection().map_err(|e| e.to_string())?;
                applied(&mut *conn)
                    .map_err(|e| e.to_string())?
                    .into_iter()
                    .filter(|a| a.complete)
                    .map(|a| a.version)
                    .collect()
            })
        }
        None => Vec::new(),
    };
    for m in migrations {
        let mark = if done.contains(&m.version.to_owned()) { "[applied]" } else { "[pending]" };
        println!("{} {:<9} {}", m.version, mark, m.name);
    }
    Ok(())
}

pub fn stamp(url: &str, migrations: &[Migration], target: &str) -> Result<(), String> {
    let engine = engine(url)?;
    let chosen: Vec<Migration> =
        migrations.iter().filter(|m| target == "head" || m.version <= target).copied().collect();
    let count = chosen.len();
    quarry::with_engine!(engine, |engine| {
        let mut conn = engine.connection().map_err(|e| e.to_string())?;
        migrate::stamp(&mut *conn, &chosen).map_err(|e| e.to_string())?
    });
    println!("Stamped {count} revisions as applied.");
    Ok(())
}

#[derive(diesel::QueryableByName)]
struct CatalogColumn {
    #[diesel(sql_type = diesel::sql_types::Text)]
    t: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    c: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    n: String,
    /// The column's type as the catalog spells it (empty for other facts).
    #[diesel(sql_type = diesel::sql_types::Text)]
    ty: String,
    /// The column's default, if it has one.
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    d: Option<String>,
}

/// Every difference between the database's tables and columns and the
/// schema's: tables or columns missing from either side, nullability.
pub fn live_differences(url: &str, schema: &quarry_schema::db::Schema) -> Result<Vec<String>, String> {
    use diesel::RunQueryDsl;
    let engine = engine(url)?;
    let sql = match engine.backend() {
        quarry_schema::Backend::Sqlite => {
            "SELECT m.name AS t, c.name AS c, CAST(c.\"notnull\" AS TEXT) AS n, c.type AS ty, c.dflt_value AS d FROM sqlite_master m, pragma_table_info(m.name) c \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
        }
        quarry_schema::Backend::Postgres => {
            "SELECT a.attrelid::regclass::text AS t, a.attname::text AS c, CASE WHEN a.attnotnull THEN '1' ELSE '0' END AS n, \
             format_type(a.atttypid, a.atttypmod) AS ty, pg_get_expr(d.adbin, d.adrelid) AS d FROM pg_attribute a \
             JOIN pg_class r ON r.oid = a.attrelid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
             WHERE r.relnamespace = current_schema()::regnamespace AND r.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped"
        }
        quarry_schema::Backend::Mysql => {
            "SELECT TABLE_NAME AS t, COLUMN_NAME AS c, IF(IS_NULLABLE = 'NO', '1', '0') AS n, COLUMN_TYPE AS ty, NULLIF(COLUMN_DEFAULT, 'NULL') AS d \
             FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
        }
    };
    let found: Vec<CatalogColumn> = quarry::with_engine!(engine, |engine| {
        let mut conn = engine.connection().map_err(|e| e.to_string())?;
        diesel::sql_query(sql).load(&mut *conn).map_err(|e| e.to_string())?
    });
    let found: Vec<CatalogColumn> = found.into_iter().filter(|c| c.t != "quarry_migrations").collect();
    let mut differences = Vec::new();
    for table in schema.tables.iter() {
        let columns: Vec<&CatalogColumn> = found.iter().filter(|c| c.t == table.name).collect();
        if columns.is_empty() {
            differences.push(format!("table {} is missing from the database", table.name));
            continue;
        }
        for column in table.columns.iter() {
            match columns.iter().find(|c| c.c == column.name) {
                None => differences.push(format!("column {}.{} is missing from the database", table.name, column.name)),
                Some(found) if (found.n == "0") != column.nullable => differences.push(format!(
                    "column {}.{} is {} in the database, {} in the schema",
                    table.name,
                    column.name,
                    if found.n == "0" { "nullable" } else { "NOT NULL" },
                    if column.nullable { "nullable" } else { "NOT NULL" }
                )),
                Some(found) => {
                    let backend = engine.backend();
                    if normalize(&found.ty) != expected_type(backend, schema, column) {
                        differences.push(format!(
                            "column {}.{} is {} in the database, {} in the schema",
                            table.name,
                            column.name,
                            found.ty,
                            backend.column_type(schema, column)
                        ));
                    }
                    if found.d.is_some() != column.server_default.is_some() {
                        differences.push(format!(
                            "column {}.{} {} a default in the database, {} in the schema",
                            table.name,
                            column.name,
                            if found.d.is_some() { "has" } else { "has no" },
                            if column.server_default.is_some() { "has one" } else { "has none" }
                        ));
                    }
                }
            }
        }
        for extra in columns.iter().filter(|c| table.column(&c.c).is_none()) {
            differences.push(format!("column {}.{} is in the database but not in the schema", table.name, extra.c));
        }
    }
    differences.extend(named_differences(&engine, schema, &found)?);
    let mut extra_tables: Vec<&str> =
        found.iter().map(|c| c.t.as_str()).filter(|t| schema.table(t).is_none()).collect();
    extra_tables.dedup();
    for table in extra_tables {
        differences.push(format!("table {table} is in the database but not in the schema"));
    }
    Ok(differences)
}

/// Constraints and indexes, by name: those the schema declares that the
/// database lacks, and those the database has that the schema does not.
fn named_differences(
    engine: &AnyEngine,
    schema: &quarry_schema::db::Schema,
    columns: &[CatalogColumn],
) -> Result<Vec<String>, String> {
    use diesel::RunQueryDsl;
    let backend = engine.backend();
    let queries: &[&str] = match backend {
        quarry_schema::Backend::Sqlite => &[
            "SELECT m.name AS t, 'index' AS c, i.name AS n, '' AS ty, NULL AS d FROM sqlite_master m, pragma_index_list(m.name) i \
             WHERE m.type = 'table' AND i.origin = 'c'",
            "SELECT name AS t, 'sql' AS c, sql AS n, '' AS ty, NULL AS d FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        ],
        quarry_schema::Backend::Postgres => &[
            "SELECT conrelid::regclass::text AS t, 'constraint' AS c, conname::text AS n, ''::text AS ty, NULL::text AS d FROM pg_constraint \
             WHERE connamespace = current_schema()::regnamespace AND contype IN ('p', 'u', 'f', 'c')",
            "SELECT tablename::text AS t, 'index' AS c, indexname::text AS n, ''::text AS ty, NULL::text AS d FROM pg_indexes WHERE schemaname = current_schema() \
             AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE connamespace = current_schema()::regnamespace)",
        ],
        quarry_schema::Backend::Mysql => &[
            "SELECT TABLE_NAME AS t, 'constraint' AS c, CONSTRAINT_NAME AS n, '' AS ty, NULL AS d FROM information_schema.TABLE_CONSTRAINTS \
             WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_TYPE <> 'PRIMARY KEY'",
            "SELECT DISTINCT TABLE_NAME AS t, 'index' AS c, INDEX_NAME AS n, '' AS ty, NULL AS d FROM information_schema.STATISTICS \
             WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY'",
        ],
    };
    let mut rows: Vec<CatalogColumn> = Vec::new();
    for query in queries {
        let found: Vec<CatalogColumn> = quarry::with_engine!(engine, |engine| {
            let mut conn = engine.connection().map_err(|e| e.to_string())?;
            diesel::sql_query(*query).load(&mut *conn).map_err(|e| e.to_string())?
        });
        rows.extend(found);
    }
    // (table, name) pairs the database has. SQLite keeps constraint names
    // only in the table's SQL.
    let mut have: Vec<(String, String)> = Vec::new();
    for row in rows.into_iter().filter(|r| r.t != "quarry_migrations") {
        if row.c == "sql" {
            let mut rest = row.n.as_str();
            while let Some(at) = rest.find("CONSTRAINT \"") {
                rest = &rest[at + 12..];
                let end = rest.find('"').unwrap_or(rest.len());
                have.push((row.t.clone(), rest[..end].to_owned()));
                rest = &rest[end..];
            }
        } else {
            have.push((row.t, row.n));
        }
    }
    let mut differences = Vec::new();
    for table in schema.tables.iter() {
        if !columns.iter().any(|c| c.t == table.name) {
            continue;
        }
        let mut wanted: Vec<String> = table
            .uniques
            .iter()
            .map(|u| u.name.to_string())
            .chain(table.indexes.iter().map(|i| i.name.to_string()))
            .chain(table.checks.iter().map(|c| c.name.to_string()))
            .chain(table.foreign_keys.iter().map(|f| f.name.to_string()))
            .collect();
        if backend != quarry_schema::Backend::Mysql {
            wanted.push(table.primary_key_name());
        }
        let present: Vec<&String> = have.iter().filter(|(t, _)| *t == table.name).map(|(_, n)| n).collect();
        for name in &wanted {
            if !present.contains(&name) {
                differences.push(format!("constraint or index {name} on {} is missing from the database", table.name));
            }
        }
        for name in present {
            // MySQL backs each foreign key with an index of its name, and
            // MariaDB checks each JSON column with a constraint named after it.
            let implied = table.column(name).is_some();
            if !wanted.contains(name) && !implied {
                differences.push(format!(
                    "constraint or index {name} on {} is in the database but not in the schema",
                    table.name
                ));
            }
        }
    }
    Ok(differences)
}

/// A type name folded for comparison: lower case, no spaces or quotes, and
/// without MySQL's integer display widths.
fn normalize(ty: &str) -> String {
    let folded: String = ty.to_lowercase().chars().filter(|c| !c.is_whitespace() && *c != '"').collect();
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
/// catalog reports it, folded by [`normalize`].
fn expected_type(
    backend: quarry_schema::Backend,
    schema: &quarry_schema::db::Schema,
    column: &quarry_schema::db::Column,
) -> String {
    use quarry_schema::Backend;
    let ddl = normalize(&backend.column_type(schema, column));
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
