//! `wfl lsp` driven as an editor drives it: the binary spawned, JSON-RPC messages framed with
//! `Content-Length` on its standard input and output (initialize, didOpen, didChange, hover,
//! definition, references, rename and its refusals, completion, documentSymbol, codeAction,
//! shutdown, exit).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod common;

/// A file with a name of every kind: workflow, task, variable, enumeration member, scenario,
/// machine, state, event, actor, view, children group.
const KINDS: &str = r#"/// The nightly load.
workflow load {
  var mode: {full, delta} = full
  /// Reads the rows.
  task extract, report
  extract -> report when mode == delta
}

scenario delta_run for load {
  set mode = delta
  fail extract
  expect report == SKIPPED_FAILURE
}

machine worker {
  event go, done
  actor boss
  var busy: bool = false
  initial -> Idle
  state Idle, Busy
  final state Done
  Idle -> Busy on go by boss { set busy = true }
  Busy -> Done on done when working
  view working = busy and state == Busy
}

machine pool {
  children workers: worker
  initial -> Open
  state Open
  final state Closed
  Open -> Closed on close when all workers in Done
  Open -> Open on go { send go to workers }
}

scenario one_worker for pool {
  spawn workers * 1
  send go to workers[0] by boss
  expect workers[0] == Busy
}
"#;

const URI: &str = "file:///work/spec.wfl";

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for a response.
    notifications: Vec<Value>,
}

impl Server {
    /// Starts `wfl lsp` and initializes it, offering `encodings` (none: the protocol's default).
    fn start(encodings: &[&str]) -> (Server, Value) {
        let general = if encodings.is_empty() {
            json!({})
        } else {
            json!({ "positionEncodings": encodings })
        };
        Server::start_with(
            Path::new(env!("CARGO_MANIFEST_DIR")),
            json!({ "general": general }),
        )
    }

    /// Starts `wfl lsp` in directory `cwd` and initializes it with the client's `capabilities`.
    fn start_with(cwd: &Path, capabilities: Value) -> (Server, Value) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_wfl"))
            .arg("lsp")
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("wfl lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (send, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if send.send(message).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            stdin,
            messages,
            next_id: 0,
            notifications: Vec::new(),
        };
        let init = server.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": capabilities }),
        );
        server.notify("initialized", json!({}));
        (server, init["result"].clone())
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns its response (`result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.receive();
            if message["id"] == json!(id) {
                return message;
            }
            self.notifications.push(message);
        }
    }

    fn receive(&mut self) -> Value {
        self.messages
            .recv_timeout(Duration::from_secs(60))
            .expect("wfl lsp answers within a minute")
    }

    fn open(&mut self, text: &str) {
        self.open_at(URI, text);
    }

    fn open_at(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "wfl", "version": 1, "text": text } }),
        );
    }

    /// Waits for the diagnostics of `version` that satisfy `done` and returns them; the
    /// notifications received before them are dropped, those after them kept.
    fn diagnostics(&mut self, version: i64, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        self.diagnostics_of(URI, version, done)
    }

    /// [`Server::diagnostics`] of the document `uri`.
    fn diagnostics_of(
        &mut self,
        uri: &str,
        version: i64,
        done: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let found = self.notifications.iter().position(|m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri
                    && m["params"]["version"] == json!(version)
                    && m["params"]["diagnostics"]
                        .as_array()
                        .is_some_and(|d| done(d))
            });
            if let Some(at) = found {
                let message = self
                    .notifications
                    .drain(..=at)
                    .next_back()
                    .unwrap_or_default();
                return message["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
            assert!(
                Instant::now() < deadline,
                "no diagnostics of version {version}"
            );
            let message = self.receive();
            self.notifications.push(message);
        }
    }

    /// Waits for the first message with `method` (a notification or a request of the server) and
    /// takes it out of those received; the others stay.
    fn wait_for(&mut self, method: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(at) = self
                .notifications
                .iter()
                .position(|m| m["method"] == method)
            {
                return self.notifications.remove(at);
            }
            assert!(Instant::now() < deadline, "no `{method}`");
            let message = self.receive();
            self.notifications.push(message);
        }
    }

    /// `shutdown` then `exit`: the server answers and ends with status 0.
    fn stop(mut self) {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        self.notify("exit", Value::Null);
        let status = self.child.wait().expect("wfl lsp ends");
        assert!(status.success(), "{status}");
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// The position of the `nth` occurrence (from 0) of `needle` in `text`, `into` characters into
/// it, in UTF-16 units (the default encoding).
fn pos(text: &str, needle: &str, nth: usize, into: usize) -> Value {
    let at = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{needle}` #{nth} is in the text"))
        .0;
    let at = at
        + needle
            .char_indices()
            .nth(into)
            .map_or(needle.len(), |(i, _)| i);
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count();
    let character = text[line_start..at].encode_utf16().count();
    json!({ "line": line, "character": character })
}

