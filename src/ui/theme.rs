//! Colours, chosen from typed statuses (never by matching strings here). The built-in themes are
//! the files in `themes/`, compiled in; a user's theme in `<config dir>/themes/NAME.yaml` names
//! only the styles it changes, the rest coming from dark. With NO_COLOR only bold, italic and
//! reverse video are used; on a terminal with fewer colours than a theme uses, each colour
//! becomes the nearest one the terminal has.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use ratatui::style::{Color, Modifier, Style};
use serde_json::Value;

use crate::model::health::Health;

const DARK: &str = include_str!("../../themes/dark.yaml");
const LIGHT: &str = include_str!("../../themes/light.yaml");
const HIGH_CONTRAST: &str = include_str!("../../themes/high-contrast.yaml");

/// The names of the built-in themes.
pub const BUILT_IN_THEMES: [&str; 4] = ["dark", "light", "high-contrast", "monochrome"];

/// Every style a theme file can name, as it is written there.
pub const STYLE_NAMES: [&str; 17] = [
    "title",
    "muted",
    "key",
    "header",
    "selected",
    "health.healthy",
    "health.progressing",
    "health.failing",
    "health.done",
    "health.unknown",
    "yaml.key",
    "yaml.string",
    "yaml.number",
    "yaml.literal",
    "yaml.comment",
    "yaml.punctuation",
    "yaml.masked",
];

/// The styles the views use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub title: Style,
    pub muted: Style,
    pub key: Style,
    pub header: Style,
    pub selected: Style,
    pub healthy: Style,
    pub progressing: Style,
    pub failing: Style,
    pub done: Style,
    pub unknown: Style,
    pub yaml: YamlStyles,
}

/// The YAML view's styles, per kind of token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YamlStyles {
    pub key: Style,
    pub string: Style,
    pub number: Style,
    /// `true`, `false`, `null`.
    pub literal: Style,
    pub comment: Style,
    pub punctuation: Style,
    /// A Secret value not yet revealed.
    pub masked: Style,
}

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColourSupport {
    /// NO_COLOR: no colour at all.
    NoColour,
    /// The 16 ANSI colours.
    Ansi16,
    /// The xterm 256-colour palette.
    Ansi256,
    /// Any `#rrggbb`.
    TrueColour,
}

impl ColourSupport {
    /// Decides from the values of NO_COLOR, COLORTERM and TERM (None when unset); a `dumb`
    /// terminal shows no colour.
    pub fn from_env_values(
        no_color: Option<&str>,
        colorterm: Option<&str>,
        term: Option<&str>,
    ) -> Self {
        if no_color.is_some_and(|value| !value.is_empty()) || term == Some("dumb") {
            ColourSupport::NoColour
        } else if colorterm.is_some_and(|value| {
            value.eq_ignore_ascii_case("truecolor") || value.eq_ignore_ascii_case("24bit")
        }) {
            ColourSupport::TrueColour
        } else if term.is_some_and(|value| value.contains("256color")) {
            ColourSupport::Ansi256
        } else {
            ColourSupport::Ansi16
        }
    }
}

impl Theme {
    /// The default theme, for dark backgrounds (16 colours, so it reads everywhere).
    pub fn dark() -> Self {
        Self::built_in(DARK, "dark")
    }

    /// For light backgrounds.
    pub fn light() -> Self {
        Self::built_in(LIGHT, "light")
    }

    /// Bright colours and no dimmed text, for dark backgrounds.
    pub fn high_contrast() -> Self {
        Self::built_in(HIGH_CONTRAST, "high-contrast")
    }

    /// No colour at all (NO_COLOR).
    pub fn monochrome() -> Self {
        Self {
            title: Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
            muted: Style::new(),
            key: Style::new().add_modifier(Modifier::BOLD),
            header: Style::new().add_modifier(Modifier::BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            healthy: Style::new(),
            progressing: Style::new(),
            failing: Style::new().add_modifier(Modifier::BOLD),
            done: Style::new(),
            unknown: Style::new().add_modifier(Modifier::ITALIC),
            yaml: YamlStyles {
                key: Style::new().add_modifier(Modifier::BOLD),
                string: Style::new(),
                number: Style::new(),
                literal: Style::new(),
                comment: Style::new(),
                punctuation: Style::new(),
                masked: Style::new(),
            },
        }
    }

    /// Where users keep their own themes: `themes/` in the config directory.
    pub fn user_themes_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("dev", "kscope", "kscope")
            .map(|dirs| dirs.config_dir().join("themes"))
    }

