//! `tar` as `kubectl cp` runs it: `tar cf - PATH` to copy out of a container and
//! `tar xmf - -C DIR` to copy in (and `tf` to list), over the container's virtual filesystem.
//! The archive format is the `tar` crate's (ustar with GNU long names), as GNU and BusyBox
//! tar read and write it.

use std::io::Read as _;

use super::fs::{Node, parent, resolve};
use super::interp::{Io, Shell};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Create,
    Extract,
    List,
}

/// Runs `tar` with its arguments.
pub async fn run(shell: &mut Shell, args: &[String], io: &mut Io) -> i32 {
    let mut mode = None;
    let mut archive: Option<String> = None;
    let mut dir: Option<String> = None;
    let mut paths = Vec::new();
    let mut index = 0;
    while index < args.len() {
        let arg = &args[index];
        index += 1;
        if arg.starts_with("--") {
            continue;
        }
        let bundle = arg
            .strip_prefix('-')
            .or((index == 1).then_some(arg.as_str()));
        match bundle {
            Some(bundle)
                if !bundle.is_empty() && bundle.chars().all(|c| "cxtvfmpoCzh".contains(c)) =>
            {
                for flag in bundle.chars() {
                    match flag {
                        'c' => mode = Some(Mode::Create),
                        'x' => mode = Some(Mode::Extract),
                        't' => mode = Some(Mode::List),
                        'f' => {
                            archive = args.get(index).cloned();
                            index += 1;
                        }
                        'C' => {
                            dir = args.get(index).cloned();
                            index += 1;
                        }
                        'z' => {
                            io.err.print("tar: gzip: not found\n");
                            return 1;
                        }
                        _ => {}
                    }
                }
            }
            _ => paths.push(arg.clone()),
        }
    }
    if archive.as_deref().is_some_and(|a| a != "-") {
        io.err
            .print("tar: only '-' (standard input or output) is supported here\n");
        return 1;
    }
    let base = dir
        .map(|d| shell.path(&d))
        .unwrap_or_else(|| shell.cwd.clone());
    match mode {
        Some(Mode::Create) => create(shell, &base, &paths, io),
        Some(Mode::Extract) => extract(shell, &base, io).await,
        Some(Mode::List) => list(io).await,
        None => {
            io.err.print("tar: need to specify one of -c, -t, -x\n");
            1
        }
    }
}

fn create(shell: &Shell, base: &str, paths: &[String], io: &mut Io) -> i32 {
    if paths.is_empty() {
        io.err.print("tar: empty archive\n");
        return 1;
    }
    let fs = shell.fs.lock().unwrap_or_else(|p| p.into_inner());
    let mut builder = tar::Builder::new(Vec::new());
    let mut status = 0;
    let mtime = jiff::Timestamp::now().as_second().max(0) as u64;
    for typed in paths {
        let root = resolve(base, typed);
        let stored_root = typed.trim_start_matches('/').trim_end_matches('/');
        let Some(node) = fs.get(&root) else {
            io.err
                .print(&format!("tar: {typed}: No such file or directory\n"));
            status = 1;
            continue;
        };
        let mut entries: Vec<(String, &Node)> = vec![(stored_root.to_string(), node)];
        if let Node::Dir { .. } = node {
            for (path, node) in fs.under(&root) {
                let relative = &path[root.len()..].trim_start_matches('/');
                let name = if stored_root.is_empty() {
                    relative.to_string()
                } else {
                    format!("{stored_root}/{relative}")
                };
                entries.push((name, node));
            }
        }
        for (name, node) in entries {
            if name.is_empty() {
                continue;
            }
            let mut header = tar::Header::new_gnu();
            header.set_mtime(mtime);
            header.set_uid(0);
            header.set_gid(0);
            let result = match node {
                Node::Dir { mode } => {
                    header.set_entry_type(tar::EntryType::Directory);
                    header.set_mode(*mode);
                    header.set_size(0);
                    builder.append_data(&mut header, format!("{name}/"), std::io::empty())
                }
                Node::File { data, mode } => {
                    header.set_entry_type(tar::EntryType::Regular);
                    header.set_mode(*mode);
                    header.set_size(data.len() as u64);
                    builder.append_data(&mut header, &name, data.as_slice())
                }
            };
            if let Err(error) = result {
                io.err.print(&format!("tar: {name}: {error}\n"));
                status = 1;
            }
        }
    }
    match builder.into_inner() {
        Ok(bytes) => io.out.write(&bytes),
        Err(error) => {
            io.err.print(&format!("tar: {error}\n"));
            return 1;
        }
    }
    status
}

/// An entry's relative path, refusing ones that climb out of the target (`..`).
fn entry_path(entry: &tar::Entry<'_, &[u8]>) -> Option<String> {
    let path = entry.path().ok()?;
    let text = path.to_string_lossy().to_string();
    if text.split('/').any(|part| part == "..") {
        return None;
    }
    Some(text)
}

async fn extract(shell: &mut Shell, base: &str, io: &mut Io) -> i32 {
    let data = io.stdin.read_all().await;
    let mut archive = tar::Archive::new(data.as_slice());
    let entries = match archive.entries() {
        Ok(entries) => entries,
        Err(error) => {
            io.err.print(&format!("tar: {error}\n"));
            return 1;
        }
    };
    let mut fs = shell.fs.lock().unwrap_or_else(|p| p.into_inner());
    if !matches!(fs.get(base), Some(Node::Dir { .. })) {
        io.err.print(&format!(
            "tar: can't change directory to '{base}': No such file or directory\n"
        ));
        return 1;
    }
    let mut status = 0;
    for entry in entries {
        let mut entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                io.err.print(&format!("tar: {error}\n"));
                return 1;
            }
        };
        let Some(name) = entry_path(&entry) else {
            io.err
                .print("tar: skipping an entry that leaves the target directory\n");
            continue;
        };
        let path = resolve(base, &name);
        let mode = entry.header().mode().unwrap_or(0o644) & 0o7777;
        let result = match entry.header().entry_type() {
            tar::EntryType::Directory => fs.mkdir(&path, true),
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                let mut bytes = Vec::new();
                if let Err(error) = entry.read_to_end(&mut bytes) {
                    io.err.print(&format!("tar: {name}: {error}\n"));
                    return 1;
                }
                fs.mkdir(parent(&path), true)
                    .and_then(|()| fs.write(&path, &bytes, false, mode))
            }
            _ => Ok(()),
        };
        if let Err(error) = result {
            io.err
                .print(&format!("tar: can't open '{name}': {}\n", error.text()));
            status = 1;
        }
    }
    status
}

async fn list(io: &mut Io) -> i32 {
    let data = io.stdin.read_all().await;
    let mut archive = tar::Archive::new(data.as_slice());
    let Ok(entries) = archive.entries() else {
        io.err.print("tar: invalid tar magic\n");
        return 1;
    };
    for entry in entries.flatten() {
        if let Some(name) = entry_path(&entry) {
            io.out.print(&format!("{name}\n"));
        }
    }
    0
}
