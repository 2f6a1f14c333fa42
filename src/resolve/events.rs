//! Events and actors: the names a machine declares with `event …` and `actor …`, and every use of
//! one checked against the declarations of the machine it concerns.
//!
//! Events and actors are file-wide names, interned on first use. A machine that declares no event
//! takes any event (and likewise for actors, separately); one that declares its events takes only
//! those, so a misspelt event sent to it, raised in it or taken by one of its transitions is E0106
//! (E0107 for an actor) instead of a name of its own.

use rustc_hash::{FxHashMap, FxHashSet};

use super::Resolver;
use crate::diagnostic::{Code, Diagnostic, written_name};
use crate::model::*;
use crate::source::Span;
use crate::syntax::ast;

/// Which of the two kinds of file-wide names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum NameKind {
    Event,
    Actor,
}

impl NameKind {
    fn word(self) -> &'static str {
        match self {
            NameKind::Event => "event",
            NameKind::Actor => "actor",
        }
    }

    fn plural(self) -> &'static str {
        match self {
            NameKind::Event => "events",
            NameKind::Actor => "actors",
        }
    }

    /// "they take only the events it declares", "it accepts events only from the actors `m`
    /// declares": what a receiver does with the names it declares.
    fn only(self, receivers: &str, declarer: &str) -> String {
        let verb = |singular: &str, plural: &str| {
            if receivers == "they" {
                plural
            } else {
                singular
            }
            .to_owned()
        };
        match self {
            NameKind::Event => format!(
                "{receivers} {} only the events {declarer} declares",
                verb("takes", "take")
            ),
            NameKind::Actor => format!(
                "{receivers} {} events only from the actors {declarer} declares",
                verb("accepts", "accept")
            ),
        }
    }

    fn code(self) -> Code {
        match self {
            NameKind::Event => Code::E0106,
            NameKind::Actor => Code::E0107,
        }
    }

    /// Where the things of this kind are kept in two-element arrays: [`Declarations`] in
    /// [`super::MachineNames::declared`], the interned names in `Resolver::interned`.
    pub(super) fn slot(self) -> usize {
        match self {
            NameKind::Event => 0,
            NameKind::Actor => 1,
        }
    }
}

/// What one machine declares of one kind: a lookup by interned index, and the names in file
/// order (for did-you-mean and the "declared here" label).
#[derive(Debug, Default)]
pub(super) struct Declarations {
    ids: FxHashSet<usize>,
    names: Vec<Name>,
    /// The end of the last statement without `external` or `internal`: where `, NAME` declares
    /// one more name (the fix of E0106 and E0107).
    open_end: Option<Span>,
}

/// Where an event or actor is used, for the words of E0106 and E0107.
#[derive(Clone, Copy, Debug)]
pub(super) enum Place<'a> {
    /// A transition of the machine (`on E`, `by A`): counted for W0205.
    Transition,
    /// `raise E`, or a scenario `send` to the root instance.
    Own,
    /// `send E to GROUP`: the group's machine receives it.
    Children(&'a Name),
    /// `send E to parent`, in the machine named: every machine with it as children receives it.
    Parent(MachineId),
    /// A scenario `send … to PATH`, with the path as written.
    Path(&'a str),
}

/// A name declared again, where it stands: name `index` of the statement's `list`.
struct Again<'a> {
    name: &'a Name,
    /// Where it was first declared.
    first: Span,
    list: &'a [Span],
    index: usize,
    statement: Span,
}

/// A name a machine declares: its interned index, the name where it is written, its statement's
/// doc comment and origin (`external`, `internal`; events only).
type DeclaredName = (usize, Name, Option<String>, Option<Origin>);

impl Resolver {
    /// Declares the events and actors of machine `m` (`event …`, `actor …`), in the signature
    /// phase, so that every use anywhere in the file is checked against them.
    pub(super) fn declare_events_and_actors(&mut self, m: MachineId, machine: &ast::Machine) {
        if let Some(declared) = self.declare_names(m, NameKind::Event, &machine.events) {
            let machine = &mut self.program.machines[m.index()];
            machine.origins = (declared.iter())
                .filter_map(|(index, _, _, origin)| Some((EventId::from_index(*index), (*origin)?)))
                .collect();
            let events = declared.into_iter().map(|(index, name, doc, _)| Declared {
                id: EventId::from_index(index),
                name,
                doc,
            });
            machine.events = Some(events.collect());
        }
        if let Some(declared) = self.declare_names(m, NameKind::Actor, &machine.actors) {
            let actors = declared.into_iter().map(|(index, name, doc, _)| Declared {
                id: ActorId::from_index(index),
                name,
                doc,
            });
            self.program.machines[m.index()].actors = Some(actors.collect());
        }
    }

