//! The shell's grammar, the small part of POSIX `sh` people type into a container: words with
//! quotes, escapes and `$VAR`, `;` and newlines, `&&` and `||`, pipes, and redirections of
//! stdout and stderr.

/// A piece of a word before expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Literal(String),
    /// `$NAME`, `${NAME}`, `$?`, `$$`.
    Variable(String),
    /// `~` at the start of a word.
    Home,
}

/// A word: pieces joined after expansion; `glob` when it has an unquoted `*` or `?`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Word {
    pub pieces: Vec<Piece>,
    pub glob: bool,
}

/// Where a redirection sends a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redirect {
    /// `> file`, `>> file` (stdout) or `2> file`, `2>> file` (stderr).
    ToFile {
        stderr: bool,
        append: bool,
        target: Word,
    },
    /// `< file`.
    FromFile(Word),
    /// `2>&1`.
    StderrToStdout,
    /// `>&2`, `1>&2`.
    StdoutToStderr,
}

/// One command with its words, variable assignments and redirections.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Command {
    pub assignments: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
}

/// How a pipeline joins the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joiner {
    Always,
    And,
    Or,
}

/// A script: pipelines, each run depending on how it is joined to the one before.
pub type Script = Vec<(Joiner, Vec<Command>)>;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(Word),
    Op(&'static str),
}

/// Why a script cannot be read, in BusyBox `sh`'s words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError(pub String);

fn lex(text: &str) -> Result<Vec<Token>, SyntaxError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut word = Word::default();
    let mut in_word = false;
    let mut literal = String::new();
    let flush_literal = |word: &mut Word, literal: &mut String| {
        if !literal.is_empty() {
            word.pieces.push(Piece::Literal(std::mem::take(literal)));
        }
    };
    let mut i = 0;
    macro_rules! end_word {
        () => {
            if in_word {
                flush_literal(&mut word, &mut literal);
                tokens.push(Token::Word(std::mem::take(&mut word)));
                in_word = false;
            }
        };
    }
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' => {
                end_word!();
                i += 1;
            }
            '#' if !in_word => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '\n' | ';' => {
                end_word!();
                tokens.push(Token::Op(";"));
                i += 1;
            }
            '&' | '|' => {
                end_word!();
                let double = chars.get(i + 1) == Some(&c);
                tokens.push(Token::Op(match (c, double) {
                    ('&', true) => "&&",
                    ('&', false) => ";",
                    ('|', true) => "||",
                    _ => "|",
                }));
                i += if double { 2 } else { 1 };
            }
            '<' => {
                end_word!();
                tokens.push(Token::Op("<"));
                i += 1;
            }
            '>' => {
                let stderr = in_word && word.pieces.is_empty() && literal == "2";
                let stdout_fd = in_word && word.pieces.is_empty() && literal == "1";
                if stderr || stdout_fd {
                    literal.clear();
                    in_word = false;
                    word = Word::default();
                }
                end_word!();
                let rest: String = chars[i + 1..].iter().take(2).collect();
                let (op, len) = if rest.starts_with(">") {
                    (if stderr { "2>>" } else { ">>" }, 2)
                } else if rest.starts_with("&1") && stderr {
                    ("2>&1", 3)
                } else if rest.starts_with("&2") && !stderr {
                    (">&2", 3)
                } else {
                    (if stderr { "2>" } else { ">" }, 1)
                };
                tokens.push(Token::Op(op));
                i += len;
            }
            '\'' => {
                in_word = true;
                let end = chars[i + 1..]
                    .iter()
                    .position(|&c| c == '\'')
                    .ok_or_else(|| SyntaxError("unterminated quoted string".into()))?;
                literal.extend(&chars[i + 1..i + 1 + end]);
                i += end + 2;
            }
            '"' => {
                in_word = true;
                i += 1;
                loop {
                    let Some(&c) = chars.get(i) else {
                        return Err(SyntaxError("unterminated quoted string".into()));
                    };
                    match c {
                        '"' => {
                            i += 1;
                            break;
                        }
                        '\\' if matches!(chars.get(i + 1), Some('"' | '\\' | '$' | '`')) => {
                            literal.push(chars[i + 1]);
                            i += 2;
                        }
                        '$' => {
                            i = variable(&chars, i, &mut word, &mut literal);
                        }
                        c => {
                            literal.push(c);
                            i += 1;
                        }
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.get(i + 1) {
                    Some('\n') => {}
                    Some(&c) => literal.push(c),
                    None => {}
                }
                i += 2;
            }
            '$' => {
                in_word = true;
                i = variable(&chars, i, &mut word, &mut literal);
            }
            '~' if !in_word => {
                in_word = true;
                word.pieces.push(Piece::Home);
                i += 1;
            }
            c => {
                if c == '*' || c == '?' {
                    word.glob = true;
                }
                in_word = true;
                literal.push(c);
                i += 1;
            }
        }
    }
    if in_word {
        flush_literal(&mut word, &mut literal);
        tokens.push(Token::Word(word));
    }
    Ok(tokens)
}

