//! What the generated cascade code does per relation option: a
//! `passive_deletes` relation gets no step in its model's `cascade` (the
//! database's ON DELETE does it), and only the relations `Session::unlink`
//! can honour get a `kind::Unlink` impl.

use quarry_codegen::{emit, Options};

const SCHEMA: &str = r#"
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    #[relation(has_many, passive_deletes)]
    pub posts: Vec<Post>,
    #[relation(has_many)]
    pub notes: Vec<Note>,
    #[relation(many_to_many, through = user_groups, passive_deletes)]
    pub groups: Vec<Group>,
}

#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = users.id, on_delete = set_null)]
    pub user_id: Option<i32>,
}

#[table(name = "notes")]
pub struct Note {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = users.id, on_delete = cascade)]
    pub user_id: i32,
    #[relation(belongs_to)]
    pub user: User,
}

#[table(name = "groups")]
pub struct Group {
    #[column(primary_key)]
    pub id: i32,
    #[relation(many_to_many, through = user_groups)]
    pub users: Vec<User>,
}

#[table(name = "user_groups")]
#[primary_key(user_id, group_id)]
pub struct UserGroup {
    #[column(references = users.id, on_delete = cascade)]
    pub user_id: i32,
    #[column(references = groups.id, on_delete = cascade)]
    pub group_id: i32,
}
"#;

fn generated() -> String {
    let schema = quarry_codegen::load_str("schema/app.rs", SCHEMA).unwrap_or_else(|_| panic!("the schema was refused"));
    emit::rust::generate(&schema, &Options::default()).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn passive_deletes_relations_get_no_delete_step() {
    let code = generated();
    // User: posts (passive, nullable) and groups (passive many_to_many) are
    // the database's; notes is NOT NULL without cascade: the database's too.
    // Its `model!` call has no `cascade` steps.
    assert!(code.contains(r#"struct User in users "users", meta 0; key [id "id": Integer generated]; columns { id: Integer key generated, } new NewUser, none_as_default true; changeset none; updated ["id"]; dense none; relations ["#), "{code}");
    // Group's side of the same association table is not passive.
    let group =
        r#"dense none; cascade [ { unlink "user_groups" user_groups::table, [user_groups::group_id] } ]; relations ["#;
    assert!(code.contains(group), "{code}");
}

#[test]
fn only_relations_unlink_can_honour_implement_kind_unlink() {
    let code = generated();
    let unlinkable = |relation: &str| code.contains(&format!("kind::Unlink for __quarry_relations::{relation} {{}}"));
    assert!(unlinkable("User__posts"), "a nullable key is cleared");
    assert!(unlinkable("User__groups") && unlinkable("Group__users"), "an association row is deleted");
    assert!(!unlinkable("User__notes"), "a NOT NULL key without delete-orphan");
    assert!(!unlinkable("Note__user"), "a NOT NULL key without delete-orphan, from the child");
}

#[test]
fn passive_deletes_on_many_to_many_needs_on_delete_cascade_on_the_association_table() {
    let schema = SCHEMA.replace("#[column(references = users.id, on_delete = cascade)]\n    pub user_id: i32,\n    #[column(references = groups.id", "#[column(references = users.id)]\n    pub user_id: i32,\n    #[column(references = groups.id");
    assert_ne!(schema, SCHEMA);
    let Err(errors) = quarry_codegen::load_str("schema/app.rs", &schema) else { panic!("the schema was accepted") };
    let text = errors.render(&[quarry_codegen::SourceFile { path: "schema/app.rs".into(), text: schema.clone() }]);
    assert!(
        text.contains("`passive_deletes` on `User.groups` leaves `user_groups` rows to the database, but its foreign key `UserGroup.user_id` has no `on_delete` action"),
        "{text}"
    );
    assert!(text.contains("could not generate the schema due to 1 previous error"), "{text}");
}
