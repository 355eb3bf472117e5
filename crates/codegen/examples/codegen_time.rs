//! Times code generation on a schema folder, phase by phase (`load`: parse,
//! resolve, check; `emit`: the Rust module, formatted), as a build
//! script runs it (run it in the dev profile: opt-level 0, like build
//! scripts). Used by the build benchmark (`crates/bench/build/`):
//!
//! ```text
//! cargo run -p quarry-codegen --example codegen_time -- SCHEMA_DIR [RUNS]
//! ```
//!
//! Prints the median of each phase in seconds, one `phase seconds` per line.

use std::time::{Duration, Instant};

use quarry_codegen::Options;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: codegen_time SCHEMA_DIR [RUNS]");
    let runs: usize = args.next().map_or(5, |n| n.parse().expect("RUNS is a number"));
    let files = quarry_codegen::read_schema_dir(std::path::Path::new(&dir)).expect("SCHEMA_DIR is readable");
    let options = Options::default();

    let mut phases: Vec<(&str, Vec<Duration>)> =
        ["load", "emit", "total"].iter().map(|name| (*name, Vec::new())).collect();
    for _ in 0..runs {
        let start = Instant::now();
        let schema = quarry_codegen::load(files.clone()).expect("the schema is valid");
        let loaded = Instant::now();
        std::hint::black_box(quarry_codegen::emit::rust::generate(&schema, &options));
        let emitted = Instant::now();
        // What a build script runs, end to end (the two phases above).
        let total = Instant::now();
        std::hint::black_box(quarry_codegen::generate(files.clone(), &options).expect("the schema is valid"));
        let total = total.elapsed();
        for (i, time) in [loaded - start, emitted - loaded, total].into_iter().enumerate() {
            phases[i].1.push(time);
        }
    }
    for (name, mut times) in phases {
        times.sort();
        println!("{name} {:.3}", times[times.len() / 2].as_secs_f64());
    }
}
