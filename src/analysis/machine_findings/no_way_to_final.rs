//! W0412 `no_way_to_final`: some run brings the explored machine into a state from which no
//! sequence of events leads to a final state; only a complete exploration can say so
//! (specs/diagnostics.md, "W0412 no_way_to_final").

use super::scenario_lines::state_text;
use super::witness::{to_config_witness, with_witness};
use super::{Cx, Found};
use crate::diagnostic::{Code, Diagnostic};

/// Adds a finding for each state of the root's machine from which the complete exploration
/// found no way to a final state, but for dead ends (W0201's: no transition leaves them).
pub(super) fn check(cx: &Cx<'_, '_, '_>, found: &mut Found) {
    if !cx.x.complete() {
        return;
    }
    let machine = cx.program.machine(cx.x.root);
    for &(s, config) in &cx.x.no_final {
        let state = machine.state(s);
        let dead_end = !machine.transitions.iter().any(|t| t.sources.contains(&s));
        if dead_end {
            continue;
        }
        let (name, state_name) = (machine.name.as_str(), state.name.as_str());
        let d = Diagnostic::new(
            Code::W0412,
            format!("no final state of `{name}` can be reached from `{state_name}`"),
            state.name.span,
            "runs get here and never finish",
        )
        .with_note("some run reaches a configuration with the machine in this state from which no sequence of events leads to a final state")
        .with_note(cx.scope.clone());
        let title = format!("`{name}` cannot finish from `{state_name}`");
        let text = to_config_witness(cx.program, cx.x, config, &title, |namer, world| {
            vec![format!(
                "expect state == {}",
                state_text(namer.state(world.instances[0].machine, s))
            )]
        });
        let d = with_witness(d, cx.x, text);
        found.push(d.with_help("add a way out of it towards a final state, or make it final"));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_notes_hold, only, rule_findings};
    use super::*;

    const ORDER: &str = "machine order {\n  initial -> Cart\n  state Cart, Paid, Refunding\n  final state Shipped\n\
                         Cart -> Paid on pay\n  Paid -> Shipped on ship\n  Paid -> Refunding on refund\n\
                         Refunding -> Refunding on remind\n}\n";

    fn w0412(text: &str) -> Vec<Diagnostic> {
        rule_findings(text, "order", Code::W0412, check)
    }

    #[test]
    fn a_state_with_no_way_to_a_final_state_is_reported_with_the_run_into_it() {
        let found = w0412(ORDER);
        let d = only(&found);
        assert_eq!(
            d.message,
            "no final state of `order` can be reached from `Refunding`"
        );
        assert_eq!(&ORDER[d.primary.span.range()], "Refunding");
        assert_notes_hold(
            d,
            "{\n  send pay\n  send refund\n  expect state == Refunding\n}",
        );
    }

    #[test]
    fn a_way_out_towards_a_final_state_leaves_nothing_to_report() {
        let fixed = ORDER.replace(
            "Refunding -> Refunding on remind",
            "Refunding -> Cart on remind",
        );
        assert!(w0412(&fixed).is_empty());
    }

    #[test]
    fn a_dead_end_is_left_to_w0201() {
        let dead_end = ORDER.replace("Refunding -> Refunding on remind\n", "");
        assert_ne!(dead_end, ORDER);
        assert!(w0412(&dead_end).is_empty());
    }
}
