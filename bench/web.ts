/**
 * `spramnet serve` throughput and the page's time to first plot.
 * 1. POST /api/predict with one example structure (examples/POSCAR_0002), 4 concurrent clients,
 *    against a server in a child process, requests per second; the reference, in this process, is
 *    predictInputs on the same file in a loop: the ratio is what HTTP and multipart cost (the web
 *    adapter alone, in-process — from memory, no temporary file — is timed too, to tell the two apart).
 * 2. Chromium (Debian's, via playwright-core): from navigation to the page to the first plot drawn
 *    for that file; the reference is the bare API round trip for the same file from Node.
 * Every loop is bounded in count and time and talks to 127.0.0.1 only.
 * usage: node dist/bench/web.js [seconds per measurement, default 5]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { loadModelSets, predictInputs } from '../src/tasks/predict.js';
import { predictUploads } from '../src/web/predictAdapter.js';
import { ROOT } from './shared.js';

const seconds = Number(process.argv[2] ?? 5);
const FILE = join(ROOT, 'examples', 'POSCAR_0002');
const bytes = readFileSync(FILE);
const CLIENTS = 4;
const MAX_REQUESTS = 5000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function startServer(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'spramnet.js'), 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

async function post(url: string): Promise<void> {
  const form = new FormData();
  form.append('files', new Blob([new Uint8Array(bytes)]), 'POSCAR_0002');
  const r = await fetch(`${url}/api/predict`, { method: 'POST', body: form });
  const body = (await r.json()) as { error?: string }[];
  if (r.status !== 200 || body[0].error !== undefined) throw new Error(`bad answer ${r.status}: ${JSON.stringify(body).slice(0, 200)}`);
}

// 1a. in-process reference
const models = loadModelSets([join(ROOT, 'models')]);
for (let k = 0; k < 5; k++) predictInputs([FILE], models);
let calls = 0;
let started = performance.now();
while (performance.now() - started < seconds * 1000 && calls < MAX_REQUESTS) {
  predictInputs([FILE], models);
  calls++;
}
const inProcessPerSecond = calls / ((performance.now() - started) / 1000);

// 1a'. the web adapter in-process (parsed once from memory, atom count, predict), to split the HTTP cost
let adapterCalls = 0;
started = performance.now();
while (performance.now() - started < seconds * 1000 && adapterCalls < MAX_REQUESTS) {
  predictUploads([{ name: 'POSCAR_0002', bytes }], models, { maxAtoms: 100000 });
  adapterCalls++;
}
const adapterPerSecond = adapterCalls / ((performance.now() - started) / 1000);

// 1b. HTTP, 4 concurrent clients
const server = await startServer();
try {
  for (let k = 0; k < 5; k++) await post(server.url);
  let requests = 0;
  const latencies: number[] = [];
  started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline && requests < MAX_REQUESTS) {
        const t = performance.now();
        await post(server.url);
        latencies.push(performance.now() - t);
        requests++;
      }
    }),
  );
  const httpPerSecond = requests / ((performance.now() - started) / 1000);
  console.log(`POST /api/predict, 1 structure, ${CLIENTS} clients: ${httpPerSecond.toFixed(1)} requests/s (median latency ${median(latencies).toFixed(1)} ms, ${requests} requests)`);
  console.log(`predictInputs in-process, same file: ${inProcessPerSecond.toFixed(1)} calls/s (${calls} calls)`);
  console.log(`predictUploads (web adapter) in-process: ${adapterPerSecond.toFixed(1)} calls/s (${adapterCalls} calls); ratio adapter / predictInputs: ${(adapterPerSecond / inProcessPerSecond).toFixed(3)}`);
  console.log(`ratio HTTP / in-process: ${(httpPerSecond / inProcessPerSecond).toFixed(3)}`);
  const figures: Record<string, number | string> = {
    bench: 'web',
    http_requests_per_s: httpPerSecond,
    in_process_calls_per_s: inProcessPerSecond,
    adapter_calls_per_s: adapterPerSecond,
    ratio_http_to_in_process: httpPerSecond / inProcessPerSecond,
    ratio_adapter_to_in_process: adapterPerSecond / inProcessPerSecond,
    median_latency_ms: median(latencies),
  };

  // 2. Chromium: page load to first plot
  if (!existsSync('/usr/bin/chromium')) console.log('page timing skipped: /usr/bin/chromium is missing');
  else {
    const apiRoundTrips: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t = performance.now();
      await post(server.url);
      apiRoundTrips.push(performance.now() - t);
    }
    const profile = mkdtempSync(join(tmpdir(), 'spramnet-bench-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const loads: number[] = [];
      const firstPlots: number[] = [];
      const inPage: { request: number; render: number; chosen: number; plot: number; view: number }[] = [];
      for (let k = 0; k < 6; k++) {
        const t0 = performance.now();
        await page.goto(`${server.url}/`, { waitUntil: 'load' });
        await page.waitForFunction(() => document.getElementById('files') !== null);
        const t1 = performance.now();
        await page.setInputFiles('#files', { name: 'POSCAR_0002', mimeType: 'application/octet-stream', buffer: bytes });
        await page.waitForSelector('svg.chart');
        await page.waitForFunction(() => performance.getEntriesByName('spramnet:3d').length > 0);
        const t2 = performance.now();
        const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])));
        if (k === 0) continue; // the first load warms the browser's caches
        loads.push(t1 - t0);
        firstPlots.push(t2 - t0);
        inPage.push({ request: marks['spramnet:response'] - marks['spramnet:request'], render: marks['spramnet:rendered'] - marks['spramnet:response'], chosen: marks['spramnet:request'], plot: marks['spramnet:rendered'], view: marks['spramnet:3d'] });
      }
      const m = (key: keyof (typeof inPage)[number]) => median(inPage.map((x) => x[key]));
      console.log(`Chromium (page's own clock, median of ${inPage.length} loads): navigation start → first plot ${m('plot').toFixed(0)} ms (file chosen at ${m('chosen').toFixed(0)} ms, request ${m('request').toFixed(0)} ms, drawing ${m('render').toFixed(0)} ms); → 3D view drawn ${m('view').toFixed(0)} ms`);
      console.log(`  as seen by playwright: load event ${median(loads).toFixed(0)} ms, navigation → plots and 3D view ${median(firstPlots).toFixed(0)} ms`);
      console.log(`API round trip from Node for the same file: ${median(apiRoundTrips).toFixed(1)} ms; ratio (chosen → first plot in the page) / round trip: ${((m('plot') - m('chosen')) / median(apiRoundTrips)).toFixed(2)}`);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }
  console.log(JSON.stringify(figures));
} finally {
  server.stop();
}
