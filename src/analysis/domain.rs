//! Variables as finite domains: a bool has two values, an enumeration its members, and an
//! integer the intervals that the constants of the conditions cut its range into — every value of
//! an interval makes every condition come out the same, so one value per interval is exact.
//!
//! A condition that compares integer variables with each other or adds them (`rows > limit`,
//! `a + b > 3`) cuts no interval that stays exact. When the ranges of its variables are small
//! (at most [`MAX_COMBINATIONS`] combinations of their values), each of them is split into its
//! single values instead, and the condition is worked out combination by combination; when they
//! are not, the workflow is not analysed (N0408).

use crate::model::{AddOp, CmpOp, Expr, ExprKind, Program, Type, Value, VarId, Workflow};
use crate::sim::code::{sum, value_to_i64};
use crate::source::Span;

/// The most combinations of values of its integer variables that one condition comparing them
/// with each other or adding them may have: each is then split into single values, and the
/// condition worked out for every combination (`a + b > 3` with `a` and `b` in `0..63`: 4 096).
pub const MAX_COMBINATIONS: u64 = 4096;

/// One variable's values, as the analysis sees them.
#[derive(Clone, Debug)]
pub struct Domain {
    pub var: VarId,
    pub ty: Type,
    /// One value per class: the member index, 0/1, or a representative of an interval.
    pub values: Vec<i64>,
    /// For integers: each class's interval.
    pub intervals: Vec<(i64, i64)>,
    /// The index of the class holding the variable's default.
    pub default: usize,
}

impl Domain {
    /// The class holding `value`, if the domain has one: the interval around it for an integer
    /// (a binary search), the value itself for a bool or an enumeration.
    pub fn class_of(&self, value: i64) -> Option<usize> {
        if self.intervals.is_empty() {
            return self.values.binary_search(&value).ok();
        }
        let after = self.intervals.partition_point(|&(lo, _)| lo <= value);
        let class = after.checked_sub(1)?;
        let (lo, hi) = *self.intervals.get(class)?;
        (lo..=hi).contains(&value).then_some(class)
    }

    /// The classes, in order, whose value `x` makes `x + offset in SET` hold (`+` saturating, as
    /// everywhere in conditions). Each value of the set is found by a binary search, not compared
    /// with every class, which would be quadratic in a long list; only the two ends of the 64-bit
    /// range, which `x + offset` reaches by saturating from any number of classes, are compared
    /// with every class.
    pub fn classes_in(&self, offset: i64, set: &[Value]) -> Vec<usize> {
        let mut values: Vec<i64> = set.iter().map(|v| value_to_i64(*v)).collect();
        values.sort_unstable();
        values.dedup();
        let holds = |class: usize, value: i64| {
            self.values
                .get(class)
                .is_some_and(|x| x.saturating_add(offset) == value)
        };
        let mut classes = Vec::new();
        for value in values {
            if value == i64::MIN || value == i64::MAX {
                classes.extend((0..self.values.len()).filter(|&class| holds(class, value)));
            } else if let Some(class) = value.checked_sub(offset).and_then(|c| self.class_of(c))
                && holds(class, value)
            {
                classes.push(class);
            }
        }
        classes.sort_unstable();
        classes.dedup();
        classes
    }
}

/// Conditions the analysis cannot split exactly (integer variables compared with each other, or
/// added, with more than [`MAX_COMBINATIONS`] combinations of values).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotSplittable {
    pub why: String,
    /// The comparison that cannot be split.
    pub at: Span,
}

/// `x + offset`: a variable with a constant added, or a constant alone (`var` = None).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term {
    pub var: Option<VarId>,
    pub offset: i64,
}

/// An integer-valued expression as a term, if it is one.
pub fn term(expr: &Expr) -> Option<Term> {
    match &expr.kind {
        ExprKind::Const(v) => Some(Term {
            var: None,
            offset: value_to_i64(*v),
        }),
        ExprKind::Var(v) => Some(Term {
            var: Some(*v),
            offset: 0,
        }),
        ExprKind::Sum(first, rest) => {
            let mut t = term(first)?;
            for (op, e) in rest {
                let u = term(e)?;
                if t.var.is_some() && u.var.is_some() {
                    return None;
                }
                let offset = match op {
                    AddOp::Add => t.offset.checked_add(u.offset)?,
                    AddOp::Sub => {
                        if u.var.is_some() {
                            return None; // `c - x`: negated variable, not supported
                        }
                        t.offset.checked_sub(u.offset)?
                    }
                };
                t = Term {
                    var: t.var.or(u.var),
                    offset,
                };
            }
            Some(t)
        }
        _ => None,
    }
}

