//! What a container runs when its spec names a program the simulator knows: `echo`, `sleep`,
//! `true`, `false`, `date`, `env`/`printenv`, and `sh -c` scripts of those with `exit N`, joined
//! by `;`, `&&` and `||`. The argv is `command` then `args` (`command` replaces the image's
//! entrypoint and `args` its CMD, so `kubectl run … -- echo hi`, which sets only args, runs
//! `echo hi`). A program is read without running it: its output lines with the second each is
//! written, and when it exits with what, so the kubelet's report stays a function of time.
//! Anything else is `None`, and the container does what its image does (`behavior.rs`).

use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use super::behavior::Behavior;
use super::shell::parse::{self, Joiner, Piece};

/// A piece of an output line: text, or a variable of the container's environment, read when
/// the log is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Text(String),
    Var(String),
}

/// What a step of the program writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// `echo`: its words; `newline` false for `echo -n`.
    Echo { parts: Vec<Part>, newline: bool },
    /// `date`: the moment it ran, as BusyBox prints it.
    Date,
    /// `env` or `printenv`: the environment, a variable a line.
    Env,
}

/// Output written `at` seconds after the container started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub at: i64,
    pub output: Output,
}

/// A program's life: what it writes and how it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    pub lines: Vec<Line>,
    /// Seconds after starting that it exits, and its exit code; `None` runs for ever.
    pub exit: Option<(i64, i32)>,
}

impl Program {
    /// The behaviour the kubelet runs it as (always ready while it runs: no probe is implied).
    pub fn behavior(&self) -> Behavior {
        match self.exit {
            None => Behavior::Serve,
            Some((run_seconds, 0)) => Behavior::Complete { run_seconds },
            Some((run_seconds, exit_code)) => Behavior::Fail {
                run_seconds,
                exit_code,
            },
        }
    }

    /// How many lines were written within `elapsed` seconds of starting.
    pub fn written_by(&self, elapsed: i64) -> usize {
        self.lines.partition_point(|line| line.at <= elapsed)
    }

    /// The text of line `index`, for a run started at `started`, with `env` its environment.
    pub fn text(&self, index: usize, started: Timestamp, env: &[(String, String)]) -> String {
        let Some(line) = self.lines.get(index) else {
            return String::new();
        };
        match &line.output {
            Output::Echo { parts, newline } => {
                let mut text: String = parts
                    .iter()
                    .map(|part| match part {
                        Part::Text(text) => text.as_str(),
                        Part::Var(name) => env
                            .iter()
                            .find(|(key, _)| key == name)
                            .map_or("", |(_, value)| value.as_str()),
                    })
                    .collect();
                if *newline {
                    text.push('\n');
                }
                text
            }
            Output::Date => {
                let at = started + SignedDuration::from_secs(line.at);
                format!("{}\n", at.strftime("%a %b %e %H:%M:%S UTC %Y"))
            }
            Output::Env => env
                .iter()
                .map(|(key, value)| format!("{key}={value}\n"))
                .collect(),
        }
    }
}

/// The argv a container runs, when its spec says (`command` then `args`).
fn argv(container: &Value) -> Option<Vec<String>> {
    let strings = |key: &str| -> Option<Vec<String>> {
        match container.get(key) {
            None | Some(Value::Null) => Some(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| item.as_str().map(str::to_string))
                .collect(),
            Some(_) => None,
        }
    };
    let mut argv = strings("command")?;
    argv.extend(strings("args")?);
    (!argv.is_empty()).then_some(argv)
}

/// The program a container's spec runs, when it is one the simulator knows.
pub fn read(container: &Value) -> Option<Program> {
    let argv = argv(container)?;
    let words: Vec<Vec<Part>> = argv.iter().map(|a| vec![Part::Text(a.clone())]).collect();
    let mut run = Run::default();
    run.command(&words)?;
    Some(run.finish())
}

/// A program read step by step: the clock, the last status, and what was written.
#[derive(Default)]
struct Run {
    at: i64,
    status: i32,
    lines: Vec<Line>,
    /// Exited (`exit`), or runs for ever (`sleep infinity`): nothing after it runs.
    ended: Option<Option<i32>>,
}

/// A word's text when it has no variable in it.
fn literal(word: &[Part]) -> Option<String> {
    word.iter()
        .map(|part| match part {
            Part::Text(text) => Some(text.as_str()),
            Part::Var(_) => None,
        })
        .collect()
}

