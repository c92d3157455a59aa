#!/usr/bin/env bash
# Every flow of one tollgate process against the ceiling measured by this script on this
# machine, in one run (issue 18, item 4). Each scenario prints the ceiling (what and how
# measured), the figure and the ratio; a summary table ends the run. See bench/README.md.
#
#   bench/flows-load.sh [all|cc|code|implicit|jwks|memory ...]     # default: all
#   TOLLGATE_BIN=path/to/tollgate BENCH_TOOLS_DIR=dir bench/flows-load.sh cc code
#   TOLLGATE_LOAD_DATABASE_URL=postgres://... bench/flows-load.sh   # PostgreSQL too (scratch DB)
#
# Scenarios (per backend: SQLite in a temp dir, then PostgreSQL when the URL is set):
#   cc        client credentials, wrk on POST /oauth2/default/v1/token; ceiling: openssl speed
#             -multi <cores> rsa2048 sign/s (target >= 0.80; PostgreSQL p99 <= 1.5 x SQLite's;
#             zero errors and timeouts); also shown against the server's own RS256 signer
#             (aws-lc-rs) measured bare on all cores (examples/ceiling.rs), which may be faster
#   code      authn + authorize with the session token + code exchange with PKCE, per second;
#             ceiling: bare argon2id verifications/s with the server's code and parameters on
#             all cores (examples/ceiling.rs) (target >= 0.90)
#   implicit  GET authorize (response_type=id_token, session cookie) for a user in 1,000 groups
#             with a 1,000-id allow-list and the seed's groups claim (40 match); ceiling: the
#             cc figure of the same backend in this run (runs cc if not selected) (target >= 0.90);
#             then the same for a user in no group, to show what the claim alone costs
#   jwks      GET /oauth2/default/v1/keys and .../.well-known/openid-configuration; target 20,000
#             requests/s; /healthz is shown as this machine's bare HTTP reference
#   memory    restart, idle VmRSS (target < 30 MiB), then cc + code + implicit load together for
#             LOAD_MEMORY_DURATION s and VmRSS/VmHWM (target < 100 MiB)
#
# Knobs: LOAD_DURATION (15, seconds per cc/code/implicit load), LOAD_JWKS_DURATION (8, each of
# the three GETs), LOAD_MEMORY_DURATION (60), CEILING_DURATION (10), LOAD_CONNECTIONS (32),
# LOAD_JWKS_CONNECTIONS (64), LOAD_THREADS (2, wrk threads), LOAD_FLOW_CONCURRENCY (8),
# LOAD_TIMEOUT (2, seconds before wrk counts a timeout), LOAD_GROUPS (1000), LOAD_ALLOW (1000),
# LOAD_PORT (18480), LOAD_SQLITE (1; 0 runs PostgreSQL only).
# The server runs with every rate limit, the failed sign-in throttles and the hashing-slot wait
# set far above what the load reaches, so none of them shapes a figure (the per-slot hashing
# concurrency stays at its default, one per core). Bounded: every load stops by itself, the
# server listens on 127.0.0.1 only and is stopped by its PID on exit; the temp dir is removed.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
secs() { local v=${1%s}; [[ "$v" =~ ^[0-9]+$ ]] || { echo "not a number of seconds: $1" >&2; exit 2; }; echo "$v"; }
duration=$(secs "${LOAD_DURATION:-15}")
jwks_duration=$(secs "${LOAD_JWKS_DURATION:-8}")
memory_duration=$(secs "${LOAD_MEMORY_DURATION:-60}")
ceiling_duration=$(secs "${CEILING_DURATION:-10}")
conns=${LOAD_CONNECTIONS:-32}
jwks_conns=${LOAD_JWKS_CONNECTIONS:-64}
threads=${LOAD_THREADS:-2}
flow_conc=${LOAD_FLOW_CONCURRENCY:-8}
timeout=${LOAD_TIMEOUT:-2}
port=${LOAD_PORT:-18480}
cores=$(nproc)
big=4000000000

