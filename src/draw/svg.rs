//! A picture as SVG, laid out by `layout.rs`: one `<g>` per node and edge with the picture's id
//! and a class per mark (so the report page can recolour it), the tooltip as its `<title>`, the
//! `children` declarations, the findings on nothing drawn and the legend below the graph.

use std::fmt::Write;

use super::layout::{self, EdgePath, Input, MARGIN};
use super::{EdgeKind, LegendItem, Mark, Picture, Shape, xml_escape};

/// Text is drawn in a 12px monospace font, each character at most this wide, so sizes are
/// known without measuring fonts.
const CHAR_WIDTH: f64 = 7.4;
const LINE_HEIGHT: f64 = 15.0;
/// Room inside a node around its label.
const PAD_X: f64 = 12.0;
const PAD_Y: f64 = 9.0;
const INITIAL_RADIUS: f64 = 7.0;
const ARROW: f64 = 8.0;

/// The most characters on a line of an edge's label in SVG: longer labels are wrapped at spaces,
/// so the ranks of labels stay narrow.
const WRAP: usize = 24;

/// `text` with its lines wrapped at spaces to about [`WRAP`] characters.
fn wrap(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in text.split('\n') {
        let mut current = String::new();
        for word in line.split(' ') {
            if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > WRAP {
                lines.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        lines.push(current);
    }
    lines.join("\n")
}

/// The width and height of text of several lines.
fn text_size(text: &str) -> (f64, f64) {
    if text.is_empty() {
        return (0.0, 0.0);
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let longest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    (
        longest as f64 * CHAR_WIDTH,
        lines.len() as f64 * LINE_HEIGHT,
    )
}

fn node_size(label: &str, shape: Shape) -> (f64, f64) {
    match shape {
        Shape::Initial => (2.0 * INITIAL_RADIUS, 2.0 * INITIAL_RADIUS),
        Shape::History => (26.0, 26.0),
        _ => {
            let (w, h) = text_size(label);
            (w + 2.0 * PAD_X, h + 2.0 * PAD_Y)
        }
    }
}

/// A number as SVG gets it: one decimal.
fn n(x: f64) -> String {
    format!("{x:.1}")
}

/// The style sheet: the shapes, then one rule per mark (a node's fill and outline, an edge's
/// line and arrow), so a mark's class is all an element needs.
fn style_sheet() -> String {
    let mut css = String::from(
        "text{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:12px;fill:#111827}\
         .node .shape{fill:#ffffff;stroke:#374151;stroke-width:1.5}\
         .node .inner{fill:none;stroke:#374151;stroke-width:1}\
         .node.initial .shape{fill:#111827}\
         .node.transient .shape{stroke-dasharray:5 3}\
         .edge path{fill:none;stroke:#4b5563;stroke-width:1.5}\
         .edge .arrow{fill:#4b5563;stroke:none}\
         .edge text{font-size:11px;paint-order:stroke;stroke:#ffffff;stroke-width:3px}\
         .edge.error path{stroke:#dc2626;stroke-dasharray:6 3}\
         .edge.error .arrow{fill:#dc2626}\
         .edge.error text{fill:#b91c1c}\
         .legend text,.notes text{font-size:11px}\n",
    );
    for mark in Mark::all() {
        let style = mark.style();
        let class = style.class;
        let mut shape = Vec::new();
        let mut line = Vec::new();
        if let Some(fill) = style.fill {
            shape.push(format!("fill:{fill}"));
        }
        if let Some(stroke) = style.stroke {
            shape.push(format!("stroke:{stroke}"));
            line.push(format!("stroke:{stroke}"));
        }
        if let Some(width) = style.width {
            shape.push(format!("stroke-width:{width}"));
            line.push(format!("stroke-width:{width}"));
        }
        if style.dashed {
            shape.push("stroke-dasharray:5 3".to_owned());
            line.push("stroke-dasharray:5 3".to_owned());
        }
        if !shape.is_empty() {
            let _ = writeln!(css, ".node.{class} .shape{{{}}}", shape.join(";"));
        }
        if !line.is_empty() {
            let _ = writeln!(css, ".edge.{class} path{{{}}}", line.join(";"));
        }
        if let Some(stroke) = style.stroke {
            let _ = writeln!(css, ".edge.{class} .arrow{{fill:{stroke}}}");
        }
    }
    css
}

/// Lines of text centred on `(x, y)`.
fn centred_text(out: &mut String, text: &str, (x, y): (f64, f64)) {
    let lines: Vec<&str> = text.split('\n').collect();
    let top = y - (lines.len() as f64 - 1.0) * LINE_HEIGHT / 2.0;
    for (k, line) in lines.iter().enumerate() {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" dominant-baseline=\"central\">{}</text>",
            n(x),
            n(top + k as f64 * LINE_HEIGHT),
            xml_escape(line)
        );
    }
}

/// Lines of text from the top-left corner `(x, y)`.
fn left_text(out: &mut String, text: &str, (x, y): (f64, f64)) {
    for (k, line) in text.split('\n').enumerate() {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" dominant-baseline=\"central\">{}</text>",
            n(x),
            n(y + (k as f64 + 0.5) * LINE_HEIGHT),
            xml_escape(line)
        );
    }
}

fn classes(base: &str, marks: &[Mark]) -> String {
    let mut list = vec![base.to_owned()];
    list.extend(marks.iter().map(|m| m.style().class.to_owned()));
    list.join(" ")
}

fn title(out: &mut String, tooltip: Option<&String>) {
    if let Some(tip) = tooltip {
        let _ = write!(out, "<title>{}</title>", xml_escape(tip));
    }
}

/// The outline of a node of `shape` and size `(w, h)` centred on `(x, y)`.
fn shape_svg(out: &mut String, shape: Shape, (x, y): (f64, f64), (w, h): (f64, f64)) {
    let rect = |out: &mut String, class: &str, inset: f64, rx: f64| {
        let _ = write!(
            out,
            "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\"/>",
            n(x - w / 2.0 + inset),
            n(y - h / 2.0 + inset),
            n(w - 2.0 * inset),
            n(h - 2.0 * inset),
            n(rx)
        );
    };
    match shape {
        Shape::Task => rect(out, "shape", 0.0, 2.0),
        Shape::StartTask => {
            rect(out, "shape", 0.0, 2.0);
            rect(out, "inner", 3.5, 1.0);
        }
        Shape::State | Shape::Transient => rect(out, "shape", 0.0, 10.0),
        Shape::Final => {
            rect(out, "shape", 0.0, 10.0);
            rect(out, "inner", 3.5, 7.0);
        }
        Shape::Initial | Shape::History => {
            let _ = write!(
                out,
                "<circle class=\"shape\" cx=\"{}\" cy=\"{}\" r=\"{}\"/>",
                n(x),
                n(y),
                n(w / 2.0)
            );
        }
    }
}

fn shape_class(shape: Shape) -> &'static str {
    match shape {
        Shape::Task => "node task",
        Shape::StartTask => "node task start",
        Shape::State => "node state",
        Shape::Transient => "node state transient",
        Shape::Final => "node state final",
        Shape::Initial => "node initial",
        Shape::History => "node history",
    }
}

