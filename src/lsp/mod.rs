//! `wfl lsp`: a language server over a [`Connection`] (standard input and output in `cli::lsp`).
//!
//! One thread speaks the protocol and keeps the open files ([`document::Document`]): on every
//! change it parses, resolves and runs the structural checks (linear in the file) and publishes
//! their findings at once. The semantic analysis (workflows' end states, machines explored) runs
//! on a worker thread; its findings are published when it ends, and dropped when a newer version
//! of the file has arrived meanwhile. Names, hover, completion, outline and code actions are
//! answered from the last version's index, never waiting on the analysis. The findings are at
//! the levels, and the machines explored within the bounds, of the document's `wfl.toml`
//! ([`settings`], found by the caller's lookup on open, save and a changed `wfl.toml`).
//!
//! May depend on everything in the library but `cli`; it never reads a file or prints.

pub mod completion;
pub mod document;
pub mod edit;
pub mod hover;
pub mod index;
pub mod position;
pub mod settings;
pub mod symbols;

use std::collections::HashMap;
use std::sync::Arc;
use std::thread;

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::*;
use serde_json::Value as Json;

use crate::diagnostic::{Diagnostic as Finding, Severity};
use document::Document;
use position::Encoding;
use settings::{Lookup, Settings};

/// What the server failed on: the connection broke or the client broke the protocol.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Runs the server until the client says `exit` (or closes the connection), every document with
/// the default settings (as if no `wfl.toml` were anywhere).
pub fn run(connection: &Connection) -> Result<(), Error> {
    run_with(connection, &mut |_| Settings::default())
}

