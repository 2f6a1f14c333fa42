//! "Did you mean": the one place that decides when a name is close enough to suggest.
//!
//! Comparing every unknown name with every candidate is quadratic, and a hostile file can hold
//! thousands of both, or names thousands of characters long. So the work is bounded three ways,
//! none of which changes a suggestion for names of ordinary length in a file of ordinary size:
//! a candidate whose length alone rules it out costs one step; the edit distance stops as soon as
//! it exceeds what could still win; and a [`Suggester`] (one per file and stage) stops suggesting
//! once it has spent its budget, which grows with the file ([`BUDGET_PER_BYTE`]), so that the work
//! stays linear in the file. Names longer than [`MAX_NAME_CHARS`] get no suggestion
//! (specs/language.md, section 1.11).

use std::cell::Cell;

use smallvec::SmallVec;

/// Two names at least this similar (0 = nothing in common, 1 = equal) are worth suggesting.
pub const MIN_SIMILARITY: f64 = 0.6;

/// A name longer than this, in characters, gets no suggestion.
pub const MAX_NAME_CHARS: usize = 64;

/// The steps one [`Suggester`] may spend, at least: one per candidate looked at, one per cell of
/// an edit-distance table. Enough for about fifty unknown names among a thousand, and a few
/// milliseconds of work.
pub const MIN_BUDGET: u64 = 1_000_000;
/// ... or this many steps per byte of the file, when that is more.
pub const BUDGET_PER_BYTE: u64 = 64;

/// Suggestions for one file, within a budget of work; once it is spent, no more suggestions.
#[derive(Debug)]
pub struct Suggester {
    budget: Cell<u64>,
}

impl Default for Suggester {
    /// A budget of [`MIN_BUDGET`] steps.
    fn default() -> Suggester {
        Suggester::with_budget(MIN_BUDGET)
    }
}

/// Which of several equally similar candidates wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ties {
    /// The first: the candidates come in a meaningful order (declaration order).
    First,
    /// The least name: the candidates come in no meaningful order (a hash map's), so the result
    /// is the one the sorted candidates would give.
    Least,
}

impl Suggester {
    /// The suggester of a file of `bytes` bytes.
    pub fn for_file(bytes: usize) -> Suggester {
        let per_byte = u64::try_from(bytes).map_or(u64::MAX, |b| b.saturating_mul(BUDGET_PER_BYTE));
        Suggester::with_budget(MIN_BUDGET.max(per_byte))
    }

    pub fn with_budget(steps: u64) -> Suggester {
        Suggester {
            budget: Cell::new(steps),
        }
    }

    /// The candidate most similar to `name`, if any is similar enough; the first of equals wins.
    pub fn did_you_mean<'a, I>(&self, name: &str, candidates: I) -> Option<&'a str>
    where
        I: IntoIterator<Item = &'a str>,
    {
        self.closest(name, candidates, Ties::First)
    }

    /// [`Suggester::did_you_mean`] for candidates in no meaningful order: the least name of equals
    /// wins, as if the candidates had been sorted.
    pub fn did_you_mean_in_set<'a, I>(&self, name: &str, candidates: I) -> Option<&'a str>
    where
        I: IntoIterator<Item = &'a str>,
    {
        self.closest(name, candidates, Ties::Least)
    }

    /// Whether the budget is spent (no more suggestions will be made).
    pub fn exhausted(&self) -> bool {
        self.budget.get() == 0
    }

    /// Takes `steps` from the budget; false (and the budget spent) when there are not enough.
    fn spend(&self, steps: u64) -> bool {
        match self.budget.get().checked_sub(steps) {
            Some(left) => {
                self.budget.set(left);
                true
            }
            None => {
                self.budget.set(0);
                false
            }
        }
    }

