//! The `tollgate` binary as a separate process: one-shot commands and `serve` read up to a
//! banner line, stopped with SIGTERM.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The binary, with none of the `TOLLGATE_*` variables a developer may have set.
pub fn binary() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tollgate"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("TOLLGATE_") {
            cmd.env_remove(name);
        }
    }
    cmd
}

/// The binary, run in `dir`, with none of the settings variables a developer may have set.
pub fn tollgate(dir: &Path) -> Command {
    let mut cmd = binary();
    cmd.current_dir(dir);
    cmd
}

/// What a one-shot command did: success, standard output, standard error.
pub struct Outcome {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// Checks the command failed with one line on standard error that contains `needle`.
    pub fn assert_refused(&self, needle: &str) {
        assert!(!self.ok, "succeeded: {}", self.stdout);
        let lines = self.stderr.trim().lines().count();
        assert!(
            lines == 1 && self.stderr.contains(needle),
            "{}",
            self.stderr
        );
    }
}

/// Runs `tollgate ARGS` in `dir` to completion.
pub fn run(dir: &Path, args: &[&str]) -> Outcome {
    let out = tollgate(dir).args(args).output().unwrap();
    Outcome {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A `tollgate serve` process.
pub struct Served {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Standard output up to the line the caller waited for.
    pub banner: String,
}

/// Starts `tollgate serve --listen 127.0.0.1:0 ARGS` in `dir` and reads its standard output
/// up to the first line containing `until`.
pub fn serve(dir: &Path, args: &[&str], until: &str) -> Served {
    let mut child = tollgate(dir)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut banner = String::new();
    let mut base = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.split("listening on ").nth(1) {
            base = Some(rest.trim().to_owned());
        }
        banner.push_str(&line);
        banner.push('\n');
        if line.contains(until) {
            break;
        }
    }
    // Keep draining standard output so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    let base = base.unwrap_or_else(|| panic!("no listening line in {banner}"));
    Served {
        child,
        base,
        banner,
    }
}

impl Served {
    /// Stops the server with SIGTERM and waits for it to exit.
    pub fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        for _ in 0..200 {
            if self.child.try_wait().unwrap().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("the server did not stop within 10 s of SIGTERM");
    }
}
