#!/usr/bin/env bash
# Client-credentials token throughput of one tollgate process: tokens/s, p50, p99 and the
# server's peak RSS, with wrk (32 connections, 20 s) against POST /oauth2/default/v1/token.
#
#   bench/token-load.sh                      # builds the release binary, SQLite in a temp dir
#   TOLLGATE_BIN=path/to/tollgate bench/token-load.sh
#   TOLLGATE_LOAD_DATABASE_URL=postgres://... bench/token-load.sh   # also on PostgreSQL
#                                            # (the database must be empty or a tollgate one)
# Knobs: LOAD_CONNECTIONS (32), LOAD_DURATION (20s), LOAD_THREADS (2), LOAD_PORT (18480).
# Bounded: wrk stops by itself and the server is stopped by its PID on exit.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
conns=${LOAD_CONNECTIONS:-32}
duration=${LOAD_DURATION:-20s}
threads=${LOAD_THREADS:-2}
port=${LOAD_PORT:-18480}

command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null || { echo "wrk is needed (apt-get install -y wrk)" >&2; exit 1; }; }
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }

bin=${TOLLGATE_BIN:-}
if [[ -z "$bin" ]]; then
  (cd "$root" && cargo build --release -p tollgate --quiet)
  target=${CARGO_TARGET_DIR:-$root/target}
  bin=$(mktemp -t tollgate-load-bin.XXXXXX)
  # Copied at once: a shared target directory may be rebuilt under us.
  cp "$target/release/tollgate" "$bin"
  chmod +x "$bin"
fi

work=$(mktemp -d -t tollgate-load.XXXXXX)
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

run_one() { # $1: database URL, $2: label
  local url=$1 label=$2 base="http://127.0.0.1:$port" token
  token="load-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  # PostgreSQL takes the key that seals signing keys from the environment; a fresh one per
  # run suits a scratch database.
  if [[ "$url" == postgres* && -z "${TOLLGATE_MASTER_KEY:-}" ]]; then
    export TOLLGATE_MASTER_KEY
    TOLLGATE_MASTER_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  fi
  (cd "$work" && exec "$bin" serve --listen "127.0.0.1:$port" --database-url "$url" \
      --bootstrap-token "$token" --rate-limit-oauth 4000000000 >"$work/server-$label.log" 2>&1) &
  server_pid=$!
  for _ in $(seq 100); do
    curl -sf "$base/.well-known/openid-configuration" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server-$label.log" >&2; exit 1; }
    sleep 0.1
  done
  api() { # method path body
    curl -sS -X "$1" "$base$2" -H "Authorization: SSWS $token" -H 'Accept: application/json' \
      -H 'Content-Type: application/json' ${3:+--data "$3"}
  }
  local scope="load.read"
  api POST /api/v1/authorizationServers/default/scopes \
    "{\"name\":\"$scope\",\"description\":\"Load test\",\"metadataPublish\":\"NO_CLIENTS\"}" >/dev/null
  # The seeded Default Policy Rule allows client_credentials for every client and scope; a rule
  # of our own at priority 1 makes the scenario independent of that seed.
  local policy
  policy=$(api GET /api/v1/authorizationServers/default/policies |
    python3 -c 'import json,sys; print(next(p["id"] for p in json.load(sys.stdin) if p["name"]=="Default Policy"))')
  api POST "/api/v1/authorizationServers/default/policies/$policy/rules" \
    '{"type":"RESOURCE_ACCESS","name":"Load","priority":1,"conditions":{"people":{"groups":{"include":["EVERYONE"]}},"grantTypes":{"include":["client_credentials"]},"scopes":{"include":["*"]}},"actions":{"token":{"accessTokenLifetimeMinutes":60,"refreshTokenLifetimeMinutes":0,"refreshTokenWindowMinutes":10080}}}' >/dev/null
  local app id secret
  app=$(api POST /api/v1/apps '{"name":"oidc_client","label":"Load service","signOnMode":"OPENID_CONNECT","credentials":{"oauthClient":{"token_endpoint_auth_method":"client_secret_basic"}},"settings":{"oauthClient":{"grant_types":["client_credentials"],"response_types":["token"],"application_type":"service"}}}')
  id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["credentials"]["oauthClient"]["client_id"])' "$app")
  secret=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["credentials"]["oauthClient"]["client_secret"])' "$app")
  local basic body="grant_type=client_credentials&scope=$scope"
  basic=$(printf '%s:%s' "$id" "$secret" | base64 -w0)

  local sample status
  sample=$(curl -sS -w '\n%{http_code}' -X POST "$base/oauth2/default/v1/token" \
    -H "Authorization: Basic $basic" -H 'Content-Type: application/x-www-form-urlencoded' --data "$body")
  status=${sample##*$'\n'}
  if [[ "$status" != 200 ]] || ! grep -q '"access_token"' <<<"$sample"; then
    echo "[$label] sample token request failed: $sample" >&2
    exit 1
  fi

  cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = "$body"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $basic"
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.3f %.3f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
  local out
  out=$(wrk -t"$threads" -c"$conns" -d"$duration" --latency -s "$work/post.lua" "$base/oauth2/default/v1/token")
  local rss
  rss=$(awk '/VmHWM/ {print $2, $3}' "/proc/$server_pid/status")
  read -r _ rps p50 p99 total errors <<<"$(grep '^RESULT' <<<"$out")"
  printf '[%s] %s connections, %s: %s tokens/s, p50 %s ms, p99 %s ms, %s requests, %s errors/non-2xx, server peak RSS %s\n' \
    "$label" "$conns" "$duration" "$rps" "$p50" "$p99" "$total" "$errors" "$rss"
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

run_one "sqlite://$work/load.db" sqlite
if [[ -n "${TOLLGATE_LOAD_DATABASE_URL:-}" ]]; then
  run_one "$TOLLGATE_LOAD_DATABASE_URL" postgres
fi
