//! The syntax tree: plain data with byte spans, exactly what the file says, nothing resolved.

use smallvec::SmallVec;
use smol_str::SmolStr;

use crate::source::Span;

/// Names where one is the common case (`a -> b`, a one-segment path): no heap allocation for one.
pub type Names = SmallVec<[Name; 1]>;

/// An identifier or a state name as written (quotes and escapes removed from strings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    /// Stored inline up to 23 bytes: most names cost no allocation.
    pub text: SmolStr,
    pub span: Span,
}

impl Name {
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// A `///` doc comment block: its lines without the `///` and one leading space.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doc {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Default)]
pub struct File {
    pub items: Vec<Item>,
}

#[derive(Debug)]
pub enum Item {
    Workflow(Workflow),
    Machine(Machine),
    Scenario(Scenario),
}

// ---- workflows ------------------------------------------------------------------------------

#[derive(Debug)]
pub struct Workflow {
    pub doc: Option<Doc>,
    pub name: Name,
    pub title: Option<Name>,
    pub properties: Vec<Property>,
    pub vars: Vec<VarDecl>,
    pub tasks: Vec<TaskDecl>,
    pub links: Vec<Link>,
    pub span: Span,
}

/// `key = value`
#[derive(Debug)]
pub struct Property {
    pub key: Name,
    pub value: Literal,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum LiteralKind {
    Bool(bool),
    Int(i64),
    Decimal(f64),
    Str(SmolStr),
    Ident(SmolStr),
    List(Vec<Name>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Literal {
    pub kind: LiteralKind,
    pub span: Span,
}

/// `var name: type [= default]`, with `input` or `initial input` before it in a machine.
#[derive(Debug)]
pub struct VarDecl {
    pub doc: Option<Doc>,
    /// Whether the world around the machine changes it, and when (`None`: only actions do).
    pub input: Option<Input>,
    pub name: Name,
    pub ty: TypeExpr,
    pub default: Option<Literal>,
    pub span: Span,
}

#[derive(Debug)]
pub enum TypeExprKind {
    Bool,
    /// `int` or `int LO..HI`
    Int(Option<(Literal, Literal)>),
    /// `{a, b, c}`
    Enum(Vec<Name>),
}

#[derive(Debug)]
pub struct TypeExpr {
    pub kind: TypeExprKind,
    pub span: Span,
}

/// `task a, b { key = value }`
#[derive(Debug)]
pub struct TaskDecl {
    pub doc: Option<Doc>,
    pub names: Names,
    pub properties: Vec<Property>,
    pub span: Span,
}

/// `SOURCES -> TARGETS [on error] [when EXPR]`
#[derive(Debug)]
pub struct Link {
    pub doc: Option<Doc>,
    pub sources: Names,
    pub targets: Names,
    /// The `on error` clause, when given.
    pub on_error: Option<Span>,
    pub condition: Option<Expr>,
    pub span: Span,
}

// ---- machines -------------------------------------------------------------------------------

#[derive(Debug)]
pub struct Machine {
    pub doc: Option<Doc>,
    pub name: Name,
    pub title: Option<Name>,
    pub vars: Vec<VarDecl>,
    pub children: Vec<ChildrenDecl>,
    /// `event …` statements: the events the machine takes (none: it does not declare them).
    pub events: Vec<NameDecl>,
    /// `actor …` statements: the actors the machine knows (none: it does not declare them).
    pub actors: Vec<NameDecl>,
    pub initials: Vec<InitialRule>,
    pub states: Vec<StateDecl>,
    pub transitions: Vec<Transition>,
    pub views: Vec<ViewDecl>,
    pub span: Span,
}

/// `children NAME: MACHINE`
#[derive(Debug)]
pub struct ChildrenDecl {
    pub doc: Option<Doc>,
    pub name: Name,
    pub machine: Name,
    pub span: Span,
}

/// When the outside may set a machine variable (specs/language.md 5.10).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// `initial input var`: it chooses the starting value; then only actions change it.
    Initial,
    /// `input var`: at the start and between any two moves, as a scenario's `set` line does.
    AnyTime,
}

/// Whether the outside sends a declared event, when the statement says so (`external event …`,
/// `internal event …`); without it, the outside sends the events no action sends to the machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `external event`: sent from outside too, though an action sends it.
    External,
    /// `internal event`: never sent from outside.
    Internal,
}

/// `event NAME, …` or `actor NAME, …`: names a machine declares, so that a misspelt use of one is
/// an error rather than a name of its own.
#[derive(Debug)]
pub struct NameDecl {
    pub doc: Option<Doc>,
    /// `external` or `internal` before `event`.
    pub origin: Option<Origin>,
    pub names: Names,
    pub span: Span,
}

/// `initial -> S [when EXPR]`
#[derive(Debug)]
pub struct InitialRule {
    pub target: Name,
    pub guard: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateKind {
    Normal,
    Transient,
    Final,
}

/// `[transient|final] state A, B [{ on enter {…} on exit {…} }]`
#[derive(Debug)]
pub struct StateDecl {
    pub doc: Option<Doc>,
    pub kind: StateKind,
    pub names: Vec<Name>,
    pub hooks: Vec<Hook>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HookKind {
    Enter,
    Exit,
}

/// `on enter { … }` / `on exit { … }`
#[derive(Debug)]
pub struct Hook {
    pub kind: HookKind,
    pub actions: Vec<Action>,
    pub span: Span,
}

#[derive(Debug)]
pub enum Sources {
    /// `*`: every non-final state.
    Any(Span),
    List(Names),
}

#[derive(Debug)]
pub enum Target {
    State(Name),
    /// `history`: the state before the source state was entered.
    History(Span),
}

/// `SOURCES -> TARGET [on EVENT [or EVENT…]] [when EXPR] [by ACTOR] [{ ACTIONS }]`
#[derive(Debug)]
pub struct Transition {
    pub doc: Option<Doc>,
    pub sources: Sources,
    pub target: Target,
    /// The events of `on`, in the order written; empty for an event-less transition.
    pub events: Vec<Name>,
    pub guard: Option<Expr>,
    pub actor: Option<Name>,
    pub actions: Vec<Action>,
    pub span: Span,
}

/// `view NAME = EXPR`
#[derive(Debug)]
pub struct ViewDecl {
    pub doc: Option<Doc>,
    pub name: Name,
    pub expr: Expr,
    pub span: Span,
}

#[derive(Debug)]
pub enum SendTarget {
    Parent(Span),
    /// `CHILDREN [in STATES]`
    Children {
        name: Name,
        states: Option<Vec<Name>>,
    },
    /// `one CHILDREN [in STATES]`: the lowest-numbered child (in one of the states).
    One {
        name: Name,
        states: Option<Vec<Name>>,
    },
    /// `CHILDREN[INDEX]`: the child with that index.
    Index {
        name: Name,
        index: Expr,
    },
}

#[derive(Debug)]
pub enum ActionKind {
    Set { var: Name, value: Expr },
    Send { event: Name, target: SendTarget },
    Raise { event: Name },
}

#[derive(Debug)]
pub struct Action {
    pub kind: ActionKind,
    pub span: Span,
}

// ---- scenarios ------------------------------------------------------------------------------

#[derive(Debug)]
pub struct Scenario {
    pub doc: Option<Doc>,
    pub name: Name,
    pub target: Name,
    pub steps: Vec<Step>,
    pub span: Span,
}

/// `members[0].kind`: names joined by dots, each with an optional index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path {
    /// Never empty.
    pub segments: SmallVec<[Segment; 1]>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub name: Name,
    pub index: Option<(u32, Span)>,
}

impl Path {
    /// The dotted text when no segment has an index (`FAILED.PREPARE`), else `None`. Borrowed
    /// for the common one-segment path.
    pub fn as_dotted(&self) -> Option<std::borrow::Cow<'_, str>> {
        if self.segments.iter().any(|s| s.index.is_some()) {
            return None;
        }
        match self.segments.as_slice() {
            [one] => Some(std::borrow::Cow::Borrowed(one.name.as_str())),
            segments => {
                let names: Vec<&str> = segments.iter().map(|s| s.name.as_str()).collect();
                Some(std::borrow::Cow::Owned(names.join(".")))
            }
        }
    }
}

#[derive(Debug)]
pub enum StepKind {
    /// `set PATH = EXPR`
    Set {
        path: Path,
        value: Expr,
    },
    /// `fail a, b`
    Fail(Vec<Name>),
    /// `duration T = N`
    Duration {
        task: Name,
        ticks: Literal,
    },
    /// `start from [a, b]`
    StartFrom(Vec<Name>),
    StopAt(Literal),
    KillAt(Literal),
    /// `spawn PATH * N`
    Spawn {
        path: Path,
        count: Literal,
    },
    /// `send EVENT [to PATH] [by ACTOR]`
    Send {
        event: Name,
        to: Option<Path>,
        by: Option<Name>,
    },
    Expect(Expr),
}

#[derive(Debug)]
pub struct Step {
    pub kind: StepKind,
    pub span: Span,
}

// ---- expressions ----------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogicOp {
    And,
    Or,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddOp {
    Add,
    Sub,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantKind {
    Any,
    All,
    No,
    Count,
}

impl QuantKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuantKind::Any => "any",
            QuantKind::All => "all",
            QuantKind::No => "no",
            QuantKind::Count => "count",
        }
    }
}

