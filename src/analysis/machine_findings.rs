//! Findings on machines (W0410–W0416, W0418) from their exploration, each run-based one with a witness:
//! a scenario the interpreter has replayed, step by step, along the shortest path the exploration
//! found.

use std::sync::Arc;

use super::machine::{
    Action, Exploration, Limits, Prepared, Seen, error_instance, explore_within, same_error,
    work_bound,
};
use rustc_hash::{FxHashMap, FxHashSet};

use super::machine::Shadow;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{
    ActionKind, ActorId, EventId, Expr, ExprKind, Machine, MachineId, Program, SendTarget, StateId,
    StateKind, Target, TransitionId, Value, VarId, ViewId,
};
use crate::sim::machine::{Config, Event, InstanceId, RunError, World};
use crate::sim::machine_render::MachineNamer;
use crate::source::Span;

/// The exploration `wfl check` and `wfl explore` run by default, the same for both so that they
/// agree: large enough for a model of a few machines with small ranges to be explored whole in
/// about a second (`wfl check` shares the work of [`work_bound`] among the machines of a file),
/// so that a bound seldom hides a finding; on a larger machine it is incomplete and reports only
/// what some run shows (never an unreachable state), and says so (N0417).
pub const DEFAULT_LIMITS: Limits = Limits {
    children: 2,
    max_states: 200_000,
    max_bytes: 64 << 20,
    threads: 1,
};

/// Adds the findings of exploring every machine of `program` (each as the root of a world, within
/// `limits`) to `out`. Machines the interpreter cannot compile, which the resolver should have
/// made impossible, are an internal error (E0007), not an exploration left out without a word.
pub fn check(program: &Program, limits: Limits, out: &mut Vec<Diagnostic>) {
    if program.machines.is_empty() {
        return;
    }
    let compiled = match crate::sim::compile_machines(program) {
        Ok(compiled) => compiled,
        Err(internal) => {
            out.push(*internal);
            return;
        }
    };
    let mut found: Vec<Diagnostic> = Vec::new();
    // A run error or a shadowing seen from several roots is reported once: the code and span
    // of each finding so far.
    let mut known = FxHashSet::default();
    // The work of all the explorations: each machine may take an equal share of what the ones
    // before it left.
    let mut work_left = work_bound(limits);
    let machines = program.machines.len();
    let prepared = Arc::new(Prepared::new(program));
    for m in 0..machines {
        let share = work_left / (machines - m) as u64;
        let root = MachineId::from_index(m);
        let x = explore_within(program, &compiled, root, limits, share, &prepared);
        work_left = work_left.saturating_sub(x.work);
        if let Some(d) = explored_in_part(program, &x) {
            found.push(d);
        }
        findings(program, &x, &mut known, &mut found);
    }
    // A transition shadowed everywhere is W0411's, whichever root showed the shadowing.
    let never_taken: FxHashSet<Span> = found
        .iter()
        .filter(|d| d.code == Code::W0411)
        .map(|d| d.primary.span)
        .collect();
    found.retain(|d| d.code != Code::W0413 || !never_taken.contains(&d.primary.span));
    out.extend(found);
}

/// Whether a finding with `code` at `span` is new, in `known` (which then has it).
fn first_time(known: &mut FxHashSet<(Code, Span)>, code: Code, span: Span) -> bool {
    known.insert((code, span))
}

