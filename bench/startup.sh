#!/usr/bin/env bash
# How soon a fresh org answers: starts the server on an empty SQLite database RUNS times and
# reports, per run and as the median, the milliseconds from the process start to the first
# discovery answer and to the first JWKS that holds a key (the signing keys of a fresh org are
# generated in the background; the JWKS waits for them and never answers without the key that
# signs). For reference it prints one bare RSA-2048 key generation on this machine (openssl).
#
#   bench/startup.sh                         # builds the release binary
#   TOLLGATE_BIN=path/to/tollgate RUNS=5 bench/startup.sh
# Bounded: each run waits at most 10 s; the server listens on 127.0.0.1 only and is stopped by
# its PID; the temp dir is removed.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-5}
port=${LOAD_PORT:-18490}
bin=${TOLLGATE_BIN:-}
if [[ -z "$bin" ]]; then
  (cd "$root" && cargo build --release -p tollgate --quiet)
  bin=${CARGO_TARGET_DIR:-$root/target}/release/tollgate
fi
work=$(mktemp -d -t tollgate-startup.XXXXXX)
pid=""
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
wait_for() { # url, grep pattern, start
  local deadline=$(( $(date +%s) + 10 ))
  until curl -sf "$1" 2>/dev/null | grep -q "$2"; do
    (( $(date +%s) < deadline )) || { echo "no answer from $1 within 10 s" >&2; exit 1; }
    sleep 0.005
  done
  ms_since "$3"
}

firsts=() jwks=()
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  "$bin" serve --listen "127.0.0.1:$port" --database-url "sqlite://$work/run$i.db" --create \
    --bootstrap-token "startup-bench-token-$i" >"$work/run$i.log" 2>&1 &
  pid=$!
  first=$(wait_for "http://127.0.0.1:$port/.well-known/openid-configuration" issuer "$start")
  keys=$(wait_for "http://127.0.0.1:$port/oauth2/v1/keys" kid "$start")
  echo "run $i: first answer ${first} ms, JWKS with its key ${keys} ms"
  firsts+=("$first") jwks+=("$keys")
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median: first answer $(median "${firsts[@]}") ms (target 300), JWKS with its key $(median "${jwks[@]}") ms"
if command -v openssl >/dev/null; then
  start=$(date +%s%N)
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out /dev/null 2>/dev/null
  echo "reference: one RSA-2048 key generation with openssl took $(ms_since "$start") ms here"
fi
