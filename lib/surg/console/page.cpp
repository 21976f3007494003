// The panel's page, script and style, compiled into the binary: the page loads nothing from
// anywhere else (no CDN, no file from disk), and the Content-Security-Policy of server.cpp
// allows nothing else. Designed for a person in a hurry in an operating room: one status bar
// readable from across the room, big buttons with one-key shortcuts, no hidden state.
#include "surg/console/server.hpp"

#include <string_view>

#include "surg/console/actions.hpp"

namespace surg::console {
namespace {

// The text boxes' maxlength are the limits parse_action checks (actions.hpp), filled in once.
std::string with_limits(std::string html) {
  const std::pair<std::string_view, std::size_t> limits[] = {
      {"@LABEL_MAX@", kMaxLabelBytes}, {"@CAPTION_MAX@", kMaxCaptionBytes}, {"@TITLE_MAX@", kMaxTitleBytes}};
  for (const auto& [name, value] : limits) html.replace(html.find(name), name.size(), std::to_string(value));
  return html;
}

}  // namespace

const std::string& page_html() {
  static const std::string html = with_limits(R"PAGE(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>surg-console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
</head>
<body>
<div id="banner" class="banner hidden" role="alert"></div>
<header id="status" class="status unknown">
  <span id="status-text">CONNECTING…</span>
  <span id="status-detail" class="detail"></span>
</header>
<main>
  <section class="left">
    <div class="preview-box">
      <img id="preview" alt="preview of what goes out">
      <div id="preview-age" class="age">no picture yet</div>
    </div>
    <div class="meter-row">
      <span class="meter-label">MIC</span>
      <div class="meter"><div id="meter-fill" class="fill"></div></div>
      <span id="meter-db" class="meter-db">–</span>
    </div>
    <div id="cards" class="cards"></div>
  </section>
  <section class="right">
    <button id="privacy" class="big privacy" title="shortcut: P"><span class="label">PRIVACY NOW</span><kbd>P</kbd></button>
    <button id="mute" class="big mute" title="shortcut: M"><span class="label">MUTE MIC</span><kbd>M</kbd></button>
    <div class="group">
      <input id="mark-label" maxlength="@LABEL_MAX@" placeholder="chapter name (optional)" autocomplete="off">
      <button id="mark" class="big mark" title="shortcut: K"><span class="label">MARK CHAPTER</span><kbd>K</kbd></button>
    </div>
    <div class="group">
      <input id="caption-text" maxlength="@CAPTION_MAX@" placeholder="live caption — press C, type, Enter" autocomplete="off">
      <div class="row">
        <button id="caption" class="mid">SHOW CAPTION <kbd>Enter</kbd></button>
        <button id="caption-clear" class="mid">CLEAR</button>
      </div>
    </div>
    <div class="group">
      <input id="title-text" maxlength="@TITLE_MAX@" placeholder="title on screen — press T, type, Enter" autocomplete="off">
      <div class="row">
        <button id="title-set" class="mid">CHANGE TITLE <kbd>Enter</kbd></button>
        <button id="title-hide" class="mid">HIDE TITLE</button>
      </div>
    </div>
    <div id="token-box" class="group hidden">
      <input id="token" type="password" placeholder="panel token" autocomplete="off">
      <button id="token-save" class="mid">USE TOKEN</button>
    </div>
    <div class="log-title">Last actions</div>
    <ol id="log" class="log"></ol>
  </section>
</main>
</body>
</html>
)PAGE");
  return html;
}

const std::string& page_css() {
  static const std::string css = R"PAGE(
* { box-sizing: border-box; }
html, body { margin: 0; background: #0b0b0b; color: #f2f2f2;
  font: 18px/1.3 "DejaVu Sans", system-ui, sans-serif; }
.hidden { display: none !important; }
.banner { background: #d00000; color: #fff; font-size: 34px; font-weight: bold; padding: 18px 24px;
  text-align: center; border-bottom: 6px solid #fff; }
.status { display: flex; align-items: baseline; gap: 24px; padding: 14px 24px; font-size: 40px;
  font-weight: bold; letter-spacing: 1px; }
.status .detail { font-size: 20px; font-weight: normal; }
.status.live { background: #0a7d28; }
.status.privacy { background: #ffb000; color: #000; }
.status.stopped, .status.withdrawn { background: #d00000; }
.status.unknown, .status.idle { background: #444; }
main { display: flex; gap: 20px; padding: 16px 24px; align-items: flex-start; }
.left { flex: 3; min-width: 0; }
.right { flex: 2; display: flex; flex-direction: column; gap: 14px; max-width: 520px; }
.preview-box { position: relative; background: #000; border: 3px solid #333; aspect-ratio: 16 / 9; }
.preview-box img { width: 100%; height: 100%; object-fit: contain; display: block; }
.age { position: absolute; left: 8px; bottom: 8px; background: rgba(0,0,0,.75); padding: 2px 8px;
  font-size: 16px; }
.age.late { background: #d00000; }
.meter-row { display: flex; align-items: center; gap: 12px; margin: 10px 0; }
.meter-label { font-weight: bold; width: 48px; }
.meter { flex: 1; height: 26px; background: #222; border: 2px solid #555; position: relative; }
.meter .fill { height: 100%; width: 0; background: #18c93f; transition: width .1s linear; }
.meter .fill.hot { background: #ffb000; }
.meter .fill.muted { background: #777; }
.meter-db { width: 170px; font-weight: bold; text-align: right; }
.meter-db.muted { color: #ff5c5c; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 10px; }
.card { background: #1b1b1b; border-left: 8px solid #555; padding: 8px 12px; }
.card div { overflow-wrap: anywhere; }
.card h3 { margin: 0 0 4px; font-size: 17px; text-transform: uppercase; letter-spacing: 1px; color: #bbb; }
.card .big-value { font-size: 24px; font-weight: bold; }
.card.ok { border-color: #18c93f; } .card.warn { border-color: #ffb000; } .card.bad { border-color: #ff3b3b; }
.card.bad .big-value { color: #ff5c5c; } .card.warn .big-value { color: #ffc740; }
button { font: inherit; cursor: pointer; border: 3px solid #fff; color: #fff; border-radius: 8px; }
button:focus-visible { outline: 5px solid #4da3ff; outline-offset: 2px; }
button:disabled { opacity: .4; cursor: not-allowed; }
.big { min-height: 96px; font-size: 30px; font-weight: bold; display: flex; align-items: center;
  justify-content: space-between; padding: 0 22px; width: 100%; }
.mid { min-height: 54px; font-size: 20px; font-weight: bold; background: #2a2a2a; padding: 0 16px; flex: 1; }
kbd { font: bold 18px monospace; border: 2px solid currentColor; border-radius: 4px; padding: 2px 8px; }
.privacy { background: #b00000; }
.privacy.on { background: #ffb000; color: #000; border-color: #000; }
.mute { background: #2d4b8a; }
.mute.on { background: #ff3b3b; }
.mark { background: #2a2a2a; }
.group { display: flex; flex-direction: column; gap: 8px; }
.row { display: flex; gap: 8px; }
input { font: inherit; font-size: 22px; padding: 10px; background: #000; color: #fff; border: 2px solid #888;
  border-radius: 6px; width: 100%; }
input:focus { border-color: #4da3ff; outline: none; }
.log-title { color: #bbb; text-transform: uppercase; font-size: 15px; letter-spacing: 1px; }
.log { margin: 0; padding-left: 0; list-style: none; font-size: 16px; }
.log li { padding: 3px 0; border-bottom: 1px solid #222; }
.log li.err { color: #ff5c5c; }
)PAGE";
  return css;
}

const std::string& page_js() {
  static const std::string js = R"PAGE('use strict';
// The token (when the panel needs one) comes in the link's #token=… part, which browsers never
// send to a server or put in a Referer; it is kept for this tab only and sent as a header.
(function takeToken() {
  const m = location.hash.match(/token=([^&]+)/);
  if (m) {
    sessionStorage.setItem('surg-token', decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname);
  }
})();
const $ = (id) => document.getElementById(id);
const headers = () => {
  const h = { 'Content-Type': 'application/json' };
  const t = sessionStorage.getItem('surg-token');
  if (t) h['X-Surg-Token'] = t;
  return h;
};
let state = null, lastStateAt = 0, lastLog = '';

function fmtBytes(n) {
  if (!(n >= 0)) return '–';
  const u = ['B', 'KB', 'MB', 'GB', 'TB']; let i = 0;
  while (n >= 1000 && i < u.length - 1) { n /= 1000; i++; }
  return n.toFixed(i ? 1 : 0) + ' ' + u[i];
}
function fmtDur(s) {
  if (!(s >= 0)) return '–';
  s = Math.floor(s);
  const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, x = s % 60;
  return (h ? h + ':' + String(m).padStart(2, '0') : m) + ':' + String(x).padStart(2, '0');
}
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}
function card(title, value, lines, level) {
  const c = el('div', 'card ' + (level || ''));
  c.appendChild(el('h3', '', title));
  c.appendChild(el('div', 'big-value', value));
  for (const l of lines) if (l) c.appendChild(el('div', '', l));
  return c;
}
function showTokenBox(show) { $('token-box').classList.toggle('hidden', !show); }

async function act(body) {
  try {
    const r = await fetch('/api/action', { method: 'POST', headers: headers(), body: JSON.stringify(body) });
    const j = await r.json();
    if (r.status === 403) showTokenBox(true);
    if (!j.ok) flash(j.error || 'refused');
    pollState();
    return j;
  } catch (e) {
    flash('the panel does not answer');
    return { ok: false };
  }
}
// A failed action is shown in the status bar for 8 s (and stays in the list of actions).
let flashText = '', flashUntil = 0;
function flash(text) {
  flashText = text;
  flashUntil = Date.now() + 8000;
  $('status-detail').textContent = '⚠ ' + text;
}

function render() {
  const s = state;
  if (!s) return;
  const c = s.console, now = s.now_ms;
  const anon = (s.stages['surg-anonymize'] || {});
  const slate = anon.slate && anon.slate.on ? anon.slate.reason : '';
  const consent = s.consent;
  const withdrawn = consent && consent.state === 'withdrawn';
  const flowing = c.frames > 0 && now - c.last_frame_ms < 2000;
  // The banner: the one thing nobody may miss.
  const banner = $('banner');
  banner.classList.toggle('hidden', !withdrawn);
  if (withdrawn) banner.textContent = 'CONSENT WITHDRAWN' + (consent.case ? ' — ' + consent.case : '') +
      ' — the broadcast has been stopped. Do not restart it.';
  // The status bar: what viewers get, right now.
  // ON AIR only when a network output is connected; a recording alone says so.
  const network = s.outputs.filter((o) => o.kind && o.kind !== 'file');
  const onAir = network.some((o) => o.state === 'connected');
  const recording = s.outputs.some((o) => o.kind === 'file' && o.state === 'connected');
  let cls = 'live', text = onAir ? 'ON AIR' : recording ? 'RECORDING' : 'PICTURE FLOWING', detail = '';
  if (!onAir && network.length) detail = 'not on air: ' + network.map((o) => o.state).join(', ');
  else if (!onAir && recording) detail = 'not broadcast, recording only';
  if (withdrawn) { cls = 'withdrawn'; text = 'STOPPED — CONSENT WITHDRAWN'; }
  else if (c.ended) { cls = 'stopped'; text = 'STREAM ENDED'; detail = 'nothing goes out any more'; }
  else if (!flowing) { cls = 'idle'; text = c.frames > 0 ? 'NO PICTURE — stream stopped' : 'WAITING FOR THE STREAM'; }
  else if (slate) { cls = 'privacy'; text = 'PRIVACY SLATE'; detail = 'viewers see the slate (' + slate + ')'; }
  if (!withdrawn && flowing && c.muted) detail = (detail ? detail + ' · ' : '') + 'microphone MUTED';
  const status = $('status');
  status.className = 'status ' + cls;
  $('status-text').textContent = text;
  $('status-detail').textContent = Date.now() < flashUntil ? '⚠ ' + flashText : detail;

  const priv = $('privacy');
  const privacyOn = privacyIsOn();
  priv.classList.toggle('on', privacyOn);
  priv.querySelector('.label').textContent = privacyOn ? 'RESUME PICTURE' : 'PRIVACY NOW';
  priv.disabled = !c.controls.privacy;
  if (!c.controls.privacy) priv.title = 'surg-console was started without --anonymize-control';
  const mute = $('mute');
  mute.classList.toggle('on', c.muted);
  mute.querySelector('.label').textContent = c.muted ? 'UNMUTE MIC' : 'MUTE MIC';
  $('mark').disabled = $('caption').disabled = $('caption-clear').disabled = !c.controls.annotate;
  $('title-set').disabled = $('title-hide').disabled = !c.controls.annotate;

  const fill = $('meter-fill'), db = $('meter-db');
  const level = Math.max(0, Math.min(100, (c.level_db + 60) / 60 * 100));
  fill.style.width = level + '%';
  fill.className = 'fill' + (c.muted ? ' muted' : c.level_db > -6 ? ' hot' : '');
  db.textContent = c.muted ? 'MUTED' : (c.level_db <= -119 ? 'silent' : c.level_db.toFixed(0) + ' dB');
  db.className = 'meter-db' + (c.muted ? ' muted' : '');

  const cards = $('cards');
  cards.textContent = '';
  if (consent) {
    let value = consent.state === 'withdrawn' ? 'WITHDRAWN' : 'in force', lines = [], level = 'ok';
    if (consent.case) lines.push('case ' + consent.case);
    if (consent.covers) lines.push('covers: ' + consent.covers.join(', '));
    if (consent.expires) {
      const left = (Date.parse(consent.expires) - now) / 1000;
      lines.push(left <= 0 ? 'EXPIRED' : left > 2 * 86400
        ? 'expires ' + consent.expires.slice(0, 10) + ' (in ' + Math.floor(left / 86400) + ' days)'
        : 'expires in ' + fmtDur(left));
      if (left < 600) level = 'warn';
    }
    if (consent.state === 'withdrawn') { level = 'bad'; if (consent.reason) lines.push(consent.reason); }
    cards.appendChild(card('Consent', value, lines, level));
  }
  const cap = s.stages['surg-capture'];
  if (cap) cards.appendChild(card('Camera', (cap.dropped || 0) + ' dropped', [], cap.dropped ? 'warn' : 'ok'));
  if (s.stages['surg-anonymize'])
    cards.appendChild(card('Anonymiser', slate ? 'SLATE: ' + slate : 'picture passes (no slate)',
      [(anon.frames || 0) + ' frames'], slate ? 'warn' : 'ok'));
  cards.appendChild(card('Console', c.frames + ' frames',
    ['behind live: ' + Math.max(0, c.lag_ms) + ' ms',
     c.privacy_out ? 'last privacy cut on air ' + c.privacy_out.after_action_ms + ' ms after the click' : ''],
    flowing ? (c.lag_ms > 1000 ? 'warn' : 'ok') : 'bad'));
  const push = s.stages['surg-push'];
  if (push) cards.appendChild(card('Encoder', fmtDur(push.seconds) + ' sent',
    [(push.frames || 0) + ' frames', (push.dropped || 0) + ' packets dropped'], push.dropped ? 'warn' : 'ok'));
  for (const o of s.outputs) {
    let value = o.state || '?', level = 'ok';
    if (o.state === 'reconnecting') {
      const left = Math.max(0, Math.ceil(((o.retry_at_ms || now) - now) / 1000));
      value = 'reconnecting in ' + left + ' s'; level = 'warn';
    } else if (['gave-up', 'error', 'withdrawn', 'disconnected'].includes(o.state)) { level = 'bad'; value = o.state.toUpperCase(); }
    else if (['stalled', 'connecting'].includes(o.state)) level = 'warn';
    const file = o.kind === 'file';
    // The file's name, not its folder; a network destination as surg-push redacted it.
    const name = file ? o.dest.split('/').pop() : o.dest;
    cards.appendChild(card(file ? 'Recording' : 'Output ' + (o.kind || ''), value,
      [name, file ? fmtBytes(o.bytes) + ' · ' + fmtDur(o.seconds) : (o.kbps >= 0 ? o.kbps + ' kbit/s' : ''),
       o.reason ? 'why: ' + o.reason : ''], level));
  }
  const logKey = JSON.stringify(s.actions);
  if (logKey !== lastLog) {
    lastLog = logKey;
    const log = $('log');
    log.textContent = '';
    for (const a of s.actions.slice().reverse()) {
      const li = el('li', a.ok ? '' : 'err', a.time.slice(11, 19) + '  ' + a.summary + (a.ok ? '' : ' — FAILED: ' + a.error));
      log.appendChild(li);
    }
  }
}

async function pollState() {
  try {
    const r = await fetch('/api/state', { headers: headers() });
    if (r.status === 403) { showTokenBox(true); flash('this panel needs its token'); return; }
    state = await r.json();
    lastStateAt = Date.now();
    showTokenBox(false);
    render();
  } catch (e) {
    $('status').className = 'status stopped';
    $('status-text').textContent = 'PANEL NOT ANSWERING';
    $('status-detail').textContent = 'surg-console has stopped or the network is down';
  }
}

let previewUrl = null, previewSeq = -1;
async function pollPreview() {
  try {
    const r = await fetch('/api/preview.jpg', { headers: headers() });
    if (r.status === 200) {
      const seq = Number(r.headers.get('X-Surg-Seq'));
      const passed = Number(r.headers.get('X-Surg-Frame-Ms'));
      const blob = await r.blob();
      if (seq !== previewSeq) {
        previewSeq = seq;
        const url = URL.createObjectURL(blob);
        $('preview').src = url;
        if (previewUrl) URL.revokeObjectURL(previewUrl);
        previewUrl = url;
      }
      const offset = state ? state.now_ms - lastStateAt : 0;  // the console's clock minus ours
      const age = Math.max(0, Date.now() + offset - passed);
      const a = $('preview-age');
      a.textContent = age > 2000 ? 'PICTURE FROZEN ' + fmtDur(age / 1000) : 'live preview · ' + age + ' ms';
      a.classList.toggle('late', age > 2000);
    }
  } catch (e) {
    // The state poll says why in the status bar; the picture must not look live.
    $('preview-age').textContent = 'NO PICTURE — the panel does not answer';
    $('preview-age').classList.add('late');
  }
  setTimeout(pollPreview, 150);
}

// On when asked from here, or when the anonymiser shows the privacy slate (also asked by
// SIGUSR1 or its FIFO): the button then offers to resume.
function privacyIsOn() {
  const anon = state.stages['surg-anonymize'] || {};
  return !!state.console.privacy_requested || !!(anon.slate && anon.slate.on && anon.slate.reason === 'privacy');
}
function togglePrivacy() {
  if (!state || $('privacy').disabled) return;
  act({ action: 'privacy', on: !privacyIsOn() });
}
function toggleMute() {
  if (!state) return;
  act({ action: 'mute', on: !state.console.muted });
}
function mark() {
  if ($('mark').disabled) return;
  const input = $('mark-label');
  act({ action: 'mark', label: input.value.trim() }).then((j) => { if (j.ok) input.value = ''; });
}
function caption(text) {
  if ($('caption').disabled) return;
  act({ action: 'caption', text }).then((j) => { if (j.ok && text) $('caption-text').select(); });
}
// An empty box does not hide the title by accident: HIDE TITLE does that.
function setTitle(text) {
  if ($('title-set').disabled) return;
  if (!text) { flash('type the new title first (HIDE TITLE removes it)'); return; }
  act({ action: 'title', text }).then((j) => { if (j.ok) $('title-text').select(); });
}
function hideTitle() {
  if (!$('title-hide').disabled) act({ action: 'title', text: '' });
}
// maxlength counts UTF-16 units; the server counts UTF-8 bytes (actions.hpp). What is typed
// or pasted past the byte limit is cut at the last whole character that fits, so the panel
// never sends a text the server would refuse.
function fitBytes(input) {
  const max = Number(input.getAttribute('maxlength'));
  const encoder = new TextEncoder();
  let bytes = 0, kept = '';
  for (const ch of input.value) {
    bytes += encoder.encode(ch).length;
    if (bytes > max) { input.value = kept; return; }
    kept += ch;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('privacy').addEventListener('click', togglePrivacy);
  $('mute').addEventListener('click', toggleMute);
  $('mark').addEventListener('click', mark);
  $('caption').addEventListener('click', () => caption($('caption-text').value.trim()));
  $('caption-clear').addEventListener('click', () => { $('caption-text').value = ''; caption(''); });
  $('caption-text').addEventListener('keydown', (e) => { if (e.key === 'Enter') caption(e.target.value.trim()); });
  $('mark-label').addEventListener('keydown', (e) => { if (e.key === 'Enter') mark(); });
  $('title-set').addEventListener('click', () => setTitle($('title-text').value.trim()));
  $('title-hide').addEventListener('click', hideTitle);
  $('title-text').addEventListener('keydown', (e) => { if (e.key === 'Enter') setTitle(e.target.value.trim()); });
  for (const id of ['mark-label', 'caption-text', 'title-text'])
    $(id).addEventListener('input', (e) => fitBytes(e.target));
  $('token-save').addEventListener('click', () => {
    sessionStorage.setItem('surg-token', $('token').value.trim());
    $('token').value = '';
    pollState();
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { document.activeElement.blur(); return; }
    if (e.target.tagName === 'INPUT' || e.ctrlKey || e.metaKey || e.altKey) return;
    const k = e.key.toLowerCase();
    if (k === 'p') togglePrivacy();
    else if (k === 'm') toggleMute();
    else if (k === 'k') mark();
    else if (k === 'c') { $('caption-text').focus(); e.preventDefault(); }
    else if (k === 't') { $('title-text').focus(); e.preventDefault(); }
  });
  pollState();
  setInterval(pollState, 300);
  pollPreview();
});
)PAGE";
  return js;
}

}  // namespace surg::console