/// Adds what the exploration of `x.root` shows about it (and, for run errors and shadowing,
/// about the machines of its children) to `out`, but for findings already `known` (from other
/// roots), whose witnesses are not worked out again.
fn findings(
    program: &Program,
    x: &Exploration<'_>,
    known: &mut FxHashSet<(Code, Span)>,
    out: &mut Vec<Diagnostic>,
) {
    let m = x.root;
    let machine = program.machine(m);
    let scope = scope_note(program, x);
    if x.complete() {
        let structural = structurally_reachable(program, m);
        // The transitions into each state, for the labels of W0410: the first four.
        let mut into: Vec<Vec<Span>> = vec![Vec::new(); machine.states.len()];
        for t in &machine.transitions {
            if let Target::State(to) = t.target
                && let Some(list) = into.get_mut(to.index())
                && list.len() < 4
            {
                list.push(t.span);
            }
        }
        for s in machine.state_ids() {
            if x.reached[m.index()][s.index()].is_some() || !structural[s.index()] {
                continue;
            }
            let state = machine.state(s);
            let mut d = Diagnostic::new(
                Code::W0410,
                format!(
                    "no run of `{}` enters state `{}`",
                    machine.name.as_str(),
                    state.name.as_str()
                ),
                state.name.span,
                "never entered",
            );
            for &span in &into[s.index()] {
                d = d.with_label(span, "never taken");
            }
            let guards = (machine.transitions.iter())
                .filter(|t| t.target == Target::State(s))
                .filter_map(|t| t.guard.as_ref())
                .chain(
                    (machine.initials.iter())
                        .filter(|i| i.target == s)
                        .filter_map(|i| i.guard.as_ref()),
                );
            d = d.with_note("transitions lead here, but in every run their guards are false or their source states are never reached");
            if let Some(note) = frozen_note(machine, guards) {
                d = d.with_note(note);
            }
            known.insert((d.code, d.primary.span));
            out.push(
                d.with_note(scope.clone())
                    .with_help("check the guards on the way here and the values the variables can have; or remove the state"),
            );
        }
        // The first shadowing of each transition, by the later transition.
        let mut shadowed: FxHashMap<TransitionId, &Shadow> = FxHashMap::default();
        for shadow in x.shadows.iter().filter(|s| s.machine == m) {
            shadowed.entry(shadow.later).or_insert(shadow);
        }
        // Worked out when a W0411 first needs it.
        let mut first_rests: Option<Vec<Option<u32>>> = None;
        for (t, transition) in machine.transitions.iter().enumerate() {
            if x.taken[m.index()][t].is_some() {
                continue;
            }
            let reached_source = transition
                .sources
                .iter()
                .find(|s| x.reached[m.index()][s.index()].is_some());
            let Some(&source) = reached_source else {
                continue;
            };
            let mut d = Diagnostic::new(
                Code::W0411,
                format!(
                    "no run of `{}` takes the transition from `{}`",
                    machine.name.as_str(),
                    machine.state(source).name.as_str()
                ),
                transition.span,
                "never taken",
            )
            .with_note(match transition.is_eventless() {
                false => format!(
                    "runs reach `{}`, but {} never arrives there while the guard holds and no earlier transition takes it",
                    machine.state(source).name.as_str(),
                    program.events_text(transition, true)
                ),
                true => format!(
                    "runs reach `{}`, but its guard never holds there before another transition leaves",
                    machine.state(source).name.as_str()
                ),
            });
            if let Some(note) = frozen_note(machine, transition.guard.iter()) {
                d = d.with_note(note);
            }
            d = d.with_note(scope.clone());
            let id = TransitionId::from_index(t);
            if let Some(shadow) = shadowed.get(&id) {
                d = d
                    .with_label(
                        machine.transitions[shadow.first.index()].span,
                        "wherever the one below is enabled, this one takes the event first",
                    )
                    .with_help("put it before the transition that takes the event first, or make their guards exclusive");
            }
            let rests = first_rests
                .get_or_insert_with(|| first_resting(x))
                .get(source.index())
                .copied()
                .flatten();
            let text = rests.and_then(|c| never_taken_witness(program, x, id, source, c));
            d = with_witness(d, x, text);
            if d.help.is_none() {
                d = d.with_help(
                    "check its guard, and the transitions before it that take the same event",
                );
            }
            known.insert((d.code, d.primary.span));
            out.push(d);
        }
        for &(s, config) in &x.no_final {
            let state = machine.state(s);
            // A dead end (no transition leaves it) is W0201's.
            let dead_end = !machine.transitions.iter().any(|t| t.sources.contains(&s));
            if dead_end {
                continue;
            }
            let mut d = Diagnostic::new(
                Code::W0412,
                format!("no final state of `{}` can be reached from `{}`", machine.name.as_str(), state.name.as_str()),
                state.name.span,
                "runs get here and never finish",
            )
            .with_note("some run reaches a configuration with the machine in this state from which no sequence of events leads to a final state")
            .with_note(scope.clone());
            let title = format!(
                "`{}` cannot finish from `{}`",
                machine.name.as_str(),
                state.name.as_str()
            );
            let text = to_config_witness(program, x, config, &title, |namer, world| {
                vec![format!(
                    "expect state == {}",
                    state_text(namer.state(world.instances[0].machine, s))
                )]
            });
            d = with_witness(d, x, text);
            known.insert((d.code, d.primary.span));
            out.push(d.with_help("add a way out of it towards a final state, or make it final"));
        }
    }
    for shadow in &x.shadows {
        let owner = program.machine(shadow.machine);
        let first = &owner.transitions[shadow.first.index()];
        let later = &owner.transitions[shadow.later.index()];
        if !first_time(known, Code::W0413, later.span) {
            continue;
        }
        // The event of the move that showed it: a transition may take several.
        let event = match shadow.seen {
            Seen::Move {
                mv:
                    super::machine::Move {
                        action: Action::Send(e, _),
                        ..
                    },
                ..
            } => program.event(e),
            _ => "?",
        };
        let mut d = Diagnostic::new(
            Code::W0413,
            format!(
                "`{event}` enables two transitions of `{}` at once; the later one is shadowed",
                owner.name.as_str()
            ),
            later.span,
            "enabled too, but not taken",
        )
        .with_label(
            first.span,
            "this one comes first in the file, so it takes the event",
        );
        let title = format!("`{event}` enables two transitions");
        let text = move_witness(
            program,
            x,
            shadow.seen,
            &title,
            &Want::Shadow(shadow.machine, shadow.first, shadow.later),
        );
        d = with_witness(d, x, text);
        // The order alone leaves both enabled: the later one is a fallback only without a guard.
        out.push(d.with_help(
            "make the guards exclusive, or put the more specific transition first and leave the \
             other without a guard, as the fallback",
        ));
    }
    for failure in &x.failures {
        if let Some(d) = failure_finding(program, x, failure, known) {
            out.push(d);
        }
    }
    for unsent in &x.unsent {
        if first_time(known, Code::W0418, unsent.action) {
            out.push(unsent_finding(program, x, unsent, &scope));
        }
    }
}

