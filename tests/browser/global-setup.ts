/// <reference types="node" />
/**
 * Starts the Worker for the browser tests: builds the widgets, bundles src/index.ts, runs it in
 * Miniflare on a free port with a fresh D1 (migrated and seeded with the demo) in a temp dir,
 * plus a loopback-only SQL endpoint so tests can read D1 from the same Miniflare.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Log, LogLevel, Miniflare } from 'miniflare';
import type { TestProject } from 'vitest/node';
import { writeWidgets } from '../../src/cli/build-widgets';
import { applyMigrations, bundleWorker, LOCAL_ALERT_KEY, seedDemo } from '../../src/cli/worker-server';

declare module 'vitest' {
  export interface ProvidedContext {
    heardUrl: string;
    sqlUrl: string;
    /** The client secret Heard holds (as the Worker secret OIDC_TEST_CLIENT_SECRET) for tests/browser/oidc.test.ts's provider. */
    oidcClientSecret: string;
  }
}

const OIDC_TEST_CLIENT_SECRET = 'browser-test-oidc-client-secret-not-for-production';

/**
 * Miniflare's send_email emulation writes each message to a temp .eml file and logs its path:
 * this log keeps the paths (printing nothing), so tests read what Heard emailed.
 */
class MailLog extends Log {
  readonly files: string[] = [];
  override logWithLevel(level: LogLevel, message: string) {
    const file = /\S+\.eml/.exec(message)?.[0];
    if (file) this.files.push(file);
    super.logWithLevel(level, message);
  }
}

export default async function setup(project: TestProject) {
  await writeWidgets();
  const script = await bundleWorker();
  const persist = mkdtempSync(join(tmpdir(), 'heard-d1-'));
  const mail = new MailLog(LogLevel.NONE);
  const mf = new Miniflare({
    log: mail,
    modules: [{ type: 'ESModule', path: 'worker.js', contents: script }],
    compatibilityDate: '2026-04-01',
    compatibilityFlags: ['nodejs_compat'],
    d1Databases: { DB: 'heard-browser-tests' },
    d1Persist: persist,
    // Browsers here all come from one loopback address, so the intake rate limit is off.
    bindings: {
      ENVIRONMENT: 'local',
      ALERT_KEY: LOCAL_ALERT_KEY,
      INTAKE_RATE_LIMIT: 'off',
      CHAT_START_LIMIT: 'off',
      ALERT_EMAIL_FROM: 'heard-alerts@example.org',
      OIDC_TEST_CLIENT_SECRET,
    },
    // Invitations and sign-in links go out through the emulated binding, as in production.
    email: { send_email: [{ name: 'ALERT_EMAIL' }] },
    host: '127.0.0.1',
    port: 0,
  });
  const url = await mf.ready;
  const db = await mf.getD1Database('DB');
  await applyMigrations(db);
  await seedDemo(db);

  // Tests read D1 through this (127.0.0.1 only, test process only): { sql, params } -> rows.
  // GET /emails answers every raw message sent so far, oldest first.
  const sqlServer: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/emails') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(mail.files.map((file) => readFileSync(file, 'utf8'))));
      return;
    }
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      try {
        const { sql, params } = JSON.parse(body) as { sql: string; params: unknown[] };
        const { results } = await db
          .prepare(sql)
          .bind(...params)
          .all();
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(results));
      } catch (err) {
        res.writeHead(500).end(String(err));
      }
    });
  });
  await new Promise<void>((resolve) => sqlServer.listen(0, '127.0.0.1', resolve));
  const address = sqlServer.address();
  const sqlPort = typeof address === 'object' && address ? address.port : 0;

  project.provide('heardUrl', url.origin);
  project.provide('sqlUrl', `http://127.0.0.1:${sqlPort}`);
  project.provide('oidcClientSecret', OIDC_TEST_CLIENT_SECRET);

  return async () => {
    sqlServer.close();
    await mf.dispose();
    rmSync(persist, { recursive: true, force: true });
  };
}
