/**
 * The stage report and the workspace check, both through the stage-lsp command line (`stage-lsp report`,
 * `stage-lsp check`), so they work with any server and show exactly what CI shows. A stage-lsp without
 * `report` gives a clear message, never an error.
 */

import { parseCoverage, type Coverage } from './drift';
import { findingLine, parseCheckJson, summarise } from './findings';
import type { Folder, FolderFinding, Host } from './host';
import { lastLine, type RunOptions, type RunResult } from './process';

export type CliRunner = (args: string[], options: RunOptions) => Promise<RunResult>;

/** Whether this stage-lsp has `stage-lsp report`: learnt on first use. */
export type ReportSupport = 'unknown' | 'supported' | 'unsupported';

export const REPORT_UNAVAILABLE =
  'stage-lsp: the stage report needs a newer stage-lsp (with `stage-lsp report`): pip install --upgrade stage-lsp';

/** True when argparse rejected the command or option: this stage-lsp does not know it. */
export function isUnsupported(result: RunResult): boolean {
  return result.code === 2 && /invalid choice|unrecognized arguments/.test(result.stderr);
}

type ReportOutcome = { ok: true; text: string } | { ok: false; unsupported: boolean; reason: string };

async function runReport(cli: CliRunner, folder: Folder, format: 'html' | 'json'): Promise<ReportOutcome> {
  const result = await cli(['report', folder.fsPath, '--output-format', format], { cwd: folder.fsPath, timeoutMs: 120_000 });
  if (result.error !== undefined) return { ok: false, unsupported: false, reason: result.error };
  if (isUnsupported(result)) return { ok: false, unsupported: true, reason: lastLine(result.stderr) };
  if (result.code !== 0 && result.code !== 1) {
    return { ok: false, unsupported: false, reason: lastLine(result.stderr) || `exit code ${String(result.code)}` };
  }
  return { ok: true, text: result.stdout };
}

/**
 * Prepares the report's HTML for a webview: a strict Content-Security-Policy (no scripts, no network) and
 * charts that shrink to the editor's width (the report draws them at a fixed pixel width).
 */
export function forWebview(html: string): string {
  const meta =
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; ' +
    'style-src \'unsafe-inline\'; font-src data:">' +
    '<style>svg.chart { max-width: 100%; height: auto; }</style>';
  const head = /<head[^>]*>/i.exec(html);
  if (head !== null) return html.slice(0, head.index + head[0].length) + meta + html.slice(head.index + head[0].length);
  return meta + html;
}

/** Runs the report as HTML and shows it; returns what was learnt about report support. */
export async function showStageReport(host: Host, cli: CliRunner, folder: Folder, known: ReportSupport): Promise<ReportSupport> {
  if (known === 'unsupported') {
    void host.notify('info', REPORT_UNAVAILABLE);
    return known;
  }
  const outcome = await runReport(cli, folder, 'html');
  if (!outcome.ok) {
    host.log(`stage-lsp report ${folder.fsPath}: ${outcome.reason}`);
    if (outcome.unsupported) {
      void host.notify('info', REPORT_UNAVAILABLE);
      return 'unsupported';
    }
    void host.notify('error', `stage-lsp: the stage report of ${folder.name} failed: ${outcome.reason}`, 'Show Output').then((a) => {
      if (a === 'Show Output') host.showOutput();
    });
    return known;
  }
  host.showReport(`Stage report: ${folder.name}`, forWebview(outcome.text));
  return 'supported';
}

/** Reads the current stage's coverage from the report's JSON. */
export async function loadCoverage(cli: CliRunner, folder: Folder): Promise<{ coverage: Coverage | undefined; support: ReportSupport }> {
  const outcome = await runReport(cli, folder, 'json');
  if (!outcome.ok) return { coverage: undefined, support: outcome.unsupported ? 'unsupported' : 'unknown' };
  try {
    return { coverage: parseCoverage(JSON.parse(outcome.text)), support: 'supported' };
  } catch {
    return { coverage: undefined, support: 'supported' };
  }
}

/** Runs `stage-lsp check` on every folder, logs the findings and offers to list them. */
export async function checkWorkspace(host: Host, cli: CliRunner, folders: readonly Folder[]): Promise<FolderFinding[]> {
  const all: FolderFinding[] = [];
  const failures: string[] = [];
  for (const folder of folders) {
    const result = await cli(['check', folder.fsPath, '--output-format', 'json', '--exit-zero'], { cwd: folder.fsPath, timeoutMs: 300_000 });
    const parsed = result.error === undefined && result.code === 0 ? parseCheckJson(result.stdout) : undefined;
    if (parsed === undefined) {
      const reason = result.error ?? (lastLine(result.stderr) || `exit code ${String(result.code)}`);
      failures.push(`${folder.name}: ${reason}`);
      host.log(`stage-lsp check ${folder.fsPath} failed: ${reason}`);
      continue;
    }
    host.log(`stage-lsp check ${folder.fsPath}: ${summarise(parsed.findings)}${parsed.filesChecked !== undefined ? ` (${parsed.filesChecked} files checked)` : ''}`);
    for (const f of parsed.findings) {
      host.log(`  ${findingLine(f)}`);
      all.push({ folder, finding: f });
    }
  }
  const where = folders.length === 1 ? (folders[0]?.name ?? '') : `${folders.length} folders`;
  if (failures.length > 0) {
    void host.notify('error', `stage-lsp: the check failed for ${failures.join('; ')}`, 'Show Output').then((a) => {
      if (a === 'Show Output') host.showOutput();
    });
  } else if (all.length === 0) {
    void host.notify('info', `stage-lsp: no drift in ${where}`);
  } else {
    const action = await host.notify('warning', `stage-lsp: ${summarise(all.map((x) => x.finding))} in ${where}`, 'Show Findings', 'Show Output');
    if (action === 'Show Findings') await host.showFindings(all);
    if (action === 'Show Output') host.showOutput();
  }
  return all;
}