/// Seconds of a `sleep` argument (`5`, `0.5`, `2m`, `1h`; BusyBox's suffixes), rounded up;
/// `None` for ever.
fn sleep_seconds(text: &str) -> Option<Option<i64>> {
    if text == "infinity" || text == "inf" {
        return Some(None);
    }
    let (number, unit) = match text.char_indices().last()? {
        (i, 's') => (&text[..i], 1.0),
        (i, 'm') => (&text[..i], 60.0),
        (i, 'h') => (&text[..i], 3_600.0),
        (i, 'd') => (&text[..i], 86_400.0),
        _ => (text, 1.0),
    };
    let value: f64 = number
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite() && *v >= 0.0)?;
    Some(Some((value * unit).ceil().min(1e12) as i64))
}

impl Run {
    fn write(&mut self, output: Output) {
        self.lines.push(Line {
            at: self.at,
            output,
        });
    }

    /// Runs one command (argv as words); `None` when it is not one the simulator knows.
    fn command(&mut self, words: &[Vec<Part>]) -> Option<()> {
        let program = literal(words.first()?)?;
        let name = program.rsplit('/').next().unwrap_or(&program);
        let args = &words[1..];
        let literal_args = || args.iter().map(|w| literal(w)).collect::<Option<Vec<_>>>();
        self.status = match name {
            "echo" => {
                let mut args = args;
                let mut newline = true;
                if args.first().and_then(|w| literal(w)).as_deref() == Some("-n") {
                    newline = false;
                    args = &args[1..];
                }
                let mut parts = Vec::new();
                for (i, word) in args.iter().enumerate() {
                    if i > 0 {
                        parts.push(Part::Text(" ".into()));
                    }
                    parts.extend(word.iter().cloned());
                }
                self.write(Output::Echo { parts, newline });
                0
            }
            "true" | ":" => 0,
            "false" => 1,
            "date" if args.is_empty() => {
                self.write(Output::Date);
                0
            }
            "env" | "printenv" if args.is_empty() => {
                self.write(Output::Env);
                0
            }
            "sleep" => {
                let args = literal_args()?;
                let mut total = 0i64;
                for arg in args.iter() {
                    match sleep_seconds(arg)? {
                        Some(seconds) => total = total.saturating_add(seconds),
                        None => {
                            self.ended = Some(None);
                            return Some(());
                        }
                    }
                }
                if args.is_empty() {
                    return None;
                }
                self.at = self.at.saturating_add(total);
                0
            }
            "exit" => {
                let code = match literal_args()?.as_slice() {
                    [] => self.status,
                    [code] => code.parse::<i64>().ok()?.rem_euclid(256) as i32,
                    _ => return None,
                };
                self.ended = Some(Some(code));
                return Some(());
            }
            "sh" | "ash" | "bash" => {
                let args = literal_args()?;
                let [flag, script, ..] = args.as_slice() else {
                    return None;
                };
                if flag != "-c" {
                    return None;
                }
                return self.script(script);
            }
            _ => return None,
        };
        Some(())
    }

    /// Runs a `sh -c` script: simple commands without pipes or redirections.
    fn script(&mut self, text: &str) -> Option<()> {
        let script = parse::parse(text).ok()?;
        for (joiner, pipeline) in &script {
            let [command] = pipeline.as_slice() else {
                return None;
            };
            if !command.assignments.is_empty() || !command.redirects.is_empty() {
                return None;
            }
            let runs = match joiner {
                Joiner::Always => true,
                Joiner::And => self.status == 0,
                Joiner::Or => self.status != 0,
            };
            if !runs || self.ended.is_some() {
                continue;
            }
            let words: Vec<Vec<Part>> = command
                .words
                .iter()
                .map(|word| {
                    if word.glob {
                        return None;
                    }
                    word.pieces
                        .iter()
                        .map(|piece| match piece {
                            Piece::Literal(text) => Some(Part::Text(text.clone())),
                            Piece::Variable(name) if name == "?" => {
                                Some(Part::Text(self.status.to_string()))
                            }
                            Piece::Variable(name) if name == "$" => Some(Part::Text("1".into())),
                            Piece::Variable(name) => Some(Part::Var(name.clone())),
                            Piece::Home => Some(Part::Var("HOME".into())),
                        })
                        .collect()
                })
                .collect::<Option<_>>()?;
            if words.is_empty() {
                continue;
            }
            self.command(&words)?;
        }
        Some(())
    }

