//! Scenarios: the target, then each step in the target's terms.

use std::collections::HashMap;

use super::expr::Scope;
use super::{ItemRef, Resolver, WorkflowName};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::*;
use crate::source::Span;
use crate::syntax::ast::{self, LiteralKind, StepKind as S};

impl Resolver {
    pub(super) fn scenario(&mut self, s: &ast::Scenario) {
        let Some(target) = self.item_ref(&s.target, "workflow or machine") else {
            return;
        };
        let (target, steps) = match target {
            ItemRef::Workflow(w) => (ScenarioTarget::Workflow(w), self.workflow_steps(w, s)),
            ItemRef::Machine(m) => (ScenarioTarget::Machine(m), self.machine_steps(m, s)),
        };
        self.program.scenarios.push(Scenario {
            name: s.name.clone(),
            doc: s.doc.as_ref().map(|d| d.text.clone()),
            target,
            steps,
            span: s.span,
        });
    }

    fn workflow_steps(&mut self, w: WorkflowId, s: &ast::Scenario) -> Vec<Step> {
        let mut steps = Vec::new();
        let mut once: HashMap<String, Span> = HashMap::new();
        for step in &s.steps {
            let span = step.span;
            let kind = match &step.kind {
                S::Set { path, value } => {
                    let Some((v, var_ty)) = self.workflow_var(w, path) else {
                        continue;
                    };
                    if !self.once(
                        &mut once,
                        format!("set {}", path_text(path)),
                        span,
                        "`set` of this variable",
                    ) {
                        continue;
                    }
                    let what = format!("the value of `{}`", path_text(path));
                    let Some(value) = self.constant(Scope::Workflow(w), value, var_ty, &what)
                    else {
                        continue;
                    };
                    if !self.in_range(value, var_ty, value_span(&step.kind)) {
                        continue;
                    }
                    StepKind::Set {
                        path: InstancePath::default(),
                        var: v,
                        value,
                    }
                }
                S::Fail(names) => match self.tasks(w, names) {
                    Some(tasks) => StepKind::Fail(tasks),
                    None => continue,
                },
                S::Duration { task, ticks } => {
                    let task = self.task_ref(w, task);
                    let ticks = self.count(ticks, 1, "a duration");
                    match (task, ticks) {
                        (Some(task), Some(ticks)) => StepKind::Duration(task, ticks),
                        _ => continue,
                    }
                }
                S::StartFrom(names) => {
                    if !self.once(&mut once, "start from".to_owned(), span, "`start from`") {
                        continue;
                    }
                    match self.tasks(w, names) {
                        Some(tasks) => StepKind::StartFrom(tasks),
                        None => continue,
                    }
                }
                S::StopAt(tick) | S::KillAt(tick) => {
                    let is_stop = matches!(step.kind, S::StopAt(_));
                    let what = if is_stop { "stop at" } else { "kill at" };
                    if !self.once(&mut once, what.to_owned(), span, &format!("`{what}`")) {
                        continue;
                    }
                    let Some(tick) = self.count(tick, 0, "a tick") else {
                        continue;
                    };
                    if is_stop {
                        StepKind::StopAt(tick)
                    } else {
                        StepKind::KillAt(tick)
                    }
                }
                S::Spawn { .. } | S::Send { .. } => {
                    let what = if matches!(step.kind, S::Spawn { .. }) {
                        "spawn"
                    } else {
                        "send"
                    };
                    self.mismatch(span, what, "machine", "workflow", &s.target);
                    continue;
                }
                S::Expect(e) => {
                    match self.bool_expr(Scope::WorkflowScenario(w), e, "an expectation") {
                        Some(expr) => StepKind::Expect(expr),
                        None => continue,
                    }
                }
            };
            steps.push(Step { kind, span });
        }
        steps
    }

