#!/usr/bin/env bash
# Elasticsearch 8 (single node, no security) for local dev and tests.
#
#   bash infra/elasticsearch.sh fetch|start|stop|status|logs [-f]
#
# The server is the "integ-test-zip" distribution from Maven Central
# (org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip), fetched with
# `mvn dependency:copy` and unpacked once into $ENGINES_CACHE. It has no bundled JDK (runs on
# Java 17, see java17_home) and only the modules apm, transport-netty4, x-pack-core and
# x-pack-security: no analysis-common (so no stemmer/asciifolding/... filters), no painless,
# no reindex, no `GET /` (use /_cluster/health).
#
# Elasticsearch refuses to run as root. When this script runs as root (CI does), it creates
# the system user $ES_RUN_USER (default lmes) and runs the server as that user; since the repo
# may live under /root (mode 700), the server's home, config, data and logs then live in
# /var/tmp/lombardy-match-es/<hash of the repo path>/. Otherwise they live in
# .data/elasticsearch/home/. Either way .data/elasticsearch/home is (or points to) that folder:
#   home/es-$ES_VERSION/  copy of the distribution (ES_HOME)
#   home/config/          ES_PATH_CONF (elasticsearch.yml from infra/elasticsearch/)
#   home/data/ home/logs/ home/tmp/  home/es.pid  home/es.port  home/startup.out
# Smoke test of a running node: bash infra/elasticsearch/smoke.sh
#
# Env: ES_PORT (default 9200), ES_TRANSPORT_PORT (default 9300-9399), ES_JAVA_OPTS (default
# "-Xms512m -Xmx1g"), ES_START_TIMEOUT (seconds, default 120), ES_RUN_USER (default lmes),
# JAVA17_HOME, ES_HUNSPELL_DIR (default infra/elasticsearch/hunspell; when it exists it is copied
# to config/hunspell on start: <locale>/<name>.aff + .dic, e.g. it_IT/ from npm `dictionary-it`).
# URL: http://127.0.0.1:9200 (no auth). GET / is not served (405): clients' info()/ping() fail,
# use GET /_cluster/health. Indices default to 1 replica, so they stay yellow on one node.
ENGINE_NAME=elasticsearch
# shellcheck source=infra/common.sh
source "$(dirname "$0")/common.sh"

ES_VERSION=8.19.21
ES_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip"

ES_HOST=127.0.0.1
ES_PORT_SET="${ES_PORT:+yes}"
ES_PORT="${ES_PORT:-9200}"
ES_TRANSPORT_PORT="${ES_TRANSPORT_PORT:-9300-9399}"
ES_HEAP_OPTS="${ES_JAVA_OPTS:--Xms512m -Xmx1g}"
START_TIMEOUT="${ES_START_TIMEOUT:-120}"
ES_RUN_USER="${ES_RUN_USER:-lmes}"

SRC_DIR="$INFRA_DIR/elasticsearch"
HUNSPELL_SRC="${ES_HUNSPELL_DIR:-$SRC_DIR/hunspell}"
STATE_DIR="$DATA_DIR/elasticsearch"
LINK="$STATE_DIR/home"
DIST_ZIP="$ENGINES_CACHE/elasticsearch-$ES_VERSION.zip"
DIST_DIR="$ENGINES_CACHE/elasticsearch-$ES_VERSION"

is_root() { [ "$(id -u)" = 0 ]; }

# run_dir: where home/config/data/logs live (see header). Deterministic (a function of the repo
# path), so stop/logs find it too; .data/elasticsearch/home is only a pointer for humans.
run_dir() {
  if is_root; then
    echo "/var/tmp/lombardy-match-es/$(printf '%s' "$ROOT_DIR" | sha256sum | cut -c1-12)"
  else
    [ -L "$LINK" ] && die "$LINK is a link left by a run as root ($(readlink "$LINK")); remove it (as root) to run as $(id -un)"
    echo "$LINK"
  fi
}
RUN_DIR="$(run_dir)"
ES_HOME="$RUN_DIR/es-$ES_VERSION"
CONF_DIR="$RUN_DIR/config"
PIDFILE="$RUN_DIR/es.pid"
LOGFILE="$RUN_DIR/logs/lombardy-match.log"
STARTUP_OUT="$RUN_DIR/startup.out"
PORTFILE="$RUN_DIR/es.port"