    fn closest<'a, I>(&self, name: &str, candidates: I, ties: Ties) -> Option<&'a str>
    where
        I: IntoIterator<Item = &'a str>,
    {
        if self.exhausted() {
            return None;
        }
        let target = lowered(name).filter(|t| t.len() <= MAX_NAME_CHARS)?;
        let mut table = Table::default();
        let mut best: Option<(f64, &'a str)> = None;
        for candidate in candidates {
            if !self.spend(1) {
                return None;
            }
            if candidate == name {
                continue;
            }
            // Whether a distance would make the candidate the best so far.
            let wins = |distance: usize, longer: usize| {
                let score = score(distance, longer);
                score >= MIN_SIMILARITY
                    && best.is_none_or(|(s, b)| {
                        score > s || (ties == Ties::Least && score == s && candidate < b)
                    })
            };
            // The distance is at least the difference in length, and a character takes one to
            // four bytes: most candidates are ruled out by their byte length alone.
            let bytes = candidate.len();
            if bytes < target.len() / 2 || bytes / 4 > target.len() * 2 + 1 {
                continue;
            }
            let Some(other) = lowered(candidate) else {
                continue;
            };
            let longer = target.len().max(other.len());
            if !wins(target.len().abs_diff(other.len()), longer) {
                continue;
            }
            // The largest distance that would still win (winning gets harder as it grows).
            let limit = (0..=longer).rev().find(|&d| wins(d, longer)).unwrap_or(0);
            let Some(distance) = table.distance_within(&target, &other, limit, self) else {
                if self.exhausted() {
                    return None;
                }
                continue;
            };
            best = Some((score(distance, longer), candidate));
        }
        best.map(|(_, candidate)| candidate)
    }
}

/// The candidate most similar to `name`, if any is similar enough; the first of equals wins.
/// For short, fixed lists (codes, keywords); names from a file go through a [`Suggester`].
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    Suggester::default().did_you_mean(name, candidates)
}

/// `1 - distance / longer length`: the similarity of two names, with the Damerau–Levenshtein
/// (optimal string alignment) distance over characters, ignoring ASCII case.
fn score(distance: usize, longer: usize) -> f64 {
    if longer == 0 {
        return 1.0;
    }
    1.0 - distance as f64 / longer as f64
}

type Chars = SmallVec<[char; 32]>;

/// The characters of `name`, ASCII letters lowered; `None` when it is too long to compare.
/// (A candidate may be up to `1 / MIN_SIMILARITY` times longer than the name it is compared
/// with, and no longer: that bound is checked by the caller.)
fn lowered(name: &str) -> Option<Chars> {
    let mut chars = Chars::new();
    for c in name.chars() {
        if chars.len() > MAX_NAME_CHARS * 2 {
            return None;
        }
        chars.push(c.to_ascii_lowercase());
    }
    Some(chars)
}

/// The rows of an edit-distance table, kept from one candidate to the next.
#[derive(Default)]
struct Table {
    /// Two rows back (for transpositions), the previous row and the current one.
    before: Vec<usize>,
    previous: Vec<usize>,
    current: Vec<usize>,
}

