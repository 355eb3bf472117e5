//! Every schema error is reported rustc-style at file:line:col, with the
//! offending text and a hint; all errors of a file at once; no panics.

fn errors(schema: &str) -> String {
    match quarry_codegen::load_str("schema/app.rs", schema) {
        Ok(_) => panic!("the schema was accepted"),
        Err(diagnostics) => {
            let files = vec![quarry_codegen::SourceFile { path: "schema/app.rs".into(), text: schema.into() }];
            diagnostics.render(&files)
        }
    }
}

#[test]
fn demo_schema_loads() {
    let mut files = Vec::new();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema");
    let mut paths: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    for path in paths {
        files.push(quarry_codegen::SourceFile {
            path: path.file_name().unwrap().to_string_lossy().into_owned(),
            text: std::fs::read_to_string(&path).unwrap(),
        });
    }
    let schema = match quarry_codegen::load(files.clone()) {
        Ok(schema) => schema,
        Err(d) => panic!("{}", d.render(&files)),
    };
    assert_eq!(schema.tables.len(), 12);
    println!("{schema:#?}");
}

#[test]
fn unknown_type() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    pub name: Strin,
}
"#), @"
    error: unknown column type `Strin`
      ┌─ schema/app.rs:6:9
      │
    6 │     pub name: Strin,
      │         ^^^^ `name` has type `Strin`
      │
      = help: did you mean `String`?

    error: could not generate the schema due to 1 previous error
    ");
}

#[test]
fn unsigned_integer_type() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: u32,
}
"#), @"
    error: unknown column type `u32`
      ┌─ schema/app.rs:5:13
      │
    5 │     pub id: u32,
      │             ^^^ not a column type
      │
      = help: quarry's integer columns are i16, i32 and i64

    error: could not generate the schema due to 1 previous error
    ");
}

#[test]
fn misspelled_attribute() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "users")]
pub struct User {
    #[colum(primary_key)]
    pub id: i32,
}
"#), @"
    error: table `users` has no primary key
      ┌─ schema/app.rs:3:12
      │
    3 │ pub struct User {
      │            ^^^^ no primary key
      │
      = help: mark a column `#[column(primary_key)]`, or list several with `#[primary_key(a, b)]` on the struct

    error: unknown field attribute `#[colum]`
      ┌─ schema/app.rs:4:7
      │
    4 │     #[colum(primary_key)]
      │       ^^^^^
      │
      = help: did you mean `column`?

    error: could not generate the schema due to 2 previous errors
    ");
}

#[test]
fn misspelled_column_key() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "users")]
pub struct User {
    #[column(primary_key, max_lenght = 10)]
    pub id: i32,
}
"#), @"
    error: unknown key `max_lenght` in `#[column]`; did you mean `max_length`?
      ┌─ schema/app.rs:4:27
      │
    4 │     #[column(primary_key, max_lenght = 10)]
      │                           ^^^^^^^^^^

    error: could not generate the schema due to 1 previous error
    ");
}

#[test]
fn foreign_key_to_unknown_table() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
}

#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = user.id)]
    pub user_id: i32,
}
"#), @"
    error: foreign key to unknown table `user`
       ┌─ schema/app.rs:12:27
       │
    12 │     #[column(references = user.id)]
       │                           ^^^^^^^ no table has this name
       │
       = help: did you mean `users`?

    error: could not generate the schema due to 1 previous error
    ");
}

#[test]
fn foreign_key_to_unknown_column() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
}

#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = users.uid)]
    pub user_id: i32,
}
"#), @"
    error: foreign key to unknown column `users.uid`
       ┌─ schema/app.rs:12:27
       │
    12 │     #[column(references = users.uid)]
       │                           ^^^^^^^^^ `users` has no column `uid`

    error: could not generate the schema due to 1 previous error
    ");
}

#[test]
fn foreign_key_type_mismatch() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i64,
}

#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = users.id)]
    pub user_id: i32,
}
"#), @"
    error: foreign key type mismatch: `posts.user_id` is i32 but `users.id` is i64
       ┌─ schema/app.rs:13:9
       │
     5 │     pub id: i64,
       │         -- the referenced column
       ·
    13 │     pub user_id: i32,
       │         ^^^^^^^ should be i64

    error: could not generate the schema due to 1 previous error
    ");
}

#[test]
fn relation_without_foreign_key() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    #[relation(has_many)]
    pub posts: Vec<Post>,
}

