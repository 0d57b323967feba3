import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { FIXTURES, REPO_ROOT } from './helpers.js';

/** Runs a TypeScript fixture in its own Node process (through tsx), the way a second server would. */
export function spawnFixture(name: string, args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', join(FIXTURES, name), ...args], {
    cwd: REPO_ROOT,
    stdio: 'pipe',
  });
}

/** Calls `onLine` for each stdout line until it returns true; resolves with that line. */
export function waitForLine(
  child: ChildProcessWithoutNullStreams,
  onLine: (line: string) => boolean,
  timeoutMs = 20_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let stderr = '';
    const timer = setTimeout(
      () => reject(new Error(`fixture timed out; stderr: ${stderr}`)),
      timeoutMs,
    );
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fixture exited (${code}) early; stderr: ${stderr}`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines)
        if (onLine(line)) {
          clearTimeout(timer);
          resolve(line);
          return;
        }
    });
  });
}

export function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}
