//! The markdown of `specs/diagnostics.md`, made fit for other readers: plain text (SARIF's `text`
//! fields) and markdown whose relative links point at the published pages (SARIF's `markdown`).
//!
//! Only what the page uses is understood: paragraphs, `#` headings, `-` lists, tables, fenced code
//! blocks, code spans, `*emphasis*` and `[links](target)`.

/// The body of the `### heading` part of an explanation section, up to the next `###`.
pub fn part<'a>(section: &'a str, heading: &str) -> Option<&'a str> {
    let marker = format!("### {heading}\n");
    let start = section.find(&marker)? + marker.len();
    let rest = section.get(start..)?;
    let end = rest.find("\n### ").map_or(rest.len(), |i| i + 1);
    rest.get(..end).map(str::trim)
}

/// `markdown` as plain text: paragraphs joined into single lines and separated by a blank line;
/// headings, list items and table rows on lines of their own; code blocks kept, indented by four
/// spaces; emphasis and link targets dropped (the link text stays); code spans kept as they are,
/// backticks included, the way wfl's messages quote names.
pub fn plain(markdown: &str) -> String {
    let mut blocks: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    let mut fence: Option<String> = None;
    let flush = |current: &mut Option<String>, blocks: &mut Vec<String>| {
        if let Some(text) = current.take() {
            blocks.push(text);
        }
    };
    for line in markdown.lines() {
        let trimmed = line.trim();
        if let Some(marker) = &fence {
            if trimmed.starts_with(marker.as_str())
                && trimmed.trim_start_matches(['`', '~']).is_empty()
            {
                fence = None;
                flush(&mut current, &mut blocks);
            } else {
                let code = current.get_or_insert_with(String::new);
                if !code.is_empty() {
                    code.push('\n');
                }
                code.push_str("    ");
                code.push_str(line);
            }
            continue;
        }
        if let Some(marker) = fence_marker(trimmed) {
            flush(&mut current, &mut blocks);
            fence = Some(marker);
            continue;
        }
        if trimmed.is_empty() {
            flush(&mut current, &mut blocks);
            continue;
        }
        if trimmed.starts_with('#') {
            flush(&mut current, &mut blocks);
            blocks.push(inline_plain(trimmed.trim_start_matches('#').trim()));
            continue;
        }
        let own_line = trimmed.starts_with("- ") || trimmed.starts_with('|');
        match &mut current {
            Some(text) if own_line => {
                text.push('\n');
                text.push_str(&inline_plain(trimmed));
            }
            Some(text) => {
                text.push(' ');
                text.push_str(&inline_plain(trimmed));
            }
            None => current = Some(inline_plain(trimmed)),
        }
    }
    flush(&mut current, &mut blocks);
    blocks.join("\n\n")
}

/// `text` cut to at most `max` characters: whole paragraphs while they fit, else whole sentences
/// of the first paragraph, else whole words, with `…` where something was left out.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let budget = max.saturating_sub(2); // room for " …"
    let fits = |s: &str| s.chars().count() <= budget;
    let mut kept = String::new();
    for paragraph in text.split("\n\n") {
        let candidate = if kept.is_empty() {
            paragraph.to_owned()
        } else {
            format!("{kept}\n\n{paragraph}")
        };
        if !fits(&candidate) {
            break;
        }
        kept = candidate;
    }
    if kept.is_empty() {
        let first = text.split("\n\n").next().unwrap_or(text);
        for (i, _) in first.match_indices(". ") {
            let candidate = first.get(..=i).unwrap_or("");
            if !fits(candidate) {
                break;
            }
            kept = candidate.to_owned();
        }
    }
    if kept.is_empty() {
        for (i, _) in text.match_indices(' ') {
            let candidate = text.get(..i).unwrap_or("");
            if !fits(candidate) {
                break;
            }
            kept = candidate.to_owned();
        }
    }
    if kept.is_empty() {
        kept = text.chars().take(budget).collect();
    }
    format!("{kept} …")
}

/// `markdown` with every relative link made absolute against `base` (the URL of the directory
/// holding the specs pages; `#anchor` is taken as a place in `diagnostics.md`), or, without a
/// base, replaced by its text. The info string of a code fence is cut to its first word
/// (```` ```wfl expect=W0201 ```` becomes ```` ```wfl ````).
pub fn with_absolute_links(markdown: &str, base: Option<&str>) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut fence: Option<String> = None;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if let Some(marker) = &fence {
            if trimmed.starts_with(marker.as_str())
                && trimmed.trim().trim_start_matches(['`', '~']).is_empty()
            {
                fence = None;
            }
            out.push_str(line);
        } else if let Some(marker) = fence_marker(trimmed) {
            let indent = line.len() - trimmed.len();
            let info = trimmed.get(marker.len()..).unwrap_or("");
            out.push_str(line.get(..indent).unwrap_or(""));
            out.push_str(&marker);
            out.push_str(info.split_whitespace().next().unwrap_or(""));
            fence = Some(marker);
        } else {
            out.push_str(&inline_links(line, base));
        }
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out
}

/// The backticks or tildes (three or more) that open a fence on `line`, if it opens one.
fn fence_marker(line: &str) -> Option<String> {
    let first = line.chars().next().filter(|&c| c == '`' || c == '~')?;
    let len = line.len() - line.trim_start_matches(first).len();
    (len >= 3).then(|| std::iter::repeat_n(first, len).collect())
}

