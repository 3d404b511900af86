#!/usr/bin/env bash
# FerretDB (MongoDB wire protocol, SQLite backend) for local dev and tests.
#
#   bash infra/ferretdb.sh build|start|stop|status|logs [-f]
#
# The server is a tiny Go program (infra/ferretdb/main.go) that embeds FerretDB v1.24.2
# as a library; it is built once into $ENGINES_CACHE (keyed by a hash of its sources)
# and never into the repo. Data: .data/ferretdb/data/, log: .data/ferretdb/ferretdb.log.
#
# Env: MONGO_PORT (default 27017), MONGO_HOST (default 127.0.0.1), FERRETDB_LOG_LEVEL
# (debug|info|warn|error, default info), FERRETDB_GOGC (400), FERRETDB_GOMEMLIMIT (3GiB). Needs Go >= 1.24 (no CGO: SQLite is pure Go).
# Connection string: mongodb://127.0.0.1:27017/<db>  (no auth, no replica set).
set -euo pipefail
ENGINE_NAME=ferretdb
# shellcheck source=infra/common.sh
source "$(dirname "$0")/common.sh"

SRC_DIR="$INFRA_DIR/ferretdb"
FERRET_DIR="$DATA_DIR/ferretdb"
DB_DIR="$FERRET_DIR/data"
PIDFILE="$FERRET_DIR/ferretdb.pid"
LOGFILE="$FERRET_DIR/ferretdb.log"
MONGO_HOST="${MONGO_HOST:-127.0.0.1}"
MONGO_PORT="${MONGO_PORT:-27017}"
ADDR="$MONGO_HOST:$MONGO_PORT"
START_TIMEOUT="${FERRETDB_START_TIMEOUT:-60}"
# PostgreSQL handler is not needed: smaller binary, faster build.
BUILD_TAGS="ferretdb_no_postgresql"
BIN_PREFIX="ferretdb-embedded"

# Never let go.mod's go/toolchain lines trigger a toolchain download.
export GOTOOLCHAIN=local

# FerretDB v1.24.2 filters every `_id` statement on `_ferretdb_sjson->'$._id'` but creates the
# `_id` index on `_ferretdb_sjson->"_id"`: SQLite does not take them for the same expression, so
# each find/update/delete by `_id` scans and parses the whole table (NOTES.md: 40–100x slower
# at 3,000 documents of 7 KB). The build uses a copy of the module whose query expression is
# written like the index (`->'_id'` means `->'$._id'` in SQLite); existing databases keep working.
ID_COLUMN_FROM="IDColumn = DefaultColumn + \"->'\$._id'\""
ID_COLUMN_TO="IDColumn = DefaultColumn + \"->'_id'\""
# Every find asks the backend whether its collection is capped through ListCollections(name),
# which the SQLite backend answers by copying and sorting the metadata of EVERY collection of the
# database, then binary-searching the one it wants: ~12 % of FerretDB's CPU during the pipeline
# bench (perf, session 10; profiles and events hold ~600 partition collections each). The second
# patch looks the one collection up by name instead (same result, same lock).
LIST_ONE_FROM=$'\tlist, err := db.r.CollectionList(ctx, db.name)\n\tif err != nil {\n\t\treturn nil, lazyerrors.Error(err)\n\t}\n'
LIST_ONE_TO=$'\tvar list []*metadata.Collection\n\tvar err error\n\tif params != nil && len(params.Name) > 0 {\n\t\tif c := db.r.CollectionGet(ctx, db.name, params.Name); c != nil {\n\t\t\tlist = []*metadata.Collection{c}\n\t\t}\n\t} else if list, err = db.r.CollectionList(ctx, db.name); err != nil {\n\t\treturn nil, lazyerrors.Error(err)\n\t}\n'

# The backend narrows a query to one row by `_id` only when the filter is `{_id: <string>}` and
# nothing else: `{_id, org}` (release a key only if still ours) or `{_id, owner, until}` (remove an
# expired lock) scanned and decoded the whole table. The handler filters every row the backend
# returns in Go whatever the backend applied (its contract: "Filter may be ignored, or safely
# applied partially"), so the third patch narrows by `_id` whenever the filter has one `_id`
# equality among other conditions.
ID_PUSHDOWN_FROM=$'\tif params.Filter.Len() == 1 {\n\t\tv, _ := params.Filter.Get("_id")\n\t\tswitch v.(type) {\n\t\tcase string, types.ObjectID:\n\t\t\twhereClause ='
ID_PUSHDOWN_TO=$'\tids := 0\n\tfor _, k := range params.Filter.Keys() {\n\t\tif k == "_id" {\n\t\t\tids++\n\t\t}\n\t}\n\tif ids == 1 {\n\t\tv, _ := params.Filter.Get("_id")\n\t\tswitch v.(type) {\n\t\tcase string, types.ObjectID:\n\t\t\twhereClause ='