fn at(position: Value) -> Value {
    json!({ "textDocument": { "uri": URI }, "position": position })
}

/// The range `needle` (occurrence `nth`) spans, as the server writes ranges.
fn range_of(text: &str, needle: &str, nth: usize) -> Value {
    json!({
        "start": pos(text, needle, nth, 0),
        "end": pos(text, needle, nth, needle.chars().count()),
    })
}

#[test]
fn initialize_negotiates_the_position_encoding() {
    let (server, init) = Server::start(&["utf-16", "utf-8"]);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(init["serverInfo"]["name"], "wfl");
    server.stop();
    let (server, init) = Server::start(&[]);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    for capability in [
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "renameProvider",
        "completionProvider",
        "documentSymbolProvider",
        "codeActionProvider",
        "documentFormattingProvider",
    ] {
        assert!(
            !init["capabilities"][capability].is_null(),
            "{capability}: {init}"
        );
    }
    server.stop();
}

#[test]
fn diagnostics_follow_the_edits() {
    let (mut server, _) = Server::start(&[]);
    let text = "workflow w {\n  task extract, load\n  extract -> lod\n}\n";
    server.open(text);
    let found = server.diagnostics(1, |d| !d.is_empty());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["code"], "E0101");
    assert_eq!(found[0]["range"], range_of(text, "lod", 0));
    assert!(
        found[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("did you mean `load`?")),
        "{found:?}"
    );
    // An incremental change: `lod` becomes `load`; the finding goes.
    server.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": URI, "version": 2 },
            "contentChanges": [{ "range": range_of(text, "lod", 0), "text": "load" }],
        }),
    );
    let found = server.diagnostics(2, |_| true);
    assert_eq!(found, Vec::<Value>::new());
    // A whole-text change with a syntax error.
    server.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": URI, "version": 3 },
            "contentChanges": [{ "text": "workflow w {\n  task a, b\n  a -> b when x && y\n}\n" }],
        }),
    );
    let found = server.diagnostics(3, |d| !d.is_empty());
    assert_eq!(found[0]["code"], "E0001", "{found:?}");
    server.stop();
}

#[test]
fn the_semantic_findings_come_after_the_structural_ones() {
    let (mut server, _) = Server::start(&[]);
    // W0402: the condition of `a -> b` never holds. The structural checks find nothing and are
    // published first; the analysis finds it.
    let text = "workflow w {\n  var n: int 0..3 = 0\n  task a, b\n  a -> b when n > 5\n}\n";
    server.open(text);
    let structural = server.diagnostics(1, |_| true);
    assert_eq!(structural, Vec::<Value>::new());
    let semantic = server.diagnostics(1, |d| !d.is_empty());
    assert_eq!(semantic.len(), 1, "{semantic:?}");
    assert_eq!(semantic[0]["code"], "W0402");
    assert_eq!(semantic[0]["range"], range_of(text, "n > 5", 0));
    server.stop();
}

