#!/usr/bin/env bash
# The real image in a real container runtime, without a registry: builds a
# Debian 12 base with debootstrap (from the Debian mirror this machine's apt
# uses) and `podman import`, builds the project's Dockerfile with `podman
# build`, and runs the rendered dev foundation and overlay with `podman kube
# play --network=host`. Then requires: the five pods up, each process uid
# 10001 with a read-only root file system and no capabilities, healthy; the
# demo data loaded by the loaders in the image; calls through the gateway
# answering (ListPlans, GetCitizenOverview across all four services, a call
# without a token refused); the SQLite files on the claims' volumes.
#   tests/deploy/container_test.sh BUILD_DIR SOURCE_DIR
# Needs root (rootful podman) and podman, runc, catatonit, debootstrap
# (scripts/install-deps); exits 77 (ctest: skipped) without podman or root.
#
# Debian's podman 4.3 runs a copy of the rendered manifests, never k8s/
# itself, changed by tests/deploy/container_manifests.mjs (see there):
# Secrets become files (a Secret volume crashes kube play) and values (a
# secretKeyRef is refused, "not valid JSON"); on the host network Service
# names become 127.0.0.1 and every port a free one (no Service DNS, no
# hostAliases, no port mapping: container ports are dropped); each pod's
# emptyDir gets a volume of its own (kube play would share one by name).
#
# podman's state is its own (HELHED_CONTAINER_STATE, default
# /var/tmp/helhed-container-test: containers.conf, storage.conf, images and
# volumes), so nothing else's containers are touched. The base image and
# helhed:dev stay there between runs; HELHED_CONTAINER_FRESH_BASE=1 makes the
# base again. The run's files (rendered manifests, Secret files, logs) are in
# a temporary directory removed at the end unless the test failed or
# HELHED_KEEP_TEST_DIRS=1.
set -euo pipefail
build=${1:?usage: container_test.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: container_test.sh BUILD_DIR SOURCE_DIR}
build=$(cd "$build" && pwd)
src=$(cd "$src" && pwd)

# HELHED_CONTAINER_TEST=0 opts out (docs/OPERATIONS.md).
if [ "${HELHED_CONTAINER_TEST:-1}" = 0 ]; then
  echo "skipped: HELHED_CONTAINER_TEST=0"
  exit 77
fi
if ! command -v podman >/dev/null 2>&1; then
  echo "skipped: podman not installed (scripts/install-deps installs it)"
  exit 77
fi
if [ "$(id -u)" != 0 ]; then
  echo "skipped: needs root (rootful podman)"
  exit 77
fi

log() { echo "container_test: $*"; }
die() { echo "container_test: FAIL: $*" >&2; exit 1; }
for tool in kubectl node debootstrap flock protoc; do
  command -v "$tool" >/dev/null 2>&1 || die "no $tool: run scripts/install-deps"
done
buf="$src/tools/node_modules/.bin/buf"
token_tool="$build/services/gateway/helhed-dev-token"
schema="$build/helhed.binpb"
for f in "$buf" "$token_tool" "$schema" "$src/tools/node_modules/yaml/package.json"; do
  [ -e "$f" ] || die "$f is missing: run scripts/install-deps and scripts/build"
done

state=${HELHED_CONTAINER_STATE:-/var/tmp/helhed-container-test}
mkdir -p "$state"
# One run at a time: the pods, volumes and images have fixed names.
exec 9>"$state/lock"
flock -w 3600 9 || die "another container_test holds $state/lock"

# podman configuration for this machine: runc, cgroupfs, no default ulimits
# (a container may not raise them here), events to a file (no journald);
# storage of its own.
cat >"$state/containers.conf" <<'EOF'
[containers]
default_ulimits = []
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
cat >"$state/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$state/storage"
runroot = "/run/helhed-container-test"
EOF
export CONTAINERS_CONF="$state/containers.conf"
export CONTAINERS_STORAGE_CONF="$state/storage.conf"

