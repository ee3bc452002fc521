//! `$EDITOR` with the screen handed over: the object (or a patch template made from it) in a
//! private file, what was written read back and sent for a server dry run.

use std::io::Stdout;

use anyhow::{Context, Result};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use super::session::Session;
use super::{keys, patching, restore_terminal};
use crate::app::request::{Editing, EditorJob};
use crate::app::state::App;

/// A private place for the text handed to `$EDITOR`: a directory only this user can enter
/// (in `$XDG_RUNTIME_DIR` when there is one) holding a file created anew (O_EXCL) with mode
/// 0600 under an unpredictable name, so no other local user can read it or plant a link
/// there. Both are removed when this is dropped: after the editor, on error and on panic.
pub(super) struct EditorFile {
    _directory: tempfile::TempDir,
    file: tempfile::NamedTempFile,
}

impl EditorFile {
    pub(super) fn create(text: &str) -> Result<Self> {
        use std::io::Write;
        use std::os::unix::fs::PermissionsExt;
        let mut builder = tempfile::Builder::new();
        // Only this user may enter it: nobody else can read the file or plant a link there.
        builder
            .prefix("kscope-")
            .permissions(std::fs::Permissions::from_mode(0o700));
        let directory = match std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
            Some(runtime) => builder.tempdir_in(runtime),
            None => builder.tempdir(),
        }
        .context("cannot create a private directory for the editor")?;
        let mut file = tempfile::Builder::new()
            .prefix("edit-")
            .suffix(".yaml")
            .tempfile_in(directory.path())
            .context("cannot create the file for the editor")?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.flush())
            .context("cannot write the file for the editor")?;
        Ok(Self {
            _directory: directory,
            file,
        })
    }

    pub(super) fn path(&self) -> &std::path::Path {
        self.file.path()
    }
}

/// Opens `$EDITOR` on the fetched object (or a patch template made from it) with the screen
/// handed over to it, then previews the result with a server dry run. The watches keep
/// running meanwhile; their messages wait in the channel. Nothing here waits on the API.
pub(super) fn compose_in_editor(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    keys: &keys::Keys,
    session: &Session,
    app: &mut App,
    editing: Editing,
) -> Result<()> {
    let Editing {
        job,
        target,
        key,
        object,
    } = editing;
    let text = match job {
        EditorJob::Edit => crate::model::patch_text::edit_text(&object),
        EditorJob::Patch(patch_type) => crate::model::patch_text::template(patch_type, &object),
    };
    let file = match EditorFile::create(&text) {
        Ok(file) => file,
        Err(error) => {
            app.message = Some(format!("{error:#}; nothing was sent"));
            app.reopen_view();
            return Ok(());
        }
    };
    keys.pause();
    restore_terminal();
    let edited = patching::run_editor(file.path());
    enable_raw_mode().context("cannot put the terminal back in raw mode")?;
    execute!(
        std::io::stdout(),
        EnterAlternateScreen,
        crossterm::cursor::Hide
    )
    .context("cannot reopen the alternate screen")?;
    terminal.clear().context("cannot redraw")?;
    keys.resume();
    app.dirty = true;
    // The editor may have replaced the file (write to a new one, rename): read it by path.
    let written = std::fs::read_to_string(file.path());
    drop(file);
    if let Err(error) = edited {
        app.message = Some(format!("{error:#}; nothing was sent"));
        app.reopen_view();
        return Ok(());
    }
    let written = match written {
        Ok(written) => written,
        Err(error) => {
            app.message = Some(format!("cannot read what the editor wrote: {error}"));
            app.reopen_view();
            return Ok(());
        }
    };
    let (patch_type, patch, from_edit) = match job {
        EditorJob::Edit => match patching::edit_patch(&object, &written, &target) {
            Ok(Some((patch_type, patch))) => (patch_type, patch, true),
            Ok(None) => {
                app.message = Some(crate::model::patch_text::EDIT_CANCELLED.to_string());
                app.reopen_view();
                return Ok(());
            }
            Err(error) => {
                app.message = Some(format!("edit not sent: {error}"));
                app.reopen_view();
                return Ok(());
            }
        },
        EditorJob::Patch(patch_type) => {
            match crate::model::patch_text::parse_patch(patch_type, &written) {
                Ok(Some(patch)) => (patch_type, patch, false),
                Ok(None) => {
                    app.message = Some("patch cancelled: nothing was written".into());
                    app.reopen_view();
                    return Ok(());
                }
                Err(error) => {
                    app.message = Some(format!("not a valid patch: {error}"));
                    app.reopen_view();
                    return Ok(());
                }
            }
        }
    };
    app.message = Some("checking the change with the API server (dry run)...".into());
    patching::spawn_preview(
        session.connection.client.clone(),
        crate::model::patch_review::PatchReview::unchecked(
            target, key, patch_type, patch, from_edit,
        ),
        session.sender(),
    );
    Ok(())
}
