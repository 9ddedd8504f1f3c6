// Live view of the pools, trouble first. Every second it reads:
//   actuator/poolrepos and actuator/poolrepos/{pool}  settings, live limits, suspension, last operations,
//                                                      totals and one row per name
//   actuator/health/poolRepos                          each pool's status, the names in connect backoff, warm-up
//   api/history?since=<t>                              the samples taken since the last poll (all of them
//                                                      on the first poll: the page shows the last minutes)
//   api/history/name?pool=&name=&since=<t>             the same for the name whose charts are open
//   api/traffic                                        the traffic generator
// Once, at start: OPTIONS actuator/poolrepos/{pool}/resume, whose Allow header lists POST only when the
// endpoint's access is unrestricted; only then does the page offer the operations (suspend, resume,
// evict, resize), which it POSTs to actuator/poolrepos/{pool}/{operation}.
// No framework, no build step, nothing from the network: plain DOM and SVG.
'use strict';

const POLL_MS = 1000;
const RECENT_MS = 60 * 1000; // "+n in the last minute" on the trouble tiles
const SVG_NS = 'http://www.w3.org/2000/svg';

// Counters that mean something went wrong or was closed, as the endpoint and the history name them.
const TROUBLE = [
  { field: 'acquireTimeouts', label: 'acquire timeouts', help: 'acquire waited its whole timeout at the open limit' },
  { field: 'connectFailures', label: 'connect failures', help: 'the connection factory failed' },
  { field: 'fastFailures', label: 'fast failures', help: 'acquire refused at once: the name was in connect backoff' },
  { field: 'leaks', label: 'leaks', help: 'connections out on loan past the leak-detection threshold' },
  { field: 'rejected', label: 'rejected adds', help: 'add or discard of a connection the pool did not lend under that name' },
  { field: 'closedDead', label: 'closed dead', help: 'connections found closed or dead' },
  { field: 'evictedIdle', label: 'evicted idle', help: 'idle longer than the idle timeout' },
  { field: 'evictedLifetime', label: 'evicted lifetime', help: 'older than the max lifetime' },
  { field: 'overflowed', label: 'overflow', help: 'closed because keeping them would exceed an idle limit' },
  { field: 'discarded', label: 'discarded', help: 'closed on purpose: discard, drain or close' },
];

// The charts of a pool or of a name: the history's series, counters as events per sample interval.
const CHARTS = [
  { id: 'connections', title: 'connections', series: [
    { key: 'idle', label: 'idle', color: '#4e79a7', width: 5 },
    { key: 'inUse', label: 'in use', color: '#e15759' },
    { key: 'sharedConnections', label: 'shared', color: '#59a14f' },
    { key: 'activeShares', label: 'active shares', color: '#f28e2b' },
    { key: 'waiting', label: 'waiting', color: '#b07aa1' },
  ] },
  { id: 'trouble', title: 'trouble per interval', series: [
    { key: 'acquireTimeouts', label: 'timeouts', color: '#d62728' },
    { key: 'connectFailures', label: 'connect failures', color: '#9467bd' },
    { key: 'fastFailures', label: 'fast failures', color: '#ff7f0e' },
    { key: 'closedDead', label: 'dead', color: '#8c564b' },
    { key: 'overflowed', label: 'overflow', color: '#17becf' },
    { key: 'rejected', label: 'rejected', color: '#7f7f7f' },
    { key: 'leaks', label: 'leaks', color: '#e377c2' },
  ] },
  { id: 'latency', title: 'acquire wait (ms)', series: [
    { key: 'acquireMaxMillis', label: 'max', color: '#d62728' },
    { key: 'acquireMeanMillis', label: 'mean', color: '#4e79a7' },
  ] },
];

