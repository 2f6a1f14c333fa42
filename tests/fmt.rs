//! `wfl fmt`: the layout specs/format.md describes (each of its examples), a layout that keeps
//! what a file says (idempotent, the same resolved program and findings, as many comments) on every
//! `.wfl` file and ```` ```wfl ```` block of the repository and on generated specs, and the command
//! as a user runs it (`--check`, `--diff`, `-`, files written in place, `[fmt] exclude`).

mod common;

use std::path::{Path, PathBuf};

use common::{files, wfl, wfl_fed, wfl_files};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The examples of specs/format.md: each pair of blocks is a file and that file formatted.
#[test]
fn every_rule_of_the_layout_does_what_its_example_shows() {
    let spec = read(&Path::new(ROOT).join("specs/format.md"));
    let blocks = wfl_blocks(&spec);
    assert!(
        blocks.len() >= 16 && blocks.len().is_multiple_of(2),
        "{}",
        blocks.len()
    );
    for pair in blocks.chunks(2) {
        let (before, after) = (&pair[0], &pair[1]);
        assert_eq!(formatted(before), *after, "specs/format.md: {before}");
        assert_eq!(
            formatted(after),
            *after,
            "specs/format.md: not stable: {after}"
        );
    }
}

/// Every `.wfl` file of the repository, and every ```` ```wfl ```` block of its markdown files.
#[test]
fn formatting_the_repository_keeps_what_each_file_says() {
    let mut texts = Vec::new();
    for path in wfl_files(Path::new(ROOT)) {
        let bytes = std::fs::read(&path).expect("readable");
        // A file that is not UTF-8 (a fixture of E0002) is never formatted: `wfl fmt` reports it.
        if let Ok(text) = String::from_utf8(bytes)
            && !path.components().any(|c| c.as_os_str() == "target")
        {
            texts.push((path.display().to_string(), text));
        }
    }
    for path in files(Path::new(ROOT), "md") {
        if path.components().any(|c| c.as_os_str() == "target") {
            continue;
        }
        for (i, block) in wfl_blocks(&read(&path)).into_iter().enumerate() {
            texts.push((format!("{} block {i}", path.display()), block));
        }
    }
    assert!(texts.len() > 300, "{}", texts.len());
    let mut formatted = 0;
    for (name, text) in &texts {
        formatted += usize::from(keeps_what_it_says(name, text));
    }
    assert!(formatted > 250, "{formatted}");
}

/// Random specs, laid out at random (spaces, tabs, `;`, line breaks inside lists and after
/// `and` / `or`, comments of every kind and place, blank lines): each formats to a file that
/// says the same and formats to itself.
#[test]
fn formatting_generated_specs_keeps_what_they_say() {
    let mut rng = Rng(0x5eed_f00d);
    for i in 0..300 {
        let text = generate(&mut rng);
        let (_, errors) = wfl::syntax::parse(&text);
        assert!(
            !errors.iter().any(wfl::diagnostic::Diagnostic::is_error),
            "generated spec {i} does not parse: {errors:?}\n{text}"
        );
        assert!(keeps_what_it_says(&format!("generated {i}"), &text));
    }
}

/// Found by the `fmt` fuzz target: the CRLF of a file's lines was made again of the line breaks
/// inside a block comment, which then grew a CR each time (`\r\r\n`).
#[test]
fn a_block_comment_keeps_its_own_line_breaks() {
    let text = "workflow w {\r\n  task a\r\n  /* x\r\n y\n z */\r\n}\r\n";
    assert_eq!(formatted(text), text);
    let lf = "workflow w {\n  task a\n  /* x\r\n y */\n}\n";
    assert_eq!(formatted(lf), lf);
}

