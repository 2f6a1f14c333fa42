//! `wfl graph` and the report page of `wfl simulate --format html`, as a user gets them, where a
//! transcript is not enough (the text formats of every seed model, and of fixtures with findings
//! and runs drawn on them, are fixtures under `tests/cmd/graph/`): every seed model has them;
//! every SVG parsed as XML, with no two nodes overlapping; the page self-contained, its steps
//! saying what the trace says; the examples of specs/cli.md's `wfl graph` section as printed.
//! `scripts/check-pictures` then gives the outputs to their real consumers (Graphviz, Chromium).

use std::path::Path;

mod common;

use common::wfl;

/// Every workflow and machine of the seed models: (file, `--workflow` or `--machine`, name).
fn seed_items() -> Vec<(String, &'static str, String)> {
    let mut files: Vec<_> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"))
            .expect("examples/")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "wfl"))
            .collect();
    files.sort();
    let mut items = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable");
        let program = wfl::check_text(&text)
            .program
            .expect("a seed model resolves");
        let file = format!(
            "examples/{}",
            path.file_name().expect("a name").to_string_lossy()
        );
        for w in &program.workflows {
            items.push((file.clone(), "--workflow", w.name.as_str().to_owned()));
        }
        for m in &program.machines {
            items.push((file.clone(), "--machine", m.name.as_str().to_owned()));
        }
    }
    assert!(items.len() >= 6, "the seed models have gone: {items:?}");
    items
}

/// Standard output of `wfl ARGS`, which must succeed with nothing on standard error.
fn stdout_of(args: &[&str]) -> String {
    let out = wfl(args);
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "wfl {}: {}\n{}",
        args.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// Every workflow and machine of the seed models has its pictures in Mermaid and DOT as fixtures,
/// `tests/cmd/graph/NAME_FORMAT.cmd`: an item added to the seed models fails here until it has them.
#[test]
fn every_seed_model_has_its_picture_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (file, flag, name) in seed_items() {
        for format in ["mermaid", "dot"] {
            let fixture = root.join(format!("tests/cmd/graph/{name}_{format}.cmd"));
            let command = format!("# wfl graph {file} {flag} {name} --format {format}");
            let found = std::fs::read_to_string(&fixture).unwrap_or_default();
            assert_eq!(
                found.lines().next().unwrap_or_default(),
                command,
                "{}: its first line must be the command that draws `{name}`",
                fixture.display()
            );
        }
    }
}

/// Every SVG picture (each seed model, plain, with its findings and with each of its scenarios)
/// is well-formed XML whose nodes do not overlap, with a `<g>` for every node and edge.
#[test]
fn svg_pictures_are_well_formed_and_nodes_do_not_overlap() {
    for (file, flag, name) in seed_items() {
        let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(&file))
            .expect("readable");
        let program = wfl::check_text(&text).program.expect("resolves");
        let scenarios: Vec<String> = program
            .scenarios
            .iter()
            .filter(|s| match s.target {
                wfl::model::ScenarioTarget::Workflow(w) => {
                    flag == "--workflow" && program.workflow(w).name.as_str() == name
                }
                wfl::model::ScenarioTarget::Machine(m) => {
                    flag == "--machine" && program.machine(m).name.as_str() == name
                }
            })
            .map(|s| s.name.as_str().to_owned())
            .collect();
        let mut runs: Vec<Vec<&str>> = vec![vec![], vec!["--findings"]];
        runs.extend(scenarios.iter().map(|s| vec!["--scenario", s.as_str()]));
        for extra in runs {
            let mut args = vec![
                "graph",
                file.as_str(),
                flag,
                name.as_str(),
                "--format",
                "svg",
            ];
            args.extend(extra.iter().copied());
            let svg = stdout_of(&args);
            check_svg(&svg, &format!("{file} {flag} {name} {extra:?}"));
        }
    }
}

/// The boxes of the nodes of an SVG picture, by id.
fn node_boxes(doc: &roxmltree::Document<'_>) -> Vec<(String, [f64; 4])> {
    let number = |n: roxmltree::Node<'_, '_>, a: &str| -> f64 {
        n.attribute(a)
            .expect("attribute")
            .parse()
            .expect("a number")
    };
    doc.descendants()
        .filter(|n| n.has_tag_name("g") && n.attribute("id").is_some())
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.split(' ').any(|c| c == "node"))
        })
        .map(|g| {
            let shape = g
                .children()
                .find(|c| c.attribute("class") == Some("shape"))
                .expect("a node has a shape");
            let rect = if shape.has_tag_name("circle") {
                let (x, y, r) = (number(shape, "cx"), number(shape, "cy"), number(shape, "r"));
                [x - r, y - r, x + r, y + r]
            } else {
                let (x, y) = (number(shape, "x"), number(shape, "y"));
                [
                    x,
                    y,
                    x + number(shape, "width"),
                    y + number(shape, "height"),
                ]
            };
            (g.attribute("id").expect("id").to_owned(), rect)
        })
        .collect()
}

