//! Runs in words: trace lines, final tables, and their JSON form (schema in specs/cli.md).

use serde::Serialize;

use super::trace::{Event, EventKind, TaskWhy, WorkflowWhy};
use super::workflow::Outcome;
use crate::model::{Link, LinkId, LinkKind, TaskId, Workflow};

/// Names and source text, to put events in words.
pub struct Namer<'a> {
    pub workflow: &'a Workflow,
    /// The file's text: conditions are quoted from it.
    pub source: &'a str,
    /// The run's variable values, shown next to the conditions that read them.
    pub vars: &'a [i64],
    /// The program's enumerations, for members' names.
    pub enums: &'a [crate::model::EnumType],
}

impl Namer<'_> {
    pub fn task(&self, t: TaskId) -> &str {
        self.workflow
            .tasks
            .get(t.index())
            .map_or("?", |t| t.name.as_str())
    }

    /// `a -> b`, or `a -> b on error`.
    pub fn link(&self, l: LinkId) -> String {
        match self.workflow.links.get(l.index()) {
            Some(link) => self.link_text(link),
            None => "?".to_owned(),
        }
    }

    fn link_text(&self, link: &Link) -> String {
        let on_error = if link.kind == LinkKind::Error {
            " on error"
        } else {
            ""
        };
        format!(
            "{} -> {}{on_error}",
            self.task(link.source),
            self.task(link.target)
        )
    }

    fn condition(&self, l: LinkId) -> Option<&str> {
        let condition = self.workflow.links.get(l.index())?.condition.as_ref()?;
        self.source.get(condition.span.range())
    }

    /// `rows = 0`, `mode = full`: the variables link `l`'s condition reads, with their values.
    fn values_read(&self, l: LinkId) -> Vec<String> {
        let Some(condition) = self
            .workflow
            .links
            .get(l.index())
            .and_then(|l| l.condition.as_ref())
        else {
            return Vec::new();
        };
        let mut read: Vec<crate::model::VarId> = Vec::new();
        condition.walk_scope(&mut |e| {
            if let crate::model::ExprKind::Var(v) = e.kind
                && !read.contains(&v)
            {
                read.push(v);
            }
        });
        read.iter()
            .filter_map(|v| {
                let var = self.workflow.vars.get(v.index())?;
                let value = self.vars.get(v.index()).copied()?;
                Some(format!(
                    "{} = {}",
                    var.name.as_str(),
                    self.value_text(var.ty, value)
                ))
            })
            .collect()
    }

    /// A variable's value as written in a spec.
    pub fn value_text(&self, ty: crate::model::Type, value: i64) -> String {
        match ty {
            crate::model::Type::Bool => (value != 0).to_string(),
            crate::model::Type::Enum(_) => self
                .enum_members(ty)
                .and_then(|m| m.get(usize::try_from(value).ok()?).cloned())
                .unwrap_or_else(|| value.to_string()),
            _ => value.to_string(),
        }
    }

    fn enum_members(&self, ty: crate::model::Type) -> Option<Vec<String>> {
        let crate::model::Type::Enum(id) = ty else {
            return None;
        };
        self.enums
            .get(id.index())
            .map(|e| e.members.iter().map(|m| m.as_str().to_owned()).collect())
    }

    /// What the event is about: `workflow`, `task a`, `link a -> b`.
    pub fn subject(&self, event: &Event) -> String {
        match event.kind {
            EventKind::Workflow { .. } => "workflow".to_owned(),
            EventKind::Task { task, .. } => format!("task `{}`", self.task(task)),
            EventKind::Link { link, .. } => format!("link `{}`", self.link(link)),
        }
    }

    /// `FROM -> TO` for tasks and the workflow, `STATE` for links.
    pub fn change(&self, event: &Event) -> String {
        match event.kind {
            EventKind::Workflow { from, to, .. } => format!("{} -> {}", from.as_str(), to.as_str()),
            EventKind::Task { from, to, .. } => format!("{} -> {}", from.as_str(), to.as_str()),
            EventKind::Link { to, .. } => to.as_str().to_owned(),
        }
    }

    /// Why the change happened, in words.
    pub fn reason(&self, event: &Event) -> String {
        match event.kind {
            EventKind::Workflow { why, .. } => match why {
                WorkflowWhy::Started => "the run starts".to_owned(),
                WorkflowWhy::AllDone => "every task that can run is done".to_owned(),
                WorkflowWhy::Failed(t) => format!(
                    "task `{}` failed and `continue_on_failure` is false: nothing else was evaluated or started",
                    self.task(t)
                ),
                WorkflowWhy::StoppedByUser => "stopped by the user".to_owned(),
            },
            EventKind::Task { why, .. } => match why {
                TaskWhy::Unreachable => {
                    "no path of links leads here from the initial nodes".to_owned()
                }
                TaskWhy::NoIncomingLink => "no active incoming link".to_owned(),
                TaskWhy::AllAccepted => "every incoming link is ACCEPTED".to_owned(),
                TaskWhy::OneAccepted(l) => {
                    format!("at_least_one: link `{}` is ACCEPTED", self.link(l))
                }
                TaskWhy::Skipped {
                    failure: Some(l), ..
                } => {
                    format!("link `{}` is SKIPPED_FAILURE", self.link(l))
                }
                TaskWhy::Skipped {
                    failure: None,
                    some_accepted: true,
                } => "all_valid: not every incoming link is ACCEPTED".to_owned(),
                TaskWhy::Skipped {
                    failure: None,
                    some_accepted: false,
                } => "no incoming link is ACCEPTED".to_owned(),
                TaskWhy::Started => "started".to_owned(),
                TaskWhy::Finished { ticks } => format!("ran {}", plural(ticks, "tick")),
                TaskWhy::FailedAsTold { ticks } => {
                    format!("failed after {}, as told", plural(ticks, "tick"))
                }
                TaskWhy::FailedAtRandom { ticks } => {
                    format!(
                        "failed after {}, drawn from its failure_rate",
                        plural(ticks, "tick")
                    )
                }
                TaskWhy::Stopped => "was running when the user stopped the workflow".to_owned(),
                TaskWhy::Killed => "was running when the process was killed".to_owned(),
            },
            EventKind::Link {
                link,
                source,
                condition,
                ..
            } => {
                let source_name = self
                    .workflow
                    .links
                    .get(link.index())
                    .map_or("?", |l| self.task(l.source));
                let mut text = format!("`{source_name}` is {}", source.as_str());
                if let (Some(value), Some(cond)) = (condition, self.condition(link)) {
                    text.push_str(&format!(", condition `{cond}` is {value}"));
                    let values = self.values_read(link);
                    if !values.is_empty() {
                        text.push_str(&format!(" ({})", values.join(", ")));
                    }
                }
                text
            }
        }
    }

    /// One line of the human trace.
    pub fn line(&self, event: &Event) -> String {
        format!(
            "tick {:>3}  {}: {}  ({})",
            event.tick,
            self.subject(event),
            self.change(event),
            self.reason(event)
        )
    }

    pub fn json_event(&self, event: &Event) -> JsonEvent {
        let (kind, name, from, to) = match event.kind {
            EventKind::Workflow { from, to, .. } => {
                ("workflow", None, Some(from.as_str()), to.as_str())
            }
            EventKind::Task { task, from, to, .. } => (
                "task",
                Some(self.task(task).to_owned()),
                Some(from.as_str()),
                to.as_str(),
            ),
            EventKind::Link { link, to, .. } => ("link", Some(self.link(link)), None, to.as_str()),
        };
        JsonEvent {
            tick: event.tick,
            kind,
            name,
            from,
            to,
            reason: self.reason(event),
        }
    }

    pub fn json_outcome(&self, outcome: &Outcome) -> JsonOutcome {
        JsonOutcome {
            workflow: outcome.workflow.as_str(),
            ticks: outcome.ticks,
            tasks: self
                .workflow
                .tasks
                .iter()
                .zip(&outcome.tasks)
                .map(|(task, state)| JsonState {
                    name: task.name.as_str().to_owned(),
                    state: Some(state.as_str()),
                })
                .collect(),
            links: self
                .workflow
                .links
                .iter()
                .zip(&outcome.links)
                .map(|(link, state)| JsonState {
                    name: self.link_text(link),
                    state: state.map(|s| s.as_str()),
                })
                .collect(),
        }
    }

    /// The final table: every task's state, every link's state, the workflow's.
    pub fn table(&self, outcome: &Outcome) -> String {
        let mut out = String::new();
        let width = self
            .workflow
            .tasks
            .iter()
            .map(|t| t.name.as_str().len())
            .max()
            .unwrap_or(0);
        out.push_str("tasks:\n");
        for (task, state) in self.workflow.tasks.iter().zip(&outcome.tasks) {
            out.push_str(&format!(
                "  {:<width$}  {}\n",
                task.name.as_str(),
                state.as_str()
            ));
        }
        if !self.workflow.links.is_empty() {
            let names: Vec<String> = self
                .workflow
                .links
                .iter()
                .map(|l| self.link_text(l))
                .collect();
            let width = names.iter().map(String::len).max().unwrap_or(0);
            out.push_str("links:\n");
            for (name, state) in names.iter().zip(&outcome.links) {
                let state = state.map_or("(no state: never evaluated)", |s| s.as_str());
                out.push_str(&format!("  {name:<width$}  {state}\n"));
            }
        }
        out.push_str(&format!(
            "workflow: {} after {}\n",
            outcome.workflow.as_str(),
            plural(outcome.ticks, "tick")
        ));
        out
    }
}

/// Whether `event` concerns task `t` (its own changes or its incoming links).
pub fn concerns_task(workflow: &Workflow, event: &Event, t: TaskId) -> bool {
    match event.kind {
        EventKind::Task { task, .. } => task == t,
        EventKind::Link { link, .. } => workflow
            .links
            .get(link.index())
            .is_some_and(|l| l.target == t),
        EventKind::Workflow { .. } => false,
    }
}

#[derive(Debug, Serialize)]
pub struct JsonEvent {
    pub tick: u64,
    /// `workflow`, `task` or `link`.
    pub kind: &'static str,
    /// The task's name, or the link as `a -> b` / `a -> b on error`; absent for the workflow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The state before; absent for a link (it had none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<&'static str>,
    pub to: &'static str,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct JsonState {
    pub name: String,
    /// `null` for a link that never got a state.
    pub state: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct JsonOutcome {
    pub workflow: &'static str,
    pub ticks: u64,
    pub tasks: Vec<JsonState>,
    pub links: Vec<JsonState>,
}

pub fn plural(n: impl Into<u64>, word: &str) -> String {
    let n: u64 = n.into();
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
