//! Label and field selectors: parsing and matching, as the API server reads them.
//!
//! Label selectors arrive in two shapes: as text (the `labelSelector` query parameter,
//! `kubectl -l`), read by [`LabelSelector::parse`], and as objects (`spec.selector` of
//! Deployments, ReplicaSets, PodDisruptionBudgets, …), converted by [`LabelSelector::from_spec`].
//! Field selectors (`fieldSelector`, `kubectl --field-selector`) are read by
//! [`FieldSelector::parse`].
//!
//! Everything here follows k8s.io/apimachinery rule for rule (`pkg/labels/selector.go`,
//! `pkg/fields/selector.go`, `LabelSelectorAsSelector` in `pkg/apis/meta/v1/helpers.go`),
//! quirks included, so that what we accept, reject and match is what the API server would. The
//! few deliberate differences are all about error text or inputs no client sends on purpose:
//!
//! - Literals quoted in error messages are shortened past 80 bytes and have control characters
//!   escaped, so every message is one short line even for a pasted 100 KB selector.
//! - A label key that fails validation in text is reported at path `key` (upstream prints
//!   `<nil>`), and `spec` errors name the offending `matchLabels`/`matchExpressions[i]` entry.
//! - A NUL byte in a label selector is an ordinary (invalid) character; upstream's lexer treats
//!   it as end of input and silently ignores the rest of the selector.
//! - Field selector escape errors show the offending character (upstream prints its code point,
//!   `61` for `=`) and the term it was found in.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use serde::Deserialize;
use serde::de::Deserializer;

/// A set of labels a selector is matched against: an object's `metadata.labels`, or a form of
/// them kept more compactly.
pub trait Labels {
    /// The value of label `key`, if the set has it.
    fn label(&self, key: &str) -> Option<&str>;
}

impl Labels for BTreeMap<String, String> {
    fn label(&self, key: &str) -> Option<&str> {
        self.get(key).map(String::as_str)
    }
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Why a selector was rejected. The message is a single line and uses the API server's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorError {
    kind: SelectorErrorKind,
    message: String,
    offset: Option<usize>,
}

/// The broad class of a [`SelectorError`], for callers that react differently to each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SelectorErrorKind {
    /// The text does not follow the selector grammar (a missing operator, an unclosed `(`).
    Syntax,
    /// A label key is not a valid qualified name (`[prefix/]name`).
    InvalidKey,
    /// A value is malformed, or the operator has the wrong number of values.
    InvalidValue,
    /// A `matchExpressions` operator is not In, NotIn, Exists or DoesNotExist.
    UnsupportedOperator,
    /// A field selector value has a bad escape (`\a`, a trailing `\`) or an unescaped `,`/`=`.
    InvalidEscape,
}

impl SelectorError {
    fn new(kind: SelectorErrorKind, message: String, offset: Option<usize>) -> Self {
        SelectorError {
            kind,
            message,
            offset,
        }
    }

    fn syntax(message: String, offset: usize) -> Self {
        SelectorError::new(SelectorErrorKind::Syntax, message, Some(offset))
    }

    /// Upstream wraps every error raised inside one requirement with the same preamble.
    fn prefixed(mut self, prefix: &str) -> Self {
        self.message.insert_str(0, prefix);
        self
    }

    /// The class of problem.
    pub fn kind(&self) -> SelectorErrorKind {
        self.kind
    }

    /// The one-line message, identical to [`Display`](fmt::Display).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Byte offset into the parsed text where the problem is (the offending token, or the start
    /// of the requirement or term it belongs to); `None` for errors from objects.
    pub fn offset(&self) -> Option<usize> {
        self.offset
    }
}

impl fmt::Display for SelectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SelectorError {}

// ---------------------------------------------------------------------------------------------
// Label requirements
// ---------------------------------------------------------------------------------------------

/// The operator of one label requirement, as `k8s.io/apimachinery/pkg/selection` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LabelOperator {
    /// `key=value`
    Equals,
    /// `key==value`, the same test as `=` but remembered so it prints back as written.
    DoubleEquals,
    /// `key!=value`; also true when the label is absent.
    NotEquals,
    /// `key in (a,b)`
    In,
    /// `key notin (a,b)`; also true when the label is absent.
    NotIn,
    /// `key`
    Exists,
    /// `!key`
    DoesNotExist,
    /// `key>1`: the label parses as an integer greater than the value.
    GreaterThan,
    /// `key<1`: the label parses as an integer less than the value.
    LessThan,
}

impl LabelOperator {
    /// The operator's name in `k8s.io/apimachinery/pkg/selection` (`=`, `in`, `exists`, `gt`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            LabelOperator::Equals => "=",
            LabelOperator::DoubleEquals => "==",
            LabelOperator::NotEquals => "!=",
            LabelOperator::In => "in",
            LabelOperator::NotIn => "notin",
            LabelOperator::Exists => "exists",
            LabelOperator::DoesNotExist => "!",
            LabelOperator::GreaterThan => "gt",
            LabelOperator::LessThan => "lt",
        }
    }
}

impl fmt::Display for LabelOperator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One validated `key operator values` term of a label selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelRequirement {
    key: String,
    operator: LabelOperator,
    /// Kept in the order given (parsed selectors give them sorted and deduplicated), because
    /// upstream matches and compares the slice as given and only sorts when printing.
    values: Vec<String>,
}

impl LabelRequirement {
    /// Validates and builds a requirement, with upstream's `NewRequirement` rules: the key must
    /// be a qualified name, every value a label value; In/NotIn need at least one value,
    /// `=`/`==`/`!=` exactly one, Exists/DoesNotExist none, and Gt/Lt exactly one integer.
    pub fn new(
        key: impl Into<String>,
        operator: LabelOperator,
        values: Vec<String>,
    ) -> Result<Self, SelectorError> {
        build_requirement(key.into(), operator, values, Origin::Text, None)
    }

