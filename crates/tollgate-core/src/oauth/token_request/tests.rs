use super::*;
use crate::oauth::testing::{native_app, web_app};

fn run(body: &str, app: &App, is_org: bool) -> Result<TokenRequest, OAuthCode> {
    let defaults = vec!["api:read".to_owned()];
    let server = ServerView {
        is_org,
        default_scopes: &defaults,
    };
    validate(&Params::parse(body), app, server).map_err(|e| e.code)
}

#[test]
fn table_of_token_requests() {
    use OAuthCode::{InvalidRequest, InvalidScope, UnauthorizedClient, UnsupportedGrantType};
    let web = web_app();
    let native = native_app();
    let cases: [(&str, &App, bool, Result<GrantType, OAuthCode>); 14] = [
        (
            "grant_type=authorization_code&code=c&redirect_uri=x",
            &web,
            false,
            Ok(GrantType::AuthorizationCode),
        ),
        (
            "grant_type=authorization_code",
            &web,
            false,
            Err(InvalidRequest),
        ),
        ("", &web, false, Err(InvalidRequest)),
        (
            "grant_type=implicit",
            &web,
            false,
            Err(UnsupportedGrantType),
        ),
        (
            "grant_type=urn:ietf:params:oauth:grant-type:device_code",
            &web,
            false,
            Err(UnsupportedGrantType),
        ),
        (
            "grant_type=client_credentials",
            &web,
            true,
            Err(UnsupportedGrantType),
        ),
        (
            "grant_type=client_credentials",
            &web,
            false,
            Ok(GrantType::ClientCredentials),
        ),
        (
            "grant_type=client_credentials&scope=openid",
            &web,
            false,
            Err(InvalidScope),
        ),
        (
            "grant_type=client_credentials&scope=groups",
            &web,
            false,
            Ok(GrantType::ClientCredentials),
        ),
        (
            "grant_type=password&username=u&password=p&scope=openid",
            &web,
            false,
            Err(UnauthorizedClient),
        ),
        (
            "grant_type=password&username=u&password=p&scope=openid",
            &native,
            false,
            Ok(GrantType::Password),
        ),
        (
            "grant_type=password&username=u&password=p",
            &native,
            false,
            Err(InvalidScope),
        ),
        (
            "grant_type=password&username=u&scope=openid",
            &native,
            false,
            Err(InvalidRequest),
        ),
        ("grant_type=refresh_token", &web, false, Err(InvalidRequest)),
    ];
    for (body, app, is_org, want) in cases {
        assert_eq!(
            run(body, app, is_org).map(|r| r.grant_type()),
            want,
            "{body}"
        );
    }
}

#[test]
fn client_credentials_fall_back_to_default_scopes() {
    match run("grant_type=client_credentials", &web_app(), false) {
        Ok(TokenRequest::ClientCredentials { scopes }) => assert_eq!(scopes, vec!["api:read"]),
        other => panic!("{other:?}"),
    }
    let none: Vec<String> = Vec::new();
    let server = ServerView {
        is_org: false,
        default_scopes: &none,
    };
    let e = validate(
        &Params::parse("grant_type=client_credentials"),
        &web_app(),
        server,
    )
    .unwrap_err();
    assert_eq!(e.code, OAuthCode::InvalidScope);
}

#[test]
fn refresh_keeps_an_optional_narrower_scope() {
    match run(
        "grant_type=refresh_token&refresh_token=r&scope=openid%20email",
        &web_app(),
        true,
    ) {
        Ok(TokenRequest::RefreshToken {
            refresh_token,
            scopes,
        }) => {
            assert_eq!(refresh_token, "r");
            assert_eq!(scopes, Some(vec!["email".to_owned(), "openid".to_owned()]));
        }
        other => panic!("{other:?}"),
    }
}
