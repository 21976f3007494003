// Headless Chromium driven over its DevTools pipe (--remote-debugging-pipe: fd 3 in, fd 4 out,
// NUL-framed JSON), with node's built-in modules only. The *_chromium.sh drivers require it
// through $SURG_CDP (lib.sh).
//   const browser = launch(chromium, profileDir, ['--autoplay-policy=...']);
//   const result = await browser.send('Target.createTarget', { url });  // rejects on an error
//   browser.onEvent((message) => ...);   // every message that is not a reply
//   browser.kill();
'use strict';
const { spawn } = require('child_process');

function launch(chromium, profile, extraFlags = []) {
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-quic',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--user-data-dir=' + profile, ...extraFlags, '--remote-debugging-pipe', 'about:blank'];
  const browser = spawn(chromium, flags, { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
  const toBrowser = browser.stdio[3], fromBrowser = browser.stdio[4];
  let next = 1, buffer = '';
  const waiting = new Map(), listeners = [];
  fromBrowser.on('data', (chunk) => {
    buffer += chunk.toString();
    let end;
    while ((end = buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
      if (message.id && waiting.has(message.id)) {
        waiting.get(message.id)(message);
        waiting.delete(message.id);
        continue;
      }
      for (const listener of listeners) listener(message);
    }
  });
  return {
    send(method, params = {}, sessionId) {
      const id = next++;
      toBrowser.write(JSON.stringify({ id, method, params, sessionId }) + '\0');
      return new Promise((resolve, reject) => waiting.set(id, (m) =>
        m.error ? reject(new Error(method + ': ' + m.error.message)) : resolve(m.result)));
    },
    onEvent(listener) { listeners.push(listener); },
    kill() { browser.kill('SIGKILL'); },
  };
}

module.exports = { launch };