    /// The label key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The operator.
    pub fn operator(&self) -> LabelOperator {
        self.operator
    }

    /// The values, in the order they were given.
    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// Whether a set of labels satisfies this requirement. Absent labels satisfy only `!=`,
    /// `notin` and `!key`; Gt/Lt are false when either side is not an integer.
    pub fn matches<L: Labels + ?Sized>(&self, labels: &L) -> bool {
        let has_value = |value: &str| self.values.iter().any(|v| v == value);
        match self.operator {
            LabelOperator::In | LabelOperator::Equals | LabelOperator::DoubleEquals => {
                labels.label(&self.key).is_some_and(has_value)
            }
            LabelOperator::NotIn | LabelOperator::NotEquals => {
                !labels.label(&self.key).is_some_and(has_value)
            }
            LabelOperator::Exists => labels.label(&self.key).is_some(),
            LabelOperator::DoesNotExist => labels.label(&self.key).is_none(),
            LabelOperator::GreaterThan | LabelOperator::LessThan => {
                let Some(Ok(actual)) = labels.label(&self.key).map(|v| v.parse::<i64>()) else {
                    return false;
                };
                let [wanted] = self.values.as_slice() else {
                    return false;
                };
                let Ok(wanted) = wanted.parse::<i64>() else {
                    return false;
                };
                if self.operator == LabelOperator::GreaterThan {
                    actual > wanted
                } else {
                    actual < wanted
                }
            }
        }
    }
}

impl fmt::Display for LabelRequirement {
    /// `key=v`, `key in (a,b)`, `!key`, … with values sorted, as upstream's `String()`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.operator == LabelOperator::DoesNotExist {
            f.write_str("!")?;
        }
        f.write_str(&self.key)?;
        let (operator, parenthesised) = match self.operator {
            LabelOperator::Equals => ("=", false),
            LabelOperator::DoubleEquals => ("==", false),
            LabelOperator::NotEquals => ("!=", false),
            LabelOperator::In => (" in ", true),
            LabelOperator::NotIn => (" notin ", true),
            LabelOperator::GreaterThan => (">", false),
            LabelOperator::LessThan => ("<", false),
            LabelOperator::Exists | LabelOperator::DoesNotExist => return Ok(()),
        };
        f.write_str(operator)?;
        if parenthesised {
            f.write_str("(")?;
        }
        let mut values: Vec<&str> = self.values.iter().map(String::as_str).collect();
        values.sort_unstable();
        f.write_str(&values.join(","))?;
        if parenthesised {
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// Where a requirement came from, which decides the field paths its errors name.
#[derive(Debug, Clone, Copy)]
enum Origin<'a> {
    /// Selector text or a direct constructor: upstream's `key`, `values`, `values[i][key]`.
    Text,
    /// `matchExpressions[i]` of a spec.
    Expression(usize),
    /// One `matchLabels` entry of a spec.
    MatchLabels(&'a str),
}

impl Origin<'_> {
    fn key_path(self) -> String {
        match self {
            Origin::Text => "key".to_string(),
            Origin::Expression(index) => format!("matchExpressions[{index}].key"),
            Origin::MatchLabels(_) => "matchLabels".to_string(),
        }
    }

    fn values_path(self) -> String {
        match self {
            Origin::Text => "values".to_string(),
            Origin::Expression(index) => format!("matchExpressions[{index}].values"),
            Origin::MatchLabels(key) => format!("matchLabels[{}]", printable(key)),
        }
    }

    fn value_path(self, index: usize, key: &str) -> String {
        match self {
            // Upstream's `valuePath.Index(i).Key(key)`.
            Origin::Text => format!("values[{index}][{}]", printable(key)),
            Origin::Expression(_) => format!("{}[{index}]", self.values_path()),
            Origin::MatchLabels(_) => self.values_path(),
        }
    }
}

/// Upstream's `NewRequirement`: collects every problem, then reports them together.
fn build_requirement(
    key: String,
    operator: LabelOperator,
    values: Vec<String>,
    origin: Origin<'_>,
    offset: Option<usize>,
) -> Result<LabelRequirement, SelectorError> {
    use LabelOperator::*;
    let mut errors: Vec<(SelectorErrorKind, String)> = Vec::new();
    let key_problems = label_key_problems(&key);
    if !key_problems.is_empty() {
        let message = invalid_value(&origin.key_path(), &quote(&key), &key_problems.join("; "));
        errors.push((SelectorErrorKind::InvalidKey, message));
    }
    let values_path = origin.values_path();
    let count_problem = match operator {
        In | NotIn if values.is_empty() => {
            Some("for 'in', 'notin' operators, values set can't be empty")
        }
        Equals | DoubleEquals | NotEquals if values.len() != 1 => {
            Some("exact-match compatibility requires one single value")
        }
        Exists | DoesNotExist if !values.is_empty() => {
            Some("values set must be empty for exists and does not exist")
        }
        GreaterThan | LessThan if values.len() != 1 => {
            Some("for 'Gt', 'Lt' operators, exactly one value is required")
        }
        _ => None,
    };
    if let Some(detail) = count_problem {
        let message = invalid_value(&values_path, &quote_list(&values), detail);
        errors.push((SelectorErrorKind::InvalidValue, message));
    }
    if matches!(operator, GreaterThan | LessThan) {
        for (index, value) in values.iter().enumerate() {
            if value.parse::<i64>().is_err() {
                let message = invalid_value(
                    &format!("{values_path}[{index}]"),
                    &quote(value),
                    "for 'Gt', 'Lt' operators, the value must be an integer",
                );
                errors.push((SelectorErrorKind::InvalidValue, message));
            }
        }
    }
    for (index, value) in values.iter().enumerate() {
        let problems = label_value_problems(value);
        if !problems.is_empty() {
            let path = origin.value_path(index, &key);
            let message = invalid_value(&path, &quote(value), &problems.join("; "));
            errors.push((SelectorErrorKind::InvalidValue, message));
        }
    }
    if errors.is_empty() {
        Ok(LabelRequirement {
            key,
            operator,
            values,
        })
    } else {
        Err(aggregate(errors, offset))
    }
}

