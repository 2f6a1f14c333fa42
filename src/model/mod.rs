//! The resolved program: every name replaced by a dense index, every expression typed.
//!
//! This is what the checks, the compiler and the interpreter consume; nothing after `resolve`
//! looks at names or at the syntax tree again. Spans stay, so every later finding can point at
//! the source.

mod expr;
mod ids;
mod runtime;

pub use expr::{Expr, ExprKind, InstancePath, PathStep, Type, Value};
pub use ids::*;
pub use runtime::{LinkState, TaskState, WorkflowState};

pub use crate::syntax::ast::{
    AddOp, CmpOp, HookKind, Input, LogicOp, Name, Origin, QuantKind, StateKind,
};

use crate::source::Span;

/// Everything one file defines.
#[derive(Debug, Default)]
pub struct Program {
    pub workflows: Vec<Workflow>,
    pub machines: Vec<Machine>,
    pub scenarios: Vec<Scenario>,
    /// Enumeration types of variables, indexed by [`EnumId`].
    pub enums: Vec<EnumType>,
    /// Event names, interned: [`EventId`] indexes this.
    pub events: Vec<String>,
    /// Actor names, interned: [`ActorId`] indexes this.
    pub actors: Vec<String>,
    /// How often each event is named, indexed like `events`.
    pub event_uses: Vec<NameUses>,
    /// How often each actor is named, indexed like `actors`.
    pub actor_uses: Vec<NameUses>,
}

/// How often an event or an actor is named in the file (declarations, transitions, actions,
/// scenarios), and where a transition first names it, in which machine.
#[derive(Clone, Copy, Debug, Default)]
pub struct NameUses {
    pub count: u32,
    pub in_transition: Option<(Span, MachineId)>,
}

impl Program {
    pub fn workflow(&self, id: WorkflowId) -> &Workflow {
        &self.workflows[id.index()]
    }

    pub fn machine(&self, id: MachineId) -> &Machine {
        &self.machines[id.index()]
    }

    pub fn enum_type(&self, id: EnumId) -> &EnumType {
        &self.enums[id.index()]
    }

    pub fn event(&self, id: EventId) -> &str {
        &self.events[id.index()]
    }

    pub fn actor(&self, id: ActorId) -> &str {
        &self.actors[id.index()]
    }

    /// The events that take a transition as its `on` names them: `go or start`; with `quote`,
    /// each in backquotes (`` `go` or `start` ``), as messages write names.
    pub fn events_text(&self, t: &Transition, quote: bool) -> String {
        let names: Vec<String> = t
            .events()
            .iter()
            .map(|&e| match quote {
                true => format!("`{}`", self.event(e)),
                false => self.event(e).to_owned(),
            })
            .collect();
        names.join(" or ")
    }
}

#[derive(Debug)]
pub struct EnumType {
    pub members: Vec<Name>,
}

/// `var name: type = default`
#[derive(Debug)]
pub struct Var {
    pub name: Name,
    pub doc: Option<String>,
    /// A machine variable the outside sets, and when (`[initial] input var`); `None`: only
    /// actions change it (and scenarios, which may set any variable).
    pub input: Option<Input>,
    pub ty: Type,
    pub default: Value,
    pub span: Span,
}

// ---- workflows ------------------------------------------------------------------------------

#[derive(Debug)]
pub struct Workflow {
    pub name: Name,
    pub title: Option<String>,
    pub doc: Option<String>,
    pub continue_on_failure: bool,
    /// At most this many tasks `RUNNING` at once; `None`: no limit.
    pub max_parallel: Option<u32>,
    /// The declared `start` tasks and the span of the property; `None`: every task with no
    /// incoming link.
    pub start: Option<(Vec<TaskId>, Span)>,
    pub vars: Vec<Var>,
    pub tasks: Vec<Task>,
    pub links: Vec<Link>,
    pub span: Span,
}

impl Workflow {
    pub fn task(&self, id: TaskId) -> &Task {
        &self.tasks[id.index()]
    }

