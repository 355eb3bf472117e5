//! Splitting a hand-written migration script into the statements the
//! runner executes (and counts, to resume a MySQL/MariaDB migration where
//! it failed) one at a time.
//!
//! Each backend's script is read by that backend's rules, in two steps:
//! [`lexer`] finds the tokens as the database's own lexer would (its
//! quotes, escapes, dollar quotes and comments), and [`blocks`] follows the
//! compound statements whose bodies hold `;` (triggers, functions,
//! procedures, events, MariaDB's `BEGIN NOT ATOMIC`), so that a `;` ends a
//! statement only outside all of them, and outside parentheses.
//!
//! No `DELIMITER` is needed (or understood: it is a command of the `mysql`
//! client, not SQL).

mod blocks;
mod lexer;

use crate::Backend;

use blocks::Nesting;
use lexer::{Kind, Token};

/// The statements of `sql`, a script for `backend`, without their `;`.
///
/// A statement's text is as written, from its first token to its last:
/// comments before it are left out, comments inside it stay. A script's
/// trailing comments are no statement; a MySQL executable comment
/// (`/*!40101 SET NAMES utf8mb4 */`) is one.
///
/// ```
/// use quarry_schema::migrations::split_statements;
/// use quarry_schema::Backend;
///
/// let sql = "
/// -- audit every change
/// CREATE TABLE log (note TEXT);
/// CREATE TRIGGER notes_log AFTER INSERT ON notes BEGIN
///   INSERT INTO log VALUES ('added; ' || new.body);
/// END;
/// ";
/// let statements = split_statements(sql, Backend::Sqlite);
/// assert_eq!(statements[0], "CREATE TABLE log (note TEXT)");
/// assert!(statements[1].starts_with("CREATE TRIGGER") && statements[1].ends_with("new.body);\nEND"));
/// assert_eq!(statements.len(), 2);
///
/// let sql = "SELECT 'it\\'s; x'; SELECT 2";
/// assert_eq!(split_statements(sql, Backend::Mysql), ["SELECT 'it\\'s; x'", "SELECT 2"]);
/// // On PostgreSQL a backslash escapes only in E'…' strings.
/// assert_eq!(split_statements(sql, Backend::Postgres), ["SELECT 'it\\'s", "x'; SELECT 2"]);
/// ```
pub fn split_statements(sql: &str, backend: Backend) -> Vec<String> {
    let tokens = lexer::tokens(sql, backend);
    let mut statements = Vec::new();
    let mut push = |statement: &[Token]| {
        if let (Some(first), Some(last)) = (statement.first(), statement.last()) {
            statements.push(sql[first.start..last.end()].to_owned());
        }
    };
    // The statement so far is tokens[start..i].
    let mut start = 0;
    let mut nesting = Nesting::new(backend, &tokens);
    for (i, token) in tokens.iter().enumerate() {
        if token.kind == Kind::Punct(';') && nesting.is_outermost() {
            push(&tokens[start..i]);
            start = i + 1;
            nesting = Nesting::new(backend, &tokens[start..]);
        } else {
            nesting.read(&tokens[start..], i - start);
        }
    }
    push(&tokens[start..]);
    statements
}

#[cfg(test)]
mod tests {
    use super::split_statements;
    use crate::Backend::{self, Mysql, Postgres, Sqlite};

    #[track_caller]
    fn splits(backend: Backend, sql: &str, expected: &[&str]) {
        assert_eq!(split_statements(sql, backend), expected, "{backend}:\n{sql}");
    }

    #[test]
    fn splits_at_semicolons_outside_quotes_and_comments_on_every_backend() {
        let sql =
            "CREATE TABLE a (x TEXT DEFAULT 'a;b');\n-- a comment; with a 'quote\nINSERT INTO a VALUES ('c');\n\n";
        for backend in Backend::ALL {
            splits(backend, sql, &["CREATE TABLE a (x TEXT DEFAULT 'a;b')", "INSERT INTO a VALUES ('c')"]);
        }
    }

    #[test]
    fn keeps_comments_inside_a_statement_and_drops_trailing_ones() {
        for backend in Backend::ALL {
            splits(
                backend,
                "/* header; 'x */\nSELECT 1 /* one; */ -- two;\n + 1;\n-- the end;\n/* really */\n",
                &["SELECT 1 /* one; */ -- two;\n + 1"],
            );
            splits(backend, "-- only a comment;\n", &[]);
            splits(backend, ";;  ;", &[]);
        }
    }

