//! Which variables, views, states, events and actors a program uses, and where.

use rustc_hash::FxHashSet;

use crate::model::*;

/// Use facts, per workflow and per machine, indexed like the model.
#[derive(Debug, Default)]
pub struct Usage {
    /// `workflow_vars[w][v]`: variable `v` of workflow `w` is read somewhere.
    pub workflow_vars: Vec<Vec<bool>>,
    pub machine_vars: Vec<Vec<bool>>,
    pub views: Vec<Vec<bool>>,
    /// `states[m][s]`: some transition or initial rule names state `s` (as source or target).
    pub states: Vec<Vec<bool>>,
    /// Events some transition of each machine handles.
    pub handled: Vec<FxHashSet<EventId>>,
    /// Actors some transition of each machine names with `by`.
    pub actors: Vec<FxHashSet<ActorId>>,
}

impl Usage {
    pub fn of(program: &Program) -> Usage {
        let mut usage = Usage {
            workflow_vars: program
                .workflows
                .iter()
                .map(|w| vec![false; w.vars.len()])
                .collect(),
            machine_vars: program
                .machines
                .iter()
                .map(|m| vec![false; m.vars.len()])
                .collect(),
            views: program
                .machines
                .iter()
                .map(|m| vec![false; m.views.len()])
                .collect(),
            states: program
                .machines
                .iter()
                .map(|m| vec![false; m.states.len()])
                .collect(),
            handled: program
                .machines
                .iter()
                .map(|_| FxHashSet::default())
                .collect(),
            actors: program
                .machines
                .iter()
                .map(|_| FxHashSet::default())
                .collect(),
        };
        for (w, workflow) in program.workflows.iter().enumerate() {
            for link in &workflow.links {
                if let Some(condition) = &link.condition {
                    usage.read_workflow(w, condition);
                }
            }
        }
        for (m, machine) in program.machines.iter().enumerate() {
            let id = MachineId::from_index(m);
            for initial in &machine.initials {
                usage.states[m][initial.target.index()] = true;
                if let Some(guard) = &initial.guard {
                    usage.read_machine(program, id, guard);
                }
            }
            for t in &machine.transitions {
                if !t.any_source {
                    for s in &t.sources {
                        usage.states[m][s.index()] = true;
                    }
                }
                if let Target::State(s) = t.target {
                    usage.states[m][s.index()] = true;
                }
                usage.handled[m].extend(t.events().iter().copied());
                if let Some(actor) = t.actor {
                    usage.actors[m].insert(actor);
                }
                if let Some(guard) = &t.guard {
                    usage.read_machine(program, id, guard);
                }
                usage.read_actions(program, id, &t.actions);
            }
            for state in &machine.states {
                usage.read_actions(program, id, &state.on_enter);
                usage.read_actions(program, id, &state.on_exit);
            }
            for view in &machine.views {
                usage.read_machine(program, id, &view.expr);
            }
        }
        for scenario in &program.scenarios {
            for step in &scenario.steps {
                let StepKind::Expect(expr) = &step.kind else {
                    continue;
                };
                match scenario.target {
                    ScenarioTarget::Workflow(w) => usage.read_workflow(w.index(), expr),
                    ScenarioTarget::Machine(m) => usage.read_machine(program, m, expr),
                }
            }
        }
        usage
    }

    fn read_workflow(&mut self, w: usize, expr: &Expr) {
        expr.walk_scope(&mut |e| {
            if let ExprKind::Var(v) = e.kind
                && let Some(flag) = self
                    .workflow_vars
                    .get_mut(w)
                    .and_then(|vars| vars.get_mut(v.index()))
            {
                *flag = true;
            }
        });
    }

    /// Marks what `expr`, evaluated in an instance of `m`, reads, following quantifier filters
    /// and scenario paths into the machines they evaluate in.
    fn read_machine(&mut self, program: &Program, m: MachineId, expr: &Expr) {
        let mut nested: Vec<(MachineId, &Expr)> = Vec::new();
        expr.walk_scope(&mut |e| match &e.kind {
            ExprKind::Var(v) => {
                if let Some(flag) = self
                    .machine_vars
                    .get_mut(m.index())
                    .and_then(|vars| vars.get_mut(v.index()))
                {
                    *flag = true;
                }
            }
            ExprKind::View(v) => {
                if let Some(flag) = self
                    .views
                    .get_mut(m.index())
                    .and_then(|views| views.get_mut(v.index()))
                {
                    *flag = true;
                }
            }
            ExprKind::Quantifier {
                children,
                filter: Some(filter),
                ..
            } => nested.push((
                program.machine(m).children[children.index()].machine,
                filter,
            )),
            ExprKind::At { path, expr } => nested.push((machine_at(program, m, path), expr)),
            _ => {}
        });
        for (child, expr) in nested {
            self.read_machine(program, child, expr);
        }
    }

    fn read_actions(&mut self, program: &Program, m: MachineId, actions: &[Action]) {
        for expr in actions.iter().filter_map(Action::expr) {
            self.read_machine(program, m, expr);
        }
    }
}

/// The machine of the instance `path` leads to from an instance of `m`.
pub fn machine_at(program: &Program, m: MachineId, path: &InstancePath) -> MachineId {
    path.steps.iter().fold(m, |at, step| {
        program.machine(at).children[step.children.index()].machine
    })
}
