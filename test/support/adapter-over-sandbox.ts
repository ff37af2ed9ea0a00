// One provider's adapter over that provider's own sandbox, for the suites that run every registered adapter.
import { Agent } from 'undici';
import { afterAll, beforeAll } from 'vitest';
import type { Adapter, ProviderDefinition, StartedSandbox } from '../../adapters/kit/adapter.js';

export interface AdapterOverSandbox {
  sandbox: StartedSandbox;
  adapter: Adapter;
}

/** Starts `provider`'s sandbox and an adapter over it before the suite's tests, and closes both after; read the fields inside tests. */
export function useAdapterOverSandbox(provider: ProviderDefinition<any>): AdapterOverSandbox {
  const over = {} as AdapterOverSandbox;
  let dispatcher: Agent;
  beforeAll(async () => {
    over.sandbox = await provider.startSandbox();
    dispatcher = new Agent();
    over.adapter = provider.createAdapter(provider.settingsSchema.parse(over.sandbox.settings), { dispatcher });
  });
  afterAll(async () => {
    await over.adapter.close();
    await dispatcher.close();
    await over.sandbox.handle.close();
  });
  return over;
}
