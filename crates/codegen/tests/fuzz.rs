//! A seeded fuzz test, run by `cargo test`: thousands of schema sources made
//! by mutating the demo schema and the snapshot cases (hostile identifiers
//! and strings in place of names, tokens deleted and doubled, attribute
//! values changed, items doubled) go through `quarry_codegen::generate`, the
//! entry point the build script uses. It must never panic, and whatever it
//! accepts must give a module that parses, declares no item twice, and DDL
//! for every backend. A failure prints the mutated source to reproduce it.

use std::cell::Cell;
use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Once;
use std::time::Instant;

use quarry_codegen::{Options, SourceFile};
use quarry_schema::{ddl, Backend};

/// Schemas generated per run: about 20 s in a debug build on two cores.
const CASES: usize = 2000;
/// One case in this many starts from the demo schema, whose generated
/// module takes ten times as long to write and parse again as a case's.
const DEMO_EVERY: usize = 16;
const SEED: u64 = 0x0005_EED0_FC0D_E6E4;

/// xorshift64*: small, fast and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Identifiers that are valid where a name is expected, and unusual.
const ODD_IDENTS: &[&str] = &[
    "r#type",
    "r#fn",
    "r#match",
    "r#loop",
    "r#true",
    "r#async",
    "r#gen",
    "r#dyn",
    "r#impl",
    "r#mod",
    "r#use",
    "café",
    "ǅ",
    "ß",
    "Σ",
    "ℌ",
    "a1",
    "_a",
    "a_",
    "aa_bb",
    "AaBb",
    "x",
    "X",
    "order",
    "group",
    "user",
    "select",
    "value",
    "Row",
    "Key",
    "New",
    "Changeset",
    "Table",
    "Model",
    "Relation",
    "Metadata",
    "Error",
    "rows",
    "conn",
    "row",
    "key",
    "keys",
    "given",
    "dense",
    "helper",
    "text",
    "value",
    "out",
    "f",
    "fmt",
    "from_str",
    "as_str",
    "ALL",
    "new",
];

/// Identifiers that have broken, or could break, generated code.
const HOSTILE_IDENTS: &[&str] = &[
    "r#type",
    "r#fn",
    "r#match",
    "r#self",
    "r#Self",
    "r#crate",
    "r#_",
    "_",
    "self",
    "Self",
    "super",
    "crate",
    "type",
    "fn",
    "match",
    "async",
    "dyn",
    "gen",
    "union",
    "default",
    "r#loop",
    "r#true",
    "diesel",
    "std",
    "core",
    "quarry",
    "serde",
    "chrono",
    "serde_json",
    "bigdecimal",
    "sql_types",
    "METADATA",
    "create_all",
    "drop_all",
    "table",
    "star",
    "columns",
    "dsl",
    "all_columns",
    "SqlType",
    "BoxedQuery",
    "q",
    "Ok",
    "Some",
    "None",
    "DB",
    "QS",
    "T",
    "Left",
    "Right",
    "Join",
    "On",
    "From",
    "Rhs",
    "TSM",
    "lookup",
    "i32",
    "str",
    "bool",
    "u8",
    "usize",
    "Option",
    "Vec",
    "String",
    "Result",
    "__DB",
    "__ST0",
    "__GB",
    "__diesel_internal_out",
    "__QUARRY_TABLE_USERS",
    "__quarry_wire_x",
    "café",
    "cafe\u{301}",
    "ǅ",
    "ß",
    "Σ",
    "x😀",
    "1abc",
    "a1",
    "A",
    "a",
    "_a",
    "a_",
    "aa_bb",
    "AaBb",
    "NewUser",
    "UserChangeset",
    "Newtype",
    "users",
    "User",
    "id",
];

/// Strings that have broken, or could break, SQL or generated names.
const HOSTILE_STRINGS: &[&str] = &[
    "",
    " ",
    "a ",
    " a",
    "😀",
    "party 🎉",
    "a\\0b",
    "sqlite_x",
    "pg_x",
    "PRIMARY",
    "order",
    "group by",
    "it's",
    "quote\\\"d",
    "back`tick",
    "r#type",
    "type",
    "self",
    "diesel",
    "std",
    "q",
    "users",
    "a.b",
    "café",
    "cafe\u{301}",
    "1st",
    "x-y",
    "__DB",
    "__diesel",
    "Σ",
    "ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt",
    "tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt",
    "ééééééééééééééééééééééééééééééééé",
    "lower('X')",
    "current_timestamp",
    "a, b",
];

