//! `wfl simulate --machine`: a machine's instances created, events sent, every step shown, and
//! the final configuration; or an interactive session reading events from standard input.

use std::io::{self, BufRead, Write};

use serde::Serialize;

use super::args::{SimulateArgs, SimulateFormat};
use super::output;
use super::simulate::{Usage, hint, parse_value, write_json};
use super::{EXIT_CLEAN, EXIT_FINDINGS};
use crate::diagnostic::render::{self, JsonDiagnostic};
use crate::model::{ActorId, ChildrenId, EventId, MachineId, Program, StepKind, VarId};
use crate::sim::code::value_to_i64;
use crate::sim::machine::{self, Config, Event, RunError, World};
use crate::sim::machine_render::{JsonInstance, MachineNamer};
use crate::sim::machine_scenario;
use crate::source::{Source, Span};

mod report;

use report::Report;

/// Steps from an instance to a descendant: (children group, index).
type Steps = Vec<(ChildrenId, u32)>;

/// One thing to do once the instances exist.
enum Action {
    Send {
        event: EventId,
        to: Vec<(ChildrenId, u32)>,
        by: Option<ActorId>,
        /// How it was written, for messages.
        text: String,
    },
    Set {
        path: Vec<(ChildrenId, u32)>,
        var: VarId,
        value: i64,
        text: String,
    },
}

pub fn run(
    args: &SimulateArgs,
    program: &Program,
    m: MachineId,
    scenario: Option<usize>,
    source: &Source,
) -> Result<io::Result<u8>, Usage> {
    let compiled = machine::Compiled::new(program).map_err(|_| {
        Usage("internal error: a machine could not be compiled (a bug in wfl)".to_owned())
    })?;
    let (mut config, mut actions, span) = match scenario.and_then(|s| program.scenarios.get(s)) {
        Some(s) => {
            let (config, start) = machine_scenario::config(s);
            (config, scenario_actions(program, s, start), s.name.span)
        }
        None => (Config::default(), Vec::new(), program.machine(m).name.span),
    };
    for spawn in &args.spawn {
        let (path, count) = spawn
            .split_once('=')
            .ok_or_else(|| Usage(format!("`--spawn {spawn}`: write `--spawn CHILDREN=N`")))?;
        let count: u32 = count.trim().parse().map_err(|_| {
            Usage(format!(
                "`--spawn {spawn}`: N must be a whole number from 0 to {}",
                u32::MAX
            ))
        })?;
        let (prefix, at, last) = split_path(program, m, path.trim(), "--spawn")?;
        let group = children_of(program, at, &last, "--spawn")?;
        config.at(&prefix).spawn.push((group, count));
    }
    for set in &args.set {
        let (path, value) = set
            .split_once('=')
            .ok_or_else(|| Usage(format!("`--set {set}`: write `--set VAR=VALUE`")))?;
        let (prefix, var, value) = parse_set(program, m, path.trim(), value.trim(), set)?;
        config.at(&prefix).vars.push((var, value));
    }
    if let Some(path) = config.unspawned() {
        return Err(Usage(format!(
            "`{}` is configured but not created: add `--spawn` for it (children are numbered from 0)",
            path_text(program, m, &path)
        )));
    }
    if let Some(events) = &args.events {
        for item in events.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            actions.push(parse_event(program, m, item)?);
        }
    }
    let namer = MachineNamer {
        program,
        source: source.text(),
    };
    let mut out = output::stdout(args.color);
    let (mut world, created) = World::new(&compiled, m, &config, true);
    let error = created.err();
    let mut report = Report {
        namer: &namer,
        source,
        machine: m,
        shown: 0,
    };
    if let Some(error) = error {
        return Ok(report.finish(args, &mut out, &world, Some((&error, span))));
    }
    for action in &actions {
        if let Err(error) = apply(&mut world, action)? {
            return Ok(report.finish(args, &mut out, &world, Some((&error, span))));
        }
    }
    if args.interactive {
        return Ok(interactive(
            program,
            m,
            &mut world,
            &mut report,
            &mut out,
            span,
        ));
    }
    Ok(report.finish(args, &mut out, &world, None))
}

/// The world after machine scenario `s`'s configuration, `send` and `set` lines (with its trace),
/// for a picture of the run; a run error stops it where it happened.
pub fn scenario_world<'c>(
    program: &Program,
    compiled: &'c machine::Compiled,
    m: MachineId,
    s: usize,
) -> Result<World<'c>, Usage> {
    let scenario = program
        .scenarios
        .get(s)
        .ok_or_else(|| Usage("no such scenario".to_owned()))?;
    let (config, start) = machine_scenario::config(scenario);
    let (mut world, created) = World::new(compiled, m, &config, true);
    if created.is_ok() {
        for action in &scenario_actions(program, scenario, start) {
            if apply(&mut world, action)?.is_err() {
                break;
            }
        }
    }
    Ok(world)
}

