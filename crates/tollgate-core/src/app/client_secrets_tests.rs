use super::*;

fn at(ms: i64) -> Timestamp {
    Timestamp::from_millis(ms)
}

fn cause_of(e: Error) -> (String, String) {
    match e {
        Error::Invalid { summary, causes } => (summary, causes[0].to_string()),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn any_active_secret_authenticates_and_inactive_ones_do_not() {
    let first = Secret::new("first-secret-0123456789");
    let mut secrets = ClientSecrets::only(&first, at(1));
    let (second, shown) = secrets
        .add(None, None, AuthMethod::ClientSecretBasic, at(2))
        .unwrap();
    assert_eq!(shown.expose().len(), 64);
    assert!(secrets.verify(first.expose()));
    assert!(secrets.verify(shown.expose()));
    assert!(!secrets.verify("first-secret-012345678"));
    let first_id = secrets.iter().next().unwrap().id.clone();
    secrets
        .set_status(&first_id, SecretStatus::Inactive, at(3))
        .unwrap();
    assert!(!secrets.verify(first.expose()));
    assert!(secrets.verify(shown.expose()));
    assert_eq!(secrets.newest_active_digest(), Some(second.digest.as_str()));
}

#[test]
fn the_rules_of_the_set_answer_okta_words() {
    let mut secrets = ClientSecrets::only(&Secret::new("only-secret-0123456789"), at(1));
    let only = secrets.iter().next().unwrap().id.clone();
    let cases: Vec<(Result<(), Error>, &str, &str)> = vec![
        (
            secrets
                .set_status(&only, SecretStatus::Inactive, at(2))
                .map(drop),
            "OAuth2ClientSecretMediated",
            "You can't deactivate the only active client secret.",
        ),
        (
            secrets.remove(&only),
            "OAuth2ClientSecretMediated",
            "You can't delete an active client secret. Deactivate the secret before deleting it.",
        ),
    ];
    for (result, summary, cause) in cases {
        assert_eq!(
            cause_of(result.unwrap_err()),
            (summary.to_owned(), cause.to_owned())
        );
    }
    secrets
        .add(None, Some("INACTIVE"), AuthMethod::ClientSecretPost, at(2))
        .unwrap();
    let third = secrets.add(None, None, AuthMethod::ClientSecretPost, at(3));
    assert_eq!(
        cause_of(third.unwrap_err()).1,
        "You've reached the maximum number of client secrets per client."
    );
    let inactive = secrets.iter().nth(1).unwrap().id.clone();
    secrets.remove(&inactive).unwrap();
    assert_eq!(secrets.iter().count(), 1);
    assert!(matches!(
        secrets.remove("ocsnope"),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn chosen_secrets_are_checked_as_okta_does() {
    let long = "x".repeat(101);
    let cases = [
        (
            "short",
            AuthMethod::ClientSecretBasic,
            "client_secret: 'client_secret' must be at least '14' characters long.",
        ),
        (
            long.as_str(),
            AuthMethod::ClientSecretBasic,
            "client_secret: 'client_secret' can't be more than '100' characters long.",
        ),
        (
            "twenty-characters-ok",
            AuthMethod::ClientSecretJwt,
            "client_secret: 'client_secret' must be at least '32' characters long when 'token_endpoint_auth_method' is 'client_secret_jwt'.",
        ),
        (
            "fourteen-chars-é-not-ascii",
            AuthMethod::ClientSecretBasic,
            "client_secret: ''client_secret'' must only contain printable ASCII: [x20-x7E]+",
        ),
    ];
    for (text, method, cause) in cases {
        let mut secrets = ClientSecrets::default();
        let e = secrets
            .add(Some(Secret::new(text)), None, method, at(1))
            .unwrap_err();
        assert_eq!(
            cause_of(e),
            ("client_secret".to_owned(), cause.to_owned()),
            "{text}"
        );
    }
    let mut secrets = ClientSecrets::default();
    let e = secrets
        .add(None, None, AuthMethod::PrivateKeyJwt, at(1))
        .unwrap_err();
    assert_eq!(
        cause_of(e).1,
        "'client_secret' can't be used when 'token_endpoint_auth_method' is 'private_key_jwt'."
    );
    let (record, shown) = secrets
        .add(
            Some(Secret::new("my own secret 0123")),
            None,
            AuthMethod::ClientSecretBasic,
            at(1),
        )
        .unwrap();
    assert_eq!(shown.expose(), "my own secret 0123");
    assert_eq!(record.hint, "my own......0123");
    assert_eq!(record.hash.len(), 22);
    assert!(record.id.starts_with("ocs") && record.id.len() == 20);
}

#[test]
fn the_stored_form_round_trips_and_reads_a_bare_digest() {
    let mut secrets = ClientSecrets::only(&Secret::new("first-secret-0123456789"), at(1));
    secrets
        .add(None, Some("INACTIVE"), AuthMethod::ClientSecretBasic, at(2))
        .unwrap();
    let stored = secrets.to_stored();
    assert_eq!(
        ClientSecrets::from_stored(stored.as_deref(), at(0)).unwrap(),
        secrets
    );
    assert_eq!(ClientSecrets::default().to_stored(), None);
    let legacy = Secret::new("legacy-secret-0123456789");
    let read = ClientSecrets::from_stored(Some(&legacy.digest()), at(5)).unwrap();
    assert!(read.verify(legacy.expose()));
    assert_eq!(read.iter().next().unwrap().created, 5);
    assert_eq!(
        read.to_stored(),
        Some(legacy.digest()),
        "written back as read"
    );
    assert!(ClientSecrets::from_stored(Some("[{]"), at(0)).is_err());
}
