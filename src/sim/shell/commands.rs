//! The programs a simulated container has, with BusyBox's options and messages: files
//! (`ls`, `cat`, `head`, `tail`, `grep`, `wc`, `mkdir`, `touch`, `rm`, `tar`, `test`), the
//! process and system (`env`, `printenv`, `id`, `whoami`, `hostname`, `ps`, `df`, `date`,
//! `uname`, `sleep`, `stty` with the size the client's resize channel set) and the shells
//! themselves.

use std::time::Duration;

use super::container::ImageShell;
use super::fs::{FsError, Node};
use super::interp::{Io, Shell};
use super::io::Stdin;

/// The programs on every image with a shell (`bash` only on Debian-like ones).
pub const NAMES: &[&str] = &[
    "sh", "ls", "cat", "echo", "env", "printenv", "pwd", "hostname", "id", "whoami", "ps", "df",
    "date", "sleep", "head", "tail", "grep", "wc", "mkdir", "touch", "rm", "tar", "test", "[",
    "true", "false", "uname", "clear", "stty",
];

/// What PID 1 runs when the pod does not say: the image's own entrypoint, as far as the
/// simulator knows it.
pub fn entrypoint(image: &str) -> String {
    let repository = image.split([':', '@']).next().unwrap_or(image);
    let name = repository.rsplit('/').next().unwrap_or(repository);
    match name {
        "nginx" => "nginx: master process nginx -g daemon off;".into(),
        "redis" => "redis-server *:6379".into(),
        "busybox" | "alpine" => "sh".into(),
        "coredns" => "/coredns -conf /etc/coredns/Corefile".into(),
        other => format!("/usr/local/bin/{other}"),
    }
}