/// W0418: a send to one child of a group that some run makes when no child qualifies, so the
/// event is not sent.
fn unsent_finding(
    program: &Program,
    x: &Exploration<'_>,
    unsent: &super::machine::Unsent,
    scope: &str,
) -> Diagnostic {
    let machine = program.machine(unsent.machine);
    let action = machine.actions().find(|a| a.span == unsent.action);
    let (event, target) = match action.map(|a| &a.kind) {
        Some(ActionKind::Send { event, target }) => (program.event(*event), target),
        _ => ("?", &SendTarget::Parent),
    };
    let group = target.group().and_then(|g| machine.children.get(g.index()));
    let name = group.map_or("?", |c| c.name.as_str());
    let (label, help) = match target {
        SendTarget::One {
            states: Some(states),
            ..
        } => {
            let child = group.map_or(unsent.machine, |c| c.machine);
            let names: Vec<String> = states
                .iter()
                .map(|&s| state_text(program.machine(child).state(s).name.as_str()))
                .collect();
            let states = match names.as_slice() {
                [one] => one.clone(),
                _ => format!("[{}]", names.join(", ")),
            };
            (
                format!("no child of `{name}` is in {states} when this runs"),
                format!(
                    "send it only when one is: guard the transition with `when any {name} in {states}`"
                ),
            )
        }
        SendTarget::Index { index, .. } => {
            // The index in words, when it is a name or a number.
            let index = match index.kind {
                ExprKind::Var(v) => machine.vars[v.index()].name.as_str().to_owned(),
                ExprKind::Const(Value::Int(n)) => n.to_string(),
                _ => "INDEX".to_owned(),
            };
            (
                format!("`{index}` names no child of `{name}` when this runs"),
                format!(
                    "send it only when the child exists: guard the transition with `when {index} < count {name}`"
                ),
            )
        }
        _ => (
            format!("`{name}` has no children when this runs"),
            format!("guard the transition with `when any {name}`"),
        ),
    };
    let d = Diagnostic::new(
        Code::W0418,
        format!(
            "a run of `{}` sends `{event}` to one child of `{name}` when no child qualifies",
            machine.name.as_str()
        ),
        unsent.action,
        label,
    )
    .with_note("the event is not sent: no child receives it, and the run goes on")
    .with_note(scope.to_owned());
    let text = move_witness(
        program,
        x,
        unsent.seen,
        &format!("`{event}` reaches no child of `{name}`"),
        &Want::Unsent(unsent.action),
    );
    with_witness(d, x, text).with_help(format!(
        "{help}; or, when dropping the event is what the model means, acknowledge it with `// wfl: allow(W0418) reason`"
    ))
}

/// Whether the world's trace shows the send at `action` reaching no child.
fn unsent_in(world: &World<'_>, action: Span) -> bool {
    world
        .trace
        .iter()
        .flatten()
        .any(|e| matches!(e, Event::Unsent { action: a, .. } if *a == action))
}

/// What the exploration covered, in a note.
fn scope_note(program: &Program, x: &Exploration<'_>) -> String {
    let has_children = !program.machine(x.root).children.is_empty();
    let children = if has_children {
        let children = if x.limits.children == 1 {
            "child"
        } else {
            "children"
        };
        format!(", with {} {children} in each group", x.limits.children)
    } else {
        String::new()
    };
    let all = match x.configs {
        1 => "the only configuration".to_owned(),
        n => format!("all {n} configurations"),
    };
    format!(
        "wfl explored {all} of `{}`{children}: every event from outside, from the actors its transitions name, and every value of every input, to every instance, from every combination of initial values of the inputs",
        program.machine(x.root).name.as_str()
    )
}

fn witness_note(text: &str) -> String {
    format!("a run that shows it (paste it into the file and run `wfl test`):\n{text}")
}

/// `d` with its witness; or, when the witnesses' work was spent before it was found, a note
/// that says why there is none.
fn with_witness(d: Diagnostic, x: &Exploration<'_>, text: Option<String>) -> Diagnostic {
    match text {
        Some(text) => d.with_note(witness_note(&text)),
        None if x.witnesses_spent() => d.with_note(
            "no run is shown for it: the runs shown for the findings before it took all the work wfl gives them",
        ),
        None if x.take_replay_failed() => d.with_note(
            "no run is shown for it: the run wfl found could not be replayed (a bug in wfl; please report it with this file)",
        ),
        None => d,
    }
}