# our_pid_alive: the pidfile names a running Elasticsearch JVM (guards against pid reuse).
our_pid_alive() {
  pid_alive "$PIDFILE" || return 1
  tr '\0' ' ' <"/proc/$(cat "$PIDFILE")/cmdline" 2>/dev/null | grep -q 'org.elasticsearch'
}
# Without an explicit ES_PORT, talk to the port the running node of this checkout was started on.
if [ -z "$ES_PORT_SET" ] && [ -s "$PORTFILE" ] && our_pid_alive; then ES_PORT="$(cat "$PORTFILE")"; fi
ES_URL="http://$ES_HOST:$ES_PORT"

# ---------------------------------------------------------------------------------------------
cmd_fetch() {
  if [ -x "$DIST_DIR/bin/elasticsearch" ] && [ -f "$DIST_DIR/.complete" ]; then
    log "using cached Elasticsearch $ES_VERSION in $DIST_DIR"; return 0
  fi
  local start=$SECONDS java_home; java_home="$(java17_home)"
  if [ ! -s "$DIST_ZIP" ]; then
    require_cmd mvn "Install Maven (apt-get install -y maven): it downloads $ES_ARTIFACT from Maven Central."
    log "downloading $ES_ARTIFACT from Maven Central (~100 MB)"
    local out="$ENGINES_CACHE/.es-mvn-$$.log" tmpdir="$ENGINES_CACHE/.es-dl-$$"
    if ! JAVA_HOME="$java_home" mvn -B -q dependency:copy -Dartifact="$ES_ARTIFACT" \
        -DoutputDirectory="$tmpdir" >"$out" 2>&1; then
      tail -n 20 "$out" >&2; rm -rf "$out" "$tmpdir"
      die "mvn could not fetch $ES_ARTIFACT (see above)"
    fi
    mv -f "$tmpdir/elasticsearch-$ES_VERSION.zip" "$DIST_ZIP"; rm -rf "$out" "$tmpdir"
  fi
  require_cmd unzip "Install it: apt-get install -y unzip"
  local tmp="$DIST_DIR.tmp.$$"
  rm -rf "$tmp" && mkdir -p "$tmp"
  unzip -q "$DIST_ZIP" -d "$tmp" || { rm -rf "$tmp"; die "could not unpack $DIST_ZIP (corrupt? delete it and retry)"; }
  rm -rf "$DIST_DIR"
  mv "$tmp/elasticsearch-$ES_VERSION" "$DIST_DIR" && rm -rf "$tmp"
  touch "$DIST_DIR/.complete"
  log "fetched Elasticsearch $ES_VERSION into $DIST_DIR in $((SECONDS - start))s"
}

# ensure_user: the unprivileged system user that runs the server when we are root.
ensure_user() {
  id -u "$ES_RUN_USER" >/dev/null 2>&1 && return 0
  require_cmd useradd "Elasticsearch cannot run as root; create a user and set ES_RUN_USER, or install passwd."
  log "creating system user $ES_RUN_USER (Elasticsearch refuses to run as root)"
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin "$ES_RUN_USER" || die "useradd $ES_RUN_USER failed"
}

