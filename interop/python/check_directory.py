"""Drives a real tollgate server with Okta's official Python SDK (the `okta` package).

The SDK parses every response into its pydantic models and rejects shapes it does not expect,
so each check below is also a check of the server's JSON. The script starts the debug build
of this repository (or TOLLGATE_BIN) over a fresh SQLite database, or over a fresh PostgreSQL
database created next to TOLLGATE_INTEROP_DATABASE_URL; with TOLLGATE_BASE_URL and
TOLLGATE_TOKEN set it uses that running server instead.

Prints one line per check and a closing "N passed, M failed"; exits non-zero on any failure.
"""

import asyncio
import os
import re
import sys
import traceback
from datetime import datetime

from okta.client import Client
from okta.models import (
    AddGroupRequest,
    Application,
    ApplicationGroupAssignment,
    AppUser,
    AppUserAssignRequest,
    CreateUserRequest,
    Group,
    OpenIdConnectApplication,
    User,
)
from okta.pagination import PaginationHelper

from tollgate_server import Server

WEST_DESCRIPTION = "Employees West of the Rockies"
REDIRECT_URIS = ["https://example.com/oauth2/callback", "myapp://callback"]


def profile_of(group):
    """A group's profile: the SDK wraps it in an anyOf holder (Okta or Active Directory group)."""
    return group.profile.actual_instance


class CheckFailed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def ok(result):
    """Unpacks the SDK's (data, response, error) triple; an error fails the check."""
    data, resp, err = result
    if err is not None:
        raise CheckFailed(f"SDK error: {describe_error(err)}")
    return data, resp


def describe_error(err):
    parts = [type(err).__name__]
    for attr in ("status", "error_code", "error_summary", "reason", "body"):
        value = getattr(err, attr, None)
        if value:
            parts.append(f"{attr}={value}")
    text = " ".join(parts)
    return text if len(parts) > 1 else f"{text}: {err}"


async def collect(call, limit=None, **kwargs):
    """Every item of a paged list, following the `after` cursor of Link rel="next"; and the page count."""
    items, pages, after = [], 0, None
    while True:
        args = dict(kwargs)
        if limit is not None:
            args["limit"] = limit
        if after is not None:
            args["after"] = after
        page, resp = ok(await call(**args))
        pages += 1
        items.extend(page)
        after = PaginationHelper.extract_next_cursor(resp.headers or {})
        if after is None:
            return items, pages
        expect(pages < 100, "paging does not end")


