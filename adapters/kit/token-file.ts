// A bearer token kept in a file that something else renews (a Kubernetes secret mount, a sidecar): read at first use,
// read again when the file changes and after the provider answers 401, without a restart. The folder is watched rather
// than the file: a secret mount swaps a symlink, and a watch on the old file would never fire again.
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { AdapterError } from './errors.js';
import type { TokenSource } from './oauth-client-credentials.js';

export interface FileTokenSource extends TokenSource {
  /** Reads the file now: rejects when it cannot be read or is empty (a start-up check). */
  check(): Promise<void>;
  close(): void;
}

/** Creates a token source over the file at `path` (its content, trimmed, is the token). */
export function createFileTokenSource(options: { source: string; path: string; variable: string }): FileTokenSource {
  const { source, path } = options;
  let current: string | undefined;
  let stale = true;
  let reading: Promise<string> | undefined;
  let watcher: FSWatcher | undefined;

  const unreadable = (cause: unknown) =>
    new AdapterError('UPSTREAM_UNAUTHORIZED', `${source}: its token file (${options.variable}) cannot be read or is empty`, { source, retryable: false, cause });

  const read = async (): Promise<string> => {
    let text: string;
    try {
      text = (await readFile(path, 'utf8')).trim();
    } catch (error) {
      throw unreadable(error);
    }
    if (text === '') throw unreadable(undefined);
    current = text;
    stale = false;
    return text;
  };

  try {
    // Any change in the folder may be a new token (a rename into place, a symlink swap): the next call reads again.
    watcher = watch(dirname(path), { persistent: false }, (_event, name) => {
      if (name === null || name === basename(path) || name.startsWith('..')) stale = true;
    });
    watcher.on('error', () => {
      // Without a watch the token is still read again after every 401.
      watcher?.close();
      watcher = undefined;
    });
  } catch {
    watcher = undefined;
  }

  return {
    token() {
      if (!stale && current !== undefined) return Promise.resolve(current);
      reading ??= read().finally(() => {
        reading = undefined;
      });
      return reading;
    },
    invalidate(token) {
      if (token === current) stale = true;
    },
    async check() {
      await read();
    },
    close() {
      watcher?.close();
    },
  };
}