// Badges beside a pool's name: each function gets the pool (from actuator/poolrepos/{pool}) and its
// health detail (from actuator/health/poolRepos, or undefined) and returns a badge or null.
// A badge: { text, cls, title, data: { attribute: value } }. Add one here for a new pool state.
const POOL_BADGES = [
  (pool) => ({ text: pool.sharable ? 'sharable' : 'exclusive', cls: pool.sharable ? 'sharable' : 'exclusive' }),
  (pool) => ({ text: pool.connectionType, cls: 'type' }),
  (pool) => pool.connect ? connectBadge(pool.connect) : null,
  (pool, health) => health ? { text: health.status, cls: 'health health-' + health.status.toLowerCase(),
    title: 'poolRepos health indicator', data: { health: health.status } } : null,
  (pool, health) => {
    const names = health && health.connectBackoff ? Object.keys(health.connectBackoff) : [];
    return names.length === 0 ? null : { text: 'connect backoff: ' + names.length + (names.length === 1 ? ' name' : ' names'),
      cls: 'backoff', title: names.map((n) => n + ': ' + health.connectBackoff[n]).join('\n'),
      data: { backoff: String(names.length) } };
  },
  (pool, health) => health && health.warmUp ? warmUpBadge(health.warmUp) : null,
  (pool) => pool.suspended ? { text: 'suspended (' + pool.suspendMode + ')', cls: 'suspended',
    title: pool.suspendMode === 'wait' ? 'acquire waits for the resume (or its timeout); get and share find nothing'
      : 'acquire, get and share fail at once', data: { suspended: pool.suspendMode } } : null,
];

// Buttons beside a pool's name: { id, label, shown(pool, health), run(pool) → Promise of the endpoint's
// answer }. Made once per pool; shown and enabled again on every poll. Shown only when the endpoint
// takes operations (state.operable).
const POOL_ACTIONS = [
  { id: 'suspend', label: 'suspend (wait)', shown: (pool) => !pool.suspended,
    run: (pool) => operate(pool.pool, 'suspend', { mode: 'wait' }) },
  { id: 'resume', label: 'resume', shown: (pool) => pool.suspended, run: (pool) => operate(pool.pool, 'resume') },
  { id: 'evict', label: 'evict all', shown: () => true, run: (pool) => operate(pool.pool, 'evict') },
];

// The limits the resize form changes: endpoint parameter and label.
const RESIZABLE = [
  { key: 'maxOpenPerName', label: 'max open per name' },
  { key: 'maxIdlePerName', label: 'max idle per name' },
];

const state = {
  history: { t: [], pools: {} },   // pool -> { health: [], names: [], series: { key: [] } }, aligned with t
  historySpanMs: 10 * 60 * 1000,
  selected: new Map(),             // pool -> name whose charts are open
  names: new Map(),                // pool + '\n' + name -> { t: [], series: {} }
  polls: 0,
  operable: undefined,             // whether the endpoint takes operations; undefined until asked
  health: {},                      // the last health details, by pool
};

// WARMING k/n while the app is not ready yet, WARM, or TIMED_OUT with the names not warm (and why, in the title).
function warmUpBadge(w) {
  const notWarm = Object.keys(w.notWarm || {});
  const data = { warmup: w.state, warm: String(w.warm), names: String(w.names) };
  const title = 'warm-up of ' + w.names + (w.names === 1 ? ' name' : ' names') + ' (warm-up-names)'
    + notWarm.map((n) => '\n' + n + ': ' + w.notWarm[n]).join('');
  if (w.state === 'WARM') {
    return { text: 'warm ' + w.warm + '/' + w.names, cls: 'warmup warmup-warm', title, data };
  }
  if (w.state === 'WARMING') {
    return { text: 'warming ' + w.warm + '/' + w.names, cls: 'warmup warmup-warming', title, data };
  }
  return { text: 'warm-up timed out: ' + w.warm + '/' + w.names + ' warm, not ' + notWarm.join(', '),
    cls: 'warmup warmup-timed-out', title, data };
}

function connectBadge(connect) {
  const kind = connect.connect;
  return { text: kind + (connect.sslBundle ? ' · bundle ' + connect.sslBundle : ''),
    cls: 'connect connect-' + kind.replace(/\W+/g, '-'), data: { connect: kind, 'ssl-bundle': connect.sslBundle || '' } };
}

async function getJson(url, options) {
  const response = await fetch(url, Object.assign({ headers: { Accept: 'application/json' } }, options));
  if (!response.ok) {
    throw new Error(url + ': HTTP ' + response.status);
  }
  return response.json();
}

// POSTs an operation; resolves to the endpoint's answer, or rejects with its message (400, 404, 409).
async function operate(pool, operation, body) {
  const response = await fetch('actuator/poolrepos/' + encodeURIComponent(pool) + '/' + operation, {
    method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify(body || {}),
  });
  let answer = null;
  try {
    answer = await response.json();
  } catch (e) {
    // no JSON body: the status says it
  }
  if (!response.ok) {
    throw new Error(answer && answer.message ? answer.message : operation + ': HTTP ' + response.status);
  }
  return answer;
}

