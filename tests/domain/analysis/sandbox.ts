/// <reference types="node" />
import { build } from 'esbuild';
import { Worker } from 'node:worker_threads';

/**
 * `analyseText` run in a worker thread with a time limit. A synchronous infinite loop cannot be
 * interrupted by vitest's test timeout (the event loop never comes back), so a regression of
 * issue 10's hang would freeze the runner; here the worker is terminated instead and the call
 * reports `hung`. The analysis is bundled from src/ with esbuild, so the worker runs the code
 * under test without a TypeScript loader.
 */
export type Outcome = { ok: true; ms: number; redacted: string } | { ok: false; hung: true } | { ok: false; hung: false; error: string };

const ENTRY = new URL('../../../src/domain/analysis/index.ts', import.meta.url).pathname;

const SERVE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ id, text }) => {
  try {
    const t0 = performance.now();
    const { redacted } = analysis.analyseText(text);
    parentPort.postMessage({ id, ms: performance.now() - t0, redacted });
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.stack) || e).slice(0, 600) });
  }
});`;

export class AnalysisSandbox {
  private worker: Worker | null = null;
  private next = 0;

  private constructor(private readonly code: string) {}

  static async start(): Promise<AnalysisSandbox> {
    const out = await build({ entryPoints: [ENTRY], bundle: true, format: 'iife', globalName: 'analysis', platform: 'node', write: false, logLevel: 'silent' });
    return new AnalysisSandbox(`${out.outputFiles[0]!.text}\n${SERVE}`);
  }

  /** Analyses `text`; a call still running after `timeoutMs` is stopped and reported as hung. */
  run(text: string, timeoutMs: number): Promise<Outcome> {
    const worker = (this.worker ??= new Worker(this.code, { eval: true }));
    const id = this.next++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        worker.off('message', onMessage);
        this.worker = null;
        void worker.terminate();
        resolve({ ok: false, hung: true });
      }, timeoutMs);
      const onMessage = (m: { id: number; ms?: number; redacted?: string; error?: string }) => {
        if (m.id !== id) return;
        clearTimeout(timer);
        worker.off('message', onMessage);
        resolve(m.error !== undefined ? { ok: false, hung: false, error: m.error } : { ok: true, ms: m.ms ?? 0, redacted: m.redacted ?? '' });
      };
      worker.on('message', onMessage);
      worker.postMessage({ id, text });
    });
  }

  async stop(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
  }
}
