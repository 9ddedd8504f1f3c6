// Live view of /actuator/poolrepos: one poll a second, one section per pool, one row per name,
// and a chart of each pool's totals over the last minute. No framework, no build step.
'use strict';

const POLL_MS = 1000;
const HISTORY = 60; // samples, one a second: the last minute
const SERIES = [
  { field: 'idle', label: 'idle', color: '#4e79a7' },
  { field: 'inUse', label: 'in use', color: '#e15759' },
  { field: 'sharedConnections', label: 'shared', color: '#59a14f' },
  { field: 'activeShares', label: 'active shares', color: '#f28e2b' },
];
const COLUMNS = [
  ['idle', 'idle'], ['inUse', 'in use'], ['sharedConnections', 'shared'], ['activeShares', 'active shares'],
  ['waiting', 'waiting'], ['created', 'created'], ['gets', 'gets'], ['shares', 'shares'], ['closed', 'closed'],
];

const histories = new Map(); // pool name -> [{t, idle, inUse, ...}]
let polls = 0;

function closed(c) {
  return c.closedDead + c.evictedIdle + c.evictedLifetime + c.overflowed + c.discarded;
}

async function getJson(url, options) {
  const response = await fetch(url, Object.assign({ headers: { Accept: 'application/json' } }, options));
  if (!response.ok) {
    throw new Error(url + ': HTTP ' + response.status);
  }
  return response.json();
}

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    e.setAttribute(k, v);
  }
  if (text !== undefined) {
    e.textContent = text;
  }
  return e;
}

// How the pool connects, from the endpoint's `connect` ({connect: 'tls', sslBundle: 'name'}): the kind
// (tcp, tls, unix, none or 'factory bean'), and for TLS the SSL bundle it trusts. The endpoint leaves
// `connect` out for a pool not configured in application.yml.
function connectBadge(connect) {
  const kind = connect.connect;
  const text = kind + (connect.sslBundle ? ' · bundle ' + connect.sslBundle : '');
  return el('span', { class: 'badge connect connect-' + kind.replace(/\W+/g, '-'), 'data-connect': kind,
    'data-ssl-bundle': connect.sslBundle || '' }, text);
}

function poolSection(pool) {
  const container = document.getElementById('pools');
  let section = Array.from(container.children).find((s) => s.dataset.pool === pool.pool);
  if (section) {
    return section;
  }
  section = el('section', { class: 'pool', 'data-pool': pool.pool });
  const h2 = el('h2');
  h2.append(el('span', { class: 'pool-name' }, pool.pool));
  h2.append(el('span', { class: 'badge ' + (pool.sharable ? 'sharable' : 'exclusive') },
    pool.sharable ? 'sharable' : 'exclusive'));
  h2.append(el('span', { class: 'badge' }, pool.connectionType));
  if (pool.connect) {
    h2.append(connectBadge(pool.connect));
  }
  h2.append(el('span', { class: 'rate', 'data-field': 'rate' }, ''));
  section.append(h2);

  const table = el('table');
  const head = el('tr');
  head.append(el('th', {}, 'name'));
  COLUMNS.forEach(([, label]) => head.append(el('th', {}, label)));
  const thead = el('thead');
  thead.append(head);
  table.append(thead, el('tbody'));
  section.append(table);

  const chart = el('div', { class: 'chart' });
  chart.append(el('canvas', { width: '1000', height: '160' }));
  const legend = el('div', { class: 'legend' });
  SERIES.forEach((s) => {
    const item = el('span');
    const swatch = el('i');
    swatch.style.background = s.color;
    item.append(swatch, s.label);
    legend.append(item);
  });
  chart.append(legend);
  section.append(chart);
  container.append(section);
  return section;
}

function fillRow(row, label, counts) {
  row.replaceChildren(el('td', { 'data-field': 'name' }, label));
  COLUMNS.forEach(([field]) => {
    const value = field === 'closed' ? closed(counts) : counts[field];
    const td = el('td', { 'data-field': field }, String(value));
    if ((field === 'inUse' || field === 'activeShares' || field === 'waiting') && value > 0) {
      td.classList.add('hot');
    }
    row.append(td);
  });
}