/// An edge's line through its points (vertical curves between ranks) and its arrow head.
fn edge_svg(out: &mut String, path: &EdgePath) {
    let Some(&end) = path.points.last() else {
        return;
    };
    let mut d = String::new();
    let before_end;
    if path.is_loop && path.points.len() == 4 {
        let p = &path.points;
        before_end = p[2];
        let _ = write!(
            d,
            "M{},{} C{},{} {},{} {},{}",
            n(p[0].0),
            n(p[0].1),
            n(p[1].0),
            n(p[1].1),
            n(p[2].0),
            n(p[2].1),
            n(p[3].0),
            n(p[3].1)
        );
    } else {
        let first = path.points[0];
        let _ = write!(d, "M{},{}", n(first.0), n(first.1));
        let mut last_control = first;
        for pair in path.points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let mid = (a.1 + b.1) / 2.0;
            let _ = write!(
                d,
                " C{},{} {},{} {},{}",
                n(a.0),
                n(mid),
                n(b.0),
                n(mid),
                n(b.0),
                n(b.1)
            );
            last_control = (b.0, mid);
        }
        before_end = last_control;
    }
    let _ = write!(out, "<path d=\"{d}\"/>");
    // The arrow head, along the curve's last direction.
    let (mut dx, mut dy) = (end.0 - before_end.0, end.1 - before_end.1);
    if dx.abs() + dy.abs() < 0.01
        && let Some(&from) = path.points.iter().rev().nth(1)
    {
        (dx, dy) = (end.0 - from.0, end.1 - from.1);
    }
    let length = (dx * dx + dy * dy).sqrt();
    let (ux, uy) = if length > 0.0 {
        (dx / length, dy / length)
    } else {
        (0.0, 1.0)
    };
    let base = (end.0 - ux * ARROW, end.1 - uy * ARROW);
    let side = (-uy * ARROW / 2.5, ux * ARROW / 2.5);
    let _ = write!(
        out,
        "<polygon class=\"arrow\" points=\"{},{} {},{} {},{}\"/>",
        n(end.0),
        n(end.1),
        n(base.0 + side.0),
        n(base.1 + side.1),
        n(base.0 - side.0),
        n(base.1 - side.1)
    );
}

