//! Compound statements: the `BEGIN … END` bodies (and, on MySQL/MariaDB,
//! `IF … END IF`, `CASE … END CASE`, `LOOP`, `WHILE`, `REPEAT`) whose `;`s
//! belong to the statement around them.
//!
//! A [`Nesting`] reads one statement's tokens and says, at each `;`,
//! whether it ends the statement: only outside every open block and
//! parenthesis. Blocks open only where the backend's grammar has them:
//!
//! - SQLite: in `CREATE [TEMP] TRIGGER`, whose body is `BEGIN … END`
//!   (`CASE … END` expressions nest inside);
//! - PostgreSQL: in `CREATE [OR REPLACE] FUNCTION | PROCEDURE`, whose
//!   SQL-standard body is `BEGIN ATOMIC … END` (bodies in `$$` are quoted
//!   and never looked into), as psql reads them;
//! - MySQL/MariaDB: in `CREATE [OR REPLACE] [DEFINER = …] PROCEDURE |
//!   FUNCTION | TRIGGER | EVENT`, and in MariaDB's compound statements
//!   outside stored programs (`BEGIN NOT ATOMIC … END`, `IF … END IF`, …),
//!   so no `DELIMITER` is needed.
//!
//! Elsewhere `BEGIN` starts a transaction, `IF(…)` and `REPEAT(…)` are
//! functions and `END` may name a column, and none of them count.

use super::lexer::{Kind, Token};
use crate::Backend;

/// The blocks open at a point of one statement.
pub(super) struct Nesting {
    backend: Backend,
    /// Whether the statement defines a stored program (a trigger,
    /// function, procedure or event), whose body may hold blocks.
    program: bool,
    frames: Vec<Frame>,
    parens: usize,
    /// A word to pass over: the `IF` of an `END IF` just read.
    skip: Option<Frame>,
}

/// An open block, named by the keyword that opened it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    Begin,
    /// A `CASE` statement (MySQL/MariaDB: its `THEN` and `ELSE` are
    /// followed by statements) or a `CASE` expression.
    Case {
        statement: bool,
    },
    If,
    Loop,
    While,
    Repeat,
}

impl Frame {
    /// The keyword that opens the block, which MySQL repeats after `END`.
    fn keyword(self) -> &'static str {
        match self {
            Frame::Begin => "BEGIN",
            Frame::Case { .. } => "CASE",
            Frame::If => "IF",
            Frame::Loop => "LOOP",
            Frame::While => "WHILE",
            Frame::Repeat => "REPEAT",
        }
    }
}

impl Nesting {
    /// The nesting at the start of the statement whose tokens `statement`
    /// begins with.
    pub fn new(backend: Backend, statement: &[Token]) -> Nesting {
        Nesting { backend, program: defines_program(backend, statement), frames: Vec::new(), parens: 0, skip: None }
    }

    /// Whether a `;` here ends the statement.
    pub fn is_outermost(&self) -> bool {
        self.frames.is_empty() && self.parens == 0
    }

    /// Reads `statement[i]`; the tokens around it are its context.
    pub fn read(&mut self, statement: &[Token], i: usize) {
        let token = statement[i];
        let prev = i.checked_sub(1).map(|p| statement[p]);
        let next = statement.get(i + 1).copied();
        match token.kind {
            Kind::Punct('(') => self.parens += 1,
            Kind::Punct(')') => self.parens = self.parens.saturating_sub(1),
            Kind::Word => {
                if let Some(frame) = self.skip.take() {
                    if token.is_word(frame.keyword()) {
                        return;
                    }
                }
                if token.is_word("END") {
                    self.close(prev, next);
                } else if let Some(frame) = self.opens(token, prev, next) {
                    self.frames.push(frame);
                }
            }
            _ => {}
        }
    }

    /// `END`: closes the innermost block when it can end there; otherwise
    /// the word is a name (`SELECT start, end FROM …`).
    fn close(&mut self, prev: Option<Token>, next: Option<Token>) {
        let Some(&top) = self.frames.last() else { return };
        let repeated = next.is_some_and(|n| n.is_word(top.keyword()));
        let ends = match top {
            // MySQL's blocks end with their keyword: END IF, END LOOP, ...
            _ if repeated => true,
            Frame::Case { .. } => true,
            // A statement list ends with `;`, or is empty.
            Frame::Begin => {
                prev.is_some_and(|p| p.kind == Kind::Punct(';') || p.is_word("BEGIN") || p.is_word("ATOMIC"))
            }
            Frame::If | Frame::Loop | Frame::While | Frame::Repeat => false,
        };
        if ends {
            self.frames.pop();
            self.skip = repeated.then_some(top);
        }
    }

