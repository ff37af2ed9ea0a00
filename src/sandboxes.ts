// Starts every provider's simulator on loopback and turns each into a configured source.
import type { ProviderDefinition, StartedSandbox } from '../adapters/kit/adapter.js';
import { ConfigError, validateSource, type SourceSpec } from './config.js';

export interface RunningSandboxes {
  specs: SourceSpec[];
  started: Array<StartedSandbox & { kind: string }>;
  close(): Promise<void>;
}

/** Starts the sandbox of each provider (all of them by default). */
export async function startSandboxes(providers: ProviderDefinition<any>[]): Promise<RunningSandboxes> {
  const started: RunningSandboxes['started'] = [];
  const close = async () => void (await Promise.allSettled(started.map((s) => s.handle.close())));
  try {
    for (const provider of providers) started.push({ ...(await provider.startSandbox()), kind: provider.kind });
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
  return { specs, started, close };
}
