/**
 * The extension's settings (`stageLsp.*`) and what of them the language server receives.
 *
 * Editor settings override the project's stage-lsp.toml key by key (docs/configuration.md), so only keys the
 * user actually set (in user, workspace or folder settings) are sent: an untouched `stageLsp.select` must not
 * replace the project's `select` with an empty list. Pure module: `vscode` is reached through `ConfigReader`.
 */

export const SECTION = 'stageLsp';

/** vscode-languageclient's client id: it reads `<id>.trace.server`, so it must equal SECTION. */
export const CLIENT_ID = SECTION;

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type Trace = 'off' | 'messages' | 'verbose';

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];
const TRACES: readonly Trace[] = ['off', 'messages', 'verbose'];

/** Reads `stageLsp.<key>` for one scope (a workspace folder, or the window when there is none). */
export interface ConfigReader {
  /** The effective value (default included). */
  get(key: string): unknown;
  /** Whether the user set the key anywhere (user, workspace or folder settings), not just the default. */
  isSet(key: string): boolean;
}

/** Values used to expand `${workspaceFolder}`, `${userHome}`, `${env:NAME}` and a leading `~` in paths. */
export interface PathContext {
  workspaceFolder?: string;
  home: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** The settings of one scope, validated (bad values are dropped with a reason in `problems`). */
export interface ExtensionSettings {
  /** `stageLsp.path`: a `stage-lsp` executable, or undefined. */
  path: string | undefined;
  /** `stageLsp.interpreter`: a Python command (program and leading arguments), or empty. */
  interpreter: string[];
  /** Whether to look up the Python extension's interpreter (`stageLsp.usePythonExtension`). */
  usePythonExtension: boolean;
  /** What the server gets; only keys the user set. */
  server: ServerSettings;
  /** `stageLsp.trace.server`, handled by vscode-languageclient and also told to the server. */
  trace: Trace;
  /** Human-readable reasons for values that were ignored. */
  problems: string[];
}

/** The server's view of the editor settings: the project config's kebab-case keys, plus trace. */
export interface ServerSettings {
  select?: string[];
  ignore?: string[];
  severity?: Record<string, Severity>;
  'debounce-ms'?: number;
  trace?: Trace;
}

/** Expands variables in a path-like setting; unknown variables are left as they are. */
export function expandPath(value: string, ctx: PathContext): string {
  let out = value.trim().replace(/\$\{(workspaceFolder|userHome|env:([A-Za-z_][A-Za-z0-9_]*))\}/g, (whole, name: string, env?: string) => {
    if (env !== undefined) return ctx.env[env] ?? '';
    if (name === 'userHome') return ctx.home;
    return ctx.workspaceFolder ?? whole;
  });
  if (out === '~' || out.startsWith('~/')) out = ctx.home + out.slice(1);
  return out;
}

function codeList(key: string, value: unknown, problems: string[]): string[] | undefined {
  if (!Array.isArray(value)) {
    problems.push(`stageLsp.${key} must be a list of rule codes or prefixes such as "SL1" or "SL101"`);
    return undefined;
  }
  const codes: string[] = [];
  for (const item of value) {
    const code = typeof item === 'string' ? item.trim().toUpperCase() : '';
    if (/^SL\d{0,3}$/.test(code)) codes.push(code);
    else problems.push(`stageLsp.${key}: ${JSON.stringify(item)} is not a rule code or prefix (like "SL1" or "SL101")`);
  }
  return codes;
}

function severityMap(value: unknown, problems: string[]): Record<string, Severity> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push('stageLsp.severity must map rule codes to "error", "warning", "info" or "hint"');
    return undefined;
  }
  const out: Record<string, Severity> = {};
  for (const [rawCode, level] of Object.entries(value)) {
    const code = rawCode.trim().toUpperCase();
    if (!/^SL\d{0,3}$/.test(code)) {
      problems.push(`stageLsp.severity: ${JSON.stringify(rawCode)} is not a rule code or prefix`);
    } else if (typeof level === 'string' && (SEVERITIES as readonly string[]).includes(level)) {
      out[code] = level as Severity;
    } else {
      problems.push(`stageLsp.severity.${code}: ${JSON.stringify(level)} is not one of ${SEVERITIES.join(', ')}`);
    }
  }
  return out;
}

function interpreterCommand(value: unknown, ctx: PathContext, problems: string[]): string[] {
  if (value === undefined || value === null || value === '') return [];
  const parts = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (parts === undefined || !parts.every((p) => typeof p === 'string')) {
    problems.push('stageLsp.interpreter must be a path to python or a list such as ["/path/to/python"]');
    return [];
  }
  const expanded = (parts as string[]).map((p) => expandPath(p, ctx)).filter((p) => p !== '');
  return expanded;
}

/** Reads and validates the settings of one scope. */
export function readSettings(config: ConfigReader, ctx: PathContext): ExtensionSettings {
  const problems: string[] = [];
  const rawPath = config.get('path');
  let path: string | undefined;
  if (typeof rawPath === 'string' && rawPath.trim() !== '') path = expandPath(rawPath, ctx);
  else if (rawPath !== undefined && rawPath !== null && rawPath !== '') problems.push('stageLsp.path must be a path to a stage-lsp executable');

  const interpreter = interpreterCommand(config.get('interpreter'), ctx, problems);
  const usePythonExtension = config.get('usePythonExtension') !== false;

  const rawTrace = config.get('trace.server');
  const trace: Trace = typeof rawTrace === 'string' && (TRACES as readonly string[]).includes(rawTrace) ? (rawTrace as Trace) : 'off';

  const server: ServerSettings = {};
  if (config.isSet('select')) {
    const v = codeList('select', config.get('select'), problems);
    if (v !== undefined) server.select = v;
  }
  if (config.isSet('ignore')) {
    const v = codeList('ignore', config.get('ignore'), problems);
    if (v !== undefined) server.ignore = v;
  }
  if (config.isSet('severity')) {
    const v = severityMap(config.get('severity'), problems);
    if (v !== undefined) server.severity = v;
  }
  if (config.isSet('debounceMs')) {
    const v = config.get('debounceMs');
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 60_000) server['debounce-ms'] = v;
    else problems.push(`stageLsp.debounceMs must be a whole number of milliseconds from 0 to 60000, not ${JSON.stringify(v)}`);
  }
  if (config.isSet('trace.server')) server.trace = trace;
  return { path, interpreter, usePythonExtension, server, trace, problems };
}

/**
 * `initializationOptions`: `{"stageLsp": <the window's settings>}`, the same shape as a
 * `workspace/didChangeConfiguration` payload. Per-folder settings reach the server through
 * `workspace/configuration` (one item per root, section stageLsp), answered by `ServerSettings` too.
 */
export interface InitializationOptions {
  stageLsp: ServerSettings;
}

export function initializationOptions(window: ServerSettings): InitializationOptions {
  return { [SECTION]: window } as InitializationOptions;
}