/// Found by the `fmt` fuzz target: a doc comment followed by `;` documents nothing, and a `///`
/// comment after a `;` is no doc comment; dropping the `;` made both document the next statement
/// (which the check of the result caught: an internal error).
#[test]
fn a_semicolon_that_a_doc_comment_rests_on_stays() {
    let text = "workflow w {\n  /// Copy.\n; task a\n  ; /// Load.\n  task b\n}\n";
    let out = formatted(text);
    assert_eq!(
        out,
        "workflow w {\n  /// Copy.\n  ;\n  task a\n  ;  /// Load.\n  task b\n}\n"
    );
    assert!(keeps_what_it_says("doc and semicolon", text));
}

#[test]
fn a_file_with_syntax_errors_is_reported_and_not_formatted() {
    let text = "workflow w {\n  task a\n  a -> \n}\n";
    let errors = wfl::fmt::format(text).expect_err("syntax error");
    assert_eq!(
        format!("{errors:?}"),
        format!("{:?}", wfl::check_text(text).diagnostics)
    );
}

/// Whether `text` is formatted (false: it has syntax errors, as `wfl check` says); panics when the
/// formatted text is not stable or does not say what `text` says.
fn keeps_what_it_says(name: &str, text: &str) -> bool {
    let out = match wfl::fmt::format(text) {
        Ok(out) => out,
        Err(errors) => {
            assert!(
                errors
                    .iter()
                    .any(|d| d.is_error() && d.code.as_str() != "E0007"),
                "{name}: {errors:?}"
            );
            return false;
        }
    };
    assert_eq!(
        wfl::fmt::format(&out).as_ref(),
        Ok(&out),
        "{name}: formatting twice changes it"
    );
    assert_eq!(
        meaning(&out),
        meaning(text),
        "{name}: the meaning changed:\n{out}"
    );
    assert_eq!(
        comments(&out),
        comments(text),
        "{name}: comments lost:\n{out}"
    );
    true
}

/// What a file says: its resolved program (positions aside) and the codes of its findings.
fn meaning(text: &str) -> (String, Vec<String>) {
    let checked = wfl::check_text(text);
    let program = wfl::fmt::without_positions(&format!("{:?}", checked.program));
    (program, common::sorted_codes(&checked.diagnostics))
}

