// Asks a running Prometheus (which scrapes the whole Helhed suite and loads
// k8s/base/monitoring/rules.yml) whether the dashboard and the rules work on
// real data. Used by tests/deploy/monitoring_test.sh after it has started the
// suite and driven traffic.
//   node monitoring_check.js PROMETHEUS_URL RULES_YML DASHBOARD_JSON TIMEOUT_SECONDS
// Polls until every check passes or the time is up, then prints the checks
// that still fail and exits 1. Needs node 18+ (global fetch).
'use strict';
const fs = require('fs');

const [prom, rulesPath, dashboardPath, timeoutArg] = process.argv.slice(2);
if (!prom || !rulesPath || !dashboardPath) {
  console.error('usage: monitoring_check.js PROMETHEUS_URL RULES_YML DASHBOARD_JSON [TIMEOUT_SECONDS]');
  process.exit(2);
}
const timeoutMs = Number(timeoutArg || 60) * 1000;
const jobs = ['gateway', 'plans', 'volunteers', 'guides', 'housing'];

// Grafana's variables, as Grafana would fill them for this Prometheus (the
// whole test runs within two minutes, so a 2m window covers all its traffic).
const variables = {
  __rate_interval: '2m',
  __interval: '2m',
  __range: '2m',
  municipality: '.*',
  DS_PROMETHEUS: 'prometheus',
};
function substitute(expr) {
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (m, a, b) => {
    const name = a || b;
    if (!(name in variables)) throw new Error(`unknown variable ${m} in ${expr}`);
    return variables[name];
  });
}

