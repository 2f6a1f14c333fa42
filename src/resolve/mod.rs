//! Syntax tree → program: names to indices, expressions typed, properties validated.
//!
//! Works in phases so that any item may refer to any other, whatever their order in the file:
//! 1. item names (workflows and machines share one namespace);
//! 2. machine signatures: states, variables, children, view names;
//! 3. workflows; 4. machine bodies (initial rules, transitions, views, hooks); 5. scenarios.
//!
//! A name that does not resolve is reported once; whatever depends on it is dropped silently, so
//! one mistake gives one diagnostic.

mod events;
mod expr;
mod machine;
mod scenario;
mod vars;
mod workflow;

use rustc_hash::{FxHashMap, FxHashSet};
use smol_str::SmolStr;

use crate::diagnostic::suggest::Suggester;
use crate::diagnostic::{Code, Diagnostic, join_listed};
use crate::model::*;
use crate::source::Span;
use crate::syntax::ast;

pub use expr::Scope;

/// Resolves a parsed file. The program holds everything that resolved; the diagnostics say
/// what did not.
pub fn resolve(file: &ast::File) -> (Program, Vec<Diagnostic>) {
    let (program, diagnostics, _) = resolve_file(file, false);
    (program, diagnostics)
}

/// [`resolve`], and every name of the file that resolved, with what it stands for (for an
/// editor: go to definition, references, rename). Declarations are not uses: they are in the
/// program (a task's `name`, a state's, …).
pub fn resolve_with_refs(file: &ast::File) -> (Program, Vec<Diagnostic>, Vec<NameRef>) {
    resolve_file(file, true)
}

/// What a name written in the file stands for: the declaration it refers to, by its indices in
/// the [`Program`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Def {
    Workflow(WorkflowId),
    Machine(MachineId),
    /// `Program::scenarios[i]`.
    Scenario(usize),
    Task(WorkflowId, TaskId),
    WorkflowVar(WorkflowId, VarId),
    MachineVar(MachineId, VarId),
    State(MachineId, StateId),
    View(MachineId, ViewId),
    Children(MachineId, ChildrenId),
    /// Events and actors are names of the file, shared by its machines.
    Event(EventId),
    Actor(ActorId),
    /// Member `.1` of enumeration `.0`.
    Member(EnumId, u32),
}

/// A use of a name: where it is written and what it stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameRef {
    pub span: Span,
    pub def: Def,
}

fn resolve_file(file: &ast::File, record: bool) -> (Program, Vec<Diagnostic>, Vec<NameRef>) {
    let mut r = Resolver {
        refs: record.then(Vec::new),
        ..Resolver::default()
    };
    let size = file.items.iter().map(|i| i.span().end as usize).max();
    r.copies.limit = copies_allowed(size.unwrap_or(0));
    r.suggest = Suggester::for_file(size.unwrap_or(0));
    let mut workflows = Vec::new();
    let mut machines = Vec::new();
    let mut scenarios = Vec::new();
    for item in &file.items {
        match item {
            ast::Item::Workflow(w) => workflows.push(w),
            ast::Item::Machine(m) => machines.push(m),
            ast::Item::Scenario(s) => scenarios.push(s),
        }
    }
    for (i, w) in workflows.iter().enumerate() {
        r.declare_item(&w.name, ItemRef::Workflow(WorkflowId::from_index(i)));
    }
    for (i, m) in machines.iter().enumerate() {
        r.declare_item(&m.name, ItemRef::Machine(MachineId::from_index(i)));
    }
    for m in &machines {
        r.machine_signature(m);
    }
    for w in &workflows {
        r.workflow(w);
    }
    r.parents = parents(&r.program);
    for (i, m) in machines.iter().enumerate() {
        r.machine_body(MachineId::from_index(i), m);
    }
    let mut scenario_names: FxHashMap<&str, Span> = FxHashMap::default();
    for s in &scenarios {
        if let Some(&first) = scenario_names.get(s.name.as_str()) {
            r.duplicate("scenario", &s.name, first);
        } else {
            scenario_names.insert(s.name.as_str(), s.name.span);
        }
        r.scenario(s);
    }
    (r.program, r.diagnostics, r.refs.unwrap_or_default())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ItemRef {
    Workflow(WorkflowId),
    Machine(MachineId),
}

/// What a name means inside a workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WorkflowName {
    Task(TaskId),
    Var(VarId),
}

