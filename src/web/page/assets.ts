/**
 * The page's HTML and CSS, kept as strings so the compiled package carries them (the package
 * ships dist/, not src/). The page's scripts are the compiled browser modules beside this file.
 */

export const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>spramnet: properties of amorphous carbon sheets</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/style.css">
<script type="module" src="/js/page/app.js"></script>
</head>
<body>
<a class="skip" href="#results">Skip to results</a>
<header>
<h1>spramnet</h1>
<p>Predicted electronic and thermal properties of amorphous monolayer carbon, from an atomic structure or a measured pair correlation function g(r). Everything runs on this computer; nothing is sent elsewhere.</p>
</header>
<main>
<form id="upload" novalidate>
<div id="drop" class="drop">
<label for="files" class="drop-label">Drop files here or choose them</label>
<input id="files" name="files" type="file" multiple aria-describedby="formats">
<p id="formats" class="hint"><strong>Structures</strong> (POSCAR/CONTCAR, extended XYZ, LAMMPS data) give the electronic DoS and conductivity σ. <strong>g(r)</strong> (two-column text: r in Å, g; or a .npy of 100 bins of 0.1 Å, in the SPRamNet release's normalisation) gives the phonon DoS and thermal conductivity κ.</p>
</div>
<button type="submit" id="predict">Predict</button>
</form>
<p id="status" role="status" aria-live="polite"></p>
<div id="downloads" class="downloads" hidden>
<button type="button" data-download="json">Download JSON</button>
<button type="button" data-download="csv">Download CSV</button>
</div>
<section id="results" aria-label="Results" aria-live="polite" tabindex="-1"></section>
<details id="models">
<summary>Models in use</summary>
<div id="model-list"><p>Loading…</p></div>
</details>
</main>
<noscript><p>This page needs JavaScript to send files to the local server.</p></noscript>
</body>
</html>
`;

export const STYLE_CSS = `:root { color-scheme: light; --accent: #1f5fa8; --bad: #b91c1c; --warn: #92400e; --ok: #166534; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.45; color: #111; background: #f7f7f8; }
header, main { max-width: 1100px; margin: 0 auto; padding: 0 16px; }
header h1 { margin: 16px 0 4px; font-size: 1.6rem; }
header p { margin: 0 0 12px; color: #374151; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 8px; top: 8px; background: #fff; padding: 8px; z-index: 10; }
:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
.drop { border: 2px dashed #9ca3af; border-radius: 10px; padding: 16px; background: #fff; }
.drop.over { border-color: var(--accent); background: #eef4fb; }
.drop-label { display: block; font-weight: 600; margin-bottom: 8px; }
input[type=file] { max-width: 100%; }
.hint { color: #4b5563; font-size: 0.9rem; margin: 8px 0 0; }
button { font: inherit; padding: 8px 14px; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; margin: 10px 8px 0 0; min-height: 44px; }
button.download, .downloads button { background: #fff; color: var(--accent); }
button:hover { filter: brightness(1.1); }
#status { font-weight: 600; min-height: 1.5em; }
#status.bad { color: var(--bad); }
.result { background: #fff; border: 1px solid #e5e7eb; border-radius: 10px; padding: 12px 16px; margin: 16px 0; }
.result h2 { font-size: 1.15rem; margin: 4px 0 8px; word-break: break-all; }
.result.failed { border-color: var(--bad); }
.error { color: var(--bad); }
.domain { border-left: 4px solid var(--ok); padding: 4px 10px; margin: 8px 0; background: #f0fdf4; }
.domain.out { border-color: var(--warn); background: #fffbeb; }
.domain p { margin: 0; }
.reasons { margin: 4px 0 0; padding-left: 20px; }
.numbers { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 4px 16px; margin: 8px 0; }
.numbers div { display: flex; flex-direction: column; }
.numbers dt { color: #4b5563; font-size: 0.9rem; }
.numbers dd { margin: 0; }
.value { font-weight: 600; font-variant-numeric: tabular-nums; }
.interval, .note { color: #4b5563; font-size: 0.9rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 12px; }
.chart-box, .viewer-box { margin: 0; }
.chart { width: 100%; height: auto; display: block; border: 1px solid #e5e7eb; border-radius: 6px; }
.chart-box figcaption button { margin-top: 4px; }
.viewer { position: relative; overflow: hidden; width: 100%; height: 300px; border: 1px solid #e5e7eb; border-radius: 6px; background: #fff; }
.viewer .fallback { padding: 12px; color: #4b5563; }
details { margin: 24px 0; }
.cards { padding-left: 20px; }
@media (max-width: 480px) {
  header h1 { font-size: 1.3rem; }
  .charts { grid-template-columns: 1fr; }
  .numbers { grid-template-columns: 1fr; }
  .result { padding: 10px; }
}
`;

/** The tab icon: a hexagonal carbon ring with one five-ring neighbour (served as /favicon.svg and /favicon.ico). */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><g fill="none" stroke="#1f5f8b" stroke-width="2.2" stroke-linejoin="round"><path d="M12 4 20 4 24 11 20 18 12 18 8 11Z"/><path d="M20 18 24 11 30 16 28 24 21 25Z"/></g><g fill="#1f5f8b"><circle cx="12" cy="4" r="2"/><circle cx="20" cy="4" r="2"/><circle cx="24" cy="11" r="2"/><circle cx="20" cy="18" r="2"/><circle cx="12" cy="18" r="2"/><circle cx="8" cy="11" r="2"/><circle cx="30" cy="16" r="2"/><circle cx="28" cy="24" r="2"/><circle cx="21" cy="25" r="2"/></g></svg>
`;
