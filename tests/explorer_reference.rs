//! The machine explorer (`wfl::analysis::machine`) against a plain breadth-first search written
//! here, on random machines: the same configurations, moves, states entered, transitions taken,
//! run errors, sends that reach no child, shadowed transitions and states with no way to a final
//! one, for every way the explorer can run ([`variants`]).
//!
//! The reference search is deliberately naive, so that it is obviously right: it knows nothing
//! of the explorer's encoding, packing, symmetry, remembered moves, anchors or sorted runs. It
//! builds the world of specs/semantics.md section 15 (`Limits.children` instances per group, none
//! in a group whose machine is twice on the way down), creates it with the interpreter from every
//! combination of starting values of the inputs, and from every configuration reached tries every
//! move the closed world allows, each run by the interpreter on a fresh copy of the configuration:
//! every event a transition of the instance's state takes and that the outside sends it (not one
//! the world itself sends it, unless declared `external`; never one declared `internal`), from the
//! actors those transitions name, and every value of every `input var` other than its current
//! one. A configuration is keyed by every instance's state, the state `history` goes back to
//! (for machines with a `history` transition: in other machines it cannot change a run), and its
//! variables, as a plain `Vec<i64>`.
//!
//! **Symmetry.** The explorer treats the children of a group as interchangeable when their order
//! cannot change a run (their machines, and those below, never `send … to parent`, and their
//! parent's machine never sends to one child by its number): configurations that differ only by
//! the order of such children are one. With symmetry on, the reference's configurations are
//! compared after mapping each to a canonical form (each instance's fields, then its children's
//! canonical forms per group, sorted in those groups), and its moves are counted as the explorer
//! tries them: once per class, and only for the first of several identical children. A way of
//! exploring with symmetry off is compared with the raw configurations and moves.
//!
//! The findings of `wfl check` read exactly the fields compared here (and the witnesses' runs,
//! which `tests/machine_properties.rs` replays), so ways that agree on them agree on the
//! findings; `wfl::check_text_with` (which explores with every layer on) is also compared with
//! the reference directly, for the findings that say something never happens: W0410, W0411 and
//! W0412 are exactly those the reference's search calls for.

mod common;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write;

use common::Gen;
use wfl::analysis::machine::{
    Action, Exploration, Layer, Limits, Variant, explore, explore_variant, layers,
};
use wfl::model::{
    ActionKind, ActorId, ChildrenId, EventId, Input, MachineId, Origin, Program, SendTarget,
    StateId, StateKind, Target, Type, VarId,
};
use wfl::sim::machine::{Compiled, Config, Event, Instance, InstanceId, RunError, World};

/// Random cases generated (those the checker rejects, or whose world the reference finds too
/// large, are skipped); `WFL_REFERENCE_CASES=N` runs seeds `0..N` instead, to look further.
const CASES: u64 = 400;

/// The seeds to run: [`CASES`], or as many as `WFL_REFERENCE_CASES` says.
fn seeds() -> std::ops::Range<u64> {
    let cases = std::env::var("WFL_REFERENCE_CASES").ok();
    0..cases.and_then(|n| n.parse().ok()).unwrap_or(CASES)
}

/// Configurations the reference explores at most: a case with more is skipped.
const REFERENCE_CAP: usize = 3_000;

/// One way to run the explorer, compared with the reference.
struct Way {
    name: String,
    /// `None`: [`explore`] itself.
    variant: Option<Variant>,
    /// Whether it merges configurations that differ only by the order of interchangeable
    /// children (see the module's docs): its configurations and moves are then compared with
    /// the reference's classes.
    symmetry: bool,
}

/// The ways the explorer runs, each compared with the reference: [`explore`] itself,
/// `Variant::Plain` (every layer off, so identical children are told apart), `Variant::All`, and
/// each layer switched on alone (`Variant::Only`; only the symmetry layer merges configurations
/// that differ by the order of interchangeable children).
fn variants() -> Vec<Way> {
    let mut ways = vec![
        Way {
            name: "explore".to_owned(),
            variant: None,
            symmetry: true,
        },
        Way {
            name: "plain".to_owned(),
            variant: Some(Variant::Plain),
            symmetry: false,
        },
        Way {
            name: "all".to_owned(),
            variant: Some(Variant::All),
            symmetry: true,
        },
    ];
    for &layer in layers() {
        ways.push(Way {
            name: format!("{layer:?}"),
            variant: Some(Variant::Only(layer)),
            symmetry: matches!(layer, Layer::Symmetry),
        });
    }
    ways
}

/// Explores `root` the way `way` says.
fn explore_by<'c>(
    way: &Way,
    program: &'c Program,
    compiled: &'c Compiled,
    root: MachineId,
    limits: Limits,
) -> Exploration<'c> {
    match way.variant {
        Some(variant) => explore_variant(program, compiled, root, limits, variant),
        None => explore(program, compiled, root, limits),
    }
}

// ---- random machines ----------------------------------------------------------------------

const EVENTS: &[&str] = &["go", "stop", "tick", "reset"];
const ACTORS: &[&str] = &["admin", "user"];

/// The variables a generated machine has, for its guards and actions.
#[derive(Default)]
struct Vars {
    /// `n: int 0..2`
    n: bool,
    /// `flag: bool`
    flag: bool,
    /// `c: int 0..2` (the boss's: an index of a send to one child)
    c: bool,
    /// `mode: {red, green, blue}`, an input chosen at the start (the kid's)
    mode: bool,
    /// A `bool` of the kid that the boss's quantifiers filter on (`where hot`): a variable or a
    /// view (the boss's)
    filter: Option<&'static str>,
    /// Whether its actions may send to the parent (the kid's) or to one child by its number (the
    /// boss's): either makes the order of the children matter, which rules out symmetry.
    ordered: bool,
}