/// Adds the variables of an integer sum (`a + b - 2`) to `out`, as often as they occur (sort and
/// dedup them for a set); `None` when the expression is not a sum of variables and constants.
pub fn sum_vars(expr: &Expr, out: &mut Vec<VarId>) -> Option<()> {
    match &expr.kind {
        ExprKind::Const(_) => Some(()),
        ExprKind::Var(v) => {
            out.push(*v);
            Some(())
        }
        ExprKind::Sum(first, rest) => {
            sum_vars(first, out)?;
            rest.iter().try_for_each(|(_, e)| sum_vars(e, out))
        }
        _ => None,
    }
}

/// The value of an integer sum with its variables' values given by `value_of_var`, computed as a
/// run computes it (left to right, saturating).
pub fn value_of(expr: &Expr, value_of_var: &dyn Fn(VarId) -> Option<i64>) -> Option<i64> {
    match &expr.kind {
        ExprKind::Const(v) => Some(value_to_i64(*v)),
        ExprKind::Var(v) => value_of_var(*v),
        ExprKind::Sum(first, rest) => rest
            .iter()
            .try_fold(value_of(first, value_of_var)?, |acc, (op, e)| {
                Some(sum(*op, acc, value_of(e, value_of_var)?))
            }),
        _ => None,
    }
}

/// The domains of a workflow's variables, cut by its link conditions.
pub fn domains(program: &Program, workflow: &Workflow) -> Result<Vec<Domain>, NotSplittable> {
    let mut cuts: Vec<Vec<i64>> = vec![Vec::new(); workflow.vars.len()];
    let mut single_values = vec![false; workflow.vars.len()];
    for link in &workflow.links {
        if let Some(c) = &link.condition {
            collect_cuts(c, workflow, &mut cuts, &mut single_values)?;
        }
    }
    Ok(workflow
        .vars
        .iter()
        .enumerate()
        .map(|(v, var)| {
            let default = value_to_i64(var.default);
            match var.ty {
                Type::Bool => Domain {
                    var: VarId::from_index(v),
                    ty: var.ty,
                    values: vec![0, 1],
                    intervals: Vec::new(),
                    default: usize::from(default != 0),
                },
                Type::Int { min, max } => {
                    let intervals = if single_values[v] {
                        // At most MAX_COMBINATIONS values (`combinations` made sure).
                        (min..=max).map(|x| (x, x)).collect()
                    } else {
                        split(min, max, &mut cuts[v])
                    };
                    let values: Vec<i64> =
                        intervals.iter().map(|&(lo, hi)| 0.clamp(lo, hi)).collect();
                    let default = intervals
                        .iter()
                        .position(|&(lo, hi)| (lo..=hi).contains(&default))
                        .unwrap_or(0);
                    Domain {
                        var: VarId::from_index(v),
                        ty: var.ty,
                        values,
                        intervals,
                        default,
                    }
                }
                _ => {
                    let members = match var.ty {
                        Type::Enum(id) => program.enum_type(id).members.len().max(1),
                        _ => 1,
                    };
                    Domain {
                        var: VarId::from_index(v),
                        ty: var.ty,
                        values: (0..members as i64).collect(),
                        intervals: Vec::new(),
                        default: usize::try_from(default).unwrap_or(0),
                    }
                }
            }
        })
        .collect())
}

fn collect_cuts(
    expr: &Expr,
    workflow: &Workflow,
    cuts: &mut [Vec<i64>],
    single_values: &mut [bool],
) -> Result<(), NotSplittable> {
    let mut problem: Option<(String, Span)> = None;
    expr.walk_scope(&mut |e| {
        if problem.is_some() {
            return;
        }
        match &e.kind {
            ExprKind::Compare(_, lhs, rhs) => {
                let int = |x: &Expr| matches!(x.ty, Type::Int { .. });
                if !int(lhs) && !int(rhs) {
                    return;
                }
                // One variable against a constant cuts it; several are split into their values.
                let what = match (term(lhs), term(rhs)) {
                    (Some(a), Some(b)) => match (a.var, b.var) {
                        (Some(v), None) => return add_cut(cuts, v, b.offset.checked_sub(a.offset)),
                        (None, Some(v)) => return add_cut(cuts, v, a.offset.checked_sub(b.offset)),
                        (None, None) => return,
                        (Some(_), Some(_)) => "two integer variables are compared",
                    },
                    _ => "a condition adds integer variables together",
                };
                problem = split_into_values(&[lhs, rhs], workflow, single_values, what)
                    .map(|why| (why, e.span));
            }
            ExprKind::In(lhs, set) if matches!(lhs.ty, Type::Int { .. }) => match term(lhs) {
                Some(Term {
                    var: Some(v),
                    offset,
                }) => {
                    for value in set {
                        add_cut(cuts, v, value_to_i64(*value).checked_sub(offset));
                    }
                }
                Some(_) => {}
                None => {
                    problem = split_into_values(
                        &[lhs],
                        workflow,
                        single_values,
                        "a condition adds integer variables together",
                    )
                    .map(|why| (why, e.span));
                }
            },
            _ => {}
        }
    });
    match problem {
        Some((why, at)) => Err(NotSplittable { why, at }),
        None => Ok(()),
    }
}

