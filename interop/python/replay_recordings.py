"""Replays recorded Okta exchanges (VCR cassettes made by Okta's Python SDK integration tests)
against a fresh Tollgate per cassette and reports how many get the same status code, and how much
of each recorded JSON shape Tollgate's answer has.

The cassettes are not part of this repository; pass the folder that holds them:

    python3 interop/python/replay_recordings.py PATH/TO/cassettes [--only SUBSTRING] [--verbose]

Method (a measurement, not a test):
- each cassette runs against a new server over a new SQLite database;
- Okta's ids seen in recorded answers are paired with Tollgate's ids at the same place in
  Tollgate's answers, and later requests use Tollgate's ids;
- the recorder dropped most request bodies; a missing body of a POST/PUT is rebuilt from the
  recorded answer without its read-only fields (id, timestamps, `_links`, `_embedded`, status),
  except that an app assignment (`POST /api/v1/apps/{appId}/users`) keeps the user's `id`,
  which names the user it assigns;
- the shape score of an exchange is the share of the recorded answer's JSON key paths that
  Tollgate's answer also has (array items merged), counted where both statuses agree.
"""

import argparse
import glob
import json
import os
import re
import sys
import urllib.error
import urllib.request

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tollgate_server import Server  # noqa: E402

OKTA_ID = re.compile(r"^[0-9A-Za-z]{20}$")
TOKEN_LIKE = re.compile(r"^[0-9A-Za-z_-]{20,80}$")
ID_KEYS = {"id", "kid", "sessionToken", "stateToken", "userId", "groupId", "appId", "clientId", "client_id"}
RECORDED_ORIGIN = "https://test.okta.com"
ASSIGNMENT = re.compile(r"/api/v1/apps/[^/]+/users$")
READ_ONLY = {"id", "created", "lastUpdated", "_links", "_embedded", "status", "statusChanged",
             "activated", "lastLogin", "passwordChanged", "transitioningToStatus", "lastMembershipUpdated",
             "objectClass"}


def key_paths(value, prefix=""):
    """Every key path in a JSON value; array items share the path `prefix[]`."""
    paths = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            path = f"{prefix}.{key}"
            paths.add(path)
            paths |= key_paths(inner, path)
    elif isinstance(value, list):
        for inner in value:
            paths |= key_paths(inner, prefix + "[]")
    return paths


def pair_ids(recorded, ours, ids, key=""):
    """Records Okta-id -> Tollgate-id pairs found at the same places in two answers."""
    if isinstance(recorded, dict) and isinstance(ours, dict):
        for inner_key, inner in recorded.items():
            if inner_key in ours:
                pair_ids(inner, ours[inner_key], ids, inner_key)
    elif isinstance(recorded, list) and isinstance(ours, list):
        for rec_item, our_item in zip(recorded, ours):
            pair_ids(rec_item, our_item, ids, key)
    elif isinstance(recorded, str) and isinstance(ours, str) and recorded != ours:
        id_like = OKTA_ID.match(recorded) or (key in ID_KEYS and TOKEN_LIKE.match(recorded))
        if id_like and recorded not in ids:
            ids[recorded] = ours


def substitute(text, ids, base):
    text = text.replace(RECORDED_ORIGIN, base)
    for okta_id, our_id in ids.items():
        text = text.replace(okta_id, our_id)
    return text


def writable(value):
    if isinstance(value, dict):
        return {k: writable(v) for k, v in value.items() if k not in READ_ONLY}
    if isinstance(value, list):
        return [writable(v) for v in value]
    return value


def parse_json(text):
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def request_body(request, recorded_answer, last_user):
    if request["body"] is not None:
        body = request["body"]
        return body.decode() if isinstance(body, bytes) else body
    if request["uri"].endswith("/api/v1/authn") and last_user:
        # The recorder dropped the primary authentication body: sign in as the last user created.
        return json.dumps(last_user)
    if request["method"] in ("POST", "PUT") and isinstance(recorded_answer, dict):
        if "errorCode" in recorded_answer:
            return None
        body = writable(recorded_answer)
        if ASSIGNMENT.search(request["uri"]) and "id" in recorded_answer:
            body["id"] = recorded_answer["id"]
        return json.dumps(body)
    return None


