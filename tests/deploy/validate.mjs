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
//     HorizontalPodAutoscaler (minReplicas >= 2), or with `replicas:` set
//     although its autoscaler owns the count;
//   - a Namespace without the Pod Security `restricted` enforce label; a
//     Namespace or PersistentVolumeClaim in the application's rendering
//     (they belong in k8s/foundation/<overlay>, given with --foundation, so
//     `kubectl delete -k` of the application keeps them);
//   - no default-deny egress NetworkPolicy, no DNS egress for every pod; a
//     gateway without egress to each service's grpc port; in prod a Helhed
//     Deployment without egress to its own database or with egress to
//     another's;
//   - no Role/RoleBinding letting a Prometheus service account of another
//     namespace get/list/watch services, endpoints and pods;
//   - a PrometheusRule alert without a runbook_url, or one whose
//     docs/OPERATIONS.md#anchor is not a heading of docs/OPERATIONS.md.
//   CronJobs and Jobs are held to the same container rules as Deployments,
//   except probes.
// --break NAME first damages the rendered objects on purpose (see BREAKS);
// check_manifests.sh uses it to prove each rule can fail.
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
let source = ".";
let overlay = "";
let breakName = "";
let foundationFile = "";
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--source") source = args[++i];
  else if (args[i] === "--foundation") foundationFile = args[++i];
  else if (args[i] === "--overlay") overlay = args[++i];
  else if (args[i] === "--break") breakName = args[++i];
  else files.push(args[i]);
}
if (files.length !== 1 || !overlay) {
  console.error("usage: validate.mjs --source SOURCE_DIR --overlay dev|prod [--foundation FOUNDATION.yaml] RENDERED.yaml");
  process.exit(2);
}
const modules = join(source, "tools", "node_modules");
const importFrom = (p) => import(pathToFileURL(join(modules, p)).href);
const YAML = await importFrom("yaml/dist/index.js");

