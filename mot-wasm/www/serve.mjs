#!/usr/bin/env node
// A tiny static server for the dashboard page: no dependencies, 127.0.0.1 only.
//
//   node mot-wasm/www/serve.mjs [--port N] [--root DIR] [--overlay DIR]... [--mock]
//
// Serves DIR (default: the mot-wasm/ folder) so that the page is at /www/ and
// the package at /pkg/web/mot_wasm.js. `--port` (or env PORT) picks the port,
// 0 a free one (default 8000); the URL is printed on stdout. `--overlay DIR`
// serves a file from DIR when it exists there, else from the root; `--mock`
// overlays tests/browser/mock/, whose pkg/web/mot_wasm.js stands in for the
// real package. Only GET and HEAD; paths that leave the root are refused.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = fileURLToPath(new URL('.', import.meta.url));
const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    root: { type: 'string' },
    overlay: { type: 'string', multiple: true },
    mock: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  console.log('usage: node serve.mjs [--port N|0] [--root DIR] [--overlay DIR]... [--mock]');
  process.exit(0);
}

const root = await realpath(resolve(args.root ?? join(here, '..')));
const overlays = [...(args.overlay ?? [])];
if (args.mock) overlays.push(join(here, '../tests/browser/mock'));
const layers = [...(await Promise.all(overlays.map((d) => realpath(resolve(d))))), root];

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

// The page computes on the client and talks to nobody: say so to the browser.
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

/** The file for a URL path in one layer, or null; throws 'forbidden' outside it. */
async function locate(layer, urlPath) {
  const target = resolve(layer, '.' + urlPath);
  if (target !== layer && !target.startsWith(layer + sep)) throw new Error('forbidden');
  let real;
  try {
    real = await realpath(target);
  } catch {
    return null;
  }
  if (real !== layer && !real.startsWith(layer + sep)) throw new Error('forbidden'); // a symlink out
  const info = await stat(real);
  if (info.isDirectory()) return { dir: true, path: real };
  return info.isFile() ? { dir: false, path: real, size: info.size } : null;
}

function send(res, status, text, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(text + '\n');
}

async function handle(req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
  let path;
  try {
    path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  } catch {
    return send(res, 400, 'bad request');
  }
  if (path.includes('\0') || path.split(/[\\/]/).includes('..')) return send(res, 403, 'forbidden');
  if (path === '/') return send(res, 302, 'see /www/', { Location: '/www/' });
  let found = null;
  for (const layer of layers) {
    found = await locate(layer, path);
    if (found?.dir) {
      if (!path.endsWith('/')) return send(res, 301, 'moved', { Location: path + '/' });
      found = await locate(layer, path + 'index.html');
    }
    if (found) break;
  }
  if (!found) return send(res, 404, 'not found');
  const type = MIME[extname(found.path).toLowerCase()] ?? 'application/octet-stream';
  const headers = {
    'Content-Type': type,
    'Content-Length': found.size,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
  if (type.startsWith('text/html')) headers['Content-Security-Policy'] = CSP;
  res.writeHead(200, headers);
  if (req.method === 'HEAD') return res.end();
  createReadStream(found.path).on('error', () => res.destroy()).pipe(res);
}

const server = createServer((req, res) => {
  handle(req, res).catch((e) => {
    if (e.message === 'forbidden') send(res, 403, 'forbidden');
    else send(res, 500, 'internal error');
  });
});
const port = Number(args.port ?? process.env.PORT ?? 8000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`serve.mjs: \`${args.port ?? process.env.PORT}\` is not a port`);
  process.exit(2);
}
server.listen(port, '127.0.0.1', () => {
  const { port: actual } = server.address();
  const extra = layers.length > 1 ? ` (overlaid: ${layers.slice(0, -1).join(', ')})` : '';
  console.log(`serving ${root}${extra}`);
  console.log(`http://127.0.0.1:${actual}/www/`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