/// A child machine `kid` and a parent `boss` with children of it (and, sometimes, of its own
/// kind): inputs set at the start or at any time, events declared `external` or `internal`,
/// actors, guards on variables, views and on children's states and variables (`where`), sends
/// to the whole group, to one
/// child and to the parent, `raise`, hooks, `history`, transient and final states, event-less
/// transitions. Small, so that the reference search ends quickly. With the children per group.
fn case(seed: u64) -> (String, u32) {
    let mut g = Gen::new(seed);
    let subs = g.chance(10);
    let children = if subs {
        1 + g.below(2) as u32
    } else {
        [1, 2, 2, 3][g.below(4) as usize]
    };
    let mut text = String::new();
    let mut filter = None;
    for parent in [false, true] {
        let name = if parent { "boss" } else { "kid" };
        let _ = writeln!(text, "machine {name} {{");
        let mut vars = Vars {
            ordered: g.chance(50),
            filter: filter.filter(|_| parent),
            ..Vars::default()
        };
        if g.chance(70) {
            vars.n = true;
            text.push_str("  var n: int 0..2\n");
        }
        let flag = match g.below(5) {
            0 => Some("input var"),
            1 => Some("initial input var"),
            2 => Some("var"),
            _ => None,
        };
        if let Some(kind) = flag {
            vars.flag = true;
            let _ = writeln!(text, "  {kind} flag: bool");
        }
        if !parent {
            if g.chance(15) {
                vars.mode = true;
                text.push_str("  initial input var mode: {red, green, blue}\n");
            }
            filter = match (vars.flag, vars.n, g.below(3)) {
                (_, true, 0) => {
                    text.push_str("  view hot = n > 0\n");
                    Some("hot")
                }
                (true, _, _) => Some("flag"),
                _ => None,
            };
        }
        if parent {
            if g.chance(40) {
                vars.c = true;
                let kind = if g.chance(30) {
                    "initial input var"
                } else {
                    "var"
                };
                let _ = writeln!(text, "  {kind} c: int 0..2");
            }
            text.push_str("  children kids: kid\n");
            if subs {
                text.push_str("  children subs: boss\n");
            }
        }
        if g.chance(25) {
            // Every event declared (so that every one received is), some `external` or
            // `internal`.
            let mut plain = Vec::new();
            for event in EVENTS {
                match g.below(5) {
                    0 => {
                        let _ = writeln!(text, "  external event {event}");
                    }
                    1 => {
                        let _ = writeln!(text, "  internal event {event}");
                    }
                    _ => plain.push(*event),
                }
            }
            if !plain.is_empty() {
                let _ = writeln!(text, "  event {}", plain.join(", "));
            }
        }
        let states = 2 + g.below(4) as usize;
        let mut kinds = Vec::new();
        for s in 0..states {
            let kind = match (s, g.below(10)) {
                (0, _) => "state",
                (_, 0) => "final state",
                (_, 1) => "transient state",
                _ => "state",
            };
            kinds.push(kind);
            if kind == "state" && g.chance(15) {
                let hook = if g.chance(50) { "enter" } else { "exit" };
                let action = (0..20)
                    .map(|_| action(&mut g, &vars, parent, false))
                    .find(|a| !a.is_empty())
                    .unwrap_or_else(|| format!("raise {}", EVENTS[3]));
                let _ = writeln!(text, "  state S{s} {{ on {hook} {{ {action} }} }}");
            } else {
                let _ = writeln!(text, "  {kind} S{s}");
            }
        }
        if vars.flag && g.chance(25) {
            text.push_str("  initial -> S1 when flag\n");
        }
        text.push_str("  initial -> S0\n");
        for (s, &kind) in kinds.iter().enumerate() {
            if kind == "final state" {
                continue;
            }
            let transient = kind == "transient state";
            let exits = if transient { 1 } else { 1 + g.below(3) };
            for k in 0..exits {
                // The first exit mostly to the next state, so that most states are reached.
                let target = if g.chance(6) {
                    "history".to_owned()
                } else if k == 0 && g.chance(60) {
                    format!("S{}", (s + 1) % states)
                } else {
                    format!("S{}", g.below(states as u64))
                };
                let mut line = format!("  S{s} -> {target}");
                let eventless = transient || g.chance(8);
                if !eventless {
                    // Mostly the events only the outside sends.
                    let first = if g.chance(70) {
                        g.below(2)
                    } else {
                        g.below(EVENTS.len() as u64)
                    } as usize;
                    line.push_str(&g.on_clause(EVENTS, first));
                    if g.chance(20) {
                        let _ = write!(line, " by {}", g.pick(ACTORS));
                    }
                }
                // A transient state's only exit has no guard, so that it always leaves.
                // An event-less transition out of a stable state has one: without, it would
                // always be taken at once.
                if !(transient && k == 0) && (g.chance(35) || (eventless && !transient)) {
                    let _ = write!(line, " when {}", guard(&mut g, &vars, parent));
                }
                let mut actions = Vec::new();
                for _ in 0..g.below(3) {
                    actions.push(action(&mut g, &vars, parent, !eventless));
                }
                actions.retain(|a| !a.is_empty());
                if !actions.is_empty() {
                    let _ = write!(line, " {{ {} }}", actions.join("; "));
                }
                let _ = writeln!(text, "{line}");
            }
        }
        text.push_str("}\n");
    }
    (text, children)
}