    /// The names `decls` declare, interned, each with its statement's doc comment and origin
    /// (`external`, `internal`); `None` when
    /// there is no such statement (the machine does not declare this kind). A name declared twice
    /// is E0100, and kept once.
    fn declare_names(
        &mut self,
        m: MachineId,
        kind: NameKind,
        decls: &[ast::NameDecl],
    ) -> Option<Vec<DeclaredName>> {
        if decls.is_empty() {
            return None;
        }
        let mut first: FxHashMap<&str, Span> = FxHashMap::default();
        let mut declarations = Declarations::default();
        let mut declared = Vec::new();
        for decl in decls {
            let spans: Vec<Span> = decl.names.iter().map(|n| n.span).collect();
            if let Some(last) = spans.last().filter(|_| decl.origin.is_none()) {
                declarations.open_end = Some(Span::new(last.end as usize, last.end as usize));
            }
            for (i, name) in decl.names.iter().enumerate() {
                if let Some(&at) = first.get(name.as_str()) {
                    let again = Again {
                        name,
                        first: at,
                        list: &spans,
                        index: i,
                        statement: decl.span,
                    };
                    self.declared_twice(m, kind, &again);
                    continue;
                }
                first.insert(name.as_str(), name.span);
                let index = self.name_use(kind, name, None);
                declarations.ids.insert(index);
                declarations.names.push(name.clone());
                let doc = decl.doc.as_ref().map(|d| d.text.clone());
                declared.push((index, name.clone(), doc, decl.origin));
            }
        }
        self.machine_names[m.index()].declared[kind.slot()] = Some(declarations);
        Some(declared)
    }

    /// E0100 for an event or actor a machine declares twice. The fix is to drop one: renaming it
    /// would declare another name. It removes this one from its list, with its comma (or its
    /// statement, when it is the only name there).
    fn declared_twice(&mut self, m: MachineId, kind: NameKind, again: &Again<'_>) {
        let (name, first) = (again.name, again.first);
        let word = kind.word();
        self.push(
            Diagnostic::new(
                Code::E0100,
                format!(
                    "{word} `{}` is declared twice in machine `{}`",
                    name.as_str(),
                    self.program.machine(m).name.as_str()
                ),
                name.span,
                "declared again here",
            )
            .with_label(first, "first declared here")
            .with_help(format!("remove this `{}`", name.as_str()))
            .with_list_removal(
                format!("remove this `{}`", name.as_str()),
                again.list,
                again.index,
                again.statement,
            ),
        );
    }

    /// The event `name`, used at `place` and received by an instance of `receiver`: interned and
    /// counted; `None`, with E0106, when `receiver` declares its events and not this one.
    pub(super) fn event_for(
        &mut self,
        receiver: MachineId,
        name: &Name,
        place: Place<'_>,
    ) -> Option<EventId> {
        self.declared_use(receiver, NameKind::Event, name, place)
            .map(EventId::from_index)
    }

    /// The actor `name`, used at `place` for an event received by an instance of `receiver`:
    /// interned and counted; `None`, with E0107, when `receiver` declares its actors and not this
    /// one.
    pub(super) fn actor_for(
        &mut self,
        receiver: MachineId,
        name: &Name,
        place: Place<'_>,
    ) -> Option<ActorId> {
        self.declared_use(receiver, NameKind::Actor, name, place)
            .map(ActorId::from_index)
    }

    /// The index of `name` of `kind`, interned and counted, when `receiver` takes it.
    fn declared_use(
        &mut self,
        receiver: MachineId,
        kind: NameKind,
        name: &Name,
        place: Place<'_>,
    ) -> Option<usize> {
        let index = self.use_in(receiver, kind, name, place);
        self.is_declared(receiver, kind, name, index, place)
            .then_some(index)
    }

