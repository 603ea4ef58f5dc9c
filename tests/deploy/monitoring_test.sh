#!/usr/bin/env bash
# The monitoring in k8s/base/monitoring, tested as an operator would meet it.
#   tests/deploy/monitoring_test.sh BUILD_DIR SOURCE_DIR
#
# 1. Static: promtool checks rules.yml and runs its unit tests
#    (rules_test.yml); prometheus-rule.yaml must be what
#    tests/deploy/gen_prometheus_rule.sh makes from rules.yml, and its spec a
#    valid rule file equal to rules.yml's groups; dashboard.json must be a
#    Grafana dashboard whose queries all use the ${DS_PROMETHEUS} data
#    source; the kustomization renders (when kubectl is installed).
# 2. End to end: starts the four services (housing twice, two replicas on
#    one database) and the gateway on loopback (temp SQLite stores,
#    development keys made here), loads the demo data, starts
#    a real Prometheus that scrapes all five every second and evaluates
#    rules.yml every second, drives traffic through the gateway (OK calls to
#    every backend, NOT_FOUND, a bad token, a policy denial) and directly to
#    each service (with and without a principal), makes three housing offers
#    expire unanswered, checks every /metrics with promtool check metrics
#    (and that health checks stay out of grpc_server_*), and then asks
#    Prometheus (tests/deploy/monitoring_check.js):
#    every target up, every recording rule has a value for every component,
#    the expected alerts are firing/pending and the others are not, and every
#    query of every dashboard panel returns data.
# Everything it starts is stopped by PID when it exits.
set -euo pipefail
build=$(cd "${1:?usage: monitoring_test.sh BUILD_DIR SOURCE_DIR}" && pwd)
src=$(cd "${2:?usage: monitoring_test.sh BUILD_DIR SOURCE_DIR}" && pwd)
mon=$src/k8s/base/monitoring
buf=$src/tools/node_modules/.bin/buf
began=$(date +%s)
work=$(mktemp -d /tmp/helhed-monitoring.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  for f in "$work"/*.log; do
    [ -s "$f" ] || continue
    case $f in */prometheus.log) grep -q 'level=error' "$f" || continue ;; esac
    echo "--- $(basename "$f") (last lines)" >&2
    tail -5 "$f" >&2
  done
  exit 1
}
for tool in promtool prometheus node curl openssl; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/install-deps)"
done
[ -x "$buf" ] || fail "$buf is missing (scripts/install-deps)"

# ---------------------------------------------------------------- static checks
promtool check rules "$mon/rules.yml" >"$work/check.out" 2>&1 || fail "promtool check rules: $(cat "$work/check.out")"
(cd "$mon" && promtool test rules rules_test.yml) >"$work/unit.out" 2>&1 ||
  fail "promtool test rules: $(cat "$work/unit.out")"

"$src/tests/deploy/gen_prometheus_rule.sh" --stdout >"$work/prometheus-rule.yaml"
diff -u "$mon/prometheus-rule.yaml" "$work/prometheus-rule.yaml" >"$work/diff.out" ||
  fail "k8s/base/monitoring/prometheus-rule.yaml is not generated from rules.yml; run tests/deploy/gen_prometheus_rule.sh:
$(head -30 "$work/diff.out")"
# Read back independently: the spec, one indent less, is rules.yml's groups
# and a rule file promtool accepts.
grep -q '^kind: PrometheusRule$' "$mon/prometheus-rule.yaml" || fail "prometheus-rule.yaml: not a PrometheusRule"
grep -q '^apiVersion: monitoring.coreos.com/v1$' "$mon/prometheus-rule.yaml" || fail "prometheus-rule.yaml: apiVersion"
sed -n '/^spec:$/,$p' "$mon/prometheus-rule.yaml" | sed '1d; s/^  //' >"$work/spec.yml"
sed -n '/^groups:/,$p' "$mon/rules.yml" | cmp -s - "$work/spec.yml" ||
  fail "prometheus-rule.yaml's spec differs from rules.yml's groups"
promtool check rules "$work/spec.yml" >"$work/check.out" 2>&1 || fail "PrometheusRule spec: $(cat "$work/check.out")"
if python3 -c 'import yaml' 2>/dev/null; then
  python3 - "$mon/rules.yml" "$mon/prometheus-rule.yaml" <<'PY' || fail "rules.yml and prometheus-rule.yaml parse to different groups"
