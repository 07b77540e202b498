/**
 * Finding the stage-lsp server: which commands to try, in which order, and what to tell the user when none
 * works. Pure module; running a candidate is done by the `Probe` it is given (see process.ts).
 *
 * Order: `stageLsp.path`, else `stageLsp.interpreter` (`python -m stage_lsp`), else the Python extension's
 * interpreter when that extension is installed and has stage_lsp, else `stage-lsp` on PATH. An explicit
 * setting is authoritative: when it does not work the user hears about that setting, not about a fallback.
 */

import type { ExtensionSettings } from './settings';

export type LauncherSource = 'stageLsp.path' | 'stageLsp.interpreter' | 'Python extension' | 'PATH';

/** A way to run the stage-lsp command line: `command ...args <subcommand>`. */
export interface Launcher {
  source: LauncherSource;
  command: string;
  args: string[];
}

export const PIP_PACKAGE = 'stage-lsp';
export const REPOSITORY_URL = 'https://github.com/stage-lsp/stage-lsp';

/** The argv that runs a stage-lsp subcommand (`server`, `check`, `report`, ...) through a launcher. */
export function commandLine(launcher: Launcher, ...rest: string[]): [string, string[]] {
  return [launcher.command, [...launcher.args, ...rest]];
}

/** The argv that starts the language server (vscode-languageclient appends `--stdio`). */
export function serverCommand(launcher: Launcher): [string, string[]] {
  return commandLine(launcher, 'server');
}

export function describe(launcher: Launcher): string {
  return [launcher.command, ...launcher.args].join(' ');
}

/** Candidates in order. `pythonExtension` is the Python extension's interpreter command, if any. */
export function candidates(settings: ExtensionSettings, pythonExtension: string[] | undefined): Launcher[] {
  if (settings.path !== undefined) return [{ source: 'stageLsp.path', command: settings.path, args: [] }];
  const [program, ...rest] = settings.interpreter;
  if (program !== undefined) {
    return [{ source: 'stageLsp.interpreter', command: program, args: [...rest, '-m', 'stage_lsp'] }];
  }
  const found: Launcher[] = [];
  const [py, ...pyArgs] = pythonExtension ?? [];
  if (py !== undefined) found.push({ source: 'Python extension', command: py, args: [...pyArgs, '-m', 'stage_lsp'] });
  found.push({ source: 'PATH', command: 'stage-lsp', args: [] });
  return found;
}

/** Whether candidates come from an explicit setting (then only that one is tried). */
export function isExplicit(settings: ExtensionSettings): boolean {
  return settings.path !== undefined || settings.interpreter.length > 0;
}

export type ProbeResult =
  | { ok: true; version: string }
  | {
      ok: false;
      reason: string;
      /** Set when it is stage-lsp, but a version without the language server (`stage-lsp server`). */
      outdated?: string;
    };

/** Runs `<launcher> --version` (or equivalent) and says whether it is a working stage-lsp. */
export type Probe = (launcher: Launcher) => Promise<ProbeResult>;

export interface Attempt {
  launcher: Launcher;
  result: ProbeResult;
}

export type Resolution =
  | { ok: true; launcher: Launcher; version: string; attempts: Attempt[] }
  | { ok: false; attempts: Attempt[]; message: string; installCommand: string };

/** Reads the version out of `stage-lsp --version` output (`stage-lsp 0.1.0`), or undefined. */
export function parseVersion(stdout: string): string | undefined {
  const m = /stage-lsp\s+v?(\d+\.\d+[^\s]*)/.exec(stdout);
  return m?.[1];
}

/** The exact command that installs stage-lsp for the interpreter the user will run it with. */
export function installCommand(python: string | undefined, upgrade = false): string {
  const quoted = python === undefined ? 'python3' : /[\s"']/.test(python) ? `"${python}"` : python;
  return `${quoted} -m pip install ${upgrade ? '--upgrade ' : ''}${PIP_PACKAGE}`;
}

/** Tries the candidates in order with `probe`; the first that works wins. */
export async function resolveLauncher(
  settings: ExtensionSettings,
  pythonExtension: () => Promise<string[] | undefined>,
  probe: Probe,
): Promise<Resolution> {
  const explicit = isExplicit(settings);
  const python = explicit ? undefined : await pythonExtension();
  const attempts: Attempt[] = [];
  for (const launcher of candidates(settings, python)) {
    const result = await probe(launcher);
    attempts.push({ launcher, result });
    if (result.ok) return { ok: true, launcher, version: result.version, attempts };
  }
  const pythonForInstall = settings.interpreter[0] ?? python?.[0];
  const outdated = attempts.find((a) => !a.result.ok && a.result.outdated !== undefined);
  const install = installCommand(pythonForInstall, outdated !== undefined);
  return { ok: false, attempts, installCommand: install, message: failureMessage(attempts, explicit, install) };
}

function failureMessage(attempts: Attempt[], explicit: boolean, install: string): string {
  const outdated = attempts.find((a) => !a.result.ok && a.result.outdated !== undefined);
  if (outdated !== undefined && !outdated.result.ok) {
    return (
      `stage-lsp ${outdated.result.outdated ?? ''} (${outdated.launcher.source}: ${describe(outdated.launcher)}) has no language server ` +
      `(\`stage-lsp server\`). Update it with \`${install}\`.`
    );
  }
  const first = attempts[0];
  if (explicit && first !== undefined && !first.result.ok) {
    return (
      `stage-lsp: ${first.launcher.source} (${describe(first.launcher)}) does not run stage-lsp: ${first.result.reason}. ` +
      `Fix the setting, or install stage-lsp with \`${install}\`.`
    );
  }
  return (
    `stage-lsp is not installed: no \`stage-lsp\` on PATH` +
    (attempts.some((a) => a.launcher.source === 'Python extension') ? ' nor in the Python extension\'s interpreter' : '') +
    `. Install it with \`${install}\` (or from source: \`python3 -m pip install git+${REPOSITORY_URL}\`), ` +
    'or set stageLsp.path to a stage-lsp executable.'
  );
}
