//! `wfl explore --machine`: every state each machine of the world enters and every transition it
//! takes, each with the shortest run that shows it, and what no run does.

use std::io::{self, Write};

use serde::Serialize;

use super::args::{Bounds, ConfigArgs, ExploreArgs, Format};
use super::simulate::write_json;
use crate::analysis::machine::{Exploration, explore};
use crate::analysis::machine_findings::{DEFAULT_LIMITS, Reach, reach_lines, stop_text};
use crate::diagnostic::render::line_text;
use crate::model::{MachineId, Program, StateId, Target, TransitionId};
use crate::sim::machine::Compiled;
use crate::sim::render::plural;
use crate::source::Source;

pub fn run(
    args: &ExploreArgs,
    out: &mut impl Write,
    program: &Program,
    m: MachineId,
    source: &Source,
) -> io::Result<()> {
    let machine = program.machine(m);
    let Ok(compiled) = Compiled::new(program) else {
        return writeln!(
            out,
            "machine `{}` was not explored: it uses an expression the interpreter cannot run",
            machine.name.as_str()
        );
    };
    // The bounds of `wfl check`, so that the two agree: the options, then the nearest
    // `wfl.toml`'s `[check]` table.
    let bounds = args.bounds.or(&configured_bounds());
    let limits = bounds.limits(DEFAULT_LIMITS);
    let progress = args.format == Format::Human;
    let (x, _) = super::explore_watch::watched(progress, args.time.max_time, || {
        explore(program, &compiled, m, limits)
    });
    let table = table(program, &x, source);
    match args.format {
        Format::Json => write_json(out, &table),
        Format::Human => write_human(out, &table),
    }
}

/// The `[check]` bounds of the `wfl.toml` nearest the current directory (none when there is none,
/// or when it cannot be used: that was reported when it was read).
fn configured_bounds() -> Bounds {
    let mut failed = false;
    let nearest = ConfigArgs {
        path: None,
        no_config: false,
    };
    let (_, config) =
        super::check::configs(&nearest, super::check::working_directory(), &mut failed);
    config.map(|c| c.settings.check.bounds).unwrap_or_default()
}

#[derive(Serialize)]
struct JsonTable {
    version: u32,
    machine: String,
    /// Instances per `children` group.
    children: u32,
    complete: bool,
    /// Why the table is incomplete, when it is: then "never" means "not seen".
    incomplete: Option<String>,
    configurations: usize,
    moves: u64,
    bytes: usize,
    /// The root's machine first, then the machines of its descendants.
    machines: Vec<JsonMachine>,
}

#[derive(Serialize)]
struct JsonMachine {
    machine: String,
    states: Vec<JsonItem>,
    transitions: Vec<JsonItem>,
}

#[derive(Serialize)]
struct JsonItem {
    /// A state's name, or a transition as `SOURCES -> TARGET [on EVENT]`.
    name: String,
    /// The line of the state's name or of the transition, 1-based.
    line: Option<usize>,
    reached: bool,
    /// The scenario lines of the shortest run that shows it (`null` when not reached).
    witness: Option<Vec<String>>,
}

