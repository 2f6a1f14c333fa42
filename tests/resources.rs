//! The interpreter's resources under hostile specs: what a run compiles, queues, records and
//! computes stays proportional to the file and to the documented bounds (specs/semantics.md 14.8),
//! and a run that would exceed them ends with a finding, never an abort. Large inputs are
//! generated here.

use wfl::diagnostic::{Code, Diagnostic};
use wfl::model::Program;
use wfl::sim::scenario::{ScenarioResult, Verdict};

/// The resolved program of `text`, which must have no error.
fn program(text: &str) -> Program {
    let (file, mut diagnostics) = wfl::syntax::parse(text);
    let (program, found) = wfl::resolve::resolve(&file);
    diagnostics.extend(found);
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    program
}

/// Runs every scenario of `text` in the interpreter alone (no analysis), on a thread with a small
/// stack: nothing may recurse as deep as the input is long.
fn run(text: &str) -> Vec<ScenarioResult> {
    let program = program(text);
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn_scoped(s, || wfl::sim::run_scenarios(&program, text))
            .expect("thread starts")
            .join()
            .expect("no panic")
    })
    .unwrap_or_else(|d| panic!("the program does not compile: {d:?}"))
}

fn codes(verdict: &Verdict) -> Vec<Code> {
    match verdict {
        Verdict::Failed(found) => found.iter().map(|d| d.code).collect(),
        _ => Vec::new(),
    }
}

/// `view v0 = a`, then `levels` views each reading the one before it `uses` times, the last one
/// in a guard and an `expect`.
fn views(levels: usize, uses: usize) -> String {
    let mut text = String::from(
        "machine m {\n  var a: bool = true\n  state A, B\n  initial -> A\n  view v0 = a\n",
    );
    for i in 1..=levels {
        let operands = vec![format!("v{}", i - 1); uses].join(" and ");
        text.push_str(&format!("  view v{i} = {operands}\n"));
    }
    text.push_str(&format!(
        "  A -> B on go when v{levels}\n}}\n\nscenario \"the guard holds\" for m {{\n  expect v{levels}\n  send go\n  expect state == B and v{levels}\n  set a = false\n  expect not v{levels}\n}}\n"
    ));
    text
}

#[test]
fn views_built_on_each_other_are_compiled_once() {
    // Inlined, the guard of 40 levels would be 2^40 instructions (30 levels aborted with a 4 GB
    // allocation); compiled once, each view is a few.
    let text = views(40, 2);
    let program = program(&text);
    let compiled = wfl::sim::machine::Compiled::new(&program).expect("compiles");
    assert!(
        compiled.instructions() < 10 * 41,
        "{} instructions",
        compiled.instructions()
    );
    let results = run(&text);
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].verdict, Verdict::Passed);
}

#[test]
fn a_long_chain_of_views_compiles_and_runs() {
    // 1 001 views gave E0007 ("a machine could not be compiled") under `wfl test`.
    let text = views(20_000, 1);
    let results = run(&text);
    assert_eq!(results[0].verdict, Verdict::Passed);
}

#[test]
fn the_checker_reads_views_once_too() {
    // The whole pipeline — the analysis looks at what each guard reads through its views.
    for text in [views(40, 2), views(2_000, 1)] {
        let tested = wfl::test_text(&text);
        assert!(
            !tested.checked.diagnostics.iter().any(Diagnostic::is_error),
            "{:?}",
            tested.checked.diagnostics
        );
        assert_eq!(tested.results[0].verdict, Verdict::Passed);
    }
}

/// Asserts that running `make(10 n)` takes well under 100 × as long as `make(n)`: quadratic work
/// fails. The two sizes run in turns, seven times, and the best time of each is compared, so that
/// a loaded machine slows both alike. Linear work ten times as large takes ten to thirty times as
/// long here, as its memory outgrows the caches.
fn assert_scales_linearly<R: FnMut()>(what: &str, make: impl Fn(usize) -> R, n: usize) {
    let (mut run_small, mut run_large) = (make(n), make(10 * n));
    let time = |run: &mut R| {
        let start = std::time::Instant::now();
        run();
        start.elapsed()
    };
    let (mut small, mut large) = (std::time::Duration::MAX, std::time::Duration::MAX);
    for _ in 0..7 {
        small = small.min(time(&mut run_small));
        large = large.min(time(&mut run_large));
    }
    let small = small.max(std::time::Duration::from_micros(200));
    let ratio = large.as_secs_f64() / small.as_secs_f64();
    assert!(
        ratio < 50.0,
        "{what}: {n} took {small:?}, {} took {large:?} (×{ratio:.0})",
        10 * n
    );
}

/// Creates the world of the first scenario of `text` — its instances, their initial rules and the
/// stabilisation after them — without a trace, each time it is called.
fn creation(text: &str) -> impl FnMut() + use<> {
    let program = program(text);
    let compiled = wfl::sim::machine::Compiled::new(&program).expect("compiles");
    let wfl::model::ScenarioTarget::Machine(root) = program.scenarios[0].target else {
        panic!("a machine scenario");
    };
    let (config, _) = wfl::sim::machine_scenario::config(&program.scenarios[0]);
    move || {
        let (_, created) = wfl::sim::machine::World::new(&compiled, root, &config, false);
        std::hint::black_box(created).ok();
    }
}

