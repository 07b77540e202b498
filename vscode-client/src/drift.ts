/**
 * The numbers behind the status bar: stage-lsp's diagnostics in the workspace (from VS Code's diagnostics,
 * whatever mode the server uses) and the current stage's coverage (from the stage report's JSON).
 * Pure module: diagnostics arrive as plain objects.
 */

/** The part of a vscode.Diagnostic this module reads. */
export interface DiagnosticLike {
  source?: string;
  code?: string | number | { value: string | number };
  /** vscode.DiagnosticSeverity: 0 error, 1 warning, 2 information, 3 hint. */
  severity: number;
}

export const SOURCE = 'stage-lsp';

function codeOf(d: DiagnosticLike): string {
  const c = d.code;
  if (c === undefined) return '';
  return String(typeof c === 'object' ? c.value : c);
}

/** A diagnostic is stage-lsp's when its source says so, or (sourceless) its code is an SLnnn code. */
export function isStageLspDiagnostic(d: DiagnosticLike): boolean {
  if (d.source !== undefined && d.source !== '') return d.source === SOURCE;
  return /^SL\d{3}$/.test(codeOf(d));
}

export interface FolderRef {
  name: string;
  /** The folder's URI as a string, ending without `/`. */
  uri: string;
}

export interface DriftCount {
  total: number;
  errors: number;
  warnings: number;
  /** Findings per workspace folder name (files outside every folder count under ""). */
  byFolder: Map<string, number>;
  files: number;
}

/** Counts stage-lsp's diagnostics. `entries` is what `vscode.languages.getDiagnostics()` returns, with URIs as strings. */
export function countDrift(entries: ReadonlyArray<readonly [string, readonly DiagnosticLike[]]>, folders: readonly FolderRef[]): DriftCount {
  const count: DriftCount = { total: 0, errors: 0, warnings: 0, byFolder: new Map(), files: 0 };
  for (const [uri, diagnostics] of entries) {
    const ours = diagnostics.filter(isStageLspDiagnostic);
    if (ours.length === 0) continue;
    count.files += 1;
    count.total += ours.length;
    count.errors += ours.filter((d) => d.severity === 0).length;
    count.warnings += ours.filter((d) => d.severity === 1).length;
    const folder = folderOf(uri, folders);
    count.byFolder.set(folder, (count.byFolder.get(folder) ?? 0) + ours.length);
  }
  return count;
}

/** The name of the innermost workspace folder holding `uri`, or "". */
export function folderOf(uri: string, folders: readonly FolderRef[]): string {
  let best: FolderRef | undefined;
  for (const f of folders) {
    const base = f.uri.endsWith('/') ? f.uri : f.uri + '/';
    if (uri.startsWith(base) && (best === undefined || f.uri.length > best.uri.length)) best = f;
  }
  return best?.name ?? '';
}

/** The current stage's coverage, read from `stage-lsp report --output-format json` (docs/report.md). */
export interface Coverage {
  stage: number;
  title: string;
  /** Share of the stage's due items that are done, 0..1; null when nothing is due yet. */
  coverage: number | null;
  planned: number;
  implemented: number;
  drifted: number;
  missing: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function count(o: Record<string, unknown>, key: string): number | undefined {
  const v = o[key];
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}

/**
 * Reads the current stage from the report JSON (report.schema.json, version 1): the entry of `stages`
 * marked `current` (else the one numbered `current_stage`), its `coverage` and `totals`. Returns
 * undefined when the document does not have that shape, rather than guess.
 */
export function parseCoverage(report: unknown): Coverage | undefined {
  if (!isObject(report) || report.version !== 1 || !Array.isArray(report.stages)) return undefined;
  const stages = report.stages.filter(isObject);
  const current = stages.find((s) => s.current === true) ?? stages.find((s) => s.number === report.current_stage);
  if (current === undefined || typeof current.number !== 'number' || !isObject(current.totals)) return undefined;
  const totals = current.totals;
  const planned = count(totals, 'planned');
  const implemented = count(totals, 'implemented');
  if (planned === undefined || implemented === undefined) return undefined;
  const raw = current.coverage;
  const coverage = typeof raw === 'number' && raw >= 0 && raw <= 1 ? raw : null;
  return {
    stage: current.number,
    title: typeof current.title === 'string' ? current.title : '',
    coverage,
    planned,
    implemented,
    drifted: count(totals, 'drifted') ?? 0,
    missing: count(totals, 'missing') ?? 0,
  };
}

/** Coverage as a whole percentage, or undefined when the stage has nothing due. */
export function percent(c: Coverage): number | undefined {
  return c.coverage === null ? undefined : Math.round(100 * c.coverage);
}

/** What the status bar item shows. */
export type StatusState =
  | { kind: 'starting' }
  | { kind: 'running'; drift: DriftCount; coverage?: Coverage; reportAvailable?: boolean }
  | { kind: 'failed'; message: string }
  | { kind: 'stopped' };

export interface StatusView {
  text: string;
  tooltip: string;
  /** 'error' or 'warning' background, or undefined for the default. */
  background?: 'error' | 'warning';
}

export function statusView(state: StatusState): StatusView {
  switch (state.kind) {
    case 'starting':
      return { text: '$(sync~spin) stage-lsp', tooltip: 'stage-lsp: starting the language server' };
    case 'stopped':
      return { text: '$(circle-slash) stage-lsp', tooltip: 'stage-lsp: the language server is stopped. Click to restart it.' };
    case 'failed':
      return { text: '$(error) stage-lsp', tooltip: state.message, background: 'error' };
    case 'running': {
      const d = state.drift;
      const icon = d.total === 0 ? '$(pass)' : d.errors > 0 ? '$(error)' : '$(warning)';
      const parts = [`${icon} ${d.total} drift`];
      const pct = state.coverage === undefined ? undefined : percent(state.coverage);
      if (state.coverage !== undefined && pct !== undefined) parts.push(`stage ${state.coverage.stage} ${pct}%`);
      const lines = [
        d.total === 0
          ? 'stage-lsp: no drift in the checked files'
          : `stage-lsp: ${d.total} finding${d.total === 1 ? '' : 's'} in ${d.files} file${d.files === 1 ? '' : 's'} (${d.errors} error, ${d.warnings} warning)`,
      ];
      if (d.byFolder.size > 1) for (const [name, n] of [...d.byFolder].sort()) lines.push(`  ${name || '(outside the folders)'}: ${n}`);
      if (state.coverage !== undefined) {
        const c = state.coverage;
        const title = c.title === '' ? '' : ` (${c.title})`;
        const share = pct === undefined ? 'nothing due yet' : `${pct}% done`;
        lines.push(`Current stage ${c.stage}${title}: ${share}; ${c.implemented} implemented, ${c.drifted} drifted, ${c.missing} missing of ${c.planned} planned`);
      }
      lines.push(
        state.reportAvailable === false
          ? 'The stage report needs a newer stage-lsp (`stage-lsp report`)'
          : 'Click to open the stage report',
      );
      return { text: parts.join(' · '), tooltip: lines.join('\n') };
    }
  }
}