// Whether the endpoint takes operations: under read-only access the server maps no POST there.
async function probeOperations(pool) {
  try {
    const response = await fetch('actuator/poolrepos/' + encodeURIComponent(pool) + '/resume', { method: 'OPTIONS' });
    return response.ok && /\bPOST\b/.test(response.headers.get('Allow') || '');
  } catch (e) {
    return undefined; // ask again on the next poll
  }
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

function svgEl(tag, attrs) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    e.setAttribute(k, v);
  }
  return e;
}

// ---- formatting -------------------------------------------------------------------------------

// ISO-8601 durations as the endpoint writes them (PT5S, PT0.1S, PT1M, PT30M) in short form.
function duration(iso) {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(iso || '');
  if (!m) {
    return iso;
  }
  const seconds = (+(m[1] || 0)) * 3600 + (+(m[2] || 0)) * 60 + (+(m[3] || 0));
  if (seconds === 0) {
    return '0';
  }
  if (seconds < 1) {
    return Math.round(seconds * 1000) + ' ms';
  }
  if (seconds < 120) {
    return seconds + ' s';
  }
  return seconds % 60 === 0 ? seconds / 60 + ' min' : seconds + ' s';
}

function millis(ms) {
  if (ms === null || ms === undefined) {
    return '–';
  }
  if (ms < 1) {
    return ms.toFixed(2) + ' ms';
  }
  if (ms < 1000) {
    return Math.round(ms) + ' ms';
  }
  return (ms / 1000).toFixed(1) + ' s';
}

function limit(n) {
  return n === 0 ? '∞' : String(n);
}

// ---- history kept in the page ------------------------------------------------------------------

function padTo(array, length) {
  while (array.length < length) {
    array.push(null);
  }
}

// Appends a response's samples to a store {t, series} (and a pool's health), aligned with its t.
function appendSeries(store, length, entity, count) {
  for (const [key, values] of Object.entries(entity.series || {})) {
    if (!store.series[key]) {
      store.series[key] = [];
    }
    padTo(store.series[key], length);
    store.series[key].push(...values);
  }
  for (const values of Object.values(store.series)) {
    padTo(values, length + count);
  }
}

function trim(store, keepFrom) {
  let drop = 0;
  while (drop < store.t.length && store.t[drop] < keepFrom) {
    drop++;
  }
  if (drop > 0) {
    store.t.splice(0, drop);
    for (const values of Object.values(store.series)) {
      values.splice(0, drop);
    }
    if (store.health) {
      store.health.splice(0, drop);
    }
  }
}

function mergeHistory(response) {
  const h = state.history;
  state.historySpanMs = response.spanMillis || state.historySpanMs;
  const length = h.t.length;
  const count = response.t.length;
  for (const [pool, p] of Object.entries(response.pools)) {
    let store = h.pools[pool];
    if (!store) {
      store = { t: h.t, health: [], names: [], series: {} }; // every pool shares the one t
      h.pools[pool] = store;
    }
    padTo(store.health, length);
    store.health.push(...p.health);
    store.names = p.names;
    appendSeries(store, length, p, count);
  }
  h.t.push(...response.t);
  for (const store of Object.values(h.pools)) {
    padTo(store.health, h.t.length);
    for (const values of Object.values(store.series)) {
      padTo(values, h.t.length);
    }
  }
  const keepFrom = (h.t.length ? h.t[h.t.length - 1] : 0) - state.historySpanMs;
  let drop = 0;
  while (drop < h.t.length && h.t[drop] < keepFrom) {
    drop++;
  }
  if (drop > 0) {
    for (const store of Object.values(h.pools)) {
      store.health.splice(0, drop);
      for (const values of Object.values(store.series)) {
        values.splice(0, drop);
      }
    }
    h.t.splice(0, drop);
  }
}

function lastOf(values) {
  for (let i = values.length - 1; i >= 0; i--) {
    if (values[i] !== null && values[i] !== undefined) {
      return values[i];
    }
  }
  return null;
}

// Sum of a counter's per-interval events over the samples of the last `ms` milliseconds.
function recentSum(store, key, ms) {
  const values = store.series[key] || [];
  const t = store.t;
  const from = (t.length ? t[t.length - 1] : 0) - ms;
  let sum = 0;
  for (let i = t.length - 1; i >= 0 && t[i] > from; i--) {
    sum += values[i] || 0;
  }
  return sum;
}

