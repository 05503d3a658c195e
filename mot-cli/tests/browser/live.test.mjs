// Browser test of `mot serve`'s live page, in headless Chromium (Playwright,
// from mot-wasm's node_modules) against the real server on a loopback port.
//
//   cargo build -p mot-cli && (cd mot-wasm && npm ci)
//   NO_PROXY=127.0.0.1,localhost node --test mot-cli/tests/browser/
//
// MOT_BIN overrides the binary (default target/debug/mot). It signs in with a
// read token, posts an incident (every check-in fails) and checks that the
// alarm is on the page within 2 s of the answer; that the dashboard report
// and the journeys at risk are shown; that a wrong token is refused; that
// the page made no request off 127.0.0.1 and logged no error.
// Screenshot: live.png beside this file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../../..');
const { chromium } = createRequire(join(root, 'mot-wasm/package.json'))('playwright-core');
const BIN = process.env.MOT_BIN ?? join(root, 'target/debug/mot');
process.env.NO_PROXY = '127.0.0.1,localhost';
process.env.no_proxy = process.env.NO_PROXY;

const READ = 'reader-0123456789abcdef0123';
const INGEST = 'ingest-0123456789abcdef0123';
let server;
let base;
let browser;
let page;
const problems = [];

const freePort = () =>
  new Promise((ok) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });

function post(path, body, token = INGEST) {
  return new Promise((ok, fail) => {
    const r = request(
      `${base}${path}`,
      { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/csv' } },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => ok({ status: res.statusCode, body: text }));
      },
    );
    r.on('error', fail);
    r.end(body);
  });
}

// `journeys` journeys through the first `steps` MOTs of the designed path;
// in those `failing` picks, check-in fails and the customer calls the
// contact centre instead of flying.
function log(from, journeys, failing, steps = 5) {
  let out = 'journey_id,mot_id,timestamp,success\n';
  for (let j = from; j < from + journeys; j++) {
    const fails = failing(j);
    const mots = fails
      ? ['search-book', 'payment-auth', 'check-in', 'call-agent']
      : ['search-book', 'payment-auth', 'check-in', 'bag-drop', 'flight'];
    mots.slice(0, steps).forEach((m, k) => {
      const ts = 1795392000 + j * 60 + k * 10;
      out += `j${j},${m},${ts},${!(m === 'check-in' && fails)}\n`;
    });
  }
  return out;
}

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mot-live-'));
  writeFileSync(join(dir, 'tokens'), `${READ} read\n${INGEST} ingest\n`);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(
    BIN,
    ['serve', '--experience', join(root, 'mot-core/data/airline.json'), '--data', join(dir, 'data'),
      '--tokens', join(dir, 'tokens'), '--listen', `127.0.0.1:${port}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  await new Promise((ok, fail) => {
    let log = '';
    server.stderr.on('data', (c) => {
      log += c;
      if (log.includes('listening on')) ok();
    });
    server.on('exit', (code) => fail(new Error(`mot serve exited ${code}: ${log}`)));
  });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium' });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('401')) problems.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (!['127.0.0.1', ''].includes(url.hostname) && !url.protocol.startsWith('about') && !url.protocol.startsWith('data')) {
      problems.push(`request off loopback: ${r.url()}`);
    }
  });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

test('a wrong token is refused on the page', async () => {
  await page.goto(base);
  await page.fill('#token', 'not-a-token-of-this-service');
  await page.click('#login button');
  await page.waitForSelector('#login-error:has-text("not one of the service")', { timeout: 5000 });
  assert.equal(await page.isVisible('#room'), false);
});

test('an incident shows as an alarm within 2 s, with the dashboard and the journeys at risk', async () => {
  // A normal day: 1 check-in in 25 fails, and those journeys miss the SCO.
  const normal = (j) => j % 25 === 0;
  assert.equal((await post('/v1/interactions', log(0, 400, normal))).status, 200);
  let outcomes = 'journey_id,sco\n';
  for (let j = 0; j < 400; j++) outcomes += `j${j},${!normal(j)}\n`;
  assert.equal((await post('/v1/outcomes', outcomes)).status, 200);
  await page.goto(base);
  await page.fill('#token', READ);
  await page.click('#login button');
  await page.waitForSelector('#status.live', { timeout: 10000 });
  await page.waitForSelector('#figures:has-text("1,984")', { timeout: 10000 });
  await page.waitForSelector('#figures:has-text("400")', { timeout: 10000 });
  assert.equal(await page.locator('#alarms li[data-mot]').count(), 0);

  // The incident: 200 customers in the middle of their journey, every
  // check-in failing.
  const answer = await post('/v1/interactions', log(400, 200, () => true, 3));
  assert.equal(answer.status, 200, answer.body);
  const answered = Date.now();
  await page.waitForSelector('#alarms li[data-mot="check-in"]', { timeout: 2000 });
  const took = Date.now() - answered;
  assert.ok(took <= 2000, `the alarm took ${took} ms`);
  const alarm = await page.textContent('#alarms li[data-mot="check-in"]');
  assert.match(alarm, /check-in failing more than its target/);
  assert.match(alarm, /owner p-lars/);

  // The report is the core's HTML report, refreshed with the data.
  const report = page.frameLocator('#report');
  await report.locator('h1:has-text("Air travel")').waitFor({ timeout: 10000 });
  await page.waitForSelector('#figures:has-text("2,584")', { timeout: 10000 });
  await report.locator('text=2,584').first().waitFor({ timeout: 10000 });
  // Open journeys whose last check-in failed are at risk.
  await page.waitForSelector('#risk table', { timeout: 10000 });
  assert.match(await page.textContent('#risk'), /check-in ✗/);
  await page.screenshot({ path: join(here, 'live.png') });
  assert.deepEqual(problems, []);
});
