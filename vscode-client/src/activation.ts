/**
 * When the extension wakes up and which documents the language server sees.
 *
 * The plan names mirror the discovery table of docs/configuration.md (a unit test reads that table, so the
 * two cannot drift apart silently). This module is pure: no `vscode` import, so it runs under node:test.
 */

/** Plan documents found by name when a project does not configure them (docs/configuration.md). */
export const PLAN_FILE_NAMES: Readonly<Record<'api' | 'db' | 'stages' | 'prd', readonly string[]>> = {
  api: ['api-plan.md', 'api_plan.md', 'plan-api.md', 'plan_api.md'],
  db: ['db-plan.md', 'db_plan.md', 'plan-db.md', 'plan_db.md'],
  stages: ['stages-plan.md', 'stages_plan.md', 'stage-plan.md', 'phases-plan.md', 'phases_plan.md'],
  prd: ['prd.md'],
};

/** Project configuration files that mark a stage-lsp project on their own. */
export const CONFIG_FILE_NAMES: readonly string[] = ['stage-lsp.toml'];

/** Every file name whose presence in a workspace activates the extension. */
export function markerFileNames(): string[] {
  return [...Object.values(PLAN_FILE_NAMES).flat(), ...CONFIG_FILE_NAMES];
}

/** The `activationEvents` package.json must declare (commands activate the extension implicitly). */
export function activationEvents(): string[] {
  return markerFileNames().map((name) => `workspaceContains:**/${name}`);
}

/** The base name of a path with `/` or `\` separators. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? '';
}

/** True when a file's name marks a stage-lsp project (a plan by its discovered name, or the config). */
export function isMarkerFile(path: string): boolean {
  return markerFileNames().includes(baseName(path).toLowerCase());
}

/** A document filter as vscode-languageclient takes it (a plain object, so it is testable). */
export interface DocumentFilter {
  scheme: string;
  language?: string;
  pattern?: string;
}

/**
 * The documents synchronised with the server: plans and any markdown (plans can be configured under other
 * names), route and service code, migrations and the project config. Diagnostics are pulled for these.
 */
export function documentSelector(): DocumentFilter[] {
  const languages = [
    'markdown',
    'typescript',
    'typescriptreact',
    'javascript',
    'javascriptreact',
    'astro',
    'python',
    'sql',
  ];
  return [
    ...languages.map((language) => ({ scheme: 'file', language })),
    { scheme: 'file', pattern: '**/stage-lsp.toml' },
    { scheme: 'file', pattern: '**/pyproject.toml' },
  ];
}