// ---- one pool ----------------------------------------------------------------------------------

function poolSection(pool) {
  const container = document.getElementById('pools');
  let section = Array.from(container.children).find((s) => s.dataset.pool === pool.pool);
  if (section) {
    return section;
  }
  section = el('section', { class: 'pool', 'data-pool': pool.pool });
  const h2 = el('h2');
  h2.append(el('span', { class: 'pool-name' }, pool.pool), el('span', { class: 'badges' }));
  const actions = el('span', { class: 'actions' });
  POOL_ACTIONS.forEach((action) => {
    const button = el('button', { type: 'button', 'data-action': action.id }, action.label);
    button.hidden = true;
    button.addEventListener('click', () => runOperation(section, button, () => action.run(pool)));
    actions.append(button);
  });
  h2.append(actions, el('span', { class: 'rate', 'data-field': 'rate' }, ''));
  section.append(h2, el('div', { class: 'limits', 'data-field': 'limits' }), operationsArea(section, pool.pool));

  const tiles = el('div', { class: 'tiles' });
  TROUBLE.forEach((t) => {
    const tile = el('div', { class: 'tile', 'data-trouble': t.field, title: t.help });
    tile.append(el('span', { class: 'count' }, '0'), el('span', { class: 'label' }, t.label),
      el('span', { class: 'recent' }, ''));
    tiles.append(tile);
  });
  const latency = el('div', { class: 'tile latency', 'data-field': 'latency',
    title: 'pool.repos.acquire timer: mean over the last interval, Micrometer\'s max over its window (the last 5 to 10 s here), peak of that max in the history' });
  latency.append(el('span', { class: 'count' }, '–'), el('span', { class: 'label' }, 'acquire wait'),
    el('span', { class: 'recent' }, ''));
  tiles.append(latency);
  section.append(tiles);

  const table = el('table');
  const head = el('tr');
  ['name', 'in use', 'idle', 'shared', 'active shares', 'waiting', 'gets', 'shares', 'created', 'timeouts',
    'connect failures', 'closed'].forEach((label) => head.append(el('th', {}, label)));
  const thead = el('thead');
  thead.append(head);
  const tbody = el('tbody');
  tbody.addEventListener('click', (event) => {
    const row = event.target.closest('tr.name');
    if (row) {
      toggleName(pool.pool, row.dataset.name);
    }
  });
  table.append(thead, tbody);
  section.append(table);
  section.append(chartRow('pool-charts'));
  const detail = el('div', { class: 'name-detail', hidden: '' });
  detail.append(el('h3', { 'data-field': 'detail-title' }), chartRow('name-charts'));
  section.append(detail);
  container.append(section);
  return section;
}

// The resize form, the answer of the last operation and the pool's last operations (by anyone).
function operationsArea(section, poolName) {
  const area = el('div', { class: 'ops' });
  const form = el('form', { class: 'resize', 'data-field': 'resize', novalidate: '', hidden: '' });
  RESIZABLE.forEach((r) => {
    const label = el('label', {}, r.label + ' ');
    label.append(el('input', { type: 'text', inputmode: 'numeric', size: '4', name: r.key, 'data-limit': r.key }));
    form.append(label);
  });
  const submit = el('button', { type: 'submit', 'data-action': 'resize' }, 'resize');
  form.append(submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = {};
    RESIZABLE.forEach((r) => {
      const value = form.elements[r.key].value.trim();
      if (value !== '') {
        body[r.key] = /^-?\d+$/.test(value) ? Number(value) : value; // the server judges what was typed
      }
    });
    runOperation(section, submit, async () => {
      const answer = await operate(poolName, 'resize', body);
      form.reset();
      return answer;
    });
  });
  const message = el('span', { class: 'op-message', 'data-field': 'op-message', role: 'status' });
  const list = el('ol', { class: 'operations', 'data-field': 'operations', hidden: '' });
  area.append(form, message, list);
  return area;
}

// Runs one operation from a button: the button is disabled meanwhile; the answer or the refusal is
// shown beside the form, and the pool is read again at once.
async function runOperation(section, button, run) {
  const message = section.querySelector('[data-field="op-message"]');
  button.disabled = true;
  try {
    const answer = await run();
    message.classList.remove('error');
    message.textContent = answer.operation + ': ' + answer.change;
    message.dataset.outcome = 'done';
  } catch (e) {
    message.classList.add('error');
    message.textContent = e.message;
    message.dataset.outcome = 'refused';
  } finally {
    button.disabled = false;
  }
  try {
    const pool = await getJson('actuator/poolrepos/' + encodeURIComponent(section.dataset.pool));
    render(pool, state.health[pool.pool]);
  } catch (e) {
    // the next poll shows it
  }
}