// Secrets that are created by operators, not rendered (docs/OPERATIONS.md).
const EXTERNAL_SECRETS = {
  dev: [],
  prod: [
    /^helhed-page-token$/,
    /^helhed-gateway-jwt-keys$/,
    /^helhed-gateway-cpr-key$/,
    /^helhed-principal-key$/,
    /^helhed-(gateway|plans|volunteers|guides|housing)-db$/,
    /^helhed-(plans|volunteers|guides|housing)-tls$/,
    /^helhed-gateway-client-tls$/,
    /^helhed-gateway-tls$/,
    /^helhed-backup-key$/,
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
// Objects of the foundation (namespace, volumes), which outlive the application.
const foundation = new WeakSet();
for (const [file, isFoundation] of [[files[0], false], ...(foundationFile ? [[foundationFile, true]] : [])])
for (const doc of YAML.parseAllDocuments(readFileSync(file, "utf8"))) {
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
  if (isFoundation) foundation.add(o);
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
  "psa": () => { delete firstOf("Namespace").metadata.labels["pod-security.kubernetes.io/enforce"]; },
  "pvc-in-app": () => { foundation.delete(firstOf("PersistentVolumeClaim")); },
  "hpa-replicas": () => { helhedDeployment().spec.replicas = 2; },
  "no-egress-deny": () => {
    objects.splice(objects.findIndex((o) => o.kind === "NetworkPolicy" && o.metadata.name === "default-deny-egress"), 1);
  },
  "egress-other-db": () => {
    firstOf("NetworkPolicy", (o) => o.metadata.name === "helhed-plans-egress-db").spec.egress.push(
      { to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "helhed-housing-db" } } }] });
  },
  "no-runbook": () => {
    delete firstOf("PrometheusRule").spec.groups.flatMap((g) => g.rules).find((r) => r.alert).annotations.runbook_url;
  },
  "no-prometheus-rbac": () => { objects.splice(objects.indexOf(firstOf("RoleBinding")), 1); },
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
const workloads = objects.filter((o) => ["Deployment", "StatefulSet", "CronJob", "Job"].includes(o.kind));
const template = (w) => (w.kind === "CronJob" ? w.spec?.jobTemplate?.spec?.template : w.spec?.template);
const isHelhed = (w) =>
  (template(w)?.spec?.containers ?? []).some((c) => /(^|\/)helhed[:@]/.test(c.image ?? ""));

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
const podLabels = (w) => template(w)?.metadata?.labels ?? {};
const allContainers = (w) => [
  ...(template(w)?.spec?.initContainers ?? []),
  ...(template(w)?.spec?.containers ?? []),
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
  const pod = template(w)?.spec ?? {};
  const psc = pod.securityContext ?? {};
  const helhed = isHelhed(w);
  for (const c of allContainers(w)) {
    const where = `container ${c.name}`;
    const isInit = (pod.initContainers ?? []).includes(c);
    if (!isInit && ["Deployment", "StatefulSet"].includes(w.kind)) {
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
    else if (d.spec?.replicas !== undefined && d.spec?.replicas !== null) {
      bad(d, `sets replicas: ${d.spec.replicas} although its HorizontalPodAutoscaler owns the count`);
    }
  }
}

// ---------------------------------------------------------------- foundation
// The namespace and the volumes outlive the application: not in its rendering.
for (const o of objects) {
  if (["Namespace", "PersistentVolumeClaim"].includes(o.kind) && !foundation.has(o)) {
    bad(o, "is in the application's kustomization; it belongs in k8s/foundation (kubectl delete -k would delete it)");
  }
}
for (const n of byKind("Namespace")) {
  if (n.metadata?.labels?.["pod-security.kubernetes.io/enforce"] !== "restricted") {
    bad(n, "lacks the label pod-security.kubernetes.io/enforce: restricted");
  }
}

// ---------------------------------------------------------------- egress
const egressPolicy = (p) => (p.spec?.policyTypes ?? []).includes("Egress");
// Does an egress rule of p reach the pods of the workload named by this label?
const podsNamed = (label) => workloads.filter((w) => podLabels(w)["app.kubernetes.io/name"] === label);
const egressTo = (p, label) => (p.spec?.egress ?? []).some((rule) => (rule.to ?? []).some((t) =>
  !t.namespaceSelector && !t.ipBlock && t.podSelector &&
  podsNamed(label).some((w) => ns(w) === ns(p) && matches(t.podSelector, podLabels(w)))));
for (const n of namespaces) {
  const inNs = policies.filter((p) => ns(p) === n && egressPolicy(p));
  if (!inNs.some((p) => Object.keys(p.spec?.podSelector ?? {}).length === 0 && (p.spec?.egress ?? []).length === 0)) {
    bad(null, `namespace ${n} has no default-deny egress NetworkPolicy (podSelector {}, policyTypes Egress, no rules)`);
  }
  if (!inNs.some((p) => Object.keys(p.spec?.podSelector ?? {}).length === 0 &&
      (p.spec?.egress ?? []).some((r) => (r.ports ?? []).some((x) => x.port === 53 && x.protocol === "UDP")))) {
    bad(null, `namespace ${n} has no NetworkPolicy letting every pod reach DNS (port 53/UDP)`);
  }
}
for (const w of workloads.filter((x) => x.kind === "Deployment" && isHelhed(x))) {
  const mine = policies.filter((p) => ns(p) === ns(w) && egressPolicy(p) && Object.keys(p.spec?.podSelector ?? {}).length > 0 &&
    matches(p.spec.podSelector, podLabels(w)));
  const name = w.metadata.name;
  if (name === "helhed-gateway") {
    for (const b of ["plans", "volunteers", "guides", "housing"]) {
      if (!mine.some((p) => egressTo(p, `helhed-${b}`))) bad(w, `has no egress NetworkPolicy to helhed-${b}`);
    }
  }
  if (overlay === "prod") {
    for (const db of ["gateway", "plans", "volunteers", "guides", "housing"].map((x) => `helhed-${x}-db`)) {
      const allowed = mine.some((p) => egressTo(p, db));
      if (db === `${name}-db` && !allowed) bad(w, `has no egress NetworkPolicy to its database ${db}`);
      if (db !== `${name}-db` && allowed) bad(w, `may reach another service's database ${db}`);
    }
  }
}

// ---------------------------------------------------------------- Prometheus discovery
for (const n of namespaces) {
  const ok = byKind("RoleBinding").some((b) => ns(b) === n &&
    (b.subjects ?? []).some((s) => s.kind === "ServiceAccount" && s.namespace && s.namespace !== n) &&
    byKind("Role").some((r) => ns(r) === n && b.roleRef?.kind === "Role" && r.metadata.name === b.roleRef.name &&
      ["services", "endpoints", "pods"].every((res) => (r.rules ?? []).some((rule) =>
        (rule.apiGroups ?? []).includes("") && (rule.resources ?? []).includes(res) &&
        ["get", "list", "watch"].every((v) => (rule.verbs ?? []).includes(v))))));
  if (!ok) bad(null, `namespace ${n}: no Role/RoleBinding lets a Prometheus of another namespace discover services, endpoints and pods`);
}

// ---------------------------------------------------------------- runbooks
const operations = readFileSync(join(source, "docs", "OPERATIONS.md"), "utf8");
const anchors = new Set([...operations.matchAll(/^#+\s+(.+?)\s*$/gm)].map((m) =>
  m[1].trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-")));
for (const pr of byKind("PrometheusRule")) {
  for (const r of (pr.spec?.groups ?? []).flatMap((g) => g.rules ?? []).filter((x) => x.alert)) {
    const url = r.annotations?.runbook_url;
    if (!url) {
      bad(pr, `alert ${r.alert} has no runbook_url`);
      continue;
    }
    const m = /^docs\/OPERATIONS\.md#(.+)$/.exec(url);
    if (m && !anchors.has(m[1])) bad(pr, `alert ${r.alert}: runbook_url ${url} names no heading of docs/OPERATIONS.md`);
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
