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

// Split points: the areas of app/src/app.rs.
const groups = {
  'Public pages': { search_area: '/offres, /formations', detail_area: 'an offer, a training, a centre, a company', content_area: '/, /blog, articles, legal pages', sign_in_area: 'sign-up, sign-in, password' },
  Dashboards: { candidate_area: 'candidate', centre_area: 'centre', company_area: 'company', editor_area: 'blog editor', admin_area: 'back office', account_area: '/compte, second factor' },
};

console.log(`Main files (${main.join(', ')}): ${kib(mainBytes)} brotli`);
console.log(`Chunks: ${chunks.size}, ${kib([...chunkBytes.values()].reduce((a, b) => a + b, 0))} brotli in all\n`);
const publicChunks = new Set(Object.keys(groups['Public pages']).flatMap(areaChunks));
for (const [group, areas] of Object.entries(groups)) {
  console.log(`${group}: main + the area's chunks, before the page is interactive`);
  for (const [area, pages] of Object.entries(areas)) {
    const own = areaChunks(area);
    const total = mainBytes + own.reduce((s, c) => s + chunkBytes.get(c), 0);
    const privateOnly = group === 'Public pages' ? '' :
      `, ${own.filter((c) => !publicChunks.has(c)).length} no public page loads`;
    console.log(`  ${area.padEnd(16)} ${kib(total).padStart(10)}  ${own.length} chunk(s)${privateOnly}  (${pages})`);
  }
  console.log('');
}