function chartRow(cls) {
  const row = el('div', { class: 'charts ' + cls });
  CHARTS.forEach((c) => {
    const box = el('figure', { class: 'chart', 'data-chart': c.id });
    box.append(el('figcaption', {}, c.title));
    box.append(svgEl('svg', { viewBox: '0 0 340 130', preserveAspectRatio: 'none' }));
    const legend = el('div', { class: 'legend' });
    c.series.forEach((s) => {
      const item = el('span');
      const swatch = el('i');
      swatch.style.background = s.color;
      item.append(swatch, s.label);
      legend.append(item);
    });
    box.append(legend);
    row.append(box);
  });
  return row;
}

function renderBadges(section, pool, health) {
  const badges = section.querySelector('.badges');
  badges.replaceChildren(...POOL_BADGES.map((make) => make(pool, health)).filter(Boolean).map((b) => {
    const span = el('span', { class: 'badge ' + (b.cls || '') }, b.text);
    if (b.title) {
      span.title = b.title;
    }
    for (const [k, v] of Object.entries(b.data || {})) {
      span.setAttribute('data-' + k, v);
    }
    return span;
  }));
  POOL_ACTIONS.forEach((action) => {
    const button = section.querySelector('[data-action="' + action.id + '"]');
    button.hidden = !state.operable || (action.shown ? !action.shown(pool, health) : false);
  });
}

// The limits an operator can change as they are now (after resizes), over the configured settings.
function liveLimits(pool) {
  return Object.assign({}, pool.settings, pool.limits || {});
}

function renderOperations(section, pool) {
  const form = section.querySelector('[data-field="resize"]');
  form.hidden = !state.operable;
  const live = liveLimits(pool);
  RESIZABLE.forEach((r) => {
    form.elements[r.key].placeholder = String(live[r.key]);
  });
  const list = section.querySelector('[data-field="operations"]');
  const operations = pool.operations || [];
  list.hidden = operations.length === 0;
  list.replaceChildren(...operations.map((o) => {
    const item = el('li', { 'data-operation': o.operation, title: o.at });
    item.append(el('time', { datetime: o.at }, new Date(o.at).toLocaleTimeString()), ' ',
      el('b', {}, o.operation), ' by ' + o.by + ': ' + o.change);
    return item;
  }));
}

function renderLimits(section, pool) {
  const s = liveLimits(pool);
  const parts = ['per name: open ≤ ' + limit(s.maxOpenPerName), 'idle ≤ ' + s.maxIdlePerName,
    'waiters ≤ ' + s.maxWaitersPerName];
  if (s.minIdlePerName > 0) {
    parts.push('min idle ' + s.minIdlePerName);
  }
  if (pool.sharable) {
    parts.push('sharers per connection ≤ ' + s.maxSharersPerConnection);
  }
  parts.push('acquire timeout ' + duration(s.acquireTimeout));
  parts.push('idle in pool ≤ ' + limit(s.maxIdleInPool));
  if (s.maxOpenInPool !== undefined) {
    parts.push('open in pool ≤ ' + limit(s.maxOpenInPool));
  }
  parts.push('names ' + pool.nameCount + ' / ' + s.maxNames);
  parts.push('idle timeout ' + duration(s.idleTimeout) + ', lifetime ' + duration(s.maxLifetime));
  if (s.connectBackoff && s.connectBackoff !== 'PT0S') {
    parts.push('connect backoff ' + duration(s.connectBackoff) + ' to ' + duration(s.connectBackoffMax));
  }
  section.querySelector('[data-field="limits"]').textContent = 'limits ' + parts.join(' · ');
}

