//! The vocabulary of OAuth clients: application types, grant and response types, token
//! endpoint authentication methods and the other enumerated settings, each with its wire
//! spelling, and which grants each kind of client may use.

/// An enum with a fixed wire spelling per variant.
macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in wire order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The wire and stored form.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire),+
                }
            }

            /// From the wire or stored form.
            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($wire => Some(Self::$variant),)+
                    _ => None,
                }
            }

            /// The accepted values, for error messages.
            pub(crate) fn expected() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

wire_enum!(
    /// `application_type`: what kind of client this is; it cannot change after creation.
    ApplicationType {
        /// A single-page app.
        Browser = "browser",
        /// A native (mobile or desktop) app.
        Native = "native",
        /// A machine-to-machine service.
        Service = "service",
        /// A server-side web app.
        Web = "web",
    }
);

wire_enum!(
    /// A grant type Tollgate can serve.
    GrantType {
        /// Authorization code.
        AuthorizationCode = "authorization_code",
        /// Client credentials.
        ClientCredentials = "client_credentials",
        /// Implicit.
        Implicit = "implicit",
        /// Resource owner password.
        Password = "password",
        /// Refresh token.
        RefreshToken = "refresh_token",
    }
);

wire_enum!(
    /// A response type of the authorize endpoint.
    ResponseType {
        /// An authorization code.
        Code = "code",
        /// An access token.
        Token = "token",
        /// An ID token.
        IdToken = "id_token",
    }
);

wire_enum!(
    /// `token_endpoint_auth_method`: how the client authenticates at the token endpoint.
    AuthMethod {
        /// HTTP Basic with the client secret (the default).
        ClientSecretBasic = "client_secret_basic",
        /// The client secret in the form body.
        ClientSecretPost = "client_secret_post",
        /// A JWT signed with the client secret (HMAC).
        ClientSecretJwt = "client_secret_jwt",
        /// A JWT signed with a key from the client's JWKS.
        PrivateKeyJwt = "private_key_jwt",
        /// A public client: no authentication, PKCE instead.
        None = "none",
    }
);

wire_enum!(
    /// `wildcard_redirect`.
    WildcardRedirect {
        /// Redirect URIs match exactly.
        Disabled = "DISABLED",
        /// One `*` is allowed in the left-most label of an `https` redirect URI.
        Subdomain = "SUBDOMAIN",
    }
);

wire_enum!(
    /// `consent_method`.
    ConsentMethod {
        /// The client is trusted: no consent prompt.
        Trusted = "TRUSTED",
        /// Users are asked for consent.
        Required = "REQUIRED",
    }
);

wire_enum!(
    /// `issuer_mode`.
    IssuerMode {
        /// The org URL is the issuer.
        OrgUrl = "ORG_URL",
        /// The custom domain is the issuer.
        CustomUrl = "CUSTOM_URL",
        /// The issuer follows the domain the request came to.
        Dynamic = "DYNAMIC",
    }
);

wire_enum!(
    /// `refresh_token.rotation_type`.
    RotationType {
        /// A new refresh token on every use.
        Rotate = "ROTATE",
        /// The same refresh token until it expires.
        Static = "STATIC",
    }
);

impl ApplicationType {
    /// The grant types this kind of client may use.
    pub fn allowed_grants(self) -> &'static [GrantType] {
        match self {
            Self::Web => &[
                GrantType::AuthorizationCode,
                GrantType::Implicit,
                GrantType::RefreshToken,
                GrantType::ClientCredentials,
            ],
            Self::Native => &[
                GrantType::AuthorizationCode,
                GrantType::Implicit,
                GrantType::Password,
                GrantType::RefreshToken,
            ],
            Self::Browser => &[
                GrantType::AuthorizationCode,
                GrantType::Implicit,
                GrantType::RefreshToken,
            ],
            Self::Service => &[GrantType::ClientCredentials],
        }
    }

    /// The grant type this kind of client must have, if any.
    pub fn required_grant(self) -> Option<GrantType> {
        match self {
            Self::Web | Self::Native => Some(GrantType::AuthorizationCode),
            Self::Service => Some(GrantType::ClientCredentials),
            Self::Browser => None,
        }
    }
}

impl AuthMethod {
    /// Whether the method authenticates with a client secret.
    pub fn needs_secret(self) -> bool {
        matches!(
            self,
            Self::ClientSecretBasic | Self::ClientSecretPost | Self::ClientSecretJwt
        )
    }
}