/// One line of markdown as plain text.
fn inline_plain(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            // Code spans keep their backticks: wfl's messages quote names the same way.
            let (_, after) = code_span(rest);
            out.push_str(rest.get(..rest.len() - after.len()).unwrap_or(""));
            rest = after;
        } else if c == '\\' && rest.len() > 1 {
            let next = rest.get(1..).and_then(|r| r.chars().next()).unwrap_or('\\');
            out.push(next);
            rest = rest.get(1 + next.len_utf8()..).unwrap_or("");
        } else if c == '*' {
            rest = rest.get(1..).unwrap_or("");
        } else if let Some((text, _target, after)) = link(rest) {
            out.push_str(&inline_plain(text));
            rest = after;
        } else {
            out.push(c);
            rest = rest.get(c.len_utf8()..).unwrap_or("");
        }
    }
    out
}

/// One line with its relative links resolved against `base` (or dropped without one).
fn inline_links(line: &str, base: Option<&str>) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            let (_, after) = code_span(rest);
            out.push_str(rest.get(..rest.len() - after.len()).unwrap_or(""));
            rest = after;
        } else if let Some((text, target, after)) = link(rest) {
            let absolute = target.contains("://") || target.starts_with("mailto:");
            match (absolute, base) {
                (true, _) => out.push_str(rest.get(..rest.len() - after.len()).unwrap_or("")),
                (false, Some(base)) => {
                    let target = if target.starts_with('#') {
                        format!("{base}/diagnostics.md{target}")
                    } else {
                        format!("{base}/{target}")
                    };
                    out.push_str(&format!("[{text}]({target})"));
                }
                (false, None) => out.push_str(text),
            }
            rest = after;
        } else {
            out.push(c);
            rest = rest.get(c.len_utf8()..).unwrap_or("");
        }
    }
    out
}

/// A code span at the start of `text`: its content and what follows it. An opening run of
/// backticks with no closing run of the same length is literal text.
fn code_span(text: &str) -> (&str, &str) {
    let ticks = text.len() - text.trim_start_matches('`').len();
    let marker = text.get(..ticks).unwrap_or("");
    let body = text.get(ticks..).unwrap_or("");
    let mut search = 0;
    while let Some(found) = body.get(search..).and_then(|b| b.find(marker)) {
        let at = search + found;
        let run = body
            .get(at..)
            .map_or(0, |b| b.len() - b.trim_start_matches('`').len());
        if run == ticks {
            let code = body.get(..at).unwrap_or("");
            let code = if code.starts_with(' ') && code.ends_with(' ') && code.trim() != "" {
                code.get(1..code.len() - 1).unwrap_or(code)
            } else {
                code
            };
            return (code, body.get(at + ticks..).unwrap_or(""));
        }
        search = at + run;
    }
    (marker, body)
}

/// `[text](target)` at the start of `text`: the text, the target and what follows.
fn link(text: &str) -> Option<(&str, &str, &str)> {
    let inner = text.strip_prefix('[')?;
    let close = inner.find("](")?;
    let label = inner.get(..close)?;
    if label.contains('[') || (label.contains('`') && label.matches('`').count() % 2 == 1) {
        return None;
    }
    let after = inner.get(close + 2..)?;
    let end = after.find(')')?;
    let target = after.get(..end)?;
    if target.contains(' ') {
        return None;
    }
    Some((label, target, after.get(end + 1..)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_the_markup() {
        let markdown = "Reports a `*` source, *once*, and\n\
                        [the page](semantics.md) too.\n\n\
                        - one `a`\n- two\n\n\
                        ```wfl expect=W0201\nmachine m {}\n```\n\n### How to fix\n\nDo \\*this\\*.";
        assert_eq!(
            plain(markdown),
            "Reports a `*` source, once, and the page too.\n\n- one `a`\n- two\n\n    machine m {}\n\nHow to fix\n\nDo *this*."
        );
    }

    #[test]
    fn code_spans_with_backticks_inside() {
        assert_eq!(plain("a ``x ` y`` *b*"), "a ``x ` y`` b");
        assert_eq!(plain("an ` alone"), "an ` alone");
    }

    #[test]
    fn links_become_absolute_or_text() {
        let markdown = "See [E0507](diagnostics.md#e0507-set_out_of_range), [here](#w0201-dead_end_state), \
                        [web](https://example.com) and `[not](a link)`.\n```wfl expect=W0201\n[x](y)\n```";
        assert_eq!(
            with_absolute_links(markdown, Some("https://h/specs")),
            "See [E0507](https://h/specs/diagnostics.md#e0507-set_out_of_range), \
             [here](https://h/specs/diagnostics.md#w0201-dead_end_state), [web](https://example.com) \
             and `[not](a link)`.\n```wfl\n[x](y)\n```"
        );
        assert_eq!(
            with_absolute_links("[E0507](diagnostics.md#x) and [web](https://e.com)", None),
            "E0507 and [web](https://e.com)"
        );
    }

    #[test]
    fn shorten_keeps_whole_paragraphs_sentences_or_words() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("one two.\n\nthree four five", 12), "one two. …");
        assert_eq!(shorten("One. Two three four.", 12), "One. …");
        assert_eq!(shorten("one two three four", 12), "one two …");
        let long = "x".repeat(50);
        assert_eq!(shorten(&long, 10).chars().count(), 10);
    }

    #[test]
    fn parts_of_a_section() {
        let section = "## W0 x\n*w* — s\n\n### What it does\n\nReports.\n\nMore.\n\n### Why is this bad?\n\nBad.";
        assert_eq!(part(section, "What it does"), Some("Reports.\n\nMore."));
        assert_eq!(part(section, "Why is this bad?"), Some("Bad."));
        assert_eq!(part(section, "Example"), None);
    }
}