impl Table {
    /// The optimal-string-alignment distance between `a` and `b` when it is at most `limit`;
    /// `None` when it is larger, or when `budget` runs out (one step per cell). Stops at the
    /// first row whose every cell exceeds `limit`: the distance can only be larger.
    fn distance_within(
        &mut self,
        a: &[char],
        b: &[char],
        limit: usize,
        budget: &Suggester,
    ) -> Option<usize> {
        let width = b.len() + 1;
        self.before.clear();
        self.before.resize(width, 0);
        self.previous.clear();
        self.previous.extend(0..width);
        self.current.clear();
        self.current.resize(width, 0);
        for (i, &ca) in a.iter().enumerate() {
            if !budget.spend(width as u64) {
                return None;
            }
            self.current[0] = i + 1;
            let mut row_min = self.current[0];
            for (j, &cb) in b.iter().enumerate() {
                let cost = usize::from(ca != cb);
                let mut best = (self.previous[j] + cost)
                    .min(self.previous[j + 1] + 1)
                    .min(self.current[j] + 1);
                if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                    best = best.min(self.before[j - 1] + 1);
                }
                self.current[j + 1] = best;
                row_min = row_min.min(best);
            }
            if row_min > limit {
                return None;
            }
            std::mem::swap(&mut self.before, &mut self.previous);
            std::mem::swap(&mut self.previous, &mut self.current);
        }
        let distance = self.previous[b.len()];
        (distance <= limit).then_some(distance)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["extract", "validate", "load"];
        assert_eq!(did_you_mean("extrct", names), Some("extract"));
        assert_eq!(did_you_mean("valdiate", names), Some("validate"));
        assert_eq!(did_you_mean("report", names), None);
        assert_eq!(did_you_mean("LOAD", names), Some("load"));
    }

    fn distance(a: &str, b: &str) -> Option<usize> {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        let unbounded = Suggester::with_budget(u64::MAX);
        Table::default().distance_within(&chars(a), &chars(b), usize::MAX - 1, &unbounded)
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("kitten", "sitting"), Some(3));
        assert_eq!(distance("ab", "ba"), Some(1));
        assert_eq!(distance("", "abc"), Some(3));
    }

    #[test]
    fn distance_stops_past_its_limit() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        let unbounded = Suggester::with_budget(u64::MAX);
        let mut table = Table::default();
        let (a, b) = (chars("kitten"), chars("sitting"));
        assert_eq!(table.distance_within(&a, &b, 3, &unbounded), Some(3));
        assert_eq!(table.distance_within(&a, &b, 2, &unbounded), None);
    }

    /// The full table, row by row, without limits.
    fn plain_distance(a: &[char], b: &[char]) -> usize {
        let width = b.len() + 1;
        let mut before: Vec<usize> = vec![0; width];
        let mut previous: Vec<usize> = (0..width).collect();
        let mut current: Vec<usize> = vec![0; width];
        for (i, &ca) in a.iter().enumerate() {
            current[0] = i + 1;
            for (j, &cb) in b.iter().enumerate() {
                let cost = usize::from(ca != cb);
                let mut best = (previous[j] + cost)
                    .min(previous[j + 1] + 1)
                    .min(current[j] + 1);
                if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                    best = best.min(before[j - 1] + 1);
                }
                current[j + 1] = best;
            }
            std::mem::swap(&mut before, &mut previous);
            std::mem::swap(&mut previous, &mut current);
        }
        previous[b.len()]
    }

    /// The suggestion a plain scan over every candidate gives: the first (or least) of the most
    /// similar, at least `MIN_SIMILARITY` similar.
    fn reference<'a>(name: &str, candidates: &[&'a str], least: bool) -> Option<&'a str> {
        let lower = |s: &str| -> Vec<char> { s.chars().map(|c| c.to_ascii_lowercase()).collect() };
        let mut best: Option<(f64, &'a str)> = None;
        for &c in candidates {
            if c == name || name.chars().count() > MAX_NAME_CHARS {
                continue;
            }
            let (a, b) = (lower(name), lower(c));
            let s = score(plain_distance(&a, &b), a.len().max(b.len()));
            if s >= MIN_SIMILARITY && best.is_none_or(|(b, n)| s > b || (least && s == b && c < n))
            {
                best = Some((s, c));
            }
        }
        best.map(|(_, c)| c)
    }

    #[test]
    fn pruning_changes_no_suggestion() {
        let words = [
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "load",
            "Load",
            "loads",
            "lode",
            "extract",
            "extracts",
            "xtract",
            "validate",
            "valdiate",
            "report",
            "repot",
            "t0",
            "t1",
            "t10",
            "x10",
            "READY",
            "ready",
            "RAEDY",
            "WAITING",
            "WAITNG",
            "waiting_for_a_long_time",
            "waiting_for_a_lng_time",
            "é",
            "éa",
            "ü_x",
            "u_x",
        ];
        let suggester = Suggester::with_budget(u64::MAX);
        for name in words {
            assert_eq!(
                suggester.did_you_mean(name, words),
                reference(name, &words, false),
                "{name}"
            );
            let mut reversed = words;
            reversed.reverse();
            assert_eq!(
                suggester.did_you_mean_in_set(name, reversed),
                reference(name, &words, true),
                "{name} in a set"
            );
        }
    }

    #[test]
    fn long_names_get_no_suggestion() {
        let long = "a".repeat(MAX_NAME_CHARS * 3);
        let near = format!("{long}b");
        assert_eq!(did_you_mean(&near, [long.as_str()]), None);
    }

    #[test]
    fn a_spent_budget_stops_suggestions() {
        let suggester = Suggester::with_budget(100);
        let names: Vec<String> = (0..100).map(|i| format!("task{i}")).collect();
        assert_eq!(
            suggester.did_you_mean("tsk0", names.iter().map(String::as_str)),
            None
        );
        assert!(suggester.exhausted());
        assert_eq!(suggester.did_you_mean("loda", ["load"]), None);
    }
}
