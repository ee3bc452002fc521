//! Tests of `theme.rs`.

use std::collections::BTreeSet;

use super::*;

fn fg(colour: Color) -> Style {
    Style::new().fg(colour)
}

#[test]
fn every_built_in_file_parses_and_names_every_style() {
    for (name, text) in [
        ("dark", DARK),
        ("light", LIGHT),
        ("high-contrast", HIGH_CONTRAST),
    ] {
        let entries = theme_entries(text).unwrap_or_else(|error| panic!("{name}: {error}"));
        let named: BTreeSet<&str> = entries.iter().map(|(name, _)| *name).collect();
        let all: BTreeSet<&str> = STYLE_NAMES.into_iter().collect();
        assert_eq!(named, all, "{name}");
        assert_eq!(
            entries.len(),
            STYLE_NAMES.len(),
            "{name} names a style twice"
        );
    }
    for name in BUILT_IN_THEMES {
        Theme::named(name, None).unwrap_or_else(|error| panic!("{name}: {error}"));
    }
}

#[test]
fn dark_is_the_colours_the_explorer_always_had() {
    let theme = Theme::dark();
    let bold = Modifier::BOLD;
    assert_eq!(
        theme.title,
        Style::new()
            .fg(Color::Black)
            .bg(Color::Cyan)
            .add_modifier(bold)
    );
    assert_eq!(theme.muted, fg(Color::Gray));
    assert_eq!(theme.key, fg(Color::Cyan).add_modifier(bold));
    assert_eq!(theme.header, fg(Color::White).add_modifier(bold));
    assert_eq!(
        theme.selected,
        Style::new().add_modifier(Modifier::REVERSED)
    );
    assert_eq!(theme.healthy, fg(Color::Green));
    assert_eq!(theme.progressing, fg(Color::Yellow));
    assert_eq!(theme.failing, fg(Color::LightRed));
    assert_eq!(theme.done, fg(Color::DarkGray));
    assert_eq!(theme.unknown, fg(Color::Magenta));
    // The YAML view's keys and comments keep the styles they were drawn with before.
    assert_eq!(theme.yaml.key, theme.key);
    assert_eq!(theme.yaml.comment, theme.muted);
}

#[test]
fn a_user_theme_names_some_styles_and_the_rest_come_from_dark() {
    let directory = tempfile::tempdir().expect("temp dir");
    std::fs::write(
            directory.path().join("mine.yaml"),
            "# only what I change\nmuted: red\nhealth:\n  done: { fg: \"#808080\", modifiers: [dim] }\nyaml:\n  masked: 196\n",
        )
        .expect("writes");
    let theme = Theme::named("mine", Some(directory.path())).expect("loads");
    let dark = Theme::dark();
    assert_eq!(theme.muted, fg(Color::Red));
    assert_eq!(
        theme.done,
        fg(Color::Rgb(128, 128, 128)).add_modifier(Modifier::DIM)
    );
    assert_eq!(theme.yaml.masked, fg(Color::Indexed(196)));
    assert_eq!(
        Theme {
            muted: dark.muted,
            done: dark.done,
            yaml: dark.yaml,
            ..theme.clone()
        },
        dark
    );
}

#[test]
fn errors_name_the_file_and_the_entry() {
    let directory = tempfile::tempdir().expect("temp dir");
    let error = |text: &str| {
        let path = directory.path().join("mine.yaml");
        std::fs::write(&path, text).expect("writes");
        let message = Theme::named("mine", Some(directory.path()))
            .expect_err("a bad theme")
            .to_string();
        message.replace(&path.display().to_string(), "PATH")
    };
    assert_eq!(
        error("health:\n  failing: redd\n"),
        "theme PATH: health.failing: unknown colour \"redd\""
    );
    assert_eq!(
        error("health:\n  failin: red\n"),
        format!(
            "theme PATH: unknown style \"health.failin\" (styles: {})",
            STYLE_NAMES.join(", ")
        )
    );
    assert_eq!(
        error("title: { fg: 300 }\n"),
        "theme PATH: title.fg: colour 300 is not an index 0-255"
    );
    assert_eq!(
        error("title:\n  fg: #ff0000\n"),
        "theme PATH: title.fg: no colour (write \"#rrggbb\" in quotes: an unquoted # starts a comment)"
    );
    assert_eq!(
        error("title: { colour: red }\n"),
        "theme PATH: title.colour: unknown field (a style has fg, bg and modifiers)"
    );
    assert_eq!(
        error("key: { modifiers: [bold, blink] }\n"),
        "theme PATH: key.modifiers: unknown modifier \"blink\" (modifiers: bold, dim, italic, underlined, reversed)"
    );
    assert!(!error("title: [\n").contains('\n'));
    assert_eq!(
        error("- muted\n"),
        "theme PATH: expected style names with their styles (`muted: gray`)"
    );
    assert_eq!(
        Theme::named("nope", Some(directory.path()))
            .expect_err("unknown")
            .to_string(),
        "unknown theme \"nope\" (themes: dark, light, high-contrast, monochrome, mine)"
    );
    std::fs::write(directory.path().join("dark.yaml"), "muted: red\n").expect("writes");
    assert_eq!(
        Theme::named("dark", Some(directory.path())).expect("built in"),
        Theme::dark()
    );
    assert_eq!(
        Theme::named("../mine", Some(directory.path()))
            .expect_err("not a listed name")
            .to_string(),
        "unknown theme \"../mine\" (themes: dark, light, high-contrast, monochrome, mine)"
    );
}

