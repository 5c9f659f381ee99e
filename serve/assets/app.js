// The Descent playground's page. It draws and sends settings; every
// number it shows comes from the server (serve package), which runs the
// library's own descents and streams them over server-sent events.
'use strict';

const COLORS = ['#2a62c9', '#d9480f', '#2b8a3e', '#862e9c', '#c2255c', '#5c940d'];
const $ = (s, el = document) => el.querySelector(s);
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids) if (k !== null && k !== undefined) e.append(k);
  return e;
};

const sid = (() => {
  let v = sessionStorage.getItem('descent-sid');
  if (!v) {
    v = Array.from(crypto.getRandomValues(new Uint8Array(12)), b => b.toString(16).padStart(2, '0')).join('');
    sessionStorage.setItem('descent-sid', v);
  }
  return v;
})();

// num reads a number the server sent: NaN and ±Infinity come as strings.
const num = x => (typeof x === 'string' ? Number(x) : x);
// fmt shows a number in 5 significant digits.
function fmt(v) {
  v = num(v);
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-4) return v.toExponential(3);
  return String(Number(v.toPrecision(5)));
}
const exact = v => (v === null || v === undefined ? '' : String(num(v)));

let INFO = null;
let Q = new URLSearchParams(location.search);
let es = null;
let runID = null;
let setup = null;
let paths = [];
let playing = false;
let view = null;
let lastHeavy = 0;
let drawQueued = false;

function showProblem(msg) {
  const p = $('#problem');
  p.hidden = !msg;
  p.textContent = msg || '';
}

function commitURL() {
  history.replaceState(null, '', '?' + Q.toString());
}

// setQ changes the view's state; a change of the problem restarts the run.
function setQ(key, value, restart = true) {
  if (value === null || value === undefined || value === '') Q.delete(key);
  else Q.set(key, value);
  commitURL();
  if (restart) connect();
}

function viewName() {
  return Q.get('view') || 'surface';
}

async function control(cmd, extra = {}) {
  if (!runID) return;
  try {
    const r = await fetch('/api/control', { method: 'POST', body: new URLSearchParams({ run: runID, cmd, ...extra }) });
    if (!r.ok) {
      const j = await r.json().catch(() => ({}));
      if (r.status !== 404) showProblem(j.error || 'control failed: HTTP ' + r.status);
    }
  } catch (e) {
    showProblem('cannot reach the server: ' + e.message);
  }
}

function setPlaying(on) {
  playing = on;
  $('#play').classList.toggle('on', on);
  $('#pause').classList.toggle('on', !on);
}

// connect (re)starts the view's run with the state in the URL.
function connect() {
  if (es) es.close();
  runID = null;
  setup = null;
  paths = [];
  showProblem('');
  document.body.dataset.ready = '0';
  const wasPlaying = playing;
  es = new EventSource('/api/stream?' + Q.toString() + '&sid=' + sid);
  es.addEventListener('setup', e => {
    const d = JSON.parse(e.data);
    runID = d.run;
    setup = d.setup;
    paths = setup.paths.map((p, i) => ({ info: p, i, rows: [], upd: {}, epochs: [], status: null, shape: null }));
    view.onSetup();
    if (wasPlaying) control('play');
  });
  es.addEventListener('frame', e => {
    const f = JSON.parse(e.data);
    for (const pf of f.paths) {
      const p = paths[pf.i];
      for (const ev of pf.ev || []) {
        if (ev.upd) p.upd[ev.upd.k] = ev.upd.u;
        if (ev.row) p.rows[ev.row.k] = ev.row;
        if (ev.epoch) p.epochs.push(ev.epoch);
        if (ev.end) p.end = ev.end;
      }
      p.status = pf.status;
      if (pf.shape) p.shape = pf.shape;
    }
    document.body.dataset.ready = '1';
    scheduleDraw(f.done);
  });
  es.addEventListener('done', () => {
    es.close();
    setPlaying(false);
    document.body.dataset.done = '1';
    scheduleDraw(true);
  });
  es.addEventListener('problem', e => {
    es.close();
    setPlaying(false);
    showProblem(JSON.parse(e.data).error);
  });
  es.onerror = () => {
    if (es.readyState !== EventSource.CLOSED) {
      es.close();
      if (!document.body.dataset.done || document.body.dataset.done === '0') showProblem('lost the connection to the server; press reset to start again');
    }
  };
  document.body.dataset.done = '0';
}

function scheduleDraw(force) {
  if (drawQueued && !force) return;
  drawQueued = true;
  requestAnimationFrame(() => {
    drawQueued = false;
    const now = performance.now();
    if (force || now - lastHeavy > 90) {
      lastHeavy = now;
      view.draw();
    }
    renderStatus();
    renderTrace();
  });
}

// ---------- optimizer cards ----------

const OPT_UI = {
  lr: { label: 'lr', log: true, min: -5, max: 1 },
  momentum: { label: 'momentum μ', min: 0, max: 0.99, step: 0.01 },
  beta1: { label: 'β1', min: 0, max: 0.99, step: 0.01 },
  beta2: { label: 'β2', min: 0.9, max: 0.9999, step: 0.0001 },
  eps: { label: 'ε', log: true, min: -12, max: 0 },
  alpha: { label: 'α', min: 0.5, max: 0.999, step: 0.001 },
};

