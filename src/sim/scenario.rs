//! Scenarios: a run configured by the scenario's steps, then its expectations checked against
//! the run's end. A failed `expect` is an E0500 finding on that line, with the actual values and
//! the part of the trace that decided them.

use super::code::{compare, sum, value_to_i64};
use super::render::{Namer, concerns_task};
use super::trace::{Event, EventKind};
use super::workflow::{Compiled, Inputs, Outcome};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::*;
use crate::source::Span;

/// How a scenario ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    /// One finding per unmet expectation.
    Failed(Vec<Diagnostic>),
    /// Not run, and why.
    Skipped(&'static str),
}

/// One scenario's result, with the run it made.
#[derive(Debug)]
pub struct ScenarioResult {
    /// Index into `Program::scenarios`.
    pub scenario: usize,
    pub verdict: Verdict,
    pub run: Option<(Outcome, Vec<Event>)>,
    /// A machine scenario's states entered and transitions taken (for `wfl test --coverage`).
    pub visits: Option<super::coverage::MachineVisits>,
}

/// At most this many trace lines are quoted under a failed expectation.
const TRACE_EXCERPT: usize = 12;

/// The note quoting the last trace lines that concern a failed expectation (workflow and machine
/// scenarios alike); `None` when no line does.
pub fn trace_excerpt(lines: &[String]) -> Option<String> {
    if lines.is_empty() {
        return None;
    }
    let skipped = lines.len().saturating_sub(TRACE_EXCERPT);
    let mut note = String::from("the run, as it concerns this expectation:");
    if skipped > 0 {
        note.push_str(&format!("\n  … {skipped} earlier events"));
    }
    for line in lines.iter().skip(skipped) {
        note.push_str("\n  ");
        note.push_str(line);
    }
    Some(note)
}

/// The inputs a workflow scenario's steps give a run.
pub fn inputs(scenario: &Scenario) -> Inputs {
    let mut inputs = Inputs::default();
    for step in &scenario.steps {
        match &step.kind {
            StepKind::Set { var, value, .. } => inputs.vars.push((*var, value_to_i64(*value))),
            StepKind::Fail(tasks) => inputs.fail.extend(tasks),
            StepKind::Duration(task, ticks) => inputs.durations.push((*task, *ticks)),
            StepKind::StartFrom(tasks) => inputs.start_from = Some(tasks.clone()),
            StepKind::StopAt(tick) => inputs.stop_at = Some(*tick),
            StepKind::KillAt(tick) => inputs.kill_at = Some(*tick),
            StepKind::Spawn { .. } | StepKind::Send { .. } | StepKind::Expect(_) => {}
        }
    }
    inputs
}

/// Runs scenario `index` of `program`; `compiled[w]` is workflow `w` compiled.
pub fn run(program: &Program, compiled: &[Compiled], index: usize, source: &str) -> ScenarioResult {
    let Some(scenario) = program.scenarios.get(index) else {
        return ScenarioResult {
            scenario: index,
            verdict: Verdict::Skipped("no such scenario"),
            run: None,
            visits: None,
        };
    };
    let ScenarioTarget::Workflow(w) = scenario.target else {
        return ScenarioResult {
            scenario: index,
            verdict: Verdict::Skipped(
                "machine scenarios run once the machine interpreter is built",
            ),
            run: None,
            visits: None,
        };
    };
    let (Some(workflow), Some(compiled)) =
        (program.workflows.get(w.index()), compiled.get(w.index()))
    else {
        return ScenarioResult {
            scenario: index,
            verdict: Verdict::Skipped("its workflow could not be compiled"),
            run: None,
            visits: None,
        };
    };
    let inputs = inputs(scenario);
    let mut trace = Vec::new();
    let outcome = compiled.run(&inputs, &[], Some(&mut trace));
    let namer = Namer {
        workflow,
        source,
        vars: &outcome.vars,
        enums: &program.enums,
    };
    let checker = Expectations {
        namer: &namer,
        outcome: &outcome,
        vars: &outcome.vars,
        trace: &trace,
    };
    let failures: Vec<Diagnostic> = scenario
        .steps
        .iter()
        .filter_map(|step| match &step.kind {
            StepKind::Expect(expr) => checker.check(expr),
            _ => None,
        })
        .collect();
    let verdict = if failures.is_empty() {
        Verdict::Passed
    } else {
        Verdict::Failed(failures)
    };
    ScenarioResult {
        scenario: index,
        verdict,
        run: Some((outcome, trace)),
        visits: None,
    }
}

struct Expectations<'a> {
    namer: &'a Namer<'a>,
    outcome: &'a Outcome,
    vars: &'a [i64],
    trace: &'a [Event],
}

