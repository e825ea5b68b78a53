// The baseline for `actboard-bench baseline-live` / `baseline-idle`: a bare websocket relay
// on `ws`. No auth, no storage, no replay, no ordering: it only pushes each published frame
// to the team's open sockets, so it is the floor of what live delivery costs, against which
// actboard's figures (which pay for all of those) are compared. Keep it that way.
//
//   node relay.js [PORT]        (or PORT in the environment; listens on 127.0.0.1)
//   ws://127.0.0.1:PORT/teams/<team>     subscribe to a team
//   POST /publish/<team>                 body = the frame; sent to the team's sockets; 204
//   GET /health                          200
'use strict';

const http = require('node:http');
const { performance } = require('node:perf_hooks');
const { WebSocketServer, WebSocket } = require('ws');

const port = Number(process.argv[2] || process.env.PORT || 8090);
/** team -> Set of its open sockets */
const teams = new Map();

/** Now as RFC 3339 UTC with microseconds, like the `at` actboard stamps in the writing transaction. */
function now() {
  const us = Math.round((performance.timeOrigin + performance.now()) * 1000);
  const iso = new Date(Math.floor(us / 1000)).toISOString(); // …T12:34:56.789Z
  return iso.slice(0, -1) + String(us % 1000).padStart(3, '0') + 'Z';
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    res.writeHead(200).end('ok');
    return;
  }
  const m = req.method === 'POST' && /^\/publish\/([^/?]+)$/.exec(req.url);
  if (!m) {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    // Plain string replace, no JSON parse: the frame is opaque to a relay.
    const text = Buffer.concat(chunks).toString().replace('"at":null', `"at":"${now()}"`);
    const frame = Buffer.from(text); // encoded once, sent to every socket as a text frame
    for (const ws of teams.get(m[1]) ?? []) {
      if (ws.readyState === WebSocket.OPEN) ws.send(frame, { binary: false });
    }
    res.writeHead(204).end();
  });
});

const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  const m = /^\/teams\/([^/?]+)$/.exec(req.url);
  if (!m) {
    socket.destroy();
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    const team = m[1];
    if (!teams.has(team)) teams.set(team, new Set());
    teams.get(team).add(ws);
    ws.on('error', () => {}); // a bad client frame; 'close' follows
    ws.on('close', () => {
      const set = teams.get(team);
      set.delete(ws);
      if (set.size === 0) teams.delete(team);
    });
  });
});

server.listen(port, '127.0.0.1', () => console.log(`relay listening on 127.0.0.1:${port}`));