/// A scenario's `send` and `set` steps after its configuration (its `expect`s are for `wfl test`).
fn scenario_actions(program: &Program, s: &crate::model::Scenario, start: usize) -> Vec<Action> {
    let path_of = |p: &crate::model::InstancePath| {
        p.steps
            .iter()
            .map(|s| (s.children, s.index))
            .collect::<Vec<_>>()
    };
    s.steps
        .iter()
        .skip(start)
        .filter_map(|step| match &step.kind {
            StepKind::Send { event, to, by } => Some(Action::Send {
                event: *event,
                to: path_of(to),
                by: *by,
                text: program.event(*event).to_owned(),
            }),
            StepKind::Set { path, var, value } => Some(Action::Set {
                path: path_of(path),
                var: *var,
                value: value_to_i64(*value),
                text: "set".to_owned(),
            }),
            _ => None,
        })
        .collect()
}

/// Runs one action; a usage error when it names an instance that does not exist.
fn apply(world: &mut World<'_>, action: &Action) -> Result<Result<(), RunError>, Usage> {
    match action {
        Action::Send {
            event,
            to,
            by,
            text,
        } => {
            let target = world.resolve(0, to).ok_or_else(|| {
                Usage(format!(
                    "`{text}`: no such child instance (children are numbered from 0)"
                ))
            })?;
            Ok(world.send(target, *event, *by))
        }
        Action::Set {
            path,
            var,
            value,
            text,
        } => {
            let target = world.resolve(0, path).ok_or_else(|| {
                Usage(format!(
                    "`{text}`: no such child instance (children are numbered from 0)"
                ))
            })?;
            Ok(world.set(target, *var, *value))
        }
    }
}

/// `workers[0].members[1]`, from machine `root`.
fn path_text(program: &Program, root: MachineId, path: &[(ChildrenId, u32)]) -> String {
    let mut at = root;
    let mut parts = Vec::new();
    for &(group, index) in path {
        let children = &program.machine(at).children[group.index()];
        parts.push(format!("{}[{index}]", children.name.as_str()));
        at = children.machine;
    }
    parts.join(".")
}

/// `workers[0].members[1].name` → the indexed steps before the last segment, the machine they
/// reach, and the last segment's name.
fn split_path(
    program: &Program,
    root: MachineId,
    path: &str,
    flag: &str,
) -> Result<(Steps, MachineId, String), Usage> {
    let segments: Vec<&str> = path.split('.').collect();
    let Some((last, prefix)) = segments.split_last() else {
        return Err(Usage(format!("`{flag} {path}`: no name given")));
    };
    let mut at = root;
    let mut steps = Vec::new();
    for segment in prefix {
        let (name, index) = indexed(segment).ok_or_else(|| {
            Usage(format!(
                "`{flag} {path}`: `{segment}` needs an index, like `{segment}[0]`"
            ))
        })?;
        let group = children_of(program, at, name, flag)?;
        steps.push((group, index));
        at = program.machine(at).children[group.index()].machine;
    }
    Ok((steps, at, (*last).to_owned()))
}

/// `workers[3]` → (`workers`, 3).
fn indexed(segment: &str) -> Option<(&str, u32)> {
    let (name, rest) = segment.split_once('[')?;
    let index = rest.strip_suffix(']')?.parse().ok()?;
    Some((name, index))
}

fn children_of(
    program: &Program,
    m: MachineId,
    name: &str,
    flag: &str,
) -> Result<ChildrenId, Usage> {
    let machine = program.machine(m);
    match machine
        .children
        .iter()
        .position(|c| c.name.as_str() == name)
    {
        Some(i) => Ok(ChildrenId::from_index(i)),
        None => {
            let names = machine.children.iter().map(|c| c.name.as_str());
            Err(Usage(format!(
                "`{flag}`: machine `{}` has no children named `{name}`{}",
                machine.name.as_str(),
                hint(name, names)
            )))
        }
    }
}

fn parse_set(
    program: &Program,
    root: MachineId,
    path: &str,
    value: &str,
    whole: &str,
) -> Result<(Steps, VarId, i64), Usage> {
    let (prefix, at, name) = split_path(program, root, path, "--set")?;
    let machine = program.machine(at);
    let Some(v) = machine.vars.iter().position(|v| v.name.as_str() == name) else {
        let names = machine.vars.iter().map(|v| v.name.as_str());
        return Err(Usage(format!(
            "`--set`: machine `{}` has no variable `{name}`{}",
            machine.name.as_str(),
            hint(&name, names)
        )));
    };
    let value = parse_value(program, machine.vars[v].ty, value)
        .map_err(|expected| Usage(format!("`--set {whole}`: `{name}` is {expected}")))?;
    Ok((prefix, VarId::from_index(v), value))
}

