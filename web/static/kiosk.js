// SIPAS counter kiosk: the tablet at the one-stop counter.
//
// Storage on the tablet (nothing else is kept):
//   localStorage  sipas.kiosk.device  {token, id, name, counter, counter_name}
//                 sipas.kiosk.today   {day, n}: answers taken today (a count)
//   IndexedDB     sipas-kiosk v1
//     queue     keyPath seq (auto-increment: the send order), unique index id
//               {seq, id, body, queued_at, attempts, last_error}
//               body is the JSON of POST /api/v1/responses, id its UUID
//     rejected  keyPath id: answers the server refused with 4xx (422...)
//               {id, body, status, reason, rejected_at}: kept, shown to staff
//
// A submission is written to the queue before anything else happens (the
// thank-you screen appears only once the write committed). The sender posts
// the oldest entry first; 201 and 200 (already stored) delete it, 422/400/413
// move it to "rejected", 401/403 stop all sending (revoked tablet), anything
// else (offline, 5xx, 429) retries with exponential back-off from 1 s to
// 60 s, and at once when the browser comes back online. Nothing is ever
// trimmed by age.
//
// After each respondent (sent, abandoned, or timed out) the screen is
// rebuilt from nothing: no answer stays in the DOM, no history entry is
// ever pushed (history.replaceState only), and no answer is in storage
// except inside the queue entry, which is never displayed.
(function () {
  'use strict';

  const DEVICE_KEY = 'sipas.kiosk.device';
  const TODAY_KEY = 'sipas.kiosk.today';
  const DB_NAME = 'sipas-kiosk';
  const BACKOFF_MIN = 1000;
  const BACKOFF_MAX = 60000;
  const STATUS_EVERY = 5 * 60 * 1000;

  const data = JSON.parse(document.getElementById('kiosk-data').textContent);
  const params = new URLSearchParams(location.search);
  const defaultLang = params.get('lang') === 'en' ? 'en' : 'vi';
  let lang = defaultLang;

  function t(key, vars) {
    const e = data.text[key];
    let s = e ? (e[lang] || e.vi) : key;
    if (vars) {
      for (const k of Object.keys(vars)) {
        s = s.split('{' + k + '}').join(String(vars[k]));
      }
    }
    return s;
  }
  function tx(text) { return text ? (text[lang] || text.vi) : ''; }

  function el(tag, attrs, children) {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') n.textContent = v;
      else if (k === 'on') for (const [ev, fn] of Object.entries(v)) n.addEventListener(ev, fn);
      else if (v !== false && v != null) n.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children || []) if (c) n.appendChild(c);
    return n;
  }

  function loadDevice() {
    try { return JSON.parse(localStorage.getItem(DEVICE_KEY) || 'null'); } catch (e) { return null; }
  }

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function localDay(ms) {
    // Days are counted in Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
    return new Date(ms + 7 * 3600 * 1000).toISOString().slice(0, 10);
  }

  // ---- IndexedDB queue ----------------------------------------------------

  let dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const req = indexedDB.open(DB_NAME, 1);
        req.onupgradeneeded = () => {
          const d = req.result;
          if (!d.objectStoreNames.contains('queue')) {
            d.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true })
              .createIndex('id', 'id', { unique: true });
          }
          if (!d.objectStoreNames.contains('rejected')) {
            d.createObjectStore('rejected', { keyPath: 'id' });
          }
        };
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      dbPromise.catch(() => { dbPromise = null; });
    }
    return dbPromise;
  }

  // run opens a transaction on names and resolves with fn's result once
  // the transaction committed (durability: "relaxed" is never asked for).
  async function run(names, mode, fn) {
    const d = await db();
    return new Promise((resolve, reject) => {
      let result;
      let tr;
      try {
        tr = d.transaction(names, mode);
        const stores = names.map((n) => tr.objectStore(n));
        result = fn(...stores);
      } catch (e) {
        reject(e);
        return;
      }
      tr.oncomplete = () => resolve(result && 'result' in result ? result.result : result);
      tr.onabort = () => reject(tr.error || new DOMException('aborted', 'AbortError'));
      tr.onerror = () => undefined; // onabort follows
    });
  }

  const queue = {
    add: (entry) => run(['queue'], 'readwrite', (q) => q.add(entry)),
    count: () => run(['queue'], 'readonly', (q) => q.count()),
    remove: (seq) => run(['queue'], 'readwrite', (q) => { q.delete(seq); }),
    reject: (entry, status, reason) => run(['queue', 'rejected'], 'readwrite', (q, r) => {
      r.put({ id: entry.id, body: entry.body, status, reason, rejected_at: Date.now() });
      q.delete(entry.seq);
    }),
    rejected: () => run(['rejected'], 'readonly', (r) => r.getAll()),
    note: (entry) => run(['queue'], 'readwrite', (q) => { q.put(entry); }),
  };
  // first reads the oldest entry (the cursor's value must be read in the
  // transaction).
  queue.first = async function () {
    const d = await db();
    return new Promise((resolve, reject) => {
      const tr = d.transaction(['queue'], 'readonly');
      const req = tr.objectStore('queue').openCursor();
      let value;
      req.onsuccess = () => { value = req.result ? req.result.value : undefined; };
      tr.oncomplete = () => resolve(value);
      tr.onabort = () => reject(tr.error);
    });
  };

  // ---- state --------------------------------------------------------------

  const state = {
    device: loadDevice(),
    revoked: false,
    storageFull: false,
    pending: null, // an entry that could not be written (storage full), memory only
    waiting: 0,
    rejected: [],
    lastSent: 0,
    netError: false,
    clockOffset: 0, // server time minus tablet time, from the Date header
  };

  // The respondent: replaced by a fresh object at every reset.
  let resp = null;

  // ---- sender -------------------------------------------------------------

  let sending = false;
  let failures = 0;
  let retryTimer = null;

  function noteClock(res) {
    const d = Date.parse(res.headers.get('Date') || '');
    if (!Number.isNaN(d)) state.clockOffset = d - Date.now();
  }

  function scheduleRetry() {
    failures++;
    const base = Math.min(BACKOFF_MAX, BACKOFF_MIN * 2 ** (failures - 1));
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    clearTimeout(retryTimer);
    retryTimer = setTimeout(pump, delay);
  }

  async function pump() {
    if (sending || state.revoked || !state.device) return;
    sending = true;
    clearTimeout(retryTimer);
    retryTimer = null;
    try {
      for (;;) {
        const entry = await queue.first();
        if (!entry) { failures = 0; state.netError = false; break; }
        let res;
        try {
          res = await fetch('/api/v1/responses', {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              Authorization: 'Bearer ' + state.device.token,
              'Accept-Language': entry.body.lang || 'vi',
            },
            body: JSON.stringify(entry.body),
            cache: 'no-store',
            credentials: 'omit',
          });
        } catch (e) {
          state.netError = true;
          scheduleRetry();
          break;
        }
        noteClock(res);
        if (res.status === 201 || res.status === 200) {
          await queue.remove(entry.seq);
          state.lastSent = Date.now();
          state.netError = false;
          failures = 0;
          await refreshCounts();
          continue;
        }
        if (res.status === 401 || res.status === 403) {
          state.revoked = true;
          break;
        }
        if (res.status === 400 || res.status === 413 || res.status === 422) {
          let reason = '';
          try { reason = describeError(await res.json()); } catch (e) { reason = String(res.status); }
          await queue.reject(entry, res.status, reason);
          await refreshCounts();
          continue;
        }
        entry.attempts = (entry.attempts || 0) + 1;
        entry.last_error = res.status;
        await queue.note(entry).catch(() => undefined);
        scheduleRetry();
        break;
      }
    } catch (e) {
      scheduleRetry();
    } finally {
      sending = false;
      await refreshCounts().catch(() => undefined);
      renderStaff();
      if (state.revoked && current === 'welcome') showWelcome();
    }
  }

  function describeError(body) {
    const e = (body && body.error) || {};
    const fields = Object.entries(e.fields || {}).map(([k, v]) => k + ': ' + v).join('; ');
    return (e.message || e.code || '') + (fields ? ' (' + fields + ')' : '');
  }

  async function refreshCounts() {
    state.waiting = await queue.count();
    state.rejected = await queue.rejected();
  }

  async function checkIn() {
    if (!state.device) return;
    try {
      const res = await fetch('/api/v1/kiosk/status', {
        headers: { Authorization: 'Bearer ' + state.device.token },
        cache: 'no-store', credentials: 'omit',
      });
      noteClock(res);
      if (res.status === 401) {
        state.revoked = true;
        if (current === 'welcome') showWelcome();
      }
    } catch (e) { /* offline: the sender retries on its own */ }
    renderStaff();
  }

  // ---- enqueue ------------------------------------------------------------

  function bumpToday() {
    const day = localDay(Date.now());
    let v;
    try { v = JSON.parse(localStorage.getItem(TODAY_KEY) || 'null'); } catch (e) { v = null; }
    const n = v && v.day === day ? v.n + 1 : 1;
    localStorage.setItem(TODAY_KEY, JSON.stringify({ day, n }));
  }
  function today() {
    try {
      const v = JSON.parse(localStorage.getItem(TODAY_KEY) || 'null');
      return v && v.day === localDay(Date.now()) ? v.n : 0;
    } catch (e) { return 0; }
  }

  // save writes the entry to the queue; on failure (QuotaExceededError,
  // or IndexedDB unavailable) the tablet stops taking respondents and
  // tells staff, keeping the answers in memory only, until a retry works.
  async function save(entry) {
    try {
      await queue.add(entry);
    } catch (e) {
      // The same id already queued (a retry that raced another) is saved.
      if (e && e.name === 'ConstraintError') return finishSave();
      state.storageFull = true;
      state.pending = entry;
      state.storageError = (e && e.name) || 'Error';
      renderStaff();
      showBlocked();
      return false;
    }
    return finishSave();
  }

  async function finishSave() {
    state.storageFull = false;
    state.pending = null;
    bumpToday();
    await refreshCounts().catch(() => undefined);
    renderStaff();
    pump();
    return true;
  }

  let retrying = false;
  async function retryPending() {
    if (retrying) return;
    if (!state.pending) { state.storageFull = false; showWelcome(); return; }
    retrying = true;
    try {
      if (await save(state.pending)) showThanks(); // the person may still be there
    } finally {
      retrying = false;
    }
  }

  // ---- screens ------------------------------------------------------------

  const screen = document.getElementById('screen');
  const idleEl = document.getElementById('idle');
  let current = 'welcome';
  let thanksTimer = null;
  let lastActivity = Date.now();

  function show(name, nodes) {
    current = name;
    clearTimeout(thanksTimer);
    screen.replaceChildren(...nodes);
    const h = screen.querySelector('h1');
    if (h) { h.setAttribute('tabindex', '-1'); h.focus({ preventScroll: true }); }
    updateIdle();
  }

  function langButton() {
    return el('button', { type: 'button', class: 'lang', lang: lang === 'vi' ? 'en' : 'vi', text: t('lang_switch'),
      on: { click: () => { lang = lang === 'vi' ? 'en' : 'vi'; document.documentElement.lang = lang; rerender(); } } });
  }

  function rerender() {
    if (current === 'welcome') showWelcome();
    else if (current === 'question') showStep(resp.step);
    else if (current === 'optional') showOptional();
    else if (current === 'thanks') showThanks();
    else if (current === 'blocked') showBlocked();
    renderStaff();
  }

  function showWelcome() {
    if (state.storageFull) { showBlocked(); return; }
    const nodes = [langButton(), el('h1', { text: t('welcome') })];
    // The counter being rated, so that a person knows what the form is
    // about (the same tablet is not moved between counters).
    if (state.device && state.device.counter_name) {
      nodes.push(el('p', { class: 'counter', text: tx(state.device.counter_name) }));
    }
    if (!state.device) {
      nodes.push(el('p', { class: 'message', text: t('not_enrolled') }));
    } else if (state.revoked) {
      nodes.push(el('p', { class: 'message', role: 'alert', text: t('revoked') }));
    } else {
      nodes.push(el('p', { text: t('welcome_body') }), el('p', { class: 'small', text: t('privacy') }),
        el('button', { type: 'button', class: 'big primary', id: 'start', text: t('start'), on: { click: start } }));
    }
    show('welcome', nodes);
  }

  function showBlocked() {
    show('blocked', [el('h1', { text: t('staff') }),
      el('p', { class: 'message', role: 'alert', text: t('storage_full') }),
      el('button', { type: 'button', class: 'big', id: 'retry-save', text: t('retry'), on: { click: retryPending } })]);
  }

  function start() {
    resp = { answers: {}, overall: null, comment: '', step: 0 };
    showStep(0);
  }

  function scaleButtons(name, getValue, setValue, withNoOpinion) {
    const row = el('div', { class: 'scale', role: 'group' });
    const options = data.scale.map((p) => ({ value: p.value, label: p.value + ' · ' + tx(p.label) }));
    if (withNoOpinion) options.push({ value: 0, label: tx(data.no_opinion) });
    for (const o of options) {
      const b = el('button', { type: 'button', class: 'choice v' + o.value, 'data-value': String(o.value),
        'aria-pressed': getValue() === o.value ? 'true' : 'false', text: o.label });
      b.addEventListener('click', () => {
        setValue(o.value);
        for (const x of row.children) x.setAttribute('aria-pressed', x === b ? 'true' : 'false');
      });
      row.appendChild(b);
    }
    return row;
  }

  function showStep(i) {
    resp.step = i;
    const f = data.factors[i];
    const nodes = [
      el('p', { class: 'step', text: t('step', { n: i + 1, total: data.factors.length + 1 }) }),
      el('h1', { text: f.code + '. ' + tx(f.name) }),
    ];
    for (const it of f.items) {
      const id = 'q-' + it.code;
      nodes.push(el('section', { class: 'item', 'aria-labelledby': id }, [
        el('h2', { id, text: tx(it.text) }),
        scaleButtons(it.code, () => resp.answers[it.code], (v) => { resp.answers[it.code] = v; }, true),
      ]));
    }
    nodes.push(el('p', { class: 'nav' }, [
      el('button', { type: 'button', class: 'big', id: 'back', text: t('back'),
        on: { click: () => (i === 0 ? reset() : showStep(i - 1)) } }),
      el('button', { type: 'button', class: 'big primary', id: 'next', text: t('next'),
        on: { click: () => (i + 1 < data.factors.length ? showStep(i + 1) : showOptional()) } }),
    ]));
    show('question', nodes);
  }

  function showOptional() {
    const nodes = [
      el('p', { class: 'step', text: t('step', { n: data.factors.length + 1, total: data.factors.length + 1 }) }),
      el('h1', { text: t('optional') }),
    ];
    if (data.overall) {
      nodes.push(el('section', { class: 'item' }, [el('h2', { text: tx(data.overall.label) }),
        scaleButtons(data.overall.code, () => resp.overall, (v) => { resp.overall = v; }, false)]));
    }
    if (data.comment) {
      const ta = el('textarea', { id: 'comment', rows: '3', maxlength: String(data.comment.max_len || 500),
        autocomplete: 'off', spellcheck: 'false' });
      ta.value = resp.comment;
      ta.addEventListener('input', () => { resp.comment = ta.value; });
      nodes.push(el('section', { class: 'item' }, [el('label', { for: 'comment', text: tx(data.comment.label) }), ta]));
    }
    const msg = el('p', { class: 'message', id: 'submit-error', role: 'alert' });
    nodes.push(msg, el('p', { class: 'nav' }, [
      el('button', { type: 'button', class: 'big', id: 'back', text: t('back'),
        on: { click: () => showStep(data.factors.length - 1) } }),
      el('button', { type: 'button', class: 'big primary', id: 'submit', text: t('submit'),
        on: { click: () => submit(msg) } }),
    ]));
    show('optional', nodes);
  }

  async function submit(msg) {
    const answers = {};
    let any = false;
    for (const [code, v] of Object.entries(resp.answers)) {
      answers[code] = v > 0 ? v : null; // no opinion is sent as null
      if (v > 0) any = true;
    }
    if (!any) { msg.textContent = t('no_answers'); return; }
    const extra = {};
    if (resp.overall > 0 && data.overall) extra[data.overall.code] = String(resp.overall);
    const body = {
      id: uuid(), survey: data.survey, channel: 'kiosk', lang, answers, extra,
      submitted_at: new Date(Date.now() + state.clockOffset).toISOString(),
    };
    const comment = resp.comment.trim();
    if (comment) body.comment = comment;
    const entry = { id: body.id, body, queued_at: Date.now(), attempts: 0 };
    resp = null; // the answers now live only in the entry being saved
    screen.replaceChildren();
    if (await save(entry)) showThanks();
  }

  function showThanks() {
    show('thanks', [el('h1', { text: t('thanks') }), el('p', { text: t('thanks_body') }),
      el('button', { type: 'button', class: 'big primary', id: 'done', text: t('done'), on: { click: reset } })]);
    thanksTimer = setTimeout(reset, (data.thanks || 6) * 1000);
  }

  // reset forgets the respondent and starts over: a fresh DOM, the
  // default language, no history entry, the staff panel closed.
  function reset() {
    resp = null;
    lang = defaultLang;
    document.documentElement.lang = lang;
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    history.replaceState(null, '', location.pathname + location.search);
    closeStaff();
    showWelcome();
  }

  // ---- inactivity ---------------------------------------------------------

  function idleSeconds() {
    const q = parseInt(params.get('idle'), 10);
    return q >= 5 && q <= 600 ? q : data.idle || 60;
  }
  function updateIdle() {
    const active = current === 'question' || current === 'optional';
    if (!active) { idleEl.hidden = true; return; }
    const left = Math.max(0, Math.ceil(idleSeconds() - (Date.now() - lastActivity) / 1000));
    idleEl.hidden = false;
    idleEl.textContent = t('idle', { s: left });
    if (left <= 0) reset();
  }
  for (const ev of ['pointerdown', 'keydown', 'input', 'touchstart']) {
    document.addEventListener(ev, () => { lastActivity = Date.now(); }, { passive: true, capture: true });
  }

  // ---- staff panel ----------------------------------------------------------
  // The small ⚙ button in the corner opens it (no PIN: it shows counts and
  // refusal reasons, never answers).

  const staffEl = document.getElementById('staff');
  const staffToggle = document.getElementById('staff-toggle');

  function closeStaff() {
    staffEl.hidden = true;
    staffToggle.setAttribute('aria-expanded', 'false');
  }
  function renderStaff() {
    const dev = state.device;
    document.getElementById('staff-badge').textContent = state.waiting > 0 ? String(state.waiting) : '';
    document.getElementById('staff-title').textContent = t('staff');
    document.getElementById('staff-device').textContent = dev
      ? t('device', { name: dev.name, counter: dev.counter + ' — ' + tx(dev.counter_name) }) : t('not_enrolled');
    document.getElementById('staff-waiting').textContent = t('waiting', { n: state.waiting });
    document.getElementById('staff-today').textContent = t('today', { n: today() });
    document.getElementById('staff-net').textContent = state.netError ? t('offline')
      : (state.lastSent ? t('last_sent', { t: new Date(state.lastSent).toLocaleTimeString() }) : '');
    const alert = document.getElementById('staff-alert');
    const msg = state.revoked ? t('revoked') : (state.storageFull ? t('storage_full') + ' [' + state.storageError + ']' : '');
    alert.textContent = msg;
    alert.hidden = !msg;
    const rej = document.getElementById('staff-rejected');
    const list = el('ul', {}, state.rejected.map((r) => el('li', {
      text: new Date(r.rejected_at).toLocaleString() + ' · ' + r.id.slice(0, 8) + ' · ' + r.status + ' ' + r.reason })));
    rej.replaceChildren(el('p', { text: t('rejected', { n: state.rejected.length }) }), list);
    document.getElementById('staff-send').textContent = t('send_now');
    document.getElementById('staff-full').textContent = t('fullscreen');
    document.getElementById('staff-close').textContent = t('close');
  }

  // ---- enrolment page -------------------------------------------------------

  function enrolPage() {
    const code = params.get('code') || '';
    // The code must not stay in the address bar or the history.
    history.replaceState(null, '', location.pathname);
    const input = document.getElementById('enrol-code');
    const out = document.getElementById('enrol-result');
    input.value = code;
    document.getElementById('enrol-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      out.textContent = '';
      let res;
      try {
        res = await fetch('/api/v1/kiosk/enrol', {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ code: input.value }), cache: 'no-store', credentials: 'omit',
        });
      } catch (e) {
        out.textContent = t('offline');
        return;
      }
      if (!res.ok) { out.textContent = t('enrol_failed'); return; }
      const b = await res.json();
      localStorage.setItem(DEVICE_KEY, JSON.stringify({
        token: b.token, id: b.device.id, name: b.device.name, counter: b.device.counter,
        counter_name: b.device.counter_name,
      }));
      input.value = '';
      out.textContent = t('enrol_ok', { name: b.device.name, counter: b.device.counter });
      location.replace('/kiosk');
    });
  }

  // ---- start ------------------------------------------------------------------

  function kioskPage() {
    if ('serviceWorker' in navigator) {
      navigator.serviceWorker.register('/kiosk/sw.js', { scope: '/kiosk' }).catch(() => undefined);
    }
    if (navigator.storage && navigator.storage.persist) {
      // Ask the browser not to evict the queue under storage pressure.
      navigator.storage.persist().catch(() => undefined);
    }
    staffToggle.addEventListener('click', () => {
      const open = staffEl.hidden;
      staffEl.hidden = !open;
      staffToggle.setAttribute('aria-expanded', open ? 'true' : 'false');
      if (open) refreshCounts().then(renderStaff, renderStaff);
    });
    document.getElementById('staff-close').addEventListener('click', closeStaff);
    document.getElementById('staff-send').addEventListener('click', () => { failures = 0; pump(); });
    document.getElementById('staff-full').addEventListener('click', () => {
      if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(() => undefined);
    });
    window.addEventListener('online', () => { failures = 0; pump(); });
    window.addEventListener('pageshow', () => pump());
    setInterval(updateIdle, 1000);
    setInterval(checkIn, STATUS_EVERY);
    setInterval(() => { if (state.storageFull) retryPending(); }, 30000);
    showWelcome();
    renderStaff();
    refreshCounts().then(renderStaff, renderStaff);
    checkIn();
    pump();
  }

  if (document.body.dataset.page === 'enrol') enrolPage();
  else kioskPage();
})();
