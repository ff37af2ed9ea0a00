// Payment writes on two replicas sharing one Redis and one Xero tenant: an idempotencyKey used on one replica is known
// to the other (same input: the same payment, no second write; another input: BAD_USER_INPUT, no call), and identical
// requests spread over both replicas at once make one payment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisServerAvailable, reportRedisSkipped, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startReplicas, type Replicas } from '../support/replicas.js';

reportRedisSkipped('test/state/payment-replicas.redis.test.ts');

const RECORD = `mutation Record($input: RecordPaymentInput!) { recordPayment(input: $input) { id amount { amount } } }`;

describe.skipIf(!redisServerAvailable)('payment writes across replicas', () => {
  let server: RedisServer;
  let stack: Replicas;
  beforeAll(async () => {
    server = await startRedisServer();
    stack = await startReplicas({ count: 2, redisUrl: server.url, keyPrefix: `pay-${Math.random()}:` });
  });
  afterAll(async () => {
    await stack?.close();
    await server?.close();
  });
  const open = (n: number) =>
    stack.sandbox.dataset().invoices.filter((i) => i.type === 'ACCREC' && i.status === 'AUTHORISED' && i.currency === 'USD' && i.paymentIds.length === 0)[n];
  const input = (invoiceId: string, amount: string, idempotencyKey: string) => ({
    invoiceId: `xero:Invoice:${invoiceId}`,
    amount,
    date: '2026-01-05',
    accountId: '091',
    idempotencyKey,
  });

  it('knows on one replica the key used on the other', async () => {
    const invoice = open(0);
    const [a, b] = stack.replicas;
    const first = await a.query(RECORD, { input: input(invoice.id, '2.00', 'replica-key') });
    expect(first.errors).toBeUndefined();
    stack.sandbox.calls.reset();
    const same = await b.query(RECORD, { input: input(invoice.id, '2.00', 'replica-key') });
    expect(same.data.recordPayment.id).toBe(first.data.recordPayment.id);
    const other = await b.query(RECORD, { input: input(invoice.id, '3.00', 'replica-key') });
    expect(other.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(stack.sandbox.calls.count('create-payments')).toBe(0);
    expect(invoice.paymentIds).toHaveLength(1);
  });

  it('makes one payment of identical requests sent to both replicas at once', async () => {
    const invoice = open(1);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => stack.replicas[i % 2].query(RECORD, { input: input(invoice.id, '4.00', 'replica-burst') })),
    );
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    expect(new Set(answers.map((a) => a.data.recordPayment.id)).size).toBe(1);
    expect(invoice.paymentIds).toHaveLength(1);
  });
});
