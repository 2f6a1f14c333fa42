//! Machine scenarios (specs/semantics.md, section 14.10): the leading `set` and `spawn` lines configure the
//! instances, which are created at the first other line; then `send`, `set` and `expect` run in
//! order. A run error or an unmet `expect` fails the scenario with a finding on its line.

use super::code::{compare, sum, value_to_i64};
use super::coverage::MachineVisits;
use super::machine::{self, Config, Event, InstanceId, World};
use super::machine_render::MachineNamer;
use super::scenario::{ScenarioResult, Verdict};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::*;
use crate::source::Span;

/// The configuration the leading `set` and `spawn` lines give, and where the rest starts.
pub fn config(scenario: &Scenario) -> (Config, usize) {
    let mut config = Config::default();
    let mut start = scenario.steps.len();
    for (k, step) in scenario.steps.iter().enumerate() {
        match &step.kind {
            StepKind::Set { path, var, value } => config
                .at(&steps(path))
                .vars
                .push((*var, value_to_i64(*value))),
            StepKind::Spawn {
                path,
                children,
                count,
            } => config.at(&steps(path)).spawn.push((*children, *count)),
            _ => {
                start = k;
                break;
            }
        }
    }
    (config, start)
}

fn steps(path: &InstancePath) -> Vec<(ChildrenId, u32)> {
    path.steps.iter().map(|s| (s.children, s.index)).collect()
}

/// Runs machine scenario `index` of `program`.
pub fn run(
    program: &Program,
    compiled: &machine::Compiled,
    index: usize,
    source: &str,
) -> ScenarioResult {
    // The world the scenario ran in, kept for what it visited (`wfl test --coverage`).
    let mut world = None;
    let verdict = match program.scenarios.get(index) {
        Some(scenario) => verdict(program, compiled, scenario, source, &mut world),
        None => Verdict::Skipped("no such scenario"),
    };
    ScenarioResult {
        scenario: index,
        verdict,
        run: None,
        visits: world.as_ref().map(MachineVisits::of),
    }
}

fn verdict<'c>(
    program: &Program,
    compiled: &'c machine::Compiled,
    scenario: &Scenario,
    source: &str,
    slot: &mut Option<World<'c>>,
) -> Verdict {
    let ScenarioTarget::Machine(root) = scenario.target else {
        return Verdict::Skipped("not a machine scenario");
    };
    let namer = MachineNamer { program, source };
    let (config, start) = config(scenario);
    let created_at = scenario
        .steps
        .get(start)
        .map_or(scenario.name.span, |s| s.span);
    let (world, created) = World::new(compiled, root, &config, true);
    let world = slot.insert(world);
    if let Err(error) = created {
        let d = namer.error(world, &error, created_at).with_note(
            "the instances are created when the scenario reaches its first line after the leading `set` and `spawn` lines",
        );
        return Verdict::Failed(vec![d]);
    }
    let mut failures = Vec::new();
    for step in scenario.steps.iter().skip(start) {
        let done = match &step.kind {
            StepKind::Send { event, to, by } => match world.resolve(0, &steps(to)) {
                Some(target) => world.send(target, *event, *by),
                None => return fail(failures, missing(&namer, to, step.span)),
            },
            StepKind::Set { path, var, value } => match world.resolve(0, &steps(path)) {
                Some(target) => world.set(target, *var, value_to_i64(*value)),
                None => return fail(failures, missing(&namer, path, step.span)),
            },
            StepKind::Expect(expr) => {
                let expectations = Expectations {
                    namer: &namer,
                    world,
                };
                if let Some(d) = expectations.check(expr) {
                    failures.push(d);
                }
                Ok(())
            }
            // The resolver keeps workflow steps out of machine scenarios, and `spawn` in front.
            StepKind::Spawn { .. }
            | StepKind::Fail(_)
            | StepKind::Duration(..)
            | StepKind::StartFrom(_)
            | StepKind::StopAt(_)
            | StepKind::KillAt(_) => Ok(()),
        };
        if let Err(error) = done {
            failures.push(namer.error(world, &error, step.span));
            return Verdict::Failed(failures);
        }
    }
    if failures.is_empty() {
        Verdict::Passed
    } else {
        Verdict::Failed(failures)
    }
}

