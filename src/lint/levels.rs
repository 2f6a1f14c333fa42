//! Lint levels: how a warning is reported, set per code in `wfl.toml`'s `[lints]` table.
//!
//! ```toml
//! [lints]
//! W0201 = "allow"            # by code
//! unused_variable = "deny"   # or by the rule's name
//! ```
//!
//! `allow` drops the warning, `warn` reports it as a warning (the default), `deny` reports it as
//! an error. Only warnings have levels. The command line finds the file and reads it; this module
//! only reads its text.

use std::collections::BTreeMap;
use std::fmt;

use crate::diagnostic::suggest::did_you_mean;
use crate::diagnostic::{Code, Diagnostic, Severity};

/// What to do with a warning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported as a warning (every warning's default).
    Warn,
    /// Reported as an error.
    Deny,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Allow, Level::Warn, Level::Deny];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }

    fn parse(text: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|level| level.as_str() == text)
    }
}

/// The level of every warning code: `warn` unless set otherwise.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Levels {
    /// The codes set to something, with the key as written (`W0201` or `dead_end_state`).
    set: BTreeMap<Code, (Level, String)>,
    /// Where the levels come from (`wfl.toml`, `specs/wfl.toml`), for the note on a denied warning.
    origin: Option<String>,
    /// The command line's levels (`--select`, `--ignore`, `--warn`, `--deny CODE`), which win
    /// over the file's.
    flags: Flags,
}

/// Levels given on the command line, ruff's way: `--select` reports only the warnings and notes
/// listed (errors are always reported), then `--ignore`, `--warn` and `--deny` set one code each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    /// `--select`: when given, the only warnings and notes reported.
    pub select: Option<std::collections::BTreeSet<Code>>,
    /// Each code with its level and the flag as written (`--deny W0201`).
    pub set: BTreeMap<Code, (Level, String)>,
}

impl Flags {
    pub fn is_empty(&self) -> bool {
        self.select.is_none() && self.set.is_empty()
    }
}

/// The warning or note `text` names, by code (in any case) or rule name; `Err` says why not, with
/// a close name when there is one. Errors have no level, so naming one is an error too.
pub fn rule(text: &str) -> Result<Code, String> {
    let code = Code::lookup(text).ok_or_else(|| {
        let mut message = format!("unknown code or rule `{text}`");
        let candidates = Code::ALL
            .iter()
            .filter(|c| c.severity() != Severity::Error)
            .flat_map(|c| [c.as_str(), c.name()]);
        if let Some(close) = did_you_mean(text, candidates) {
            message.push_str(&format!("; did you mean `{close}`?"));
        }
        message
    })?;
    if code.severity() == Severity::Error {
        return Err(format!(
            "`{text}` is an error ({} `{}`): only warnings and notes have levels",
            code.as_str(),
            code.name()
        ));
    }
    Ok(code)
}

/// The top-level keys of a `wfl.toml`: `[lints]` here, the others read by the command line.
pub const CONFIG_KEYS: [&str; 6] = ["lints", "include", "exclude", "check", "test", "fmt"];

/// A `wfl.toml` that cannot be used, with the place of the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The file, as the user should see it.
    pub origin: String,
    /// 1-based line and column of the problem, when it has a place.
    pub at: Option<(usize, usize)>,
    /// Lowercase, names in backticks, a did-you-mean when one is close.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some((line, column)) => write!(f, "{}:{line}:{column}: {}", self.origin, self.message),
            None => write!(f, "{}: {}", self.origin, self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    /// An error at byte range `at` of `text`, the file `origin`.
    pub fn new(
        text: &str,
        origin: &str,
        at: Option<std::ops::Range<usize>>,
        message: String,
    ) -> ConfigError {
        ConfigError {
            origin: origin.to_owned(),
            at: at.map(|span| line_col(text, span.start)),
            message,
        }
    }

    /// A TOML syntax error.
    pub fn syntax(text: &str, origin: &str, err: &toml::de::Error) -> ConfigError {
        ConfigError::new(
            text,
            origin,
            err.span(),
            format!("invalid TOML: {}", one_line(err.message())),
        )
    }
}

impl Levels {
    /// Every warning at `warn`.
    pub fn new() -> Levels {
        Levels::default()
    }

    /// Sets `code`'s level, as if `key = "level"` were written in `[lints]`.
    pub fn set(&mut self, code: Code, level: Level) {
        self.set.insert(code, (level, code.as_str().to_owned()));
    }

    /// `code`'s level; an error's is always `deny`. The command line's levels come first, then
    /// `--select` (a code not selected is allowed), then the file's.
    pub fn level(&self, code: Code) -> Level {
        if code.severity() == Severity::Error {
            return Level::Deny;
        }
        if let Some((level, _)) = self.flags.set.get(&code) {
            return *level;
        }
        if self
            .flags
            .select
            .as_ref()
            .is_some_and(|s| !s.contains(&code))
        {
            return Level::Allow;
        }
        self.set.get(&code).map_or(Level::Warn, |(level, _)| *level)
    }

