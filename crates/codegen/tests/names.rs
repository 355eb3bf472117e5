//! Names: raw identifiers work wherever the schema names something in Rust;
//! every name whose generated code would not compile, or whose SQL a backend
//! refuses, is reported at its place with the reason; none panics.

use quarry_codegen::{emit, Options, SourceFile};

fn errors(schema: &str) -> String {
    match quarry_codegen::load_str("schema/app.rs", schema) {
        Ok(_) => panic!("the schema was accepted"),
        Err(diagnostics) => {
            let files = vec![SourceFile { path: "schema/app.rs".into(), text: schema.into() }];
            diagnostics.render(&files)
        }
    }
}

/// A table `users` with one more field.
fn users_with(field: &str) -> String {
    format!(
        r#"
#[table(name = "users")]
pub struct User {{
    #[column(primary_key)]
    pub id: i32,
    {field}
}}
"#
    )
}

/// A table named `name` (its SQL name) with a key only.
fn table_named(name: &str) -> String {
    format!(
        r#"
#[table(name = {name:?})]
pub struct Thing {{
    #[column(primary_key)]
    pub id: i32,
}}
"#
    )
}

#[test]
fn raw_identifiers_name_fields_variants_relations_and_tables() {
    let text = r#"
#[db_enum]
pub enum Kind {
    r#type,
    r#fn,
    Plain,
}

#[table(name = "match")]
pub struct Match {
    #[column(primary_key)]
    pub id: i32,
    pub r#where: Kind,
    pub r#loop: Option<String>,
    #[relation(has_many, back_populates = r#dyn)]
    pub r#impl: Vec<Use>,
}

#[table(name = "use")]
pub struct Use {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = r#match.id)]
    pub r#mod: i32,
    #[relation(belongs_to, back_populates = r#impl)]
    pub r#dyn: Match,
}
"#;
    let schema = quarry_codegen::load_str("schema/app.rs", text)
        .unwrap_or_else(|d| panic!("{}", d.render(&[SourceFile { path: "schema/app.rs".into(), text: text.into() }])));
    let table = &schema.tables[0];
    assert_eq!((table.name.as_str(), table.module.as_str()), ("match", "match"));
    assert_eq!(table.columns[1].name, "where");
    assert_eq!(table.relations[0].field, "impl");
    let values: Vec<&str> = schema.enums[0].variants.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["type", "fn", "plain"]);

    let code = emit::rust::generate(&schema, &Options::default());
    syn::parse_file(&code).expect("the generated module parses");
    for expected in [
        "Kind::r#type =>",
        // A raw field spells its SQL name: the macro writes it in `METADATA`.
        r##"r#where as "where": {Kind} r#"["where",{"enum":"kind"}]"#,"##,
        "r#loop as \"loop\": Text null,",
        // A raw field does not spell its SQL name: the upsert's are listed.
        "updated [\"where\", \"loop\"];",
        "key [id \"id\": Integer generated];",
        "struct Match in r#match \"match\"",
        // Raw names are not what the macro would write in `METADATA`: the JSON is given.
        r##"IMPL "impl" "dyn": has_many Use Match__impl 0, id -> r#use::r#mod: Integer given = r#"["impl","HasMany","use",["id"],["mod"],"dyn"]"#;"##,
        "diesel::joinable!(r#use -> r#match (r#mod));",
    ] {
        assert!(code.contains(expected), "missing `{expected}` in:\n{code}");
    }
}

#[test]
fn raw_identifiers_cannot_name_models_or_enums() {
    insta::assert_snapshot!(errors(r#"
#[db_enum]
pub enum r#match { A }

#[table(name = "types")]
pub struct r#type {
    #[column(primary_key)]
    pub id: i32,
}
"#), @r#"
    error: enum name `r#match` is a raw identifier, which diesel's derives cannot take
      ┌─ schema/app.rs:3:10
      │
    3 │ pub enum r#match { A }
      │          ^^^^^^^ a keyword
      │
      = help: diesel's derives panic on a type named with `r#`: rename the enum (e.g. `Match`); the SQL name can stay `match` with `name = "match"`

    error: struct name `r#type` is a raw identifier, which diesel's derives cannot take
      ┌─ schema/app.rs:6:12
      │
    6 │ pub struct r#type {
      │            ^^^^^^ a keyword
      │
      = help: diesel's derives panic on a type named with `r#`: rename the struct (e.g. `Type`); the SQL name can stay `type` with `name = "type"`

    error: could not generate the schema due to 2 previous errors
    "#);
}

#[test]
fn names_that_cannot_be_raw_identifiers_are_a_syntax_error_with_a_hint() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "users")]
pub struct r#self {
    #[column(primary_key)]
    pub id: i32,
}
"#), @r#"
    error: this schema file is not valid Rust syntax: cannot parse string into token stream
      ┌─ schema/app.rs:3:12
      │
    3 │ pub struct r#self {
      │            ^^^^^^ here
      │
      = help: `self`, `Self`, `super`, `crate` and `_` cannot be names, not even raw (`r#self`): name the field, struct, enum or variant differently and keep the SQL name, e.g. `#[column(name = "self")] pub self_: i32`; other keywords work as raw identifiers (`pub r#type: String`)

    error: could not generate the schema due to 1 previous error
    "#);
}

