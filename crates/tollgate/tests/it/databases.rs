//! A mistyped database is never created: `serve` and `apply` create a missing SQLite file
//! only on the default path or with `--create`; `export`, `apply --dry-run`, `api-token
//! create` and `backup` refuse it. Each refusal is one line naming the file.

use crate::process::run;

#[test]
fn a_missing_database_is_refused_in_one_line_and_never_created() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("org.yaml"), "groups:\n  - name: Ops\n").unwrap();
    let typo = ["--database-url", "sqlite:typo.db"];
    let cases: [(&[&str], &[&str]); 9] = [
        (&["serve", "--listen", "127.0.0.1:0"], &typo),
        (&["export"], &typo),
        (&["apply", "org.yaml", "--dry-run"], &typo),
        (&["apply", "org.yaml"], &typo),
        (&["api-token", "create", "--name", "ci"], &typo),
        (&["backup", "b.tar"], &typo),
        // The default file is created only by `serve` and `apply`.
        (&["export"], &[]),
        (&["apply", "org.yaml", "--dry-run"], &[]),
        (&["api-token", "create", "--name", "ci"], &[]),
    ];
    for (command, database) in cases {
        let args = [command, database].concat();
        let out = run(dir.path(), &args);
        let file = if database.is_empty() {
            "tollgate.db"
        } else {
            "typo.db"
        };
        out.assert_refused(&format!("database file {file} does not exist"));
        let mut files: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        files.sort();
        assert_eq!(files, ["org.yaml"], "{args:?} left files behind");
    }
    // `--create` makes it; then the commands work on it.
    let created = run(
        dir.path(),
        &[&["apply", "org.yaml", "--create"][..], &typo].concat(),
    );
    assert!(
        created.ok && created.stdout.contains("created group Ops"),
        "{}",
        created.stderr
    );
    let exported = run(dir.path(), &[&["export"][..], &typo].concat());
    assert!(
        exported.ok && exported.stdout.contains("name: Ops"),
        "{}",
        exported.stderr
    );
    // `--demo-reset` deletes only a demo database.
    let reset = run(
        dir.path(),
        &[
            &["serve", "--listen", "127.0.0.1:0", "--demo-reset"][..],
            &typo,
        ]
        .concat(),
    );
    reset.assert_refused("nothing was deleted");
    assert!(dir.path().join("typo.db").exists());
}
