// Turns the rendered dev foundation and overlay into what Debian's podman 4.3
// `kube play --network=host` can run on one machine, for
// tests/deploy/container_test.sh. Only the test's copy changes; k8s/ never.
//   node tests/deploy/container_manifests.mjs --source SOURCE_DIR --out OUT_DIR \
//        FOUNDATION.yaml APP.yaml
// Writes OUT_DIR/play.yaml (PersistentVolumeClaims, ConfigMaps, Deployments),
// OUT_DIR/secrets/<volume>/... (the Secrets' data as files), OUT_DIR/ports.env
// (NAME_GRPC=port, NAME_METRICS=port) and OUT_DIR/changes.txt (what it changed).
//
// What it changes, and why (podman 4.3):
//   - A Secret mounted as a volume crashes `kube play`: each secret volume
//     becomes a hostPath directory holding the same files (items honoured).
//   - `valueFrom.secretKeyRef` is refused ("not valid JSON"): the value is
//     put in `value:`.
//   - On the host network there is no Service DNS, no hostAliases and no
//     port mapping: every process listens on 127.0.0.1 on a port free on this
//     machine (the cluster's fixed ports may be in use by scripts/run or
//     another test), and `dns:///helhed-<name>-headless:<port>` backends
//     become 127.0.0.1:<that process's port>. Container ports are removed
//     (kube play refuses port mappings on the host network); probe ports
//     follow the new ports (podman 4.3 runs no gRPC probes).
//   - An emptyDir becomes a podman volume named after the pod's volume, so the
//     five pods' `tmp` would be one shared volume: each gets its own name.
//     (Its sizeLimit is not applied.)
//   - Kinds kube play does not run (Namespace, Service, NetworkPolicy,
//     ServiceMonitor, PrometheusRule, Role, RoleBinding; the Secrets once
//     consumed) are left out.
// Everything else (command, env, envFrom ConfigMaps, securityContext with
// runAsUser/runAsGroup/readOnlyRootFilesystem/capabilities, resources, the
// emptyDir /tmp and the PersistentVolumeClaim /data) is kept as rendered.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';

const args = process.argv.slice(2);
let source = null;
let out = null;
const inputs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--source') source = args[++i];
  else if (args[i] === '--out') out = args[++i];
  else inputs.push(args[i]);
}
if (!source || !out || inputs.length === 0) {
  console.error('usage: container_manifests.mjs --source SOURCE_DIR --out OUT_DIR FOUNDATION.yaml APP.yaml');
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(source), 'tools', 'package.json'));
const YAML = require('yaml');

const docs = [];
for (const f of inputs) {
  for (const d of YAML.parseAllDocuments(fs.readFileSync(f, 'utf8'))) {
    const o = d.toJSON();
    if (o) docs.push(o);
  }
}
const changes = [];
const byKind = (k) => docs.filter((d) => d.kind === k);
const secrets = new Map(byKind('Secret').map((s) => [s.metadata.name, s]));
const secretValue = (name, key) => {
  const s = secrets.get(name);
  if (!s) throw new Error(`Secret ${name} is not rendered`);
  if (s.data && key in s.data) return Buffer.from(s.data[key], 'base64');
  if (s.stringData && key in s.stringData) return Buffer.from(s.stringData[key]);
  throw new Error(`Secret ${name} has no key ${key}`);
};

// Free loopback ports, all held at once so none is handed out twice.
async function freePorts(n) {
  const servers = [];
  for (let i = 0; i < n; i++) {
    const s = net.createServer();
    await new Promise((res, rej) => { s.once('error', rej); s.listen(0, '127.0.0.1', res); });
    servers.push(s);
  }
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((res) => s.close(res))));
  return ports;
}