/// A team whose `n` members each become ready by an event-less transition and tell it.
fn team(n: usize) -> String {
    format!(
        "machine member {{
  var eager: bool = true
  state Waiting
  final state Ready
  initial -> Waiting
  Waiting -> Ready when eager {{ send ready to parent }}
}}

machine team {{
  children members: member
  var ready: int
  state Forming
  final state Complete
  initial -> Forming
  Forming -> Forming on ready {{ set ready = ready + 1 }}
  Forming -> Complete when all members in Ready
}}

scenario \"every member is ready\" for team {{
  spawn members * {n}
  expect state == Complete and ready == {n}
}}
"
    )
}

#[test]
fn many_children_stabilise_in_linear_time() {
    // Each event-less step searched the world from its first instance: 50 000 members took 8.5 s.
    for n in [3, 500] {
        assert_eq!(run(&team(n))[0].verdict, Verdict::Passed);
    }
    assert_scales_linearly("members getting ready", |n| creation(&team(n)), 1_000);
}

/// A machine with `n` states, each left for the next by an event-less transition.
fn eventless_chain(n: usize) -> String {
    let states: Vec<String> = (0..n).map(|i| format!("S{i}")).collect();
    let mut text = format!(
        "machine m {{\n  state {}\n  initial -> S0\n",
        states.join(", ")
    );
    for i in 1..n {
        text.push_str(&format!("  S{} -> S{i}\n", i - 1));
    }
    text.push_str(&format!(
        "}}\n\nscenario \"to the end\" for m {{\n  expect state == S{}\n}}\n",
        n - 1
    ));
    text
}

#[test]
fn a_chain_of_eventless_transitions_runs_to_the_step_bound_in_linear_time() {
    // Up to 10 000 steps the chain is walked to its end; a longer one is E0502 at the bound.
    assert_eq!(run(&eventless_chain(9_000))[0].verdict, Verdict::Passed);
    let long = run(&eventless_chain(20_000));
    assert_eq!(codes(&long[0].verdict), [Code::E0502]);
    assert_scales_linearly(
        "an event-less chain",
        |n| creation(&eventless_chain(n)),
        1_000,
    );
}

/// A parent that answers every `pong` with a `ping` to all its `n` children, who each answer
/// `pong`: the events multiply without end.
fn storm(n: usize) -> String {
    format!(
        "machine child {{
  state Idle
  initial -> Idle
  Idle -> Idle on ping {{ send pong to parent }}
}}

machine parent {{
  children kids: child
  state Wait
  initial -> Wait
  Wait -> Wait on start {{ send ping to kids }}
  Wait -> Wait on pong {{ send ping to kids }}
}}

scenario \"a storm\" for parent {{
  spawn kids * {n}
  send start
  expect state == Wait
}}
"
    )
}

#[test]
fn a_send_storm_stops_once_the_queue_outgrows_the_steps_left() {
    // 10 000 children used 3.9 GB: every reply queued 10 000 events, and the trace kept them.
    let n = 2_000;
    let text = storm(n);
    let program = program(&text);
    let compiled = wfl::sim::machine::Compiled::new(&program).expect("compiles");
    let wfl::model::ScenarioTarget::Machine(root) = program.scenarios[0].target else {
        panic!("a machine scenario");
    };
    let (config, _) = wfl::sim::machine_scenario::config(&program.scenarios[0]);
    let (mut world, created) = wfl::sim::machine::World::new(&compiled, root, &config, true);
    assert_eq!(created, Ok(()));
    let bound = 10_000 + 4 * (n + 1);
    let start = program.events.iter().position(|e| e == "start");
    let error = world
        .send(
            0,
            wfl::model::EventId::from_index(start.expect("an event")),
            None,
        )
        .expect_err("the storm cannot become stable");
    let wfl::sim::machine::RunError::Livelock {
        steps,
        queued: Some((queued, left)),
        ..
    } = error
    else {
        panic!("a livelock with an overflowing queue: {error:?}");
    };
    assert_eq!(steps as usize, bound);
    assert!(
        queued > left as usize,
        "{queued} events queued, {left} steps left"
    );
    // The trace holds the creation, the steps and the events queued: a few per step of the bound.
    let trace = world.trace.as_ref().map_or(0, Vec::len);
    assert!(trace < 3 * bound, "{trace} events recorded");
    assert_eq!(codes(&run(&text)[0].verdict), [Code::E0502]);
}

/// The message of the only finding of the first scenario of `text`, run in the interpreter.
fn run_error(text: &str) -> (Code, String) {
    match &run(text)[0].verdict {
        Verdict::Failed(found) if found.len() == 1 => (found[0].code, found[0].message.clone()),
        other => panic!("expected one finding, got {other:?}"),
    }
}

