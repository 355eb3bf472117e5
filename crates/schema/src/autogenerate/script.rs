//! The text of a revision's `up.sql` and `down.sql`.
//!
//! On MySQL/MariaDB, where a failed migration stays partly applied, each
//! section of `down.sql` is headed by a [`REVERTS_MARKER`] line naming
//! the statement of `up.sql` it reverts, so that the runner can undo
//! exactly the statements that ran.

use crate::db::Schema;
use crate::migrations::REVERTS_MARKER;
use crate::Backend;

use super::{reverse, sql::statements_per_operation, Operation};

/// A revision's scripts for one backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scripts {
    /// `up.sql`: turns `before` into `after`.
    pub up: String,
    /// `down.sql`: turns `after` back into `before`.
    pub down: String,
}

/// The scripts of `operations`, which turn `before` into `after`, on
/// `backend`, each headed by `-- title`.
///
/// ```
/// use quarry_schema::autogenerate::{diff, scripts};
/// use quarry_schema::db::{Column, Schema, SqlType, Table};
/// use quarry_schema::Backend;
///
/// let notes = Table { columns: vec![Column::new("id", SqlType::Integer)].into(), ..Table::empty("notes") };
/// let new = Schema { tables: vec![notes].into(), ..Schema::default() };
/// let operations = diff(&Schema::default(), &new);
/// let mysql = scripts(&operations, &Schema::default(), &new, Backend::Mysql, "create notes");
/// assert!(mysql.up.starts_with("-- create notes\n\nCREATE TABLE `notes`"), "{}", mysql.up);
/// assert!(mysql.down.contains("-- reverts up.sql statement 1\nDROP TABLE IF EXISTS `notes`;"), "{}", mysql.down);
/// ```
pub fn scripts(operations: &[Operation], before: &Schema, after: &Schema, backend: Backend, title: &str) -> Scripts {
    let up_groups = statements_per_operation(operations, before, after, backend);
    let down_groups = statements_per_operation(&reverse(operations), after, before, backend);
    let mut up = format!("-- {title}\n\n");
    for statement in up_groups.iter().flatten() {
        up.push_str(&format!("{statement};\n\n"));
    }
    let mut down = format!("-- {title}\n\n");
    // Operation i's statements revert with down group n - 1 - i.
    let marked = backend == Backend::Mysql
        && up_groups.iter().zip(down_groups.iter().rev()).all(|(up, down)| !up.is_empty() || down.is_empty());
    let first_statement: Vec<usize> = up_groups
        .iter()
        .scan(1, |next, group| {
            let first = *next;
            *next += group.len();
            Some(first)
        })
        .collect();
    for (j, group) in down_groups.iter().enumerate() {
        let i = operations.len() - 1 - j;
        if marked {
            let ups = first_statement[i]..first_statement[i] + up_groups[i].len();
            for (k, n) in ups.enumerate() {
                down.push_str(&format!("{REVERTS_MARKER}{n}\n"));
                if k == 0 {
                    for statement in group {
                        down.push_str(&format!("{statement};\n"));
                    }
                }
                down.push('\n');
            }
        } else {
            for statement in group {
                down.push_str(&format!("{statement};\n\n"));
            }
        }
    }
    Scripts { up, down }
}
