#!/usr/bin/env bash
# End to end as an operator meets it: start helhed-plans, load the demo data,
# call it with buf curl through server reflection, check health, and scrape
# its metrics with promtool and with a real Prometheus server.
# Usage: smoke_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
buf="$src/tools/node_modules/.bin/buf"
work=$(mktemp -d /tmp/helhed-smoke.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "--- service log" >&2; tail -20 "$work/plans.log" >&2 || true; exit 1; }

# The principal key the service verifies with (scripts/run makes one the same way).
head -c 48 /dev/urandom >"$work/principal.key"
export HELHED_PRINCIPAL_KEY_FILE="$work/principal.key"
export HELHED_POLICY="$src/common/auth/default_policy.txt"
"$build/services/plans/helhed-plans" --store="sqlite://$work/plans.db" --listen=127.0.0.1:0 \
  --metrics-listen=127.0.0.1:0 --port-file="$work/ports" >"$work/plans.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 200); do [ -s "$work/ports" ] && break; sleep 0.05; done
grpc_port=$(sed -n 's/^grpc=//p' "$work/ports")
metrics_port=$(sed -n 's/^metrics=//p' "$work/ports")
[ -n "$grpc_port" ] || fail "service did not start"
url="http://127.0.0.1:$grpc_port"

"$build/services/plans/helhed-plans-demo-load" --target="127.0.0.1:$grpc_port" \
  --file="$src/services/plans/demo/demo_data.textproto" >"$work/load.out" || fail "demo load"
grep -q "initiative_areas=21" "$work/load.out" || fail "demo load counts: $(cat "$work/load.out")"

# Reflection lists both services; health says SERVING.
"$buf" curl --protocol grpc --http2-prior-knowledge --list-services "$url" >"$work/services"
grep -qx "helhed.plans.v1.PlansService" "$work/services" || fail "reflection: $(cat "$work/services")"
grep -qx "helhed.plans.v1.CitizenPlansService" "$work/services" || fail "reflection lacks CitizenPlansService"
"$buf" curl --protocol grpc --http2-prior-knowledge -d '{"service":"helhed.plans.v1.PlansService"}' \
  "$url/grpc.health.v1.Health/Check" | grep -q '"SERVING"' || fail "health"

# A caseworker in Randers asks for the 2021 status of the disability plan.
principal=$("$build/common/helhed-dev-principal" --municipality=730 --roles=manager --audience=plans)
plans=$("$buf" curl --protocol grpc --http2-prior-knowledge -H "x-helhed-principal: $principal" \
  -d '{"page":{"pageSize":10}}' "$url/helhed.plans.v1.PlansService/ListPlans")
plan_id=$(printf '%s' "$plans" | grep -B1 '"Voksenhandicapplan 2020-2023"' | sed -n 's/.*"id": "\(.*\)",/\1/p' | head -1)
[ -n "$plan_id" ] || plan_id=$(printf '%s\n' "$plans" | awk '/"id":/ {id=$2} /Voksenhandicapplan 2020-2023/ {gsub(/[",]/,"",id); print id; exit}')
[ -n "$plan_id" ] || fail "no disability plan in $plans"
"$buf" curl --protocol grpc --http2-prior-knowledge -H "x-helhed-principal: $principal" \
  -d "{\"planId\":\"$plan_id\",\"year\":2021}" "$url/helhed.plans.v1.PlansService/GetStatusReport" \
  >"$work/report.json" || fail "status report"
grep -q '# Årlig status 2021: Voksenhandicapplan 2020-2023' "$work/report.json" || fail "report markdown"
# In English when the caller asks for it.
"$buf" curl --protocol grpc --http2-prior-knowledge -H "x-helhed-principal: $principal" \
  -H "accept-language: en" -d "{\"planId\":\"$plan_id\",\"year\":2021}" \
  "$url/helhed.plans.v1.PlansService/GetStatusReport" >"$work/report_en.json" || fail "status report (en)"
grep -q '# Status report 2021: Voksenhandicapplan 2020-2023' "$work/report_en.json" ||
  fail "report markdown (en)"

# Without a principal: UNAUTHENTICATED.
if "$buf" curl --protocol grpc --http2-prior-knowledge -d '{}' \
  "$url/helhed.plans.v1.PlansService/ListPlans" >"$work/noauth" 2>&1; then
  fail "call without principal succeeded"
fi
grep -qi unauthenticated "$work/noauth" || fail "expected unauthenticated: $(cat "$work/noauth")"
# An unsigned principal (what services used to trust): UNAUTHENTICATED.
if "$buf" curl --protocol grpc --http2-prior-knowledge -H "x-helhed-principal: ${principal%%.*}" \
  -d '{}' "$url/helhed.plans.v1.PlansService/ListPlans" >"$work/unsigned" 2>&1; then
  fail "call with an unsigned principal succeeded"
fi
grep -qi unauthenticated "$work/unsigned" || fail "expected unauthenticated: $(cat "$work/unsigned")"

# Metrics: promtool accepts the exposition; the series dashboards need are there.
curl -sf "http://127.0.0.1:$metrics_port/metrics" >"$work/metrics" || fail "metrics endpoint"
promtool check metrics <"$work/metrics" || fail "promtool check metrics"
for series in 'grpc_server_started_total{' 'grpc_server_handled_total{grpc_code="OK",grpc_method="CreateInitiativeArea"' \
  'grpc_server_handled_total{grpc_code="Unauthenticated",grpc_method="ListPlans"' \
  'grpc_server_handling_seconds_bucket{' 'helhed_build_info{service="plans"' \
  'helhed_store_query_duration_seconds_bucket{' 'helhed_store_pool_connections_in_use'; do
  grep -qF "$series" "$work/metrics" || fail "metrics lack $series"
done
if grep -q 'demo-citizen' "$work/metrics" "$work/plans.log"; then fail "citizen id in metrics or logs"; fi

# A real Prometheus scrapes it.
cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: plans
    static_configs:
      - targets: ['127.0.0.1:$metrics_port']
YAML
source "$src/scripts/lib/prometheus.sh"
helhed_prometheus_start "$work/prometheus.yml" "$work" ||
  fail "Prometheus did not start: $(tail -5 "$work/prometheus.log")"
pids+=("$HELHED_PROMETHEUS_PID")
query="$HELHED_PROMETHEUS_URL/api/v1/query"
ok=""
for _ in $(seq 1 60); do
  if curl -sf "$query" --data-urlencode 'query=sum(grpc_server_handled_total{job="plans",grpc_method="CreateActivity",grpc_code="OK"})' \
    2>/dev/null | grep -q '"value":\[[0-9.]*,"108"\]'; then ok=1; break; fi
  sleep 0.5
done
[ -n "$ok" ] || fail "Prometheus did not see 108 CreateActivity calls: $(curl -s "$query" --data-urlencode 'query=grpc_server_handled_total{grpc_method="CreateActivity"}')"
curl -sf "$query" --data-urlencode 'query=up{job="plans"}' | grep -q '"value":\[[0-9.]*,"1"\]' || fail "up != 1"
echo "smoke: ok"
