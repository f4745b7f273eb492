/// <reference types="node" />
/**
 * `npm run size`: the gzipped size of every widget asset against its budget; exits 1 over budget.
 * Budgets (issues 4 and 5): the loader ≤ 2 KB; everything a survey page loads (JS + CSS) ≤ 15 KB,
 * for the form page (survey.js) and the chat page (chat.js) alike; the survey editor's live
 * preview (workspace.js) ≤ 2 KB.
 */
import { gzipSync } from 'node:zlib';
import { buildWidgets } from './build-widgets';

const KB = 1024;
const files = await buildWidgets();
const gz = (name: string) => gzipSync(files.find((f) => f.name === name)!.body, { level: 9 }).length;

const rows = files.map((f) => ({ asset: f.path, raw: Buffer.byteLength(f.body), gzip: gz(f.name) }));
const budgets = [
  { what: 'embed loader (widget.js)', size: gz('widget.js'), budget: 2 * KB },
  { what: 'survey page JS + CSS', size: gz('survey.js') + gz('survey.css'), budget: 15 * KB },
  { what: 'chat page JS + CSS', size: gz('chat.js') + gz('survey.css'), budget: 15 * KB },
  { what: 'survey editor JS', size: gz('workspace.js'), budget: 2 * KB },
];

const pad = (s: string | number, n: number) => String(s).padStart(n);
console.log(`${'asset'.padEnd(34)}${pad('raw B', 9)}${pad('gzip B', 9)}`);
for (const r of rows) console.log(`${r.asset.padEnd(34)}${pad(r.raw, 9)}${pad(r.gzip, 9)}`);
console.log('');
let over = false;
for (const b of budgets) {
  const ok = b.size <= b.budget;
  over ||= !ok;
  console.log(`${ok ? 'ok  ' : 'OVER'} ${b.what.padEnd(28)} ${pad(b.size, 6)} B of ${b.budget} B gzipped (${((b.size / b.budget) * 100).toFixed(0)}%)`);
}
process.exit(over ? 1 : 0);
