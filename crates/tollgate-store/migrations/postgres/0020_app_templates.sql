-- Apps other than OpenID Connect clients (bookmark, password-based, SAML, WS-Federation):
-- their kind, settings.app, settings.signOn and credential settings as JSON; NULL for OIDC apps.
ALTER TABLE apps ADD COLUMN template TEXT;
-- The kid of the key a SAML or WS-Federation app signs with (credentials.signing.kid), so
-- `filter=credentials.signing.kid eq "..."` finds the apps that use a key.
ALTER TABLE apps ADD COLUMN signing_kid TEXT;
