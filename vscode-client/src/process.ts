/**
 * Running the stage-lsp command line from the extension host (Node only, no `vscode`): the launcher probe,
 * `check` and `report`. Never throws: failures come back as values with a readable reason.
 */

import { execFile } from 'node:child_process';

import { commandLine, parseVersion, type Launcher, type Probe, type ProbeResult } from './launcher';

export interface RunResult {
  /** Exit code, or null when the process could not start or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why the process did not run to an exit code (not found, timed out, ...). */
  error?: string;
}

export interface RunOptions {
  cwd?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** Runs a program and collects its output. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
        windowsHide: true,
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        if (err === null) {
          resolve({ code: 0, stdout, stderr });
          return;
        }
        const e = err as NodeJS.ErrnoException & { code?: number | string; killed?: boolean; signal?: string };
        if (typeof e.code === 'number') {
          resolve({ code: e.code, stdout, stderr });
        } else if (e.code === 'ENOENT') {
          resolve({ code: null, stdout, stderr, error: `${command} was not found` });
        } else if (e.code === 'EACCES') {
          resolve({ code: null, stdout, stderr, error: `${command} is not executable` });
        } else if (e.killed === true || e.signal) {
          resolve({ code: null, stdout, stderr, error: `${command} did not finish (${e.signal ?? 'killed'})` });
        } else {
          resolve({ code: null, stdout, stderr, error: e.message });
        }
      },
    );
  });
}

/** Runs a stage-lsp subcommand through a launcher. */
export function runStageLsp(launcher: Launcher, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const [command, argv] = commandLine(launcher, ...args);
  return run(command, argv, options);
}

/** The last meaningful line of stderr, for messages (a traceback's last line names the error). */
export function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  return lines[lines.length - 1] ?? '';
}

/**
 * A probe that runs `<launcher> --version` (expecting `stage-lsp X.Y.Z`), then `<launcher> server --help`, so
 * a stage-lsp too old to have the language server is told apart before the client tries to start it.
 */
export function versionProbe(options: RunOptions = {}): Probe {
  return async (launcher: Launcher): Promise<ProbeResult> => {
    const result = await runStageLsp(launcher, ['--version'], { timeoutMs: 20_000, ...options });
    if (result.error !== undefined) return { ok: false, reason: result.error };
    const version = parseVersion(result.stdout + '\n' + result.stderr);
    if (result.code !== 0 || version === undefined) {
      const detail = lastLine(result.stderr) || lastLine(result.stdout) || `exit code ${String(result.code)}`;
      return { ok: false, reason: detail };
    }
    const help = await runStageLsp(launcher, ['server', '--help'], { timeoutMs: 20_000, ...options });
    if (help.code === 0) return { ok: true, version };
    const unknown = help.code === 2 && /invalid choice/.test(help.stderr);
    const reason = unknown
      ? `stage-lsp ${version} has no \`server\` command`
      : `\`server --help\` failed: ${help.error ?? (lastLine(help.stderr) || `exit code ${String(help.code)}`)}`;
    return unknown ? { ok: false, reason, outdated: version } : { ok: false, reason };
  };
}