/// The `<svg>` element of the picture (for a file of its own, or inside the report page).
pub fn write(picture: &Picture) -> String {
    write_with_legend(picture, &picture.legend())
}

/// [`write`] with the legend given (the report page lists the marks of every step of its run).
pub fn write_with_legend(picture: &Picture, legend_items: &[LegendItem]) -> String {
    let sizes: Vec<(f64, f64)> = picture
        .nodes
        .iter()
        .map(|node| node_size(&node.label, node.shape))
        .collect();
    let labels: Vec<String> = picture.edges.iter().map(|edge| wrap(&edge.label)).collect();
    let label_sizes: Vec<(f64, f64)> = labels.iter().map(|label| text_size(label)).collect();
    let input = Input {
        nodes: sizes.clone(),
        edges: picture
            .edges
            .iter()
            .zip(&label_sizes)
            .map(|(edge, &size)| (edge.from, edge.to, size))
            .collect(),
    };
    let laid = layout::layout(&input);
    let mut body = String::new();
    for (e, edge) in picture.edges.iter().enumerate() {
        let Some(path) = laid.edges.get(e) else {
            continue;
        };
        let base = if edge.kind == EdgeKind::ErrorLink {
            "edge error"
        } else {
            "edge"
        };
        let _ = write!(
            body,
            "<g id=\"{}\" class=\"{}\">",
            edge.id,
            classes(base, &edge.marks)
        );
        title(&mut body, edge.tooltip.as_ref());
        edge_svg(&mut body, path);
        if let (Some(corner), Some(label)) = (path.label, labels.get(e)) {
            left_text(&mut body, label, corner);
        }
        body.push_str("</g>\n");
    }
    for (i, node) in picture.nodes.iter().enumerate() {
        let (Some(&centre), Some(&size)) = (laid.nodes.get(i), sizes.get(i)) else {
            continue;
        };
        let _ = write!(
            body,
            "<g id=\"{}\" class=\"{}\">",
            node.id,
            classes(shape_class(node.shape), &node.marks)
        );
        title(&mut body, node.tooltip.as_ref());
        shape_svg(&mut body, node.shape, centre, size);
        if node.shape != Shape::Initial {
            centred_text(&mut body, &node.label, centre);
        }
        body.push_str("</g>\n");
    }
    let mut width = laid.width;
    let mut y = laid.height;
    let mut below = String::new();
    y = text_block(
        &mut below,
        "children",
        "children",
        &picture.children,
        y,
        &mut width,
    );
    y = text_block(
        &mut below,
        "notes",
        "findings on the whole item",
        &picture.notes,
        y,
        &mut width,
    );
    let height = legend(&mut below, legend_items, y, &mut width);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"picture-title\">",
        w = n(width),
        h = n(height)
    );
    let _ = writeln!(
        out,
        "<title id=\"picture-title\">{}</title>",
        xml_escape(&picture.title)
    );
    let _ = writeln!(out, "<style>\n{}</style>", style_sheet());
    let _ = writeln!(
        out,
        "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
    );
    out.push_str(&body);
    out.push_str(&below);
    out.push_str("</svg>\n");
    out
}