#[test]
fn definition_and_references_for_every_kind_of_name() {
    let (mut server, _) = Server::start(&[]);
    server.open(KINDS);
    server.diagnostics(1, |_| true);
    // (a use, the declaration it goes to, how many places name it)
    type Place = (&'static str, usize);
    let cases: &[(Place, Place, usize)] = &[
        (("load {\n  set", 0), ("load", 1), 2),        // workflow
        (("extract -> report", 0), ("extract", 0), 3), // task
        (("report when", 0), ("report", 0), 3),        // task
        (("mode == delta", 0), ("mode", 0), 3),        // workflow variable
        (("delta\n}", 0), ("delta", 0), 3),            // enumeration member
        (("worker\n  initial -> Open", 0), ("worker", 0), 2), // machine
        (("Idle\n  state", 0), ("Idle", 1), 3),        // state
        (("Busy on go", 0), ("Busy", 0), 5),           // state
        (("go by", 0), ("go", 0), 5),                  // event
        (("boss {", 0), ("boss", 0), 3),               // actor
        (("busy = true", 0), ("busy", 0), 3),          // machine variable
        (("working\n  view", 0), ("working", 1), 2),   // view
        (("workers in Done", 0), ("workers", 0), 6),   // children group
        (("pool {\n  spawn", 0), ("pool", 0), 2),      // machine
        (("Done\n  Open", 0), ("Done", 0), 3),         // a child machine's state
    ];
    for &((use_text, use_nth), (decl, decl_nth), count) in cases {
        let response = server.request(
            "textDocument/definition",
            at(pos(KINDS, use_text, use_nth, 0)),
        );
        assert_eq!(
            response["result"]["range"],
            range_of(KINDS, decl, decl_nth),
            "definition of `{use_text}`: {response}"
        );
        let response = server.request(
            "textDocument/references",
            json!({
                "textDocument": { "uri": URI },
                "position": pos(KINDS, use_text, use_nth, 0),
                "context": { "includeDeclaration": true },
            }),
        );
        let found = response["result"].as_array().map_or(0, Vec::len);
        assert_eq!(found, count, "references of `{use_text}`: {response}");
    }
    // A scenario is its own declaration.
    let response = server.request(
        "textDocument/definition",
        at(pos(KINDS, "one_worker", 0, 2)),
    );
    assert_eq!(
        response["result"]["range"],
        range_of(KINDS, "one_worker", 0)
    );
    // Not a name: no definition.
    let response = server.request("textDocument/definition", at(pos(KINDS, "workflow", 0, 2)));
    assert_eq!(response["result"], Value::Null);
    server.stop();
}

#[test]
fn hover_shows_docs_types_transitions_and_explanations() {
    let (mut server, _) = Server::start(&[]);
    let text = format!("{KINDS}\n// wfl: allow(W0201) a comment naming a code\n");
    server.open(&text);
    server.diagnostics(1, |_| true);
    let hover = |server: &mut Server, needle: &str, nth: usize| {
        let response = server.request("textDocument/hover", at(pos(&text, needle, nth, 1)));
        response["result"]["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let var = hover(&mut server, "mode == delta", 0);
    assert!(var.contains("var mode: {full, delta} = full"), "{var}");
    let task = hover(&mut server, "extract ->", 0);
    assert!(task.contains("Reads the rows."), "{task}");
    assert!(task.contains("accept = all_valid"), "{task}");
    let workflow = hover(&mut server, "load {\n  set", 0);
    assert!(workflow.contains("The nightly load."), "{workflow}");
    let state = hover(&mut server, "Busy on go", 0);
    assert!(
        state.contains("transitions from it:\n- `Busy -> Done on done when working`"),
        "{state}"
    );
    assert!(
        state.contains("transitions to it:\n- `Idle -> Busy on go by boss { set busy = true }`"),
        "{state}"
    );
    let range = hover(&mut server, "busy: bool", 0);
    assert!(range.contains("var busy: bool = false"), "{range}");
    let code = hover(&mut server, "W0201", 0);
    assert!(code.starts_with("## W0201 dead_end_state"), "{code}");
    server.stop();
}

#[test]
fn rename_renames_every_use_and_refuses_a_taken_or_invalid_name() {
    let (mut server, _) = Server::start(&[]);
    server.open(KINDS);
    server.diagnostics(1, |_| true);
    let rename = |server: &mut Server, needle: &str, new_name: &str| {
        server.request(
            "textDocument/rename",
            json!({
                "textDocument": { "uri": URI },
                "position": pos(KINDS, needle, 0, 0),
                "newName": new_name,
            }),
        )
    };
    let response = server.request(
        "textDocument/prepareRename",
        at(pos(KINDS, "Busy on go", 0, 1)),
    );
    assert_eq!(
        response["result"],
        range_of(KINDS, "Busy on go", 0)
            .as_object()
            .map(|r| {
                let mut r = r.clone();
                r["end"] = pos(KINDS, "Busy on go", 0, 4);
                Value::Object(r)
            })
            .unwrap_or_default()
    );
    let response = rename(&mut server, "Busy on go", "Working");
    let edits = response["result"]["changes"][URI]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(edits.len(), 5, "{response}");
    assert!(
        edits.iter().all(|e| e["newText"] == "Working"),
        "{response}"
    );
    // Taken: a state of the same machine.
    let response = rename(&mut server, "Busy on go", "Idle");
    assert_eq!(
        response["error"]["message"],
        "`Idle` is already the name of a state here"
    );
    // A task may not take a variable's name: they share a namespace.
    let response = rename(&mut server, "extract", "mode");
    assert_eq!(
        response["error"]["message"],
        "`mode` is already the name of a variable here"
    );
    // Not an identifier.
    let response = rename(&mut server, "extract", "two words");
    assert!(
        response["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("is not an identifier")),
        "{response}"
    );
    // A keyword where the name is read: refused with what `wfl check` would say.
    let response = rename(&mut server, "busy = true", "state");
    assert!(
        response["error"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("`state` cannot be used here")),
        "{response}"
    );
    // The same state name in another machine is not taken.
    let response = rename(&mut server, "Open\n  final", "Idle");
    assert!(response["error"].is_null(), "{response}");
    server.stop();
}

/// The labels of the completions at `position`, sorted.
fn completion_labels(server: &mut Server, position: Value) -> Vec<String> {
    let response = server.request("textDocument/completion", at(position));
    let mut labels: Vec<String> = response["result"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| item["label"].as_str().map(str::to_owned))
        .collect();
    labels.sort();
    labels
}

#[test]
fn completion_follows_the_context() {
    let (mut server, _) = Server::start(&[]);
    let text = "workflow w {\n  task a {\n    accept = \n  }\n}\n\nmachine m {\n  event go\n  actor boss\n  var kind: {auto, manual} = auto\n  initial -> A\n  state A, B\n  A -> B on go when kind == auto\n  B -> A on \n  \n}\n\nscenario s for m {\n  expect state == \n}\n";
    server.open(text);
    server.diagnostics(1, |_| true);
    let labels = completion_labels;
    assert_eq!(
        labels(&mut server, pos(text, "accept = \n", 0, 9)),
        ["all_valid", "at_least_one"]
    );
    assert_eq!(
        labels(&mut server, pos(text, "auto\n  B", 0, 0)),
        ["auto", "manual"]
    );
    assert_eq!(labels(&mut server, pos(text, "on \n", 0, 3)), ["go"]);
    assert_eq!(
        labels(&mut server, pos(text, "state == \n", 0, 9)),
        ["A", "B"]
    );
    let statement = labels(&mut server, pos(text, "  \n}", 0, 2));
    for keyword in ["state", "initial", "view", "A", "B"] {
        assert!(statement.contains(&keyword.to_owned()), "{statement:?}");
    }
    server.stop();
}

#[test]
fn the_outline_lists_what_each_item_declares() {
    let (mut server, _) = Server::start(&[]);
    server.open(KINDS);
    server.diagnostics(1, |_| true);
    let response = server.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": URI } }),
    );
    // Name, detail and kind of each entry, indented under its item.
    let mut outline = String::new();
    for item in response["result"].as_array().into_iter().flatten() {
        outline.push_str(&format!(
            "{} ({}, {})\n",
            item["name"], item["detail"], item["kind"]
        ));
        for child in item["children"].as_array().into_iter().flatten() {
            outline.push_str(&format!(
                "  {} ({}, {})\n",
                child["name"], child["detail"], child["kind"]
            ));
        }
    }
    insta::assert_snapshot!(outline);
    server.stop();
}

#[test]
fn code_actions_apply_fixes_and_suppress_with_a_reason() {
    let (mut server, _) = Server::start(&[]);
    let text = "workflow w {\n  var unused: bool\n  task extract, load\n  extract -> lod\n}\n";
    server.open(text);
    server.diagnostics(1, |d| !d.is_empty());
    let actions = |server: &mut Server, needle: &str| {
        let response = server.request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": URI },
                "range": range_of(text, needle, 0),
                "context": { "diagnostics": [] },
            }),
        );
        response["result"].as_array().cloned().unwrap_or_default()
    };
    let found = actions(&mut server, "lod");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["title"], "replace with `load`");
    assert_eq!(found[0]["isPreferred"], true);
    assert_eq!(
        found[0]["edit"]["changes"][URI],
        json!([{ "range": range_of(text, "lod", 0), "newText": "load" }])
    );
    // The fixed file: W0100 for the unused variable, which can be suppressed with a reason.
    let fixed = text.replace("lod", "load");
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": URI, "version": 2 }, "contentChanges": [{ "text": fixed }] }),
    );
    let found = server.diagnostics(2, |d| d.iter().any(|d| d["code"] == "W0100"));
    assert_eq!(found.len(), 1, "{found:?}");
    let response = server.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": URI },
            "range": range_of(&fixed, "unused", 0),
            "context": { "diagnostics": [] },
        }),
    );
    let suppress = &response["result"][0];
    assert_eq!(suppress["title"], "suppress W0100 here, with a reason");
    let edit = &suppress["edit"]["changes"][URI][0];
    assert_eq!(edit["range"]["start"], json!({ "line": 1, "character": 0 }));
    let comment = edit["newText"].as_str().unwrap_or_default();
    assert_eq!(
        comment,
        "  // wfl: allow(W0100) REASON: why this finding does not apply\n"
    );
    // Applied, the file is clean.
    let suppressed = fixed.replacen("  var unused", &format!("{comment}  var unused"), 1);
    assert!(
        wfl::check_text(&suppressed).diagnostics.is_empty(),
        "{suppressed}"
    );
    server.stop();
}