/// Runs a program the image has.
pub async fn run(shell: &mut Shell, program: &str, argv: &[String], io: &mut Io) -> i32 {
    let args = &argv[1..];
    match program {
        "sh" | "bash" => run_shell(shell, program, args, io).await,
        "echo" => {
            let (newline, words) = match args.first().map(String::as_str) {
                Some("-n") => (false, &args[1..]),
                _ => (true, args),
            };
            io.out.print(&words.join(" "));
            if newline {
                io.out.print("\n");
            }
            0
        }
        "true" => 0,
        "false" => 1,
        // The terminal's size as the client's resize channel last set it.
        "stty" => match (&io.terminal, args.first().map(String::as_str)) {
            (None, _) => {
                io.err.print("stty: standard input: Not a tty\n");
                1
            }
            (Some(terminal), Some("size")) => {
                let (rows, columns) = terminal.size();
                io.out.print(&format!("{rows} {columns}\n"));
                0
            }
            (Some(_), None) => {
                io.out.print("speed 38400 baud; line = 0;\n");
                0
            }
            (Some(_), Some(other)) => {
                io.err.print(&format!("stty: invalid argument '{other}'\n"));
                1
            }
        },
        "clear" => {
            io.out.print("\x1b[H\x1b[J");
            0
        }
        "pwd" => {
            io.out.print(&format!("{}\n", shell.cwd));
            0
        }
        "hostname" => {
            io.out.print(&format!("{}\n", shell.container.hostname));
            0
        }
        "uname" => {
            let all = args.iter().any(|a| a == "-a");
            if all {
                io.out.print(&format!(
                    "Linux {} 6.8.0-kscope #1 SMP x86_64 GNU/Linux\n",
                    shell.container.hostname
                ));
            } else {
                io.out.print("Linux\n");
            }
            0
        }
        "id" => {
            let (uid, gid) = (shell.container.uid, shell.container.gid);
            let named = |id: i64| {
                if id == 0 {
                    format!("{id}(root)")
                } else {
                    id.to_string()
                }
            };
            io.out.print(&format!(
                "uid={} gid={} groups={}\n",
                named(uid),
                named(gid),
                named(gid)
            ));
            0
        }
        "whoami" => {
            if shell.container.uid == 0 {
                io.out.print("root\n");
                0
            } else {
                io.err
                    .print(&format!("whoami: unknown uid {}\n", shell.container.uid));
                1
            }
        }
        "env" => env(shell, args, io).await,
        "printenv" => {
            if args.is_empty() {
                for (k, v) in &shell.env {
                    io.out.print(&format!("{k}={v}\n"));
                }
                return 0;
            }
            let mut status = 0;
            for name in args {
                match shell.env.iter().find(|(k, _)| k == name) {
                    Some((_, v)) => io.out.print(&format!("{v}\n")),
                    None => status = 1,
                }
            }
            status
        }
        "ps" => {
            io.out.print("PID   USER     TIME  COMMAND\n");
            let user = if shell.container.uid == 0 {
                "root".to_string()
            } else {
                shell.container.uid.to_string()
            };
            io.out.print(&format!(
                "{:>5} {user:<8} 0:00 {}\n",
                1,
                shell.container.cmdline.join(" ")
            ));
            io.out
                .print(&format!("{:>5} {user:<8} 0:00 {}\n", shell.pid, shell.name));
            io.out
                .print(&format!("{:>5} {user:<8} 0:00 ps\n", shell.pid + 1));
            0
        }
        "df" => {
            io.out
                .print("Filesystem           1K-blocks      Used Available Use% Mounted on\n");
            let fs = shell.fs.lock().unwrap_or_else(|p| p.into_inner());
            for mount in &fs.mounts {
                if matches!(mount.path.as_str(), "/proc" | "/sys") {
                    continue;
                }
                let (blocks, used) = if mount.source == "tmpfs" {
                    (4_045_620u64, 12u64)
                } else {
                    (101_430_960, 38_211_744)
                };
                io.out.print(&format!(
                    "{:<20} {blocks:>9} {used:>9} {:>9} {:>3}% {}\n",
                    mount.source,
                    blocks - used,
                    used * 100 / blocks,
                    mount.path
                ));
            }
            0
        }
        "date" => {
            let now = jiff::Timestamp::now();
            let format = args
                .iter()
                .find_map(|a| a.strip_prefix('+'))
                .unwrap_or("%a %b %e %H:%M:%S UTC %Y");
            io.out.print(&format!("{}\n", now.strftime(format)));
            0
        }
        "sleep" => match args.first().and_then(|a| a.parse::<f64>().ok()) {
            Some(seconds) if seconds >= 0.0 => {
                tokio::time::sleep(Duration::from_secs_f64(seconds.min(86_400.0))).await;
                0
            }
            _ => {
                io.err.print(&format!(
                    "sleep: invalid number '{}'\n",
                    args.first().map(String::as_str).unwrap_or("")
                ));
                1
            }
        },
        "ls" => ls(shell, args, io),
        "cat" => {
            let files: Vec<&String> = args
                .iter()
                .filter(|a| !a.starts_with('-') || *a == "-")
                .collect();
            let mut status = 0;
            if files.is_empty() {
                let data = io.stdin.read_all().await;
                io.out.write(&data);
            }
            for file in files {
                match read_input(shell, file, &io.stdin).await {
                    Ok(data) => io.out.write(&data),
                    Err(error) => {
                        io.err
                            .print(&format!("cat: can't open '{file}': {}\n", error.text()));
                        status = 1;
                    }
                }
            }
            status
        }
        "head" | "tail" => head_tail(shell, program, args, io).await,
        "grep" => grep(shell, args, io).await,
        "wc" => wc(shell, args, io).await,
        "mkdir" => {
            let parents = args.iter().any(|a| a == "-p");
            let mut status = 0;
            for dir in args.iter().filter(|a| !a.starts_with('-')) {
                let path = shell.path(dir);
                let result = shell
                    .fs
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .mkdir(&path, parents);
                if let Err(error) = result {
                    io.err.print(&format!(
                        "mkdir: can't create directory '{dir}': {}\n",
                        error.text()
                    ));
                    status = 1;
                }
            }
            status
        }
        "touch" => {
            let mut status = 0;
            for file in args.iter().filter(|a| !a.starts_with('-')) {
                let path = shell.path(file);
                let mut fs = shell.fs.lock().unwrap_or_else(|p| p.into_inner());
                let result = match fs.get(&path) {
                    Some(_) => Ok(()),
                    None => fs.write(&path, b"", false, 0o644),
                };
                if let Err(error) = result {
                    io.err.print(&format!("touch: {file}: {}\n", error.text()));
                    status = 1;
                }
            }
            status
        }
        "rm" => {
            let flags: String = args
                .iter()
                .filter(|a| a.starts_with('-'))
                .flat_map(|a| a.chars().skip(1))
                .collect();
            let (recursive, force) = (flags.contains(['r', 'R']), flags.contains('f'));
            let mut status = 0;
            for file in args.iter().filter(|a| !a.starts_with('-')) {
                let path = shell.path(file);
                let result = shell
                    .fs
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(&path, recursive);
                match result {
                    Ok(()) => {}
                    Err(FsError::NotFound) if force => {}
                    Err(FsError::IsDir) => {
                        io.err.print(&format!("rm: '{file}' is a directory\n"));
                        status = 1;
                    }
                    Err(error) => {
                        io.err
                            .print(&format!("rm: can't remove '{file}': {}\n", error.text()));
                        status = 1;
                    }
                }
            }
            status
        }
        "test" | "[" => test(shell, program, args, io),
        "tar" => super::tar::run(shell, args, io).await,
        other => {
            io.err
                .print(&format!("{}: {other}: not found\n", shell.name));
            127
        }
    }
}

