//! Relations over composite foreign keys (the `constraints` case: bins keyed
//! by warehouse, aisle and shelf; stock and counts referencing them), on
//! every backend: loading both ways matches a naive per-row loop (rows that
//! share some key columns but not all stay apart; a partly NULL key has no
//! parent), with extra criteria, on demand, as `any`/`has` filters, in chunks under the bind limit,
//! and the unit of work writes a child from its parent's composite key.

use crate::common;
use crate::common::{rows, selects};
use crate::generated_cases::constraints;

use diesel::prelude::*;
use quarry::{Model, RowRef};

use constraints::{
    bin_labels, bins, counts, labels, stock, warehouses, Bin, Count, Label, NewBin, NewCount, NewLabel, NewStock,
    NewWarehouse, Stock,
};

common::engine_tests! {
    fn composite_keys_load_both_ways_like_a_naive_loop(engine) {
        let mut session = engine.session().unwrap();
        constraints::create_all(session.connection()).unwrap();
        let conn = session.connection();
        diesel::insert_into(warehouses::table)
            .values(&vec![NewWarehouse::new("W1", "Leeds"), NewWarehouse::new("W2", "York")])
            .execute(conn)
            .unwrap();
        let w: Vec<i32> = warehouses::table.order(warehouses::id).select(warehouses::id).load(conn).unwrap();
        // (W1, 1, 1) and (W2, 1, 1) share aisle and shelf; (W1, 1, 2) shares
        // warehouse and aisle; (W1, 2, 1) has nothing.
        for (warehouse, aisle, shelf, label) in [(w[0], 1, 1, "a"), (w[1], 1, 1, "b"), (w[0], 1, 2, "c"), (w[0], 2, 1, "d")] {
            diesel::insert_into(bins::table).values(NewBin::new(warehouse, aisle, shelf, label)).execute(conn).unwrap();
        }
        let stock_of = |warehouse: i32, aisle: i16, shelf: i16| NewStock { home_id: Some(warehouse), ..NewStock::new(warehouse, aisle, shelf) };
        for row in [stock_of(w[0], 1, 1), stock_of(w[1], 1, 1), stock_of(w[0], 1, 1), stock_of(w[0], 1, 2)] {
            diesel::insert_into(stock::table).values(row).execute(conn).unwrap();
        }
        let count = |warehouse: i32, aisle: Option<i16>, shelf: Option<i16>, counted: i32| NewCount {
            aisle,
            shelf,
            ..NewCount::new(warehouse, counted)
        };
        for row in [count(w[0], Some(1), Some(1), 5), count(w[0], None, Some(1), 7), count(w[1], Some(1), Some(1), 9)] {
            diesel::insert_into(counts::table).values(row).execute(conn).unwrap();
        }

        engine.record_statements(true);
        let loaded = session.load(bins::table.order(bins::label), (Bin::STOCK, Bin::COUNTS)).unwrap();
        engine.record_statements(false);
        assert_eq!(selects(&engine.take_statements()), 3);
        assert_eq!(loaded.len(), 4);
        for bin in &loaded {
            let expected: Vec<Stock> = session
                .all(
                    stock::table
                        .filter(stock::warehouse_id.eq(bin.warehouse_id))
                        .filter(stock::aisle.eq(bin.aisle))
                        .filter(stock::shelf.eq(bin.shelf))
                        .order(stock::id),
                )
                .unwrap();
            assert_eq!(rows(bin.get(Bin::STOCK)), expected, "stock of bin {}", bin.label);
            let mut expected: Vec<Count> = session
                .all(
                    counts::table
                        .filter(counts::warehouse_id.eq(bin.warehouse_id))
                        .filter(counts::aisle.eq(bin.aisle))
                        .filter(counts::shelf.eq(bin.shelf)),
                )
                .unwrap();
            let mut got = rows(bin.get(Bin::COUNTS));
            expected.sort_by_key(|c| c.id);
            got.sort_by_key(|c| c.id);
            assert_eq!(got, expected, "counts of bin {}", bin.label);
        }
        let sizes: Vec<usize> = loaded.iter().map(|b| b.get(Bin::STOCK).len()).collect();
        assert_eq!(sizes, [2, 1, 1, 0], "bins a, b, c, d");

        // belongs_to over a NOT NULL composite key: the row itself.
        let loaded = session.load(stock::table.order(stock::id), Stock::BIN).unwrap();
        let labels: Vec<&str> = loaded.iter().map(|s| s.get(Stock::BIN).label.as_str()).collect();
        assert_eq!(labels, ["a", "b", "a", "c"]);
        // ... over a partly nullable one: None where any column is NULL.
        let counted: Vec<Count> = session.all(counts::table.order(counts::id)).unwrap();
        engine.record_statements(true);
        let bins_of: Vec<Option<Bin>> = session.related(&counted, Count::BIN).unwrap();
        engine.record_statements(false);
        assert_eq!(selects(&engine.take_statements()), 1);
        let labels: Vec<Option<&str>> = bins_of.iter().map(|b| b.as_ref().map(|b| b.label.as_str())).collect();
        assert_eq!(labels, [Some("a"), None, Some("b")]);

        // The joined strategy over composite keys: one statement each, the
        // same rows as selectin.
        engine.record_statements(true);
        let joined = session.load(bins::table.order(bins::label), Bin::STOCK.joined()).unwrap();
        let parents = session.load(counts::table.order(counts::id), Count::BIN.joined()).unwrap();
        engine.record_statements(false);
        assert_eq!(selects(&engine.take_statements()), 2);
        let selectin = session.load(bins::table.order(bins::label), Bin::STOCK).unwrap();
        assert_eq!(joined, selectin);
        let labels: Vec<Option<&str>> = parents.iter().map(|c| c.get(Count::BIN).as_ref().map(|b| b.label.as_str())).collect();
        assert_eq!(labels, [Some("a"), None, Some("b")]);

        // Extra criteria apply to the composite-key query too.
        let loaded = session.load(bins::table.order(bins::label), Bin::STOCK.filter(stock::warehouse_id.eq(w[1]))).unwrap();
        let sizes: Vec<usize> = loaded.iter().map(|b| b.get(Bin::STOCK).len()).collect();
        assert_eq!(sizes, [0, 1, 0, 0]);
        // ... and a limit per parent partitions by the whole key.
        let loaded = session.load(bins::table.order(bins::label), Bin::STOCK.order_by(stock::id.desc()).limit(1)).unwrap();
        let newest: Vec<Vec<i64>> = loaded.iter().map(|b| b.get(Bin::STOCK).iter().map(|s| s.id).collect()).collect();
        let all: Vec<Stock> = session.all(stock::table.order(stock::id)).unwrap();
        assert_eq!(newest, [vec![all[2].id], vec![all[1].id], vec![all[3].id], vec![]]);

        // Filtering by related rows compares the whole row value.
        let stocked: Vec<String> = session
            .all(bins::table.filter(Bin::STOCK.any(stock::warehouse_id.eq(w[1]))).select(bins::label))
            .unwrap();
        assert_eq!(stocked, ["b"], "only the W2 bin, not W1's bin at the same aisle and shelf");
        let mut counted: Vec<i32> =
            session.all(counts::table.filter(Count::BIN.has(bins::label.eq_any(["a", "b"]))).select(counts::counted)).unwrap();
        counted.sort();
        assert_eq!(counted, [5, 9], "the count with a NULL aisle has no bin");
        constraints::drop_all(session.connection()).unwrap();
    }

    fn composite_keys_load_in_chunks_under_the_bind_limit(engine) {
        let mut session = engine.session().unwrap();
        constraints::create_all(session.connection()).unwrap();
        let conn = session.connection();
        diesel::insert_into(warehouses::table).values(NewWarehouse::new("W1", "Leeds")).execute(conn).unwrap();
        let w: i32 = warehouses::table.select(warehouses::id).first(conn).unwrap();
        // 12,000 bins: 36,000 key values, over SQLite's 32,766 binds.
        let bins: Vec<NewBin> =
            (0..12_000).map(|i| NewBin::new(w, (1 + i / 1_000) as i16, (i % 1_000) as i16, format!("bin {i}"))).collect();
        session.insert_all(bins::table, &bins).unwrap();
        let conn = session.connection();
        diesel::insert_into(stock::table)
            .values(&vec![NewStock { home_id: Some(w), ..NewStock::new(w, 1, 0) }, NewStock { home_id: Some(w), ..NewStock::new(w, 12, 999) }])
            .execute(conn)
            .unwrap();

        engine.record_statements(true);
        let loaded = session.load(bins::table, Bin::STOCK).unwrap();
        engine.record_statements(false);
        let sqlite = matches!(engine.url().backend(), quarry::engine::Backend::Sqlite);
        assert_eq!(selects(&engine.take_statements()), if sqlite { 3 } else { 2 }, "one more chunk on SQLite");
        assert_eq!(loaded.len(), 12_000);
        assert_eq!(loaded.iter().map(|b| b.get(Bin::STOCK).len()).sum::<usize>(), 2);
        constraints::drop_all(session.connection()).unwrap();
    }

    fn the_unit_of_work_writes_children_from_a_composite_key(engine) {
        let mut session = engine.session().unwrap();
        constraints::create_all(session.connection()).unwrap();
        let warehouse = session.add(NewWarehouse::new("W1", "Leeds"));
        let flushed = session.flush().unwrap();
        let w = *flushed.key(warehouse).unwrap();
        let bin = session.add(NewBin::new(w, 3, 4, "x"));
        // The closure gets the bin's key, (warehouse, aisle, shelf); the
        // flush sets all three columns of the child's foreign key from it.
        session.add_child(bin, Bin::STOCK, move |(warehouse, _, _)| NewStock { home_id: Some(warehouse), ..NewStock::new(warehouse, 0, 0) }).unwrap();
        session.add_with_parent(NewCount::new(w, 11), Count::BIN, bin).unwrap();
        session.flush().unwrap();
        let stored: Vec<Stock> = session.all(stock::table).unwrap();
        assert_eq!(stored.iter().map(|s| (s.warehouse_id, s.aisle, s.shelf)).collect::<Vec<_>>(), [(w, 3, 4)]);
        let counted: Vec<Count> = session.all(counts::table).unwrap();
        assert_eq!(counted.iter().map(|c| (c.aisle, c.shelf)).collect::<Vec<_>>(), [(Some(3), Some(4))]);
        constraints::drop_all(session.connection()).unwrap();
    }

    fn deleting_through_the_session_follows_composite_foreign_keys(engine) {
        let mut session = engine.session().unwrap();
        constraints::create_all(session.connection()).unwrap();
        let conn = session.connection();
        diesel::insert_into(warehouses::table)
            .values(&vec![NewWarehouse::new("W1", "Leeds"), NewWarehouse::new("W2", "York")])
            .execute(conn)
            .unwrap();
        let w: Vec<i32> = warehouses::table.order(warehouses::id).select(warehouses::id).load(conn).unwrap();
        for (warehouse, aisle, shelf, label) in [(w[0], 1, 1, "a"), (w[0], 1, 2, "b"), (w[1], 1, 1, "c"), (w[1], 2, 2, "d")] {
            diesel::insert_into(bins::table).values(NewBin::new(warehouse, aisle, shelf, label)).execute(conn).unwrap();
        }
        let count = |warehouse: i32, aisle: i16, shelf: i16| NewCount { aisle: Some(aisle), shelf: Some(shelf), ..NewCount::new(warehouse, 1) };
        diesel::insert_into(counts::table).values(&vec![count(w[0], 1, 1), count(w[0], 1, 2)]).execute(conn).unwrap();
        let events = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let heard = events.clone();
        session.listen(quarry::engine::EventKind::Cascade, move |event| heard.lock().unwrap().push(event));

        // Bin.counts has no cascade over a partly nullable composite key:
        // the nullable part is cleared, in one UPDATE ... WHERE (w, a, s) IN (...).
        let bin_a: Bin = session.one(bins::table.filter(bins::label.eq("a"))).unwrap();
        assert!(session.delete(&bin_a).unwrap());
        let left: Vec<(Option<i16>, Option<i16>)> =
            session.all(counts::table.order(counts::id).select((counts::aisle, counts::shelf))).unwrap();
        assert_eq!(left, [(None, None), (Some(1), Some(2))], "bin b's count keeps its bin");

        // Unlinking a count from its bin clears the nullable part of the key.
        let bin_b: Bin = session.one(bins::table.filter(bins::label.eq("b"))).unwrap();
        let of_b: Count = session.one(counts::table.filter(counts::aisle.eq(1)).filter(counts::shelf.eq(2))).unwrap();
        assert!(!session.unlink(&bin_a, Bin::COUNTS, &of_b).unwrap(), "bin a is gone, and was never b's count's bin");
        assert!(session.unlink(&bin_b, Bin::COUNTS, &of_b).unwrap());
        let of_b: Count = session.one(counts::table.find(of_b.id)).unwrap();
        assert_eq!((of_b.warehouse_id, of_b.aisle, of_b.shelf), (w[0], None, None));
        diesel::update(counts::table.find(of_b.id))
            .set((counts::aisle.eq(1), counts::shelf.eq(2)))
            .execute(session.connection())
            .unwrap();

        // Warehouse.bins cascades: W2's bins (a composite primary key) go
        // first, by their whole keys, then the warehouse.
        let w2: constraints::Warehouse = session.one(warehouses::table.find(w[1])).unwrap();
        events.lock().unwrap().clear();
        assert!(session.delete(&w2).unwrap());
        let labels: Vec<String> = session.all(bins::table.order(bins::label).select(bins::label)).unwrap();
        assert_eq!(labels, ["b"]);
        let tables: Vec<(&str, usize)> = events
            .lock()
            .unwrap()
            .iter()
            .filter_map(|e| match e {
                quarry::engine::Event::Cascade(c) => Some((c.table, c.rows)),
                _ => None,
            })
            .collect();
        assert_eq!(tables, [("bins", 2), ("warehouses", 1)]);

        // A RESTRICT key stops the whole delete: nothing changes.
        session.connection();
        diesel::insert_into(stock::table)
            .values(NewStock { home_id: Some(w[0]), ..NewStock::new(w[0], 1, 2) })
            .execute(session.connection())
            .unwrap();
        let w1: constraints::Warehouse = session.one(warehouses::table.find(w[0])).unwrap();
        assert!(session.delete(&w1).is_err());
        let labels: Vec<String> = session.all(bins::table.select(bins::label)).unwrap();
        assert_eq!(labels, ["b"], "the bin stays with its stock");
        let count: i64 = session.one(warehouses::table.count()).unwrap();
        assert_eq!(count, 1);
        constraints::drop_all(session.connection()).unwrap();
    }

    fn many_to_many_over_a_composite_key_loads_links_and_filters(engine) {
        let mut session = engine.session().unwrap();
        constraints::create_all(session.connection()).unwrap();
        let warehouse = session.add(NewWarehouse::new("W1", "Leeds"));
        let flushed = session.flush().unwrap();
        let w = *flushed.key(warehouse).unwrap();
        let (fragile, cold, heavy) =
            (session.add(NewLabel::new("fragile")), session.add(NewLabel::new("cold")), session.add(NewLabel::new("heavy")));
        let a = session.add(NewBin::new(w, 1, 1, "a"));
        let b = session.add(NewBin::new(w, 1, 2, "b"));
        session.add(NewBin::new(w, 2, 1, "c"));
        // The unit of work writes the association row from a composite key and a plain one.
        session.link(a, Bin::LABELS, fragile).unwrap();
        session.link(a, Bin::LABELS, cold).unwrap();
        session.link(b, Bin::LABELS, cold).unwrap();
        let _ = heavy;
        session.flush().unwrap();
        let links: i64 = session.one(bin_labels::table.count()).unwrap();
        assert_eq!(links, 3);

        engine.record_statements(true);
        let loaded = session.load(bins::table.order(bins::label), Bin::LABELS).unwrap();
        engine.record_statements(false);
        assert_eq!(selects(&engine.take_statements()), 2);
        let names: Vec<Vec<&str>> =
            loaded.iter().map(|bin| bin.get(Bin::LABELS).iter().map(|l| l.name.as_str()).collect()).collect();
        assert_eq!(names, [vec!["cold", "fragile"], vec!["cold"], vec![]], "in the declared order, by name");
        let joined = session.load(bins::table.order(bins::label), Bin::LABELS.joined()).unwrap();
        assert_eq!(joined, loaded, "joined through the association table: the same rows");
        let loaded = session.load(labels::table.order(labels::name), Label::BINS).unwrap();
        let bins_of: Vec<Vec<&str>> =
            loaded.iter().map(|l| { let mut b: Vec<&str> = l.get(Label::BINS).iter().map(|b| b.label.as_str()).collect(); b.sort(); b }).collect();
        assert_eq!(bins_of, [vec!["a", "b"], vec!["a"], vec![]], "cold, fragile, heavy");

        // Criteria through the association table, with a limit per composite key.
        let loaded = session.load(bins::table.order(bins::label), Bin::LABELS.order_by(labels::name.desc()).limit(1)).unwrap();
        let first: Vec<Vec<&str>> =
            loaded.iter().map(|bin| bin.get(Bin::LABELS).iter().map(|l| l.name.as_str()).collect()).collect();
        assert_eq!(first, [vec!["fragile"], vec!["cold"], vec![]]);

        // any / has through the association table, both directions.
        let cold_bins: Vec<String> =
            session.all(bins::table.filter(Bin::LABELS.any(labels::name.eq("cold"))).order(bins::label).select(bins::label)).unwrap();
        assert_eq!(cold_bins, ["a", "b"]);
        let on_b: Vec<String> =
            session.all(labels::table.filter(Label::BINS.any(bins::label.eq("b"))).select(labels::name)).unwrap();
        assert_eq!(on_b, ["cold"]);

        // Unlinking a pair deletes only its association row, from either side.
        let (bin_b, cold_label): (Bin, Label) = (
            session.one(bins::table.filter(bins::label.eq("b"))).unwrap(),
            session.one(labels::table.filter(labels::name.eq("cold"))).unwrap(),
        );
        assert!(session.unlink(&cold_label, Label::BINS, &bin_b).unwrap());
        assert!(!session.unlink(&bin_b, Bin::LABELS, &cold_label).unwrap(), "no longer linked");
        let links: i64 = session.one(bin_labels::table.count()).unwrap();
        assert_eq!(links, 2, "bin a keeps both of its labels");
        session.link(RowRef::existing(bin_b.key()), Bin::LABELS, RowRef::existing(cold_label.id)).unwrap();
        session.flush().unwrap();

        // Deleting a bin through the session removes its association rows first.
        let bin_a: Bin = session.one(bins::table.filter(bins::label.eq("a"))).unwrap();
        assert!(session.delete(&bin_a).unwrap());
        let left: Vec<(i16, i16, i32)> =
            session.all(bin_labels::table.select((bin_labels::aisle, bin_labels::shelf, bin_labels::label_id))).unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!((left[0].0, left[0].1), (1, 2));
        constraints::drop_all(session.connection()).unwrap();
    }
}