#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i32,
    pub user_id: i32,
}
"#), @"
    error: relation `posts` has no foreign key to follow: no foreign key of `Post` references `users`
      ┌─ schema/app.rs:7:9
      │
    7 │     pub posts: Vec<Post>,
      │         ^^^^^ no foreign key supports this relation
      │
      = help: add `#[column(references = users.<key>)]` to a column of `Post`

    error: could not generate the schema due to 1 previous error
    ");
}

#[test]
fn back_populates_mismatch() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    #[relation(has_many, back_populates = owner)]
    pub posts: Vec<Post>,
}

#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = users.id)]
    pub user_id: i32,
    #[relation(belongs_to, back_populates = posts)]
    pub author: User,
}
"#), @"
    error: back_populates mismatch: `Post` has no relation `owner`
      ┌─ schema/app.rs:7:9
      │
    7 │     pub posts: Vec<Post>,
      │         ^^^^^ `User.posts` names `Post.owner`

    error: back_populates mismatch between `Post.author` and `User.posts`
       ┌─ schema/app.rs:17:9
       │
     7 │     pub posts: Vec<Post>,
       │         ----- the other side
       ·
    17 │     pub author: User,
       │         ^^^^^^ `User.posts` says back_populates = owner

    error: could not generate the schema due to 2 previous errors
    ");
}

#[test]
fn duplicate_table() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
}

#[table(name = "users")]
pub struct Account {
    #[column(primary_key)]
    pub id: i32,
}
"#), @r#"
    error: table `users` is declared twice
      ┌─ schema/app.rs:9:12
      │
    3 │ pub struct User {
      │            ---- first declared here
      ·
    9 │ pub struct Account {
      │            ^^^^^^^ second declaration
      │
      = help: rename one of them with `#[table(name = "...")]`

    error: tables `users` and another map to the same Rust module `users`
      ┌─ schema/app.rs:9:12
      │
    3 │ pub struct User {
      │            ---- the other table
      ·
    9 │ pub struct Account {
      │            ^^^^^^^
      │
      = help: rename one table

    error: could not generate the schema due to 2 previous errors
    "#);
}

#[test]
fn duplicate_column() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    pub name: String,
    #[column(name = "name")]
    pub display_name: String,
}
"#), @r#"
    error: column `name` is declared twice in table `users`
      ┌─ schema/app.rs:8:9
      │
    6 │     pub name: String,
      │         ---- first declared here
    7 │     #[column(name = "name")]
    8 │     pub display_name: String,
      │         ^^^^^^^^^^^^ a second column with this SQL name
      │
      = help: give one of them another `#[column(name = "...")]`

    error: could not generate the schema due to 1 previous error
    "#);
}

#[test]
fn missing_primary_key() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "events")]
pub struct Event {
    pub name: String,
}
"#), @"
    error: table `events` has no primary key
      ┌─ schema/app.rs:3:12
      │
    3 │ pub struct Event {
      │            ^^^^^ no primary key
      │
      = help: mark a column `#[column(primary_key)]`, or list several with `#[primary_key(a, b)]` on the struct

    error: could not generate the schema due to 1 previous error
    ");
}

#[test]
fn max_length_on_non_string() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "users")]
pub struct User {
    #[column(primary_key, max_length = 10)]
    pub id: i32,
}
"#), @"
    error: `max_length` applies only to `String` columns, and `id` is not one
      ┌─ schema/app.rs:4:27
      │
    4 │     #[column(primary_key, max_length = 10)]
      │                           ^^^^^^^^^^
      │
      = help: remove `max_length`, or make the field a `String`

    error: could not generate the schema due to 1 previous error
    ");
}

#[test]
fn column_named_like_a_table_module_item() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "furniture")]
pub struct Furniture {
    #[column(primary_key)]
    pub id: i32,
    pub table: String,
}
"#), @r#"
    error: a column field cannot be named `table`: diesel's table module defines that name
      ┌─ schema/app.rs:6:9
      │
    6 │     pub table: String,
      │         ^^^^^ reserved in the table module
      │
      = help: rename the field and keep the SQL name: `#[column(name = "table")] pub table_: ...`

    error: could not generate the schema due to 1 previous error
    "#);
}

#[test]
fn table_named_like_a_generated_item() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "sql_types")]
pub struct SqlType {
    #[column(primary_key)]
    pub id: i32,
}
"#), @"
    error: table module `sql_types` would clash with a generated item
      ┌─ schema/app.rs:3:12
      │
    3 │ pub struct SqlType {
      │            ^^^^^^^
      │
      = help: choose another table name

    error: could not generate the schema due to 1 previous error
    ");
}

