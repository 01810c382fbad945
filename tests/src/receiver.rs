//! A stand-in for the systems the server calls out to (webhook receivers, an SMS or e-mail
//! gateway): an HTTP listener that answers 200 and records what came.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// (event id, signature, body) of every request the receiver got.
pub type Received = Arc<Mutex<Vec<(String, String, String)>>>;

/// A minimal HTTP receiver that answers 200 to everything and records what came.
pub fn receiver(listener: TcpListener) -> Received {
    let got: Received = Arc::new(Mutex::new(Vec::new()));
    let seen = got.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let (mut length, mut id, mut signature) = (0usize, String::new(), String::new());
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                let lower = line.to_ascii_lowercase();
                let value = line
                    .split_once(':')
                    .map(|x| x.1.trim().to_string())
                    .unwrap_or_default();
                if lower.starts_with("content-length:") {
                    length = value.parse().unwrap_or(0);
                } else if lower.starts_with("x-erp-event-id:") {
                    id = value;
                } else if lower.starts_with("x-erp-signature:") {
                    signature = value;
                }
            }
            let mut body = vec![0u8; length];
            reader.read_exact(&mut body).ok();
            seen.lock()
                .unwrap()
                .push((id, signature, String::from_utf8_lossy(&body).to_string()));
            stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .ok();
        }
    });
    got
}

pub fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