function parseSpec(spec) {
  const [name, ...kv] = spec.split(',');
  const opts = new Map();
  for (const f of kv) {
    const i = f.indexOf('=');
    opts.set(f.slice(0, i), f.slice(i + 1));
  }
  return { name, opts };
}
const specString = s => [s.name, ...[...s.opts].map(([k, v]) => k + '=' + v)].join(',');
const optInfo = name => INFO.optimizers.find(o => o.Name === name);
const niceLog = pos => String(Number((10 ** pos).toPrecision(2)));

function sliderRow(key, ui, value, onCommit) {
  const v = el('span', { class: 'v', text: value });
  const s = el('input', { type: 'range', name: key, min: ui.min, max: ui.max, step: ui.step || 0.01 });
  s.value = ui.log ? Math.log10(Number(value)) : Number(value);
  const show = () => (v.textContent = ui.log ? niceLog(Number(s.value)) : String(Number(Number(s.value).toFixed(4))));
  s.addEventListener('input', show);
  s.addEventListener('change', () => {
    show();
    onCommit(v.textContent);
  });
  return el('div', { class: 'row' }, el('label', { text: ui.label }), s, v);
}

// optimizerFields renders an optimizer's settings; onChange gets the new spec.
function optimizerFields(spec, onChange, { withLR = true } = {}) {
  const s = parseSpec(spec);
  const info = optInfo(s.name);
  const takes = new Set(info.Options.map(o => o.Name));
  const def = k => (info.Options.find(o => o.Name === k) || {}).Default;
  const box = el('div');
  const sel = el('select', { name: 'optimizer' });
  for (const o of INFO.optimizers) sel.append(el('option', { value: o.Name, text: o.Name, selected: o.Name === s.name }));
  sel.addEventListener('change', () => {
    const n = { name: sel.value, opts: new Map() };
    const t = new Set(optInfo(sel.value).Options.map(o => o.Name));
    for (const [k, v] of s.opts) if (t.has(k)) n.opts.set(k, v);
    onChange(specString(n));
  });
  box.append(el('div', { class: 'row' }, el('label', { text: 'optimizer' }), sel, el('span')));
  for (const [k, ui] of Object.entries(OPT_UI)) {
    if (!takes.has(k) || (k === 'lr' && !withLR)) continue;
    const cur = s.opts.has(k) ? s.opts.get(k) : def(k);
    box.append(sliderRow(k, ui, cur, val => {
      s.opts.set(k, val);
      onChange(specString(s));
    }));
  }
  const text = (k, label, ph) => {
    const i = el('input', { type: 'text', name: k, placeholder: ph, value: s.opts.get(k) || '' });
    i.addEventListener('change', () => {
      if (i.value.trim() === '' || i.value.trim() === 'constant') s.opts.delete(k);
      else s.opts.set(k, i.value.trim());
      onChange(specString(s));
    });
    return el('div', { class: 'row' }, el('label', { text: label }), i, el('span'));
  };
  box.append(text('schedule', 'schedule', 'constant, exp:0.99, step:100:0.5, cosine:500, warmup:20+cosine:500'));
  box.append(text('clip-norm', 'clip ‖g‖ ≤', 'off'));
  box.append(text('clip-value', 'clip |gᵢ| ≤', 'off'));
  box.append(el('div', { class: 'note', text: info.Formula }));
  return box;
}

// ---------- status and trace ----------

function renderStatus() {
  for (const p of paths) {
    const st = document.querySelector(`.status[data-path="${p.i}"]`);
    if (!st || !p.status) continue;
    st.className = 'status ' + p.status.state;
    st.dataset.state = p.status.state;
    st.dataset.step = p.status.step;
    st.dataset.f = exact(p.status.f);
    st.textContent = `${p.status.label} · f = ${fmt(p.status.f)}`;
  }
  const sel = selected();
  $('#cli').textContent = setup ? (cliOf(sel) || '') : '';
}

function cliOf(p) {
  if (setup.cli) return '$ ' + setup.cli;
  if (p && p.info.cli) return '$ ' + p.info.cli;
  return p ? 'the command line has no flag for this setting yet; the page runs the same library calls' : '';
}

function selected() {
  const i = Number(Q.get('sel') || 0);
  return paths[i] || paths[0];
}

function selectPath(i) {
  setQ('sel', i === 0 ? '' : String(i), false);
  document.querySelectorAll('.card').forEach(c => c.classList.toggle('selected', Number(c.dataset.path) === i));
  renderTrace();
  renderStatus();
}

function td(v, cls) {
  return el('td', { 'data-v': Array.isArray(v) ? JSON.stringify(v.map(num)) : exact(v), class: cls, text: Array.isArray(v) ? '(' + v.map(fmt).join(', ') + ')' : fmt(v) });
}