/// `finish to workers[0] by admin`: an event, then `to PATH` and `by ACTOR` in any order. The event
/// and the actor must be ones the receiving instance's machine declares, when it declares them.
fn parse_event(program: &Program, root: MachineId, item: &str) -> Result<Action, Usage> {
    let words: Vec<&str> = item.split_whitespace().collect();
    let Some((&event, mut rest)) = words.split_first() else {
        return Err(Usage("an empty event".to_owned()));
    };
    let mut to = Vec::new();
    let mut receiver = root;
    let mut actor = None;
    while let [keyword, value, tail @ ..] = rest {
        match *keyword {
            "to" => {
                let (mut steps, at, last) = split_path(program, root, value, "--events")?;
                let (name, index) = indexed(&last).ok_or_else(|| {
                    Usage(format!(
                        "`{item}`: `{last}` needs an index, like `{last}[0]`"
                    ))
                })?;
                let group = children_of(program, at, name, "--events")?;
                receiver = program.machine(at).children[group.index()].machine;
                steps.push((group, index));
                to = steps;
            }
            "by" => actor = Some(*value),
            other => {
                return Err(Usage(format!(
                    "`{item}`: expected `to PATH` or `by ACTOR`, found `{other}`"
                )));
            }
        }
        rest = tail;
    }
    if let [extra] = rest {
        return Err(Usage(format!("`{item}`: `{extra}` needs a value after it")));
    }
    let machine = program.machine(receiver);
    let events = (machine.events.as_ref()).map(|events| {
        events
            .iter()
            .map(|d| (d.id.index(), d.name.as_str()))
            .collect()
    });
    let e =
        name_index(item, machine, "event", event, &program.events, events).map_err(|unknown| {
            unknown.unwrap_or_else(|| {
                let names = program.events.iter().map(String::as_str);
                Usage(format!(
                    "`{item}`: no transition of this file handles an event `{event}`{}",
                    hint(event, names)
                ))
            })
        })?;
    let by = match actor {
        Some(actor) => {
            let actors = (machine.actors.as_ref()).map(|actors| {
                actors
                    .iter()
                    .map(|d| (d.id.index(), d.name.as_str()))
                    .collect()
            });
            let a = name_index(item, machine, "actor", actor, &program.actors, actors).map_err(
                |unknown| {
                    unknown.unwrap_or_else(|| {
                        let names = program.actors.iter().map(String::as_str);
                        Usage(format!(
                            "`{item}`: no transition of this file names an actor `{actor}`{}",
                            hint(actor, names)
                        ))
                    })
                },
            )?;
            Some(ActorId::from_index(a))
        }
        None => None,
    };
    Ok(Action::Send {
        event: EventId::from_index(e),
        to,
        by,
        text: item.to_owned(),
    })
}

/// The index of event or actor `name` among the file's (`all`), when `machine` takes it:
/// `declared` is what the machine declares of that kind (index and name), `None` when it does not
/// declare them. `Err(Some(_))`: a name the machine does not declare (as E0106 and E0107 say of a
/// file); `Err(None)`: a name the file does not know.
fn name_index(
    item: &str,
    machine: &crate::model::Machine,
    kind: &str,
    name: &str,
    all: &[String],
    declared: Option<Vec<(usize, &str)>>,
) -> Result<usize, Option<Usage>> {
    let index = all.iter().position(|n| n == name);
    match (index, declared) {
        (Some(i), Some(declared)) if declared.iter().any(|&(d, _)| d == i) => Ok(i),
        (_, Some(declared)) => Err(Some(Usage(format!(
            "`{item}`: machine `{}` declares no {kind} `{name}`{}",
            machine.name.as_str(),
            hint(name, declared.iter().map(|&(_, n)| n))
        )))),
        (Some(i), None) => Ok(i),
        (None, None) => Err(None),
    }
}

