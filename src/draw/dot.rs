//! A picture in Graphviz's DOT language (`dot -Tsvg` lays it out).

use std::fmt::Write;

use super::{EdgeKind, LegendItem, Picture, Shape, Style, combined};

/// `text` as a DOT string, quotes included: `"` and `\` escaped, a line break as `\n`.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The attributes a style adds to a node or an edge (not its fill, see [`fill`], nor its
/// dashes, see [`styles`]).
fn style_attributes(style: Option<Style>, out: &mut Vec<String>) {
    let Some(style) = style else { return };
    if let Some(stroke) = style.stroke {
        out.push(format!("color={}", quoted(stroke)));
    }
    if let Some(width) = style.width {
        out.push(format!("penwidth={width}"));
    }
}

/// A node's `style` attribute: its shape's and its marks' together.
fn styles(shape: Shape, style: Option<Style>) -> String {
    let mut list = vec!["filled"];
    if matches!(shape, Shape::State | Shape::Transient | Shape::Final) {
        list.push("rounded");
    }
    if shape == Shape::Transient || style.is_some_and(|s| s.dashed) {
        list.push("dashed");
    }
    format!("style={}", quoted(&list.join(",")))
}

/// The shape and its size.
fn shape_attributes(shape: Shape) -> &'static str {
    match shape {
        Shape::Task | Shape::State | Shape::Transient => "shape=box",
        Shape::StartTask | Shape::Final => "shape=box, peripheries=2",
        Shape::Initial => "shape=circle, width=0.2, fixedsize=true",
        Shape::History => "shape=circle",
    }
}

/// A node's fill: its marks', else its shape's.
fn fill(shape: Shape, style: Option<Style>) -> String {
    let usual = if shape == Shape::Initial {
        "#111827"
    } else {
        "#ffffff"
    };
    format!(
        "fillcolor={}",
        quoted(style.and_then(|s| s.fill).unwrap_or(usual))
    )
}

/// An error link's dashes and colours; its line's colour gives way to a mark's.
fn edge_attributes(kind: EdgeKind, style: Option<Style>) -> Option<&'static str> {
    match kind {
        EdgeKind::Link | EdgeKind::Transition | EdgeKind::Initial => None,
        EdgeKind::ErrorLink if style.is_some_and(|s| s.stroke.is_some()) => {
            Some("style=dashed, fontcolor=\"#b91c1c\"")
        }
        EdgeKind::ErrorLink => Some("style=dashed, color=\"#dc2626\", fontcolor=\"#b91c1c\""),
    }
}

/// The picture as a DOT digraph, top to bottom; the legend is a cluster of its own, the
/// `children` declarations another, findings on nothing drawn the graph's label.
pub fn write(picture: &Picture) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", quoted(&picture.title));
    let _ = writeln!(out, "  rankdir=TB;");
    let _ = writeln!(out, "  node [fontname=\"Helvetica\", fontsize=11];");
    let _ = writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=10];");
    let mut label = picture.title.clone();
    for note in &picture.notes {
        label.push('\n');
        label.push_str(note);
    }
    let _ = writeln!(out, "  label={}; labelloc=t;", quoted(&label));
    for node in &picture.nodes {
        let style = combined(&node.marks);
        let mut attributes = vec![
            format!("id={}", quoted(&node.id)),
            format!("label={}", quoted(&node.label)),
            shape_attributes(node.shape).to_owned(),
            fill(node.shape, style),
            styles(node.shape, style),
        ];
        if let Some(tip) = &node.tooltip {
            attributes.push(format!("tooltip={}", quoted(tip)));
        }
        style_attributes(style, &mut attributes);
        let _ = writeln!(out, "  {} [{}];", node.id, attributes.join(", "));
    }
    for edge in &picture.edges {
        let (Some(from), Some(to)) = (picture.nodes.get(edge.from), picture.nodes.get(edge.to))
        else {
            continue;
        };
        let style = combined(&edge.marks);
        let mut attributes = vec![format!("id={}", quoted(&edge.id))];
        if !edge.label.is_empty() {
            attributes.push(format!("label={}", quoted(&edge.label)));
        }
        attributes.extend(edge_attributes(edge.kind, style).map(str::to_owned));
        if let Some(tip) = &edge.tooltip {
            attributes.push(format!("tooltip={}", quoted(tip)));
        }
        style_attributes(style, &mut attributes);
        if style.is_some_and(|s| s.dashed) && edge.kind != EdgeKind::ErrorLink {
            attributes.push("style=dashed".to_owned());
        }
        let _ = writeln!(
            out,
            "  {} -> {} [{}];",
            from.id,
            to.id,
            attributes.join(", ")
        );
    }
    if !picture.children.is_empty() {
        let _ = writeln!(out, "  subgraph cluster_children {{");
        let _ = writeln!(out, "    label=\"children\"; style=dashed;");
        for (i, children) in picture.children.iter().enumerate() {
            let _ = writeln!(
                out,
                "    children{i} [label={}, shape=folder];",
                quoted(children)
            );
        }
        let _ = writeln!(out, "  }}");
    }
    write_legend(&mut out, picture);
    out.push_str("}\n");
    out
}

/// The legend: one plain-text line per item, each mark's line in its own style.
fn write_legend(out: &mut String, picture: &Picture) {
    let _ = writeln!(out, "  subgraph cluster_legend {{");
    let _ = writeln!(out, "    label=\"legend\"; style=dotted; fontsize=10;");
    for (i, item) in picture.legend().into_iter().enumerate() {
        let mut attributes = vec![format!("label={}", quoted(item.text()))];
        match item {
            LegendItem::Shape(Shape::Initial) => {
                attributes = vec![
                    format!("label={}", quoted(&format!("● {}", item.text()))),
                    "shape=plaintext".to_owned(),
                ];
            }
            LegendItem::Shape(shape) => {
                attributes.push(shape_attributes(shape).to_owned());
                attributes.push(fill(shape, None));
                attributes.push(styles(shape, None));
            }
            LegendItem::Edge(kind) => {
                attributes.push("shape=plaintext".to_owned());
                if kind == EdgeKind::ErrorLink {
                    attributes.push("fontcolor=\"#dc2626\"".to_owned());
                }
            }
            LegendItem::Mark(mark) => {
                attributes.push("shape=box".to_owned());
                attributes.push(fill(Shape::Task, Some(mark.style())));
                attributes.push(styles(Shape::Task, Some(mark.style())));
                style_attributes(Some(mark.style()), &mut attributes);
            }
        }
        attributes.push("fontsize=9".to_owned());
        let _ = writeln!(out, "    legend{i} [{}];", attributes.join(", "));
    }
    let _ = writeln!(out, "  }}");
}
