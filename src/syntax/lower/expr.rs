//! Expressions: the grammar gives a flat row of operands and operators; precedence climbing
//! builds the tree, with chains (`a or b or …`, `x + 1 + …`) kept flat and nesting bounded.

use pest::iterators::Pairs;

use super::{Lower, P};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::*;
use crate::syntax::parser::Rule;
use crate::syntax::scan::MAX_NESTING;

impl Lower<'_> {
    /// Lowers a flat `expr` pair, applying precedence. `depth` counts enclosing parentheses,
    /// `not`s and filters, bounded by [`MAX_NESTING`].
    pub(super) fn expr(&mut self, pair: P<'_>, depth: usize) -> Expr {
        let span = self.span(&pair);
        let mut tokens: smallvec::SmallVec<[Token; 8]> = smallvec::SmallVec::new();
        let mut nots: Vec<Span> = Vec::new();
        for child in pair.into_inner() {
            let child_span = self.span(&child);
            let token = match child.as_rule() {
                Rule::not_op => {
                    nots.push(child_span);
                    continue;
                }
                Rule::or_op => Token::Op(Op::Or, child_span),
                Rule::and_op => Token::Op(Op::And, child_span),
                Rule::cmp_op => Token::Op(Op::Cmp(cmp_op(child.as_str())), child_span),
                Rule::add_op => {
                    let op = if child.as_str() == "+" {
                        AddOp::Add
                    } else {
                        AddOp::Sub
                    };
                    Token::Op(Op::Add(op), child_span)
                }
                Rule::in_suffix => {
                    let set = match child.into_inner().next() {
                        Some(list) if list.as_rule() == Rule::value_list => {
                            let list_span = self.span(&list);
                            let set: Vec<Expr> =
                                list.into_inner().map(|a| self.atom(a, depth)).collect();
                            if set.is_empty() {
                                self.empty_list(list_span, "`in`");
                            }
                            set
                        }
                        Some(atom) => vec![self.atom(atom, depth)],
                        None => Vec::new(),
                    };
                    Token::In(set, child_span)
                }
                _ => {
                    // The `not`s before an atom count toward the depth of what is inside it.
                    let atom = self.atom(child, depth + nots.len());
                    Token::Operand(std::mem::take(&mut nots), atom)
                }
            };
            tokens.push(token);
        }
        let mut climb = Climb {
            tokens: tokens.into_iter().peekable(),
            lower: self,
            depth,
        };
        let expr = climb.or();
        // Only `+`/`-` after an `in` list is left: `in` ends a comparison.
        if let Some(extra) = climb.tokens.next() {
            let at = extra.span();
            let operator = self.text.get(at.range()).unwrap_or("this");
            self.push(
                Diagnostic::new(
                    Code::E0001,
                    format!("`{operator}` cannot follow an `in` list"),
                    at,
                    "after the `in` list",
                )
                .with_help(
                    "`x in [a, b]` is a whole comparison; put a sum before `in`, in parentheses",
                ),
            );
            return Expr {
                kind: ExprKind::Error,
                span,
            };
        }
        if expr.kind == ExprKind::Error && expr.span.is_empty() {
            return Expr {
                kind: ExprKind::Error,
                span,
            };
        }
        expr
    }

    pub(super) fn atom(&mut self, pair: P<'_>, depth: usize) -> Expr {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::paren => {
                if depth + 1 > MAX_NESTING {
                    return self.too_deep(span);
                }
                match pair.into_inner().next() {
                    Some(inner) => {
                        let mut expr = self.expr(inner, depth + 1);
                        expr.span = span;
                        return expr;
                    }
                    None => ExprKind::Error,
                }
            }
            Rule::bool_lit => ExprKind::Bool(pair.as_str() == "true"),
            Rule::int => match self.int(pair.as_str(), span) {
                Some(n) => ExprKind::Int(n),
                None => ExprKind::Error,
            },
            Rule::decimal => match self.decimal(pair.as_str(), span) {
                Some(x) => ExprKind::Decimal(x),
                None => ExprKind::Error,
            },
            Rule::string => ExprKind::Str(self.string(pair).text),
            Rule::state_kw => ExprKind::State,
            Rule::path => match self.path(pair) {
                Some(path) => ExprKind::Path(path),
                None => ExprKind::Error,
            },
            Rule::link_ref => {
                let mut parts = pair.into_inner();
                let (Some(source), Some(target)) = (parts.next(), parts.next()) else {
                    return self.unexpected_expr(Rule::link_ref, span);
                };
                ExprKind::Link {
                    source: self.name(source),
                    target: self.name(target),
                    on_error: parts.next().is_some(),
                }
            }
            Rule::quantifier => {
                let mut parts = pair.into_inner();
                let kind = match parts.next().map(|p| p.as_str()) {
                    Some("any") => QuantKind::Any,
                    Some("all") => QuantKind::All,
                    Some("no") => QuantKind::No,
                    Some(_) => QuantKind::Count,
                    None => return self.unexpected_expr(Rule::quantifier, span),
                };
                let Some(children) = parts.next().map(|p| self.name(p)) else {
                    return self.unexpected_expr(Rule::quantifier, span);
                };
                let mut states = None;
                let mut filter = None;
                for part in parts {
                    let is_in = part.as_rule() == Rule::quant_in;
                    let Some(value) = part.into_inner().next() else {
                        continue;
                    };
                    if is_in {
                        let value_span = self.span(&value);
                        let names = self.names(Pairs::single(value));
                        match self.non_empty(names, value_span, "a quantifier's `in`") {
                            Some(names) => states = Some(names.into_vec()),
                            None => {
                                return Expr {
                                    kind: ExprKind::Error,
                                    span,
                                };
                            }
                        }
                    } else if depth + 1 > MAX_NESTING {
                        return self.too_deep(span);
                    } else {
                        filter = Some(Box::new(self.atom(value, depth + 1)));
                    }
                }
                ExprKind::Quantifier {
                    kind,
                    children,
                    states,
                    filter,
                }
            }
            other => return self.unexpected_expr(other, span),
        };
        Expr { kind, span }
    }

    pub(super) fn too_deep(&mut self, span: Span) -> Expr {
        self.push(
            Diagnostic::new(
                Code::E0003,
                format!("expression nested more than {MAX_NESTING} levels deep"),
                span,
                "too deep",
            )
            .with_help(
                "split the expression with views, or remove redundant parentheses and `not`s",
            ),
        );
        Expr {
            kind: ExprKind::Error,
            span,
        }
    }

    pub(super) fn unexpected_expr(&mut self, rule: Rule, span: Span) -> Expr {
        self.unexpected::<()>(rule, span, "an expression");
        Expr {
            kind: ExprKind::Error,
            span,
        }
    }
}

