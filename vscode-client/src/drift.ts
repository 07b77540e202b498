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

/** The current stage's coverage, read from `stage-lsp report --output-format json`. */
export interface Coverage {
  stage: string;
  done: number;
  planned: number;
}

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(v: Json): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function pick(o: Record<string, Json>, ...keys: string[]): Json {
  for (const k of keys) if (k in o) return o[k];
  return undefined;
}

function countsOf(o: Record<string, Json>): { done: number; planned: number } | undefined {
  const planned = num(pick(o, 'planned', 'total'));
  const done = num(pick(o, 'implemented', 'done', 'complete', 'completed'));
  if (planned !== undefined && done !== undefined) return { done, planned };
  // Per-area counts: sum them.
  const areas = pick(o, 'areas', 'by_area', 'byArea');
  const list = Array.isArray(areas) ? areas : isObject(areas) ? Object.values(areas) : [];
  let sumDone = 0;
  let sumPlanned = 0;
  let seen = false;
  for (const a of list) {
    if (!isObject(a)) continue;
    const c = countsOf(a);
    if (c === undefined) continue;
    seen = true;
    sumDone += c.done;
    sumPlanned += c.planned;
  }
  return seen ? { done: sumDone, planned: sumPlanned } : undefined;
}

/**
 * Reads the current stage's coverage from the report JSON, tolerating the shapes a report may take:
 * `current_stage` (or `stage`) naming an entry of `stages` (by `number`, `id` or `stage`), with
 * `planned`/`implemented` counts of its own or per area. Returns undefined when it cannot tell.
 */
export function parseCoverage(report: Json): Coverage | undefined {
  if (!isObject(report)) return undefined;
  const current = pick(report, 'current_stage', 'currentStage', 'stage');
  const currentId = isObject(current) ? pick(current, 'number', 'id', 'stage') : current;
  if (isObject(current)) {
    const c = countsOf(current);
    if (c !== undefined && currentId !== undefined) return { stage: String(currentId), ...c };
  }
  const stages = pick(report, 'stages');
  if (!Array.isArray(stages) || currentId === undefined || currentId === null) return undefined;
  for (const s of stages) {
    if (!isObject(s)) continue;
    const id = pick(s, 'number', 'id', 'stage');
    if (id === undefined || String(id) !== String(currentId)) continue;
    const c = countsOf(s);
    return c === undefined ? undefined : { stage: String(currentId), ...c };
  }
  return undefined;
}

export function percent(c: Coverage): number {
  return c.planned <= 0 ? 100 : Math.round((100 * c.done) / c.planned);
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
      if (state.coverage !== undefined) parts.push(`stage ${state.coverage.stage} ${percent(state.coverage)}%`);
      const lines = [
        d.total === 0
          ? 'stage-lsp: no drift in the checked files'
          : `stage-lsp: ${d.total} finding${d.total === 1 ? '' : 's'} in ${d.files} file${d.files === 1 ? '' : 's'} (${d.errors} error, ${d.warnings} warning)`,
      ];
      if (d.byFolder.size > 1) for (const [name, n] of [...d.byFolder].sort()) lines.push(`  ${name || '(outside the folders)'}: ${n}`);
      if (state.coverage !== undefined) {
        const c = state.coverage;
        lines.push(`Stage ${c.stage}: ${c.done} of ${c.planned} planned items done (${percent(c)}%)`);
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