    /// The block `token` opens here, if any.
    fn opens(&self, token: Token, prev: Option<Token>, next: Option<Token>) -> Option<Frame> {
        let in_program = self.program || !self.frames.is_empty();
        match self.backend {
            Backend::Sqlite | Backend::Postgres => {
                if !in_program {
                    return None;
                }
                if token.is_word("CASE") {
                    return Some(Frame::Case { statement: false });
                }
                // The body: SQLite's trigger has one `BEGIN` (a later
                // `begin` names a column); PostgreSQL's is `BEGIN ATOMIC`
                // (a parameter may be named `begin`).
                let body = match self.backend {
                    Backend::Sqlite => !self.frames.contains(&Frame::Begin),
                    _ => next.is_some_and(|n| n.is_word("ATOMIC")),
                };
                (token.is_word("BEGIN") && body).then_some(Frame::Begin)
            }
            Backend::Mysql => {
                let statement = self.at_statement(prev, in_program);
                // Outside a stored program only a statement's first word
                // opens a block (MariaDB's compound statements).
                if !in_program && !statement {
                    return None;
                }
                let word = |keyword| token.is_word(keyword);
                if word("BEGIN") {
                    // Outside a program, BEGIN starts a transaction unless
                    // it is MariaDB's `BEGIN NOT ATOMIC`.
                    let block = in_program || next.is_some_and(|n| n.is_word("NOT"));
                    block.then_some(Frame::Begin)
                } else if word("CASE") {
                    Some(Frame::Case { statement })
                } else if !statement {
                    None // IF(…) and REPEAT(…) are functions here
                } else if word("IF") {
                    // `IF NOT EXISTS (…) THEN` too: the `IF [NOT] EXISTS`
                    // of DDL follows a word (TABLE, COLUMN, …), never here.
                    Some(Frame::If)
                } else if word("LOOP") {
                    Some(Frame::Loop)
                } else if word("WHILE") {
                    Some(Frame::While)
                } else if word("REPEAT") {
                    Some(Frame::Repeat)
                } else {
                    None
                }
            }
        }
    }

    /// Whether, on MySQL/MariaDB, a statement starts after `prev`: at the
    /// statement's start, after a label (`retry:`), and in a stored
    /// program after `;` and the words a statement follows (`THEN`,
    /// `ELSE`, `DO`, `FOR EACH ROW`, a routine's characteristics, ...).
    fn at_statement(&self, prev: Option<Token>, in_program: bool) -> bool {
        let Some(prev) = prev else { return true };
        if prev.kind == Kind::Punct(':') {
            return true;
        }
        if !in_program || self.frames.last() == Some(&Frame::Case { statement: false }) {
            return false;
        }
        const BEFORE_STATEMENT: &[&str] = &[
            "BEGIN",
            "ATOMIC",
            "THEN",
            "ELSE",
            "DO",
            "LOOP",
            "REPEAT",
            "ROW",
            "DETERMINISTIC",
            "SQL",
            "DATA",
            "INVOKER",
            "DEFINER",
        ];
        matches!(prev.kind, Kind::Punct(';' | ')')) || BEFORE_STATEMENT.iter().any(|k| prev.is_word(k))
    }
}

/// Whether the statement starting with `statement` defines a stored
/// program: `CREATE`, the modifiers the backend allows before the kind of
/// object, then a kind whose body may hold blocks.
fn defines_program(backend: Backend, statement: &[Token]) -> bool {
    let (modifiers, programs): (&[&str], &[&str]) = match backend {
        Backend::Sqlite => (&["TEMP", "TEMPORARY"], &["TRIGGER"]),
        Backend::Postgres => (&["OR", "REPLACE"], &["FUNCTION", "PROCEDURE"]),
        Backend::Mysql => {
            (&["OR", "REPLACE", "DEFINER", "CURRENT_USER", "AGGREGATE"], &["PROCEDURE", "FUNCTION", "TRIGGER", "EVENT"])
        }
    };
    let Some((first, rest)) = statement.split_first() else { return false };
    if !first.is_word("CREATE") {
        return false;
    }
    let mut prev = *first;
    for &token in rest {
        match token.kind {
            Kind::Word if programs.iter().any(|p| token.is_word(p)) => return true,
            Kind::Word if modifiers.iter().any(|m| token.is_word(m)) => {}
            // The user of `DEFINER = user@host`, unquoted.
            Kind::Word if matches!(prev.kind, Kind::Punct('=' | '@')) => {}
            // … or quoted, and CURRENT_USER().
            Kind::Quoted | Kind::Punct('=' | '@' | '(' | ')') if backend == Backend::Mysql => {}
            _ => return false,
        }
        prev = token;
    }
    false
}