    /// The theme called `name`: a built-in one, else `NAME.yaml` in `user_themes` over dark.
    /// An unknown name is an error listing the themes there are; a bad file, one naming the
    /// file and the entry.
    pub fn named(name: &str, user_themes: Option<&Path>) -> Result<Self> {
        match name {
            "dark" => return Ok(Self::dark()),
            "light" => return Ok(Self::light()),
            "high-contrast" => return Ok(Self::high_contrast()),
            "monochrome" => return Ok(Self::monochrome()),
            _ => {}
        }
        // Only names listed from the directory are opened, so a name cannot reach outside it.
        // A built-in name means the built-in theme, so a user file of that name is not listed.
        let user_names: Vec<String> = user_themes
            .map(user_theme_names)
            .unwrap_or_default()
            .into_iter()
            .filter(|user| !BUILT_IN_THEMES.contains(&user.as_str()))
            .collect();
        let Some(directory) = user_themes.filter(|_| user_names.iter().any(|n| n == name)) else {
            let mut names: Vec<&str> = BUILT_IN_THEMES.to_vec();
            names.extend(user_names.iter().map(String::as_str));
            bail!("unknown theme \"{name}\" (themes: {})", names.join(", "));
        };
        let path = directory.join(format!("{name}.yaml"));
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read theme {}", path.display()))?;
        let mut theme = Self::dark();
        theme.apply(&text, &format!("theme {}", path.display()))?;
        Ok(theme)
    }

    /// `theme` as this terminal can show it: monochrome without colour, and each colour the
    /// terminal lacks replaced by the nearest one it has.
    pub fn for_terminal(theme: Theme, support: ColourSupport) -> Theme {
        match support {
            ColourSupport::NoColour => Theme::monochrome(),
            ColourSupport::Ansi16 => theme.with_colours(nearest_ansi16),
            ColourSupport::Ansi256 => theme.with_colours(nearest_ansi256),
            ColourSupport::TrueColour => theme,
        }
    }

    /// The style of a status.
    pub fn health(&self, health: Health) -> Style {
        match health {
            Health::Healthy => self.healthy,
            Health::Progressing => self.progressing,
            Health::Failing => self.failing,
            Health::Done => self.done,
            Health::Unknown => self.unknown,
        }
    }

    fn built_in(text: &str, name: &str) -> Self {
        let mut theme = Self::unstyled();
        theme
            .apply(text, &format!("the built-in theme {name}"))
            .expect("the built-in themes are valid");
        theme
    }

    /// Every style empty: what a built-in file is applied to (the files name every style).
    fn unstyled() -> Self {
        let none = Style::new();
        Self {
            title: none,
            muted: none,
            key: none,
            header: none,
            selected: none,
            healthy: none,
            progressing: none,
            failing: none,
            done: none,
            unknown: none,
            yaml: YamlStyles {
                key: none,
                string: none,
                number: none,
                literal: none,
                comment: none,
                punctuation: none,
                masked: none,
            },
        }
    }

    /// Sets the styles a theme file names; `source` names the file in errors.
    fn apply(&mut self, text: &str, source: &str) -> Result<()> {
        for (name, style) in theme_entries(text).map_err(|error| anyhow!("{source}: {error}"))? {
            *self
                .style_mut(name)
                .expect("entries are checked against STYLE_NAMES") = style;
        }
        Ok(())
    }

    fn style_mut(&mut self, name: &str) -> Option<&mut Style> {
        Some(match name {
            "title" => &mut self.title,
            "muted" => &mut self.muted,
            "key" => &mut self.key,
            "header" => &mut self.header,
            "selected" => &mut self.selected,
            "health.healthy" => &mut self.healthy,
            "health.progressing" => &mut self.progressing,
            "health.failing" => &mut self.failing,
            "health.done" => &mut self.done,
            "health.unknown" => &mut self.unknown,
            "yaml.key" => &mut self.yaml.key,
            "yaml.string" => &mut self.yaml.string,
            "yaml.number" => &mut self.yaml.number,
            "yaml.literal" => &mut self.yaml.literal,
            "yaml.comment" => &mut self.yaml.comment,
            "yaml.punctuation" => &mut self.yaml.punctuation,
            "yaml.masked" => &mut self.yaml.masked,
            _ => return None,
        })
    }

