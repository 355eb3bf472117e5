//! The schema cases of quarry-codegen's snapshot tests, compiled here by
//! the build script and run on every backend: every column type survives a
//! round trip, defaults apply, constraints hold, enums convert, mutually
//! referencing tables are created and dropped, and hostile names (SQL and
//! Rust keywords, quotes, spaces, non-ASCII letters) work end to end.

use crate::common;

use bigdecimal::BigDecimal;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use diesel::prelude::*;
use serde_json::json;

macro_rules! case {
    ($name:ident) => {
        #[allow(clippy::all)]
        pub(crate) mod $name {
            include!(concat!(env!("OUT_DIR"), "/case_", stringify!($name), ".rs"));
        }
    };
}

case!(all_types);
case!(constraints);
case!(cycle);
case!(enums);
case!(hostile_names);
case!(pg_schema);

fn sample() -> all_types::NewSample {
    let day = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    let clock = NaiveTime::from_hms_micro_opt(23, 59, 58, 123_456).unwrap();
    let local = NaiveDateTime::new(day, clock);
    let instant = Utc.with_ymd_and_hms(2024, 3, 1, 8, 30, 0).unwrap() + chrono::Duration::microseconds(250);
    all_types::NewSample {
        maybe_small: Some(-3),
        maybe_int: Some(70_000),
        maybe_big: Some(-9_000_000_000),
        maybe_single: Some(0.5),
        maybe_double: Some(-2.25),
        maybe_flag: Some(false),
        maybe_body: Some("ünïcødé ✓".into()),
        maybe_amount: Some("-0.125".parse().unwrap()),
        maybe_day: Some(day),
        maybe_instant: Some(instant.into()),
        maybe_doc: Some(quarry::Json(json!([1, "two", null]))),
        maybe_bytes: Some(vec![]),
        maybe_clock: Some(clock),
        maybe_local: Some(local.into()),
        ..all_types::NewSample::new(
            i16::MIN,
            i32::MAX,
            i64::MIN,
            1.5f32,
            std::f64::consts::PI,
            true,
            "it's a \"body\" with \\ and 'quotes'",
            "CODE-1",
            "123456789.125".parse::<BigDecimal>().unwrap(),
            day,
            clock,
            local,
            instant,
            json!({"a": 1, "nested": {"b": [true, false]}}),
            quarry::Jsonb(json!({"k": "v"})),
            vec![0u8, 1, 2, 255],
        )
    }
}

