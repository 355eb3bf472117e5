//! `split_statements` on a corpus of migration files written the way real
//! projects write them (`split_corpus/<backend>/*.sql`: triggers,
//! functions and procedures, DO blocks, views, seed data with tricky
//! strings, comments, executable comments), each opening with how many
//! statements it holds: `-- statements: N`. No database is needed here; the
//! quarry-tests suite (`tests/integration/split_corpus.rs`) runs the same
//! files through the migration runner on each backend, with the `-- check:`
//! lines that say what the objects they create must do.

use std::path::{Path, PathBuf};

use quarry_schema::migrations::split_statements;
use quarry_schema::Backend;

/// The corpus files of `backend`, sorted, with their text.
fn corpus(backend: Backend) -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/split_corpus").join(backend.name());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "{}: the corpus has too few files", dir.display());
    files.into_iter().map(|path| (path.clone(), std::fs::read_to_string(&path).unwrap())).collect()
}

/// The count of the file's `-- statements: N` line.
fn expected_statements(path: &Path, text: &str) -> usize {
    text.lines()
        .find_map(|line| line.strip_prefix("-- statements:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("{}: no `-- statements: N` line", path.display()))
}

#[test]
fn every_corpus_file_splits_into_the_statements_it_counts() {
    let mut wrong = Vec::new();
    for backend in Backend::ALL {
        for (path, text) in corpus(backend) {
            let statements = split_statements(&text, backend);
            let expected = expected_statements(&path, &text);
            if statements.len() != expected {
                let listed: Vec<String> =
                    statements.iter().enumerate().map(|(i, s)| format!("  [{}] {s}", i + 1)).collect();
                wrong.push(format!(
                    "{}: {} statements, expected {expected}:\n{}",
                    path.display(),
                    statements.len(),
                    listed.join("\n")
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

#[test]
fn every_statement_is_whole_text_that_splits_to_itself() {
    for backend in Backend::ALL {
        for (path, text) in corpus(backend) {
            for statement in split_statements(&text, backend) {
                assert_eq!(statement.trim(), statement, "{}: a statement is trimmed", path.display());
                assert!(
                    !statement.starts_with("--") && !statement.starts_with("/* "),
                    "{}: a comment before a statement is not part of it:\n{statement}",
                    path.display()
                );
                assert!(text.contains(&statement), "{}: a statement is text as written:\n{statement}", path.display());
                assert_eq!(split_statements(&statement, backend), [statement.as_str()], "{}", path.display());
            }
        }
    }
}

#[test]
fn the_corpus_holds_the_three_failures_of_issue_13() {
    let holds = |backend: Backend, what: &str, found: &dyn Fn(&str) -> bool| {
        assert!(corpus(backend).iter().any(|(_, text)| found(text)), "{backend}: the corpus has no {what}");
    };
    holds(Backend::Sqlite, "trigger with a BEGIN … END body", &|t| {
        t.contains("CREATE TRIGGER") && t.contains("END;")
    });
    holds(Backend::Postgres, "$$ function body", &|t| t.contains("CREATE OR REPLACE FUNCTION") && t.contains("AS $$"));
    holds(Backend::Mysql, r"'it\'s; x' string", &|t| t.contains(r"'it\'s; x'"));
}
