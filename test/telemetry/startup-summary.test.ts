// What `npm start` prints once it listens: one JSON line when stdout is not a terminal (checked on the real process),
// readable lines on a terminal; neither shows a credential carried in a configured URL.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatStartupSummary, publicUrl } from '../../src/telemetry/startup-summary.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('startup summary', () => {
  it('is one JSON log line when stdout is not a terminal, with the real URLs', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, PORT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const first = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`main exited with ${code}`)));
      });
      const summary = JSON.parse(first);
      expect(summary).toMatchObject({ level: 30, msg: 'gateway ready', mode: 'sandbox', tracing: 'off', logLevel: 'info', notices: [] });
      expect(summary.sources.map((s: any) => s.name)).toEqual(['fragment', 'korint', 'xero']);
      for (const source of summary.sources) expect(source.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
      expect(summary.graphql).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
      const health = await fetch(summary.health, { headers: { 'x-request-id': 'startup-check' } });
      expect(health.status).toBe(200);
      expect(health.headers.get('x-request-id')).toBe('startup-check');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }, 30_000);

  it('reads as lines on a terminal, without user info or query in URLs', () => {
    const text = formatStartupSummary({
      mode: 'providers',
      graphql: 'http://0.0.0.0:4000/graphql',
      health: 'http://0.0.0.0:4000/health',
      ready: 'http://0.0.0.0:4000/ready',
      metrics: 'http://0.0.0.0:4000/metrics',
      sources: [
        { name: 'xero-nz', kind: 'xero', url: publicUrl('https://api.xero.com/api.xro/2.0') },
        { name: 'korint', kind: 'korint', url: publicUrl('https://user:s3cr3t@korint.example/api?token=abc') },
      ],
      tracing: 'off',
      logLevel: 'info',
      notices: ['NODE_ENV=production is set: invoice-gateway does not read NODE_ENV; …'],
    });
    expect(text.split('\n')).toEqual([
      'invoice-gateway ready',
      '  GraphQL, GraphiQL  http://0.0.0.0:4000/graphql',
      '  health, ready      http://0.0.0.0:4000/health  http://0.0.0.0:4000/ready',
      '  metrics            http://0.0.0.0:4000/metrics',
      '  tracing            off',
      '  log level          info',
      '  sources',
      '    xero-nz (xero)   https://api.xero.com/api.xro/2.0',
      '    korint (korint)  https://korint.example/api',
      '  notices',
      '    ! NODE_ENV=production is set: invoice-gateway does not read NODE_ENV; …',
    ]);
  });
});
