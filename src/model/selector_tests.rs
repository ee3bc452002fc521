//! Tests for selectors: upstream's cases from k8s.io/apimachinery (labels/selector_test.go,
//! fields/selector_test.go, apis/meta/v1/helpers_test.go), then our own edge cases.

use std::collections::BTreeMap;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use super::*;

fn set(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

/// Upstream's `getRequirement`: values go through a `sets.String`, so sorted and deduplicated.
fn requirement(key: &str, operator: LabelOperator, values: &[&str]) -> LabelRequirement {
    let mut values = strings(values);
    values.sort();
    values.dedup();
    LabelRequirement::new(key, operator, values)
        .unwrap_or_else(|e| panic!("requirement {key} {operator} is invalid: {e}"))
}

fn parse_error(text: &str) -> SelectorError {
    match LabelSelector::parse(text) {
        Ok(selector) => panic!("{text:?} parsed as {selector:?}, expected an error"),
        Err(e) => e,
    }
}

fn field_error(text: &str) -> SelectorError {
    match FieldSelector::parse(text) {
        Ok(selector) => panic!("{text:?} parsed as {selector:?}, expected an error"),
        Err(e) => e,
    }
}

const KEY_NAME_RULE: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must \
                             start and end with an alphanumeric character (e.g. 'MyName',  or \
                             'my.name',  or '123-abc', regex used for validation is \
                             '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_RULE: &str = "a valid label must be an empty string or consist of alphanumeric \
                          characters, '-', '_' or '.', and must start and end with an \
                          alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', \
                          regex used for validation is \
                          '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

use LabelOperator::{
    DoesNotExist, DoubleEquals, Equals, Exists, GreaterThan, In, LessThan, NotEquals, NotIn,
};
use TokenKind as T;

/// Selector text, the labels or fields of an object, and whether they should match.
type MatchCase = (&'static str, &'static [(&'static str, &'static str)], bool);
/// A field selector term split into field, operator and escaped value.
type Split = (&'static str, FieldOperator, &'static str);

// ---- labels/selector_test.go -----------------------------------------------------------------

#[test]
fn upstream_label_selector_parse() {
    let good = [
        "x=a,y=b,z=c",
        "",
        "x!=a,y=b",
        "x=",
        "x= ",
        "x=,z= ",
        "x= ,z= ",
        "!x",
        "x>1",
        "x>1,z<5",
    ];
    for text in good {
        let selector = LabelSelector::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(selector.to_string(), text.replace(' ', ""), "{text:?}");
    }
    for text in ["x=a||y=b", "x==a==b", "!x=a", "x<a"] {
        parse_error(text);
    }
}

#[test]
fn upstream_label_deterministic_parse() {
    let a = LabelSelector::parse("x=a,a=x").unwrap();
    let b = LabelSelector::parse("a=x,x=a").unwrap();
    assert_eq!(a.to_string(), b.to_string());
    assert_eq!(a, b);
}

#[test]
fn upstream_label_everything() {
    assert!(LabelSelector::everything().matches(&set(&[("x", "y")])));
    assert!(LabelSelector::everything().matches_everything());
}

#[test]
fn upstream_label_selector_matches() {
    let cases: &[MatchCase] = &[
        ("", &[("x", "y")], true),
        ("x=y", &[("x", "y")], true),
        ("x=y,z=w", &[("x", "y"), ("z", "w")], true),
        ("x!=y,z!=w", &[("x", "z"), ("z", "a")], true),
        ("notin=in", &[("notin", "in")], true),
        ("x", &[("x", "z")], true),
        ("!x", &[("y", "z")], true),
        ("x>1", &[("x", "2")], true),
        ("x<1", &[("x", "0")], true),
        ("x=z", &[], false),
        ("x=y", &[("x", "z")], false),
        ("x=y,z=w", &[("x", "w"), ("z", "w")], false),
        ("x!=y,z!=w", &[("x", "z"), ("z", "w")], false),
        ("x", &[("y", "z")], false),
        ("!x", &[("x", "z")], false),
        ("x>1", &[("x", "0")], false),
        ("x<1", &[("x", "2")], false),
    ];
    for (text, labels, expected) in cases {
        let selector = LabelSelector::parse(text).unwrap();
        assert_eq!(
            selector.matches(&set(labels)),
            *expected,
            "{text:?} on {labels:?}"
        );
    }
    let labels = set(&[("foo", "bar"), ("baz", "blah")]);
    for (text, expected) in [
        ("foo=bar", true),
        ("baz=blah", true),
        ("foo=bar,baz=blah", true),
        ("foo=blah", false),
        ("baz=bar", false),
        ("foo=bar,foobar=bar,baz=blah", false),
    ] {
        assert_eq!(
            LabelSelector::parse(text).unwrap().matches(&labels),
            expected,
            "{text:?}"
        );
    }
}

#[test]
fn upstream_label_set_matches_and_emptiness() {
    let labels = set(&[("foo", "bar"), ("baz", "blah")]);
    for selector in [
        set(&[]),
        set(&[("foo", "bar")]),
        set(&[("baz", "blah")]),
        set(&[("foo", "bar"), ("baz", "blah")]),
    ] {
        assert!(
            LabelSelector::from_set(&selector).unwrap().matches(&labels),
            "{selector:?}"
        );
    }
    // TestNilMapIsValid / TestSetIsEmpty: an empty set is the empty selector.
    assert!(
        LabelSelector::from_set(&set(&[]))
            .unwrap()
            .matches_everything()
    );
    assert!(LabelSelector::default().matches_everything());
}

/// Token kinds of upstream's TestLexer (first token) and TestLexerSequence.
#[test]
fn upstream_lexer() {
    let single = [
        ("", T::EndOfString),
        (",", T::Comma),
        ("notin", T::NotIn),
        ("in", T::In),
        ("=", T::Equals),
        ("==", T::DoubleEquals),
        (">", T::GreaterThan),
        ("<", T::LessThan),
        ("!", T::DoesNotExist),
        ("!=", T::NotEquals),
        ("(", T::OpenPar),
        (")", T::ClosedPar),
        ("~", T::Identifier),
        ("||", T::Identifier),
    ];
    for (text, kind) in single {
        let token = lex(text)[0];
        assert_eq!(token.kind, kind, "{text:?}");
        assert_eq!(token.text, text, "{text:?}");
    }
}

fn token_kinds(text: &str) -> Vec<TokenKind> {
    lex(text).iter().map(|t| t.kind).collect()
}

/// TestLexerSequence and TestParserLookahead (the same sequences, with the final EndOfString).
#[test]
fn upstream_lexer_sequence_and_parser_lookahead() {
    use T::{ClosedPar, Comma, Identifier, OpenPar};
    let cases: &[(&str, &[TokenKind])] = &[
        (
            "key in ( value )",
            &[Identifier, T::In, OpenPar, Identifier, ClosedPar],
        ),
        (
            "key notin ( value )",
            &[Identifier, T::NotIn, OpenPar, Identifier, ClosedPar],
        ),
        (
            "key in ( value1, value2 )",
            &[
                Identifier,
                T::In,
                OpenPar,
                Identifier,
                Comma,
                Identifier,
                ClosedPar,
            ],
        ),
        ("key", &[Identifier]),
        ("!key", &[T::DoesNotExist, Identifier]),
        ("()", &[OpenPar, ClosedPar]),
        ("", &[]),
        (
            "x in (),y",
            &[Identifier, T::In, OpenPar, ClosedPar, Comma, Identifier],
        ),
        (
            "== != (), = notin",
            &[
                T::DoubleEquals,
                T::NotEquals,
                OpenPar,
                ClosedPar,
                Comma,
                T::Equals,
                T::NotIn,
            ],
        ),
        ("key>2", &[Identifier, T::GreaterThan, Identifier]),
        ("key<1", &[Identifier, T::LessThan, Identifier]),
    ];
    for (text, expected) in cases {
        let mut expected = expected.to_vec();
        expected.push(T::EndOfString);
        assert_eq!(token_kinds(text), expected, "{text:?}");
        // Lookahead and consume agree, and consume stops at the end.
        let mut parser = Parser {
            tokens: lex(text),
            position: 0,
        };
        for _ in 0..expected.len() + 2 {
            let ahead = parser.lookahead(Context::KeyAndOperator);
            let consumed = parser.consume(Context::KeyAndOperator);
            assert_eq!((ahead.kind, ahead.text), (consumed.kind, consumed.text));
        }
        assert_eq!(parser.lookahead(Context::Values).kind, T::EndOfString);
    }
}

/// TestParseOperator (current upstream).
#[test]
fn upstream_parse_operator() {
    let expected = "in, notin, =, ==, !=, gt, lt";
    for (text, result) in [
        ("in", Ok(In)),
        ("=", Ok(Equals)),
        ("==", Ok(DoubleEquals)),
        (">", Ok(GreaterThan)),
        ("<", Ok(LessThan)),
        ("notin", Ok(NotIn)),
        ("!=", Ok(NotEquals)),
        ("!", Err(format!("found '!', expected: {expected}"))),
        (
            "exists",
            Err(format!("found 'exists', expected: {expected}")),
        ),
        ("(", Err(format!("found '(', expected: {expected}"))),
    ] {
        let mut parser = Parser {
            tokens: lex(text),
            position: 0,
        };
        let got = parser.parse_operator().map_err(|e| e.to_string());
        assert_eq!(got, result, "{text:?}");
    }
}

/// TestRequirementConstructor: current upstream's cases with their error paths, plus the older
/// version's cases it dropped. (`x18`, an unsupported operator, cannot be expressed here.)
#[test]
fn upstream_requirement_constructor() {
    let long = "a".repeat(254);
    let cases: Vec<(&str, LabelOperator, Vec<&str>, Option<&str>)> = vec![
        ("x1", In, vec![], Some("values: Invalid value: []: ")),
        ("x2", NotIn, vec![], Some("values: Invalid value: []: ")),
        ("x3", In, vec!["foo"], None),
        ("x4", NotIn, vec!["foo"], None),
        (
            "x5",
            Equals,
            vec!["bar", "foo"],
            Some(r#"values: Invalid value: ["bar", "foo"]: "#),
        ),
        ("x6", Exists, vec![], None),
        ("x7", DoesNotExist, vec![], None),
        (
            "x8",
            Exists,
            vec!["foo"],
            Some(r#"values: Invalid value: ["foo"]: "#),
        ),
        ("x9", In, vec!["bar"], None),
        ("x10", In, vec!["bar"], None),
        ("x11", GreaterThan, vec!["1"], None),
        ("x12", LessThan, vec!["6"], None),
        (
            "x13",
            GreaterThan,
            vec![],
            Some("values: Invalid value: []: "),
        ),
        (
            "x14",
            GreaterThan,
            vec!["bar"],
            Some(r#"values[0]: Invalid value: "bar": "#),
        ),
        (
            "x15",
            LessThan,
            vec!["bar"],
            Some(r#"values[0]: Invalid value: "bar": "#),
        ),
        (long.as_str(), Exists, vec![], Some("key: Invalid value: ")),
        (
            "x16",
            Equals,
            vec![long.as_str()],
            Some("values[0][x16]: Invalid value: "),
        ),
        (
            "x17",
            Equals,
            vec!["a b"],
            Some(r#"values[0][x17]: Invalid value: "a b": "#),
        ),
        ("1foo", In, vec!["bar"], None),
        ("1234", In, vec!["bar"], None),
        (
            "foo",
            GreaterThan,
            vec!["bar"],
            Some(r#"values[0]: Invalid value: "bar": "#),
        ),
        (
            "barz",
            LessThan,
            vec!["blah"],
            Some(r#"values[0]: Invalid value: "blah": "#),
        ),
    ];
    for (key, operator, values, error) in cases {
        let result = LabelRequirement::new(key, operator, strings(&values));
        match (result, error) {
            (Ok(_), None) => {}
            (Err(e), Some(prefix)) => {
                assert!(
                    e.to_string().starts_with(prefix),
                    "{key:.10} {operator}: {e}"
                );
            }
            (result, _) => panic!("{key:.10} {operator} {values:?}: unexpected {result:?}"),
        }
    }
}

/// TestToString, minus the case built from an invalid zero requirement.
#[test]
fn upstream_to_string() {
    let cases = [
        (
            vec![
                requirement("x", In, &["abc", "def"]),
                requirement("y", NotIn, &["jkl"]),
                requirement("z", Exists, &[]),
            ],
            "x in (abc,def),y notin (jkl),z",
        ),
        (
            vec![
                requirement("x", NotIn, &["abc", "def"]),
                requirement("y", NotEquals, &["jkl"]),
                requirement("z", DoesNotExist, &[]),
            ],
            "x notin (abc,def),y!=jkl,!z",
        ),
        (
            vec![
                requirement("x", NotIn, &["abc"]),
                requirement("y", In, &["jkl", "mno"]),
                requirement("z", NotIn, &[""]),
            ],
            "x notin (abc),y in (jkl,mno),z notin ()",
        ),
        (
            vec![
                requirement("x", Equals, &["abc"]),
                requirement("y", DoubleEquals, &["jkl"]),
                requirement("z", NotEquals, &["a"]),
                requirement("z", Exists, &[]),
            ],
            "x=abc,y==jkl,z!=a,z",
        ),
        (
            vec![
                requirement("x", GreaterThan, &["2"]),
                requirement("y", LessThan, &["8"]),
                requirement("z", Exists, &[]),
            ],
            "x>2,y<8,z",
        ),
    ];
    for (requirements, expected) in cases {
        assert_eq!(
            LabelSelector::from_requirements(requirements).to_string(),
            expected
        );
    }
}

/// TestRequirementSelectorMatching, minus the invalid zero requirement.
#[test]
fn upstream_requirement_selector_matching() {
    let cases = [
        (
            set(&[("x", "foo"), ("y", "baz")]),
            vec![
                requirement("x", In, &["foo"]),
                requirement("y", NotIn, &["alpha"]),
            ],
            true,
        ),
        (
            set(&[("x", "foo"), ("y", "baz")]),
            vec![
                requirement("x", In, &["foo"]),
                requirement("y", In, &["alpha"]),
            ],
            false,
        ),
        (
            set(&[("y", "")]),
            vec![
                requirement("x", NotIn, &[""]),
                requirement("y", Exists, &[]),
            ],
            true,
        ),
        (
            set(&[("y", "")]),
            vec![
                requirement("x", DoesNotExist, &[]),
                requirement("y", Exists, &[]),
            ],
            true,
        ),
        (
            set(&[("y", "")]),
            vec![
                requirement("x", NotIn, &[""]),
                requirement("y", DoesNotExist, &[]),
            ],
            false,
        ),
        (
            set(&[("y", "baz")]),
            vec![requirement("x", In, &[""])],
            false,
        ),
        (
            set(&[("z", "2")]),
            vec![requirement("z", GreaterThan, &["1"])],
            true,
        ),
        (
            set(&[("z", "v2")]),
            vec![requirement("z", GreaterThan, &["1"])],
            false,
        ),
    ];
    for (labels, requirements, expected) in cases {
        let selector = LabelSelector::from_requirements(requirements);
        assert_eq!(
            selector.matches(&labels),
            expected,
            "{selector} on {labels:?}"
        );
    }
}

/// TestSetSelectorParser: (input, expected requirements when checked, valid).
#[test]
fn upstream_set_selector_parser() {
    type Case = (&'static str, Option<Vec<LabelRequirement>>, bool);
    let cases: Vec<Case> = vec![
        ("", Some(vec![]), true),
        ("\rx", Some(vec![requirement("x", Exists, &[])]), true),
        (
            "this-is-a-dns.domain.com/key-with-dash",
            Some(vec![requirement(
                "this-is-a-dns.domain.com/key-with-dash",
                Exists,
                &[],
            )]),
            true,
        ),
        (
            "this-is-another-dns.domain.com/key-with-dash in (so,what)",
            Some(vec![requirement(
                "this-is-another-dns.domain.com/key-with-dash",
                In,
                &["so", "what"],
            )]),
            true,
        ),
        (
            "0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)",
            Some(vec![requirement(
                "0.1.2.domain/99",
                NotIn,
                &["10.10.100.1", "tick.tack.clock"],
            )]),
            true,
        ),
        (
            "foo  in\t (abc)",
            Some(vec![requirement("foo", In, &["abc"])]),
            true,
        ),
        (
            "x notin\n (abc)",
            Some(vec![requirement("x", NotIn, &["abc"])]),
            true,
        ),
        (
            "x  notin\t\t\t(abc,def)",
            Some(vec![requirement("x", NotIn, &["abc", "def"])]),
            true,
        ),
        (
            "x in (abc,def)",
            Some(vec![requirement("x", In, &["abc", "def"])]),
            true,
        ),
        (
            "x in (abc,)",
            Some(vec![requirement("x", In, &["abc", ""])]),
            true,
        ),
        ("x in ()", Some(vec![requirement("x", In, &[""])]), true),
        (
            "x notin (abc,,def),bar,z in (),w",
            Some(vec![
                requirement("bar", Exists, &[]),
                requirement("w", Exists, &[]),
                requirement("x", NotIn, &["abc", "", "def"]),
                requirement("z", In, &[""]),
            ]),
            true,
        ),
        // Upstream lists these out of order and does not compare them.
        ("x,y in (a)", None, true),
        ("x=a", Some(vec![requirement("x", Equals, &["a"])]), true),
        (
            "x>1",
            Some(vec![requirement("x", GreaterThan, &["1"])]),
            true,
        ),
        ("x<7", Some(vec![requirement("x", LessThan, &["7"])]), true),
        (
            "x=a,y!=b",
            Some(vec![
                requirement("x", Equals, &["a"]),
                requirement("y", NotEquals, &["b"]),
            ]),
            true,
        ),
        (
            "x=a,y!=b,z in (h,i,j)",
            Some(vec![
                requirement("x", Equals, &["a"]),
                requirement("y", NotEquals, &["b"]),
                requirement("z", In, &["h", "i", "j"]),
            ]),
            true,
        ),
        ("x=a||y=b", None, false),
        ("x,,y", None, false),
        (",x,y", None, false),
        ("x nott in (y)", None, false),
        (
            "x notin ( )",
            Some(vec![requirement("x", NotIn, &[""])]),
            true,
        ),
        (
            "x notin (, a)",
            Some(vec![requirement("x", NotIn, &["", "a"])]),
            true,
        ),
        ("a in (xyz),", None, false),
        ("a in (xyz)b notin ()", None, false),
        ("a ", Some(vec![requirement("a", Exists, &[])]), true),
        (
            "a in (x,y,notin, z,in)",
            Some(vec![requirement("a", In, &["in", "notin", "x", "y", "z"])]),
            true,
        ),
        ("a in (xyz abc)", None, false),
        ("a notin(", None, false),
        ("a (", None, false),
        ("(", None, false),
    ];
    for (text, expected, valid) in cases {
        match LabelSelector::parse(text) {
            Ok(selector) => {
                assert!(valid, "{text:?} parsed as {selector}, expected an error");
                if let Some(expected) = expected {
                    assert_eq!(selector.requirements(), expected.as_slice(), "{text:?}");
                }
            }
            Err(e) => assert!(!valid, "{text:?}: unexpected error {e}"),
        }
    }
}

/// TestAdd: requirements are kept sorted by key as they are added.
#[test]
fn upstream_add() {
    let selector = LabelSelector::from_requirements(vec![requirement("key", In, &["value"])]);
    assert_eq!(
        selector.requirements(),
        [requirement("key", In, &["value"])]
    );
    let selector = LabelSelector::from_requirements(vec![
        requirement("key2", Equals, &["value2"]),
        requirement("key", In, &["value"]),
    ]);
    assert_eq!(selector.to_string(), "key in (value),key2=value2");
}

/// TestSafeSort: printing sorts values without reordering the requirement's own.
#[test]
fn upstream_safe_sort() {
    for (values, printed) in [
        (vec!["bar", "foo"], "x in (bar,foo)"),
        (vec!["foo", "bar"], "x in (bar,foo)"),
        (vec!["foo", "bar", "foo", "bar"], "x in (bar,bar,foo,foo)"),
    ] {
        let requirement = LabelRequirement::new("x", In, strings(&values)).unwrap();
        assert_eq!(requirement.to_string(), printed);
        assert_eq!(requirement.values(), strings(&values));
    }
}

/// TestRequiresExactMatch.
#[test]
fn upstream_requires_exact_match() {
    let cases = [
        (
            vec![requirement("key", In, &["value"])],
            "key",
            Some("value"),
        ),
        (
            vec![requirement("key", In, &["value", "value2"])],
            "key",
            None,
        ),
        (
            vec![
                requirement("key", In, &["value", "value1"]),
                requirement("key2", In, &["value2"]),
            ],
            "key2",
            Some("value2"),
        ),
        (
            vec![requirement("key", Equals, &["value"])],
            "key",
            Some("value"),
        ),
        (
            vec![requirement("key", DoubleEquals, &["value"])],
            "key",
            Some("value"),
        ),
        (vec![requirement("key", NotEquals, &["value"])], "key", None),
        (
            vec![
                requirement("key", In, &["value"]),
                requirement("key2", In, &["value2"]),
            ],
            "key",
            Some("value"),
        ),
    ];
    for (requirements, key, expected) in cases {
        let selector = LabelSelector::from_requirements(requirements);
        assert_eq!(
            selector.requires_exact_match(key),
            expected,
            "{selector} {key}"
        );
    }
}

/// TestValidatedSelectorFromSet.
#[test]
fn upstream_validated_selector_from_set() {
    let selector = LabelSelector::from_set(&set(&[("key", "val")])).unwrap();
    assert_eq!(
        selector.requirements(),
        [requirement("key", Equals, &["val"])]
    );
    let long = "axahm2EJ8Phiephe2eixohbee9eGeiyees1thuozi1xoh0GiuH3diewi8iem7Nui";
    let error = LabelSelector::from_set(&set(&[("Key", long)])).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("values[0][Key]: Invalid value: \"{long}\": must be no more than 63 bytes")
    );
    assert_eq!(error.kind(), SelectorErrorKind::InvalidValue);
}

// ---- apis/meta/v1/helpers_test.go ------------------------------------------------------------

/// TestLabelSelectorAsSelector.
#[test]
fn upstream_label_selector_as_selector() {
    let match_labels = set(&[("foo", "bar")]);
    let match_expressions = vec![LabelSelectorRequirement {
        key: "baz".into(),
        operator: LabelSelectorOperator::In,
        values: strings(&["qux", "norf"]),
    }];
    assert!(
        LabelSelector::from_optional_spec(None)
            .unwrap()
            .matches_nothing()
    );
    let everything = LabelSelector::from_spec(&LabelSelectorSpec::default()).unwrap();
    assert_eq!(everything, LabelSelector::everything());
    let cases = [
        (match_labels.clone(), vec![], "foo=bar"),
        (
            BTreeMap::new(),
            match_expressions.clone(),
            "baz in (norf,qux)",
        ),
        (match_labels, match_expressions, "baz in (norf,qux),foo=bar"),
    ];
    for (match_labels, match_expressions, expected) in cases {
        let spec = LabelSelectorSpec {
            match_labels,
            match_expressions,
        };
        let selector = LabelSelector::from_optional_spec(Some(&spec)).unwrap();
        assert_eq!(selector.to_string(), expected);
        assert_eq!(
            selector.to_string(),
            LabelSelector::parse(expected).unwrap().to_string()
        );
    }
    let exists_with_values = LabelSelectorSpec {
        match_labels: BTreeMap::new(),
        match_expressions: vec![LabelSelectorRequirement {
            key: "baz".into(),
            operator: LabelSelectorOperator::Exists,
            values: strings(&["qux", "norf"]),
        }],
    };
    let error = LabelSelector::from_spec(&exists_with_values).unwrap_err();
    assert_eq!(
        error.to_string(),
        r#"matchExpressions[0].values: Invalid value: ["qux", "norf"]: values set must be empty for exists and does not exist"#
    );
}

// ---- fields/selector_test.go -----------------------------------------------------------------

/// TestSplitTerms.
#[test]
fn upstream_field_split_terms() {
    let cases: &[(&str, &[&str])] = &[
        ("a", &["a"]),
        ("a=avalue", &["a=avalue"]),
        ("a=avalue,b=bvalue", &["a=avalue", "b=bvalue"]),
        (
            "a=avalue,b==bvalue,c!=cvalue",
            &["a=avalue", "b==bvalue", "c!=cvalue"],
        ),
        ("", &[]),
        ("a=a,", &["a=a", ""]),
        (",a=a", &["", "a=a"]),
        (r"k=\,,k2=v2", &[r"k=\,", "k2=v2"]),
        (r"k=\\,k2=v2", &[r"k=\\", "k2=v2"]),
        (r"k=\\\,,k2=v2", &[r"k=\\\,", "k2=v2"]),
        (r"k=\a\b\", &[r"k=\a\b\"]),
        (r"k=\", &[r"k=\"]),
        ("함=수,목=록", &["함=수", "목=록"]),
    ];
    for (text, expected) in cases {
        let terms: Vec<&str> = split_field_terms(text)
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        assert_eq!(terms, *expected, "{text:?}");
    }
}

/// TestSplitTerm.
#[test]
fn upstream_field_split_term() {
    let cases: &[(&str, Option<Split>)] = &[
        ("a=value", Some(("a", FieldOperator::Equals, "value"))),
        ("b==value", Some(("b", FieldOperator::Equals, "value"))),
        ("c!=value", Some(("c", FieldOperator::NotEquals, "value"))),
        ("", None),
        ("a", None),
        (r"k=\,", Some(("k", FieldOperator::Equals, r"\,"))),
        (r"k=\=", Some(("k", FieldOperator::Equals, r"\="))),
        (
            r"k=\\\a\b\=\,\",
            Some(("k", FieldOperator::Equals, r"\\\a\b\=\,\")),
        ),
        ("함=수", Some(("함", FieldOperator::Equals, "수"))),
    ];
    for (term, expected) in cases {
        let got = split_field_term(term).map(|(field, op, at)| (field, op, &term[at..]));
        assert_eq!(got, *expected, "{term:?}");
    }
}

/// TestEscapeValue.
#[test]
fn upstream_field_escape_value() {
    for (literal, escaped) in [
        ("", ""),
        ("a", "a"),
        ("=", r"\="),
        (",", r"\,"),
        (r"\", r"\\"),
        (r"\=\,\", r"\\\=\\\,\\"),
    ] {
        assert_eq!(escape_field_value(literal), escaped);
        assert_eq!(unescape_field_value(escaped).as_deref(), Ok(literal));
    }
    for invalid in [r"\", r"\\\", r"\a"] {
        let error = unescape_field_value(invalid).unwrap_err();
        assert!(
            error.to_string().contains("invalid escape sequence"),
            "{error}"
        );
        assert_eq!(error.kind(), SelectorErrorKind::InvalidEscape);
    }
}

/// TestSelectorParse.
#[test]
fn upstream_field_selector_parse() {
    for text in ["x=a,y=b,z=c", "", "x!=a,y=b", r"x=a||y\=b", r"x=a\=\=b"] {
        let selector = FieldSelector::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(selector.to_string(), text);
    }
    for text in [
        "x=a||y=b",
        "x==a==b",
        "x=a,b",
        "x in (a)",
        "x in (a,b,c)",
        "x",
    ] {
        field_error(text);
    }
}

/// TestDeterministicParse.
#[test]
fn upstream_field_deterministic_parse() {
    let a = FieldSelector::parse("x=a,a=x").unwrap();
    let b = FieldSelector::parse("a=x,x=a").unwrap();
    assert_eq!(a.to_string(), b.to_string());
}

fn lookup(fields: &BTreeMap<String, String>) -> impl Fn(&str) -> Option<String> + '_ {
    |name| fields.get(name).cloned()
}

/// TestEverything and TestSelectorMatches.
#[test]
fn upstream_field_selector_matches() {
    assert!(FieldSelector::everything().matches(lookup(&set(&[("x", "y")]))));
    assert!(FieldSelector::everything().matches_everything());
    let cases: &[MatchCase] = &[
        ("", &[("x", "y")], true),
        ("x=y", &[("x", "y")], true),
        ("x=y,z=w", &[("x", "y"), ("z", "w")], true),
        ("x!=y,z!=w", &[("x", "z"), ("z", "a")], true),
        ("notin=in", &[("notin", "in")], true),
        ("x=y", &[("x", "z")], false),
        ("x=y,z=w", &[("x", "w"), ("z", "w")], false),
        ("x!=y,z!=w", &[("x", "z"), ("z", "w")], false),
    ];
    for (text, fields, expected) in cases {
        let selector = FieldSelector::parse(text).unwrap();
        assert_eq!(
            selector.matches(lookup(&set(fields))),
            *expected,
            "{text:?}"
        );
    }
    let fields = set(&[("foo", "bar"), ("baz", "blah"), ("complex", r"=value\,\")]);
    for (text, expected) in [
        ("foo=bar", true),
        ("baz=blah", true),
        ("foo=bar,baz=blah", true),
        (r"foo=bar,baz=blah,complex=\=value\\\,\\", true),
        ("foo=blah", false),
        ("baz=bar", false),
        ("foo=bar,foobar=bar,baz=blah", false),
    ] {
        let selector = FieldSelector::parse(text).unwrap();
        assert_eq!(selector.matches(lookup(&fields)), expected, "{text:?}");
    }
}

/// TestOneTermEqualSelector and the parseable cases of TestRequiresExactMatch.
#[test]
fn upstream_field_requires_exact_match() {
    let one_term = FieldSelector::parse("x=y").unwrap();
    assert!(one_term.matches(lookup(&set(&[("x", "y")]))));
    assert!(!one_term.matches(lookup(&set(&[("x", "z")]))));
    for (text, expected) in [
        ("", None),
        ("a=b", None),
        ("test=b", Some("b")),
        ("test=", Some("")),
        ("test!=b", None),
        ("test!=", None),
        ("=,test=b", Some("b")),
        ("a=b,test=b", Some("b")),
    ] {
        let selector = FieldSelector::parse(text).unwrap();
        assert_eq!(selector.requires_exact_match("test"), expected, "{text:?}");
    }
}

// ---- Our own cases: label selectors ----------------------------------------------------------

#[test]
fn empty_and_blank_label_selectors_match_everything() {
    for text in ["", " ", "\t\r\n "] {
        let selector = LabelSelector::parse(text).unwrap();
        assert!(selector.matches_everything(), "{text:?}");
        assert!(selector.matches(&set(&[])));
        assert_eq!(selector.to_string(), "");
    }
}

#[test]
fn whitespace_is_tolerated_exactly_where_upstream_tolerates_it() {
    let selector = LabelSelector::parse(" app = web ,\ttier\nin ( a , b ) , ! canary ").unwrap();
    assert_eq!(selector.to_string(), "app=web,!canary,tier in (a,b)");
    // Only space, tab, CR and LF separate tokens; other whitespace is part of an identifier.
    assert_eq!(
        parse_error("app=\u{b}web").kind(),
        SelectorErrorKind::InvalidValue
    );
    assert_eq!(
        parse_error("app=\u{a0}").kind(),
        SelectorErrorKind::InvalidValue
    );
}

#[test]
fn label_syntax_errors_mirror_upstream_messages_and_point_at_the_token() {
    let cases = [
        (
            "x y",
            "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt",
            2,
        ),
        (
            "a in (xyz),",
            "found '', expected: identifier after ','",
            11,
        ),
        ("x==a==b", "found '==', expected: ',' or 'end of string'", 4),
        ("!x=a", "found '=', expected: ',' or 'end of string'", 2),
        (
            ",x",
            "found ',', expected: !, identifier, or 'end of string'",
            0,
        ),
        (
            "x in a",
            "unable to parse requirement: found 'a' expected: '('",
            5,
        ),
        (
            "x in (a b)",
            "unable to parse requirement: found 'b', expected: ',' or ')'",
            8,
        ),
        (
            "x in (a,(",
            "unable to parse requirement: found '(', expected: ',', or identifier",
            8,
        ),
        (
            "x in (=)",
            "unable to parse requirement: found '=', expected: ',', ')' or identifier",
            6,
        ),
        (
            "x=(",
            "unable to parse requirement: found '(', expected: identifier",
            2,
        ),
        (
            "!",
            "unable to parse requirement: found '', expected: identifier",
            1,
        ),
        (
            "x in (a",
            "unable to parse requirement: found '', expected: ',' or ')'",
            7,
        ),
    ];
    for (text, message, offset) in cases {
        let error = parse_error(text);
        assert_eq!(error.to_string(), message, "{text:?}");
        assert_eq!(error.kind(), SelectorErrorKind::Syntax, "{text:?}");
        assert_eq!(error.offset(), Some(offset), "{text:?}");
    }
}

#[test]
fn label_key_and_value_errors_say_what_is_wrong() {
    let cases = [
        ("-app=x", format!(r#"key: Invalid value: "-app": name part {KEY_NAME_RULE}"#)),
        (
            "a/b/c",
            format!(
                r#"key: Invalid value: "a/b/c": a valid label key {KEY_NAME_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"#
            ),
        ),
        ("/app", r#"key: Invalid value: "/app": prefix part must be non-empty"#.to_string()),
        (
            "app/",
            format!(r#"key: Invalid value: "app/": name part must be non-empty; name part {KEY_NAME_RULE}"#),
        ),
        (
            "Example.com/app",
            r#"key: Invalid value: "Example.com/app": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#.to_string(),
        ),
        ("app=-x", format!(r#"values[0][app]: Invalid value: "-x": {VALUE_RULE}"#)),
        ("app in (ok,bad!)", "found '!', expected: ',' or ')'".to_string()),
        ("x>-1", format!(r#"values[0][x]: Invalid value: "-1": {VALUE_RULE}"#)),
        ("x>", r#"values[0]: Invalid value: "": for 'Gt', 'Lt' operators, the value must be an integer"#.to_string()),
        (
            "x<1.5",
            r#"values[0]: Invalid value: "1.5": for 'Gt', 'Lt' operators, the value must be an integer"#.to_string(),
        ),
    ];
    for (text, message) in cases {
        assert_eq!(
            parse_error(text).to_string(),
            format!("unable to parse requirement: {message}"),
            "{text:?}"
        );
    }
    assert_eq!(parse_error("-app=x").kind(), SelectorErrorKind::InvalidKey);
    assert_eq!(parse_error("-app=x").offset(), Some(0));
    assert_eq!(parse_error("ok, !-app").offset(), Some(5));
}

#[test]
fn label_keys_and_values_at_their_limits() {
    let name = "a".repeat(63);
    let prefix = format!("{}.com", "b".repeat(249));
    assert_eq!(prefix.len(), 253);
    let key = format!("{prefix}/{name}");
    let selector = LabelSelector::parse(&format!("{key}={name}")).unwrap();
    assert!(selector.matches(&set(&[(&key, &name)])));

    let too_long_name = format!("{name}a");
    assert_eq!(
        parse_error(&too_long_name).to_string(),
        format!(
            r#"unable to parse requirement: key: Invalid value: "{too_long_name}": name part must be no more than 63 bytes"#
        ),
    );
    let too_long_prefix = format!("a{prefix}/app");
    assert!(
        parse_error(&too_long_prefix)
            .to_string()
            .contains("prefix part must be no more than 253 bytes")
    );
    let too_long_value = format!("app={name}a");
    assert!(
        parse_error(&too_long_value)
            .to_string()
            .contains("must be no more than 63 bytes")
    );
}

#[test]
fn in_and_notin_are_values_after_the_operator() {
    let selector = LabelSelector::parse("in in (in,notin),notin=in,x=notin").unwrap();
    assert_eq!(selector.to_string(), "in in (in,notin),notin=in,x=notin");
    assert!(selector.matches(&set(&[("in", "notin"), ("notin", "in"), ("x", "notin")])));
}

#[test]
fn duplicate_values_and_keys() {
    let selector = LabelSelector::parse("x in (b,a,b),x!=c,x").unwrap();
    // Values are deduplicated and sorted; requirements on one key keep their written order.
    assert_eq!(selector.to_string(), "x in (a,b),x!=c,x");
    assert!(selector.matches(&set(&[("x", "a")])));
    assert!(!selector.matches(&set(&[("x", "c")])));
}

#[test]
fn absent_labels_and_empty_values() {
    let absent = set(&[]);
    let empty = set(&[("x", "")]);
    for (text, on_absent, on_empty) in [
        ("x=", false, true),
        ("x!=", true, false),
        ("x in ()", false, true),
        ("x notin ()", true, false),
        ("x", false, true),
        ("!x", true, false),
        ("x>0", false, false),
        ("x<0", false, false),
    ] {
        let selector = LabelSelector::parse(text).unwrap();
        assert_eq!(selector.matches(&absent), on_absent, "{text:?} on absent");
        assert_eq!(selector.matches(&empty), on_empty, "{text:?} on empty");
    }
}

#[test]
fn greater_and_less_than_compare_integers() {
    let selector = LabelSelector::parse("x>9").unwrap();
    assert!(selector.matches(&set(&[("x", "10")])));
    assert!(!selector.matches(&set(&[("x", "9")])));
    assert!(selector.matches(&set(&[("x", "+10")])));
    assert!(!selector.matches(&set(&[("x", "1e3")])));
    assert!(!selector.matches(&set(&[("x", "99999999999999999999")])));
    assert!(
        LabelSelector::parse("x<0")
            .unwrap()
            .matches(&set(&[("x", "-5")]))
    );
    // The limit itself must be a valid label value, which rules out a sign.
    assert!(LabelSelector::parse("x>9223372036854775807").is_ok());
    assert!(LabelSelector::parse("x>9223372036854775808").is_err());
}

#[test]
fn nothing_selector() {
    let nothing = LabelSelector::nothing();
    assert!(!nothing.matches(&set(&[])));
    assert!(!nothing.matches(&set(&[("a", "b")])));
    assert!(!nothing.matches_everything());
    assert!(nothing.matches_nothing());
    assert_eq!(nothing.to_string(), "");
    assert!(!LabelSelector::everything().matches_nothing());
}

#[test]
fn label_selector_from_str() {
    let selector: LabelSelector = "app=web".parse().unwrap();
    assert_eq!(selector.requires_exact_match("app"), Some("web"));
    assert!("app=".parse::<LabelSelector>().is_ok());
    assert!("=web".parse::<LabelSelector>().is_err());
}

#[test]
fn requirement_accessors() {
    let selector = LabelSelector::parse("tier notin (b,a)").unwrap();
    let [requirement] = selector.requirements() else {
        panic!("one requirement expected");
    };
    assert_eq!(requirement.key(), "tier");
    assert_eq!(requirement.operator(), NotIn);
    assert_eq!(requirement.operator().as_str(), "notin");
    assert_eq!(requirement.values(), strings(&["a", "b"]));
}

#[test]
fn several_constructor_errors_are_reported_together() {
    let error = LabelRequirement::new("-k", In, vec![]).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            r#"[key: Invalid value: "-k": name part {KEY_NAME_RULE}, values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty]"#
        )
    );
    assert_eq!(error.kind(), SelectorErrorKind::InvalidKey);
    assert_eq!(error.offset(), None);
}

// ---- Our own cases: label selectors in objects -----------------------------------------------

fn spec(json: &str) -> LabelSelectorSpec {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

#[test]
fn spec_deserializes_with_defaults() {
    let read = spec(
        r#"{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"NotIn","values":["db"]},{"key":"canary","operator":"DoesNotExist"}],"extra":1}"#,
    );
    assert_eq!(read.match_labels, set(&[("app", "web")]));
    assert_eq!(
        read.match_expressions[1].operator,
        LabelSelectorOperator::DoesNotExist
    );
    assert!(read.match_expressions[1].values.is_empty());
    let selector = LabelSelector::from_spec(&read).unwrap();
    assert_eq!(selector.to_string(), "app=web,!canary,tier notin (db)");
    assert!(selector.matches(&set(&[("app", "web"), ("tier", "api")])));
    assert!(!selector.matches(&set(&[("app", "web"), ("canary", "1")])));

    assert_eq!(spec("{}"), LabelSelectorSpec::default());
    assert!(
        LabelSelector::from_spec(&spec("{}"))
            .unwrap()
            .matches_everything()
    );
    assert!(
        LabelSelector::from_spec(&spec(r#"{"matchLabels":{}}"#))
            .unwrap()
            .matches(&set(&[]))
    );
}

#[test]
fn spec_errors_name_the_offending_entry() {
    let cases = [
        (
            r#"{"matchExpressions":[{"key":"a","operator":"Exists"},{"key":"b","operator":"In"}]}"#,
            "matchExpressions[1].values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty",
            SelectorErrorKind::InvalidValue,
        ),
        (
            r#"{"matchExpressions":[{"key":"b","operator":"DoesNotExist","values":["x"]}]}"#,
            r#"matchExpressions[0].values: Invalid value: ["x"]: values set must be empty for exists and does not exist"#,
            SelectorErrorKind::InvalidValue,
        ),
        (
            r#"{"matchExpressions":[{"key":"b","operator":"in","values":["x"]}]}"#,
            r#"matchExpressions[0].operator: Unsupported value: "in": supported values: "In", "NotIn", "Exists", "DoesNotExist""#,
            SelectorErrorKind::UnsupportedOperator,
        ),
        (
            r#"{"matchExpressions":[{"key":"b"}]}"#,
            r#"matchExpressions[0].operator: Unsupported value: "": supported values: "In", "NotIn", "Exists", "DoesNotExist""#,
            SelectorErrorKind::UnsupportedOperator,
        ),
        (
            r#"{"matchExpressions":[{"key":"b","operator":"In","values":["ok","-no"]}]}"#,
            "matchExpressions[0].values[1]: Invalid value: \"-no\": VALUE",
            SelectorErrorKind::InvalidValue,
        ),
        (
            r#"{"matchExpressions":[{"operator":"Exists"}]}"#,
            "matchExpressions[0].key: Invalid value: \"\": name part must be non-empty; name part KEY",
            SelectorErrorKind::InvalidKey,
        ),
        (
            r#"{"matchLabels":{"app":"web","bad key":"x"}}"#,
            "matchLabels: Invalid value: \"bad key\": name part KEY",
            SelectorErrorKind::InvalidKey,
        ),
        (
            r#"{"matchLabels":{"app":"web server"}}"#,
            "matchLabels[app]: Invalid value: \"web server\": VALUE",
            SelectorErrorKind::InvalidValue,
        ),
    ];
    for (json, message, kind) in cases {
        let error = LabelSelector::from_spec(&spec(json)).unwrap_err();
        let message = message
            .replace("VALUE", VALUE_RULE)
            .replace("KEY", KEY_NAME_RULE);
        assert_eq!(error.to_string(), message, "{json}");
        assert_eq!(error.kind(), kind, "{json}");
        assert_eq!(error.offset(), None);
    }
}

#[test]
fn spec_values_keep_their_order_and_duplicates() {
    let read = spec(r#"{"matchExpressions":[{"key":"x","operator":"In","values":["b","a","b"]}]}"#);
    let selector = LabelSelector::from_spec(&read).unwrap();
    assert_eq!(
        selector.requirements()[0].values(),
        strings(&["b", "a", "b"])
    );
    assert_eq!(selector.to_string(), "x in (a,b,b)");
}

#[test]
fn operator_as_str_round_trips() {
    for name in ["In", "NotIn", "Exists", "DoesNotExist", "Gt", ""] {
        let operator: LabelSelectorOperator = serde_json::from_str(&format!("\"{name}\"")).unwrap();
        assert_eq!(operator.as_str(), name);
    }
}

// ---- Our own cases: field selectors ----------------------------------------------------------

#[test]
fn field_selector_requirements_are_exposed_sorted_by_term() {
    let selector = FieldSelector::parse("status.phase!=Running,metadata.name==web-0,,").unwrap();
    let terms: Vec<(&str, FieldOperator, &str)> = selector
        .requirements()
        .iter()
        .map(|r| (r.field(), r.operator(), r.value()))
        .collect();
    assert_eq!(
        terms,
        [
            ("metadata.name", FieldOperator::Equals, "web-0"),
            ("status.phase", FieldOperator::NotEquals, "Running"),
        ]
    );
    assert_eq!(
        selector.to_string(),
        "metadata.name=web-0,status.phase!=Running"
    );
}

#[test]
fn unknown_fields_read_as_empty() {
    let none = |_: &str| None;
    assert!(
        FieldSelector::parse("spec.nodeName=")
            .unwrap()
            .matches(none)
    );
    assert!(
        !FieldSelector::parse("spec.nodeName!=")
            .unwrap()
            .matches(none)
    );
    assert!(
        FieldSelector::parse("spec.nodeName!=node-1")
            .unwrap()
            .matches(none)
    );
    assert!(
        !FieldSelector::parse("spec.nodeName=node-1")
            .unwrap()
            .matches(none)
    );
}

#[test]
fn field_terms_with_nothing_on_either_side_are_ignored() {
    for text in ["", ",", ",,,", "=", "==", "!=", "=,!="] {
        let selector = FieldSelector::parse(text).unwrap();
        assert!(selector.matches_everything(), "{text:?}");
    }
    // An empty field with a value is kept, as upstream does.
    let selector = FieldSelector::parse("=x").unwrap();
    assert_eq!(selector.requirements()[0].field(), "");
    assert!(!selector.matches(|_| None));
}

#[test]
fn field_values_may_hold_anything_escaped() {
    let selector = FieldSelector::parse(r"metadata.name=a\,b\=c\\d!e f,x!=é").unwrap();
    assert_eq!(selector.requirements()[0].value(), r"a,b=c\d!e f");
    assert_eq!(selector.to_string(), r"metadata.name=a\,b\=c\\d!e f,x!=é");
    // The field itself is taken verbatim up to the first operator.
    let selector = FieldSelector::parse(r"a!b\=c").unwrap();
    assert_eq!(selector.requirements()[0].field(), r"a!b\");
    assert_eq!(selector.requirements()[0].value(), "c");
}

#[test]
fn field_errors_say_what_and_where() {
    let cases = [
        (
            "x",
            "invalid selector: 'x'; can't understand 'x'",
            SelectorErrorKind::Syntax,
            0,
        ),
        (
            "a=b,c",
            "invalid selector: 'a=b,c'; can't understand 'c'",
            SelectorErrorKind::Syntax,
            4,
        ),
        (
            "x==a==b",
            "invalid field selector: unescaped character in value: '=' in 'x==a==b'",
            SelectorErrorKind::InvalidEscape,
            4,
        ),
        (
            r"k=v,name=a\!b",
            r"invalid field selector: invalid escape sequence: \! in 'name=a\!b'",
            SelectorErrorKind::InvalidEscape,
            10,
        ),
        (
            r"name=ab\",
            r"invalid field selector: invalid escape sequence: \ in 'name=ab\'",
            SelectorErrorKind::InvalidEscape,
            7,
        ),
    ];
    for (text, message, kind, offset) in cases {
        let error = field_error(text);
        assert_eq!(error.to_string(), message, "{text:?}");
        assert_eq!(error.kind(), kind, "{text:?}");
        assert_eq!(error.offset(), Some(offset), "{text:?}");
    }
    let error = unescape_field_value("a=b").unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid field selector: unescaped character in value: '='"
    );
    assert_eq!(error.offset(), Some(1));
}

#[test]
fn field_selector_from_str() {
    let selector: FieldSelector = "metadata.namespace=default".parse().unwrap();
    assert_eq!(
        selector.requires_exact_match("metadata.namespace"),
        Some("default")
    );
}

// ---- Our own cases: hostile input ------------------------------------------------------------

#[test]
fn very_long_input_errors_briefly_without_panicking() {
    let huge = "a".repeat(100 * 1024);
    let with_long_literals = [
        huge.clone(),
        format!("app={huge}"),
        format!("app in (a {huge})"),
        format!("{huge} y"),
        format!("x {huge}"),
    ];
    for text in with_long_literals {
        let message = parse_error(&text).to_string();
        assert!(message.len() < 1000, "{message:.200}");
        assert!(message.contains("...(+"), "{message:.200}");
    }
    let repetitive = [
        "(".repeat(100 * 1024),
        "!".repeat(100 * 1024),
        format!("x=a{}", ",".repeat(100 * 1024)),
        format!("x in ({}", ",".repeat(100 * 1024)),
        format!("x in ({}", "a,".repeat(50 * 1024)),
    ];
    for text in repetitive {
        let message = parse_error(&text).to_string();
        assert!(message.len() < 1000, "{message:.200}");
    }
    let many = std::iter::repeat_n("a=b", 25 * 1024)
        .collect::<Vec<_>>()
        .join(",");
    assert_eq!(
        LabelSelector::parse(&many).unwrap().requirements().len(),
        25 * 1024
    );
    let values = std::iter::repeat_n("v", 50 * 1024)
        .collect::<Vec<_>>()
        .join(",");
    let selector = LabelSelector::parse(&format!("x in ({values})")).unwrap();
    assert_eq!(selector.requirements()[0].values(), ["v"]);

    let error = field_error(&huge);
    assert!(error.to_string().len() < 1000);
    let error = field_error(&format!("f={huge}=,g"));
    assert!(error.to_string().len() < 1000);
    let selector = FieldSelector::parse(&format!("f={huge}")).unwrap();
    assert_eq!(selector.requirements()[0].value().len(), huge.len());
}

#[test]
fn unicode_input_errors_cleanly() {
    let error = parse_error("ключ=значение");
    assert_eq!(
        error.to_string(),
        format!(
            r#"unable to parse requirement: key: Invalid value: "ключ": name part {KEY_NAME_RULE}"#
        )
    );
    assert_eq!(
        parse_error("app=café").to_string(),
        format!(
            r#"unable to parse requirement: values[0][app]: Invalid value: "café": {VALUE_RULE}"#
        )
    );
    assert!(parse_error("app in (a, ä)").to_string().contains("\"ä\""));
    assert!(parse_error("app=😀😀").to_string().contains("😀😀"));
    // A multi-byte character straddling the shortening point is not split.
    let long = format!("{}é{}", "a".repeat(63), "b".repeat(100));
    let message = parse_error(&format!("app={long}")).to_string();
    assert!(message.contains(&format!(
        "\"{}...(+{} bytes)\"",
        "a".repeat(63),
        long.len() - 63
    )));
    // Field selectors do not validate, so unicode is fine there.
    let selector = FieldSelector::parse("metadata.name=naïve,spec.ключ!=x").unwrap();
    assert!(selector.matches(|field| (field == "metadata.name").then(|| "naïve".to_string())));
}

#[test]
fn control_characters_never_break_the_message_line() {
    for text in [
        "app=a\u{0}b",
        "a\u{0}",
        "app=\u{1b}[31m",
        "x in (a\u{2028}b)",
        "x=a\u{85}",
    ] {
        let message = parse_error(text).to_string();
        assert!(
            !message.chars().any(|c| c.is_control() || c == '\u{2028}'),
            "{message:?}"
        );
    }
    for text in ["x\ny", "f=a\u{0}=b", "f=\\\n"] {
        let message = field_error(text).to_string();
        assert!(!message.chars().any(char::is_control), "{message:?}");
    }
    assert!(
        parse_error("app=a\u{0}b")
            .to_string()
            .contains(r#""a\u{0}b""#)
    );
}

fn alphabet() -> Vec<char> {
    "ab9=!(),<> \t\n.-_/\\in\u{0}é😀".chars().collect()
}

proptest! {
    /// Nothing panics, every error is one line, and the canonical text of a label selector reads
    /// back as the same selector.
    #[test]
    fn arbitrary_text(chars in vec(select(alphabet()), 0..48)) {
        let text: String = chars.into_iter().collect();
        match LabelSelector::parse(&text) {
            Ok(selector) => {
                let again = LabelSelector::parse(&selector.to_string());
                prop_assert_eq!(again.as_ref(), Ok(&selector), "{:?} -> {}", text, selector);
            }
            Err(e) => {
                prop_assert!(!e.to_string().contains('\n'), "{:?}", e);
                prop_assert!(e.offset().is_some_and(|at| at <= text.len()));
            }
        }
        match FieldSelector::parse(&text) {
            Ok(selector) => {
                // The canonical text reads back as the same terms (possibly in another order,
                // as upstream sorts terms by their escaped text).
                let canonical = |s: &FieldSelector| {
                    let mut terms: Vec<String> =
                        s.requirements().iter().map(ToString::to_string).collect();
                    terms.sort();
                    terms
                };
                let again = FieldSelector::parse(&selector.to_string());
                prop_assert_eq!(again.as_ref().map(canonical), Ok(canonical(&selector)));
            }
            Err(e) => {
                prop_assert!(!e.to_string().contains('\n'), "{:?}", e);
                prop_assert!(e.offset().is_some_and(|at| at <= text.len()));
            }
        }
    }

    /// Escaping then unescaping a field value gives it back, and an escaped value parses.
    #[test]
    fn field_escaping_round_trips(chars in vec(select(alphabet()), 0..32)) {
        let value: String = chars.into_iter().collect();
        let escaped = escape_field_value(&value);
        prop_assert_eq!(unescape_field_value(&escaped), Ok(value.clone()));
        let selector = FieldSelector::parse(&format!("f={escaped}")).unwrap();
        prop_assert!(selector.matches(|_| Some(value.clone())));
    }
}