#[test]
fn every_error_of_a_file_at_once() {
    let report = errors(
        r#"
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    pub name: Strng,
    #[column(max_length = 5)]
    pub age: i16,
}

#[table(name = "posts")]
pub struct Post {
    pub title: String,
    #[column(reference = users.id)]
    pub user_id: i32,
}
"#,
    );
    insta::assert_snapshot!(report, @"
    error: unknown column type `Strng`
      ┌─ schema/app.rs:6:9
      │
    6 │     pub name: Strng,
      │         ^^^^ `name` has type `Strng`
      │
      = help: did you mean `String`?

    error: `max_length` applies only to `String` columns, and `age` is not one
      ┌─ schema/app.rs:7:14
      │
    7 │     #[column(max_length = 5)]
      │              ^^^^^^^^^^
      │
      = help: remove `max_length`, or make the field a `String`

    error: table `posts` has no primary key
       ┌─ schema/app.rs:12:12
       │
    12 │ pub struct Post {
       │            ^^^^ no primary key
       │
       = help: mark a column `#[column(primary_key)]`, or list several with `#[primary_key(a, b)]` on the struct

    error: unknown key `reference` in `#[column]`; did you mean `references`?
       ┌─ schema/app.rs:14:14
       │
    14 │     #[column(reference = users.id)]
       │              ^^^^^^^^^

    error: could not generate the schema due to 4 previous errors
    ");
}

#[test]
fn invalid_rust_syntax() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "users")]
pub struct User {
    pub id i32,
}
"#), @"
    error: this schema file is not valid Rust syntax: expected `:`
      ┌─ schema/app.rs:4:12
      │
    4 │     pub id i32,
      │            ^^^ here

    error: could not generate the schema due to 1 previous error
    ");
}

#[test]
fn enum_default_must_be_a_value() {
    insta::assert_snapshot!(errors(r#"
#[db_enum]
pub enum Mood { Happy, Sad }

#[table(name = "people")]
pub struct Person {
    #[column(primary_key)]
    pub id: i32,
    #[column(server_default = "angry")]
    pub mood: Mood,
}
"#), @"
    error: server_default of `mood` does not fit its type: `angry` is not a value of `Mood` (happy, sad)
       ┌─ schema/app.rs:10:9
       │
    10 │     pub mood: Mood,
       │         ^^^^ a Mood column

    error: could not generate the schema due to 1 previous error
    ");
}

#[test]
fn relation_kind_and_type_disagree() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    #[relation(has_many)]
    pub post: Post,
}

#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = users.id)]
    pub user_id: i32,
}
"#), @"
    error: a `has_many` relation needs a field of type Vec<Model>
      ┌─ schema/app.rs:7:15
      │
    7 │     pub post: Post,
      │               ^^^^ this type says the opposite cardinality

    error: could not generate the schema due to 1 previous error
    ");
}

#[test]
fn unknown_cascade_option() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    #[relation(has_many, cascade = "all, delete-orphn")]
    pub posts: Vec<Post>,
}

#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = users.id)]
    pub user_id: i32,
}
"#), @r#"
    error: unknown cascade option `delete-orphn`
      ┌─ schema/app.rs:6:36
      │
    6 │     #[relation(has_many, cascade = "all, delete-orphn")]
      │                                    ^^^^^^^^^^^^^^^^^^^
      │
      = help: did you mean `delete-orphan`?

    error: could not generate the schema due to 1 previous error
    "#);
}

#[test]
fn field_named_with_a_keyword_that_cannot_be_an_identifier() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    pub self: i32,
}
"#), @r#"
    error: this schema file is not valid Rust syntax: expected identifier, found keyword `self`
      ┌─ schema/app.rs:6:9
      │
    6 │     pub self: i32,
      │         ^^^^ here
      │
      = help: `self`, `Self`, `super`, `crate` and `_` cannot be names, not even raw (`r#self`): name the field, struct, enum or variant differently and keep the SQL name, e.g. `#[column(name = "self")] pub self_: i32`; other keywords work as raw identifiers (`pub r#type: String`)

    error: could not generate the schema due to 1 previous error
    "#);
}

#[test]
fn struct_field_with_a_raw_keyword_is_accepted() {
    let schema = quarry_codegen::load_str(
        "schema/app.rs",
        r#"
#[table(name = "match")]
pub struct Match {
    #[column(primary_key)]
    pub id: i32,
    pub r#type: String,
    #[column(name = "self")]
    pub self_: i32,
}
"#,
    )
    .expect("keywords as SQL names are fine");
    let table = &schema.tables[0];
    assert_eq!((table.name.as_str(), table.module.as_str()), ("match", "match"));
    assert_eq!(table.columns[1].name, "type");
    assert_eq!(table.columns[2].name, "self");
}

