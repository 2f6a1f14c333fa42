//! Pictures of workflows and machines: `wfl graph` and the report page of `wfl simulate --format
//! html`.
//!
//! A [`Picture`] is built once from the model (`workflow` / `machine`: nodes, edges, labels,
//! tooltips), marked by the overlays (`overlay.rs`: what `wfl check` found, what a run did) and
//! then written in one format per file: `dot.rs` (Graphviz), `mermaid.rs` (GitHub's Markdown),
//! `svg.rs` (laid out by `layout.rs`, no program needed) and `html.rs` (the SVG and a run, stepped
//! through in the browser). Every text taken from the file is cut ([`MAX_LABEL`],
//! [`MAX_TOOLTIP`]) and has its hidden characters escaped before a writer escapes it again for its
//! format, so a picture is bounded by its model and inert.

pub mod dot;
pub mod html;
pub mod layout;
mod machine;
pub mod mermaid;
pub mod overlay;
pub mod svg;
mod workflow;

pub use machine::machine;
pub use workflow::workflow;

use crate::source::{escape_hidden, is_hidden, push_shown};

/// The most characters of a label (a condition, a guard) drawn on a picture; the rest is cut, and
/// the whole text is in the tooltip.
pub const MAX_LABEL: usize = 48;

/// The most characters of a tooltip (a doc comment, the findings on an element).
pub const MAX_TOOLTIP: usize = 600;

/// A workflow or a machine as nodes and edges, with the marks the overlays put on them.
#[derive(Clone, Debug, Default)]
pub struct Picture {
    /// `workflow sales_pipeline`, `machine group`.
    pub title: String,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// A machine's `children` declarations: `members: group`.
    pub children: Vec<String>,
    /// Findings on the item that no node or edge stands for (a machine that livelocks).
    pub notes: Vec<String>,
}

/// How a node is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shape {
    Task,
    /// A task a run starts from: declared in `start`, or without incoming links.
    StartTask,
    State,
    Transient,
    Final,
    /// Where a machine starts: its `initial` rules leave from here.
    Initial,
    /// The target of `-> history`: the state an instance was in before.
    History,
}

/// How an edge is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EdgeKind {
    Link,
    ErrorLink,
    Transition,
    /// An `initial -> S` rule.
    Initial,
}

#[derive(Clone, Debug)]
pub struct Node {
    /// Unique in the picture, ASCII letters, digits and `_`: `t0`, `s3`, `init`.
    pub id: String,
    pub label: String,
    pub shape: Shape,
    pub tooltip: Option<String>,
    pub marks: Vec<Mark>,
}

#[derive(Clone, Debug)]
pub struct Edge {
    /// Unique in the picture, as node ids: `l0`, `tr2_0`, `i1`.
    pub id: String,
    pub from: usize,
    pub to: usize,
    pub label: String,
    pub kind: EdgeKind,
    pub tooltip: Option<String>,
    pub marks: Vec<Mark>,
}

/// What an overlay says about a node or an edge; each has a style and a line in the legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mark {
    /// `wfl check` found something here (the tooltip says what).
    Finding,
    /// A task's state at the end of the run (or at a step of it).
    Task(crate::model::TaskState),
    /// A link's state in the run.
    Link(crate::model::LinkState),
    /// A machine state some instance of the machine entered in the run.
    Entered,
    /// A machine state no instance of the machine entered in the run.
    NotEntered,
    /// The state the run's first instance of the machine is in at the end (or at a step).
    Current,
    /// A transition or initial rule the run took.
    Taken,
    /// A transition or initial rule the run did not take.
    NotTaken,
}

/// How a mark is drawn in every format: a fill for nodes, a stroke colour and dashes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    /// The class of the SVG and HTML elements: `m-finding`, `m-FINISHED_OK`.
    pub class: &'static str,
    pub fill: Option<&'static str>,
    pub stroke: Option<&'static str>,
    /// Stroke width, when it is not the usual one.
    pub width: Option<f32>,
    pub dashed: bool,
    /// The line of the legend.
    pub legend: &'static str,
}

