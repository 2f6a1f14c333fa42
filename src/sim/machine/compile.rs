//! The machines of a program compiled for the interpreter: per state, the transitions that leave
//! it by event; guards, values, filters and views as stack programs; actions as a small list.

use std::sync::Arc;

use super::index;
use crate::model::{ActionKind, MachineId, Program, SendTarget, StateId, StateKind, Target, Type};
use crate::sim::code::{Code, Unsupported, value_to_i64};
use crate::source::Span;

/// Every machine of a program, ready to run.
#[derive(Debug)]
pub struct Compiled {
    pub(super) machines: Vec<CMachine>,
}

impl CMachine {
    /// The transitions leaving `state` on `event` (event-less ones for `None`), in file order.
    pub(super) fn on_event(
        &self,
        state: StateId,
        event: Option<u32>,
    ) -> impl Iterator<Item = u32> + '_ {
        let list = self
            .from_state
            .get(state.index())
            .map_or(&[][..], Vec::as_slice);
        let start = list.partition_point(|&(e, _)| e < event);
        let len = list[start..].partition_point(|&(e, _)| e == event);
        list[start..start + len].iter().map(|&(_, t)| t)
    }
}

#[derive(Debug)]
pub(super) struct CMachine {
    pub(super) kinds: Vec<StateKind>,
    pub(super) defaults: Vec<i64>,
    /// Per variable: its integer range, checked when an action sets it.
    pub(super) ranges: Vec<Option<(i64, i64)>>,
    /// Per children group: the child machine.
    pub(super) children: Vec<u32>,
    pub(super) initials: Vec<(u32, Option<Code>)>,
    pub(super) transitions: Vec<CTransition>,
    /// Per state: the transitions leaving it, as (event, transition), by event (event-less
    /// first) and in file order for each event, so that those of one event are found by a binary
    /// search (see [`CMachine::on_event`]): a state with a transition per event would otherwise
    /// cost the square of its transitions to explore. A transition on several events (`on go or
    /// start`) is listed under each.
    pub(super) from_state: Vec<Vec<(Option<u32>, u32)>>,
    /// Per state: whether an event-less transition leaves it (stabilisation looks only there).
    pub(super) eventless: Vec<bool>,
    pub(super) on_enter: Vec<Vec<CAction>>,
    pub(super) on_exit: Vec<Vec<CAction>>,
    /// Per view: its program, which the programs that read it run (see
    /// [`Env::view`](crate::sim::code::Env::view)).
    pub(super) views: Vec<Code>,
}

#[derive(Debug)]
pub(super) struct CTransition {
    pub(super) target: Target,
    pub(super) actor: Option<u32>,
    pub(super) guard: Option<Code>,
    pub(super) actions: Vec<CAction>,
}

#[derive(Debug)]
pub(super) enum CAction {
    Set {
        var: u32,
        value: Code,
    },
    SendChildren {
        event: u32,
        children: u32,
        states: Option<Vec<u32>>,
    },
    /// `send … to one GROUP [in STATES]`.
    SendOne {
        event: u32,
        children: u32,
        states: Option<Arc<[StateId]>>,
        span: Span,
    },
    /// `send … to GROUP[INDEX]`.
    SendIndex {
        event: u32,
        children: u32,
        index: Code,
        span: Span,
    },
    SendParent {
        event: u32,
    },
    Raise {
        event: u32,
    },
}