function render(pool, now) {
  const section = poolSection(pool);
  section.dataset.names = String(pool.names.length);
  const tbody = section.querySelector('tbody');
  const totals = el('tr', { class: 'totals', 'data-name': '' });
  fillRow(totals, 'all ' + pool.names.length + ' name' + (pool.names.length === 1 ? '' : 's'), pool.totals);
  const rows = [totals];
  pool.names.forEach((n) => {
    const row = el('tr', { class: 'name', 'data-name': n.name });
    fillRow(row, n.name, n);
    rows.push(row);
  });
  tbody.replaceChildren(...rows);

  let history = histories.get(pool.pool);
  if (!history) {
    history = [];
    histories.set(pool.pool, history);
  }
  const sample = { t: now, calls: pool.totals.gets + pool.totals.shares };
  SERIES.forEach((s) => { sample[s.field] = pool.totals[s.field]; });
  history.push(sample);
  while (history.length > HISTORY) {
    history.shift();
  }
  const previous = history.length > 1 ? history[history.length - 2] : null;
  if (previous) {
    const perSecond = (sample.calls - previous.calls) * 1000 / Math.max(1, sample.t - previous.t);
    section.querySelector('[data-field="rate"]').textContent =
      Math.round(perSecond) + ' gets+shares/s';
  }
  drawChart(section.querySelector('canvas'), history, now);
}

function drawChart(canvas, history, now) {
  const ctx = canvas.getContext('2d');
  const w = canvas.width;
  const h = canvas.height;
  const left = 40;
  const bottom = h - 18;
  const top = 8;
  ctx.clearRect(0, 0, w, h);
  const max = Math.max(1, ...history.flatMap((p) => SERIES.map((s) => p[s.field])));
  const x = (t) => left + (w - left - 8) * (1 - (now - t) / (HISTORY * POLL_MS));
  const y = (v) => bottom - (bottom - top) * v / max;

  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#777';
  ctx.strokeStyle = '#e5e5e5';
  ctx.lineWidth = 1;
  [0, max / 2, max].forEach((v) => {
    ctx.beginPath();
    ctx.moveTo(left, y(v));
    ctx.lineTo(w - 8, y(v));
    ctx.stroke();
    ctx.fillText(String(Math.round(v)), 4, y(v) + 4);
  });
  ctx.fillText('-60 s', left, h - 4);
  ctx.fillText('now', w - 30, h - 4);

  SERIES.forEach((s, i) => {
    ctx.strokeStyle = s.color;
    // Idle is drawn first and wider, so that it still shows where another line lies on top of it.
    ctx.lineWidth = i === 0 ? 6 : 2;
    ctx.beginPath();
    history.forEach((p, i) => {
      if (i === 0) {
        ctx.moveTo(x(p.t), y(p[s.field]));
      } else {
        ctx.lineTo(x(p.t), y(p[s.field]));
      }
    });
    ctx.stroke();
  });
}

function showTraffic(view) {
  const g = view.generator;
  const text = document.getElementById('traffic');
  const button = document.getElementById('traffic-start');
  button.disabled = g.running;
  if (g.runs === 0) {
    text.textContent = 'no traffic yet';
  } else {
    const left = Math.max(0, Math.round((g.endsAtMillis - Date.now()) / 1000));
    text.textContent = (g.running ? 'traffic running, ' + left + ' s left' : 'traffic finished')
      + ': ' + g.echoCalls + ' exclusive calls, ' + g.sharedCalls + ' shared calls, ' + g.secureCalls + ' TLS calls, '
      + g.failures + ' failures';
  }
  text.dataset.running = String(g.running);
}

async function poll() {
  const status = document.getElementById('status');
  try {
    const list = await getJson('actuator/poolrepos');
    const pools = await Promise.all(list.pools.map((p) => getJson('actuator/poolrepos/' + encodeURIComponent(p.pool))));
    const now = Date.now();
    pools.forEach((p) => render(p, now));
    polls += 1;
    document.body.dataset.polls = String(polls);
    status.classList.remove('error');
    status.textContent = 'updated ' + new Date(now).toLocaleTimeString() + ' · ' + pools.length + ' pools';
    showTraffic(await getJson('api/traffic'));
  } catch (e) {
    status.classList.add('error');
    status.textContent = 'cannot read the pools: ' + e.message;
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

document.getElementById('traffic-start').addEventListener('click', async () => {
  try {
    showTraffic(await getJson('api/traffic?seconds=30&workers=8', { method: 'POST' }));
  } catch (e) {
    document.getElementById('traffic').textContent = 'could not start traffic: ' + e.message;
  }
});

poll();
