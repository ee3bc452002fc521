//! The pane filter typed after `/`, read once when it changes and applied to every row:
//!
//! - `text`: a regular expression over the whole row as shown (every column), case-insensitive
//!   unless the text has a capital (smart case);
//! - `!text`: the rows the expression does not match;
//! - `-f text`: fuzzy over the name, as k9s's `-f`: scored, best first, matched characters shown;
//! - `-l selector`: a label selector, as `kubectl get -l` reads it;
//! - `-F selector`: a field selector over the fields the API server indexes for the kind (`-F`,
//!   not kubectl's `--field-selector` spelled short, because k9s users type `-f` for fuzzy).
//!
//! A text that does not parse keeps its error (one line, shown in the prompt) and matches nothing,
//! as the API server would refuse the list.

use std::borrow::Cow;

use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use regex::Regex;

use super::row_texts::{ROWS_WORTH_A_THREAD, RowTexts, Rows};
use crate::model::selector::{FieldSelector, LabelSelector};
use crate::model::spread::claim_parts;

/// What a filter reads of one row.
pub trait Filterable {
    /// The name fuzzy matching scores.
    fn name(&self) -> Cow<'_, str>;
    /// The row's columns as shown, separated by spaces.
    fn write_row(&self, out: &mut String);
    /// Whether the object's labels satisfy `selector`.
    fn matches_labels(&self, selector: &LabelSelector) -> bool;
    /// The value of a field a field selector names, as the API server gives it for this kind;
    /// `None` when the kind does not index it.
    fn field(&self, field: &str) -> Option<String>;
}

/// The filter of the current pane.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    text: String,
    rule: Rule,
}

