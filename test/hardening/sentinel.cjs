// Preloaded into the CLI under test (NODE_OPTIONS=--require <this file>): records and refuses every
// attempt to reach the network, and on exit records the process's peak memory and CPU time.
// Plain CommonJS so node can preload it without a build, and because `--require` preloads also run
// in worker threads (the batch pool), where `--import` ones do not (Node 20). Records are JSON lines appended to
// $FD_SENTINEL_LOG with synchronous writes, so they survive a caller that swallows the error.
'use strict';
const { appendFileSync } = require('node:fs');
const { syncBuiltinESMExports } = require('node:module');
const { isMainThread, threadId } = require('node:worker_threads');
const net = require('node:net');
const tls = require('node:tls');
const http = require('node:http');
const https = require('node:https');
const dns = require('node:dns');
const dgram = require('node:dgram');

const LOG = process.env.FD_SENTINEL_LOG;

function record(entry) {
  if (LOG) appendFileSync(LOG, JSON.stringify({ ...entry, pid: process.pid, thread: threadId }) + '\n');
}

function blocked(api) {
  return function () {
    const stack = new Error().stack?.split('\n').slice(2, 8).join('\n');
    record({ kind: 'network', api, args: safeArgs(arguments), stack });
    throw new Error(`network access during a check is not allowed (${api})`);
  };
}

function safeArgs(args) {
  try {
    return JSON.stringify([...args].filter((a) => typeof a !== 'function')).slice(0, 300);
  } catch {
    return '[unserialisable]';
  }
}

net.Socket.prototype.connect = blocked('net.Socket.prototype.connect');
net.connect = blocked('net.connect');
net.createConnection = blocked('net.createConnection');
net.Server.prototype.listen = blocked('net.Server.prototype.listen');
tls.connect = blocked('tls.connect');
http.request = blocked('http.request');
http.get = blocked('http.get');
https.request = blocked('https.request');
https.get = blocked('https.get');
dgram.createSocket = blocked('dgram.createSocket');
for (const fn of ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveTxt', 'resolveSrv', 'reverse']) {
  if (typeof dns[fn] === 'function') dns[fn] = blocked(`dns.${fn}`);
  if (typeof dns.promises[fn] === 'function') dns.promises[fn] = blocked(`dns.promises.${fn}`);
}
if (typeof globalThis.fetch === 'function') globalThis.fetch = blocked('fetch');
if (typeof globalThis.WebSocket === 'function') globalThis.WebSocket = blocked('WebSocket');
syncBuiltinESMExports(); // named ESM imports of these modules see the patched functions too

record({ kind: 'loaded', main: isMainThread });
if (isMainThread) {
  process.on('exit', (code) => {
    const cpu = process.cpuUsage();
    record({ kind: 'exit', code, maxRssKB: process.resourceUsage().maxRSS, cpuUserMs: Math.round(cpu.user / 1000), cpuSystemMs: Math.round(cpu.system / 1000) });
  });
}