/// A state name as written in a spec: dotted names bare, others quoted.
fn state_text(name: &str) -> String {
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

/// States reachable from the initial rules over transitions, guards ignored.
fn structurally_reachable(program: &Program, m: MachineId) -> Vec<bool> {
    let machine = program.machine(m);
    let mut next: Vec<Vec<StateId>> = vec![Vec::new(); machine.states.len()];
    for t in &machine.transitions {
        if let Target::State(to) = t.target {
            for s in &t.sources {
                if let Some(list) = next.get_mut(s.index()) {
                    list.push(to);
                }
            }
        }
    }
    let mut seen = vec![false; machine.states.len()];
    let mut stack: Vec<StateId> = machine.initials.iter().map(|i| i.target).collect();
    while let Some(s) = stack.pop() {
        if std::mem::replace(&mut seen[s.index()], true) {
            continue;
        }
        stack.extend(&next[s.index()]);
    }
    seen
}

/// Per state of the root's machine, the first stored configuration in which an instance of it
/// (the root first: a nested instance of its own machine may be the only one) rests there.
fn first_resting(x: &Exploration<'_>) -> Vec<Option<u32>> {
    let states = x.space.program_machine_states(x.root);
    let mut first = vec![None; states];
    let mut left = states;
    for c in 0..x.configs as u32 {
        if left == 0 {
            break;
        }
        for state in x.space.resting(c, x.root) {
            if let Some(slot) = first.get_mut(state.index())
                && slot.is_none()
            {
                *slot = Some(c);
                left -= 1;
            }
        }
    }
    first
}

/// What the last step of a witness must show.
enum Want {
    /// The event enables both transitions of an instance of the machine.
    Shadow(MachineId, TransitionId, TransitionId),
    /// The run ends in this run error (same kind, same machine).
    Fails(MachineId, RunError),
    /// The send at this action reaches no child.
    Unsent(Span),
}

/// A run up to a stored configuration: the world after it, and the scenario lines so far.
struct Replay<'c> {
    world: World<'c>,
    lines: Vec<String>,
    /// Whether a line after the leading `spawn` and `set` lines was written: until then a `set`
    /// would configure the instances instead of changing them.
    started: bool,
}

impl Replay<'_> {
    fn push(&mut self, program: &Program, i: InstanceId, action: Action) {
        let namer = MachineNamer {
            program,
            source: "",
        };
        if matches!(action, Action::Set(..)) && !self.started {
            self.lines.extend(expect_state(&namer, &self.world, 0));
        }
        self.started = true;
        self.lines
            .push(action_line(program, &namer, &self.world, i, action));
    }

    fn expect(&mut self, line: Option<String>) {
        if let Some(line) = line {
            self.started = true;
            self.lines.push(line);
        }
    }
}

/// Does `action` to instance `i` of `world` (a [`fork`]), the steps it takes counted in the
/// witnesses' work.
fn perform(
    x: &Exploration<'_>,
    world: &mut World<'_>,
    i: InstanceId,
    action: Action,
) -> Result<(), RunError> {
    let done = match action {
        Action::Send(event, actor) => world.send(i, event, actor),
        Action::Set(var, value) => world.set(i, var, value),
    };
    x.spend_on_witnesses(world.steps + world.work() / super::machine::WORK_UNITS_PER_STEP);
    done
}

/// Replays the stored path to configuration `target`: creates the world from the combination of
/// initial values its path starts from, then finds, for each configuration on the path, a move
/// that leads to it. A path that cannot be replayed within the witnesses' work is a bug in wfl,
/// which the finding's note then reports.
fn replay<'c>(program: &Program, x: &Exploration<'c>, target: u32) -> Option<Replay<'c>> {
    x.take_replay_failed();
    let replayed = replay_path(program, x, target);
    if replayed.is_none() {
        x.replay_failed();
    }
    replayed
}

fn replay_path<'c>(program: &Program, x: &Exploration<'c>, target: u32) -> Option<Replay<'c>> {
    let mut path = vec![target];
    while let Some(p) = x.space.parent_of(*path.last()?) {
        path.push(p);
        if path.len() > x.configs + 1 {
            return None;
        }
    }
    path.reverse();
    let combo = x.space.combo_of(path[0])?;
    let (world, created) = create(x, combo)?;
    created.ok()?;
    if x.space.key(&world)? != x.space.get(path[0]) {
        return None;
    }
    let mut replay = Replay {
        lines: config_lines(program, x, &world, combo),
        world,
        started: false,
    };
    for &next in &path[1..] {
        let want = x.space.get(next);
        let mut found = None;
        'search: for i in 0..replay.world.instances.len() as InstanceId {
            for action in instance_moves(x, &replay.world, i) {
                let mut after = fork(x, &replay.world, false)?;
                if perform(x, &mut after, i, action).is_ok()
                    && x.space.key(&after).as_deref() == Some(want.as_slice())
                {
                    found = Some((i, action, after));
                    break 'search;
                }
            }
        }
        let (i, action, after) = found?;
        replay.push(program, i, action);
        replay.world = after;
    }
    Some(replay)
}

/// The world made from combination `combo` of initial values.
fn create<'c>(x: &Exploration<'c>, combo: u32) -> Option<(World<'c>, Result<(), RunError>)> {
    if !x.spend_on_witnesses(32 + 32 * x.space_instances()) {
        return None;
    }
    let config = x.configuration(combo as usize)?;
    Some(World::new_with(
        x.space.compiled(),
        x.root,
        &config,
        true,
        true,
    ))
}

/// A copy of a world to try a move on.
/// Counted in the witnesses' work, as the explorer counts a move: `None` when it is spent.
fn fork<'c>(x: &Exploration<'c>, world: &World<'c>, trace: bool) -> Option<World<'c>> {
    if !x.spend_on_witnesses(8 + 2 * world.instances.len() as u64) {
        return None;
    }
    let mut copy = World::from_instances(x.space.compiled(), world.instances.clone());
    copy.detect_livelocks();
    if trace {
        copy.trace = Some(Vec::new());
    }
    Some(copy)
}