/// Upstream's `ErrorList.ToAggregate().Error()`: one message alone, several as `[a, b]`.
fn aggregate(errors: Vec<(SelectorErrorKind, String)>, offset: Option<usize>) -> SelectorError {
    let kind = errors
        .first()
        .map_or(SelectorErrorKind::InvalidValue, |(kind, _)| *kind);
    let mut messages: Vec<String> = Vec::with_capacity(errors.len());
    for (_, message) in errors {
        if !messages.contains(&message) {
            messages.push(message);
        }
    }
    let message = if messages.len() == 1 {
        messages.remove(0)
    } else {
        format!("[{}]", messages.join(", "))
    };
    SelectorError::new(kind, message, offset)
}

/// `field.Invalid(path, value, detail).Error()`.
fn invalid_value(path: &str, quoted_value: &str, detail: &str) -> String {
    format!("{path}: Invalid value: {quoted_value}: {detail}")
}

// ---------------------------------------------------------------------------------------------
// Label selectors
// ---------------------------------------------------------------------------------------------

/// A label selector: requirements that must all hold, or the selector that matches nothing.
///
/// The default selector matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelSelector {
    /// Sorted by key (stably, so duplicates keep their order), as upstream sorts them.
    requirements: Vec<LabelRequirement>,
    /// Upstream's `labels.Nothing()`, what a missing (`null`) object selector converts to.
    nothing: bool,
}

impl LabelSelector {
    /// The selector that matches every set of labels (upstream's `labels.Everything()`).
    pub fn everything() -> Self {
        LabelSelector::default()
    }

    /// The selector that matches no set of labels (upstream's `labels.Nothing()`); it prints as
    /// the empty string, like [`everything`](Self::everything), as upstream's does.
    pub fn nothing() -> Self {
        LabelSelector {
            requirements: Vec::new(),
            nothing: true,
        }
    }

    /// Parses selector text as the API server reads `labelSelector` (and `kubectl -l`).
    ///
    /// The grammar is comma-separated requirements, all of which must hold: `k=v`, `k==v`,
    /// `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, `k>1`, `k<1`. Spaces, tabs, `\r` and
    /// `\n` may surround any token; values may be empty (`k=`, `k in (a,)`). The empty string
    /// matches everything.
    pub fn parse(text: &str) -> Result<Self, SelectorError> {
        let parser = Parser {
            tokens: lex(text),
            position: 0,
        };
        Ok(LabelSelector::from_requirements(parser.parse()?))
    }

    /// A selector from already validated requirements, sorted by key like upstream's `Add`.
    pub fn from_requirements(mut requirements: Vec<LabelRequirement>) -> Self {
        requirements.sort_by(|a, b| a.key.cmp(&b.key));
        LabelSelector {
            requirements,
            nothing: false,
        }
    }

    /// A selector requiring every label of the map with its exact value, validating keys and
    /// values (upstream's `ValidatedSelectorFromSet`, for maps such as a Service's
    /// `spec.selector`). An empty map matches everything.
    pub fn from_set(labels: &BTreeMap<String, String>) -> Result<Self, SelectorError> {
        let requirements = labels
            .iter()
            .map(|(key, value)| {
                let values = vec![value.clone()];
                build_requirement(
                    key.clone(),
                    LabelOperator::Equals,
                    values,
                    Origin::Text,
                    None,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(LabelSelector::from_requirements(requirements))
    }

    /// Converts an object's `spec.selector` as upstream's `LabelSelectorAsSelector` does. An
    /// empty selector (`{}`) matches everything; see
    /// [`from_optional_spec`](Self::from_optional_spec) for an absent one.
    pub fn from_spec(spec: &LabelSelectorSpec) -> Result<Self, SelectorError> {
        let mut requirements =
            Vec::with_capacity(spec.match_labels.len() + spec.match_expressions.len());
        for (key, value) in &spec.match_labels {
            let values = vec![value.clone()];
            let origin = Origin::MatchLabels(key);
            requirements.push(build_requirement(
                key.clone(),
                LabelOperator::Equals,
                values,
                origin,
                None,
            )?);
        }
        for (index, expression) in spec.match_expressions.iter().enumerate() {
            let operator = match &expression.operator {
                LabelSelectorOperator::In => LabelOperator::In,
                LabelSelectorOperator::NotIn => LabelOperator::NotIn,
                LabelSelectorOperator::Exists => LabelOperator::Exists,
                LabelSelectorOperator::DoesNotExist => LabelOperator::DoesNotExist,
                LabelSelectorOperator::Unknown(name) => {
                    let message = format!(
                        "matchExpressions[{index}].operator: Unsupported value: {}: supported \
                         values: \"In\", \"NotIn\", \"Exists\", \"DoesNotExist\"",
                        quote(name)
                    );
                    return Err(SelectorError::new(
                        SelectorErrorKind::UnsupportedOperator,
                        message,
                        None,
                    ));
                }
            };
            requirements.push(build_requirement(
                expression.key.clone(),
                operator,
                expression.values.clone(),
                Origin::Expression(index),
                None,
            )?);
        }
        Ok(LabelSelector::from_requirements(requirements))
    }

    /// Converts an optional `spec.selector`: `None` (the field absent or `null`) matches
    /// nothing, as upstream's `LabelSelectorAsSelector(nil)` returns `labels.Nothing()`.
    pub fn from_optional_spec(spec: Option<&LabelSelectorSpec>) -> Result<Self, SelectorError> {
        match spec {
            Some(spec) => LabelSelector::from_spec(spec),
            None => Ok(LabelSelector::nothing()),
        }
    }

    /// Whether the labels satisfy every requirement.
    pub fn matches<L: Labels + ?Sized>(&self, labels: &L) -> bool {
        !self.nothing && self.requirements.iter().all(|r| r.matches(labels))
    }

    /// Whether the selector places no restriction at all (upstream's `Empty()`).
    pub fn matches_everything(&self) -> bool {
        !self.nothing && self.requirements.is_empty()
    }

    /// Whether this is the selector that matches nothing (upstream's `MatchesNothing`, which
    /// does not detect contradictions such as `a=x,a!=x` either).
    pub fn matches_nothing(&self) -> bool {
        self.nothing
    }

    /// The requirements, sorted by key.
    pub fn requirements(&self) -> &[LabelRequirement] {
        &self.requirements
    }

    /// The single value the selector requires for `key`, as upstream's `RequiresExactMatch`:
    /// only the first requirement on that key is consulted, and it must be `=`, `==`, or `in`
    /// with one value.
    pub fn requires_exact_match(&self, key: &str) -> Option<&str> {
        let requirement = self.requirements.iter().find(|r| r.key == key)?;
        match (requirement.operator, requirement.values.as_slice()) {
            (LabelOperator::Equals | LabelOperator::DoubleEquals | LabelOperator::In, [value]) => {
                Some(value)
            }
            _ => None,
        }
    }
}

impl fmt::Display for LabelSelector {
    /// The canonical text: requirements sorted by key, joined by `,` (upstream's `String()`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, requirement) in self.requirements.iter().enumerate() {
            if index > 0 {
                f.write_str(",")?;
            }
            write!(f, "{requirement}")?;
        }
        Ok(())
    }
}

impl FromStr for LabelSelector {
    type Err = SelectorError;