/// `sh -c SCRIPT`, `sh` on a terminal (a prompt), or `sh` reading a script from stdin.
async fn run_shell(shell: &mut Shell, program: &str, args: &[String], io: &mut Io) -> i32 {
    let shown = if program == "sh" && shell.container.shell == ImageShell::BusyBox {
        "sh"
    } else {
        program
    };
    let mut child = shell.child(shown);
    if let Some(at) = args.iter().position(|a| a == "-c") {
        let Some(script) = args.get(at + 1) else {
            io.err.print(&format!("{shown}: -c requires an argument\n"));
            return 2;
        };
        let script = script.clone();
        let status = child.run_text(&script, io).await;
        return child.exit.unwrap_or(status);
    }
    if let Some(file) = args.iter().find(|a| !a.starts_with('-')) {
        let data = {
            let fs = shell.fs.lock().unwrap_or_else(|p| p.into_inner());
            fs.read(&shell.path(file)).map(<[u8]>::to_vec)
        };
        return match data {
            Ok(data) => {
                let text = String::from_utf8_lossy(&data).into_owned();
                let status = child.run_text(&text, io).await;
                child.exit.unwrap_or(status)
            }
            Err(_) => {
                io.err.print(&format!("{shown}: can't open '{file}'\n"));
                127
            }
        };
    }
    let terminal = matches!(&io.out, super::io::Sink::Remote { tty: true, .. });
    if terminal {
        return child.interactive(io).await;
    }
    let script = io.stdin.read_all().await;
    let text = String::from_utf8_lossy(&script).into_owned();
    let status = child.run_text(&text, io).await;
    child.exit.unwrap_or(status)
}

/// `env` lists the environment, or runs a program with assignments added.
async fn env(shell: &mut Shell, args: &[String], io: &mut Io) -> i32 {
    let mut child = shell.child(&shell.name.clone());
    let mut rest = args;
    while let Some(first) = rest.first() {
        match first.split_once('=') {
            Some((k, v)) if !first.starts_with('-') => child.export(k, Some(v.to_string())),
            _ => break,
        }
        rest = &rest[1..];
    }
    if rest.is_empty() {
        for (k, v) in &child.env {
            io.out.print(&format!("{k}={v}\n"));
        }
        return 0;
    }
    match child.find_program(&rest[0]) {
        Some(_) => child.run_words(rest, io).await,
        None => {
            io.err.print(&format!(
                "env: can't execute '{}': No such file or directory\n",
                rest[0]
            ));
            127
        }
    }
}

