//! "Did you mean": the one place that decides when a name is close enough to suggest.

/// Two names at least this similar (0 = nothing in common, 1 = equal) are worth suggesting.
pub const MIN_SIMILARITY: f64 = 0.6;

/// The candidate most similar to `name`, if any is similar enough.
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        let score = similarity(name, candidate);
        if score >= MIN_SIMILARITY && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// `1 - distance / longer length`, with the Damerau–Levenshtein (optimal string alignment)
/// distance over characters, ignoring ASCII case.
pub fn similarity(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    let longer = a.len().max(b.len());
    if longer == 0 {
        return 1.0;
    }
    1.0 - distance(&a, &b) as f64 / longer as f64
}

fn distance(a: &[char], b: &[char]) -> usize {
    // Three rolling rows: two rows back (for transpositions), previous and current.
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

    #[test]
    fn distance_counts_edits() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(distance(&chars("kitten"), &chars("sitting")), 3);
        assert_eq!(distance(&chars("ab"), &chars("ba")), 1);
        assert_eq!(distance(&chars(""), &chars("abc")), 3);
    }
}