    fn from_str(text: &str) -> Result<Self, SelectorError> {
        LabelSelector::parse(text)
    }
}

// ---------------------------------------------------------------------------------------------
// Label selector lexer and parser (upstream's Lexer and Parser, token for token)
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenKind {
    EndOfString,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
}

#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    kind: TokenKind,
    text: &'a str,
    /// Byte offset of the token in the selector, for error positions.
    start: usize,
}

/// Upstream's whitespace: only these four; other spaces are part of identifiers.
fn is_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_special(byte: u8) -> bool {
    matches!(byte, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}

/// Splits selector text into tokens, always ending with `EndOfString`. Special symbols are read
/// longest-match (`!=` and `==` over `!` and `=`); anything else up to a special symbol or
/// whitespace is one identifier, `in` and `notin` being keywords. Every split point is an ASCII
/// byte, so each token is a valid `&str` even in non-ASCII input.
fn lex(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut position = 0;
    loop {
        while position < bytes.len() && is_whitespace(bytes[position]) {
            position += 1;
        }
        let start = position;
        let Some(&first) = bytes.get(start) else {
            tokens.push(Token {
                kind: TokenKind::EndOfString,
                text: "",
                start,
            });
            return tokens;
        };
        let kind = if is_special(first) {
            let pair = bytes.get(start..start + 2);
            let (kind, length) = match (first, pair) {
                (_, Some(b"!=")) => (TokenKind::NotEquals, 2),
                (_, Some(b"==")) => (TokenKind::DoubleEquals, 2),
                (b'=', _) => (TokenKind::Equals, 1),
                (b'!', _) => (TokenKind::DoesNotExist, 1),
                (b'(', _) => (TokenKind::OpenPar, 1),
                (b')', _) => (TokenKind::ClosedPar, 1),
                (b',', _) => (TokenKind::Comma, 1),
                (b'>', _) => (TokenKind::GreaterThan, 1),
                _ => (TokenKind::LessThan, 1),
            };
            position += length;
            kind
        } else {
            while position < bytes.len()
                && !is_special(bytes[position])
                && !is_whitespace(bytes[position])
            {
                position += 1;
            }
            match &text[start..position] {
                "in" => TokenKind::In,
                "notin" => TokenKind::NotIn,
                _ => TokenKind::Identifier,
            }
        };
        tokens.push(Token {
            kind,
            text: &text[start..position],
            start,
        });
    }
}

/// Whether `in`/`notin` are operators here or plain values (`x in (in)`, `notin=in`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    KeyAndOperator,
    Values,
}

struct Parser<'a> {
    /// Never empty: [`lex`] always ends it with `EndOfString`.
    tokens: Vec<Token<'a>>,
    /// Never past the final `EndOfString`; [`Parser::consume`] stops there.
    position: usize,
}

