"""Apps other than OpenID Connect clients through Okta's official Python SDK: a bookmark and a
basic-auth app are created, read back as the SDK's own model class, found with
`filter=name eq "..."`, replaced with the model read back, deactivated and deleted.

Starts the debug build over a fresh SQLite database (or TOLLGATE_BIN / TOLLGATE_BASE_URL and
TOLLGATE_TOKEN, as check_directory.py does). Prints one line per check; exits non-zero on any
failure.
"""

import asyncio
import os
import sys

from okta.client import Client
from okta.models import BasicAuthApplication, BookmarkApplication

from check_directory import CheckFailed, describe_error, expect, ok
from tollgate_server import Server

KINDS = [
    (BookmarkApplication, "bookmark", {
        "name": "bookmark", "label": "Python Bookmark", "signOnMode": "BOOKMARK",
        "settings": {"app": {"requestIntegration": False, "url": "https://example.com/bookmark.htm"}},
    }),
    (BasicAuthApplication, "template_basic_auth", {
        "name": "template_basic_auth", "label": "Python Basic", "signOnMode": "BASIC_AUTH",
        "settings": {"app": {"url": "https://example.com/login.html", "authURL": "https://example.com/auth.html"}},
    }),
]


async def check_kind(client, model, name, body):
    app, _ = ok(await client.create_application(model.from_dict(body)))
    expect(isinstance(app, model), f"create_application returned {type(app).__name__}")
    read, _ = ok(await client.get_application(app.id))
    expect(isinstance(read, model), f"get_application returned {type(read).__name__}")
    expect(read.settings.app.url == body["settings"]["app"]["url"], f"url {read.settings.app.url!r}")
    found, _ = ok(await client.list_applications(filter=f'name eq "{name}"'))
    expect([a.id for a in found] == [app.id], f"filter name eq {name} found {[a.id for a in found]}")
    read.label = body["label"] + " (renamed)"
    replaced, _ = ok(await client.replace_application(app.id, read))
    expect(isinstance(replaced, model), f"replace_application returned {type(replaced).__name__}")
    expect(replaced.label.endswith("(renamed)"), f"label {replaced.label!r}")
    ok(await client.deactivate_application(app.id))
    _, _, err = await client.delete_application(app.id)
    expect(err is None, f"delete_application: {err and describe_error(err)}")
    _, _, err = await client.get_application(app.id)
    expect(getattr(err, "status", None) == 404, "the deleted app is still there")


async def main():
    server = None
    base, token = os.environ.get("TOLLGATE_BASE_URL"), os.environ.get("TOLLGATE_TOKEN")
    if not (base and token):
        server = Server()
        base, token = server.base, server.token
    passed = failed = 0
    try:
        os.environ["OKTA_TESTING_TESTINGDISABLEHTTPSCHECK"] = "true"
        client = Client({"orgUrl": base, "token": token})
        for model, name, body in KINDS:
            try:
                await check_kind(client, model, name, body)
            except Exception as exc:  # report every kind, then the next one
                failed += 1
                print(f"FAIL {name}: {exc if isinstance(exc, CheckFailed) else describe_error(exc)}")
            else:
                passed += 1
                print(f"ok   {name}: create, read, filter by name, replace, deactivate, delete")
    finally:
        if server is not None:
            server.stop()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
