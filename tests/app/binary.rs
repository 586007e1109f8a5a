//! The `amfit` binary as a process: started in a folder of its own, spoken to over a real
//! socket, signalled, and killed when a test is done with it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `amfit` run in `folder`, with its built-in rubric and none of the caller's settings.
pub fn amfit(folder: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_amfit"));
    command
        .current_dir(folder)
        .env_remove("DATABASE_URL")
        .env_remove("AMFIT_BIND")
        .env_remove("AMFIT_RUBRICS")
        .env_remove("AMFIT_LOG_FORMAT")
        .env_remove("AMFIT_DATABASE_MAX_CONNECTIONS")
        .env_remove("AMFIT_DATABASE_ACQUIRE_SECONDS")
        .env("RUST_LOG", "amfit=info");
    command
}

/// Waits for the log line (on stderr) that names the address, and returns it; the rest of
/// the log is drained in the background, so the server never writes to a closed pipe.
pub fn served_address(child: &mut Child) -> String {
    let stderr = child.stderr.take().expect("piped stderr");
    let (found, address) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(at) = line.find("serving on http://") {
                let _ = found.send(line[at + "serving on http://".len()..].trim().to_owned());
            }
        }
    });
    address.recv_timeout(Duration::from_secs(30)).expect("a 'serving on' line in time")
}

/// How long a test waits for the server's answer before it fails instead of hanging.
const ANSWER_TIME: Duration = Duration::from_secs(30);

pub fn get(address: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(address).expect("connects");
    stream.set_read_timeout(Some(ANSWER_TIME)).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

/// Runs `amfit ARGS` with `stdin` as standard input; returns success, stdout and stderr.
pub fn run_with_input(folder: &Path, args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut child = amfit(folder)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (output.status.success(), text(&output.stdout), text(&output.stderr))
}

/// An admin and an API token, made with the command line as an operator would, on the
/// database that `global` (such as `--database-url URL`) names.
pub fn api_token(folder: &Path, global: &[&str]) -> String {
    let add = [global, &["user", "add", "--email", "ops@amfit.test", "--name", "Ops", "--role", "admin"]].concat();
    let (ok, _, err) = run_with_input(folder, &add, "a long test passphrase\n");
    assert!(ok, "{err}");
    let create = [global, &["token", "create", "--email", "ops@amfit.test"]].concat();
    let (ok, out, err) = run_with_input(folder, &create, "");
    assert!(ok, "{err}");
    out.lines().last().unwrap().trim().to_owned()
}

/// A server process, killed when dropped.
pub struct Served {
    pub child: Child,
    pub address: String,
}

/// One HTTP/1.1 answer, read whole.
#[derive(Debug)]
pub struct RawAnswer {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl RawAnswer {
    /// The value of the first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

impl Served {
    /// `amfit ARGS` (serving is the default) on a free loopback port, in `folder`.
    pub fn start(folder: &Path, args: &[&str]) -> Self {
        let mut child = amfit(folder)
            .args(args)
            .env("AMFIT_BIND", "127.0.0.1:0")
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let address = served_address(&mut child);
        Self { child, address }
    }

    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> RawAnswer {
        let mut stream = TcpStream::connect(&self.address).expect("connects");
        stream.set_read_timeout(Some(ANSWER_TIME)).unwrap();
        let extra: String = headers.iter().map(|(name, value)| format!("{name}: {value}\r\n")).collect();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{extra}Content-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("an answer");
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        RawAnswer { status: head[9..12].parse().expect("a status line"), head: head.to_owned(), body: body.to_owned() }
    }

    /// Sends SIGTERM; the exit status once the process ended, or `None` if it still runs after `limit`.
    pub fn terminate(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        terminate(&mut self.child, limit)
    }
}

/// Sends SIGTERM to `child`; its exit status once it ended, or `None` if it still runs after `limit`.
pub fn terminate(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let sent = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