# The other patches replace whole files of the module with infra/ferretdb/patches/<file>, each
# checked against the original's sha256 so that another FerretDB version fails the build instead
# of losing code (file in the module : replacement : sha256 of the original):
# - internal/util/fsql/db.go: SQLite has one writer per database file; FerretDB lets concurrent
#   writers meet in SQLite's busy handler, which sleeps 1, 2, 5, 10 … 100 ms between tries
#   whatever the holder still needs: under 4–8 concurrent writes the waiting made the tail
#   (NOTES.md, session 12: single-document writes p95 21–56 → 9–17 ms, max 110–640 → 20–55 ms).
#   One writer slot per database, taken by every write transaction and write statement, handed
#   on in order. Also: statements are logged only when debug logging is on (below).
# - internal/util/fsql/tx.go: every statement called slog's With(args…) twice, which formats
#   the statement's arguments (whole JSON documents) even at info level: ~4 % of the server's
#   CPU under the profiles bench (perf, session 13). Now only when debug is on.
# - internal/util/resource/resource.go: every transaction and iterator was added to a pprof
#   profile with the stack that created it (a leak detector for FerretDB's own tests, whose
#   finalizer panics the server): ~11 % of its CPU under the same bench. Now a no-op.
REPLACEMENTS=(
  "internal/util/fsql/db.go:fsql_db.go:e2f41698e31936d22764ac57403181cce666072751846454401558017db8068f"
  "internal/util/fsql/tx.go:fsql_tx.go:a0bc377f9366de7cecb3b2ad1a07a53fcaa40df1afb49794db5da92f89564d07"
  "internal/util/resource/resource.go:resource.go:0d9f95cef87362b4670eaac8884601170987118ef4cdd3acefc52ef454e30364"
)

binary_path() {
  local hash
  hash="$(cat "$SRC_DIR/main.go" "$SRC_DIR/go.mod" "$SRC_DIR/go.sum" "$SRC_DIR"/patches/*.go \
    <(echo "tags=$BUILD_TAGS patch=$ID_COLUMN_TO patch2=$LIST_ONE_TO patch3=$ID_PUSHDOWN_TO replacements=${REPLACEMENTS[*]}") \
    | sha256sum | cut -c1-16)"
  echo "$ENGINES_CACHE/$BIN_PREFIX-$hash"
}

# patched_sources <dir>: main.go + go.mod in <dir>/src, building against <dir>/ferretdb (the
# module with the index-friendly `_id` expression, the one-collection ListCollections and the
# replaced files).
patched_sources() {
  local work="$1" mod meta content
  mkdir -p "$work/src"
  cp "$SRC_DIR/main.go" "$SRC_DIR/go.mod" "$SRC_DIR/go.sum" "$work/src/"
  mod="$(cd "$work/src" && go mod download -json github.com/FerretDB/FerretDB | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$mod" ] || die "could not download github.com/FerretDB/FerretDB"
  cp -r "$mod" "$work/ferretdb"
  chmod -R u+w "$work/ferretdb"
  meta="$work/ferretdb/internal/backends/sqlite/metadata/metadata.go"
  content="$(cat "$meta")"
  [[ "$content" == *"$ID_COLUMN_FROM"* ]] || die "FerretDB's IDColumn is not what the patch expects: check $meta"
  printf '%s\n' "${content/"$ID_COLUMN_FROM"/"$ID_COLUMN_TO"}" >"$meta"
  local dbgo="$work/ferretdb/internal/backends/sqlite/database.go"
  content="$(cat "$dbgo")"
  [[ "$content" == *"$LIST_ONE_FROM"* ]] || die "FerretDB's ListCollections is not what the patch expects: check $dbgo"
  printf '%s\n' "${content/"$LIST_ONE_FROM"/"$LIST_ONE_TO"}" >"$dbgo"
  local colgo="$work/ferretdb/internal/backends/sqlite/collection.go"
  content="$(cat "$colgo")"
  [[ "$content" == *"$ID_PUSHDOWN_FROM"* ]] || die "FerretDB's Query pushdown is not what the patch expects: check $colgo"
  printf '%s\n' "${content/"$ID_PUSHDOWN_FROM"/"$ID_PUSHDOWN_TO"}" >"$colgo"
  local entry file patch sha
  for entry in "${REPLACEMENTS[@]}"; do
    IFS=: read -r file patch sha <<<"$entry"
    [ "$(sha256sum "$work/ferretdb/$file" | cut -d' ' -f1)" = "$sha" ] || die "FerretDB's $file is not the one infra/ferretdb/patches/$patch replaces: check $work/ferretdb/$file"
    cp "$SRC_DIR/patches/$patch" "$work/ferretdb/$file"
  done
  (cd "$work/src" && go mod edit -replace github.com/FerretDB/FerretDB=../ferretdb)
}