impl<'a> Parser<'a> {
    fn lookahead(&self, context: Context) -> Token<'a> {
        let mut token = self.tokens[self.position];
        if context == Context::Values && matches!(token.kind, TokenKind::In | TokenKind::NotIn) {
            token.kind = TokenKind::Identifier;
        }
        token
    }

    fn consume(&mut self, context: Context) -> Token<'a> {
        let token = self.lookahead(context);
        if self.position + 1 < self.tokens.len() {
            self.position += 1;
        }
        token
    }

    fn parse(mut self) -> Result<Vec<LabelRequirement>, SelectorError> {
        let mut requirements = Vec::new();
        loop {
            let token = self.lookahead(Context::Values);
            match token.kind {
                TokenKind::Identifier | TokenKind::DoesNotExist => {
                    let requirement = self
                        .parse_requirement()
                        .map_err(|e| e.prefixed("unable to parse requirement: "))?;
                    requirements.push(requirement);
                    let next = self.consume(Context::Values);
                    match next.kind {
                        TokenKind::EndOfString => return Ok(requirements),
                        TokenKind::Comma => {
                            let after = self.lookahead(Context::Values);
                            if !matches!(
                                after.kind,
                                TokenKind::Identifier | TokenKind::DoesNotExist
                            ) {
                                return Err(found(after, "identifier after ','"));
                            }
                        }
                        _ => return Err(found(next, "',' or 'end of string'")),
                    }
                }
                TokenKind::EndOfString => return Ok(requirements),
                _ => return Err(found(token, "!, identifier, or 'end of string'")),
            }
        }
    }

    fn parse_requirement(&mut self) -> Result<LabelRequirement, SelectorError> {
        let start = self.lookahead(Context::Values).start;
        let (key, inferred) = self.parse_key_and_infer_operator()?;
        if let Some(operator) = inferred {
            return build_requirement(
                key.to_string(),
                operator,
                Vec::new(),
                Origin::Text,
                Some(start),
            );
        }
        let operator = self.parse_operator()?;
        let values = match operator {
            LabelOperator::In | LabelOperator::NotIn => self.parse_values()?,
            _ => self.parse_exact_value()?,
        };
        // Upstream collects values in a set, so they arrive sorted and deduplicated.
        let values = values.into_iter().map(str::to_string).collect();
        build_requirement(key.to_string(), operator, values, Origin::Text, Some(start))
    }

    /// The key, and Exists/DoesNotExist when that is the whole requirement. A `!key` followed
    /// by more (`!x=a`) still yields DoesNotExist, and the caller then trips over the `=`.
    fn parse_key_and_infer_operator(
        &mut self,
    ) -> Result<(&'a str, Option<LabelOperator>), SelectorError> {
        let mut operator = None;
        let mut token = self.consume(Context::Values);
        if token.kind == TokenKind::DoesNotExist {
            operator = Some(LabelOperator::DoesNotExist);
            token = self.consume(Context::Values);
        }
        if token.kind != TokenKind::Identifier {
            return Err(found(token, "identifier"));
        }
        let problems = label_key_problems(token.text);
        if !problems.is_empty() {
            let message = invalid_value("key", &quote(token.text), &problems.join("; "));
            return Err(SelectorError::new(
                SelectorErrorKind::InvalidKey,
                message,
                Some(token.start),
            ));
        }
        let next = self.lookahead(Context::Values).kind;
        if matches!(next, TokenKind::EndOfString | TokenKind::Comma) && operator.is_none() {
            operator = Some(LabelOperator::Exists);
        }
        Ok((token.text, operator))
    }

    fn parse_operator(&mut self) -> Result<LabelOperator, SelectorError> {
        let token = self.consume(Context::KeyAndOperator);
        match token.kind {
            TokenKind::In => Ok(LabelOperator::In),
            TokenKind::Equals => Ok(LabelOperator::Equals),
            TokenKind::DoubleEquals => Ok(LabelOperator::DoubleEquals),
            TokenKind::GreaterThan => Ok(LabelOperator::GreaterThan),
            TokenKind::LessThan => Ok(LabelOperator::LessThan),
            TokenKind::NotIn => Ok(LabelOperator::NotIn),
            TokenKind::NotEquals => Ok(LabelOperator::NotEquals),
            _ => Err(found(token, "in, notin, =, ==, !=, gt, lt")),
        }
    }

    /// `( values )`, where `()` and empty list items stand for the empty value.
    fn parse_values(&mut self) -> Result<BTreeSet<&'a str>, SelectorError> {
        let open = self.consume(Context::Values);
        if open.kind != TokenKind::OpenPar {
            // Upstream's message lacks the comma the others have.
            let message = format!("found '{}' expected: '('", printable(open.text));
            return Err(SelectorError::syntax(message, open.start));
        }
        let next = self.lookahead(Context::Values);
        match next.kind {
            TokenKind::Identifier | TokenKind::Comma => {
                let values = self.parse_identifiers_list()?;
                let close = self.consume(Context::Values);
                if close.kind != TokenKind::ClosedPar {
                    return Err(found(close, "')'"));
                }
                Ok(values)
            }
            TokenKind::ClosedPar => {
                self.consume(Context::Values);
                Ok(BTreeSet::from([""]))
            }
            _ => Err(found(next, "',', ')' or identifier")),
        }
    }

    fn parse_identifiers_list(&mut self) -> Result<BTreeSet<&'a str>, SelectorError> {
        let mut values = BTreeSet::new();
        loop {
            let token = self.consume(Context::Values);
            match token.kind {
                TokenKind::Identifier => {
                    values.insert(token.text);
                    let next = self.lookahead(Context::Values);
                    match next.kind {
                        TokenKind::Comma => continue,
                        TokenKind::ClosedPar => return Ok(values),
                        _ => return Err(found(next, "',' or ')'")),
                    }
                }
                TokenKind::Comma => {
                    // A comma with nothing before it (`(,a`), after it (`a,)`), or between
                    // two commas (`a,,b`) stands for the empty value.
                    if values.is_empty() {
                        values.insert("");
                    }
                    match self.lookahead(Context::Values).kind {
                        TokenKind::ClosedPar => {
                            values.insert("");
                            return Ok(values);
                        }
                        TokenKind::Comma => {
                            values.insert("");
                        }
                        _ => {}
                    }
                }
                _ => return Err(found(token, "',', or identifier")),
            }
        }
    }

    fn parse_exact_value(&mut self) -> Result<BTreeSet<&'a str>, SelectorError> {
        let next = self.lookahead(Context::Values);
        if matches!(next.kind, TokenKind::EndOfString | TokenKind::Comma) {
            return Ok(BTreeSet::from([""]));
        }
        let token = self.consume(Context::Values);
        if token.kind == TokenKind::Identifier {
            Ok(BTreeSet::from([token.text]))
        } else {
            Err(found(token, "identifier"))
        }
    }
}