/// Events from standard input, one a line; the new steps and the configuration after each.
fn interactive(
    program: &Program,
    m: MachineId,
    world: &mut World<'_>,
    report: &mut Report<'_>,
    out: &mut impl Write,
    span: Span,
) -> io::Result<u8> {
    report.new_steps(out, world)?;
    write!(out, "{}", report.namer.configuration(world))?;
    let handled: Vec<String> = {
        let mut events: Vec<&str> = Vec::new();
        for &e in program
            .machine(m)
            .transitions
            .iter()
            .flat_map(|t| t.events())
        {
            if !events.contains(&program.event(e)) {
                events.push(program.event(e));
            }
        }
        events.iter().take(4).map(|e| format!("`{e}`")).collect()
    };
    writeln!(
        out,
        "type an event, one a line (`EVENT [to PATH] [by ACTOR]`; this machine handles {}); end with Ctrl-D",
        if handled.is_empty() {
            "none".to_owned()
        } else {
            handled.join(", ")
        }
    )?;
    let mut input = io::stdin().lock();
    let mut buffer = Vec::new();
    let mut number = 0;
    while let Some(line) = next_line(&mut input, &mut buffer, MAX_EVENT_LINE)? {
        number += 1;
        let line = match line {
            Line::Text(line) => line,
            Line::TooLong => {
                writeln!(
                    out,
                    "error: line {number} is longer than {MAX_EVENT_LINE} bytes; it was skipped"
                )?;
                continue;
            }
            Line::NotUtf8 => {
                writeln!(
                    out,
                    "error: line {number} is not valid UTF-8; it was skipped"
                )?;
                continue;
            }
        };
        let item = line.trim();
        if item.is_empty() {
            continue;
        }
        let action = match parse_event(program, m, item) {
            Ok(action) => action,
            Err(Usage(message)) => {
                writeln!(out, "error: {message}")?;
                continue;
            }
        };
        match apply(world, &action) {
            Err(Usage(message)) => writeln!(out, "error: {message}")?,
            Ok(Err(error)) => {
                report.new_steps(out, world)?;
                let mut d = report.namer.error(world, &error, span);
                d.primary.message = format!("after `{item}`");
                write_diagnostic(out, report.source, &d)?;
                return Ok(EXIT_FINDINGS);
            }
            Ok(Ok(())) => {
                report.new_steps(out, world)?;
                write!(out, "{}", report.namer.configuration(world))?;
            }
        }
    }
    Ok(EXIT_CLEAN)
}

/// The longest line `--interactive` reads: an event is a few words. Longer lines are skipped
/// as they come, never held whole, so endless input without a line break takes no memory.
pub const MAX_EVENT_LINE: usize = 4096;

/// One line of `--interactive` input.
#[derive(Debug, PartialEq)]
enum Line {
    Text(String),
    /// Over [`MAX_EVENT_LINE`] bytes (skipped).
    TooLong,
    /// Not UTF-8 (skipped).
    NotUtf8,
}

/// The next line of `input` without its line break, keeping at most `max` bytes of it in
/// `buffer`; `None` at the end of the input.
fn next_line(
    input: &mut impl BufRead,
    buffer: &mut Vec<u8>,
    max: usize,
) -> io::Result<Option<Line>> {
    buffer.clear();
    let (mut any, mut too_long) = (false, false);
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if available.is_empty() {
            break;
        }
        any = true;
        let end = available.iter().position(|&b| b == b'\n');
        let part = &available[..end.unwrap_or(available.len())];
        if too_long || buffer.len() + part.len() > max {
            too_long = true;
            buffer.clear();
        } else {
            buffer.extend_from_slice(part);
        }
        let used = part.len() + usize::from(end.is_some());
        input.consume(used);
        if end.is_some() {
            break;
        }
    }
    Ok(match (any, too_long) {
        (false, _) => None,
        (true, true) => Some(Line::TooLong),
        (true, false) => Some(match std::str::from_utf8(buffer) {
            Ok(text) => Line::Text(text.to_owned()),
            Err(_) => Line::NotUtf8,
        }),
    })
}

fn write_diagnostic(
    out: &mut impl Write,
    source: &Source,
    d: &crate::diagnostic::Diagnostic,
) -> io::Result<()> {
    // Only on the error path: a copy of the source is cheap enough there.
    write!(
        out,
        "{}",
        render::human_string(source.clone(), std::slice::from_ref(d))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<Line> {
        // A small buffer, so lines arrive in several pieces.
        let mut input = io::BufReader::with_capacity(3, input);
        let mut buffer = Vec::new();
        let mut found = Vec::new();
        while let Some(line) = next_line(&mut input, &mut buffer, max).expect("in memory") {
            assert!(
                buffer.capacity() <= max.max(8) * 2,
                "the buffer grew past the limit"
            );
            found.push(line);
        }
        found
    }

    #[test]
    fn interactive_lines_are_bounded_and_bad_ones_skipped() {
        let text = |s: &str| Line::Text(s.to_owned());
        assert_eq!(
            lines(b"go\n\xff\xfe\nstop by admin\r\n\n", 16),
            [text("go"), Line::NotUtf8, text("stop by admin\r"), text("")]
        );
        let long = [b"a".repeat(40), b"\nend".to_vec()].concat();
        assert_eq!(lines(&long, 16), [Line::TooLong, text("end")]);
        assert_eq!(lines(&b"x".repeat(17), 16), [Line::TooLong]);
        assert_eq!(lines(&b"x".repeat(16), 16), [text(&"x".repeat(16))]);
        assert_eq!(lines(b"", 16), []);
    }
}