#[test]
fn a_world_too_wide_or_too_deep_is_refused_before_it_is_created() {
    // 99 999 children with 101 variables each would take 80 MB of variables alone; 5 000
    // variables, 4 GB.
    let vars: String = (0..101).map(|i| format!("  var v{i}: int\n")).collect();
    let wide = format!(
        "machine cell {{\n{vars}  state A\n  initial -> A\n}}\n\nmachine colony {{\n  children cells: cell\n  state A\n  initial -> A\n}}\n\nscenario \"wide\" for colony {{\n  spawn cells * 99999\n  expect state == A\n}}\n"
    );
    let (code, message) = run_error(&wide);
    assert_eq!(code, Code::E0503);
    assert!(
        message.contains("10099900 variables and children groups"),
        "{message}"
    );
    // A machine may have children of its own kind, as deep as the scenario spawns them; each level
    // of a filter that reads a view with a quantifier is a level of evaluation.
    let deep = |levels: usize| {
        let mut text = String::from(
            "machine m {\n  children c: m\n  var x: int\n  state A\n  initial -> A\n  view v = any c where v or x > 0\n  A -> A on go when v { set x = 1 }\n}\n\nscenario \"deep\" for m {\n",
        );
        for level in 0..levels {
            text.push_str(&format!("  spawn {}c * 1\n", "c[0].".repeat(level)));
        }
        text.push_str(&format!(
            "  set {}x = 1\n  send go\n  expect x == 1\n}}\n",
            "c[0].".repeat(levels)
        ));
        text
    };
    assert_eq!(run(&deep(64))[0].verdict, Verdict::Passed);
    let (code, message) = run_error(&deep(65));
    assert_eq!(code, Code::E0503);
    assert!(message.contains("65 levels below the root"), "{message}");
}

#[test]
fn configuration_paths_are_followed_without_recursion() {
    // `--set` and `--spawn` paths come from the command line, as long as the user likes.
    use wfl::model::ChildrenId;
    use wfl::sim::machine::Config;
    let path: Vec<(ChildrenId, u32)> = (0..200_000)
        .map(|i| (ChildrenId::from_index(0), i % 3))
        .collect();
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn_scoped(s, || {
                let mut config = Config::default();
                config.at(&path).spawn.push((ChildrenId::from_index(0), 1));
                // Nothing on the way spawns the child that the path goes through.
                assert_eq!(config.unspawned(), Some(path[..1].to_vec()));
                config.spawn.push((ChildrenId::from_index(0), 1));
                assert_eq!(config.unspawned().map(|p| p.len()), Some(2));
                // `Config` nests as deep as the path: dropping it must not recurse either.
                drop(config);
            })
            .expect("thread starts")
            .join()
            .expect("no stack overflow");
    });
}

#[test]
fn a_run_has_a_bounded_number_of_events() {
    // Every line of a scenario is bounded by itself; a long scenario is bounded as a whole, or its
    // trace would grow with every line.
    let mut text = String::from(
        "machine kid {\n  state A\n  initial -> A\n  A -> A on go\n}\n\nmachine parent {\n  children kids: kid\n  state A\n  initial -> A\n  A -> A on go { send go to kids }\n}\n\nscenario \"long\" for parent {\n  spawn kids * 50000\n",
    );
    for _ in 0..30 {
        text.push_str("  send go\n");
    }
    text.push_str("  expect state == A\n}\n");
    let (code, message) = run_error(&text);
    assert_eq!(code, Code::E0508);
    assert!(message.contains("more than 2000000 events"), "{message}");
}

#[test]
fn a_guard_over_every_child_at_every_reply_stops_at_the_bound_of_work() {
    // 20 000 replies, each counting 20 000 children: 4 × 10^8 units, stopped at 10^8.
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/run/too_much_work.wfl"),
    )
    .expect("fixture");
    let (code, message) = run_error(&text);
    assert_eq!(code, Code::E0508);
    assert!(message.contains("100000000 units of work"), "{message}");
    // With fewer children the same run is well within it.
    let small = text.replace("20000", "2000");
    assert_eq!(run(&small)[0].verdict, Verdict::Passed);
}

#[test]
fn a_list_link_condition_is_compiled_once() {
    // `[t0, …, t99] -> [u0, …, u99] when …` is 10 000 links with one condition (within the
    // bound on copies, E0408).
    let sources: Vec<String> = (0..100).map(|i| format!("t{i}")).collect();
    let targets: Vec<String> = (0..100).map(|i| format!("u{i}")).collect();
    let text = format!(
        "workflow w {{\n  var x: int\n  task {}\n  task {}\n  [{}] -> [{}] when x > 1 and x < 100 and x != 50\n}}\n",
        sources.join(", "),
        targets.join(", "),
        sources.join(", "),
        targets.join(", ")
    );
    let program = program(&text);
    assert_eq!(program.workflows[0].links.len(), 10_000);
    let compiled = wfl::sim::compile(&program).expect("compiles");
    assert!(
        compiled[0].instructions() < 20,
        "{} instructions",
        compiled[0].instructions()
    );
}