/// Other tokens to put in place of one.
const HOSTILE_TOKENS: &[&str] = &[
    "0",
    "-1",
    "4294967295",
    "99999999999999999999",
    "1.5",
    "true",
    "false",
    "\"\"",
    "()",
    "[]",
    "{}",
    ",",
    "=",
    ";",
    "#",
    "::",
    ".",
    "<",
    ">",
    "Option<",
    "Vec<",
    "r#",
    "#[column(primary_key)]",
    "#[relation(has_many)]",
    "#[column(default = std::vec::Vec::new())]",
    "#[column(default = uuid::Uuid::new_v4())]",
    "#[column(unique, index)]",
    "#[column(references = users.id)]",
];

/// A piece of source text: where it is and what it is.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Ident,
    Str,
    Number,
    Punct,
}

/// Splits Rust source into identifiers, strings, numbers and punctuation
/// (comments and whitespace are left out), roughly but never failing.
fn tokens(text: &str) -> Vec<(Kind, usize, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(text.len(), |(at, _)| *at);
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && chars.get(i + 1).is_some_and(|(_, n)| *n == '/') {
            while i < chars.len() && chars[i].1 != '\n' {
                i += 1;
            }
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i].1 != '"' {
                i += if chars[i].1 == '\\' { 2 } else { 1 };
            }
            i += 1;
            found.push((Kind::Str, start, end_of(i.min(chars.len()))));
        } else if c.is_alphabetic() || c == '_' {
            if c == 'r' && chars.get(i + 1).is_some_and(|(_, n)| *n == '#') {
                i += 2;
            }
            while i < chars.len() && (chars[i].1.is_alphanumeric() || chars[i].1 == '_') {
                i += 1;
            }
            found.push((Kind::Ident, start, end_of(i)));
        } else if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].1.is_ascii_alphanumeric() || chars[i].1 == '.' || chars[i].1 == '_') {
                i += 1;
            }
            found.push((Kind::Number, start, end_of(i)));
        } else {
            i += 1;
            found.push((Kind::Punct, start, end_of(i)));
        }
    }
    found
}

/// One random change to `text`.
fn mutate(text: &str, rng: &mut Rng) -> String {
    let all = tokens(text);
    if all.is_empty() {
        return text.to_owned();
    }
    let of_kind = |kind: Kind| all.iter().filter(|t| t.0 == kind).copied().collect::<Vec<_>>();
    let replace = |range: (usize, usize), with: &str| format!("{}{with}{}", &text[..range.0], &text[range.1..]);
    match rng.below(100) {
        // A hostile identifier, or one of the file's own (a duplicate).
        0..=34 => {
            let idents = of_kind(Kind::Ident);
            let &(_, start, end) = rng.pick(&idents);
            let with = match rng.below(4) {
                0 => {
                    let &(_, s, e) = rng.pick(&idents);
                    text[s..e].to_owned()
                }
                1 => (*rng.pick(ODD_IDENTS)).to_owned(),
                _ => (*rng.pick(HOSTILE_IDENTS)).to_owned(),
            };
            replace((start, end), &with)
        }
        // A hostile string literal.
        35..=59 => {
            let strings = of_kind(Kind::Str);
            if strings.is_empty() {
                return text.to_owned();
            }
            let &(_, start, end) = rng.pick(&strings);
            let with =
                if rng.below(8) == 0 { "x".repeat(rng.below(80)) } else { (*rng.pick(HOSTILE_STRINGS)).to_owned() };
            replace((start, end), &format!("\"{with}\""))
        }
        // A token deleted.
        60..=71 => {
            let &(_, start, end) = rng.pick(&all);
            replace((start, end), "")
        }
        // A token doubled.
        72..=79 => {
            let &(_, start, end) = rng.pick(&all);
            replace((start, start), &format!("{} ", &text[start..end]))
        }
        // A token replaced by another.
        80..=91 => {
            let &(_, start, end) = rng.pick(&all);
            let token: &&str = rng.pick(HOSTILE_TOKENS);
            replace((start, end), token)
        }
        // An item doubled: everything from one `#[table`/`#[db_enum` to the next.
        92..=95 => {
            let starts: Vec<usize> = text.match_indices("\n#[").map(|(at, _)| at).collect();
            if starts.is_empty() {
                return text.to_owned();
            }
            let i = rng.below(starts.len());
            let end = starts.get(i + 1).copied().unwrap_or(text.len());
            let item = &text[starts[i]..end];
            format!("{text}\n{item}")
        }
        // `r#` before an identifier.
        _ => {
            let idents = of_kind(Kind::Ident);
            let &(_, start, _) = rng.pick(&idents);
            replace((start, start), "r#")
        }
    }
}

