//! The channel protocols the API server speaks over WebSocket for exec and attach: which
//! subprotocol a client is given, how a message carries its channel (a byte, or a digit and
//! base64 text), and what the error channel says at the end, in the words of whoever answers
//! that protocol (the API server's stream translator for `v5.channel.k8s.io`, the kubelet's
//! streaming server for the others).

use base64::Engine as _;
use serde_json::{Value, json};

/// stdin, stdout, stderr, the error (status) channel and terminal resize.
pub const STDIN: u8 = 0;
pub const STDOUT: u8 = 1;
pub const STDERR: u8 = 2;
pub const ERROR: u8 = 3;
pub const RESIZE: u8 = 4;
/// v5's close message: `[255, channel]`.
pub const CLOSE: u8 = 255;

/// A negotiated protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Protocol {
    /// The subprotocol's name (empty when the client asked for none).
    pub name: &'static str,
    /// 1 (`channel.k8s.io`) to 5.
    pub version: u8,
    /// Text messages: a channel digit, then base64.
    pub base64: bool,
}

/// What the server supports, in the order the kubelet and the API server list them.
const SUPPORTED: &[Protocol] = &[
    Protocol {
        name: "v5.channel.k8s.io",
        version: 5,
        base64: false,
    },
    Protocol {
        name: "v4.channel.k8s.io",
        version: 4,
        base64: false,
    },
    Protocol {
        name: "v4.base64.channel.k8s.io",
        version: 4,
        base64: true,
    },
    Protocol {
        name: "v3.channel.k8s.io",
        version: 3,
        base64: false,
    },
    Protocol {
        name: "v3.base64.channel.k8s.io",
        version: 3,
        base64: true,
    },
    Protocol {
        name: "v2.channel.k8s.io",
        version: 2,
        base64: false,
    },
    Protocol {
        name: "v2.base64.channel.k8s.io",
        version: 2,
        base64: true,
    },
    Protocol {
        name: "channel.k8s.io",
        version: 1,
        base64: false,
    },
    Protocol {
        name: "base64.channel.k8s.io",
        version: 1,
        base64: true,
    },
];

/// The first protocol the client offers that the server speaks (the client's preference, as
/// the kubelet's handshake chooses). No offer at all means the plain binary protocol.
pub fn negotiate(offered: &[String]) -> Result<Protocol, String> {
    if offered.is_empty() {
        return Ok(Protocol {
            name: "",
            version: 1,
            base64: false,
        });
    }
    offered
        .iter()
        .find_map(|o| SUPPORTED.iter().find(|p| p.name == o.as_str()).copied())
        .ok_or_else(|| {
            let names: Vec<&str> = SUPPORTED.iter().map(|p| p.name).collect();
            format!(
                "requested protocol(s) are not supported: [{}]; supports [{}]",
                offered.join(" "),
                names.join(" ")
            )
        })
}

/// The subprotocols a request offers, in its order (one header or several, comma-separated).
pub fn offered(headers: &http::HeaderMap) -> Vec<String> {
    headers
        .get_all(http::header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// A message as the client sent it.
#[derive(Debug, PartialEq, Eq)]
pub enum Incoming {
    Data(u8, Vec<u8>),
    /// v5: the client closed a channel (stdin).
    Close(u8),
    Invalid,
}

impl Protocol {
    /// A message on a channel: binary, or text for the base64 protocols.
    pub fn frame(&self, channel: u8, data: &[u8]) -> Frame {
        if self.base64 {
            let mut text = String::from(char::from(b'0' + channel));
            text.push_str(&base64::engine::general_purpose::STANDARD.encode(data));
            Frame::Text(text)
        } else {
            let mut bytes = Vec::with_capacity(data.len() + 1);
            bytes.push(channel);
            bytes.extend_from_slice(data);
            Frame::Binary(bytes)
        }
    }

    /// Reads a client's message.
    pub fn read(&self, message: &[u8], text: bool) -> Incoming {
        let Some((&first, rest)) = message.split_first() else {
            return Incoming::Invalid;
        };
        if self.version >= 5 && first == CLOSE && !text {
            return rest
                .first()
                .map_or(Incoming::Invalid, |c| Incoming::Close(*c));
        }
        if text || self.base64 {
            let channel = first.wrapping_sub(b'0');
            match base64::engine::general_purpose::STANDARD.decode(rest) {
                Ok(data) if channel < 10 => Incoming::Data(channel, data),
                _ => Incoming::Invalid,
            }
        } else {
            Incoming::Data(first, rest.to_vec())
        }
    }

    /// The error channel's last message, if any: v4 and v5 send a Status as JSON (Success
    /// too); the older protocols send a failure's message as text and nothing on success.
    pub fn status_message(&self, status: &Value) -> Option<Vec<u8>> {
        if self.version >= 4 {
            return Some(status.to_string().into_bytes());
        }
        (status["status"] != "Success")
            .then(|| status["message"].as_str().unwrap_or("").as_bytes().to_vec())
    }

    /// Whether this protocol has a resize channel.
    pub fn resizes(&self) -> bool {
        self.version >= 3
    }
}

/// A WebSocket message to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    Binary(Vec<u8>),
    Text(String),
}

/// How a command ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Exited(i32),
    /// The runtime could not start the program.
    NotFound {
        program: String,
        exec_id: String,
    },
}

