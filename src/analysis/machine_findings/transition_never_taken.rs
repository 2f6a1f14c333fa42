//! W0411 `transition_never_taken`: runs reach a source state of a transition of the explored
//! machine, but no run takes the transition; only a complete exploration can say so
//! (specs/diagnostics.md, "W0411 transition_never_taken").

use rustc_hash::FxHashMap;

use super::super::machine::{Action, Exploration, Shadow};
use super::replay::{fork, perform, replay};
use super::scenario_lines::{expect_state, namer, scenario};
use super::witness::with_witness;
use super::{Cx, Found, notes};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{StateId, StateKind, TransitionId};
use crate::sim::machine::{Event, InstanceId};

/// Adds a finding for each transition of the root's machine that no run of a complete
/// exploration took from a state runs reach.
pub(super) fn check(cx: &Cx<'_, '_, '_>, found: &mut Found) {
    if !cx.x.complete() {
        return;
    }
    let m = cx.x.root;
    let machine = cx.program.machine(m);
    // The first shadowing of each transition, by the later transition.
    let mut shadowed: FxHashMap<TransitionId, &Shadow> = FxHashMap::default();
    for shadow in cx.x.shadows.iter().filter(|s| s.machine == m) {
        shadowed.entry(shadow.later).or_insert(shadow);
    }
    // Worked out when a finding first needs it.
    let mut first_rests: Option<Vec<Option<u32>>> = None;
    for (t, transition) in machine.transitions.iter().enumerate() {
        if cx.x.taken[m.index()][t].is_some() {
            continue;
        }
        let reached_source =
            (transition.sources.iter()).find(|s| cx.x.reached[m.index()][s.index()].is_some());
        let Some(&source) = reached_source else {
            continue;
        };
        let id = TransitionId::from_index(t);
        let mut d = finding(cx, id, source, shadowed.get(&id).copied());
        let rests = first_rests
            .get_or_insert_with(|| first_resting(cx.x))
            .get(source.index())
            .copied()
            .flatten();
        let text = rests.and_then(|c| witness(cx, id, source, c));
        d = with_witness(d, cx.x, text);
        if d.help.is_none() {
            d = d.with_help(
                "check its guard, and the transitions before it that take the same event",
            );
        }
        found.push(d);
    }
}

/// The finding of transition `t` from `source`, without its witness; with a label on the
/// transition that takes the event first when `shadow` shows one.
fn finding(
    cx: &Cx<'_, '_, '_>,
    t: TransitionId,
    source: StateId,
    shadow: Option<&Shadow>,
) -> Diagnostic {
    let machine = cx.program.machine(cx.x.root);
    let transition = &machine.transitions[t.index()];
    let source = machine.state(source).name.as_str();
    let mut d = Diagnostic::new(
        Code::W0411,
        format!(
            "no run of `{}` takes the transition from `{source}`",
            machine.name.as_str()
        ),
        transition.span,
        "never taken",
    )
    .with_note(match transition.is_eventless() {
        false => format!(
            "runs reach `{source}`, but {} never arrives there while the guard holds and no earlier transition takes it",
            cx.program.events_text(transition, true)
        ),
        true => format!(
            "runs reach `{source}`, but its guard never holds there before another transition leaves"
        ),
    });
    if let Some(note) = notes::frozen(machine, transition.guard.iter()) {
        d = d.with_note(note);
    }
    d = d.with_note(cx.scope.clone());
    if let Some(shadow) = shadow {
        d = d
            .with_label(
                machine.transitions[shadow.first.index()].span,
                "wherever the one below is enabled, this one takes the event first",
            )
            .with_help("put it before the transition that takes the event first, or make their guards exclusive");
    }
    d
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

/// The witness: the shortest run to a configuration with an instance of the machine resting in
/// `source`, then the transition's event sent to it (by its actor).
/// `config` is the first configuration with an instance of the machine resting in `source` (see
/// [`first_resting`]).
fn witness(cx: &Cx<'_, '_, '_>, t: TransitionId, source: StateId, config: u32) -> Option<String> {
    let (program, x) = (cx.program, cx.x);
    let machine = program.machine(x.root);
    if machine.state(source).kind == StateKind::Transient {
        return None;
    }
    let transition = &machine.transitions[t.index()];
    let mut r = replay(program, x, config)?;
    let i = (r.world.instances.iter())
        .position(|instance| instance.machine == x.root && instance.state == Some(source))?
        as InstanceId;
    let namer = namer(program);
    let title = format!(
        "`{}` is not left by this transition",
        machine.state(source).name.as_str()
    );
    // Its first event shows it: none of them takes it there.
    if let Some(&event) = transition.events().first() {
        let action = Action::Send(event, transition.actor);
        let mut after = fork(x, &r.world, true)?;
        perform(x, &mut after, i, action).ok()?;
        let taken = after.trace.iter().flatten().any(
            |e| matches!(e, Event::Step { instance, transition: tt, .. } if *instance == i && *tt == t),
        );
        if taken {
            return None;
        }
        r.push(program, i, action);
        r.expect(expect_state(&namer, &after, i));
    } else {
        r.expect(expect_state(&namer, &r.world, i));
    }
    Some(scenario(program, x, &title, &r.lines))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_notes_hold, only, rule_findings};
    use super::*;

    const JOB: &str = "machine job {\n  var retries: int 0..2 = 0\n  initial -> Queued\n  state Queued, Running\n\
                       final state Done, Failed\n  Queued -> Running on start\n  Running -> Done on finish\n\
                       Running -> Failed on fail\n\
                       Running -> Queued on fail when retries < 2 { set retries = retries + 1 }\n}\n";

    fn w0411(text: &str) -> Vec<Diagnostic> {
        rule_findings(text, "job", Code::W0411, check)
    }

    #[test]
    fn a_transition_an_earlier_one_shadows_is_reported_with_the_one_that_takes_the_event() {
        let found = w0411(JOB);
        let d = only(&found);
        assert_eq!(
            d.message,
            "no run of `job` takes the transition from `Running`"
        );
        assert_eq!(
            &JOB[d.primary.span.range()],
            "Running -> Queued on fail when retries < 2 { set retries = retries + 1 }"
        );
        assert_eq!(
            &JOB[d.secondary[0].span.range()],
            "Running -> Failed on fail"
        );
        assert_eq!(
            d.help.as_deref(),
            Some(
                "put it before the transition that takes the event first, or make their guards exclusive"
            )
        );
        assert_notes_hold(
            d,
            "{\n  send start\n  send fail\n  expect state == Failed\n}",
        );
    }

    #[test]
    fn the_retry_first_is_taken() {
        let failed = "Running -> Failed on fail\n";
        let retry = "Running -> Queued on fail when retries < 2 { set retries = retries + 1 }\n";
        let fixed = (JOB.replace(failed, "")).replace(retry, &format!("{retry}{failed}"));
        assert_ne!(fixed, JOB);
        assert!(w0411(&fixed).is_empty());
    }

    #[test]
    fn an_event_less_transition_whose_guard_never_holds_is_reported() {
        let text = "machine job {\n  var stuck: bool = false\n  initial -> Queued\n  state Queued\n  final state Done\n\
                    Queued -> Done on finish\n  Queued -> Done when stuck\n}\n";
        let found = w0411(text);
        let d = only(&found);
        assert!(
            d.notes[0].starts_with("runs reach `Queued`, but its guard never holds there"),
            "{:?}",
            d.notes
        );
        assert_notes_hold(d, "`stuck` is read on the way");
        assert_notes_hold(d, "{\n  expect state == Queued\n}");
    }
}