impl PartialEq for Filter {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Filter {}

#[derive(Debug, Clone, Default)]
enum Rule {
    #[default]
    Everything,
    /// Smart case: a pattern without capitals is built case-insensitive.
    Pattern {
        regex: Regex,
        inverse: bool,
    },
    Fuzzy(Vec<Atom>),
    Labels(LabelSelector),
    Fields(FieldSelector),
    Invalid(String),
}

impl Filter {
    /// Reads a filter as typed.
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_string(),
            rule: Rule::read(text.trim()),
        }
    }

    /// The text as typed.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }

    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// Why the text does not parse, in one line.
    pub fn error(&self) -> Option<&str> {
        match &self.rule {
            Rule::Invalid(error) => Some(error),
            _ => None,
        }
    }

    /// Why the filter cannot be applied to a kind that indexes `fields` (besides the name and
    /// namespace every kind has): a parse error, or a field the API server would refuse.
    pub fn problem(&self, fields: &[&str]) -> Option<String> {
        match &self.rule {
            Rule::Invalid(error) => Some(error.clone()),
            Rule::Fields(selector) => selector
                .requirements()
                .iter()
                .map(|r| r.field())
                .find(|field| !field_allowed(field, fields))
                .map(|field| format!("field label not supported: {field}")),
            _ => None,
        }
    }

    /// Whether rows are ordered by how well they match (fuzzy), best first.
    pub fn ranks(&self) -> bool {
        matches!(self.rule, Rule::Fuzzy(_))
    }

    /// Whether the filter reads each row's text or name (a regex, fuzzy), rather than its labels
    /// or fields.
    pub fn reads_row_text(&self) -> bool {
        matches!(self.rule, Rule::Pattern { .. } | Rule::Fuzzy(_))
    }

    /// The rows the filter keeps, in the order given, or best first when it ranks. `fields` are
    /// the fields the kind indexes for field selectors.
    pub fn select<'k, K, T: Filterable>(
        &self,
        rows: impl Iterator<Item = (&'k K, T)>,
        fields: &[&str],
    ) -> Vec<&'k K> {
        match &self.rule {
            Rule::Everything => {
                // Room for every row the walk may give (a scope keeps fewer), made once: grown
                // by doubling, the 51,539 keys of a frame were copied over a dozen times.
                let mut keys = Vec::with_capacity(rows.size_hint().1.unwrap_or(0));
                keys.extend(rows.map(|(key, _)| key));
                keys
            }
            Rule::Invalid(_) => Vec::new(),
            Rule::Pattern { regex, inverse } => {
                let mut text = String::new();
                rows.filter(|(_, row)| {
                    text.clear();
                    row.write_row(&mut text);
                    regex.is_match(&text) != *inverse
                })
                .map(|(key, _)| key)
                .collect()
            }
            Rule::Labels(selector) => rows
                .filter(|(_, row)| row.matches_labels(selector))
                .map(|(key, _)| key)
                .collect(),
            Rule::Fields(selector) => {
                if self.problem(fields).is_some() {
                    return Vec::new();
                }
                rows.filter(|(_, row)| selector.matches(|field| row.field(field)))
                    .map(|(key, _)| key)
                    .collect()
            }
            Rule::Fuzzy(_) => Self::best_first(self.scores(rows)),
        }
    }

    /// The rows a fuzzy filter keeps with their scores, in the order given (none for another
    /// filter).
    pub fn scores<'k, K, T: Filterable>(
        &self,
        rows: impl Iterator<Item = (&'k K, T)>,
    ) -> Vec<(&'k K, u32)> {
        let Rule::Fuzzy(atoms) = &self.rule else {
            return Vec::new();
        };
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buffer = Vec::new();
        rows.filter_map(|(key, row)| {
            let name = row.name();
            let mut total = 0u32;
            for atom in atoms {
                let haystack = Utf32Str::new(&name, &mut buffer);
                total += u32::from(atom.score(haystack, &mut matcher)?);
            }
            Some((key, total))
        })
        .collect()
    }

    /// Scored rows best first; equal scores keep the order given.
    pub fn best_first<K>(scored: Vec<(&K, u32)>) -> Vec<&K> {
        let mut ranked: Vec<(std::cmp::Reverse<u32>, usize, &K)> = scored
            .into_iter()
            .enumerate()
            .map(|(position, (key, score))| (std::cmp::Reverse(score), position, key))
            .collect();
        // Unique positions make an unstable sort keep the given order among equals.
        ranked.sort_unstable_by_key(|&(score, position, _)| (score, position));
        ranked.into_iter().map(|(_, _, key)| key).collect()
    }

    /// Whether the filter is a regex, which `scan` applies to rows laid end to end.
    pub fn scans(&self) -> bool {
        matches!(self.rule, Rule::Pattern { .. })
    }

    /// Which of `texts`' rows a regex filter keeps (`None` for a filter that does not read row
    /// texts as a regex: `select` reads its rows one by one).
    ///
    /// The regex runs over the whole buffer rather than row by row: it reports the end of a
    /// match as soon as it knows one, the leftmost match up to that end is found, the row
    /// holding its start is checked on its own (a match may run across a row's newline), and
    /// the search goes on from the next row. No row before that start can hold a match of its
    /// own (it would have been found, starting earlier and ending no later), so every matching
    /// row is found. The end alone says too little: it may lie past the newline of a row whose
    /// own match ends before it (`-\n?` over `-\n` reports 2). Anchors
    /// (`^`, `$`, `\A`, `\z`) mean something else in one buffer, so such a regex reads row by row.
    pub fn scan(&self, texts: &RowTexts) -> Option<Vec<bool>> {
        // The rows in parts, claimed by the cores as they come to them: a first key typed
        // matches nearly every row of 50,000, which is most of that keystroke's time.
        self.scan_in_parts(texts, ROWS_WORTH_A_THREAD)
    }

    /// `scan`, the rows cut in parts of `part` rows (`claim_parts`).
    fn scan_in_parts(&self, texts: &RowTexts, part: usize) -> Option<Vec<bool>> {
        let Rule::Pattern { regex, inverse } = &self.rule else {
            return None;
        };
        let rows = texts.rows();
        let count = rows.spans.len();
        let anchored = has_anchor(regex.as_str());
        let part = part.max(1);
        let parts = claim_parts(count.div_ceil(part), |number| {
            let first = number * part;
            let mut kept = vec![false; part.min(count - first)];
            scan_part(regex, anchored, rows, first, &mut kept);
            kept
        });
        let mut kept = parts.concat();
        if *inverse {
            kept.iter_mut().for_each(|kept| *kept = !*kept);
        }
        Some(kept)
    }

    /// The character positions of `name` a fuzzy filter matched, for highlighting.
    pub fn matched_chars(&self, name: &str) -> Vec<usize> {
        let Rule::Fuzzy(atoms) = &self.rule else {
            return Vec::new();
        };
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buffer = Vec::new();
        let mut indices = Vec::new();
        for atom in atoms {
            atom.indices(Utf32Str::new(name, &mut buffer), &mut matcher, &mut indices);
        }
        indices.sort_unstable();
        indices.dedup();
        indices.into_iter().map(|i| i as usize).collect()
    }
}

