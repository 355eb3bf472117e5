// A recursive CTE whose base and recursive parts select different types.
use diesel::prelude::*;
use diesel::sql_types::Integer;
use quarry::dsl::{recursive_cte, with};

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::categories;

quarry::cte_tables! { use schema; tree (id: Integer, name: Text, depth: Integer); }

fn main() {
    let roots = categories::table.select((categories::id, categories::name, 0.into_sql::<Integer>()));
    let children = categories::table
        .inner_join(tree::table.on(categories::parent_id.eq(tree::id.nullable())))
        .select((categories::id, categories::name, categories::name));
    let query = with(recursive_cte(tree::table, roots, children), tree::table.select(tree::name));
    let _ = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&query);
}
