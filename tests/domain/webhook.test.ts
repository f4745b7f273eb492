import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { normaliseAlertText } from '../../src/domain/alert-dedupe';
import { retryDelayMs, shouldRetry, WEBHOOK_MAX_ATTEMPTS, webhookDestinationProblem } from '../../src/domain/webhook';
import { newWebhookSecret, signatureHeaders } from '../../src/lib/webhook-signature';

describe('webhookDestinationProblem', () => {
  it.each([
    ['https://127.0.0.1/', 'loopback'],
    ['https://127.1/', 'loopback'],
    ['https://2130706433/', 'loopback'],
    ['https://0x7f.1/', 'loopback'],
    ['https://0177.0.0.1/', 'loopback'],
    ['https://0x7f000001/', 'loopback'],
    ['https://[::1]/', 'loopback'],
    ['https://[::ffff:127.0.0.1]/', 'IPv4-mapped'],
    ['https://[::ffff:a9fe:a9fe]/', 'IPv4-mapped'],
    ['https://169.254.169.254/latest/meta-data/', 'link-local'],
    ['https://[fe80::1]/', 'link-local'],
    ['https://10.0.0.8/', 'private'],
    ['https://172.16.5.4/', 'private'],
    ['https://192.168.1.1/', 'private'],
    ['https://[fc00::1]/', 'unique-local'],
    ['https://[fd12:3456::1]/', 'unique-local'],
    ['https://0.0.0.0/', 'unspecified'],
    ['https://[::]/', 'unspecified'],
    ['https://100.64.0.1/', 'carrier-grade NAT'],
    ['https://255.255.255.255/', 'broadcast'],
    ['https://224.0.0.1/', 'multicast'],
    ['https://[64:ff9b::7f00:1]/', 'rfc6052'],
    ['https://[2002:7f00:1::]/', '6to4'],
    ['https://localhost/', 'local or internal host'],
    ['https://LOCALHOST./', 'local or internal host'],
    ['https://admin.localhost/', 'local or internal host'],
    ['https://printer.local/', 'local or internal host'],
    ['https://metadata.google.internal/', 'local or internal host'],
    ['https://intranet/', 'public host name'],
    ['http://front-door.example/', 'https'],
    ['https://user:pw@front-door.example/', 'user name'],
    ['not a url', 'must be a URL'],
  ])('refuses %s (%s)', (url, why) => {
    const problem = webhookDestinationProblem(url);
    expect(problem).not.toBeNull();
    expect(problem).toContain(why);
  });

  it.each(['https://front-door.example/heard', 'https://8.8.8.8/hook', 'https://[2606:4700::1111]/hook', 'https://mash.council.gov.uk:8443/alerts?secret=s3'])(
    'accepts %s',
    (url) => {
      expect(webhookDestinationProblem(url)).toBeNull();
    },
  );
});

describe('retry schedule', () => {
  it('doubles from one minute, caps at an hour, and stops after the last try or a day', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(n) / 60_000)).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
    const created = '2026-01-01T00:00:00.000Z';
    expect(shouldRetry(1, created, new Date(created))).toBe(true);
    expect(shouldRetry(WEBHOOK_MAX_ATTEMPTS, created, new Date(created))).toBe(false);
    expect(shouldRetry(3, created, new Date('2026-01-01T23:59:00.000Z'))).toBe(false);
  });
});

describe('Standard Webhooks signatures', () => {
  it('match the published test vector of the standard-webhooks repository', () => {
    // libraries/javascript/src/webhook.test.ts ("sign function works") and the Python library's twin.
    const headers = signatureHeaders(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      new Date(1614265330 * 1000),
      '{"test": 2432232314}',
    );
    expect(headers).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  it('verify with the reference library, and fail with another secret or a changed body', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = '{"type":"heard.alert.created"}';
    const headers = signatureHeaders(secret, 'msg_1', new Date(), body);
    expect(new Webhook(secret).verify(body, headers)).toEqual({ type: 'heard.alert.created' });
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
  });
});

describe('normaliseAlertText', () => {
  it('ignores case, spacing, punctuation, emoji and invisible characters, but not words', () => {
    const base = normaliseAlertText('my dad hits me');
    for (const same of ['My Dad HITS me!!!', '  my   dad, hits me.  ', 'my dad hits me 😢', 'my\u200b dad hits\u202e me', 'ｍｙ dad hits me'])
      expect(normaliseAlertText(same)).toBe(base);
    expect(normaliseAlertText('my mum hits me')).not.toBe(base);
  });
});
