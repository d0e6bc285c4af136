import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLI, EXAMPLES, ROOT } from '../helpers.js';
import { startWebServer, staticKey, type RunningServer } from '../../src/web/server.js';

const MODELS = join(ROOT, 'models');
const GOOD = ['POSCAR_0100', 'POSCAR_0055', 'POSCAR_0135', 'rdf_145.npy', 'rdf_762.txt', 'rdf_589.npy'];
const MAX_ATOMS = 200; // POSCAR_0002 has 210 atoms, the GOOD structures fewer
const MAX_UPLOAD_MB = 0.1;

let server: RunningServer;
let uploadTmp: string;
/** `spramnet predict --json` of every example, by base name: the reference the API must reproduce. */
let expected: Map<string, Record<string, unknown>>;

before(async () => {
  // uploads land in os.tmpdir(): point it at a fresh folder so the test can see it is left empty
  uploadTmp = mkdtempSync(join(tmpdir(), 'spramnet-web-api-'));
  process.env.TMPDIR = uploadTmp;
  const cli = spawnSync(process.execPath, [CLI, 'predict', '--json', ...GOOD.map((f) => join(EXAMPLES, f))], { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  expected = new Map((JSON.parse(cli.stdout) as Record<string, unknown>[]).map((p) => [basename(p.input as string), { ...p, input: basename(p.input as string) }]));
  server = await startWebServer({ modelsDir: MODELS, port: 0, maxAtoms: MAX_ATOMS, maxUploadMb: MAX_UPLOAD_MB });
});
after(async () => {
  await server.close();
  delete process.env.TMPDIR;
});

function form(files: { name: string; bytes: Uint8Array; field?: string }[]): FormData {
  const f = new FormData();
  for (const file of files) f.append(file.field ?? 'files', new Blob([new Uint8Array(file.bytes)]), file.name);
  return f;
}
const example = (name: string) => ({ name, bytes: readFileSync(join(EXAMPLES, name)) });

async function predict(files: { name: string; bytes: Uint8Array; field?: string }[], query = ''): Promise<{ status: number; body: any }> {
  const r = await fetch(`${server.url}/api/predict${query}`, { method: 'POST', body: form(files) });
  return { status: r.status, body: await r.json() };
}

/** A request with the path sent exactly as written (fetch and URL would normalise dot segments). */
function raw(path: string, o: { method?: string; headers?: Record<string, string>; body?: Buffer | string; chunked?: boolean } = {}): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: o.method ?? 'GET', headers: o.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (o.body !== undefined) {
      if (o.chunked) {
        // several writes without Content-Length: the server cannot refuse on the header alone
        const b = Buffer.from(o.body);
        for (let k = 0; k < b.length; k += 16384) req.write(b.subarray(k, k + 16384));
      } else req.write(o.body);
    }
    req.end();
  });
}

async function stillServing(): Promise<void> {
  const r = await fetch(`${server.url}/api/models`);
  assert.equal(r.status, 200);
  await r.arrayBuffer();
}

test('GET /api/models returns the shipped cards', async () => {
  const r = await fetch(`${server.url}/api/models`);
  assert.equal(r.status, 200);
  const cards = (await r.json()) as unknown[];
  const files = readdirSync(MODELS).filter((f) => f.endsWith('.card.json')).sort();
  assert.deepEqual(cards, files.map((f) => JSON.parse(readFileSync(join(MODELS, f), 'utf8'))));
});

test('GET /api/columns gives the loaded tasks\' CSV columns, which the page\'s CSV uses', async () => {
  const r = await fetch(`${server.url}/api/columns`);
  assert.equal(r.status, 200);
  const columns = (await r.json()) as { name: string }[];
  const names = columns.map((c) => c.name);
  for (const name of ['el_dos_at_EF_per_eV_atom', 'sigma_xx', 'sheet_conductance_xx_S', 'ph_dos_peak_THz', 'kappa_W_mK']) assert.ok(names.includes(name), name);
  assert.equal(new Set(names).size, names.length, 'each column once, though two materials share the keys');
});

test('POST /api/predict gives the JSON of `predict --json` (structures, .npy and text g(r))', async () => {
  const { status, body } = await predict(GOOD.map(example));
  assert.equal(status, 200);
  assert.deepEqual(body, GOOD.map((f) => expected.get(f)));
});