    /// The event of `send … to parent` in machine `m`: every machine with `m` as children receives
    /// it; `None`, with E0106, when one of them declares its events and not this one.
    pub(super) fn event_for_parents(&mut self, m: MachineId, name: &Name) -> Option<EventId> {
        let index = self.use_in(m, NameKind::Event, name, Place::Parent(m));
        // Each (machine, event) pair looks at the parents once: a machine may have as many parents
        // as the file has machines, and send to them as often as the file has lines.
        let refusing = match self.parent_refusing.get(&(m, index)) {
            Some(&refusing) => refusing,
            None => {
                let parents = self.parents.get(m.index()).map_or(&[][..], Vec::as_slice);
                let refusing = parents.iter().copied().find(|&p| {
                    (self.machine_names[p.index()].declared[NameKind::Event.slot()].as_ref())
                        .is_some_and(|d| !d.ids.contains(&index))
                });
                self.parent_refusing.insert((m, index), refusing);
                refusing
            }
        };
        match refusing {
            Some(parent) => {
                self.is_declared(parent, NameKind::Event, name, index, Place::Parent(m));
                None
            }
            None => Some(EventId::from_index(index)),
        }
    }

    /// Interns and counts a use of `name`; a transition's is recorded for W0205.
    fn use_in(&mut self, m: MachineId, kind: NameKind, name: &Name, place: Place<'_>) -> usize {
        let in_transition = matches!(place, Place::Transition).then_some((name.span, m));
        self.name_use(kind, name, in_transition)
    }

    /// Whether `receiver` takes name `index` of `kind`: it declares none of that kind, or this
    /// one. When not, E0106 or E0107 at `name`.
    fn is_declared(
        &mut self,
        receiver: MachineId,
        kind: NameKind,
        name: &Name,
        index: usize,
        place: Place<'_>,
    ) -> bool {
        let Some(declarations) = &self.machine_names[receiver.index()].declared[kind.slot()] else {
            return true;
        };
        if declarations.ids.contains(&index) {
            return true;
        }
        let close = self
            .suggest
            .did_you_mean(name.as_str(), declarations.names.iter().map(Name::as_str));
        let declared_at = declarations.names.first().map(|n| n.span);
        let open_end = declarations.open_end;
        let machine = self.program.machine(receiver).name.as_str().to_owned();
        let (word, plural) = (kind.word(), kind.plural());
        let mut diagnostic = Diagnostic::new(
            kind.code(),
            format!("machine `{machine}` declares no {word} `{}`", name.as_str()),
            name.span,
            format!("not one of the {plural} of `{machine}`"),
        );
        if let Some(at) = declared_at {
            diagnostic =
                diagnostic.with_label(at, format!("`{machine}` declares its {plural} here"));
        }
        if let Some(note) = self.place_note(place, receiver, kind) {
            diagnostic = diagnostic.with_note(note);
        }
        diagnostic = match (close, open_end) {
            (Some(_), _) => diagnostic.with_suggestion(close),
            (None, end) => {
                let help = format!(
                    "add `{}` to the `{word}` list of `{machine}`",
                    name.as_str()
                );
                match end {
                    Some(end) => diagnostic.with_help(help.clone()).with_fix(
                        help,
                        end,
                        format!(", {}", written_name(name.as_str())),
                    ),
                    None => diagnostic.with_help(help),
                }
            }
        };
        self.push(diagnostic);
        false
    }

    /// Why `receiver` is the machine whose declarations count, when it is not the one the use is
    /// written in.
    fn place_note(&self, place: Place<'_>, receiver: MachineId, kind: NameKind) -> Option<String> {
        let receiver = self.program.machine(receiver).name.as_str();
        match place {
            Place::Transition | Place::Own => None,
            Place::Children(group) => Some(format!(
                "the children in `{}` are instances of `{receiver}`: {}",
                group.as_str(),
                kind.only("they", "it")
            )),
            Place::Parent(child) => Some(format!(
                "`{receiver}` has children of machine `{}`: it receives what they send to their parent",
                self.program.machine(child).name.as_str()
            )),
            Place::Path(path) => Some(format!(
                "`{path}` is an instance of `{receiver}`: {}",
                kind.only("it", &format!("`{receiver}`"))
            )),
        }
    }
}