/// What may be done to instance `i` from outside: its state's events, then every other value of
/// each variable.
fn instance_moves(x: &Exploration<'_>, world: &World<'_>, i: InstanceId) -> Vec<Action> {
    let Some(instance) = world.instances.get(i as usize) else {
        return Vec::new();
    };
    let Some(state) = instance.state else {
        return Vec::new();
    };
    let mut out: Vec<Action> = x
        .space
        .moves_of(i, state)
        .iter()
        .map(|&(event, actor)| Action::Send(event, actor))
        .collect();
    for (v, values) in x.space.settable(instance.machine).iter().enumerate() {
        for &value in values {
            if instance.vars.get(v) != Some(&value) {
                out.push(Action::Set(VarId::from_index(v), value));
            }
        }
    }
    out
}

/// The leading `spawn` and `set` lines of a witness.
fn config_lines(
    program: &Program,
    x: &Exploration<'_>,
    world: &World<'_>,
    combo: u32,
) -> Vec<String> {
    let namer = MachineNamer {
        program,
        source: "",
    };
    let mut lines = Vec::new();
    spawn_lines(program, x.root, &x.space.config, "", &mut lines);
    for &(instance, var, value) in x.combos.get(combo as usize).map_or(&[][..], Vec::as_slice) {
        lines.push(set_line(&namer, world, instance, var, value));
    }
    lines
}

fn spawn_lines(
    program: &Program,
    m: MachineId,
    config: &Config,
    prefix: &str,
    out: &mut Vec<String>,
) {
    let machine = program.machine(m);
    for &(group, n) in &config.spawn {
        let name = machine.children[group.index()].name.as_str();
        out.push(format!("spawn {prefix}{name} * {n}"));
    }
    for ((group, k), child) in &config.children {
        let children = &machine.children[group.index()];
        let prefix = format!("{prefix}{}[{k}].", children.name.as_str());
        spawn_lines(program, children.machine, child, &prefix, out);
    }
}