function renderTiles(section, pool, store) {
  TROUBLE.forEach((t) => {
    const tile = section.querySelector('[data-trouble="' + t.field + '"]');
    const total = pool.totals[t.field];
    const recent = store ? recentSum(store, t.field, RECENT_MS) : 0;
    tile.querySelector('.count').textContent = String(total);
    tile.querySelector('.recent').textContent = recent > 0 ? '+' + recent + ' in the last min' : '';
    tile.dataset.value = String(total);
    tile.dataset.recent = String(recent);
    tile.classList.toggle('nonzero', total > 0);
    tile.classList.toggle('hot', recent > 0);
  });
  const latency = section.querySelector('[data-field="latency"]');
  if (!store) {
    return;
  }
  const mean = lastOf(store.series.acquireMeanMillis || []);
  const max = lastOf(store.series.acquireMaxMillis || []);
  const peak = Math.max(0, ...(store.series.acquireMaxMillis || []).filter((v) => v !== null));
  latency.querySelector('.count').textContent = 'mean ' + millis(mean) + ' · max ' + millis(max);
  latency.querySelector('.recent').textContent = 'peak ' + millis(peak) + ' in the last '
    + Math.max(1, Math.round((store.t[store.t.length - 1] - store.t[0]) / 60000)) + ' min';
  latency.dataset.mean = mean === null ? '' : String(mean);
  latency.dataset.max = max === null ? '' : String(max);
  latency.dataset.peak = String(peak);
  latency.classList.toggle('hot', peak >= 100);
}

function cell(text, value, hot) {
  const td = el('td', {}, text);
  td.dataset.value = String(value);
  if (hot) {
    td.classList.add('hot');
  }
  return td;
}

function fillRow(row, label, c, maxOpen, maxIdle) {
  const closed = c.closedDead + c.evictedIdle + c.evictedLifetime + c.overflowed + c.discarded;
  const cells = [
    ['name', el('td', {}, label)],
    ['inUse', cell(maxOpen ? c.inUse + ' / ' + maxOpen : String(c.inUse), c.inUse, maxOpen && c.inUse >= maxOpen)],
    ['idle', cell(c.idle + ' / ' + maxIdle, c.idle, false)],
    ['sharedConnections', cell(String(c.sharedConnections), c.sharedConnections, false)],
    ['activeShares', cell(String(c.activeShares), c.activeShares, c.activeShares > 0)],
    ['waiting', cell(String(c.waiting), c.waiting, c.waiting > 0)],
    ['gets', cell(String(c.gets), c.gets, false)],
    ['shares', cell(String(c.shares), c.shares, false)],
    ['created', cell(String(c.created), c.created, false)],
    ['acquireTimeouts', cell(String(c.acquireTimeouts), c.acquireTimeouts, c.acquireTimeouts > 0)],
    ['connectFailures', cell(String(c.connectFailures), c.connectFailures, c.connectFailures > 0)],
    ['closed', cell(String(closed), closed, false)],
  ];
  row.replaceChildren(...cells.map(([field, td]) => {
    td.dataset.field = field;
    return td;
  }));
}

function render(pool, health) {
  const section = poolSection(pool);
  const store = state.history.pools[pool.pool];
  section.dataset.names = String(pool.names.length);
  renderBadges(section, pool, health);
  renderLimits(section, pool);
  renderOperations(section, pool);
  renderTiles(section, pool, store);

  const s = liveLimits(pool);
  const names = pool.names.length;
  const tbody = section.querySelector('tbody');
  const totals = el('tr', { class: 'totals', 'data-name': '' });
  const idleLimit = s.maxIdleInPool ? Math.min(s.maxIdleInPool, names * s.maxIdlePerName) : names * s.maxIdlePerName;
  fillRow(totals, 'all ' + names + ' name' + (names === 1 ? '' : 's'), pool.totals, s.maxOpenPerName * names, idleLimit);
  const rows = [totals];
  const selected = state.selected.get(pool.pool);
  const withHistory = new Set(store ? store.names : []);
  pool.names.forEach((n) => {
    const row = el('tr', { class: 'name' + (n.name === selected ? ' selected' : ''), 'data-name': n.name,
      title: withHistory.has(n.name) ? 'show the charts of ' + n.name : 'no history kept for this name (see sample.history.max-names-per-pool)' });
    fillRow(row, n.name, n, s.maxOpenPerName, s.maxIdlePerName);
    rows.push(row);
  });
  tbody.replaceChildren(...rows);

  if (store) {
    const last = store.t.length - 1;
    if (last > 0) {
      const seconds = Math.max(0.001, (store.t[last] - store.t[last - 1]) / 1000);
      const calls = (store.series.getHits[last] || 0) + (store.series.getMisses[last] || 0) + (store.series.shares[last] || 0);
      section.querySelector('[data-field="rate"]').textContent = Math.round(calls / seconds) + ' gets+shares/s';
    }
    drawCharts(section.querySelector('.pool-charts'), store, store.health);
  }
  renderNameDetail(section, pool.pool);
}