function renderTrace() {
  const t = $('#trace');
  const p = selected();
  t.replaceChildren();
  if (!p) return;
  const names = p.info.names;
  const wide = names.length > 3;
  const epochs = viewName() !== 'surface' && !(setup && setup.objective);
  $('#tracetitle').textContent = `Trace of ${p.info.label}: the last steps (each row: where the path is, f and ∇f there, and what each stage of the optimizer made of that gradient)`;
  const head = el('tr', {}, el('th', { text: 'step' }));
  if (epochs) head.append(el('th', { text: 'epoch' }));
  if (wide) head.append(el('th', { text: `θ = (${names.join(', ')})` }));
  else for (const n of names) head.append(el('th', { text: n }));
  head.append(el('th', { text: epochs && setup.batch ? 'batch loss' : 'f' }));
  if (wide) head.append(el('th', { text: '∇f' }));
  else for (const n of names) head.append(el('th', { text: '∂f/∂' + n }));
  for (const s of p.info.stages) head.append(el('th', { text: 'after ' + s, title: 'the update after the ' + s + ' stage' }));
  t.append(el('thead', {}, head));
  const body = el('tbody');
  const K = p.rows.length - 1;
  for (let k = Math.max(0, K - 11); k <= K; k++) {
    const r = p.rows[k];
    if (!r) continue;
    const u = p.upd[k];
    const tr = el('tr', { 'data-k': k, class: u ? '' : 'next' }, td(k));
    if (epochs) tr.append(td(r.epoch));
    if (wide) tr.append(td(r.p));
    else r.p.forEach(v => tr.append(td(v)));
    tr.append(td(r.f));
    if (wide) tr.append(r.g ? td(r.g) : el('td', { text: '—' }));
    else names.forEach((_, j) => tr.append(r.g ? td(r.g[j]) : el('td', { text: '—' })));
    p.info.stages.forEach((_, j) => tr.append(u ? td(u[j], 'stage') : el('td', { class: 'stage', text: '' })));
    body.append(tr);
  }
  t.append(body);
}

function card(p, title, body, removable) {
  const c = el('fieldset', { class: 'card', 'data-path': p, style: `--c:${COLORS[p % COLORS.length]}` },
    el('legend', {}, title, removable ? el('button', { title: 'remove this path', text: '×', onclick: e => { e.stopPropagation(); removable(); } }) : null),
    body,
    el('div', { class: 'status', 'data-path': p, text: 'starting…' }));
  c.addEventListener('click', e => {
    if (e.target.closest('input,select,button')) return;
    selectPath(p);
  });
  if (p === Number(Q.get('sel') || 0)) c.classList.add('selected');
  return c;
}

// clickPoint converts a click on a 2-D plot to data coordinates.
function clickPoint(gd, ev) {
  const fl = gd._fullLayout;
  const drag = gd.querySelector('.nsewdrag');
  if (!fl || !drag) return null;
  const bb = drag.getBoundingClientRect();
  const px = ev.clientX - bb.left;
  const py = ev.clientY - bb.top;
  if (px < 0 || py < 0 || px > bb.width || py > bb.height) return null;
  return [fl.xaxis.p2d(px), fl.yaxis.p2d(py)];
}
const round = v => String(Number(v.toPrecision(3)));

function plotDiv(id, cls = 'plot') {
  return el('div', { id, class: cls });
}

const plotConfig = { displaylogo: false, responsive: true, displayModeBar: false };
// SCALE runs from blue at the lowest f to near white at the highest, so the
// paths stand out everywhere but at the minimum.
const SCALE = [[0, '#2c5f9e'], [0.12, '#6f9fd8'], [0.35, '#c6dbef'], [1, '#f7fbff']];

// ---------- Surface view ----------

