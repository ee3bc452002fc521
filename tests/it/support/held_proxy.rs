//! A TCP proxy on loopback in front of the simulated API server that can hold every answer
//! back until released: to a client, an API server that hangs.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub struct HeldProxy {
    pub addr: SocketAddr,
    held: Arc<AtomicBool>,
}

impl HeldProxy {
    /// Forwards connections made to `addr` to `target`, until the test process ends.
    pub fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().expect("bound address");
        let held = Arc::new(AtomicBool::new(false));
        let gate = held.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(target) else {
                    continue;
                };
                let (client_in, server_out) =
                    (client.try_clone().unwrap(), server.try_clone().unwrap());
                std::thread::spawn(move || pump(client_in, server_out, None));
                let gate = gate.clone();
                std::thread::spawn(move || pump(server, client, Some(gate)));
            }
        });
        HeldProxy { addr, held }
    }

    /// From now on nothing the server sends reaches the client.
    pub fn hold(&self) {
        self.held.store(true, Ordering::SeqCst);
    }

    /// What was held back flows again.
    pub fn release(&self) {
        self.held.store(false, Ordering::SeqCst);
    }

    /// The kubeconfig `text` pointed at this proxy instead of `server`.
    pub fn kubeconfig(&self, text: &str, server: &str) -> String {
        text.replace(server, &format!("https://{}", self.addr))
    }
}

/// Copies `from` to `to`; with a gate, each chunk waits while the gate is held.
fn pump(mut from: TcpStream, mut to: TcpStream, gate: Option<Arc<AtomicBool>>) {
    let mut buffer = [0u8; 16 * 1024];
    loop {
        let read = match from.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(read) => read,
        };
        while gate.as_ref().is_some_and(|g| g.load(Ordering::SeqCst)) {
            std::thread::sleep(Duration::from_millis(20));
        }
        if to.write_all(&buffer[..read]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}