/// A guard over the machine's variables (and, for the parent, its children's states).
fn guard(g: &mut Gen, vars: &Vars, parent: bool) -> String {
    loop {
        match (g.below(8), vars.filter) {
            (0, _) if vars.flag => return "flag".to_owned(),
            (1, _) if vars.n => return format!("n < {}", 1 + g.below(2)),
            (2, _) if vars.flag && vars.n => return format!("not flag or n == {}", g.below(3)),
            (3, _) if parent => return format!("count kids in S{} >= 1", g.below(2)),
            (4, _) if parent => return "all kids in [S0, S1]".to_owned(),
            (5, _) if vars.c => return format!("c == {}", g.below(3)),
            (6, _) if vars.mode => return "mode == green".to_owned(),
            (7, Some(filter)) if g.chance(50) => return format!("any kids where {filter}"),
            (7, Some(filter)) => return format!("count kids in S0 where {filter} < 2"),
            _ if !vars.flag && !vars.n && !parent => return "true".to_owned(),
            _ => {}
        }
    }
}

/// An action (empty when the choice fits none of the machine's variables): a `set`, a send to
/// the children or the parent, or (when `raise` is allowed) a `raise`.
fn action(g: &mut Gen, vars: &Vars, parent: bool, raise: bool) -> String {
    // Actions send two of the events only: the others come from outside.
    let event = g.pick(&EVENTS[2..]);
    match g.below(8) {
        0 | 1 if vars.n => {
            if g.chance(50) {
                // May leave the range: a run error.
                "set n = n + 1".to_owned()
            } else {
                format!("set n = {}", g.below(3))
            }
        }
        2 if vars.flag => "set flag = not flag".to_owned(),
        3 if vars.c => format!("set c = {}", g.below(3)),
        4 | 5 if parent => {
            let to = match g.below(6) {
                0 if vars.ordered => format!("one kids in S{}", g.below(2)),
                1 if vars.ordered => "one kids".to_owned(),
                2 if vars.ordered && vars.c => "kids[c]".to_owned(),
                3 if vars.ordered => "kids[1]".to_owned(),
                4 => format!("kids in S{}", g.below(2)),
                _ => "kids".to_owned(),
            };
            format!("send {event} to {to}")
        }
        4 | 5 if vars.ordered => format!("send {event} to parent"),
        6 if raise => format!("raise {event}"),
        // A boss nested in a boss sends to it; the innermost, whose own group of bosses is
        // empty, is sent nothing by it.
        7 if parent && vars.ordered => format!("send {event} to parent"),
        _ => String::new(),
    }
}

// ---- the reference --------------------------------------------------------------------------

/// What the plain breadth-first search found from one root.
#[derive(Debug)]
struct Reference {
    /// Configurations, as they are.
    configs: usize,
    /// Configurations up to the order of interchangeable children.
    classes: usize,
    /// Moves tried from every configuration.
    moves: u64,
    /// Moves tried from one configuration of each class, to the first of identical children.
    class_moves: u64,
    facts: Facts,
    /// Whether nothing left a run unfinished (a livelock cut by the step budget, a run too large).
    complete: bool,
}

/// What some run does, and which states cannot finish: the same whatever the order of
/// interchangeable children, so compared as they are.
#[derive(Debug, Default, PartialEq)]
struct Facts {
    /// (machine, state) entered by some run.
    reached: BTreeSet<(u32, u32)>,
    /// (machine, transition) taken by some run.
    taken: BTreeSet<(u32, u32)>,
    /// Run errors: (machine, kind, what it is about).
    failures: BTreeSet<(u32, u8, u32)>,
    /// Sends to one child that reached none: the action's span.
    unsent: BTreeSet<(u32, u32)>,
    /// (machine, first transition, later transition with a guard) that one event enabled at once.
    shadows: BTreeSet<(u32, u32, u32)>,
    /// For a root with final states: the root's states in some configuration from which no
    /// configuration with the root in a final state can be reached.
    no_final: Option<BTreeSet<u32>>,
}

/// The world's shape (specs/semantics.md, section 15): `n` children in every group, none in a
/// group whose machine is already twice on the way down from the root (`path`).
fn shape(program: &Program, machine: MachineId, n: u32, path: &mut Vec<MachineId>) -> Config {
    let mut config = Config::default();
    for (g, group) in program.machine(machine).children.iter().enumerate() {
        if n == 0 || path.iter().filter(|&&m| m == group.machine).count() >= 2 {
            continue;
        }
        path.push(group.machine);
        let child = shape(program, group.machine, n, path);
        path.pop();
        let g = ChildrenId::from_index(g);
        config.spawn.push((g, n));
        for k in 0..n {
            config.children.push(((g, k), child.clone()));
        }
    }
    config
}

/// The starting values the outside may give an input (specs/semantics.md section 15, "The initial
/// configurations").
fn start_values(program: &Program, ty: Type, default: i64) -> Vec<i64> {
    match ty {
        Type::Bool => vec![0, 1],
        Type::Enum(e) => (0..program.enum_type(e).members.len() as i64).collect(),
        Type::Int { .. } if ty == Type::INT => vec![default],
        Type::Int { min, max } if max - min < 16 => (min..=max).collect(),
        Type::Int { min, max } => {
            let mut values = vec![default, min, max];
            values.sort_unstable();
            values.dedup();
            values
        }
        _ => vec![default],
    }
}

