//! `wfl lsp`: how long the diagnostics of a 5 000-line file take after an edit
//! (`cargo bench --bench lsp`; the goal is under 50 ms on one core for the structural checks).
//!
//! `structural_after_edit` is the work the server does on the protocol thread for every change:
//! parse, resolve with the names recorded, the structural checks, suppressions, the index.
//! `server_after_edit` is the whole round trip in process: a `didChange` sent to the server (the
//! whole text), its `publishDiagnostics` received, with the positions converted to UTF-16; the
//! semantic analysis then runs on the server's worker thread, whose result is not waited for.

use std::thread;

use divan::Bencher;
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::json;

#[path = "generate.rs"]
mod generate;

fn main() {
    let (text, _) = texts();
    println!(
        "the file: {} lines, {:.0} KB",
        text.lines().count(),
        text.len() as f64 / 1e3
    );
    divan::main();
}

/// The generated workflow of about 5 000 lines, and the same with one condition edited.
fn texts() -> (String, String) {
    let text = generate::workflow(2_150);
    let edited = text.replacen("when rows > 1 or force", "when rows > 2 or force", 1);
    assert_ne!(text, edited);
    (text, edited)
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn structural_after_edit(bencher: Bencher) {
    let (text, edited) = texts();
    let mut version = 0;
    bencher.bench_local(|| {
        version += 1;
        let text = if version % 2 == 0 { &text } else { &edited };
        let doc = wfl::lsp::document::Document::new(version, text.clone());
        assert!(doc.is_some_and(|d| d.diagnostics.is_empty()));
    });
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn server_after_edit(bencher: Bencher) {
    let (text, edited) = texts();
    let (server, client) = Connection::memory();
    let running = thread::spawn(move || wfl::lsp::run(&server).map_err(|e| e.to_string()));
    let send = |message: Message| client.sender.send(message).expect("send");
    send(Message::Request(Request::new(
        RequestId::from(1),
        "initialize".to_owned(),
        json!({ "capabilities": {} }),
    )));
    let _ = client.receiver.recv();
    send(Message::Notification(Notification::new(
        "initialized".to_owned(),
        json!({}),
    )));
    let uri = "file:///bench.wfl";
    send(Message::Notification(Notification::new(
        "textDocument/didOpen".to_owned(),
        json!({ "textDocument": { "uri": uri, "languageId": "wfl", "version": 0, "text": text } }),
    )));
    let published = |version: i32| loop {
        match client.receiver.recv() {
            Ok(Message::Notification(n))
                if n.method == "textDocument/publishDiagnostics"
                    && n.params["version"] == json!(version) =>
            {
                break;
            }
            Ok(_) => {}
            Err(err) => panic!("{err}"),
        }
    };
    published(0);
    let mut version = 0;
    bencher.bench_local(|| {
        version += 1;
        let text = if version % 2 == 0 { &text } else { &edited };
        send(Message::Notification(Notification::new(
            "textDocument/didChange".to_owned(),
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": text }],
            }),
        )));
        published(version);
    });
    send(Message::Request(Request::new(
        RequestId::from(2),
        "shutdown".to_owned(),
        json!(null),
    )));
    send(Message::Notification(Notification::new(
        "exit".to_owned(),
        json!(null),
    )));
    drop(client);
    let _ = running.join();
}
