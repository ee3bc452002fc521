//! The shell itself: expands words, wires pipes and redirections, runs builtins and programs,
//! and reads commands from a terminal with a prompt, or from a script.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use super::commands;
use super::container::{Container, ImageShell};
use super::fs::{Fs, Node, resolve};
use super::io::{Line, Sink, Stdin};
use super::parse::{Command, Joiner, Piece, Redirect, Script, Word, parse};

/// A future a recursive call returns.
pub type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A process's streams.
pub struct Io {
    pub stdin: Stdin,
    pub out: Sink,
    pub err: Sink,
    /// The session's terminal, when it has one: its size as the client last sent it.
    pub terminal: Option<super::io::Terminal>,
}

/// One shell process: its variables, working directory and last status.
pub struct Shell {
    pub container: Arc<Container>,
    pub fs: Arc<Mutex<Fs>>,
    /// Exported variables, in the order the process received them.
    pub env: Vec<(String, String)>,
    /// Variables not exported.
    pub vars: BTreeMap<String, String>,
    pub cwd: String,
    pub status: i32,
    /// Set by `exit`.
    pub exit: Option<i32>,
    pub pid: u32,
    /// `sh` or `bash`: how it names itself in messages.
    pub name: String,
}

impl Shell {
    /// A process started in the container (by exec) with the container's environment.
    pub fn new(container: Arc<Container>, fs: Arc<Mutex<Fs>>, name: &str, pid: u32) -> Self {
        let cwd = container.workdir.clone();
        let env = container.env.clone();
        Self {
            container,
            fs,
            env,
            vars: BTreeMap::new(),
            cwd,
            status: 0,
            exit: None,
            pid,
            name: name.to_string(),
        }
    }

    /// A child process: the exported variables and the directory are inherited.
    pub fn child(&self, name: &str) -> Shell {
        Shell {
            container: self.container.clone(),
            fs: self.fs.clone(),
            env: self.env.clone(),
            vars: BTreeMap::new(),
            cwd: self.cwd.clone(),
            status: 0,
            exit: None,
            pid: self.pid + 1,
            name: name.to_string(),
        }
    }

    /// A variable's value (shell variables first, then the environment).
    pub fn get(&self, name: &str) -> Option<String> {
        match name {
            "?" => return Some(self.status.to_string()),
            "$" => return Some(self.pid.to_string()),
            "0" => return Some(self.name.clone()),
            "#" => return Some("0".into()),
            "PWD" => return Some(self.cwd.clone()),
            _ => {}
        }
        self.vars.get(name).cloned().or_else(|| {
            self.env
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    }

    /// Sets a variable (the exported one when it is exported).
    pub fn set(&mut self, name: &str, value: String) {
        match self.env.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value,
            None => {
                self.vars.insert(name.to_string(), value);
            }
        }
    }

    /// Exports a variable.
    pub fn export(&mut self, name: &str, value: Option<String>) {
        let value = value.or_else(|| self.vars.remove(name)).unwrap_or_default();
        self.vars.remove(name);
        match self.env.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value,
            None => self.env.push((name.to_string(), value)),
        }
    }

    /// An absolute path from one the user typed.
    pub fn path(&self, typed: &str) -> String {
        resolve(&self.cwd, typed)
    }

    fn expand(&self, word: &Word) -> String {
        word.pieces
            .iter()
            .map(|piece| match piece {
                Piece::Literal(text) => text.clone(),
                Piece::Variable(name) => self.get(name).unwrap_or_default(),
                Piece::Home => self.get("HOME").unwrap_or_else(|| "/".into()),
            })
            .collect()
    }

    /// A word's fields: one, or the paths a glob matches (the pattern itself when none does).
    fn fields(&self, word: &Word) -> Vec<String> {
        let text = self.expand(word);
        if !word.glob {
            return vec![text];
        }
        let (dir, pattern) = match text.rfind('/') {
            Some(at) => (&text[..=at], &text[at + 1..]),
            None => ("", text.as_str()),
        };
        let fs = self.fs.lock().unwrap_or_else(|p| p.into_inner());
        let listed = fs.list(&self.path(if dir.is_empty() { "." } else { dir }));
        let mut found: Vec<String> = listed
            .map(|entries| {
                entries
                    .into_iter()
                    .filter(|(name, _)| !name.starts_with('.') && glob_match(pattern, name))
                    .map(|(name, _)| format!("{dir}{name}"))
                    .collect()
            })
            .unwrap_or_default();
        found.sort();
        if found.is_empty() { vec![text] } else { found }
    }

