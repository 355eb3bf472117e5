//! SQLite's catalog: `pragma_table_info` and `pragma_index_list` for
//! columns and indexes, and the `CREATE TABLE` text in `sqlite_master` for
//! everything else. SQLite keeps constraint names and CHECK bodies only in
//! that text (its pragmas list foreign keys and unique constraints without
//! names, CHECKs not at all), so this module reads it: the text as
//! written, with column-level constraints (`"c" TEXT CHECK (...)
//! REFERENCES t (id)`) as well as table-level ones. SQLite has no
//! comments.

use super::read::{grouped, index, position, select, text, Load, Tables};
use super::tokens::{closing, tokens, Spanned, Token};
use super::{Catalog, Check, Column, ForeignKey, PrimaryKey, Unique};
use crate::engine::Backend;
use crate::error::Result;
use crate::metadata::db::FkAction;

/// The catalog of the main database (`namespaces` are PostgreSQL's).
pub(super) fn read(load: &mut Load<'_>, _namespaces: &[&str]) -> Result<Catalog> {
    let mut tables = Tables::default();
    let mut definitions = Vec::new();

    // (a) the CREATE TABLE text
    let sql = format!(
        "SELECT {} FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        select(&["name", "NULL", "sql"], "NULL")
    );
    for row in load(&sql)? {
        tables.get(None, &row.t);
        definitions.push((row.t, definition(&text(&row.a))));
    }

    // (a) name, (b) '1' when NOT NULL, (c) type, (d) default, (e) position
    // in the primary key (0: none)
    let sql = format!(
        "SELECT {} FROM sqlite_master m, pragma_table_info(m.name) c \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, c.cid",
        select(
            &[
                "m.name",
                "NULL",
                "c.name",
                "CAST(c.\"notnull\" AS TEXT)",
                "c.type",
                "c.dflt_value",
                "CAST(c.pk AS TEXT)"
            ],
            "NULL"
        )
    );
    let mut keys: Vec<(String, i64, String)> = Vec::new();
    for row in load(&sql)? {
        let Some(table) = tables.of(&row) else { continue };
        let name = text(&row.a);
        if position(&row.e) > 0 {
            keys.push((row.t.clone(), position(&row.e), name.clone()));
        }
        table.columns.push(Column {
            name,
            nullable: row.b.as_deref() != Some("1"),
            sql_type: text(&row.c),
            default: row.d,
            comment: None,
        });
    }
    keys.sort();

    // One row per indexed column of an index made by CREATE INDEX: (a)
    // index, (b) '1' when unique, (c) column (NULL for an expression),
    // (d) position.
    let sql = format!(
        "SELECT {} FROM sqlite_master m, pragma_index_list(m.name) i, pragma_index_info(i.name) x \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND i.origin = 'c' ORDER BY 1, 3, x.seqno",
        select(&["m.name", "NULL", "i.name", "CAST(i.\"unique\" AS TEXT)", "x.name", "CAST(x.seqno AS TEXT)"], "NULL")
    );
    for group in grouped(load(&sql)?) {
        let Some(table) = tables.of(&group[0]) else { continue };
        table.indexes.push(index(&group));
    }

    let mut catalog = tables.finish();
    for (name, definition) in definitions {
        let columns: Vec<String> = keys.iter().filter(|(t, ..)| *t == name).map(|(.., c)| c.clone()).collect();
        let table = catalog.tables.iter_mut().find(|t| t.name == name).expect("read above");
        if !columns.is_empty() {
            table.primary_key = Some(PrimaryKey { name: definition.primary_key_name, columns });
        }
        table.uniques = definition.uniques;
        table.foreign_keys = definition.foreign_keys;
        table.checks = definition.checks;
    }
    // `REFERENCES parent` without columns references the parent's key.
    let keys_of: Vec<(String, Vec<String>)> =
        catalog.tables.iter().filter_map(|t| Some((t.name.clone(), t.primary_key.as_ref()?.columns.clone()))).collect();
    for fk in catalog.tables.iter_mut().flat_map(|t| t.foreign_keys.iter_mut()) {
        if fk.ref_columns.is_empty() {
            if let Some((_, key)) = keys_of.iter().find(|(t, _)| *t == fk.ref_table) {
                fk.ref_columns = key.clone();
            }
        }
    }
    Ok(catalog)
}

/// What a `CREATE TABLE` text declares besides its columns.
#[derive(Debug, Default, PartialEq)]
struct Definition {
    primary_key_name: Option<String>,
    uniques: Vec<Unique>,
    foreign_keys: Vec<ForeignKey>,
    checks: Vec<Check>,
}