class Checks:
    def __init__(self, client, base):
        self.client = client
        self.base = base
        self.passed = 0
        self.failed = 0
        self.state = {}

    async def run(self, name, fn):
        try:
            await fn()
        except Exception as exc:  # every failure is reported and counted, then the next check runs
            self.failed += 1
            print(f"FAIL {name}: {exc if isinstance(exc, CheckFailed) else describe_error(exc)}")
            if not isinstance(exc, CheckFailed):
                traceback.print_exc(limit=4, file=sys.stdout)
        else:
            self.passed += 1
            print(f"ok   {name}")

    def need(self, *keys):
        missing = [k for k in keys if k not in self.state]
        if missing:
            raise CheckFailed(f"skipped: an earlier check did not produce {', '.join(missing)}")
        return [self.state[k] for k in keys]

    # --- groups -------------------------------------------------------------------------------

    async def create_groups(self):
        for key, name, description in [("west", "WestCoastDivision", WEST_DESCRIPTION),
                                       ("east", "EastCoastDivision", None),
                                       ("contractors", "Contractors", None)]:
            profile = {"name": name}
            if description:
                profile["description"] = description
            group, _ = ok(await self.client.add_group(AddGroupRequest.from_dict({"profile": profile})))
            expect(isinstance(group, Group), f"add_group returned {type(group).__name__}")
            expect(re.fullmatch(r"00g[A-Za-z0-9]{17}", group.id or ""), f"group id {group.id!r}")
            expect(profile_of(group).name == name, f"group name {profile_of(group).name!r}")
            self.state[key] = group

    async def read_group(self):
        (west,) = self.need("west")
        group, _ = ok(await self.client.get_group(west.id))
        expect(isinstance(group, Group), f"get_group returned {type(group).__name__}")
        expect(group.id == west.id, "id differs")
        expect(profile_of(group).name == "WestCoastDivision", f"name {profile_of(group).name!r}")
        expect(profile_of(group).description == WEST_DESCRIPTION, f"description {profile_of(group).description!r}")
        expect(str(group.type.value if hasattr(group.type, "value") else group.type) == "OKTA_GROUP", f"type {group.type!r}")
        expect(isinstance(group.created, datetime), f"created {group.created!r}")
        expect(isinstance(group.last_membership_updated, datetime), f"lastMembershipUpdated {group.last_membership_updated!r}")

    async def list_groups(self):
        self.need("west", "east", "contractors")
        groups, pages = await collect(self.client.list_groups, limit=2)
        names = sorted(profile_of(g).name for g in groups)
        expect(names == ["Contractors", "EastCoastDivision", "Everyone", "WestCoastDivision"], f"groups {names}")
        expect(pages == 2, f"4 groups in pages of 2 came in {pages} pages")
        expect(all(isinstance(g, Group) for g in groups), "not every item is a Group")
        found, _ = ok(await self.client.list_groups(q="West"))
        expect([g.id for g in found] == [self.state["west"].id], f"q=West found {[profile_of(g).name for g in found]}")

    # --- users --------------------------------------------------------------------------------

    async def create_users(self):
        for key, first, last in [("annie", "Annie", "Jackson"), ("bob", "Bob", "Rivera")]:
            login = f"{first}.{last}@acme.com".lower()
            body = CreateUserRequest.from_dict({
                "profile": {"firstName": first, "lastName": last, "email": login, "login": login},
                "credentials": {"password": {"value": "Tollgate-2026"}},
            })
            user, _ = ok(await self.client.create_user(body, activate=True))
            expect(isinstance(user, User), f"create_user returned {type(user).__name__}")
            expect(re.fullmatch(r"00u[A-Za-z0-9]{17}", user.id or ""), f"user id {user.id!r}")
            status = user.status.value if hasattr(user.status, "value") else user.status
            expect(status == "ACTIVE", f"status {status!r}")
            self.state[key] = user

    async def read_user(self):
        (annie,) = self.need("annie")
        user, _ = ok(await self.client.get_user("annie.jackson@acme.com"))
        expect(isinstance(user, User), f"get_user returned {type(user).__name__}")
        expect(user.id == annie.id, "get by login found another user")
        expect(user.profile.first_name == "Annie", f"firstName {user.profile.first_name!r}")
        expect(user.profile.email == "annie.jackson@acme.com", f"email {user.profile.email!r}")
        expect(isinstance(user.created, datetime), f"created {user.created!r}")

    async def list_users(self):
        annie, bob = self.need("annie", "bob")
        users, pages = await collect(self.client.list_users, limit=1)
        # Every org has its first admin (the owner of the API token) besides the users made here.
        admins = [u.id for u in users if u.profile.login.startswith("admin@")]
        expect(len(admins) == 1, f"the org's first admin is listed once: {admins}")
        others = sorted(u.id for u in users if u.id not in admins)
        expect(others == sorted([annie.id, bob.id]), f"users {[u.id for u in users]}")
        expect(pages == 3, f"3 users in pages of 1 came in {pages} pages")
        expect(all(isinstance(u, User) for u in users), "not every item is a User")

    # --- memberships --------------------------------------------------------------------------

    async def memberships(self):
        west, east, contractors, annie, bob = self.need("west", "east", "contractors", "annie", "bob")
        for group, user in [(west, annie), (contractors, annie), (east, bob)]:
            ok(await self.client.assign_user_to_group(group.id, user.id))
        members, _ = await collect(self.client.list_group_users, group_id=west.id)
        expect([m.id for m in members] == [annie.id], f"WestCoastDivision members {[m.id for m in members]}")
        expect(all(isinstance(m, User) for m in members), "a member is not a User")
        groups, _ = await collect(self.client.list_user_groups, id=annie.id)
        names = sorted(profile_of(g).name for g in groups)
        expect(names == ["Contractors", "Everyone", "WestCoastDivision"], f"Annie's groups {names}")

    # --- apps ---------------------------------------------------------------------------------

    def app_body(self, label, profile=None):
        body = {
            "name": "oidc_client",
            "label": label,
            "signOnMode": "OPENID_CONNECT",
            "credentials": {"oauthClient": {"token_endpoint_auth_method": "client_secret_post"}},
            "settings": {"oauthClient": {
                "client_uri": "http://localhost:8080",
                "logo_uri": "http://developer.okta.com/assets/images/logo-new.png",
                "redirect_uris": REDIRECT_URIS,
                "response_types": ["token", "id_token", "code"],
                "grant_types": ["implicit", "authorization_code"],
                "application_type": "native",
            }},
        }
        if profile is not None:
            body["profile"] = profile
        return OpenIdConnectApplication.from_dict(body)

    def check_app(self, app, where):
        expect(isinstance(app, OpenIdConnectApplication), f"{where} returned {type(app).__name__}")
        expect(re.fullmatch(r"0oa[A-Za-z0-9]{17}", app.id or ""), f"{where}: app id {app.id!r}")
        expect(app.credentials.oauth_client.client_id == app.id, f"{where}: client_id {app.credentials.oauth_client.client_id!r}")
        method = app.credentials.oauth_client.token_endpoint_auth_method
        method = getattr(method, "value", method)
        expect(method == "client_secret_post", f"{where}: token_endpoint_auth_method {method!r}")
        settings = app.settings.oauth_client
        expect(settings.redirect_uris == REDIRECT_URIS, f"{where}: redirect_uris {settings.redirect_uris!r}")
        grants = sorted(getattr(g, "value", g) for g in settings.grant_types)
        expect(grants == ["authorization_code", "implicit"], f"{where}: grant_types {grants}")
        app_type = getattr(settings.application_type, "value", settings.application_type)
        expect(app_type == "native", f"{where}: application_type {app_type!r}")

    async def create_app(self):
        (west,) = self.need("west")
        app, _ = ok(await self.client.create_application(self.app_body("Sample Client")))
        self.check_app(app, "create_application")
        status = getattr(app.status, "value", app.status)
        expect(status == "ACTIVE", f"status {status!r}")
        expect(app.credentials.oauth_client.client_secret, "no client_secret on create")
        self.state["app"] = app
        replaced, _ = ok(await self.client.replace_application(
            app.id, self.app_body("Sample Client", {"groupwhitelist": [west.id]})))
        self.check_app(replaced, "replace_application")
        expect(replaced.profile == {"groupwhitelist": [west.id]}, f"profile {replaced.profile!r}")

    async def read_app(self):
        app, west = self.need("app", "west")
        read, _ = ok(await self.client.get_application(app.id))
        self.check_app(read, "get_application")
        expect(read.profile == {"groupwhitelist": [west.id]}, f"profile {read.profile!r}")
        expect(read.label == "Sample Client", f"label {read.label!r}")

    async def replace_with_model_read_back(self):
        """The usual SDK round trip: read the app, change it, send the whole model back."""
        app, west = self.need("app", "west")
        read, _ = ok(await self.client.get_application(app.id))
        read.label = "Sample Client v2"
        read.profile = dict(read.profile or {}, tier="gold")
        replaced, _ = ok(await self.client.replace_application(app.id, read))
        self.check_app(replaced, "replace_application(read-back model)")
        expect(replaced.label == "Sample Client v2", f"label {replaced.label!r}")
        expect(replaced.profile == {"groupwhitelist": [west.id], "tier": "gold"}, f"profile {replaced.profile!r}")
        again, _ = ok(await self.client.get_application(app.id))
        expect(again.label == "Sample Client v2" and again.profile == replaced.profile, "the replacement was not stored")

    async def assign_app(self):
        app, annie, east, bob = self.need("app", "annie", "east", "bob")
        body = AppUserAssignRequest.from_dict({"id": annie.id, "scope": "USER",
                                               "credentials": {"userName": "annie.jackson@acme.com"}})
        app_user, _ = ok(await self.client.assign_user_to_application(app.id, body))
        expect(isinstance(app_user, AppUser), f"assign_user_to_application returned {type(app_user).__name__}")
        expect(app_user.id == annie.id and app_user.scope == "USER", f"app user {app_user.id} {app_user.scope}")
        expect(app_user.credentials.user_name == "annie.jackson@acme.com", f"userName {app_user.credentials.user_name!r}")
        assignment, _ = ok(await self.client.assign_group_to_application(app.id, east.id))
        expect(isinstance(assignment, ApplicationGroupAssignment),
               f"assign_group_to_application returned {type(assignment).__name__}")
        expect(assignment.id == east.id, f"assignment id {assignment.id!r}")
        self.state["assigned"] = True

    async def list_app_users(self):
        app, annie, bob, _ = self.need("app", "annie", "bob", "assigned")
        users, pages = await collect(self.client.list_application_users, limit=1, app_id=app.id)
        scopes = {u.id: u.scope for u in users}
        expect(scopes == {annie.id: "USER", bob.id: "GROUP"}, f"app users {scopes}")
        expect(pages == 2, f"2 app users in pages of 1 came in {pages} pages")
        expect(all(isinstance(u, AppUser) for u in users), "not every item is an AppUser")

    async def list_app_groups(self):
        app, east, _ = self.need("app", "east", "assigned")
        groups, _ = await collect(self.client.list_application_group_assignments, app_id=app.id)
        expect([g.id for g in groups] == [east.id], f"app groups {[g.id for g in groups]}")
        expect(all(isinstance(g, ApplicationGroupAssignment) for g in groups), "not every item is an ApplicationGroupAssignment")
        apps, _ = await collect(self.client.list_assigned_applications_for_group, group_id=east.id)
        expect([a.id for a in apps] == [app.id], f"apps of EastCoastDivision {[a.id for a in apps]}")

    async def list_apps(self):
        (app,) = self.need("app")
        ids = [app.id]
        for i in range(4):
            more, _ = ok(await self.client.create_application(self.app_body(f"Paging Client {i}")))
            ids.append(more.id)
        apps, pages = await collect(self.client.list_applications, limit=2)
        expect(sorted(a.id for a in apps) == sorted(ids), f"apps {[a.id for a in apps]}")
        expect(pages == 3, f"5 apps in pages of 2 came in {pages} pages")
        expect(all(isinstance(a, Application) for a in apps), "not every item is an Application")
        found, _ = ok(await self.client.list_applications(q="Paging"))
        expect(len(found) == 4, f"q=Paging found {[a.label for a in found]}")

    # --- errors -------------------------------------------------------------------------------

    async def errors(self):
        async def expect_error(call, status, code, what):
            data, _, err = await call
            expect(err is not None, f"{what}: no error, got {data!r}")
            expect(getattr(err, "status", None) == status and getattr(err, "error_code", None) == code,
                   f"{what}: expected {status} {code}, got {describe_error(err)}")
        await expect_error(self.client.get_group("00gnotthere000000000"), 404, "E0000007", "missing group")
        await expect_error(self.client.get_application("0oanotthere000000000"), 404, "E0000007", "missing app")
        duplicate = AddGroupRequest.from_dict({"profile": {"name": "WestCoastDivision"}})
        await expect_error(self.client.add_group(duplicate), 400, "E0000001", "duplicate group name")
        bad = Client({"orgUrl": self.base, "token": "wrong-token"})
        await expect_error(bad.list_groups(), 401, "E0000011", "wrong token")