    #[test]
    fn doubled_quotes_stand_for_themselves() {
        for backend in Backend::ALL {
            splits(backend, "SELECT 'it''s; x'; SELECT \"a\"\";b\"", &["SELECT 'it''s; x'", "SELECT \"a\"\";b\""]);
        }
    }

    #[test]
    fn backslashes_escape_on_mysql_and_in_postgres_escape_strings_only() {
        splits(Mysql, r#"SELECT 'it\'s; x', "a\";b"; SELECT 2"#, &[r#"SELECT 'it\'s; x', "a\";b""#, "SELECT 2"]);
        splits(Postgres, r"SELECT E'it\'s; x', e'\\'; SELECT 2", &[r"SELECT E'it\'s; x', e'\\'", "SELECT 2"]);
        // A standard string ends at its quote: the backslash is a character.
        splits(Postgres, r"SELECT 'C:\'; SELECT 2", &[r"SELECT 'C:\'", "SELECT 2"]);
        splits(Sqlite, r"SELECT 'C:\'; SELECT 2", &[r"SELECT 'C:\'", "SELECT 2"]);
        // An identifier ending in e is no escape-string prefix.
        splits(Postgres, r"SELECT some'\'; SELECT 2", &[r"SELECT some'\'", "SELECT 2"]);
    }

    #[test]
    fn backticks_and_brackets_quote_identifiers_where_the_backend_has_them() {
        splits(Mysql, "SELECT `a;``b`; SELECT 2", &["SELECT `a;``b`", "SELECT 2"]);
        splits(Sqlite, "SELECT `a;b`, [c;d]; SELECT 2", &["SELECT `a;b`, [c;d]", "SELECT 2"]);
    }

    #[test]
    fn postgres_dollar_quotes_hold_anything_until_their_own_tag() {
        let sql = "CREATE FUNCTION f() RETURNS text AS $body$ BEGIN RETURN $$a;'$$; END; $body$ LANGUAGE plpgsql;\n\
                   DO $$ BEGIN PERFORM 1; END $$;\nSELECT $1, a$b$c FROM t";
        splits(
            Postgres,
            sql,
            &[
                "CREATE FUNCTION f() RETURNS text AS $body$ BEGIN RETURN $$a;'$$; END; $body$ LANGUAGE plpgsql",
                "DO $$ BEGIN PERFORM 1; END $$",
                "SELECT $1, a$b$c FROM t",
            ],
        );
        // An unterminated one runs to the end, for the database to report.
        splits(Postgres, "SELECT $x$ a; b", &["SELECT $x$ a; b"]);
        // Elsewhere `$` quotes nothing.
        splits(Sqlite, "SELECT $$a; SELECT 2", &["SELECT $$a", "SELECT 2"]);
    }

    #[test]
    fn comments_follow_each_backend() {
        // MySQL: `#` comments, and `--` only before a space.
        splits(Mysql, "SELECT 1 # one; two\n;SELECT 5--1;", &["SELECT 1", "SELECT 5--1"]);
        splits(Postgres, "SELECT 1 # 2; SELECT 3", &["SELECT 1 # 2", "SELECT 3"]);
        // PostgreSQL nests block comments.
        splits(Postgres, "SELECT /* a /* b; */ c; */ 1; SELECT 2", &["SELECT /* a /* b; */ c; */ 1", "SELECT 2"]);
        splits(Sqlite, "SELECT /* a /* b; */ 1; SELECT 2", &["SELECT /* a /* b; */ 1", "SELECT 2"]);
    }

    #[test]
    fn mysql_executable_comments_are_statements() {
        splits(
            Mysql,
            "/*!40101 SET NAMES utf8mb4 */;\n/*M!100100 SET @x = 'a;b' */;\nCREATE TABLE t (a INT) /*!50100 ENGINE=InnoDB */;\n/* plain */",
            &[
                "/*!40101 SET NAMES utf8mb4 */",
                "/*M!100100 SET @x = 'a;b' */",
                "CREATE TABLE t (a INT) /*!50100 ENGINE=InnoDB */",
            ],
        );
    }

    #[test]
    fn sqlite_trigger_bodies_hold_their_statements_and_case_expressions() {
        let trigger = "CREATE TEMP TRIGGER IF NOT EXISTS t AFTER UPDATE ON a FOR EACH ROW WHEN new.x > 0 BEGIN\n\
                       UPDATE b SET y = CASE WHEN new.x > 1 THEN 'many;' ELSE 'one' END, end = 1;\n\
                       DELETE FROM c WHERE begin = end;\nEND";
        splits(Sqlite, &format!("{trigger};\nBEGIN;\nSELECT 1;\nEND;"), &[trigger, "BEGIN", "SELECT 1", "END"]);
    }

    #[test]
    fn postgres_begin_atomic_bodies_are_one_statement() {
        let function = "CREATE OR REPLACE FUNCTION grade(score int) RETURNS text LANGUAGE sql\n\
                        BEGIN ATOMIC\n  SELECT CASE WHEN score > 90 THEN 'A' ELSE 'B' END;\nEND";
        let procedure = "CREATE PROCEDURE bump(begin int) LANGUAGE sql BEGIN ATOMIC UPDATE t SET n = n + begin; END";
        splits(
            Postgres,
            &format!("{function};\n{procedure};\nBEGIN;\nCOMMIT;"),
            &[function, procedure, "BEGIN", "COMMIT"],
        );
        // A body in quotes has no blocks the splitter sees.
        splits(
            Postgres,
            "CREATE FUNCTION f() RETURNS int RETURN 1; SELECT 2",
            &["CREATE FUNCTION f() RETURNS int RETURN 1", "SELECT 2"],
        );
    }

    #[test]
    fn postgres_rules_with_several_actions_are_one_statement() {
        let rule = "CREATE RULE r AS ON INSERT TO a DO ALSO (INSERT INTO b VALUES (1); INSERT INTO c VALUES (2))";
        splits(Postgres, &format!("{rule}; SELECT 1"), &[rule, "SELECT 1"]);
    }

    #[test]
    fn mysql_stored_programs_need_no_delimiter() {
        let procedure = "CREATE DEFINER = `admin`@`%` PROCEDURE fill(IN n INT)\n\
            BEGIN\n\
              DECLARE i INT DEFAULT 0;\n\
              DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END;\n\
              fill_loop: LOOP\n\
                IF i >= n THEN LEAVE fill_loop; END IF;\n\
                CASE MOD(i, 2) WHEN 0 THEN INSERT INTO t VALUES (i, IF(i > 2, 'big;', 'small')); ELSE BEGIN END; END CASE;\n\
                SET i = i + 1, @label = CASE WHEN i > 3 THEN 'x' END;\n\
              END LOOP fill_loop;\n\
              WHILE i > 0 DO SET i = i - 1; END WHILE;\n\
              REPEAT SET i = i + 1; UNTIL i >= n END REPEAT;\n\
              SELECT start, end FROM spans WHERE REPEAT('a', 2) = 'aa';\n\
              DROP TABLE IF EXISTS scratch;\n\
            END";
        let trigger = "CREATE TRIGGER clamp BEFORE INSERT ON t FOR EACH ROW IF NEW.n < 0 THEN SET NEW.n = 0; END IF";
        let function = "CREATE FUNCTION half(n INT) RETURNS INT DETERMINISTIC RETURN IF(n > 0, n DIV 2, 0)";
        let event = "CREATE EVENT purge ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM t WHERE n < 0; END";
        splits(
            Mysql,
            &format!("{procedure};\n{trigger};\n{function};\n{event};\nBEGIN;\nCOMMIT;"),
            &[procedure, trigger, function, event, "BEGIN", "COMMIT"],
        );
    }

    #[test]
    fn mariadb_compound_statements_outside_programs_are_one_statement() {
        let block = "BEGIN NOT ATOMIC DECLARE x INT DEFAULT 1; IF x THEN SELECT 1; END IF; END";
        let labelled = "outer_block: BEGIN NOT ATOMIC SELECT 1; END outer_block";
        let conditional = "IF (SELECT COUNT(*) FROM t) = 0 THEN INSERT INTO t VALUES (1); END IF";
        let idempotent = "IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE column_name = 'n') THEN\n\
                          ALTER TABLE t ADD COLUMN IF NOT EXISTS n INT; DROP TABLE IF EXISTS u;\nEND IF";
        splits(
            Mysql,
            &format!(
                "{block};\n{labelled};\n{conditional};\n{idempotent};\nSELECT IF(1, 2, 3);\n\
                 CREATE TABLE IF NOT EXISTS u (end INT);"
            ),
            &[block, labelled, conditional, idempotent, "SELECT IF(1, 2, 3)", "CREATE TABLE IF NOT EXISTS u (end INT)"],
        );
    }

    #[test]
    fn unterminated_quotes_and_comments_run_to_the_end() {
        splits(Sqlite, "SELECT 'a; SELECT 2", &["SELECT 'a; SELECT 2"]);
        for backend in Backend::ALL {
            splits(backend, "SELECT 1 /* a; SELECT 2", &["SELECT 1 /* a; SELECT 2"]);
        }
        splits(Postgres, "SELECT E'a\\'; SELECT 2", &["SELECT E'a\\'; SELECT 2"]);
    }
}