fn fail(mut failures: Vec<Diagnostic>, d: Diagnostic) -> Verdict {
    failures.push(d);
    Verdict::Failed(failures)
}

fn missing(namer: &MachineNamer<'_>, path: &InstancePath, span: Span) -> Diagnostic {
    let at = path.steps.last().map_or(span, |s| s.span);
    let text = namer.source.get(at.range()).unwrap_or("the child");
    // The resolver already reports indexes the scenario never spawns (E0302); this is the
    // run's own guard.
    Diagnostic::new(
        Code::E0302,
        format!("there is no instance `{text}` at this point of the run"),
        at,
        "no such child",
    )
    .with_note(
        "children are numbered from 0, in the order the scenario's `spawn` lines create them",
    )
    .with_label(span, "in this step")
}

struct Expectations<'a, 'w> {
    namer: &'a MachineNamer<'a>,
    world: &'a World<'w>,
}

impl Expectations<'_, '_> {
    fn check(&self, expr: &Expr) -> Option<Diagnostic> {
        if self.eval(0, expr) == Some(1) {
            return None;
        }
        let text = self
            .namer
            .source
            .get(expr.span.range())
            .unwrap_or("the expectation");
        let mut subjects = Vec::new();
        self.subjects(0, expr, &mut subjects);
        let actual: Vec<String> = subjects.iter().map(|(_, words)| words.clone()).collect();
        let label = if actual.is_empty() {
            "this is false".to_owned()
        } else {
            format!("but {}", actual.join(", "))
        };
        let mut d = Diagnostic::new(
            Code::E0500,
            format!("expectation failed: `{text}`"),
            expr.span,
            label,
        );
        let involved: Vec<InstanceId> = subjects.iter().map(|(i, _)| *i).collect();
        let lines: Vec<String> = self
            .world
            .trace
            .iter()
            .flatten()
            .filter(|e| concerns(self.world, e, &involved))
            .map(|e| self.namer.line(self.world, e))
            .collect();
        if let Some(note) = super::scenario::trace_excerpt(&lines) {
            d = d.with_note(note);
        }
        Some(d.with_help("run `wfl simulate` with `--scenario` for the whole trace"))
    }

    /// The instances an expectation reads, each with what it actually is.
    fn subjects(&self, i: InstanceId, expr: &Expr, out: &mut Vec<(InstanceId, String)>) {
        let mut add = |at: InstanceId, words: String| {
            if !out.iter().any(|(_, w)| *w == words) {
                out.push((at, words));
            }
        };
        let who = self.namer.path(self.world, i);
        let machine = self.world.instances.get(i as usize).map(|x| x.machine);
        expr.walk_scope(&mut |e| match &e.kind {
            ExprKind::State => {
                let state = self
                    .world
                    .instances
                    .get(i as usize)
                    .and_then(|x| x.state.map(|s| self.namer.state(x.machine, s).to_owned()))
                    .unwrap_or_else(|| "not started".to_owned());
                add(i, format!("{who} is {state}"));
            }
            ExprKind::Var(v) => {
                if let Some(m) = machine {
                    let value = self
                        .world
                        .instances
                        .get(i as usize)
                        .and_then(|x| x.vars.get(v.index()))
                        .copied()
                        .unwrap_or(0);
                    add(
                        i,
                        format!(
                            "`{}` is {}",
                            self.namer.var(m, *v),
                            self.namer.value(m, *v, value)
                        ),
                    );
                }
            }
            ExprKind::View(_) | ExprKind::Quantifier { .. } => {
                let text = self.namer.source.get(e.span.range()).unwrap_or("?");
                let value = match (self.eval(i, e), e.ty) {
                    (Some(v), Type::Bool) => (v != 0).to_string(),
                    (Some(v), _) => v.to_string(),
                    (None, _) => "unknown".to_owned(),
                };
                add(i, format!("`{text}` is {value}"));
            }
            ExprKind::At { path, expr } => {
                let text = self.namer.source.get(e.span.range()).unwrap_or("?");
                match self.world.resolve(i, &steps(path)) {
                    Some(child) if matches!(expr.kind, ExprKind::State) => {
                        let x = &self.world.instances[child as usize];
                        let state = x
                            .state
                            .map_or("not started", |s| self.namer.state(x.machine, s));
                        add(child, format!("`{text}` is {state}"));
                    }
                    Some(child) => {
                        let value = match (self.eval(child, expr), expr.ty) {
                            (Some(v), Type::Bool) => (v != 0).to_string(),
                            (Some(v), _) => {
                                match (&expr.kind, self.world.instances.get(child as usize)) {
                                    (ExprKind::Var(var), Some(x)) => {
                                        self.namer.value(x.machine, *var, v)
                                    }
                                    _ => v.to_string(),
                                }
                            }
                            (None, _) => "unknown".to_owned(),
                        };
                        add(child, format!("`{text}` is {value}"));
                    }
                    None => add(i, format!("`{text}` does not exist")),
                }
            }
            _ => {}
        });
    }

