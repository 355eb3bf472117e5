//! Every value round-trips or is refused: each column type × its edge
//! values, written through the Session and read back on every backend.
//! A value comes back equal, or the write fails with a clear error and
//! nothing is written. docs/values.md is this file's table in prose.

use crate::common;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use diesel::prelude::*;
use quarry::engine::Backend;
use serde_json::{json, Value};

use crate::generated_cases::all_types;
use all_types::{samples, NewSample, Sample};

/// What a backend does with a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Read back equal.
    Same,
    /// Refused with `Error::Data`, nothing written.
    Refused,
    /// Refused by a constraint (`Error::Integrity`), nothing written.
    Constraint,
}
use Outcome::{Constraint, Refused, Same};

/// One edge value of one column: the row to write, how to compare what is
/// read back, and the outcome on SQLite, PostgreSQL and MySQL/MariaDB.
struct Case {
    name: String,
    row: NewSample,
    same: Box<dyn Fn(&Sample) -> bool>,
    expect: [Outcome; 3],
}

fn base() -> NewSample {
    let day = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    let clock = NaiveTime::from_hms_opt(12, 0, 0).unwrap();
    NewSample::new(
        0,
        0,
        0,
        0.0,
        0.0,
        false,
        "",
        "",
        "0".parse::<bigdecimal::BigDecimal>().unwrap(),
        day,
        clock,
        NaiveDateTime::new(day, clock),
        Utc.with_ymd_and_hms(2024, 2, 29, 12, 0, 0).unwrap(),
        json!({}),
        quarry::Jsonb(json!({})),
        Vec::new(),
    )
}

const ALL: [Outcome; 3] = [Same, Same, Same];

/// `case!(field = value, expect)`: a row of `base()` with `field` set,
/// read back equal when `row.field == value`.
macro_rules! case {
    ($cases:ident, $field:ident = $value:expr, $expect:expr) => {{
        let value = $value;
        let shown = format!("{:?}", value);
        let shown: String = if shown.len() > 60 {
            format!("{}… ({} chars)", shown.chars().take(40).collect::<String>(), shown.len())
        } else {
            shown
        };
        let row = NewSample { $field: value.into(), ..base() };
        let expected = row.$field.clone();
        $cases.push(Case {
            name: format!("{} = {}", stringify!($field), shown),
            row,
            same: Box::new(move |read: &Sample| read.$field == expected),
            expect: $expect,
        });
    }};
}

fn dt(y: i32, m: u32, d: u32, h: u32, mi: u32, s: u32, micro: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_micro_opt(h, mi, s, micro).unwrap()
}

fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

fn nested(levels: usize) -> Value {
    (0..levels).fold(json!(1), |inner, _| json!([inner]))
}

fn dec(text: &str) -> bigdecimal::BigDecimal {
    text.parse().unwrap()
}

