// Reading a configuration that must be refused: the ConfigError loadConfig throws (over the registered providers).
import { providers } from '../../adapters/index.js';
import { ConfigError, loadConfig } from '../../src/config.js';

/** The error a refused configuration stops the start with; fails the test when `env` is accepted. */
export function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env, providers);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

/** The problems, one line each, a configuration is refused for (none when it is accepted). */
export function configProblems(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env, providers);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}
