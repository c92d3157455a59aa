use super::*;

#[test]
fn defaults() {
    let s = resolve(&Overrides::default()).unwrap();
    assert_eq!(s.listen.to_string(), DEFAULT_LISTEN);
    assert_eq!(s.database_url, DatabaseUrl::default_sqlite());
    assert!(s.public_url.is_none());
}

#[test]
fn flags_win_over_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.toml");
    std::fs::write(
        &path,
        "listen = \"127.0.0.1:9000\"\npublic_url = \"https://a.example/\"\n",
    )
    .unwrap();
    let o = Overrides {
        config: Some(path.clone()),
        ..Overrides::default()
    };
    let s = resolve(&o).unwrap();
    assert_eq!(s.listen.port(), 9000);
    assert_eq!(s.public_url.as_deref(), Some("https://a.example"));
    let o = Overrides {
        config: Some(path),
        listen: Some("127.0.0.1:9001".into()),
        ..Overrides::default()
    };
    assert_eq!(resolve(&o).unwrap().listen.port(), 9001);
}

#[test]
fn rate_limits_come_from_flags_over_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.toml");
    std::fs::write(
        &path,
        "rate_limit_per_minute = 10\nrate_limit_oauth_per_minute = 20\n",
    )
    .unwrap();
    let o = Overrides {
        config: Some(path),
        rate_limits: [None, None, Some(30), Some(40), None],
        ..Overrides::default()
    };
    let l = resolve(&o).unwrap().rate_limits();
    assert_eq!(
        (l.admin, l.authn, l.oauth, l.anonymous, l.max_keys),
        (10, 600, 30, 40, 100_000)
    );
    let zero = Overrides {
        rate_limits: [None, Some(0), None, None, None],
        ..Overrides::default()
    };
    assert!(format!("{:#}", resolve(&zero).unwrap_err()).contains("rate_limit_authn"));
}

#[test]
fn bad_values_explain_themselves() {
    let o = Overrides {
        listen: Some("localhost".into()),
        ..Overrides::default()
    };
    assert!(format!("{:#}", resolve(&o).unwrap_err()).contains("TOLLGATE_LISTEN"));
    let o = Overrides {
        public_url: Some("ftp://x".into()),
        ..Overrides::default()
    };
    assert!(format!("{:#}", resolve(&o).unwrap_err()).contains("http://"));
    let o = Overrides {
        bootstrap_token: Some("short".into()),
        ..Overrides::default()
    };
    assert!(resolve(&o).is_err());
    let o = Overrides {
        database_url: Some("mysql://x".into()),
        ..Overrides::default()
    };
    assert!(resolve(&o).is_err());
    let o = Overrides {
        master_key: Some("0123".into()),
        ..Overrides::default()
    };
    let e = format!("{:#}", resolve(&o).unwrap_err());
    assert!(
        e.contains("TOLLGATE_MASTER_KEY") && !e.contains("0123"),
        "{e}"
    );
    let o = Overrides {
        master_key: Some("ab".repeat(32)),
        ..Overrides::default()
    };
    assert!(resolve(&o).unwrap().master_key.is_some());
}
