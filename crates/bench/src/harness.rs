//! The check and the interleaved timing of every contender on one backend.

use std::hint::black_box;
use std::time::Instant;

use crate::contender::{Contender, Reference};
use crate::data::{self, Outcome};
use crate::database::{Backend, BenchBackend, Database};
use crate::shape::Shape;
use crate::Result;

/// One shape's timings on one backend: seconds per call, per contender.
#[derive(Debug, Clone)]
pub struct Measured {
    pub shape: Shape,
    /// Contender names and their calls' seconds, in the contenders' order.
    pub seconds: Vec<(&'static str, Vec<f64>)>,
}

impl Measured {
    /// The median of `name`'s calls.
    pub fn median(&self, name: &str) -> Option<f64> {
        self.samples(name).map(median)
    }

    /// `name`'s time over `baseline`'s, round by round (the two ran back
    /// to back in each round), and the median of those ratios: what a
    /// machine busy in some rounds and idle in others disturbs least.
    pub fn ratio(&self, name: &str, baseline: &str) -> Option<f64> {
        let (ours, theirs) = (self.samples(name)?, self.samples(baseline)?);
        let ratios: Vec<f64> = ours.iter().zip(theirs).filter(|(_, b)| **b > 0.0).map(|(a, b)| a / b).collect();
        (!ratios.is_empty()).then(|| median(&ratios))
    }

    fn samples(&self, name: &str) -> Option<&[f64]> {
        self.seconds.iter().find(|(n, _)| *n == name).map(|(_, s)| s.as_slice())
    }
}

/// The median of `samples` (0 for none).
pub fn median(samples: &[f64]) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

/// Seeds the data `shape` reads (nothing for a write) into empty tables.
fn seed(reference: &mut dyn Reference, shape: Shape) -> Result<()> {
    reference.clear()?;
    match shape {
        Shape::Trivial(n) => reference.insert(data::users(n, |_| None)),
        Shape::Medium(n) => reference.insert(data::users(n, data::black_or_brown)),
        Shape::Associations(n) => reference.nested_write(data::trees(n)),
        Shape::Insert(_) | Shape::NestedWrite(_) => Ok(()),
    }
}

/// What a write is handed, built before the timing starts and moved into
/// the call.
enum Input {
    Reads,
    Users(Vec<data::NewUser>),
    Trees(Vec<data::NewTree>),
}

impl Input {
    fn for_shape(shape: Shape) -> Input {
        match shape {
            Shape::Insert(n) => Input::Users(data::users(n, |_| Some("hair_color"))),
            Shape::NestedWrite(n) => Input::Trees(data::trees(n)),
            Shape::Trivial(_) | Shape::Medium(_) | Shape::Associations(_) => Input::Reads,
        }
    }
}

/// Runs `shape` once on `contender`; the result is dropped inside (as a
/// timed call drops it) unless `keep`, when it comes back in plain form.
/// A write's outcome is what the tables hold after it; they are emptied.
fn call(
    contender: &mut dyn Contender,
    reference: &mut dyn Reference,
    shape: Shape,
    keep: bool,
) -> Result<(f64, Option<Outcome>)> {
    let input = Input::for_shape(shape);
    let start = Instant::now();
    let output = match (input, shape) {
        (Input::Users(users), _) => {
            contender.insert(users)?;
            None
        }
        (Input::Trees(trees), _) => {
            contender.nested_write(trees)?;
            None
        }
        (Input::Reads, Shape::Trivial(_)) => Some(contender.trivial()?),
        (Input::Reads, Shape::Medium(_)) => Some(contender.medium()?),
        (Input::Reads, _) => Some(contender.associations()?),
    };
    let outcome = match output {
        Some(output) if keep => Some(output.outcome()),
        Some(output) => {
            drop(black_box(output));
            None
        }
        None => None,
    };
    let seconds = start.elapsed().as_secs_f64();
    if shape.writes() {
        let stored = if keep { Some(Outcome::Stored(reference.stored()?)) } else { None };
        reference.clear()?;
        return Ok((seconds, stored));
    }
    Ok((seconds, outcome))
}

/// Checks that every contender gives the first one's result for `shape`
/// (for a write: leaves the same rows), then, for `rounds` rounds, times
/// one call of each, rotating which goes first each round.
pub fn measure(
    reference: &mut dyn Reference,
    contenders: &mut [Box<dyn Contender>],
    shape: Shape,
    rounds: usize,
) -> Result<Measured> {
    seed(reference, shape)?;
    let mut expected: Option<(&'static str, Outcome)> = None;
    for contender in contenders.iter_mut() {
        let name = contender.name();
        let (_, outcome) =
            call(contender.as_mut(), reference, shape, true).map_err(|e| format!("{shape}: {name} failed: {e}"))?;
        let outcome = outcome.ok_or("a kept call has an outcome")?.normalized();
        match &expected {
            None => expected = Some((name, outcome)),
            Some((first, want)) if *want != outcome => {
                return Err(format!(
                    "{shape}: {name} gives {} where {first} gives {}",
                    outcome.summary(),
                    want.summary()
                )
                .into())
            }
            Some(_) => {}
        }
    }
    let mut seconds: Vec<Vec<f64>> = contenders.iter().map(|_| Vec::with_capacity(rounds)).collect();
    for round in 0..rounds {
        for k in 0..contenders.len() {
            let which = (round + k) % contenders.len();
            let (elapsed, _) = call(contenders[which].as_mut(), reference, shape, false)
                .map_err(|e| format!("{shape}: {} failed: {e}", contenders[which].name()))?;
            seconds[which].push(elapsed);
        }
    }
    Ok(Measured { shape, seconds: contenders.iter().map(|c| c.name()).zip(seconds).collect() })
}

/// Creates the database `name` on `backend`, connects every contender and
/// measures `shapes` in order (`rounds` timed rounds each, after the
/// check), telling `progress` each result; drops the database after.
pub fn run_backend(
    backend: Backend,
    name: &str,
    shapes: &[Shape],
    rounds: usize,
    mut progress: impl FnMut(&Measured),
) -> Result<Vec<Measured>> {
    let database = Database::create(backend, name)?;
    let crate::contenders::Lineup { mut reference, mut contenders } = crate::contenders::for_database(&database)?;
    let mut measured = Vec::with_capacity(shapes.len());
    for &shape in shapes {
        let result = measure(reference.as_mut(), &mut contenders, shape, rounds)
            .map_err(|e| format!("{}: {e}", backend.title()))?;
        progress(&result);
        measured.push(result);
    }
    drop((reference, contenders));
    drop(database);
    Ok(measured)
}