#[test]
fn numeric_precision_and_scale_within_what_every_backend_holds() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "prices")]
pub struct Price {
    #[column(primary_key)]
    pub id: i32,
    #[column(precision = 70, scale = 2)]
    pub too_wide: BigDecimal,
    #[column(precision = 4, scale = 6)]
    pub scale_over_precision: BigDecimal,
    #[column(scale = 2)]
    pub scale_alone: BigDecimal,
}
"#), @"
    error: column `too_wide`: a `precision` of 70 is more than the 65 digits MySQL holds
      ┌─ schema/app.rs:7:9
      │
    7 │     pub too_wide: BigDecimal,
      │         ^^^^^^^^ invalid NUMERIC
      │
      = help: write `precision = p, scale = s` with 1 <= p <= 65 and s <= min(p, 30)

    error: column `scale_over_precision`: a `scale` of 6 is more than the `precision` of 4
      ┌─ schema/app.rs:9:9
      │
    9 │     pub scale_over_precision: BigDecimal,
      │         ^^^^^^^^^^^^^^^^^^^^ invalid NUMERIC
      │
      = help: write `precision = p, scale = s` with 1 <= p <= 65 and s <= min(p, 30)

    error: column `scale_alone`: a `scale` needs a `precision`
       ┌─ schema/app.rs:11:9
       │
    11 │     pub scale_alone: BigDecimal,
       │         ^^^^^^^^^^^ invalid NUMERIC
       │
       = help: write `precision = p, scale = s` with 1 <= p <= 65 and s <= min(p, 30)

    error: could not generate the schema due to 3 previous errors
    ");
}

#[test]
fn passive_deletes_needs_an_on_delete_action() {
    insta::assert_snapshot!(errors(r#"
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    #[relation(has_many, back_populates = user, passive_deletes)]
    pub posts: Vec<Post>,
    #[relation(has_many, cascade = "all", passive_deletes = true)]
    pub notes: Vec<Note>,
}

#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = users.id)]
    pub user_id: i32,
    #[relation(belongs_to, back_populates = posts, passive_deletes)]
    pub user: User,
}

#[table(name = "notes")]
pub struct Note {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = users.id, on_delete = set_null)]
    pub user_id: Option<i32>,
}
"#), @"
    error: `passive_deletes` on `User.posts` leaves `posts` rows to the database, but its foreign key `Post.user_id` has no `on_delete` action
       ┌─ schema/app.rs:7:9
       │
     7 │     pub posts: Vec<Post>,
       │         ^^^^^ the database must delete or detach them, and the session will not
       ·
    16 │     #[column(references = users.id)]
       │                           -------- the foreign key
       │
       = help: add `on_delete = cascade` or `on_delete = set_null` to `#[column(references = ...)]` on `Post.user_id`, or drop `passive_deletes`

    error: `passive_deletes` on `User.notes` leaves `notes` rows to the database, but its foreign key `Note.user_id` has ON DELETE SET NULL
       ┌─ schema/app.rs:9:9
       │
     9 │     pub notes: Vec<Note>,
       │         ^^^^^ its rows must be deleted with the parent, and the session will not
       ·
    26 │     #[column(references = users.id, on_delete = set_null)]
       │                           -------- the foreign key
       │
       = help: add `on_delete = cascade` to `#[column(references = ...)]` on `Note.user_id`, or drop `passive_deletes`

    error: `passive_deletes` on the belongs_to relation `Post.user` means nothing
       ┌─ schema/app.rs:19:9
       │
    19 │     pub user: User,
       │         ^^^^ deleting this row never touches its parent
       │
       = help: declare `passive_deletes` on the has_many or has_one relation of the parent

    error: could not generate the schema due to 3 previous errors
    ");
}

#[test]
fn passive_deletes_over_an_on_delete_action_is_accepted() {
    let schema = quarry_codegen::load_str(
        "schema/app.rs",
        r#"
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    #[relation(has_many, cascade = "all, delete-orphan", passive_deletes)]
    pub posts: Vec<Post>,
    #[relation(has_many, passive_deletes = false)]
    pub notes: Vec<Note>,
}

#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = users.id, on_delete = cascade)]
    pub user_id: i32,
}

#[table(name = "notes")]
pub struct Note {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = users.id)]
    pub user_id: i32,
}
"#,
    )
    .unwrap_or_else(|_| panic!("the schema was refused"));
    let users = schema.table_by_struct("User").unwrap();
    assert!(users.relations[0].passive_deletes);
    assert!(!users.relations[1].passive_deletes);
}