/// What a name means inside a machine (states have their own namespace).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MachineName {
    Var(VarId),
    View(ViewId),
    Children(ChildrenId),
}

/// What a refused declaration declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum DeclKind {
    Task,
    Var,
    View,
    Children,
}

impl DeclKind {
    /// From the words the declaring code uses in its messages.
    fn of(kind: &str) -> DeclKind {
        match kind {
            "task" => DeclKind::Task,
            "view" => DeclKind::View,
            "children declaration" => DeclKind::Children,
            _ => DeclKind::Var,
        }
    }
}

/// Refused declarations: name and kind.
#[derive(Debug, Default)]
struct Rejected(FxHashSet<(SmolStr, DeclKind)>);

impl Rejected {
    fn insert(&mut self, name: &str, kind: DeclKind) {
        self.0.insert((name.into(), kind));
    }

    /// Whether a declaration of `name` as one of `kinds` was refused.
    fn any(&self, name: &str, kinds: &[DeclKind]) -> bool {
        kinds
            .iter()
            .any(|&kind| self.0.contains(&(SmolStr::from(name), kind)))
    }
}

#[derive(Debug, Default)]
struct WorkflowNames {
    names: FxHashMap<SmolStr, WorkflowName>,
    /// Declarations refused (reserved, or a second definition): already reported, so a use of
    /// the name that only the refused declaration could satisfy is not reported again.
    rejected: Rejected,
    /// Links by (source, target, kind), for `link a -> b` in scenarios.
    links: FxHashMap<(TaskId, TaskId, LinkKind), LinkId>,
}

#[derive(Debug, Default)]
struct MachineNames {
    names: FxHashMap<SmolStr, MachineName>,
    /// Variables, views and children whose declaration was refused (reserved, a second
    /// definition, children of an unknown machine): already reported, so a use of the name that
    /// only the refused declaration could satisfy is not reported again.
    rejected: Rejected,
    states: FxHashMap<SmolStr, StateId>,
    /// State names whose declaration was refused (reserved): already reported.
    rejected_states: FxHashSet<SmolStr>,
    /// The events and the actors the machine declares, when it does (see `events.rs`).
    declared: [Option<events::Declarations>; 2],
}

#[derive(Default)]
struct Resolver {
    program: Program,
    diagnostics: Vec<Diagnostic>,
    items: FxHashMap<SmolStr, (ItemRef, Span)>,
    workflow_names: Vec<WorkflowNames>,
    machine_names: Vec<MachineNames>,
    /// Event and actor names, each to its index in `Program::events` or `Program::actors`.
    interned: [FxHashMap<SmolStr, usize>; 2],
    /// `parents[m]`: the machines with children of machine `m`, once the signatures are known.
    parents: Vec<Vec<MachineId>>,
    /// `send EVENT to parent` in a machine: the first parent that does not take it, by (machine,
    /// event index), once looked up.
    parent_refusing: FxHashMap<(MachineId, usize), Option<MachineId>>,
    /// Did-you-mean for the file's unknown names, within its budget.
    suggest: Suggester,
    /// What copies have added to the program, against its limit (see [`MAX_COPIES`]).
    copies: Copies,
    /// Each enumeration's members by name, with their index: a lookup per use, not a scan.
    enum_members: Vec<FxHashMap<SmolStr, u32>>,
    /// The names that resolved, when asked for ([`resolve_with_refs`]).
    refs: Option<Vec<NameRef>>,
}

#[derive(Debug, Default)]
struct Copies {
    added: usize,
    limit: usize,
    /// E0408 was reported: one finding for the file, whatever follows.
    reported: bool,
}