/// A file's bytes, or stdin for `-`.
async fn read_input(shell: &Shell, file: &str, stdin: &Stdin) -> Result<Vec<u8>, FsError> {
    if file == "-" {
        return Ok(stdin.read_all().await);
    }
    let fs = shell.fs.lock().unwrap_or_else(|p| p.into_inner());
    fs.read(&shell.path(file)).map(<[u8]>::to_vec)
}

fn mode_text(node: &Node) -> String {
    let (kind, mode) = match node {
        Node::Dir { mode } => ('d', *mode),
        Node::File { mode, .. } => ('-', *mode),
    };
    let mut text = String::from(kind);
    for shift in [6, 3, 0] {
        let bits = (mode >> shift) & 7;
        text.push(if bits & 4 != 0 { 'r' } else { '-' });
        text.push(if bits & 2 != 0 { 'w' } else { '-' });
        text.push(if bits & 1 != 0 { 'x' } else { '-' });
    }
    text
}

fn ls(shell: &Shell, args: &[String], io: &mut Io) -> i32 {
    let flags: String = args
        .iter()
        .filter(|a| a.starts_with('-') && a.len() > 1)
        .flat_map(|a| a.chars().skip(1))
        .collect();
    let (long, all) = (flags.contains('l'), flags.contains('a'));
    let terminal =
        matches!(&io.out, super::io::Sink::Remote { tty: true, .. }) && !flags.contains('1');
    let mut targets: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-') || a.len() == 1)
        .map(String::as_str)
        .collect();
    if targets.is_empty() {
        targets.push(".");
    }
    let fs = shell.fs.lock().unwrap_or_else(|p| p.into_inner());
    let now = jiff::Timestamp::now().strftime("%b %e %H:%M").to_string();
    let line = |name: &str, node: &Node| -> String {
        if long {
            let size = match node {
                Node::Dir { .. } => 4096,
                Node::File { data, .. } => data.len(),
            };
            format!(
                "{} {:>4} root     root     {size:>9} {now} {name}",
                mode_text(node),
                1
            )
        } else {
            name.to_string()
        }
    };
    let mut status = 0;
    let several = targets.len() > 1;
    let mut first = true;
    for target in targets {
        let path = shell.path(target);
        match fs.get(&path) {
            None => {
                io.err
                    .print(&format!("ls: {target}: No such file or directory\n"));
                status = 1;
            }
            Some(node @ Node::File { .. }) => io.out.print(&format!("{}\n", line(target, node))),
            Some(Node::Dir { .. }) => {
                let Ok(entries) = fs.list(&path) else {
                    continue;
                };
                if several {
                    io.out
                        .print(&format!("{}{target}:\n", if first { "" } else { "\n" }));
                }
                first = false;
                let mut names: Vec<String> = Vec::new();
                if all {
                    let dot = Node::Dir { mode: 0o755 };
                    names.push(line(".", &dot));
                    names.push(line("..", &dot));
                }
                names.extend(
                    entries
                        .iter()
                        .filter(|(name, _)| all || !name.starts_with('.'))
                        .map(|(name, node)| line(name, node)),
                );
                if long {
                    io.out.print(&format!("total {}\n", names.len() * 4));
                }
                if terminal && !long {
                    if !names.is_empty() {
                        io.out.print(&format!("{}\n", names.join("  ")));
                    }
                } else {
                    for name in names {
                        io.out.print(&format!("{name}\n"));
                    }
                }
            }
        }
    }
    status
}