#[test]
fn sixteen_colours_take_the_nearest_ansi_colour() {
    assert_eq!(nearest_ansi16(Color::Rgb(255, 0, 0)), Color::LightRed);
    assert_eq!(nearest_ansi16(Color::Rgb(200, 10, 10)), Color::Red);
    assert_eq!(nearest_ansi16(Color::Rgb(0, 135, 0)), Color::Green);
    assert_eq!(nearest_ansi16(Color::Rgb(128, 128, 128)), Color::DarkGray);
    assert_eq!(nearest_ansi16(Color::Rgb(20, 20, 20)), Color::Black);
    assert_eq!(nearest_ansi16(Color::Rgb(250, 250, 250)), Color::White);
    assert_eq!(nearest_ansi16(Color::Rgb(135, 0, 175)), Color::Magenta);
    assert_eq!(nearest_ansi16(Color::Indexed(4)), Color::Blue);
    assert_eq!(nearest_ansi16(Color::Indexed(196)), Color::LightRed);
    assert_eq!(nearest_ansi16(Color::Indexed(244)), Color::DarkGray);
    assert_eq!(nearest_ansi16(Color::Cyan), Color::Cyan);
    assert_eq!(nearest_ansi16(Color::Reset), Color::Reset);

    let light = Theme::for_terminal(Theme::light(), ColourSupport::Ansi16);
    for name in STYLE_NAMES {
        let mut light = light.clone();
        let style = *light.style_mut(name).expect("a style");
        for colour in [style.fg, style.bg].into_iter().flatten() {
            assert!(
                !matches!(colour, Color::Rgb(..) | Color::Indexed(_)),
                "{name}: {colour:?}"
            );
        }
    }
    assert_eq!(
        Theme::for_terminal(Theme::dark(), ColourSupport::Ansi16),
        Theme::dark()
    );
}

#[test]
fn two_hundred_fifty_six_colours_take_the_nearest_palette_colour() {
    assert_eq!(nearest_ansi256(Color::Rgb(255, 0, 0)), Color::Indexed(196));
    assert_eq!(nearest_ansi256(Color::Rgb(0, 95, 175)), Color::Indexed(25));
    assert_eq!(
        nearest_ansi256(Color::Rgb(128, 128, 128)),
        Color::Indexed(244)
    );
    assert_eq!(nearest_ansi256(Color::Indexed(9)), Color::Indexed(9));
    assert_eq!(
        Theme::for_terminal(Theme::light(), ColourSupport::TrueColour),
        Theme::light()
    );
}

#[test]
fn colour_support_comes_from_no_color_colorterm_and_term() {
    use ColourSupport::*;
    let decide = ColourSupport::from_env_values;
    assert_eq!(
        decide(Some("1"), Some("truecolor"), Some("xterm-256color")),
        NoColour
    );
    assert_eq!(decide(Some(""), Some("truecolor"), None), TrueColour);
    assert_eq!(decide(None, Some("24bit"), Some("xterm")), TrueColour);
    assert_eq!(decide(None, Some("yes"), Some("tmux-256color")), Ansi256);
    assert_eq!(decide(None, None, Some("xterm")), Ansi16);
    assert_eq!(decide(None, None, Some("linux")), Ansi16);
    assert_eq!(decide(None, None, None), Ansi16);
    assert_eq!(decide(None, Some("truecolor"), Some("dumb")), NoColour);
    assert_eq!(
        Theme::for_terminal(Theme::high_contrast(), NoColour),
        Theme::monochrome()
    );
}
