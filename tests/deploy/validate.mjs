// Validates rendered Kubernetes manifests offline and enforces Helhed's
// deployment rules.
//   node tests/deploy/validate.mjs --source SOURCE_DIR --overlay dev|prod RENDERED.yaml
// Exits 1 listing every problem:
//   - an object that does not validate against the Kubernetes API schema
//     (kubernetes-models) or the Prometheus Operator CRDs, or of a kind there
//     is no schema for;
//   - a Deployment or StatefulSet container without liveness and readiness
//     probes, without CPU and memory requests and limits, or without
//     runAsNonRoot, a non-root runAsUser (10001 for Helhed's Deployments),
//     readOnlyRootFilesystem, allowPrivilegeEscalation false, capabilities
//     drop ALL and seccompProfile RuntimeDefault (container or pod level);
//   - a Helhed Deployment whose terminationGracePeriodSeconds is not longer
//     than its HELHED_DRAIN_SECONDS;
//   - no default-deny ingress NetworkPolicy in a namespace; a Service whose
//     pods and ports are not all covered by an ingress rule of a NetworkPolicy
//     selecting those pods; a Service that selects no workload;
//   - a ConfigMap, Secret or PersistentVolumeClaim a workload refers to that
//     is neither rendered nor in the overlay's list of Secrets operators
//     create themselves (below); a ServiceMonitor that matches no Service port;
//   - a container image without an explicit tag;
//   - in prod: a Deployment without a PodDisruptionBudget, without a
//     HorizontalPodAutoscaler, or with fewer than 2 replicas.
// --break NAME first damages the rendered objects on purpose (see BREAKS);
// check_manifests.sh uses it to prove each rule can fail.
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
let source = ".";
let overlay = "";
let breakName = "";
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--source") source = args[++i];
  else if (args[i] === "--overlay") overlay = args[++i];
  else if (args[i] === "--break") breakName = args[++i];
  else files.push(args[i]);
}
if (files.length !== 1 || !overlay) {
  console.error("usage: validate.mjs --source SOURCE_DIR --overlay dev|prod RENDERED.yaml");
  process.exit(2);
}
const modules = join(source, "tools", "node_modules");
const importFrom = (p) => import(pathToFileURL(join(modules, p)).href);
const YAML = await importFrom("yaml/dist/index.js");

// Secrets that are created by operators, not rendered (docs/OPERATIONS.md).
const EXTERNAL_SECRETS = {
  dev: [/^helhed-gateway-jwt-keys$/],
  prod: [
    /^helhed-page-token$/,
    /^helhed-gateway-jwt-keys$/,
    /^helhed-gateway-cpr-key$/,
    /^helhed-(gateway|plans|volunteers|guides|housing)-db$/,
    /^helhed-(plans|volunteers|guides|housing)-tls$/,
    /^helhed-gateway-client-tls$/,
  ],
};
if (!(overlay in EXTERNAL_SECRETS)) {
  console.error(`validate.mjs: unknown overlay ${overlay}`);
  process.exit(2);
}

const problems = [];
const bad = (obj, msg) =>
  problems.push(`${obj ? `${obj.kind}/${obj.metadata?.name}: ` : ""}${msg}`);