import sys, yaml
a = yaml.safe_load(open(sys.argv[1]))["groups"]
b = yaml.safe_load(open(sys.argv[2]))["spec"]["groups"]
sys.exit(0 if a == b else 1)
PY
fi

node - "$mon/dashboard.json" <<'JS' || fail "dashboard.json"
const d = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const errs = [];
if (!(d.schemaVersion >= 36)) errs.push(`schemaVersion ${d.schemaVersion}`);
if (!d.uid || !d.title) errs.push('uid and title needed');
const vars = (d.templating && d.templating.list) || [];
if (!vars.some((v) => v.name === 'DS_PROMETHEUS' && v.type === 'datasource' && v.query === 'prometheus'))
  errs.push('no datasource variable DS_PROMETHEUS');
const ids = new Set();
const titles = [];
for (const p of d.panels) {
  if (ids.has(p.id)) errs.push(`panel id ${p.id} twice`);
  ids.add(p.id);
  titles.push(p.title);
  if (p.type === 'row') continue;
  if (!p.datasource || p.datasource.uid !== '${DS_PROMETHEUS}') errs.push(`panel "${p.title}": data source`);
  if (!p.targets || !p.targets.length) errs.push(`panel "${p.title}": no query`);
  for (const t of p.targets || [])
    if (!t.expr || !t.datasource || t.datasource.uid !== '${DS_PROMETHEUS}') errs.push(`panel "${p.title}" ${t.refId}`);
  const g = p.gridPos;
  if (!g || g.x + g.w > 24) errs.push(`panel "${p.title}": gridPos`);
}
for (const row of ['Gateway', 'Plans', 'Volunteers', 'Guides', 'Housing'])
  if (!d.panels.some((p) => p.type === 'row' && p.title.startsWith(row))) errs.push(`no row ${row}`);
if (errs.length) { console.error(errs.join('\n')); process.exit(1); }
JS

if command -v kubectl >/dev/null 2>&1; then
  kubectl kustomize "$mon" >"$work/rendered.yaml" 2>"$work/kustomize.err" || fail "kubectl kustomize: $(cat "$work/kustomize.err")"
  grep -q '^kind: PrometheusRule$' "$work/rendered.yaml" || fail "rendered: no PrometheusRule"
  grep -q '^  name: helhed-grafana-dashboard$' "$work/rendered.yaml" || fail "rendered: no dashboard ConfigMap"
  grep -q '^    grafana_dashboard: "1"$' "$work/rendered.yaml" || fail "rendered: ConfigMap lacks grafana_dashboard label"
  grep -q '^  dashboard.json: |' "$work/rendered.yaml" || fail "rendered: ConfigMap lacks dashboard.json"
else
  echo "monitoring: kubectl not installed, kustomization not rendered"
fi
# The rules and the dashboard select by job = component name. A
# ServiceMonitor names its job after the Service (helhed-plans) unless it
# sets jobLabel: the Service's app.kubernetes.io/component label (plans).
# Reported at the end, so that the end-to-end part runs anyway.
manifest_errors=""
for c in gateway plans volunteers guides housing; do
  sm=$src/k8s/base/$c/servicemonitor.yaml
  [ -f "$sm" ] || continue
  grep -qE '^  jobLabel: app\.kubernetes\.io/component$' "$sm" ||
    manifest_errors+="k8s/base/$c/servicemonitor.yaml: set spec.jobLabel: app.kubernetes.io/component, or its job is not \"$c\" and the rules and dashboard see nothing of it"$'\n'
  grep -qE "^    app\.kubernetes\.io/component: $c\$" "$src/k8s/base/$c/service.yaml" ||
    manifest_errors+="k8s/base/$c/service.yaml: needs the label app.kubernetes.io/component: $c"$'\n'
done
static_done=$(date +%s)