impl Compiled {
    pub fn new(program: &Program) -> Result<Compiled, Unsupported> {
        let mut machines = Vec::with_capacity(program.machines.len());
        for (m, machine) in program.machines.iter().enumerate() {
            let id = Some(MachineId::from_index(m));
            let code = |e: &crate::model::Expr| Code::compile(e, program, id);
            let actions = |list: &[crate::model::Action]| -> Result<Vec<CAction>, Unsupported> {
                list.iter()
                    .map(|a| {
                        Ok(match &a.kind {
                            ActionKind::Set { var, value } => CAction::Set {
                                var: var.0,
                                value: code(value)?,
                            },
                            ActionKind::Send { event, target } => {
                                let event = event.0;
                                match target {
                                    SendTarget::Children { children, states } => {
                                        CAction::SendChildren {
                                            event,
                                            children: children.0,
                                            states: states
                                                .as_ref()
                                                .map(|s| s.iter().map(|s| s.0).collect()),
                                        }
                                    }
                                    SendTarget::One { children, states } => CAction::SendOne {
                                        event,
                                        children: children.0,
                                        states: states.as_deref().map(Arc::from),
                                        span: a.span,
                                    },
                                    SendTarget::Index { children, index } => CAction::SendIndex {
                                        event,
                                        children: children.0,
                                        index: code(index)?,
                                        span: a.span,
                                    },
                                    SendTarget::Parent => CAction::SendParent { event },
                                }
                            }
                            ActionKind::Raise { event } => CAction::Raise { event: event.0 },
                        })
                    })
                    .collect()
            };
            let n = machine.states.len();
            let mut from_state = vec![Vec::new(); n];
            let mut transitions = Vec::with_capacity(machine.transitions.len());
            for (i, t) in machine.transitions.iter().enumerate() {
                for s in &t.sources {
                    if let Some(list) = from_state.get_mut(s.index()) {
                        match t.events() {
                            [] => list.push((None, index(i))),
                            events => list.extend(events.iter().map(|e| (Some(e.0), index(i)))),
                        }
                    }
                }
                transitions.push(CTransition {
                    target: t.target,
                    actor: t.actor.map(|a| a.0),
                    guard: t.guard.as_ref().map(code).transpose()?,
                    actions: actions(&t.actions)?,
                });
            }
            machines.push(CMachine {
                kinds: machine.states.iter().map(|s| s.kind).collect(),
                defaults: machine
                    .vars
                    .iter()
                    .map(|v| value_to_i64(v.default))
                    .collect(),
                ranges: machine
                    .vars
                    .iter()
                    .map(|v| match v.ty {
                        Type::Int { min, max } if v.ty != Type::INT => Some((min, max)),
                        _ => None,
                    })
                    .collect(),
                children: machine.children.iter().map(|c| c.machine.0).collect(),
                initials: machine
                    .initials
                    .iter()
                    .map(|i| Ok((i.target.0, i.guard.as_ref().map(code).transpose()?)))
                    .collect::<Result<_, Unsupported>>()?,
                eventless: from_state
                    .iter()
                    .map(|list| list.iter().any(|&(e, _)| e.is_none()))
                    .collect(),
                // Stable: file order within each event.
                from_state: from_state
                    .into_iter()
                    .map(|mut list| {
                        list.sort_by_key(|&(e, _)| e);
                        list
                    })
                    .collect(),
                transitions,
                on_enter: machine
                    .states
                    .iter()
                    .map(|s| actions(&s.on_enter))
                    .collect::<Result<_, _>>()?,
                on_exit: machine
                    .states
                    .iter()
                    .map(|s| actions(&s.on_exit))
                    .collect::<Result<_, _>>()?,
                views: machine
                    .views
                    .iter()
                    .map(|v| code(&v.expr))
                    .collect::<Result<_, _>>()?,
            });
        }
        Ok(Compiled { machines })
    }
}

impl Compiled {
    /// How many instructions the machines' programs have in all: proportional to the file, since
    /// every expression is compiled once.
    pub fn instructions(&self) -> usize {
        self.machines
            .iter()
            .map(|m| {
                let actions = |list: &[CAction]| -> usize {
                    list.iter()
                        .map(|a| match a {
                            CAction::Set { value, .. } => value.len(),
                            CAction::SendIndex { index, .. } => index.len(),
                            _ => 1,
                        })
                        .sum()
                };
                m.views.iter().map(Code::len).sum::<usize>()
                    + m.initials
                        .iter()
                        .filter_map(|(_, g)| g.as_ref().map(Code::len))
                        .sum::<usize>()
                    + m.transitions
                        .iter()
                        .map(|t| t.guard.as_ref().map_or(0, Code::len) + actions(&t.actions))
                        .sum::<usize>()
                    + m.on_enter
                        .iter()
                        .chain(&m.on_exit)
                        .map(|l| actions(l))
                        .sum::<usize>()
            })
            .sum()
    }
}