/// [`run`], with each document's settings found by `lookup` (from its path).
pub fn run_with(connection: &Connection, lookup: &mut Lookup<'_>) -> Result<(), Error> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let offered =
        (params.capabilities.general.as_ref()).and_then(|g| g.position_encodings.as_deref());
    let encoding = Encoding::negotiate(offered);
    let result = InitializeResult {
        capabilities: capabilities(encoding),
        server_info: Some(ServerInfo {
            name: "wfl".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
    };
    connection.initialize_finish(id, serde_json::to_value(result)?)?;
    let watches = (params.capabilities.workspace.as_ref())
        .and_then(|w| w.did_change_watched_files)
        .and_then(|w| w.dynamic_registration)
        .unwrap_or(false);
    if watches {
        watch_configs(connection)?;
    }
    let (jobs, job_queue) = crossbeam_channel::unbounded();
    let (results_out, results) = crossbeam_channel::unbounded();
    let worker = thread::Builder::new()
        .name("wfl-analysis".to_owned())
        .spawn(move || analyse(&job_queue, &results_out))?;
    let mut server = Server {
        connection,
        encoding,
        documents: HashMap::new(),
        jobs,
        shut_down: false,
        lookup,
    };
    let outcome = server.serve(&results);
    drop(server);
    // The worker ends when its queue closes.
    let _ = worker.join();
    outcome
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                // On save the document's `wfl.toml` is looked for again.
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![" ".to_owned(), "(".to_owned()]),
            ..CompletionOptions::default()
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

/// Asks the client to report every change to a `wfl.toml` (`workspace/didChangeWatchedFiles`);
/// its answer is not waited for.
fn watch_configs(connection: &Connection) -> Result<(), Error> {
    let options = DidChangeWatchedFilesRegistrationOptions {
        watchers: vec![FileSystemWatcher {
            glob_pattern: GlobPattern::String("**/wfl.toml".to_owned()),
            kind: None,
        }],
    };
    let params = RegistrationParams {
        registrations: vec![Registration {
            id: "wfl-toml".to_owned(),
            method: "workspace/didChangeWatchedFiles".to_owned(),
            register_options: Some(serde_json::to_value(options)?),
        }],
    };
    let request = Request::new(
        lsp_server::RequestId::from("wfl-watch-config".to_owned()),
        "client/registerCapability".to_owned(),
        params,
    );
    connection.sender.send(Message::Request(request))?;
    Ok(())
}

/// A file to analyse: the semantic findings of one version.
struct Job {
    uri: Uri,
    version: i32,
    text: String,
    settings: Arc<Settings>,
}

/// The semantic findings of one version of a file, with the settings they were found with.
struct Analysed {
    uri: Uri,
    version: i32,
    settings: Arc<Settings>,
    findings: Vec<Finding>,
}

/// The worker: analyses the latest version of each file it is sent; versions that a newer one
/// replaced while it was busy are skipped.
fn analyse(queue: &Receiver<Job>, results: &Sender<Analysed>) {
    while let Ok(first) = queue.recv() {
        let mut latest: Vec<Job> = vec![first];
        while let Ok(next) = queue.try_recv() {
            latest.retain(|job| job.uri != next.uri);
            latest.push(next);
        }
        for job in latest {
            let findings = document::semantic_findings(&job.text, &job.settings);
            let analysed = Analysed {
                uri: job.uri,
                version: job.version,
                settings: job.settings,
                findings,
            };
            if results.send(analysed).is_err() {
                return;
            }
        }
    }
}

struct Server<'c, 'l> {
    connection: &'c Connection,
    /// Finds a document's settings from its path.
    lookup: &'c mut Lookup<'l>,
    encoding: Encoding,
    documents: HashMap<Uri, Document>,
    jobs: Sender<Job>,
    /// `shutdown` was asked: only `exit` is answered now.
    shut_down: bool,
}

impl Server<'_, '_> {
    fn serve(&mut self, results: &Receiver<Analysed>) -> Result<(), Error> {
        let messages = &self.connection.receiver;
        loop {
            crossbeam_channel::select! {
                recv(messages) -> message => {
                    let Ok(message) = message else {
                        return match self.shut_down {
                            true => Ok(()),
                            false => Err("the client closed the connection without `exit`".into()),
                        };
                    };
                    match message {
                        Message::Request(request) => {
                            let response = if request.method == "shutdown" {
                                self.shut_down = true;
                                Response::new_ok(request.id, Json::Null)
                            } else if self.shut_down {
                                // Clients may ask again (Neovim does, on quitting).
                                Response::new_err(
                                    request.id,
                                    ErrorCode::InvalidRequest as i32,
                                    "the server is shutting down".to_owned(),
                                )
                            } else {
                                self.request(request)
                            };
                            self.connection.sender.send(Message::Response(response))?;
                        }
                        Message::Notification(notification) => {
                            if notification.method == "exit" {
                                return match self.shut_down {
                                    true => Ok(()),
                                    false => Err("`exit` came before `shutdown`".into()),
                                };
                            }
                            self.notification(notification)?;
                        }
                        Message::Response(_) => {}
                    }
                }
                recv(results) -> result => {
                    if let Ok(analysed) = result {
                        self.semantic_done(analysed)?;
                    }
                }
            }
        }
    }

    fn notification(&mut self, notification: Notification) -> Result<(), Error> {
        match notification.method.as_str() {
            "textDocument/didOpen" => {
                let params: DidOpenTextDocumentParams =
                    serde_json::from_value(notification.params)?;
                let doc = params.text_document;
                let settings = self.settings_of(&doc.uri, None)?;
                self.update(doc.uri, doc.version, doc.text, settings)?;
            }
            "textDocument/didChange" => {
                let params: DidChangeTextDocumentParams =
                    serde_json::from_value(notification.params)?;
                let uri = params.text_document.uri;
                let Some(doc) = self.documents.get(&uri) else {
                    return Ok(());
                };
                let settings = Arc::clone(&doc.settings);
                let mut text = doc.text().to_owned();
                for change in params.content_changes {
                    text = match change.range {
                        None => change.text,
                        Some(range) => {
                            let Some(source) = crate::source::Source::new("", text) else {
                                return Ok(()); // over 4 GiB
                            };
                            let span = position::span(&source, self.encoding, range);
                            let mut text = source.text().to_owned();
                            text.replace_range(span.range(), &change.text);
                            text
                        }
                    };
                }
                self.update(uri, params.text_document.version, text, settings)?;
            }
            "textDocument/didSave" => {
                let params: DidSaveTextDocumentParams =
                    serde_json::from_value(notification.params)?;
                self.reconfigure(&[params.text_document.uri])?;
            }
            "workspace/didChangeWatchedFiles" => {
                // Which documents a `wfl.toml` governs depends on the ones above and below it:
                // every open document looks again.
                let open: Vec<Uri> = self.documents.keys().cloned().collect();
                self.reconfigure(&open)?;
            }
            "textDocument/didClose" => {
                let params: DidCloseTextDocumentParams =
                    serde_json::from_value(notification.params)?;
                self.documents.remove(&params.text_document.uri);
                self.publish(params.text_document.uri, None, Vec::new())?;
            }
            _ => {}
        }
        Ok(())
    }

    /// The settings of the document `uri` from its `wfl.toml`, read again; when it cannot be used,
    /// the client shows why (unless `before`, the document's settings until now, said so already).
    fn settings_of(
        &mut self,
        uri: &Uri,
        before: Option<&Settings>,
    ) -> Result<Arc<Settings>, Error> {
        let path = settings::path_of(uri);
        let found = (self.lookup)(path.as_deref());
        let said = before.and_then(|b| b.problem.as_ref());
        if let Some(problem) = found.problem.as_ref().filter(|p| Some(*p) != said) {
            let params = ShowMessageParams {
                typ: MessageType::ERROR,
                message: format!("wfl lsp: {problem}; the findings have the default levels"),
            };
            let notification = Notification::new("window/showMessage".to_owned(), params);
            self.connection
                .sender
                .send(Message::Notification(notification))?;
        }
        Ok(Arc::new(found))
    }

    /// The settings of the open documents `uris` read again, and the findings of those whose
    /// settings changed published again.
    fn reconfigure(&mut self, uris: &[Uri]) -> Result<(), Error> {
        for uri in uris {
            let Some(doc) = self.documents.get(uri) else {
                continue;
            };
            let before = Arc::clone(&doc.settings);
            let settings = self.settings_of(uri, Some(&before))?;
            if settings.same_as(&before) {
                continue;
            }
            let Some(doc) = self.documents.get(uri) else {
                continue;
            };
            let (version, text) = (doc.version, doc.text().to_owned());
            self.update(uri.clone(), version, text, settings)?;
        }
        Ok(())
    }

    /// A new version of a file: its structural findings now, the semantic ones queued.
    fn update(
        &mut self,
        uri: Uri,
        version: i32,
        text: String,
        settings: Arc<Settings>,
    ) -> Result<(), Error> {
        let job_text = text.clone();
        let Some(doc) = Document::with_settings(version, text, Arc::clone(&settings)) else {
            return Ok(()); // over 4 GiB
        };
        let diagnostics = self.lsp_diagnostics(&uri, &doc, &doc.diagnostics);
        let pending = doc.semantic_pending;
        self.documents.insert(uri.clone(), doc);
        self.publish(uri.clone(), Some(version), diagnostics)?;
        if pending {
            let _ = self.jobs.send(Job {
                uri,
                version,
                text: job_text,
                settings,
            });
        }
        Ok(())
    }

    /// The semantic findings of a version: published unless the file or its settings changed
    /// meanwhile.
    fn semantic_done(&mut self, analysed: Analysed) -> Result<(), Error> {
        let Analysed {
            uri,
            version,
            settings,
            findings,
        } = analysed;
        let Some(doc) = self.documents.get_mut(&uri) else {
            return Ok(());
        };
        if doc.version != version || !Arc::ptr_eq(&doc.settings, &settings) {
            return Ok(()); // stale: a newer version is on its way
        }
        doc.semantic_pending = false;
        if doc.diagnostics == findings {
            return Ok(());
        }
        doc.diagnostics = findings;
        let doc = &self.documents[&uri];
        let diagnostics = self.lsp_diagnostics(&uri, doc, &doc.diagnostics);
        self.publish(uri, Some(version), diagnostics)
    }

    fn publish(
        &self,
        uri: Uri,
        version: Option<i32>,
        diagnostics: Vec<lsp_types::Diagnostic>,
    ) -> Result<(), Error> {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        let notification = Notification::new("textDocument/publishDiagnostics".to_owned(), params);
        self.connection
            .sender
            .send(Message::Notification(notification))?;
        Ok(())
    }

    /// The findings as the protocol has them: notes and help joined to the message, secondary
    /// labels as related information.
    fn lsp_diagnostics(
        &self,
        uri: &Uri,
        doc: &Document,
        findings: &[Finding],
    ) -> Vec<lsp_types::Diagnostic> {
        let range = |span| position::range(&doc.source, self.encoding, span);
        findings
            .iter()
            .map(|f| {
                let mut message = f.message.clone();
                for note in &f.notes {
                    message.push_str(&format!("\nnote: {note}"));
                }
                if let Some(help) = &f.help {
                    message.push_str(&format!("\nhelp: {help}"));
                }
                let related = f
                    .secondary
                    .iter()
                    .map(|label| DiagnosticRelatedInformation {
                        location: Location::new(uri.clone(), range(label.span)),
                        message: label.message.clone(),
                    })
                    .collect::<Vec<_>>();
                lsp_types::Diagnostic {
                    range: range(f.primary.span),
                    severity: Some(match f.severity {
                        Severity::Error => DiagnosticSeverity::ERROR,
                        Severity::Warning => DiagnosticSeverity::WARNING,
                        Severity::Note => DiagnosticSeverity::INFORMATION,
                    }),
                    code: Some(NumberOrString::String(f.code.as_str().to_owned())),
                    source: Some("wfl".to_owned()),
                    message: format!("{}\n{}", message, f.primary.message)
                        .trim_end()
                        .to_owned(),
                    related_information: (!related.is_empty()).then_some(related),
                    ..lsp_types::Diagnostic::default()
                }
            })
            .collect()
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        match self.answer(request) {
            Ok(result) => Response::new_ok(id, result),
            Err(Refusal(code, message)) => Response::new_err(id, code as i32, message),
        }
    }

    fn answer(&mut self, request: Request) -> Result<Json, Refusal> {
        let params = request.params;
        match request.method.as_str() {
            "textDocument/hover" => {
                let p: HoverParams = parse(params)?;
                let (doc, offset) = self.at(&p.text_document_position_params)?;
                let hover = hover::hover(doc, offset).map(|(markdown, span)| Hover {
                    contents: HoverContents::Markup(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: markdown,
                    }),
                    range: Some(position::range(&doc.source, self.encoding, span)),
                });
                json(&hover)
            }
            "textDocument/definition" => {
                let p: GotoDefinitionParams = parse(params)?;
                let uri = p.text_document_position_params.text_document.uri.clone();
                let (doc, offset) = self.at(&p.text_document_position_params)?;
                let location = doc.index.at(offset).map(|(symbol, _)| {
                    let span = doc.index.symbols[symbol].span;
                    Location::new(uri, position::range(&doc.source, self.encoding, span))
                });
                json(&location.map(GotoDefinitionResponse::Scalar))
            }
            "textDocument/references" => {
                let p: ReferenceParams = parse(params)?;
                let uri = p.text_document_position.text_document.uri.clone();
                let (doc, offset) = self.at(&p.text_document_position)?;
                let locations = doc.index.at(offset).map(|(symbol, _)| {
                    let declaration = p
                        .context
                        .include_declaration
                        .then_some(doc.index.symbols[symbol].span);
                    (declaration.into_iter())
                        .chain(doc.index.uses_of(symbol))
                        .map(|span| {
                            Location::new(
                                uri.clone(),
                                position::range(&doc.source, self.encoding, span),
                            )
                        })
                        .collect::<Vec<_>>()
                });
                json(&locations)
            }
            "textDocument/prepareRename" => {
                let p: TextDocumentPositionParams = parse(params)?;
                let (doc, offset) = self.at(&p)?;
                let range = doc
                    .index
                    .at(offset)
                    .map(|(_, span)| position::range(&doc.source, self.encoding, span));
                json(&range.map(PrepareRenameResponse::Range))
            }
            "textDocument/rename" => {
                let p: RenameParams = parse(params)?;
                let uri = p.text_document_position.text_document.uri.clone();
                let (doc, offset) = self.at(&p.text_document_position)?;
                let edits = edit::rename(doc, offset, &p.new_name)
                    .map_err(|why| Refusal(ErrorCode::RequestFailed, why))?;
                json(&self.workspace_edit(doc, uri, edits))
            }
            "textDocument/completion" => {
                let p: CompletionParams = parse(params)?;
                let (doc, offset) = self.at(&p.text_document_position)?;
                json(&CompletionResponse::Array(completion::complete(
                    doc, offset,
                )))
            }
            "textDocument/documentSymbol" => {
                let p: DocumentSymbolParams = parse(params)?;
                let doc = self.document(&p.text_document.uri)?;
                let outline = symbols::outline(&doc.file);
                let symbols = outline.into_iter().map(|o| self.symbol(doc, o)).collect();
                json(&DocumentSymbolResponse::Nested(symbols))
            }
            "textDocument/codeAction" => {
                let p: CodeActionParams = parse(params)?;
                let uri = p.text_document.uri.clone();
                let doc = self.document(&uri)?;
                let span = position::span(&doc.source, self.encoding, p.range);
                let actions: Vec<CodeActionOrCommand> = edit::actions(doc, span)
                    .into_iter()
                    .map(|action| {
                        let finding = &doc.diagnostics[action.diagnostic];
                        CodeActionOrCommand::CodeAction(CodeAction {
                            title: action.title,
                            kind: Some(CodeActionKind::QUICKFIX),
                            diagnostics: Some(self.lsp_diagnostics(
                                &uri,
                                doc,
                                std::slice::from_ref(finding),
                            )),
                            edit: Some(self.workspace_edit(doc, uri.clone(), action.edits)),
                            is_preferred: Some(action.preferred),
                            ..CodeAction::default()
                        })
                    })
                    .collect();
                json(&actions)
            }
            "textDocument/formatting" => {
                let p: DocumentFormattingParams = parse(params)?;
                let doc = self.document(&p.text_document.uri)?;
                json(&self.formatting(doc))
            }
            method => Err(Refusal(
                ErrorCode::MethodNotFound,
                format!("wfl lsp does not answer `{method}`"),
            )),
        }
    }

    /// `wfl fmt`'s layout as one edit of the whole text; none when the file is already laid out
    /// so, or has a syntax error (its diagnostics say where).
    fn formatting(&self, doc: &Document) -> Vec<TextEdit> {
        match crate::fmt::format(doc.text()) {
            Ok(formatted) if formatted != doc.text() => {
                let whole = crate::source::Span::new(0, doc.text().len());
                let range = position::range(&doc.source, self.encoding, whole);
                vec![TextEdit::new(range, formatted)]
            }
            Ok(_) | Err(_) => Vec::new(),
        }
    }

    fn document(&self, uri: &Uri) -> Result<&Document, Refusal> {
        self.documents.get(uri).ok_or_else(|| {
            Refusal(
                ErrorCode::InvalidParams,
                format!("`{}` is not open", uri.as_str()),
            )
        })
    }

    /// The document and byte offset of a position.
    fn at(&self, p: &TextDocumentPositionParams) -> Result<(&Document, usize), Refusal> {
        let doc = self.document(&p.text_document.uri)?;
        Ok((
            doc,
            position::offset(&doc.source, self.encoding, p.position),
        ))
    }

    fn workspace_edit(&self, doc: &Document, uri: Uri, edits: Vec<edit::Edit>) -> WorkspaceEdit {
        let edits = edits
            .into_iter()
            .map(|(span, text)| {
                TextEdit::new(position::range(&doc.source, self.encoding, span), text)
            })
            .collect();
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri, edits)])),
            ..WorkspaceEdit::default()
        }
    }

    #[allow(deprecated)] // `DocumentSymbol::deprecated` must be written, as `None`.
    fn symbol(&self, doc: &Document, outline: symbols::Outline) -> DocumentSymbol {
        let range = |span| position::range(&doc.source, self.encoding, span);
        let children: Vec<DocumentSymbol> = outline
            .children
            .into_iter()
            .map(|o| self.symbol(doc, o))
            .collect();
        DocumentSymbol {
            name: outline.name,
            detail: outline.detail,
            kind: outline.kind,
            tags: None,
            deprecated: None,
            range: range(outline.span),
            selection_range: range(outline.name_span),
            children: (!children.is_empty()).then_some(children),
        }
    }
}

/// A request the server cannot answer, and why.
struct Refusal(ErrorCode, String);

fn parse<P: serde::de::DeserializeOwned>(params: Json) -> Result<P, Refusal> {
    serde_json::from_value(params).map_err(|err| Refusal(ErrorCode::InvalidParams, err.to_string()))
}

fn json<T: serde::Serialize>(value: &T) -> Result<Json, Refusal> {
    serde_json::to_value(value).map_err(|err| Refusal(ErrorCode::InternalError, err.to_string()))
}