/// The values the outside may set an `input var` to at any time.
fn settable(program: &Program, machine: MachineId) -> Vec<Vec<i64>> {
    (program.machine(machine).vars.iter())
        .map(|v| match v.input {
            Some(Input::AnyTime) => start_values(program, v.ty, 0),
            _ => Vec::new(),
        })
        .collect()
}

/// The path of groups and indices from the root to instance `i`.
fn path_of(instances: &[Instance], i: usize) -> Vec<(ChildrenId, u32)> {
    let mut path = Vec::new();
    let mut at = i;
    while let (Some(parent), Some(slot)) = (instances[at].parent, instances[at].slot) {
        path.push(slot);
        at = parent as usize;
    }
    path.reverse();
    path
}

/// What the world itself sends instance `i`: what its machine raises, what its parent sends to
/// its group (whole or one child), what the children it has send up; then its machine's
/// `external` events left out and its `internal` ones added.
fn sent_inside(program: &Program, instances: &[Instance], i: usize) -> HashSet<EventId> {
    let machine = program.machine(instances[i].machine);
    let mut inside = HashSet::new();
    for a in machine.actions() {
        if let ActionKind::Raise { event } = a.kind {
            inside.insert(event);
        }
    }
    if let (Some(parent), Some((group, _))) = (instances[i].parent, instances[i].slot) {
        for a in program
            .machine(instances[parent as usize].machine)
            .actions()
        {
            if let ActionKind::Send { event, target } = &a.kind {
                let to = match target {
                    SendTarget::Children { children, .. }
                    | SendTarget::One { children, .. }
                    | SendTarget::Index { children, .. } => Some(*children),
                    SendTarget::Parent => None,
                };
                if to == Some(group) {
                    inside.insert(*event);
                }
            }
        }
    }
    for (g, kids) in instances[i].children.iter().enumerate() {
        if kids.is_empty() {
            continue;
        }
        for a in program.machine(machine.children[g].machine).actions() {
            if let ActionKind::Send {
                event,
                target: SendTarget::Parent,
            } = a.kind
            {
                inside.insert(event);
            }
        }
    }
    for &(event, origin) in &machine.origins {
        match origin {
            Origin::External => inside.remove(&event),
            Origin::Internal => inside.insert(event),
        };
    }
    inside
}

/// The events the outside sends an instance of `machine` in `state`, with their actors, given
/// what the world sends it (`inside`): each event a transition of the state takes, from the
/// actor that transition names; from none when it names none and the world does not send the
/// event — and when the world does, from each actor some transition of the machine names for
/// that event (an actor is outside; where the state names it not, it counts as none). An actor
/// that behaves like none is not tried besides none itself.
fn outside_moves(
    program: &Program,
    machine: MachineId,
    inside: &HashSet<EventId>,
    state: StateId,
) -> Vec<(EventId, Option<ActorId>)> {
    let m = program.machine(machine);
    let mut moves = Vec::new();
    let mut add = |mv| {
        if !moves.contains(&mv) {
            moves.push(mv);
        }
    };
    for t in m.transitions.iter().filter(|t| t.sources.contains(&state)) {
        for &event in t.events() {
            match t.actor {
                Some(actor) => add((event, Some(actor))),
                None if !inside.contains(&event) => add((event, None)),
                None => {
                    for named in &m.transitions {
                        if let Some(actor) = named.actor
                            && named.events().contains(&event)
                        {
                            add((event, Some(actor)));
                        }
                    }
                }
            }
        }
    }
    moves
}

/// Per machine: whether it, or a machine of its groups (and theirs), sends to its parent.
fn sends_up_below(program: &Program) -> Vec<bool> {
    let sends_up = |m: &wfl::model::Machine| {
        m.actions().any(|a| {
            matches!(
                a.kind,
                ActionKind::Send {
                    target: SendTarget::Parent,
                    ..
                }
            )
        })
    };
    (0..program.machines.len())
        .map(|m| {
            let mut seen = vec![false; program.machines.len()];
            let mut stack = vec![m];
            let mut found = false;
            while let Some(m) = stack.pop() {
                if std::mem::replace(&mut seen[m], true) {
                    continue;
                }
                let machine = &program.machines[m];
                found |= sends_up(machine);
                stack.extend(machine.children.iter().map(|c| c.machine.index()));
            }
            found
        })
        .collect()
}

/// Per machine, per group: whether its children are interchangeable (see the module's docs).
fn interchangeable(program: &Program) -> Vec<Vec<bool>> {
    let up = sends_up_below(program);
    (program.machines.iter())
        .map(|m| {
            (0..m.children.len())
                .map(|g| {
                    let group = ChildrenId::from_index(g);
                    let numbered = m.actions().any(|a| {
                        matches!(&a.kind, ActionKind::Send {
                            target: SendTarget::One { children, .. } | SendTarget::Index { children, .. },
                            ..
                        } if *children == group)
                    });
                    !numbered && !up[m.children[g].machine.index()]
                })
                .collect()
        })
        .collect()
}

/// An instance's part of the exact key of a configuration: its state, the state `history` goes
/// back to (-1 for none; stored configurations have none for machines without a `history`
/// transition) and its variables.
fn fields(instance: &Instance) -> Vec<i64> {
    let state = |s: Option<StateId>| s.map_or(-1, |s| i64::from(s.0));
    let mut key = vec![state(instance.state), state(instance.previous)];
    key.extend(&instance.vars);
    key
}

