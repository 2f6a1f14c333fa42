//! The part of a file that one diagnostic shows, in the form codespan-reporting reads it.
//!
//! codespan prints every line it shows whole and as it is, so a 64 KB line would be printed whole
//! under every finding on it, and a control character in the file would reach the terminal. An
//! [`Excerpt`] holds only the lines the diagnostic shows, each with its hidden characters escaped
//! ([`crate::source::is_hidden`]) and, when it is long, cut to windows around the labels on it,
//! with `...` where text was left out (as rustc does). Line numbers and the column in the `┌─`
//! header stay those of the file: codespan sees *virtual* lines, numbered as in the file, and
//! two empty placeholder lines stand for any run of lines it would not show, so that it still
//! draws a `·` break there.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use codespan_reporting::files::{Error, Files};
use codespan_reporting::term::Config;

use crate::source::{Source, Span, escape_hidden, push_shown, shown_width};

/// A line up to this many characters wide (once escaped) is shown whole.
pub const MAX_LINE: usize = 150;
/// On a line that is cut, the characters shown before and after each label.
pub const CONTEXT: usize = 32;
/// On a line that is cut, a label longer than twice this shows this many characters at each end.
pub const LABEL_END: usize = 24;
/// What stands for the text left out of a line.
pub const ELLIPSIS: &str = "...";

/// The lines one diagnostic shows; implements codespan's `Files` (with `()` as the file id).
#[derive(Debug)]
pub struct Excerpt<'a> {
    source: &'a Source,
    name: String,
    /// The shown lines, one after the other, each ending in `\n`.
    text: String,
    lines: Vec<Line>,
    /// Offsets in `text` of label ends, with the offset in the file each stands for.
    origins: BTreeMap<usize, usize>,
    /// Offsets in the file of label ends, with their offset in `text`.
    places: BTreeMap<usize, usize>,
}

#[derive(Debug)]
struct Line {
    /// Byte range in `Excerpt::text`, its `\n` included.
    range: Range<usize>,
    /// 1-based line number in the file.
    number: usize,
}

/// What a label puts on one line: a range on its only line, or one end of a multi-line label.
#[derive(Clone, Copy, Debug)]
struct Mark {
    start: usize,
    end: usize,
}

impl<'a> Excerpt<'a> {
    /// The lines `config` makes codespan show for labels at `spans` of `source`.
    pub fn new(source: &'a Source, spans: &[Span], config: &Config) -> Excerpt<'a> {
        let mut marks: BTreeMap<usize, Vec<Mark>> = BTreeMap::new();
        let mut shown = BTreeSet::new();
        for span in spans {
            let (start, end) = (span.start as usize, span.end as usize);
            let (first, last) = (source.line_index(start), source.line_index(end));
            if first == last {
                marks.entry(first).or_default().push(Mark { start, end });
            } else {
                marks
                    .entry(first)
                    .or_default()
                    .push(Mark { start, end: start });
                marks
                    .entry(last)
                    .or_default()
                    .push(Mark { start: end, end });
                // The context codespan shows after the start and before the end of the label.
                let context = (first + 1..=first.saturating_add(config.start_context_lines))
                    .chain(last.saturating_sub(config.end_context_lines)..last)
                    .filter(|&line| line > first && line < last);
                shown.extend(context);
            }
            shown.insert(first);
            shown.insert(last);
        }
        let mut excerpt = Excerpt {
            source,
            name: escape_hidden(source.name(), false).into_owned(),
            text: String::new(),
            lines: Vec::new(),
            origins: BTreeMap::new(),
            places: BTreeMap::new(),
        };
        let mut previous: Option<usize> = None;
        for &line in &shown {
            match previous.map(|p| line - p) {
                // codespan shows a single line between two shown lines rather than a break.
                Some(2) => excerpt.push_line(line - 1, &[]),
                Some(gap) if gap > 2 => {
                    excerpt.push_placeholder(line + 1);
                    excerpt.push_placeholder(line + 1);
                }
                _ => {}
            }
            excerpt.push_line(line, marks.get(&line).map_or(&[], Vec::as_slice));
            previous = Some(line);
        }
        excerpt
    }

    /// `span` of the file as a range of the excerpt's text (empty when it is not shown).
    pub fn range(&self, span: Span) -> Range<usize> {
        let place = |offset: u32| self.places.get(&(offset as usize)).copied().unwrap_or(0);
        let start = place(span.start);
        start..place(span.end).max(start)
    }

    /// Line `index` (0-based) of the file, shown with `marks` on it.
    fn push_line(&mut self, index: usize, marks: &[Mark]) {
        let source = self.source;
        let Some(range) = source.line_range(index) else {
            return;
        };
        let full = source.text().get(range.clone()).unwrap_or("");
        let content = full.trim_end_matches(['\n', '\r']);
        let begin = self.text.len();
        let mut points: Vec<usize> = marks
            .iter()
            .flat_map(|m| [m.start, m.end])
            .map(|offset| offset.saturating_sub(range.start))
            .collect();
        points.sort_unstable();
        points.dedup();
        let windows = windows(content, marks, range.start);
        let mut next_point = points.iter().copied().peekable();
        let mut record = |excerpt: &mut Excerpt<'_>, at: usize| {
            while let Some(point) = next_point.next_if(|&p| p <= at) {
                let shown = excerpt.text.len();
                excerpt.places.insert(range.start + point, shown);
                excerpt.origins.insert(shown, range.start + point);
            }
        };
        let mut end_of_last = 0;
        for window in &windows {
            if window.start > end_of_last {
                // Points left out (none, by construction) would stand at the ellipsis.
                record(self, window.start.saturating_sub(1));
                self.text.push_str(ELLIPSIS);
            }
            for (i, c) in content.get(window.clone()).unwrap_or("").char_indices() {
                record(self, window.start + i);
                push_shown(&mut self.text, c);
            }
            record(self, window.end);
            end_of_last = window.end;
        }
        if end_of_last < content.len() {
            self.text.push_str(ELLIPSIS);
        }
        // Points past the end of the line's text (on its line break) stand at its end.
        record(self, usize::MAX);
        self.text.push('\n');
        self.lines.push(Line {
            range: begin..self.text.len(),
            number: index + 1,
        });
    }