work=$(mktemp -d /var/tmp/helhed-container-run.XXXXXX)
# The Secret files are mounted into containers running as uid 10001.
chmod 755 "$work"
failed=1
played=0
t_start=$(date +%s)
cleanup() {
  if [ "$failed" = 1 ] && [ "$played" = 1 ]; then
    echo "--- podman ps -a" >&2
    podman ps -a --format '{{.Names}} {{.Status}}' >&2 || true
    for c in $(podman ps -a --format '{{.Names}}' 2>/dev/null | grep -- '-pod-0-' || true); do
      echo "--- podman logs $c (last 20 lines but health checks)" >&2
      podman logs "$c" 2>&1 | grep -v 'grpc.health.v1.Health/Check' | tail -20 >&2 || true
    done
  fi
  if [ "$played" = 1 ]; then
    podman kube play --down "$work/m/play.yaml" >/dev/null 2>&1 || true
    podman volume rm -f -a >/dev/null 2>&1 || true
  fi
  # Superseded helhed:dev images and build stages.
  podman image prune -f >/dev/null 2>&1 || true
  if [ "$failed" = 1 ] || [ "${HELHED_KEEP_TEST_DIRS:-0}" = 1 ]; then
    echo "kept $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
since() { echo $(($(date +%s) - $1)); }

# ---- 1. The base image: debootstrap, podman import, tagged as Docker Hub's
# debian:12 and debian:12-slim so the Dockerfile's FROM lines resolve with
# --pull=never.
t=$(date +%s)
if [ "${HELHED_CONTAINER_FRESH_BASE:-0}" = 1 ] || ! podman image exists docker.io/library/debian:12; then
  # The Debian mirror this machine's apt uses (no host is named here).
  mirror=${HELHED_DEBIAN_MIRROR:-}
  if [ -z "$mirror" ]; then
    mirror=$(awk '/^URIs:/ {u=$2} /^Suites:/ && / bookworm( |$)/ {print u; exit}' \
      /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  fi
  if [ -z "$mirror" ]; then
    mirror=$(sed -E 's/\[[^]]*\]//' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      awk '$1=="deb" && $3=="bookworm" {print $2; exit}' || true)
  fi
  [ -n "$mirror" ] || die "no Debian bookworm mirror in /etc/apt/sources.list*; set HELHED_DEBIAN_MIRROR"
  log "debootstrap bookworm (minbase) from the machine's Debian mirror"
  debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; die "debootstrap"; }
  # The image's apt uses what this machine's apt uses (suites, security).
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    rm -f "$work/rootfs/etc/apt/sources.list"
    cp /etc/apt/sources.list.d/debian.sources "$work/rootfs/etc/apt/sources.list.d/"
  fi
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  tar -C "$work/rootfs" -c . | podman import -q \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' - docker.io/library/debian:12 >/dev/null
  podman tag docker.io/library/debian:12 docker.io/library/debian:12-slim
  rm -rf "$work/rootfs"
  log "phase base (debootstrap + import): $(since "$t") s"
else
  podman image exists docker.io/library/debian:12-slim ||
    podman tag docker.io/library/debian:12 docker.io/library/debian:12-slim
  log "phase base: reused docker.io/library/debian:12 (HELHED_CONTAINER_FRESH_BASE=1 makes it again)"
fi

# ---- 2. The image, from the Dockerfile as it is.
t=$(date +%s)
log "podman build (the whole suite is compiled in the build stage; minutes)"
podman build --pull=never --network=host -t localhost/helhed:dev -f "$src/Dockerfile" "$src" \
  >"$work/build.log" 2>&1 || { tail -40 "$work/build.log" >&2; die "podman build"; }
log "phase podman build: $(since "$t") s"
[ "$(podman image inspect localhost/helhed:dev --format '{{.Config.User}}')" = "10001:10001" ] ||
  die "image user is not 10001:10001"

# ---- 3. The manifests: the dev foundation (volumes) and the dev overlay,
# rendered, then adapted for podman 4.3 on the host network (the test's
# copy only).
t=$(date +%s)
mkdir -p "$work/m"
kubectl kustomize "$src/k8s/foundation/dev" >"$work/foundation.yaml" 2>"$work/render.err" ||
  { cat "$work/render.err" >&2; die "kustomize k8s/foundation/dev"; }
kubectl kustomize "$src/k8s/overlays/dev" >"$work/dev.yaml" 2>"$work/render.err" ||
  { cat "$work/render.err" >&2; die "kustomize k8s/overlays/dev"; }
grep -q 'image: helhed:dev$' "$work/dev.yaml" || die "dev overlay does not name helhed:dev"
node "$src/tests/deploy/container_manifests.mjs" --source "$src" --out "$work/m" \
  "$work/foundation.yaml" "$work/dev.yaml" || die "adapting the manifests"
log "changed in the test's copy of the manifests:"
sed 's/^/  /' "$work/m/changes.txt"
# shellcheck disable=SC1091
source "$work/m/ports.env"

# ---- 4. Run it. Leftovers of an interrupted run first (this storage is the
# test's own).
podman pod rm -f -a >/dev/null 2>&1 || true
podman volume rm -f -a >/dev/null 2>&1 || true
t_play=$(date +%s)
played=1
podman kube play --network=host "$work/m/play.yaml" >"$work/play.log" 2>&1 ||
  { cat "$work/play.log" >&2; die "podman kube play"; }
services=(plans volunteers guides housing gateway)
grpc_port() { local v="${1^^}_GRPC"; echo "${!v}"; }
# grpc.health.v1 as kubelet's probe asks it (service ""). Every process's
# reflection describes it; one schema file asks all five the same way.
protoc -I/usr/share/grpc-proto --include_imports --descriptor_set_out="$work/health.binpb" \
  grpc/health/v1/health.proto || die "protoc grpc/health/v1/health.proto (grpc-proto)"
health() {
  "$buf" curl --schema "$work/health.binpb" --protocol grpc --http2-prior-knowledge --timeout 3s \
    -d '{"service":""}' \
    "http://127.0.0.1:$1/grpc.health.v1.Health/Check" 2>/dev/null | grep -q '"SERVING"'
}
for s in "${services[@]}"; do
  c="helhed-$s-pod-0-$s"
  ok=0
  for _ in $(seq 1 120); do
    if health "$(grpc_port "$s")"; then ok=1; break; fi
    state_now=$(podman inspect "$c" --format '{{.State.Status}}' 2>/dev/null || echo missing)
    [ "$state_now" = running ] || [ "$state_now" = created ] || [ "$state_now" = configured ] ||
      die "$c is $state_now"
    sleep 1
  done
  [ "$ok" = 1 ] || die "helhed-$s not SERVING on 127.0.0.1:$(grpc_port "$s") after 120 s"
done
log "phase kube play -> all five SERVING: $(since "$t_play") s"

# The manifests' security settings, as the runtime applied them.
for s in "${services[@]}"; do
  c="helhed-$s-pod-0-$s"
  [ "$(podman exec "$c" id -u)" = 10001 ] || die "$c does not run as uid 10001"
  [ "$(podman exec "$c" id -g)" = 10001 ] || die "$c does not run as gid 10001"
  [ "$(podman top "$c" huser args | awk 'NR>1 && $2=="helhed-'"$s"'" {print $1}')" = 10001 ] ||
    die "$c: helhed-$s is not the process running as 10001 ($(podman top "$c" huser args | tr '\n' ' '))"
  [ "$(podman inspect "$c" --format '{{.HostConfig.ReadonlyRootfs}}')" = true ] ||
    die "$c: root file system not read-only"
  if podman exec "$c" sh -c 'echo x >/probe' 2>/dev/null; then die "$c: wrote to /"; fi
  podman exec "$c" sh -c 'echo x >/tmp/probe && rm /tmp/probe' || die "$c: /tmp not writable"
  podman exec "$c" grep -q '^CapEff:[[:space:]]*0000000000000000$' /proc/1/status ||
    die "$c: capabilities left"
  podman exec "$c" grep -q '^NoNewPrivs:[[:space:]]*1$' /proc/1/status || die "$c: no_new_privs not set"
done
log "five pods: processes uid/gid 10001, read-only root, /tmp writable, no capabilities, no_new_privs"

# ---- 5. The demo data, loaded by the loaders in the image, as a pod would
# run them (uid 10001, read-only root, no capabilities).
loader() {
  local principal="$work/m/secrets/helhed-plans-principal-key"
  podman run --rm --network=host --user 10001:10001 --read-only --cap-drop=ALL \
    --security-opt=no-new-privileges -v "$principal:/etc/helhed/principal:ro" \
    -e HELHED_PRINCIPAL_KEY_FILE=/etc/helhed/principal/principal.key localhost/helhed:dev "$@"
}
loader helhed-plans-demo-load --target="127.0.0.1:$PLANS_GRPC" \
  --file=/usr/local/share/helhed/demo/plans_demo_data.textproto >"$work/load-plans.out" 2>&1 ||
  { cat "$work/load-plans.out" >&2; die "plans demo load"; }
grep -q "initiative_areas=21" "$work/load-plans.out" || die "plans demo load: $(cat "$work/load-plans.out")"
loader helhed-volunteers-demo-load --target="127.0.0.1:$VOLUNTEERS_GRPC" >"$work/load-volunteers.out" 2>&1 ||
  { cat "$work/load-volunteers.out" >&2; die "volunteers demo load"; }
loader helhed-guides-demo-load --target="127.0.0.1:$GUIDES_GRPC" >"$work/load-guides.out" 2>&1 ||
  { cat "$work/load-guides.out" >&2; die "guides demo load"; }
for m in 730 810; do
  loader helhed-housing-demo-load --target="127.0.0.1:$HOUSING_GRPC" --municipality=$m \
    >"$work/load-housing-$m.out" 2>&1 || { cat "$work/load-housing-$m.out" >&2; die "housing demo load $m"; }
done
log "demo data loaded by the image's loaders"

# ---- 6. Through the gateway, with a token signed by the dev overlay's
# DEVELOPMENT-ONLY key (its public half is the overlay's jwt-keys Secret).
devkey="$src/k8s/overlays/dev/secrets/DEVELOPMENT-ONLY-jwt-signing.key"
token=$("$token_tool" --key="$devkey" --kid=dev --roles=caseworker,manager --municipality=730)
gw="http://127.0.0.1:$GATEWAY_GRPC"
call() {
  "$buf" curl --schema "$schema" --protocol grpc --http2-prior-knowledge --timeout 20s "$@"
}
call -H "authorization: Bearer $token" -d '{"page":{"pageSize":10}}' \
  "$gw/helhed.plans.v1.PlansService/ListPlans" >"$work/listplans.json" 2>&1 ||
  { cat "$work/listplans.json" >&2; die "ListPlans through the gateway"; }
grep -q '"Voksenhandicapplan 2020-2023"' "$work/listplans.json" ||
  die "ListPlans lacks the demo plan: $(head -c 600 "$work/listplans.json")"
log "phase kube play -> first answer through the gateway (ListPlans): $(since "$t_play") s"
# The overview reads all four services behind the gateway.
call -H "authorization: Bearer $token" -H "x-helhed-purpose: opfoelgning" -d '{"citizenId":"demo-730-h1"}' \
  "$gw/helhed.gateway.v1.GatewayService/GetCitizenOverview" >"$work/overview.json" 2>&1 ||
  { cat "$work/overview.json" >&2; die "GetCitizenOverview through the gateway"; }
[ "$(grep -c '"status": "SECTION_STATUS_AVAILABLE"' "$work/overview.json")" = 4 ] ||
  die "GetCitizenOverview: not all four services answered: $(grep -A1 '"section"' "$work/overview.json" | tr -s ' \n' ' ')"
grep -q '"citizenId": "demo-730-h1"' "$work/overview.json" || die "GetCitizenOverview: no demo citizen data"
housing_token=$("$token_tool" --key="$devkey" --kid=dev --roles=housing_officer --municipality=730)
call -H "authorization: Bearer $housing_token" -d '{"temporaryDays":60}' \
  "$gw/helhed.housing.v1.HousingService/GetHousingStats" >"$work/housing.json" 2>&1 ||
  { cat "$work/housing.json" >&2; die "GetHousingStats through the gateway"; }
if call -d '{"page":{"pageSize":1}}' "$gw/helhed.plans.v1.PlansService/ListPlans" >"$work/noauth" 2>&1; then
  die "a call without a token succeeded"
fi
grep -qi unauthenticated "$work/noauth" || die "expected unauthenticated: $(cat "$work/noauth")"
log "gateway: ListPlans, GetCitizenOverview, GetHousingStats answer; no token is UNAUTHENTICATED"

# ---- 7. The stores are on the claims' volumes, owned by 10001.
for s in "${services[@]}"; do
  mp=$(podman volume inspect "helhed-$s-data" --format '{{.Mountpoint}}')
  [ -s "$mp/$s.db" ] || die "no $s.db on volume helhed-$s-data ($(find "$mp" -maxdepth 1 -printf '%u %p, '))"
  [ "$(stat -c %u "$mp/$s.db")" = 10001 ] || die "$s.db on helhed-$s-data is not owned by 10001"
done
log "SQLite stores on the PersistentVolumeClaims' volumes, owned by 10001"

failed=0
log "PASS in $(since "$t_start") s"
