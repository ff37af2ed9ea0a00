// Starts every provider's simulator on loopback and turns each into a configured source.
import type { ProviderDefinition, StartedSandbox } from '../adapters/kit/adapter.js';
import type { SandboxHandle } from '../adapters/kit/sandbox-server.js';
import { ConfigError, validateSource, type SourceSpec } from './config.js';

export interface RunningSandboxes {
  specs: SourceSpec[];
  started: Array<StartedSandbox & { kind: string }>;
  /** The handle of the sandbox of a provider kind (tests and benchmarks steer it: faults, call counts). */
  handle<H extends SandboxHandle = SandboxHandle>(kind: string): H;
  close(): Promise<void>;
}

/** Starts the sandbox of each provider; `invoiceCounts` seeds a kind with more invoices (the listing benchmark). */
export async function startSandboxes(
  providers: ProviderDefinition<any>[],
  options: { invoiceCounts?: Record<string, number> } = {},
): Promise<RunningSandboxes> {
  const started: RunningSandboxes['started'] = [];
  const close = async () => void (await Promise.allSettled(started.map((s) => s.handle.close())));
  try {
    for (const provider of providers) {
      const invoiceCount = options.invoiceCounts?.[provider.kind];
      started.push({ ...(await provider.startSandbox(invoiceCount ? { invoiceCount } : undefined)), kind: provider.kind });
    }
  } catch (error) {
    await close();
    throw error;
  }
  const problems: string[] = [];
  const specs = started.flatMap((sandbox, index) => {
    const spec = validateSource(providers[index], sandbox.settings, `${sandbox.kind} sandbox`, problems);
    return spec ? [spec] : [];
  });
  if (problems.length > 0) {
    await close();
    throw new ConfigError(problems);
  }
  const handle = <H extends SandboxHandle>(kind: string): H => {
    const found = started.find((s) => s.kind === kind);
    if (!found) throw new Error(`no ${kind} sandbox is running`);
    return found.handle as H;
  };
  return { specs, started, handle, close };
}
