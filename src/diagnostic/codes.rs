//! The registry of diagnostic codes. A code is never reused; `specs/diagnostics.md` has one section
//! per code (its explanation, printed by `wfl explain`), and a test keeps the two in step.

use super::Severity;

macro_rules! registry {
    ($($code:ident $name:literal $severity:ident $summary:literal;)*) => {
        /// A stable diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($code,)*
        }

        impl Code {
            /// Every code, in registry order.
            pub const ALL: &'static [Code] = &[$(Code::$code,)*];

            /// `E0001`, `W0200`, …
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code),)*
                }
            }

            /// The rule's name, after the pattern it flags (`unreachable_state`).
            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$code => $name,)*
                }
            }

            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$code => Severity::$severity,)*
                }
            }

            /// One line: what the rule flags.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Code::$code => $summary,)*
                }
            }
        }
    };
}

registry! {
    // Lexical and syntax errors.
    E0001 "syntax_error" Error "the text does not follow the grammar";
    E0002 "invalid_utf8" Error "the file is not valid UTF-8";
    E0003 "nesting_too_deep" Error "brackets, braces or `not`s are nested too deeply";
    E0004 "unterminated_literal" Error "a string or block comment is not closed";
    E0005 "invalid_number" Error "a number does not fit its type";
    E0006 "chained_comparison" Error "comparisons are chained without `and`";
    E0007 "internal_error" Error "wfl met a parse-tree shape it does not know (a bug in wfl)";
    // Names.
    E0100 "duplicate_definition" Error "a name is defined twice in the same scope";
    E0101 "unknown_name" Error "a name refers to nothing that is defined";
    E0102 "unknown_property" Error "a property that workflows or tasks do not have";
    E0103 "wrong_kind_of_name" Error "a name refers to something of another kind than the place needs";
    E0104 "reserved_name" Error "a declaration uses a name the language gives a meaning to";
    E0105 "duplicate_clause" Error "a clause or property is given twice";
    E0106 "undeclared_event" Error "an event that the machine taking it does not declare";
    E0107 "undeclared_actor" Error "an actor that the machine taking its event does not declare";
    // Types and expressions.
    E0200 "type_mismatch" Error "an expression has a type its place does not accept";
    E0201 "misplaced_expression" Error "an expression form used where it has no meaning";
    E0202 "not_constant" Error "a value that must be known before the run depends on the run";
    // Property values.
    E0300 "invalid_property_value" Error "a property has a value outside what it accepts";
    E0301 "empty_range" Error "an integer range holds no value";
    E0302 "value_out_of_range" Error "a value lies outside the range its place accepts";
    // Structure.
    E0400 "link_cycle" Error "the links of a workflow form a cycle";
    E0401 "transient_without_exit" Error "a transient state has no event-less way out";
    E0402 "transition_from_final" Error "a transition leaves a final state";
    E0403 "history_without_earlier_state" Error "`history` leaves a state that is never entered from another state";
    E0404 "missing_initial" Error "a machine has no `initial` rule";
    E0405 "duplicate_link" Error "two links of the same kind join the same pair of tasks";
    E0406 "scenario_step_mismatch" Error "a scenario step that does not apply to its target or its place";
    E0407 "view_cycle" Error "views are defined in terms of each other in a circle";
    E0408 "too_many_copies" Error "lists, `*` or shared hooks stand for more copies than a file may hold";
    // Runs.
    E0500 "failed_expectation" Error "a scenario's `expect` does not hold after its run";
    E0502 "livelock" Error "a machine run never becomes stable";
    E0503 "too_many_instances" Error "a run would create more instances than wfl allows";
    E0504 "history_with_no_earlier_state" Error "a run takes `history` from a state its instance was created in";
    E0505 "no_initial_rule_matches" Error "no `initial` rule of a machine holds for a new instance";
    E0506 "stuck_in_transient_state" Error "a run leaves an instance resting in a transient state";
    E0507 "set_out_of_range" Error "a `set` action gives an integer variable a value outside its range";
    E0508 "too_much_work" Error "a machine run does more work than wfl allows";
    // Warnings.
    W0001 "dangling_doc_comment" Warning "a `///` doc comment documents nothing";
    W0100 "unused_variable" Warning "a variable is never read";
    W0101 "unused_view" Warning "a view is never used";
    W0102 "unused_state" Warning "a state is declared but no transition or rule uses it";
    W0103 "unused_event" Warning "a machine declares an event that none of its transitions takes";
    W0104 "unused_actor" Warning "a machine declares an actor that none of its transitions names";
    W0105 "event_origin_unneeded" Warning "an `internal` or `external` event that no action sends to its machine";
    W0200 "unreachable_state" Warning "no transition path leads to a state";
    W0201 "dead_end_state" Warning "a non-final state has no way out";
    W0202 "not_run_task" Warning "no path of links leads to a task from the start tasks";
    W0203 "unhandled_event" Warning "an event is sent that the receiving machine never handles";
    W0204 "unknown_actor" Warning "an actor sends an event but no transition names that actor";
    W0205 "lone_name" Warning "a transition names an event or actor that nothing else names, one letter away from one named more often";
    W0300 "scenario_without_expect" Warning "a scenario checks nothing";
    // Semantic findings: from every run at once, each with a witness.
    W0400 "task_never_runs" Warning "a task is skipped in every run";
    W0401 "condition_always_true" Warning "a link condition holds whenever it is read";
    W0402 "condition_never_true" Warning "a link condition never holds when it is read";
    W0403 "error_link_never_accepted" Warning "an error link is never ACCEPTED";
    W0404 "error_links_never_fire" Warning "a workflow that stops at the first failure has error links";
    N0408 "workflow_not_analysed" Note "a workflow the analysis cannot make exact, so W0400–W0404 are not reported for it";
    W0410 "state_unreachable_in_runs" Warning "no run of a machine enters a state";
    W0411 "transition_never_taken" Warning "no run of a machine takes a transition";
    W0412 "no_way_to_final" Warning "from a state no run can reach a final state";
    W0413 "shadowed_transition" Warning "an earlier transition takes the event where a later one is enabled too";
    W0414 "initial_rules_incomplete" Warning "no initial rule holds for some initial values";
    W0415 "livelock_reachable" Warning "some run of a machine livelocks";
    W0416 "run_error_reachable" Warning "some run of a machine ends in a run error";
    N0417 "machine_explored_in_part" Note "a machine explored in part, so W0410–W0412 are not reported for it";
    W0418 "send_reaches_no_child" Warning "some run sends an event to one child of a group when no child qualifies";
    // Suppression comments (numbered with W0001: findings about comments).
    W0002 "unused_suppression" Warning "a `// wfl: allow(…)` comment suppresses nothing";
    W0003 "malformed_suppression" Warning "a `// wfl:` comment that cannot be read or placed";
}

impl Code {
    /// Looks a code up by its text (`E0101`, case-insensitive) or its name (`unknown_name`).
    pub fn lookup(text: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|code| code.as_str().eq_ignore_ascii_case(text) || code.name() == text)
    }

    /// The long explanation: this code's section of `specs/diagnostics.md`.
    pub fn explanation(self) -> Option<&'static str> {
        explanation_section(DIAGNOSTICS_MD, self.as_str())
    }
}

/// The reference page every explanation comes from.
pub const DIAGNOSTICS_MD: &str = include_str!("../../specs/diagnostics.md");

/// The text of the `## CODE …` section of `page`, heading included, up to the next `## `.
pub fn explanation_section<'a>(page: &'a str, code: &str) -> Option<&'a str> {
    let heading = format!("## {code} ");
    let start = page.find(&heading)?;
    let rest = page.get(start..)?;
    let end = rest
        .get(3..)
        .and_then(|after| after.find("\n## "))
        .map_or(rest.len(), |i| i + 4);
    rest.get(..end).map(str::trim_end)
}