// ---------------------------------------------------------------- parsing
const objects = [];
for (const doc of YAML.parseAllDocuments(readFileSync(files[0], "utf8"))) {
  if (doc.errors.length) {
    bad(null, `YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
    continue;
  }
  const o = doc.toJS();
  if (o === null || o === undefined) continue;
  // Newer kustomize wraps long base64 values in Secret data at 70 columns;
  // the API server's decoder skips the line breaks, so the schema should too.
  if (o.kind === "Secret" && o.data && typeof o.data === "object") {
    for (const k of Object.keys(o.data)) {
      if (typeof o.data[k] === "string") o.data[k] = o.data[k].replace(/[\r\n]/g, "");
    }
  }
  objects.push(o);
}
if (objects.length === 0) bad(null, "the rendered manifests are empty");

// Deliberate damage, one rule each, for the check's own test.
const firstOf = (kind, pred = () => true) => objects.find((o) => o.kind === kind && pred(o));
const helhedDeployment = () => firstOf("Deployment", (d) => d.metadata.name === "helhed-plans");
const BREAKS = {
  "schema": () => { helhedDeployment().spec.replicas = "two"; },
  "no-readiness": () => { delete helhedDeployment().spec.template.spec.containers[0].readinessProbe; },
  "no-liveness": () => { delete firstOf("StatefulSet").spec.template.spec.containers[0].livenessProbe; },
  "no-limits": () => { delete helhedDeployment().spec.template.spec.containers[0].resources.limits; },
  "root": () => {
    const t = helhedDeployment().spec.template.spec;
    t.securityContext.runAsUser = 0;
    delete t.containers[0].securityContext.runAsUser;
  },
  "writable-root": () => { helhedDeployment().spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false; },
  "no-netpol": () => {
    const i = objects.findIndex((o) => o.kind === "NetworkPolicy" && o.metadata.name === "helhed-plans");
    objects.splice(i, 1);
  },
  "netpol-port": () => {
    const p = firstOf("NetworkPolicy", (o) => o.metadata.name === "helhed-plans");
    p.spec.ingress = p.spec.ingress.filter((r) => !(r.ports ?? []).some((x) => x.port === "metrics"));
  },
  "no-pdb": () => { objects.splice(objects.indexOf(firstOf("PodDisruptionBudget")), 1); },
  "no-hpa": () => { objects.splice(objects.indexOf(firstOf("HorizontalPodAutoscaler")), 1); },
  "grace": () => { helhedDeployment().spec.template.spec.terminationGracePeriodSeconds = 5; },
  "secret-ref": () => {
    helhedDeployment().spec.template.spec.containers[0].env.push(
      { name: "X", valueFrom: { secretKeyRef: { name: "nowhere", key: "k" } } });
  },
};
if (breakName) {
  if (!(breakName in BREAKS)) {
    console.error(`validate.mjs: unknown --break ${breakName}`);
    process.exit(2);
  }
  BREAKS[breakName]();
}

// ---------------------------------------------------------------- schemas
async function modelFor(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string") return null;
  const candidates = [];
  if (apiVersion.startsWith("monitoring.coreos.com/")) {
    candidates.push(`@kubernetes-models/prometheus-operator/${apiVersion}/${kind}.js`);
  } else {
    candidates.push(`kubernetes-models/${apiVersion}/${kind}.js`);
  }
  for (const c of candidates) {
    if (existsSync(join(modules, c))) return (await importFrom(c))[kind];
  }
  return null;
}
for (const o of objects) {
  const Model = await modelFor(o.apiVersion, o.kind);
  if (!Model) {
    bad(o, `no schema for ${o.apiVersion} ${o.kind}`);
    continue;
  }
  try {
    new Model(o).validate();
  } catch (e) {
    bad(o, `invalid: ${String(e.message ?? e).split("\n").slice(0, 5).join("; ")}`);
  }
}

// ---------------------------------------------------------------- helpers
const ns = (o) => o.metadata?.namespace ?? "default";
const byKind = (k) => objects.filter((o) => o.kind === k);
const workloads = objects.filter((o) => ["Deployment", "StatefulSet"].includes(o.kind));
const isHelhed = (w) =>
  (w.spec?.template?.spec?.containers ?? []).some((c) => /(^|\/)helhed[:@]/.test(c.image ?? ""));

function matches(selector, labels) {
  if (!selector) return false;
  labels = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== v) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const inValues = has && (e.values ?? []).includes(labels[e.key]);
    if (e.operator === "In" && !inValues) return false;
    if (e.operator === "NotIn" && inValues) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}
const podLabels = (w) => w.spec?.template?.metadata?.labels ?? {};
const allContainers = (w) => [
  ...(w.spec?.template?.spec?.initContainers ?? []),
  ...(w.spec?.template?.spec?.containers ?? []),
];

// ---------------------------------------------------------------- namespaces
const namespaces = new Set(byKind("Namespace").map((n) => n.metadata.name));
const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume"]);
for (const o of objects) {
  if (CLUSTER_SCOPED.has(o.kind)) continue;
  if (!o.metadata?.namespace) bad(o, "has no namespace");
  else if (!namespaces.has(o.metadata.namespace)) bad(o, `namespace ${o.metadata.namespace} is not rendered`);
}

// ---------------------------------------------------------------- workloads
const configMaps = new Map(byKind("ConfigMap").map((c) => [`${ns(c)}/${c.metadata.name}`, c]));
const secrets = new Set(byKind("Secret").map((s) => `${ns(s)}/${s.metadata.name}`));
const pvcs = new Set(byKind("PersistentVolumeClaim").map((p) => `${ns(p)}/${p.metadata.name}`));

function checkSecret(w, name, where) {
  if (secrets.has(`${ns(w)}/${name}`)) return;
  if (EXTERNAL_SECRETS[overlay].some((re) => re.test(name))) return;
  bad(w, `${where} refers to Secret ${name}, which is neither rendered nor documented as created by operators`);
}
function checkConfigMap(w, name, where) {
  if (!configMaps.has(`${ns(w)}/${name}`)) bad(w, `${where} refers to ConfigMap ${name}, which is not rendered`);
}

for (const w of workloads) {
  const pod = w.spec?.template?.spec ?? {};
  const psc = pod.securityContext ?? {};
  const helhed = isHelhed(w);
  for (const c of allContainers(w)) {
    const where = `container ${c.name}`;
    const isInit = (pod.initContainers ?? []).includes(c);
    if (!isInit) {
      if (!c.livenessProbe) bad(w, `${where} has no livenessProbe`);
      if (!c.readinessProbe) bad(w, `${where} has no readinessProbe`);
    }
    for (const part of ["requests", "limits"]) {
      for (const r of ["cpu", "memory"]) {
        if (c.resources?.[part]?.[r] === undefined) bad(w, `${where} has no resources.${part}.${r}`);
      }
    }
    const sc = c.securityContext ?? {};
    const eff = (k) => (sc[k] !== undefined ? sc[k] : psc[k]);
    if (eff("runAsNonRoot") !== true) bad(w, `${where}: runAsNonRoot is not true`);
    const uid = eff("runAsUser");
    if (!Number.isInteger(uid) || uid === 0) bad(w, `${where}: runAsUser is not a non-root uid`);
    else if (helhed && w.kind === "Deployment" && uid !== 10001) bad(w, `${where}: runAsUser is ${uid}, not 10001`);
    if (sc.readOnlyRootFilesystem !== true) bad(w, `${where}: readOnlyRootFilesystem is not true`);
    if (sc.allowPrivilegeEscalation !== false) bad(w, `${where}: allowPrivilegeEscalation is not false`);
    if (sc.privileged === true) bad(w, `${where}: privileged`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) bad(w, `${where}: capabilities do not drop ALL`);
    if ((sc.capabilities?.add ?? []).length) bad(w, `${where}: adds capabilities`);
    if (eff("seccompProfile")?.type !== "RuntimeDefault") bad(w, `${where}: seccompProfile is not RuntimeDefault`);
    const image = c.image ?? "";
    const last = image.split("/").pop();
    if (!last.includes(":") && !last.includes("@")) bad(w, `${where}: image ${image} has no tag`);
    else if (last.endsWith(":latest")) bad(w, `${where}: image ${image} uses :latest`);

    // References.
    for (const ef of c.envFrom ?? []) {
      if (ef.configMapRef && !ef.configMapRef.optional) checkConfigMap(w, ef.configMapRef.name, where);
      if (ef.secretRef && !ef.secretRef.optional) checkSecret(w, ef.secretRef.name, where);
    }
    for (const e of c.env ?? []) {
      const cm = e.valueFrom?.configMapKeyRef;
      if (cm && !cm.optional) {
        checkConfigMap(w, cm.name, `${where} env ${e.name}`);
        const m = configMaps.get(`${ns(w)}/${cm.name}`);
        if (m && !(cm.key in (m.data ?? {}))) bad(w, `${where} env ${e.name}: ConfigMap ${cm.name} has no key ${cm.key}`);
      }
      const s = e.valueFrom?.secretKeyRef;
      if (s && !s.optional) checkSecret(w, s.name, `${where} env ${e.name}`);
    }
    // Graceful shutdown must fit in the grace period.
    if (helhed && w.kind === "Deployment") {
      let drain = 10; // the binaries' default
      for (const ef of c.envFrom ?? []) {
        const m = ef.configMapRef && configMaps.get(`${ns(w)}/${ef.configMapRef.name}`);
        if (m?.data?.HELHED_DRAIN_SECONDS !== undefined) drain = Number(m.data.HELHED_DRAIN_SECONDS);
      }
      const direct = (c.env ?? []).find((e) => e.name === "HELHED_DRAIN_SECONDS" && e.value !== undefined);
      if (direct) drain = Number(direct.value);
      const grace = pod.terminationGracePeriodSeconds ?? 30;
      if (!(grace > drain)) bad(w, `terminationGracePeriodSeconds ${grace} is not longer than the drain of ${drain} s`);
    }
  }
  for (const v of pod.volumes ?? []) {
    if (v.secret && !v.secret.optional) checkSecret(w, v.secret.secretName, `volume ${v.name}`);
    if (v.configMap && !v.configMap.optional) checkConfigMap(w, v.configMap.name, `volume ${v.name}`);
    if (v.persistentVolumeClaim && !pvcs.has(`${ns(w)}/${v.persistentVolumeClaim.claimName}`)) {
      bad(w, `volume ${v.name} refers to PersistentVolumeClaim ${v.persistentVolumeClaim.claimName}, which is not rendered`);
    }
  }
  const mounted = new Set([...(pod.volumes ?? []).map((v) => v.name),
    ...(w.spec?.volumeClaimTemplates ?? []).map((t) => t.metadata?.name)]);
  for (const c of allContainers(w)) {
    for (const m of c.volumeMounts ?? []) {
      if (!mounted.has(m.name)) bad(w, `container ${c.name} mounts volume ${m.name}, which the pod does not have`);
    }
  }
}

// ---------------------------------------------------------------- network policies
const policies = byKind("NetworkPolicy");
const ingressPolicy = (p) =>
  (p.spec?.policyTypes ?? ["Ingress"]).includes("Ingress");
for (const n of namespaces) {
  const deny = policies.some((p) => ns(p) === n && ingressPolicy(p) &&
    Object.keys(p.spec?.podSelector ?? {}).length === 0 && (p.spec?.ingress ?? []).length === 0);
  if (!deny) bad(null, `namespace ${n} has no default-deny ingress NetworkPolicy (podSelector {}, no ingress rules)`);
}
for (const svc of byKind("Service")) {
  const selector = svc.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) {
    bad(svc, "has no selector, so no NetworkPolicy can be checked for it");
    continue;
  }
  const pods = workloads.filter((w) => ns(w) === ns(svc) && matches({ matchLabels: selector }, podLabels(w)));
  if (pods.length === 0) {
    bad(svc, "selects no Deployment or StatefulSet");
    continue;
  }
  for (const w of pods) {
    const cports = allContainers(w).flatMap((c) => c.ports ?? []);
    for (const sp of svc.spec.ports ?? []) {
      const target = sp.targetPort ?? sp.port;
      const forms = new Set([target]);
      const cp = cports.find((p) => p.name === target || p.containerPort === target);
      if (!cp) {
        bad(svc, `port ${sp.name ?? sp.port}: ${w.kind}/${w.metadata.name} has no container port ${target}`);
        continue;
      }
      forms.add(cp.containerPort);
      if (cp.name) forms.add(cp.name);
      const covered = policies.some((p) =>
        ns(p) === ns(svc) && ingressPolicy(p) && matches(p.spec?.podSelector ?? {}, podLabels(w)) &&
        (p.spec?.ingress ?? []).some((rule) =>
          !rule.ports || rule.ports.length === 0 ||
          rule.ports.some((rp) => rp.port === undefined || forms.has(rp.port) ||
            (typeof rp.port === "number" && rp.endPort !== undefined &&
             cp.containerPort >= rp.port && cp.containerPort <= rp.endPort))));
      if (!covered) {
        bad(svc, `port ${sp.name ?? sp.port} of ${w.kind}/${w.metadata.name} has no NetworkPolicy ingress rule`);
      }
    }
  }
}

// ---------------------------------------------------------------- monitoring
for (const sm of byKind("ServiceMonitor")) {
  const targets = byKind("Service").filter((s) =>
    (sm.spec?.namespaceSelector?.any || ns(s) === ns(sm)) && matches(sm.spec?.selector, s.metadata?.labels));
  if (targets.length === 0) {
    bad(sm, "selects no Service");
    continue;
  }
  for (const ep of sm.spec?.endpoints ?? []) {
    if (ep.port && !targets.some((s) => (s.spec?.ports ?? []).some((p) => p.name === ep.port))) {
      bad(sm, `endpoint port ${ep.port} is on none of the Services it selects`);
    }
  }
}

// ---------------------------------------------------------------- prod
if (overlay === "prod") {
  const pdbs = byKind("PodDisruptionBudget");
  const hpas = byKind("HorizontalPodAutoscaler");
  for (const d of byKind("Deployment")) {
    if (!pdbs.some((p) => ns(p) === ns(d) && matches(p.spec?.selector, podLabels(d)))) {
      bad(d, "has no PodDisruptionBudget");
    }
    const hpa = hpas.find((h) => ns(h) === ns(d) && h.spec?.scaleTargetRef?.kind === "Deployment" &&
      h.spec.scaleTargetRef.name === d.metadata.name);
    if (!hpa) bad(d, "has no HorizontalPodAutoscaler");
    else if ((hpa.spec.minReplicas ?? 1) < 2) bad(d, "its HorizontalPodAutoscaler allows fewer than 2 replicas");
    if ((d.spec?.replicas ?? 1) < 2) bad(d, "has fewer than 2 replicas");
  }
}

// ---------------------------------------------------------------- result
const counts = {};
for (const o of objects) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
console.log(`${overlay}: ${objects.length} objects (${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(", ")})`);
if (problems.length) {
  for (const p of problems) console.error(`${overlay}: ${p}`);
  console.error(`${overlay}: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`${overlay}: valid`);
