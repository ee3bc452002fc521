//! A TCP proxy on loopback in front of the simulated API server that fails as networks fail:
//! it can hold every answer back until released (an API server that hangs), or cut every open
//! connection and refuse new ones until restored (a network drop).

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::simulated::Simulated;

pub struct FaultyProxy {
    pub addr: SocketAddr,
    held: Arc<AtomicBool>,
    cut: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
}

impl FaultyProxy {
    /// Forwards connections made to `addr` to `target`, until the test process ends.
    pub fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().expect("bound address");
        let held = Arc::new(AtomicBool::new(false));
        let cut = Arc::new(AtomicBool::new(false));
        let open = Arc::new(Mutex::new(Vec::new()));
        let (gate, is_cut, streams) = (held.clone(), cut.clone(), open.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if is_cut.load(Ordering::SeqCst) {
                    // Refused: closed at once.
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(server) = TcpStream::connect(target) else {
                    continue;
                };
                {
                    let mut streams = streams.lock().unwrap();
                    streams.push(client.try_clone().unwrap());
                    streams.push(server.try_clone().unwrap());
                }
                let (client_in, server_out) =
                    (client.try_clone().unwrap(), server.try_clone().unwrap());
                std::thread::spawn(move || pump(client_in, server_out, None));
                let gate = gate.clone();
                std::thread::spawn(move || pump(server, client, Some(gate)));
            }
        });
        FaultyProxy {
            addr,
            held,
            cut,
            open,
        }
    }

    /// A proxy in front of `simulated`, and a kubeconfig (in its directory) that goes through it.
    pub fn before(simulated: &Simulated) -> (Self, PathBuf) {
        let url = &simulated.sim.url;
        let server: SocketAddr = url
            .trim_start_matches("https://")
            .parse()
            .expect("the simulator's address");
        let proxy = Self::start(server);
        let kubeconfig = simulated.dir.path().join("through-proxy");
        let text = std::fs::read_to_string(&simulated.kubeconfig).unwrap();
        let text = text.replace(url, &format!("https://{}", proxy.addr));
        std::fs::write(&kubeconfig, text).unwrap();
        (proxy, kubeconfig)
    }

    /// From now on nothing the server sends reaches the client.
    pub fn hold(&self) {
        self.held.store(true, Ordering::SeqCst);
    }

    /// What was held back flows again.
    pub fn release(&self) {
        self.held.store(false, Ordering::SeqCst);
    }

    /// Closes every connection and refuses new ones.
    pub fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        for stream in self.open.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }

    /// Connections are taken again.
    pub fn restore(&self) {
        self.cut.store(false, Ordering::SeqCst);
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
