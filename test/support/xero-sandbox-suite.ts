// The Xero sandbox for one suite that speaks to it over loopback: started before its tests with a dispatcher, closed
// after them, and its faults, limits and call counts reset before each test.
import { Agent } from 'undici';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startXeroSandbox, type XeroSandboxHandle, type XeroSandboxOptions } from '../../adapters/xero/sandbox/xero-sandbox.js';

export interface XeroSandboxSuite {
  readonly sandbox: XeroSandboxHandle;
  readonly dispatcher: Agent;
}

/** Starts the sandbox for the suite this is called in; read the fields inside hooks and tests. */
export function useXeroSandbox(options: XeroSandboxOptions): XeroSandboxSuite {
  let sandbox: XeroSandboxHandle | undefined;
  let dispatcher: Agent | undefined;
  beforeAll(async () => {
    sandbox = await startXeroSandbox(options);
    dispatcher = new Agent({ connections: 20 });
  });
  afterAll(async () => {
    await dispatcher?.close();
    await sandbox?.close();
  });
  beforeEach(() => {
    sandbox!.faults.clear();
    sandbox!.resetLimits();
    sandbox!.calls.reset();
  });
  return {
    get sandbox() {
      return sandbox!;
    },
    get dispatcher() {
      return dispatcher!;
    },
  };
}
