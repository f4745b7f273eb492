/// <reference types="node" />
/**
 * Analyse past feedback: reads JSON Lines with a `text` field (from FILE or stdin) and writes one
 * JSON line per input to stdout (redacted, pii, themes, sentiment, disclosure, triage, concern), other
 * fields passed through unchanged.
 *   npm run analyse -- past-feedback.jsonl > analysed.jsonl
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { analyseText } from '../domain/analysis/index';

async function main(): Promise<void> {
  const file = process.argv[2];
  const input = file && file !== '-' ? createReadStream(file, 'utf8') : process.stdin;
  const lines = createInterface({ input, crlfDelay: Infinity });
  let buffer: string[] = [];
  let lineNo = 0;
  let failed = 0;
  const flush = async (): Promise<void> => {
    if (buffer.length === 0) return;
    const chunk = buffer.join('');
    buffer = [];
    if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r));
  };
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      failed++;
      process.stderr.write(`analyse: line ${lineNo} is not valid JSON, skipped\n`);
      continue;
    }
    if (typeof record.text !== 'string') {
      failed++;
      process.stderr.write(`analyse: line ${lineNo} has no string "text" field, skipped\n`);
      continue;
    }
    const a = analyseText(record.text);
    buffer.push(
      `${JSON.stringify({ ...record, redacted: a.redacted, pii: a.pii, themes: a.themes, sentiment: a.sentiment, disclosure: a.disclosure, triage: a.triage, concern: a.concern })}\n`,
    );
    if (buffer.length >= 512) await flush();
  }
  await flush();
  if (failed > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`analyse: ${err instanceof Error ? err.message : 'failed'}\n`);
  process.exitCode = 1;
});