#[test]
fn a_syntax_hint_is_a_quick_fix() {
    let (mut server, _) = Server::start(&[]);
    let text = "workflow w {\n  var x: bool\n  var y: bool\n  task a, b\n  a -> b when x && y\n}\n";
    server.open(text);
    server.diagnostics(1, |d| !d.is_empty());
    let response = server.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": URI },
            "range": range_of(text, "&&", 0),
            "context": { "diagnostics": [] },
        }),
    );
    let edit = &response["result"][0]["edit"]["changes"][URI][0];
    assert_eq!(edit["range"], range_of(text, "&&", 0), "{response}");
    assert_eq!(edit["newText"], "and");
    server.stop();
}

#[test]
fn positions_count_in_the_negotiated_encoding() {
    // `É` is 2 bytes in UTF-8 and one UTF-16 unit; `𝔼` 4 bytes and two units.
    let text = "machine m {\n  initial -> \"Été𝔼\"\n  state \"Été𝔼\", B // 𝔼 é\n  \"Été𝔼\" -> B on go\n}\n";
    for (encoding, start, end) in [("utf-8", 8, 19), ("utf-16", 8, 15), ("utf-32", 8, 14)] {
        let (mut server, init) = Server::start(&[encoding]);
        assert_eq!(init["capabilities"]["positionEncoding"], encoding);
        server.open(text);
        server.diagnostics(1, |_| true);
        // The use on line 3, at its second character (past the quote and the É).
        let character = match encoding {
            "utf-8" => 4,
            _ => 3,
        };
        let response = server.request(
            "textDocument/definition",
            at(json!({ "line": 3, "character": character })),
        );
        assert_eq!(
            response["result"]["range"],
            json!({ "start": { "line": 2, "character": start }, "end": { "line": 2, "character": end } }),
            "{encoding}: {response}"
        );
        server.stop();
    }
}

