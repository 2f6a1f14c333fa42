//! Findings as a SARIF 2.1.0 log, the format GitHub code scanning reads (`specs/cli.md`, "The
//! SARIF log", lists every field).
//!
//! One run, for the `wfl` tool; its `rules` are every registered code, in registry order (so a
//! result's `ruleIndex` is its code's place in [`Code::ALL`]), described from
//! `specs/diagnostics.md`. GitHub's limits are kept: rule descriptions of at most 1000 characters,
//! at most [`MAX_RESULTS`] results per run.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use serde::Serialize;

use super::markdown;
use super::render::{line_text, note_text};
use super::{Code, Diagnostic, Label, Severity};
use crate::source::{Source, Span};

/// The schema GitHub's documentation gives for SARIF 2.1.0.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// GitHub code scanning rejects a run with more results than this.
pub const MAX_RESULTS: usize = 25_000;
/// GitHub displays `fullDescription.text` up to about this many characters.
pub const MAX_DESCRIPTION: usize = 1000;
/// The base that relative artifact URIs are resolved against.
pub const SRCROOT: &str = "%SRCROOT%";

/// Where a file is, as SARIF names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Artifact {
    /// A URI: relative to the working directory (resolved against [`SRCROOT`]) or absolute.
    pub uri: String,
    /// Whether `uri` is relative to [`SRCROOT`].
    pub relative: bool,
}

impl Artifact {
    /// A file under the working directory, given by its path relative to it.
    pub fn relative(path: &Path) -> Artifact {
        let segments: Vec<String> = path
            .components()
            .filter_map(|c| match c {
                Component::Normal(name) => Some(percent_encode(&name.to_string_lossy(), false)),
                Component::ParentDir => Some("..".to_owned()),
                _ => None,
            })
            .collect();
        Artifact {
            uri: segments.join("/"),
            relative: true,
        }
    }

    /// A file outside the working directory, by its absolute path: a `file://` URI.
    pub fn absolute(path: &Path) -> Artifact {
        Artifact {
            uri: file_uri(path, false),
            relative: false,
        }
    }

    /// What has no file: standard input, named `<stdin>` (percent-encoded).
    pub fn stdin() -> Artifact {
        Artifact {
            uri: percent_encode("<stdin>", false),
            relative: false,
        }
    }
}

