//! The matrix as the server answered, for the failure message.

use crate::{Expect, Row, CALLERS, MATRIX};
use std::fmt::Write as _;

/// What one cell got.
pub struct Outcome {
    pub status: u16,
    pub detail: String,
}

/// "METHOD /path [case]".
pub fn row_name(r: &Row) -> String {
    if r.case.is_empty() {
        format!("{:<6} {}", r.method, r.path)
    } else {
        format!("{:<6} {} [{}]", r.method, r.path, r.case)
    }
}

/// The whole matrix as the server answered, differing cells as `*actual/expected`, then the
/// server's detail for each differing cell and any coverage problem.
pub fn render(results: &[Option<Vec<Outcome>>], problems: &[String], wrong: usize) -> String {
    let width = MATRIX.iter().map(|r| row_name(r).len()).max().unwrap_or(0);
    let mut out = format!("\nAUTHORIZATION MATRIX: {wrong} cell(s) differ (*actual/expected)\n\n");
    let _ = write!(out, "{:<width$}", "route");
    for c in CALLERS {
        let _ = write!(out, " {:>9}", c.label());
    }
    out.push('\n');
    let mut details = vec![];
    for (r, res) in MATRIX.iter().zip(results) {
        let _ = write!(out, "{:<width$}", row_name(r));
        match (&r.expect, res) {
            (Expect::Status(exp) | Expect::Undocumented(exp), Some(cells)) => {
                for ((cell, e), caller) in cells.iter().zip(exp).zip(CALLERS) {
                    if cell.status == *e {
                        let _ = write!(out, " {:>9}", cell.status);
                    } else {
                        let _ = write!(out, " {:>9}", format!("*{}/{e}", cell.status));
                        details.push(format!(
                            "{} as {}: got {}, expected {e}: {}",
                            row_name(r),
                            caller.label(),
                            cell.status,
                            cell.detail
                        ));
                    }
                }
            }
            (Expect::Skipped(why), _) => {
                let _ = write!(out, "  skipped: {why}");
            }
            _ => {}
        }
        out.push('\n');
    }
    if !details.is_empty() {
        out.push_str("\nDiffering cells:\n");
        for d in details {
            let _ = writeln!(out, "  {d}");
        }
    }
    if !problems.is_empty() {
        out.push_str("\nCoverage and table problems:\n");
        for p in problems {
            let _ = writeln!(out, "  {p}");
        }
    }
    out
}