impl Mark {
    pub fn style(self) -> Style {
        use crate::model::{LinkState as L, TaskState as T};
        let style = |class, fill, stroke, dashed, legend| Style {
            class,
            fill,
            stroke,
            width: None,
            dashed,
            legend,
        };
        match self {
            Mark::Finding => Style {
                width: Some(3.0),
                ..style(
                    "m-finding",
                    None,
                    Some("#c2410c"),
                    true,
                    "found by `wfl check` (the tooltip says what)",
                )
            },
            Mark::Task(state) => match state {
                T::WAITING => style("m-WAITING", Some("#ffffff"), None, false, "WAITING"),
                T::IN_QUEUE => style("m-IN_QUEUE", Some("#fef08a"), None, false, "IN_QUEUE"),
                T::RUNNING => style("m-RUNNING", Some("#93c5fd"), None, false, "RUNNING"),
                T::FINISHED_OK => {
                    style("m-FINISHED_OK", Some("#86efac"), None, false, "FINISHED_OK")
                }
                T::FINISHED_FAILURE => style(
                    "m-FINISHED_FAILURE",
                    Some("#fca5a5"),
                    None,
                    false,
                    "FINISHED_FAILURE",
                ),
                T::SKIPPED => style("m-SKIPPED", Some("#d1d5db"), None, false, "SKIPPED"),
                T::SKIPPED_FAILURE => style(
                    "m-SKIPPED_FAILURE",
                    Some("#fdba74"),
                    None,
                    false,
                    "SKIPPED_FAILURE",
                ),
                T::UNKNOWN => style("m-UNKNOWN", Some("#d8b4fe"), None, false, "UNKNOWN"),
                T::NOT_RUN => style("m-NOT_RUN", Some("#f3f4f6"), None, true, "NOT_RUN"),
            },
            Mark::Link(state) => match state {
                L::ACCEPTED => Style {
                    width: Some(2.5),
                    ..style(
                        "m-l-ACCEPTED",
                        None,
                        Some("#15803d"),
                        false,
                        "link ACCEPTED",
                    )
                },
                L::REJECTED => style("m-l-REJECTED", None, Some("#9ca3af"), true, "link REJECTED"),
                L::SKIPPED => style("m-l-SKIPPED", None, Some("#9ca3af"), true, "link SKIPPED"),
                L::SKIPPED_FAILURE => style(
                    "m-l-SKIPPED_FAILURE",
                    None,
                    Some("#ea580c"),
                    true,
                    "link SKIPPED_FAILURE",
                ),
            },
            Mark::Entered => style(
                "m-entered",
                Some("#86efac"),
                None,
                false,
                "entered in the run",
            ),
            Mark::NotEntered => style(
                "m-not-entered",
                Some("#f3f4f6"),
                None,
                true,
                "not entered in the run",
            ),
            Mark::Current => Style {
                width: Some(4.0),
                ..style(
                    "m-current",
                    None,
                    Some("#1d4ed8"),
                    false,
                    "where the run is (its first instance of the machine)",
                )
            },
            Mark::Taken => Style {
                width: Some(2.5),
                ..style("m-taken", None, Some("#15803d"), false, "taken in the run")
            },
            Mark::NotTaken => style(
                "m-not-taken",
                None,
                Some("#d1d5db"),
                true,
                "not taken in the run",
            ),
        }
    }

    /// Every mark, in the order the legend lists them.
    pub fn all() -> Vec<Mark> {
        use crate::model::{LinkState, TaskState};
        let mut all = vec![Mark::Finding];
        all.extend(TaskState::ALL.iter().map(|&s| Mark::Task(s)));
        all.extend(LinkState::ALL.iter().map(|&s| Mark::Link(s)));
        all.extend([
            Mark::Entered,
            Mark::NotEntered,
            Mark::Current,
            Mark::Taken,
            Mark::NotTaken,
        ]);
        all
    }
}

/// The style of a set of marks: each later mark's fill, stroke, width and dashes over the earlier
/// ones' (a run's state fills a node, a finding outlines it).
pub fn combined(marks: &[Mark]) -> Option<Style> {
    let mut styles = marks.iter().map(|m| m.style());
    let first = styles.next()?;
    Some(styles.fold(first, |acc, s| Style {
        class: s.class,
        fill: s.fill.or(acc.fill),
        stroke: s.stroke.or(acc.stroke),
        width: s.width.or(acc.width),
        dashed: s.dashed || acc.dashed,
        legend: s.legend,
    }))
}

/// One line of a picture's legend: a mark, or how a kind of node or edge is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LegendItem {
    Shape(Shape),
    Edge(EdgeKind),
    Mark(Mark),
}

impl LegendItem {
    pub fn text(self) -> &'static str {
        match self {
            LegendItem::Shape(shape) => match shape {
                Shape::Task => "task",
                Shape::StartTask => "task a run starts from (double border)",
                Shape::State => "state",
                Shape::Transient => "transient state (dashed border)",
                Shape::Final => "final state (double border)",
                Shape::Initial => "where an instance starts (`initial` rules)",
                Shape::History => "history: back to the state before",
            },
            LegendItem::Edge(kind) => match kind {
                EdgeKind::Link => "link",
                EdgeKind::ErrorLink => "error link (dashed, red)",
                EdgeKind::Transition => "transition: event, `by` actor, `when` guard",
                EdgeKind::Initial => "initial rule",
            },
            LegendItem::Mark(mark) => mark.style().legend,
        }
    }
}