/// Upstream's `found '<token>', expected: <what>`.
fn found(token: Token<'_>, expected: &str) -> SelectorError {
    let message = format!("found '{}', expected: {expected}", printable(token.text));
    SelectorError::syntax(message, token.start)
}

// ---------------------------------------------------------------------------------------------
// Label key and value validation (upstream's content.IsLabelKey and content.IsLabelValue)
// ---------------------------------------------------------------------------------------------

const LABEL_NAME_FORMAT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_NAME_MESSAGE: &str = "must consist of alphanumeric characters, '-', '_' or '.', and \
                                  must start and end with an alphanumeric character";
const LABEL_NAME_MAX_BYTES: usize = 63;
const LABEL_VALUE_FORMAT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_MESSAGE: &str = "a valid label must be an empty string or consist of \
                                   alphanumeric characters, '-', '_' or '.', and must start and \
                                   end with an alphanumeric character";
const LABEL_VALUE_MAX_BYTES: usize = 63;
const DNS_SUBDOMAIN_FORMAT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS_SUBDOMAIN_MESSAGE: &str = "a lowercase RFC 1123 subdomain must consist of lower case \
                                     alphanumeric characters, '-' or '.', and must start and end \
                                     with an alphanumeric character";
const DNS_SUBDOMAIN_MAX_BYTES: usize = 253;

/// Upstream's `RegexError`, including its doubled spaces between examples.
fn regex_error(message: &str, format: &str, examples: &[&str]) -> String {
    let examples: Vec<String> = examples.iter().map(|e| format!("'{e}', ")).collect();
    format!(
        "{message} (e.g. {}regex used for validation is '{format}')",
        examples.join(" or ")
    )
}

fn max_length_error(bytes: usize) -> String {
    format!("must be no more than {bytes} bytes")
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, byte by byte as Go's regexp sees it.
fn is_label_name(text: &str) -> bool {
    let bytes = text.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

/// Dot-separated lowercase RFC 1123 labels: `[a-z0-9]([-a-z0-9]*[a-z0-9])?` each.
fn is_dns_subdomain(text: &str) -> bool {
    text.split('.').all(|label| {
        let bytes = label.as_bytes();
        let alphanumeric = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
        match (bytes.first(), bytes.last()) {
            (Some(first), Some(last)) => {
                alphanumeric(first)
                    && alphanumeric(last)
                    && bytes.iter().all(|b| alphanumeric(b) || *b == b'-')
            }
            _ => false,
        }
    })
}

/// Everything wrong with a label key, in upstream's words; empty when it is valid.
fn label_key_problems(key: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let parts: Vec<&str> = key.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                problems.push("prefix part must be non-empty".to_string());
            } else {
                if prefix.len() > DNS_SUBDOMAIN_MAX_BYTES {
                    problems.push(format!(
                        "prefix part {}",
                        max_length_error(DNS_SUBDOMAIN_MAX_BYTES)
                    ));
                }
                if !is_dns_subdomain(prefix) {
                    let detail = regex_error(
                        DNS_SUBDOMAIN_MESSAGE,
                        DNS_SUBDOMAIN_FORMAT,
                        &["example.com"],
                    );
                    problems.push(format!("prefix part {detail}"));
                }
            }
            *name
        }
        _ => {
            let detail = regex_error(
                LABEL_NAME_MESSAGE,
                LABEL_NAME_FORMAT,
                &["MyName", "my.name", "123-abc"],
            );
            problems.push(format!(
                "a valid label key {detail} with an optional DNS subdomain prefix and '/' (e.g. \
                 'example.com/MyName')"
            ));
            return problems;
        }
    };
    if name.is_empty() {
        problems.push("name part must be non-empty".to_string());
    } else if name.len() > LABEL_NAME_MAX_BYTES {
        problems.push(format!(
            "name part {}",
            max_length_error(LABEL_NAME_MAX_BYTES)
        ));
    }
    if !is_label_name(name) {
        let detail = regex_error(
            LABEL_NAME_MESSAGE,
            LABEL_NAME_FORMAT,
            &["MyName", "my.name", "123-abc"],
        );
        problems.push(format!("name part {detail}"));
    }
    problems
}