/// Reads `$...` at `i`; returns the index after it.
fn variable(chars: &[char], i: usize, word: &mut Word, literal: &mut String) -> usize {
    let push = |word: &mut Word, literal: &mut String, name: String| {
        if !literal.is_empty() {
            word.pieces.push(Piece::Literal(std::mem::take(literal)));
        }
        word.pieces.push(Piece::Variable(name));
    };
    match chars.get(i + 1) {
        Some('{') => match chars[i + 2..].iter().position(|&c| c == '}') {
            Some(end) => {
                push(word, literal, chars[i + 2..i + 2 + end].iter().collect());
                i + 3 + end
            }
            None => {
                literal.push('$');
                i + 1
            }
        },
        Some(&c) if c == '?' || c == '$' || c == '#' || c.is_ascii_digit() => {
            push(word, literal, c.to_string());
            i + 2
        }
        Some(&c) if c == '_' || c.is_ascii_alphabetic() => {
            let len = chars[i + 1..]
                .iter()
                .take_while(|c| **c == '_' || c.is_ascii_alphanumeric())
                .count();
            push(word, literal, chars[i + 1..i + 1 + len].iter().collect());
            i + 1 + len
        }
        _ => {
            literal.push('$');
            i + 1
        }
    }
}

/// `NAME=` at the start of a word makes it an assignment.
fn assignment(word: &Word) -> Option<(String, Word)> {
    let Some(Piece::Literal(first)) = word.pieces.first() else {
        return None;
    };
    let (name, rest) = first.split_once('=')?;
    let valid = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric());
    if !valid {
        return None;
    }
    let mut value = Word {
        pieces: word.pieces[1..].to_vec(),
        glob: false,
    };
    if !rest.is_empty() {
        value.pieces.insert(0, Piece::Literal(rest.to_string()));
    }
    Some((name.to_string(), value))
}

/// Reads a script.
pub fn parse(text: &str) -> Result<Script, SyntaxError> {
    let tokens = lex(text)?;
    let mut script: Script = Vec::new();
    let mut joiner = Joiner::Always;
    let mut pipeline: Vec<Command> = Vec::new();
    let mut command = Command::default();
    let unexpected = |op: &str| SyntaxError(format!("unexpected \"{op}\""));
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        match token {
            Token::Word(word) => {
                if command.words.is_empty()
                    && let Some(assigned) = assignment(&word)
                {
                    command.assignments.push(assigned);
                } else {
                    command.words.push(word);
                }
            }
            Token::Op(op @ (">" | ">>" | "2>" | "2>>" | "<")) => {
                let Some(Token::Word(target)) = tokens.next() else {
                    return Err(SyntaxError("unexpected newline".into()));
                };
                command.redirects.push(match op {
                    "<" => Redirect::FromFile(target),
                    _ => Redirect::ToFile {
                        stderr: op.starts_with('2'),
                        append: op.ends_with(">>"),
                        target,
                    },
                });
            }
            Token::Op("2>&1") => command.redirects.push(Redirect::StderrToStdout),
            Token::Op(">&2") => command.redirects.push(Redirect::StdoutToStderr),
            Token::Op("|") => {
                if command == Command::default() {
                    return Err(unexpected("|"));
                }
                pipeline.push(std::mem::take(&mut command));
            }
            Token::Op(op) => {
                let empty = command == Command::default();
                if empty && pipeline.is_empty() {
                    if op == ";" && joiner == Joiner::Always {
                        continue;
                    }
                    return Err(unexpected(op));
                }
                if empty {
                    return Err(unexpected(op));
                }
                pipeline.push(std::mem::take(&mut command));
                script.push((joiner, std::mem::take(&mut pipeline)));
                joiner = match op {
                    "&&" => Joiner::And,
                    "||" => Joiner::Or,
                    _ => Joiner::Always,
                };
            }
        }
    }
    if command != Command::default() {
        pipeline.push(command);
    }
    if !pipeline.is_empty() {
        script.push((joiner, pipeline));
    } else if joiner != Joiner::Always {
        return Err(SyntaxError("unexpected end of file".into()));
    }
    Ok(script)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> Word {
        Word {
            pieces: vec![Piece::Literal(s.into())],
            glob: false,
        }
    }

    #[test]
    fn quotes_variables_and_operators() {
        let script = parse("echo 'a b' \"$HOME/x\" && ls | wc -l > /tmp/n 2>&1; exit 3").unwrap();
        assert_eq!(script.len(), 3);
        assert_eq!(script[0].1[0].words[1], lit("a b"));
        assert_eq!(
            script[0].1[0].words[2].pieces,
            vec![Piece::Variable("HOME".into()), Piece::Literal("/x".into())]
        );
        assert_eq!(script[1].0, Joiner::And);
        assert_eq!(script[1].1.len(), 2);
        assert_eq!(script[1].1[1].redirects.len(), 2);
        assert_eq!(script[2].1[0].words, vec![lit("exit"), lit("3")]);
    }

    #[test]
    fn assignments_globs_and_errors() {
        let script = parse("A=1 env; ls /etc/*.conf").unwrap();
        assert_eq!(
            script[0].1[0].assignments,
            vec![("A".to_string(), lit("1"))]
        );
        assert!(script[1].1[0].words[1].glob);
        assert_eq!(
            parse("echo 'x").unwrap_err().0,
            "unterminated quoted string"
        );
        assert!(parse("&& ls").is_err());
        assert!(parse("").unwrap().is_empty());
    }
}
