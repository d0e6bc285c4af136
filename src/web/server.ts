/**
 * `spramnet serve`: a small node:http server over the prediction library. Routes:
 *   GET  /                 the page (self-contained: its scripts, styles and the 3D viewer are served from here)
 *   GET  /api/models       the model cards of the loaded model folder
 *   GET  /api/columns      the CSV result columns of the loaded tasks (csv.ts CsvColumnSpec: the page's CSV download)
 *   POST /api/predict      multipart/form-data, parts named `files` → the JSON of `predict --json`
 *                          (`?extras=1` adds each input's `descriptors` and `structure` for the page)
 * Uploads are parsed in memory (busboy) and never stored outside the adapter's temp folder.
 * Static files come from a fixed table built at start: no path from a request reaches the disk.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import busboy from 'busboy';
import { loadWebModels, modelCards, predictUploads, type Upload, type WebModels } from './predictAdapter.js';
import { FAVICON_SVG, INDEX_HTML, STYLE_CSS } from './page/assets.js';
import { loadedTaskSpecs } from '../tasks/predict.js';
import { csvColumnsOf } from '../tasks/taskSpec.js';

export interface WebServerOptions {
  models: WebModels;
  /** What GET /api/models returns. */
  cards: unknown[];
  /** Largest total upload per request, bytes (a larger request gets 413). */
  maxUploadBytes: number;
  /** Largest structure accepted, atoms (a larger one gets an error in its entry). */
  maxAtoms: number;
  /** Most files per request (more: 413). */
  maxFiles?: number;
  /** When set to a loopback address, requests must name a loopback host (guards against DNS rebinding). */
  host?: string;
}

interface Asset {
  type: string;
  body: Buffer;
}

const JS = 'text/javascript; charset=utf-8';

/** The page's files: compiled browser modules beside this file, and the 3D viewer from node_modules. */
function buildAssets(): Map<string, Asset> {
  const here = (p: string) => readFileSync(fileURLToPath(new URL(p, import.meta.url)));
  const assets = new Map<string, Asset>([
    ['/', { type: 'text/html; charset=utf-8', body: Buffer.from(INDEX_HTML) }],
    ['/index.html', { type: 'text/html; charset=utf-8', body: Buffer.from(INDEX_HTML) }],
    ['/style.css', { type: 'text/css; charset=utf-8', body: Buffer.from(STYLE_CSS) }],
    // browsers ask for /favicon.ico whatever the page says; both names get the SVG icon
    ['/favicon.svg', { type: 'image/svg+xml', body: Buffer.from(FAVICON_SVG) }],
    ['/favicon.ico', { type: 'image/svg+xml', body: Buffer.from(FAVICON_SVG) }],
    ['/js/page/app.js', { type: JS, body: here('./page/app.js') }],
    ['/js/page/render.js', { type: JS, body: here('./page/render.js') }],
    ['/js/page/plot.js', { type: JS, body: here('./page/plot.js') }],
    ['/js/csv.js', { type: JS, body: here('./csv.js') }],
    // render.js imports ../../data/sigmaUnits.js and spectrumPeak.js: from /js/page/ that resolves to /data/
    ['/data/sigmaUnits.js', { type: JS, body: here('../data/sigmaUnits.js') }],
    ['/data/spectrumPeak.js', { type: JS, body: here('../data/spectrumPeak.js') }],
  ]);
  try {
    const viewer = createRequire(import.meta.url).resolve('3dmol/build/3Dmol-min.js');
    assets.set('/vendor/3Dmol-min.js', { type: JS, body: readFileSync(viewer) });
  } catch {
    // without the viewer the page shows the numbers and plots and says the 3D view is unavailable
  }
  return assets;
}

/**
 * The asset key of a request path, or the status to answer: 400 for anything that tries to leave
 * the table's namespace (dot segments, backslashes, NUL, encoded slashes or a second layer of
 * encoding), 404 for a clean path that is not in the table.
 */
export function staticKey(rawPath: string, assets: ReadonlyMap<string, unknown>): string | 400 | 404 {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return 400;
  }
  if (/%[0-9a-f]{2}/i.test(path) || path.includes('\\') || path.includes('\0') || !path.startsWith('/')) return 400;
  if (path.split('/').some((seg) => seg === '..' || seg === '.')) return 400;
  if (/%2f/i.test(rawPath)) return 400;
  return assets.has(path) ? path : 404;
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
};

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', ...SECURITY_HEADERS, ...extra });
  res.end(text);
}

/** Answer with an error and close the connection once the rest of the request body is drained (or too much of it arrives). */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, message: string, drainLimit: number): void {
  if (res.headersSent) return;
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > drainLimit) req.destroy();
  });
  req.resume();
  sendJson(res, status, { error: message }, { Connection: 'close' });
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function hostAllowed(req: IncomingMessage, boundHost: string | undefined): boolean {
  if (boundHost === undefined || !LOOPBACK.has(boundHost)) return true;
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  return LOOPBACK.has(host);
}