/// Marks the integer variables of `sides` to be split into their single values, when their ranges
/// have at most [`MAX_COMBINATIONS`] combinations of values; else says why they cannot be (`what`
/// the condition does, and how many combinations it would take).
fn split_into_values(
    sides: &[&Expr],
    workflow: &Workflow,
    single_values: &mut [bool],
    what: &str,
) -> Option<String> {
    let mut vars = Vec::new();
    if sides.iter().any(|e| sum_vars(e, &mut vars).is_none()) {
        return Some(what.to_owned());
    }
    vars.sort_unstable();
    vars.dedup();
    let mut combinations: u64 = 1;
    for v in &vars {
        let size = match workflow.vars.get(v.index()).map(|var| var.ty) {
            Some(Type::Int { min, max }) => u64::try_from(i128::from(max) - i128::from(min) + 1),
            _ => Ok(1),
        };
        combinations = combinations.saturating_mul(size.unwrap_or(u64::MAX));
    }
    if combinations > MAX_COMBINATIONS {
        return Some(format!(
            "{what}, with more than {MAX_COMBINATIONS} combinations of their values"
        ));
    }
    for v in vars {
        if let Some(slot) = single_values.get_mut(v.index()) {
            *slot = true;
        }
    }
    None
}

/// `x OP c` for every OP is decided by which of `..c-1`, `c`, `c+1..` holds `x`: cut before `c`
/// and after it.
fn add_cut(cuts: &mut [Vec<i64>], v: VarId, c: Option<i64>) {
    if let (Some(list), Some(c)) = (cuts.get_mut(v.index()), c) {
        list.push(c);
        if let Some(next) = c.checked_add(1) {
            list.push(next);
        }
    }
}

/// `min..=max` cut at each point (an interval starts at each cut).
fn split(min: i64, max: i64, cuts: &mut Vec<i64>) -> Vec<(i64, i64)> {
    cuts.retain(|&c| c > min && c <= max);
    cuts.sort_unstable();
    cuts.dedup();
    let mut intervals = Vec::with_capacity(cuts.len() + 1);
    let mut lo = min;
    for &c in cuts.iter() {
        intervals.push((lo, c - 1));
        lo = c;
    }
    intervals.push((lo, max));
    intervals
}

/// Whether `value OP c` holds for every value of the interval (cuts make it all or none).
pub fn holds(op: CmpOp, value: i64, c: i64) -> bool {
    crate::sim::code::compare(op, value, c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int_domain(min: i64, max: i64, cuts: &[i64]) -> Domain {
        let mut list = Vec::new();
        for &c in cuts {
            list.push(c);
            if let Some(next) = c.checked_add(1) {
                list.push(next);
            }
        }
        let intervals = split(min, max, &mut list);
        Domain {
            var: VarId::from_index(0),
            ty: Type::Int { min, max },
            values: intervals.iter().map(|&(lo, hi)| 0.clamp(lo, hi)).collect(),
            intervals,
            default: 0,
        }
    }

    /// What the analysis did before `classes_in`: every value compared with every class.
    fn scan(domain: &Domain, offset: i64, set: &[i64]) -> Vec<usize> {
        (0..domain.values.len())
            .filter(|&i| {
                set.iter()
                    .any(|&v| holds(CmpOp::Eq, domain.values[i].saturating_add(offset), v))
            })
            .collect()
    }

    #[test]
    fn classes_in_finds_what_a_scan_finds() {
        let (min, max) = (i64::MIN, i64::MAX);
        let sets: &[&[i64]] = &[
            &[0, 5, 5, -3],
            &[max, min, 7],
            &[max - 1, max],
            &[min + 1, min],
            &[],
        ];
        for offset in [0, 1, -1, 5, max, min] {
            for set in sets {
                // Cut where the analysis cuts: at each value minus the offset.
                let cuts: Vec<i64> = set.iter().filter_map(|v| v.checked_sub(offset)).collect();
                for (lo, hi) in [(min, max), (-10, 10), (0, 3)] {
                    let domain = int_domain(lo, hi, &cuts);
                    let values: Vec<Value> = set.iter().map(|&v| Value::Int(v)).collect();
                    assert_eq!(
                        domain.classes_in(offset, &values),
                        scan(&domain, offset, set),
                        "x + {offset} in {set:?}, x in {lo}..{hi}"
                    );
                }
            }
        }
    }

    #[test]
    fn class_of_a_member_is_the_member() {
        let domain = Domain {
            var: VarId::from_index(0),
            ty: Type::Bool,
            values: vec![0, 1, 2],
            intervals: Vec::new(),
            default: 0,
        };
        assert_eq!(domain.class_of(2), Some(2));
        assert_eq!(domain.class_of(3), None);
        let values = [Value::Bool(true), Value::Bool(true)];
        assert_eq!(domain.classes_in(0, &values), vec![1]);
    }
}