# prepare_run_dir: copy the distribution out of the (possibly unreadable) cache, write config.
prepare_run_dir() {
  mkdir -p "$STATE_DIR"
  if is_root; then
    ensure_user
    mkdir -p "$(dirname "$RUN_DIR")" && chmod 755 "$(dirname "$RUN_DIR")"
    mkdir -p "$RUN_DIR"
    # The pointer for humans and for logs/stop; a real folder left by a non-root run is kept aside.
    if [ -d "$LINK" ] && [ ! -L "$LINK" ]; then mv "$LINK" "$LINK.nonroot.$$"; fi
    ln -sfn "$RUN_DIR" "$LINK"
  else
    mkdir -p "$RUN_DIR"
  fi
  if [ ! -f "$ES_HOME/.complete" ]; then
    log "copying the distribution to $ES_HOME"
    rm -rf "$ES_HOME" "$ES_HOME.tmp"
    cp -R "$DIST_DIR" "$ES_HOME.tmp" && mv "$ES_HOME.tmp" "$ES_HOME"
    # Older versions' copies are dead weight.
    find "$RUN_DIR" -maxdepth 1 -name 'es-*' ! -name "es-$ES_VERSION" -exec rm -rf {} +
  fi
  mkdir -p "$CONF_DIR" "$RUN_DIR/data" "$RUN_DIR/logs" "$RUN_DIR/tmp"
  # Stock jvm.options, log4j2.properties, ... once; elasticsearch.yml from the repo on every start.
  [ -f "$CONF_DIR/jvm.options" ] || cp -R "$ES_HOME/config/." "$CONF_DIR/"
  sed -e "s#@HTTP_PORT@#$ES_PORT#" -e "s#@TRANSPORT_PORT@#$ES_TRANSPORT_PORT#" \
      -e "s#@DATA_PATH@#$RUN_DIR/data#" -e "s#@LOGS_PATH@#$RUN_DIR/logs#" \
      "$SRC_DIR/elasticsearch.yml" >"$CONF_DIR/elasticsearch.yml"
  # Hunspell dictionaries (the only stemming filter in this distribution): <dir>/<locale>/*.aff|*.dic
  if [ -d "$HUNSPELL_SRC" ]; then
    rm -rf "$CONF_DIR/hunspell" && cp -R "$HUNSPELL_SRC" "$CONF_DIR/hunspell"
  fi
  if is_root; then
    # The user owns everything it writes to; ES_HOME stays root-owned (read-only for it).
    chown "$ES_RUN_USER:" "$RUN_DIR"
    chown -R "$ES_RUN_USER:" "$CONF_DIR" "$RUN_DIR/data" "$RUN_DIR/logs" "$RUN_DIR/tmp"
    chmod -R go-w "$ES_HOME"
  fi
}

healthy() {
  local out
  out="$(curl -fsS --max-time 5 "$ES_URL/_cluster/health?wait_for_status=yellow&timeout=1s" 2>/dev/null)" \
    && [[ "$out" == *'"cluster_name"'* ]]
}

# log_tail: what this start printed, then the server log; Java stack frames left out.
log_tail() {
  local frames='^[[:space:]]+(at |\.\.\. [0-9]+ more)'
  if [ -s "$STARTUP_OUT" ]; then
    echo "----- $STARTUP_OUT (this start; stack frames omitted) -----" >&2
    tac "$STARTUP_OUT" | sed '/^===== start /q' | tac | grep -Ev "$frames" | tail -n 30 >&2
  fi
  if [ -s "$LOGFILE" ]; then
    echo "----- last lines of $LOGFILE (stack frames omitted) -----" >&2
    tail -n 200 "$LOGFILE" | grep -Ev "$frames" | tail -n 15 >&2
  fi
  true
}

wait_healthy() {
  local start=$SECONDS pid
  while (( SECONDS - start < START_TIMEOUT )); do
    if ! our_pid_alive; then
      log_tail; rm -f "$PIDFILE"; die "elasticsearch exited during startup"
    fi
    pid="$(cat "$PIDFILE")"
    if healthy; then log "elasticsearch $ES_VERSION ready on $ES_URL after $((SECONDS - start))s (pid $pid, home $RUN_DIR)"; return 0; fi
    sleep 1
  done
  log_tail; die "elasticsearch did not become healthy on $ES_URL within ${START_TIMEOUT}s (still running? stop it with: bash infra/elasticsearch.sh stop)"
}