    fn with_colours(mut self, map: fn(Color) -> Color) -> Self {
        for name in STYLE_NAMES {
            let style = self.style_mut(name).expect("every style name is a field");
            style.fg = style.fg.map(map);
            style.bg = style.bg.map(map);
            style.underline_color = style.underline_color.map(map);
        }
        self
    }
}

/// The names of the `*.yaml` files in `directory`, sorted; none when it cannot be read.
fn user_theme_names(directory: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(directory)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.path().is_file())
        .filter_map(|entry| {
            entry
                .file_name()
                .to_str()
                .and_then(|file| file.strip_suffix(".yaml"))
                .map(str::to_string)
        })
        .collect();
    names.sort();
    names
}

/// A theme file's content, or what is wrong with it as `entry: problem`.
type Parsed<T> = std::result::Result<T, String>;

/// The (style name, style) entries of a theme file, or the first bad entry as `path: problem`.
fn theme_entries(text: &str) -> Parsed<Vec<(&'static str, Style)>> {
    let document: Value = crate::model::yaml::from_str(text)?;
    let top = match document {
        Value::Object(top) => top,
        // A file of comments only changes nothing.
        Value::Null => return Ok(Vec::new()),
        _ => return Err("expected style names with their styles (`muted: gray`)".to_string()),
    };
    let mut entries = Vec::new();
    for (name, value) in &top {
        match (name.as_str(), value) {
            (group @ ("health" | "yaml"), Value::Object(members)) => {
                for (member, value) in members {
                    let name = style_name(&format!("{group}.{member}"))?;
                    entries.push((name, parse_style(name, value)?));
                }
            }
            (group @ ("health" | "yaml"), _) => {
                return Err(format!(
                    "{group}: expected its styles beneath it (`{group}:` then indented entries)"
                ));
            }
            (name, value) => {
                let name = style_name(name)?;
                entries.push((name, parse_style(name, value)?));
            }
        }
    }
    Ok(entries)
}

fn style_name(name: &str) -> Parsed<&'static str> {
    STYLE_NAMES
        .into_iter()
        .find(|known| *known == name)
        .ok_or_else(|| {
            format!(
                "unknown style \"{name}\" (styles: {})",
                STYLE_NAMES.join(", ")
            )
        })
}

/// A style: a colour (the foreground), or `{fg, bg, modifiers}`.
fn parse_style(path: &str, value: &Value) -> Parsed<Style> {
    let Value::Object(fields) = value else {
        return Ok(Style::new().fg(parse_colour(path, value)?));
    };
    let mut style = Style::new();
    for (field, value) in fields {
        let path = format!("{path}.{field}");
        match field.as_str() {
            "fg" => style = style.fg(parse_colour(&path, value)?),
            "bg" => style = style.bg(parse_colour(&path, value)?),
            "modifiers" => style = style.add_modifier(parse_modifiers(&path, value)?),
            _ => {
                return Err(format!(
                    "{path}: unknown field (a style has fg, bg and modifiers)"
                ));
            }
        }
    }
    Ok(style)
}

/// The colour names a theme file can use, with the terminal colour each one is.
const COLOUR_NAMES: [(&str, Color); 17] = [
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("dark-gray", Color::DarkGray),
    ("light-red", Color::LightRed),
    ("light-green", Color::LightGreen),
    ("light-yellow", Color::LightYellow),
    ("light-blue", Color::LightBlue),
    ("light-magenta", Color::LightMagenta),
    ("light-cyan", Color::LightCyan),
    ("white", Color::White),
    ("default", Color::Reset),
];

/// A named ANSI colour, `#rrggbb`, or an index 0-255.
fn parse_colour(path: &str, value: &Value) -> Parsed<Color> {
    let index = |number: u64| {
        u8::try_from(number)
            .map(Color::Indexed)
            .map_err(|_| format!("{path}: colour {number} is not an index 0-255"))
    };
    match value {
        Value::String(text) => {
            if let Some((_, colour)) = COLOUR_NAMES.iter().find(|(name, _)| name == text) {
                Ok(*colour)
            } else if let Some(hex) = text.strip_prefix('#')
                && hex.len() == 6
                && let Ok(rgb) = u32::from_str_radix(hex, 16)
            {
                let [_, r, g, b] = rgb.to_be_bytes();
                Ok(Color::Rgb(r, g, b))
            } else if let Ok(number) = text.parse::<u64>() {
                index(number)
            } else {
                Err(format!("{path}: unknown colour \"{text}\""))
            }
        }
        Value::Number(number) => match number.as_u64() {
            Some(number) => index(number),
            None => Err(format!("{path}: colour {number} is not an index 0-255")),
        },
        Value::Null => Err(format!(
            "{path}: no colour (write \"#rrggbb\" in quotes: an unquoted # starts a comment)"
        )),
        _ => Err(format!(
            "{path}: expected a colour name, \"#rrggbb\" or an index 0-255"
        )),
    }
}

