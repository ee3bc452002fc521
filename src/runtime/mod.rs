//! The terminal session: raw mode and the alternate screen (always restored, even on panic),
//! and the loop that feeds keys, watch messages and clock ticks into the app and redraws only
//! when something changed, at most about 30 times a second.

use std::io::Stdout;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use crossterm::event::{Event, KeyEventKind};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::signal::unix::SignalKind;

mod backlog;
mod editor;
mod findings_worker;
mod handover;
mod keys;
pub mod memory;
mod operations;
mod patching;
pub mod priority;
mod session;

use crate::app::keymap::Keymap;
use crate::app::request::Effect;
use crate::app::state::App;
use crate::cluster::connect::{ClusterTarget, Connection, PluginTerminal, connect};
use crate::ui::theme::Theme;
use session::Session;

/// When the process started its work, for the first-frame figure in the log.
static STARTED: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

/// Notes the start (the first thing `main` does).
pub fn mark_start() {
    STARTED.get_or_init(Instant::now);
}

/// The shortest time between two frames.
const FRAME: Duration = Duration::from_millis(33);
/// While a list is coming in (its first rows shown), the cluster's changes are drawn this
/// often: every frame redraws a pane of tens of thousands of rows that a tenth of a second
/// later has grown again (keys are still drawn at once).
const LOADING_FRAME: Duration = Duration::from_millis(150);

/// A key this recent means keys are being typed: the tick leaves triage's findings for a pause
/// (`App::tick_while_typing`). Held keys repeat every 30 to 50 ms, a hand types a key every
/// 100 to 300 ms.
const TYPING: Duration = Duration::from_millis(500);

/// How long the cluster's changes wait after the last frame: a list coming in waits
/// `LOADING_FRAME` once a frame has shown it coming in, so its first rows are drawn as soon as
/// any frame would be, not a loading frame after the pane's empty one.
fn frame_every(listing: bool, listing_drawn: bool) -> Duration {
    if listing && listing_drawn {
        LOADING_FRAME
    } else {
        FRAME
    }
}

/// Puts the terminal back as it was. Safe to call more than once.
fn restore_terminal() {
    let _ = disable_raw_mode();
    let _ = execute!(
        std::io::stdout(),
        crossterm::event::DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Puts `text` on the clipboard of the terminal the user sits at, over OSC 52: it works over
/// SSH and in tmux (with `set -g set-clipboard on`), where no local clipboard would.
fn copy_to_clipboard(text: &str) {
    let _ = execute!(
        std::io::stdout(),
        crossterm::clipboard::CopyToClipboard::to_clipboard_from(text)
    );
}

/// How the user asked the explorer to behave.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Refuse every change (`--readonly`).
    pub readonly: bool,
    /// Take the mouse (`--mouse`): the wheel moves, a click selects. Off by default, so the
    /// terminal's own selection and copy keep working.
    pub mouse: bool,
    /// The user's column sets (`views.yaml`).
    pub views: crate::app::views::Views,
    /// Open on the triage view (`--triage`).
    pub triage: bool,
    /// What to open on otherwise (`open:` in config.yaml, a `:` command).
    pub open: Option<String>,
}

/// Takes one event of the terminal: a key as its action, a resize, a mouse wheel or click (with
/// `--mouse`). False when the terminal went away.
fn on_terminal_event(app: &mut App, event: Option<std::io::Result<Event>>) -> bool {
    use crate::app::action::Action;
    use crossterm::event::{MouseButton, MouseEventKind};
    match event {
        Some(Ok(Event::Key(key))) if key.kind == KeyEventKind::Press => {
            if let Some(action) = app.keymap.action_for(key, app) {
                app.apply(action);
            }
        }
        Some(Ok(Event::Resize(_, _))) => app.dirty = true,
        Some(Ok(Event::Mouse(mouse))) => {
            let action = match mouse.kind {
                MouseEventKind::ScrollDown => Some(Action::Down),
                MouseEventKind::ScrollUp => Some(Action::Up),
                MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(mouse.row)),
                _ => None,
            };
            if let Some(action) = action {
                app.apply(action);
            }
        }
        Some(Ok(_)) => {}
        Some(Err(_)) | None => return false,
    }
    true
}