selected=" ${*:-all} "
[[ "$selected" == *" all "* ]] && selected=" cc code implicit jwks memory "
for s in $selected; do
  [[ " cc code implicit jwks memory " == *" $s "* ]] || { echo "unknown scenario: $s (cc code implicit jwks memory all)" >&2; exit 2; }
done
want() { [[ "$selected" == *" $1 "* ]]; }
# The implicit ratio is to the cc figure of the same run.
want implicit && ! want cc && selected="$selected cc "

for tool in wrk curl openssl awk; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install -y wrk curl openssl gawk)" >&2; exit 1; }
done

work=$(mktemp -d -t tollgate-flows.XXXXXX)
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Binaries, copied at once: a shared target directory may be rebuilt under us.
bin=${TOLLGATE_BIN:-}
tools=${BENCH_TOOLS_DIR:-}
if [[ -z "$bin" || -z "$tools" ]]; then
  target=${CARGO_TARGET_DIR:-$root/target}
  (cd "$root" && cargo build --release -p tollgate --quiet --bin tollgate --example flow_load --example ceiling)
  [[ -n "$bin" ]] || bin="$target/release/tollgate"
  [[ -n "$tools" ]] || tools="$target/release/examples"
fi
cp "$bin" "$work/tollgate" && cp "$tools/flow_load" "$tools/ceiling" "$work/"
bin="$work/tollgate" flow="$work/flow_load"

# --- results -------------------------------------------------------------------------------
summary="$work/summary.tsv"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
verdict() { # ratio op target
  awk -v r="$1" -v op="$2" -v t="$3" 'BEGIN { if (r == "n/a") print "n/a";
    else if ((op == ">=" && r + 0 >= t) || (op == "<=" && r + 0 <= t)) print "ok"; else print "MISS" }'
}
record() { # backend scenario figure ceiling ratio target
  local v; v=$(verdict "$5" "${6% *}" "${6#* }")
  printf '%s\t%s\t%s\t%s\t%s\t%s %s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$v" >>"$summary"
}

# --- ceilings, measured before any server runs ------------------------------------------
echo "machine: $cores cores, load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v c="$cores" '{ if ($1 > c / 2) print "  (warning: the machine is busy; figures and ceilings will be noisy)" }' /proc/loadavg
rsa_ceiling() {
  openssl speed -seconds "$ceiling_duration" -multi "$cores" rsa2048 2>/dev/null |
    awk '/sign\/s/ { for (i = 1; i <= NF; i++) if ($i == "sign/s") col = i + 3 } /^rsa 2048 bits/ && col { v = $col } END { print v }'
}
argon_ceiling() { "$work/ceiling" argon2id "$ceiling_duration" "$cores" | grep '^RESULT'; }
rs256_ceiling() { "$work/ceiling" rs256 "$ceiling_duration" "$cores" | awk '/^RESULT/ { print $2 }'; }
rsa=$(rsa_ceiling)
[[ -n "$rsa" ]] || { echo "could not parse openssl speed's output" >&2; exit 1; }
echo "ceiling RSA-2048: $rsa signs/s (openssl speed -seconds $ceiling_duration -multi $cores rsa2048)"
rs256=""
if want cc; then
  rs256=$(rs256_ceiling)
  echo "reference RS256: $rs256 signs/s (the server's signer, aws-lc-rs, bare, $cores threads, examples/ceiling.rs)"
fi
argon=""
if want code; then
  read -r _ argon _ _ _ argon_params <<<"$(argon_ceiling)"
  echo "ceiling argon2id: $argon verifications/s ($argon_params, $cores threads, ${ceiling_duration} s, examples/ceiling.rs)"
fi