    fn machine_steps(&mut self, m: MachineId, s: &ast::Scenario) -> Vec<Step> {
        let mut steps = Vec::new();
        // Where the configuration (leading `set` and `spawn` lines) ended.
        let mut config_end: Option<Span> = None;
        for step in &s.steps {
            let span = step.span;
            let kind = match &step.kind {
                S::Set { path, value } => {
                    let Some((instance, at)) = self.instance_prefix(m, path) else {
                        continue;
                    };
                    let Some(last) = path.segments.last() else {
                        continue;
                    };
                    let Some((v, var_ty)) = self.var_ref(at, &last.name) else {
                        continue;
                    };
                    let what = format!("the value of `{}`", last.name.as_str());
                    let Some(value) = self.constant(Scope::Machine(at), value, var_ty, &what)
                    else {
                        continue;
                    };
                    if !self.in_range(value, var_ty, value_span(&step.kind)) {
                        continue;
                    }
                    StepKind::Set {
                        path: instance,
                        var: v,
                        value,
                    }
                }
                S::Spawn { path, count } => {
                    if let Some(first) = config_end {
                        self.push(
                            Diagnostic::new(
                                Code::E0406,
                                "`spawn` must come before the first `send` or `expect`",
                                span,
                                "spawned too late",
                            )
                            .with_label(first, "the run starts here")
                            .with_note("the leading `set` and `spawn` lines configure the instances before they are created"),
                        );
                        continue;
                    }
                    let Some((instance, at)) = self.instance_prefix(m, path) else {
                        continue;
                    };
                    let Some(last) = path.segments.last() else {
                        continue;
                    };
                    if last.index.is_some() {
                        self.push(
                            Diagnostic::new(
                                Code::E0201,
                                "`spawn` names a group of children, without an index",
                                path.span,
                                "an index here",
                            )
                            .with_help(format!("write `spawn {} * N`", last.name.as_str())),
                        );
                        continue;
                    }
                    let c = self.children_ref(at, &last.name);
                    let count = self.count(count, 0, "a number of children");
                    match (c, count) {
                        (Some(children), Some(count)) => StepKind::Spawn {
                            path: instance,
                            children,
                            count,
                        },
                        _ => continue,
                    }
                }
                S::Send { event, to, by } => {
                    config_end.get_or_insert(span);
                    let to = match to {
                        Some(path) => match self.instance_path(m, &path.segments) {
                            Some((instance, _)) => instance,
                            None => continue,
                        },
                        None => InstancePath::default(),
                    };
                    StepKind::Send {
                        event: self.event(event),
                        to,
                        by: by.as_ref().map(|a| self.actor(a)),
                    }
                }
                S::Expect(e) => {
                    config_end.get_or_insert(span);
                    match self.bool_expr(Scope::MachineScenario(m), e, "an expectation") {
                        Some(expr) => StepKind::Expect(expr),
                        None => continue,
                    }
                }
                S::Fail(_) | S::Duration { .. } | S::StartFrom(_) | S::StopAt(_) | S::KillAt(_) => {
                    let what = match step.kind {
                        S::Fail(_) => "fail",
                        S::Duration { .. } => "duration",
                        S::StartFrom(_) => "start from",
                        S::StopAt(_) => "stop at",
                        _ => "kill at",
                    };
                    self.mismatch(span, what, "workflow", "machine", &s.target);
                    continue;
                }
            };
            steps.push(Step { kind, span });
        }
        steps
    }

    /// The instance path of every segment but the last, from machine `m`.
    fn instance_prefix(
        &mut self,
        m: MachineId,
        path: &ast::Path,
    ) -> Option<(InstancePath, MachineId)> {
        let (_, prefix) = path.segments.split_last()?;
        self.instance_path(m, prefix)
    }