/// Runs the explorer on `connection` until the user quits or a signal arrives.
pub async fn run(
    connection: Connection,
    target: Option<ClusterTarget>,
    namespace: Option<String>,
    options: Options,
    theme: Theme,
    keymap: Keymap,
) -> Result<()> {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // The message must land on a normal screen, not inside the alternate one.
        restore_terminal();
        default_hook(info);
    }));
    enable_raw_mode().context("cannot put the terminal in raw mode")?;
    execute!(
        std::io::stdout(),
        EnterAlternateScreen,
        crossterm::cursor::Hide
    )
    .context("cannot open the alternate screen")?;
    if options.mouse {
        execute!(std::io::stdout(), crossterm::event::EnableMouseCapture)
            .context("cannot take the mouse")?;
    }
    let terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()));
    let result = match terminal {
        Ok(mut terminal) => {
            event_loop(
                &mut terminal,
                connection,
                target,
                namespace,
                options,
                theme,
                keymap,
            )
            .await
        }
        Err(error) => Err(error).context("cannot start drawing"),
    };
    restore_terminal();
    result
}

async fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    connection: Connection,
    target: Option<ClusterTarget>,
    namespace: Option<String>,
    options: Options,
    theme: Theme,
    keymap: Keymap,
) -> Result<()> {
    let mut app = App::new(
        connection.context.clone(),
        namespace.clone(),
        Timestamp::now(),
    );
    app.contexts = connection.contexts.clone();
    app.readonly = options.readonly;
    let mut findings = findings_worker::FindingsWorker::start()?;
    app.findings_on_worker = true;
    app.views = options.views;
    app.keymap = keymap;
    if options.triage {
        app.open_triage();
    } else if let Some(command) = &options.open {
        app.run_command(command);
    }
    // `KSCOPE_LOG_LINES`: how many lines a log view keeps (100,000 by default).
    if let Some(lines) = std::env::var("KSCOPE_LOG_LINES")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|lines| *lines > 0)
    {
        app.log_lines = lines;
    }
    let mut session = Session::start(connection, namespace);
    // A context being connected to, off the loop: a slow credential plugin (on a thread of its
    // own, see `connect`) or a dead API server never freezes it.
    let mut switching: Option<tokio::task::JoinHandle<Result<Connection>>> = None;
    // A shell or attach being opened, off the loop; the screen is handed to it once it is.
    let mut opening: Option<(
        crate::app::request::TerminalSession,
        tokio::task::JoinHandle<Result<kube::api::AttachedProcess, String>>,
    )> = None;
    let mut keys = keys::Keys::start();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    // Every signal that would end the process ends the loop instead, so the terminal is put
    // back first (raw mode off, the alternate screen left, the cursor shown).
    let mut ending = Vec::new();
    for (kind, name) in [
        (SignalKind::terminate(), "SIGTERM"),
        (SignalKind::hangup(), "SIGHUP"),
        (SignalKind::interrupt(), "SIGINT"),
        (SignalKind::quit(), "SIGQUIT"),
        (SignalKind::user_defined1(), "SIGUSR1"),
        (SignalKind::user_defined2(), "SIGUSR2"),
    ] {
        ending.push(
            tokio::signal::unix::signal(kind)
                .with_context(|| format!("cannot listen for {name}"))?,
        );
    }
    let ended = async move {
        let waits = ending.iter_mut().map(|signal| Box::pin(signal.recv()));
        futures::future::select_all(waits).await;
    };
    tokio::pin!(ended);
    let mut last_draw = Instant::now() - FRAME;
    // Whether the last frame showed the pane's list coming in (see `frame_every`).
    let mut listing_drawn = false;
    let mut first_frame_logged = false;
    // A key's answer is drawn at once; only the cluster's changes wait for the next frame.
    let mut typed = false;
    let mut ticked = false;
    let mut backlog = backlog::Backlog::default();
    let mut last_key: Option<Instant> = None;
    loop {
        session.follow(&app);
        let frame_every = frame_every(app.listing(), listing_drawn);
        // While a filter is typed, the screen is drawn for each key and each tick only: a
        // frame for the watches' changes filters every row again (under churn, gathering
        // 50,000 rows' texts anew), and a key typed meanwhile would wait for it.
        let cluster_frames = !matches!(app.mode, crate::app::state::Mode::Filter { .. }) || ticked;
        if app.dirty && (typed || (cluster_frames && last_draw.elapsed() >= frame_every)) {
            typed = false;
            ticked = false;
            // The cursor follows its object through what changed since the last frame.
            app.settle_if_needed();
            let size = terminal.size().context("cannot read the terminal size")?;
            app.page_rows =
                crate::ui::page_rows(ratatui::layout::Rect::new(0, 0, size.width, size.height));
            let mut drawn = None;
            terminal
                .draw(|frame| drawn = crate::ui::draw_frame(frame, &app, &theme).pane)
                .context("cannot draw")?;
            app.drawn(drawn);
            app.dirty = false;
            listing_drawn = app.listing();
            // Every message taken in is drawn: after the frame, what a list or a metrics
            // reading held goes back (see `give_back_if_owed`).
            give_back_if_owed(&mut backlog, &app);
            if !first_frame_logged {
                first_frame_logged = true;
                if let Some(started) = STARTED.get() {
                    tracing::info!(
                        milliseconds = started.elapsed().as_millis() as u64,
                        "first frame drawn"
                    );
                }
            }
            last_draw = Instant::now();
        }
        let until_frame = frame_every.saturating_sub(last_draw.elapsed());
        tokio::select! {
            event = keys.events.recv() => {
                if !on_terminal_event(&mut app, event) {
                    break;
                }
                // Input already typed (a paste, a held key) is taken before the frame.
                let mut gone = false;
                while let Ok(event) = keys.events.try_recv() {
                    if !on_terminal_event(&mut app, Some(event)) {
                        gone = true;
                        break;
                    }
                }
                if gone {
                    break;
                }
                typed = true;
                last_key = Some(Instant::now());
            }
            // Received only once the backlog is taken in, so messages keep their order.
            Some(message) = session.messages.recv(), if backlog.is_empty() => {
                backlog.push(message);
                take_in(&mut backlog, &mut app, &keys, &mut session);
                lower_workers_once_listed(&app);
            }
            _ = std::future::ready(()), if !backlog.is_empty() => {
                take_in(&mut backlog, &mut app, &keys, &mut session);
                lower_workers_once_listed(&app);
            }
            connected = async { switching.as_mut().expect("guarded").await }, if switching.is_some() => {
                switching = None;
                match connected {
                    Ok(Ok(connection)) => {
                        // The context read again keeps the namespace the user is in.
                        let scope = if connection.context == app.context {
                            app.namespace.clone()
                        } else {
                            Some(connection.default_namespace.clone())
                        };
                        app.switched_context(
                            connection.context.clone(),
                            scope.clone(),
                            connection.contexts.clone(),
                        );
                        // What the old session sent and was not yet taken in is about the
                        // cluster left: the fresh app never sees it.
                        backlog = backlog::Backlog::default();
                        session = Session::start(connection, scope);
                    }
                    Ok(Err(error)) => app.context_failed(format!("{error:#}")),
                    Err(error) => app.context_failed(error.to_string()),
                }
            }
            opened = async { (&mut opening.as_mut().expect("guarded").1).await }, if opening.is_some() => {
                let (session, _) = opening.take().expect("guarded");
                let line = match opened {
                    Ok(Ok(process)) => {
                        handover::hand_over(terminal, &keys, process, &session).await?
                    }
                    Ok(Err(line)) => line,
                    Err(error) => format!("{}: {error}", session.title()),
                };
                app.terminal_ended(line);
            }
            worked = findings.worked.recv() => match worked {
                Some(worked) => app.findings_worked(worked),
                None => anyhow::bail!("triage's worker stopped"),
            },
            _ = tick.tick() => {
                if last_key.is_some_and(|at| at.elapsed() < TYPING) {
                    app.tick_while_typing(Timestamp::now());
                } else {
                    app.tick(Timestamp::now());
                }
                ticked = true;
            }
            _ = tokio::time::sleep(until_frame), if app.dirty && cluster_frames => {}
            _ = &mut ended => break,
        }
        // Requests of the cluster go to the session's tasks; the loop never awaits them.
        for request in std::mem::take(&mut app.requests) {
            session.carry_out(request);
        }
        if let Some(job) = app.take_findings_job() {
            findings.hand(job);
        }
        for effect in std::mem::take(&mut app.effects) {
            match effect {
                Effect::OpenEditor(editing) => {
                    editor::compose_in_editor(terminal, &keys, &session, &mut app, *editing)?;
                }
                Effect::SwitchContext(context) => {
                    let Some(target) = &target else {
                        app.context_failed("this cluster has no kubeconfig contexts".into());
                        continue;
                    };
                    let target = ClusterTarget {
                        context: Some(context),
                        ..target.clone()
                    };
                    if let Some(earlier) = switching.take() {
                        earlier.abort();
                    }
                    // The screen is open: a credential plugin runs without the terminal.
                    switching = Some(tokio::spawn(async move {
                        connect(&target, PluginTerminal::Withheld).await
                    }));
                }
                Effect::SaveLogs(path) => save_logs(&mut app, &path),
                Effect::Copy(text) => copy_to_clipboard(&text),
                Effect::Terminal(wanted) => {
                    if let Some((_, earlier)) = opening.take() {
                        earlier.abort();
                    }
                    let client = session.connection.client.clone();
                    let asked = (*wanted).clone();
                    opening = Some((
                        *wanted,
                        tokio::spawn(async move {
                            crate::cluster::terminal::open(client, &asked).await
                        }),
                    ));
                }
            }
        }
        if app.quit {
            break;
        }
    }
    if let Some(switch) = switching {
        switch.abort();
    }
    drop(session);
    Ok(())
}