const surfaceView = {
  render() {
    const info = objectiveOf(Q.get('obj') || 'hills');
    const c = $('#controls');
    const objSel = el('select', { name: 'obj' });
    for (const o of INFO.objectives) objSel.append(el('option', { value: o.name, text: o.title, selected: o.name === info.name }));
    objSel.addEventListener('change', () => {
      for (const k of ['cond', 'start', 'steps', 'p', 'sel']) Q.delete(k);
      setQ('obj', objSel.value);
      this.render();
    });
    const box = el('fieldset', {}, el('legend', { text: 'Objective' }),
      el('div', { class: 'row' }, el('label', { text: 'function' }), objSel, el('span')),
      el('div', { class: 'formula', text: info.formula }),
      el('div', { class: 'minima', text: info.minima.map(m => `${m.kind} f(${m.x}, ${m.y}) = ${m.f}`).join('; ') }),
      el('div', { class: 'note', text: info.note }));
    if (info.name === 'bowl') {
      box.append(sliderRow('cond', { label: 'condition κ', log: true, min: 0, max: 3 }, Q.get('cond') || '10', v => setQ('cond', v)));
    }
    const steps = el('input', { type: 'number', name: 'steps', min: 1, max: INFO.caps.steps, value: Q.get('steps') || info.steps });
    steps.addEventListener('change', () => setQ('steps', steps.value));
    box.append(el('div', { class: 'row' }, el('label', { text: 'max steps' }), steps, el('span')));
    const start = Q.get('start') || info.start.join(',');
    box.append(el('div', { class: 'note', id: 'starthint', text: `start (${start}): click the map to start elsewhere` }));
    const cards = el('div', { id: 'cards' });
    const specs = Q.getAll('p').length ? Q.getAll('p') : info.paths;
    const setSpecs = list => {
      Q.delete('p');
      list.forEach(s => Q.append('p', s));
      if (Number(Q.get('sel') || 0) >= list.length) Q.delete('sel');
      commitURL();
      connect();
      this.render();
    };
    specs.forEach((spec, i) => {
      cards.append(card(i, `path ${i + 1}: ${parseSpec(spec).name}`,
        optimizerFields(spec, ns => setSpecs(specs.map((s, j) => (j === i ? ns : s)))),
        specs.length > 1 ? () => setSpecs(specs.filter((_, j) => j !== i)) : null));
    });
    const add = el('button', { id: 'addpath', text: '+ add an optimizer', disabled: specs.length >= INFO.caps.paths });
    add.addEventListener('click', () => setSpecs([...specs, 'adam,lr=0.05']));
    c.replaceChildren(box, cards, add);
    $('#plots').replaceChildren(plotDiv('map'), plotDiv('surf3d'));
  },
  onSetup() {
    this.drawn = false;
    const gd = $('#map');
    if (!gd.dataset.click) {
      gd.dataset.click = '1';
      gd.addEventListener('click', ev => {
        const pt = clickPoint(gd, ev);
        if (!pt) return;
        setQ('start', round(pt[0]) + ',' + round(pt[1]));
        $('#starthint').textContent = `start (${Q.get('start')}): click the map to start elsewhere`;
      });
    }
    renderStatus();
  },
  // prepare converts the grid once, so that every redraw hands plotly the
  // same arrays and it redraws only the paths.
  prepare() {
    const g = setup.grid;
    const X = g.x.map(num);
    const Y = g.y.map(num);
    const zc = g.zc.map(r => r.map(num));
    let lo = Infinity;
    for (const r of g.z) for (const v of r) lo = Math.min(lo, num(v));
    // unit arrows along −∇f: the direction a gradient step takes
    const L = 0.45 * (X[X.length - 1] - X[0]) / 19;
    const ax = [];
    const ay = [];
    const fl = g.field;
    for (let i = 0; i < fl.X.length; i++) {
      const u = -num(fl.U[i]);
      const v = -num(fl.V[i]);
      const n = Math.hypot(u, v);
      if (!(n > 0) || !Number.isFinite(n)) continue;
      const x0 = num(fl.X[i]);
      const y0 = num(fl.Y[i]);
      const x1 = x0 + (L * u) / n;
      const y1 = y0 + (L * v) / n;
      const hx = (-0.35 * L * u) / n;
      const hy = (-0.35 * L * v) / n;
      ax.push(x0, x1, null, x1, x1 + 0.6 * hx - 0.35 * hy, null, x1, x1 + 0.6 * hx + 0.35 * hy, null);
      ay.push(y0, y1, null, y1, y1 + 0.6 * hy + 0.35 * hx, null, y1, y1 + 0.6 * hy - 0.35 * hx, null);
    }
    // the 3-D view takes every few grid points: WebGL without a GPU is slow
    const every = Math.max(1, Math.ceil(X.length / 41));
    const keep = (_, i) => i % every === 0 || i === X.length - 1;
    const X3 = X.filter(keep);
    const Y3 = Y.filter(keep);
    const Z3 = zc.filter(keep).map(r => r.filter(keep));
    this.cache = { setup, X, Y, zc, lo, ax, ay, X3, Y3, Z3 };
  },
  draw() {
    if (!setup) return;
    if (!this.cache || this.cache.setup !== setup) this.prepare();
    const g = setup.grid;
    const info = setup.objective;
    const { X, Y, zc, lo, ax, ay, X3, Y3, Z3 } = this.cache;
    const lift = f => (info.logz ? Math.log10(num(f) - lo + 1e-2) : num(f));
    const traces = [
      { type: 'contour', x: X, y: Y, z: zc, customdata: g.z, ncontours: 28, colorscale: SCALE, showscale: false,
        contours: { coloring: 'heatmap' }, line: { width: 0.5, color: 'rgba(255,255,255,0.5)' },
        hovertemplate: 'x=%{x:.3f}<br>y=%{y:.3f}<br>f=%{customdata:.4g}<extra></extra>', name: 'f' },
      { type: 'scatter', mode: 'lines', x: ax, y: ay, line: { color: 'rgba(40,40,40,0.45)', width: 1 }, hoverinfo: 'skip', name: '−∇f direction' },
      { type: 'scatter', mode: 'markers', x: info.minima.map(m => m.x), y: info.minima.map(m => m.y), name: 'known stationary points',
        marker: { symbol: info.minima.map(m => (m.kind === 'saddle point' ? 'x' : 'star')), size: 13, color: '#ffd43b', line: { color: '#222', width: 1 } },
        text: info.minima.map(m => `${m.kind}: f = ${m.f}`), hoverinfo: 'text' },
      { type: 'scatter', mode: 'markers', x: [setup.start[0]], y: [setup.start[1]], name: 'start', marker: { symbol: 'circle-open', size: 14, color: '#000', line: { width: 2 } } },
    ];
    const t3 = [{ type: 'surface', x: X3, y: Y3, z: Z3, colorscale: SCALE, showscale: false, opacity: 0.85, hoverinfo: 'skip' }];
    for (const p of paths) {
      const rows = p.rows.filter(Boolean);
      const color = COLORS[p.i % COLORS.length];
      const xs = rows.map(r => num(r.p[0]));
      const ys = rows.map(r => num(r.p[1]));
      const st = p.status ? ` (${p.status.state})` : '';
      traces.push({ type: 'scatter', mode: 'lines+markers', x: xs, y: ys, name: `${p.i + 1}: ${p.info.label}${st}`, line: { color, width: 2 },
        marker: { size: 3, color }, hovertemplate: 'step %{text}<br>x=%{x:.4g}<br>y=%{y:.4g}<extra></extra>', text: rows.map(r => r.k) });
      if (rows.length) {
        traces.push({ type: 'scatter', mode: 'markers', x: [xs[xs.length - 1]], y: [ys[ys.length - 1]], showlegend: false, hoverinfo: 'skip',
          marker: { size: 10, color, line: { color: '#fff', width: 1.5 }, symbol: p.status && p.status.state === 'diverged' ? 'x' : 'circle' } });
      }
      t3.push({ type: 'scatter3d', mode: 'lines+markers', x: xs, y: ys, z: rows.map(r => lift(r.f)), name: p.info.label, showlegend: false,
        line: { color, width: 5 }, marker: { size: 2, color } });
    }
    const xr = [Math.min(X[0], setup.start[0]), Math.max(X[X.length - 1], setup.start[0])];
    const yr = [Math.min(Y[0], setup.start[1]), Math.max(Y[Y.length - 1], setup.start[1])];
    const t0 = performance.now();
    Plotly.react('map', traces, {
      title: { text: `${info.title}: click to start a path there`, font: { size: 14 } }, uirevision: info.name, dragmode: false,
      xaxis: { range: xr, title: { text: 'x' }, zeroline: false }, yaxis: { range: yr, title: { text: 'y' }, scaleanchor: 'x', zeroline: false },
      margin: { l: 50, r: 10, t: 36, b: 40 }, legend: { orientation: 'h', y: -0.14, font: { size: 11 } }, hovermode: 'closest',
    }, plotConfig);
    window.__drawStats = window.__drawStats || { map: [], s3d: [] };
    window.__drawStats.map.push(Math.round(performance.now() - t0));
    clearTimeout(this.timer3d);
    this.timer3d = setTimeout(() => { const t1 = performance.now(); Plotly.react('surf3d', t3, {
      title: { text: info.logz ? '3-D view (height: log₁₀ of f above its minimum); drag to rotate' : '3-D view; drag to rotate', font: { size: 14 } },
      uirevision: info.name, margin: { l: 0, r: 0, t: 36, b: 0 },
      scene: { xaxis: { title: { text: 'x' } }, yaxis: { title: { text: 'y' } }, zaxis: { title: { text: info.logz ? 'log f' : 'f' } }, camera: { eye: { x: 1.5, y: -1.5, z: 1.1 } } },
    }, plotConfig); window.__drawStats.s3d.push(Math.round(performance.now() - t1)); }, 250);
  },
};

