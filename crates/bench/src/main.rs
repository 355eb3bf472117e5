//! Runs the comparison suite and prints, or with `--write` regenerates
//! docs/performance.md and its charts. See that page for the options.

use std::process::ExitCode;

use quarry_bench::database::{Backend, BenchBackend};
use quarry_bench::harness::{self, Measured};
use quarry_bench::report::{self, Run};
use quarry_bench::shape::Shape;

const USAGE: &str = "\
usage: cargo run -p quarry-bench --release -- [options]
  --backends LIST   sqlite,postgres,mysql (default: SQLite, and each server whose URL is set:
                    QUARRY_TEST_POSTGRES_URL, QUARRY_TEST_MYSQL_URL)
  --shapes LIST     trivial,medium,insert,associations,nested-write (default: all)
  --rounds N        timed rounds per shape, after the check (default: 30)
  --write           regenerate docs/performance.md and docs/performance/<backend>.svg
  --sqlalchemy PATH SQLAlchemy's figures (JSON from sqlalchemy/bench.py) to add to the page
                    (default: target/sqlalchemy-bench.json, where the script writes, when present)";

/// The command line, parsed.
struct Options {
    backends: Vec<Backend>,
    shapes: Vec<Shape>,
    rounds: usize,
    write: bool,
    sqlalchemy: Option<std::path::PathBuf>,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        backends: Backend::ALL.into_iter().filter(|b| *b == Backend::Sqlite || b.server_url().is_some()).collect(),
        shapes: Shape::all(),
        rounds: 30,
        write: false,
        sqlalchemy: None,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--backends" => {
                options.backends = value()?
                    .split(',')
                    .map(|name| {
                        Backend::ALL
                            .into_iter()
                            .find(|b| b.name() == name)
                            .ok_or_else(|| format!("unknown backend {name}"))
                    })
                    .collect::<Result<_, _>>()?;
            }
            "--shapes" => {
                let kinds: Vec<&str> = value()?.split(',').collect();
                for kind in &kinds {
                    if !Shape::all().iter().any(|s| s.kind() == *kind) {
                        return Err(format!("unknown shape {kind}"));
                    }
                }
                options.shapes = Shape::all().into_iter().filter(|s| kinds.contains(&s.kind())).collect();
            }
            "--rounds" => options.rounds = value()?.parse().map_err(|e| format!("--rounds: {e}"))?,
            "--write" => options.write = true,
            "--sqlalchemy" => options.sqlalchemy = Some(value()?.into()),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse(&args) {
        Ok(options) => options,
        Err(error) => {
            if !error.is_empty() {
                eprintln!("error: {error}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut run = Run::start(&args);
    for backend in &options.backends {
        println!("{} ({} rounds per shape):", backend.title(), options.rounds);
        let measured =
            harness::run_backend(*backend, "quarry_bench", &options.shapes, options.rounds, |m: &Measured| {
                println!("{}", report::line(m));
            });
        match measured {
            Ok(measured) => run.results.push((*backend, measured)),
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    run.finish();
    let sqlalchemy = options.sqlalchemy.or_else(|| {
        let default = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/sqlalchemy-bench.json");
        default.is_file().then_some(default)
    });
    if let Some(path) = sqlalchemy {
        match report::read_sqlalchemy(&path) {
            Ok(figures) => run.sqlalchemy = Some((path, figures)),
            Err(error) => eprintln!("note: SQLAlchemy's figures not used: {error}"),
        }
    }
    println!();
    println!("{}", report::table(&run));
    if options.write {
        match report::write(&run) {
            Ok(written) => written.iter().for_each(|path| println!("wrote {}", path.display())),
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