/// `file:///…` for an absolute path; with `directory`, ending in `/` (as a base URI must).
pub fn file_uri(path: &Path, directory: bool) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut uri = String::from("file://");
    if !text.starts_with('/') {
        uri.push('/');
    }
    uri.push_str(&percent_encode(&text, true));
    if directory && !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Percent-encodes every byte but the unreserved characters and `/` (and `:` with `colon`, for
/// the drive of an absolute Windows path).
fn percent_encode(text: &str, colon: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) || (colon && b == b':') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What the driver says about wfl and where its rules are explained.
#[derive(Clone, Debug, Default)]
pub struct ToolInfo {
    /// The tool's home page, if known.
    pub information_uri: Option<String>,
    /// The URL of the directory holding `diagnostics.md` (no trailing `/`); rules then have a
    /// `helpUri` and their help's relative links point there.
    pub help_uri_base: Option<String>,
}

/// A SARIF log being filled, one file at a time, in output order.
#[derive(Debug)]
pub struct LogBuilder {
    tool: ToolInfo,
    results: Vec<SarifResult>,
    /// Results beyond [`MAX_RESULTS`], left out.
    dropped: usize,
    /// Findings the report does not show ([`super::bound`]).
    not_shown: usize,
}

impl LogBuilder {
    pub fn new(tool: ToolInfo) -> LogBuilder {
        LogBuilder {
            tool,
            results: Vec::new(),
            dropped: 0,
            not_shown: 0,
        }
    }

    /// Counts `n` findings of a file that the report does not show ([`super::bound`]); the log
    /// says how many in a notification.
    pub fn not_shown(&mut self, n: usize) {
        self.not_shown += n;
    }

    /// Adds the findings of one file.
    pub fn add(&mut self, artifact: &Artifact, source: &Source, diagnostics: &[Diagnostic]) {
        for diagnostic in diagnostics {
            if self.results.len() >= MAX_RESULTS {
                self.dropped += 1;
                continue;
            }
            self.results.push(result(artifact, source, diagnostic));
        }
    }

    /// How many results were left out to keep within [`MAX_RESULTS`].
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    /// The log as pretty-printed JSON. `working_directory` is the `file://` URI (ending in `/`) of
    /// the directory relative URIs are relative to; `successful` is false when some input could
    /// not be checked.
    pub fn finish(self, working_directory: Option<String>, successful: bool) -> String {
        let base = working_directory.map(|uri| ArtifactLocation {
            uri,
            uri_base_id: None,
        });
        let mut notifications = Vec::new();
        if self.dropped > 0 {
            notifications.push(Notification {
                level: "warning",
                message: Message {
                    text: format!(
                        "{} more results were left out: GitHub code scanning accepts at most {MAX_RESULTS} results in a run",
                        self.dropped
                    ),
                },
            });
        }
        if self.not_shown > 0 {
            notifications.push(Notification {
                level: "note",
                message: Message {
                    text: format!(
                        "{} more findings are not in this log: a file's report shows at most {} findings of one code and {} in all",
                        self.not_shown,
                        super::bound::MAX_PER_CODE,
                        super::bound::MAX_PER_FILE
                    ),
                },
            });
        }
        let log = Log {
            schema: SCHEMA,
            version: "2.1.0",
            runs: vec![Run {
                tool: Tool {
                    driver: Driver {
                        name: "wfl",
                        version: env!("CARGO_PKG_VERSION"),
                        semantic_version: env!("CARGO_PKG_VERSION"),
                        information_uri: self.tool.information_uri.clone(),
                        rules: rules(self.tool.help_uri_base.as_deref()),
                    },
                },
                invocations: vec![Invocation {
                    execution_successful: successful,
                    working_directory: base.clone(),
                    tool_execution_notifications: notifications,
                }],
                original_uri_base_ids: base.map(|location| BTreeMap::from([(SRCROOT, location)])),
                column_kind: "unicodeCodePoints",
                results: self.results,
            }],
        };
        // Serializing plain structs of strings and numbers cannot fail.
        super::render::json_without_hidden(serde_json::to_string_pretty(&log).unwrap_or_default())
    }
}

/// One reporting descriptor per registered code, in registry order.
pub fn rules(help_uri_base: Option<&str>) -> Vec<Rule> {
    Code::ALL
        .iter()
        .map(|&code| {
            let section = code.explanation().unwrap_or("");
            // The section without its `## CODE name` heading: GitHub shows the rule's id and name.
            let body = section.split_once('\n').map_or("", |(_, rest)| rest).trim();
            let what = markdown::part(section, "What it does").unwrap_or(code.summary());
            let level = level(code.severity());
            Rule {
                id: code.as_str(),
                name: code.name(),
                short_description: Message {
                    text: code.summary().to_owned(),
                },
                full_description: Message {
                    text: markdown::shorten(&markdown::plain(what), MAX_DESCRIPTION),
                },
                help: MultiformatMessage {
                    text: non_empty(markdown::plain(body), code),
                    markdown: non_empty(markdown::with_absolute_links(body, help_uri_base), code),
                },
                help_uri: help_uri_base.map(|base| {
                    format!(
                        "{base}/diagnostics.md#{}-{}",
                        code.as_str().to_ascii_lowercase(),
                        code.name()
                    )
                }),
                default_configuration: Configuration { level },
                properties: RuleProperties {
                    // GitHub code scanning's scale: error, warning, recommendation.
                    problem_severity: match code.severity() {
                        Severity::Note => "recommendation",
                        _ => level,
                    },
                },
            }
        })
        .collect()
}

/// GitHub rejects empty required strings; every code has a section, but a summary is never empty.
fn non_empty(text: String, code: Code) -> String {
    if text.trim().is_empty() {
        code.summary().to_owned()
    } else {
        text
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// A result's plain-text message as SARIF 2.1.0 reads it: `{` and `}` doubled (single ones would
/// be placeholders, §3.11.5), `[` and `]` escaped with a backslash, and a backslash before either
/// escaped too (unescaped, they could make an embedded link to a location, §3.11.6). The text is
/// first shown as in the other formats (hidden characters escaped).
pub fn message_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' => out.push_str("{{"),
            '}' => out.push_str("}}"),
            '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\\' if matches!(chars.peek(), Some('[' | ']')) => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out
}

fn result(artifact: &Artifact, source: &Source, diagnostic: &Diagnostic) -> SarifResult {
    let mut text = line_text(&diagnostic.message).into_owned();
    for note in &diagnostic.notes {
        text.push_str("\nnote: ");
        text.push_str(&note_text(note));
    }
    if let Some(help) = &diagnostic.help {
        text.push_str("\nhelp: ");
        text.push_str(&line_text(help));
    }
    let location = |id: Option<usize>, label: &Label| Location {
        id,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: artifact.uri.clone(),
                uri_base_id: artifact.relative.then_some(SRCROOT),
            },
            region: region(source, label.span),
        },
        message: (!label.message.is_empty()).then(|| Message {
            text: message_text(&line_text(&label.message)),
        }),
    };
    SarifResult {
        rule_id: diagnostic.code.as_str(),
        rule_index: Code::ALL
            .iter()
            .position(|&c| c == diagnostic.code)
            .unwrap_or_default(),
        level: level(diagnostic.severity),
        message: Message {
            text: message_text(&text),
        },
        locations: vec![location(None, &diagnostic.primary)],
        related_locations: diagnostic
            .secondary
            .iter()
            .enumerate()
            .map(|(i, label)| location(Some(i + 1), label))
            .collect(),
    }
}