function objectiveOf(name) {
  return INFO.objectives.find(o => o.name === name) || INFO.objectives[0];
}

// ---------- data settings (Fit and Learning rates) ----------

function dataFields(onChange) {
  const d = Q.get('data') || 'line';
  const box = el('fieldset', {}, el('legend', { text: 'Data and model' }));
  const row = (label, input) => box.append(el('div', { class: 'row' }, el('label', { text: label }), input, el('span')));
  const select = (name, options, cur, after) => {
    const s = el('select', { name });
    for (const [v, t] of options) s.append(el('option', { value: v, text: t, selected: v === cur }));
    s.addEventListener('change', () => after(s.value));
    return s;
  };
  row('dataset', select('data', INFO.datasets.map(n => [n, n]), d, v => {
    for (const k of ['model', 'deg', 'fx', 'fy', 'cls', 'std', 'opt', 'start', 'batch', 'epochs']) Q.delete(k);
    onChange('data', v, true);
  }));
  if (d === 'iris') {
    const model = Q.get('model') || 'softmax';
    row('model', select('model', [['softmax', 'softmax (3 species)'], ['logistic', 'logistic (one species vs the rest)']], model, v => { Q.delete('cls'); onChange('model', v, true); }));
    const feats = INFO.iris_features.map(f => [f, f.replace('_', ' ')]);
    row('x feature', select('fx', feats, Q.get('fx') || 'petal_length', v => onChange('fx', v)));
    row('y feature', select('fy', feats, Q.get('fy') || 'petal_width', v => onChange('fy', v)));
    if (model === 'logistic') row('class', select('cls', [['0', 'setosa'], ['1', 'versicolor'], ['2', 'virginica']], Q.get('cls') || '2', v => onChange('cls', v)));
  } else if (d === 'parabola') {
    const model = Q.get('model') || 'poly';
    row('model', select('model', [['poly', 'polynomial'], ['linear', 'line']], model, v => { Q.delete('deg'); onChange('model', v, true); }));
    if (model === 'poly') box.append(sliderRow('deg', { label: 'degree', min: 1, max: INFO.caps.poly, step: 1 }, Q.get('deg') || '2', v => onChange('deg', v, true)));
  }
  const std = el('input', { type: 'checkbox', name: 'std' });
  std.checked = Q.has('std') ? Q.get('std') === '1' : (d === 'salary' || d === 'parabola' || d === 'iris');
  std.addEventListener('change', () => onChange('std', std.checked ? '1' : '0'));
  row('standardize', std);
  const b = Number(Q.get('batch') || 0);
  const mode = b === 0 ? 'batch' : b === 1 ? 'sgd' : 'mini';
  const size = el('input', { type: 'number', name: 'batchsize', min: 2, value: b > 1 ? b : 2, disabled: mode !== 'mini' });
  const modeSel = select('batchmode', [['batch', 'batch (all rows)'], ['sgd', 'SGD (1 row)'], ['mini', 'mini-batch']], mode, v => onChange('batch', v === 'batch' ? '' : v === 'sgd' ? '1' : String(Math.max(2, Number(size.value) || 2)), true));
  size.addEventListener('change', () => onChange('batch', size.value, true));
  row('steps use', modeSel);
  row('batch size', size);
  const ep = el('input', { type: 'number', name: 'epochs', min: 1, max: INFO.caps.epochs, value: Q.get('epochs') || '' , placeholder: 'default' });
  ep.addEventListener('change', () => onChange('epochs', ep.value));
  row('epochs', ep);
  const seed = el('input', { type: 'number', name: 'seed', min: 0, value: Q.get('seed') || 1 });
  seed.addEventListener('change', () => onChange('seed', seed.value === '1' ? '' : seed.value));
  row('seed', seed);
  return box;
}

