//! `tollgate backup` of a running server's SQLite org and `tollgate restore` into a new
//! directory: the restored server verifies the old tokens with its JWKS and keeps the org's
//! settings, users and apps. A database copied without its key file refuses to start and gets
//! no new key file.

use std::path::Path;

use serde_json::{Value, json};

use crate::demo::demo_id_token;
use crate::keys::verify;
use crate::process::{run, serve};

const ADMIN: &str = "SSWS ${api_token}";
const APP: &str = "0oabskvc6442nkvQO0h7";

async fn admin_get(base: &str, path: &str) -> Value {
    let resp = reqwest::Client::new()
        .get(format!("{base}{path}"))
        .header("authorization", ADMIN)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200, "{path}");
    resp.json().await.unwrap()
}

/// An archive shaped like a backup whose database is not one: text, or a symbolic link.
fn forged_archive(symlink: bool) -> Vec<u8> {
    let mut tar = tar::Builder::new(Vec::new());
    let mut add = |name: &str, kind: tar::EntryType, data: &[u8]| {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o600);
        header.set_entry_type(kind);
        if kind == tar::EntryType::Symlink {
            header.set_link_name("/etc/hostname").unwrap();
        }
        tar.append_data(&mut header, name, data).unwrap();
    };
    add(
        "tollgate-backup.txt",
        tar::EntryType::Regular,
        b"Tollgate backup, format 1\n",
    );
    match symlink {
        true => add("tollgate.db", tar::EntryType::Symlink, b""),
        false => add(
            "tollgate.db",
            tar::EntryType::Regular,
            b"not a database at all",
        ),
    }
    add(
        "tollgate.db.key",
        tar::EntryType::Regular,
        "ab".repeat(32).as_bytes(),
    );
    tar.into_inner().unwrap()
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn backup_of_a_running_org_restores_with_its_keys_settings_and_data() {
    let old = tempfile::tempdir().unwrap();
    let server = serve(old.path(), &["--demo"], "token decode");
    let id_token = demo_id_token(&server.base, "oauth2/default", "openid%20groups").await;
    let renamed = reqwest::Client::new()
        .post(format!("{}/api/v1/org", server.base))
        .header("authorization", ADMIN)
        .json(&json!({"companyName": "Backed Up Inc"}))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status().as_u16(), 200);

    // Online: the server is still running.
    let archive = old.path().join("org.tar");
    let archive_arg = archive.to_str().unwrap();
    let done = run(
        old.path(),
        &[
            "backup",
            archive_arg,
            "--database-url",
            "sqlite://tollgate-demo.db",
        ],
    );
    assert!(done.ok, "{}", done.stderr);
    assert_eq!(mode(&archive), 0o600, "the archive holds the master key");
    server.stop();

    let new = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", new.path().join("data/org.db").display());
    let junk = old.path().join("junk.tar");
    std::fs::write(&junk, "not an archive").unwrap();
    let junk = ["restore", junk.to_str().unwrap(), "--database-url", &url];
    run(new.path(), &junk).assert_refused("is not a backup made by `tollgate backup`");
    assert!(!new.path().join("data").exists(), "nothing is left behind");
    let done = run(
        new.path(),
        &["restore", archive_arg, "--database-url", &url],
    );
    assert!(done.ok, "{}", done.stderr);
    assert_eq!(mode(&new.path().join("data/org.db.key")), 0o600);
    // Never over an existing database unless told to.
    let restore = ["restore", archive_arg, "--database-url", &url];
    run(new.path(), &restore).assert_refused("data/org.db");
    let forced = run(
        new.path(),
        &["restore", archive_arg, "--database-url", &url, "--force"],
    );
    assert!(forced.ok, "{}", forced.stderr);
    // An archive whose database does not open, or whose database is not a plain file, is
    // refused even with --force, and the database it would replace stays as it was.
    let before = std::fs::read(new.path().join("data/org.db")).unwrap();
    for (symlink, refusal) in [(false, "does not open"), (true, "is not a plain file")] {
        let bad = old.path().join(format!("bad-{symlink}.tar"));
        std::fs::write(&bad, forged_archive(symlink)).unwrap();
        let bad = [
            "restore",
            bad.to_str().unwrap(),
            "--database-url",
            &url,
            "--force",
        ];
        run(new.path(), &bad).assert_refused(refusal);
        assert_eq!(
            std::fs::read(new.path().join("data/org.db")).unwrap(),
            before
        );
    }

    let restored = serve(new.path(), &["--database-url", &url], "org issuer");
    assert!(
        !restored.banner.contains("Created an admin API token"),
        "{}",
        restored.banner
    );
    let jwks = reqwest::get(format!("{}/oauth2/default/v1/keys", restored.base))
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let claims = verify(&id_token, &jwks);
    assert_eq!(claims["sub"], "00u5t60iloOHN9pBi0h7");
    assert_eq!(claims["groups"], json!(["WestCoastDivision"]));
    let org = admin_get(&restored.base, "/api/v1/org").await;
    assert_eq!(org["companyName"], "Backed Up Inc");
    let users = admin_get(&restored.base, "/api/v1/users?q=annie").await;
    assert_eq!(
        users[0]["profile"]["login"], "annie.jackson@acme.com",
        "{users}"
    );
    let app = admin_get(&restored.base, &format!("/api/v1/apps/{APP}")).await;
    assert_eq!(
        app["profile"]["groupwhitelist"],
        json!(["00gbso71miOMjxHRW0h7"])
    );
    restored.stop();
}

#[tokio::test]
async fn a_database_without_its_key_file_refuses_to_start_and_writes_no_key() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(
        dir.path(),
        &["--database-url", "sqlite://org.db", "--create"],
        "curl",
    );
    // The JWKS answers once the fresh org's signing keys exist.
    let jwks: Value = reqwest::get(format!("{}/oauth2/v1/keys", server.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(jwks["keys"][0]["kid"].is_string(), "{jwks}");
    server.stop();

    let copied = tempfile::tempdir().unwrap();
    std::fs::copy(dir.path().join("org.db"), copied.path().join("org.db")).unwrap();
    let key_file = copied.path().join("org.db.key");
    let serve_copy = [
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--database-url",
        "sqlite://org.db",
    ];
    run(copied.path(), &serve_copy).assert_refused("org.db.key is missing");
    assert!(!key_file.exists(), "no new, wrong key file is left behind");

    // A key file that is not the one the keys were sealed with is refused too, and kept.
    let wrong = "ab".repeat(32);
    std::fs::write(&key_file, &wrong).unwrap();
    run(copied.path(), &serve_copy).assert_refused("master key file org.db.key");
    assert_eq!(std::fs::read_to_string(&key_file).unwrap(), wrong);
    // And the backup of such a database is refused rather than written without its key.
    let backup = ["backup", "b.tar", "--database-url", "sqlite://org.db"];
    run(copied.path(), &backup).assert_refused("does not open");
    assert!(!copied.path().join("b.tar").exists());
}