/// 1-based lines and columns (Unicode scalar values), `endColumn` just past the last character.
fn region(source: &Source, span: Span) -> Region {
    let start = source.line_col(span.start as usize);
    let end = source.line_col(span.end as usize);
    Region {
        start_line: start.line,
        start_column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: Vec<Invocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<BTreeMap<&'static str, ArtifactLocation>>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<String>,
    rules: Vec<Rule>,
}

/// A `reportingDescriptor`: what one code flags.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub id: &'static str,
    pub name: &'static str,
    pub short_description: Message,
    pub full_description: Message,
    pub help: MultiformatMessage,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help_uri: Option<String>,
    pub default_configuration: Configuration,
    pub properties: RuleProperties,
}

#[derive(Debug, Serialize)]
pub struct Message {
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct MultiformatMessage {
    pub text: String,
    pub markdown: String,
}

#[derive(Debug, Serialize)]
pub struct Configuration {
    pub level: &'static str,
}

#[derive(Debug, Serialize)]
pub struct RuleProperties {
    /// GitHub orders and filters alerts of rules that are not about security by this.
    #[serde(rename = "problem.severity")]
    pub problem_severity: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    working_directory: Option<ArtifactLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Message,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            Artifact::relative(Path::new("./specs/my spec#1.wfl")).uri,
            "specs/my%20spec%231.wfl"
        );
        assert_eq!(
            Artifact::relative(Path::new("a:b/é.wfl")).uri,
            "a%3Ab/%C3%A9.wfl"
        );
        assert_eq!(
            Artifact::absolute(Path::new("/tmp/x y.wfl")).uri,
            "file:///tmp/x%20y.wfl"
        );
        assert_eq!(
            file_uri(Path::new("/work/main"), true),
            "file:///work/main/"
        );
        assert_eq!(Artifact::stdin().uri, "%3Cstdin%3E");
    }

    #[test]
    fn message_texts_have_no_placeholders_or_links() {
        assert_eq!(
            message_text("a {b} [c](1) \\[d\\] \\u{1b} `workers[0]`"),
            "a {{b}} \\[c\\](1) \\\\\\[d\\\\\\] \\u{{1b}} `workers\\[0\\]`"
        );
    }

    #[test]
    fn every_code_is_a_rule_github_accepts() {
        let rules = rules(Some("https://example.com/wfl/specs"));
        assert_eq!(rules.len(), Code::ALL.len());
        for (rule, code) in rules.iter().zip(Code::ALL) {
            assert_eq!(rule.id, code.as_str());
            for text in [
                &rule.short_description.text,
                &rule.full_description.text,
                &rule.help.text,
                &rule.help.markdown,
            ] {
                assert!(!text.trim().is_empty(), "{}: an empty description", rule.id);
            }
            assert!(rule.full_description.text.chars().count() <= MAX_DESCRIPTION);
            assert!(rule.name.len() <= 255 && rule.short_description.text.len() <= 1024);
        }
        let w0201 = &rules[Code::ALL
            .iter()
            .position(|&c| c == Code::W0201)
            .unwrap_or(0)];
        assert_eq!(
            w0201.help_uri.as_deref(),
            Some("https://example.com/wfl/specs/diagnostics.md#w0201-dead_end_state")
        );
        assert!(
            w0201
                .full_description
                .text
                .starts_with("Reports a reachable state")
        );
        assert!(!w0201.full_description.text.contains("###"));
        assert!(w0201.help.markdown.contains("```wfl\n"));
    }
}
