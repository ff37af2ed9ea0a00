// The change-notification settings are read and checked with the rest of the configuration: defaults, values, and
// problems named by their variable without echoing the webhook key.
import { describe, expect, it } from 'vitest';
import { providers } from '../../adapters/index.js';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('change notification settings', () => {
  it('have documented defaults', () => {
    expect(loadConfig({}, providers).events).toEqual({
      pollIntervalMs: 30_000,
      pollSweepMs: 300_000,
      pollNewestPages: 1,
      retentionMs: 86_400_000,
      maxEvents: 100_000,
      maxSubscriptionsPerClient: 10,
      maxSubscriptions: 10_000,
      xeroWebhookKey: undefined,
      sandboxActivityMs: 20_000,
    });
  });

  it('are read from the environment', () => {
    const config = loadConfig(
      { GATEWAY_POLL_INTERVAL_MS: '5000', GATEWAY_MAX_SUBSCRIPTIONS_PER_CLIENT: '3', GATEWAY_EVENT_RETENTION_MS: '3600000', XERO_WEBHOOK_KEY: 'k'.repeat(32) },
      providers,
    );
    expect(config.events).toMatchObject({ pollIntervalMs: 5_000, maxSubscriptionsPerClient: 3, retentionMs: 3_600_000, xeroWebhookKey: 'k'.repeat(32) });
  });

  it('refuse bad values, every problem at once, never echoing the key', () => {
    let error: unknown;
    try {
      loadConfig({ GATEWAY_POLL_INTERVAL_MS: 'often', GATEWAY_MAX_SUBSCRIPTIONS_PER_CLIENT: '0', XERO_WEBHOOK_KEY: 'short-key' }, providers);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toContain('GATEWAY_POLL_INTERVAL_MS: expected an integer, got "often"');
    expect(problems).toContain('GATEWAY_MAX_SUBSCRIPTIONS_PER_CLIENT: expected an integer from 1 to 100000, got 0');
    expect(problems.some((p) => p.startsWith('XERO_WEBHOOK_KEY:'))).toBe(true);
    expect((error as ConfigError).message).not.toContain('short-key');
  });
});
