use super::*;
use crate::oauth::testing::{native_app, web_app};

const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const BASE: &str = "client_id=client1&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&state=s1";

fn known(s: &str) -> bool {
    matches!(
        s,
        "openid" | "profile" | "email" | "groups" | "offline_access"
    )
}

fn run(query: &str, app: &App) -> Result<AuthorizeRequest, AuthorizeRefusal> {
    validate(&Params::parse(query), Some(app), &known)
}

/// The outcome as (code, mode) for a refusal sent back, or ("page", code) for an error page.
fn outcome(query: &str, app: &App) -> Result<(), (String, Option<ResponseMode>)> {
    match run(query, app) {
        Ok(_) => Ok(()),
        Err(AuthorizeRefusal::Page(e)) => Err((e.code.as_str().to_owned(), None)),
        Err(AuthorizeRefusal::Redirect(e, to)) => Err((e.code.as_str().to_owned(), Some(to.mode))),
    }
}

/// `Ok`, or the error code and the mode it goes back in (`None`: an error page).
type Expected = Result<(), (&'static str, Option<ResponseMode>)>;

#[test]
fn table_of_requests() {
    use ResponseMode::{Fragment, Query};
    let app = web_app();
    let ok_code = format!("{BASE}&response_type=code&scope=openid");
    let cases: Vec<(String, Expected)> = vec![
        (ok_code.clone(), Ok(())),
        (
            format!("{BASE}&response_type=id_token&scope=openid&nonce=n"),
            Ok(()),
        ),
        (
            format!("{BASE}&response_type=code%20id_token%20token&scope=openid&nonce=n"),
            Ok(()),
        ),
        // Client and redirect URI: an error page.
        (
            "client_id=client1&state=s1&response_type=code&scope=openid".to_owned(),
            Err(("invalid_request", None)),
        ),
        (
            ok_code.replace("%2Fcb", "%2Fother"),
            Err(("invalid_request", None)),
        ),
        (
            format!("{ok_code}&state=again"),
            Err(("invalid_request", None)),
        ),
        // The rest goes back to the client.
        (
            format!("{BASE}&response_type=device&scope=openid"),
            Err(("unsupported_response_type", Some(Query))),
        ),
        (
            format!("{BASE}&scope=openid"),
            Err(("unsupported_response_type", Some(Query))),
        ),
        (
            format!("{ok_code}&response_mode=web_message"),
            Err(("unsupported_response_mode", Some(Query))),
        ),
        (
            format!("{BASE}&response_type=token&scope=openid&nonce=n&response_mode=query"),
            Err(("unsupported_response_mode", Some(Fragment))),
        ),
        (
            ok_code.replace("&state=s1", ""),
            Err(("invalid_request", Some(Query))),
        ),
        (
            format!("{ok_code}&prompt=none%20login"),
            Err(("invalid_request", Some(Query))),
        ),
        (
            format!("{ok_code}&prompt=select_account"),
            Err(("invalid_request", Some(Query))),
        ),
        (
            format!("{ok_code}&max_age=-1"),
            Err(("invalid_request", Some(Query))),
        ),
        (
            format!("{ok_code}&max_age=2147483648"),
            Err(("invalid_request", Some(Query))),
        ),
        (
            format!("{ok_code}&idp=0oa1"),
            Err(("invalid_request", Some(Query))),
        ),
        (
            format!("{BASE}&response_type=code"),
            Err(("invalid_scope", Some(Query))),
        ),
        (
            format!("{BASE}&response_type=code&scope=openid%20admin"),
            Err(("invalid_scope", Some(Query))),
        ),
        (
            format!("{BASE}&response_type=code&scope={}", "a".repeat(1025)),
            Err(("invalid_scope", Some(Query))),
        ),
        (
            format!("{BASE}&response_type=id_token&scope=profile&nonce=n"),
            Err(("invalid_scope", Some(Fragment))),
        ),
        (
            format!("{BASE}&response_type=id_token&scope=openid"),
            Err(("invalid_request", Some(Fragment))),
        ),
        (
            format!("{ok_code}&code_challenge={CHALLENGE}&code_challenge_method=plain"),
            Err(("invalid_request", Some(Query))),
        ),
        (
            format!("{ok_code}&code_challenge=abc&code_challenge_method=S256"),
            Err(("invalid_request", Some(Query))),
        ),
        (
            format!("{ok_code}&code_challenge={CHALLENGE}&code_challenge_method=S256"),
            Ok(()),
        ),
    ];
    for (query, want) in cases {
        let want = want.map_err(|(c, m)| (c.to_owned(), m));
        assert_eq!(outcome(&query, &app), want, "{query}");
    }
}

#[test]
fn unknown_client_is_an_error_page() {
    let params = Params::parse(&format!("{BASE}&response_type=code&scope=openid"));
    match validate(&params, None, &known) {
        Err(AuthorizeRefusal::Page(e)) => assert_eq!(e.code, OAuthCode::InvalidClient),
        other => panic!("{other:?}"),
    }
}

#[test]
fn grants_the_client_lacks_are_unauthorized_client() {
    let native = native_app();
    let q =
        "client_id=client1&redirect_uri=myapp%3A%2F%2Fcb&state=s&response_type=code&scope=openid";
    // A public client must send a challenge.
    assert_eq!(
        outcome(q, &native),
        Err(("invalid_request".to_owned(), Some(ResponseMode::Query)))
    );
    let with_pkce = format!("{q}&code_challenge={CHALLENGE}&code_challenge_method=S256");
    assert_eq!(outcome(&with_pkce, &native), Ok(()));
    let implicit = with_pkce.replace("response_type=code", "response_type=code%20id_token");
    assert_eq!(
        outcome(&format!("{implicit}&nonce=n"), &native).map_err(|(c, _)| c),
        Err("unsupported_response_type".to_owned())
    );
}

#[test]
fn a_valid_request_is_typed() {
    let app = web_app();
    let q = format!(
        "{BASE}&response_type=code%20id_token&scope=profile%20openid%20openid&nonce=n1&prompt=login&max_age=30&response_mode=form_post&code_challenge={CHALLENGE}&code_challenge_method=S256"
    );
    let r = run(&q, &app).unwrap();
    assert_eq!(r.reply.mode, ResponseMode::FormPost);
    assert_eq!(r.reply.state.as_deref(), Some("s1"));
    assert_eq!(r.reply.redirect_uri, "https://app.example/cb");
    assert_eq!(r.response_types.as_string(), "code id_token");
    assert_eq!(r.response_types.grant(), GrantType::Implicit);
    assert_eq!(r.scopes, vec!["openid".to_owned(), "profile".to_owned()]);
    assert_eq!(r.nonce.as_deref(), Some("n1"));
    assert_eq!(r.max_age, Some(30));
    assert!(r.prompt.login && !r.prompt.none);
    assert_eq!(r.code_challenge.as_deref(), Some(CHALLENGE));
}