#[test]
fn formatting_is_one_edit_of_the_whole_file_or_none() {
    let (mut server, _) = Server::start(&[]);
    let text = "workflow w{task a;task b\n a->b}";
    server.open(text);
    server.diagnostics(1, |_| true);
    let format = |server: &mut Server| {
        let response = server.request(
            "textDocument/formatting",
            json!({ "textDocument": { "uri": URI }, "options": { "tabSize": 2, "insertSpaces": true } }),
        );
        response["result"].as_array().cloned().unwrap_or_default()
    };
    let edits = format(&mut server);
    assert_eq!(
        edits,
        [json!({
            "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 1, "character": 6 } },
            "newText": "workflow w {\n  task a\n  task b\n  a -> b\n}\n",
        })]
    );
    // Formatted already: no edit.
    server.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": URI, "version": 2 },
            "contentChanges": [{ "text": "workflow w {\n  task a\n  task b\n  a -> b\n}\n" }],
        }),
    );
    server.diagnostics(2, |_| true);
    assert_eq!(format(&mut server), Vec::<Value>::new());
    // A syntax error: no edit, the diagnostics say where.
    server.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": URI, "version": 3 },
            "contentChanges": [{ "text": "workflow w {\n  task a b\n}\n" }],
        }),
    );
    server.diagnostics(3, |d| !d.is_empty());
    assert_eq!(format(&mut server), Vec::<Value>::new());
    server.stop();
}

#[test]
fn a_second_shutdown_is_refused_and_exit_before_shutdown_fails() {
    let (mut server, _) = Server::start(&[]);
    let first = server.request("shutdown", Value::Null);
    assert_eq!(first["result"], Value::Null, "{first}");
    let second = server.request("shutdown", Value::Null);
    assert_eq!(second["result"], Value::Null, "{second}");
    let hover = server.request(
        "textDocument/hover",
        at(json!({ "line": 0, "character": 0 })),
    );
    assert_eq!(
        hover["error"]["message"], "the server is shutting down",
        "{hover}"
    );
    server.notify("exit", Value::Null);
    assert!(server.child.wait().expect("ends").success());
    // `exit` without `shutdown`: status 2 (the protocol says the client broke it).
    let (mut server, _) = Server::start(&[]);
    server.notify("exit", Value::Null);
    assert_eq!(server.child.wait().expect("ends").code(), Some(2));
}

