//! The YAML view: the object as the API server has it, coloured with the theme's YAML styles,
//! Secrets masked.
//!
//! syntect tokenises the YAML; its scopes are mapped to the theme's styles, so the colours follow
//! the theme rather than a syntect theme.

use std::ops::Range;
use std::sync::{Mutex, OnceLock, PoisonError};

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use syntect::easy::ScopeRangeIterator;
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};

use super::theme::{Theme, YamlStyles};
use crate::app::reader::Reader;
use crate::app::yaml::MASK;

/// Draws the YAML `text` (as `app::yaml::view_text` gives it) over `area`, from the reader's
/// top line, its search's matches highlighted; `masked` when a Secret's values are hidden.
pub fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    title: &str,
    text: &str,
    masked: bool,
    reader: &Reader,
    theme: &Theme,
) {
    let top = reader.top;
    let visible = top..top + area.height as usize;
    let tokens = tokens_of_lines(text, visible.clone());
    let lines: Vec<Line<'_>> = text
        .lines()
        .enumerate()
        .skip(top)
        .zip(tokens)
        .map(|((at, line), tokens)| {
            let styled = styled_line(line, &tokens, masked, &theme.yaml);
            match &reader.search {
                Some(search) => super::reading::highlight(styled, search.on_line(at), theme),
                None => styled,
            }
        })
        .collect();
    let block = super::reading::frame_of(title, area.width, reader, theme);
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// What a piece of YAML is, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Key,
    String,
    Number,
    Literal,
    Comment,
    Punctuation,
    Plain,
}

/// syntect's syntaxes, and the scopes that decide a token, most specific first: a key is a
/// string too, and a comment's `#` and a string's quotes are punctuation too.
struct Grammar {
    syntaxes: SyntaxSet,
    scopes: Vec<(Scope, Token)>,
}

fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| Grammar {
        syntaxes: SyntaxSet::load_defaults_newlines(),
        scopes: [
            ("entity.name.tag", Token::Key),
            ("comment", Token::Comment),
            ("constant.numeric", Token::Number),
            ("constant.language", Token::Literal),
            ("string", Token::String),
            ("punctuation", Token::Punctuation),
        ]
        .into_iter()
        .filter_map(|(scope, token)| Some((Scope::new(scope).ok()?, token)))
        .collect(),
    })
}

/// One YAML text's tokens, line by line, as far down as the view has been: syntect's parser
/// carries state from each line to the next, so lines are parsed once, in order from the top,
/// and scrolling parses only the lines that come into view.
struct HighlightedText {
    text: String,
    /// Each line's bytes in `text`, with its newline (syntect's YAML grammar needs it).
    lines: Vec<Range<usize>>,
    tokens: Vec<Vec<(Range<usize>, Token)>>,
    /// None once a line failed to parse: from there on the text is plain.
    parser: Option<(ParseState, ScopeStack)>,
}

impl HighlightedText {
    fn new(text: &str) -> Self {
        let mut start = 0;
        let lines = text
            .split_inclusive('\n')
            .map(|line| {
                start += line.len();
                start - line.len()..start
            })
            .collect();
        let parser = grammar()
            .syntaxes
            .find_syntax_by_extension("yaml")
            .map(|syntax| (ParseState::new(syntax), ScopeStack::new()));
        Self {
            text: text.to_string(),
            lines,
            tokens: Vec::new(),
            parser,
        }
    }

    /// Parses on to line `end` (exclusive) or the last line.
    fn parse_to(&mut self, end: usize) {
        let grammar = grammar();
        while self.tokens.len() < end.min(self.lines.len()) {
            let line = &self.text[self.lines[self.tokens.len()].clone()];
            let tokens = self
                .parser
                .as_mut()
                .and_then(|(parser, stack)| line_tokens(line, parser, stack, grammar));
            if tokens.is_none() {
                self.parser = None;
            }
            self.tokens
                .push(tokens.unwrap_or_else(|| vec![(0..line.len(), Token::Plain)]));
        }
    }
}