impl Expectations<'_> {
    /// `None` when `expr` holds; the finding otherwise.
    fn check(&self, expr: &Expr) -> Option<Diagnostic> {
        if self.eval(expr) == Some(1) {
            return None;
        }
        let text = self
            .namer
            .source
            .get(expr.span.range())
            .unwrap_or("the expectation");
        let mut subjects = Vec::new();
        collect_subjects(expr, &mut subjects);
        let actual: Vec<String> = subjects.iter().map(|s| self.actual(*s)).collect();
        let label = if actual.is_empty() {
            "this is false".to_owned()
        } else {
            format!("but {}", actual.join(", "))
        };
        let mut diagnostic = Diagnostic::new(
            Code::E0500,
            format!("expectation failed: `{text}`"),
            expr.span,
            label,
        );
        let lines: Vec<String> = self
            .trace
            .iter()
            .filter(|e| subjects.iter().any(|s| self.concerns(*s, e)))
            .map(|e| self.namer.line(e))
            .collect();
        if let Some(note) = trace_excerpt(&lines) {
            diagnostic = diagnostic.with_note(note);
        }
        Some(diagnostic.with_help("run `wfl simulate` with `--scenario` for the whole trace"))
    }

    fn actual(&self, subject: Subject) -> String {
        match subject {
            Subject::Task(t) => {
                let state = self
                    .outcome
                    .tasks
                    .get(t.index())
                    .map_or("?", |s| s.as_str());
                format!("`{}` is {state}", self.namer.task(t))
            }
            Subject::Link(l) => match self.outcome.links.get(l.index()).copied().flatten() {
                Some(state) => format!("link `{}` is {}", self.namer.link(l), state.as_str()),
                None => format!("link `{}` never got a state", self.namer.link(l)),
            },
            Subject::Workflow => format!("the workflow is {}", self.outcome.workflow.as_str()),
            Subject::Var(v) => match self.namer.workflow.vars.get(v.index()) {
                Some(var) => {
                    let value = self.vars.get(v.index()).copied().unwrap_or(0);
                    format!(
                        "`{}` is {}",
                        var.name.as_str(),
                        self.namer.value_text(var.ty, value)
                    )
                }
                None => "a variable".to_owned(),
            },
        }
    }

    fn concerns(&self, subject: Subject, event: &Event) -> bool {
        match subject {
            Subject::Task(t) => concerns_task(self.namer.workflow, event, t),
            Subject::Link(l) => match event.kind {
                EventKind::Link { link, .. } => link == l,
                EventKind::Task { task, .. } => self
                    .namer
                    .workflow
                    .links
                    .get(l.index())
                    .is_some_and(|link| link.source == task),
                EventKind::Workflow { .. } => false,
            },
            Subject::Workflow => matches!(event.kind, EventKind::Workflow { .. }),
            Subject::Var(_) => false,
        }
    }

    /// The value of `expr` after the run; `None` for a link that never got a state (which no
    /// comparison holds for, but `!=`).
    fn eval(&self, expr: &Expr) -> Option<i64> {
        Some(match &expr.kind {
            ExprKind::Const(value) => value_to_i64(*value),
            ExprKind::Var(v) => self.vars.get(v.index()).copied().unwrap_or(0),
            ExprKind::TaskState(t) => self.outcome.tasks.get(t.index()).map_or(0, |s| *s as i64),
            ExprKind::LinkState(l) => (*self.outcome.links.get(l.index())?)? as i64,
            ExprKind::WorkflowState => self.outcome.workflow as i64,
            ExprKind::Not(inner) => i64::from(self.eval(inner) == Some(0)),
            ExprKind::Logic(op, operands) => {
                let mut values = operands.iter().map(|e| self.eval(e) == Some(1));
                i64::from(match op {
                    LogicOp::And => values.all(|v| v),
                    LogicOp::Or => values.any(|v| v),
                })
            }
            ExprKind::Compare(op, lhs, rhs) => match (self.eval(lhs), self.eval(rhs)) {
                (Some(a), Some(b)) => i64::from(compare(*op, a, b)),
                _ => i64::from(*op == CmpOp::Ne),
            },
            ExprKind::In(lhs, set) => {
                let x = self.eval(lhs);
                i64::from(x.is_some_and(|x| set.iter().any(|v| value_to_i64(*v) == x)))
            }
            ExprKind::Sum(first, rest) => {
                let mut total = self.eval(first)?;
                for (op, e) in rest {
                    let x = self.eval(e)?;
                    total = sum(*op, total, x);
                }
                total
            }
            // Machine-only forms: the resolver keeps them out of workflow scenarios.
            ExprKind::State
            | ExprKind::View(_)
            | ExprKind::Quantifier { .. }
            | ExprKind::At { .. } => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Subject {
    Task(TaskId),
    Link(LinkId),
    Workflow,
    Var(VarId),
}

fn collect_subjects(expr: &Expr, out: &mut Vec<Subject>) {
    expr.walk_scope(&mut |e| {
        let subject = match e.kind {
            ExprKind::TaskState(t) => Subject::Task(t),
            ExprKind::LinkState(l) => Subject::Link(l),
            ExprKind::WorkflowState => Subject::Workflow,
            ExprKind::Var(v) => Subject::Var(v),
            _ => return,
        };
        if !out.contains(&subject) {
            out.push(subject);
        }
    });
}

/// Span of a scenario's name, for findings about the whole scenario.
pub fn scenario_span(scenario: &Scenario) -> Span {
    scenario.name.span
}