# ------------------------------------------------------------------ the suite
# start NAME BINARY [STORE]: starts it on loopback (free ports) with a temp
# SQLite store (STORE.db, default NAME.db: another replica's store makes a
# second replica of that service) and waits for its port file.
start() {
  local name=$1 binary=$2 store=${3:-$1}
  "$binary" --listen=127.0.0.1:0 --metrics-listen=127.0.0.1:0 --store="sqlite://$work/$store.db" \
    --port-file="$work/$name.ports" >"$work/$name.log" 2>&1 &
  pids+=($!)
  local pid=$!
  for _ in $(seq 1 200); do
    [ -s "$work/$name.ports" ] && grep -q '^metrics=' "$work/$name.ports" && return 0
    kill -0 "$pid" 2>/dev/null || fail "helhed-$name did not start"
    sleep 0.05
  done
  fail "helhed-$name did not start in 10 s"
}
port_of() { sed -n "s/^$2=//p" "$work/$1.ports"; }

# Gauges and the offer expiry every second (defaults 15 s and 10 s).
export HELHED_VOLUNTEERS_STATS_SECONDS=1 HELHED_GUIDES_STATS_SECONDS=1
export HELHED_HOUSING_STATS_SECONDS=1 HELHED_HOUSING_EXPIRY_SECONDS=1
export HELHED_LOG_LEVEL=warning
# The principal key every process shares (the gateway signs, the services
# verify; scripts/run makes one the same way) and the one role policy. The
# demo loaders and helhed-dev-principal sign with it too.
head -c 48 /dev/urandom >"$work/principal.key"
export HELHED_PRINCIPAL_KEY_FILE=$work/principal.key
export HELHED_POLICY=$src/common/auth/default_policy.txt
for s in plans volunteers guides housing; do
  start "$s" "$build/services/$s/helhed-$s"
done
# A second replica of housing on the same database: its domain gauges must
# still be exported once (one replica holds the stats lease), its alerts
# fire once, and the dashboard's sums count each figure once.
start housing2 "$build/services/housing/helhed-housing" housing

# The gateway, with development keys made here (as scripts/run does).
mkdir -p "$work/jwt-public"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/idp.key" 2>/dev/null
openssl pkey -in "$work/idp.key" -pubout -out "$work/jwt-public/dev.pem"
head -c 48 /dev/urandom >"$work/cpr.key"
export HELHED_GATEWAY_JWT_KEYS_DIR=$work/jwt-public
export HELHED_GATEWAY_CPR_KEY_FILE=$work/cpr.key
export HELHED_GATEWAY_BACKENDS="plans=127.0.0.1:$(port_of plans grpc),volunteers=127.0.0.1:$(port_of volunteers grpc),guides=127.0.0.1:$(port_of guides grpc),housing=127.0.0.1:$(port_of housing grpc)"
start gateway "$build/services/gateway/helhed-gateway"

"$build/services/plans/helhed-plans-demo-load" --target="127.0.0.1:$(port_of plans grpc)" \
  --file="$src/services/plans/demo/demo_data.textproto" >"$work/demo.out" || fail "plans demo load"
"$build/services/volunteers/helhed-volunteers-demo-load" --target="127.0.0.1:$(port_of volunteers grpc)" \
  >>"$work/demo.out" || fail "volunteers demo load"
"$build/services/guides/helhed-guides-demo-load" --target="127.0.0.1:$(port_of guides grpc)" \
  >>"$work/demo.out" || fail "guides demo load"
for m in 730 810; do
  "$build/services/housing/helhed-housing-demo-load" --target="127.0.0.1:$(port_of housing grpc)" \
    --municipality=$m >>"$work/demo.out" || fail "housing demo load $m"
done
suite_done=$(date +%s)

# ------------------------------------------------------------- Prometheus
cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - $mon/rules.yml
scrape_configs:
YAML
for s in gateway plans volunteers guides housing; do
  targets="'127.0.0.1:$(port_of "$s" metrics)'"
  [ "$s" = housing ] && targets+=", '127.0.0.1:$(port_of housing2 metrics)'"
  cat >>"$work/prometheus.yml" <<YAML
  - job_name: $s
    static_configs:
      - targets: [$targets]
YAML
done
promtool check config "$work/prometheus.yml" >"$work/check.out" 2>&1 || fail "prometheus.yml: $(cat "$work/check.out")"

source "$src/scripts/lib/prometheus.sh"
helhed_prometheus_start "$work/prometheus.yml" "$work" ||
  fail "Prometheus did not start: $(tail -5 "$work/prometheus.log")"