fn parse_modifiers(path: &str, value: &Value) -> Parsed<Modifier> {
    let Value::Array(names) = value else {
        return Err(format!("{path}: expected a list, such as [bold, reversed]"));
    };
    let mut modifiers = Modifier::empty();
    for name in names {
        modifiers |= match name.as_str() {
            Some("bold") => Modifier::BOLD,
            Some("dim") => Modifier::DIM,
            Some("italic") => Modifier::ITALIC,
            Some("underlined") => Modifier::UNDERLINED,
            Some("reversed") => Modifier::REVERSED,
            _ => {
                return Err(format!(
                    "{path}: unknown modifier {name} (modifiers: bold, dim, italic, underlined, reversed)"
                ));
            }
        };
    }
    Ok(modifiers)
}

/// The 16 ANSI colours with xterm's default values for them: terminals differ, but these are
/// the values most themes of most terminals stay close to.
const ANSI16: [(Color, [u8; 3]); 16] = [
    (Color::Black, [0, 0, 0]),
    (Color::Red, [205, 0, 0]),
    (Color::Green, [0, 205, 0]),
    (Color::Yellow, [205, 205, 0]),
    (Color::Blue, [0, 0, 238]),
    (Color::Magenta, [205, 0, 205]),
    (Color::Cyan, [0, 205, 205]),
    (Color::Gray, [229, 229, 229]),
    (Color::DarkGray, [127, 127, 127]),
    (Color::LightRed, [255, 0, 0]),
    (Color::LightGreen, [0, 255, 0]),
    (Color::LightYellow, [255, 255, 0]),
    (Color::LightBlue, [92, 92, 255]),
    (Color::LightMagenta, [255, 0, 255]),
    (Color::LightCyan, [0, 255, 255]),
    (Color::White, [255, 255, 255]),
];

/// The nearest of the 16 ANSI colours; named colours and the default stay as they are.
pub fn nearest_ansi16(colour: Color) -> Color {
    let rgb = match colour {
        Color::Rgb(r, g, b) => [r, g, b],
        Color::Indexed(index) if index < 16 => return ANSI16[usize::from(index)].0,
        Color::Indexed(index) => palette_rgb(index),
        named => return named,
    };
    ANSI16
        .iter()
        .min_by_key(|(_, ansi)| distance(rgb, *ansi))
        .map_or(colour, |(ansi, _)| *ansi)
}

/// The nearest colour of the 256-colour palette's fixed part (16-255: the first 16 are the
/// terminal's own and vary too much to aim at).
pub fn nearest_ansi256(colour: Color) -> Color {
    let Color::Rgb(r, g, b) = colour else {
        return colour;
    };
    (16..=255)
        .min_by_key(|index| distance([r, g, b], palette_rgb(*index)))
        .map_or(colour, Color::Indexed)
}

/// The value of a colour 16-255 of the xterm palette: a 6x6x6 cube, then 24 grays.
fn palette_rgb(index: u8) -> [u8; 3] {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    match index {
        16..=231 => {
            let cube = usize::from(index - 16);
            [LEVELS[cube / 36], LEVELS[cube / 6 % 6], LEVELS[cube % 6]]
        }
        232..=255 => [8 + 10 * (index - 232); 3],
        _ => ANSI16[usize::from(index)].1,
    }
}

/// How different two colours look: Euclidean distance weighted by the mean red ("redmean"), a
/// cheap approximation of perceived difference.
fn distance(a: [u8; 3], b: [u8; 3]) -> i64 {
    let [r1, g1, b1] = a.map(i64::from);
    let [r2, g2, b2] = b.map(i64::from);
    let red_mean = (r1 + r2) / 2;
    let (dr, dg, db) = (r1 - r2, g1 - g2, b1 - b2);
    (((512 + red_mean) * dr * dr) >> 8) + 4 * dg * dg + (((767 - red_mean) * db * db) >> 8)
}

#[cfg(test)]
#[path = "theme_tests.rs"]
mod tests;