/// `metav1.Status` for the error channel, as the answering side writes it: the stream
/// translator (v5) wraps what the kubelet said once more.
pub fn status(protocol: &Protocol, command: &[String], outcome: &Outcome) -> Value {
    match outcome {
        Outcome::Exited(0) => json!({"metadata": {}, "status": "Success"}),
        Outcome::Exited(code) => {
            let message = if protocol.version >= 5 {
                format!(
                    "command terminated with non-zero exit code: command terminated with exit code {code}"
                )
            } else {
                format!(
                    "command terminated with non-zero exit code: error executing command [{}], exit code {code}",
                    command.join(" ")
                )
            };
            json!({
                "metadata": {},
                "status": "Failure",
                "message": message,
                "reason": "NonZeroExitCode",
                "details": {"causes": [{"reason": "ExitCode", "message": code.to_string()}]},
            })
        }
        Outcome::NotFound { program, exec_id } => {
            let runtime = format!(
                "error executing command in container: failed to exec in container: failed to start exec \"{exec_id}\": OCI runtime exec failed: exec failed: unable to start container process: exec: \"{program}\": executable file not found in $PATH: unknown"
            );
            let kubelet = format!("Internal error occurred: {runtime}");
            let (message, cause) = if protocol.version >= 5 {
                (format!("Internal error occurred: {kubelet}"), kubelet)
            } else {
                (kubelet, runtime)
            };
            json!({
                "metadata": {},
                "status": "Failure",
                "message": message,
                "reason": "InternalError",
                "details": {"causes": [{"message": cause}]},
                "code": 500,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_preference_wins() {
        let offered = vec![
            "v5.channel.k8s.io".to_string(),
            "v4.channel.k8s.io".to_string(),
        ];
        assert_eq!(negotiate(&offered).unwrap().version, 5);
        let python = vec!["v4.channel.k8s.io".to_string()];
        assert_eq!(negotiate(&python).unwrap().name, "v4.channel.k8s.io");
        let base64 = vec!["base64.channel.k8s.io".to_string()];
        assert!(negotiate(&base64).unwrap().base64);
        assert!(negotiate(&["chat".to_string()]).is_err());
        assert_eq!(negotiate(&[]).unwrap().version, 1);
    }

    #[test]
    fn framing() {
        let binary = negotiate(&["v5.channel.k8s.io".into()]).unwrap();
        assert_eq!(binary.frame(1, b"hi"), Frame::Binary(vec![1, b'h', b'i']));
        assert_eq!(
            binary.read(&[0, b'x'], false),
            Incoming::Data(0, b"x".to_vec())
        );
        assert_eq!(binary.read(&[255, 0], false), Incoming::Close(0));
        let text = negotiate(&["base64.channel.k8s.io".into()]).unwrap();
        assert_eq!(text.frame(2, b"hi"), Frame::Text("2aGk=".into()));
        assert_eq!(text.read(b"0aGk=", true), Incoming::Data(0, b"hi".to_vec()));
    }

    #[test]
    fn exit_codes_as_the_api_server_reports_them() {
        let v5 = negotiate(&["v5.channel.k8s.io".into()]).unwrap();
        let v4 = negotiate(&["v4.channel.k8s.io".into()]).unwrap();
        let command = vec!["sh".to_string(), "-c".to_string(), "exit 3".to_string()];
        let status = status(&v5, &command, &Outcome::Exited(3));
        assert_eq!(status["reason"], "NonZeroExitCode");
        assert_eq!(
            status["details"]["causes"][0],
            json!({"reason": "ExitCode", "message": "3"})
        );
        let old = super::status(&v4, &command, &Outcome::Exited(3));
        assert_eq!(
            old["message"],
            "command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3"
        );
        let v1 = negotiate(&[]).unwrap();
        assert_eq!(v1.status_message(&json!({"status": "Success"})), None);
    }
}
