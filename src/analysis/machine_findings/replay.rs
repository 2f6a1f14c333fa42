//! A stored path run again by the interpreter: the world created from the combination of initial
//! values the path starts from, then, for each configuration on the path, a move of the outside
//! that leads to it. Every step is counted in the work the witnesses may do
//! ([`Exploration::spend_on_witnesses`]).

use super::super::machine::{Action, Exploration, WORK_UNITS_PER_STEP};
use super::scenario_lines::{action_line, config_lines, expect_state, namer};
use crate::model::{Program, VarId};
use crate::sim::machine::{InstanceId, RunError, World};

/// A run up to a stored configuration: the world after it, and the scenario lines so far.
pub(super) struct Replay<'c> {
    pub(super) world: World<'c>,
    pub(super) lines: Vec<String>,
    /// Whether a line after the leading `spawn` and `set` lines was written: until then a `set`
    /// would configure the instances instead of changing them.
    started: bool,
}

impl Replay<'_> {
    /// Adds the line of `action` done to instance `i` (before a first `set`, an `expect` line
    /// that ends the configuration lines).
    pub(super) fn push(&mut self, program: &Program, i: InstanceId, action: Action) {
        let namer = namer(program);
        if matches!(action, Action::Set(..)) && !self.started {
            self.lines.extend(expect_state(&namer, &self.world, 0));
        }
        self.started = true;
        self.lines
            .push(action_line(program, &namer, &self.world, i, action));
    }

    /// Adds `line`, an `expect` line, if there is one.
    pub(super) fn expect(&mut self, line: Option<String>) {
        if let Some(line) = line {
            self.started = true;
            self.lines.push(line);
        }
    }
}

/// Does `action` to instance `i` of `world` (a [`fork`]), the steps it takes counted in the
/// witnesses' work.
pub(super) fn perform(
    x: &Exploration<'_>,
    world: &mut World<'_>,
    i: InstanceId,
    action: Action,
) -> Result<(), RunError> {
    let done = match action {
        Action::Send(event, actor) => world.send(i, event, actor),
        Action::Set(var, value) => world.set(i, var, value),
    };
    x.spend_on_witnesses(world.steps + world.work() / WORK_UNITS_PER_STEP);
    done
}

/// Replays the stored path to configuration `target`: creates the world from the combination of
/// initial values its path starts from, then finds, for each configuration on the path, a move
/// that leads to it. A path that cannot be replayed within the witnesses' work is a bug in wfl,
/// which the finding's note then reports.
pub(super) fn replay<'c>(
    program: &Program,
    x: &Exploration<'c>,
    target: u32,
) -> Option<Replay<'c>> {
    x.take_replay_failed();
    let replayed = replay_path(program, x, target);
    if replayed.is_none() {
        x.replay_failed();
    }
    replayed
}

/// [`replay`], without noting a failure.
fn replay_path<'c>(program: &Program, x: &Exploration<'c>, target: u32) -> Option<Replay<'c>> {
    let path = stored_path(x, target)?;
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
        let (i, action, after) = move_to(x, &replay.world, next)?;
        replay.push(program, i, action);
        replay.world = after;
    }
    Some(replay)
}

/// The stored configurations from the first of its path to `target`, by their parents.
fn stored_path(x: &Exploration<'_>, target: u32) -> Option<Vec<u32>> {
    let mut path = vec![target];
    while let Some(p) = x.space.parent_of(*path.last()?) {
        path.push(p);
        if path.len() > x.configs + 1 {
            return None;
        }
    }
    path.reverse();
    Some(path)
}

/// The first move from `world` (instance by instance, in the order of [`instance_moves`]) that
/// leads to stored configuration `next`, and the world after it.
fn move_to<'c>(
    x: &Exploration<'c>,
    world: &World<'c>,
    next: u32,
) -> Option<(InstanceId, Action, World<'c>)> {
    let want = x.space.get(next);
    for i in 0..world.instances.len() as InstanceId {
        for action in instance_moves(x, world, i) {
            let mut after = fork(x, world, false)?;
            if perform(x, &mut after, i, action).is_ok()
                && x.space.key(&after).as_deref() == Some(want.as_slice())
            {
                return Some((i, action, after));
            }
        }
    }
    None
}

/// The world made from combination `combo` of initial values.
pub(super) fn create<'c>(
    x: &Exploration<'c>,
    combo: u32,
) -> Option<(World<'c>, Result<(), RunError>)> {
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
pub(super) fn fork<'c>(x: &Exploration<'c>, world: &World<'c>, trace: bool) -> Option<World<'c>> {
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
pub(super) fn instance_moves(x: &Exploration<'_>, world: &World<'_>, i: InstanceId) -> Vec<Action> {
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