const DATA_OPT = { line: 'gd,lr=0.05', 'noisy-line': 'gd,lr=0.05', salary: 'gd,lr=0.1', parabola: 'gd,lr=0.1', iris: 'adam,lr=0.05' };

// ---------- Fit view ----------

const fitView = {
  render() {
    const c = $('#controls');
    const onChange = (k, v, rerender) => {
      setQ(k, v);
      if (rerender) this.render();
    };
    const spec = Q.get('opt') || DATA_OPT[Q.get('data') || 'line'];
    const opt = card(0, 'optimizer', optimizerFields(spec, ns => onChange('opt', ns, true)), null);
    c.replaceChildren(dataFields(onChange), opt, el('button', { id: 'stepepoch', text: 'step one epoch', onclick: () => stepEpoch() }));
    $('#plots').replaceChildren(plotDiv('fitplot'), plotDiv('lossplot'), plotDiv('wbplot', 'plot wide'));
  },
  onSetup() {
    $('#wbplot').hidden = !setup.loss_surface;
    const gd = $('#wbplot');
    if (setup.loss_surface && !gd.dataset.click) {
      gd.dataset.click = '1';
      gd.addEventListener('click', ev => {
        const pt = clickPoint(gd, ev);
        if (pt) setQ('start', round(pt[0]) + ',' + round(pt[1]));
      });
    }
  },
  draw() {
    if (!setup) return;
    const p = paths[0];
    const d = setup.data;
    const traces = [];
    const layout = { margin: { l: 55, r: 10, t: 36, b: 45 }, legend: { orientation: 'h', y: -0.18 }, uirevision: 'fit' };
    if (d.classes) {
      const g = setup.grid;
      if (p.shape && p.shape.class) {
        const k = d.classes.length;
        traces.push({ type: 'heatmap', x: g.x.map(num), y: g.y.map(num), z: p.shape.class, zmin: 0, zmax: k - 1, showscale: false, hoverinfo: 'skip', opacity: 0.35,
          colorscale: k === 2 ? [[0, '#cfd8e3'], [1, COLORS[1]]] : [[0, COLORS[0]], [0.5, COLORS[1]], [1, COLORS[2]]] });
      }
      d.classes.forEach((name, c) => {
        const idx = d.label.map((l, i) => (num(l) === c ? i : -1)).filter(i => i >= 0);
        traces.push({ type: 'scatter', mode: 'markers', name, x: idx.map(i => num(d.x[i])), y: idx.map(i => num(d.y[i])),
          marker: { size: 7, color: d.classes.length === 2 && c === 0 ? '#8a94a6' : COLORS[d.classes.length === 2 ? 1 : c], line: { color: '#fff', width: 0.5 } } });
      });
      layout.title = { text: `iris: decision regions of ${setup.model} (shaded) as it trains`, font: { size: 14 } };
      layout.xaxis = { title: { text: d.xname }, zeroline: false };
      layout.yaxis = { title: { text: d.yname }, zeroline: false };
    } else {
      traces.push({ type: 'scatter', mode: 'markers', name: 'data', x: d.x.map(num), y: d.label.map(num), marker: { size: 8, color: '#333' } });
      if (p.shape && p.shape.y) traces.push({ type: 'scatter', mode: 'lines', name: 'model ŷ(x)', x: setup.grid.x.map(num), y: p.shape.y.map(num), line: { color: COLORS[0], width: 3 } });
      const ys = d.label.map(num);
      const lo = Math.min(...ys);
      const hi = Math.max(...ys);
      const pad = 0.25 * (hi - lo || 1);
      layout.title = { text: `${setup.model} fit to ${d.target} as it trains`, font: { size: 14 } };
      layout.xaxis = { title: { text: d.xname } };
      layout.yaxis = { title: { text: d.target }, range: [lo - pad, hi + pad] };
    }
    Plotly.react('fitplot', traces, layout, plotConfig);
    const rows = p.rows.filter(Boolean);
    const lt = [{ type: 'scatter', mode: 'lines', name: setup.batch ? 'batch loss (each step)' : 'loss J (each step)', x: rows.map(r => r.k), y: rows.map(r => num(r.f)), line: { color: COLORS[0], width: 1.5 } }];
    if (setup.batch) lt.push({ type: 'scatter', mode: 'lines+markers', name: 'epoch loss (mean over the epoch)', x: p.epochs.map(e => e.steps), y: p.epochs.map(e => num(e.loss)), line: { color: COLORS[1], width: 2.5 } });
    const pos = rows.map(r => num(r.f)).filter(v => v > 0 && Number.isFinite(v));
    const logy = pos.length > 1 && Math.max(...pos) / Math.min(...pos) > 100;
    Plotly.react('lossplot', lt, { title: { text: `loss ${setup.loss} by step`, font: { size: 14 } }, uirevision: 'loss', margin: { l: 60, r: 10, t: 36, b: 45 },
      xaxis: { title: { text: 'step' } }, yaxis: { title: { text: 'loss' }, type: logy ? 'log' : 'linear', exponentformat: 'power' }, legend: { orientation: 'h', y: -0.18 } }, plotConfig);
    if (setup.loss_surface) {
      const s = setup.loss_surface;
      Plotly.react('wbplot', [
        { type: 'contour', x: s.x.map(num), y: s.y.map(num), z: s.zc.map(r => r.map(num)), customdata: s.z, ncontours: 24, colorscale: SCALE, showscale: false,
          contours: { coloring: 'heatmap' }, hovertemplate: `${s.names[0]}=%{x:.4g}<br>${s.names[1]}=%{y:.4g}<br>J=%{customdata:.4g}<extra></extra>` },
        { type: 'scatter', mode: 'lines+markers', name: 'descent path', x: rows.map(r => num(r.p[0])), y: rows.map(r => num(r.p[1])), line: { color: COLORS[1], width: 2 }, marker: { size: 3 } },
      ], { title: { text: `loss J over (${s.names[0]}, ${s.names[1]}) on the whole training set, with the path; click to start there`, font: { size: 14 } },
        dragmode: false, uirevision: 'wb', margin: { l: 60, r: 10, t: 36, b: 45 }, xaxis: { title: { text: s.names[0] } }, yaxis: { title: { text: s.names[1] } }, showlegend: false }, plotConfig);
    }
  },
};

