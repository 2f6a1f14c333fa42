//! Variable declarations: their types (ranges, enumerations, lists) and default values.

use super::*;

impl Resolver {
    /// A variable declaration's type and default value.
    pub(super) fn var(&mut self, decl: &ast::VarDecl) -> Var {
        let (ty, enum_members) = match &decl.ty.kind {
            ast::TypeExprKind::Bool => (Type::Bool, None),
            ast::TypeExprKind::Int(None) => (Type::INT, None),
            ast::TypeExprKind::Int(Some((low, high))) => {
                let (min, max) = (int_literal(low), int_literal(high));
                match (min, max) {
                    (Some(min), Some(max)) if min <= max => (Type::Int { min, max }, None),
                    (Some(min), Some(max)) => {
                        self.push(
                            Diagnostic::new(
                                Code::E0301,
                                format!("the range `{min}..{max}` is empty"),
                                decl.ty.span,
                                "its low end is above its high end",
                            )
                            .with_help(format!("write `int {max}..{min}`"))
                            .with_fix(
                                format!("write `int {max}..{min}`"),
                                decl.ty.span,
                                format!("int {max}..{min}"),
                            ),
                        );
                        (Type::INT, None)
                    }
                    _ => {
                        let bad = if min.is_none() { low } else { high };
                        self.push(Diagnostic::new(
                            Code::E0300,
                            "a range bound must be an integer",
                            bad.span,
                            "not an integer",
                        ));
                        (Type::INT, None)
                    }
                }
            }
            ast::TypeExprKind::Enum(members) => {
                let mut seen: FxHashMap<&str, Span> = FxHashMap::default();
                let mut kept = Vec::new();
                for member in members {
                    if self.reserved(
                        "enumeration member",
                        member,
                        EXPRESSION_KEYWORDS,
                        "is a keyword in expressions, where members are written",
                    ) {
                        continue;
                    }
                    if let Some(&first) = seen.get(member.as_str()) {
                        self.duplicate("enumeration member", member, first);
                    } else {
                        seen.insert(member.as_str(), member.span);
                        kept.push(member.clone());
                    }
                }
                let id = EnumId::from_index(self.program.enums.len());
                let index = (kept.iter().enumerate())
                    .map(|(i, m)| (m.text.clone(), u32::try_from(i).unwrap_or(u32::MAX)))
                    .collect();
                self.enum_members.push(index);
                self.program.enums.push(EnumType { members: kept });
                (Type::Enum(id), Some(id))
            }
        };
        let default = match &decl.default {
            None => self.zero(ty),
            Some(literal) => self.default_value(decl, literal, ty, enum_members),
        };
        Var {
            name: decl.name.clone(),
            doc: decl.doc.as_ref().map(|d| d.text.clone()),
            input: decl.input,
            ty,
            default,
            span: decl.span,
        }
    }

    /// The default of a type without an `= value`: `false`, `0` or the range's low end, the first
    /// member.
    pub(super) fn zero(&self, ty: Type) -> Value {
        match ty {
            Type::Bool => Value::Bool(false),
            Type::Int { .. } if ty == Type::INT => Value::Int(0),
            Type::Int { min, .. } => Value::Int(min),
            Type::Enum(id) => Value::Enum(id, 0),
            Type::State(m) => Value::State(m, StateId(0)),
            Type::TaskState => Value::TaskState(TaskState::WAITING),
            Type::LinkState => Value::LinkState(LinkState::ACCEPTED),
            Type::WorkflowState => Value::WorkflowState(WorkflowState::NOT_RUN),
        }
    }