/// Takes in what the cluster sent: one frame's worth of a burst (the first list of a big
/// cluster) at a time, so keys and frames still get their turn, and a key waiting first.
fn take_in(
    backlog: &mut backlog::Backlog,
    app: &mut App,
    keys: &keys::Keys,
    session: &mut Session,
) {
    backlog.take_in(
        FRAME,
        || !keys.events.is_empty(),
        || session.messages.try_recv().ok(),
        |message| app.on_cluster(message),
    );
    // Freed on a thread of the runtime's pool, not between a key and its frame.
    for value in app.take_discarded() {
        tokio::task::spawn_blocking(move || drop(value));
    }
}

/// Once the first lists are in, the runtime's threads yield to the loop (see `priority`); after
/// that, each message taken in asks no more than a flag.
fn lower_workers_once_listed(app: &App) {
    if !priority::lowered() && app.first_lists_in() {
        priority::lower_workers();
    }
}

/// After a list is in or a metrics reading replaced the last, what their decoding held goes
/// back to the system (see `memory`) once the frame showing them is drawn, though not while a
/// filter is typed: that takes 10 ms at 50,000 pods, and it is owed until the frame after the
/// prompt closes.
fn give_back_if_owed(backlog: &mut backlog::Backlog, app: &App) {
    if !matches!(app.mode, crate::app::state::Mode::Filter { .. }) && backlog.burst_ended() {
        memory::give_back();
    }
}

/// Writes the log view's lines to `path` (its directory made if missing) and says so in the
/// view.
fn save_logs(app: &mut App, path: &std::path::Path) {
    if let crate::app::state::Mode::Logs(view) = &mut app.mode {
        let saved = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| view.buffer.save_to(path));
        view.message = Some(match saved {
            Ok(count) => format!("saved {count} lines to {}", path.display()),
            Err(error) => format!("cannot save to {}: {error}", path.display()),
        });
        app.dirty = true;
    }
}

#[cfg(test)]
#[path = "runtime_tests.rs"]
mod tests;