    /// An empty line codespan never shows, numbered `number` (no wider than the shown ones).
    fn push_placeholder(&mut self, number: usize) {
        let begin = self.text.len();
        self.text.push('\n');
        self.lines.push(Line {
            range: begin..self.text.len(),
            number,
        });
    }

    fn line(&self, index: usize) -> Result<&Line, Error> {
        self.lines.get(index).ok_or(Error::LineTooLarge {
            given: index,
            max: self.lines.len().saturating_sub(1),
        })
    }
}

/// The byte ranges of `content` (a line without its line break, starting at `line_start` in the
/// file) to show, in order and disjoint: all of it when it is short, else windows around `marks`.
fn windows(content: &str, marks: &[Mark], line_start: usize) -> Vec<Range<usize>> {
    let fits = content.len() <= 4 * MAX_LINE
        && content.chars().map(shown_width).sum::<usize>() <= MAX_LINE;
    if fits {
        return std::iter::once(0..content.len()).collect();
    }
    let local = |offset: usize| floor_char(content, offset.saturating_sub(line_start));
    let mut windows: Vec<Range<usize>> = Vec::new();
    for mark in marks {
        let (start, end) = (local(mark.start), local(mark.end));
        if forward(content, start, 2 * LABEL_END) >= end {
            windows.push(back(content, start, CONTEXT)..forward(content, end, CONTEXT));
        } else {
            windows.push(back(content, start, CONTEXT)..forward(content, start, LABEL_END));
            windows.push(back(content, end, LABEL_END)..forward(content, end, CONTEXT));
        }
    }
    if windows.is_empty() {
        windows.push(0..forward(content, 0, 2 * CONTEXT));
    }
    windows.sort_by_key(|w| w.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(windows.len());
    for window in windows {
        match merged.last_mut() {
            // A gap no wider than the ellipsis is shown rather than left out.
            Some(last) if window.start <= last.end + ELLIPSIS.len() => {
                last.end = last.end.max(window.end);
            }
            _ => merged.push(window),
        }
    }
    merged
}

/// The largest char boundary of `text` at or before `offset`.
fn floor_char(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The offset `width` shown characters before `offset` (or the start).
fn back(text: &str, offset: usize, width: usize) -> usize {
    let mut taken = 0;
    let mut at = offset;
    for (i, c) in text.get(..offset).unwrap_or("").char_indices().rev() {
        if taken >= width {
            break;
        }
        taken += shown_width(c);
        at = i;
    }
    at
}

/// The offset `width` shown characters after `offset` (or the end).
fn forward(text: &str, offset: usize, width: usize) -> usize {
    let mut taken = 0;
    for (i, c) in text.get(offset..).unwrap_or("").char_indices() {
        if taken >= width {
            return offset + i;
        }
        taken += shown_width(c);
    }
    text.len()
}

impl<'e> Files<'e> for Excerpt<'_> {
    type FileId = ();
    type Name = &'e str;
    type Source = &'e str;

    fn name(&'e self, _: ()) -> Result<&'e str, Error> {
        Ok(&self.name)
    }

    fn source(&'e self, _: ()) -> Result<&'e str, Error> {
        Ok(&self.text)
    }

    fn line_index(&'e self, _: (), byte_index: usize) -> Result<usize, Error> {
        Ok(self
            .lines
            .partition_point(|line| line.range.start <= byte_index)
            .saturating_sub(1))
    }

    fn line_number(&'e self, _: (), line_index: usize) -> Result<usize, Error> {
        Ok(self.line(line_index)?.number)
    }

    fn line_range(&'e self, _: (), line_index: usize) -> Result<Range<usize>, Error> {
        Ok(self.line(line_index)?.range.clone())
    }

    /// The column in the file, not in the excerpt.
    fn column_number(
        &'e self,
        _: (),
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        if let Some(&offset) = self.origins.get(&byte_index) {
            return Ok(self.source.line_col(offset).column);
        }
        let line = self.line(line_index)?;
        let before = self.text.get(line.range.start..byte_index).unwrap_or("");
        Ok(before.chars().count() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str, spans: &[Span]) -> (Vec<(usize, String)>, Vec<String>) {
        let source = Source::new("t.wfl", text).expect("small");
        let excerpt = Excerpt::new(&source, spans, &Config::default());
        let lines = excerpt
            .lines
            .iter()
            .map(|l| {
                (
                    l.number,
                    excerpt.text[l.range.clone()].trim_end().to_owned(),
                )
            })
            .collect();
        let labels = spans
            .iter()
            .map(|&s| excerpt.text[excerpt.range(s)].to_owned())
            .collect();
        (lines, labels)
    }

    #[test]
    fn short_lines_are_shown_whole() {
        let text = "workflow w {\n  task a\n  a -> b\n}\n";
        let b = text.find("b\n").expect("present");
        let (lines, labels) = shown(text, &[Span::new(b, b + 1)]);
        assert_eq!(lines, [(3, "  a -> b".to_owned())]);
        assert_eq!(labels, ["b"]);
    }

    #[test]
    fn a_long_line_is_cut_around_its_labels() {
        let text = format!("x {} target {} end\n", "a".repeat(500), "b".repeat(500));
        let at = text.find("target").expect("present");
        let (lines, labels) = shown(&text, &[Span::new(at, at + 6)]);
        let line = &lines[0].1;
        assert_eq!(
            *line,
            format!("...{} target {}...", "a".repeat(31), "b".repeat(31))
        );
        assert_eq!(labels, ["target"]);
    }

    #[test]
    fn a_long_label_keeps_its_ends() {
        let long = "c".repeat(1000);
        let text = format!("  {long}\n");
        let (lines, labels) = shown(&text, &[Span::new(2, 1002)]);
        assert_eq!(
            lines[0].1,
            format!("  {}...{}", "c".repeat(24), "c".repeat(24))
        );
        assert_eq!(labels, [format!("{}...{}", "c".repeat(24), "c".repeat(24))]);
    }

    #[test]
    fn hidden_characters_are_escaped_and_labels_follow() {
        let text = "task a\u{1b}[31mRED\u{7}\0 \u{202e}x\n";
        let x = text.find('x').expect("present");
        let (lines, labels) = shown(text, &[Span::new(6, 7), Span::new(x, x + 1)]);
        assert_eq!(lines[0].1, "task a\\u{1b}[31mRED\\u{7}\\u{0} \\u{202e}x");
        assert_eq!(labels, ["\\u{1b}", "x"]);
    }

    #[test]
    fn far_lines_are_kept_apart_by_two_placeholders() {
        let text = "a\nb\nc\nd\ne\nf\n";
        let (lines, _) = shown(text, &[Span::new(0, 1), Span::new(10, 11)]);
        let numbers: Vec<usize> = lines.iter().map(|l| l.0).collect();
        // Lines 1 and 6, with two lines codespan never shows between them.
        assert_eq!(numbers, [1, 6, 6, 6]);
        let (lines, _) = shown(text, &[Span::new(0, 1), Span::new(4, 5)]);
        let numbers: Vec<usize> = lines.iter().map(|l| l.0).collect();
        assert_eq!(numbers, [1, 2, 3]);
    }
}
