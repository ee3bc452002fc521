//! Where an action goes: the view that has the keyboard, the command line typed over it, or
//! the pane.

use super::action::Action;
use super::filter::Filter;
use super::line::{LineInput, remember};
use super::request::{Effect, Purpose, Request};
use super::state::{App, Mode, Pane};

impl App {
    /// Applies a user action.
    pub fn apply(&mut self, action: Action) {
        self.dirty = true;
        self.message = None;
        self.route(action);
        self.return_to_xray();
        // Only when the cursor has no object yet or its object is gone: listing the rows of
        // a big pane on every key would cost each keystroke milliseconds.
        self.settle_if_needed();
    }

    /// `:` typed in a view: the command line opens over it (esc returns to the view). A
    /// confirmation or a reviewed patch is declined first: a command never answers yes.
    pub(crate) fn command_over_view(&mut self) {
        match &self.mode {
            Mode::Confirm { .. } => self.confirm(false),
            Mode::PatchReview { .. } | Mode::PatchConflict { .. } => {
                self.message = Some("change not applied".into());
                self.mode = Mode::Normal;
            }
            _ => {}
        }
        let view = std::mem::replace(&mut self.mode, Mode::Command(LineInput::default()));
        self.under = match view {
            Mode::Normal | Mode::Command(_) | Mode::Filter { .. } => None,
            view => Some(Box::new(view)),
        };
    }

    /// Runs the command typed; the view it was typed over closes when the command goes
    /// somewhere, and comes back when it did not (an unknown command, `:ctx`).
    pub(crate) fn submit_command(&mut self, command: &str) {
        let before = self.location();
        self.mode = Mode::Normal;
        self.run_command(command);
        if self.location() != before || !matches!(self.mode, Mode::Normal) {
            self.xray_under = None;
        }
        let Some(view) = self.under.take() else {
            return;
        };
        if matches!(self.mode, Mode::Normal) && self.location() == before && !self.quit {
            self.mode = *view;
        } else if matches!(*view, Mode::Logs(_)) {
            self.requests.push(Request::StopLogs);
        }
    }

    /// Applies the filter line as it stands.
    fn filter_typed(&mut self) {
        if let Mode::Filter { line, .. } = &self.mode {
            self.filter = Filter::new(line.text());
            self.keep_or_first_lazily();
        }
    }

    /// Leaves the command or filter line: back to the view it was typed over, if any.
    pub(crate) fn close_line(&mut self) {
        self.mode = match self.under.take() {
            Some(view) => *view,
            None => Mode::Normal,
        };
    }

