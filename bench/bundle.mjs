// Prints what each route group downloads before it is interactive (brotli 11).
// Usage: node bench/bundle.mjs target/site/pkg
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const dir = process.argv[2] ?? 'target/site/pkg';
const names = fs.readdirSync(dir);
const manifestName = names.find((n) => /^__wasm_split_manifest.*\.json$/.test(n));
if (!manifestName) throw new Error(`no split manifest in ${dir}: build with --split`);
const manifest = JSON.parse(fs.readFileSync(path.join(dir, manifestName), 'utf8'));

const brotli = (file) =>
  zlib.brotliCompressSync(fs.readFileSync(path.join(dir, file)), {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 },
  }).length;
const chunks = new Set(Object.values(manifest).flat());
// Main files: the app's JS and WebAssembly, and the split loader.
const main = names.filter((n) =>
  (n.endsWith('.wasm') && !chunks.has(n.replace(/\.wasm$/, ''))) ||
  n.endsWith('.js'));
const mainBytes = main.reduce((sum, f) => sum + brotli(f), 0);
const chunkBytes = new Map([...chunks].map((c) => [c, brotli(`${c}.wasm`)]));

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
function areaChunks(area) {
  const key = Object.keys(manifest).find((k) => new RegExp(`^${area}_\\d+$`).test(k));
  if (!key) throw new Error(`no manifest entry for ${area}`);
  return manifest[key];
}

// Pages that do not hydrate (`app::hydrates` in app/src/app.rs) download no
// WebAssembly: their only script is the enhancement script, one small file.
const inline = zlib.brotliCompressSync(
  fs.readFileSync(new URL('../app/src/base/enhance.js', import.meta.url)),
  { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } },
).length;
console.log('Public pages (/, /blog, articles, legal pages, /offres, /formations, an offer, a training,');
console.log('a centre, a company, sign-up, sign-in, password): no hydration');
console.log(`  0 KiB of WebAssembly; the enhancement script is ${inline} B brotli\n`);

// The pages behind sign-in hydrate: the main files plus their area's chunks.
const areas = {
  candidate_area: 'candidate', centre_area: 'centre', company_area: 'company',
  editor_area: 'blog editor', admin_area: 'back office', account_area: '/compte, second factor',
};
const publicAreas = ['search_area', 'detail_area', 'content_area', 'sign_in_area'];
const publicChunks = new Set(publicAreas.flatMap(areaChunks));
console.log('Dashboards: main + the area\'s chunks, before the page is interactive');
for (const [area, pages] of Object.entries(areas)) {
  const own = areaChunks(area);
  const total = mainBytes + own.reduce((s, c) => s + chunkBytes.get(c), 0);
  const privateOnly = own.filter((c) => !publicChunks.has(c)).length;
  console.log(`  ${area.padEnd(16)} ${kib(total).padStart(10)}  ${own.length} chunk(s), ${privateOnly} only pages behind sign-in use  (${pages})`);
}
console.log('\nA public page opened from a dashboard is drawn by the hydrated app, which then fetches');
console.log('that page\'s area chunks:');
for (const area of publicAreas) {
  const own = areaChunks(area);
  console.log(`  ${area.padEnd(16)} ${kib(own.reduce((s, c) => s + chunkBytes.get(c), 0)).padStart(10)}  ${own.length} chunk(s)`);
}
