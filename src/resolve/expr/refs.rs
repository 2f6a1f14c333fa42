//! The declarations a statement names outside expressions: a machine's children groups and
//! states, a workflow's links and tasks; one E0101 (with a suggestion) per unknown name.

use super::Scope;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::*;
use crate::resolve::{DeclKind, MachineName, Resolver, WorkflowName};
use crate::source::Span;

impl Resolver {
    /// The children declaration `name` of machine `m`.
    pub(in crate::resolve) fn children_ref(
        &mut self,
        m: MachineId,
        name: &Name,
    ) -> Option<ChildrenId> {
        let names = &self.machine_names[m.index()];
        match names.names.get(name.as_str()) {
            Some(&MachineName::Children(c)) => {
                self.refer(name.span, crate::resolve::Def::Children(m, c));
                Some(c)
            }
            _ if names.rejected.any(name.as_str(), &[DeclKind::Children]) => None,
            Some(other) => {
                let what = match other {
                    MachineName::Var(_) => "a variable",
                    _ => "a view",
                };
                self.push(Diagnostic::new(
                    Code::E0103,
                    format!("`{}` is {what}, not a group of children", name.as_str()),
                    name.span,
                    "expected the name of a `children` declaration",
                ));
                None
            }
            None => {
                let machine = self.program.machine(m);
                let close = self.suggest.did_you_mean(
                    name.as_str(),
                    machine.children.iter().map(|c| c.name.as_str()),
                );
                let mut diagnostic = Diagnostic::new(
                    Code::E0101,
                    format!(
                        "machine `{}` has no children named `{}`",
                        machine.name.as_str(),
                        name.as_str()
                    ),
                    name.span,
                    "unknown children",
                )
                .with_suggestion(close);
                if machine.children.is_empty() {
                    diagnostic = diagnostic.with_help(format!(
                        "declare them: `children {}: MACHINE`",
                        name.as_str()
                    ));
                }
                self.push(diagnostic);
                None
            }
        }
    }

    /// States named in machine `m`; one E0101 per unknown name.
    pub(in crate::resolve) fn state_refs(
        &mut self,
        m: MachineId,
        names: &[Name],
    ) -> Option<Vec<StateId>> {
        let mut ids = Vec::with_capacity(names.len());
        let mut ok = true;
        for name in names {
            match self.state_ref(m, name) {
                Some(id) => ids.push(id),
                None => ok = false,
            }
        }
        ok.then_some(ids)
    }

    pub(in crate::resolve) fn state_ref(&mut self, m: MachineId, name: &Name) -> Option<StateId> {
        let names = &self.machine_names[m.index()];
        if let Some(&id) = names.states.get(name.as_str()) {
            self.refer(name.span, crate::resolve::Def::State(m, id));
            return Some(id);
        }
        if names.rejected_states.contains(name.as_str()) {
            return None; // reported at its declaration
        }
        let machine = self.program.machine(m);
        let close = self.suggest.did_you_mean(
            name.as_str(),
            machine.states.iter().map(|s| s.name.as_str()),
        );
        let diagnostic = Diagnostic::new(
            Code::E0101,
            format!(
                "unknown state `{}` in machine `{}`",
                name.as_str(),
                machine.name.as_str()
            ),
            name.span,
            "not a declared state",
        )
        .with_suggestion(close)
        .with_note("states must be declared with `state`, `transient state` or `final state`");
        self.push(diagnostic);
        None
    }

    pub(super) fn link_ref(
        &mut self,
        scope: Scope,
        source: &Name,
        target: &Name,
        on_error: bool,
        span: Span,
    ) -> Option<Expr> {
        let Scope::WorkflowScenario(w) = scope else {
            return self.misplaced(
                scope,
                span,
                "`link`",
                "`link a -> b` names a link's state, in workflow scenarios only",
            );
        };
        let s = self.task_ref(w, source);
        let t = self.task_ref(w, target);
        let (s, t) = (s?, t?);
        let kind = if on_error {
            LinkKind::Error
        } else {
            LinkKind::Normal
        };
        let links = &self.workflow_names[w.index()].links;
        if let Some(&id) = links.get(&(s, t, kind)) {
            return Some(Expr {
                kind: ExprKind::LinkState(id),
                ty: Type::LinkState,
                span,
            });
        }
        let other = if on_error {
            LinkKind::Normal
        } else {
            LinkKind::Error
        };
        let mut diagnostic = Diagnostic::new(
            Code::E0101,
            format!(
                "there is no {}link `{} -> {}`",
                if on_error { "error " } else { "" },
                source.as_str(),
                target.as_str()
            ),
            span,
            "no such link",
        );
        if links.contains_key(&(s, t, other)) {
            // `on error` is all that follows the target.
            let after_target = Span::new(target.span.end as usize, span.end as usize);
            diagnostic = if on_error {
                diagnostic
                    .with_help("the link between these tasks is a normal link: remove `on error`")
                    .with_fix("remove `on error`", after_target, "")
            } else {
                diagnostic
                    .with_help("the link between these tasks is an error link: add `on error`")
                    .with_fix(
                        "add `on error`",
                        Span::new(after_target.start as usize, after_target.start as usize),
                        " on error",
                    )
            };
        }
        self.push(diagnostic);
        None
    }

    /// Task `name` of workflow `w`.
    pub(in crate::resolve) fn task_ref(&mut self, w: WorkflowId, name: &Name) -> Option<TaskId> {
        let names = &self.workflow_names[w.index()];
        match names.names.get(name.as_str()) {
            Some(&WorkflowName::Task(t)) => {
                self.refer(name.span, crate::resolve::Def::Task(w, t));
                return Some(t);
            }
            // Its declaration was refused, and reported there.
            _ if names.rejected.any(name.as_str(), &[DeclKind::Task]) => return None,
            Some(&WorkflowName::Var(v)) => {
                let var = &self.program.workflow(w).vars[v.index()];
                let diagnostic = Diagnostic::new(
                    Code::E0103,
                    format!("`{}` is a variable, not a task", name.as_str()),
                    name.span,
                    "expected a task",
                )
                .with_label(var.name.span, "declared as a variable here");
                self.push(diagnostic);
                return None;
            }
            None => {}
        }
        let workflow = self.program.workflow(w);
        let close = self.suggest.did_you_mean(
            name.as_str(),
            workflow.tasks.iter().map(|t| t.name.as_str()),
        );
        let diagnostic = Diagnostic::new(
            Code::E0101,
            format!(
                "unknown task `{}` in workflow `{}`",
                name.as_str(),
                workflow.name.as_str()
            ),
            name.span,
            "not a task of this workflow",
        )
        .with_suggestion(close);
        self.push(diagnostic);
        None
    }
}
