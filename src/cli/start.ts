/// <reference types="node" />
/**
 * `npm start`: migrate and seed the embedded local D1, then serve the Worker on 127.0.0.1
 * (PORT overrides 8787). Needs no Cloudflare account.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { demoConcernSubmissions, demoSubmissions } from '../demo/responses';
import { DEMO_KEYS, DEMO_LINK } from '../demo/seed';
import { seedDemoSignInLinks, seedLocal } from './seed';
import { DEMO_SURVEYS } from '../demo/surveys';

const port = process.env.PORT ?? '8787';
const host = '127.0.0.1';
const wrangler = 'node_modules/.bin/wrangler';
const env = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' };

// Local secrets: a fresh random ALERT_KEY the first time, kept for later runs.
if (!existsSync('.dev.vars')) {
  writeFileSync('.dev.vars', `ALERT_KEY=${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
}

console.log('Migrating and seeding the local D1…');
await seedLocal();
const signInLinks = await seedDemoSignInLinks();

const base = `http://${host}:${port}`;
const dev = spawn(wrangler, ['dev', '--ip', host, '--port', port, '--local', '--show-interactive-dev-session=false'], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env,
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => dev.kill(signal));
dev.on('exit', (code) => process.exit(code ?? 0));

// Ready when the Worker itself answers, not when wrangler prints something: its log lines change
// between releases, and "Ready" comes before the first request can be served.
if (await waitForHealth(`${base}/healthz`, 60_000)) {
  const sent = await sendDemoResponses();
  console.log(`
Heard is running at ${base}

Demo API keys (partnership "demo"):
${DEMO_KEYS.map((k) => `  ${k.key.padEnd(24)} ${k.role}${k.partnerId ? ` (${k.partnerId})` : ''}`).join('\n')}

Demo surveys:
${DEMO_SURVEYS.map((s) => `  ${base}/s/${s.id}\n  ${base}/api/v1/surveys/${s.id}`).join('\n')}

A demo feedback link (after a home visit): ${base}/s/${DEMO_LINK.surveyId}?link=${DEMO_LINK.token}
OpenAPI: ${base}/api/v1/openapi.json
Dashboard: ${base}/dashboard
Sign in as a demo person (each link works once, for 12 hours; restart for new ones):
${signInLinks.map((l) => `  ${l.account.role.padEnd(18)} ${l.account.email.padEnd(34)} ${base}${l.path}`).join('\n')}
Feeds: ${base}/api/v1/feeds/insights.atom and ${base}/api/v1/insights.csv (Authorization: Bearer <key>, or a feed token)

${sent}
`);
} else if (dev.exitCode === null) {
  console.error(`Heard did not answer ${base}/healthz within a minute; wrangler is still running, see its output above.`);
}

/** Polls the health route until it answers 200, the dev server exits, or the time runs out. */
async function waitForHealth(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && dev.exitCode === null) {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) }).catch(() => null);
    if (res?.ok) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/**
 * Sends the demo responses through the real intake API. Their ids are fixed, so on a restart
 * each one is a retry (200) and nothing is stored twice.
 */
async function sendDemoResponses(): Promise<string> {
  let stored = 0;
  let already = 0;
  for (const [i, { surveyId, body }] of [...demoSubmissions(), ...demoConcernSubmissions()].entries()) {
    const res = await fetch(`${base}/api/v1/surveys/${surveyId}/responses`, {
      method: 'POST',
      // Each demo response stands for a different family, so each comes from its own address
      // (documentation range): otherwise the intake rate limit would turn most of them away.
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': `203.0.113.${i % 250}` },
      body: JSON.stringify(body),
    }).catch(() => null);
    if (res?.status === 201) stored++;
    else if (res?.status === 200) already++;
    else return `Could not send the demo responses (status ${res?.status ?? 'no answer'}); the service is running without them.`;
  }
  return `Demo responses: ${stored} sent through intake now, ${already} already there.`;
}
