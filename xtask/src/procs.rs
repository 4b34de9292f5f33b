//! Long-running child processes (wrangler dev, chromedriver): started in their own process
//! group, waited on until ready, and stopped with their children on exit or Ctrl-C.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt as _;
use std::process::{Child, Command};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

use crate::project::describe;

/// Process groups to stop if xtask is interrupted.
static GROUPS: Mutex<Vec<u32>> = Mutex::new(Vec::new());

pub fn install_ctrlc_handler() -> Result<()> {
    ctrlc::set_handler(|| {
        eprintln!("\nxtask: stopping");
        stop_all();
        std::process::exit(130);
    })
    .context("installing the Ctrl-C handler")
}

pub fn stop_all() {
    let groups = GROUPS.lock().map(|g| g.clone()).unwrap_or_default();
    for pgid in groups {
        stop_group(pgid);
    }
}

fn stop_group(pgid: u32) {
    // wrangler runs workerd as a grandchild: signal the whole group, not just the child.
    let _ = Command::new("kill")
        .args(["-TERM", "--", &format!("-{pgid}")])
        .status();
}

/// A running service; dropping it stops its whole process group.
pub struct Service {
    pub name: String,
    child: Child,
}

impl Service {
    /// Starts `cmd` in a new process group.
    pub fn spawn(name: &str, cmd: &mut Command) -> Result<Self> {
        let shown = describe(cmd);
        let child = cmd
            .process_group(0)
            .spawn()
            .with_context(|| format!("could not start {name}: `{shown}`"))?;
        if let Ok(mut groups) = GROUPS.lock() {
            groups.push(child.id());
        }
        Ok(Self {
            name: name.to_owned(),
            child,
        })
    }

    /// Polls `http://127.0.0.1:{port}{path}` until it answers 200, the process exits, or time runs out.
    pub fn wait_ready(&mut self, port: u16, path: &str, timeout: Duration) -> Result<Duration> {
        let started = Instant::now();
        while started.elapsed() < timeout {
            if let Some(status) = self.child.try_wait()? {
                bail!("{} exited before it was ready ({status})", self.name);
            }
            if http_get_status(port, path) == Some(200) {
                return Ok(started.elapsed());
            }
            std::thread::sleep(Duration::from_millis(150));
        }
        bail!(
            "{} did not answer {path} on port {port} within {timeout:?}",
            self.name
        )
    }

    /// Waits for the service to exit by itself (used by `dev`, where Ctrl-C ends it).
    pub fn wait(mut self) -> Result<std::process::ExitStatus> {
        Ok(self.child.wait()?)
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let pgid = self.child.id();
        stop_group(pgid);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{pgid}")])
            .status();
        let _ = self.child.wait();
        if let Ok(mut groups) = GROUPS.lock() {
            groups.retain(|g| *g != pgid);
        }
    }
}

/// A port that was free a moment ago on the loopback interface.
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}

/// Minimal HTTP/1.1 GET for readiness probes (keeps xtask free of an HTTP client).
pub fn http_get_status(port: u16, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut head = [0_u8; 12];
    stream.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}