function handlePredict(req: IncomingMessage, res: ServerResponse, o: Required<Omit<WebServerOptions, 'host'>>, extras: boolean): void {
  const drainLimit = 4 * o.maxUploadBytes + (1 << 20);
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    refuse(req, res, 400, 'send the files as multipart/form-data, one part named "files" per file', drainLimit);
    return;
  }
  const length = Number(req.headers['content-length']);
  // multipart headers and boundaries cost a little over the files themselves
  if (Number.isFinite(length) && length > o.maxUploadBytes + 64 * 1024 + 1024 * o.maxFiles) {
    refuse(req, res, 413, `upload of ${length} bytes is over this server's limit of ${o.maxUploadBytes} bytes (--max-upload-mb)`, drainLimit);
    return;
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { fileSize: o.maxUploadBytes + 1, files: o.maxFiles, fields: 16, fieldSize: 4096, parts: o.maxFiles + 16 } });
  } catch (error) {
    refuse(req, res, 400, `malformed multipart request: ${(error as Error).message}`, drainLimit);
    return;
  }
  const uploads: Upload[] = [];
  let total = 0;
  let failed = false;
  const fail = (status: number, message: string) => {
    if (failed) return;
    failed = true;
    req.unpipe(parser);
    refuse(req, res, status, message, drainLimit);
  };
  parser.on('file', (field, stream, info) => {
    if (field !== 'files') {
      stream.on('error', () => undefined);
      stream.resume();
      fail(400, `unexpected file part "${field}": send each file as a part named "files"`);
      return;
    }
    const chunks: Buffer[] = [];
    // a form cut off inside a file errors on the file stream; unhandled, it would end the process
    stream.on('error', (error: Error) => fail(400, `malformed multipart request: ${error.message}`));
    stream.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > o.maxUploadBytes) {
        fail(413, `upload is over this server's limit of ${o.maxUploadBytes} bytes (--max-upload-mb)`);
        return;
      }
      if (!failed) chunks.push(chunk);
    });
    stream.on('end', () => {
      if (!failed) uploads.push({ name: info.filename ?? '', bytes: Buffer.concat(chunks) });
    });
  });
  parser.on('filesLimit', () => fail(413, `more than ${o.maxFiles} files in one request`));
  parser.on('partsLimit', () => fail(413, `more than ${o.maxFiles + 16} parts in one request`));
  parser.on('fieldsLimit', () => fail(400, 'too many form fields'));
  parser.on('error', (error: Error) => fail(400, `malformed multipart request: ${error.message}`));
  parser.on('close', () => {
    if (failed) return;
    if (uploads.length === 0) {
      sendJson(res, 400, { error: 'no file received: send one or more parts named "files"' });
      return;
    }
    try {
      sendJson(res, 200, predictUploads(uploads, o.models, { maxAtoms: o.maxAtoms, extras }));
    } catch (error) {
      sendJson(res, 500, { error: `prediction failed: ${(error as Error).message}` });
    }
  });
  req.on('error', () => fail(400, 'the request was cut off'));
  req.pipe(parser);
}

/** The request handler: routes, limits and the static table. */
export function createWebServer(options: WebServerOptions): Server {
  const o = { maxFiles: 200, ...options };
  const assets = buildAssets();
  const cardsJson = JSON.stringify(o.cards);
  const columnsJson = JSON.stringify(csvColumnsOf(loadedTaskSpecs(o.models)));
  return createServer((req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const rawPath = (req.url ?? '/').split('?')[0];
      if (!hostAllowed(req, o.host)) {
        refuse(req, res, 403, 'this server answers requests for localhost only', 1 << 20);
        return;
      }
      if (rawPath === '/api/predict') {
        if (req.method !== 'POST') return refuse(req, res, 405, 'use POST with multipart/form-data', 1 << 20);
        return handlePredict(req, res, o, url.searchParams.get('extras') === '1');
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(req, res, 405, `${req.method} is not served here`, 1 << 20);
      if (rawPath === '/api/columns') {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(columnsJson), ...SECURITY_HEADERS });
        res.end(req.method === 'HEAD' ? undefined : columnsJson);
        return;
      }
      if (rawPath === '/api/models') {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(cardsJson), ...SECURITY_HEADERS });
        res.end(req.method === 'HEAD' ? undefined : cardsJson);
        return;
      }
      const key = staticKey(rawPath, assets);
      if (key === 400) return sendJson(res, 400, { error: 'bad path' });
      if (key === 404) return sendJson(res, 404, { error: 'not found' });
      const asset = assets.get(key) as Asset;
      res.writeHead(200, { 'Content-Type': asset.type, 'Content-Length': asset.body.length, 'Cache-Control': 'no-cache', ...SECURITY_HEADERS });
      res.end(req.method === 'HEAD' ? undefined : asset.body);
    } catch (error) {
      if (!res.headersSent) sendJson(res, 500, { error: (error as Error).message });
      else res.destroy();
    }
  });
}

export interface StartOptions {
  /** A model folder, or one per material (predict sends each upload to its material's). */
  modelsDir: string | readonly string[];
  port?: number;
  host?: string;
  maxUploadMb?: number;
  maxAtoms?: number;
}

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Load the models once, then listen. Port 0 picks a free port (see `url`). */
export async function startWebServer(options: StartOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const folders = typeof options.modelsDir === 'string' ? [options.modelsDir] : [...options.modelsDir];
  const server = createWebServer({
    models: loadWebModels(folders),
    cards: folders.flatMap((dir) => modelCards(dir)),
    maxUploadBytes: Math.round((options.maxUploadMb ?? 20) * 1024 * 1024),
    maxAtoms: options.maxAtoms ?? 100000,
    host,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shown}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