/// `send EVENT [to PATH] [by ACTOR]` or `set [PATH.]VAR = VALUE`.
fn action_line(
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
fn expect_state(namer: &MachineNamer<'_>, world: &World<'_>, i: InstanceId) -> Option<String> {
    let instance = world.instances.get(i as usize)?;
    let state = state_text(namer.state(instance.machine, instance.state?));
    Some(if i == 0 {
        format!("expect state == {state}")
    } else {
        format!("expect {} == {state}", namer.path(world, i))
    })
}

fn scenario(program: &Program, x: &Exploration<'_>, title: &str, lines: &[String]) -> String {
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

/// A witness that runs to stored configuration `config` and ends with `expect` lines.
fn to_config_witness(
    program: &Program,
    x: &Exploration<'_>,
    config: u32,
    title: &str,
    expects: impl Fn(&MachineNamer<'_>, &World<'_>) -> Vec<String>,
) -> Option<String> {
    let mut r = replay(program, x, config)?;
    let namer = MachineNamer {
        program,
        source: "",
    };
    for line in expects(&namer, &r.world) {
        r.expect(Some(line));
    }
    Some(scenario(program, x, title, &r.lines))
}

/// A witness for something first seen at `seen`: the run to it, then the move that shows `want`.
fn move_witness(
    program: &Program,
    x: &Exploration<'_>,
    seen: Seen,
    title: &str,
    want: &Want,
) -> Option<String> {
    let namer = MachineNamer {
        program,
        source: "",
    };
    match seen {
        Seen::Initial { combo } => {
            let (world, created) = create(x, combo)?;
            let mut lines = config_lines(program, x, &world, combo);
            match (want, created) {
                (Want::Fails(m, error), Err(e)) if same_failure(&world, *m, error, &e) => {
                    lines.push("expect true".to_owned());
                }
                (Want::Unsent(action), Ok(())) if unsent_in(&world, *action) => {
                    lines.extend(expect_state(&namer, &world, 0));
                }
                _ => return None,
            }
            Some(scenario(program, x, title, &lines))
        }
        Seen::Move { from, .. } => {
            let mut r = replay(program, x, from)?;
            for i in 0..r.world.instances.len() as InstanceId {
                for action in instance_moves(x, &r.world, i) {
                    let machine = r.world.instances[i as usize].machine;
                    let shows_shadow = match (want, action) {
                        (Want::Shadow(m, first, later), Action::Send(event, actor)) => {
                            *m == machine && {
                                let enabled = r.world.enabled_all(i, event, actor);
                                enabled.first() == Some(first) && enabled.contains(later)
                            }
                        }
                        _ => false,
                    };
                    let mut after = fork(x, &r.world, true)?;
                    let sent = perform(x, &mut after, i, action);
                    let shows = match (want, &sent) {
                        (Want::Fails(m, error), Err(e)) => same_failure(&after, *m, error, e),
                        (Want::Shadow(..), Ok(())) => shows_shadow,
                        (Want::Unsent(action), Ok(())) => unsent_in(&after, *action),
                        _ => false,
                    };
                    if !shows {
                        continue;
                    }
                    r.push(program, i, action);
                    match sent {
                        Ok(()) => r.expect(expect_state(&namer, &after, i)),
                        Err(_) => r.expect(Some("expect true".to_owned())),
                    }
                    return Some(scenario(program, x, title, &r.lines));
                }
            }
            None
        }
    }
}

fn same_failure(world: &World<'_>, machine: MachineId, want: &RunError, got: &RunError) -> bool {
    let got_machine = error_instance(got)
        .and_then(|i| world.instances.get(i as usize))
        .map(|i| i.machine);
    same_error(want, got)
        && (matches!(got, RunError::Livelock { .. }) || got_machine == Some(machine))
}

/// The witness of W0411: the shortest run to a configuration with an instance of the machine
/// resting in `source`, then the transition's event sent to it (by its actor).
/// `config` is the first configuration with an instance of the machine resting in `source` (see
/// [`first_resting`]).
fn never_taken_witness(
    program: &Program,
    x: &Exploration<'_>,
    t: TransitionId,
    source: StateId,
    config: u32,
) -> Option<String> {
    let machine = program.machine(x.root);
    if machine.state(source).kind == StateKind::Transient {
        return None;
    }
    let transition = &machine.transitions[t.index()];
    let mut r = replay(program, x, config)?;
    let i = r
        .world
        .instances
        .iter()
        .position(|instance| instance.machine == x.root && instance.state == Some(source))?
        as InstanceId;
    let namer = MachineNamer {
        program,
        source: "",
    };
    let title = format!(
        "`{}` is not left by this transition",
        machine.state(source).name.as_str()
    );
    // Its first event shows it: none of them takes it there.
    if let Some(&event) = transition.events().first() {
        let mut after = fork(x, &r.world, true)?;
        perform(x, &mut after, i, Action::Send(event, transition.actor)).ok()?;
        let taken = after.trace.iter().flatten().any(
            |e| matches!(e, Event::Step { instance, transition: tt, .. } if *instance == i && *tt == t),
        );
        if taken {
            return None;
        }
        r.push(program, i, Action::Send(event, transition.actor));
        r.expect(expect_state(&namer, &after, i));
    } else {
        r.expect(expect_state(&namer, &r.world, i));
    }
    Some(scenario(program, x, &title, &r.lines))
}

/// The finding of a run error, unless one with its code and span is `known`.
fn failure_finding(
    program: &Program,
    x: &Exploration<'_>,
    failure: &super::machine::Failure,
    known: &mut FxHashSet<(Code, Span)>,
) -> Option<Diagnostic> {
    let machine = program.machine(failure.machine);
    let (code, message, span, label) = match &failure.error {
        RunError::NoInitialRule { .. } => (
            Code::W0414,
            format!(
                "for some initial values no `initial` rule of `{}` holds",
                machine.name.as_str()
            ),
            machine
                .initials
                .first()
                .map_or(machine.name.span, |i| i.span),
            "no rule holds for the values below",
        ),
        RunError::Livelock { steps, .. } if failure.cut => (
            Code::W0415,
            format!(
                "a run of `{}` does not become stable within the bound of {steps} steps",
                machine.name.as_str()
            ),
            machine.name.span,
            "some run takes more steps than the bound",
        ),
        RunError::Livelock { cycle, .. } => {
            let text = cycle.as_ref().map(|c| {
                let names: Vec<String> = c
                    .iter()
                    .map(|&(_, s)| {
                        machine
                            .states
                            .get(s.index())
                            .map_or("?".to_owned(), |st| st.name.as_str().to_owned())
                    })
                    .collect();
                format!(
                    ": {} -> {}",
                    names.join(" -> "),
                    names.first().cloned().unwrap_or_default()
                )
            });
            (
                Code::W0415,
                format!(
                    "a run of `{}` never becomes stable{}",
                    machine.name.as_str(),
                    text.unwrap_or_default()
                ),
                machine.name.span,
                "some run livelocks",
            )
        }
        RunError::OutOfRange { var, value, .. } => {
            let v = &machine.vars[var.index()];
            (
                Code::W0416,
                format!(
                    "a run of `{}` sets `{}` to {value}, outside its range",
                    machine.name.as_str(),
                    v.name.as_str()
                ),
                v.span,
                "some run leaves this range",
            )
        }
        RunError::HistoryWithoutEarlierState { transition, .. } => (
            Code::W0416,
            format!(
                "a run of `{}` takes `history` with no earlier state to go back to",
                machine.name.as_str()
            ),
            machine.transitions[transition.index()].span,
            "some run takes it from the state it was created in",
        ),
        RunError::StuckInTransient { state, .. } => {
            let s = machine.state(*state);
            (
                Code::W0416,
                format!(
                    "a run of `{}` rests in transient state `{}`",
                    machine.name.as_str(),
                    s.name.as_str()
                ),
                s.name.span,
                "some run stays here",
            )
        }
        RunError::TooManyInstances { .. } | RunError::TooMuchWork { .. } => return None,
    };
    if !first_time(known, code, span) {
        return None;
    }
    let mut d = Diagnostic::new(code, message, span, label);
    if failure.cut {
        d = d.with_note(format!(
            "a stabilisation may take {} steps, plus {} for every instance of the world; this run goes on without coming back to where it was, so wfl does not know what it would do after",
            crate::sim::machine::MAX_STEPS,
            crate::sim::machine::STEPS_PER_INSTANCE
        ));
    }
    if code == Code::W0414 {
        for rule in machine.initials.iter().skip(1) {
            d = d.with_label(rule.span, "does not hold either");
        }
    }
    let title = match code {
        Code::W0414 => "no initial rule holds".to_owned(),
        Code::W0415 if failure.cut => "a run that does not become stable".to_owned(),
        Code::W0415 => "a livelock".to_owned(),
        _ => "a run error".to_owned(),
    };
    d = d.with_note("`wfl test` and `wfl simulate` stop such a run with an error");
    let text = move_witness(
        program,
        x,
        failure.seen,
        &title,
        &Want::Fails(failure.machine, failure.error.clone()),
    );
    d = with_witness(d, x, text);
    let help = match code {
        Code::W0414 => "end the rules with one without `when`, so some rule always holds",
        Code::W0415 if failure.cut => {
            "let the run become stable in fewer steps: give some of its event-less transitions an event, or make a guard false once it has fired"
        }
        Code::W0415 => {
            "make a guard of the event-less transitions (or of a `raise`) false once it has fired"
        }
        _ => "guard the step that leads there, or widen what it needs",
    };
    Some(d.with_help(help))
}

/// Something a run shows in its trace: a state entered, a transition taken.
#[derive(Clone, Copy, Debug)]
pub enum Reach {
    Enters(MachineId, StateId),
    Takes(MachineId, TransitionId),
}

fn shows(world: &World<'_>, reach: Reach) -> bool {
    let machine = |i: InstanceId| world.instances.get(i as usize).map(|i| i.machine);
    world.trace.iter().flatten().any(|e| match (e, reach) {
        (
            Event::Initial {
                instance, state, ..
            },
            Reach::Enters(m, s),
        )
        | (
            Event::Step {
                instance,
                to: state,
                ..
            },
            Reach::Enters(m, s),
        ) => machine(*instance) == Some(m) && *state == s,
        (
            Event::Step {
                instance,
                transition,
                ..
            },
            Reach::Takes(m, t),
        ) => machine(*instance) == Some(m) && *transition == t,
        _ => false,
    })
}

/// The lines of the shortest run that shows `reach` (first seen at `seen`): the leading `spawn`
/// and `set` lines, then the actions. Replayed by the interpreter; `None` if the replay does not
/// show it.
pub fn reach_lines(
    program: &Program,
    x: &Exploration<'_>,
    seen: Seen,
    reach: Reach,
) -> Option<Vec<String>> {
    match seen {
        Seen::Initial { combo } => {
            let (world, _) = create(x, combo)?;
            shows(&world, reach).then(|| config_lines(program, x, &world, combo))
        }
        Seen::Move { from, .. } => {
            let mut r = replay(program, x, from)?;
            for i in 0..r.world.instances.len() as InstanceId {
                for action in instance_moves(x, &r.world, i) {
                    let mut after = fork(x, &r.world, true)?;
                    let _ = perform(x, &mut after, i, action);
                    if shows(&after, reach) {
                        r.push(program, i, action);
                        return Some(r.lines);
                    }
                }
            }
            None
        }
    }
}

/// N0417, for an exploration a bound or a value stopped: what it could not do, and how to let it.
fn explored_in_part(program: &Program, x: &Exploration<'_>) -> Option<Diagnostic> {
    use super::machine::Stop;
    let machine = program.machine(x.root);
    if x.complete() && x.no_final_unknown {
        return Some(
            Diagnostic::new(
                Code::N0417,
                format!(
                    "machine `{}` was explored, but which of its states can still finish was not worked out: it did not fit in {} MB (`--max-memory`)",
                    machine.name.as_str(),
                    x.limits.max_bytes >> 20
                ),
                machine.name.span,
                "explored in part",
            )
            .with_note(format!(
                "W0412 is not reported for `{}`; the other findings come from all {} configurations",
                machine.name.as_str(),
                x.configs
            ))
            .with_help("give it more room with `wfl check --max-memory MB`; or, when the other findings are enough, acknowledge it with `// wfl: allow(N0417) reason` above the machine"),
        );
    }
    let why = stop_text(program, x)?;
    let help = match x.stop? {
        Stop::States => Some("explore further with `wfl check --max-states N`, or look at what was seen with `wfl explore FILE --machine NAME`".to_owned()),
        Stop::Memory => Some("give it more room with `wfl check --max-memory MB`".to_owned()),
        Stop::Values { machine, var } => Some(format!(
            "give `{}` a range (`int 0..100`)",
            program.machine(machine).vars[var.index()].name.as_str()
        )),
        // The reason says what to do.
        Stop::Wide { .. } => None,
        Stop::Steps { .. } => Some("fix the run that W0415 shows; then every run can be followed to its end".to_owned()),
        Stop::Work => Some("explore it on its own with `wfl explore FILE --machine NAME`, or let `wfl check` work longer with `--max-states N`".to_owned()),
        Stop::Initial => Some("give the variables fewer initial values: smaller ranges, or defaults that `initial` rules do not depend on".to_owned()),
        Stop::World => Some("explore fewer children with `wfl check --children N`".to_owned()),
        Stop::Run => Some("run the machine in a scenario (`wfl test`), which shows the run that goes too far, and make it do less".to_owned()),
        Stop::Interrupted => Some("let it run to the end: without `--max-time`, and without Ctrl-C".to_owned()),
    };
    let acknowledge = "acknowledge it with `// wfl: allow(N0417) reason` above the machine";
    let help = match help {
        Some(help) => format!("{help}; or, when the part seen is enough, {acknowledge}"),
        None => format!("when the part seen is enough, {acknowledge}"),
    };
    Some(
        Diagnostic::new(
            Code::N0417,
            format!(
                "machine `{}` was explored in part: {why}",
                machine.name.as_str()
            ),
            machine.name.span,
            "explored in part",
        )
        .with_note(format!(
            "W0410–W0412 need every run, so they are not reported for `{}`; W0413–W0416, which one run shows, are reported from the {} configurations seen",
            machine.name.as_str(),
            x.configs,
        ))
        .with_help(help),
    )
}

/// Why an exploration is incomplete, in words.
pub fn stop_text(program: &Program, x: &Exploration<'_>) -> Option<String> {
    use super::machine::Stop;
    let stop = x.stop?;
    Some(match stop {
        Stop::States => format!(
            "it stopped at {} (`--max-states`)",
            crate::sim::render::plural(x.limits.max_states as u64, "configuration")
        ),
        Stop::Memory => format!(
            "it stopped at {} MB (`--max-memory`)",
            x.limits.max_bytes >> 20
        ),
        Stop::Values { machine, var } => format!(
            "`{}` of `{}` left the values around its default that wfl can store",
            program.machine(machine).vars[var.index()].name.as_str(),
            program.machine(machine).name.as_str()
        ),
        Stop::Initial => format!(
            "there are more than {} combinations of initial values",
            super::machine::MAX_INITIAL
        ),
        Stop::World => format!(
            "the world would have more than {} instances (`--children`)",
            super::machine::MAX_WORLD
        ),
        Stop::Wide { machine, var } => format!(
            "the input `{}` of `{}` has too many values to try each (give it a range of at most 16 values)",
            program.machine(machine).vars[var.index()].name.as_str(),
            program.machine(machine).name.as_str()
        ),
        Stop::Work => format!(
            "it stopped after {} steps of work, its share of what `wfl check` does for the machines of a file (`--max-states`)",
            x.work
        ),
        Stop::Steps { machine } => format!(
            "a run of `{}` does not become stable within the bound on steps, so where it would have gone on to is not known",
            program.machine(machine).name.as_str()
        ),
        Stop::Run => "a run did more than wfl lets one run do (too much work or too many events, E0508; or a world too large, E0503), so where it would have gone on to is not known".to_owned(),
        Stop::Interrupted => format!(
            "it was interrupted (`--max-time` or Ctrl-C) after {} configurations, so what it found depends on how fast the computer is",
            x.configs
        ),
    })
}

/// A note on the variables that `guards` read (directly or through views) which keep their
/// declared value in every run the exploration makes: not inputs, and set by no action. A guard
/// that is false because of one of them is what the model says, but most often the author meant
/// the outside to set it (specs/semantics.md, section 15): the note says how to declare that.
fn frozen_note<'e>(machine: &Machine, guards: impl Iterator<Item = &'e Expr>) -> Option<String> {
    let set: FxHashSet<VarId> = (machine.actions())
        .filter_map(|a| match a.kind {
            ActionKind::Set { var, .. } => Some(var),
            _ => None,
        })
        .collect();
    let mut frozen: Vec<VarId> = Vec::new();
    let mut seen_views: FxHashSet<ViewId> = FxHashSet::default();
    let mut stack: Vec<&Expr> = guards.collect();
    while let Some(expr) = stack.pop() {
        expr.walk_scope(&mut |e| match e.kind {
            ExprKind::Var(v) => {
                let var = &machine.vars[v.index()];
                if var.input.is_none() && !set.contains(&v) && !frozen.contains(&v) {
                    frozen.push(v);
                }
            }
            ExprKind::View(view) if seen_views.insert(view) => {
                stack.push(&machine.views[view.index()].expr);
            }
            _ => {}
        });
    }
    frozen.sort();
    let names: Vec<String> = (frozen.iter())
        .map(|v| format!("`{}`", machine.vars[v.index()].name.as_str()))
        .collect();
    let first = frozen
        .first()
        .map(|v| machine.vars[v.index()].name.as_str())?;
    let (are, them, they, value) = match names.len() {
        1 => ("is", "it", "it is", "its declared value"),
        _ => ("are", "them", "they are", "their declared values"),
    };
    Some(format!(
        "{} {are} read on the way, but no action sets {them} and {they} not declared `input`: \
         every run keeps {value}; if the outside sets one, declare it so \
         (`input var {first}`, or `initial input var {first}` when only its starting value is chosen)",
        names.join(", ")
    ))
}