    /// Sends an action to the view or pane that has the keyboard.
    pub(crate) fn route(&mut self, action: Action) {
        if self.mode.reader().is_some() && self.read(&action) {
            return;
        }
        match (&mut self.mode, action) {
            (_, Action::Quit) => self.quit = true,
            (
                Mode::Help { .. }
                | Mode::Explain { .. }
                | Mode::Describe { .. }
                | Mode::Yaml { .. }
                | Mode::Fetching { .. }
                | Mode::Containers { .. }
                | Mode::Triage { .. }
                | Mode::Xray(_)
                | Mode::Logs(_)
                | Mode::Drain(_)
                | Mode::Confirm { .. }
                | Mode::PatchCompose { .. }
                | Mode::PatchReview { .. }
                | Mode::PatchConflict { .. },
                Action::CommandMode,
            ) => self.command_over_view(),
            (Mode::Confirm { .. }, Action::Confirm(yes)) => self.confirm(yes),
            (Mode::PatchCompose { .. }, Action::Type(c)) => self.compose_key(c),
            (Mode::PatchCompose { .. }, Action::Erase) => self.compose_erase(),
            (Mode::PatchCompose { .. }, Action::Submit) => self.compose_submit(),
            (Mode::PatchCompose { .. }, Action::Back) => {
                self.mode = Mode::Normal;
                self.reopen_view();
            }
            (Mode::PatchReview { .. }, Action::Confirm(true)) => self.apply_reviewed(),
            (Mode::PatchReview { .. }, Action::Confirm(false)) => {
                self.mode = Mode::Normal;
                self.message = Some("patch not applied".into());
                self.reopen_view();
            }
            (Mode::PatchReview { scroll, .. }, Action::Down) => *scroll += 1,
            (Mode::PatchReview { scroll, .. }, Action::Up) => *scroll = scroll.saturating_sub(1),
            (Mode::PatchReview { scroll, .. }, Action::PageDown) => *scroll += 10,
            (Mode::PatchReview { scroll, .. }, Action::PageUp) => {
                *scroll = scroll.saturating_sub(10)
            }
            (Mode::PatchConflict { .. }, Action::Confirm(true)) => self.reapply_after_conflict(),
            (Mode::PatchConflict { .. }, Action::Confirm(false)) => {
                self.mode = Mode::Normal;
                self.message = Some("change dropped; the object keeps its new version".into());
                self.reopen_view();
            }
            (Mode::Prompt { text, .. }, Action::Type(c)) => text.push(c),
            (Mode::Prompt { text, .. }, Action::Erase) => {
                text.pop();
            }
            (Mode::Prompt { .. }, Action::Submit) => self.answer(),
            (Mode::Prompt { .. }, Action::Back) => {
                self.mode = Mode::Normal;
                self.reopen_view();
            }
            (Mode::Command(line), action @ (Action::Type(_) | Action::Erase | Action::Line(_))) => {
                if let Some(edit) = action.line_edit() {
                    line.edit(edit, &self.command_history);
                }
            }
            (Mode::Command(line), Action::Complete) => {
                let text = line.text().to_string();
                if let Some(first) = self.command_completions(&text).into_iter().next() {
                    self.mode = Mode::Command(LineInput::new(&first));
                }
            }
            (Mode::Command(line), Action::Submit) => {
                let command = line.text().to_string();
                remember(&mut self.command_history, &command);
                self.submit_command(&command);
            }
            (Mode::Command(_), Action::Back) => self.close_line(),
            // The filter applies as it is typed.
            (
                Mode::Filter { line, .. },
                action @ (Action::Type(_) | Action::Erase | Action::Line(_)),
            ) => {
                if let Some(edit) = action.line_edit() {
                    line.edit(edit, &self.filter_history);
                    self.filter_typed();
                }
            }
            (Mode::Filter { line, .. }, Action::Submit) => {
                let text = line.text().to_string();
                remember(&mut self.filter_history, &text);
                self.mode = Mode::Normal;
                self.keep_or_first();
            }
            (Mode::Filter { before, .. }, Action::Back) => {
                self.filter = std::mem::take(before);
                self.close_line();
                self.keep_or_first();
            }
            (Mode::Help { .. }, Action::Back)
            | (Mode::Explain { .. }, Action::Back)
            | (Mode::Describe { .. }, Action::Back) => self.mode = Mode::Normal,
            (Mode::Yaml { raw, revealed, .. }, Action::Reveal)
                if raw.get("kind").and_then(serde_json::Value::as_str) == Some("Secret") =>
            {
                *revealed = !*revealed;
                self.refind();
            }
            (Mode::Yaml { .. }, Action::ManagedFields) => self.toggle_managed_fields(),
            (
                Mode::Yaml {
                    raw,
                    revealed,
                    title,
                    ..
                },
                Action::Copy,
            ) => {
                let source = if *revealed {
                    crate::app::yaml::decoded_secret(raw)
                } else {
                    (**raw).clone()
                };
                let text = crate::app::yaml::yaml_text(&source, *revealed);
                self.effects.push(Effect::Copy(text));
                self.message = Some(format!("copied the YAML of {title}"));
            }
            (Mode::Logs(_), Action::Key(key)) => self.log_key(key),
            (Mode::Logs(_), action) => self.log_action(&action),
            (Mode::Drain(_), Action::Key(key)) => self.drain_key(key),
            (Mode::Forward(_), Action::Key(key)) => self.forward_dialog_key(key),
            (Mode::Forwards { .. }, Action::Key(key)) => self.forwards_key(key),
            (Mode::Containers { .. }, Action::PortForward) => self.start_port_forward(),
            (Mode::Drain(_), action) => self.drain_action(&action),
            (
                Mode::Triage { selected },
                moved @ (Action::Down | Action::Up | Action::PageDown | Action::PageUp),
            ) => {
                let last = self.triage.len().saturating_sub(1);
                *selected = match moved {
                    Action::Down => (*selected + 1).min(last),
                    Action::PageDown => (*selected + 10).min(last),
                    Action::Up => selected.saturating_sub(1),
                    _ => selected.saturating_sub(10),
                };
                let selected = *selected;
                self.explain_finding(selected);
            }
            (Mode::Triage { selected }, Action::Enter) => {
                let selected = *selected;
                self.open_finding(selected);
            }
            (Mode::Triage { .. }, Action::Back) => self.mode = Mode::Normal,
            (Mode::Xray(_), action) => self.xray_action(action),
            (Mode::Containers { .. }, Action::Logs) => self.start_logs(),
            (Mode::Containers { .. }, Action::Shell) => {
                self.start_terminal(super::request::SessionKind::Shell)
            }
            (Mode::Containers { .. }, Action::Attach) => {
                self.start_terminal(super::request::SessionKind::Attach)
            }
            (Mode::Containers { selected, .. }, Action::Down) => *selected += 1,
            (Mode::Containers { selected, .. }, Action::Up) => {
                *selected = selected.saturating_sub(1)
            }
            (Mode::Containers { .. }, Action::Explain) => {
                // The explainer of the pod whose containers are shown.
                self.mode = Mode::Normal;
                self.explain_selected();
            }
            (Mode::Yaml { .. }, Action::Back)
            | (Mode::Fetching { .. }, Action::Back)
            | (Mode::Containers { .. }, Action::Back) => self.mode = Mode::Normal,
            (Mode::Help { scroll }, Action::Down) => *scroll += 1,
            (Mode::Help { scroll }, Action::Up) => *scroll = scroll.saturating_sub(1),
            (Mode::Help { scroll }, Action::PageDown) => *scroll += 10,
            (Mode::Help { scroll }, Action::PageUp) => *scroll = scroll.saturating_sub(10),
            (
                Mode::Yaml { subject, .. } | Mode::Describe { subject, .. },
                action @ (Action::Edit
                | Action::Patch
                | Action::Scale
                | Action::RestartRollout
                | Action::SetImage
                | Action::Delete
                | Action::Drain
                | Action::Cordon
                | Action::Uncordon
                | Action::TriggerJob),
            ) => {
                let subject = subject.clone();
                let purpose = if matches!(self.mode, Mode::Yaml { .. }) {
                    Purpose::Yaml
                } else {
                    Purpose::Describe
                };
                // The change applies to the object the view shows, wherever the pane's cursor
                // is; without one (an old view), to nothing.
                let Some(subject) = subject else {
                    self.message = Some("this view names no object to change".into());
                    return;
                };
                let (target, key) = *subject;
                let title = target.title(&key);
                self.reopen = Some((target.clone(), key.clone(), title.clone(), purpose));
                self.focus = Some((target, key, title));
                self.mode = Mode::Normal;
                self.normal(action);
                self.focus = None;
                if matches!(self.mode, Mode::Normal) && self.requests.is_empty() {
                    // Refused or nothing to do: back to the view as it was asked for.
                    self.reopen_view();
                }
            }
            (Mode::Normal, action) => self.normal(action),
            _ => {}
        }
    }

