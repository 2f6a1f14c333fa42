//! Notes several rules add: what the exploration covered, and the variables a guard reads that
//! every run keeps at their declared value.

use rustc_hash::FxHashSet;

use super::super::machine::Exploration;
use crate::model::{ActionKind, Expr, ExprKind, Machine, Program, VarId, ViewId};

/// What the exploration covered, in a note.
pub(super) fn scope(program: &Program, x: &Exploration<'_>) -> String {
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

/// A note on the variables that `guards` read (directly or through views) which keep their
/// declared value in every run the exploration makes: not inputs, and set by no action. A guard
/// that is false because of one of them is what the model says, but most often the author meant
/// the outside to set it (specs/semantics.md, section 15): the note says how to declare that.
pub(super) fn frozen<'e>(
    machine: &Machine,
    guards: impl Iterator<Item = &'e Expr>,
) -> Option<String> {
    let frozen = frozen_vars(machine, guards);
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

/// The variables `guards` read, directly or through views, that are no inputs and that no
/// action sets, in the order of their declaration.
fn frozen_vars<'e>(machine: &Machine, guards: impl Iterator<Item = &'e Expr>) -> Vec<VarId> {
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
    frozen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine(text: &str) -> Program {
        crate::check_text(text).program.expect("resolves")
    }

    #[test]
    fn frozen_names_the_variables_no_run_changes() {
        let p = machine(
            "machine m {\n  input var a: bool = false\n  var b: bool = false\n  var c: int 0..3 = 0\n  var d: bool = false\n\
             view both = b and d\n  initial -> S\n  state S, T\n  S -> T on go when a and both and c < 2 { set c = c + 1 }\n}\n",
        );
        let m = &p.machines[0];
        let guards = m.transitions.iter().filter_map(|t| t.guard.as_ref());
        let note = frozen(m, guards).expect("`b` and `d` are frozen");
        assert!(note.starts_with("`b`, `d` are read on the way"), "{note}");
        assert!(note.contains("(`input var b`"), "{note}");
    }

    #[test]
    fn frozen_says_nothing_when_every_variable_can_change() {
        let p = machine(
            "machine m {\n  input var a: bool = false\n  var c: int 0..3 = 0\n  initial -> S\n  state S, T\n\
             S -> T on go when a and c < 2 { set c = c + 1 }\n}\n",
        );
        let m = &p.machines[0];
        assert_eq!(
            frozen(m, m.transitions.iter().filter_map(|t| t.guard.as_ref())),
            None
        );
    }
}