function stepEpoch() {
  if (setup && setup.steps_per_epoch) control('step', { n: String(setup.steps_per_epoch) });
}

// ---------- Learning-rates view ----------

const ratesView = {
  render() {
    const c = $('#controls');
    const onChange = (k, v, rerender) => {
      setQ(k, v);
      if (rerender) this.render();
    };
    const isObj = Q.has('obj');
    const prob = el('select', { name: 'problem' });
    for (const n of INFO.datasets) prob.append(el('option', { value: 'data:' + n, text: 'dataset ' + n, selected: !isObj && (Q.get('data') || 'line') === n }));
    for (const o of INFO.objectives) prob.append(el('option', { value: 'obj:' + o.name, text: 'objective ' + o.title, selected: isObj && Q.get('obj') === o.name }));
    prob.addEventListener('change', () => {
      for (const k of [...Q.keys()]) if (!['view', 'speed', 'opt', 'lrs'].includes(k)) Q.delete(k);
      const [kind, name] = prob.value.split(':');
      Q.delete('lrs');
      onChange(kind === 'obj' ? 'obj' : 'data', name, true);
    });
    const top = el('fieldset', {}, el('legend', { text: 'Problem' }), el('div', { class: 'row' }, el('label', { text: 'problem' }), prob, el('span')));
    const parts = [top];
    if (isObj) {
      const info = objectiveOf(Q.get('obj'));
      top.append(el('div', { class: 'formula', text: info.formula }));
      if (info.name === 'bowl') top.append(sliderRow('cond', { label: 'condition κ', log: true, min: 0, max: 3 }, Q.get('cond') || '10', v => setQ('cond', v)));
      const steps = el('input', { type: 'number', name: 'steps', min: 1, max: INFO.caps.steps, value: Q.get('steps') || info.steps });
      steps.addEventListener('change', () => setQ('steps', steps.value));
      top.append(el('div', { class: 'row' }, el('label', { text: 'max steps' }), steps, el('span')));
    } else {
      parts.push(dataFields(onChange));
    }
    const spec = Q.get('opt') || 'gd';
    parts.push(el('fieldset', {}, el('legend', { text: 'Optimizer (the same for every rate)' }), optimizerFields(spec, ns => onChange('opt', ns === 'gd' ? '' : ns, true), { withLR: false })));
    const lrs = (Q.get('lrs') || '0.01,0.03,0.08,0.1,0.5').split(',');
    const box = el('fieldset', { id: 'lrs' }, el('legend', { text: 'Learning rates' }));
    const setLRs = list => onChange('lrs', list.join(','), true);
    lrs.forEach((lr, i) => {
      const row = sliderRow('lr' + i, { label: 'lr ' + (i + 1), log: true, min: -5, max: 1 }, lr, v => setLRs(lrs.map((x, j) => (j === i ? v : x))));
      row.style.borderLeft = `6px solid ${COLORS[i % COLORS.length]}`;
      row.classList.add('card');
      row.dataset.path = i;
      box.append(row, el('div', { class: 'status', 'data-path': i }));
      row.addEventListener('click', e => { if (!e.target.closest('input')) selectPath(i); });
    });
    if (lrs.length < INFO.caps.paths) box.append(el('button', { text: '+ add a rate', onclick: () => setLRs([...lrs, String(Number((Number(lrs[lrs.length - 1]) * 2).toPrecision(2)))]) }));
    if (lrs.length > 1) box.append(el('button', { text: '− remove the last', onclick: () => setLRs(lrs.slice(0, -1)) }));
    parts.push(box);
    c.replaceChildren(...parts);
    $('#plots').replaceChildren(plotDiv('rates', 'plot wide'), plotDiv('ratesall', 'plot wide'));
  },
  onSetup() {},
  draw() {
    if (!setup) return;
    const n = paths.length;
    const all = [];
    const each = [];
    const annotations = [];
    let lo = Infinity;
    let f0 = -Infinity;
    for (const p of paths) {
      const r0 = p.rows[0];
      if (r0) f0 = Math.max(f0, num(r0.f));
      for (const r of p.rows) if (r && Number.isFinite(num(r.f))) lo = Math.min(lo, num(r.f));
    }
    const obj = !!setup.objective;
    const logy = !obj && lo > 0;
    // the y range: from the best value down to 10× the start: what rises above is clipped and labelled
    const top = obj ? f0 + 2 * Math.max(f0 - lo, 1e-9) : f0 * 10;
    const bottom = obj ? lo - 0.1 * Math.max(f0 - lo, 1e-9) : Math.max(lo, f0 * 1e-12) / 2;
    const yr = logy ? [Math.log10(bottom), Math.log10(top)] : [bottom, top];
    paths.forEach((p, i) => {
      const rows = p.rows.filter(Boolean);
      const color = COLORS[i % COLORS.length];
      const xs = rows.map(r => r.k);
      const ys = rows.map(r => Math.min(num(r.f), top));
      const ax = i === 0 ? '' : String(i + 1);
      each.push({ type: 'scatter', mode: 'lines', x: xs, y: ys, xaxis: 'x' + ax, yaxis: 'y' + ax, line: { color, width: 2 }, name: p.info.label, showlegend: false });
      all.push({ type: 'scatter', mode: 'lines', x: xs, y: ys, line: { color, width: 2 }, name: `${p.info.label}: ${p.status ? p.status.label : ''}` });
      const over = rows.findIndex(r => !(num(r.f) <= top));
      const st = p.status || { state: 'running', label: '' };
      let label = st.label;
      if (st.state !== 'diverged' && over >= 0) label = `off the chart from step ${rows[over].k}`;
      if (st.state === 'diverged' || over >= 0) {
        const k = st.state === 'diverged' ? xs[xs.length - 1] : rows[over].k;
        each.push({ type: 'scatter', mode: 'markers', x: [k], y: [top], xaxis: 'x' + ax, yaxis: 'y' + ax, marker: { symbol: 'triangle-up', size: 12, color: '#b3261e' }, showlegend: false, hoverinfo: 'skip' });
      }
      annotations.push({ text: `<b>${p.info.label}</b><br>${label.replace(/ \(.*\)$/, '')}`, xref: `x${ax} domain`, yref: `y${ax} domain`, x: 0.5, y: 1.02, xanchor: 'center', yanchor: 'bottom', showarrow: false,
        font: { size: 10, color: st.state === 'diverged' || over >= 0 ? '#b3261e' : st.state === 'converged' ? '#1e7b34' : '#1d2433' } });
    });
    const layout = { grid: { rows: 1, columns: n, pattern: 'independent' }, margin: { l: 55, r: 10, t: 60, b: 40 }, annotations, uirevision: 'rates',
      title: { text: `${setup.problem}: one learning rate per panel, the same y range; values above it are clipped (▲)`, font: { size: 14 }, y: 0.98 } };
    paths.forEach((_, i) => {
      const ax = i === 0 ? '' : String(i + 1);
      layout['xaxis' + ax] = { title: { text: 'step' } };
      layout['yaxis' + ax] = { type: logy ? 'log' : 'linear', exponentformat: 'power', range: yr, title: i === 0 ? { text: obj ? 'f' : 'loss J' } : undefined };
    });
    Plotly.react('rates', each, layout, plotConfig);
    Plotly.react('ratesall', all, { title: { text: 'all rates on one chart (clipped at the same top)', font: { size: 14 } }, uirevision: 'ratesall',
      margin: { l: 55, r: 10, t: 36, b: 40 }, xaxis: { title: { text: 'step' } }, yaxis: { type: logy ? 'log' : 'linear', exponentformat: 'power', range: yr, title: { text: obj ? 'f' : 'loss J' } },
      legend: { orientation: 'v', x: 1, xanchor: 'right', y: 1, bgcolor: 'rgba(255,255,255,0.8)' } }, plotConfig);
  },
};

