//! Pictures: `cargo bench --bench graph`.
//!
//! - `svg`: the SVG of the generated workflow (`generate.rs`, about 100 bytes a task, a chain with
//!   error links), layout included, as `wfl graph --format svg` draws it;
//! - `report_page`: the report page of one run of it with its trace, as `wfl simulate --format
//!   html` writes it (a step per event of the trace).

use divan::Bencher;
use wfl::model::Program;
use wfl::sim::workflow::Inputs;

#[path = "generate.rs"]
mod generate;

fn main() {
    divan::main();
}

/// The generated workflow of `tasks` tasks, checked, and its text.
fn program(tasks: usize) -> (Program, String) {
    let text = generate::workflow(tasks);
    let program = wfl::check_text(&text)
        .program
        .expect("the generated workflow resolves");
    (program, text)
}

#[divan::bench(args = [100, 1_000, 10_000])]
fn svg(bencher: Bencher, tasks: usize) {
    let (program, text) = program(tasks);
    bencher.bench(|| {
        let picture = wfl::draw::workflow(&program.workflows[0], &text);
        wfl::draw::svg::write(&picture)
    });
}

#[divan::bench(args = [100, 1_000, 10_000])]
fn report_page(bencher: Bencher, tasks: usize) {
    let (program, text) = program(tasks);
    let compiled = wfl::sim::compile(&program).expect("compiles");
    let mut trace = Vec::new();
    let outcome = compiled[0].run(&Inputs::default(), &[], Some(&mut trace));
    bencher.bench(|| {
        wfl::draw::html::workflow_page(&program, &program.workflows[0], &text, &trace, &outcome)
    });
}