/// The tokens of the lines `visible` of `text` (fewer at its end). The text last asked for is
/// kept, so a frame parses only lines it has not seen.
fn tokens_of_lines(text: &str, visible: Range<usize>) -> Vec<Vec<(Range<usize>, Token)>> {
    static LAST: Mutex<Option<HighlightedText>> = Mutex::new(None);
    let mut last = LAST.lock().unwrap_or_else(PoisonError::into_inner);
    if last
        .as_ref()
        .is_none_or(|highlighted| highlighted.text != text)
    {
        *last = Some(HighlightedText::new(text));
    }
    let Some(highlighted) = last.as_mut() else {
        return Vec::new();
    };
    highlighted.parse_to(visible.end);
    let parsed = highlighted.tokens.len();
    highlighted.tokens[visible.start.min(parsed)..visible.end.min(parsed)].to_vec()
}

/// One line's tokens, or None when syntect cannot parse it.
fn line_tokens(
    line: &str,
    parser: &mut ParseState,
    stack: &mut ScopeStack,
    grammar: &Grammar,
) -> Option<Vec<(Range<usize>, Token)>> {
    let operations = parser.parse_line(line, &grammar.syntaxes).ok()?;
    let mut tokens: Vec<(Range<usize>, Token)> = Vec::new();
    for (range, operation) in ScopeRangeIterator::new(&operations, line) {
        stack.apply(operation).ok()?;
        if range.is_empty() {
            continue;
        }
        let scopes = stack.as_slice();
        let token = grammar
            .scopes
            .iter()
            .find(|(prefix, _)| scopes.iter().any(|scope| prefix.is_prefix_of(*scope)))
            .map_or(Token::Plain, |(_, token)| *token);
        match tokens.last_mut() {
            Some((last, last_token)) if *last_token == token && last.end == range.start => {
                last.end = range.end;
            }
            _ => tokens.push((range, token)),
        }
    }
    Some(tokens)
}

/// `line` (without its newline) in its tokens' styles; a masked Secret value in the masked style.
fn styled_line<'a>(
    line: &'a str,
    tokens: &[(Range<usize>, Token)],
    masking: bool,
    styles: &YamlStyles,
) -> Line<'a> {
    let masked = masking.then(|| masked_value(line)).flatten();
    let styled_end = masked.as_ref().map_or(line.len(), |range| range.start);
    let mut spans: Vec<Span<'a>> = tokens
        .iter()
        .filter(|(range, _)| range.start < styled_end)
        .filter_map(|(range, token)| {
            let text = line.get(range.start..range.end.min(styled_end))?;
            Some(Span::styled(text, token_style(*token, styles)))
        })
        .collect();
    if let Some(range) = masked {
        spans.push(Span::styled(&line[range], styles.masked));
    }
    Line::from(spans)
}

/// Where the line's value is the mask that stands for a Secret value (`key: '********'`).
fn masked_value(line: &str) -> Option<Range<usize>> {
    [format!("'{MASK}'"), format!("\"{MASK}\"")]
        .iter()
        .find_map(|quoted| {
            let key = line.strip_suffix(quoted.as_str())?;
            key.ends_with(": ").then_some(key.len()..line.len())
        })
}