#[test]
fn a_field_named_underscore_is_refused() {
    insta::assert_snapshot!(errors(&users_with("pub _: i32,")), @"
    error: field name `_` is not a Rust identifier
      ┌─ schema/app.rs:6:9
      │
    6 │     pub _: i32,
      │         ^ not an identifier
      │
      = help: `_` cannot be an identifier, not even a raw one (`r#_`)

    error: could not generate the schema due to 1 previous error
    ");
}

#[test]
fn a_field_not_in_normalization_form_c_is_refused() {
    insta::assert_snapshot!(errors(&users_with("pub cafe\u{301}: i32,")), @r#"
    error: field name `cafe\u{301}` is not in Unicode normalization form C
      ┌─ schema/app.rs:6:9
      │
    6 │     pub café: i32,
      │         ^^^^ rustc reads this as `café`
      │
      = help: write the name with composed characters (NFC), as rustc reads it, so that its SQL name matches

    error: could not generate the schema due to 1 previous error
    "#);
}

#[test]
fn tables_named_like_crates_the_generated_code_names_are_refused() {
    insta::assert_snapshot!(errors(&table_named("diesel")), @"
    error: table `diesel` would get the Rust module `diesel`, which is reserved in the generated module
      ┌─ schema/app.rs:3:12
      │
    3 │ pub struct Thing {
      │            ^^^^^ table `diesel`
      │
      = help: it would shadow the crate `diesel`: the generated code names `diesel::...`; choose another table name (the module is named after it)

    error: could not generate the schema due to 1 previous error
    ");
    for name in ["std", "quarry", "serde"] {
        let report = errors(&table_named(name));
        assert!(report.contains(&format!("would get the Rust module `{name}`, which is reserved")), "{name}: {report}");
    }
    // Named by nothing generated (a module does not hide a primitive type):
    // these compile.
    for name in ["core", "alloc", "chrono", "serde_json", "bigdecimal", "i32", "str", "DB", "T"] {
        quarry_codegen::load_str("schema/app.rs", &table_named(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn a_table_named_like_a_path_a_client_default_names_is_refused() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "uuid")]
pub struct Token {
    #[column(primary_key)]
    pub id: i32,
    #[column(default = uuid::Uuid::new_v4().to_string())]
    pub value: String,
}
"#), @"
    error: table `uuid` would get the Rust module `uuid`, which is reserved in the generated module
      ┌─ schema/app.rs:3:12
      │
    3 │ pub struct Token {
      │            ^^^^^ table `uuid`
      │
      = help: the client default of `Token.value` names `uuid::...`; choose another table name (the module is named after it)

    error: could not generate the schema due to 1 previous error
    ");
}

#[test]
fn a_column_named_q_is_refused() {
    insta::assert_snapshot!(errors(&users_with("pub q: String,")), @r#"
    error: a column field cannot be named `q`: diesel's `table!` binds a variable of that name in the table module (`let q = self.as_query();`)
      ┌─ schema/app.rs:6:9
      │
    6 │     pub q: String,
      │         ^ reserved in the table module
      │
      = help: rename the field and keep the SQL name: `#[column(name = "q")] pub q_: ...`

    error: could not generate the schema due to 1 previous error
    "#);
}

#[test]
fn every_name_diesel_table_macro_binds_or_imports_is_refused_as_a_column() {
    let names = [
        "q",
        "Ok",
        "Some",
        "None",
        "Err",
        "METADATA",
        "diesel",
        "sql_types",
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
        "bool",
        "str",
        "__GB",
        "__diesel_internal_out",
        "table",
        "star",
        "columns",
        "dsl",
        "all_columns",
        "SqlType",
        "BoxedQuery",
        "users",
    ];
    for name in names {
        let report = errors(&users_with(&format!("pub {name}: i32,")));
        assert!(report.contains(&format!("a column field cannot be named `{name}`")), "{name}: {report}");
        assert!(report.contains("1 previous error"), "{name}: {report}");
    }
}

#[test]
fn a_field_named_like_a_variant_of_its_enum_is_refused() {
    insta::assert_snapshot!(errors(r#"
#[db_enum]
pub enum Kind { r#fn, Other }

#[table(name = "things")]
pub struct Thing {
    #[column(primary_key)]
    pub id: i32,
    pub r#fn: Kind,
}
"#), @r#"
    error: field `fn` is named like a variant of its type `Kind`
      ┌─ schema/app.rs:9:9
      │
    9 │     pub r#fn: Kind,
      │         ^^^^ `Kind::fn` is a variant
      │
      = help: rustc refuses a binding named like a variant of its type (E0170), and `New...::new` binds the field: rename the field and keep the SQL name with `#[column(name = "fn")]`

    error: could not generate the schema due to 1 previous error
    "#);
}

#[test]
fn models_and_enums_named_like_crates_or_primitives_are_refused() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "things")]
pub struct quarry {
    #[column(primary_key)]
    pub id: i32,
}

#[db_enum]
pub enum bool { Yes, No }

#[db_enum]
pub enum DB { A }

#[db_enum]
pub enum Some { A }

#[db_enum]
pub enum __ST0 { A }
"#), @"
    error: struct name `quarry` is reserved in the generated module
      ┌─ schema/app.rs:3:12
      │
    3 │ pub struct quarry {
      │            ^^^^^^ reserved
      │
      = help: it would shadow the crate `quarry`: the generated code names `quarry::...`; rename the struct

    error: enum name `bool` is reserved in the generated module
      ┌─ schema/app.rs:9:10
      │
    9 │ pub enum bool { Yes, No }
      │          ^^^^ reserved
      │
      = help: it would shadow the primitive type `bool`, which the generated code names; rename the enum

    error: enum name `DB` is reserved in the generated module
       ┌─ schema/app.rs:12:10
       │
    12 │ pub enum DB { A }
       │          ^^ reserved
       │
       = help: its generated `ToSql` and `FromSql` impls use `DB` as a type parameter; rename the enum

    error: enum name `Some` is reserved in the generated module
       ┌─ schema/app.rs:15:10
       │
    15 │ pub enum Some { A }
       │          ^^^^ reserved
       │
       = help: diesel's `SqlType` derive calls `Some(...)` beside `sql_types::Some`; rename the enum

    error: enum name `__ST0` is reserved for generated code
       ┌─ schema/app.rs:18:10
       │
    18 │ pub enum __ST0 { A }
       │          ^^^^^ reserved
       │
       = help: names starting with `__` and an uppercase letter, `__diesel` or `__quarry` are those diesel and quarry give the items, type parameters and variables they generate

    error: could not generate the schema due to 5 previous errors
    ");
}

#[test]
fn a_table_module_clashing_with_a_type_is_refused() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "Mood")]
pub struct Feeling {
    #[column(primary_key)]
    pub id: i32,
}

#[db_enum]
pub enum Mood { Happy }
"#), @"
    error: table module `Mood` clashes with a type of the same name
      ┌─ schema/app.rs:3:12
      │
    3 │ pub struct Feeling {
      │            ^^^^^^^ table `Mood` gets this Rust module
      ·
    9 │ pub enum Mood { Happy }
      │          ---- the type
      │
      = help: modules and types share a namespace: rename the table or the type

    error: could not generate the schema due to 1 previous error
    ");
}

#[test]
fn duplicate_variants_are_refused() {
    insta::assert_snapshot!(errors(r#"
#[db_enum]
pub enum Mood {
    Happy,
    #[value = "glad"]
    r#Happy,
}
"#), @r#"
    error: variant `Happy` is declared twice in `Mood`
      ┌─ schema/app.rs:6:5
      │
    4 │     Happy,
      │     ----- first declared here
    5 │     #[value = "glad"]
    6 │     r#Happy,
      │     ^^^^^^^

    error: could not generate the schema due to 1 previous error
    "#);
}

#[test]
fn relations_whose_constants_meet_are_refused() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "authors")]
pub struct Author {
    #[column(primary_key)]
    pub id: i32,
    #[relation(has_many, back_populates = author)]
    pub books: Vec<Book>,
    #[relation(has_many)]
    pub _books: Vec<Book>,
}

#[table(name = "books")]
pub struct Book {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = authors.id)]
    pub author_id: i32,
    #[relation(belongs_to)]
    pub author: Author,
}
"#), @"
    error: relations `books` and `_books` would both get the constant `Author::BOOKS`
      ┌─ schema/app.rs:9:9
      │
    7 │     pub books: Vec<Book>,
      │         ----- the other relation
    8 │     #[relation(has_many)]
    9 │     pub _books: Vec<Book>,
      │         ^^^^^^
      │
      = help: rename one of them

    error: could not generate the schema due to 1 previous error
    ");
}

#[test]
fn an_emoji_table_name_is_refused_for_mysql() {
    insta::assert_snapshot!(errors(&table_named("party 🎉")), @"
    error: table name `party 🎉` contains `🎉` (U+1F389), outside Unicode's Basic Multilingual Plane
      ┌─ schema/app.rs:3:12
      │
    3 │ pub struct Thing {
      │            ^^^^^
      │
      = help: MySQL and MariaDB accept only characters up to U+FFFF in names; choose another name

    error: could not generate the schema due to 1 previous error
    ");
}

#[test]
fn a_nul_in_a_name_is_refused() {
    insta::assert_snapshot!(errors(&users_with("#[column(name = \"a\\0b\")] pub ab: i32,")), @r#"
    error: column name `a\u{0}b` contains the NUL character
      ┌─ schema/app.rs:6:34
      │
    6 │     #[column(name = "a\0b")] pub ab: i32,
      │                                  ^^
      │
      = help: no backend accepts NUL in a name

    error: could not generate the schema due to 1 previous error
    "#);
}

#[test]
fn a_column_name_ending_with_a_space_is_refused() {
    insta::assert_snapshot!(errors(&users_with("#[column(name = \"name \")] pub name: String,")), @r#"
    error: column name `name ` ends with a space
      ┌─ schema/app.rs:6:35
      │
    6 │     #[column(name = "name ")] pub name: String,
      │                                   ^^^^
      │
      = help: MySQL and MariaDB do not accept table and column names that end with a space

    error: could not generate the schema due to 1 previous error
    "#);
}

#[test]
fn backend_reserved_names_are_refused() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "sqlite_things", schema = "pg_things")]
pub struct Thing {
    #[column(primary_key)]
    pub id: i32,
    #[column(index)]
    pub code: i32,
}

#[table(name = "others", schema = "type")]
#[index(name = "primary", columns(code))]
pub struct Other {
    #[column(primary_key)]
    pub id: i32,
    pub code: i32,
}
"#), @r#"
    error: schema name `pg_things` starts with `pg_`
      ┌─ schema/app.rs:3:12
      │
    3 │ pub struct Thing {
      │            ^^^^^
      │
      = help: PostgreSQL reserves schema names starting with `pg_` for system schemas

    error: table name `sqlite_things` starts with `sqlite_`
      ┌─ schema/app.rs:3:12
      │
    3 │ pub struct Thing {
      │            ^^^^^
      │
      = help: SQLite reserves table and index names starting with `sqlite_` for itself

    error: constraint name `primary` is MySQL's name of the primary key
       ┌─ schema/app.rs:11:1
       │
    11 │ #[index(name = "primary", columns(code))]
       │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
       │
       = help: MySQL names the primary key `PRIMARY`; no other index or key may use that name

    error: schema name `type` is not a Rust identifier
       ┌─ schema/app.rs:12:12
       │
    12 │ pub struct Other {
       │            ^^^^^
       │
       = help: diesel's `table!` names the schema as an identifier: use letters, digits and `_`, and no keyword

    error: could not generate the schema due to 4 previous errors
    "#);
}

#[test]
fn a_table_name_too_long_for_its_primary_key_name_is_refused() {
    insta::assert_snapshot!(errors(&table_named(&"t".repeat(62))), @"
    error: the primary key constraint `pk_tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt` of table `tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt` is longer than 63 bytes
      ┌─ schema/app.rs:3:12
      │
    3 │ pub struct Thing {
      │            ^^^^^
      │
      = help: the primary key is named `pk_<table>`: keep the table name to 60 bytes

    error: could not generate the schema due to 1 previous error
    ");
}

#[test]
fn enum_values_a_backend_would_change_are_refused() {
    insta::assert_snapshot!(errors(r#"
#[db_enum]
pub enum Mood {
    #[value = "happy "]
    Happy,
    #[value = "sad\0"]
    Sad,
}
"#), @r#"
    error: the stored value `happy ` ends with a space
      ┌─ schema/app.rs:5:5
      │
    5 │     Happy,
      │     ^^^^^ stored as this value
      │
      = help: MySQL and MariaDB drop trailing spaces from `ENUM` values

    error: the stored value `sad\u{0}` contains the NUL character
      ┌─ schema/app.rs:7:5
      │
    7 │     Sad,
      │     ^^^ stored as this value
      │
      = help: PostgreSQL cannot store NUL in an enum label

    error: could not generate the schema due to 2 previous errors
    "#);
}