/// Reads the constraints of the `CREATE TABLE` statement `sql`.
fn definition(sql: &str) -> Definition {
    let all = tokens(sql, Backend::Sqlite);
    let mut definition = Definition::default();
    let Some(open) = all.iter().position(|t| t.token.is_op("(")) else { return definition };
    let body = &all[open + 1..closing(&all, open).min(all.len())];
    for item in top_level_items(body) {
        Clause { sql, tokens: item, definition: &mut definition }.read();
    }
    definition
}

/// `tokens` split at their top-level commas.
fn top_level_items(tokens: &[Spanned]) -> Vec<&[Spanned]> {
    let mut items = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (at, spanned) in tokens.iter().enumerate() {
        match &spanned.token {
            Token::Op(op) if op == "(" => depth += 1,
            Token::Op(op) if op == ")" => depth = depth.saturating_sub(1),
            Token::Op(op) if op == "," && depth == 0 => {
                items.push(&tokens[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    items.push(&tokens[start..]);
    items.into_iter().filter(|item| !item.is_empty()).collect()
}

/// One column definition or table constraint of a `CREATE TABLE`.
struct Clause<'a> {
    sql: &'a str,
    tokens: &'a [Spanned],
    definition: &'a mut Definition,
}

impl Clause<'_> {
    fn word(&self, at: usize, word: &str) -> bool {
        self.tokens.get(at).is_some_and(|t| t.token.is_word(word))
    }

    fn op(&self, at: usize, op: &str) -> bool {
        self.tokens.get(at).is_some_and(|t| t.token.is_op(op))
    }

    fn name(&self, at: usize) -> Option<String> {
        self.tokens.get(at).and_then(|t| t.token.name()).map(str::to_owned)
    }

    /// The index of the `)` closing the `(` at `open`.
    fn close(&self, open: usize) -> usize {
        closing(self.tokens, open).min(self.tokens.len())
    }

    /// The names listed in the parentheses opening at `open`, and the index
    /// after them.
    fn names(&self, open: usize) -> (Vec<String>, usize) {
        if !self.op(open, "(") {
            return (Vec::new(), open);
        }
        let close = self.close(open);
        let names = self.tokens[open + 1..close]
            .split(|t| t.token.is_op(","))
            // A column may be followed by COLLATE or ASC / DESC.
            .filter_map(|column| column.first().and_then(|t| t.token.name()).map(str::to_owned))
            .collect();
        (names, close + 1)
    }

    /// The text inside the parentheses opening at `open`, as written, and
    /// the index after them.
    fn parenthesized(&self, open: usize) -> (String, usize) {
        let close = self.close(open);
        if close <= open + 1 {
            return (String::new(), close + 1);
        }
        let (start, end) = (self.tokens[open + 1].start, self.tokens[close - 1].end);
        (self.sql[start..end].to_owned(), close + 1)
    }

    fn read(mut self) {
        let (mut name, mut at) = (None, 0);
        if self.word(0, "constraint") {
            name = self.name(1);
            at = 2;
        }
        if self.word(at, "primary") {
            self.definition.primary_key_name = name;
        } else if self.word(at, "unique") {
            let (columns, _) = self.names(at + 1);
            self.definition.uniques.push(Unique { name, columns });
        } else if self.word(at, "check") && self.op(at + 1, "(") {
            let (sql, _) = self.parenthesized(at + 1);
            self.definition.checks.push(Check { name, sql });
        } else if self.word(at, "foreign") && self.word(at + 1, "key") {
            let (columns, next) = self.names(at + 2);
            if self.word(next, "references") {
                self.references(next, name, columns);
            }
        } else if at == 0 {
            self.column();
        }
    }

    /// A column definition's constraints: `[CONSTRAINT name]` then
    /// `PRIMARY KEY`, `UNIQUE`, `CHECK (...)` or `REFERENCES ...`.
    fn column(&mut self) {
        let Some(column) = self.name(0) else { return };
        let mut pending = None;
        let mut at = 1;
        while at < self.tokens.len() {
            if self.word(at, "constraint") {
                pending = self.name(at + 1);
                at += 2;
            } else if self.word(at, "primary") {
                self.definition.primary_key_name = pending.take();
                at += 1;
            } else if self.word(at, "unique") {
                self.definition.uniques.push(Unique { name: pending.take(), columns: vec![column.clone()] });
                at += 1;
            } else if self.word(at, "check") && self.op(at + 1, "(") {
                let (sql, next) = self.parenthesized(at + 1);
                self.definition.checks.push(Check { name: pending.take(), sql });
                at = next;
            } else if self.word(at, "references") {
                at = self.references(at, pending.take(), vec![column.clone()]);
            } else if self.op(at, "(") {
                at = self.close(at) + 1;
            } else {
                at += 1;
            }
        }
    }

    /// `REFERENCES table [(columns)]` and its actions, at `at`; returns the
    /// index after it.
    fn references(&mut self, at: usize, name: Option<String>, columns: Vec<String>) -> usize {
        let mut at = at + 1;
        let mut ref_table = self.name(at).unwrap_or_default();
        at += 1;
        // A schema-qualified name: `main.parent`.
        if self.op(at, ".") {
            ref_table = self.name(at + 1).unwrap_or_default();
            at += 2;
        }
        let (ref_columns, mut at) = self.names(at);
        let (mut on_delete, mut on_update) = (FkAction::NoAction, FkAction::NoAction);
        loop {
            if self.word(at, "on") && (self.word(at + 1, "delete") || self.word(at + 1, "update")) {
                let (action, next) = self.action(at + 2);
                if self.word(at + 1, "delete") {
                    on_delete = action;
                } else {
                    on_update = action;
                }
                at = next;
            } else if self.word(at, "match")
                || self.word(at, "initially")
                || (self.word(at, "not") && self.word(at + 1, "deferrable"))
            {
                // `MATCH name`, `INITIALLY DEFERRED`, `NOT DEFERRABLE`.
                at += 2;
            } else if self.word(at, "deferrable") {
                at += 1;
            } else {
                break;
            }
        }
        self.definition.foreign_keys.push(ForeignKey {
            name,
            columns,
            ref_namespace: None,
            ref_table,
            ref_columns,
            on_delete,
            on_update,
        });
        at
    }

    /// The referential action at `at`, and the index after it.
    fn action(&self, at: usize) -> (FkAction, usize) {
        if self.word(at, "set") && self.word(at + 1, "null") {
            (FkAction::SetNull, at + 2)
        } else if self.word(at, "set") && self.word(at + 1, "default") {
            (FkAction::SetDefault, at + 2)
        } else if self.word(at, "cascade") {
            (FkAction::Cascade, at + 1)
        } else if self.word(at, "restrict") {
            (FkAction::Restrict, at + 1)
        } else if self.word(at, "no") && self.word(at + 1, "action") {
            (FkAction::NoAction, at + 2)
        } else {
            (FkAction::NoAction, at + 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fk(
        name: Option<&str>,
        columns: &[&str],
        table: &str,
        refs: &[&str],
        on_delete: FkAction,
        on_update: FkAction,
    ) -> ForeignKey {
        ForeignKey {
            name: name.map(str::to_owned),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            ref_namespace: None,
            ref_table: table.to_owned(),
            ref_columns: refs.iter().map(|c| c.to_string()).collect(),
            on_delete,
            on_update,
        }
    }

    #[test]
    fn reads_table_and_column_constraints() {
        let sql = r#"CREATE TABLE "kids" (
            "id" INTEGER NOT NULL,
            [parent id] INTEGER REFERENCES parents ON DELETE SET NULL,
            "state" TEXT NOT NULL DEFAULT ('a') CHECK ("state" IN ('a', 'b')),
            code VARCHAR(10) CONSTRAINT uq_code UNIQUE COLLATE NOCASE,
            CONSTRAINT "pk_kids" PRIMARY KEY ("id"),
            CONSTRAINT "uq_kids" UNIQUE ("state", code),
            CONSTRAINT "ck_kids_id" CHECK (id > 0 AND (code <> 'x,y')),
            CONSTRAINT "fk_kids" FOREIGN KEY ("id", code) REFERENCES "others" ("a", "b") ON UPDATE CASCADE ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED,
            CHECK (length(code) < 9)
        )"#;
        let found = definition(sql);
        assert_eq!(found.primary_key_name.as_deref(), Some("pk_kids"));
        assert_eq!(
            found.uniques,
            [
                Unique { name: Some("uq_code".into()), columns: vec!["code".into()] },
                Unique { name: Some("uq_kids".into()), columns: vec!["state".into(), "code".into()] },
            ]
        );
        assert_eq!(
            found.checks,
            [
                Check { name: None, sql: "\"state\" IN ('a', 'b')".into() },
                Check { name: Some("ck_kids_id".into()), sql: "id > 0 AND (code <> 'x,y')".into() },
                Check { name: None, sql: "length(code) < 9".into() },
            ]
        );
        assert_eq!(
            found.foreign_keys,
            [
                fk(None, &["parent id"], "parents", &[], FkAction::SetNull, FkAction::NoAction),
                fk(Some("fk_kids"), &["id", "code"], "others", &["a", "b"], FkAction::Restrict, FkAction::Cascade),
            ]
        );
    }
}