/// What the copies a file's statements make may add to its program, at least: a link statement
/// with lists makes a link per source and target, each with its own copy of the condition; `*`
/// stands for every state that is not final; the hooks of `state A, B { … }` are copied into each
/// state. Without a bound, a few kilobytes of lists would stand for millions of links.
pub const MAX_COPIES: usize = 250_000;
/// ... or this many per byte of the file, when that is more.
pub const COPIES_PER_BYTE: usize = 4;

/// What copies may add to the program of a file of `size` bytes.
pub fn copies_allowed(size: usize) -> usize {
    MAX_COPIES.max(size.saturating_mul(COPIES_PER_BYTE))
}

/// Names an expression cannot refer to, because the grammar reads them as keywords there.
const EXPRESSION_KEYWORDS: &[&str] = &["and", "or", "not", "in", "where", "true", "false", "state"];

impl Resolver {
    fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Records that the name at `span` stands for `def`, when names are recorded.
    fn refer(&mut self, span: Span, def: Def) {
        if let Some(refs) = &mut self.refs {
            refs.push(NameRef { span, def });
        }
    }

    /// Records what a resolved leaf expression names (a variable, view, task, state or member),
    /// read in `scope`.
    fn refer_expr(&mut self, scope: Scope, expr: &Expr) {
        let def = match (&expr.kind, scope) {
            (ExprKind::Var(v), Scope::Workflow(w) | Scope::WorkflowScenario(w)) => {
                Def::WorkflowVar(w, *v)
            }
            (ExprKind::Var(v), Scope::Machine(m) | Scope::MachineScenario(m)) => {
                Def::MachineVar(m, *v)
            }
            (ExprKind::View(v), Scope::Machine(m) | Scope::MachineScenario(m)) => Def::View(m, *v),
            (ExprKind::TaskState(t), Scope::WorkflowScenario(w)) => Def::Task(w, *t),
            (ExprKind::Const(Value::State(m, s)), _) => Def::State(*m, *s),
            (ExprKind::Const(Value::Enum(id, i)), _) => Def::Member(*id, *i),
            _ => return,
        };
        self.refer(expr.span, def);
    }

    /// Takes `copies` from what the file's copies may still add; false when they do not fit, with
    /// E0408 at `span` the first time (the statements after it are dropped silently: the file
    /// already has its error). `stands_for` says what the statement stands for.
    fn copy(&mut self, copies: usize, span: Span, stands_for: impl FnOnce() -> String) -> bool {
        let added = self.copies.added.saturating_add(copies);
        if added <= self.copies.limit {
            self.copies.added = added;
            return true;
        }
        if !self.copies.reported {
            self.copies.reported = true;
            let diagnostic = Diagnostic::new(
                Code::E0408,
                format!("this statement stands for {}", stands_for()),
                span,
                format!("its copies count {copies}"),
            )
            .with_note(format!(
                "the copies of one file may count {} in all, {} before this statement; a copy counts \
                 1, plus 1 per operand, operator and listed value of the condition or actions it \
                 repeats",
                self.copies.limit, self.copies.added
            ))
            .with_help("split the statement, or shorten what each copy repeats");
            self.push(diagnostic);
        }
        false
    }

    fn declare_item(&mut self, name: &Name, item: ItemRef) {
        if let Some(&(first_item, first)) = self.items.get(name.as_str()) {
            let kind = |item: ItemRef| match item {
                ItemRef::Workflow(_) => "workflow",
                ItemRef::Machine(_) => "machine",
            };
            self.defined_twice(
                name.as_str(),
                "this file",
                (first, kind(first_item)),
                (name.span, kind(item)),
                "workflows and machines share one namespace",
            );
            return;
        }
        self.items.insert(name.text.clone(), (item, name.span));
    }

    fn duplicate(&mut self, kind: &str, name: &Name, first: Span) {
        self.push(
            Diagnostic::new(
                Code::E0100,
                format!("{kind} `{}` is defined twice", name.as_str()),
                name.span,
                "defined again here",
            )
            .with_label(first, "first defined here")
            .with_help("rename one of them"),
        );
    }