# --- the server -----------------------------------------------------------------------------
base="http://127.0.0.1:$port"
start_server() { # url label
  (cd "$work" && exec "$bin" serve --listen "127.0.0.1:$port" --database-url "$1" --create \
      --bootstrap-token "$token" --rate-limit-admin "$big" --rate-limit-authn "$big" \
      --rate-limit-oauth "$big" --rate-limit-anonymous "$big" --password-hash-wait-ms 600000 \
      --failed-sign-ins-per-ip "$big" --failed-sign-ins-per-username "$big" \
      >>"$work/server-$2.log" 2>&1) &
  server_pid=$!
  for _ in $(seq 300); do
    curl -sf "$base/readyz" >/dev/null 2>&1 && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server-$2.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "the server did not get ready in 30 s" >&2; exit 1
}
stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
rss_mib() { awk -v k="$1:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status"; }

# wrk with a script: $1 label, $2 duration, $3 connections, $4 method, $5 path, $6 body,
# $7 extra header "Name: value" (or ""), $8 what a good response's Location holds ("" = any
# status under 400). Prints RESULT rps p50_ms p99_ms requests errors timeouts.
load() {
  local lua="$work/$1.lua" hname="" hvalue=""
  [[ -n "$7" ]] && { hname=${7%%: *}; hvalue=${7#*: }; }
  cat >"$lua" <<LUA
wrk.method = "$4"
wrk.body = [[$6]]
if wrk.body == "" then wrk.body = nil else wrk.headers["Content-Type"] = "application/x-www-form-urlencoded" end
if "$hname" ~= "" then wrk.headers["$hname"] = [[$hvalue]] end
bad = 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
local want = [[$8]]
if want ~= "" then
  response = function(status, headers, body)
    local loc = headers["location"] or headers["Location"] or ""
    if status ~= 302 or not string.find(loc, want, 1, true) then bad = bad + 1 end
  end
end
done = function(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + (t:get("bad") or 0) end
  local e = summary.errors
  io.write(string.format("RESULT %.1f %.2f %.2f %d %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests,
    e.status + e.connect + e.read + e.write + b, e.timeout))
end
LUA
  wrk -t"$threads" -c"$3" -d"$2"s --timeout "${timeout}s" --latency -s "$lua" "$base$5" |
    grep '^RESULT' || { echo "RESULT 0 0 0 0 1 0"; echo "wrk failed ($1)" >&2; }
}

cc_load() { # duration connections
  load cc "$1" "$2" POST /oauth2/default/v1/token "grant_type=client_credentials&scope=$CC_SCOPE" \
    "Authorization: Basic $(printf '%s:%s' "$CC_CLIENT_ID" "$CC_CLIENT_SECRET" | base64 -w0)" ""
}
implicit_load() { # duration connections [sid: the groups user's by default]
  load implicit "$1" "$2" GET "$IMPLICIT_PATH" "" "Cookie: sid=${3:-$GROUPS_SID}" "id_token="
}
code_load() { # duration
  "$flow" code --base "$base" --client-id "$WEB_CLIENT_ID" --client-secret "$WEB_CLIENT_SECRET" \
    --users "$FLOW_USERS" --password "$FLOW_PASSWORD" --concurrency "$flow_conc" --seconds "$1"
}

run_backend() { # url label
  local url=$1 label=$2
  token="load-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  if [[ "$url" == postgres* && -z "${TOLLGATE_MASTER_KEY:-}" ]]; then
    export TOLLGATE_MASTER_KEY
    TOLLGATE_MASTER_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  fi
  echo
  echo "== $label =="
  start_server "$url" "$label"
  sleep 2
  echo "[$label] idle right after the first start (empty org): VmRSS $(rss_mib VmRSS) MiB"
  # The 1,960 groups only when a scenario uses them.
  local groups=(--groups "${LOAD_GROUPS:-1000}" --allow "${LOAD_ALLOW:-1000}")
  want implicit || want memory || groups=(--groups 0 --allow 0 --overlap 0)
  "$flow" setup --base "$base" --token "$token" "${groups[@]}" --users "$flow_conc" >"$work/setup.env"
  while IFS='=' read -r k v; do printf -v "$k" '%s' "$v"; done <"$work/setup.env"

  local rps p50 p99 n err to r
  if want cc; then
    read -r _ rps p50 p99 n err to <<<"$(cc_load "$duration" "$conns")"
    r=$(ratio "$rps" "$rsa")
    echo "[$label] cc: $rps tokens/s, p50 $p50 ms, p99 $p99 ms, $n requests, $err errors, $to timeouts;" \
      "ceiling RSA-2048 $rsa signs/s (openssl, $cores cores); ratio $r (target >= 0.80)"
    record "$label" cc "$rps tokens/s" "$rsa RSA signs/s" "$r" ">= 0.80"
    echo "[$label] cc against the server's own signer: $rs256 RS256 signs/s bare; ratio $(ratio "$rps" "$rs256")"
    record "$label" "cc/server signer" "$rps tokens/s" "$rs256 RS256 signs/s" "$(ratio "$rps" "$rs256")" ">= 0.80"
    record "$label" "cc errors+timeouts" "$((err + to)) of $n" "-" "$((err + to))" "<= 0"
    printf -v "cc_rps_$label" '%s' "$rps"
    printf -v "cc_p99_$label" '%s' "$p99"
  fi
  if want code; then
    local out
    out=$(code_load "$duration")
    grep -v '^RESULT' <<<"$out" | sed "s/^/[$label] /"
    read -r _ rps p50 p99 n err to <<<"$(grep '^RESULT' <<<"$out")"
    r=$(ratio "$rps" "$argon")
    echo "[$label] code flow: $rps flows/s; ceiling argon2id $argon verifications/s (same cores); ratio $r (target >= 0.90)"
    record "$label" "code flow" "$rps flows/s" "$argon argon2id/s" "$r" ">= 0.90"
    record "$label" "code errors+timeouts" "$((err + to)) of $n" "-" "$((err + to))" "<= 0"
  fi
  if want implicit; then
    local cc_rps_var="cc_rps_$label"
    read -r _ rps p50 p99 n err to <<<"$(implicit_load "$duration" "$conns")"
    r=$(ratio "$rps" "${!cc_rps_var}")
    echo "[$label] implicit (id_token, user in ${LOAD_GROUPS:-1000} groups, ${LOAD_ALLOW:-1000}-id allow-list, $CLAIM_GROUPS in the claim):" \
      "$rps tokens/s, p50 $p50 ms, p99 $p99 ms, $err errors, $to timeouts; ceiling cc ${!cc_rps_var} tokens/s (this run); ratio $r (target >= 0.90)"
    record "$label" implicit "$rps tokens/s" "${!cc_rps_var} cc tokens/s" "$r" ">= 0.90"
    # The same flow for a user in no group: what the claim itself costs.
    local plain
    read -r _ plain p50 p99 n err to <<<"$(implicit_load "$duration" "$conns" "$PLAIN_SID")"
    r=$(ratio "$rps" "$plain")
    echo "[$label] implicit for a user in no group (no claim to compute): $plain tokens/s, p99 $p99 ms, $err errors;" \
      "groups-claim case / this: $r (the claim's cost: target >= 0.90)"
    record "$label" "implicit/no-groups" "$rps tokens/s" "$plain no-group tokens/s" "$r" ">= 0.90"
  fi
  if want jwks; then
    local href path name
    read -r _ href _ _ _ _ <<<"$(load healthz "$jwks_duration" "$jwks_conns" GET /healthz "" "" "")"
    echo "[$label] reference: /healthz $href requests/s (wrk, $jwks_conns connections)"
    for path in /oauth2/default/v1/keys /oauth2/default/.well-known/openid-configuration; do
      name=jwks; [[ "$path" == *well-known* ]] && name=discovery
      read -r _ rps p50 p99 n err to <<<"$(load "$name" "$jwks_duration" "$jwks_conns" GET "$path" "" "" "")"
      r=$(ratio "$rps" 20000)
      echo "[$label] $name: $rps requests/s, p99 $p99 ms, $err errors, $to timeouts; target 20000/s; ratio $r (target >= 1.00);" \
        "$(ratio "$rps" "$href") of /healthz"
      record "$label" "$name" "$rps req/s" "20000 req/s (target)" "$r" ">= 1.00"
    done
  fi
  if want memory; then
    stop_server
    start_server "$url" "$label"
    sleep 3
    local idle after peak
    idle=$(rss_mib VmRSS)
    echo "[$label] memory: idle after a restart $idle MiB; now ${memory_duration} s of cc + code + implicit load together"
    cc_load "$memory_duration" "$((conns / 2))" >"$work/mem-cc" &
    local p1=$!
    implicit_load "$memory_duration" "$((conns / 2))" >"$work/mem-implicit" &
    local p2=$!
    code_load "$memory_duration" >"$work/mem-code" &
    local p3=$!
    wait "$p1" "$p2" "$p3"
    after=$(rss_mib VmRSS) peak=$(rss_mib VmHWM)
    echo "[$label] memory: VmRSS after the load $after MiB (peak VmHWM $peak MiB);" \
      "cc $(awk '{print $2}' "$work/mem-cc") tokens/s, implicit $(awk '{print $2}' "$work/mem-implicit") tokens/s," \
      "code $(grep '^RESULT' "$work/mem-code" | awk '{print $2}') flows/s meanwhile"
    record "$label" "memory idle" "$idle MiB" "30 MiB (target)" "$(ratio "$idle" 30)" "<= 1.00"
    record "$label" "memory after load" "$after MiB (peak $peak)" "100 MiB (target)" "$(ratio "$after" 100)" "<= 1.00"
  fi
  stop_server
  # Colours stripped (the log may carry them even into a file); the timestamp too, so that
  # repeated warnings group together.
  sed -E $'s/\x1b\\[[0-9;]*m//g' "$work/server-$label.log" | grep -E '^[^ ]+ +(WARN|ERROR) ' \
    >"$work/warn-$label.log" || true
  echo "[$label] server log: $(wc -l <"$work/warn-$label.log") WARN/ERROR lines"
  sed -E 's/^[^ ]+ +//; s/[0-9]+(\.[0-9]+)?/N/g' "$work/warn-$label.log" | cut -c1-160 |
    sort | uniq -c | sort -rn | head -5 || true
}

if [[ "${LOAD_SQLITE:-1}" != 0 ]]; then
  run_backend "sqlite://$work/load.db" sqlite
fi
if [[ -n "${TOLLGATE_LOAD_DATABASE_URL:-}" ]]; then
  run_backend "$TOLLGATE_LOAD_DATABASE_URL" postgres
fi
if want cc && [[ -n "${cc_p99_sqlite:-}" && -n "${cc_p99_postgres:-}" ]]; then
  r=$(ratio "$cc_p99_postgres" "$cc_p99_sqlite")
  echo
  echo "cc p99: PostgreSQL $cc_p99_postgres ms / SQLite $cc_p99_sqlite ms = $r (target <= 1.50)"
  record both "cc p99 pg/sqlite" "$cc_p99_postgres ms" "$cc_p99_sqlite ms (SQLite)" "$r" "<= 1.50"
fi

# The ceilings again: how much the machine itself moved during the run.
spread() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; m = (a > b) ? a : b; printf "%.0f", (m > 0) ? 100 * d / m : 0 }'; }
echo
rsa_end=$(rsa_ceiling)
echo "ceilings again at the end: RSA-2048 $rsa_end signs/s (start $rsa, spread $(spread "$rsa" "$rsa_end")%)"
if want cc; then
  rs256_end=$(rs256_ceiling)
  echo "  RS256 (server's signer) $rs256_end signs/s (start $rs256, spread $(spread "$rs256" "$rs256_end")%)"
fi
if want code; then
  read -r _ argon_end _ <<<"$(argon_ceiling)"
  echo "  argon2id $argon_end verifications/s (start $argon, spread $(spread "$argon" "$argon_end")%)"
fi
echo "  (ratios use the start's figures; a spread above 10% means the machine was busy: rerun)"

echo
echo "== summary (ratios to ceilings measured in this run; $cores cores) =="
{ printf 'backend\tscenario\tfigure\tceiling\tratio\ttarget\n'; cat "$summary" 2>/dev/null; } |
  column -t -s $'\t'