/// Everything wrong with a label value, in upstream's words; empty when it is valid.
fn label_value_problems(value: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if value.len() > LABEL_VALUE_MAX_BYTES {
        problems.push(max_length_error(LABEL_VALUE_MAX_BYTES));
    }
    if !value.is_empty() && !is_label_name(value) {
        problems.push(regex_error(
            LABEL_VALUE_MESSAGE,
            LABEL_VALUE_FORMAT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    problems
}

// ---------------------------------------------------------------------------------------------
// Label selectors in objects (metav1.LabelSelector)
// ---------------------------------------------------------------------------------------------

/// `spec.selector` of a Deployment, ReplicaSet, PodDisruptionBudget, …: `matchLabels` and
/// `matchExpressions`, all of which must hold. Convert it with [`LabelSelector::from_spec`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LabelSelectorSpec {
    /// Labels that must be present with exactly these values.
    pub match_labels: BTreeMap<String, String>,
    /// Further requirements on labels.
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

/// One entry of `matchExpressions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct LabelSelectorRequirement {
    /// The label key.
    pub key: String,
    /// How the label relates to the values.
    pub operator: LabelSelectorOperator,
    /// Required non-empty for In and NotIn, required empty for Exists and DoesNotExist.
    pub values: Vec<String>,
}

/// The operator of a `matchExpressions` entry.
///
/// An unknown operator is kept rather than failing the whole object's decoding, as Go decodes
/// any string; converting the selector then reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelSelectorOperator {
    /// The label's value is one of the values.
    In,
    /// The label is absent or its value is none of the values.
    NotIn,
    /// The label is present, whatever its value.
    Exists,
    /// The label is absent.
    DoesNotExist,
    /// Anything else, verbatim (an absent operator reads as the empty string).
    Unknown(String),
}

impl Default for LabelSelectorOperator {
    fn default() -> Self {
        LabelSelectorOperator::Unknown(String::new())
    }
}

impl LabelSelectorOperator {
    /// The operator as written in the object.
    pub fn as_str(&self) -> &str {
        match self {
            LabelSelectorOperator::In => "In",
            LabelSelectorOperator::NotIn => "NotIn",
            LabelSelectorOperator::Exists => "Exists",
            LabelSelectorOperator::DoesNotExist => "DoesNotExist",
            LabelSelectorOperator::Unknown(name) => name,
        }
    }
}

impl<'de> Deserialize<'de> for LabelSelectorOperator {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Case-sensitive, as Go compares the operator with ==.
        Ok(match String::deserialize(deserializer)?.as_str() {
            "In" => LabelSelectorOperator::In,
            "NotIn" => LabelSelectorOperator::NotIn,
            "Exists" => LabelSelectorOperator::Exists,
            "DoesNotExist" => LabelSelectorOperator::DoesNotExist,
            other => LabelSelectorOperator::Unknown(other.to_string()),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Field selectors
// ---------------------------------------------------------------------------------------------

/// A field selector: `field=value` / `field!=value` terms that must all hold.
///
/// Field names are not checked here: which fields a resource supports is the server's business,
/// so it can inspect [`requirements`](Self::requirements) and reject unknown ones itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSelector {
    /// In the order of their escaped terms, which upstream sorts before parsing.
    requirements: Vec<FieldRequirement>,
}

/// The operator of a field selector term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldOperator {
    /// `field=value` or `field==value`.
    Equals,
    /// `field!=value`.
    NotEquals,
}

/// One `field operator value` term of a field selector, with the value unescaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRequirement {
    field: String,
    operator: FieldOperator,
    value: String,
}

impl FieldRequirement {
    /// The field name, such as `metadata.name` (may be empty: upstream does not check it).
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The operator.
    pub fn operator(&self) -> FieldOperator {
        self.operator
    }

    /// The literal value, escapes removed.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for FieldRequirement {
    /// `field=value` or `field!=value` with the value escaped (`==` prints as `=`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let operator = match self.operator {
            FieldOperator::Equals => "=",
            FieldOperator::NotEquals => "!=",
        };
        write!(
            f,
            "{}{operator}{}",
            self.field,
            escape_field_value(&self.value)
        )
    }
}

impl FieldSelector {
    /// The selector that matches every object.
    pub fn everything() -> Self {
        FieldSelector::default()
    }

    /// Parses a field selector as the API server reads `fieldSelector`.
    ///
    /// Terms are separated by unescaped commas. Each splits at its first `!=`, `==` or `=`; the
    /// field before it is taken verbatim, the value after it must escape `\`, `,` and `=` as
    /// `\\`, `\,` and `\=` (see [`escape_field_value`]). Empty terms, and terms with both an
    /// empty field and an empty value, are ignored; the empty string matches everything.
    pub fn parse(text: &str) -> Result<Self, SelectorError> {
        let mut terms = split_field_terms(text);
        terms.sort_by(|a, b| a.0.cmp(b.0));
        let mut requirements = Vec::with_capacity(terms.len());
        for (term, start) in terms {
            if term.is_empty() {
                continue;
            }
            let Some((field, operator, value_start)) = split_field_term(term) else {
                let message = format!(
                    "invalid selector: '{}'; can't understand '{}'",
                    printable(text),
                    printable(term)
                );
                return Err(SelectorError::syntax(message, start));
            };
            let value = unescape(&term[value_start..])
                .map_err(|problem| problem.into_error(Some(term), start + value_start))?;
            // Upstream's Transform drops a term whose field and value are both empty.
            if field.is_empty() && value.is_empty() {
                continue;
            }
            requirements.push(FieldRequirement {
                field: field.to_string(),
                operator,
                value,
            });
        }
        Ok(FieldSelector { requirements })
    }

    /// The terms, so a server can reject fields its resource does not support.
    pub fn requirements(&self) -> &[FieldRequirement] {
        &self.requirements
    }

    /// Whether the selector places no restriction at all.
    pub fn matches_everything(&self) -> bool {
        self.requirements.is_empty()
    }

    /// Whether an object matches. `lookup` gives the object's value for a field name; `None`
    /// (a field the object does not have) reads as the empty string, as upstream's `fields.Set`
    /// does for missing keys.
    pub fn matches(&self, lookup: impl Fn(&str) -> Option<String>) -> bool {
        self.requirements.iter().all(|requirement| {
            let actual = lookup(&requirement.field).unwrap_or_default();
            match requirement.operator {
                FieldOperator::Equals => actual == requirement.value,
                FieldOperator::NotEquals => actual != requirement.value,
            }
        })
    }

    /// The value the selector requires `field` to equal, from its first `=` term on that field
    /// (upstream's `RequiresExactMatch`); `!=` terms never count.
    pub fn requires_exact_match(&self, field: &str) -> Option<&str> {
        self.requirements
            .iter()
            .find(|r| r.operator == FieldOperator::Equals && r.field == field)
            .map(|r| r.value.as_str())
    }
}

impl fmt::Display for FieldSelector {
    /// The terms joined by `,`, values escaped (upstream's `String()`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, requirement) in self.requirements.iter().enumerate() {
            if index > 0 {
                f.write_str(",")?;
            }
            write!(f, "{requirement}")?;
        }
        Ok(())
    }
}

