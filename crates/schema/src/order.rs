//! Foreign-key order: parents before children, computed once for DDL,
//! migrations and the unit of work.

use std::collections::BTreeSet;

use crate::db::{Schema, Table};

/// Tables with parents before children, and the foreign keys (by name) that
/// close a cycle and so must be added after both tables exist.
#[derive(Debug)]
pub struct Order<'a> {
    pub tables: Vec<&'a Table>,
    pub deferred: BTreeSet<String>,
}

impl Order<'_> {
    /// The rank of the table `name`: its index in [`Order::tables`].
    pub fn rank(&self, name: &str) -> Option<u16> {
        self.tables.iter().position(|t| t.name == name).map(|i| i as u16)
    }
}

/// Topological order, stable: among tables free to go, declaration order.
/// A self-reference is no dependency. When only cycles remain, the first
/// remaining table that is on a cycle goes next, and its keys to tables not
/// yet placed are deferred.
pub fn order(schema: &Schema) -> Order<'_> {
    let mut placed: Vec<&Table> = Vec::new();
    let mut deferred = BTreeSet::new();
    let mut remaining: Vec<&Table> = schema.tables.iter().collect();
    let is_placed = |placed: &[&Table], name: &str| placed.iter().any(|t| t.name == name);
    let known = |name: &str| schema.table(name).is_some();
    while !remaining.is_empty() {
        let ready = remaining.iter().position(|table| {
            table
                .foreign_keys
                .iter()
                .all(|fk| fk.ref_table == table.name || !known(&fk.ref_table) || is_placed(&placed, &fk.ref_table))
        });
        let next = match ready {
            Some(i) => remaining.remove(i),
            None => {
                let i = remaining.iter().position(|t| on_cycle(t, &remaining)).unwrap_or(0);
                let table = remaining.remove(i);
                for fk in table.foreign_keys.iter() {
                    if fk.ref_table != table.name && !is_placed(&placed, &fk.ref_table) {
                        deferred.insert(fk.name.to_string());
                    }
                }
                table
            }
        };
        placed.push(next);
    }
    Order { tables: placed, deferred }
}

/// Whether `table` reaches itself through foreign keys among `remaining`
/// (self-references aside).
fn on_cycle(table: &Table, remaining: &[&Table]) -> bool {
    let mut seen: Vec<&str> = Vec::new();
    let mut stack: Vec<&str> = vec![&table.name];
    while let Some(name) = stack.pop() {
        let Some(current) = remaining.iter().find(|t| t.name == name) else { continue };
        for fk in current.foreign_keys.iter().filter(|fk| fk.ref_table != current.name) {
            if fk.ref_table == table.name {
                return true;
            }
            if !seen.contains(&&*fk.ref_table) {
                seen.push(&fk.ref_table);
                stack.push(&fk.ref_table);
            }
        }
    }
    false
}