fn check_svg(svg: &str, what: &str) {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg", "{what}");
    let width: f64 = doc
        .root_element()
        .attribute("width")
        .expect("width")
        .parse()
        .expect("number");
    let boxes = node_boxes(&doc);
    assert!(!boxes.is_empty(), "{what}: no node");
    for (i, (a, ra)) in boxes.iter().enumerate() {
        assert!(
            ra[0] >= 0.0 && ra[2] <= width,
            "{what}: `{a}` is outside the picture"
        );
        for (b, rb) in &boxes[i + 1..] {
            let overlap = ra[0] < rb[2] && rb[0] < ra[2] && ra[1] < rb[3] && rb[1] < ra[3];
            assert!(!overlap, "{what}: `{a}` and `{b}` overlap: {ra:?} {rb:?}");
        }
    }
}

/// The JSON of the page's steps: the marks before the run and after each step.
fn page_steps(page: &str) -> serde_json::Value {
    let start = page
        .find("<script type=\"application/json\" id=\"steps\">")
        .expect("the steps")
        + "<script type=\"application/json\" id=\"steps\">".len();
    let end = start + page[start..].find("</script>").expect("closed");
    serde_json::from_str(&page[start..end]).expect("JSON")
}

/// The page of a data-pipeline run is one file that loads nothing; its steps are the trace's
/// events, and each colours what the event changes.
#[test]
fn the_report_page_is_self_contained_and_follows_the_trace() {
    let args = [
        "simulate",
        "examples/data_pipeline.wfl",
        "--scenario",
        "sales_pipeline: a failed extract is reported and the run goes on",
    ];
    let page = stdout_of(&[&args[..], &["--format", "html"]].concat());
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&[&args[..], &["--format", "json"]].concat()))
            .expect("JSON");
    for external in [
        "<script src",
        "<link",
        "@import",
        "url(http",
        "href=\"http",
        "src=\"http",
    ] {
        assert!(!page.contains(external), "the page loads `{external}`");
    }
    assert_eq!(
        page.matches("http").count(),
        page.matches("http://www.w3.org/2000/svg").count(),
        "the page names nothing on the network but the SVG namespace"
    );
    let steps = page_steps(&page);
    let trace = json["trace"].as_array().expect("a trace");
    let steps_list = steps["steps"].as_array().expect("steps");
    assert_eq!(steps_list.len(), trace.len());
    assert_eq!(steps["start"]["nodes"]["t1"][0], "m-WAITING");
    // Each task event colours its task with the state it enters; each link event its link.
    let picture = wfl::check_text(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(args[1]))
            .expect("readable"),
    )
    .program
    .expect("resolves");
    let workflow = &picture.workflows[0];
    for (step, event) in steps_list.iter().zip(trace) {
        let to = event["to"].as_str().unwrap_or_default();
        match event["kind"].as_str() {
            Some("task") => {
                let t = workflow
                    .tasks
                    .iter()
                    .position(|t| t.name.as_str() == event["name"])
                    .expect("a task of the workflow");
                assert_eq!(
                    step["nodes"][format!("t{t}")][0],
                    format!("m-{to}"),
                    "{event}"
                );
            }
            Some("link") => {
                let l = workflow
                    .links
                    .iter()
                    .position(|l| {
                        let on_error = if l.kind == wfl::model::LinkKind::Error {
                            " on error"
                        } else {
                            ""
                        };
                        let text = format!(
                            "{} -> {}{on_error}",
                            workflow.task(l.source).name.as_str(),
                            workflow.task(l.target).name.as_str()
                        );
                        text == event["name"]
                    })
                    .expect("a link of the workflow");
                assert_eq!(
                    step["edges"][format!("l{l}")][0],
                    format!("m-l-{to}"),
                    "{event}"
                );
            }
            _ => {}
        }
    }
    check_svg(
        &page[page.find("<svg").expect("svg")..page.find("</svg>").expect("end") + 6],
        "the page's picture",
    );
}

/// A machine run has a page too (a page of random runs is refused:
/// tests/cmd/simulate/html_with_runs.cmd).
#[test]
fn a_machine_run_has_a_report_page() {
    let page = stdout_of(&[
        "simulate",
        "examples/case_activities.wfl",
        "--scenario",
        "case: closing the case makes the unused optional activities NOT USED",
        "--format",
        "html",
    ]);
    let steps = page_steps(&page);
    let last = steps["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .rev()
        .find(|s| s["nodes"].as_object().is_some_and(|n| !n.is_empty()));
    assert!(last.is_some(), "the machine run enters states");
}

/// The body of the first block fenced with ```` ```INFO ```` in `text`.
fn fenced<'t>(text: &'t str, info: &str) -> &'t str {
    let open = format!("```{info}\n");
    let start = text
        .find(&open)
        .unwrap_or_else(|| panic!("a ```{info} block"))
        + open.len();
    let end = start + text[start..].find("\n```").expect("closed") + 1;
    &text[start..end]
}

