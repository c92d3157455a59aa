"""Verifies Tollgate's tokens over HTTPS with Okta's `okta-jwt-verifier`, which refuses any
issuer that is not https.

Runs `tollgate dev-cert` into a temporary directory, starts
`serve --demo --tls-cert ... --tls-key ...` on a free loopback port, signs the demo user in and
runs the implicit flow on `default` for an access token and an ID token. Then, in a fresh Python
process whose environment trusts the CA exactly as dev-cert printed (SSL_CERT_FILE, read by
aiohttp when it is imported; REQUESTS_CA_BUNDLE, read by requests), verifies both tokens with the
verifier's async (aiohttp) and sync (requests) paths against https://127.0.0.1:PORT/oauth2/default.

Prints one line per check and a closing "N passed, M failed"; exits non-zero on any failure.
"""

import asyncio
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import traceback
from urllib.parse import parse_qs, urlsplit

import requests

CLIENT_ID = "0oabskvc6442nkvQO0h7"
LOGIN = "annie.jackson@acme.com"
PASSWORD = "Tollgate-Demo-2026"
REDIRECT_URI = "https://example.com/oauth2/callback"


def dev_cert(binary, directory):
    """Runs `tollgate dev-cert`: (certificate, key, the trust variables it printed)."""
    out = subprocess.run([binary, "dev-cert", "--dir", directory], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    printed = dict(re.findall(r"export (\w+)=(\S+)", out))
    for var in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS"):
        if printed.get(var) != os.path.join(directory, "ca.pem"):
            raise RuntimeError(f"dev-cert did not print {var} for its CA:\n{out}")
    cert, key = os.path.join(directory, "localhost.pem"), os.path.join(directory, "localhost-key.pem")
    return cert, key, printed


def implicit_tokens(base, ca):
    """Signs the demo user in and runs the implicit flow on `default`: access token, ID token, nonce."""
    authn = requests.post(f"{base}/api/v1/authn", json={"username": LOGIN, "password": PASSWORD},
                          timeout=30, verify=ca)
    authn.raise_for_status()
    nonce = secrets.token_urlsafe(12)
    resp = requests.get(f"{base}/oauth2/default/v1/authorize", allow_redirects=False, timeout=30, verify=ca, params={
        "client_id": CLIENT_ID, "response_type": "token id_token", "scope": "openid groups",
        "redirect_uri": REDIRECT_URI, "state": "s", "nonce": nonce,
        "sessionToken": authn.json()["sessionToken"],
    })
    location = resp.headers.get("location", "")
    fragment = parse_qs(urlsplit(location).fragment)
    if resp.status_code != 302 or "access_token" not in fragment:
        raise RuntimeError(f"no tokens in the redirect ({resp.status_code}): {location or resp.text[:300]}")
    return fragment["access_token"][0], fragment["id_token"][0], nonce


def tampered(jwt):
    """The same token with one character of its signature changed."""
    head, body, sig = jwt.split(".")
    return ".".join([head, body, ("A" if sig[0] != "A" else "B") + sig[1:]])


def checks(issuer, access, id_token, nonce):
    """The verifier's checks; run in the process whose environment trusts the CA."""
    from okta_jwt_verifier import AccessTokenVerifier, IDTokenVerifier
    from okta_jwt_verifier.exceptions import JWTInvalidConfigException, JWTValidationException

    access_verifier = AccessTokenVerifier(issuer=issuer, audience="api://default")
    id_verifier = IDTokenVerifier(issuer=issuer, client_id=CLIENT_ID)

    async def async_access():
        await access_verifier.verify(access)

    async def sync_access():
        access_verifier.verify_sync(access)

    async def id_token_both():
        await id_verifier.verify(id_token, nonce=nonce)
        id_verifier.verify_sync(id_token, nonce=nonce)

    async def tampered_refused():
        try:
            await access_verifier.verify(tampered(access))
        except JWTValidationException as exc:
            if "signature" not in str(exc).lower():
                raise AssertionError(f"refused, but not for its signature: {exc}") from exc
            return
        raise AssertionError("a token with a changed signature was accepted")

    async def http_issuer_refused():
        try:
            AccessTokenVerifier(issuer=issuer.replace("https://", "http://"))
        except JWTInvalidConfigException:
            return
        raise AssertionError("the verifier accepted an http issuer, so this check proves nothing")

    return [
        ("okta-jwt-verifier refuses an http issuer", http_issuer_refused),
        ("access token verified over https (aiohttp, SSL_CERT_FILE)", async_access),
        ("access token verified over https (requests, REQUESTS_CA_BUNDLE)", sync_access),
        ("ID token verified with its nonce (both paths)", id_token_both),
        ("a tampered access token is refused", tampered_refused),
    ]


async def verify(job):
    """Child process: runs the checks on the tokens in `job`, one line each."""
    passed = failed = 0
    for name, fn in checks(**job):
        try:
            await fn()
            passed += 1
            print(f"ok   {name}")
        except Exception:
            failed += 1
            print(f"FAIL {name}")
            traceback.print_exc()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def main():
    """Parent process: dev-cert, the server over TLS, the tokens; then the verifying child."""
    from tollgate_server import Server, binary

    certs = tempfile.mkdtemp(prefix="tollgate-dev-cert-")
    server = None
    try:
        cert, key, trust = dev_cert(binary(), certs)
        server = Server(["--demo", "--tls-cert", cert, "--tls-key", key])
        if not server.base.startswith("https://127.0.0.1:"):
            raise RuntimeError(f"not an https base: {server.base}")
        access, id_token, nonce = implicit_tokens(server.base, trust["REQUESTS_CA_BUNDLE"])
        job = {"issuer": f"{server.base}/oauth2/default", "access": access, "id_token": id_token, "nonce": nonce}
        env = dict(os.environ, SSL_CERT_FILE=trust["SSL_CERT_FILE"],
                   REQUESTS_CA_BUNDLE=trust["REQUESTS_CA_BUNDLE"], TOLLGATE_TLS_CHECK_JOB=json.dumps(job))
        return subprocess.run([sys.executable, os.path.abspath(__file__)], env=env).returncode
    except Exception:
        print("FAIL set-up (dev-cert, serve over TLS, sign-in, implicit flow)")
        traceback.print_exc()
        print("0 passed, 1 failed")
        return 1
    finally:
        if server:
            server.stop()
        shutil.rmtree(certs, ignore_errors=True)


if __name__ == "__main__":
    job = os.environ.get("TOLLGATE_TLS_CHECK_JOB")
    sys.exit(asyncio.run(verify(json.loads(job))) if job else main())
