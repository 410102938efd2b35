/** Running a command of the repository as a child process, as a newcomer would from a shell. */
import { spawn } from 'node:child_process';

/** How a child ended: its exit code (null when killed) and its stdout and stderr together. */
export interface ChildOutcome {
  status: number | null;
  out: string;
}

/**
 * Runs `command args` asynchronously (a server the child talks to may run in this process)
 * and collects its output; kills it after `timeoutMs` (default 60 s).
 */
export function runChild(command: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, out });
    });
  });
}