async function query(expr) {
  const res = await fetch(`${prom}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = await res.json();
  if (body.status !== 'success') throw new Error(`${expr}: ${body.error || res.status}`);
  return body.data.result; // [{metric, value: [t, "v"]}]
}
const finite = (r) => Number.isFinite(Number(r.value[1]));
const show = (rs) => JSON.stringify(rs.map((r) => [r.metric, r.value[1]])).slice(0, 400);

// ---- the checks: each returns null when it passes, else why not.
const checks = [];
function check(name, fn) { checks.push({ name, fn }); }

check('every component is scraped and up', async () => {
  const rs = await query('up');
  const bad = jobs.filter((j) => !rs.some((r) => r.metric.job === j && r.value[1] === '1'));
  return bad.length ? `not up: ${bad.join(', ')} (${show(rs)})` : null;
});

// Recording rules: the helhed:grpc_* ones for every component, the
// helhed:gateway_* ones for the gateway; rates and latencies > 0, ratios
// numbers (the suite had calls, and no server errors were provoked).
const rules = fs.readFileSync(rulesPath, 'utf8');
const recorded = [...rules.matchAll(/^\s*- record:\s*(\S+)/gm)].map((m) => m[1]);
if (recorded.length < 5) throw new Error(`only ${recorded.length} recording rules in ${rulesPath}`);
for (const name of recorded) {
  const expected = name.startsWith('helhed:gateway_') ? ['gateway'] : jobs;
  check(`recording rule ${name} has a value for ${expected.join(', ')}`, async () => {
    const rs = await query(name);
    const missing = expected.filter((j) => !rs.some((r) => r.metric.job === j && finite(r)));
    if (missing.length) return `no finite value for ${missing.join(', ')}: ${show(rs)}`;
    if (/:rate5m$|latency_seconds:p99|audit_write_seconds:p99/.test(name)) {
      const zero = expected.filter((j) => !rs.some((r) => r.metric.job === j && Number(r.value[1]) > 0));
      if (zero.length) return `not > 0 for ${zero.join(', ')}: ${show(rs)}`;
    }
    return null;
  });
}

// Alerts that the demo data and the traffic must trigger, and ones they must not.
async function alerts() {
  const res = await fetch(`${prom}/api/v1/alerts`);
  return (await res.json()).data.alerts;
}
check('HelhedHousingOffersExpiring fires after three offers expired unanswered', async () => {
  const as = await alerts();
  return as.some((a) => a.labels.alertname === 'HelhedHousingOffersExpiring' && a.state === 'firing')
    ? null : `not firing: ${JSON.stringify(as.map((a) => [a.labels.alertname, a.state]))}`;
});
check('HelhedHousingLongTemporaryStays is pending (for: 1h) for each municipality with long stays, only those', async () => {
  const long = (await query('helhed_housing_long_temporary_stays > 0')).map((r) => r.metric.municipality).sort();
  const as = (await alerts()).filter((a) => a.labels.alertname === 'HelhedHousingLongTemporaryStays');
  const pending = as.filter((a) => a.state === 'pending').map((a) => a.labels.municipality).sort();
  if (!long.length) return 'the demo data has no stays over 90 days';
  return JSON.stringify(pending) === JSON.stringify(long) && pending.length === as.length ? null
    : `long stays in ${long}, alerts ${JSON.stringify(as.map((a) => [a.labels.municipality, a.state]))}`;
});
// Housing runs two replicas on one database (monitoring_test.sh): one of
// them holds the stats lease and exports the domain gauges, the other none.
check('housing: two replicas up, exactly one exports the domain gauges', async () => {
  const up = await query('count(up{job="housing"} == 1)');
  if (!up.length || up[0].value[1] !== '2') return `housing replicas up: ${show(up)}`;
  const exporting = await query('count(count by (instance) (helhed_housing_vacant_units))');
  if (!exporting.length || exporting[0].value[1] !== '1') return `instances exporting: ${show(exporting)}`;
  const twice = await query('count by (municipality, unit_type) (helhed_housing_vacant_units) > 1');
  return twice.length ? `figures exported twice: ${show(twice)}` : null;
});
for (const job of ['volunteers', 'guides', 'housing']) {
  check(`${job}: exactly one replica holds the stats lease`, async () => {
    const rs = await query(`sum(helhed_${job}_stats_leader{job="${job}"})`);
    return rs.length && rs[0].value[1] === '1' ? null : `sum of helhed_${job}_stats_leader: ${show(rs)}`;
  });
}
check('no component down or missing, no audit write failure, no error or latency alert', async () => {
  const bad = (await alerts()).filter((a) => ['HelhedComponentDown', 'HelhedAuditWriteFailures',
    'HelhedHighErrorRatio', 'HelhedHighLatency', 'HelhedGatewayBackendUnavailable',
    'HelhedHousingExpiryFailing', 'HelhedStatsExportedNotOnce'].includes(a.labels.alertname) ||
    (a.labels.alertname === 'HelhedComponentMissing' && a.state === 'firing'));
  return bad.length ? `active: ${JSON.stringify(bad.map((a) => a.labels))}` : null;
});

// Every panel's every query returns at least one series with a number.
const dashboard = JSON.parse(fs.readFileSync(dashboardPath, 'utf8'));
const panels = [];
(function collect(ps) {
  for (const p of ps || []) { if (p.type === 'row') collect(p.panels); else panels.push(p); }
})(dashboard.panels);
let targets = 0;
for (const p of panels) {
  for (const t of p.targets || []) {
    targets++;
    const expr = substitute(t.expr);
    check(`panel "${p.title}" ${t.refId}: ${expr}`, async () => {
      const rs = await query(expr);
      return rs.some(finite) ? null : `no data: ${show(rs)}`;
    });
  }
}
if (targets < 40) throw new Error(`only ${targets} panel queries in ${dashboardPath}`);

// The dashboard's query variables (label_values(LABEL)) offer the
// municipalities the demo data has.
for (const v of dashboard.templating.list.filter((x) => x.type === 'query')) {
  const q = typeof v.query === 'string' ? v.query : v.query.query;
  const m = /^label_values\((\w+)\)$/.exec(q);
  if (!m) throw new Error(`variable ${v.name}: cannot check query ${q}`);
  check(`variable ${v.name} (${q}) offers 730 and 810`, async () => {
    const body = await (await fetch(`${prom}/api/v1/label/${m[1]}/values`)).json();
    return ['730', '810'].every((x) => body.data.includes(x)) ? null : `got ${JSON.stringify(body.data)}`;
  });
}

// A few figures the traffic made, read through the dashboard's own queries.
function panelExpr(title, ref = 'A') {
  const p = panels.find((x) => x.title === title);
  if (!p) throw new Error(`no panel "${title}"`);
  return substitute(p.targets.find((t) => t.refId === ref).expr);
}
function value(title, labels, want, ref = 'A') {
  const expr = panelExpr(title, ref);
  check(`panel "${title}" ${JSON.stringify(labels)} ${want.name}`, async () => {
    const rs = await query(expr);
    const r = rs.find((x) => Object.entries(labels).every(([k, v]) => x.metric[k] === v));
    return r && want.ok(Number(r.value[1])) ? null : `got ${show(rs)}`;
  });
}
const positive = { name: '> 0', ok: (v) => v > 0 };
value('Housing: offers by state', { offer_state: 'expired' }, { name: '= 3', ok: (v) => v === 3 });
value('Gateway: authentication failures/s by reason', { reason: 'malformed' }, positive);
value('Gateway: policy denials/s by method', { method: '/helhed.gateway.v1.AuditService/ListAuditEvents' }, positive);
for (const backend of ['plans', 'volunteers', 'guides', 'housing']) {
  value('Gateway: backend calls/s by code', { backend, code: 'OK' }, positive);
  value('Gateway: backend calls/s by code', { backend, code: 'NOT_FOUND' }, positive);
}
for (const [job, title] of [['plans', 'Plans'], ['volunteers', 'Volunteers'], ['guides', 'Guides'], ['housing', 'Housing']]) {
  value(`${title}: non-OK calls/s by method and code`, { grpc_code: 'Unauthenticated' }, positive);
  value(`${title}: non-OK calls/s by method and code`, { grpc_code: 'NotFound' }, positive);
}
value('Gateway: non-OK calls/s by method and code', { grpc_code: 'PermissionDenied' }, positive);
value('Gateway: non-OK calls/s by method and code', { grpc_code: 'Unauthenticated' }, positive);

(async () => {
  const start = Date.now();
  let failing = checks;
  let reasons = new Map();
  for (;;) {
    const next = [];
    reasons = new Map();
    for (const c of failing) {
      let why;
      try { why = await c.fn(); } catch (e) { why = String(e.message || e); }
      if (why) { next.push(c); reasons.set(c, why); }
    }
    failing = next;
    if (!failing.length || Date.now() - start > timeoutMs) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const secs = ((Date.now() - start) / 1000).toFixed(1);
  if (failing.length) {
    for (const c of failing) console.error(`FAIL: ${c.name}\n      ${reasons.get(c)}`);
    console.error(`${failing.length} of ${checks.length} checks failed after ${secs} s`);
    process.exit(1);
  }
  console.log(`monitoring checks: all ${checks.length} passed (${panels.length} panels, ` +
    `${targets} panel queries, ${recorded.length} recording rules) after ${secs} s of polling`);
})();