// ---- one name's charts, on demand --------------------------------------------------------------

function nameKey(pool, name) {
  return pool + '\n' + name;
}

function toggleName(pool, name) {
  if (state.selected.get(pool) === name) {
    state.selected.delete(pool);
  } else {
    state.selected.set(pool, name);
  }
  const section = document.querySelector('section.pool[data-pool="' + CSS.escape(pool) + '"]');
  section.querySelectorAll('tr.name').forEach((r) => r.classList.toggle('selected', r.dataset.name === state.selected.get(pool)));
  renderNameDetail(section, pool);
  refreshNames();
}

async function refreshNames() {
  await Promise.all(Array.from(state.selected.entries()).map(async ([pool, name]) => {
    const key = nameKey(pool, name);
    let store = state.names.get(key);
    const since = store && store.t.length ? store.t[store.t.length - 1] : 0;
    let response;
    try {
      response = await getJson('api/history/name?pool=' + encodeURIComponent(pool) + '&name='
        + encodeURIComponent(name) + '&since=' + since);
    } catch (e) {
      store = store || { t: [], series: {}, error: null };
      store.error = 'no history for ' + name + ' (' + e.message + ')';
      state.names.set(key, store);
      return;
    }
    if (!store) {
      store = { t: [], series: {} };
      state.names.set(key, store);
    }
    store.error = null;
    // A click and a poll may both have asked since the same sample: keep only what is new.
    const lastT = store.t.length ? store.t[store.t.length - 1] : 0;
    const skip = response.t.filter((t) => t <= lastT).length;
    const fresh = { series: {} };
    for (const [k, values] of Object.entries(response.series)) {
      fresh.series[k] = values.slice(skip);
    }
    const t = response.t.slice(skip);
    appendSeries(store, store.t.length, fresh, t.length);
    store.t.push(...t);
    trim(store, store.t[store.t.length - 1] - (response.spanMillis || state.historySpanMs));
  }));
  state.selected.forEach((name, pool) => {
    const section = document.querySelector('section.pool[data-pool="' + CSS.escape(pool) + '"]');
    if (section) {
      renderNameDetail(section, pool);
    }
  });
}

function renderNameDetail(section, pool) {
  const detail = section.querySelector('.name-detail');
  const name = state.selected.get(pool);
  if (!name) {
    detail.hidden = true;
    delete detail.dataset.name;
    return;
  }
  detail.hidden = false;
  detail.dataset.name = name;
  const store = state.names.get(nameKey(pool, name));
  const title = detail.querySelector('[data-field="detail-title"]');
  if (!store || store.t.length === 0) {
    title.textContent = name + (store && store.error ? ': ' + store.error : ': loading its history…');
    return;
  }
  title.textContent = name + ' — its own history (click the row again to close)';
  drawCharts(detail.querySelector('.name-charts'), store, null);
}

// ---- charts (SVG) ------------------------------------------------------------------------------

function drawCharts(row, store, health) {
  CHARTS.forEach((c) => {
    const svg = row.querySelector('[data-chart="' + c.id + '"] svg');
    drawChart(svg, store.t, c.series.map((s) => Object.assign({ values: store.series[s.key] || [] }, s)), health);
  });
}