/// The example of specs/cli.md's `wfl graph` section is what `wfl graph` prints for it.
#[test]
fn the_spec_example_is_what_wfl_graph_prints() {
    let spec = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/cli.md"))
        .expect("specs/cli.md");
    let section = &spec[spec.find("\n## `wfl graph`").expect("the section")..];
    let section = &section[..section[1..].find("\n## ").map_or(section.len(), |e| e + 1)];
    let file = fenced(section, "wfl");
    let printed = fenced(section, "mermaid");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_wfl"))
        .args([
            "graph",
            "-",
            "--scenario",
            "the extract fails",
            "--format",
            "mermaid",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("wfl runs");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), file.as_bytes())
        .expect("written");
    let out = child.wait_with_output().expect("wfl ends");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), printed);
}

/// Text from the file reaches a picture with its hidden characters escaped and its quotes
/// escaped for the format: a doc comment and a condition with a bidirectional override, a control
/// character, quotes and backslashes.
#[test]
fn text_from_the_file_is_inert_in_every_format() {
    let text = "/// A \u{202e}reversed\u{7} \"quoted\" \\ doc\nworkflow w {\n  var rows: int = 0\n  /// \u{202e}\"}\\\n  task a, b\n  a -> b when rows > 0 and // \u{202e}\"\n    rows < 5\n}\n";
    let dir = std::env::temp_dir().join(format!("wfl-graph-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let file = dir.join("hostile.wfl");
    std::fs::write(&file, text).expect("written");
    let path = file.to_string_lossy().into_owned();
    for format in ["svg", "dot", "mermaid"] {
        let out = stdout_of(&["graph", &path, "--format", format]);
        assert!(
            !out.chars().any(|c| wfl::source::is_hidden(c) && c != '\n'),
            "{format}: a hidden character"
        );
        if format != "mermaid" {
            assert!(
                out.contains("\\u{202e}"),
                "{format}: the override is shown escaped"
            );
        }
        assert!(
            !out.contains("// "),
            "{format}: the comment inside the condition is left out"
        );
        match format {
            "svg" => {
                roxmltree::Document::parse(&out).expect("well-formed");
            }
            "dot" => {
                assert!(out.contains("tooltip=\"\\\\u{202e}\\\"}\\\\\""));
                assert!(out.contains("label=\"when rows > 0 and rows < 5\""));
            }
            _ => assert!(out.contains("when rows #gt; 0 and rows #lt; 5")),
        }
    }
    std::fs::remove_dir_all(&dir).expect("removed");
}

/// A state named with a string holding escapes, a bidirectional override and a line break is
/// drawn with them escaped, in every format and on the report page (its trace too).
#[test]
fn hidden_characters_in_names_are_escaped_in_pictures_and_pages() {
    let spec = "machine m {\n  initial -> A\n  state A, \"B\u{1b}]0;t\u{7}\u{202e}\u{9b}\\n::error::x\"\n  \
                A -> \"B\u{1b}]0;t\u{7}\u{202e}\u{9b}\\n::error::x\" on go\n}\n\
                scenario \"s\" for m {\n  send go\n  expect state == A\n}\n";
    let dir = std::env::temp_dir().join(format!("wfl-graph-names-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let file = dir.join("machine.wfl");
    std::fs::write(&file, spec).expect("written");
    let path = file.to_string_lossy().into_owned();
    let runs: [&[&str]; 4] = [
        &["graph", &path, "--format", "svg", "--scenario", "s"],
        &["graph", &path, "--format", "dot", "--findings"],
        &["graph", &path, "--format", "mermaid"],
        &["simulate", &path, "--scenario", "s", "--format", "html"],
    ];
    for args in runs {
        let out = stdout_of(args);
        assert!(
            !out.chars().any(|c| wfl::source::is_hidden(c) && c != '\n'),
            "{args:?}: a hidden character"
        );
        assert!(
            out.contains("\\u{1b}]0;t\\u{7}\\u{202e}\\u{9b}\\u{a}::error::x")
                || out.contains("\\\\u{1b}]0;t\\\\u{7}\\\\u{202e}\\\\u{9b}\\\\u{a}::error::x"),
            "{args:?}: the name is not shown escaped"
        );
        assert!(
            !out.lines().any(|l| l.trim_start().starts_with("::")),
            "{args:?}: a line break in a name made a line"
        );
    }
    std::fs::remove_dir_all(&dir).expect("removed");
}