    fn workflow_var(&mut self, w: WorkflowId, path: &ast::Path) -> Option<(VarId, Type)> {
        let [segment] = path.segments.as_slice() else {
            self.push(Diagnostic::new(
                Code::E0201,
                "a workflow scenario sets a variable by its name alone",
                path.span,
                "a path",
            ));
            return None;
        };
        let workflow = self.program.workflow(w);
        match self.workflow_names[w.index()]
            .names
            .get(segment.name.as_str())
        {
            Some(&WorkflowName::Var(v)) if segment.index.is_none() => {
                Some((v, workflow.vars[v.index()].ty))
            }
            Some(&WorkflowName::Task(_)) => {
                self.push(
                    Diagnostic::new(
                        Code::E0103,
                        format!("`{}` is a task, not a variable", segment.name.as_str()),
                        segment.name.span,
                        "a task",
                    )
                    .with_help(format!(
                        "a scenario decides a task's outcome with `fail {}` or `duration {} = N`",
                        segment.name.as_str(),
                        segment.name.as_str()
                    )),
                );
                None
            }
            _ => {
                let candidates: Vec<&str> = workflow.vars.iter().map(|v| v.name.as_str()).collect();
                let diagnostic = Diagnostic::new(
                    Code::E0101,
                    format!(
                        "workflow `{}` has no variable `{}`",
                        workflow.name.as_str(),
                        segment.name.as_str()
                    ),
                    path.span,
                    "unknown variable",
                )
                .with_suggestion(segment.name.as_str(), candidates.iter().copied());
                self.push(diagnostic);
                None
            }
        }
    }

    fn tasks(&mut self, w: WorkflowId, names: &[Name]) -> Option<Vec<TaskId>> {
        let tasks: Vec<Option<TaskId>> = names.iter().map(|n| self.task_ref(w, n)).collect();
        tasks.into_iter().collect()
    }

    /// A whole number of at least `min` (ticks, durations, counts).
    fn count(&mut self, literal: &ast::Literal, min: u32, what: &str) -> Option<u32> {
        match literal.kind {
            LiteralKind::Int(n) => match u32::try_from(n) {
                Ok(n) if n >= min => Some(n),
                _ => {
                    self.push(Diagnostic::new(
                        Code::E0302,
                        format!("{what} must be a whole number from {min} to {}", u32::MAX),
                        literal.span,
                        "out of range",
                    ));
                    None
                }
            },
            _ => {
                self.push(Diagnostic::new(
                    Code::E0200,
                    format!("{what} must be a whole number"),
                    literal.span,
                    "not an integer",
                ));
                None
            }
        }
    }

    fn in_range(&mut self, value: Value, ty: Type, span: Span) -> bool {
        match (value, ty) {
            (Value::Int(n), Type::Int { min, max }) if n < min || n > max => {
                self.push(Diagnostic::new(
                    Code::E0302,
                    format!("`{n}` is outside the variable's range `{min}..{max}`"),
                    span,
                    "out of range",
                ));
                false
            }
            _ => true,
        }
    }

    /// Reports a repeated one-off step; true the first time.
    fn once(
        &mut self,
        seen: &mut HashMap<String, Span>,
        key: String,
        span: Span,
        what: &str,
    ) -> bool {
        if let Some(&first) = seen.get(&key) {
            self.push(
                Diagnostic::new(
                    Code::E0105,
                    format!("{what} is given twice"),
                    span,
                    "given again here",
                )
                .with_label(first, "first given here")
                .with_help("keep one of them"),
            );
            return false;
        }
        seen.insert(key, span);
        true
    }

    fn mismatch(
        &mut self,
        span: Span,
        step: &str,
        belongs: &str,
        target_kind: &str,
        target: &Name,
    ) {
        self.push(
            Diagnostic::new(
                Code::E0406,
                format!(
                    "`{step}` is a {belongs} scenario step, but `{}` is a {target_kind}",
                    target.as_str()
                ),
                span,
                format!("not a step for a {target_kind}"),
            )
            .with_label(target.span, format!("this scenario runs a {target_kind}")),
        );
    }
}

fn path_text(path: &ast::Path) -> String {
    path.segments
        .iter()
        .map(|s| match s.index {
            Some((i, _)) => format!("{}[{i}]", s.name.as_str()),
            None => s.name.as_str().to_owned(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn value_span(kind: &S) -> Span {
    match kind {
        S::Set { value, .. } => value.span,
        _ => Span::default(),
    }
}