pids+=("$HELHED_PROMETHEUS_PID")
prom=$HELHED_PROMETHEUS_URL
# Wait until each target has been scraped (so counters start from their
# values before the traffic, and rates see the traffic).
for _ in $(seq 1 100); do
  n=$(curl -sf "$prom/api/v1/query" --data-urlencode 'query=count(up == 1)' | sed -n 's/.*"value":\[[0-9.]*,"\([0-9]*\)"\].*/\1/p')
  [ "${n:-0}" = 6 ] && break
  sleep 0.2
done
[ "${n:-0}" = 6 ] || fail "Prometheus does not see six targets up: $(curl -s "$prom/api/v1/targets" | head -c 2000)"
prom_ready=$(date +%s)

# ----------------------------------------------------------------- traffic
gw="http://127.0.0.1:$(port_of gateway grpc)"
token() {
  "$build/services/gateway/helhed-dev-token" --key="$work/idp.key" --kid=dev --roles="$1" --municipality=730
}
T=$(token caseworker,manager)
H=$(token housing_officer)
# call TOKEN METHOD JSON: a call through the gateway; prints the response.
call() {
  "$buf" curl --schema "$build/helhed.binpb" --protocol grpc --http2-prior-knowledge \
    -H "authorization: Bearer $1" -d "$3" "$gw/$2"
}
# expect CODE TOKEN METHOD JSON: a call through the gateway that must fail with CODE.
expect() {
  if call "$2" "$3" "$4" >"$work/call.out" 2>&1; then fail "$3 succeeded, expected $1"; fi
  grep -q "\"code\": \"$1\"" "$work/call.out" || fail "$3: expected $1, got $(cat "$work/call.out")"
}

# Directly to each service: with a principal (OK) and without (UNAUTHENTICATED).
principal=$("$build/common/helhed-dev-principal" --municipality=730 \
  --roles=caseworker,manager,volunteer_coordinator,guide_coordinator,housing_officer)
direct() {
  local svc=$1 method=$2
  local url="http://127.0.0.1:$(port_of "$svc" grpc)/$method"
  "$buf" curl --protocol grpc --http2-prior-knowledge -H "x-helhed-principal: $principal" \
    -d '{"page":{"pageSize":1}}' "$url" >/dev/null || fail "direct $method"
  if "$buf" curl --protocol grpc --http2-prior-knowledge -d '{}' "$url" >"$work/call.out" 2>&1; then
    fail "direct $method without a principal succeeded"
  fi
  grep -q '"code": "unauthenticated"' "$work/call.out" || fail "direct $method: $(cat "$work/call.out")"
}

# One round of calls. Run twice with scrapes in between: a series (say
# NotFound of GetPlan) appears only with its first call, and rate() sees
# only increases after Prometheus has scraped it once.
round() {
  call "$T" helhed.plans.v1.PlansService/ListPlans '{"page":{"pageSize":5}}' >/dev/null || fail "ListPlans"
  call "$T" helhed.volunteers.v1.VolunteersService/ListVolunteers '{"page":{"pageSize":5}}' >/dev/null ||
    fail "ListVolunteers"
  call "$T" helhed.guides.v1.GuidesService/ListGuides '{"page":{"pageSize":5}}' >/dev/null || fail "ListGuides"
  call "$H" helhed.housing.v1.HousingService/ListUnits '{"page":{"pageSize":5}}' >/dev/null || fail "ListUnits"
  call "$T" helhed.gateway.v1.GatewayService/GetCitizenOverview '{"citizenId":"demo-730-h1"}' >/dev/null ||
    fail "GetCitizenOverview"
  expect not_found "$T" helhed.plans.v1.PlansService/GetPlan '{"id":"no-such-plan"}'
  expect not_found "$T" helhed.volunteers.v1.VolunteersService/GetVolunteer '{"id":"no-such-volunteer"}'
  expect not_found "$T" helhed.guides.v1.GuidesService/GetGuide '{"id":"no-such-guide"}'
  expect not_found "$H" helhed.housing.v1.HousingService/GetUnit '{"id":"no-such-unit"}'
  expect unauthenticated "not-a-token" helhed.plans.v1.PlansService/ListPlans '{}'
  expect permission_denied "$T" helhed.gateway.v1.AuditService/ListAuditEvents '{"citizenId":"demo-730-h1"}'
  direct plans helhed.plans.v1.PlansService/ListPlans
  direct volunteers helhed.volunteers.v1.VolunteersService/ListVolunteers
  direct guides helhed.guides.v1.GuidesService/ListGuides
  direct housing helhed.housing.v1.HousingService/ListUnits
}
round
sleep 2
round