test('extras=1 adds the input g(r), ADF and atoms without changing the predictions', async () => {
  const { status, body } = await predict([example('POSCAR_0100'), example('rdf_762.txt')], '?extras=1');
  assert.equal(status, 200);
  const [s, g] = body;
  const { descriptors, structure, ...plain } = s;
  assert.deepEqual(plain, expected.get('POSCAR_0100'));
  const lines = readFileSync(join(EXAMPLES, 'POSCAR_0100'), 'utf8').split('\n');
  assert.equal(structure.symbols.length, Number(lines[6].trim()));
  assert.equal(structure.positions_A.length, 3 * structure.symbols.length);
  assert.equal(descriptors.r_A.length, descriptors.g.length);
  assert.ok(Math.abs(descriptors.adf.reduce((a: number, b: number) => a + b, 0) - 1) < 1e-9, 'ADF sums to 1');
  // the text g(r) comes back as written in the file
  const table = readFileSync(join(EXAMPLES, 'rdf_762.txt'), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.trim().split(/\s+/).map(Number));
  assert.deepEqual(g.descriptors.r_A, table.map((r) => r[0]));
  assert.deepEqual(g.descriptors.g, table.map((r) => r[1]));
});

test('extended XYZ and LAMMPS data written by ASE predict as the POSCAR they came from', { skip: !existsSync('/usr/bin/python3') && !process.env.CI ? 'needs /usr/bin/python3 with ase' : false }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spramnet-web-ase-'));
  try {
    const py = `import ase.io\na = ase.io.read(${JSON.stringify(join(EXAMPLES, 'POSCAR_0100'))})\nase.io.write(${JSON.stringify(join(dir, 'sheet.extxyz'))}, a, format='extxyz')\nase.io.write(${JSON.stringify(join(dir, 'sheet.data'))}, a, format='lammps-data', atom_style='atomic', specorder=['C'])`;
    const r = spawnSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    // ASE's extxyz keeps 8 decimals of Å (the tolerance below: 1e-6 relative); ASE 3.22 writes no Masses section; a LAMMPS user's file names its species there
    const data = readFileSync(join(dir, 'sheet.data'), 'utf8').replace(/\n\s*Atoms/, '\nMasses\n\n1 12.011\n\nAtoms');
    const { status, body } = await predict([
      { name: 'sheet.extxyz', bytes: readFileSync(join(dir, 'sheet.extxyz')) },
      { name: 'sheet.data', bytes: Buffer.from(data) },
    ]);
    assert.equal(status, 200);
    const ref = expected.get('POSCAR_0100') as { el_dos: { dos: number[] }; sigma: { xx: number; yy: number } };
    for (const p of body) {
      assert.equal(p.error, undefined, p.error);
      p.el_dos.dos.forEach((v: number, k: number) => assert.ok(Math.abs(v - ref.el_dos.dos[k]) <= 1e-6 * Math.abs(ref.el_dos.dos[k]), `${p.input} el-DoS ${k}`));
      assert.ok(Math.abs(p.sigma.xx - ref.sigma.xx) <= 1e-6 * ref.sigma.xx && Math.abs(p.sigma.yy - ref.sigma.yy) <= 1e-6 * ref.sigma.yy, p.input);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('concurrent uploads from 4 clients each get their own results', async () => {
  const combos = [['POSCAR_0100', 'rdf_145.npy'], ['rdf_762.txt'], ['POSCAR_0055', 'POSCAR_0055', 'rdf_589.npy'], ['POSCAR_0135', 'rdf_762.txt', 'POSCAR_0100']];
  await Promise.all(
    combos.map(async (combo) => {
      for (let round = 0; round < 3; round++) {
        const { status, body } = await predict(combo.map(example));
        assert.equal(status, 200);
        assert.deepEqual(body, combo.map((f) => expected.get(f)));
      }
    }),
  );
});

test('a bad file gets its own error, the others are predicted (200); too many atoms likewise', async () => {
  const files = [example('POSCAR_0100'), { name: 'broken.xyz', bytes: Buffer.from('3\nnot really\nC 0 0\n') }, example('POSCAR_0002'), example('rdf_145.npy'), { name: 'short.npy', bytes: Buffer.from('\x93NUMPY garbage') }];
  const { status, body } = await predict(files);
  assert.equal(status, 200);
  assert.equal(body.length, 5);
  assert.deepEqual(body[0], expected.get('POSCAR_0100'));
  assert.deepEqual(body[3], expected.get('rdf_145.npy'));
  for (const k of [1, 2, 4]) {
    assert.deepEqual(Object.keys(body[k]).sort(), ['error', 'input']);
    assert.ok(body[k].error.startsWith(files[k].name), body[k].error);
    assert.ok(!body[k].error.includes(uploadTmp) && !body[k].error.includes('spramnet-web-'), `temp path leaked: ${body[k].error}`);
  }
  assert.match(body[2].error, /210 atoms, more than this server accepts \(--max-atoms 200\)/);
  await stillServing();
});

test('no file, wrong content type, malformed multipart, unknown part → 400 with an error; the server keeps serving', async () => {
  const cases: [string, Promise<{ status: number; body: string }>][] = [
    ['empty form', raw('/api/predict', { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=XyZ' }, body: '--XyZ--\r\n' })],
    ['json body', raw('/api/predict', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"files": []}' })],
    ['no boundary', raw('/api/predict', { method: 'POST', headers: { 'Content-Type': 'multipart/form-data' }, body: 'abc' })],
    ['no boundary param', raw('/api/predict', { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; charset=utf-8' }, body: 'abc' })],
    ['truncated', raw('/api/predict', { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=XyZ' }, body: '--XyZ\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\n0.1 1\r\n' })],
    ['field only', raw('/api/predict', { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=XyZ' }, body: '--XyZ\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--XyZ--\r\n' })],
  ];
  for (const [name, pending] of cases) {
    const r = await pending;
    assert.equal(r.status, 400, `${name}: ${r.status} ${r.body}`);
    assert.equal(typeof JSON.parse(r.body).error, 'string', name);
    await stillServing();
  }
  const wrongPart = await predict([{ ...example('POSCAR_0100'), field: 'file' }]);
  assert.equal(wrongPart.status, 400);
  assert.match(wrongPart.body.error, /"files"/);
  const get = await raw('/api/predict');
  assert.equal(get.status, 405);
  await stillServing();
});

test('over the size limit → 413, with and without Content-Length; the server keeps serving', async () => {
  const big = { name: 'big.txt', bytes: Buffer.alloc(Math.round(MAX_UPLOAD_MB * 1048576) + 1000, '0.1 1\n') };
  const withLength = await predict([big]);
  assert.equal(withLength.status, 413);
  assert.match(withLength.body.error, /limit/);
  await stillServing();
  // the same total split across two files under the limit each, chunked: the running total catches it
  const half = Buffer.alloc(Math.round(MAX_UPLOAD_MB * 1048576 * 0.6), '0.1 1\n');
  const parts = ['a.txt', 'b.txt'].map((n) => `--XyZ\r\nContent-Disposition: form-data; name="files"; filename="${n}"\r\n\r\n${half.toString()}\r\n`);
  const chunked = await raw('/api/predict', { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=XyZ' }, body: parts.join('') + '--XyZ--\r\n', chunked: true });
  assert.equal(chunked.status, 413, chunked.body);
  await stillServing();
  const ok = await predict([example('rdf_145.npy')]);
  assert.equal(ok.status, 200);
});

test('static files cannot escape: dot segments, encoded and double-encoded variants → 400/404', async () => {
  const attempts = [
    '/../package.json', '/js/../../../package.json', '/%2e%2e/package.json', '/%2e%2e%2fpackage.json', '/%2E%2E%2F%2E%2E%2Fpackage.json',
    '/js/..%2f..%2fserver.js', '/%252e%252e%252fpackage.json', '/js/page/%252e%252e/%252e%252e/server.js', '/..%5c..%5cpackage.json',
    '/js/page/app.js%00.html', '/js/server.js', '/js/predictAdapter.js', '/vendor/../../package.json', '/%c0%ae%c0%ae/package.json', '//etc/passwd', '/./index.html',
  ];
  const secret = readFileSync(join(ROOT, 'package.json'), 'utf8').slice(0, 40);
  for (const path of attempts) {
    const r = await raw(path);
    assert.ok(r.status === 400 || r.status === 404, `${path}: ${r.status}`);
    assert.ok(!r.body.includes(secret) && !r.body.includes('createServer') && !r.body.includes('root:'), path);
  }
  for (const path of ['/', '/index.html', '/style.css', '/js/page/app.js', '/js/page/render.js', '/js/page/plot.js', '/js/csv.js', '/vendor/3Dmol-min.js']) {
    assert.equal((await raw(path)).status, 200, path);
  }
  // the tab icon, under the name browsers ask for unprompted and the one the page names
  for (const path of ['/favicon.ico', '/favicon.svg']) {
    const icon = await fetch(`${server.url}${path}`);
    assert.equal(icon.status, 200, path);
    assert.equal(icon.headers.get('content-type'), 'image/svg+xml', path);
    assert.match(await icon.text(), /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^]*<\/svg>\s*$/, path);
  }
  assert.equal(staticKey('/a%2fb', new Map([['/a/b', 1]])), 400);
  await stillServing();
});

test('requests naming another host are refused (DNS rebinding); responses carry a CSP', async () => {
  const r = await raw('/api/models', { headers: { Host: 'evil.example:8080' } });
  assert.equal(r.status, 403);
  const page = await fetch(`${server.url}/`);
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  await page.arrayBuffer();
});

test('nothing uploaded is left on disk', () => {
  assert.deepEqual(readdirSync(uploadTmp), []);
});
