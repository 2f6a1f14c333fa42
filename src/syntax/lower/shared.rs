//! What items share: variables and properties, literals and numbers, names and strings, lists of
//! names, and the clauses a statement may give only once.

use pest::iterators::Pairs;

use super::{Clauses, Lower, P};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::*;
use crate::syntax::parser::Rule;

impl Lower<'_> {
    /// `[initial] input var …`: the variable, with when the outside may set it.
    pub(super) fn input_decl(&mut self, pair: P<'_>) -> Option<VarDecl> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let kind = inner.next()?;
        let input = if kind.as_str().starts_with("initial") {
            Input::Initial
        } else {
            Input::AnyTime
        };
        let mut var = self.var_decl(inner.next()?)?;
        var.input = Some(input);
        // The declaration starts at its first word, where its doc comment ends.
        var.doc = self.doc(span.start as usize);
        var.span = span;
        Some(var)
    }

    pub(super) fn var_decl(&mut self, pair: P<'_>) -> Option<VarDecl> {
        let span = self.span(&pair);
        let doc = self.doc(span.start as usize);
        let mut inner = pair.into_inner();
        let name = self.name(inner.next()?);
        let ty_pair = inner.next()?;
        let ty_span = self.span(&ty_pair);
        let kind = match ty_pair.as_rule() {
            Rule::bool_type => TypeExprKind::Bool,
            Rule::int_type => {
                let range = match ty_pair.into_inner().next() {
                    Some(range) => {
                        let mut bounds = range.into_inner();
                        let low = self.literal(bounds.next()?)?;
                        let high = self.literal(bounds.next()?)?;
                        Some((low, high))
                    }
                    None => None,
                };
                TypeExprKind::Int(range)
            }
            Rule::enum_type => {
                TypeExprKind::Enum(ty_pair.into_inner().map(|p| self.name(p)).collect())
            }
            other => return self.unexpected(other, ty_span, "a type"),
        };
        let default = match inner.next() {
            Some(p) => Some(self.literal(p)?),
            None => None,
        };
        Some(VarDecl {
            doc,
            input: None,
            name,
            ty: TypeExpr {
                kind,
                span: ty_span,
            },
            default,
            span,
        })
    }

    pub(super) fn property(&mut self, pair: P<'_>) -> Option<Property> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let key = self.name(inner.next()?);
        let value = self.literal(inner.next()?)?;
        Some(Property { key, value, span })
    }

    /// A literal value: `true`, `3`, `0.5`, `"text"`, `name` or `[a, b]`.
    pub(super) fn literal(&mut self, pair: P<'_>) -> Option<Literal> {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::bool_lit => LiteralKind::Bool(pair.as_str() == "true"),
            Rule::int => LiteralKind::Int(self.int(pair.as_str(), span)?),
            Rule::decimal => LiteralKind::Decimal(self.decimal(pair.as_str(), span)?),
            Rule::string => LiteralKind::Str(self.string(pair).text),
            Rule::ident => LiteralKind::Ident(pair.as_str().into()),
            Rule::name_list => LiteralKind::List(pair.into_inner().map(|p| self.name(p)).collect()),
            other => return self.unexpected(other, span, "a value"),
        };
        Some(Literal { kind, span })
    }

    pub(super) fn int(&mut self, text: &str, span: Span) -> Option<i64> {
        match text.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.push(
                    Diagnostic::new(
                        Code::E0005,
                        format!("integer `{}` is too large", shorten(text)),
                        span,
                        "does not fit in 64 bits",
                    )
                    .with_note(format!(
                        "integers range from {} to {}",
                        i64::MIN,
                        i64::MAX
                    )),
                );
                None
            }
        }
    }

    pub(super) fn decimal(&mut self, text: &str, span: Span) -> Option<f64> {
        match text.parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            _ => {
                self.push(Diagnostic::new(
                    Code::E0005,
                    format!("decimal `{}` is out of range", shorten(text)),
                    span,
                    "not a finite number",
                ));
                None
            }
        }
    }

    /// A name from an `ident`, `dotted` or `string` pair.
    pub(super) fn name(&mut self, pair: P<'_>) -> Name {
        match pair.as_rule() {
            Rule::string => self.string(pair),
            _ => Name {
                text: pair.as_str().into(),
                span: self.span(&pair),
            },
        }
    }

    /// The value of a string literal, escapes resolved (`\"`, `\\`, `\n`, `\t`).
    pub(super) fn string(&mut self, pair: P<'_>) -> Name {
        let span = self.span(&pair);
        let raw = pair.as_str();
        let body = raw
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap_or(raw);
        let mut text = String::with_capacity(body.len());
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                text.push(c);
                continue;
            }
            match chars.next() {
                Some((_, '"')) => text.push('"'),
                Some((_, '\\')) => text.push('\\'),
                Some((_, 'n')) => text.push('\n'),
                Some((_, 't')) => text.push('\t'),
                Some((j, other)) => {
                    let at = span.start as usize + 1 + i;
                    self.push(
                        Diagnostic::new(
                            Code::E0001,
                            format!("unknown escape `\\{}` in a string", other.escape_debug()),
                            Span::new(at, span.start as usize + 1 + j + other.len_utf8()),
                            "unknown escape",
                        )
                        .with_help(r#"the escapes are `\"`, `\\`, `\n` and `\t`"#),
                    );
                    text.push(other);
                }
                None => {}
            }
        }
        Name {
            text: text.into(),
            span,
        }
    }

    /// The names of a name or list pair; E0001 (and `None`) for an empty list.
    pub(super) fn non_empty_list(&mut self, pair: P<'_>, what: &str) -> Option<Names> {
        let span = self.span(&pair);
        let names = self.names(Pairs::single(pair));
        self.non_empty(names, span, what)
    }

    pub(super) fn non_empty(&mut self, names: Names, span: Span, what: &str) -> Option<Names> {
        if names.is_empty() {
            self.empty_list(span, what);
            return None;
        }
        Some(names)
    }

    pub(super) fn empty_list(&mut self, span: Span, what: &str) {
        self.push(
            Diagnostic::new(
                Code::E0001,
                format!("{what} lists nothing"),
                span,
                "an empty list",
            )
            .with_help("name at least one, or remove the statement"),
        );
    }

    pub(super) fn names(&mut self, pairs: Pairs<'_, Rule>) -> Names {
        let mut names = Names::new();
        for pair in pairs {
            match pair.as_rule() {
                Rule::name_list | Rule::state_list => names.extend(self.names(pair.into_inner())),
                _ => names.push(self.name(pair)),
            }
        }
        names
    }

    /// Records a clause of a statement; E0105 (and false) when the statement already has it.
    pub(super) fn first_time(
        &mut self,
        seen: &mut Clauses,
        clause: &'static str,
        span: Span,
    ) -> bool {
        let Some(&(_, first)) = seen.iter().find(|(c, _)| *c == clause) else {
            seen.push((clause, span));
            return true;
        };
        self.push(
            Diagnostic::new(
                Code::E0105,
                format!("`{clause}` is given twice"),
                span,
                "given again",
            )
            .with_label(first, "first given here")
            .with_help(match clause {
                "when" => "combine the conditions with `and`",
                "on" => "to take any of several events, name them in one `on`: `on go or start`",
                "by" => "one transition names one actor: write a second transition for the other",
                _ => "remove one of them",
            }),
        );
        false
    }

    /// The span of a `when EXPR` clause, from the span of its expression.
    pub(super) fn when_span(&self, expr: Span) -> Span {
        let before = self
            .text
            .get(..expr.start as usize)
            .unwrap_or("")
            .trim_end();
        match before.strip_suffix("when") {
            Some(rest) => Span::new(rest.len(), expr.end as usize),
            None => expr,
        }
    }
}

/// A number as shown in a message: at most 24 characters.
fn shorten(text: &str) -> String {
    if text.len() <= 24 {
        return text.to_owned();
    }
    format!("{}…", text.get(..20).unwrap_or(text))
}
