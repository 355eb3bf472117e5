//! DDL details the schema cases do not show: ordering around cycles, keys
//! over unbounded text on MySQL, and the statements migrations reuse.

use quarry_schema::db::Schema;
use quarry_schema::{ddl, order, Backend};

fn load(text: &str) -> Schema {
    quarry_codegen::lower::database(&quarry_codegen::load_str("schema.rs", text).unwrap_or_else(|e| panic!("{e}")))
}

/// A table that only depends on a cycle is placed after it, keeping its
/// foreign key inline; only a key that closes the cycle is deferred.
#[test]
fn only_keys_that_close_a_cycle_are_deferred() {
    let schema = load(
        r#"
        #[table(name = "d")]
        pub struct D { #[column(primary_key)] pub id: i32, #[column(references = c.id)] pub c_id: Option<i32> }
        #[table(name = "a")]
        pub struct A { #[column(primary_key)] pub id: i32, #[column(references = b.id)] pub b_id: Option<i32> }
        #[table(name = "b")]
        pub struct B { #[column(primary_key)] pub id: i32, #[column(references = c.id)] pub c_id: Option<i32> }
        #[table(name = "c")]
        pub struct C { #[column(primary_key)] pub id: i32, #[column(references = a.id)] pub a_id: Option<i32> }
        "#,
    );
    let order = order::order(&schema);
    let names: Vec<&str> = order.tables.iter().map(|t| &*t.name).collect();
    assert_eq!(names, ["a", "c", "d", "b"]);
    assert_eq!(order.deferred.iter().collect::<Vec<_>>(), ["fk_a_b_id_b"]);

    let script = ddl::script(&schema, Backend::Postgres);
    let alters: Vec<&String> = script.create.iter().filter(|s| s.starts_with("ALTER")).collect();
    assert_eq!(alters, [r#"ALTER TABLE "a" ADD CONSTRAINT "fk_a_b_id_b" FOREIGN KEY ("b_id") REFERENCES "b" ("id")"#]);
    assert_eq!(script.drop[0], r#"ALTER TABLE IF EXISTS "a" DROP CONSTRAINT IF EXISTS "fk_a_b_id_b""#);
}

/// MySQL indexes TEXT by a prefix, but a foreign key takes no prefix.
#[test]
fn mysql_prefixes_text_in_keys_but_not_in_foreign_keys() {
    let schema = load(
        r#"
        #[table(name = "codes")]
        pub struct Code { #[column(primary_key)] pub code: String }
        #[table(name = "uses")]
        pub struct Use { #[column(primary_key)] pub id: i32, #[column(references = codes.code, index)] pub code: String }
        "#,
    );
    let script = ddl::script(&schema, Backend::Mysql);
    assert!(script.create[0].contains("PRIMARY KEY (`code`(255))"), "{}", script.create[0]);
    assert!(script.create[1].contains("FOREIGN KEY (`code`) REFERENCES `codes` (`code`)"), "{}", script.create[1]);
    assert_eq!(script.create[2], "CREATE INDEX `ix_uses_code` ON `uses` (`code`(255))");
}

#[test]
fn drop_statements_for_migrations() {
    let schema = load(
        r#"
        #[db_enum(schema = "auth")]
        pub enum Role { Admin }
        #[table(name = "users", schema = "auth")]
        #[index(role)]
        pub struct User { #[column(primary_key)] pub id: i32, pub role: Role }
        "#,
    );
    let table = &schema.tables[0];
    let index = &table.indexes[0].name;
    let drops: Vec<String> = Backend::ALL.iter().map(|&b| ddl::drop_index(b, table, index)).collect();
    assert_eq!(
        drops,
        [
            r#"DROP INDEX IF EXISTS "ix_users_role""#,
            r#"DROP INDEX IF EXISTS "auth"."ix_users_role""#,
            "DROP INDEX `ix_users_role` ON `users`",
        ]
    );
    let fks: Vec<Option<String>> = Backend::ALL.iter().map(|&b| ddl::drop_foreign_key(b, table, "fk_x")).collect();
    assert_eq!(
        fks,
        [
            None,
            Some(r#"ALTER TABLE IF EXISTS "auth"."users" DROP CONSTRAINT IF EXISTS "fk_x""#.to_owned()),
            Some("ALTER TABLE `users` DROP FOREIGN KEY `fk_x`".to_owned()),
        ]
    );
    assert_eq!(ddl::drop_enum(Backend::Postgres, &schema.enums[0]), r#"DROP TYPE IF EXISTS "auth"."role""#);
}