/// A heading and lines of text below the graph, from `y`; where the next block starts.
fn text_block(
    out: &mut String,
    class: &str,
    heading: &str,
    lines: &[String],
    y: f64,
    width: &mut f64,
) -> f64 {
    if lines.is_empty() {
        return y;
    }
    let _ = write!(out, "<g class=\"{class}\">");
    left_text(out, &format!("{heading}:"), (MARGIN, y));
    let mut at = y + LINE_HEIGHT;
    for line in lines {
        let text = line.replace('\n', " ");
        left_text(out, &text, (MARGIN + 12.0, at));
        *width = width.max(MARGIN * 2.0 + 12.0 + text_size(&text).0);
        at += LINE_HEIGHT;
    }
    out.push_str("</g>\n");
    at + LINE_HEIGHT / 2.0
}

/// The legend below the graph from `y`, a swatch and a line per item; the picture's height.
fn legend(out: &mut String, items: &[LegendItem], y: f64, width: &mut f64) -> f64 {
    let _ = write!(out, "<g class=\"legend\">");
    left_text(out, "legend:", (MARGIN, y));
    let mut at = y + LINE_HEIGHT + 4.0;
    for &item in items {
        let swatch = (MARGIN + 24.0, at + 9.0);
        match item {
            LegendItem::Shape(shape) => {
                let size = match shape {
                    Shape::Initial => (2.0 * INITIAL_RADIUS, 2.0 * INITIAL_RADIUS),
                    Shape::History => (18.0, 18.0),
                    _ => (36.0, 18.0),
                };
                let _ = write!(out, "<g class=\"{}\">", shape_class(shape));
                shape_svg(out, shape, swatch, size);
                out.push_str("</g>");
            }
            LegendItem::Edge(kind) => {
                let class = if kind == EdgeKind::ErrorLink {
                    "edge error"
                } else {
                    "edge"
                };
                edge_swatch(out, class, swatch);
            }
            LegendItem::Mark(mark) => {
                let is_edge = matches!(mark, Mark::Link(_) | Mark::Taken | Mark::NotTaken);
                if is_edge {
                    edge_swatch(out, &format!("edge {}", mark.style().class), swatch);
                } else {
                    let _ = write!(out, "<g class=\"node {}\">", mark.style().class);
                    shape_svg(out, Shape::Task, swatch, (36.0, 18.0));
                    out.push_str("</g>");
                }
            }
        }
        left_text(out, item.text(), (MARGIN + 52.0, at + 1.5));
        *width = width.max(MARGIN * 2.0 + 52.0 + text_size(item.text()).0);
        at += 22.0;
    }
    out.push_str("</g>\n");
    at + MARGIN
}

/// A short arrow centred on `(x, y)`, in a group of class `class`: an edge in the legend.
fn edge_swatch(out: &mut String, class: &str, (x, y): (f64, f64)) {
    let _ = write!(out, "<g class=\"{class}\">");
    edge_svg(
        out,
        &EdgePath {
            points: vec![(x - 18.0, y), (x + 18.0, y)],
            label: None,
            is_loop: false,
        },
    );
    out.push_str("</g>");
}