cmd_start() {
  require_cmd curl "Install it: apt-get install -y curl (used for the health check)"
  if healthy; then
    if our_pid_alive; then log "already running on $ES_URL (pid $(cat "$PIDFILE"))"
    else log "a healthy Elasticsearch already answers on $ES_URL (not started by this script); using it"; fi
    return 0
  fi
  if our_pid_alive; then
    local running_port; running_port="$(cat "$PORTFILE" 2>/dev/null || echo '?')"
    if [ "$running_port" != "$ES_PORT" ]; then
      die "the Elasticsearch of this checkout (pid $(cat "$PIDFILE")) already runs on port $running_port; stop it first: ES_PORT=$running_port bash infra/elasticsearch.sh stop"
    fi
    log "pid $(cat "$PIDFILE") is running but not healthy on $ES_URL yet; waiting"
    wait_healthy; return 0
  fi
  if port_open "$ES_HOST" "$ES_PORT"; then
    die "port $ES_HOST:$ES_PORT is in use by something that is not a healthy Elasticsearch. Stop it or set ES_PORT."
  fi
  local java_home; java_home="$(java17_home)"
  cmd_fetch
  prepare_run_dir
  rm -f "$PIDFILE"
  echo "$ES_PORT" >"$PORTFILE"
  local mmc; mmc="$(cat /proc/sys/vm/max_map_count 2>/dev/null || echo 0)"
  (( mmc >= 262144 )) || log "note: vm.max_map_count=$mmc (< 262144); fine for a dev node with few shards (single-node skips the bootstrap check)"
  log "starting Elasticsearch $ES_VERSION on $ES_URL (java: $java_home, home: $RUN_DIR$(is_root && echo ", user: $ES_RUN_USER"))"
  printf '\n===== start %s =====\n' "$(date -u +%FT%TZ)" >>"$STARTUP_OUT"
  is_root && chown "$ES_RUN_USER:" "$STARTUP_OUT"
  local -a as_user=()
  is_root && as_user=(runuser -u "$ES_RUN_USER" --)
  local start=$SECONDS rc=0
  # -d: the launcher returns once the node is started (or failed); -p: the server JVM's pid.
  # Clean environment: nothing of the caller's (JAVA_TOOL_OPTIONS, HOME=/root...) leaks in.
  (cd "$RUN_DIR" && "${as_user[@]}" env -i \
      PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 HOME="$RUN_DIR" \
      ES_JAVA_HOME="$java_home" ES_PATH_CONF="$CONF_DIR" ES_TMPDIR="$RUN_DIR/tmp" \
      ES_JAVA_OPTS="$ES_HEAP_OPTS" \
      timeout -k 10 "$START_TIMEOUT" setsid -w "$ES_HOME/bin/elasticsearch" -d -p "$PIDFILE" \
      >>"$STARTUP_OUT" 2>&1 </dev/null) || rc=$?
  if (( rc != 0 )); then
    log_tail
    if (( rc == 124 || rc == 137 )); then
      our_pid_alive && stop_pidfile "$PIDFILE" elasticsearch
      die "elasticsearch did not finish starting within ${START_TIMEOUT}s (ES_START_TIMEOUT)"
    fi
    die "elasticsearch failed to start (launcher exit code $rc)"
  fi
  log "launcher returned after $((SECONDS - start))s"
  wait_healthy
}

cmd_stop() {
  if ! pid_alive "$PIDFILE" && healthy; then
    log "an Elasticsearch answers on $ES_URL but was not started by this script (no live $PIDFILE); leaving it"
  fi
  stop_pidfile "$PIDFILE" elasticsearch
  rm -f "$PORTFILE"
}

cmd_status() {
  if our_pid_alive; then
    if healthy; then
      echo "elasticsearch: running, healthy on $ES_URL (pid $(cat "$PIDFILE"), home $RUN_DIR)"
      curl -fsS --max-time 5 "$ES_URL/_cluster/health"; echo; return 0
    fi
    echo "elasticsearch: process running (pid $(cat "$PIDFILE")) but not healthy on $ES_URL"; return 1
  fi
  if healthy; then echo "elasticsearch: healthy on $ES_URL, but not started by this script"; return 0; fi
  echo "elasticsearch: not running"; return 3
}

cmd_logs() {
  [ -f "$LOGFILE" ] || { [ -f "$STARTUP_OUT" ] && { tail -n "${LOG_LINES:-100}" "$STARTUP_OUT"; exit 0; }; die "no log yet at $LOGFILE"; }
  if [ "${1:-}" = "-f" ]; then exec tail -n 50 -f "$LOGFILE"; fi
  tail -n "${LOG_LINES:-100}" "$LOGFILE"
}

case "${1:-}" in
  fetch)  cmd_fetch; echo "$DIST_DIR" ;;
  start)  cmd_start ;;
  stop)   cmd_stop ;;
  status) cmd_status ;;
  logs)   shift; cmd_logs "$@" ;;
  *) echo "usage: $0 fetch|start|stop|status|logs [-f]" >&2; exit 2 ;;
esac
