#!/usr/bin/env bash
# Shared helpers for the engine scripts in infra/. Sourced, never executed.
# Layout: downloads are cached under $ENGINES_CACHE (survives `rm -rf .data`),
# data and logs live under $DATA_DIR (git-ignored), one folder per engine.
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$INFRA_DIR/.." && pwd)"
DATA_DIR="${DATA_DIR:-$ROOT_DIR/.data}"
ENGINES_CACHE="${ENGINES_CACHE:-$HOME/.cache/lombardy-match-engines}"
mkdir -p "$DATA_DIR" "$ENGINES_CACHE"

log()  { printf '[%s] %s\n' "${ENGINE_NAME:-infra}" "$*" >&2; }
die()  { printf '[%s] ERROR: %s\n' "${ENGINE_NAME:-infra}" "$*" >&2; exit 1; }

# require_cmd <command> <hint>: fail with an actionable message when a tool is missing.
require_cmd() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' is required but not found on PATH. $2"
}

# Java 17 for Kafka and Elasticsearch 8: prefer an explicit JAVA17_HOME, then the Debian JDK.
java17_home() {
  local c
  for c in "${JAVA17_HOME:-}" /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk-arm64 /usr/lib/jvm/temurin-17-jdk-amd64; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] && { echo "$c"; return 0; }
  done
  if command -v java >/dev/null 2>&1 && java -version 2>&1 | grep -q 'version "17'; then
    dirname "$(dirname "$(readlink -f "$(command -v java)")")"; return 0
  fi
  die "Java 17 is required (set JAVA17_HOME, or: apt-get install -y openjdk-17-jdk-headless)"
}

# port_open <host> <port>: true when something accepts TCP connections there.
port_open() { (exec 3<>"/dev/tcp/$1/$2") >/dev/null 2>&1; }

# pid_alive <pidfile>: true when the pidfile names a running process.
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# wait_until <seconds> <description> <command...>: poll until the command succeeds.
wait_until() {
  local timeout="$1" what="$2"; shift 2
  local start=$SECONDS
  until "$@" >/dev/null 2>&1; do
    if (( SECONDS - start >= timeout )); then return 1; fi
    sleep 1
  done
  log "$what ready after $((SECONDS - start))s"
}

# stop_pidfile <pidfile> <name>: TERM, wait up to 30s, then KILL.
stop_pidfile() {
  local pidfile="$1" name="$2"
  if ! pid_alive "$pidfile"; then log "$name is not running"; rm -f "$pidfile"; return 0; fi
  local pid; pid="$(cat "$pidfile")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -0 "$pid" 2>/dev/null && { log "$name did not stop in 30s, killing"; kill -9 "$pid" 2>/dev/null || true; }
  rm -f "$pidfile"
  log "$name stopped"
}