// Every port a Helhed process listens on (from its ConfigMap) gets a new one.
const listenKeys = ['HELHED_LISTEN', 'HELHED_METRICS_LISTEN', 'HELHED_HEALTH_LISTEN'];
const configMaps = byKind('ConfigMap').filter((c) => /^helhed-.*-config$/.test(c.metadata.name));
const oldPorts = [];
for (const c of configMaps) {
  for (const k of listenKeys) {
    const v = c.data?.[k];
    if (v !== undefined) {
      const m = /:(\d+)$/.exec(v);
      if (!m) throw new Error(`${c.metadata.name} ${k}=${v}: no port`);
      if (!oldPorts.includes(Number(m[1]))) oldPorts.push(Number(m[1]));
    }
  }
}
const fresh = await freePorts(oldPorts.length);
const portMap = new Map(oldPorts.map((p, i) => [p, fresh[i]]));
const mapPort = (p) => {
  const n = portMap.get(Number(p));
  if (n === undefined) throw new Error(`port ${p} is no process's listen port`);
  return n;
};
const portsEnv = [];
for (const c of configMaps) {
  const name = c.metadata.name.replace(/^helhed-/, '').replace(/-config$/, '').toUpperCase();
  for (const k of listenKeys) {
    const v = c.data?.[k];
    if (v === undefined) continue;
    const p = mapPort(/:(\d+)$/.exec(v)[1]);
    c.data[k] = `127.0.0.1:${p}`;
    changes.push(`ConfigMap ${c.metadata.name}: ${k} ${v} -> 127.0.0.1:${p}`);
    const suffix = { HELHED_LISTEN: 'GRPC', HELHED_METRICS_LISTEN: 'METRICS', HELHED_HEALTH_LISTEN: 'HEALTH' }[k];
    portsEnv.push(`${name}_${suffix}=${p}`);
  }
  for (const [k, v] of Object.entries(c.data ?? {})) {
    if (typeof v !== 'string' || !/dns:\/\/\//.test(v)) continue;
    const nv = v.replace(/dns:\/\/\/helhed-[a-z]+(?:-headless)?:(\d+)/g, (_, p) => `127.0.0.1:${mapPort(p)}`);
    if (/dns:\/\//.test(nv)) throw new Error(`${c.metadata.name} ${k}: unrewritten target in ${nv}`);
    c.data[k] = nv;
    changes.push(`ConfigMap ${c.metadata.name}: ${k} -> ${nv}`);
  }
}

const secretRoot = path.join(out, 'secrets');
fs.mkdirSync(secretRoot, { recursive: true, mode: 0o755 });
const writeFile = (file, data) => {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
  fs.writeFileSync(file, data, { mode: 0o644 }); // a Secret volume's default mode
  fs.chmodSync(file, 0o644);
};

for (const d of byKind('Deployment')) {
  const dep = d.metadata.name;
  const spec = d.spec.template.spec;
  if (spec.hostAliases) {
    delete spec.hostAliases;
    changes.push(`Deployment ${dep}: hostAliases removed (not applied on the host network)`);
  }
  for (const v of spec.volumes ?? []) {
    if (v.emptyDir) {
      // kube play makes an emptyDir a named volume called after the pod's
      // volume, so every pod's "tmp" would be one shared volume: one each.
      const name = `${dep}-${v.name}`;
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        for (const m of c.volumeMounts ?? []) if (m.name === v.name) m.name = name;
      }
      changes.push(`Deployment ${dep}: emptyDir ${v.name} -> ${name} (one volume per pod)`);
      v.name = name;
      continue;
    }
    if (!v.secret) continue;
    const dir = path.join(secretRoot, `${dep}-${v.name}`);
    const s = secrets.get(v.secret.secretName);
    if (!s) throw new Error(`Secret ${v.secret.secretName} is not rendered`);
    const items = v.secret.items ?? Object.keys({ ...s.data, ...s.stringData }).map((k) => ({ key: k, path: k }));
    for (const it of items) writeFile(path.join(dir, it.path), secretValue(v.secret.secretName, it.key));
    changes.push(`Deployment ${dep}: volume ${v.name} (Secret ${v.secret.secretName}) -> hostPath ${dir}`);
    delete v.secret;
    v.hostPath = { path: dir, type: 'Directory' };
  }
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    for (const e of c.env ?? []) {
      const ref = e.valueFrom?.secretKeyRef;
      if (!ref) continue;
      e.value = secretValue(ref.name, ref.key).toString('utf8');
      delete e.valueFrom;
      changes.push(`Deployment ${dep}: env ${e.name} (Secret ${ref.name}/${ref.key}) -> value`);
    }
    if (c.envFrom?.some((e) => e.secretRef)) throw new Error(`Deployment ${dep}: envFrom secretRef not handled`);
    if (c.ports) {
      // kube play: "PortMappings can only be used with Bridge or slirp4netns
      // networking"; the process listens on the host's loopback anyway.
      delete c.ports;
      changes.push(`Deployment ${dep}: container ${c.name} ports removed (host network)`);
    }
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      const pr = c[probe];
      for (const kind of ['grpc', 'tcpSocket', 'httpGet']) {
        if (pr?.[kind] && typeof pr[kind].port === 'number') pr[kind].port = mapPort(pr[kind].port);
      }
    }
    changes.push(`Deployment ${dep}: container ${c.name} probe ports remapped`);
  }
}

const keep = new Set(['PersistentVolumeClaim', 'ConfigMap', 'Deployment']);
const dropped = docs.filter((d) => !keep.has(d.kind));
for (const k of [...new Set(dropped.map((d) => d.kind))]) {
  changes.push(`left out: ${dropped.filter((d) => d.kind === k).length} ${k}`);
}
const played = docs.filter((d) => keep.has(d.kind) &&
  !(d.kind === 'ConfigMap' && !/^helhed-.*-config$/.test(d.metadata.name)));
// Volumes first, then configuration, then the workloads.
played.sort((a, b) => ['PersistentVolumeClaim', 'ConfigMap', 'Deployment'].indexOf(a.kind) -
  ['PersistentVolumeClaim', 'ConfigMap', 'Deployment'].indexOf(b.kind));
fs.writeFileSync(path.join(out, 'play.yaml'), played.map((d) => YAML.stringify(d)).join('---\n'));
fs.writeFileSync(path.join(out, 'ports.env'), portsEnv.join('\n') + '\n');
fs.writeFileSync(path.join(out, 'changes.txt'), changes.join('\n') + '\n');
