//! A bar chart of the ratios to the baseline, one per backend, as SVG
//! written by hand (a few dozen elements need no plotting crate): a group
//! of bars per shape, one bar per contender, on a logarithmic axis with
//! the baseline's 1× marked.

use std::fmt::Write;

use crate::harness::Measured;

const COLOURS: [&str; 8] = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f"];
const LABEL_WIDTH: f64 = 330.0;
const PLOT_WIDTH: f64 = 520.0;
const BAR: f64 = 9.0;
const GAP: f64 = 10.0;

/// The chart for `measured` on `backend`, ratios to `baseline`'s medians.
pub fn svg(backend: &str, measured: &[Measured], baseline: &str) -> String {
    let names: Vec<&str> = measured.first().map(|m| m.seconds.iter().map(|(n, _)| *n).collect()).unwrap_or_default();
    let ratios: Vec<Vec<f64>> =
        measured.iter().map(|m| names.iter().map(|n| m.ratio(n, baseline).unwrap_or(0.0)).collect()).collect();
    let largest = ratios.iter().flatten().cloned().fold(2.0, f64::max);
    let smallest = ratios.iter().flatten().cloned().filter(|r| *r > 0.0).fold(0.5, f64::min);
    let (low, high) = (smallest.log10().floor().min(-0.31), largest.log10().ceil().max(0.31));
    let x = |ratio: f64| LABEL_WIDTH + (ratio.max(1e-9).log10() - low) / (high - low) * PLOT_WIDTH;

    let group = names.len() as f64 * BAR + GAP;
    let top = 50.0 + 16.0 * names.len().div_ceil(4) as f64;
    let height = top + measured.len() as f64 * group + 40.0;
    let width = LABEL_WIDTH + PLOT_WIDTH + 30.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        svg,
        r#"<text x="10" y="20" font-size="15" font-weight="bold">{}: time ÷ hand-written {baseline} (median of the rounds; lower is faster; log scale)</text>"#,
        escape(backend)
    );
    for (i, name) in names.iter().enumerate() {
        let (lx, ly) = (10.0 + (i % 4) as f64 * 180.0, 38.0 + (i / 4) as f64 * 16.0);
        let _ = writeln!(
            svg,
            r#"<rect x="{lx}" y="{}" width="12" height="10" fill="{}"/>"#,
            ly - 9.0,
            COLOURS[i % COLOURS.len()]
        );
        let _ = writeln!(svg, r#"<text x="{}" y="{ly}">{}</text>"#, lx + 16.0, escape(name));
    }
    // Grid lines at 1, 2, 5 × powers of ten.
    let bottom = top + measured.len() as f64 * group;
    let mut power = 10f64.powf(low);
    while power <= 10f64.powf(high) * 1.0001 {
        for step in [1.0, 2.0, 5.0] {
            let ratio = power * step;
            if ratio.log10() < low - 1e-9 || ratio.log10() > high + 1e-9 {
                continue;
            }
            let gx = x(ratio);
            let stroke =
                if (ratio - 1.0).abs() < 1e-9 { r##"stroke="#000" stroke-width="1.5""## } else { r##"stroke="#ddd""## };
            let _ = writeln!(svg, r#"<line x1="{gx:.1}" y1="{top}" x2="{gx:.1}" y2="{bottom}" {stroke}/>"#);
            let _ = writeln!(
                svg,
                r#"<text x="{gx:.1}" y="{}" text-anchor="middle">{}×</text>"#,
                bottom + 15.0,
                trim(ratio)
            );
        }
        power *= 10.0;
    }
    for (g, (m, row)) in measured.iter().zip(&ratios).enumerate() {
        let gy = top + g as f64 * group;
        let _ = writeln!(
            svg,
            r#"<text x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            LABEL_WIDTH - 8.0,
            gy + names.len() as f64 * BAR / 2.0 + 4.0,
            escape(&m.shape.to_string())
        );
        for (i, ratio) in row.iter().enumerate() {
            let (x0, x1) = (x(1.0).min(x(*ratio)), x(1.0).max(x(*ratio)));
            let _ = writeln!(
                svg,
                r#"<rect x="{x0:.1}" y="{:.1}" width="{:.1}" height="{}" fill="{}"><title>{}: {ratio:.2}×</title></rect>"#,
                gy + i as f64 * BAR,
                (x1 - x0).max(1.0),
                BAR - 1.0,
                COLOURS[i % COLOURS.len()],
                escape(names[i])
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

/// `ratio` without trailing zeros: 0.5, 1, 20.
fn trim(ratio: f64) -> String {
    let text = format!("{ratio:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