/// The comments of a file, counted as the pre-scan finds them: outside strings, a `//` to the end
/// of its line, a `/*` to its `*/`.
fn comments(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut count, mut i) = (0, 0);
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1)) {
            (b'"', _) => {
                i += 1;
                while i < bytes.len() && !matches!(bytes[i], b'"' | b'\n' | b'\r') {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            (b'/', Some(b'/')) => {
                count += 1;
                while i < bytes.len() && !matches!(bytes[i], b'\n' | b'\r') {
                    i += 1;
                }
            }
            (b'/', Some(b'*')) => {
                count += 1;
                i += 2;
                while i < bytes.len() && !bytes[i..].starts_with(b"*/") {
                    i += 1;
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
    count
}

fn formatted(text: &str) -> String {
    wfl::fmt::format(text).unwrap_or_else(|errors| panic!("{errors:?}\n{text}"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// The ```` ```wfl ```` blocks of a markdown file (fences of three backticks at the start of a
/// line, as the specs write them).
fn wfl_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        if !line.starts_with("```wfl") {
            continue;
        }
        let mut body = String::new();
        for inner in lines.by_ref() {
            if inner.starts_with("```") {
                break;
            }
            body.push_str(inner);
            body.push('\n');
        }
        blocks.push(body);
    }
    blocks
}

// ---- generated specs ----------------------------------------------------------------------

/// xorshift64*: the same specs on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// A spec written token by token, with random spacing, line breaks where the grammar allows them,
/// and comments.
struct Writer<'r> {
    rng: &'r mut Rng,
    out: String,
    comments: usize,
}

impl Writer<'_> {
    fn space(&mut self) {
        let space = self.rng.pick(&[" ", " ", " ", "  ", "\t", " \t "]);
        self.out.push_str(space);
    }

    /// A token; `space` before it.
    fn token(&mut self, token: &str) {
        self.space();
        self.out.push_str(token);
    }

    /// A place where a line may break (in a list, after `and` / `or`): sometimes it does, with a
    /// comment at the end of the line.
    fn may_break(&mut self) {
        if self.rng.chance(25) {
            self.trailing_comment();
            self.out.push('\n');
        }
    }

    fn trailing_comment(&mut self) {
        if self.rng.chance(30) {
            self.comments += 1;
            let comment = if self.rng.chance(80) {
                format!("// note {}  ", self.comments)
            } else {
                format!("/* note {} */", self.comments)
            };
            self.token(&comment);
        }
    }

    /// The end of a statement: a line break (or `;`), blank lines and own-line comments.
    fn end(&mut self) {
        if self.rng.chance(10) {
            self.token(";");
            return;
        }
        self.trailing_comment();
        self.out.push('\n');
        for _ in 0..self.rng.below(3) {
            if self.rng.chance(40) {
                self.out.push_str("   \n");
            }
        }
        if self.rng.chance(25) {
            self.comments += 1;
            let kind = self.rng.pick(&["//", "///", "// wfl: allow(W0100) kept"]);
            let comment = format!("{kind} comment {}\n", self.comments);
            self.out.push_str(&comment);
        }
    }

    fn list(&mut self, items: &[String]) {
        self.token("[");
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.token(",");
                self.may_break();
            }
            self.token(item);
        }
        self.token("]");
    }

    /// A condition over `int_var` (an int) and `flag` (a bool), joined by `and` / `or`.
    fn condition(&mut self, int_var: &str, flag: &str) {
        for i in 0..1 + self.rng.below(4) {
            if i > 0 {
                let op = self.rng.pick(&["and", "or"]);
                self.token(op);
                self.may_break();
            }
            match self.rng.below(4) {
                0 => self.token(flag),
                1 => {
                    self.token("not");
                    self.token(flag);
                }
                2 => {
                    self.token("(");
                    self.token(int_var);
                    self.token("-");
                    let n = self.rng.below(9).to_string();
                    self.token(&n);
                    let op = self.rng.pick(&[">", "<=", "==", "!="]);
                    self.token(op);
                    self.token("-1");
                    self.token(")");
                }
                _ => {
                    self.token(int_var);
                    self.token("in");
                    let values: Vec<String> =
                        (0..1 + self.rng.below(4)).map(|v| v.to_string()).collect();
                    self.list(&values);
                }
            }
        }
    }
}

fn generate(rng: &mut Rng) -> String {
    let mut w = Writer {
        rng,
        out: String::new(),
        comments: 0,
    };
    if w.rng.chance(50) {
        w.out.push_str("// a generated spec\n\n");
    }
    workflow(&mut w);
    machine(&mut w);
    w.out
}

fn workflow(w: &mut Writer<'_>) {
    w.out.push_str("workflow w");
    if w.rng.chance(30) {
        w.token("\"a title\"");
    }
    if w.rng.chance(20) {
        w.out.push('\n');
    }
    w.token("{");
    w.end();
    w.token("continue_on_failure");
    w.token("=");
    w.token("true");
    w.end();
    for var in ["n", "m"] {
        w.token("var");
        w.token(var);
        w.token(":");
        w.token("int");
        w.token("-5..9");
        w.token("=");
        w.token("-1");
        w.end();
    }
    w.token("var");
    w.token("flag");
    w.token(":");
    w.token("bool");
    w.end();
    w.token("var");
    w.token("mode");
    w.token(":");
    w.token("{");
    w.token("fast,");
    w.may_break();
    w.token("slow");
    w.token("}");
    w.end();
    let tasks = 3 + w.rng.below(5);
    for t in 0..tasks {
        w.token("task");
        w.token(&format!("t{t}"));
        match w.rng.below(4) {
            0 => {
                w.token("{");
                w.token("duration");
                w.token("=");
                w.token("2");
                w.token(";");
                w.token("accept");
                w.token("=");
                w.token("at_least_one");
                w.token("}");
            }
            1 => {
                w.token("{");
                w.out.push('\n');
                w.token("failure_rate");
                w.token("=");
                w.token("0.25");
                w.end();
                w.token("}");
            }
            _ => {}
        }
        w.end();
    }
    for t in 1..tasks {
        let sources: Vec<String> = (0..t)
            .filter(|_| w.rng.chance(50))
            .map(|s| format!("t{s}"))
            .collect();
        if sources.len() > 1 {
            w.list(&sources);
        } else {
            w.token(&format!("t{}", t - 1));
        }
        w.token("->");
        w.token(&format!("t{t}"));
        if w.rng.chance(30) {
            w.token("on");
            w.token("error");
        }
        if w.rng.chance(60) {
            w.token("when");
            let var = if w.rng.chance(50) { "n" } else { "m" };
            w.condition(var, "flag");
        }
        w.end();
    }
    w.token("}");
    w.end();
}

fn machine(w: &mut Writer<'_>) {
    w.out.push_str("machine door {");
    w.end();
    w.token("var");
    w.token("count");
    w.token(":");
    w.token("int");
    w.token("0..5");
    w.end();
    w.token("var");
    w.token("open");
    w.token(":");
    w.token("bool");
    w.end();
    w.token("event");
    w.token("push,");
    w.token("pull,");
    w.token("tick");
    w.end();
    w.token("initial");
    w.token("->");
    w.token("Closed");
    w.token("when");
    w.condition("count", "open");
    w.end();
    w.token("initial");
    w.token("->");
    w.token("Closed");
    w.end();
    w.token("state");
    w.token("Closed,");
    w.token("Open");
    w.end();
    w.token("final");
    w.token("state");
    w.token("\"NOT USED\"");
    if w.rng.chance(50) {
        w.token("{");
        w.token("on");
        w.token("enter");
        w.token("{");
        w.token("set");
        w.token("count");
        w.token("=");
        w.token("count");
        w.token("+");
        w.token("1");
        w.token("}");
        w.token("}");
    }
    w.end();
    for (from, to, event) in [("Closed", "Open", "push"), ("Open", "Closed", "pull")] {
        w.token(from);
        w.token("->");
        w.token(to);
        w.token("on");
        w.token(event);
        if w.rng.chance(50) {
            w.token("or");
            w.may_break();
            w.token("tick");
        }
        if w.rng.chance(50) {
            w.token("when");
            w.condition("count", "open");
        }
        if w.rng.chance(60) {
            w.token("{");
            if w.rng.chance(50) {
                w.out.push('\n');
            }
            w.token("set");
            w.token("open");
            w.token("=");
            w.token("not");
            w.token("open");
            w.end();
            w.token("set");
            w.token("count");
            w.token("=");
            w.token("count");
            w.token("-");
            w.token("1");
            w.token("}");
        }
        w.end();
    }
    w.token("[Closed,");
    w.may_break();
    w.token("Open]");
    w.token("->");
    w.token("\"NOT USED\"");
    w.token("on");
    w.token("tick");
    w.end();
    w.token("view");
    w.token("busy");
    w.token("=");
    w.condition("count", "open");
    w.end();
    w.token("}");
    w.end();
    w.out.push_str("scenario \"opens\" for door {\n");
    w.token("set");
    w.token("open");
    w.token("=");
    w.token("true");
    w.end();
    w.token("send");
    w.token("push");
    w.end();
    w.token("expect");
    w.token("state");
    w.token("==");
    w.token("Open");
    w.token("or");
    w.may_break();
    w.token("busy");
    w.end();
    w.token("}");
    w.end();
}

// ---- the command ------------------------------------------------------------------------------

/// A fresh directory for one test, under the build directory.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fmt-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

const UNFORMATTED: &str = "workflow w {\ntask a;task b\n  a->b\n}\n";
const FORMATTED: &str = "workflow w {\n  task a\n  task b\n  a -> b\n}\n";

/// `wfl ARGS` run in `dir`.
fn wfl_in(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_wfl"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("wfl runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn standard_input_is_formatted_to_standard_output() {
    let out = wfl_fed(&["fmt", "-"], UNFORMATTED.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), FORMATTED);
    let out = wfl_fed(&["fmt", "--check", "-"], UNFORMATTED.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "<stdin>\n");
}

#[test]
fn check_and_diff_name_what_would_change_and_write_nothing() {
    let dir = scratch("check");
    std::fs::write(dir.join("a.wfl"), UNFORMATTED).expect("write");
    std::fs::write(dir.join("b.wfl"), FORMATTED).expect("write");
    let d = dir.to_str().expect("UTF-8 path");
    let out = wfl(&["fmt", "--check", d]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        format!("{}\n", dir.join("a.wfl").display())
    );
    let out = wfl(&["fmt", "--diff", d]);
    assert_eq!(out.status.code(), Some(1));
    let a = dir.join("a.wfl").display().to_string();
    let diff = text(&out.stdout);
    assert!(
        diff.starts_with(&format!("--- {a}\n+++ {a}\n@@ -1,4 +1,5 @@\n")),
        "{diff}"
    );
    assert!(
        diff.contains("\n-task a;task b\n-  a->b\n+  task a\n+  task b\n+  a -> b\n"),
        "{diff}"
    );
    assert_eq!(
        read(&dir.join("a.wfl")),
        UNFORMATTED,
        "--check and --diff write nothing"
    );
    let out = wfl(&["fmt", "--check", &dir.join("b.wfl").display().to_string()]);
    assert_eq!((out.status.code(), out.stdout.len()), (Some(0), 0));
}

#[test]
fn files_are_replaced_whole_keeping_their_permissions() {
    let dir = scratch("write");
    let path = dir.join("a.wfl");
    std::fs::write(&path, UNFORMATTED).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    }
    let out = wfl(&["fmt", dir.to_str().expect("UTF-8 path")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!((out.stdout.len(), out.stderr.len()), (0, 0));
    assert_eq!(read(&path), FORMATTED);
    let names: Vec<_> = std::fs::read_dir(&dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["a.wfl"], "no temporary file is left");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }
}

#[test]
fn a_file_with_syntax_errors_is_left_as_it_is() {
    let dir = scratch("errors");
    let path = dir.join("broken.wfl");
    let broken = "workflow w {\n  task a\n  a -> \n}\n";
    std::fs::write(&path, broken).expect("write");
    let out = wfl(&["fmt", path.to_str().expect("UTF-8 path")]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(read(&path), broken);
    let stderr = text(&out.stderr).replace(&dir.display().to_string(), "DIR");
    insta::assert_snapshot!("syntax_errors", stderr);
}

#[test]
fn fmt_exclude_leaves_files_out_of_directories() {
    let dir = scratch("exclude");
    std::fs::write(dir.join("wfl.toml"), "[fmt]\nexclude = [\"kept/**\"]\n").expect("write");
    std::fs::create_dir(dir.join("kept")).expect("mkdir");
    std::fs::write(dir.join("kept/layout.wfl"), UNFORMATTED).expect("write");
    std::fs::write(dir.join("main.wfl"), FORMATTED).expect("write");
    let out = wfl_in(&dir, &["fmt", "--check", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    // Named on the command line, an excluded file is formatted.
    let out = wfl_in(&dir, &["fmt", "--check", "kept/layout.wfl"]);
    assert_eq!(out.status.code(), Some(1));
    // `wfl check` still checks it.
    let out = wfl_in(&dir, &["check", "."]);
    assert!(
        text(&out.stdout).contains("checked 2 files"),
        "{}",
        text(&out.stdout)
    );
    let out = wfl(&["fmt", "--check", "tests/fmt/no such file.wfl"]);
    assert_eq!(out.status.code(), Some(2));
}