common::backend_tests! {
    fn every_column_type_round_trips(conn) {
        all_types::create_all(conn).unwrap();
        let new = sample();
        diesel::insert_into(all_types::samples::table).values(&new).execute(conn).unwrap();
        let empty = all_types::NewSample { maybe_small: None, maybe_bytes: None, maybe_doc: None, ..sample() };
        let empty = all_types::NewSample {
            maybe_int: None, maybe_big: None, maybe_single: None, maybe_double: None, maybe_flag: None,
            maybe_body: None, maybe_amount: None, maybe_day: None, maybe_instant: None, ..empty
        };
        diesel::insert_into(all_types::samples::table).values(&empty).execute(conn).unwrap();

        let rows: Vec<all_types::Sample> = all_types::samples::table
            .order(all_types::samples::id)
            .select(all_types::Sample::as_select())
            .load(conn)
            .unwrap();
        assert_eq!(rows.len(), 2);
        let (full, nulls) = (&rows[0], &rows[1]);
        assert_eq!(full.small, new.small);
        assert_eq!(full.int, new.int);
        assert_eq!(full.big, new.big);
        assert_eq!(full.single, new.single);
        assert_eq!(full.double, new.double);
        assert_eq!(full.flag, new.flag);
        assert_eq!(full.body, new.body);
        assert_eq!(full.code, new.code);
        assert_eq!(full.amount, new.amount);
        assert_eq!(full.day, new.day);
        assert_eq!(full.clock, new.clock);
        assert_eq!(full.local, new.local);
        assert_eq!(full.instant, new.instant);
        assert_eq!(full.doc, new.doc);
        assert_eq!(full.doc_b, new.doc_b);
        assert_eq!(full.bytes, new.bytes);
        assert_eq!(full.maybe_small, Some(-3));
        assert_eq!(full.maybe_body, new.maybe_body);
        assert_eq!(full.maybe_amount, new.maybe_amount);
        assert_eq!(full.maybe_instant, new.maybe_instant);
        assert_eq!(full.maybe_doc, new.maybe_doc);
        assert_eq!(full.maybe_bytes, Some(vec![]));
        // The 32nd column, the widest table `model!` expands.
        assert_eq!((full.maybe_clock, full.maybe_local), (new.maybe_clock, new.maybe_local));
        assert_eq!(
            (nulls.maybe_small, nulls.maybe_int, nulls.maybe_big, nulls.maybe_flag, &nulls.maybe_body, &nulls.maybe_doc),
            (None, None, None, None, &None, &None)
        );

        // Typed comparisons on the portable types.
        let later: i64 = all_types::samples::table
            .filter(all_types::samples::instant.ge(quarry::UtcDateTime(Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap())))
            .count()
            .get_result(conn)
            .unwrap();
        assert_eq!(later, 2);
        all_types::drop_all(conn).unwrap();
    }

    fn models_and_changesets_write_back(conn) {
        use all_types::samples;
        all_types::create_all(conn).unwrap();
        // A `New*` row by value, then the model read back.
        diesel::insert_into(samples::table).values(sample()).execute(conn).unwrap();
        let mut row: all_types::Sample = samples::table.select(all_types::Sample::as_select()).first(conn).unwrap();

        // The model by reference writes every non-key column, `None` as NULL.
        row.body = "rewritten".into();
        row.maybe_small = None;
        row.maybe_body = Some("kept".into());
        row.double = -0.5;
        assert_eq!(diesel::update(&row).set(&row).execute(conn).unwrap(), 1);
        let stored = samples::table.find(row.id).select(all_types::Sample::as_select());
        assert_eq!(stored.first::<all_types::Sample>(conn).unwrap(), row);

        // A changeset by value: `None` leaves a column alone, `Some(None)`
        // writes NULL; and by reference.
        let nulled = all_types::SampleChangeset { maybe_body: Some(None), int: Some(5), ..Default::default() };
        assert_eq!(diesel::update(&row).set(nulled).execute(conn).unwrap(), 1);
        let recoded = all_types::SampleChangeset { code: Some("CODE-2".into()), ..Default::default() };
        assert_eq!(diesel::update(&row).set(&recoded).execute(conn).unwrap(), 1);
        let back: all_types::Sample = stored.first(conn).unwrap();
        assert_eq!(
            (back.maybe_body.as_deref(), back.int, back.code.as_str(), back.body.as_str(), back.maybe_small),
            (None, 5, "CODE-2", "rewritten", None)
        );
        assert_eq!(all_types::Sample { maybe_body: None, int: 5, code: "CODE-2".into(), ..row }, back);

        // `save_changes` writes the model back and reads it again.
        let edited = all_types::Sample { maybe_flag: None, small: 9, ..back };
        let saved: all_types::Sample = (&edited).save_changes(conn).unwrap();
        assert_eq!(saved, edited);
        assert_eq!(stored.first::<all_types::Sample>(conn).unwrap(), edited);
        all_types::drop_all(conn).unwrap();
    }

    fn server_and_client_defaults_apply(conn) {
        all_types::create_all(conn).unwrap();
        diesel::insert_into(all_types::defaults::table).values(all_types::NewDefaults::new()).execute(conn).unwrap();
        let row: all_types::Defaults = all_types::defaults::table.select(all_types::Defaults::as_select()).first(conn).unwrap();
        assert_eq!((row.seven, row.minus_one, row.ratio, row.on), (7, -1, 2.5, true));
        assert_eq!(row.label, "it's");
        assert_eq!(row.computed, 2);
        assert_eq!((row.client, row.client_text.as_str(), row.both, row.maybe_client), (3, "new", 1.5, Some(4)));
        let today = Utc::now().date_naive();
        assert!((row.dated - today).num_days().abs() <= 1, "{} vs {today}", row.dated);
        assert!((*row.stamped - Utc::now().naive_utc()).num_hours().abs() <= 24, "{}", row.stamped);
    }

    fn constraints_hold(conn) {
        use constraints::{bins, stock, warehouses};
        constraints::create_all(conn).unwrap();
        diesel::insert_into(warehouses::table)
            .values(&vec![constraints::NewWarehouse::new("W1", "Leeds"), constraints::NewWarehouse::new("W2", "York")])
            .execute(conn)
            .unwrap();
        let ids: Vec<i32> = warehouses::table.order(warehouses::id).select(warehouses::id).load(conn).unwrap();
        let bin = |aisle: i16, shelf: i16, label: &str| constraints::NewBin::new(ids[0], aisle, shelf, label);
        diesel::insert_into(bins::table).values(bin(1, 1, "A")).execute(conn).unwrap();

        // unique (warehouse_id, label)
        assert!(diesel::insert_into(bins::table).values(bin(2, 1, "A")).execute(conn).is_err());
        // check aisle > 0
        assert!(diesel::insert_into(bins::table).values(bin(0, 1, "B")).execute(conn).is_err());
        // check shelf >= 0
        assert!(diesel::insert_into(bins::table).values(bin(1, -1, "C")).execute(conn).is_err());
        // unique warehouses.code
        assert!(diesel::insert_into(warehouses::table).values(constraints::NewWarehouse::new("W1", "Hull")).execute(conn).is_err());

        // A composite foreign key to an existing bin, and to a missing one.
        let stocked = constraints::NewStock { home_id: Some(ids[0]), ..constraints::NewStock::new(ids[0], 1, 1) };
        diesel::insert_into(stock::table).values(&stocked).execute(conn).unwrap();
        let dangling = constraints::NewStock { home_id: Some(ids[0]), ..constraints::NewStock::new(ids[0], 9, 9) };
        assert!(diesel::insert_into(stock::table).values(&dangling).execute(conn).is_err());
        // ON DELETE RESTRICT: the stocked bin stays.
        assert!(diesel::delete(bins::table).execute(conn).is_err());
        assert_eq!(bins::table.count().get_result::<i64>(conn).unwrap(), 1);
        constraints::drop_all(conn).unwrap();
    }

    fn mutually_referencing_tables(conn) {
        use cycle::{departments, people};
        cycle::create_all(conn).unwrap();
        diesel::insert_into(departments::table).values(cycle::NewDepartment::new()).execute(conn).unwrap();
        let department: i32 = departments::table.select(departments::id).first(conn).unwrap();
        diesel::insert_into(people::table)
            .values(cycle::NewPerson { department_id: Some(department), ..cycle::NewPerson::new() })
            .execute(conn)
            .unwrap();
        let person: i32 = people::table.select(people::id).first(conn).unwrap();
        diesel::update(departments::table).set(departments::head_id.eq(person)).execute(conn).unwrap();
        // The deferred key exists: a missing head is rejected.
        assert!(diesel::update(departments::table).set(departments::head_id.eq(person + 100)).execute(conn).is_err());
        cycle::drop_all(conn).unwrap();
        cycle::create_all(conn).unwrap();
        cycle::drop_all(conn).unwrap();
    }

    fn enums_convert(conn) {
        use enums::{crossings, Light, PaymentState};
        enums::create_all(conn).unwrap();
        let rows = vec![
            enums::NewCrossing::new(PaymentState::Unpaid),
            enums::NewCrossing { light: Light::Green, fallback: Some(Light::Amber), ..enums::NewCrossing::new(PaymentState::PaidInFull) },
        ];
        diesel::insert_into(crossings::table).values(&rows).execute(conn).unwrap();
        let found: Vec<(Light, Option<Light>, PaymentState)> = crossings::table
            .order(crossings::id)
            .select((crossings::light, crossings::fallback, crossings::payment))
            .load(conn)
            .unwrap();
        assert_eq!(found, vec![(Light::Red, None, PaymentState::Unpaid), (Light::Green, Some(Light::Amber), PaymentState::PaidInFull)]);
        let green: i64 = crossings::table.filter(crossings::light.eq(Light::Green)).count().get_result(conn).unwrap();
        assert_eq!(green, 1);
        assert_eq!(PaymentState::Unpaid.as_str(), "not-paid");
        assert_eq!("paid_in_full".parse::<PaymentState>().unwrap(), PaymentState::PaidInFull);
        assert!("purple".parse::<Light>().is_err());
        // A stored value outside the enum is refused by the database.
        assert!(diesel::sql_query("INSERT INTO crossings (light, payment) VALUES ('purple', 'not-paid')").execute(conn).is_err());
    }

    fn hostile_names_work(conn) {
        use hostile_names::{données, group_by, order, user};
        hostile_names::create_all(conn).unwrap();
        diesel::insert_into(order::table)
            .values(hostile_names::NewOrder {
                r#match: Some("m".into()),
                row: Some(3),
                kind: Some(hostile_names::Kind::r#match),
                ..hostile_names::NewOrder::new(1, "t", 2, "s")
            })
            .execute(conn)
            .unwrap();
        let o: hostile_names::Order = order::table.select(hostile_names::Order::as_select()).first(conn).unwrap();
        assert_eq!((o.group, o.r#type.as_str(), o.r#match.as_deref(), o.self_, o.select.as_str()), (1, "t", Some("m"), 2, "s"));
        assert_eq!((o.row, o.S, o.kind), (Some(3), None, Some(hostile_names::Kind::r#match)));
        diesel::insert_into(user::table)
            .values(hostile_names::NewUser { café: Some(7), order_id: Some(o.id), ..hostile_names::NewUser::new("it's", "Zoë") })
            .execute(conn)
            .unwrap();
        let (name, kind): (String, String) =
            user::table.inner_join(order::table).select((user::first_name, order::r#type)).first(conn).unwrap();
        assert_eq!((name.as_str(), kind.as_str()), ("Zoë", "t"));
        let u: i32 = user::table.filter(user::its.eq("it's")).filter(user::café.eq(7)).select(user::id).first(conn).unwrap();
        // An upsert names the columns by SQL name: "it's", "first name", "café".
        let again = hostile_names::NewUser {
            id: Some(u),
            café: Some(8),
            order_id: Some(o.id),
            ..hostile_names::NewUser::new("it's", "Zoé")
        };
        quarry::model::UpsertRows::upsert_rows(
            std::slice::from_ref(&again),
            quarry::model::Conflict::of::<hostile_names::NewUser>(),
            conn,
        )
        .unwrap();
        let (first, café): (String, Option<i32>) =
            user::table.filter(user::id.eq(u)).select((user::first_name, user::café)).first(conn).unwrap();
        assert_eq!((first.as_str(), café, user::table.count().get_result::<i64>(conn).unwrap()), ("Zoé", Some(8), 1));
        diesel::insert_into(group_by::table).values(hostile_names::NewGroupBy::new(u)).execute(conn).unwrap();
        let g: i32 = group_by::table.select(group_by::id).first(conn).unwrap();
        diesel::insert_into(données::table)
            .values(hostile_names::NewDonnée { group_id: Some(g), ..hostile_names::NewDonnée::new("\"") })
            .execute(conn)
            .unwrap();
        let quoted: String = données::table.select(données::quoted).first(conn).unwrap();
        assert_eq!(quoted, "\"");
        diesel::update(order::table).set(&hostile_names::OrderChangeset { r#type: Some("u".into()), ..Default::default() }).execute(conn).unwrap();
        // ON DELETE SET NULL from "group by" to "données", CASCADE from "order" to "user".
        diesel::delete(group_by::table).execute(conn).unwrap();
        let orphan: Option<i32> = données::table.select(données::group_id).first(conn).unwrap();
        assert_eq!(orphan, None);
        diesel::delete(order::table).execute(conn).unwrap();
        assert_eq!(user::table.count().get_result::<i64>(conn).unwrap(), 0);
        hostile_names::drop_all(conn).unwrap();
    }
}

/// Namespaced tables are PostgreSQL-only (documented): run there.
#[cfg(feature = "postgres")]
#[test]
fn postgres_schemas_namespace_tables_and_types() {
    use pg_schema::{accounts, audit, sessions, Role};
    let Some(mut conn) = common::postgres("pg_schema") else { return };
    let conn = &mut conn;
    pg_schema::drop_all(conn).unwrap();
    pg_schema::create_all(conn).unwrap();
    diesel::insert_into(accounts::table).values(pg_schema::NewAccount::new("ada", Role::Admin)).execute(conn).unwrap();
    let id: i32 = accounts::table.select(accounts::id).first(conn).unwrap();
    diesel::insert_into(sessions::table).values(pg_schema::NewSession::new(id)).execute(conn).unwrap();
    diesel::insert_into(audit::table)
        .values(pg_schema::NewAudit { account_id: Some(id), ..Default::default() })
        .execute(conn)
        .unwrap();
    let (login, role): (String, Role) =
        sessions::table.inner_join(accounts::table).select((accounts::login, accounts::role)).first(conn).unwrap();
    assert_eq!((login.as_str(), role), ("ada", Role::Admin));
    // Other tests make `sessions` tables in schemas of their own: ask for auth's.
    let in_auth: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT count(*) FROM information_schema.tables WHERE table_schema = 'auth' AND table_name = 'sessions')",
    ))
    .get_result(conn)
    .unwrap();
    assert_eq!(in_auth, 1, "the table is in the auth schema");
    pg_schema::drop_all(conn).unwrap();
}

/// `reset_sequence` finds the sequence of a table in a schema of its own.
#[cfg(feature = "postgres")]
#[test]
fn postgres_reset_sequence_of_a_table_in_a_schema() {
    use pg_schema::{accounts, Account, NewAccount, Role};
    let Some(engine) = common::postgres_engine("pg_schema_sequence", quarry::Engine::builder()) else { return };
    let mut session = engine.session().unwrap();
    pg_schema::drop_all(session.connection()).unwrap();
    pg_schema::create_all(session.connection()).unwrap();
    let loaded = NewAccount { id: Some(41), ..NewAccount::new("loaded", Role::Member) };
    session.execute(diesel::insert_into(accounts::table).values(loaded)).unwrap();
    session.reset_sequence::<Account>().unwrap();
    let next = session.add(NewAccount::new("next", Role::Admin));
    assert_eq!(session.flush().unwrap().key(next), Some(&42));
    pg_schema::drop_all(session.connection()).unwrap();
}

/// The schema model the code generator lowers from the schema files in `dir`.
fn lowered(dir: &str) -> quarry::Metadata {
    let files = quarry_codegen::read_schema_dir(std::path::Path::new(dir)).expect("a schema folder");
    quarry_codegen::lower::lower(&quarry_codegen::load(files).expect("a valid schema"))
}

/// `METADATA` is what each `model!` call's expansion writes (its table's
/// name, columns and key worked out by the macro, the rest given), joined
/// at run time: it must read back as exactly the model the code generator
/// lowered, for the demo schema and every case (renamed and raw columns,
/// hostile names, enums, decimals, server defaults, schemas).
#[test]
fn metadata_is_the_model_the_code_generator_lowered() {
    let cases = "../crates/codegen/tests/cases";
    assert_eq!(*crate::schema::METADATA, lowered("../schema"));
    assert_eq!(*all_types::METADATA, lowered(&format!("{cases}/all_types")));
    assert_eq!(*constraints::METADATA, lowered(&format!("{cases}/constraints")));
    assert_eq!(*cycle::METADATA, lowered(&format!("{cases}/cycle")));
    assert_eq!(*enums::METADATA, lowered(&format!("{cases}/enums")));
    assert_eq!(*hostile_names::METADATA, lowered(&format!("{cases}/hostile_names")));
    assert_eq!(*pg_schema::METADATA, lowered(&format!("{cases}/pg_schema")));
}