fn cmp_op(text: &str) -> CmpOp {
    match text {
        "==" => CmpOp::Eq,
        "!=" => CmpOp::Ne,
        "<" => CmpOp::Lt,
        "<=" => CmpOp::Le,
        ">" => CmpOp::Gt,
        _ => CmpOp::Ge,
    }
}

// ---- precedence climbing over the flat token row ------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Or,
    And,
    Cmp(CmpOp),
    Add(AddOp),
}

enum Token {
    /// An atom and the `not`s written before it.
    Operand(Vec<Span>, Expr),
    Op(Op, Span),
    /// `in SET`
    In(Vec<Expr>, Span),
}

impl Token {
    fn span(&self) -> Span {
        match self {
            Token::Operand(_, expr) => expr.span,
            Token::Op(_, span) | Token::In(_, span) => *span,
        }
    }
}

/// Levels, loosest first: `or`, `and`, `not` (prefix), comparison / `in`, `+ -`. Each level is a
/// loop over its operator, so a long chain never deepens the recursion.
struct Climb<'l, 'a, I: Iterator<Item = Token>> {
    tokens: std::iter::Peekable<I>,
    lower: &'l mut Lower<'a>,
    depth: usize,
}

impl<I: Iterator<Item = Token>> Climb<'_, '_, I> {
    fn or(&mut self) -> Expr {
        self.logic(LogicOp::Or)
    }

    fn logic(&mut self, op: LogicOp) -> Expr {
        let (token_op, next): (Op, fn(&mut Self) -> Expr) = match op {
            LogicOp::Or => (Op::Or, |c| c.logic(LogicOp::And)),
            LogicOp::And => (Op::And, Self::not),
        };
        let first = next(self);
        let mut operands = vec![first];
        while matches!(self.tokens.peek(), Some(Token::Op(o, _)) if *o == token_op) {
            self.tokens.next();
            operands.push(next(self));
        }
        if operands.len() == 1 {
            return operands.pop().unwrap_or_else(error_expr);
        }
        let span = span_of(&operands);
        Expr {
            kind: ExprKind::Logic(op, operands),
            span,
        }
    }

