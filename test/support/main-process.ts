// `npm start`'s program (src/main.ts) as a real child process: started with an environment of the test's choosing, its
// start summary (the JSON line it writes when stdout is not a terminal) read, and stopped with a signal.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface MainProcess {
  child: ChildProcess;
  /** The start summary: `graphql`, `health`, `ready`, `metrics` URLs, sources, notices. */
  summary: Record<string, any>;
  /** Every line the process wrote to stdout (its JSON log lines, the summary among them), as they come. */
  lines: string[];
  /** Sends `signal` (SIGTERM by default) and resolves with the exit code once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts src/main.ts on tsx with `env` (plus PATH; PORT 0 unless given) and waits for its start summary. */
export async function startMain(env: Record<string, string>): Promise<MainProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk) => stderr.push(String(chunk)));
  // 'close', not 'exit': every line the process wrote has been read by then.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const summary = await new Promise<Record<string, any>>((resolve, reject) => {
    let found = false;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (found || !line.startsWith('{')) return;
      const entry = JSON.parse(line) as Record<string, any>;
      if (entry.msg !== 'gateway ready') return;
      found = true;
      resolve(entry);
    });
    void exited.then((code) => reject(new Error(`src/main.ts exited with ${code} before it was ready: ${stderr.join('')}`)));
  });
  return {
    child,
    summary,
    lines,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
