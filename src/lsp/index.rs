//! Every name of a file: its declaration and its uses, from the resolver ([`resolve_with_refs`]).
//! Definition, references, rename and hover all start here.
//!
//! [`resolve_with_refs`]: crate::resolve::resolve_with_refs

use rustc_hash::FxHashMap;

use crate::model::*;
use crate::resolve::{Def, NameRef};
use crate::source::Span;

/// A name the file declares.
#[derive(Debug)]
pub struct Symbol {
    pub def: Def,
    pub name: String,
    /// Where it is declared (the name itself); for an event or actor no machine declares, where
    /// it is first named.
    pub span: Span,
}

impl Symbol {
    /// The namespace it is declared in: two symbols with the same one cannot share a name.
    pub fn namespace(&self) -> Namespace {
        match self.def {
            Def::Workflow(_) | Def::Machine(_) => Namespace::Items,
            Def::Scenario(_) => Namespace::Scenarios,
            Def::Task(w, _) | Def::WorkflowVar(w, _) => Namespace::Workflow(w),
            Def::MachineVar(m, _) | Def::View(m, _) | Def::Children(m, _) => Namespace::Machine(m),
            Def::State(m, _) => Namespace::States(m),
            Def::Event(_) => Namespace::Events,
            Def::Actor(_) => Namespace::Actors,
            Def::Member(e, _) => Namespace::Members(e),
        }
    }

    /// What it is, in words: "task", "state", "children group".
    pub fn kind_words(&self) -> &'static str {
        match self.def {
            Def::Workflow(_) => "workflow",
            Def::Machine(_) => "machine",
            Def::Scenario(_) => "scenario",
            Def::Task(..) => "task",
            Def::WorkflowVar(..) | Def::MachineVar(..) => "variable",
            Def::State(..) => "state",
            Def::View(..) => "view",
            Def::Children(..) => "children group",
            Def::Event(_) => "event",
            Def::Actor(_) => "actor",
            Def::Member(..) => "enumeration member",
        }
    }
}

/// Where names must differ (specs/language.md): workflows and machines share one namespace, a
/// workflow's tasks and variables another, a machine's variables, views and children another,
/// its states their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Namespace {
    Items,
    Scenarios,
    Workflow(WorkflowId),
    Machine(MachineId),
    States(MachineId),
    Events,
    Actors,
    Members(EnumId),
}

/// The names of one file.
#[derive(Debug, Default)]
pub struct Index {
    pub symbols: Vec<Symbol>,
    /// Every use, by start: (span, symbol).
    uses: Vec<(Span, usize)>,
    by_def: FxHashMap<Def, usize>,
}

impl Index {
    pub fn new(program: &Program, refs: &[NameRef]) -> Index {
        let mut index = Index::default();
        for (w, workflow) in program.workflows.iter().enumerate() {
            let w = WorkflowId::from_index(w);
            index.add(Def::Workflow(w), &workflow.name);
            for (t, task) in workflow.tasks.iter().enumerate() {
                index.add(Def::Task(w, TaskId::from_index(t)), &task.name);
            }
            for (v, var) in workflow.vars.iter().enumerate() {
                index.add(Def::WorkflowVar(w, VarId::from_index(v)), &var.name);
            }
        }
        for (m, machine) in program.machines.iter().enumerate() {
            let m = MachineId::from_index(m);
            index.add(Def::Machine(m), &machine.name);
            for (v, var) in machine.vars.iter().enumerate() {
                index.add(Def::MachineVar(m, VarId::from_index(v)), &var.name);
            }
            for (s, state) in machine.states.iter().enumerate() {
                index.add(Def::State(m, StateId::from_index(s)), &state.name);
            }
            for (v, view) in machine.views.iter().enumerate() {
                index.add(Def::View(m, ViewId::from_index(v)), &view.name);
            }
            for (c, children) in machine.children.iter().enumerate() {
                index.add(Def::Children(m, ChildrenId::from_index(c)), &children.name);
            }
        }
        for (e, members) in program.enums.iter().enumerate() {
            let e = EnumId::from_index(e);
            for (i, member) in members.members.iter().enumerate() {
                let i = u32::try_from(i).unwrap_or(u32::MAX);
                index.add(Def::Member(e, i), member);
            }
        }
        for (i, scenario) in program.scenarios.iter().enumerate() {
            index.add(Def::Scenario(i), &scenario.name);
        }
        // Events and actors: declared where a machine's `event` / `actor` statement first names
        // them, else where the file first names them. Their other mentions are uses.
        let declared = (program.machines.iter())
            .flat_map(|m| {
                let events = m.events.iter().flatten();
                let actors = m.actors.iter().flatten();
                (events.map(|d| (Def::Event(d.id), &d.name)))
                    .chain(actors.map(|d| (Def::Actor(d.id), &d.name)))
            })
            .collect::<Vec<_>>();
        for (def, name) in declared {
            if !index.by_def.contains_key(&def) {
                index.add(def, name);
            }
        }
        for r in refs {
            if let Def::Event(_) | Def::Actor(_) = r.def
                && !index.by_def.contains_key(&r.def)
            {
                let name = Name {
                    text: event_or_actor_name(program, r.def).into(),
                    span: r.span,
                };
                index.add(r.def, &name);
            }
        }
        let mut uses: Vec<(Span, usize)> = refs
            .iter()
            .filter_map(|r| Some((r.span, *index.by_def.get(&r.def)?)))
            .filter(|&(span, symbol)| index.symbols[symbol].span != span)
            .collect();
        uses.sort_by_key(|&(span, symbol)| (span.start, span.end, symbol));
        uses.dedup();
        index.uses = uses;
        index
    }

    fn add(&mut self, def: Def, name: &Name) {
        self.by_def.insert(def, self.symbols.len());
        self.symbols.push(Symbol {
            def,
            name: name.as_str().to_owned(),
            span: name.span,
        });
    }

    /// The symbol whose declaration or use covers byte `offset` (the end of a name counts, as a
    /// cursor right after it), and the span of the name there.
    pub fn at(&self, offset: usize) -> Option<(usize, Span)> {
        let covers = |span: Span| (span.start as usize) <= offset && offset <= span.end as usize;
        let declared = (self.symbols.iter().enumerate())
            .find(|(_, s)| covers(s.span))
            .map(|(i, s)| (i, s.span));
        declared.or_else(|| {
            let after = self
                .uses
                .partition_point(|(span, _)| (span.start as usize) <= offset);
            self.uses[..after]
                .iter()
                .rev()
                .take(64)
                .find(|(span, _)| covers(*span))
                .map(|&(span, symbol)| (symbol, span))
        })
    }

    /// The uses of `symbol`, in file order.
    pub fn uses_of(&self, symbol: usize) -> impl Iterator<Item = Span> + '_ {
        (self.uses.iter())
            .filter(move |(_, s)| *s == symbol)
            .map(|(span, _)| *span)
    }

    pub fn symbol_of(&self, def: Def) -> Option<&Symbol> {
        self.symbols.get(*self.by_def.get(&def)?)
    }
}

fn event_or_actor_name(program: &Program, def: Def) -> &str {
    match def {
        Def::Event(e) => program.event(e),
        Def::Actor(a) => program.actor(a),
        _ => "",
    }
}