    fn not(&mut self) -> Expr {
        let nots = match self.tokens.peek_mut() {
            Some(Token::Operand(nots, _)) => std::mem::take(nots),
            _ => Vec::new(),
        };
        let mut expr = self.compare();
        if self.depth + nots.len() > MAX_NESTING {
            let span = nots.first().copied().unwrap_or_default().to(expr.span);
            if expr.kind == ExprKind::Error {
                // Already reported, deeper inside.
                return Expr {
                    kind: ExprKind::Error,
                    span,
                };
            }
            return self.lower.too_deep(span);
        }
        for not in nots.into_iter().rev() {
            let span = not.to(expr.span);
            expr = Expr {
                kind: ExprKind::Not(Box::new(expr)),
                span,
            };
        }
        expr
    }

    fn compare(&mut self) -> Expr {
        let lhs = self.sum();
        let mut result = match self.tokens.peek() {
            Some(Token::Op(Op::Cmp(op), _)) => {
                let op = *op;
                self.tokens.next();
                let rhs = self.sum();
                let span = lhs.span.to(rhs.span);
                Expr {
                    kind: ExprKind::Compare(op, Box::new([lhs, rhs])),
                    span,
                }
            }
            Some(Token::In(..)) => match self.tokens.next() {
                Some(Token::In(set, in_span)) => {
                    let span = lhs.span.to(in_span);
                    Expr {
                        kind: ExprKind::In(Box::new(lhs), set),
                        span,
                    }
                }
                _ => lhs,
            },
            _ => return lhs,
        };
        // `a < b < c`: report once, and read the rest so the expression is still whole.
        let mut chained = false;
        loop {
            match self.tokens.peek() {
                Some(Token::Op(Op::Cmp(_), span)) | Some(Token::In(_, span)) => {
                    let span = *span;
                    if !chained {
                        self.lower.push(
                            Diagnostic::new(
                                Code::E0006,
                                "comparisons cannot be chained",
                                span,
                                "a second comparison",
                            )
                            .with_label(result.span, "this is already a comparison")
                            .with_help("join two comparisons with `and`, or add parentheses"),
                        );
                        chained = true;
                    }
                    if let Some(Token::In(..)) = self.tokens.next() {
                        continue;
                    }
                    let rhs = self.sum();
                    result.span = result.span.to(rhs.span);
                    result.kind = ExprKind::Error;
                }
                _ => return result,
            }
        }
    }

    fn sum(&mut self) -> Expr {
        let first = self.operand();
        let mut rest = Vec::new();
        while let Some(Token::Op(Op::Add(op), _)) = self.tokens.peek() {
            let op = *op;
            self.tokens.next();
            rest.push((op, self.operand()));
        }
        if rest.is_empty() {
            return first;
        }
        let span = rest
            .last()
            .map_or(first.span, |(_, last)| first.span.to(last.span));
        Expr {
            kind: ExprKind::Sum(Box::new(first), rest),
            span,
        }
    }

    /// An atom; `not` is not allowed here (it binds looser than comparisons and `+ -`).
    fn operand(&mut self) -> Expr {
        match self.tokens.next() {
            Some(Token::Operand(nots, expr)) => {
                if let Some(&first) = nots.first() {
                    let negated = self
                        .lower
                        .text
                        .get(first.to(expr.span).range())
                        .unwrap_or("not …");
                    self.lower.push(
                        Diagnostic::new(
                            Code::E0001,
                            "`not` cannot stand here without parentheses",
                            first,
                            "`not` binds looser than comparisons and `+ -`",
                        )
                        .with_help(format!(
                            "write `({negated})`, or move `not` before the comparison"
                        )),
                    );
                    return Expr {
                        kind: ExprKind::Error,
                        span: first.to(expr.span),
                    };
                }
                expr
            }
            Some(other) => {
                let span = other.span();
                self.lower.push(Diagnostic::new(
                    Code::E0007,
                    "internal error: an operator where an operand was expected",
                    span,
                    "wfl could not read this",
                ));
                Expr {
                    kind: ExprKind::Error,
                    span,
                }
            }
            None => error_expr(),
        }
    }
}

fn error_expr() -> Expr {
    Expr {
        kind: ExprKind::Error,
        span: Span::default(),
    }
}

fn span_of(exprs: &[Expr]) -> Span {
    match (exprs.first(), exprs.last()) {
        (Some(first), Some(last)) => first.span.to(last.span),
        _ => Span::default(),
    }
}
