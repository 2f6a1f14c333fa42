//! Keeping a file's report in proportion to the file (`specs/cli.md`, "How much is shown").
//!
//! A file can hold thousands of the same mistake (a misspelt name used on every line, a chained
//! comparison repeated along a 64 KB condition); printed in full, its report would be many times
//! the size of the file and bury everything else. [`bound`] chooses what a report shows, the same
//! for every format: at most [`MAX_PER_CODE`] findings of one code and [`MAX_PER_FILE`] in all
//! per file, each with at most [`MAX_LABELS`] secondary labels, every text cut to a bounded size,
//! and all of them within a budget of text in proportion to the file ([`budget`]), so that the
//! report is never more than a small multiple of the file's size plus a constant. What is left out
//! is said: a note on the last finding shown of the code ("6 474 more E0006 findings in this file
//! are not shown"), and the count of findings not shown, which the summary gives. The counts of
//! errors, warnings and notes, and so the exit status, cover every finding.

use std::collections::BTreeMap;

use super::{Code, Diagnostic, Label, Severity};
use crate::source::{Source, Span, shown_width};

/// The findings of one code shown per file: the first ones, by position.
pub const MAX_PER_CODE: usize = 20;
/// The findings shown per file: the most severe ones (errors, then warnings, then notes), each
/// severity by position.
pub const MAX_PER_FILE: usize = 100;
/// The secondary labels shown per finding: the first ones.
pub const MAX_LABELS: usize = 16;
/// A backtick-quoted part of a text longer than this many characters keeps its first
/// [`QUOTED_HEAD`] and last [`QUOTED_TAIL`] characters, joined by `…`.
pub const MAX_QUOTED: usize = 64;
pub const QUOTED_HEAD: usize = 40;
pub const QUOTED_TAIL: usize = 16;
/// A message, a label, a help, or a line of a note keeps this many characters.
pub const MAX_LINE: usize = 400;
/// A note keeps this many lines.
pub const MAX_NOTE_LINES: usize = 60;
/// The text the findings shown of a file may hold ([`cost`]): this many bytes, or
/// [`BUDGET_PER_BYTE`] times the file's size when that is more.
pub const BUDGET_MIN: usize = 64 * 1024;
pub const BUDGET_PER_BYTE: usize = 4;
/// What a finding costs besides its texts: its heading and the frame around its excerpt.
const FINDING_COST: usize = 100;
/// The characters of a source line an excerpt shows at most (it cuts lines to about this).
const LINE_COST: usize = 160;

/// What a report shows of one file's findings.
#[derive(Debug, Default)]
pub struct Bounded {
    /// The findings shown, in their order, texts cut to size.
    pub shown: Vec<Diagnostic>,
    /// How many findings are not shown.
    pub not_shown: usize,
}

/// What a report shows of `diagnostics` (the findings of `source`, sorted by position).
pub fn bound(source: &Source, diagnostics: &[Diagnostic]) -> Bounded {
    bound_within(source, diagnostics, "this file")
}

/// What a report shows of `diagnostics` (findings in `source`), all found in `place` (`this
/// file`, `this scenario`), which the notes on what is left out name.
pub fn bound_within(source: &Source, diagnostics: &[Diagnostic], place: &str) -> Bounded {
    let mut candidates: Vec<Option<Diagnostic>> = first_of_each_code(diagnostics)
        .into_iter()
        .zip(diagnostics)
        .map(|(first, d)| first.then(|| shortened(d)))
        .collect();
    choose_within_budget(source, &mut candidates);
    let mut left_out: BTreeMap<Code, usize> = BTreeMap::new();
    let mut shown = Vec::new();
    for (d, candidate) in diagnostics.iter().zip(candidates) {
        match candidate {
            Some(short) => shown.push(short),
            None => *left_out.entry(d.code).or_default() += 1,
        }
    }
    let not_shown = left_out.values().sum();
    // Codes with none shown (all left out for MAX_PER_FILE or the budget) are listed on the last
    // finding shown.
    let mut unshown_codes = Vec::new();
    let mut unshown = 0;
    for (&code, &n) in &left_out {
        match shown.iter_mut().rev().find(|d| d.code == code) {
            Some(last) => last.notes.push(format!(
                "{} in {place} {} not shown",
                count(n, &format!("more {} finding", code.as_str())),
                are(n)
            )),
            None => {
                unshown_codes.push(format!("{n} {}", code.as_str()));
                unshown += n;
            }
        }
    }
    if unshown > 0
        && let Some(last) = shown.last_mut()
    {
        last.notes.push(format!(
            "{} in {place} {} not shown: {}",
            count(unshown, "more finding"),
            are(unshown),
            unshown_codes.join(", ")
        ));
    }
    Bounded { shown, not_shown }
}

