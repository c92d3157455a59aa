-- Apps other than OpenID Connect clients (bookmark, password-based, SAML, WS-Federation):
-- their kind, settings.app, settings.signOn and credential settings as JSON; NULL for OIDC apps.
ALTER TABLE apps ADD COLUMN template TEXT;