/// Per instance, the canonical form of its subtree: its fields, then per group its children's
/// canonical forms, sorted when the group's children are interchangeable. Instances are in
/// pre-order, so children come after their parent.
fn canonical_subtrees(instances: &[Instance], symmetric: &[Vec<bool>]) -> Vec<Vec<i64>> {
    let mut forms: Vec<Vec<i64>> = vec![Vec::new(); instances.len()];
    for i in (0..instances.len()).rev() {
        let mut form = fields(&instances[i]);
        for (g, kids) in instances[i].children.iter().enumerate() {
            let mut subtrees: Vec<&Vec<i64>> = kids.iter().map(|&k| &forms[k as usize]).collect();
            if symmetric[instances[i].machine.index()][g] {
                subtrees.sort();
            }
            for subtree in subtrees {
                form.extend(subtree);
            }
        }
        forms[i] = form;
    }
    forms
}

/// Run errors told apart as the findings tell them apart: the machine of the instance it is
/// about (for a livelock, the first instance of its cycle; else the root), its kind, and the
/// transition, variable or state it is about.
fn error_key(error: &RunError, instances: &[Instance], root: MachineId) -> (u32, u8, u32) {
    let (instance, kind, about) = match error {
        RunError::NoInitialRule { instance } => (Some(*instance), 0, 0),
        RunError::HistoryWithoutEarlierState {
            instance,
            transition,
        } => (Some(*instance), 1, transition.0),
        RunError::Livelock { cycle, .. } => {
            (cycle.as_ref().and_then(|c| c.first()).map(|c| c.0), 2, 0)
        }
        RunError::OutOfRange { instance, var, .. } => (Some(*instance), 3, var.0),
        RunError::StuckInTransient { instance, state } => (Some(*instance), 4, state.0),
        RunError::TooManyInstances { .. } => (None, 5, 0),
        RunError::TooMuchWork { .. } => (None, 6, 0),
    };
    let machine = instance
        .and_then(|i: InstanceId| instances.get(i as usize))
        .map_or(root, |i| i.machine);
    (machine.0, kind, about)
}

/// A starting value given to an input: the instance's path, the variable, its values.
type Choice = (Vec<(ChildrenId, u32)>, VarId, Vec<i64>);

/// The plain breadth-first search of one root's world, and what it collects on the way.
struct Search<'p> {
    program: &'p Program,
    compiled: &'p Compiled,
    root: MachineId,
    /// Per machine: whether it has a `history` transition.
    history: Vec<bool>,
    /// Per instance: the events the world itself sends it.
    inside: Vec<HashSet<EventId>>,
    /// The configurations found, in breadth-first order, each with its number.
    configs: Vec<Vec<Instance>>,
    index: HashMap<Vec<i64>, usize>,
    /// Per configuration: the configurations its moves lead to.
    edges: Vec<Vec<usize>>,
    /// Per configuration, per instance: the moves tried.
    tried: Vec<Vec<u64>>,
    found: Reference,
}

impl<'p> Search<'p> {
    fn new(
        program: &'p Program,
        compiled: &'p Compiled,
        root: MachineId,
        template: &[Instance],
    ) -> Self {
        Search {
            program,
            compiled,
            root,
            history: (program.machines.iter())
                .map(|m| m.transitions.iter().any(|t| t.target == Target::History))
                .collect(),
            inside: (0..template.len())
                .map(|i| sent_inside(program, template, i))
                .collect(),
            configs: Vec::new(),
            index: HashMap::new(),
            edges: Vec::new(),
            tried: Vec::new(),
            found: Reference {
                configs: 0,
                classes: 0,
                moves: 0,
                class_moves: 0,
                facts: Facts::default(),
                complete: true,
            },
        }
    }

    /// The states entered, transitions taken and sends that reached no child in a run's trace.
    fn record_trace(&mut self, world: &World<'_>) {
        for event in world.trace.iter().flatten() {
            let machine = |i: InstanceId| world.instances[i as usize].machine.0;
            match *event {
                Event::Initial {
                    instance, state, ..
                } => {
                    self.found
                        .facts
                        .reached
                        .insert((machine(instance), state.0));
                }
                Event::Step {
                    instance,
                    to,
                    transition,
                    ..
                } => {
                    self.found.facts.reached.insert((machine(instance), to.0));
                    self.found
                        .facts
                        .taken
                        .insert((machine(instance), transition.0));
                }
                Event::Unsent { action, .. } => {
                    self.found.facts.unsent.insert((action.start, action.end));
                }
                _ => {}
            }
        }
    }

    /// Where a run (of `world`, which ended with `result`) leads: the number of the
    /// configuration it rests in, stored if new; `None` after a run error, which is recorded.
    fn outcome(&mut self, world: World<'_>, result: Result<(), RunError>) -> Option<usize> {
        self.record_trace(&world);
        if let Err(error) = result {
            let cut = matches!(error, RunError::Livelock { steps, .. } if world.steps >= u64::from(steps));
            let too_large = matches!(
                error,
                RunError::TooManyInstances { .. } | RunError::TooMuchWork { .. }
            );
            if cut || too_large {
                // Where the run would have gone is not known.
                self.found.complete = false;
            }
            let key = error_key(&error, &world.instances, self.root);
            self.found.facts.failures.insert(key);
            return None;
        }
        // The state `history` goes back to cannot change a run of a machine without a `history`
        // transition: it is not part of its configuration.
        let mut instances = world.instances;
        for instance in &mut instances {
            if !self.history[instance.machine.index()] {
                instance.previous = None;
            }
        }
        let key: Vec<i64> = (instances.iter()).flat_map(fields).collect();
        let next = self.configs.len();
        let at = *self.index.entry(key).or_insert(next);
        if at == next {
            self.configs.push(instances);
            self.edges.push(Vec::new());
        }
        Some(at)
    }