/// Whether each finding is among the first [`MAX_PER_CODE`] of its code.
fn first_of_each_code(diagnostics: &[Diagnostic]) -> Vec<bool> {
    let mut per_code: BTreeMap<Code, usize> = BTreeMap::new();
    diagnostics
        .iter()
        .map(|d| {
            let seen = per_code.entry(d.code).or_default();
            *seen += 1;
            *seen <= MAX_PER_CODE
        })
        .collect()
}

/// Leaves in `candidates` the [`MAX_PER_FILE`] most severe findings (each severity by position)
/// that fit in the [`budget`] of `source`, taken in that order; a finding too big for what is
/// left is passed over for smaller ones. The first always fits, whatever its size.
fn choose_within_budget(source: &Source, candidates: &mut [Option<Diagnostic>]) {
    let mut order: Vec<usize> = (0..candidates.len())
        .filter(|&i| candidates[i].is_some())
        .collect();
    // Most severe first; a stable sort keeps each severity in position order.
    order.sort_by_key(|&i| {
        std::cmp::Reverse(
            candidates[i]
                .as_ref()
                .map_or(0, |d| severity_rank(d.severity)),
        )
    });
    let budget = budget(source);
    let (mut kept, mut spent) = (0, 0);
    for i in order {
        let Some(d) = &candidates[i] else { continue };
        let cost = cost(source, d);
        if kept < MAX_PER_FILE && (kept == 0 || spent + cost <= budget) {
            kept += 1;
            spent += cost;
        } else {
            candidates[i] = None;
        }
    }
}

/// The text the findings shown of `source` may hold, in bytes.
pub fn budget(source: &Source) -> usize {
    BUDGET_MIN.max(BUDGET_PER_BYTE.saturating_mul(source.text().len()))
}

/// About how many bytes `d` takes once shown: its texts (as shown, hidden characters escaped),
/// the source lines its labels show (cut to [`LINE_COST`] characters each), and a fixed part per
/// finding and per line. Every format shows the same texts and lines, each with a bounded frame, so bounding
/// this bounds the output of each.
pub fn cost(source: &Source, d: &Diagnostic) -> usize {
    let text = |t: &str| t.chars().map(shown_width).sum::<usize>() + t.matches('\n').count() * 8;
    let label = |l: &Label| text(&l.message) + excerpt_cost(source, l.span);
    FINDING_COST
        + text(&d.message)
        + label(&d.primary)
        + d.secondary.iter().map(label).sum::<usize>()
        + d.notes.iter().map(|n| text(n) + 16).sum::<usize>()
        + d.help.as_deref().map_or(0, |h| text(h) + 16)
}

/// What the source lines a label at `span` shows cost: its first and last line and, between them,
/// the few lines of context an excerpt shows; each line twice (the line, and the carets and label
/// under it), cut as an excerpt cuts it.
fn excerpt_cost(source: &Source, span: Span) -> usize {
    let first = source.line_index(span.start as usize);
    let last = source.line_index(span.end as usize);
    let context = (last - first).saturating_sub(1).min(4);
    let width = |line: usize| {
        let text = source
            .line_range(line)
            .and_then(|r| source.text().get(r))
            .unwrap_or("");
        let shown = text
            .char_indices()
            .nth(LINE_COST)
            .map_or(text.len(), |(i, _)| i);
        2 * shown + 16
    };
    let ends = if last == first {
        width(first)
    } else {
        width(first) + width(last)
    };
    ends + context * (LINE_COST + 16)
}