    /// The value of `expr` in instance `i`; `None` when it reads an instance that does not exist.
    fn eval(&self, i: InstanceId, expr: &Expr) -> Option<i64> {
        let instance = self.world.instances.get(i as usize)?;
        Some(match &expr.kind {
            ExprKind::Const(value) => value_to_i64(*value),
            ExprKind::Var(v) => instance.vars.get(v.index()).copied().unwrap_or(0),
            ExprKind::State => instance.state.map_or(-1, |s| i64::from(s.0)),
            // The view's compiled program, which runs the views it reads once each.
            ExprKind::View(v) => self.world.view(i, *v)?,
            ExprKind::Not(inner) => i64::from(self.eval(i, inner)? == 0),
            ExprKind::Logic(op, operands) => {
                let values: Option<Vec<i64>> = operands.iter().map(|e| self.eval(i, e)).collect();
                let values = values?;
                i64::from(match op {
                    LogicOp::And => values.iter().all(|&v| v != 0),
                    LogicOp::Or => values.iter().any(|&v| v != 0),
                })
            }
            ExprKind::Compare(op, lhs, rhs) => {
                i64::from(compare(*op, self.eval(i, lhs)?, self.eval(i, rhs)?))
            }
            ExprKind::In(lhs, set) => {
                let x = self.eval(i, lhs)?;
                i64::from(set.iter().any(|v| value_to_i64(*v) == x))
            }
            ExprKind::Sum(first, rest) => {
                let mut total = self.eval(i, first)?;
                for (op, e) in rest {
                    let x = self.eval(i, e)?;
                    total = sum(*op, total, x);
                }
                total
            }
            ExprKind::Quantifier {
                kind,
                children,
                states,
                filter,
            } => {
                let group = instance.children.get(children.index())?;
                let (mut counted, mut considered) = (0i64, 0i64);
                for &child in group {
                    let passes = match filter {
                        Some(f) => self.eval(child, f)? != 0,
                        None => true,
                    };
                    if !passes {
                        continue;
                    }
                    considered += 1;
                    let state = self.world.instances.get(child as usize)?.state;
                    if states
                        .as_ref()
                        .is_none_or(|s| state.is_some_and(|st| s.contains(&st)))
                    {
                        counted += 1;
                    }
                }
                match kind {
                    QuantKind::Any => i64::from(counted > 0),
                    QuantKind::All => i64::from(counted == considered),
                    QuantKind::No => i64::from(counted == 0),
                    QuantKind::Count => counted,
                }
            }
            ExprKind::At { path, expr } => {
                let child = self.world.resolve(i, &steps(path))?;
                self.eval(child, expr)?
            }
            ExprKind::TaskState(_) | ExprKind::LinkState(_) | ExprKind::WorkflowState => {
                return None;
            }
        })
    }
}

/// Whether a trace event concerns one of the `involved` instances: it happened to it, or it is a
/// send to one child of that instance's group that reached no child — the event it did not get.
fn concerns(world: &World<'_>, event: &Event, involved: &[InstanceId]) -> bool {
    if involved.contains(&MachineNamer::instance_of(event)) {
        return true;
    }
    let Event::Unsent {
        instance, children, ..
    } = *event
    else {
        return false;
    };
    involved.iter().any(|&i| {
        world.instances.get(i as usize).is_some_and(|x| {
            x.parent == Some(instance) && x.slot.is_some_and(|(group, _)| group == children)
        })
    })
}