    /// Creates the world from every combination of the `choices` of starting values.
    fn start(&mut self, shape: &Config, choices: &[Choice]) {
        let mut digits = vec![0usize; choices.len()];
        loop {
            let mut config = shape.clone();
            for ((path, var, values), &d) in choices.iter().zip(&digits) {
                config.at(path).vars.push((*var, values[d]));
            }
            let (world, created) = World::new_with(self.compiled, self.root, &config, true, true);
            self.outcome(world, created);
            // The next combination, the last choice fastest; done when every one wraps.
            let wrapped = (digits.iter_mut().zip(choices).rev()).all(|(d, (_, _, values))| {
                *d = (*d + 1) % values.len();
                *d == 0
            });
            if wrapped {
                break;
            }
        }
    }

    /// The moves the outside may make on instance `i` of configuration `from`.
    fn moves(&self, from: &[Instance], i: usize) -> Vec<Action> {
        let machine = from[i].machine;
        let state = from[i].state.expect("a stored configuration is stable");
        let mut moves: Vec<Action> = (outside_moves(self.program, machine, &self.inside[i], state)
            .into_iter())
        .map(|(event, actor)| Action::Send(event, actor))
        .collect();
        for (v, values) in settable(self.program, machine).iter().enumerate() {
            for &value in values.iter().filter(|&&value| value != from[i].vars[v]) {
                moves.push(Action::Set(VarId::from_index(v), value));
            }
        }
        moves
    }

    /// Runs `action` on instance `i` of configuration `from`, in a world of its own.
    fn try_move(&mut self, from: usize, i: usize, action: Action) {
        let instances = self.configs[from].clone();
        let machine = instances[i].machine;
        let mut world = World::from_instances(self.compiled, instances);
        world.trace = Some(Vec::new());
        world.detect_livelocks();
        let i = i as InstanceId;
        let result = match action {
            Action::Send(event, actor) => {
                self.record_shadows(machine, &world.enabled_all(i, event, actor));
                world.send(i, event, actor)
            }
            Action::Set(var, value) => world.set(i, var, value),
        };
        if let Some(to) = self.outcome(world, result) {
            self.edges[from].push(to);
        }
    }

    /// Two transitions one event enables at once, the later with a guard: it is shadowed.
    fn record_shadows(&mut self, machine: MachineId, enabled: &[wfl::model::TransitionId]) {
        let transitions = &self.program.machine(machine).transitions;
        if let Some((first, later)) = enabled.split_first() {
            for t in later
                .iter()
                .filter(|t| transitions[t.index()].guard.is_some())
            {
                self.found.facts.shadows.insert((machine.0, first.0, t.0));
            }
        }
    }

    /// Every move from every configuration, breadth first; false past [`REFERENCE_CAP`].
    fn explore(&mut self) -> bool {
        let mut next = 0;
        while next < self.configs.len() {
            if self.configs.len() > REFERENCE_CAP {
                return false;
            }
            let from = self.configs[next].clone();
            let mut tried = Vec::with_capacity(from.len());
            for i in 0..from.len() {
                let moves = self.moves(&from, i);
                tried.push(moves.len() as u64);
                for action in moves {
                    self.try_move(next, i, action);
                }
            }
            self.tried.push(tried);
            next += 1;
        }
        true
    }

    /// The configurations up to the order of interchangeable children, and the moves tried from
    /// one configuration of each class: none for a child identical to an earlier one of an
    /// interchangeable group, nor for its subtree.
    fn count_classes(&mut self, symmetric: &[Vec<bool>]) {
        let mut classes: HashSet<Vec<i64>> = HashSet::new();
        for (c, instances) in self.configs.iter().enumerate() {
            let forms = canonical_subtrees(instances, symmetric);
            if !classes.insert(forms[0].clone()) {
                continue;
            }
            let mut skipped = vec![false; instances.len()];
            for (i, instance) in instances.iter().enumerate() {
                if let Some(parent) = instance.parent {
                    skipped[i] |= skipped[parent as usize];
                }
                for (g, kids) in instance.children.iter().enumerate() {
                    if !symmetric[instance.machine.index()][g] {
                        continue;
                    }
                    for (k, &kid) in kids.iter().enumerate() {
                        if kids[..k]
                            .iter()
                            .any(|&e| forms[e as usize] == forms[kid as usize])
                        {
                            skipped[kid as usize] = true;
                        }
                    }
                }
            }
            self.found.class_moves += (0..instances.len())
                .filter(|&i| !skipped[i])
                .map(|i| self.tried[c][i])
                .sum::<u64>();
        }
        self.found.classes = classes.len();
        self.found.configs = self.configs.len();
        self.found.moves = self.tried.iter().flatten().sum();
    }

