//! A picture as a Mermaid flowchart, for GitHub's Markdown (` ```mermaid ` blocks). Mermaid as
//! GitHub runs it has no tooltips: doc comments and the findings' words are left out; the legend
//! says what the styles mean.

use std::fmt::Write;

use super::{EdgeKind, LegendItem, Picture, Shape, Style, combined};

/// `text` as a quoted Mermaid label: the characters Mermaid reads in a label written as entities,
/// a line break as `<br>`.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#38;"),
            '`' => out.push_str("#96;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `id["label"]` in the shape of the node.
fn node_text(id: &str, label: &str, shape: Shape) -> String {
    let label = quoted(label);
    match shape {
        Shape::Task => format!("{id}[{label}]"),
        Shape::StartTask => format!("{id}[[{label}]]"),
        Shape::State => format!("{id}({label})"),
        Shape::Transient => format!("{id}{{{{{label}}}}}"),
        Shape::Final => format!("{id}((({label})))"),
        Shape::Initial => format!("{id}((\" \"))"),
        Shape::History => format!("{id}(({label}))"),
    }
}

/// A style as Mermaid's `style` and `linkStyle` statements take it.
fn css(style: Style, node: bool) -> String {
    let mut parts = Vec::new();
    if let Some(fill) = style.fill.filter(|_| node) {
        parts.push(format!("fill:{fill}"));
    }
    if let Some(stroke) = style.stroke {
        parts.push(format!("stroke:{stroke}"));
    }
    if let Some(width) = style.width {
        parts.push(format!("stroke-width:{width}px"));
    }
    if style.dashed {
        parts.push("stroke-dasharray:5 3".to_owned());
    }
    parts.join(",")
}

/// The picture as a Mermaid flowchart, top to bottom, with its title, the `children`
/// declarations, the findings on nothing drawn and the legend as subgraphs.
pub fn write(picture: &Picture) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "---\ntitle: {}\n---", quoted(&picture.title));
    let _ = writeln!(out, "flowchart TD");
    let mut styles = Vec::new();
    for node in &picture.nodes {
        let _ = writeln!(out, "  {}", node_text(&node.id, &node.label, node.shape));
        let base = match node.shape {
            Shape::Initial => Some("fill:#111827,stroke:#111827".to_owned()),
            Shape::Transient => Some("stroke-dasharray:5 3".to_owned()),
            _ => None,
        };
        let marks = combined(&node.marks).map(|s| css(s, true));
        let style: Vec<String> = base.into_iter().chain(marks).collect();
        if !style.is_empty() {
            styles.push(format!("  style {} {}", node.id, style.join(",")));
        }
    }
    let mut link_styles = Vec::new();
    let mut drawn = 0usize;
    for edge in &picture.edges {
        let (Some(from), Some(to)) = (picture.nodes.get(edge.from), picture.nodes.get(edge.to))
        else {
            continue;
        };
        let arrow = match edge.kind {
            EdgeKind::ErrorLink => "-.->",
            _ => "-->",
        };
        let label = if edge.label.is_empty() {
            String::new()
        } else {
            format!("|{}|", quoted(&edge.label))
        };
        let _ = writeln!(out, "  {} {arrow}{label} {}", from.id, to.id);
        let style = combined(&edge.marks);
        let base = (edge.kind == EdgeKind::ErrorLink && style.is_none_or(|s| s.stroke.is_none()))
            .then(|| "stroke:#dc2626".to_owned());
        let marks = style.map(|s| css(s, false));
        let style: Vec<String> = base.into_iter().chain(marks).collect();
        if !style.is_empty() {
            link_styles.push(format!("  linkStyle {drawn} {}", style.join(",")));
        }
        drawn += 1;
    }
    if !picture.children.is_empty() {
        let _ = writeln!(out, "  subgraph children [\"children\"]");
        for (i, children) in picture.children.iter().enumerate() {
            let _ = writeln!(out, "    children{i}[/{}/]", quoted(children));
        }
        let _ = writeln!(out, "  end");
    }
    if !picture.notes.is_empty() {
        let _ = writeln!(out, "  subgraph notes [\"findings on the whole item\"]");
        for (i, note) in picture.notes.iter().enumerate() {
            let _ = writeln!(out, "    note{i}[{}]", quoted(note));
        }
        let _ = writeln!(out, "  end");
    }
    let _ = writeln!(out, "  subgraph legend [\"legend\"]");
    for (i, item) in picture.legend().into_iter().enumerate() {
        let id = format!("legend{i}");
        match item {
            LegendItem::Shape(shape) if shape != Shape::Initial => {
                let _ = writeln!(out, "    {}", node_text(&id, item.text(), shape));
                if shape == Shape::Transient {
                    styles.push(format!("  style {id} stroke-dasharray:5 3"));
                }
            }
            LegendItem::Shape(_) => {
                let _ = writeln!(out, "    {id}[{}]", quoted(&format!("● {}", item.text())));
            }
            LegendItem::Edge(kind) => {
                let _ = writeln!(out, "    {id}[{}]", quoted(item.text()));
                if kind == EdgeKind::ErrorLink {
                    styles.push(format!("  style {id} stroke:#dc2626,stroke-dasharray:5 3"));
                }
            }
            LegendItem::Mark(mark) => {
                let _ = writeln!(out, "    {id}[{}]", quoted(item.text()));
                styles.push(format!("  style {id} {}", css(mark.style(), true)));
            }
        }
    }
    let _ = writeln!(out, "  end");
    for line in styles.iter().chain(&link_styles) {
        let _ = writeln!(out, "{line}");
    }
    out
}