async def main():
    server = None
    base, token = os.environ.get("TOLLGATE_BASE_URL"), os.environ.get("TOLLGATE_TOKEN")
    if not (base and token):
        try:
            server = Server()
        except Exception as exc:
            print(f"FAIL start tollgate: {exc}")
            print("0 passed, 1 failed")
            return 1
        base, token = server.base, server.token
    try:
        # The SDK reads its "testing" section only from the environment or okta.yaml, not from
        # the dict given to Client(); this switch is what lets it talk to a plain-http server.
        os.environ["OKTA_TESTING_TESTINGDISABLEHTTPSCHECK"] = "true"
        client = Client({"orgUrl": base, "token": token})
        checks = Checks(client, base)
        for name, fn in [
            ("create groups", checks.create_groups),
            ("read a group", checks.read_group),
            ("list groups (paged, q)", checks.list_groups),
            ("create users", checks.create_users),
            ("read a user by login", checks.read_user),
            ("list users (paged)", checks.list_users),
            ("group memberships", checks.memberships),
            ("create an OIDC app, replace it with a profile", checks.create_app),
            ("read the app back", checks.read_app),
            ("replace the app with the model read back", checks.replace_with_model_read_back),
            ("assign a user and a group to the app", checks.assign_app),
            ("list app users (paged, USER/GROUP scopes)", checks.list_app_users),
            ("list app groups and a group's apps", checks.list_app_groups),
            ("list apps (paged, q)", checks.list_apps),
            ("errors in Okta's shape", checks.errors),
        ]:
            await checks.run(name, fn)
    finally:
        if server:
            server.stop()
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
