//! The analysis keeps to `--max-memory`: the heap `wfl check` takes at its peak, counted by the
//! allocator itself (a reallocation counts the old and the new block until the old is freed, as a
//! copying allocator holds them), stays within the bound plus a small constant, whatever the
//! shape of the machine explored or of the workflow analysed.
//!
//! One test in its own binary: the counts are of the whole process, so nothing else may run
//! meanwhile.

#[path = "../benches/counting.rs"]
mod counting;

use counting::peak_of;
use wfl::analysis::machine::Limits;

/// What the analysis may take beyond `--max-memory`: the program, the compiled machines, the
/// interpreter's world and its trace of one move, the findings and their witnesses.
const BEYOND: usize = 2 << 20;

/// A pool of identical workers with a counter (the analysis benchmark's).
const POOL: &str = include_str!("../benches/pool.wfl");

/// Groups of workers that send to their parent (no symmetry), under a pool that watches them.
const NESTED: &str = "
machine worker {
  var tries: int 0..2 = 0
  initial -> Idle
  state Idle, Busy, Failed
  final state Done
  Idle -> Busy on go
  Busy -> Done on finish { send done to parent }
  Busy -> Failed on fail
  Failed -> Busy on retry when tries < 2 { set tries = tries + 1 }
}

machine team {
  children workers: worker
  var done: int 0..3 = 0
  initial -> Forming
  state Forming
  final state Complete
  Forming -> Forming on done { set done = done + 1 }
  Forming -> Complete when done >= 2
}

machine company {
  children teams: team
  initial -> Open
  state Open
  final state Closed
  Open -> Closed on close when all teams in [Complete]
}
";

/// Configurations too wide to pack into 96 bits: kept as bytes.
fn wide() -> String {
    let mut text = String::from("machine wide {\n");
    for v in 0..14 {
        text.push_str(&format!("  var v{v}: int 0..7 = 0\n"));
    }
    text.push_str("  initial -> A\n  state A, B\n  final state F\n");
    for v in 0..14 {
        text.push_str(&format!(
            "  A -> B on up{v} when v{v} < 7 {{ set v{v} = v{v} + 1 }}\n"
        ));
    }
    text.push_str("  B -> A on back\n  A -> F on done when v0 == 7 and v1 == 7\n}\n");
    text
}

/// A workflow whose functions grow without bound: a random layered graph of 150 tasks (each with
/// one to four predecessors among the 24 before it, a third of the links on error, most with a
/// condition over bools, enums and ints compared with different constants) and `at_least_one` on
/// most tasks, under `continue_on_failure = true`.
fn hostile_workflow() -> String {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut random = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let mut text = String::from("workflow w {\n  continue_on_failure = true\n");
    for v in 0..6 {
        text.push_str(&match v % 3 {
            0 => format!("  var b{v}: bool\n"),
            1 => format!("  var e{v}: {{x, y, z, w}}\n"),
            _ => format!("  var i{v}: int 0..100\n"),
        });
    }
    let n: u64 = 150;
    for t in 0..n {
        let accept = if random(10) < 8 {
            " { accept = at_least_one }"
        } else {
            ""
        };
        text.push_str(&format!("  task t{t}{accept}\n"));
    }
    for t in 1..n {
        let mut before: Vec<u64> = (0..=random(4))
            .map(|_| t.saturating_sub(24) + random(t.min(24)))
            .collect();
        before.sort_unstable();
        before.dedup();
        for p in before {
            let on_error = if random(100) < 35 { " on error" } else { "" };
            let mut link = format!("  t{p} -> t{t}{on_error}");
            if random(10) < 7 {
                let parts: Vec<String> = (0..=random(3))
                    .map(|_| match random(3) * 3 + random(2) {
                        0 => format!("b{}", random(2) * 3),
                        1 => format!("not b{}", random(2) * 3),
                        3 | 4 => format!(
                            "e{} == {}",
                            1 + random(2) * 3,
                            ["x", "y", "z", "w"][random(4) as usize]
                        ),
                        _ => format!(
                            "i{} {} {}",
                            2 + random(2) * 3,
                            ["<", ">", "==", ">=", "!="][random(5) as usize],
                            random(101)
                        ),
                    })
                    .collect();
                let join = if random(2) == 0 { " and " } else { " or " };
                link.push_str(&format!(" when {}", parts.join(join)));
            }
            text.push_str(&link);
            text.push('\n');
        }
    }
    text.push_str("}\n");
    text
}

