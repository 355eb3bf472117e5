//! Reverting a migration that ran only partly (MySQL/MariaDB, where each
//! statement commits as it runs): `down.sql` says which of its statements
//! revert which statement of `up.sql` with marker lines, as
//! `quarry revision` writes them:
//!
//! ```sql
//! -- reverts up.sql statement 2
//! ALTER TABLE notes DROP COLUMN author;
//!
//! -- reverts up.sql statement 1
//! DROP TABLE tags;
//! ```
//!
//! A marker with no statement after it means that statement needs nothing
//! undone. When the first `applied` statements of `up.sql` ran, the
//! sections of those statements run, in the order `down.sql` has them.

use super::split_statements;
use crate::engine::Backend;

use quarry_schema::migrations::REVERTS_MARKER as MARKER;

/// The statements of `down` that revert the first `applied` statements of
/// `up.sql`, in order; `None` when `down` does not mark each of them (or
/// holds statements before its first marker).
pub(super) fn partial_down(down: &str, applied: usize, backend: Backend) -> Option<Vec<String>> {
    // (the up.sql statement reverted, the section's text)
    let mut sections: Vec<(usize, String)> = Vec::new();
    let mut preamble = String::new();
    for line in down.lines() {
        if let Some(n) = line.trim().strip_prefix(MARKER).and_then(|n| n.trim().parse().ok()) {
            sections.push((n, String::new()));
            continue;
        }
        let text = sections.last_mut().map_or(&mut preamble, |(_, text)| text);
        text.push_str(line);
        text.push('\n');
    }
    let marked = |n: usize| sections.iter().any(|(m, _)| *m == n);
    if !split_statements(&preamble, backend).is_empty() || !(1..=applied).all(marked) {
        return None;
    }
    Some(sections.iter().filter(|(n, _)| *n <= applied).flat_map(|(_, text)| split_statements(text, backend)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOWN: &str = "-- add authors\n\n\
        -- reverts up.sql statement 3\n\
        ALTER TABLE notes DROP COLUMN author;\n\n\
        -- reverts up.sql statement 2\n\n\
        -- reverts up.sql statement 1\n\
        DROP TABLE tags;\n";

    #[test]
    fn runs_the_sections_of_the_applied_statements() {
        assert_eq!(
            partial_down(DOWN, 3, Backend::Mysql).unwrap(),
            ["ALTER TABLE notes DROP COLUMN author", "DROP TABLE tags"]
        );
        assert_eq!(partial_down(DOWN, 2, Backend::Mysql).unwrap(), ["DROP TABLE tags"]);
        assert!(partial_down(DOWN, 0, Backend::Mysql).unwrap().is_empty());
    }

    #[test]
    fn refuses_a_script_without_markers() {
        assert_eq!(partial_down("DROP TABLE tags;", 1, Backend::Mysql), None);
        assert_eq!(partial_down(DOWN, 4, Backend::Mysql), None, "statement 4 is not marked");
        assert_eq!(
            partial_down(&format!("DROP TABLE x;\n{DOWN}"), 1, Backend::Mysql),
            None,
            "a statement before the markers"
        );
    }
}
