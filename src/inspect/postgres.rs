//! PostgreSQL's catalog: `pg_class`, `pg_attribute`, `pg_constraint` and
//! `pg_index`, for the tables of `current_schema()` and of any other
//! schemas asked for. Defaults and CHECK bodies are printed by
//! `pg_get_expr`, which rewrites them (`'x'::character varying`,
//! `((a > 0) AND (b < 9))`); comparing them is the normaliser's job.

use super::read::{comment, foreign_key, grouped, index, select, text, Load, Tables};
use super::{Catalog, Check, Column, PrimaryKey, Unique};
use crate::error::Result;

/// `NULL` typed as text, as every cell of a row is.
const NULL: &str = "NULL::text";

/// The table a row is about: its name and, outside the current schema,
/// its namespace.
const TABLE: [&str; 2] = ["c.relname::text", "NULLIF(n.nspname, current_schema())::text"];

/// The catalog of the current schema and of `namespaces`.
pub(super) fn read(load: &mut Load<'_>, namespaces: &[&str]) -> Result<Catalog> {
    let filter = in_namespaces(namespaces);
    let mut tables = Tables::default();

    // (a) comment
    let sql = format!(
        "SELECT {} FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind IN ('r', 'p') AND {filter}",
        select(&[TABLE[0], TABLE[1], "obj_description(c.oid, 'pg_class')"], NULL)
    );
    for row in load(&sql)? {
        tables.get(row.ns.as_deref(), &row.t).comment = comment(row.a);
    }

    // (a) name, (b) '1' when NOT NULL, (c) type, (d) default, (e) comment
    let sql = format!(
        "SELECT {} FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_attribute a ON a.attrelid = c.oid \
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         WHERE c.relkind IN ('r', 'p') AND {filter} AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 2, 1, a.attnum",
        select(
            &[
                TABLE[0],
                TABLE[1],
                "a.attname::text",
                "CASE WHEN a.attnotnull THEN '1' ELSE '0' END",
                "format_type(a.atttypid, a.atttypmod)",
                // A generated column's expression is no default.
                "CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END",
                "col_description(c.oid, a.attnum)",
            ],
            NULL
        )
    );
    for row in load(&sql)? {
        let Some(table) = tables.of(&row) else { continue };
        table.columns.push(Column {
            name: text(&row.a),
            nullable: row.b.as_deref() != Some("1"),
            sql_type: text(&row.c),
            default: row.d,
            comment: comment(row.e),
        });
    }

    // One row per key column: (a) name, (b) kind p/u/f, (c) column, (d)
    // position, then for foreign keys (e) the referenced column, (f) table,
    // (g) its namespace, (h) ON DELETE, (i) ON UPDATE, as one-letter codes.
    let sql = format!(
        "SELECT {} FROM pg_constraint con \
         JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, i) \
         JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = k.attnum \
         LEFT JOIN pg_class fc ON fc.oid = con.confrelid LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace \
         LEFT JOIN pg_attribute fatt ON fatt.attrelid = con.confrelid AND fatt.attnum = con.confkey[k.i] \
         WHERE con.contype IN ('p', 'u', 'f') AND {filter} ORDER BY 2, 1, 3, k.i",
        select(
            &[
                TABLE[0],
                TABLE[1],
                "con.conname::text",
                "con.contype::text",
                "att.attname::text",
                "k.i::text",
                "fatt.attname::text",
                "fc.relname::text",
                "NULLIF(fn.nspname, current_schema())::text",
                "con.confdeltype::text",
                "con.confupdtype::text",
            ],
            NULL
        )
    );
    for group in grouped(load(&sql)?) {
        let Some(table) = tables.of(&group[0]) else { continue };
        let (name, columns) = (group[0].a.clone(), group.iter().map(|r| text(&r.c)).collect());
        match group[0].b.as_deref() {
            Some("p") => table.primary_key = Some(PrimaryKey { name, columns }),
            Some("u") => table.uniques.push(Unique { name, columns }),
            _ => table.foreign_keys.push(foreign_key(&group)),
        }
    }

    // (a) name, (b) condition
    let sql = format!(
        "SELECT {} FROM pg_constraint con \
         JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE con.contype = 'c' AND {filter} ORDER BY 2, 1, 3",
        select(&[TABLE[0], TABLE[1], "con.conname::text", "pg_get_expr(con.conbin, con.conrelid)"], NULL)
    );
    for row in load(&sql)? {
        let Some(table) = tables.of(&row) else { continue };
        table.checks.push(Check { name: row.a, sql: text(&row.b) });
    }

    // One row per indexed column: (a) index, (b) '1' when unique, (c)
    // column (or expression), (d) position; not the indexes of constraints.
    let sql = format!(
        "SELECT {} FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid \
         JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         CROSS JOIN LATERAL generate_series(1, x.indnkeyatts) AS k(i) \
         LEFT JOIN pg_attribute att ON att.attrelid = x.indrelid AND att.attnum = x.indkey[k.i - 1] AND x.indkey[k.i - 1] <> 0 \
         WHERE {filter} AND NOT EXISTS (SELECT 1 FROM pg_constraint con \
             WHERE con.conindid = x.indexrelid AND con.contype IN ('p', 'u', 'x')) \
         ORDER BY 2, 1, 3, k.i",
        select(
            &[
                TABLE[0],
                TABLE[1],
                "ic.relname::text",
                "CASE WHEN x.indisunique THEN '1' ELSE '0' END",
                "COALESCE(att.attname::text, pg_get_indexdef(x.indexrelid, k.i, true))",
                "k.i::text",
            ],
            NULL
        )
    );
    for group in grouped(load(&sql)?) {
        let Some(table) = tables.of(&group[0]) else { continue };
        table.indexes.push(index(&group));
    }
    Ok(tables.finish())
}

/// The condition that a namespace `n` is the current schema or one of
/// `namespaces`.
fn in_namespaces(namespaces: &[&str]) -> String {
    let mut names = vec!["current_schema()".to_owned()];
    names.extend(namespaces.iter().map(|n| format!("'{}'", n.replace('\'', "''"))));
    format!("n.nspname IN ({})", names.join(", "))
}