fn cases() -> Vec<Case> {
    let mut c = Vec::new();
    // Integers: every bound.
    case!(c, small = i16::MIN, ALL);
    case!(c, small = i16::MAX, ALL);
    case!(c, int = i32::MIN, ALL);
    case!(c, int = i32::MAX, ALL);
    case!(c, big = i64::MIN, ALL);
    case!(c, big = i64::MAX, ALL);
    // Floats. -0.0 == 0.0 in Rust; SQLite and MariaDB keep no sign on zero.
    for value in [f64::MIN, f64::MAX, f64::MIN_POSITIVE, f64::EPSILON, -0.0, std::f64::consts::PI] {
        case!(c, double = value, ALL);
    }
    for value in [f32::MIN, f32::MAX, f32::MIN_POSITIVE, -0.0, 0.1] {
        case!(c, single = value, ALL);
    }
    for value in [f64::INFINITY, f64::NEG_INFINITY] {
        case!(c, double = value, [Same, Same, Refused]);
    }
    // SQLite would store NaN as NULL: the session refuses it there.
    c.push(Case {
        name: "double = NaN".into(),
        row: NewSample { double: f64::NAN, ..base() },
        same: Box::new(|row| row.double.is_nan()),
        expect: [Refused, Same, Refused],
    });
    c.push(Case {
        name: "maybe_double = Some(NaN)".into(),
        row: NewSample { maybe_double: Some(f64::NAN), ..base() },
        same: Box::new(|row| row.maybe_double.is_some_and(f64::is_nan)),
        expect: [Refused, Same, Refused],
    });
    c.push(Case {
        name: "maybe_single = Some(NaN)".into(),
        row: NewSample { maybe_single: Some(f32::NAN), ..base() },
        same: Box::new(|row| row.maybe_single.is_some_and(f32::is_nan)),
        expect: [Refused, Same, Refused],
    });
    // Text.
    for value in
        ["", "'; DROP TABLE samples; --", "back\\slash \"quoted\" 'single'", "🦀 emoji ✓ ünïcødé", "tab\tnew\nline"]
    {
        case!(c, body = value.to_owned(), ALL);
    }
    case!(c, body = "a\0b".to_owned(), [Same, Refused, Same]);
    case!(c, body = "x".repeat(65_535), ALL);
    case!(c, body = "x".repeat(1 << 20), [Same, Same, Refused]);
    case!(c, code = "🦀".repeat(40), ALL);
    // SQLite does not enforce VARCHAR lengths: the text is kept whole.
    case!(c, code = "x".repeat(41), [Same, Refused, Refused]);
    // Decimals: NUMERIC(12, 3), and NUMERIC without precision (`maybe_amount`).
    for value in ["0", "0.1", "1.10", "19.99", "-0.125", "999999999.999", "-999999999.999", "0.001"] {
        case!(c, amount = dec(value), ALL);
    }
    c.push(Case {
        name: "amount = 0.0005 (rounded to the scale)".into(),
        row: NewSample { amount: dec("0.0005").into(), ..base() },
        same: Box::new(|row| *row.amount == dec("0.001")),
        expect: ALL,
    });
    case!(c, amount = dec("1000000000"), [Refused, Refused, Refused]);
    for value in ["0.1", "123456789012.345", "-0.000000000000001"] {
        case!(c, maybe_amount = Some(quarry::Decimal(dec(value))), ALL);
    }
    case!(c, maybe_amount = Some(quarry::Decimal(dec("12345678901234567890.123"))), [Refused, Same, Same]);
    // Dates and times.
    for value in [(1, 1, 1), (1969, 12, 31), (1970, 1, 1), (2038, 1, 20), (9999, 12, 31)] {
        case!(c, day = NaiveDate::from_ymd_opt(value.0, value.1, value.2).unwrap(), ALL);
    }
    case!(c, day = NaiveDate::from_ymd_opt(-1, 1, 1).unwrap(), [Same, Same, Refused]);
    case!(c, clock = NaiveTime::from_hms_micro_opt(23, 59, 59, 1_500_000).unwrap(), [Refused, Refused, Refused]);
    case!(c, day = NaiveDate::from_ymd_opt(10000, 1, 1).unwrap(), [Same, Same, Refused]);
    // Nanoseconds: SQLite keeps them, PostgreSQL and MySQL keep microseconds.
    let nanos = NaiveTime::from_hms_nano_opt(1, 2, 3, 123_456_789).unwrap();
    let micros = NaiveTime::from_hms_micro_opt(1, 2, 3, 123_456).unwrap();
    c.push(Case {
        name: "clock = 01:02:03.123456789".into(),
        row: NewSample { clock: nanos, ..base() },
        same: Box::new(move |row| row.clock == nanos || row.clock == micros),
        expect: ALL,
    });
    let (at_nanos, at_micros) = (NaiveDateTime::new(base().day, nanos), NaiveDateTime::new(base().day, micros));
    c.push(Case {
        name: "local = …01:02:03.123456789".into(),
        row: NewSample { local: at_nanos.into(), ..base() },
        same: Box::new(move |row| *row.local == at_nanos || *row.local == at_micros),
        expect: ALL,
    });
    for value in [(0, 0, 0, 0), (23, 59, 59, 999_999), (12, 30, 0, 1)] {
        case!(c, clock = NaiveTime::from_hms_micro_opt(value.0, value.1, value.2, value.3).unwrap(), ALL);
    }
    let edges = [
        dt(1, 1, 1, 0, 0, 0, 0),
        dt(1000, 1, 1, 0, 0, 0, 0),
        dt(1969, 12, 31, 23, 59, 59, 999_999),
        dt(1970, 1, 1, 0, 0, 0, 0),
        dt(2038, 1, 19, 3, 14, 8, 0),
        dt(2100, 1, 1, 0, 0, 0, 0),
        dt(9999, 12, 31, 23, 59, 59, 999_999),
    ];
    for at in edges {
        case!(c, local = at, ALL);
        case!(c, instant = quarry::UtcDateTime(utc(at)), ALL);
    }
    let kathmandu = chrono::FixedOffset::east_opt(5 * 3600 + 45 * 60).unwrap();
    let at = kathmandu.with_ymd_and_hms(2024, 3, 31, 1, 30, 0).unwrap();
    case!(c, instant = quarry::UtcDateTime(at.with_timezone(&Utc)), ALL);
    let leap = NaiveDate::from_ymd_opt(2016, 12, 31).unwrap().and_hms_micro_opt(23, 59, 59, 1_500_000).unwrap();
    case!(c, local = leap, [Refused, Refused, Refused]);
    case!(c, instant = quarry::UtcDateTime(utc(leap)), [Refused, Refused, Refused]);
    let year_10000 = dt(10000, 1, 1, 0, 0, 0, 0);
    case!(c, local = year_10000, [Refused, Same, Refused]);
    case!(c, instant = quarry::UtcDateTime(utc(year_10000)), [Refused, Same, Refused]);
    // JSON.
    for value in
        [json!(null), json!(""), json!("🦀 \"quoted\" \\"), json!({"nested": {"a": [1, 2.5, -3]}}), json!(i64::MIN)]
    {
        case!(c, doc = quarry::Json(value.clone()), ALL);
        case!(c, doc_b = quarry::Jsonb(value), ALL);
    }
    use quarry::types::{MAX_JSON_DEPTH, MAX_MYSQL_JSON_DEPTH};
    case!(c, doc = quarry::Json(nested(MAX_MYSQL_JSON_DEPTH)), ALL);
    case!(c, doc_b = quarry::Jsonb(nested(MAX_MYSQL_JSON_DEPTH)), ALL);
    case!(c, doc = quarry::Json(nested(MAX_MYSQL_JSON_DEPTH + 1)), [Same, Same, Refused]);
    case!(c, doc = quarry::Json(nested(MAX_JSON_DEPTH)), [Same, Same, Refused]);
    case!(c, doc = quarry::Json(nested(MAX_JSON_DEPTH + 1)), [Refused, Refused, Refused]);
    case!(c, doc_b = quarry::Jsonb(nested(MAX_JSON_DEPTH + 1)), [Refused, Refused, Refused]);
    // Bytes.
    case!(c, bytes = Vec::<u8>::new(), ALL);
    case!(c, bytes = (0..=255u8).collect::<Vec<u8>>(), ALL);
    case!(c, bytes = vec![0xA5u8; 1 << 20], ALL);
    c
}

