import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { activationEvents, documentSelector, isMarkerFile, markerFileNames, PLAN_FILE_NAMES } from '../src/activation';

const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { activationEvents: string[] };

/** The file names of the "Plan discovery" table in docs/configuration.md, per kind. */
function discoveryTable(): Map<string, string[]> {
  const doc = readFileSync(join(root, '..', 'docs', 'configuration.md'), 'utf8');
  const section = doc.split('## Plan discovery')[1] ?? '';
  const rows = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || cells[1] === 'kind' || /^-+$/.test(cells[1] ?? '')) continue;
    const names = [...(cells[2] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
    if (names.length > 0) rows.set(cells[1] ?? '', names);
  }
  return rows;
}

describe('activation', () => {
  it('declares exactly the workspaceContains events derived from the plan names and the config file', () => {
    assert.deepEqual(pkg.activationEvents, activationEvents());
    assert.ok(pkg.activationEvents.includes('workspaceContains:**/api-plan.md'));
    assert.ok(pkg.activationEvents.includes('workspaceContains:**/plan-db.md'));
    assert.ok(pkg.activationEvents.includes('workspaceContains:**/stage-lsp.toml'));
  });

  it('knows every plan name of the discovery table in docs/configuration.md, and no other', () => {
    const table = discoveryTable();
    assert.deepEqual([...table.keys()], ['API', 'DB', 'stages', 'PRD']);
    const documented = [...table.values()].flat().sort();
    const ours = Object.values(PLAN_FILE_NAMES).flat().sort();
    assert.deepEqual(ours, documented);
  });

  it('recognises marker files by base name, case-insensitively, with either separator', () => {
    assert.equal(isMarkerFile('/p/.ai/api-plan.md'), true);
    assert.equal(isMarkerFile('C:\\p\\docs\\DB_PLAN.md'), true);
    assert.equal(isMarkerFile('/p/stage-lsp.toml'), true);
    assert.equal(isMarkerFile('/p/api-plan.md.bak'), false);
    assert.equal(isMarkerFile('/p/README.md'), false);
    assert.equal(markerFileNames().length, new Set(markerFileNames()).size);
  });

  it('synchronises plans, code, migrations and the config with the server, on disk only', () => {
    const selector = documentSelector();
    for (const language of ['markdown', 'typescript', 'typescriptreact', 'sql']) {
      assert.ok(selector.some((f) => f.language === language), language);
    }
    assert.ok(selector.some((f) => f.pattern === '**/stage-lsp.toml'));
    assert.ok(selector.every((f) => f.scheme === 'file'));
  });
});
