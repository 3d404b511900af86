#!/usr/bin/env bash
# Smoke test of a running Elasticsearch (bash infra/elasticsearch.sh start): the features the
# project relies on. Uses throw-away indices smoke-*, deletes them at the end. Exit 0 = all good.
#   bash infra/elasticsearch/smoke.sh            (ES_PORT, default 9200)
set -euo pipefail
E="http://127.0.0.1:${ES_PORT:-9200}"
pass=0 fail=0
req() { curl -sS -H 'Content-Type: application/json' "$@"; }
check() { # check <name> <expected substring> <json>
  if [[ "$3" == *"$2"* ]]; then pass=$((pass + 1)); echo "ok   $1"
  else fail=$((fail + 1)); echo "FAIL $1: expected [$2] in: ${3:0:400}"; fi
}
cleanup() { req -X DELETE "$E/smoke-*" >/dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup

check health '"cluster_name"' "$(req "$E/_cluster/health?wait_for_status=yellow&timeout=10s")"
check create-index '"acknowledged":true' "$(req -X PUT "$E/smoke-v1" -d '{
  "settings": {"number_of_replicas": 0},
  "mappings": {"properties": {"title": {"type": "text"}, "brand": {"type": "keyword"}, "price": {"type": "double"}}}}')"
for d in '1 {"title":"Red running shoes","brand":"acme","price":50}' \
         '2 {"title":"Blue running jacket","brand":"acme","price":120}' \
         '3 {"title":"Red wool hat","brand":"zeta","price":20}'; do
  check "index-${d%% *}" '"result":"created"' "$(req -X PUT "$E/smoke-v1/_doc/${d%% *}?refresh=true" -d "${d#* }")"
done
check named-queries '"matched_queries":{"b_acme":' "$(req "$E/smoke-v1/_search?include_named_queries_score=true" -d '{
  "query": {"bool": {"should": [{"match": {"title": {"query": "red", "_name": "t_red"}}},
                                {"term": {"brand": {"value": "acme", "_name": "b_acme"}}}]}}}')"
check gauss-decay '"hits":[{"_index":"smoke-v1","_id":"1"' "$(req "$E/smoke-v1/_search" -d '{
  "query": {"function_score": {"query": {"match_all": {}}, "boost_mode": "replace",
    "functions": [{"gauss": {"price": {"origin": 40, "scale": 20, "decay": 0.5}}}]}}}')"
check highlight '<em>running</em>' "$(req "$E/smoke-v1/_search" -d '{"query": {"match": {"title": "running"}}, "highlight": {"fields": {"title": {}}}}')"
check terms-agg '{"key":"acme","doc_count":2}' "$(req "$E/smoke-v1/_search?size=0" -d '{"aggs": {"b": {"terms": {"field": "brand"}}}}')"
check ext-version-new '"_version":5' "$(req -X PUT "$E/smoke-v1/_doc/10?version=5&version_type=external" -d '{"title":"v5"}')"
check ext-version-stale '"status":409' "$(req -X PUT "$E/smoke-v1/_doc/10?version=3&version_type=external" -d '{"title":"v3"}')"
check bulk '"errors":false' "$(printf '%s\n' '{"index":{"_index":"smoke-v1","_id":"20"}}' '{"title":"bulk","brand":"b","price":5}' \
  '{"delete":{"_index":"smoke-v1","_id":"10"}}' | curl -sS -H 'Content-Type: application/x-ndjson' -X POST "$E/_bulk?refresh=true" --data-binary @-)"
check create-v2 '"acknowledged":true' "$(req -X PUT "$E/smoke-v2" -d '{"settings": {"number_of_replicas": 0}}')"
check alias-add '"acknowledged":true' "$(req -X POST "$E/_aliases" -d '{"actions": [{"add": {"index": "smoke-v1", "alias": "smoke"}}]}')"
check alias-swap '"acknowledged":true' "$(req -X POST "$E/_aliases" -d '{"actions": [
  {"remove": {"index": "smoke-v1", "alias": "smoke"}}, {"add": {"index": "smoke-v2", "alias": "smoke"}}]}')"
check alias-points-to-v2 '{"smoke-v2":{"aliases":{"smoke":{}}}}' "$(req "$E/_alias/smoke")"
check custom-analyzer '"acknowledged":true' "$(req -X PUT "$E/smoke-an" -d '{"settings": {"analysis": {"analyzer": {"a": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "stop"]}}}}}')"

echo "$pass passed, $fail failed"
(( fail == 0 ))