# Three housing offers that nobody answers: each available unit's best
# candidate not yet offered anything, with a deadline a few seconds ahead.
call "$H" helhed.housing.v1.HousingService/ListUnits \
  '{"unitStatus":"UNIT_STATUS_AVAILABLE","page":{"pageSize":100}}' >"$work/units.json" || fail "ListUnits"
units=$(node -e 'for (const u of JSON.parse(require("fs").readFileSync(process.argv[1])).units || []) console.log(u.id)' \
  "$work/units.json")
offered=0
used=" "
for unit in $units; do
  call "$H" helhed.housing.v1.HousingService/RankCandidates "{\"unitId\":\"$unit\"}" >"$work/rank.json" ||
    fail "RankCandidates"
  app=$(node -e '
    const used = process.argv[2].split(" ");
    const c = (JSON.parse(require("fs").readFileSync(process.argv[1])).candidates || [])
      .find((x) => !used.includes(x.applicationId));
    if (c) console.log(c.applicationId);' "$work/rank.json" "$used")
  [ -n "$app" ] || continue
  deadline=$(date -u -d '+3 seconds' +%Y-%m-%dT%H:%M:%SZ)
  call "$H" helhed.housing.v1.HousingService/MakeOffer \
    "{\"unitId\":\"$unit\",\"applicationId\":\"$app\",\"deadline\":\"$deadline\",\"idempotencyKey\":\"monitoring-$offered\"}" \
    >"$work/offer.json" || fail "MakeOffer: $(cat "$work/offer.json")"
  used="$used$app "
  offered=$((offered + 1))
  [ "$offered" = 3 ] && break
done
[ "$offered" = 3 ] || fail "could make only $offered offers from the demo data"

# Health probes are counted apart (helhed_grpc_health_checks_total), never
# in grpc_server_*, so that kubelet probes do not dilute error ratios.
# Every process's reflection describes the health service.
for s in plans volunteers guides housing gateway; do
  "$buf" curl --protocol grpc --http2-prior-knowledge -d '{}' \
    "http://127.0.0.1:$(port_of "$s" grpc)/grpc.health.v1.Health/Check" >"$work/call.out" 2>&1 ||
    fail "$s: health check: $(cat "$work/call.out")"
done
# Every /metrics is clean for promtool (base units, names, help), and
# carries the health checks only under their own name.
for s in gateway plans volunteers guides housing housing2; do
  curl -sf "http://127.0.0.1:$(port_of "$s" metrics)/metrics" >"$work/$s.metrics" || fail "$s: /metrics"
  promtool check metrics <"$work/$s.metrics" >"$work/lint.out" 2>&1 ||
    fail "$s: promtool check metrics: $(cat "$work/lint.out")"
  ! grep -q '^grpc_server_[a-z_]*{.*grpc_service="grpc.health.v1.Health"' "$work/$s.metrics" ||
    fail "$s: health checks counted in grpc_server_*"
done
for s in plans volunteers guides housing; do
  grep -q '^helhed_grpc_health_checks_total{grpc_code="OK",grpc_method="Check"} [1-9]' "$work/$s.metrics" ||
    fail "$s: no helhed_grpc_health_checks_total for the health check: $(grep health "$work/$s.metrics")"
done
traffic_done=$(date +%s)

# --------------------------------------------------------- ask Prometheus
node "$src/tests/deploy/monitoring_check.js" "$prom" "$mon/rules.yml" "$mon/dashboard.json" 60 ||
  fail "monitoring checks (Prometheus at $prom)"
ended=$(date +%s)
echo "monitoring: $((ended - began)) s (static $((static_done - began)) s, suite and demo data" \
  "$((suite_done - static_done)) s, Prometheus ready $((prom_ready - suite_done)) s," \
  "traffic $((traffic_done - prom_ready)) s, checks $((ended - traffic_done)) s)"
[ -z "$manifest_errors" ] || fail "the end-to-end part passed, but:
$manifest_errors"
echo "monitoring: ok"