/// `head`/`tail` with `-n N`, `-N`, `-c N` and `tail -c +N` (what `kubectl cp` resumes with).
async fn head_tail(shell: &Shell, program: &str, args: &[String], io: &mut Io) -> i32 {
    let mut lines: i64 = 10;
    let mut bytes: Option<(i64, bool)> = None;
    let mut from_start = false;
    let mut files = Vec::new();
    let mut iter = args.iter().peekable();
    while let Some(arg) = iter.next() {
        let value = |inline: &str, iter: &mut std::iter::Peekable<std::slice::Iter<String>>| {
            if inline.is_empty() {
                iter.next().cloned().unwrap_or_default()
            } else {
                inline.to_string()
            }
        };
        if let Some(rest) = arg.strip_prefix("-n") {
            let v = value(rest, &mut iter);
            from_start = v.starts_with('+');
            lines = v.trim_start_matches('+').parse().unwrap_or(10);
        } else if let Some(rest) = arg.strip_prefix("-c") {
            let v = value(rest, &mut iter);
            bytes = Some((
                v.trim_start_matches('+').parse().unwrap_or(0),
                v.starts_with('+'),
            ));
        } else if arg.len() > 1
            && arg.starts_with('-')
            && arg[1..].chars().all(|c| c.is_ascii_digit())
        {
            lines = arg[1..].parse().unwrap_or(10);
        } else {
            files.push(arg.clone());
        }
    }
    let data = if files.is_empty() {
        io.stdin.read_all().await
    } else {
        match read_input(shell, &files[0], &io.stdin).await {
            Ok(data) => data,
            Err(error) => {
                io.err.print(&format!(
                    "{program}: can't open '{}': {}\n",
                    files[0],
                    error.text()
                ));
                return 1;
            }
        }
    };
    if let Some((count, plus)) = bytes {
        let count = count.max(0) as usize;
        let part = match (program, plus) {
            ("head", _) => &data[..count.min(data.len())],
            (_, true) => &data[count.saturating_sub(1).min(data.len())..],
            _ => &data[data.len().saturating_sub(count)..],
        };
        io.out.write(part);
        return 0;
    }
    let text = String::from_utf8_lossy(&data);
    let all: Vec<&str> = text.split_inclusive('\n').collect();
    let count = lines.max(0) as usize;
    let part: &[&str] = match (program, from_start) {
        ("head", _) => &all[..count.min(all.len())],
        (_, true) => &all[count.saturating_sub(1).min(all.len())..],
        _ => &all[all.len().saturating_sub(count)..],
    };
    io.out.print(&part.concat());
    0
}

async fn grep(shell: &Shell, args: &[String], io: &mut Io) -> i32 {
    let mut flags = String::new();
    let mut rest = Vec::new();
    for arg in args {
        if arg.starts_with('-') && arg.len() > 1 && rest.is_empty() {
            flags.push_str(&arg[1..]);
        } else {
            rest.push(arg.clone());
        }
    }
    let Some(pattern) = rest.first().cloned() else {
        io.err.print("Usage: grep [-ivcnqEF] PATTERN [FILE]...\n");
        return 2;
    };
    let source = if flags.contains('F') {
        regex::escape(&pattern)
    } else {
        pattern.clone()
    };
    let matcher = match regex::RegexBuilder::new(&source)
        .case_insensitive(flags.contains('i'))
        .build()
    {
        Ok(m) => m,
        Err(_) => {
            io.err.print(&format!("grep: bad regex '{pattern}'\n"));
            return 2;
        }
    };
    let files: Vec<String> = rest[1..].to_vec();
    let inputs: Vec<(String, Result<Vec<u8>, FsError>)> = if files.is_empty() {
        vec![(String::new(), Ok(io.stdin.read_all().await))]
    } else {
        let mut inputs = Vec::new();
        for file in &files {
            inputs.push((file.clone(), read_input(shell, file, &io.stdin).await));
        }
        inputs
    };
    let mut found = false;
    let mut status = 0;
    for (name, data) in inputs {
        let data = match data {
            Ok(data) => data,
            Err(error) => {
                io.err.print(&format!("grep: {name}: {}\n", error.text()));
                status = 2;
                continue;
            }
        };
        let text = String::from_utf8_lossy(&data);
        let mut count = 0;
        for (number, line) in text.lines().enumerate() {
            if matcher.is_match(line) == flags.contains('v') {
                continue;
            }
            found = true;
            count += 1;
            if flags.contains('q') || flags.contains('c') {
                continue;
            }
            let prefix = if files.len() > 1 {
                format!("{name}:")
            } else {
                String::new()
            };
            let number = if flags.contains('n') {
                format!("{}:", number + 1)
            } else {
                String::new()
            };
            io.out.print(&format!("{prefix}{number}{line}\n"));
        }
        if flags.contains('c') && !flags.contains('q') {
            let prefix = if files.len() > 1 {
                format!("{name}:")
            } else {
                String::new()
            };
            io.out.print(&format!("{prefix}{count}\n"));
        }
    }
    if status == 2 && !found {
        2
    } else if found {
        0
    } else {
        1
    }
}

