//! The run a finding shows, as a scenario to paste into the file: the shortest path the
//! exploration stored to where it saw the finding ([`replay`](super::replay)), then the move that
//! shows it, each checked by running it again; and the note that carries it.

use super::super::machine::{Action, Exploration, Seen, error_instance, same_error};
use super::replay::{Replay, create, fork, instance_moves, perform, replay};
use super::scenario_lines::{config_lines, expect_state, namer, scenario};
use crate::diagnostic::Diagnostic;
use crate::model::{MachineId, Program, StateId, TransitionId};
use crate::sim::machine::{Event, InstanceId, RunError, World};
use crate::sim::machine_render::MachineNamer;
use crate::source::Span;

/// Something a run shows in its trace: a state entered, a transition taken.
#[derive(Clone, Copy, Debug)]
pub enum Reach {
    Enters(MachineId, StateId),
    Takes(MachineId, TransitionId),
}

/// Whether the world's trace shows `reach`.
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

fn witness_note(text: &str) -> String {
    format!("a run that shows it (paste it into the file and run `wfl test`):\n{text}")
}

/// `d` with its witness; or, when the witnesses' work was spent before it was found, a note
/// that says why there is none.
pub(super) fn with_witness(d: Diagnostic, x: &Exploration<'_>, text: Option<String>) -> Diagnostic {
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

/// What the last step of a witness must show.
pub(super) enum Want {
    /// The event enables both transitions of an instance of the machine.
    Shadow(MachineId, TransitionId, TransitionId),
    /// The run ends in this run error (same kind, same machine).
    Fails(MachineId, RunError),
    /// The send at this action reaches no child.
    Unsent(Span),
}

/// A witness that runs to stored configuration `config` and ends with `expect` lines.
pub(super) fn to_config_witness(
    program: &Program,
    x: &Exploration<'_>,
    config: u32,
    title: &str,
    expects: impl Fn(&MachineNamer<'_>, &World<'_>) -> Vec<String>,
) -> Option<String> {
    let mut r = replay(program, x, config)?;
    for line in expects(&namer(program), &r.world) {
        r.expect(Some(line));
    }
    Some(scenario(program, x, title, &r.lines))
}

/// A witness for something first seen at `seen`: the run to it, then the move that shows `want`.
pub(super) fn move_witness(
    program: &Program,
    x: &Exploration<'_>,
    seen: Seen,
    title: &str,
    want: &Want,
) -> Option<String> {
    match seen {
        Seen::Initial { combo } => creation_witness(program, x, combo, title, want),
        Seen::Move { from, .. } => {
            let mut r = replay(program, x, from)?;
            last_move(program, x, &mut r, want)?;
            Some(scenario(program, x, title, &r.lines))
        }
    }
}

/// [`move_witness`] for something seen while the world was created from combination `combo`.
fn creation_witness(
    program: &Program,
    x: &Exploration<'_>,
    combo: u32,
    title: &str,
    want: &Want,
) -> Option<String> {
    let (world, created) = create(x, combo)?;
    let mut lines = config_lines(program, x, &world, combo);
    match (want, created) {
        (Want::Fails(m, error), Err(e)) if same_failure(&world, *m, error, &e) => {
            lines.push("expect true".to_owned());
        }
        (Want::Unsent(action), Ok(())) if unsent_in(&world, *action) => {
            lines.extend(expect_state(&namer(program), &world, 0));
        }
        _ => return None,
    }
    Some(scenario(program, x, title, &lines))
}

/// Adds to `r` the first move (instance by instance, in the order of [`instance_moves`]) that
/// shows `want`, and the `expect` line after it; `None` when no move shows it.
fn last_move(
    program: &Program,
    x: &Exploration<'_>,
    r: &mut Replay<'_>,
    want: &Want,
) -> Option<()> {
    for i in 0..r.world.instances.len() as InstanceId {
        for action in instance_moves(x, &r.world, i) {
            let shows_shadow = match (want, action) {
                (Want::Shadow(m, first, later), Action::Send(event, actor)) => {
                    *m == r.world.instances[i as usize].machine && {
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
                Ok(()) => r.expect(expect_state(&namer(program), &after, i)),
                Err(_) => r.expect(Some("expect true".to_owned())),
            }
            return Some(());
        }
    }
    None
}

/// Whether run error `got`, in `world`, is `want`: the same kind, about an instance of
/// `machine` (any livelock will do).
fn same_failure(world: &World<'_>, machine: MachineId, want: &RunError, got: &RunError) -> bool {
    let got_machine = error_instance(got)
        .and_then(|i| world.instances.get(i as usize))
        .map(|i| i.machine);
    same_error(want, got)
        && (matches!(got, RunError::Livelock { .. }) || got_machine == Some(machine))
}

/// Whether the world's trace shows the send at `action` reaching no child.
fn unsent_in(world: &World<'_>, action: Span) -> bool {
    world
        .trace
        .iter()
        .flatten()
        .any(|e| matches!(e, Event::Unsent { action: a, .. } if *a == action))
}