fn index(backend: Backend) -> usize {
    match backend {
        Backend::Sqlite => 0,
        Backend::Postgres => 1,
        Backend::Mysql => 2,
    }
}

common::engine_tests! {
    fn every_value_round_trips_or_is_refused(engine) {
        let backend = engine.url().backend();
        let mut session = engine.session().unwrap();
        all_types::create_all(session.connection()).unwrap();
        // A session time zone far from UTC must change neither the naive
        // date-times nor the instants.
        let zone = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some("SET TIME ZONE 'Pacific/Chatham'"),
            Backend::Mysql => Some("SET time_zone = '+05:45'"),
        };
        if let Some(zone) = zone {
            session.execute(diesel::sql_query(zone)).unwrap();
        }
        let mut wrong = Vec::new();
        for case in cases() {
            let before: i64 = session.one(samples::table.count()).unwrap();
            session.add(case.row);
            let outcome = match session.flush() {
                Ok(_) => {
                    let row: Sample = session
                        .first(samples::table.order(samples::id.desc()).select(Sample::as_select()))
                        .unwrap_or_else(|e| panic!("{}: written but not readable: {e}", case.name))
                        .expect("the row just written");
                    if (case.same)(&row) { Ok(Same) } else { Err(format!("read back altered: {row:?}")) }
                }
                Err(quarry::Error::Data(e)) => {
                    eprintln!("{}: {e}", case.name);
                    Ok(Refused)
                }
                Err(quarry::Error::Integrity(e)) => {
                    eprintln!("{}: {e}", case.name);
                    Ok(Constraint)
                }
                Err(other) => Err(format!("failed unclassified: {other}")),
            };
            let after: i64 = session.one(samples::table.count()).unwrap();
            let expected = case.expect[index(backend)];
            match outcome {
                Ok(outcome) if outcome == expected => {}
                Ok(outcome) => wrong.push(format!("{}: expected {expected:?}, got {outcome:?}", case.name)),
                Err(why) => wrong.push(format!("{}: expected {expected:?}, {why}", case.name)),
            }
            if expected != Same && after != before {
                wrong.push(format!("{}: refused, yet {} rows were written", case.name, after - before));
            }
        }
        assert!(wrong.is_empty(), "{} cells differ on {}:\n{}", wrong.len(), backend.name(), wrong.join("\n"));

        // Upserts are checked as flushes are.
        let nan = NewSample { id: Some(1_000_000), maybe_double: Some(f64::NAN), ..base() };
        let upserted = session.upsert(&[nan]);
        let expected = if backend == Backend::Postgres { Same } else { Refused };
        assert_eq!(if upserted.is_ok() { Same } else { Refused }, expected, "{upserted:?}");
        assert!(upserted.as_ref().err().is_none_or(|e| e.data().is_some()), "{upserted:?}");
        // quarry's own refusal (SQLite) names the column as `table.column`.
        if backend == Backend::Sqlite {
            let message = upserted.as_ref().unwrap_err().to_string();
            assert!(message.contains("samples.maybe_double"), "{message}");
        }
        // So are bulk inserts: nothing of the batch is written when one row is refused.
        let before: i64 = session.one(samples::table.count()).unwrap();
        let batch = [NewSample { id: Some(1_000_001), ..base() }, NewSample { id: Some(1_000_002), maybe_double: Some(f64::NAN), ..base() }];
        let inserted = session.insert_all(samples::table, &batch);
        assert_eq!(if inserted.is_ok() { Same } else { Refused }, expected, "{inserted:?}");
        assert!(inserted.as_ref().err().is_none_or(|e| e.data().is_some()), "{inserted:?}");
        let after: i64 = session.one(samples::table.count()).unwrap();
        assert_eq!(after - before, if inserted.is_ok() { 2 } else { 0 });

        // Sums of decimals keep the column's scale: 0.1 + 0.2 is 0.3, on SQLite too.
        session.execute(diesel::delete(samples::table)).unwrap();
        for amount in ["0.1", "0.2"] {
            session.add(NewSample { amount: dec(amount).into(), ..base() });
        }
        session.flush().unwrap();
        let total: Option<quarry::Decimal> = session.one(samples::table.select(diesel::dsl::sum(samples::amount))).unwrap();
        assert_eq!(total.map(|t| t.0), Some(dec("0.3")));
    }
}
