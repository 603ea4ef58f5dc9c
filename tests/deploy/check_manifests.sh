#!/usr/bin/env bash
# Renders k8s/overlays/dev and k8s/overlays/prod (the application) and
# k8s/foundation/dev and k8s/foundation/prod (the namespace and the volumes,
# which the application does not include) with `kubectl kustomize` and
# validates them offline (tests/deploy/validate.mjs: Kubernetes and Prometheus
# Operator schemas from the npm package kubernetes-models, probes, resources,
# security contexts, NetworkPolicy coverage, references, PDB/HPA in prod).
# Then damages the rendered objects on purpose, one rule at a time, and
# requires the validator to fail each time, so the check itself can fail.
#   tests/deploy/check_manifests.sh BUILD_DIR SOURCE_DIR
# HELHED_KUBECTL: space-separated kubectl binaries to render with (default:
# kubectl). Each must succeed; e.g. Debian's kubectl 1.20 (kustomize v2.0.3)
# and a current one.
set -euo pipefail
build=${1:?usage: check_manifests.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: check_manifests.sh BUILD_DIR SOURCE_DIR}
out="$build/deploy-manifests"
mkdir -p "$out"

for m in kubernetes-models @kubernetes-models/prometheus-operator yaml; do
  if [ ! -f "$src/tools/node_modules/$m/package.json" ]; then
    echo "check_manifests: $m is missing from tools/node_modules: run scripts/install-deps" >&2
    exit 1
  fi
done
command -v node >/dev/null || { echo "check_manifests: no node: run scripts/install-deps" >&2; exit 1; }
read -r -a kubectls <<<"${HELHED_KUBECTL:-kubectl}"
for k in "${kubectls[@]}"; do
  command -v "$k" >/dev/null || { echo "check_manifests: no $k: run scripts/install-deps" >&2; exit 1; }
done
grep -qE '^- monitoring$' "$src/k8s/base/kustomization.yaml" ||
  { echo "check_manifests: k8s/base/kustomization.yaml does not include monitoring" >&2; exit 1; }

fail=0
n=0
for k in "${kubectls[@]}"; do
  version=$("$k" version --client 2>/dev/null | head -n1 | grep -oE 'v[0-9]+\.[0-9]+\.[0-9]+' | head -n1 || true)
  for overlay in dev prod; do
    file="$out/$overlay-${version:-kubectl}.yaml"
    if ! "$k" kustomize "$src/k8s/overlays/$overlay" >"$file" 2>"$file.err"; then
      echo "check_manifests: $k ($version) cannot render k8s/overlays/$overlay:" >&2
      grep -v '^# Warning' "$file.err" >&2 || true
      fail=1
      continue
    fi
    found="$out/foundation-$overlay-${version:-kubectl}.yaml"
    if ! "$k" kustomize "$src/k8s/foundation/$overlay" >"$found" 2>"$found.err"; then
      echo "check_manifests: $k ($version) cannot render k8s/foundation/$overlay:" >&2
      grep -v '^# Warning' "$found.err" >&2 || true
      fail=1
      continue
    fi
    echo "rendered k8s/overlays/$overlay and k8s/foundation/$overlay with kubectl $version"
    if ! node "$src/tests/deploy/validate.mjs" --source "$src" --overlay "$overlay" \
         --foundation "$found" "$file"; then
      fail=1
    fi
    n=$((n + 1))
  done
done
[ "$fail" = 0 ] || { echo "check_manifests: FAILED" >&2; exit 1; }

# The validator must reject each kind of damage.
prod="$(ls "$out"/prod-*.yaml | grep -v '\.err$' | head -n1)"
prod_found="$out/foundation-${prod#"$out"/}"
breaks=(schema no-readiness no-liveness no-limits root writable-root no-netpol netpol-port
        no-pdb no-hpa grace secret-ref psa pvc-in-app hpa-replicas no-egress-deny egress-other-db
        no-runbook no-prometheus-rbac)
for b in "${breaks[@]}"; do
  if node "$src/tests/deploy/validate.mjs" --source "$src" --overlay prod --break "$b" \
       --foundation "$prod_found" "$prod" \
       >/dev/null 2>"$out/break-$b.err"; then
    echo "check_manifests: the validator accepted manifests broken by '$b'" >&2
    fail=1
  elif ! grep -q 'problem(s)' "$out/break-$b.err"; then
    echo "check_manifests: '$b' failed for another reason:" >&2
    cat "$out/break-$b.err" >&2
    fail=1
  fi
done
[ "$fail" = 0 ] || { echo "check_manifests: FAILED" >&2; exit 1; }

# The optional cert-manager component renders on top of prod (kustomize
# Components: kubectl 1.21+) and makes the Secret the gateway mounts.
for k in "${kubectls[@]}"; do
  comp="$out/with-certificate"
  mkdir -p "$comp"
  rel=$(realpath --relative-to="$comp" "$src/k8s")
  printf 'resources:\n- %s\ncomponents:\n- %s\n' "$rel/overlays/prod" \
    "$rel/components/gateway-certificate" >"$comp/kustomization.yaml"
  if "$k" kustomize "$comp" >"$comp/rendered.yaml" 2>"$comp/err"; then
    grep -q '^kind: Certificate$' "$comp/rendered.yaml" && grep -q '^  secretName: helhed-gateway-tls$' "$comp/rendered.yaml" ||
      { echo "check_manifests: the gateway-certificate component makes no Certificate for helhed-gateway-tls" >&2; fail=1; }
  elif grep -qi 'component' "$comp/err"; then
    echo "check_manifests: $k cannot render kustomize Components; gateway-certificate not checked"
  else
    echo "check_manifests: $k cannot render prod with k8s/components/gateway-certificate:" >&2
    grep -v '^# Warning' "$comp/err" >&2 || true
    fail=1
  fi
done
[ "$fail" = 0 ] || { echo "check_manifests: FAILED" >&2; exit 1; }
echo "check_manifests: $n renderings valid; ${#breaks[@]} deliberate breakages rejected"
