//! A report as a summary table, with what was not covered listed under it.

use super::{Report, Tally};

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let runs = if self.executions == 1 {
            "execution"
        } else {
            "executions"
        };
        writeln!(
            f,
            "{} ({}): {} {runs}",
            self.machine, self.file, self.executions
        )?;
        let row = |f: &mut std::fmt::Formatter<'_>, what: &str, t: Tally| {
            writeln!(
                f,
                "  {what:<18} {:>5} / {:<5} {:>6.1} %",
                t.covered,
                t.total,
                t.percent()
            )
        };
        row(f, "states", self.states_tally())?;
        row(f, "transitions", self.transitions_tally())?;
        row(f, "choice branches", self.branches_tally())?;
        row(f, "retriers", self.retriers_tally())?;
        row(f, "catchers", self.catchers_tally())?;
        row(f, "total", self.total())?;
        let uncovered = self.uncovered();
        if !uncovered.is_empty() {
            writeln!(f, "  not covered:")?;
            for u in uncovered {
                writeln!(f, "    {u}")?;
            }
        }
        Ok(())
    }
}