/// The editor sends every text as it is being typed: each prefix of every `.wfl` file of the
/// repository (cut every few lines, so mostly with syntax errors) is served without a panic, with
/// every name, hover and completion inside the text.
#[test]
fn every_prefix_of_every_file_is_served() {
    use wfl::lsp::{completion, document::Document, hover};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = common::wfl_files(&root.join("tests/ui"));
    files.extend(common::wfl_files(&root.join("examples")));
    let mut served = 0;
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // the fixtures of invalid UTF-8
        };
        let cuts: Vec<usize> = (text.match_indices('\n').map(|(i, _)| i).step_by(3))
            .chain([text.len()])
            .collect();
        for cut in cuts {
            let prefix = &text[..cut];
            let doc = Document::new(1, prefix.to_owned()).expect("small");
            for symbol in &doc.index.symbols {
                assert!(
                    symbol.span.end as usize <= prefix.len(),
                    "{}",
                    path.display()
                );
            }
            // Hover and completion at a few places of the last line.
            for offset in [cut, cut.saturating_sub(3), cut / 2] {
                if let Some((_, span)) = hover::hover(&doc, offset) {
                    assert!(span.end as usize <= prefix.len(), "{}", path.display());
                }
                let _ = completion::complete(&doc, offset);
            }
            served += 1;
        }
    }
    assert!(served > 500, "{served}");
}

/// Changes sent faster than the analysis runs: once the last version's semantic findings are
/// published, nothing about an older version follows (a stale analysis is dropped).
#[test]
fn a_stale_analysis_is_never_published() {
    let (mut server, _) = Server::start(&[]);
    // Slow enough to analyse that the changes arrive while it runs: a long chain of conditions.
    let mut text =
        String::from("workflow w {\n  var n: int 0..3 = 0\n  task a, b\n  a -> b when n > 5\n");
    for i in 0..400 {
        text.push_str(&format!("  var v{i}: int 0..7 = 0\n  task t{i}\n"));
        if i > 0 {
            text.push_str(&format!(
                "  t{} -> t{i} when v{i} + v{} > 3\n",
                i - 1,
                i - 1
            ));
        }
    }
    text.push_str("}\n");
    server.open(&text);
    for version in 2..=6 {
        server.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": URI, "version": version },
                "contentChanges": [{ "text": format!("{text}// edit {version}\n") }],
            }),
        );
    }
    // The structural findings are none; the analysis has one (W0402, or N0408 when it gives up).
    server.diagnostics(6, |d| !d.is_empty());
    // Whatever comes next (nothing, or the same findings again) is about version 6.
    let late = server.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": URI } }),
    );
    assert!(late["error"].is_null());
    for message in &server.notifications {
        assert_eq!(message["params"]["version"], 6, "{message}");
    }
    server.stop();
}

/// A directory of its own for one test, empty.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("wfl-lsp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

/// `file://` and the path.
fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// What `wfl check --format json FILE`, run in `dir`, reports, in the form the server publishes:
/// code, severity, range, the message with its notes, help and label.
fn checked_as_published(dir: &Path, file: &str) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_wfl"))
        .args(["check", "--format", "json", file])
        .current_dir(dir)
        .output()
        .expect("wfl check runs");
    let report: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    let position = |span: &Value, line: &str, column: &str| {
        json!({
            "line": span[line].as_u64().unwrap_or(1) - 1,
            "character": span[column].as_u64().unwrap_or(1) - 1,
        })
    };
    report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            let mut message = d["message"].as_str().unwrap_or_default().to_owned();
            for note in d["notes"].as_array().into_iter().flatten() {
                message.push_str(&format!("\nnote: {}", note.as_str().unwrap_or_default()));
            }
            if let Some(help) = d["help"].as_str() {
                message.push_str(&format!("\nhelp: {help}"));
            }
            message.push_str(&format!("\n{}", d["label"].as_str().unwrap_or_default()));
            json!({
                "code": d["code"],
                "severity": match d["severity"].as_str() {
                    Some("error") => 1,
                    Some("warning") => 2,
                    _ => 3,
                },
                "range": {
                    "start": position(&d["span"], "line", "column"),
                    "end": position(&d["span"], "end_line", "end_column"),
                },
                "message": message.trim_end(),
            })
        })
        .collect()
}