// Draws the lines over the sample times t; a gap where a value is null. Shades where health is DOWN.
function drawChart(svg, t, lines, health) {
  const w = 340;
  const h = 130;
  const left = 30;
  const right = w - 4;
  const top = 6;
  const bottom = h - 16;
  svg.replaceChildren();
  if (t.length === 0) {
    svg.dataset.points = '0';
    return;
  }
  const tMax = t[t.length - 1];
  const tMin = Math.min(t[0], tMax - 30 * 1000); // at least 30 s wide, so that time reads alike
  let max = 0;
  lines.forEach((l) => l.values.forEach((v) => { max = Math.max(max, v || 0); }));
  max = niceMax(max);
  const x = (time) => left + (right - left) * (time - tMin) / Math.max(1, tMax - tMin);
  const y = (v) => bottom - (bottom - top) * v / max;

  if (health) {
    health.forEach((status, i) => {
      if (status === 'DOWN') {
        const x0 = x(i > 0 ? t[i - 1] : t[i]);
        svg.append(svgEl('rect', { class: 'down', x: x0, y: top, width: Math.max(2, x(t[i]) - x0), height: bottom - top }));
      }
    });
  }
  [0, max / 2, max].forEach((v) => {
    svg.append(svgEl('line', { class: 'grid', x1: left, x2: right, y1: y(v), y2: y(v) }));
    const label = svgEl('text', { class: 'axis', x: left - 3, y: y(v) + 3, 'text-anchor': 'end' });
    label.textContent = v >= 10 ? String(Math.round(v)) : String(+v.toFixed(1));
    svg.append(label);
  });
  const span = Math.round((tMax - tMin) / 1000);
  const from = svgEl('text', { class: 'axis', x: left, y: h - 3 });
  from.textContent = '-' + (span >= 120 ? Math.round(span / 60) + ' min' : span + ' s');
  const now = svgEl('text', { class: 'axis', x: right, y: h - 3, 'text-anchor': 'end' });
  now.textContent = 'now';
  svg.append(from, now);

  let points = 0;
  lines.forEach((l) => {
    let run = [];
    const flush = () => {
      if (run.length > 0) {
        svg.append(svgEl('polyline', { 'data-series': l.key, points: run.join(' '), stroke: l.color,
          'stroke-width': l.width || 1.6, fill: 'none', 'vector-effect': 'non-scaling-stroke' }));
      }
      run = [];
    };
    l.values.forEach((v, i) => {
      if (v === null || v === undefined) {
        flush();
      } else {
        run.push(x(t[i]).toFixed(1) + ',' + y(v).toFixed(1));
      }
    });
    flush();
    points = Math.max(points, l.values.filter((v) => v !== null && v !== undefined).length);
  });
  svg.dataset.points = String(points);
  svg.dataset.firstT = String(t[0]);
}

function niceMax(v) {
  if (v <= 1) {
    return 1;
  }
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 5, 10]) {
    if (v <= m * p) {
      return m * p;
    }
  }
  return 10 * p;
}

// ---- traffic -----------------------------------------------------------------------------------

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
      + (g.trouble ? ' (with trouble)' : '')
      + ': ' + g.echoCalls + ' exclusive calls, ' + g.sharedCalls + ' shared calls, ' + g.secureCalls + ' TLS calls, '
      + g.failures + ' failures';
  }
  text.dataset.running = String(g.running);
  document.getElementById('trouble-note').textContent = g.lastTrouble ? 'last trouble: ' + g.lastTrouble : '';
}

// ---- the poll ----------------------------------------------------------------------------------

async function readHealth() {
  try {
    // DOWN is answered with 503 and the same body: both are readings.
    const response = await fetch('actuator/health/poolRepos', { headers: { Accept: 'application/json' } });
    if (response.status !== 200 && response.status !== 503) {
      return {}; // health off or not exposed: no health badges
    }
    const health = await response.json();
    return (health.details && health.details.pools) || {};
  } catch (e) {
    return {};
  }
}

async function poll() {
  const status = document.getElementById('status');
  try {
    const since = state.history.t.length ? state.history.t[state.history.t.length - 1] : 0;
    const [list, health, history] = await Promise.all([getJson('actuator/poolrepos'), readHealth(),
      getJson('api/history?since=' + since)]);
    mergeHistory(history);
    const pools = await Promise.all(list.pools.map((p) => getJson('actuator/poolrepos/' + encodeURIComponent(p.pool))));
    if (state.operable === undefined && pools.length > 0) {
      state.operable = await probeOperations(pools[0].pool);
      if (state.operable !== undefined) {
        document.body.dataset.operable = String(state.operable);
      }
    }
    state.health = health;
    await refreshNames();
    pools.forEach((p) => render(p, health[p.pool]));
    state.polls += 1;
    document.body.dataset.polls = String(state.polls);
    status.classList.remove('error');
    status.textContent = 'updated ' + new Date().toLocaleTimeString() + ' · ' + pools.length + ' pools · history of '
      + state.history.t.length + ' samples';
    showTraffic(await getJson('api/traffic'));
  } catch (e) {
    status.classList.add('error');
    status.textContent = 'cannot read the pools: ' + e.message;
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

document.getElementById('traffic-start').addEventListener('click', async () => {
  const trouble = document.getElementById('traffic-trouble').checked;
  try {
    showTraffic(await getJson('api/traffic?seconds=30&workers=8&trouble=' + trouble, { method: 'POST' }));
  } catch (e) {
    document.getElementById('traffic').textContent = 'could not start traffic: ' + e.message;
  }
});

poll();