/// `Filter::scan` over the rows from `first` on, one flag in `kept` a row. The search reads only
/// this part's text (up to its last row's newline), so a part without matches costs its own
/// length, not the rest of the buffer's.
fn scan_part(regex: &Regex, anchored: bool, rows: Rows<'_>, first: usize, kept: &mut [bool]) {
    let count = kept.len();
    if anchored {
        for (index, kept) in kept.iter_mut().enumerate() {
            *kept = regex.is_match(rows.row(first + index));
        }
        return;
    }
    let spans = &rows.spans[first..first + count];
    let Some(&(_, last_end)) = spans.last() else {
        return;
    };
    let text = &rows.text[..last_end as usize + 1];
    let mut index = 0;
    while index < count {
        // Rows that follow a kept row are tried one by one while they match: a first key typed
        // matches nearly every row, and a search for the next match then finds it in the next
        // row anyway, at three times the cost.
        if index > 0 && kept[index - 1] {
            kept[index] = regex.is_match(rows.row(first + index));
            index += 1;
            continue;
        }
        let from = spans[index].0 as usize;
        let Some(end) = regex.shortest_match_at(text, from) else {
            break;
        };
        // The leftmost match up to that end: its search reads no further than the first did
        // (a leftmost match over the whole rest could run to the buffer's end, every row).
        let start = regex
            .find_at(&text[..end], from)
            .map_or(end, |found| found.start());
        // The first row whose text (or newline) holds the start.
        index += spans[index..].partition_point(|&(_, row_end)| (row_end as usize) < start);
        if index >= count {
            break;
        }
        kept[index] = regex.is_match(rows.row(first + index));
        index += 1;
    }
}

/// Whether a regex's text may hold an anchor (conservatively: any `^` or `$`, `\A`, `\z`).
fn has_anchor(pattern: &str) -> bool {
    pattern.contains(['^', '$']) || pattern.contains("\\A") || pattern.contains("\\z")
}

/// Every kind's field selectors take its name and namespace.
fn field_allowed(field: &str, fields: &[&str]) -> bool {
    matches!(field, "metadata.name" | "metadata.namespace") || fields.contains(&field)
}

impl Rule {
    fn read(text: &str) -> Self {
        if text.is_empty() {
            return Rule::Everything;
        }
        if let Some(selector) = prefixed(text, "-l") {
            return match LabelSelector::parse(selector) {
                Ok(selector) => Rule::Labels(selector),
                Err(error) => Rule::Invalid(error.to_string()),
            };
        }
        if let Some(selector) = prefixed(text, "-F") {
            return match FieldSelector::parse(selector) {
                Ok(selector) => Rule::Fields(selector),
                Err(error) => Rule::Invalid(error.to_string()),
            };
        }
        if let Some(needle) = prefixed(text, "-f") {
            let atoms: Vec<Atom> = needle
                .split_whitespace()
                .map(|word| {
                    Atom::new(
                        word,
                        CaseMatching::Smart,
                        Normalization::Smart,
                        AtomKind::Fuzzy,
                        false,
                    )
                })
                .collect();
            return if atoms.is_empty() {
                Rule::Everything
            } else {
                Rule::Fuzzy(atoms)
            };
        }
        let (inverse, pattern) = match text.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        // Smart case: a capital asks for exactly that case. Matched case-insensitively rather
        // than against a lowercase copy of the rows: 50,000 rows' copy is 5 MB kept (and made
        // again after each edit under churn) to make a plain word's search a little quicker.
        let smart = !pattern.chars().any(char::is_uppercase);
        match regex::RegexBuilder::new(pattern)
            .case_insensitive(smart)
            .size_limit(1 << 20)
            .build()
        {
            Ok(regex) => Rule::Pattern { regex, inverse },
            Err(error) => Rule::Invalid(regex_error(&error)),
        }
    }
}

