//! Every pane and view of the explorer, drawn with ratatui's TestBackend at 80x24 and 160x50
//! from the shipped examples with a fixed clock, pinned as snapshots.

use crate::support;

use kscope::app::state::App;
use kscope::ui::{draw, page_rows, theme::Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::explorer::{answer_requests, loaded_app, press};

fn screen(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    app.page_rows = page_rows(ratatui::layout::Rect::new(0, 0, width, height));
    terminal
        .draw(|frame| draw(frame, app, &Theme::monochrome()))
        .expect("draws");
    let buffer = terminal.backend().buffer().clone();
    let mut text = String::new();
    for y in 0..buffer.area.height {
        let line: String = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol().to_string())
            .collect();
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

#[test]
fn every_view_at_both_sizes() {
    let views: [(&str, &str); 21] = [
        ("pods", ""),
        ("pods_filtered", "/cache<enter>"),
        ("nodes", ":nodes<enter>"),
        ("namespaces", ":ns<enter>"),
        ("events", ":events<enter>"),
        ("stream", ":stream<enter>"),
        ("explain_pod", "/checkout<enter>x"),
        ("explain_namespace", ":ns<enter>x"),
        ("help", "?"),
        ("help_scrolled", "?jjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj"),
        ("yaml_pod", "/orders<enter>y"),
        ("yaml_fetching", "/orders<enter>y"),
        ("describe_pod", "/check<enter>d"),
        ("describe_node", ":no<enter>d"),
        ("describe_namespace", ":ns<enter>d"),
        ("containers", "/check<enter><enter>"),
        ("confirm_cordon", ":no<enter>c"),
        ("drain_options", ":no<enter>r"),
        ("delete_prompt", "/check<enter><c-d>"),
        ("patch_compose", "/check<enter>p"),
        ("logs_connecting", "/check<enter>l"),
    ];
    for (name, keys) in views {
        for (width, height) in [(80, 24), (160, 50)] {
            let mut app = loaded_app();
            press(&mut app, keys);
            // The fetching view is the one drawn before the API server answers.
            if name != "yaml_fetching" {
                answer_requests(&mut app);
            }
            insta::assert_snapshot!(
                format!("{name}_{width}x{height}"),
                screen(&mut app, width, height)
            );
        }
    }
}

#[test]
fn a_stale_watch_is_shown_in_the_header() {
    let mut app = loaded_app();
    app.on_cluster(kscope::model::inbox::ClusterMessage::Failed {
        kind: kscope::model::kind::WatchedKind::Pods,
        error: "connection refused".into(),
        forbidden: false,
    });
    let text = screen(&mut app, 80, 24);
    assert!(
        text.lines()
            .next()
            .unwrap()
            .contains("stale 0s: connection refused"),
        "{text}"
    );
}

#[test]
fn tiny_terminals_do_not_panic() {
    for keys in [
        "",
        ":nodes<enter>",
        ":ns<enter>",
        ":events<enter>",
        ":stream<enter>",
        "x",
        "?",
        "y",
        "d",
        ":deploy<enter>",
    ] {
        for (width, height) in [(1, 1), (10, 3), (20, 5), (40, 8)] {
            let mut app = loaded_app();
            press(&mut app, keys);
            let _ = screen(&mut app, width, height);
        }
    }
}
