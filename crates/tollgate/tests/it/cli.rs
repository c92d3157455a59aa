//! The `tollgate` binary as a user runs it: `serve` on the embedded default, the token it
//! prints, graceful shutdown on SIGTERM, and `api-token create`.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};

use crate::process::tollgate;
use std::time::Duration;

/// Starts `serve` on a free port and reads its banner: (child, base URL, printed token).
fn start_serve(dir: &Path) -> (Child, String, Option<String>) {
    let mut child = tollgate(dir)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let mut base = None;
    let mut token = None;
    let mut expect_token = false;
    let first_start = !dir.join("tollgate.db").exists();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.split("listening on ").nth(1) {
            base = Some(rest.trim().to_owned());
        }
        let trimmed = line.trim();
        if expect_token && !trimmed.is_empty() {
            token = Some(trimmed.to_owned());
            expect_token = false;
        }
        if line.contains("shown only this once") {
            expect_token = true;
        }
        // The banner ends with the curl example on a first start, else with the issuer line.
        if line.contains("curl") || (line.contains("org issuer") && !first_start) {
            break;
        }
    }
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, base.expect("a listening line"), token)
}

pub(crate) fn terminate(child: &mut Child) -> std::process::ExitStatus {
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    for _ in 0..100 {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("the server did not stop within 5 s of SIGTERM");
}

#[tokio::test]
async fn serve_prints_a_working_token_and_stops_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, base, token) = start_serve(dir.path());
    let token = token.expect("first start prints a token");
    assert!(
        dir.path().join("tollgate.db").exists(),
        "the default database is tollgate.db in the working directory"
    );

    let client = reqwest::Client::new();
    let org = client
        .get(format!("{base}/api/v1/org"))
        .header("Authorization", format!("SSWS {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(org.status(), 200);
    let wrong = client
        .get(format!("{base}/api/v1/org"))
        .header("Authorization", "SSWS nope")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let status = terminate(&mut child);
    assert!(
        status.success(),
        "graceful shutdown exits 0, got {status:?}"
    );

    // A new token from the CLI works against the same database on the next start.
    let out = tollgate(dir.path())
        .args(["api-token", "create", "--name", "ci"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let created = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert_eq!(created.len(), 42);

    let (mut child, base, second_banner_token) = start_serve(dir.path());
    assert!(
        second_banner_token.is_none(),
        "the token is printed only on the first start"
    );
    for t in [&token, &created] {
        let resp = client
            .get(format!("{base}/api/v1/org"))
            .header("Authorization", format!("SSWS {t}"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
    }
    assert!(terminate(&mut child).success());
}

#[test]
fn bad_settings_fail_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = tollgate(dir.path())
        .args(["serve", "--listen", "nowhere"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("TOLLGATE_LISTEN"), "{err}");
    let out = tollgate(dir.path())
        .args(["serve", "--database-url", "mysql://x"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("unsupported database URL"));
}

#[test]
fn expr_evaluates_the_seed_expression_and_reports_errors() {
    let dir = tempfile::tempdir().unwrap();
    let context = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/expr-context.json"
    );
    let seed = r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)"#;
    let out = tollgate(dir.path())
        .args(["expr", "--context", context, seed])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        r#"["WestCoastDivision"]"#
    );
    assert!(out.stderr.is_empty(), "nothing on stderr on success");

    // `{}` on stdin is a valid context.
    let mut child = tollgate(dir.path())
        .args(["expr", "user?.firstName ?: 'nobody'"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), b"{}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), r#""nobody""#);

    let out = tollgate(dir.path())
        .args([
            "expr",
            "--check",
            "getFilteredGroups(app.profile.x, \"group.name\", 400)",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("less than 100") && err.contains('^'), "{err}");

    let deep = format!("{}1{}", "(".repeat(30_000), ")".repeat(30_000));
    let out = tollgate(dir.path())
        .args(["expr", "--check", &deep])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "an ordinary error, never a crash"
    );
}