impl FromStr for FieldSelector {
    type Err = SelectorError;

    fn from_str(text: &str) -> Result<Self, SelectorError> {
        FieldSelector::parse(text)
    }
}

/// Escapes a literal for use as a field selector value: `\` → `\\`, `,` → `\,`, `=` → `\=`
/// (upstream's `fields.EscapeValue`).
pub fn escape_field_value(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(c, '\\' | ',' | '=') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Reverses [`escape_field_value`] (upstream's `fields.UnescapeValue`): `\\`, `\,` and `\=` are
/// the only escapes, and a bare `,` or `=` is an error, as is any other `\` sequence.
pub fn unescape_field_value(value: &str) -> Result<String, SelectorError> {
    unescape(value).map_err(|problem| problem.into_error(None, 0))
}

/// What [`unescape`] found wrong, and at which byte of the value.
enum EscapeProblem {
    /// An escape other than `\\`, `\,`, `\=`, or a trailing `\`.
    Sequence(String, usize),
    /// A `,` or `=` without its backslash.
    Unescaped(char, usize),
}

impl EscapeProblem {
    fn into_error(self, term: Option<&str>, value_offset: usize) -> SelectorError {
        let context = term
            .map(|term| format!(" in '{}'", printable(term)))
            .unwrap_or_default();
        let (message, at) = match self {
            EscapeProblem::Sequence(sequence, at) => (
                format!(
                    "invalid field selector: invalid escape sequence: {}{context}",
                    printable(&sequence)
                ),
                at,
            ),
            EscapeProblem::Unescaped(c, at) => (
                format!("invalid field selector: unescaped character in value: '{c}'{context}"),
                at,
            ),
        };
        SelectorError::new(
            SelectorErrorKind::InvalidEscape,
            message,
            Some(value_offset + at),
        )
    }
}

fn unescape(value: &str) -> Result<String, EscapeProblem> {
    let mut unescaped = String::with_capacity(value.len());
    let mut backslash_at = None;
    for (index, c) in value.char_indices() {
        if let Some(at) = backslash_at.take() {
            match c {
                '\\' | ',' | '=' => unescaped.push(c),
                _ => return Err(EscapeProblem::Sequence(format!("\\{c}"), at)),
            }
            continue;
        }
        match c {
            '\\' => backslash_at = Some(index),
            ',' | '=' => return Err(EscapeProblem::Unescaped(c, index)),
            _ => unescaped.push(c),
        }
    }
    match backslash_at {
        Some(at) => Err(EscapeProblem::Sequence("\\".to_string(), at)),
        None => Ok(unescaped),
    }
}

/// Upstream's `splitTerms`: splits at commas not escaped by a backslash, keeping escapes, and
/// gives each term's byte offset.
fn split_field_terms(text: &str) -> Vec<(&str, usize)> {
    if text.is_empty() {
        return Vec::new();
    }
    let mut terms = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    // Bytes suffice: `\` and `,` are ASCII, and a backslash before a multi-byte character
    // escapes its first byte, which is no delimiter either way.
    for (index, byte) in text.bytes().enumerate() {
        if escaped {
            escaped = false;
        } else if byte == b'\\' {
            escaped = true;
        } else if byte == b',' {
            terms.push((&text[start..index], start));
            start = index + 1;
        }
    }
    terms.push((&text[start..], start));
    terms
}

/// Upstream's `splitTerm`: the field before the first `!=`, `==` or `=`, the operator, and the
/// byte offset of the (still escaped) value.
fn split_field_term(term: &str) -> Option<(&str, FieldOperator, usize)> {
    let bytes = term.as_bytes();
    for (index, &byte) in bytes.iter().enumerate() {
        let doubled = bytes.get(index + 1) == Some(&b'=');
        match (byte, doubled) {
            (b'!', true) => return Some((&term[..index], FieldOperator::NotEquals, index + 2)),
            (b'=', true) => return Some((&term[..index], FieldOperator::Equals, index + 2)),
            (b'=', false) => return Some((&term[..index], FieldOperator::Equals, index + 1)),
            _ => {}
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Quoting user text in messages
// ---------------------------------------------------------------------------------------------

/// Literals longer than this many bytes are shortened in messages.
const MAX_QUOTED_BYTES: usize = 80;
/// How much of a shortened literal is kept.
const SHORTENED_BYTES: usize = 64;

/// User text as it appears in a message: control and line-separator characters escaped so the
/// message stays on one line, and long text shortened with the count of bytes left out.
fn printable(text: &str) -> String {
    render(text, false)
}

/// Go's `%q` of the text (what `field.Invalid` prints), with the same shortening.
fn quote(text: &str) -> String {
    format!("\"{}\"", render(text, true))
}

/// A list of values as `["a", "b"]` (upstream prints Go syntax: `[]string{"a", "b"}`).
fn quote_list(values: &[String]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| quote(v)).collect();
    format!("[{}]", quoted.join(", "))
}

fn render(text: &str, quoted: bool) -> String {
    let (shown, omitted) = if text.len() > MAX_QUOTED_BYTES {
        let mut end = SHORTENED_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        (&text[..end], text.len() - end)
    } else {
        (text, 0)
    };
    let mut rendered = String::with_capacity(shown.len() + 2);
    for c in shown.chars() {
        match c {
            '"' | '\\' if quoted => {
                rendered.push('\\');
                rendered.push(c);
            }
            '\n' => rendered.push_str("\\n"),
            '\r' => rendered.push_str("\\r"),
            '\t' => rendered.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                rendered.extend(c.escape_unicode());
            }
            c => rendered.push(c),
        }
    }
    if omitted > 0 {
        rendered.push_str(&format!("...(+{omitted} bytes)"));
    }
    rendered
}

#[cfg(test)]
#[path = "selector_tests.rs"]
mod tests;