/// The schemas to start from: the demo schema (four files) and each case.
fn seeds() -> Vec<Vec<SourceFile>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read_dir = |dir: &Path| {
        let mut paths: Vec<_> = std::fs::read_dir(dir).expect("read dir").map(|e| e.expect("entry").path()).collect();
        paths.sort();
        paths
    };
    let file = |path: &Path| SourceFile {
        path: path.strip_prefix(root).unwrap_or(path).display().to_string(),
        text: std::fs::read_to_string(path).expect("read schema"),
    };
    let demo: Vec<SourceFile> = read_dir(&root.join("../../schema"))
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| file(p))
        .collect();
    let mut seeds = vec![demo];
    for case in read_dir(&root.join("tests/cases")) {
        if case.join("schema.rs").is_file() {
            seeds.push(vec![file(&case.join("schema.rs"))]);
        }
    }
    seeds
}

/// Why an accepted schema's output is wrong, if it is.
fn output_problem(rust: &str, schema: &quarry_codegen::Schema) -> Option<String> {
    let file = match syn::parse_file(rust) {
        Ok(file) => file,
        Err(e) => return Some(format!("the generated Rust does not parse: {e}")),
    };
    let mut types = HashSet::new();
    let mut values = HashSet::new();
    for item in &file.items {
        let (name, namespace) = match item {
            syn::Item::Mod(m) => (m.ident.to_string(), &mut types),
            syn::Item::Struct(s) => (s.ident.to_string(), &mut types),
            syn::Item::Enum(e) => (e.ident.to_string(), &mut types),
            syn::Item::Const(c) => (c.ident.to_string(), &mut values),
            syn::Item::Static(s) => (s.ident.to_string(), &mut values),
            syn::Item::Fn(f) => (f.sig.ident.to_string(), &mut values),
            _ => continue,
        };
        if !namespace.insert(name.clone()) {
            return Some(format!("the generated module declares `{name}` twice"));
        }
    }
    let database = quarry_codegen::lower::database(schema);
    for backend in Backend::ALL {
        if ddl::script(&database, backend).create.is_empty() {
            return Some(format!("no DDL for {}", backend.name()));
        }
    }
    None
}

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, catching a panic without printing it. Only this thread is
/// silenced: the other codegen tests run beside this one in the same
/// binary, and their failures must still be printed.
fn quietly<R>(f: impl FnOnce() -> R) -> std::thread::Result<R> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.get() {
                previous(info);
            }
        }));
    });
    QUIET.set(true);
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.set(false);
    result
}

#[test]
fn mutated_schemas_never_panic_and_accepted_ones_generate_valid_code() {
    let seeds = seeds();
    assert!(seeds.len() >= 7, "expected the demo schema and the cases");
    let mut rng = Rng(SEED);
    let started = Instant::now();
    let (mut accepted, mut rejected) = (0, 0);
    let mut failures = Vec::new();
    for case in 0..CASES {
        let seed = if rng.below(DEMO_EVERY) == 0 { 0 } else { 1 + rng.below(seeds.len() - 1) };
        let mut files = seeds[seed].clone();
        let mutations = [1, 1, 1, 1, 1, 2, 2, 3][rng.below(8)];
        for _ in 0..mutations {
            let i = rng.below(files.len());
            files[i].text = mutate(&files[i].text, &mut rng);
        }
        let mut options = Options::default();
        options.serde = rng.below(2) == 0;
        let result = quietly(|| match quarry_codegen::generate(files.clone(), &options) {
            Ok(output) => Ok(output_problem(&output.rust, &output.schema)),
            Err(diagnostics) => Err(diagnostics.render(&files)),
        });
        let problem = match result {
            Ok(Ok(None)) => {
                accepted += 1;
                continue;
            }
            Ok(Err(report)) if report.contains("error: ") => {
                rejected += 1;
                continue;
            }
            Ok(Err(report)) => format!("rejected without an error message:\n{report}"),
            Ok(Ok(Some(problem))) => problem,
            Err(panic) => {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                format!("the generator panicked: {message}")
            }
        };
        let sources: Vec<String> = files.iter().map(|f| format!("--- {}\n{}", f.path, f.text)).collect();
        failures.push(format!("case {case}: {problem}\n{}", sources.join("\n")));
        if failures.len() >= 3 {
            break;
        }
    }
    println!(
        "{} mutated schemas in {:.1?}: {accepted} accepted, {rejected} rejected",
        accepted + rejected,
        started.elapsed()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n==========\n\n"));
    // The mutations must leave a fair share valid, or the test checks little.
    assert!(accepted > CASES / 10, "only {accepted} of {CASES} mutated schemas were accepted");
}
