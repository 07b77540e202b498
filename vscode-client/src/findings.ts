/**
 * Reading `stage-lsp check --output-format json` (docs/output.md, version 1) into findings the "Check
 * Workspace" command lists. Unknown keys are ignored, as the format promises only to gain fields.
 */

export interface Finding {
  code: string;
  severity: string;
  message: string;
  /** Relative to `root`, with `/`. */
  file: string;
  /** 1-based line and code-point column, as in the JSON. */
  line: number;
  column: number;
}

export interface CheckResult {
  root: string;
  findings: Finding[];
  filesChecked: number | undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses the JSON text; returns undefined when it is not a check document. */
export function parseCheckJson(text: string): CheckResult | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(doc) || !Array.isArray(doc.diagnostics)) return undefined;
  const findings: Finding[] = [];
  for (const d of doc.diagnostics) {
    if (!isObject(d) || typeof d.file !== 'string' || typeof d.code !== 'string') continue;
    findings.push({
      code: d.code,
      severity: typeof d.severity === 'string' ? d.severity : 'warning',
      message: typeof d.message === 'string' ? d.message : '',
      file: d.file,
      line: typeof d.line === 'number' && d.line >= 1 ? d.line : 1,
      column: typeof d.column === 'number' && d.column >= 1 ? d.column : 1,
    });
  }
  const summary = isObject(doc.summary) ? doc.summary : {};
  return {
    root: typeof doc.root === 'string' ? doc.root : '',
    findings,
    filesChecked: typeof summary.files === 'number' ? summary.files : undefined,
  };
}

/** One line per finding in the CLI's text format (`file:line:col: CODE message`). */
export function findingLine(f: Finding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.code} ${f.message}`;
}

/** "3 findings in 2 files" / "no findings". */
export function summarise(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'no findings';
  const files = new Set(findings.map((f) => f.file)).size;
  return `${findings.length} finding${findings.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}`;
}