/// The fields of published diagnostics that [`checked_as_published`] gives.
fn as_compared(published: &[Value]) -> Vec<Value> {
    published
        .iter()
        .map(|d| {
            json!({
                "code": d["code"],
                "severity": d["severity"],
                "range": d["range"],
                "message": d["message"],
            })
        })
        .collect()
}

/// A machine with an unused event (W0103), an unused variable (W0100), explored in part with
/// `max-states = 1` (N0417).
const CONFIGURED: &str = "machine door {\n  event push, pull, knock\n  var spare: bool = false\n  initial -> Closed\n  state Closed, Open\n  Closed -> Open on push\n  Open -> Closed on pull\n}\n";

/// The `wfl.toml` of [`CONFIGURED`]: W0103 allowed, W0100 denied, the exploration bounded.
const CONFIG: &str =
    "[lints]\nunused_event = \"allow\"\nW0100 = \"deny\"\n\n[check]\nmax-states = 1\n";

#[test]
fn the_findings_follow_the_wfl_toml_of_the_document() {
    let dir = scratch("config");
    std::fs::create_dir_all(dir.join("specs")).expect("specs/");
    std::fs::write(dir.join("wfl.toml"), CONFIG).expect("wfl.toml");
    std::fs::write(dir.join("specs/door.wfl"), CONFIGURED).expect("door.wfl");
    let uri = file_uri(&dir.join("specs/door.wfl"));
    let expected = checked_as_published(&dir, "specs/door.wfl");
    let codes: Vec<&Value> = expected.iter().map(|d| &d["code"]).collect();
    assert_eq!(codes, ["N0417", "W0100"], "{expected:#?}");
    assert_eq!(expected[1]["severity"], 1, "W0100 denied: {expected:#?}");
    let watching =
        json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } });
    let (mut server, _) = Server::start_with(&dir, watching);
    // The server asks to hear of changes to `wfl.toml` files.
    let registration = server.wait_for("client/registerCapability");
    assert_eq!(
        registration["params"]["registrations"][0]["method"], "workspace/didChangeWatchedFiles",
        "{registration}"
    );
    server.open_at(&uri, CONFIGURED);
    let published = server.diagnostics_of(&uri, 1, |d| d.len() == expected.len());
    assert_eq!(as_compared(&published), expected);
    // W0103 at its default level again, the exploration unbounded: the findings of `wfl check`
    // for the file, once the client reports the change.
    std::fs::write(dir.join("wfl.toml"), "[lints]\nW0100 = \"deny\"\n").expect("wfl.toml");
    let expected = checked_as_published(&dir, "specs/door.wfl");
    let codes: Vec<&Value> = expected.iter().map(|d| &d["code"]).collect();
    assert_eq!(codes, ["W0103", "W0100"], "{expected:#?}");
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": file_uri(&dir.join("wfl.toml")), "type": 2 }] }),
    );
    let published = server.diagnostics_of(&uri, 1, |d| {
        d.len() == expected.len() && d.iter().all(|d| d["code"] != "N0417")
    });
    assert_eq!(as_compared(&published), expected);
    server.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_broken_wfl_toml_is_a_message_and_the_defaults_apply() {
    let dir = scratch("broken-config");
    std::fs::write(dir.join("wfl.toml"), "[lints]\nunused_evnt = \"allow\"\n").expect("wfl.toml");
    std::fs::write(dir.join("door.wfl"), CONFIGURED).expect("door.wfl");
    let uri = file_uri(&dir.join("door.wfl"));
    let (mut server, _) = Server::start_with(&dir, json!({}));
    server.open_at(&uri, CONFIGURED);
    let message = server.wait_for("window/showMessage");
    assert_eq!(message["params"]["type"], 1, "an error: {message}");
    assert_eq!(
        message["params"]["message"],
        "wfl lsp: wfl.toml:2:1: unknown code or rule `unused_evnt`; did you mean `unused_event`?; \
         the findings have the default levels"
    );
    // Every finding at its default level, as with no `wfl.toml`.
    let defaults: Vec<String> = wfl::check_text(CONFIGURED)
        .diagnostics
        .iter()
        .map(|d| d.code.as_str().to_owned())
        .collect();
    let published = server.diagnostics_of(&uri, 1, |d| d.len() == defaults.len());
    let codes: Vec<&str> = published
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, defaults);
    // Fixed and saved: the levels apply.
    std::fs::write(dir.join("wfl.toml"), "[lints]\nunused_event = \"allow\"\n").expect("wfl.toml");
    server.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": uri } }),
    );
    let published = server.diagnostics_of(&uri, 1, |d| d.iter().all(|d| d["code"] != "W0103"));
    let codes: Vec<&str> = published
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["W0100"]);
    server.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn completion_offers_the_newest_syntax() {
    let (mut server, _) = Server::start(&[]);
    let text = "machine worker {\n  event go, done\n  initial -> Idle\n  state Idle, Busy\n  Idle -> Busy on go\n  Busy -> Idle on done\n}\n\nmachine pool {\n  children workers: worker\n  event start, stop, tick\n  var next: int 0..3 = 0\n  initial -> Open\n  state Open\n  Open -> Open on start or \n  Open -> Open on tick when next > 0 or \n  Open -> Open on stop { send go to \n  Open -> Open on go { send go to one \n  Open -> Open on done { send go to one workers in \n  Open -> Open on done { send go to workers[\n  initial \n  initial input \n  external \n  \n}\n";
    server.open(text);
    server.diagnostics(1, |d| !d.is_empty());
    // At the end of `needle` (before its line break, if it ends with one).
    let labels = |server: &mut Server, needle: &str| {
        let typed = needle.trim_end_matches('\n').chars().count();
        completion_labels(server, pos(text, needle, 0, typed))
    };
    // `on a or b`: the events again; `when … or`: the names of expressions.
    assert_eq!(
        labels(&mut server, "start or "),
        ["done", "go", "start", "stop", "tick"]
    );
    let condition = labels(&mut server, "next > 0 or ");
    assert!(condition.contains(&"next".to_owned()), "{condition:?}");
    assert!(!condition.contains(&"tick".to_owned()), "{condition:?}");
    // `send … to`: the parent, `one`, the groups; `to one`: the groups; `one G in`: G's states.
    assert_eq!(
        labels(&mut server, "send go to \n"),
        ["one", "parent", "workers"]
    );
    assert_eq!(labels(&mut server, "to one \n"), ["workers"]);
    assert_eq!(labels(&mut server, "workers in "), ["Busy", "Idle"]);
    // `G[i]`: an index is an expression of the sender.
    let index = labels(&mut server, "workers[");
    assert!(index.contains(&"next".to_owned()), "{index:?}");
    // The words that go on: `initial input var`, `external event`.
    assert_eq!(labels(&mut server, "  initial \n"), ["input"]);
    assert_eq!(labels(&mut server, "  initial input \n"), ["var"]);
    assert_eq!(labels(&mut server, "  external \n"), ["event"]);
    // At the start of a statement: `input`, `external`, `internal` with the statement keywords.
    let statement = labels(&mut server, "external \n  ");
    for keyword in [
        "input", "external", "internal", "event", "actor", "var", "initial",
    ] {
        assert!(statement.contains(&keyword.to_owned()), "{statement:?}");
    }
    server.stop();
}