cmd_build() {
  local bin; bin="$(binary_path)"
  if [ -x "$bin" ]; then log "using cached build $bin"; return 0; fi
  require_cmd go "Install Go >= 1.24 (https://go.dev/dl or: apt-get install -y golang-go if recent enough)."
  log "building $bin (first build downloads modules and takes a few minutes)"
  local tmp="$bin.tmp.$$" work="$bin.src.$$" start=$SECONDS
  rm -rf "$work"
  patched_sources "$work"
  if ! (cd "$work/src" && CGO_ENABLED=0 go build -mod=readonly -trimpath -tags "$BUILD_TAGS" -o "$tmp" .); then
    rm -rf "$tmp" "$work"; die "go build failed (Go $(go env GOVERSION 2>/dev/null || echo '?'); FerretDB v1.24.2 needs Go >= 1.24)"
  fi
  rm -rf "$work"
  mv -f "$tmp" "$bin"
  log "built in $((SECONDS - start))s"
}

pid_cmdline() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true; }

# our_pid_alive: the pidfile names a running ferretdb-embedded process (guards against pid reuse).
our_pid_alive() {
  pid_alive "$PIDFILE" || return 1
  [[ "$(pid_cmdline "$(cat "$PIDFILE")")" == *"$BIN_PREFIX"* ]]
}

healthy() { "$(binary_path)" -check -listen "$ADDR" -timeout 2s >/dev/null 2>&1; }

# log_tail: the last lines written since the latest start marker.
log_tail() {
  [ -f "$LOGFILE" ] || return 0
  echo "----- $LOGFILE (this start) -----" >&2
  awk '/^===== start /{buf=""} {buf=buf $0 "\n"} END{printf "%s", buf}' "$LOGFILE" | tail -n 40 >&2
}

wait_healthy() {
  local pid="$1" start=$SECONDS
  while (( SECONDS - start < START_TIMEOUT )); do
    if ! kill -0 "$pid" 2>/dev/null; then
      log_tail; rm -f "$PIDFILE"; die "ferretdb (pid $pid) exited during startup"
    fi
    if healthy; then log "ferretdb ready on mongodb://$ADDR after $((SECONDS - start))s (pid $pid)"; return 0; fi
    sleep 0.5
  done
  log_tail; die "ferretdb did not answer ping on $ADDR within ${START_TIMEOUT}s (pid $pid still running; stop it with: bash infra/ferretdb.sh stop)"
}

cmd_start() {
  cmd_build
  mkdir -p "$DB_DIR"
  if our_pid_alive; then
    local pid; pid="$(cat "$PIDFILE")"
    if [[ "$(pid_cmdline "$pid")" != *"-listen $ADDR "* ]]; then
      die "ferretdb is already running (pid $pid) with other settings: $(pid_cmdline "$pid"). Stop it first: bash infra/ferretdb.sh stop"
    fi
    if healthy; then log "already running on mongodb://$ADDR (pid $pid)"; return 0; fi
    log "pid $pid is running but not answering on $ADDR yet; waiting"
    wait_healthy "$pid"; return 0
  fi
  rm -f "$PIDFILE"
  if port_open "$MONGO_HOST" "$MONGO_PORT"; then
    die "port $ADDR is already in use by another process (not our ferretdb: no live $PIDFILE). Stop it or set MONGO_PORT."
  fi
  local bin; bin="$(binary_path)"
  log "starting $bin on $ADDR (data: $DB_DIR, log: $LOGFILE)"
  printf '\n===== start %s =====\n' "$(date -u +%FT%TZ)" >>"$LOGFILE"
  # Go's collector took ~30 % of FerretDB's CPU under the pipeline bench (perf, session 10): every
  # statement decodes and re-encodes documents. GOGC=400 collects a quarter as often (measured:
  # ~15 % less CPU for the same inserts, reads and updates); GOMEMLIMIT caps the heap that buys.
  # setsid + nohup: own session, survives the calling shell; both exec, so $! is the server's pid.
  GOGC="${FERRETDB_GOGC:-400}" GOMEMLIMIT="${FERRETDB_GOMEMLIMIT:-3GiB}" \
    nohup setsid "$bin" -listen "$ADDR" -data-dir "$DB_DIR" -log-level "${FERRETDB_LOG_LEVEL:-info}" \
    >>"$LOGFILE" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$PIDFILE"
  wait_healthy "$pid"
}

cmd_stop() { stop_pidfile "$PIDFILE" ferretdb; }

cmd_status() {
  if our_pid_alive; then
    if healthy; then echo "ferretdb: running, healthy on mongodb://$ADDR (pid $(cat "$PIDFILE"))"; return 0; fi
    echo "ferretdb: process running (pid $(cat "$PIDFILE")) but not answering on $ADDR"; return 1
  fi
  echo "ferretdb: not running"; return 3
}

cmd_logs() {
  [ -f "$LOGFILE" ] || die "no log yet at $LOGFILE"
  if [ "${1:-}" = "-f" ]; then exec tail -n 50 -f "$LOGFILE"; fi
  tail -n "${LOG_LINES:-100}" "$LOGFILE"
}

case "${1:-}" in
  build|fetch) cmd_build; binary_path ;;
  start)  cmd_start ;;
  stop)   cmd_stop ;;
  status) cmd_status ;;
  logs)   shift; cmd_logs "$@" ;;
  *) echo "usage: $0 build|start|stop|status|logs [-f]" >&2; exit 2 ;;
esac
