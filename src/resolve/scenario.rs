//! Scenarios: the target, then each step in the target's terms.

use rustc_hash::FxHashMap;

use super::events::Place;
use super::expr::Scope;
use super::{DeclKind, ItemRef, Resolver, WorkflowName};
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
        let mut once: FxHashMap<String, Span> = FxHashMap::default();
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
                        &format!("`set {}`", path_text(path)),
                    ) {
                        continue;
                    }
                    let what = format!("the value of `{}`", path_text(path));
                    let Some(value) = self.constant(Scope::Workflow(w), value, var_ty, &what)
                    else {
                        continue;
                    };
                    let var = &self.program.workflow(w).vars[v.index()];
                    let declared = (var.name.as_str().to_owned(), var.span);
                    if !self.in_range(value, var_ty, value_span(&step.kind), declared) {
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
                    let what = format!("`duration {}`", task.as_str());
                    if !self.once(
                        &mut once,
                        format!("duration {}", task.as_str()),
                        span,
                        &what,
                    ) {
                        continue;
                    }
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
        let mut spawned_once: FxHashMap<String, Span> = FxHashMap::default();
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
                    let var = &self.program.machine(at).vars[v.index()];
                    let declared = (var.name.as_str().to_owned(), var.span);
                    if !self.in_range(value, var_ty, value_span(&step.kind), declared) {
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
                    if let Some((_, index_span)) = last.index {
                        self.push(
                            Diagnostic::new(
                                Code::E0201,
                                "`spawn` names a group of children, without an index",
                                index_span,
                                "an index here",
                            )
                            .with_help(format!("write `spawn {} * N`", last.name.as_str())),
                        );
                        continue;
                    }
                    let c = self.children_ref(at, &last.name);
                    let count = self.count(count, 0, "a number of children");
                    if c.is_some()
                        && !self.once(
                            &mut spawned_once,
                            format!("spawn {}", path_text(path)),
                            span,
                            &format!("`spawn {}`", path_text(path)),
                        )
                    {
                        continue;
                    }
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
                    let written = to.as_ref().map(path_text);
                    let (to, receiver) = match to {
                        Some(path) => match self.instance_path(m, &path.segments) {
                            Some(found) => found,
                            None => continue,
                        },
                        None => (InstancePath::default(), m),
                    };
                    let place = match &written {
                        Some(path) => Place::Path(path),
                        None => Place::Own,
                    };
                    let event = self.event_for(receiver, event, place);
                    let by = match by {
                        Some(a) => self.actor_for(receiver, a, place).map(Some),
                        None => Some(None),
                    };
                    let (Some(event), Some(by)) = (event, by) else {
                        continue;
                    };
                    StepKind::Send { event, to, by }
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
        // With a `spawn` line refused (and reported), the number of children is unknown.
        let written = s
            .steps
            .iter()
            .filter(|step| matches!(step.kind, S::Spawn { .. }))
            .count();
        let kept = steps
            .iter()
            .filter(|step| matches!(step.kind, StepKind::Spawn { .. }))
            .count();
        if written == kept {
            self.spawned_indexes(m, &steps);
        }
        steps
    }

    /// E0302 for every index of a path (in `set`, `spawn`, `send … to` and expectations) that
    /// names a child the configuration does not spawn: the leading `spawn` lines are the only way
    /// children come to exist, so the number of each group is known before the run.
    fn spawned_indexes(&mut self, m: MachineId, steps: &[Step]) {
        let mut spawned: FxHashMap<SpawnKey, (u32, Span)> = FxHashMap::default();
        for step in steps {
            if let StepKind::Spawn {
                path,
                children,
                count,
            } = &step.kind
            {
                let at = path.steps.iter().map(|p| (p.children, p.index)).collect();
                spawned.insert((at, *children), (*count, step.span));
            }
        }
        let mut paths: Vec<&InstancePath> = Vec::new();
        for step in steps {
            match &step.kind {
                StepKind::Set { path, .. }
                | StepKind::Spawn { path, .. }
                | StepKind::Send { to: path, .. } => paths.push(path),
                StepKind::Expect(expr) => expr.walk_scope(&mut |e| {
                    if let ExprKind::At { path, .. } = &e.kind {
                        paths.push(path);
                    }
                }),
                _ => {}
            }
        }
        for path in paths {
            let mut at = m;
            let mut prefix: Vec<(ChildrenId, u32)> = Vec::new();
            for step in &path.steps {
                let group = &self.program.machine(at).children[step.children.index()];
                let (name, child) = (group.name.as_str().to_owned(), group.machine);
                let spawn = spawned.get(&(prefix.clone(), step.children)).copied();
                let count = spawn.map_or(0, |(count, _)| count);
                if step.index >= count {
                    let here = if prefix.is_empty() {
                        String::new()
                    } else {
                        format!(" in `{}`", path_words(self, m, &prefix))
                    };
                    let spawns = if count == 0 {
                        "no".to_owned()
                    } else {
                        count.to_string()
                    };
                    let mut diagnostic = Diagnostic::new(
                        Code::E0302,
                        format!(
                            "`{name}[{}]` does not exist: the scenario spawns {spawns} `{name}`{here}",
                            step.index
                        ),
                        step.span,
                        "no such child",
                    );
                    diagnostic = match spawn {
                        Some((_, spawn_span)) => diagnostic
                            .with_label(spawn_span, format!("{count} spawned here"))
                            .with_note(
                                "indexes count from 0, in the order the children are spawned",
                            ),
                        None => diagnostic.with_help(format!(
                            "spawn them first: `spawn {}{name} * {}`",
                            if prefix.is_empty() {
                                String::new()
                            } else {
                                format!("{}.", path_words(self, m, &prefix))
                            },
                            step.index + 1
                        )),
                    };
                    self.push(diagnostic);
                    break;
                }
                prefix.push((step.children, step.index));
                at = child;
            }
        }
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
        let segment = match path.segments.as_slice() {
            [segment] if segment.index.is_none() => segment,
            segments => {
                let var = segments.last().map_or("VAR", |s| s.name.as_str());
                self.push(
                    Diagnostic::new(
                        Code::E0201,
                        "a workflow scenario sets a variable by its name alone",
                        path.span,
                        "a path, not a variable name",
                    )
                    .with_note(
                        "a workflow has no child instances: paths belong to machine scenarios",
                    )
                    .with_help(format!("write `set {var} = VALUE`")),
                );
                return None;
            }
        };
        let workflow = self.program.workflow(w);
        match self.workflow_names[w.index()]
            .names
            .get(segment.name.as_str())
        {
            Some(&WorkflowName::Var(v)) => {
                let ty = workflow.vars[v.index()].ty;
                self.refer(segment.name.span, super::Def::WorkflowVar(w, v));
                Some((v, ty))
            }
            _ if self.workflow_names[w.index()]
                .rejected
                .any(segment.name.as_str(), &[DeclKind::Var]) =>
            {
                None
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
                let close = self.suggest.did_you_mean(
                    segment.name.as_str(),
                    workflow.vars.iter().map(|v| v.name.as_str()),
                );
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
                .with_suggestion(close);
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

    /// E0302 when `value` lies outside the range of variable `var` (its name and declaration).
    fn in_range(&mut self, value: Value, ty: Type, span: Span, var: (String, Span)) -> bool {
        match (value, ty) {
            (Value::Int(n), Type::Int { min, max }) if n < min || n > max => {
                let (name, declared) = var;
                self.push(
                    Diagnostic::new(
                        Code::E0302,
                        format!("`{n}` is outside `{min}..{max}`, the range of `{name}`"),
                        span,
                        "out of range",
                    )
                    .with_label(declared, "the range is declared here"),
                );
                false
            }
            _ => true,
        }
    }

    /// Reports a repeated one-off step; true the first time.
    fn once(
        &mut self,
        seen: &mut FxHashMap<String, Span>,
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
                .with_help("keep one of them")
                .with_fix("remove this one", span, ""),
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
            .with_label(target.span, format!("this scenario runs a {target_kind}"))
            .with_note(if target_kind == "workflow" {
                "a workflow scenario's steps are `set`, `fail`, `duration`, `start from`, \
                 `stop at`, `kill at` and `expect`"
            } else {
                "a machine scenario's steps are `set`, `spawn`, `send` and `expect`"
            }),
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

/// A group of children in one instance: the path to the instance (each step a group and an
/// index) and the group. Maps to the number the configuration spawns and its `spawn` step.
type SpawnKey = (Vec<(ChildrenId, u32)>, ChildrenId);

/// `workers[0].members[1]`: the text of a resolved path from an instance of `m`.
fn path_words(r: &Resolver, m: MachineId, steps: &[(ChildrenId, u32)]) -> String {
    let mut at = m;
    let mut words = Vec::new();
    for &(children, index) in steps {
        let group = &r.program.machine(at).children[children.index()];
        words.push(format!("{}[{index}]", group.name.as_str()));
        at = group.machine;
    }
    words.join(".")
}
