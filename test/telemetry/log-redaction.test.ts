// The logger's second line of defence: a field named like a credential, down to two levels below a line's top, is
// written as [redacted], in log objects and in a child logger's bindings; the logged object itself is left as it was.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogger, SECRET_FIELDS } from '../../src/telemetry/logger.js';

function captured() {
  const lines: Array<Record<string, any>> = [];
  const sink = {
    write(chunk: string) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    },
  };
  return { lines, logger: createLogger({ level: 'info', destination: sink }) };
}

describe('log redaction', () => {
  it('redacts secrets at the top, one and two levels down, and keeps everything else', () => {
    const { lines, logger } = captured();
    const logged = {
      authorization: 'Bearer top-secret',
      source: 'fragment',
      headers: { cookie: 'session=abc', accept: 'application/json' },
      req: { headers: { 'x-api-key': 'k-123', host: 'gateway' } },
      calls: [{ token: 't-1', status: 200 }],
    };
    logger.info(logged, 'request');
    const [line] = lines;
    expect(line.authorization).toBe('[redacted]');
    expect(line.headers).toEqual({ cookie: '[redacted]', accept: 'application/json' });
    expect(line.req).toEqual({ headers: { 'x-api-key': '[redacted]', host: 'gateway' } });
    expect(line.calls).toEqual([{ token: '[redacted]', status: 200 }]);
    expect(line.source).toBe('fragment');
    expect(line.msg).toBe('request');
    expect(JSON.stringify(lines)).not.toMatch(/top-secret|session=abc|k-123|t-1/);
    // The caller's object is untouched.
    expect(logged.authorization).toBe('Bearer top-secret');
    expect(logged.headers.cookie).toBe('session=abc');
  });

  it("redacts a child logger's bindings and keeps an error's message", () => {
    const { lines, logger } = captured();
    const child = logger.child({ requestId: 'r-1', clientSecret: 'cs-1', req: { headers: { authorization: 'Basic b-1' } } });
    const err = Object.assign(new Error('upstream refused'), { password: 'pw-1' });
    child.child({ token: 'grand-1' }).error({ err, source: 'xero' }, 'failed');
    const [line] = lines;
    expect(line.requestId).toBe('r-1');
    expect(line.token).toBe('[redacted]');
    expect(line.clientSecret).toBe('[redacted]');
    expect(line.req.headers.authorization).toBe('[redacted]');
    expect(line.err.message).toBe('upstream refused');
    expect(line.err.password).toBe('[redacted]');
    expect(JSON.stringify(lines)).not.toMatch(/cs-1|pw-1|b-1|grand-1/);
  });

  it('never writes a secret field placed anywhere in the first three levels', () => {
    const secret = fc.constantFrom(...SECRET_FIELDS);
    const key = fc.constantFrom('a', 'headers', 'req', 'body', '0');
    fc.assert(
      fc.property(fc.array(key, { maxLength: 2 }), secret, fc.string({ minLength: 1 }), (path, field, value) => {
        const { lines, logger } = captured();
        const marker = `secret-${value}`;
        const logged: Record<string, unknown> = {};
        let at = logged;
        for (const step of path) at = (at[step] = {}) as Record<string, unknown>;
        at[field] = marker;
        logger.info(logged, 'line');
        let read: any = lines[0];
        for (const step of path) read = read[step];
        expect(read[field]).toBe('[redacted]');
        expect(JSON.stringify(lines[0])).not.toContain(JSON.stringify(marker).slice(1, -1));
      }),
    );
  });

  it('redacts a secret held by a getter, a frozen object or a read-only property, and the log call does not throw', () => {
    const { lines, logger } = captured();
    let held = 'getter-secret-1';
    const logged = {
      headers: { get authorization() { return held; }, set authorization(v: string) { held = v; } },
      config: Object.freeze({ clientSecret: 'frozen-secret-1', region: 'eu' }),
      fixed: Object.defineProperty({}, 'token', { value: 'readonly-secret-1', enumerable: true }),
    };
    expect(() => logger.info(logged, 'line')).not.toThrow();
    expect(lines[0].headers.authorization).toBe('[redacted]');
    expect(lines[0].config).toEqual({ clientSecret: '[redacted]', region: 'eu' });
    expect(lines[0].fixed.token).toBe('[redacted]');
    expect(JSON.stringify(lines)).not.toMatch(/getter-secret|frozen-secret|readonly-secret/);
    expect(held).toBe('getter-secret-1');
  });

  it('redacts what an error carries, inherited fields included, and objects given as format arguments', () => {
    const { lines, logger } = captured();
    class TokenError extends Error {}
    (TokenError.prototype as unknown as Record<string, unknown>).token = 'inherited-secret-1';
    logger.error({ err: new TokenError('refused') }, 'call failed');
    logger.error(new TokenError('refused again'));
    logger.info('sent %o', { apiKey: 'format-secret-1', path: '/x' });
    expect(lines.map((l) => l.err?.token ?? null)).toEqual(['[redacted]', '[redacted]', null]);
    expect(lines[2].msg).toContain('/x');
    expect(JSON.stringify(lines)).not.toMatch(/inherited-secret|format-secret/);
  });
});