    pub(crate) fn normal(&mut self, action: Action) {
        let row = self.selection();
        let page = self.page_rows.max(1);
        match action {
            Action::Up => self.select(row.saturating_sub(1)),
            Action::Down => self.select(row + 1),
            Action::PageUp => self.select(row.saturating_sub(page)),
            Action::PageDown => self.select(row + page),
            Action::Top => self.select(0),
            Action::Bottom => self.select(usize::MAX),
            Action::CommandMode => self.mode = Mode::Command(LineInput::default()),
            Action::FilterMode => {
                self.mode = Mode::Filter {
                    line: LineInput::new(self.filter.text()),
                    before: self.filter.clone(),
                };
                self.ready_rows_for_filter();
            }
            Action::Help => self.mode = Mode::Help { scroll: 0 },
            Action::Pause if self.pane == Pane::Stream => self.stream.paused = !self.stream.paused,
            Action::Pause => self.message = Some("only the stream pauses (:stream)".into()),
            Action::Mark if self.pane == Pane::Stream => {
                self.message = Some("the stream's lines cannot be marked".into())
            }
            Action::Mark => {
                self.toggle_mark();
                self.select(row + 1);
            }
            Action::Delete => self.start_delete(),
            Action::Drain => self.start_drain(),
            Action::Cordon => self.start_cordon(true),
            Action::Scale => self.start_scale(),
            Action::RestartRollout => self.start_restart(),
            Action::SetImage => self.start_set_image(),
            Action::TriggerJob => self.start_job_from_cronjob(),
            Action::Uncordon => self.start_cordon(false),
            Action::Patch => self.start_patch(),
            Action::Logs => self.start_logs(),
            Action::Shell => self.start_terminal(super::request::SessionKind::Shell),
            Action::Attach => self.start_terminal(super::request::SessionKind::Attach),
            Action::PortForward => self.start_port_forward(),
            Action::Edit => self.start_edit(),
            Action::ToggleWide => self.toggle_wide(),
            Action::ScrollColumns(right) => self.scroll_columns(right),
            Action::Sort(column) => {
                if !self.sortable(column) {
                    self.message = Some(format!(
                        "{} cannot be sorted by {}",
                        self.pane.title(),
                        format!("{column:?}").to_lowercase()
                    ));
                    return;
                }
                // The same key again flips the direction.
                let next = match self.sort.get(&self.pane) {
                    Some((current, descending)) if *current == column => (column, !descending),
                    _ => (column, false),
                };
                // The cursor stays on its object, wherever the new order puts it.
                self.sort.insert(self.pane, next);
            }
            Action::AllNamespaces => self.set_namespace(None),
            Action::Favourite(number) => {
                match self
                    .favourites
                    .get(usize::from(number).wrapping_sub(1))
                    .cloned()
                {
                    Some(namespace) => self.set_namespace(Some(namespace)),
                    None => {
                        self.message = Some(format!(
                            "no favourite namespace {number} yet (choose one in :ns with enter)"
                        ))
                    }
                }
            }
            // esc: clears the filter first, then goes back where the user came from.
            Action::Back => {
                if !self.filter.is_empty() {
                    self.filter.clear();
                } else if !self.go_back() && self.drill.take().is_none() && self.pane != Pane::Pods
                {
                    self.pane = Pane::Pods;
                }
            }
            Action::HistoryBack => self.step(App::go_back, "nothing to go back to"),
            Action::HistoryForward => self.step(App::go_forward, "nothing to go forward to"),
            Action::LastView => self.step(App::toggle_last, "no other view yet"),
            Action::Explain => self.explain_selected(),
            Action::Describe => self.describe_selected(),
            Action::Yaml => self.open_yaml(),
            Action::Copy => match self.selected_object() {
                Some((_, (_, name), title)) => {
                    self.effects.push(Effect::Copy(name));
                    self.message = Some(format!("copied the name of {title}"));
                }
                None => self.message = Some("nothing selected".to_string()),
            },
            Action::Enter => self.enter(),
            Action::Xray => self.xray_selected(),
            Action::Owner => self.jump_to_owner(),
            Action::Click(row) => {
                // The table's rows start below the header line, its border and its column titles.
                const FIRST_ROW: u16 = 3;
                let count = self.row_count();
                let (first, _) = super::scroll::window(self.selection(), count, page);
                let Some(offset) = row.checked_sub(FIRST_ROW) else {
                    return;
                };
                let clicked = first + usize::from(offset);
                if clicked >= count || usize::from(offset) >= page {
                    return;
                }
                if clicked == self.selection() {
                    self.enter();
                } else {
                    self.select(clicked);
                }
            }
            _ => {}
        }
    }