/// Chains of `and`, `or` and `+ -` are kept flat, so a long chain is a long vector, not a deep tree.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Bool(bool),
    Int(i64),
    Decimal(f64),
    Str(SmolStr),
    /// A name, a dotted state name, or a path to a child instance (`workers[0]`).
    Path(Path),
    /// `state`: the instance's own state.
    State,
    Not(Box<Expr>),
    Logic(LogicOp, Vec<Expr>),
    /// The two operands share one allocation.
    Compare(CmpOp, Box<[Expr; 2]>),
    /// `x in [a, b]` or `x in a`
    In(Box<Expr>, Vec<Expr>),
    Sum(Box<Expr>, Vec<(AddOp, Expr)>),
    Quantifier {
        kind: QuantKind,
        children: Name,
        states: Option<Vec<Name>>,
        filter: Option<Box<Expr>>,
    },
    /// `link a -> b [on error]`
    Link {
        source: Name,
        target: Name,
        on_error: bool,
    },
    /// Stands for a piece the lowering already reported as broken.
    Error,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

impl Expr {
    /// How much a copy of the expression holds: one per operand and operator, and one per value
    /// of its `in` lists and state lists. Counted without recursion.
    pub fn size(&self) -> usize {
        let mut size = 0;
        let mut pending = vec![self];
        while let Some(expr) = pending.pop() {
            size += 1;
            match &expr.kind {
                ExprKind::Bool(_)
                | ExprKind::Int(_)
                | ExprKind::Decimal(_)
                | ExprKind::Str(_)
                | ExprKind::Path(_)
                | ExprKind::State
                | ExprKind::Link { .. }
                | ExprKind::Error => {}
                ExprKind::Not(inner) => pending.push(inner),
                ExprKind::Logic(_, operands) => pending.extend(operands),
                ExprKind::Compare(_, operands) => pending.extend(operands.iter()),
                ExprKind::In(lhs, set) => {
                    pending.push(lhs);
                    pending.extend(set);
                }
                ExprKind::Sum(first, rest) => {
                    pending.push(first);
                    pending.extend(rest.iter().map(|(_, operand)| operand));
                }
                ExprKind::Quantifier { states, filter, .. } => {
                    size += states.as_ref().map_or(0, Vec::len);
                    pending.extend(filter.as_deref());
                }
            }
        }
        size
    }
}

impl Action {
    /// How much a copy of the action holds: one, plus the size of the value it sets or the states
    /// it sends to.
    pub fn size(&self) -> usize {
        1 + match &self.kind {
            ActionKind::Set { value, .. } => value.size(),
            ActionKind::Send { target, .. } => match target {
                SendTarget::Children {
                    states: Some(states),
                    ..
                }
                | SendTarget::One {
                    states: Some(states),
                    ..
                } => states.len(),
                SendTarget::Index { index, .. } => index.size(),
                _ => 0,
            },
            ActionKind::Raise { .. } => 0,
        }
    }
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Workflow(w) => w.span,
            Item::Machine(m) => m.span,
            Item::Scenario(s) => s.span,
        }
    }
}