impl Picture {
    /// What the legend lists: the shapes and edge kinds drawn, then the marks used, each once.
    pub fn legend(&self) -> Vec<LegendItem> {
        let mut items: Vec<LegendItem> = self
            .nodes
            .iter()
            .map(|n| LegendItem::Shape(n.shape))
            .chain(self.edges.iter().map(|e| LegendItem::Edge(e.kind)))
            .chain(
                self.nodes
                    .iter()
                    .flat_map(|n| &n.marks)
                    .chain(self.edges.iter().flat_map(|e| &e.marks))
                    .map(|&m| LegendItem::Mark(m)),
            )
            .collect();
        items.sort();
        items.dedup();
        items
    }
}

/// An edge whose label is cut to [`MAX_LABEL`] characters; the whole label (and the doc comment)
/// is then its tooltip.
pub(crate) fn edge(
    id: String,
    ends: (usize, usize),
    label: &str,
    kind: EdgeKind,
    doc: Option<&str>,
) -> Edge {
    let whole = one_line(label, usize::MAX);
    let cut = whole.chars().count() > MAX_LABEL;
    let tip = match (cut, doc) {
        (true, Some(doc)) => Some(format!("{whole}\n\n{doc}")),
        (true, None) => Some(whole.clone()),
        (false, Some(doc)) => Some(doc.to_owned()),
        (false, None) => None,
    };
    Edge {
        id,
        from: ends.0,
        to: ends.1,
        label: one_line(label, MAX_LABEL),
        kind,
        tooltip: tip.as_deref().map(tooltip),
        marks: Vec::new(),
    }
}

/// The text of an expression at `span` of the file, its comments left out (an expression written
/// over several lines may have some); empty when the span is not in the text.
pub(crate) fn expression_text(source: &str, span: crate::source::Span) -> String {
    let text = source.get(span.range()).unwrap_or("");
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => in_string = !in_string,
            '\\' if in_string => {
                out.push(c);
                if let Some(next) = chars.next() {
                    out.push(next);
                }
                continue;
            }
            '/' if !in_string && chars.peek() == Some(&'/') => {
                // A comment, to the end of its line.
                for skipped in chars.by_ref() {
                    if skipped == '\n' {
                        break;
                    }
                }
                out.push(' ');
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// `text` on one line, its runs of white space made one space, cut to `max` characters (with `…`)
/// and its hidden characters escaped.
pub fn one_line(text: &str, max: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    let cut: String = if joined.chars().count() > max {
        let mut cut: String = joined.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    } else {
        joined
    };
    escape_hidden(&cut, false).into_owned()
}

/// A name (of a task, a state, an item) as a label: its line breaks and other hidden characters
/// escaped as everywhere else (`\u{a}`), cut to [`MAX_LABEL`] characters.
pub fn name_label(name: &str) -> String {
    one_line(&escape_hidden(name, false), MAX_LABEL)
}

/// A doc comment or a list of findings as a tooltip: lines kept, cut to [`MAX_TOOLTIP`]
/// characters, hidden characters escaped.
pub fn tooltip(text: &str) -> String {
    let cut: String = if text.chars().count() > MAX_TOOLTIP {
        let mut cut: String = text.chars().take(MAX_TOOLTIP - 1).collect();
        cut.push('…');
        cut
    } else {
        text.to_owned()
    };
    escape_hidden(&cut, true).into_owned()
}

/// `text` as XML (SVG, HTML, JUnit) content: see [`xml`].
pub fn xml_escape(text: &str) -> String {
    xml(text, false)
}

/// `text` as the value of an XML attribute: see [`xml`].
pub fn xml_attribute(text: &str) -> String {
    xml(text, true)
}

/// `&`, `<`, `>`, `"` and `'` as entities; characters XML 1.0 does not allow (most control
/// characters) and other hidden ones written as Rust escapes (`\u{1b}`), as everywhere else;
/// line breaks and tabs as character references in attributes (where a parser would turn them into
/// spaces), as they are in content.
fn xml(text: &str, in_attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' if in_attribute => out.push_str("&#10;"),
            '\t' if in_attribute => out.push_str("&#9;"),
            '\n' | '\t' => out.push(c),
            c if is_hidden(c) => push_shown(&mut out, c),
            c if !allowed_in_xml(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// Whether XML 1.0 allows `c` in a document (its `Char` production).
fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}
