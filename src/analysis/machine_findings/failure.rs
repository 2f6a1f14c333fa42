//! What the findings of a run error share (W0414 initial rules that do not cover every value,
//! W0415 a livelock, W0416 another run error): each is reported once, whichever roots ran into it,
//! with the run that ends in it.

use super::super::machine::Failure;
use super::witness::{Want, move_witness, with_witness};
use super::{Cx, Found};
use crate::diagnostic::Diagnostic;

/// Adds `d`, the finding of `failure` as its rule words it, with the note that the interpreter
/// stops such a run, the witness (titled `title`) and `help`; unless a finding with its code and
/// span is known already, whose witness is then not worked out again.
pub(super) fn push(
    cx: &Cx<'_, '_, '_>,
    failure: &Failure,
    d: Diagnostic,
    title: &str,
    help: &str,
    found: &mut Found,
) {
    if !found.first_time(d.code, d.primary.span) {
        return;
    }
    let d = d.with_note("`wfl test` and `wfl simulate` stop such a run with an error");
    let want = Want::Fails(failure.machine, failure.error.clone());
    let text = move_witness(cx.program, cx.x, failure.seen, title, &want);
    found.list.push(with_witness(d, cx.x, text).with_help(help));
}
