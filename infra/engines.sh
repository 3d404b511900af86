#!/usr/bin/env bash
# Brings up (or stops) the local engines the services and tests use:
#
#   bash infra/engines.sh start  [kafka] [elasticsearch] [mongo]   # default: all three
#   bash infra/engines.sh stop   [...]
#   bash infra/engines.sh status [...]
#
# An engine whose address is given by the environment (KAFKA_BROKERS, ELASTICSEARCH_URL,
# MONGODB_URI) is external: nothing local is fetched or started for it.
# Downloads/builds run one after the other (Maven shares ~/.m2), then the engines start in
# parallel and the command returns when all are healthy, or fails naming the one that is not.
set -euo pipefail
ENGINE_NAME=engines
source "$(dirname "$0")/common.sh"

ALL=(kafka elasticsearch mongo)

script_for() {
  case "$1" in
    kafka) echo "$INFRA_DIR/kafka.sh" ;;
    elasticsearch|es) echo "$INFRA_DIR/elasticsearch.sh" ;;
    mongo|ferretdb) echo "$INFRA_DIR/ferretdb.sh" ;;
    *) die "unknown engine '$1' (expected: ${ALL[*]})" ;;
  esac
}

external_var() {
  case "$1" in
    kafka) echo KAFKA_BROKERS ;;
    elasticsearch|es) echo ELASTICSEARCH_URL ;;
    mongo|ferretdb) echo MONGODB_URI ;;
  esac
}

action="${1:-}"; shift || true
engines=("$@"); [ ${#engines[@]} -gt 0 ] || engines=("${ALL[@]}")

local_engines=()
for e in "${engines[@]}"; do
  script_for "$e" >/dev/null
  var="$(external_var "$e")"
  if [ -n "${!var:-}" ]; then
    log "$e: external ($var=${!var}), not managed here"
  else
    local_engines+=("$e")
  fi
done
[ ${#local_engines[@]} -gt 0 ] || exit 0

case "$action" in
  start)
    for e in "${local_engines[@]}"; do
      s="$(script_for "$e")"
      if [ "$e" = mongo ] || [ "$e" = ferretdb ]; then bash "$s" build >/dev/null; else bash "$s" fetch; fi
    done
    pids=(); names=()
    for e in "${local_engines[@]}"; do
      bash "$(script_for "$e")" start & pids+=($!); names+=("$e")
    done
    failed=()
    for i in "${!pids[@]}"; do wait "${pids[$i]}" || failed+=("${names[$i]}"); done
    [ ${#failed[@]} -eq 0 ] || die "not started: ${failed[*]} (see messages above; logs under $DATA_DIR/<engine>/)"
    log "ready: ${local_engines[*]}"
    ;;
  stop)
    for e in "${local_engines[@]}"; do bash "$(script_for "$e")" stop || true; done
    ;;
  status)
    rc=0
    for e in "${local_engines[@]}"; do bash "$(script_for "$e")" status || rc=1; done
    exit $rc
    ;;
  *) die "usage: $0 start|stop|status [kafka] [elasticsearch] [mongo]" ;;
esac