    pub fn link(&self, id: LinkId) -> &Link {
        &self.links[id.index()]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accept {
    AllValid,
    AtLeastOne,
}

#[derive(Debug)]
pub struct Task {
    pub name: Name,
    pub doc: Option<String>,
    pub accept: Accept,
    /// Ticks spent `RUNNING`, at least 1.
    pub duration: u32,
    /// Chance of failing in a random run, in `0..=1`.
    pub failure_rate: f64,
    /// The whole `task …` declaration.
    pub decl_span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LinkKind {
    Normal,
    Error,
}

#[derive(Debug)]
pub struct Link {
    pub source: TaskId,
    pub target: TaskId,
    pub kind: LinkKind,
    pub condition: Option<Expr>,
    /// The link statement (shared by the pairs a list link stands for).
    pub span: Span,
    pub source_span: Span,
    pub target_span: Span,
}

// ---- machines -------------------------------------------------------------------------------

#[derive(Debug)]
pub struct Machine {
    pub name: Name,
    pub title: Option<String>,
    pub doc: Option<String>,
    pub vars: Vec<Var>,
    pub children: Vec<Children>,
    /// The events the machine takes, when it declares them (`event …`); `None`: it does not, and
    /// any event is one.
    pub events: Option<Vec<Declared<EventId>>>,
    /// The actors the machine knows, when it declares them (`actor …`); `None`: it does not, and
    /// any actor is one.
    pub actors: Option<Vec<Declared<ActorId>>>,
    /// Events declared `external event` (sent from outside too) and `internal event` (never
    /// from outside): where the outside's default (the events no action sends) is overridden.
    pub origins: Vec<(EventId, Origin)>,
    pub states: Vec<State>,
    pub initials: Vec<Initial>,
    pub transitions: Vec<Transition>,
    pub views: Vec<View>,
    pub span: Span,
}

impl Machine {
    pub fn state(&self, id: StateId) -> &State {
        &self.states[id.index()]
    }

    pub fn state_ids(&self) -> impl Iterator<Item = StateId> + use<> {
        (0..self.states.len()).map(StateId::from_index)
    }

    /// Every action of the machine: those of its transitions, then its states' hooks.
    pub fn actions(&self) -> impl Iterator<Item = &Action> {
        (self.transitions.iter().flat_map(|t| &t.actions)).chain(
            self.states
                .iter()
                .flat_map(|s| s.on_enter.iter().chain(&s.on_exit)),
        )
    }
}

/// One name of an `event …` or `actor …` statement.
#[derive(Debug)]
pub struct Declared<I> {
    pub id: I,
    /// The name where the statement writes it.
    pub name: Name,
    /// The statement's doc comment.
    pub doc: Option<String>,
}

/// `children NAME: MACHINE`
#[derive(Debug)]
pub struct Children {
    pub name: Name,
    pub machine: MachineId,
    pub span: Span,
}

#[derive(Debug)]
pub struct State {
    pub name: Name,
    pub doc: Option<String>,
    pub kind: StateKind,
    pub on_enter: Vec<Action>,
    pub on_exit: Vec<Action>,
}

/// `initial -> S [when GUARD]`
#[derive(Debug)]
pub struct Initial {
    pub target: StateId,
    pub guard: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    State(StateId),
    /// Back to the state the instance was in before it entered the source state.
    History,
}

#[derive(Debug)]
pub struct Transition {
    /// The source states, `*` expanded to every non-final state.
    pub sources: Vec<StateId>,
    /// Written as `*`.
    pub any_source: bool,
    /// The span of each source as written (the `*` for every source when `any_source`).
    pub source_spans: Vec<Span>,
    pub target: Target,
    pub target_span: Span,
    /// The events of its `on` (`on go or start`), each once, in the order written; empty for an
    /// event-less transition. Read through [`Transition::events`] and
    /// [`Transition::is_eventless`].
    pub events: Vec<EventId>,
    pub actor: Option<ActorId>,
    pub guard: Option<Expr>,
    pub actions: Vec<Action>,
    pub doc: Option<String>,
    pub span: Span,
}

impl Transition {
    /// The events that take it, any one of them (specs/semantics.md, section 14.3); none for an
    /// event-less transition.
    pub fn events(&self) -> &[EventId] {
        &self.events
    }

    /// Whether it has no `on`: it is taken as soon as its guard holds, never by an event.
    pub fn is_eventless(&self) -> bool {
        self.events.is_empty()
    }
}

#[derive(Debug)]
pub struct View {
    pub name: Name,
    pub doc: Option<String>,
    pub expr: Expr,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum SendTarget {
    Parent,
    Children {
        children: ChildrenId,
        /// Only the children in one of these states.
        states: Option<Vec<StateId>>,
    },
    /// `send E to one GROUP [in STATES]`: the lowest-numbered child of the group (in one of the
    /// states), if there is one.
    One {
        children: ChildrenId,
        states: Option<Vec<StateId>>,
    },
    /// `send E to GROUP[INDEX]`: the child with the index `INDEX` (an `int` of the sender) has when
    /// the action runs, if there is one.
    Index {
        children: ChildrenId,
        index: Expr,
    },
}

impl SendTarget {
    /// The group whose children it addresses one by one, by their numbers (`one` or an index):
    /// what it does depends on the order of the group's children.
    pub fn numbered(&self) -> Option<ChildrenId> {
        match self {
            SendTarget::One { children, .. } | SendTarget::Index { children, .. } => {
                Some(*children)
            }
            SendTarget::Parent | SendTarget::Children { .. } => None,
        }
    }

    /// The children group it sends to, whole or one child of it.
    pub fn group(&self) -> Option<ChildrenId> {
        match self {
            SendTarget::Children { children, .. } => Some(*children),
            other => other.numbered(),
        }
    }
}

#[derive(Clone, Debug)]
pub enum ActionKind {
    Set { var: VarId, value: Expr },
    Send { event: EventId, target: SendTarget },
    Raise { event: EventId },
}

#[derive(Clone, Debug)]
pub struct Action {
    pub kind: ActionKind,
    pub span: Span,
}

impl Action {
    /// The expression the action evaluates in its instance: a `set`'s value, or the index of a
    /// `send … to GROUP[INDEX]`.
    pub fn expr(&self) -> Option<&Expr> {
        match &self.kind {
            ActionKind::Set { value, .. } => Some(value),
            ActionKind::Send {
                target: SendTarget::Index { index, .. },
                ..
            } => Some(index),
            ActionKind::Send { .. } | ActionKind::Raise { .. } => None,
        }
    }
}

// ---- scenarios ------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScenarioTarget {
    Workflow(WorkflowId),
    Machine(MachineId),
}

#[derive(Debug)]
pub struct Scenario {
    pub name: Name,
    pub doc: Option<String>,
    pub target: ScenarioTarget,
    pub steps: Vec<Step>,
    pub span: Span,
}

#[derive(Debug)]
pub enum StepKind {
    /// `set [PATH.]VAR = VALUE` (the path is empty for workflows and for the root instance).
    Set {
        path: InstancePath,
        var: VarId,
        value: Value,
    },
    Fail(Vec<TaskId>),
    Duration(TaskId, u32),
    StartFrom(Vec<TaskId>),
    StopAt(u32),
    KillAt(u32),
    /// `spawn [PATH.]CHILDREN * COUNT`
    Spawn {
        path: InstancePath,
        children: ChildrenId,
        count: u32,
    },
    /// `send EVENT [to PATH] [by ACTOR]`
    Send {
        event: EventId,
        to: InstancePath,
        by: Option<ActorId>,
    },
    Expect(Expr),
}

#[derive(Debug)]
pub struct Step {
    pub kind: StepKind,
    pub span: Span,
}