    fn finish(self) -> Program {
        let exit = match self.ended {
            Some(None) => None,
            Some(Some(code)) => Some((self.at, code)),
            None => Some((self.at, self.status)),
        };
        Program {
            lines: self.lines,
            exit,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn run(container: Value) -> Option<Program> {
        read(&container)
    }

    fn echoed(program: &Program) -> Vec<String> {
        let start: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let env = vec![("HOSTNAME".to_string(), "tmp".to_string())];
        (0..program.lines.len())
            .map(|i| program.text(i, start, &env))
            .collect()
    }

    #[test]
    fn args_alone_are_the_command() {
        let p = run(json!({"image": "busybox", "args": ["echo", "hi"]})).unwrap();
        assert_eq!(echoed(&p), ["hi\n"]);
        assert_eq!(p.exit, Some((0, 0)));
        assert_eq!(p.behavior(), Behavior::Complete { run_seconds: 0 });
        let p = run(json!({"command": ["/bin/echo"], "args": ["a", "b"]})).unwrap();
        assert_eq!(echoed(&p), ["a b\n"]);
    }

    #[test]
    fn shell_scripts_print_sleep_and_exit() {
        let p = run(json!({"command": ["sh", "-c", "echo bye; sleep 5 && echo $HOSTNAME; exit 3; echo never"]})).unwrap();
        assert_eq!(echoed(&p), ["bye\n", "tmp\n"]);
        assert_eq!(p.lines[1].at, 5);
        assert_eq!(p.exit, Some((5, 3)));
        assert_eq!(
            p.behavior(),
            Behavior::Fail {
                run_seconds: 5,
                exit_code: 3
            }
        );
        assert_eq!(p.written_by(4), 1);
        assert_eq!(p.written_by(5), 2);
        let p = run(json!({"command": ["/bin/sh", "-c", "false && echo no || echo yes; true"]}))
            .unwrap();
        assert_eq!(echoed(&p), ["yes\n"]);
        assert_eq!(p.exit, Some((0, 0)));
        let p = run(json!({"args": ["sh", "-c", "false"]})).unwrap();
        assert_eq!(p.exit, Some((0, 1)));
        let p = run(json!({"args": ["sh", "-c", "exit 257"]})).unwrap();
        assert_eq!(p.exit, Some((0, 1)));
    }

    #[test]
    fn sleeping_and_programs_of_their_own() {
        assert_eq!(
            run(json!({"args": ["sleep", "30"]})).unwrap().exit,
            Some((30, 0))
        );
        assert_eq!(
            run(json!({"args": ["sleep", "1.5", "1m"]})).unwrap().exit,
            Some((62, 0))
        );
        let forever = run(json!({"args": ["sleep", "infinity"]})).unwrap();
        assert_eq!(forever.exit, None);
        assert_eq!(forever.behavior(), Behavior::Serve);
        let p = run(json!({"args": ["sh", "-c", "date; sleep 2; date"]})).unwrap();
        assert_eq!(
            echoed(&p),
            [
                "Thu Jan  1 00:00:00 UTC 2026\n",
                "Thu Jan  1 00:00:02 UTC 2026\n"
            ]
        );
        assert_eq!(
            echoed(&run(json!({"args": ["env"]})).unwrap()),
            ["HOSTNAME=tmp\n"]
        );
        assert_eq!(run(json!({"args": ["false"]})).unwrap().exit, Some((0, 1)));
    }

    #[test]
    fn what_is_not_known_is_left_to_the_image() {
        for container in [
            json!({"image": "busybox"}),
            json!({"args": ["-conf", "/etc/coredns/Corefile"]}),
            json!({"command": ["sh", "-c", "nslookup cart.shop.svc"]}),
            json!({"command": ["sh", "-c", "echo hi | tee x"]}),
            json!({"command": ["sh", "-c", "echo hi > /tmp/x"]}),
            json!({"command": ["sh", "-c", "sleep $N"]}),
            json!({"command": ["sh", "-c", "echo 'unclosed"]}),
            json!({"command": ["sleep"]}),
            json!({"command": ["sleep", "soon"]}),
            json!({"command": "echo"}),
            json!({"args": ["notifications-db.payments.svc:5432"]}),
        ] {
            assert_eq!(run(container.clone()), None, "{container}");
        }
    }
}
