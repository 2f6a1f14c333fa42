//! A generated workflow of `tasks` tasks, about 100 bytes of spec per task: properties, doc
//! comments, normal and error links with conditions. Shared by the benchmarks and the tests that
//! feed wfl a huge file.

use std::fmt::Write;

pub fn workflow(tasks: usize) -> String {
    let mut out = String::with_capacity(tasks * 110);
    let _ = writeln!(out, "/// A generated workflow of {tasks} tasks.");
    let _ = writeln!(out, "workflow generated \"Generated\" {{");
    out.push_str("  continue_on_failure = true\n  max_parallel = 8\n");
    out.push_str(
        "  var rows: int 0..1000000 = 10\n  var mode: {full, delta} = full\n  var force: bool\n",
    );
    for i in 0..tasks {
        if i % 10 == 0 {
            let _ = writeln!(out, "  /// Partition {i}.");
        }
        match i % 3 {
            0 => {
                let _ = writeln!(
                    out,
                    "  task t{i:06} {{ duration = {}; failure_rate = 0.01 }}",
                    1 + i % 4
                );
            }
            1 => {
                let _ = writeln!(out, "  task t{i:06} {{ accept = at_least_one }}");
            }
            _ => {
                let _ = writeln!(out, "  task t{i:06}");
            }
        }
        if i > 0 {
            let _ = writeln!(
                out,
                "  t{:06} -> t{i:06} when rows > {} or force",
                i - 1,
                i % 97
            );
        }
        if i > 7 && i % 5 == 0 {
            let _ = writeln!(
                out,
                "  t{:06} -> t{i:06} on error when mode == full // recover",
                i - 7
            );
        }
    }
    out.push_str("}\n");
    out
}