    /// For a root with final states: the root's states in the configurations from which no
    /// configuration with the root in a final state can be reached (backwards from those).
    fn find_no_final(&mut self) {
        let states = &self.program.machine(self.root).states;
        if !states.iter().any(|s| s.kind == StateKind::Final) {
            return;
        }
        let root_state = |c: &[Instance]| c[0].state.expect("stable").index();
        let mut into: Vec<Vec<usize>> = vec![Vec::new(); self.configs.len()];
        for (from, list) in self.edges.iter().enumerate() {
            for &to in list {
                into[to].push(from);
            }
        }
        let mut good: Vec<bool> = (self.configs.iter())
            .map(|c| states[root_state(c)].kind == StateKind::Final)
            .collect();
        let mut stack: Vec<usize> = (0..good.len()).filter(|&c| good[c]).collect();
        while let Some(c) = stack.pop() {
            for &from in &into[c] {
                if !std::mem::replace(&mut good[from], true) {
                    stack.push(from);
                }
            }
        }
        let stuck = (self.configs.iter().zip(&good)).filter(|(_, good)| !**good);
        self.found.facts.no_final = Some(stuck.map(|(c, _)| root_state(c) as u32).collect());
    }
}

/// The plain breadth-first search of the world of `root` with `children` instances per group;
/// `None` when it has more than [`REFERENCE_CAP`] configurations (or combinations of starting
/// values).
fn reference(
    program: &Program,
    compiled: &Compiled,
    root: MachineId,
    children: u32,
) -> Option<Reference> {
    let world_shape = shape(program, root, children, &mut vec![root]);
    let (template, _) = World::new(compiled, root, &world_shape, false);
    let template = template.instances;
    // Every starting value of every instance's inputs.
    let mut choices: Vec<Choice> = Vec::new();
    for (i, instance) in template.iter().enumerate() {
        for (v, var) in program.machine(instance.machine).vars.iter().enumerate() {
            if var.input.is_some() {
                let default = wfl::sim::code::value_to_i64(var.default);
                let values = start_values(program, var.ty, default);
                choices.push((path_of(&template, i), VarId::from_index(v), values));
            }
        }
    }
    let combinations = (choices.iter()).try_fold(1usize, |n, (_, _, v)| n.checked_mul(v.len()));
    if combinations.is_none_or(|n| n > REFERENCE_CAP) {
        return None;
    }
    let mut search = Search::new(program, compiled, root, &template);
    search.start(&world_shape, &choices);
    if !search.explore() {
        return None;
    }
    search.count_classes(&interchangeable(program));
    search.find_no_final();
    Some(search.found)
}

// ---- the comparisons ------------------------------------------------------------------------

/// What an exploration found, in the reference's terms.
fn observed(program: &Program, x: &Exploration<'_>) -> Reference {
    let mut found = Reference {
        configs: x.configs,
        classes: x.configs,
        moves: x.moves,
        class_moves: x.moves,
        facts: Facts {
            unsent: (x.unsent.iter())
                .map(|u| (u.action.start, u.action.end))
                .collect(),
            shadows: (x.shadows.iter())
                .map(|s| (s.machine.0, s.first.0, s.later.0))
                .collect(),
            ..Facts::default()
        },
        complete: x.complete(),
    };
    for (m, machine) in program.machines.iter().enumerate() {
        for s in 0..machine.states.len() {
            if x.reached[m].get(s).is_some_and(Option::is_some) {
                found.facts.reached.insert((m as u32, s as u32));
            }
        }
        for t in 0..machine.transitions.len() {
            if x.taken[m].get(t).is_some_and(Option::is_some) {
                found.facts.taken.insert((m as u32, t as u32));
            }
        }
    }
    for f in &x.failures {
        // The instance an error is about is in the stored (sorted) configuration: only its
        // machine counts, which `Failure` gives.
        let (_, kind, about) = error_key(&f.error, &[], x.root);
        found.facts.failures.insert((f.machine.0, kind, about));
    }
    if (program.machine(x.root).states.iter()).any(|s| s.kind == StateKind::Final) {
        assert!(!x.no_final_unknown, "W0412's search fits in the bound");
        found.facts.no_final = Some(x.no_final.iter().map(|(s, _)| s.0).collect());
    }
    found
}

/// Checks one exploration of `way` against the reference.
fn compare(way: &Way, reference: &Reference, seen: &Reference, why: &str) {
    let name = &way.name;
    assert!(
        seen.complete,
        "{name}: the exploration is incomplete\n{why}"
    );
    let (configs, moves) = if way.symmetry {
        (reference.classes, reference.class_moves)
    } else {
        (reference.configs, reference.moves)
    };
    assert_eq!(seen.configs, configs, "{name}: configurations\n{why}");
    assert_eq!(seen.moves, moves, "{name}: moves tried\n{why}");
    assert_eq!(seen.facts, reference.facts, "{name}: what runs do\n{why}");
}

/// The states of machine `m` some chain of transitions leads to from an initial rule, guards
/// aside: W0410 is for those only (the others are structural findings).
fn structurally_reachable(program: &Program, m: MachineId) -> Vec<bool> {
    let machine = program.machine(m);
    let mut seen = vec![false; machine.states.len()];
    let mut stack: Vec<StateId> = machine.initials.iter().map(|i| i.target).collect();
    while let Some(s) = stack.pop() {
        if std::mem::replace(&mut seen[s.index()], true) {
            continue;
        }
        for t in machine
            .transitions
            .iter()
            .filter(|t| t.sources.contains(&s))
        {
            if let Target::State(to) = t.target {
                stack.push(to);
            }
        }
    }
    seen
}