fn severity_rank(severity: Severity) -> u8 {
    match severity {
        Severity::Error => 2,
        Severity::Warning => 1,
        Severity::Note => 0,
    }
}

/// `d` with its texts cut to size and at most [`MAX_LABELS`] secondary labels.
fn shortened(d: &Diagnostic) -> Diagnostic {
    let label = |label: &Label| Label {
        span: label.span,
        message: shorten_line(&label.message),
    };
    let mut short = Diagnostic {
        code: d.code,
        severity: d.severity,
        message: shorten_line(&d.message),
        primary: label(&d.primary),
        secondary: d.secondary.iter().take(MAX_LABELS).map(label).collect(),
        notes: d.notes.iter().map(|note| shorten_note(note)).collect(),
        help: d.help.as_deref().map(shorten_line),
        fix: d.fix.clone(),
    };
    let hidden = d.secondary.len().saturating_sub(MAX_LABELS);
    if hidden > 0 {
        short.notes.push(format!(
            "{} of this finding {} not shown",
            count(hidden, "more label"),
            are(hidden)
        ));
    }
    short
}

/// A one-line text (a message, a label, a help) with long quoted parts cut, and cut to
/// [`MAX_LINE`] characters as shown (a hidden character counts as its escape; a line break in the
/// text is a name's own, shown escaped, not a line).
pub fn shorten_line(text: &str) -> String {
    let quoted = shorten_quoted(text);
    let mut width = 0;
    for (i, c) in quoted.char_indices() {
        width += shown_width(c);
        if width > MAX_LINE {
            return format!("{}…", quoted.get(..i).unwrap_or(&quoted));
        }
    }
    quoted.into_owned()
}

/// A note with long quoted parts and long lines cut, and at most [`MAX_NOTE_LINES`] lines.
pub fn shorten_note(text: &str) -> String {
    let quoted = shorten_quoted(text);
    let lines: Vec<&str> = quoted.split('\n').collect();
    let kept = if lines.len() > MAX_NOTE_LINES {
        MAX_NOTE_LINES - 1
    } else {
        lines.len()
    };
    let mut out: Vec<String> = lines.iter().take(kept).map(|l| shorten_line(l)).collect();
    if kept < lines.len() {
        out.push(format!("… {}", count(lines.len() - kept, "more line")));
    }
    out.join("\n")
}