    /// A key of a reading view (YAML, describe, explain): the search line while it is typed,
    /// `/`, `n`/`N`, the moves. False for the keys the view leaves to the routes above.
    fn read(&mut self, action: &Action) -> bool {
        let page = self.page_rows.max(1);
        let typing = self.mode.reader().is_some_and(|r| r.is_typing());
        if typing {
            match action {
                Action::Submit => {
                    let lines = self.mode.reading_lines();
                    let submitted = self
                        .mode
                        .reader_mut()
                        .and_then(|reader| reader.submit(&lines, page));
                    if let Some(query) = submitted {
                        remember(&mut self.search_history, &query);
                    }
                }
                Action::Back => {
                    if let Some(reader) = self.mode.reader_mut() {
                        reader.cancel();
                    }
                }
                other => {
                    if let Some(edit) = other.line_edit() {
                        let history = self.search_history.clone();
                        if let Some(reader) = self.mode.reader_mut() {
                            reader.edit(edit, &history);
                        }
                    }
                }
            }
            return true;
        }
        let lines = match action {
            Action::Down
            | Action::Up
            | Action::PageDown
            | Action::PageUp
            | Action::Top
            | Action::Bottom
            | Action::NextMatch
            | Action::PreviousMatch => self.mode.reading_lines().len(),
            Action::Search => 0,
            _ => return false,
        };
        let Some(reader) = self.mode.reader_mut() else {
            return false;
        };
        match action {
            Action::Search => reader.start_search(),
            Action::Down => reader.scroll(1, lines),
            Action::Up => reader.scroll(-1, lines),
            Action::PageDown => reader.scroll(page as isize, lines),
            Action::PageUp => reader.scroll(-(page as isize), lines),
            Action::Top => reader.to_end(false, lines, page),
            Action::Bottom => reader.to_end(true, lines, page),
            Action::NextMatch | Action::PreviousMatch => {
                let forward = *action == Action::NextMatch;
                if !reader.next_match(forward, lines, page) {
                    self.message = Some("no search: / searches the text".to_string());
                }
            }
            _ => return false,
        }
        true
    }

    /// Finds the view's search again after its text changed.
    fn refind(&mut self) {
        let lines = self.mode.reading_lines();
        if let Some(reader) = self.mode.reader_mut() {
            reader.refind(&lines);
        }
    }

    /// Shows or hides metadata.managedFields in the YAML view; an object the watches keep
    /// without them is fetched whole first.
    fn toggle_managed_fields(&mut self) {
        let Mode::Yaml {
            raw,
            managed_fields,
            subject,
            title,
            ..
        } = &mut self.mode
        else {
            return;
        };
        let held = raw.pointer("/metadata/managedFields").is_some();
        if !*managed_fields && !held {
            if let Some(subject) = subject.clone() {
                let (target, key) = *subject;
                let title = title.clone();
                self.fetch_selected(target, key, title, Purpose::YamlWithManagedFields);
            } else {
                self.message = Some("this object has no managedFields".to_string());
            }
            return;
        }
        *managed_fields = !*managed_fields;
        self.refind();
    }
}
