/**
 * The page's behaviour (browser only): send the chosen or dropped files to /api/predict, render the
 * results with render.ts, draw the atoms with 3Dmol.js when WebGL is there, offer downloads.
 */
import { predictionsToCsv, type CsvColumnSpec } from '../csv.js';
import type { WebPrediction, WebStructure } from '../types.js';
import { renderModelCards, renderResults, summaryText } from './render.js';

interface Viewer3D {
  addModel(data: string, format: string): unknown;
  setStyle(sel: object, style: object): void;
  addLine(spec: object): void;
  zoomTo(): void;
  render(): void;
}
declare global {
  interface Window {
    $3Dmol?: { createViewer(element: HTMLElement, config: object): Viewer3D };
  }
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
let predictions: WebPrediction[] = [];
/** The loaded tasks' CSV result columns (GET /api/columns); undefined until they arrive. */
let csvColumns: CsvColumnSpec[] | undefined;

function setStatus(text: string, bad = false): void {
  const status = $('status');
  status.textContent = text;
  status.classList.toggle('bad', bad);
}

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** The download: the JSON of `predict --json`, without the page's extras. */
function plainPredictions(): WebPrediction[] {
  return predictions.map(({ descriptors: _d, structure: _s, ...rest }) => rest);
}

let viewerScript: Promise<void> | undefined;
function loadViewer(): Promise<void> {
  viewerScript ??= new Promise<void>((resolve, reject) => {
    const s = document.createElement('script');
    s.src = '/vendor/3Dmol-min.js';
    s.onload = () => resolve();
    s.onerror = () => reject(new Error('the 3D viewer library is not available on this server'));
    document.head.append(s);
  });
  return viewerScript;
}

function hasWebGl(): boolean {
  try {
    const c = document.createElement('canvas');
    return Boolean(c.getContext('webgl2') ?? c.getContext('webgl'));
  } catch {
    return false;
  }
}

function xyzOf(s: WebStructure): string {
  const lines = [String(s.symbols.length), 'spramnet'];
  s.symbols.forEach((sym, i) => lines.push(`${sym} ${s.positions_A[3 * i]} ${s.positions_A[3 * i + 1]} ${s.positions_A[3 * i + 2]}`));
  return lines.join('\n');
}

function drawCell(viewer: Viewer3D, cell: number[]): void {
  const a = cell.slice(0, 3), b = cell.slice(3, 6), c = cell.slice(6, 9);
  const add = (p: number[], q: number[]) => p.map((v, k) => v + q[k]);
  const corner = (i: number, j: number, k: number) => [0, 1, 2].map((d) => i * a[d] + j * b[d] + k * c[d]);
  const v = (p: number[]) => ({ x: p[0], y: p[1], z: p[2] });
  for (const [i, j, k] of [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [1, 0, 1], [0, 1, 1]]) {
    for (const [dir, step] of [[0, a], [1, b], [2, c]] as [number, number[]][]) {
      const start = corner(i, j, k);
      if ([i, j, k][dir] === 1) continue;
      viewer.addLine({ start: v(start), end: v(add(start, step)), color: '#9ca3af', dashed: false });
    }
  }
}

async function drawStructures(): Promise<void> {
  const boxes = Array.from(document.querySelectorAll<HTMLElement>('.viewer'));
  if (boxes.length === 0) return;
  const fallback = (box: HTMLElement, why: string) => {
    box.innerHTML = `<p class="fallback">3D view unavailable: ${why}</p>`;
    box.setAttribute('role', 'note');
  };
  if (!hasWebGl()) return boxes.forEach((b) => fallback(b, 'this browser has WebGL switched off.'));
  try {
    await loadViewer();
  } catch (error) {
    return boxes.forEach((b) => fallback(b, (error as Error).message));
  }
  for (const box of boxes) {
    const s = predictions[Number(box.dataset.index)]?.structure;
    if (!s || !window.$3Dmol) continue;
    try {
      const viewer = window.$3Dmol.createViewer(box, { backgroundColor: 'white' });
      viewer.addModel(xyzOf(s), 'xyz');
      viewer.setStyle({}, { stick: { radius: 0.12, color: '#4b5563' }, sphere: { scale: 0.2, color: '#374151' } });
      if (s.cell_A.some((x) => x !== 0)) drawCell(viewer, s.cell_A);
      viewer.zoomTo();
      viewer.render();
      box.dataset.drawn = 'true';
    } catch (error) {
      fallback(box, (error as Error).message);
    }
  }
}

async function predict(files: File[]): Promise<void> {
  if (files.length === 0) {
    setStatus('Choose or drop at least one file first.', true);
    return;
  }
  const form = new FormData();
  for (const f of files) form.append('files', f, f.name);
  const results = $('results');
  results.setAttribute('aria-busy', 'true');
  setStatus(`Predicting ${files.length} file${files.length === 1 ? '' : 's'}…`);
  // marks for bench/web.ts (time to first plot, split into request and drawing)
  performance.mark('spramnet:request');
  try {
    const response = await fetch('/api/predict?extras=1', { method: 'POST', body: form });
    const body = (await response.json()) as WebPrediction[] | { error: string };
    performance.mark('spramnet:response');
    if (!response.ok || !Array.isArray(body)) {
      setStatus(`The server refused the upload: ${'error' in body ? body.error : response.statusText}`, true);
      return;
    }
    predictions = body;
    results.innerHTML = renderResults(predictions);
    performance.mark('spramnet:rendered');
    $('downloads').hidden = false;
    setStatus(summaryText(predictions), predictions.some((p) => p.error !== undefined));
    void drawStructures().then(() => performance.mark('spramnet:3d'));
  } catch (error) {
    setStatus(`Could not reach the server: ${(error as Error).message}`, true);
  } finally {
    results.removeAttribute('aria-busy');
  }
}

function init(): void {
  const input = $<HTMLInputElement>('files');
  const drop = $('drop');
  $('upload').addEventListener('submit', (event) => {
    event.preventDefault();
    void predict(Array.from(input.files ?? []));
  });
  input.addEventListener('change', () => void predict(Array.from(input.files ?? [])));
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    void predict(Array.from(event.dataTransfer?.files ?? []));
  });
  document.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-download]');
    if (!button) return;
    const kind = button.dataset.download;
    if (kind === 'json') download('spramnet-predictions.json', 'application/json', JSON.stringify(plainPredictions(), null, 1));
    else if (kind === 'csv') {
      if (csvColumns === undefined) setStatus('The CSV columns did not load from the server: download the JSON instead, or reload the page.', true);
      else download('spramnet-predictions.csv', 'text/csv', predictionsToCsv(predictions, csvColumns));
    }
    else if (kind === 'svg') {
      const svg = document.querySelector(`#${button.dataset.chart} svg`);
      if (svg) download(button.dataset.filename ?? 'chart.svg', 'image/svg+xml', `<?xml version="1.0" encoding="UTF-8"?>\n${svg.outerHTML}`);
    }
  });
  fetch('/api/columns')
    .then((r) => r.json())
    .then((columns: unknown) => (csvColumns = Array.isArray(columns) ? (columns as CsvColumnSpec[]) : undefined))
    .catch(() => (csvColumns = undefined));
  fetch('/api/models')
    .then((r) => r.json())
    .then((cards: unknown[]) => ($('model-list').innerHTML = renderModelCards(cards)))
    .catch(() => ($('model-list').textContent = 'Could not load the model cards.'));
}

init();