/// The findings W0410 to W0412 that the reference's search from root `m` calls for, as (code,
/// span): a state no run enters (that transitions lead to), a transition no run takes from a
/// source some run reaches, a state (with a way out) from which no run finishes.
fn expected_findings(
    program: &Program,
    m: MachineId,
    reference: &Reference,
) -> BTreeSet<(String, u32, u32)> {
    let machine = program.machine(m);
    let mut expected = BTreeSet::new();
    let reached = |s: StateId| reference.facts.reached.contains(&(m.0, s.0));
    let structural = structurally_reachable(program, m);
    for (s, state) in machine.states.iter().enumerate() {
        let id = StateId::from_index(s);
        if !reached(id) && structural[s] {
            let span = state.name.span;
            expected.insert(("W0410".to_owned(), span.start, span.end));
        }
    }
    for (t, transition) in machine.transitions.iter().enumerate() {
        if !reference.facts.taken.contains(&(m.0, t as u32))
            && transition.sources.iter().any(|&s| reached(s))
        {
            let span = transition.span;
            expected.insert(("W0411".to_owned(), span.start, span.end));
        }
    }
    for &s in reference.facts.no_final.iter().flatten() {
        let id = StateId(s);
        if machine.transitions.iter().any(|t| t.sources.contains(&id)) {
            let span = machine.state(id).name.span;
            expected.insert(("W0412".to_owned(), span.start, span.end));
        }
    }
    expected
}

/// The findings W0410 to W0412 `wfl check` reports about the states and transitions of `m`.
fn reported_findings(
    program: &Program,
    m: MachineId,
    diagnostics: &[wfl::diagnostic::Diagnostic],
) -> BTreeSet<(String, u32, u32)> {
    let machine = program.machine(m);
    let spans: HashSet<(u32, u32)> = (machine.states.iter().map(|s| s.name.span))
        .chain(machine.transitions.iter().map(|t| t.span))
        .map(|span| (span.start, span.end))
        .collect();
    (diagnostics.iter())
        .filter(|d| matches!(d.code.as_str(), "W0410" | "W0411" | "W0412"))
        .map(|d| (d.primary.span.start, d.primary.span.end, d.code.as_str()))
        .filter(|(start, end, _)| spans.contains(&(*start, *end)))
        .map(|(start, end, code)| (code.to_owned(), start, end))
        .collect()
}

/// Limits that do not stop the explorations of the cases: they are compared when complete.
fn limits(children: u32) -> Limits {
    Limits {
        children,
        max_states: 200_000,
        max_bytes: 64 << 20,
        threads: 1,
    }
}

/// How many compared explorations showed each kind of fact, so that the comparison cannot
/// quietly stop covering one.
#[derive(Debug, Default)]
struct Coverage {
    compared: usize,
    configs: usize,
    /// Fewer classes than configurations.
    symmetric: usize,
    failures: usize,
    unsent: usize,
    shadows: usize,
    no_final: usize,
    findings: usize,
    incomplete: usize,
    too_large: usize,
    rejected: usize,
    /// Explorations by the reference's configurations: under 10, 30, 100, 300, 1000, and more.
    sizes: [usize; 6],
}

impl Coverage {
    fn add(&mut self, reference: &Reference, findings: usize) {
        self.compared += 1;
        let bucket = [10, 30, 100, 300, 1000]
            .iter()
            .filter(|&&b| reference.configs >= b)
            .count();
        self.sizes[bucket] += 1;
        self.configs += reference.configs;
        self.symmetric += usize::from(reference.classes < reference.configs);
        self.failures += usize::from(!reference.facts.failures.is_empty());
        self.unsent += usize::from(!reference.facts.unsent.is_empty());
        self.shadows += usize::from(!reference.facts.shadows.is_empty());
        self.no_final += usize::from(
            reference
                .facts
                .no_final
                .as_ref()
                .is_some_and(|s| !s.is_empty()),
        );
        self.findings += usize::from(findings > 0);
    }
}

#[test]
fn every_way_of_exploring_finds_what_a_plain_search_finds() {
    let ways = variants();
    let mut seen = Coverage::default();
    for seed in seeds() {
        let (text, children) = case(seed);
        // The explorations of `wfl check` too, with the same children, and a bound that stops
        // those of the worlds too large for the reference soon.
        let bounded = Limits {
            max_states: 20 * REFERENCE_CAP,
            ..limits(children)
        };
        let checked = wfl::check_text_with(&text, &wfl::lint::Levels::default(), bounded);
        let Some(program) = checked
            .program
            .as_ref()
            .filter(|_| !checked.diagnostics.iter().any(|d| d.is_error()))
        else {
            seen.rejected += 1;
            continue;
        };
        let compiled = Compiled::new(program).expect("every resolved machine compiles");
        for m in 0..program.machines.len() {
            let root = MachineId::from_index(m);
            let Some(reference) = reference(program, &compiled, root, children) else {
                seen.too_large += 1;
                continue;
            };
            if !reference.complete {
                seen.incomplete += 1;
                continue;
            }
            let why = format!("seed {seed}, root {m}, {children} children\n{text}");
            for way in &ways {
                let x = explore_by(way, program, &compiled, root, limits(children));
                compare(way, &reference, &observed(program, &x), &why);
            }
            let expected = expected_findings(program, root, &reference);
            assert_eq!(
                reported_findings(program, root, &checked.diagnostics),
                expected,
                "wfl check's W0410 to W0412\n{why}"
            );
            seen.add(&reference, expected.len());
        }
    }
    eprintln!("{seen:?}");
    assert!(
        seen.compared > 300,
        "too few explorations compared: {seen:?}"
    );
    let each = [
        seen.symmetric,
        seen.failures,
        seen.unsent,
        seen.shadows,
        seen.no_final,
        seen.findings,
    ];
    assert!(
        each.iter().all(|&n| n >= 20),
        "some kind of fact is seldom compared: {seen:?}"
    );
}
