//! Machine runs in words: instance paths, trace lines, the final configuration, run errors as
//! findings, and the JSON forms (schema in specs/cli.md).

use std::borrow::Cow;

use serde::Serialize;

use super::machine::{Event, InstanceId, Missing, RunError, World};
use crate::diagnostic::render::line_text;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{
    ActorId, EventId, MachineId, Program, StateId, StateKind, Target, Transition, Type, VarId,
};
use crate::source::Span;

/// Names and source text, to put a machine run in words.
pub struct MachineNamer<'a> {
    pub program: &'a Program,
    pub source: &'a str,
}

impl MachineNamer<'_> {
    /// `root`, `workers[0]`, `members[1].members[0]`.
    pub fn path(&self, world: &World<'_>, i: InstanceId) -> String {
        let mut parts = Vec::new();
        let mut at = i;
        while let Some(instance) = world.instances.get(at as usize) {
            let (Some(parent), Some((group, index))) = (instance.parent, instance.slot) else {
                break;
            };
            let parent_machine = world.instances.get(parent as usize).map(|p| p.machine);
            let name = parent_machine
                .and_then(|m| self.program.machines.get(m.index()))
                .and_then(|m| m.children.get(group.index()))
                .map_or("?", |c| c.name.as_str());
            parts.push(format!("{name}[{index}]"));
            at = parent;
        }
        if parts.is_empty() {
            return "root".to_owned();
        }
        parts.reverse();
        parts.join(".")
    }

    pub fn state(&self, machine: MachineId, s: StateId) -> &str {
        self.program
            .machines
            .get(machine.index())
            .and_then(|m| m.states.get(s.index()))
            .map_or("?", |s| s.name.as_str())
    }

    fn machine_of(&self, world: &World<'_>, i: InstanceId) -> MachineId {
        world
            .instances
            .get(i as usize)
            .map_or(MachineId(0), |i| i.machine)
    }

    fn event(&self, e: EventId) -> &str {
        self.program
            .events
            .get(e.index())
            .map_or("?", String::as_str)
    }

    pub fn var(&self, machine: MachineId, v: VarId) -> &str {
        self.program
            .machines
            .get(machine.index())
            .and_then(|m| m.vars.get(v.index()))
            .map_or("?", |v| v.name.as_str())
    }

    /// A variable's value as written in a spec.
    pub fn value(&self, machine: MachineId, v: VarId, value: i64) -> String {
        let ty = self
            .program
            .machines
            .get(machine.index())
            .and_then(|m| m.vars.get(v.index()))
            .map(|v| v.ty);
        match ty {
            Some(Type::Bool) => (value != 0).to_string(),
            Some(Type::Enum(id)) => self
                .program
                .enums
                .get(id.index())
                .and_then(|e| e.members.get(usize::try_from(value).ok()?))
                .map_or_else(|| value.to_string(), |m| m.as_str().to_owned()),
            _ => value.to_string(),
        }
    }

    /// Why no transition of `machine` took `event` (from `actor`) in `state`, in the order the
    /// interpreter tries them (specs/semantics.md, section 14.3): a final state takes nothing; else
    /// no transition of the state names the event, or those that do want another sender, or the
    /// guards of those that accept it are all false.
    fn why_ignored(
        &self,
        machine: MachineId,
        state: StateId,
        event: EventId,
        actor: Option<ActorId>,
    ) -> String {
        let Some(m) = self.program.machines.get(machine.index()) else {
            return "no transition takes it".to_owned();
        };
        if m.states
            .get(state.index())
            .is_some_and(|s| s.kind == StateKind::Final)
        {
            return "a final state takes no event".to_owned();
        }
        let naming: Vec<&Transition> = m
            .transitions
            .iter()
            .filter(|t| t.sources.contains(&state) && t.events().contains(&event))
            .collect();
        let state_name = self.state(machine, state);
        let Some(first) = naming.first() else {
            return format!("no transition from {state_name} takes it");
        };
        let accepting: Vec<&&Transition> = naming
            .iter()
            .filter(|t| t.actor.is_none() || t.actor == actor)
            .collect();
        let arrow = |t: &Transition| {
            let target = match t.target {
                Target::State(s) => self.state(machine, s),
                Target::History => "history",
            };
            format!("{state_name} -> {target}")
        };
        let Some(taker) = accepting.first() else {
            let mut wanted: Vec<&str> = Vec::new();
            for t in &naming {
                let name = t
                    .actor
                    .and_then(|a| self.program.actors.get(a.index()))
                    .map_or("?", String::as_str);
                if !wanted.contains(&name) {
                    wanted.push(name);
                }
            }
            let wanted = wanted.join(" or ");
            let those = if naming.len() == 1 {
                format!("`{}` takes it", arrow(first))
            } else {
                "the transitions that name it take it".to_owned()
            };
            return format!("{those} only by {wanted}");
        };
        let guard = |t: &Transition| {
            t.guard
                .as_ref()
                .and_then(|g| self.source.get(g.span.range()))
                .unwrap_or("?")
                .to_owned()
        };
        if accepting.len() == 1 {
            format!(
                "the guard `{}` of `{}` is false",
                guard(taker),
                arrow(taker)
            )
        } else {
            "the guards of the transitions that take it are all false".to_owned()
        }
    }

    /// The instance an event is about.
    pub fn instance_of(event: &Event) -> InstanceId {
        match *event {
            Event::Initial { instance, .. }
            | Event::Step { instance, .. }
            | Event::Ignored { instance, .. }
            | Event::Set { instance, .. }
            | Event::NoParent { instance, .. }
            | Event::Unsent { instance, .. } => instance,
            Event::Sent { to, .. } => to,
        }
    }

    /// One line of the human trace.
    pub fn line(&self, world: &World<'_>, event: &Event) -> String {
        // One line, whatever the names in it hold (a state named `"A\nB"`): hidden characters,
        // line breaks among them, are shown escaped.
        let words = self.words(world, event);
        match line_text(&words) {
            Cow::Borrowed(_) => words,
            Cow::Owned(shown) => shown,
        }
    }

    fn words(&self, world: &World<'_>, event: &Event) -> String {
        let who = self.path(world, Self::instance_of(event));
        match *event {
            Event::Initial {
                instance, state, ..
            } => {
                format!(
                    "{who}: initial -> {}",
                    self.state(self.machine_of(world, instance), state)
                )
            }
            Event::Step {
                instance,
                from,
                to,
                transition,
                event,
                actor,
            } => {
                let m = self.machine_of(world, instance);
                let mut text = format!("{who}: {} -> {}", self.state(m, from), self.state(m, to));
                match event {
                    Some(e) => text.push_str(&format!("  on `{}`", self.event(e))),
                    None => text.push_str("  (no event)"),
                }
                if let Some(a) = actor {
                    text.push_str(&format!(
                        " by {}",
                        self.program
                            .actors
                            .get(a.index())
                            .map_or("?", String::as_str)
                    ));
                }
                let guard = self
                    .program
                    .machines
                    .get(m.index())
                    .and_then(|m| m.transitions.get(transition.index()))
                    .and_then(|t| t.guard.as_ref())
                    .and_then(|g| self.source.get(g.span.range()));
                if let Some(guard) = guard {
                    text.push_str(&format!(", `{guard}` holds"));
                }
                text
            }
            Event::Ignored {
                instance,
                state,
                event,
                actor,
            } => {
                let by = actor
                    .map(|a| {
                        format!(
                            " by {}",
                            self.program
                                .actors
                                .get(a.index())
                                .map_or("?", String::as_str)
                        )
                    })
                    .unwrap_or_default();
                let m = self.machine_of(world, instance);
                format!(
                    "{who}: ignores `{}`{by} in {} ({})",
                    self.event(event),
                    self.state(m, state),
                    self.why_ignored(m, state, event, actor)
                )
            }
            Event::Set {
                instance,
                var,
                value,
            } => {
                let m = self.machine_of(world, instance);
                format!(
                    "{who}: set {} = {}",
                    self.var(m, var),
                    self.value(m, var, value)
                )
            }
            Event::Sent { from, event, .. } => {
                format!(
                    "{who}: receives `{}` from {} (queued)",
                    self.event(event),
                    self.path(world, from)
                )
            }
            Event::NoParent { event, .. } => {
                format!(
                    "{who}: `send {} to parent` goes nowhere: it has no parent",
                    self.event(event)
                )
            }
            Event::Unsent {
                instance,
                event,
                children,
                ref missing,
                ..
            } => {
                let group = self
                    .program
                    .machines
                    .get(self.machine_of(world, instance).index())
                    .and_then(|m| m.children.get(children.index()));
                let name = group.map_or("?", |c| c.name.as_str());
                let why = match missing {
                    Missing::InStates(None) => format!("`{name}` has no children"),
                    Missing::InStates(Some(states)) => {
                        let child = group.map_or(MachineId(0), |c| c.machine);
                        let states: Vec<&str> =
                            states.iter().map(|&s| self.state(child, s)).collect();
                        format!("no child of `{name}` in {}", states.join(" or "))
                    }
                    Missing::Index { index, count } => format!(
                        "no `{name}[{index}]` (the group has {count} {})",
                        if *count == 1 { "child" } else { "children" }
                    ),
                };
                format!("{who}: {why}: `{}` not sent", self.event(event))
            }
        }
    }

    /// Every instance with its state and variables, one a line.
    pub fn configuration(&self, world: &World<'_>) -> String {
        let mut out = String::new();
        for (i, instance) in world.instances.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            let state = instance.state.map_or(Cow::Borrowed("(not started)"), |s| {
                line_text(self.state(instance.machine, s))
            });
            out.push_str(&format!("  {}: {state}", self.path(world, i)));
            let vars: Vec<String> = instance
                .vars
                .iter()
                .enumerate()
                .map(|(v, &value)| {
                    let v = VarId::from_index(v);
                    format!(
                        "{} = {}",
                        self.var(instance.machine, v),
                        self.value(instance.machine, v, value)
                    )
                })
                .collect();
            if !vars.is_empty() {
                out.push_str(&format!("  ({})", vars.join(", ")));
            }
            out.push('\n');
        }
        out
    }

    pub fn json_configuration(&self, world: &World<'_>) -> Vec<JsonInstance> {
        world
            .instances
            .iter()
            .enumerate()
            .map(|(i, instance)| JsonInstance {
                path: self.path(world, u32::try_from(i).unwrap_or(u32::MAX)),
                machine: self
                    .program
                    .machines
                    .get(instance.machine.index())
                    .map_or(String::new(), |m| m.name.as_str().to_owned()),
                state: instance
                    .state
                    .map(|s| self.state(instance.machine, s).to_owned()),
                vars: instance
                    .vars
                    .iter()
                    .enumerate()
                    .map(|(v, &value)| {
                        let v = VarId::from_index(v);
                        JsonVar {
                            name: self.var(instance.machine, v).to_owned(),
                            value: self.value(instance.machine, v, value),
                        }
                    })
                    .collect(),
            })
            .collect()
    }

    /// A run error as a finding at `span` (the step that ran into it).
    pub fn error(&self, world: &World<'_>, error: &RunError, span: Span) -> Diagnostic {
        match *error {
            RunError::NoInitialRule { instance } => {
                let m = self.machine_of(world, instance);
                let name = self.program.machines.get(m.index()).map_or("?", |m| m.name.as_str());
                let mut d = Diagnostic::new(
                    Code::E0505,
                    format!("no `initial` rule of `{name}` holds for {}", self.path(world, instance)),
                    span,
                    "the instance is created here",
                );
                if let Some(machine) = self.program.machines.get(m.index()) {
                    for rule in &machine.initials {
                        d = d.with_label(rule.span, "does not hold");
                    }
                }
                d.with_help("end the rules with one without `when`, so some rule always holds")
            }
            RunError::HistoryWithoutEarlierState { instance, transition } => {
                let m = self.machine_of(world, instance);
                let mut d = Diagnostic::new(
                    Code::E0504,
                    format!("{} takes `history` with no earlier state to go back to", self.path(world, instance)),
                    span,
                    "during this step",
                );
                if let Some(t) = self.program.machines.get(m.index()).and_then(|m| m.transitions.get(transition.index())) {
                    d = d.with_label(t.span, "this transition leaves the state the instance was created in");
                }
                d.with_help("name the target state, or make sure the instance entered its state from another one")
            }
            RunError::Livelock {
                steps,
                ref cycle,
                queued,
            } => {
                if let Some((queued, left)) = queued {
                    return Diagnostic::new(
                        Code::E0502,
                        format!("the run cannot become stable within {steps} steps: more events are queued than steps are left"),
                        span,
                        format!("{steps} steps from here cannot deliver the events queued"),
                    )
                    .with_note(format!(
                        "{queued} events were waiting with {left} steps left, and each takes a step to deliver; one event and what follows from it may take {} steps, plus {} per instance",
                        super::machine::MAX_STEPS,
                        super::machine::STEPS_PER_INSTANCE
                    ))
                    .with_help("an event sent to a whole group for every event it receives multiplies the events: send it once, or guard the transition");
                }
                let message = match cycle {
                    Some(cycle) => {
                        // `root: On -> Off -> On`, naming the instance again where it changes.
                        let mut text = String::new();
                        let mut last: Option<InstanceId> = None;
                        for &(i, s) in cycle.iter().chain(cycle.first()) {
                            let state = self.state(self.machine_of(world, i), s);
                            if last == Some(i) {
                                text.push_str(&format!(" -> {state}"));
                            } else {
                                if last.is_some() {
                                    text.push_str(", then ");
                                }
                                text.push_str(&format!("{}: {state}", self.path(world, i)));
                            }
                            last = Some(i);
                        }
                        format!("the run never becomes stable: {text} and again, without end")
                    }
                    None => format!("the run does not become stable within {steps} steps"),
                };
                Diagnostic::new(Code::E0502, message, span, format!("{steps} steps from here without becoming stable"))
                    .with_note(format!(
                        "one event and what follows from it may take {} steps, plus {} per instance",
                        super::machine::MAX_STEPS,
                        super::machine::STEPS_PER_INSTANCE
                    ))
                    .with_help("make a guard of the event-less transitions (or of a `raise`) false once it has fired")
            }
            RunError::OutOfRange { instance, var, value } => {
                let m = self.machine_of(world, instance);
                Diagnostic::new(
                    Code::E0507,
                    format!(
                        "{} sets `{}` to {value}, outside its range",
                        self.path(world, instance),
                        self.var(m, var)
                    ),
                    span,
                    "during this step",
                )
                .with_help("widen the variable's range, or guard the transition")
            }
            RunError::StuckInTransient { instance, state } => Diagnostic::new(
                Code::E0506,
                format!(
                    "{} rests in transient state `{}`",
                    self.path(world, instance),
                    self.state(self.machine_of(world, instance), state)
                ),
                span,
                "after this step",
            )
            .with_note("a transient state must be left at once by an event-less transition; none of its guards holds")
            .with_help("add an event-less transition out of it without `when`, or make the guards cover every case"),
            RunError::TooManyInstances {
                wanted,
                fields,
                depth,
            } => {
                use super::machine::{MAX_DEPTH, MAX_FIELDS, MAX_INSTANCES};
                let message = if wanted > MAX_INSTANCES {
                    format!("the run would create {wanted} instances; at most {MAX_INSTANCES} are allowed")
                } else if fields > MAX_FIELDS {
                    format!("the run would create instances with {fields} variables and children groups in all; at most {MAX_FIELDS} are allowed")
                } else {
                    format!("the run would nest instances {depth} levels below the root; at most {MAX_DEPTH} are allowed")
                };
                Diagnostic::new(Code::E0503, message, span, "the instances are created here")
            }
            RunError::TooMuchWork { work, .. } if work > super::machine::MAX_WORK => Diagnostic::new(
                Code::E0508,
                format!(
                    "the run does more than {} units of work without becoming stable",
                    super::machine::MAX_WORK
                ),
                span,
                format!(
                    "{} units of work from here without becoming stable",
                    super::machine::MAX_WORK
                ),
            )
            .with_note(format!(
                "each instruction of a guard, view, filter or value evaluated, each child a quantifier looks at, and each action run or event queued is a unit of work; one event and what follows from it may take {}",
                super::machine::MAX_WORK
            ))
            .with_help("a guard that looks at every child, evaluated again for each event a child sends, grows with the square of the children: keep a count in a variable instead"),
            RunError::TooMuchWork { .. } => Diagnostic::new(
                Code::E0508,
                format!(
                    "the run has more than {} events in all",
                    super::machine::MAX_EVENTS
                ),
                span,
                "the run has too many events by this step",
            )
            .with_note("every line of the trace is an event: an instance created, an event delivered or ignored, an event-less transition taken, a variable set, an event queued")
            .with_help("run fewer or smaller steps: spawn fewer children, or split the scenario"),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct JsonInstance {
    pub path: String,
    pub machine: String,
    /// `null` before its initial rules ran.
    pub state: Option<String>,
    pub vars: Vec<JsonVar>,
}

#[derive(Debug, Serialize)]
pub struct JsonVar {
    pub name: String,
    pub value: String,
}