    fn default_value(
        &mut self,
        decl: &ast::VarDecl,
        literal: &ast::Literal,
        ty: Type,
        enum_id: Option<EnumId>,
    ) -> Value {
        let value = match (&literal.kind, ty) {
            (ast::LiteralKind::Bool(b), Type::Bool) => Some(Value::Bool(*b)),
            (ast::LiteralKind::Int(n), Type::Int { .. }) => Some(Value::Int(*n)),
            (ast::LiteralKind::Ident(member), Type::Enum(_)) => {
                let id = enum_id.unwrap_or(EnumId(0));
                match self.enum_member(id, member) {
                    Some(i) => {
                        self.refer(literal.span, Def::Member(id, i));
                        Some(Value::Enum(id, i))
                    }
                    None => {
                        let members = &self.program.enum_type(id).members;
                        let close = self
                            .suggest
                            .did_you_mean(member, members.iter().map(Name::as_str));
                        let diagnostic = Diagnostic::new(
                            Code::E0101,
                            format!("`{member}` is not {}", self.type_words(ty)),
                            literal.span,
                            "unknown member",
                        )
                        .with_label(decl.ty.span, "the members are listed here")
                        .with_suggestion(close);
                        self.push(diagnostic);
                        return self.zero(ty);
                    }
                }
            }
            _ => None,
        };
        match value {
            Some(Value::Int(n)) => {
                if let Type::Int { min, max } = ty
                    && (n < min || n > max)
                {
                    self.push(
                        Diagnostic::new(
                            Code::E0302,
                            format!(
                                "the default `{n}` is outside `{min}..{max}`, the range of `{}`",
                                decl.name.as_str()
                            ),
                            literal.span,
                            "out of range",
                        )
                        .with_label(decl.ty.span, "the range is declared here"),
                    );
                }
                Value::Int(n)
            }
            Some(value) => value,
            None => {
                self.push(
                    Diagnostic::new(
                        Code::E0200,
                        format!(
                            "the default of `{}` must be {}",
                            decl.name.as_str(),
                            self.type_words(ty)
                        ),
                        literal.span,
                        format!("this is {}", literal_words(&literal.kind)),
                    )
                    .with_label(decl.ty.span, "the type is declared here"),
                );
                self.zero(ty)
            }
        }
    }

    /// Like [`Resolver::type_words`], for the type something was found to have: a bool is just
    /// "a bool" (the reader does not need to be told its values).
    pub(super) fn found_words(&self, ty: Type) -> String {
        match ty {
            Type::Bool => "a bool".to_owned(),
            _ => self.type_words(ty),
        }
    }

    /// "a bool", "an integer", "one of `full`, `delta`", "a state of `m`".
    pub(super) fn type_words(&self, ty: Type) -> String {
        match ty {
            Type::Bool => "a bool (`true` or `false`)".to_owned(),
            Type::Int { min, max } if ty != Type::INT => format!("an integer in `{min}..{max}`"),
            Type::Int { .. } => "an integer".to_owned(),
            Type::Enum(id) => {
                let members = self
                    .program
                    .enums
                    .get(id.index())
                    .map_or(&[][..], |e| &e.members);
                let members = members.iter().map(|m| format!("`{}`", m.as_str()));
                format!("one of {}", join_listed(members, ", "))
            }
            Type::State(m) => match self.program.machines.get(m.index()) {
                Some(machine) => format!("a state of `{}`", machine.name.as_str()),
                None => "a state".to_owned(),
            },
            Type::TaskState => "a task state".to_owned(),
            Type::LinkState => "a link state".to_owned(),
            Type::WorkflowState => "a workflow state".to_owned(),
        }
    }
}

fn int_literal(literal: &ast::Literal) -> Option<i64> {
    match literal.kind {
        ast::LiteralKind::Int(n) => Some(n),
        _ => None,
    }
}

pub(super) fn literal_words(kind: &ast::LiteralKind) -> &'static str {
    match kind {
        ast::LiteralKind::Bool(_) => "a bool",
        ast::LiteralKind::Int(_) => "an integer",
        ast::LiteralKind::Decimal(_) => "a decimal number",
        ast::LiteralKind::Str(_) => "a string",
        ast::LiteralKind::Ident(_) => "a name",
        ast::LiteralKind::List(_) => "a list",
    }
}