    /// These levels with the command line's on top.
    pub fn with_flags(&self, flags: &Flags) -> Levels {
        Levels {
            flags: flags.clone(),
            ..self.clone()
        }
    }

    /// What set `code`'s level, for the note on a finding it raised: `` `W0201 = "deny"` in
    /// `wfl.toml` `` or `` `--deny W0201` ``.
    fn why(&self, code: Code, level: Level) -> Option<String> {
        if let Some((_, flag)) = self.flags.set.get(&code) {
            return Some(format!("`{flag}`"));
        }
        let (_, key) = self.set.get(&code)?;
        let origin = self.origin.as_deref().unwrap_or("the lint levels");
        Some(format!("`{key} = \"{}\"` in `{origin}`", level.as_str()))
    }

    /// Where these levels were read from, if from a file.
    pub fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }

    /// Reads the text of a `wfl.toml`. `origin` names the file in errors and notes. The only table
    /// is `[lints]`; anything else, a key that is not a warning's code or name, or a level other
    /// than `"allow"`, `"warn"` and `"deny"` is an error.
    pub fn from_toml(text: &str, origin: &str) -> Result<Levels, ConfigError> {
        let error = |at: Option<std::ops::Range<usize>>, message: String| {
            ConfigError::new(text, origin, at, message)
        };
        let document = toml::de::DeTable::parse(text)
            .map_err(|err| ConfigError::syntax(text, origin, &err))?;
        let mut levels = Levels {
            set: BTreeMap::new(),
            origin: Some(origin.to_owned()),
            flags: Flags::default(),
        };
        for (key, value) in document.get_ref() {
            if key.get_ref() != "lints" {
                if CONFIG_KEYS.contains(&key.get_ref().as_ref()) {
                    continue;
                }
                let mut message = format!("unknown key `{}`", key.get_ref());
                if let Some(close) = did_you_mean(key.get_ref(), CONFIG_KEYS) {
                    message.push_str(&format!("; did you mean `{close}`?"));
                } else {
                    message.push_str(&format!(
                        " (the keys are {})",
                        CONFIG_KEYS.map(|k| format!("`{k}`")).join(", ")
                    ));
                }
                return Err(error(Some(key.span()), message));
            }
            let Some(table) = value.get_ref().as_table() else {
                return Err(error(
                    Some(value.span()),
                    "`lints` must be a table: write `[lints]` and one `CODE = \"LEVEL\"` a line"
                        .to_owned(),
                ));
            };
            for (name, level) in table {
                let name_text: &str = name.get_ref();
                let code = rule(name_text).map_err(|message| error(Some(name.span()), message))?;
                let Some(level_text) = level.get_ref().as_str() else {
                    return Err(error(
                        Some(level.span()),
                        format!(
                            "the level of `{name_text}` must be a string: \"allow\", \"warn\" or \"deny\""
                        ),
                    ));
                };
                let Some(parsed) = Level::parse(level_text) else {
                    let mut message = format!("unknown level \"{level_text}\" for `{name_text}`");
                    match did_you_mean(level_text, Level::ALL.map(Level::as_str)) {
                        Some(close) => message.push_str(&format!("; did you mean \"{close}\"?")),
                        None => {
                            message.push_str(" (the levels are \"allow\", \"warn\" and \"deny\")")
                        }
                    }
                    return Err(error(Some(level.span()), message));
                };
                if let Some((_, earlier)) = levels.set.get(&code) {
                    return Err(error(
                        Some(name.span()),
                        format!("`{earlier}` and `{name_text}` set the level of the same rule"),
                    ));
                }
                levels.set.insert(code, (parsed, name_text.to_owned()));
            }
        }
        Ok(levels)
    }

    /// Drops the allowed warnings and notes, and raises the others their level names: a denied
    /// warning or note becomes an error, a note set to `warn` a warning, each with a note saying
    /// why.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        if self.set.is_empty() && self.flags.is_empty() {
            return;
        }
        diagnostics.retain(|d| d.severity == Severity::Error || self.level(d.code) != Level::Allow);
        for d in diagnostics.iter_mut() {
            let level = self.level(d.code);
            let raised = match (d.severity, level) {
                (Severity::Warning | Severity::Note, Level::Deny) => Severity::Error,
                (Severity::Note, Level::Warn) => Severity::Warning,
                _ => continue,
            };
            let Some(why) = self.why(d.code, level) else {
                continue;
            };
            d.notes.push(format!(
                "{why} turns this {} into {}",
                d.severity.as_str(),
                match raised {
                    Severity::Error => "an error",
                    _ => "a warning",
                }
            ));
            d.severity = raised;
        }
    }
}