// ---------- wiring ----------

const VIEWS = { surface: surfaceView, fit: fitView, rates: ratesView };

function start() {
  const name = viewName();
  view = VIEWS[name] || surfaceView;
  document.querySelectorAll('#tabs a').forEach(a => a.classList.toggle('active', a.dataset.view === name));
  view.render();
  const sp = Number(Q.get('speed') || 20);
  $('#speed').value = Math.log10(sp);
  $('#speedv').textContent = sp + '/s';
  setPlaying(false);
  connect();
}

function wire() {
  $('#play').addEventListener('click', () => { setPlaying(true); control('play'); });
  $('#pause').addEventListener('click', () => { setPlaying(false); control('pause'); });
  $('#step').addEventListener('click', () => { setPlaying(false); control('step'); });
  $('#step10').addEventListener('click', () => { setPlaying(false); control('step', { n: '10' }); });
  $('#reset').addEventListener('click', () => { setPlaying(false); connect(); });
  const sp = $('#speed');
  sp.addEventListener('input', () => ($('#speedv').textContent = niceLog(Number(sp.value)) + '/s'));
  sp.addEventListener('change', () => {
    const v = niceLog(Number(sp.value));
    $('#speedv').textContent = v + '/s';
    setQ('speed', v, false);
    control('speed', { speed: v });
  });
  document.querySelectorAll('#tabs a').forEach(a => a.addEventListener('click', e => {
    e.preventDefault();
    Q = new URLSearchParams({ view: a.dataset.view });
    commitURL();
    start();
  }));
  document.addEventListener('keydown', e => {
    if (e.target.closest('input,select,textarea')) return;
    if (e.key === ' ') { e.preventDefault(); (playing ? $('#pause') : $('#play')).click(); }
    if (e.key === 'ArrowRight') $('#step').click();
    if (e.key === 'r') $('#reset').click();
  });
}

fetch('/api/info')
  .then(r => r.json())
  .then(info => {
    INFO = info;
    wire();
    start();
  })
  .catch(e => showProblem('cannot load the playground: ' + e.message));