def sign_in_of(body):
    """The authn body that signs in the user a users-create body makes, if it has a password."""
    created = parse_json(body)
    if not isinstance(created, dict):
        return None
    login = (created.get("profile") or {}).get("login")
    password = ((created.get("credentials") or {}).get("password") or {}).get("value")
    return {"username": login, "password": password} if login and password else None


def send(server, method, path, body):
    data = body.encode() if body is not None else None
    req = urllib.request.Request(server.base + path, data=data, method=method)
    req.add_header("Authorization", f"SSWS {server.token}")
    req.add_header("Accept", "application/json")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as answer:
            return answer.status, answer.read().decode(errors="replace")
    except urllib.error.HTTPError as answer:
        return answer.code, answer.read().decode(errors="replace")


def replay_cassette(path, verbose):
    """Replays one cassette; returns a list of (same_status, shape_score or None)."""
    cassette = yaml.safe_load(open(path, encoding="utf-8"))
    results = []
    server = Server()
    try:
        ids, last_user = {}, None
        for exchange in cassette["interactions"]:
            request, response = exchange["request"], exchange["response"]
            recorded_status = response["status"]["code"]
            recorded = parse_json((response.get("body") or {}).get("string"))
            uri = request["uri"]
            path = substitute(uri[len(RECORDED_ORIGIN):] if uri.startswith(RECORDED_ORIGIN) else uri, ids,
                              server.base)
            body = request_body(request, recorded, last_user)
            if "/api/v1/users" in uri and request["method"] == "POST" and body:
                last_user = sign_in_of(body) or last_user
            if body is not None:
                body = substitute(body, ids, server.base)
            status, text = send(server, request["method"], path, body)
            ours = parse_json(text)
            pair_ids(recorded, ours, ids)
            score = None
            if status == recorded_status and recorded:
                wanted = key_paths(recorded)
                if wanted:
                    score = len(wanted & key_paths(ours)) / len(wanted)
            results.append((status == recorded_status, score))
            if verbose and (status != recorded_status or (score is not None and score < 1)):
                missing = sorted(key_paths(recorded) - key_paths(ours))[:8] if score is not None else []
                print(f"  {request['method']} {path}: okta {recorded_status}, tollgate {status}"
                      + (f", missing {missing}" if missing else "")
                      + ("" if status == recorded_status else f" {text[:160]}"))
    finally:
        server.stop()
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cassettes", help="folder holding test_*_it/ folders of VCR YAML files")
    parser.add_argument("--only", default="", help="replay only cassettes whose path contains this")
    parser.add_argument("--verbose", action="store_true", help="print every mismatch")
    args = parser.parse_args()
    totals = {}
    for path in sorted(glob.glob(os.path.join(args.cassettes, "*", "*.yaml"))):
        if args.only not in path:
            continue
        if args.verbose:
            print(os.path.relpath(path, args.cassettes))
        folder = os.path.basename(os.path.dirname(path))
        totals.setdefault(folder, []).extend(replay_cassette(path, args.verbose))
    print(f"{'folder':38} {'exchanges':>9} {'same status':>12} {'shape':>6}")
    everything = []
    for folder, results in sorted(totals.items()):
        everything += results
        report(folder, results)
    report("all", everything)


def report(name, results):
    same = sum(1 for ok, _ in results if ok)
    scores = [s for _, s in results if s is not None]
    shape = sum(scores) / len(scores) if scores else float("nan")
    share = same / len(results) if results else float("nan")
    print(f"{name:38} {len(results):>9} {same:>5} ({share:4.0%}) {shape:>6.2f}")


if __name__ == "__main__":
    main()