#[test]
fn a_quick_fix_that_empties_its_lines_removes_them() {
    let (mut server, _) = Server::start(&[]);
    let text = "machine m {\n  event go, stop, go\n  /// Stops it.\n  event stop\n  initial -> A\n  state A\n  A -> A on go\n  A -> A on stop\n}\n";
    server.open(text);
    let found = server.diagnostics(1, |d| d.len() == 2);
    assert!(found.iter().all(|d| d["code"] == "E0100"), "{found:?}");
    let fix = |server: &mut Server, needle: &str, nth: usize| {
        let response = server.request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": URI },
                "range": range_of(text, needle, nth),
                "context": { "diagnostics": [] },
            }),
        );
        response["result"][0]["edit"]["changes"][URI][0].clone()
    };
    // The name again in a list: it goes with its comma.
    let edit = fix(&mut server, "go", 1);
    assert_eq!(edit["range"]["start"], pos(text, "stop, go", 0, 4));
    assert_eq!(edit["range"]["end"], pos(text, "stop, go", 0, 8));
    assert_eq!(edit["newText"], "");
    // Alone in its statement: the statement's lines go, with its doc comment.
    let edit = fix(&mut server, "stop", 1);
    assert_eq!(
        edit["range"],
        json!({ "start": pos(text, "  /// Stops", 0, 0), "end": pos(text, "  initial", 0, 0) }),
    );
    server.stop();
}
