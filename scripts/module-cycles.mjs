// Fails when two top-level modules of the app crate import each other,
// directly or through others (`make lint`). A module's imports are the
// `crate::<module>` paths in its files, `use crate::{a, b::c}` lists included.
import fs from 'node:fs';
import path from 'node:path';

const root = process.argv[2] ?? 'app/src';
const deps = new Map();

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.rs') ? [path.join(dir, e.name)] : []);
}

for (const file of files(root)) {
  const top = path.relative(root, file).split(path.sep)[0].replace(/\.rs$/, '');
  const text = fs.readFileSync(file, 'utf8');
  const found = deps.get(top) ?? new Set();
  for (const m of text.matchAll(/crate::([a-z_]+)/g)) found.add(m[1]);
  for (const m of text.matchAll(/crate::\{/g)) {
    let depth = 1, i = m.index + m[0].length, item = '';
    for (; depth > 0 && i < text.length; i++) {
      const c = text[i];
      if (c === '{') depth++;
      if (c === '}') depth--;
      if ((c === ',' && depth === 1) || depth === 0) { found.add(item.trim().split('::')[0]); item = ''; }
      else if (depth >= 1) item += c;
    }
  }
  found.delete(top);
  deps.set(top, found);
}

// Tarjan's strongly connected components.
let index = 0;
const idx = new Map(), low = new Map(), stack = [], on = new Set(), cycles = [];
function visit(v) {
  idx.set(v, index); low.set(v, index); index++; stack.push(v); on.add(v);
  for (const w of deps.get(v) ?? []) {
    if (!deps.has(w)) continue;
    if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
    else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const scc = [];
    let w;
    do { w = stack.pop(); on.delete(w); scc.push(w); } while (w !== v);
    if (scc.length > 1) cycles.push(scc.sort());
  }
}
for (const v of deps.keys()) if (!idx.has(v)) visit(v);

if (cycles.length) {
  for (const c of cycles) console.error(`import cycle between top-level modules: ${c.join(', ')}`);
  for (const c of cycles) for (const m of c)
    console.error(`  ${m} -> ${[...deps.get(m)].filter((d) => c.includes(d)).sort().join(', ')}`);
  process.exit(1);
}
console.log(`${deps.size} top-level modules, no import cycle`);