async fn wc(shell: &Shell, args: &[String], io: &mut Io) -> i32 {
    let flags: String = args
        .iter()
        .filter(|a| a.starts_with('-') && a.len() > 1)
        .flat_map(|a| a.chars().skip(1))
        .collect();
    let files: Vec<&String> = args
        .iter()
        .filter(|a| !a.starts_with('-') || a.len() == 1)
        .collect();
    let shown: Vec<char> = if flags.is_empty() {
        vec!['l', 'w', 'c']
    } else {
        ['l', 'w', 'c']
            .into_iter()
            .filter(|f| flags.contains(*f))
            .collect()
    };
    let counts = |data: &[u8]| -> Vec<usize> {
        let text = String::from_utf8_lossy(data);
        shown
            .iter()
            .map(|f| match f {
                'l' => data.iter().filter(|b| **b == b'\n').count(),
                'w' => text.split_whitespace().count(),
                _ => data.len(),
            })
            .collect()
    };
    let format = |values: Vec<usize>, name: &str| -> String {
        let mut line = if values.len() == 1 && name.is_empty() {
            values[0].to_string()
        } else {
            values
                .iter()
                .map(|v| format!("{v:>9}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        if !name.is_empty() {
            line.push(' ');
            line.push_str(name);
        }
        format!("{}\n", line.trim_start())
    };
    if files.is_empty() {
        let data = io.stdin.read_all().await;
        io.out.print(&format(counts(&data), ""));
        return 0;
    }
    let mut status = 0;
    for file in files {
        match read_input(shell, file, &io.stdin).await {
            Ok(data) => io.out.print(&format(counts(&data), file)),
            Err(error) => {
                io.err.print(&format!("wc: {file}: {}\n", error.text()));
                status = 1;
            }
        }
    }
    status
}

/// `test` and `[`: the file tests and string comparisons scripts and `kubectl cp` use.
fn test(shell: &Shell, program: &str, args: &[String], io: &mut Io) -> i32 {
    let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
    if program == "[" {
        if args.last() != Some(&"]") {
            io.err.print("[: missing ]\n");
            return 2;
        }
        args.pop();
    }
    let negate = args.first() == Some(&"!");
    if negate {
        args.remove(0);
    }
    let fs = shell.fs.lock().unwrap_or_else(|p| p.into_inner());
    let node = |p: &str| fs.get(&shell.path(p)).cloned();
    let result = match args.as_slice() {
        [] => false,
        [s] => !s.is_empty(),
        ["-d", p] => matches!(node(p), Some(Node::Dir { .. })),
        ["-f", p] => matches!(node(p), Some(Node::File { .. })),
        ["-e" | "-r", p] => node(p).is_some(),
        ["-s", p] => matches!(node(p), Some(Node::File { data, .. }) if !data.is_empty()),
        ["-z", s] => s.is_empty(),
        ["-n", s] => !s.is_empty(),
        [a, "=" | "==", b] => a == b,
        [a, "!=", b] => a != b,
        [a, op @ ("-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge"), b] => {
            match (a.parse::<i64>(), b.parse::<i64>()) {
                (Ok(a), Ok(b)) => match *op {
                    "-eq" => a == b,
                    "-ne" => a != b,
                    "-lt" => a < b,
                    "-le" => a <= b,
                    "-gt" => a > b,
                    _ => a >= b,
                },
                _ => {
                    io.err.print(&format!("{program}: invalid number\n"));
                    return 2;
                }
            }
        }
        _ => {
            io.err.print(&format!("{program}: syntax error\n"));
            return 2;
        }
    };
    i32::from(result == negate)
}