/// 1-based line and column (in characters) of byte `offset` of `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + 1;
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// The first line of a parser message, without its trailing period.
fn one_line(message: &str) -> String {
    let first = message.lines().next().unwrap_or("").trim();
    first.strip_suffix('.').unwrap_or(first).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Levels, String> {
        Levels::from_toml(text, "wfl.toml").map_err(|err| err.to_string())
    }

    #[test]
    fn codes_and_names_set_levels() {
        let levels =
            read("[lints]\nW0201 = \"allow\"\nunused_variable = \"deny\"\nw0300 = \"warn\"\n")
                .expect("valid");
        assert_eq!(levels.level(Code::W0201), Level::Allow);
        assert_eq!(levels.level(Code::W0100), Level::Deny);
        assert_eq!(levels.level(Code::W0300), Level::Warn);
        assert_eq!(levels.level(Code::W0200), Level::Warn);
        assert_eq!(levels.level(Code::E0101), Level::Deny);
        assert_eq!(
            read("").expect("empty is fine"),
            Levels {
                origin: Some("wfl.toml".into()),
                ..Levels::new()
            }
        );
    }

    #[test]
    fn mistakes_are_errors_with_a_place_and_a_suggestion() {
        assert_eq!(
            read("[lint]\n").expect_err("an error"),
            "wfl.toml:1:2: unknown key `lint`; did you mean `lints`?"
        );
        assert_eq!(
            read("[lints]\ndead_end_stat = \"deny\"\n").expect_err("an error"),
            "wfl.toml:2:1: unknown code or rule `dead_end_stat`; did you mean `dead_end_state`?"
        );
        assert_eq!(
            read("[lints]\nW0201 = \"alow\"\n").expect_err("an error"),
            "wfl.toml:2:9: unknown level \"alow\" for `W0201`; did you mean \"allow\"?"
        );
        assert_eq!(
            read("[lints]\nE0101 = \"allow\"\n").expect_err("an error"),
            "wfl.toml:2:1: `E0101` is an error (E0101 `unknown_name`): only warnings and notes have levels"
        );
        assert_eq!(
            read("[lints]\nW0201 = 1\n").expect_err("an error"),
            "wfl.toml:2:9: the level of `W0201` must be a string: \"allow\", \"warn\" or \"deny\""
        );
        assert_eq!(
            read("[lints]\nW0201 = \"deny\"\ndead_end_state = \"allow\"\n").expect_err("an error"),
            "wfl.toml:3:1: `W0201` and `dead_end_state` set the level of the same rule"
        );
        assert!(
            read("lints = 3\n")
                .expect_err("an error")
                .contains("`lints` must be a table")
        );
        let syntax = read("[lints\n").expect_err("an error");
        assert!(syntax.starts_with("wfl.toml:1:"), "{syntax}");
        assert!(!syntax.contains('\n'), "{syntax}");
    }

    #[test]
    fn apply_drops_allowed_and_denies_denied() {
        let levels = read("[lints]\nW0201 = \"allow\"\nW0100 = \"deny\"\n").expect("valid");
        let span = crate::source::Span::new(0, 1);
        let mut found = vec![
            Diagnostic::new(Code::W0201, "a", span, "a"),
            Diagnostic::new(Code::W0100, "b", span, "b"),
            Diagnostic::new(Code::W0200, "c", span, "c"),
        ];
        levels.apply(&mut found);
        let codes: Vec<(Code, Severity)> = found.iter().map(|d| (d.code, d.severity)).collect();
        assert_eq!(
            codes,
            [
                (Code::W0100, Severity::Error),
                (Code::W0200, Severity::Warning)
            ]
        );
        assert_eq!(
            found[0].notes,
            ["`W0100 = \"deny\"` in `wfl.toml` turns this warning into an error"]
        );
    }

    #[test]
    fn a_note_is_raised_to_the_level_set_or_dropped() {
        let span = crate::source::Span::new(0, 1);
        let note = || vec![Diagnostic::new(Code::N0417, "n", span, "n")];
        let after = |toml: &str| {
            let mut found = note();
            read(toml).expect("valid").apply(&mut found);
            found
                .iter()
                .map(|d| (d.severity, d.notes.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            after("[lints]\nW0100 = \"deny\"\n"),
            [(Severity::Note, vec![])]
        );
        assert_eq!(
            after("[lints]\nmachine_explored_in_part = \"warn\"\n"),
            [(
                Severity::Warning,
                vec![
                    "`machine_explored_in_part = \"warn\"` in `wfl.toml` turns this note into a warning"
                        .to_owned()
                ]
            )]
        );
        assert_eq!(after("[lints]\nN0417 = \"deny\"\n")[0].0, Severity::Error);
        assert_eq!(after("[lints]\nN0417 = \"allow\"\n"), []);
    }
}