fn token_style(token: Token, styles: &YamlStyles) -> Style {
    match token {
        Token::Key => styles.key,
        Token::String => styles.string,
        Token::Number => styles.number,
        Token::Literal => styles.literal,
        Token::Comment => styles.comment,
        Token::Punctuation => styles.punctuation,
        Token::Plain => Style::new(),
    }
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::buffer::Buffer;
    use ratatui::style::Color;
    use serde_json::{Value, json};

    use super::*;

    /// A theme whose YAML styles are all different, so a cell's colour says which one it has.
    fn distinct_theme() -> Theme {
        let mut theme = Theme::dark();
        theme.yaml = YamlStyles {
            key: Style::new().fg(Color::Indexed(1)),
            string: Style::new().fg(Color::Indexed(2)),
            number: Style::new().fg(Color::Indexed(3)),
            literal: Style::new().fg(Color::Indexed(4)),
            comment: Style::new().fg(Color::Indexed(5)),
            punctuation: Style::new().fg(Color::Indexed(6)),
            masked: Style::new().fg(Color::Indexed(7)),
        };
        theme
    }

    /// Draws `raw` as the view shows it, masked when it is a Secret, from line `top`.
    fn draw_object(frame: &mut ratatui::Frame<'_>, raw: &Value, top: usize, theme: &Theme) {
        let masked = raw.get("kind").and_then(Value::as_str) == Some("Secret");
        let reader = Reader {
            top,
            ..Reader::default()
        };
        let text = crate::app::yaml::view_text(raw, false, false);
        draw(frame, frame.area(), "object", &text, masked, &reader, theme);
    }

    fn render(raw: &Value, theme: &Theme) -> Buffer {
        let mut terminal = Terminal::new(TestBackend::new(60, 20)).expect("test terminal");
        terminal
            .draw(|frame| draw_object(frame, raw, 0, theme))
            .expect("draws");
        terminal.backend().buffer().clone()
    }

    /// The foreground of each cell of the first occurrence of `needle` on screen.
    fn colours_of(buffer: &Buffer, needle: &str) -> Vec<Color> {
        for y in 0..buffer.area.height {
            // One char per cell (the border is not ASCII, so byte offsets would not do).
            let row: Vec<char> = (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol().chars().next().unwrap_or(' '))
                .collect();
            let needle: Vec<char> = needle.chars().collect();
            if let Some(x) = row.windows(needle.len()).position(|cells| cells == needle) {
                return (x..x + needle.len())
                    .map(|x| buffer[(x as u16, y)].fg)
                    .collect();
            }
        }
        panic!("{needle:?} is not on screen");
    }

    #[test]
    fn keys_strings_numbers_and_literals_take_their_theme_styles() {
        let theme = distinct_theme();
        let deployment = json!({"kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": 3, "paused": false, "template": {"spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}}});
        let buffer = render(&deployment, &theme);
        let colour = |style: Style| style.fg.expect("a colour");
        assert_eq!(
            colours_of(&buffer, "replicas"),
            vec![colour(theme.yaml.key); 8]
        );
        assert_eq!(colours_of(&buffer, ": 3"), {
            let punctuation = colour(theme.yaml.punctuation);
            vec![punctuation, Color::Reset, colour(theme.yaml.number)]
        });
        assert_eq!(
            colours_of(&buffer, "nginx:1.27"),
            vec![colour(theme.yaml.string); 10]
        );
        assert_eq!(
            colours_of(&buffer, "false"),
            vec![colour(theme.yaml.literal); 5]
        );
    }

    #[test]
    fn a_masked_secret_value_takes_the_masked_style() {
        let theme = distinct_theme();
        let secret =
            json!({"kind": "Secret", "metadata": {"name": "db"}, "data": {"password": "czNjcjN0"}});
        let buffer = render(&secret, &theme);
        let masked = theme.yaml.masked.fg.expect("a colour");
        assert_eq!(colours_of(&buffer, MASK), vec![masked; MASK.len()]);
        assert_eq!(
            colours_of(&buffer, "password")[0],
            theme.yaml.key.fg.expect("a colour")
        );
    }

    #[test]
    fn scrolling_shows_the_lines_below_in_their_styles() {
        let theme = distinct_theme();
        let data: serde_json::Map<String, Value> = (0..2000)
            .map(|i| (format!("key{i:04}"), json!(format!("value {i}"))))
            .collect();
        let config_map = json!({"kind": "ConfigMap", "metadata": {"name": "big"}, "data": data});
        let mut terminal = Terminal::new(TestBackend::new(60, 20)).expect("test terminal");
        for scroll in [0, 1500, 10, 1990] {
            terminal
                .draw(|frame| draw_object(frame, &config_map, scroll, &theme))
                .expect("draws");
        }
        let buffer = terminal.backend().buffer();
        let key = theme.yaml.key.fg.expect("a colour");
        assert_eq!(colours_of(buffer, "key1999"), vec![key; 7]);
        assert_eq!(
            colours_of(buffer, "value 1999")[0],
            theme.yaml.string.fg.expect("a colour")
        );
    }
}
