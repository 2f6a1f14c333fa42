//! The lines of a witness, as a scenario of the language writes them: `spawn`, `set`, `send`,
//! `expect`, and the scenario around them.

use super::super::machine::{Action, Exploration};
use crate::model::{ActorId, EventId, MachineId, Program, VarId};
use crate::sim::machine::{Config, InstanceId, World};
use crate::sim::machine_render::MachineNamer;

/// Names the machines, states, variables and instances of `program` for a witness.
pub(super) fn namer(program: &Program) -> MachineNamer<'_> {
    MachineNamer {
        program,
        source: "",
    }
}

/// A state name as written in a spec: dotted names bare, others quoted.
pub(super) fn state_text(name: &str) -> String {
    let ident = |part: &str| {
        let mut chars = part.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if name.split('.').all(ident) {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// The leading `spawn` and `set` lines of a witness.
pub(super) fn config_lines(
    program: &Program,
    x: &Exploration<'_>,
    world: &World<'_>,
    combo: u32,
) -> Vec<String> {
    let namer = namer(program);
    let mut lines = Vec::new();
    spawn_lines(program, x.root, &x.space.config, "", &mut lines);
    for &(instance, var, value) in x.combos.get(combo as usize).map_or(&[][..], Vec::as_slice) {
        lines.push(set_line(&namer, world, instance, var, value));
    }
    lines
}

/// `spawn [PATH.]GROUP * N` for each group of `config` that is not of the default size, and for
/// those of the children it sets up in turn (depth first, without recursion: a world may nest
/// thousands of machines).
fn spawn_lines(
    program: &Program,
    m: MachineId,
    config: &Config,
    prefix: &str,
    out: &mut Vec<String>,
) {
    let mut stack = vec![(m, config, prefix.to_string())];
    while let Some((m, config, prefix)) = stack.pop() {
        let machine = program.machine(m);
        for &(group, n) in &config.spawn {
            let name = machine.children[group.index()].name.as_str();
            out.push(format!("spawn {prefix}{name} * {n}"));
        }
        // Pushed last first, so that the first child's lines come first.
        for ((group, k), child) in config.children.iter().rev() {
            let children = &machine.children[group.index()];
            let prefix = format!("{prefix}{}[{k}].", children.name.as_str());
            stack.push((children.machine, child, prefix));
        }
    }
}

/// `send EVENT [to PATH] [by ACTOR]` or `set [PATH.]VAR = VALUE`.
pub(super) fn action_line(
    program: &Program,
    namer: &MachineNamer<'_>,
    world: &World<'_>,
    i: InstanceId,
    action: Action,
) -> String {
    match action {
        Action::Send(event, actor) => send_line(program, namer, world, i, event, actor),
        Action::Set(var, value) => set_line(namer, world, i, var, value),
    }
}

/// `set [PATH.]VAR = VALUE` for a variable of instance `i`.
fn set_line(
    namer: &MachineNamer<'_>,
    world: &World<'_>,
    i: InstanceId,
    var: VarId,
    value: i64,
) -> String {
    let machine = world
        .instances
        .get(i as usize)
        .map_or(MachineId(0), |i| i.machine);
    let prefix = match i {
        0 => String::new(),
        _ => format!("{}.", namer.path(world, i)),
    };
    format!(
        "set {prefix}{} = {}",
        namer.var(machine, var),
        namer.value(machine, var, value)
    )
}

/// `send EVENT [to PATH] [by ACTOR]` to instance `i`.
fn send_line(
    program: &Program,
    namer: &MachineNamer<'_>,
    world: &World<'_>,
    i: InstanceId,
    event: EventId,
    actor: Option<ActorId>,
) -> String {
    let mut line = format!("send {}", program.event(event));
    if i != 0 {
        line.push_str(&format!(" to {}", namer.path(world, i)));
    }
    if let Some(a) = actor {
        line.push_str(&format!(" by {}", program.actor(a)));
    }
    line
}

/// `expect PATH == STATE` for instance `i` (`state == …` for the root).
pub(super) fn expect_state(
    namer: &MachineNamer<'_>,
    world: &World<'_>,
    i: InstanceId,
) -> Option<String> {
    let instance = world.instances.get(i as usize)?;
    let state = state_text(namer.state(instance.machine, instance.state?));
    Some(if i == 0 {
        format!("expect state == {state}")
    } else {
        format!("expect {} == {state}", namer.path(world, i))
    })
}

/// The scenario `witness: TITLE` for the explored root, with `lines`.
pub(super) fn scenario(
    program: &Program,
    x: &Exploration<'_>,
    title: &str,
    lines: &[String],
) -> String {
    let mut text = format!(
        "scenario \"witness: {}\" for {} {{\n",
        title.replace('\\', "\\\\").replace('"', "\\\""),
        program.machine(x.root).name.as_str()
    );
    for line in lines {
        text.push_str("  ");
        text.push_str(line);
        text.push('\n');
    }
    text.push('}');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_names_are_quoted_unless_they_are_dotted_names() {
        assert_eq!(state_text("Idle"), "Idle");
        assert_eq!(state_text("Busy.Working"), "Busy.Working");
        assert_eq!(state_text("two words"), "\"two words\"");
        assert_eq!(state_text("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(state_text("1st"), "\"1st\"");
    }
}