/// `text` with every backtick-quoted part longer than [`MAX_QUOTED`] characters cut in the middle.
fn shorten_quoted(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= MAX_QUOTED {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().min(4096));
    let mut parts = text.split('`');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    // Odd parts are quoted (between a backtick and the next one), even ones are not.
    for (i, part) in parts.enumerate() {
        out.push('`');
        let quoted = i % 2 == 0;
        let long = quoted && part.char_indices().nth(MAX_QUOTED).is_some();
        if long {
            let chars = part.chars().count();
            out.extend(part.chars().take(QUOTED_HEAD));
            out.push('…');
            out.extend(part.chars().skip(chars - QUOTED_TAIL));
        } else {
            out.push_str(part);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `is` or `are`, for `n` things.
fn are(n: usize) -> &'static str {
    if n == 1 { "is" } else { "are" }
}

/// `n thing` or `n things`.
fn count(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("{n} {thing}")
    } else {
        format!("{n} {thing}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn source() -> Source {
        Source::new("t.wfl", "x\n".repeat(100)).expect("small")
    }

    fn finding(code: Code, at: usize) -> Diagnostic {
        Diagnostic::new(code, format!("m{at}"), Span::new(at, at + 1), "l")
    }

    #[test]
    fn a_code_shows_its_first_findings_and_counts_the_rest() {
        let all: Vec<Diagnostic> = (0..50).map(|i| finding(Code::E0101, i)).collect();
        let b = bound(&source(), &all);
        assert_eq!(b.shown.len(), MAX_PER_CODE);
        assert_eq!(b.not_shown, 30);
        assert_eq!(b.shown[MAX_PER_CODE - 1].message, "m19");
        assert_eq!(
            b.shown[MAX_PER_CODE - 1].notes,
            ["30 more E0101 findings in this file are not shown"]
        );
        assert!(b.shown[0].notes.is_empty());
    }

    #[test]
    fn a_file_shows_its_most_severe_findings() {
        let codes = [
            Code::W0100,
            Code::W0200,
            Code::W0201,
            Code::W0300,
            Code::W0001,
        ];
        let mut all: Vec<Diagnostic> = (0..100)
            .map(|i| finding(codes[i % codes.len()], i))
            .collect();
        all.push(finding(Code::E0101, 100));
        let b = bound(&source(), &all);
        assert_eq!(b.shown.len(), MAX_PER_FILE);
        assert_eq!(b.not_shown, 1);
        // The error is kept; the last warning is not.
        assert_eq!(b.shown.last().map(|d| d.code), Some(Code::E0101));
        assert!(b.shown.iter().all(|d| d.message != "m99"));
        assert_eq!(
            b.shown
                .iter()
                .rev()
                .find(|d| d.code == codes[99 % codes.len()])
                .map(|d| d.notes.clone()),
            Some(vec![
                "1 more W0001 finding in this file is not shown".to_owned()
            ])
        );
    }

    #[test]
    fn the_findings_shown_fit_in_a_budget_in_proportion_to_the_file() {
        let source = source();
        let note = "n".repeat(300);
        let all: Vec<Diagnostic> = (0..100)
            .map(|i| {
                let mut d = finding(Code::ALL[i % 5], i);
                for _ in 0..5 {
                    d = d.with_note(note.clone());
                }
                d
            })
            .collect();
        let b = bound(&source, &all);
        let spent: usize = b.shown.iter().map(|d| cost(&source, d)).sum();
        assert!(b.not_shown > 0 && b.shown.len() + b.not_shown == 100);
        // The notes on what is left out may go beyond the budget, by little.
        assert!(spent <= budget(&source) + 400, "{spent}");
        assert!(spent + 2000 > budget(&source), "{spent}");
    }

    #[test]
    fn long_names_and_lines_are_cut() {
        let name = format!("a{}z", "b".repeat(1000));
        let text = shorten_line(&format!("unknown task `{name}` in `w`"));
        assert_eq!(
            text,
            format!(
                "unknown task `a{}…{}z` in `w`",
                "b".repeat(39),
                "b".repeat(15)
            )
        );
        let long = "x ".repeat(1000);
        assert_eq!(shorten_line(&long).chars().count(), MAX_LINE + 1);
        let hidden = "\u{1b}".repeat(1000);
        assert_eq!(shorten_line(&hidden).chars().count(), MAX_LINE / 6 + 1);
        assert_eq!(shorten_line("`a\nb` c"), "`a\nb` c");
        let lines = "l\n".repeat(100);
        let short = shorten_note(&lines);
        assert_eq!(short.lines().count(), MAX_NOTE_LINES);
        assert!(short.ends_with("… 42 more lines"), "{short}");
    }

    #[test]
    fn many_labels_are_cut() {
        let mut d = finding(Code::E0400, 0);
        for i in 0..40 {
            d = d.with_label(Span::new(i, i + 1), "here");
        }
        let b = bound(&source(), &[d]);
        assert_eq!(b.shown[0].secondary.len(), MAX_LABELS);
        assert_eq!(
            b.shown[0].notes,
            ["24 more labels of this finding are not shown"]
        );
    }
}
