(function () {
'use strict';
// The page's data is JSON in a script element that never runs; every
// string from the journey's file is shown with textContent, never parsed
// as HTML.
var D = null, byId = {}, views = {}, filterSet = null, hlSet = null, matchSet = null;
var state = {view: 'flow', stage: '', persona: '', q: ''};
var MINK = 0.02, MAXK = 8;

function $(id) { return document.getElementById(id); }
function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}
function uel(tag, text) { return el(tag, 'u', text); }
function svgEl(tag, attrs) {
  var e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
  return e;
}
function hashOf(p) {
  var q = new URLSearchParams();
  for (var k in p) if (p[k]) q.set(k, p[k]);
  return '#' + q.toString();
}

// ---- views: the SVG of each tab, its stages and edges, pan and zoom ----

function setupView(name) {
  var layer = $('layer-' + name);
  var svg = layer && layer.querySelector('svg');
  var old = views[name];
  var v = {name: name, layer: layer, svg: svg, stages: {}, edges: [], k: 1, x: 0, y: 0, w: 0, h: 0, placed: false};
  if (old && old.placed) { v.k = old.k; v.x = old.x; v.y = old.y; v.placed = true; }
  views[name] = v;
  if (!svg) return v;
  var wasHidden = layer.hidden;
  layer.hidden = false;
  try { measure(v, svg); } finally { layer.hidden = wasHidden; }
  return v;
}

function measure(v, svg) {
  var name = v.name;
  var vb = (svg.getAttribute('viewBox') || '').trim().split(/[\s,]+/).map(Number);
  if (vb.length === 4 && vb[2] > 0 && vb[3] > 0) { v.w = vb[2]; v.h = vb[3]; }
  else { v.w = svg.width.baseVal.value || 800; v.h = svg.height.baseVal.value || 600; }
  svg.setAttribute('width', v.w);
  svg.setAttribute('height', v.h);
  var prefix = name.charAt(0) + '-stage-';
  var nodeName = {};
  var groups = svg.querySelectorAll('g[id^="' + prefix + '"]');
  for (var i = 0; i < groups.length; i++) {
    var g = groups[i], id = g.id.slice(prefix.length), s = byId[id];
    if (!s || v.stages[id]) continue;
    v.stages[id] = g;
    var t = g.querySelector(':scope > title');
    if (t) nodeName[t.textContent] = id;
    g.classList.add('stage');
    var mark = D.stage_marks && D.stage_marks[id];
    if (mark && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(mark)) g.classList.add('mark-' + mark);
    g.setAttribute('tabindex', '0');
    g.setAttribute('role', 'button');
    g.setAttribute('data-stage', id);
    var label = 'Stage ' + s.name + (s.name !== id ? ' (' + id + ')' : '');
    if (s.findings && s.findings.length) label += ', ' + s.findings.length + ' lint finding' + (s.findings.length > 1 ? 's' : '');
    g.setAttribute('aria-label', label);
    var a = g.querySelector('a');
    if (a) { a.removeAttribute('xlink:title'); a.removeAttributeNS('http://www.w3.org/1999/xlink', 'title'); }
  }
  var es = svg.querySelectorAll('g.edge');
  for (var j = 0; j < es.length; j++) {
    var et = es[j].querySelector(':scope > title');
    var parts = et ? et.textContent.split('->') : [];
    var e = {g: es[j], from: nodeName[parts[0]], to: nodeName[parts[1]]};
    v.edges.push(e);
  }
  drawBadges(v);
  drawOverlay(v);
}

function drawBadges(v) {
  for (var id in v.stages) {
    var s = byId[id], g = v.stages[id];
    if (!s.findings || !s.findings.length) continue;
    var b;
    try { b = g.getBBox(); } catch (err) { continue; }
    var worst = 'info';
    s.findings.forEach(function (i) {
      var sev = D.findings[i].severity;
      if (sev === 'error' || (sev === 'warning' && worst !== 'error')) worst = sev;
    });
    var fill = worst === 'error' ? '#b91c1c' : worst === 'warning' ? '#92400e' : '#4a5568';
    var badge = svgEl('g', {'class': 'badge badge-' + worst, 'aria-hidden': 'true'});
    badge.appendChild(svgEl('circle', {cx: b.x + b.width - 2, cy: b.y + 2, r: 9, fill: fill}));
    var t = svgEl('text', {x: b.x + b.width - 2, y: b.y + 6, 'text-anchor': 'middle'});
    t.textContent = String(s.findings.length);
    badge.appendChild(t);
    g.appendChild(badge);
  }
}

function drawOverlay(v) {
  var ov = D.overlay;
  if (!ov || v.name !== 'flow') return;
  for (var id in v.stages) {
    var f = ov.stages && ov.stages[id], g = v.stages[id];
    if (!f) continue;
    var b;
    try { b = g.getBBox(); } catch (err) { continue; }
    var heat = Math.max(0, Math.min(1, f.heat || 0));
    var r = svgEl('rect', {'class': 'heat', x: b.x - 4, y: b.y - 4, width: b.width + 8, height: b.height + 8, rx: 8,
      fill: 'rgb(220,38,38)', 'fill-opacity': (0.08 + 0.5 * heat).toFixed(3)});
    g.insertBefore(r, g.firstChild);
    if (f.unseen) g.classList.add('unseen');
    var t = svgEl('text', {'class': 'ov-label', x: b.x + b.width / 2, y: b.y + b.height + 16, 'text-anchor': 'middle', fill: '#7f1d1d'});
    t.textContent = f.text;
    g.appendChild(t);
    plate(t, '#7f1d1d');
  }
  var colors = {ok: '#166534', warn: '#b45309', bad: '#b91c1c'};
  var byPair = {};
  (ov.edges || []).forEach(function (e) { byPair[e.from + '\u0000' + e.to] = e; });
  v.edges.forEach(function (e) {
    var f = byPair[e.from + '\u0000' + e.to];
    if (!f || f.off_map) return;
    var p = e.g.querySelector('path');
    if (!p) return;
    var c = colors[f.level] || '#1d4ed8';
    p.setAttribute('stroke-width', (1 + 9 * Math.max(0, Math.min(1, f.width || 0))).toFixed(2));
    p.setAttribute('stroke', c);
    // Under the edge's own label when it has one (they would overlap),
    // else at the middle of its curve.
    var own = e.g.querySelectorAll('text:not(.ov-label)'), at;
    if (own.length) {
      var last = own[own.length - 1];
      at = {x: parseFloat(last.getAttribute('x')), y: parseFloat(last.getAttribute('y')) + 13};
    } else {
      var len = p.getTotalLength(), mid = p.getPointAtLength(len / 2);
      at = {x: mid.x, y: mid.y - 4};
    }
    var t = svgEl('text', {'class': 'ov-label', x: at.x, y: at.y, 'text-anchor': 'middle', fill: c});
    t.textContent = f.text;
    e.g.appendChild(t);
    plate(t, c);
    e.g.classList.add('ov-' + (f.level || 'plain'));
  });
  // Off-map moves: dashed red lines between the stages' centres.
  var root = v.svg.querySelector('g');
  (ov.edges || []).forEach(function (f) {
    if (!f.off_map) return;
    var a = v.stages[f.from], b = v.stages[f.to];
    if (!a || !b || !root) return;
    var ba = a.getBBox(), bb = b.getBBox();
    var x1 = ba.x + ba.width / 2, y1 = ba.y + ba.height / 2, x2 = bb.x + bb.width / 2, y2 = bb.y + bb.height / 2;
    var g = svgEl('g', {'class': 'edge offmap', 'data-from': f.from, 'data-to': f.to});
    g.appendChild(svgEl('path', {d: 'M' + x1 + ',' + y1 + 'L' + x2 + ',' + y2, stroke: '#b91c1c', fill: 'none',
      'stroke-dasharray': '6 4', 'stroke-width': (1 + 6 * Math.max(0, Math.min(1, f.width || 0))).toFixed(2)}));
    // The line crosses the map beneath the stages and edges; its figure
    // lies on top of everything.
    root.insertBefore(g, root.querySelector('g.node'));
    var t = svgEl('text', {'class': 'ov-label', x: (x1 + x2) / 2, y: (y1 + y2) / 2, 'text-anchor': 'middle', fill: '#b91c1c'});
    t.textContent = f.text;
    var top = svgEl('g', {'class': 'offmap-label', 'data-from': f.from, 'data-to': f.to});
    top.appendChild(t);
    root.appendChild(top);
    plate(t, '#b91c1c');
    v.edges.push({g: g, from: f.from, to: f.to});
  });
}

// plate puts a white plate under the figure t, so that it stays legible
// where it lies over a thick edge or a border.
function plate(t, color) {
  var b;
  try { b = t.getBBox(); } catch (err) { return; }
  t.parentNode.insertBefore(svgEl('rect', {'class': 'ov-plate', x: b.x - 4, y: b.y - 1, width: b.width + 8, height: b.height + 2, rx: 3,
    fill: '#ffffff', 'fill-opacity': 0.92, stroke: color, 'stroke-opacity': 0.35}), t);
}

function cur() { return views[state.view]; }

function apply(v) {
  v = v || cur();
  if (!v || !v.layer) return;
  v.layer.style.transform = 'translate(' + v.x.toFixed(2) + 'px,' + v.y.toFixed(2) + 'px) scale(' + v.k.toFixed(4) + ')';
  updateMinimap();
}

function fit(v) {
  v = v || cur();
  if (!v || !v.svg) return;
  var vp = $('viewport'), W = vp.clientWidth || 800, H = vp.clientHeight || 600;
  v.k = Math.max(MINK, Math.min(2, Math.min(W / v.w, H / v.h) * 0.96));
  v.x = (W - v.w * v.k) / 2;
  v.y = (H - v.h * v.k) / 2;
  v.placed = true;
  apply(v);
}

// place is the first view of a map: its whole width at up to actual
// size, from the top when it is taller than the window.
function place(v) {
  v = v || cur();
  if (!v || !v.svg) return;
  var vp = $('viewport'), W = vp.clientWidth || 800, H = vp.clientHeight || 600;
  v.k = Math.max(MINK, Math.min(1, (W / v.w) * 0.96));
  if (v.h * v.k <= H) { fit(v); v.k = Math.min(v.k, 1); }
  v.x = (W - v.w * v.k) / 2;
  v.y = v.h * v.k <= H ? (H - v.h * v.k) / 2 : 8;
  v.placed = true;
  apply(v);
}

function zoomAt(f, cx, cy) {
  var v = cur();
  if (!v || !v.svg) return;
  var vp = $('viewport');
  if (cx === undefined) { cx = vp.clientWidth / 2; cy = vp.clientHeight / 2; }
  var k = Math.max(MINK, Math.min(MAXK, v.k * f));
  v.x = cx - (cx - v.x) * (k / v.k);
  v.y = cy - (cy - v.y) * (k / v.k);
  v.k = k;
  apply(v);
}

function panBy(dx, dy) {
  var v = cur();
  if (!v) return;
  v.x += dx; v.y += dy;
  apply(v);
}

function centerOn(id) {
  var v = cur(), g = v && v.stages[id];
  if (!g) return;
  var vp = $('viewport').getBoundingClientRect(), r = g.getBoundingClientRect();
  var inside = r.left >= vp.left && r.right <= vp.right && r.top >= vp.top && r.bottom <= vp.bottom;
  if (inside) return;
  v.x += (vp.left + vp.width / 2) - (r.left + r.width / 2);
  v.y += (vp.top + vp.height / 2) - (r.top + r.height / 2);
  apply(v);
}

// ---- minimap ----

var minimapFor = null;
function updateMinimap() {
  var v = cur(), mm = $('minimap');
  if (!v || !v.svg) { mm.hidden = true; return; }
  var vp = $('viewport'), W = vp.clientWidth, H = vp.clientHeight;
  var large = v.w * v.k > W * 1.05 || v.h * v.k > H * 1.05;
  mm.hidden = !large;
  if (!large) return;
  if (minimapFor !== v.svg) {
    // The picture is made after the first paint: on a large map it takes
    // a while.
    var svg = minimapFor = v.svg;
    setTimeout(function () {
      if (minimapFor !== svg) return;
      var src = new XMLSerializer().serializeToString(plainClone(svg));
      $('minimap-img').src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(src);
    }, 30);
  }
  var s = mmScale(v);
  mm.style.width = (v.w * s) + 'px';
  mm.style.height = (v.h * s) + 'px';
  var box = $('minimap-view');
  box.style.left = (-v.x / v.k * s) + 'px';
  box.style.top = (-v.y / v.k * s) + 'px';
  box.style.width = (W / v.k * s) + 'px';
  box.style.height = (H / v.k * s) + 'px';
}

// mmScale fits the minimap in 200 by 200 pixels.
function mmScale(v) { return Math.min(200 / v.w, 200 / v.h); }

function plainClone(svg) {
  var c = svg.cloneNode(true);
  c.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  c.removeAttribute('id');
  return c;
}

// ---- selection, filters, highlight ----

function classes(v) {
  for (var id in v.stages) {
    var g = v.stages[id];
    g.classList.toggle('faded', !!filterSet && !filterSet[id]);
    g.classList.toggle('dim', !!hlSet && !hlSet[id]);
    g.classList.toggle('match', !!matchSet && !!matchSet[id]);
    g.classList.toggle('nomatch', !!matchSet && !matchSet[id]);
    var sel = id === state.stage;
    g.classList.toggle('selected', sel);
    if (sel) g.setAttribute('aria-current', 'true'); else g.removeAttribute('aria-current');
  }
  v.edges.forEach(function (e) {
    e.g.classList.toggle('faded', !!filterSet && !(filterSet[e.from] && filterSet[e.to]));
    e.g.classList.toggle('dim', !!hlSet && !(hlSet[e.from] && hlSet[e.to]));
    e.g.classList.toggle('hl', !!hlSet && !!(hlSet[e.from] && hlSet[e.to]));
  });
}
function restyle() { for (var n in views) classes(views[n]); }

function reach(id, dir) {
  var seen = {}, todo = [id];
  seen[id] = true;
  while (todo.length) {
    var s = byId[todo.pop()];
    if (!s) continue;
    var list = dir === 'down' ? (s.next || []).concat((s.reasons || []).map(function (r) { return {stage: r.next}; })) : (s.incoming || []);
    list.forEach(function (e) {
      if (e.stage && !e.journey && !seen[e.stage]) { seen[e.stage] = true; todo.push(e.stage); }
    });
  }
  return seen;
}

function setPersona(p) {
  state.persona = D.paths && Object.prototype.hasOwnProperty.call(D.paths, p) ? p : '';
  $('persona').value = state.persona;
  filterSet = null;
  if (state.persona) {
    filterSet = {};
    D.paths[state.persona].forEach(function (id) { filterSet[id] = true; });
  }
  restyle();
}

function setSearch(q) {
  state.q = q;
  matchSet = null;
  var n = 0, first = '';
  q = q.trim().toLowerCase();
  if (q) {
    matchSet = {};
    D.stages.forEach(function (s) {
      if (s.id.toLowerCase().indexOf(q) >= 0 || s.name.toLowerCase().indexOf(q) >= 0) {
        if (!matchSet[s.id]) { matchSet[s.id] = true; n++; if (!first) first = s.id; }
      }
    });
  }
  $('search-count').textContent = q ? (n === 1 ? '1 match' : n + ' matches') : '';
  restyle();
  return first;
}

function setView(name, keep) {
  if (!views[name] || !views[name].layer) return;
  state.view = name;
  for (var n in views) {
    if (views[n].layer) views[n].layer.hidden = n !== name;
    var tab = $('tab-' + n);
    if (tab) { tab.setAttribute('aria-selected', n === name ? 'true' : 'false'); tab.tabIndex = n === name ? 0 : -1; }
  }
  var v = views[name];
  minimapFor = null;
  if (!v.placed) place(v); else apply(v);
  if (!keep) writeHash();
}

function select(id, focusPanel) {
  if (id && !byId[id]) id = '';
  state.stage = id;
  hlSet = null;
  restyle();
  showPanel(id);
  if (id) {
    centerOn(id);
    if (focusPanel) $('panel').focus();
  }
  writeHash();
}

// ---- the panel ----

function field(dl, name, value) {
  if (value === undefined || value === null || value === '' || value === false) return;
  dl.appendChild(el('dt', '', name));
  var dd = el('dd');
  if (value instanceof Node) dd.appendChild(value); else { dd.className = 'u'; dd.textContent = String(value); }
  dl.appendChild(dd);
}
function list(panel, title, items, render) {
  if (!items || !items.length) return;
  panel.appendChild(el('h3', '', title));
  var ul = el('ul');
  items.forEach(function (it) {
    var li = el('li');
    if (render) render(li, it); else { li.className = 'u'; li.textContent = it; }
    ul.appendChild(li);
  });
  panel.appendChild(ul);
}
function stageLink(id) {
  var s = byId[id];
  var a = uel('a', s ? s.name : id);
  a.href = hashOf({stage: id, persona: state.persona, view: state.view});
  a.setAttribute('data-stage', id);
  if (s && s.name !== id) a.title = id;
  return a;
}
function edgeText(e) {
  var bits = [];
  if (e.when) bits.push('when ' + e.when);
  if (e.after) bits.push('after ' + e.after);
  if (e.rate) bits.push(e.rate);
  if (e.reason) bits.push('follow-up of reason ' + e.reason);
  return bits.length ? ' — ' + bits.join(' · ') : '';
}

function showPanel(id) {
  var p = $('panel');
  p.replaceChildren();
  var s = byId[id];
  if (!s) { p.hidden = true; return; }
  p.hidden = false;
  var close = el('button', '', 'Close');
  close.type = 'button';
  close.id = 'panel-close';
  close.setAttribute('aria-label', 'Close the stage panel');
  close.style.float = 'right';
  close.addEventListener('click', function () { select(''); $('viewport').focus(); });
  p.appendChild(close);
  var h = uel('h2', s.name);
  h.id = 'panel-title';
  p.appendChild(h);
  p.setAttribute('aria-labelledby', 'panel-title');
  var where = el('div', 'where u', (D.journey.file || '') + ':' + s.line + (s.column ? ':' + s.column : ''));
  where.id = 'panel-where';
  p.appendChild(where);
  var acts = el('div', 'actions');
  [['Upstream', 'up'], ['Downstream', 'down'], ['Both', 'both'], ['Clear', '']].forEach(function (b) {
    var btn = el('button', '', b[0]);
    btn.type = 'button';
    btn.title = b[1] ? 'Highlight every stage ' + (b[1] === 'both' ? 'upstream and downstream' : b[1] + 'stream') + ' of this one' : 'Clear the highlight';
    btn.setAttribute('data-highlight', b[1]);
    btn.addEventListener('click', function () { highlight(id, b[1]); });
    acts.appendChild(btn);
  });
  p.appendChild(acts);
  var dl = el('dl');
  field(dl, 'id', s.id);
  field(dl, 'phase', s.phase ? (s.phase_name ? s.phase_name + ' (' + s.phase + ')' : s.phase) : '');
  field(dl, 'entry', s.entry ? 'yes' : '');
  field(dl, 'outcome', s.outcome);
  field(dl, 'owner', s.owner ? s.owner + (s.owner_from ? ' (from the ' + s.owner_from + ')' : '') : '');
  field(dl, 'personas', (s.personas || []).join(', ') || (D.personas.length ? 'all' : ''));
  field(dl, 'channel', s.channel);
  field(dl, 'emotion', s.emotion);
  field(dl, 'aha moment', s.aha ? 'yes' : '');
  field(dl, 'renamed from', (s.renamed_from || []).join(', '));
  p.appendChild(dl);
  if (s.description) p.appendChild(el('p', 'u', s.description));
  if (s.doing || s.thinking || s.feeling) {
    p.appendChild(el('h3', '', 'Doing · thinking · feeling'));
    var dtf = el('dl');
    field(dtf, 'doing', s.doing);
    field(dtf, 'thinking', s.thinking);
    field(dtf, 'feeling', s.feeling);
    p.appendChild(dtf);
  }
  list(p, 'Touchpoints', s.touchpoints, function (li, t) {
    li.className = 'tp';
    var tdl = el('dl');
    field(tdl, 'id', t.id);
    field(tdl, 'channel', t.channel);
    field(tdl, 'action', t.action);
    field(tdl, 'owner', t.owner);
    field(tdl, 'template', t.template);
    if (t.utm && t.utm.length) {
      var c = uel('code', t.utm.map(function (kv) { return 'utm_' + kv[0] + '=' + kv[1]; }).join('&'));
      field(tdl, 'UTM', c);
    }
    li.appendChild(tdl);
  });
  list(p, 'Pains', s.pains);
  list(p, 'Opportunities', s.opportunities);
  list(p, 'Questions', s.questions);
  list(p, 'Backstage', s.backstage);
  list(p, 'Support', s.support);
  list(p, 'Metrics', s.metrics, function (li, m) {
    li.className = 'u';
    li.textContent = (m.name || m.id) + (m.target ? ': target ' + m.target + (m.unit ? ' ' + m.unit : '') : '');
  });
  list(p, 'Events', s.events, function (li, e) { li.appendChild(uel('code', e)); });
  list(p, 'Reasons', s.reasons, function (li, r) {
    li.appendChild(uel('span', r.name || r.id));
    if (r.next) { li.appendChild(document.createTextNode(' → follow-up ')); li.appendChild(stageLink(r.next)); }
  });
  list(p, 'Outgoing', s.next, function (li, e) {
    li.appendChild(document.createTextNode('→ '));
    if (e.journey) li.appendChild(uel('span', 'journey ' + e.journey + (e.stage ? ' / ' + e.stage : '')));
    else li.appendChild(stageLink(e.stage));
    li.appendChild(uel('span', edgeText(e)));
  });
  list(p, 'Incoming', s.incoming, function (li, e) {
    li.appendChild(document.createTextNode('← '));
    li.appendChild(stageLink(e.stage));
    li.appendChild(uel('span', edgeText(e)));
  });
  var fs = (s.findings || []).map(function (i) { return D.findings[i]; });
  list(p, 'Lint findings', fs, function (li, f) {
    li.appendChild(el('span', 'sev-' + f.severity, f.severity));
    li.appendChild(uel('span', ' ' + f.rule + ': ' + f.message + ' (line ' + f.line + ')'));
  });
}

function highlight(id, dir) {
  if (!dir) hlSet = null;
  else if (dir === 'both') {
    var up = reach(id, 'up'), down = reach(id, 'down');
    hlSet = {};
    for (var a in up) hlSet[a] = true;
    for (var b in down) hlSet[b] = true;
  } else hlSet = reach(id, dir);
  restyle();
}

// ---- toolbar ----

function fillToolbar() {
  var j = D.journey;
  var meta = $('meta');
  meta.replaceChildren();
  meta.appendChild(uel('code', j.id));
  meta.appendChild(document.createTextNode(' · ' + j.status + ' · ' + D.stages.length + ' stages · '));
  meta.appendChild(uel('span', j.file));
  var sel = $('persona');
  var keep = sel.value;
  while (sel.options.length > 1) sel.remove(1);
  D.personas.forEach(function (p) {
    var o = el('option', 'u', p.name && p.name !== p.id ? p.name + ' (' + p.id + ')' : p.id);
    o.value = p.id;
    sel.appendChild(o);
  });
  sel.value = keep;
  sel.disabled = !D.personas.length;
  var lint = $('lint');
  lint.replaceChildren();
  var n = {error: 0, warning: 0, info: 0};
  D.findings.forEach(function (f) { n[f.severity] = (n[f.severity] || 0) + 1; });
  if (!D.findings.length) lint.textContent = 'lint: clean';
  else {
    lint.appendChild(document.createTextNode('lint: '));
    if (n.error) lint.appendChild(el('span', 'sev-error', n.error + ' error' + (n.error > 1 ? 's' : '')));
    if (n.warning) lint.appendChild(el('span', 'sev-warning', (n.error ? ', ' : '') + n.warning + ' warning' + (n.warning > 1 ? 's' : '')));
    if (n.info) lint.appendChild(el('span', 'sev-info', ((n.error || n.warning) ? ', ' : '') + n.info + ' info'));
    var free = D.findings.filter(function (f) { return !f.stage || !byId[f.stage]; });
    lint.title = free.map(function (f) { return f.severity + ' ' + f.rule + ': ' + f.message + ' (line ' + f.line + ')'; }).join('\n');
  }
  $('overlay-summary').textContent = D.overlay && D.overlay.summary ? D.overlay.summary : '';
  var ch = $('changes');
  ch.replaceChildren();
  ch.hidden = !D.changes || !D.changes.length;
  if (D.changes && D.changes.length) {
    ch.appendChild(el('h2', '', D.changes.length + ' change' + (D.changes.length > 1 ? 's' : '')));
    var ul = el('ul');
    D.changes.forEach(function (c) {
      var li = el('li', 'chg-' + c.class);
      li.appendChild(el('strong', '', (c.breaking ? 'BREAKING ' : '') + c.kind + ' '));
      if (c.stage && byId[c.stage]) li.appendChild(stageLink(c.stage));
      else if (c.stage) li.appendChild(uel('code', c.stage));
      li.appendChild(uel('div', c.text + (c.line ? ' (line ' + c.line + ')' : '')));
      ul.appendChild(li);
    });
    ch.appendChild(ul);
  }
}

// ---- URL state ----

var writing = false;
function writeHash() {
  var h = hashOf({stage: state.stage, persona: state.persona, view: state.view !== D.view ? state.view : '', q: state.q});
  if (h === '#') h = location.pathname + location.search;
  writing = true;
  try { history.replaceState(null, '', h); } catch (err) { /* file:// in some browsers */ }
  writing = false;
}
function readHash() {
  var q = new URLSearchParams(location.hash.replace(/^#/, ''));
  var view = q.get('view') || D.view;
  setView(views[view] && views[view].layer ? view : D.view, true);
  setPersona(q.has('persona') ? q.get('persona') : (D.persona || ''));
  var s = q.get('q') || '';
  $('search').value = s;
  setSearch(s);
  select(q.get('stage') || '');
}

// ---- export ----

function download(name, blob) {
  var a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}
var exportCSS = '.faded,.dim{opacity:.18}.nomatch{opacity:.3}.selected path,.selected polygon,.selected rect{stroke:#b45309;stroke-width:4px}' +
  '.badge text{font-size:11px;font-weight:bold;fill:#fff}.ov-label{font-size:11px;font-weight:bold;paint-order:stroke;stroke:#fff;stroke-width:3px}';
function exportSVG() {
  var v = cur();
  if (!v || !v.svg) return null;
  var c = plainClone(v.svg);
  var st = svgEl('style', {});
  st.textContent = exportCSS;
  c.insertBefore(st, c.firstChild);
  return new XMLSerializer().serializeToString(c);
}
function exportPNG() {
  var src = exportSVG(), v = cur();
  if (!src) return;
  var img = new Image();
  img.onload = function () {
    var scale = Math.min(2, 16000 / Math.max(v.w, v.h));
    var cv = document.createElement('canvas');
    cv.width = Math.round(v.w * scale);
    cv.height = Math.round(v.h * scale);
    var ctx = cv.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, cv.width, cv.height);
    ctx.drawImage(img, 0, 0, cv.width, cv.height);
    cv.toBlob(function (b) { if (b) download(fileBase() + '.png', b); }, 'image/png');
  };
  img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(src);
}
function fileBase() { return (D.journey.id || 'journey').replace(/[^a-z0-9_-]/gi, '_') + '-' + state.view; }

// ---- events ----

function wire() {
  var vp = $('viewport');
  vp.addEventListener('wheel', function (e) {
    e.preventDefault();
    var r = vp.getBoundingClientRect();
    var dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
    zoomAt(Math.exp(-dy * (e.ctrlKey ? 0.01 : 0.0015)), e.clientX - r.left, e.clientY - r.top);
  }, {passive: false});
  var ptrs = {}, moved = false, last = null, pinch = null;
  vp.addEventListener('pointerdown', function (e) {
    if (e.button !== 0 && e.pointerType === 'mouse') return;
    ptrs[e.pointerId] = {x: e.clientX, y: e.clientY};
    moved = false;
    last = {x: e.clientX, y: e.clientY};
    var ids = Object.keys(ptrs);
    if (ids.length === 2) {
      var a = ptrs[ids[0]], b = ptrs[ids[1]];
      pinch = {d: Math.hypot(a.x - b.x, a.y - b.y) || 1};
    }
  });
  vp.addEventListener('pointermove', function (e) {
    if (!ptrs[e.pointerId]) return;
    ptrs[e.pointerId] = {x: e.clientX, y: e.clientY};
    var ids = Object.keys(ptrs);
    if (ids.length === 2 && pinch) {
      var a = ptrs[ids[0]], b = ptrs[ids[1]], d = Math.hypot(a.x - b.x, a.y - b.y) || 1;
      var r = vp.getBoundingClientRect();
      zoomAt(d / pinch.d, (a.x + b.x) / 2 - r.left, (a.y + b.y) / 2 - r.top);
      pinch.d = d;
      moved = true;
      return;
    }
    var dx = e.clientX - last.x, dy = e.clientY - last.y;
    if (!moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    if (!moved) { moved = true; try { vp.setPointerCapture(e.pointerId); } catch (err) { /* gone */ } vp.classList.add('dragging'); }
    last = {x: e.clientX, y: e.clientY};
    panBy(dx, dy);
  });
  function up(e) {
    delete ptrs[e.pointerId];
    if (Object.keys(ptrs).length < 2) pinch = null;
    vp.classList.remove('dragging');
  }
  vp.addEventListener('pointerup', up);
  vp.addEventListener('pointercancel', up);
  vp.addEventListener('click', function (e) {
    if (moved) { moved = false; return; }
    var g = e.target.closest && e.target.closest('.stage');
    if (g) select(g.getAttribute('data-stage'), false);
  });
  vp.addEventListener('keydown', function (e) {
    var g = e.target.closest && e.target.closest('.stage');
    if (g && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); select(g.getAttribute('data-stage'), true); return; }
    var step = 60;
    switch (e.key) {
      case '+': case '=': zoomAt(1.25); break;
      case '-': case '_': zoomAt(0.8); break;
      case '0': fit(); break;
      case '1': oneToOne(); break;
      case 'ArrowLeft': panBy(step, 0); break;
      case 'ArrowRight': panBy(-step, 0); break;
      case 'ArrowUp': panBy(0, step); break;
      case 'ArrowDown': panBy(0, -step); break;
      case 'Escape': select(''); break;
      default: return;
    }
    e.preventDefault();
  });
  vp.addEventListener('focusin', function (e) {
    var g = e.target.closest && e.target.closest('.stage');
    if (g) centerOn(g.getAttribute('data-stage'));
  });
  $('panel').addEventListener('keydown', function (e) {
    if (e.key !== 'Escape') return;
    var id = state.stage;
    select('');
    var g = views[state.view] && views[state.view].stages[id];
    if (g) g.focus(); else $('viewport').focus();
  });
  $('zoom-in').addEventListener('click', function () { zoomAt(1.25); });
  $('zoom-out').addEventListener('click', function () { zoomAt(0.8); });
  $('zoom-fit').addEventListener('click', function () { fit(); });
  $('zoom-one').addEventListener('click', oneToOne);
  Views().forEach(function (n) {
    var t = $('tab-' + n);
    if (!t) return;
    t.disabled = !views[n] || !views[n].layer;
    t.addEventListener('click', function () { setView(n); });
    t.addEventListener('keydown', function (e) {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      var other = n === 'flow' ? 'canvas' : 'flow';
      setView(other);
      $('tab-' + other).focus();
    });
  });
  $('persona').addEventListener('change', function () { setPersona(this.value); writeHash(); });
  $('search').addEventListener('input', function () { setSearch(this.value); writeHash(); });
  $('search').addEventListener('keydown', function (e) {
    if (e.key === 'Enter') { var f = setSearch(this.value); if (f) select(f, false); }
    if (e.key === 'Escape') { this.value = ''; setSearch(''); writeHash(); }
  });
  $('export-svg').addEventListener('click', function () {
    var s = exportSVG();
    if (s) download(fileBase() + '.svg', new Blob([s], {type: 'image/svg+xml'}));
  });
  $('export-png').addEventListener('click', exportPNG);
  $('minimap').addEventListener('click', function (e) {
    var v = cur(), r = this.getBoundingClientRect(), s = mmScale(v);
    var mx = (e.clientX - r.left) / s, my = (e.clientY - r.top) / s;
    v.x = vp.clientWidth / 2 - mx * v.k;
    v.y = vp.clientHeight / 2 - my * v.k;
    apply(v);
  });
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[data-stage]');
    if (!a) return;
    e.preventDefault();
    var id = a.getAttribute('data-stage');
    if (views[state.view].stages[id]) select(id, false);
    else { select(id, false); }
  });
  window.addEventListener('hashchange', function () { if (!writing) readHash(); });
  window.addEventListener('resize', function () { apply(); });
}
function Views() { return ['flow', 'canvas']; }
function oneToOne() {
  var v = cur(), vp = $('viewport');
  if (v) zoomAt(1 / v.k, vp.clientWidth / 2, vp.clientHeight / 2);
}