fn table(program: &Program, x: &Exploration<'_>, source: &Source) -> JsonTable {
    let mut order: Vec<MachineId> = vec![x.root];
    order.extend(
        (0..program.machines.len())
            .map(MachineId::from_index)
            .filter(|&m| m != x.root && x.present[m.index()]),
    );
    let machines = order
        .into_iter()
        .map(|m| {
            let machine = program.machine(m);
            let states = machine
                .state_ids()
                .map(|s| {
                    let seen = x.reached[m.index()][s.index()];
                    JsonItem {
                        name: machine.state(s).name.as_str().to_owned(),
                        line: Some(
                            source
                                .line_col(machine.state(s).name.span.start as usize)
                                .line,
                        ),
                        reached: seen.is_some(),
                        witness: seen
                            .and_then(|seen| reach_lines(program, x, seen, Reach::Enters(m, s))),
                    }
                })
                .collect();
            let transitions = (0..machine.transitions.len())
                .map(|t| {
                    let seen = x.taken[m.index()][t];
                    let id = TransitionId::from_index(t);
                    JsonItem {
                        name: transition_name(program, m, id),
                        line: Some(
                            source
                                .line_col(machine.transitions[t].span.start as usize)
                                .line,
                        ),
                        reached: seen.is_some(),
                        witness: seen
                            .and_then(|seen| reach_lines(program, x, seen, Reach::Takes(m, id))),
                    }
                })
                .collect();
            JsonMachine {
                machine: machine.name.as_str().to_owned(),
                states,
                transitions,
            }
        })
        .collect();
    JsonTable {
        version: 1,
        machine: program.machine(x.root).name.as_str().to_owned(),
        children: x.limits.children,
        complete: x.complete(),
        incomplete: stop_text(program, x),
        configurations: x.configs,
        moves: x.moves,
        bytes: x.bytes(),
        machines,
    }
}

/// `[A, B] -> C on go by user`, `* -> history on back`, `A -> B` (event-less).
pub fn transition_name(program: &Program, m: MachineId, t: TransitionId) -> String {
    let machine = program.machine(m);
    let transition = &machine.transitions[t.index()];
    let state = |s: StateId| machine.state(s).name.as_str().to_owned();
    let sources = if transition.any_source {
        "*".to_owned()
    } else if transition.sources.len() == 1 {
        state(transition.sources[0])
    } else {
        let names: Vec<String> = transition.sources.iter().map(|&s| state(s)).collect();
        format!("[{}]", names.join(", "))
    };
    let target = match transition.target {
        Target::State(s) => state(s),
        Target::History => "history".to_owned(),
    };
    let mut text = format!("{sources} -> {target}");
    if !transition.is_eventless() {
        text.push_str(&format!(" on {}", program.events_text(transition, false)));
    }
    if let Some(a) = transition.actor {
        text.push_str(&format!(" by {}", program.actor(a)));
    }
    if transition.guard.is_some() {
        text.push_str(" when …");
    }
    text
}

fn write_human(out: &mut impl Write, table: &JsonTable) -> io::Result<()> {
    let groups = if table.machines.len() > 1 || table.children == 0 {
        let children = if table.children == 1 {
            "child"
        } else {
            "children"
        };
        format!(", {} {children} in each group", table.children)
    } else {
        String::new()
    };
    writeln!(
        out,
        "machine `{}`: {}, {}{groups}",
        table.machine,
        plural(table.configurations as u64, "configuration"),
        plural(table.moves, "move")
    )?;
    match &table.incomplete {
        None => writeln!(
            out,
            "complete: every event from outside and every value of every input, to every instance"
        )?,
        Some(why) => writeln!(
            out,
            "incomplete: {why}; \"not seen\" below does not mean impossible"
        )?,
    }
    let never = if table.complete { "never" } else { "not seen" };
    for machine in &table.machines {
        writeln!(out, "states of `{}`:", machine.machine)?;
        rows(out, &machine.states, never)?;
        if !machine.transitions.is_empty() {
            writeln!(out, "transitions of `{}`:", machine.machine)?;
            rows(out, &machine.transitions, never)?;
        }
    }
    Ok(())
}

fn rows(out: &mut impl Write, items: &[JsonItem], never: &str) -> io::Result<()> {
    // One row a line, whatever the names hold (a state named `"A\nB"`): shown escaped.
    let names: Vec<_> = items.iter().map(|i| line_text(&i.name)).collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    for (item, name) in items.iter().zip(&names) {
        let how = match (&item.witness, item.reached) {
            (Some(lines), _) if lines.is_empty() => "the plain run (defaults, no event)".to_owned(),
            (Some(lines), _) => lines.join("; "),
            (None, true) => "reached (no replayable run)".to_owned(),
            (None, false) => never.to_owned(),
        };
        let pad = width - name.chars().count();
        writeln!(out, "  {name}{}  {}", " ".repeat(pad), line_text(&how))?;
    }
    Ok(())
}