/// The pool of the analysis benchmark, explored whole with the moves kept (for "a way to a final
/// state"): its tables take at most 16 bytes per configuration stored. Its peak heap takes more:
/// what is known of each configuration waiting to be explored (16 bytes each, up to a
/// breadth-first layer), the batch of successors, and the search for states that cannot finish
/// (five bytes per configuration).
fn the_pool_takes_at_most_16_bytes_per_configuration() -> String {
    use wfl::analysis::machine::explore;
    let checked = wfl::check_text(POOL);
    let program = checked.program.expect("resolves");
    let compiled = wfl::sim::machine::Compiled::new(&program).expect("compiles");
    let limits = Limits {
        children: 6,
        max_states: usize::MAX,
        max_bytes: 1 << 30,
        threads: 1,
    };
    let root = wfl::model::MachineId::from_index(1);
    let (mut configs, mut bytes) = (0, 0);
    let peak = peak_of(|| {
        let x = explore(&program, &compiled, root, limits);
        assert!(x.complete());
        (configs, bytes) = (x.configs, x.bytes());
    });
    assert_eq!(configs, 475_104);
    let (per, peak_per) = (bytes as f64 / configs as f64, peak as f64 / configs as f64);
    assert!(per <= 16.0, "{per:.1} bytes per configuration");
    assert!(
        peak_per <= 48.0,
        "a peak of {peak_per:.1} bytes per configuration"
    );
    format!("pool of 6: {per:.1} bytes per configuration, a peak of {peak_per:.1}")
}

#[test]
fn the_analysis_keeps_to_max_memory() {
    eprintln!("{}", the_pool_takes_at_most_16_bytes_per_configuration());
    let wide = wide();
    let workflow = hostile_workflow();
    // The pool of 6 is explored whole, the question of final states answered, from 9 MB on (its
    // search settles by passes what its waits would not fit): 16 MB no longer reaches a bound.
    let cases: [(&str, &str, u32, &[usize]); 5] = [
        ("pool of 6", POOL, 6, &[4, 8]),
        ("pool of 7", POOL, 7, &[4, 8, 16]),
        ("nested teams", NESTED, 3, &[4, 8, 16]),
        ("wide configurations", &wide, 1, &[4, 8, 16]),
        ("workflow", &workflow, 1, &[4, 8, 16]),
    ];
    let mut report = Vec::new();
    for (name, text, children, sizes) in cases {
        for &mb in sizes {
            let limits = Limits {
                children,
                max_states: usize::MAX,
                max_bytes: mb << 20,
                threads: 1,
            };
            let mut notes = 0;
            let peak = peak_of(|| {
                let checked = wfl::check_text_with(text, &Default::default(), limits);
                notes = checked
                    .diagnostics
                    .iter()
                    .filter(|d| d.code.as_str().starts_with('N'))
                    .count();
            });
            // Each case reaches the bound: a note says the analysis stopped.
            let over = if peak > (mb << 20) + BEYOND || notes == 0 {
                "  OVER"
            } else {
                ""
            };
            report.push(format!(
                "{name}, --max-memory {mb}: peak {:.2} MB ({notes} notes){over}",
                peak as f64 / f64::from(1 << 20)
            ));
        }
    }
    let report = report.join("\n");
    eprintln!("{report}");
    assert!(
        !report.contains("OVER"),
        "the peak passed the bound, or the bound was not reached:\n{report}"
    );
}