/// The text after a `-l`/`-f`/`-F` prefix (`-lapp=web` and `-l app=web` alike).
fn prefixed<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    text.strip_prefix(prefix)
        .filter(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace) || prefix == "-l")
        .map(str::trim)
}

/// A regex error in one line: its last line says what is wrong (`unclosed group`).
fn regex_error(error: &regex::Error) -> String {
    let text = error.to_string();
    let what = text
        .lines()
        .rev()
        .find_map(|line| line.trim().strip_prefix("error: "))
        .unwrap_or_else(|| text.lines().last().unwrap_or("invalid"));
    format!("bad regex: {what}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::resources::Key;
    use std::collections::BTreeMap;

    struct Row {
        name: &'static str,
        text: &'static str,
        labels: BTreeMap<String, String>,
    }

    impl Filterable for &Row {
        fn name(&self) -> Cow<'_, str> {
            Cow::Borrowed(self.name)
        }
        fn write_row(&self, out: &mut String) {
            out.push_str(self.text);
        }
        fn matches_labels(&self, selector: &LabelSelector) -> bool {
            selector.matches(&self.labels)
        }
        fn field(&self, field: &str) -> Option<String> {
            (field == "metadata.name").then(|| self.name.to_string())
        }
    }

    fn rows() -> Vec<(Key, Row)> {
        [
            ("web-v4-abc", "shop web-v4-abc 1/1 Running", "web"),
            ("web-v3-def", "shop web-v3-def 0/1 ImagePullBackOff", "web"),
            ("cart-1", "shop cart-1 0/1 CrashLoopBackOff", "cart"),
        ]
        .into_iter()
        .map(|(name, text, app)| {
            (
                ("shop".to_string(), name.to_string()),
                Row {
                    name,
                    text,
                    labels: BTreeMap::from([("app".to_string(), app.to_string())]),
                },
            )
        })
        .collect()
    }

    fn names(filter: &str) -> Vec<String> {
        let rows = rows();
        Filter::new(filter)
            .select(rows.iter().map(|(k, r)| (k, r)), &[])
            .into_iter()
            .map(|k| k.1.clone())
            .collect()
    }

    #[test]
    fn a_plain_filter_is_a_smart_case_regex_over_the_whole_row() {
        assert_eq!(names("crashloop"), ["cart-1"]);
        assert_eq!(names("web.*v4"), ["web-v4-abc"]);
        assert_eq!(names("shop"), ["web-v4-abc", "web-v3-def", "cart-1"]);
        assert_eq!(
            names("imagePull"),
            Vec::<String>::new(),
            "a capital is exact"
        );
        assert_eq!(names("ImagePull"), ["web-v3-def"]);
    }

    #[test]
    fn a_bang_inverts() {
        assert_eq!(names("!web"), ["cart-1"]);
    }

    #[test]
    fn dash_f_is_fuzzy_on_the_name_best_first() {
        assert_eq!(names("-f wv3"), ["web-v3-def"]);
        let filter = Filter::new("-f crt");
        assert!(filter.ranks());
        assert_eq!(filter.matched_chars("cart-1"), [0, 2, 3]);
    }

    #[test]
    fn dash_l_and_dash_capital_f_are_selectors() {
        assert_eq!(names("-l app=cart"), ["cart-1"]);
        assert_eq!(names("-lapp!=cart"), ["web-v4-abc", "web-v3-def"]);
        assert_eq!(names("-F metadata.name=cart-1"), ["cart-1"]);
        let refused = Filter::new("-F spec.nodeName=a");
        assert_eq!(
            refused.problem(&[]).as_deref(),
            Some("field label not supported: spec.nodeName")
        );
        assert!(names("-F spec.nodeName=a").is_empty());
    }

    #[test]
    fn what_does_not_parse_says_why_in_one_line_and_matches_nothing() {
        let filter = Filter::new("web(");
        assert_eq!(filter.error(), Some("bad regex: unclosed group"));
        assert!(names("web(").is_empty());
        let selector = Filter::new("-l app==(");
        assert!(selector.error().is_some_and(|e| !e.contains('\n')));
        assert!(names("-l app==(").is_empty());
    }

    /// The rows `select` keeps, row by row, as booleans.
    fn kept_row_by_row(filter: &Filter, rows: &[String]) -> Vec<bool> {
        let keys: Vec<Key> = (0..rows.len())
            .map(|i| (String::new(), i.to_string()))
            .collect();
        let table: Vec<Row> = rows
            .iter()
            .map(|text| Row {
                name: "",
                text: Box::leak(text.clone().into_boxed_str()),
                labels: BTreeMap::new(),
            })
            .collect();
        let selected = filter.select(keys.iter().zip(&table), &[]);
        keys.iter().map(|key| selected.contains(&key)).collect()
    }

    #[test]
    fn scanning_the_buffer_keeps_the_rows_a_row_by_row_match_keeps() {
        let rows: Vec<String> = [
            "shop web-v4-abc 1/1 Running 0 10.0.0.1 worker-1 5m",
            "shop web-v3-def 0/1 ImagePullBackOff 3 <none> worker-2 12d",
            "",
            "kube-system coredns-5d78 1/1 Running 0 10.0.0.9 cp-0 40d",
            "ÉTÉ ünïcode 1/1 Running 0",
            "a\nb",
            "web",
        ]
        .map(String::from)
        .to_vec();
        let mut texts = RowTexts::default();
        for row in &rows {
            texts.push_row(|out| out.push_str(row));
        }
        for pattern in [
            "web",
            "WEB",
            "Web",
            "!web",
            "run",
            "Running",
            "\\bweb\\b",
            "web$",
            "^shop",
            "^$",
            "5m",
            "[^x]+",
            "[^x]*",
            "b\\sw",
            "d\\s+k",
            "1/1 R",
            "été",
            "ÉTÉ",
            "x|12d",
            ".*",
            "",
            "n\\nb",
            // Its end is reported past the newline of a row it matches.
            "b\\n?",
            "[^z]*",
            "(?m)^kube",
            "(?s).",
            "\\Aweb\\z",
            "worker-[12]",
        ] {
            let filter = Filter::new(pattern);
            if filter.error().is_some() {
                continue;
            }
            if filter.reads_row_text() && !filter.ranks() {
                let by_row = kept_row_by_row(&filter, &rows);
                assert_eq!(filter.scan(&texts).as_ref(), Some(&by_row), "{pattern:?}");
                // Cut in parts searched apart, whatever the cut.
                for part in 1..=rows.len() {
                    let scanned = filter.scan_in_parts(&texts, part);
                    assert_eq!(
                        scanned.as_ref(),
                        Some(&by_row),
                        "{pattern:?} in parts of {part}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn scanning_agrees_with_matching_row_by_row(
            rows in proptest::collection::vec("[a-cA-C \\-/0-9é]{0,12}", 0..12),
            pattern in "!?(\\\\s|\\\\n|[a-cA-C .*+?|()\\[\\]^$0-9-]){1,6}",
            part in 1usize..5,
        ) {
            let filter = Filter::new(&pattern);
            proptest::prop_assume!(filter.error().is_none() && filter.reads_row_text());
            let mut texts = RowTexts::default();
            for row in &rows {
                texts.push_row(|out| out.push_str(row));
            }
            let by_row = kept_row_by_row(&filter, &rows);
            proptest::prop_assert_eq!(filter.scan(&texts), Some(by_row.clone()));
            proptest::prop_assert_eq!(filter.scan_in_parts(&texts, part), Some(by_row));
        }
    }
}