    /// E0100 for a name declared twice where one declaration carries what the other lacks (a
    /// state's hooks, a task's properties): most often a name listed with others and declared
    /// again to give it those, which belong on its one declaration. `has`: whether the first and
    /// this declaration have some; `lists`: the name in each, for the fix that removes it from
    /// the one without them.
    fn declared_twice_for_extras(
        &mut self,
        name: &Name,
        first: Span,
        has: [bool; 2],
        what: Extras,
        lists: [Listed<'_>; 2],
    ) {
        let both = has[0] && has[1];
        let bare = &lists[usize::from(has[0])];
        let (kind, extras, name) = (what.kind, what.extras, name);
        let text = name.as_str();
        let help = if both {
            format!("write all the {extras} of `{text}` on one declaration, and remove the other")
        } else {
            format!(
                "remove `{text}` from the declaration without {extras}, and keep the one with \
                 them: `{kind} {text} {{ … }}`"
            )
        };
        let mut diagnostic = Diagnostic::new(
            Code::E0100,
            format!("{kind} `{text}` is defined twice"),
            name.span,
            "defined again here",
        )
        .with_label(first, "first defined here")
        .with_note(format!(
            "a {kind} is declared once; its {extras} go on that declaration"
        ))
        .with_help(help);
        if !both {
            let title = format!("remove `{text}` from the declaration without {extras}");
            let list: Vec<Span> = bare.names.iter().map(|n| n.span).collect();
            diagnostic = diagnostic.with_list_removal(title, &list, bare.index, bare.statement);
        }
        self.push(diagnostic);
    }

    /// E0100 for two declarations of `name` in one namespace of `owner`, as `(span, kind)`
    /// pairs in any order: the later one in the file is the one reported.
    fn defined_twice(
        &mut self,
        name: &str,
        owner: &str,
        a: (Span, &str),
        b: (Span, &str),
        shared_note: &str,
    ) {
        let ((first, first_kind), (again, again_kind)) = if a.0 <= b.0 { (a, b) } else { (b, a) };
        let first_label = if first_kind == again_kind {
            "first defined here".to_owned()
        } else {
            format!("first defined here, as a {first_kind}")
        };
        let mut diagnostic = Diagnostic::new(
            Code::E0100,
            format!("`{name}` is defined twice in {owner}"),
            again,
            format!("{again_kind} defined again here"),
        )
        .with_label(first, first_label);
        if first_kind != again_kind {
            diagnostic = diagnostic.with_note(shared_note.to_owned());
        }
        self.push(diagnostic.with_help("rename one of them"));
    }

    /// E0104 when `name` is one of `reserved`; true if it is.
    fn reserved(&mut self, kind: &str, name: &Name, reserved: &[&str], why: &str) -> bool {
        if !reserved.contains(&name.as_str()) {
            return false;
        }
        self.push(
            Diagnostic::new(
                Code::E0104,
                format!(
                    "`{}` cannot be the name of {}",
                    name.as_str(),
                    with_article(kind)
                ),
                name.span,
                "reserved here",
            )
            .with_note(format!("`{}` {why}", name.as_str()))
            .with_help("choose another name"),
        );
        true
    }

    /// The index of member `name` of enumeration `id`.
    fn enum_member(&self, id: EnumId, name: &str) -> Option<u32> {
        self.enum_members.get(id.index())?.get(name).copied()
    }

    /// Interns event or actor `name` and counts its use, recording where a transition of which
    /// machine names it (`in_transition`, for W0205); its index in `Program::events` or `actors`.
    fn name_use(
        &mut self,
        kind: events::NameKind,
        name: &Name,
        in_transition: Option<(Span, MachineId)>,
    ) -> usize {
        let (names, uses) = match kind {
            events::NameKind::Event => (&mut self.program.events, &mut self.program.event_uses),
            events::NameKind::Actor => (&mut self.program.actors, &mut self.program.actor_uses),
        };
        let index = intern(&mut self.interned[kind.slot()], names, name.as_str());
        count_use(uses, index, in_transition);
        let def = match kind {
            events::NameKind::Event => Def::Event(EventId::from_index(index)),
            events::NameKind::Actor => Def::Actor(ActorId::from_index(index)),
        };
        self.refer(name.span, def);
        index
    }

    fn item_ref(&mut self, name: &Name, wanted: &str) -> Option<ItemRef> {
        if let Some(&(item, _)) = self.items.get(name.as_str()) {
            let def = match item {
                ItemRef::Workflow(w) => Def::Workflow(w),
                ItemRef::Machine(m) => Def::Machine(m),
            };
            self.refer(name.span, def);
            return Some(item);
        }
        let close = self
            .suggest
            .did_you_mean(name.as_str(), self.items.keys().map(|k| &**k));
        let diagnostic = Diagnostic::new(
            Code::E0101,
            format!("unknown {wanted} `{}`", name.as_str()),
            name.span,
            format!("no {wanted} is named `{}` in this file", name.as_str()),
        )
        .with_suggestion(close);
        self.push(diagnostic);
        None
    }

    /// The machine `name` refers to, with E0101 / E0103 when it does not.
    fn machine_ref(&mut self, name: &Name) -> Option<MachineId> {
        match self.item_ref(name, "machine")? {
            ItemRef::Machine(id) => Some(id),
            ItemRef::Workflow(_) => {
                self.push(
                    Diagnostic::new(
                        Code::E0103,
                        format!("`{}` is a workflow, not a machine", name.as_str()),
                        name.span,
                        "expected a machine",
                    )
                    .with_note("only machines can have instances as children"),
                );
                None
            }
        }
    }
}

/// Counts a use of name `index`, and where a transition first names it (`in_transition`).
fn count_use(uses: &mut Vec<NameUses>, index: usize, in_transition: Option<(Span, MachineId)>) {
    if uses.len() <= index {
        uses.resize(index + 1, NameUses::default());
    }
    let entry = &mut uses[index];
    entry.count = entry.count.saturating_add(1);
    if let Some(at) = in_transition {
        entry.in_transition.get_or_insert(at);
    }
}

/// `parents[m]`: the machines that declare children of machine `m`, each once.
fn parents(program: &Program) -> Vec<Vec<MachineId>> {
    let mut parents: Vec<Vec<MachineId>> = vec![Vec::new(); program.machines.len()];
    for (p, machine) in program.machines.iter().enumerate() {
        let parent = MachineId::from_index(p);
        for children in &machine.children {
            if let Some(list) = parents.get_mut(children.machine.index())
                && list.last() != Some(&parent)
            {
                list.push(parent);
            }
        }
    }
    parents
}

fn intern(map: &mut FxHashMap<SmolStr, usize>, names: &mut Vec<String>, name: &str) -> usize {
    if let Some(&index) = map.get(name) {
        return index;
    }
    let index = names.len();
    names.push(name.to_owned());
    map.insert(name.into(), index);
    index
}

/// "a task", "an enumeration member".
fn with_article(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {noun}")
}

/// Name `index` of a declaration's list of `names`, whose statement spans `statement`.
#[derive(Clone, Copy)]
struct Listed<'a> {
    names: &'a [Name],
    index: usize,
    statement: Span,
}

impl Listed<'_> {
    fn new(names: &[Name], index: usize, statement: Span) -> Listed<'_> {
        Listed {
            names,
            index,
            statement,
        }
    }
}

/// What one declaration of a name may carry that a list of names does not: see
/// `Resolver::declared_twice_for_extras`.
struct Extras {
    /// `state`, `task`.
    kind: &'static str,
    /// `hooks`, `properties`.
    extras: &'static str,
}

impl Extras {
    const STATE_HOOKS: Extras = Extras {
        kind: "state",
        extras: "hooks",
    };
    const TASK_PROPERTIES: Extras = Extras {
        kind: "task",
        extras: "properties",
    };
}
