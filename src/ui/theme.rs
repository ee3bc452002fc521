//! Colours, chosen from typed statuses (never by matching strings here). With NO_COLOR, or on a
//! terminal without colour, only bold and reverse video are used.

use ratatui::style::{Color, Modifier, Style};

use crate::model::health::Health;

/// The styles the views use.
#[derive(Debug, Clone)]
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
}

impl Theme {
    /// The default dark theme (16 colours, so it reads everywhere).
    pub fn dark() -> Self {
        Self {
            title: Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            muted: Style::new().fg(Color::Gray),
            key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            header: Style::new().fg(Color::White).add_modifier(Modifier::BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            healthy: Style::new().fg(Color::Green),
            progressing: Style::new().fg(Color::Yellow),
            failing: Style::new().fg(Color::LightRed),
            done: Style::new().fg(Color::DarkGray),
            unknown: Style::new().fg(Color::Magenta),
        }
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
        }
    }

    /// The theme for this environment: monochrome when NO_COLOR is set.
    pub fn from_environment() -> Self {
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            Self::monochrome()
        } else {
            Self::dark()
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
}