// ---- load (and reload, under journey serve) ----

function load(doc) {
  D = JSON.parse(doc.getElementById('journey-data').textContent);
  byId = {};
  D.stages.forEach(function (s) { if (!byId[s.id]) byId[s.id] = s; });
  Views().forEach(function (n) { setupView(n); });
  fillToolbar();
}

function reload() {
  fetch(location.pathname + location.search, {cache: 'no-store', headers: {'Accept': 'text/html'}})
    .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.text(); })
    .then(function (text) {
      var doc = new DOMParser().parseFromString(text, 'text/html');
      var data = doc.getElementById('journey-data');
      if (!data) return;
      Views().forEach(function (n) {
        var fresh = doc.getElementById('layer-' + n), mine = $('layer-' + n);
        if (!fresh || !mine) return;
        mine.replaceChildren.apply(mine, Array.prototype.map.call(fresh.childNodes, function (c) { return document.importNode(c, true); }));
      });
      $('journey-data').textContent = data.textContent;
      var title = doc.getElementById('title');
      if (title) { $('title').textContent = title.textContent; document.title = doc.title; }
      minimapFor = null;
      load(document);
      var keepStage = state.stage;
      setView(state.view, true);
      setPersona(state.persona);
      setSearch(state.q);
      state.stage = byId[keepStage] ? keepStage : '';
      restyle();
      showPanel(state.stage);
      document.documentElement.setAttribute('data-reloaded', String(Number(document.documentElement.getAttribute('data-reloaded') || 0) + 1));
      $('live').textContent = 'updated ' + new Date().toLocaleTimeString();
    })
    .catch(function (err) { $('live').textContent = 'update failed: ' + err.message; });
}

function live() {
  if (!D.live || !window.EventSource) return;
  var es = new EventSource(D.live);
  es.addEventListener('change', reload);
  es.addEventListener('open', function () { $('live').textContent = 'live'; });
  es.addEventListener('error', function () { $('live').textContent = 'disconnected: retrying'; });
}

load(document);
wire();
readHash();
if (!views[state.view].placed) place();
live();
document.documentElement.setAttribute('data-ready', 'true');
document.documentElement.setAttribute('data-ready-ms', String(Math.round(performance.now())));
})();