    /// Runs a script's text; syntax errors as BusyBox reports them (status 2).
    pub fn run_text<'a>(&'a mut self, text: &'a str, io: &'a mut Io) -> Boxed<'a, i32> {
        Box::pin(async move {
            match parse(text) {
                Ok(script) => self.run_script(&script, io).await,
                Err(error) => {
                    io.err
                        .print(&format!("{}: syntax error: {}\n", self.name, error.0));
                    self.status = 2;
                    2
                }
            }
        })
    }

    async fn run_script(&mut self, script: &Script, io: &mut Io) -> i32 {
        for (joiner, pipeline) in script {
            let skip = match joiner {
                Joiner::Always => false,
                Joiner::And => self.status != 0,
                Joiner::Or => self.status == 0,
            };
            if skip {
                continue;
            }
            self.status = self.run_pipeline(pipeline, io).await;
            if self.exit.is_some() {
                break;
            }
        }
        self.status
    }

    async fn run_pipeline(&mut self, pipeline: &[Command], io: &mut Io) -> i32 {
        let mut stdin = io.stdin.clone();
        let mut status = 0;
        for (index, command) in pipeline.iter().enumerate() {
            let last = index + 1 == pipeline.len();
            let mut step = Io {
                stdin: stdin.clone(),
                out: if last {
                    io.out.same_place()
                } else {
                    Sink::Capture(Vec::new())
                },
                err: io.err.same_place(),
                terminal: io.terminal.clone(),
            };
            status = self.run_command(command, &mut step).await;
            if let Sink::Capture(kept) = &mut step.out
                && !last
            {
                stdin = Stdin::Bytes(Arc::new(std::mem::take(kept)));
            }
            if let (Sink::Capture(into), Sink::Capture(kept)) = (&mut io.out, &step.out)
                && last
            {
                into.extend_from_slice(kept);
            }
            if let (Sink::Capture(into), Sink::Capture(kept)) = (&mut io.err, &step.err) {
                into.extend_from_slice(kept);
            }
        }
        status
    }

    async fn run_command(&mut self, command: &Command, io: &mut Io) -> i32 {
        let words: Vec<String> = command.words.iter().flat_map(|w| self.fields(w)).collect();
        let assignments: Vec<(String, String)> = command
            .assignments
            .iter()
            .map(|(name, value)| (name.clone(), self.expand(value)))
            .collect();
        if words.is_empty() {
            for (name, value) in assignments {
                self.set(&name, value);
            }
            return 0;
        }
        // Redirections: files opened (created, truncated) before the command runs.
        let mut files: Vec<(bool, bool, String)> = Vec::new();
        let mut stderr_to_stdout = false;
        let mut stdout_to_stderr = false;
        for redirect in &command.redirects {
            match redirect {
                Redirect::ToFile {
                    stderr,
                    append,
                    target,
                } => {
                    let target = self.expand(target);
                    if target == "/dev/null" {
                        if *stderr {
                            io.err = Sink::Null;
                        } else {
                            io.out = Sink::Null;
                        }
                        continue;
                    }
                    let path = self.path(&target);
                    let opened = {
                        let mut fs = self.fs.lock().unwrap_or_else(|p| p.into_inner());
                        if *append && fs.read(&path).is_ok() {
                            Ok(())
                        } else {
                            fs.write(&path, b"", false, 0o644)
                        }
                    };
                    if let Err(error) = opened {
                        io.err.print(&format!(
                            "{}: can't create {target}: {}\n",
                            self.name,
                            error.text()
                        ));
                        return 1;
                    }
                    files.push((*stderr, *append, path));
                    if *stderr {
                        io.err = Sink::Capture(Vec::new());
                    } else {
                        io.out = Sink::Capture(Vec::new());
                    }
                }
                Redirect::FromFile(target) => {
                    let target = self.expand(target);
                    let read = {
                        let fs = self.fs.lock().unwrap_or_else(|p| p.into_inner());
                        fs.read(&self.path(&target)).map(<[u8]>::to_vec)
                    };
                    match read {
                        Ok(data) => io.stdin = Stdin::Bytes(Arc::new(data)),
                        Err(error) => {
                            io.err.print(&format!(
                                "{}: can't open {target}: {}\n",
                                self.name,
                                error.text()
                            ));
                            return 1;
                        }
                    }
                }
                Redirect::StderrToStdout => stderr_to_stdout = true,
                Redirect::StdoutToStderr => stdout_to_stderr = true,
            }
        }
        if stderr_to_stdout {
            io.err = io.out.same_place();
        }
        if stdout_to_stderr {
            io.out = io.err.same_place();
        }
        let mut saved = Vec::new();
        for (name, value) in &assignments {
            saved.push((name.clone(), self.get(name)));
            self.export(name, Some(value.clone()));
        }
        let status = self.run_words(&words, io).await;
        for (name, value) in saved {
            match value {
                Some(value) => self.set(&name, value),
                None => self.env.retain(|(k, _)| *k != name),
            }
        }
        // A merged stream was captured into stdout's file.
        if stderr_to_stdout && let (Sink::Capture(out), Sink::Capture(err)) = (&mut io.out, &io.err)
        {
            out.extend_from_slice(err);
        }
        for (stderr, append, path) in files {
            let sink = if stderr { &io.err } else { &io.out };
            if let Sink::Capture(data) = sink {
                let mut fs = self.fs.lock().unwrap_or_else(|p| p.into_inner());
                let _ = fs.write(&path, data, append, 0o644);
            }
        }
        status
    }

    /// Runs a command line already expanded: a builtin, or a program found on the PATH.
    pub fn run_words<'a>(&'a mut self, words: &'a [String], io: &'a mut Io) -> Boxed<'a, i32> {
        Box::pin(async move {
            let name = words[0].as_str();
            match name {
                "cd" => return self.cd(words.get(1).map(String::as_str), io),
                "exit" => {
                    let code = match words.get(1) {
                        Some(text) => match text.parse::<i64>() {
                            Ok(code) => (code & 0xff) as i32,
                            Err(_) => {
                                io.err.print(&format!(
                                    "{}: exit: Illegal number: {text}\n",
                                    self.name
                                ));
                                2
                            }
                        },
                        None => self.status,
                    };
                    self.exit = Some(code);
                    return code;
                }
                "export" => {
                    for arg in &words[1..] {
                        match arg.split_once('=') {
                            Some((k, v)) => self.export(k, Some(v.to_string())),
                            None => self.export(arg, None),
                        }
                    }
                    if words.len() == 1 {
                        for (k, v) in &self.env {
                            io.out.print(&format!("export {k}='{v}'\n"));
                        }
                    }
                    return 0;
                }
                // `command -v NAME`: where each name is found, as k9s's shell check asks
                // (`command -v bash >/dev/null && exec bash || exec sh`).
                "command" if words.get(1).map(String::as_str) == Some("-v") => {
                    let mut status = 0;
                    for name in &words[2..] {
                        if BUILTINS.contains(&name.as_str()) {
                            io.out.print(&format!("{name}\n"));
                        } else if let Some(program) = self.find_program(name) {
                            let path = if name.contains('/') {
                                name.clone()
                            } else {
                                format!("/bin/{program}")
                            };
                            io.out.print(&format!("{path}\n"));
                        } else {
                            status = 1;
                        }
                    }
                    return status;
                }
                "command" if words.len() > 1 => return self.run_words(&words[1..], io).await,
                // `exec CMD`: the command takes the shell's place; its status is the shell's.
                "exec" => {
                    let code = if words.len() > 1 {
                        self.run_words(&words[1..], io).await
                    } else {
                        0
                    };
                    if words.len() > 1 {
                        self.exit = Some(code);
                    }
                    return code;
                }
                "unset" => {
                    for arg in &words[1..] {
                        self.vars.remove(arg);
                        self.env.retain(|(k, _)| k != arg);
                    }
                    return 0;
                }
                _ => {}
            }
            match self.find_program(name) {
                Some(program) => commands::run(self, &program, words, io).await,
                None => {
                    io.err.print(&format!("{}: {name}: not found\n", self.name));
                    127
                }
            }
        })
    }

    /// The program a name runs, if the image has it.
    pub fn find_program(&self, name: &str) -> Option<String> {
        find_program(&self.container, &self.fs, name)
    }

    fn cd(&mut self, to: Option<&str>, io: &mut Io) -> i32 {
        let to = to
            .map(str::to_string)
            .unwrap_or_else(|| self.get("HOME").unwrap_or_else(|| "/".into()));
        let path = self.path(&to);
        let fs = self.fs.lock().unwrap_or_else(|p| p.into_inner());
        match fs.get(&path) {
            Some(Node::Dir { .. }) => {
                drop(fs);
                self.cwd = path;
                0
            }
            Some(Node::File { .. }) => {
                io.err.print(&format!(
                    "{}: cd: can't cd to {to}: Not a directory\n",
                    self.name
                ));
                2
            }
            None => {
                io.err.print(&format!(
                    "{}: cd: can't cd to {to}: No such file or directory\n",
                    self.name
                ));
                2
            }
        }
    }

    fn prompt(&self) -> String {
        let root = self.container.uid == 0;
        let sign = if root { '#' } else { '$' };
        match (self.container.shell, self.name.as_str()) {
            (ImageShell::Bash, "bash") => {
                let home = self.get("HOME").unwrap_or_default();
                let dir = match self.cwd.strip_prefix(&home) {
                    Some(rest) if !home.is_empty() && home != "/" => format!("~{rest}"),
                    _ => self.cwd.clone(),
                };
                let user = if root {
                    "root".to_string()
                } else {
                    "I have no name!".to_string()
                };
                format!("{user}@{}:{dir}{sign} ", self.container.hostname)
            }
            (ImageShell::Bash, _) => format!("{sign} "),
            _ => format!("{} {sign} ", self.cwd),
        }
    }

    /// An interactive session: a prompt, a line, its commands, until `exit` or end of input.
    pub async fn interactive(&mut self, io: &mut Io) -> i32 {
        let Stdin::Remote(input) = io.stdin.clone() else {
            return self.status;
        };
        loop {
            io.out.print(&self.prompt());
            let line = input.lock().await.read_line().await;
            match line {
                Line::Text(text) => {
                    self.run_text(&text, io).await;
                    if let Some(code) = self.exit {
                        return code;
                    }
                }
                Line::Interrupt => self.status = 130,
                Line::End => {
                    if self.name == "bash" {
                        io.out.print("exit\n");
                    }
                    return self.status;
                }
            }
        }
    }
}

/// The shell's own commands (`command -v` names them as they are).
const BUILTINS: &[&str] = &["cd", "exit", "export", "unset", "command", "exec"];

/// The program `name` runs in this container, if its image has it.
pub fn find_program(container: &Container, fs: &Mutex<Fs>, name: &str) -> Option<String> {
    if container.shell == ImageShell::None {
        return None;
    }
    let base = name.rsplit('/').next().unwrap_or(name);
    if name.contains('/') {
        let fs = fs.lock().unwrap_or_else(|p| p.into_inner());
        let path = resolve("/", name);
        if !matches!(fs.get(&path), Some(Node::File { .. })) {
            return None;
        }
    }
    let known =
        commands::NAMES.contains(&base) || (base == "bash" && container.shell == ImageShell::Bash);
    known.then(|| base.to_string())
}

/// `*` and `?` matching as a shell's pathname expansion does.
fn glob_match(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    let (mut pi, mut ni, mut star, mut mark) = (0, 0, None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("*.conf", "resolv.conf"));
        assert!(glob_match("h?st*", "hostname"));
        assert!(!glob_match("*.conf", "hosts"));
    }
}
