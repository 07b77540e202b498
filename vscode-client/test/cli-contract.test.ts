/**
 * The extension against the real stage-lsp command line of this repository (its .venv, made by `make test`):
 * the version probe, `check --output-format json` on examples/flashcards, and `report` (present or not).
 * Skipped with a reason when the .venv is absent (running `npm test` alone on a fresh clone).
 */

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { parseCoverage } from '../src/drift';
import { parseCheckJson } from '../src/findings';
import type { Launcher } from '../src/launcher';
import { runStageLsp, versionProbe } from '../src/process';
import { isUnsupported, forWebview } from '../src/report';

const repo = join(__dirname, '..', '..');
const exe = process.env.STAGE_LSP_EXE ?? join(repo, '.venv', 'bin', 'stage-lsp');
const python = join(repo, '.venv', 'bin', 'python');
const example = join(repo, 'examples', 'flashcards');
const skip = existsSync(exe) ? false : `no ${exe}: run \`make venv\` in the repository first`;

/** `CODE file:line` of the "Reported" rows of examples/flashcards/EXPECTED.md for the given codes. */
function expectedRows(codes: string[]): string[] {
  const doc = readFileSync(join(example, 'EXPECTED.md'), 'utf8');
  const reported = doc.split('## Reported')[1]?.split('\n## ')[0] ?? '';
  const rows: string[] = [];
  for (const line of reported.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length > 3 && codes.includes(cells[1] ?? '')) rows.push(`${cells[1]} ${cells[2]}`);
  }
  return rows;
}

const viaPath: Launcher = { source: 'stageLsp.path', command: exe, args: [] };
const viaInterpreter: Launcher = { source: 'stageLsp.interpreter', command: python, args: ['-m', 'stage_lsp'] };

describe('the real stage-lsp command line', { skip }, () => {
  it('passes the version probe as an executable and as `python -m stage_lsp`', async () => {
    const probe = versionProbe();
    const a = await probe(viaPath);
    const b = await probe(viaInterpreter);
    assert.deepEqual(b, a);
    if (a.ok) return;
    // A stage-lsp built before the language server landed: recognised as such, not as "not installed".
    assert.match(a.reason, /^stage-lsp \d+\.\d+\S* has no `server` command$/, a.reason);
    assert.ok(a.outdated);
  });

  it('gives check JSON the Check Workspace command reads: the SL101 and SL102 rows of EXPECTED.md', async () => {
    const r = await runStageLsp(viaPath, ['check', example, '--output-format', 'json', '--exit-zero'], { cwd: example });
    assert.equal(r.code, 0, r.stderr);
    const parsed = parseCheckJson(r.stdout);
    assert.ok(parsed);
    const lines = parsed.findings.map((f) => `${f.code} ${f.file}:${f.line}`);
    const expected = expectedRows(['SL101', 'SL102']);
    assert.equal(expected.length >= 2, true, 'EXPECTED.md lists SL101 and SL102');
    for (const row of expected) assert.ok(lines.includes(row), `${row} not in:\n${lines.join('\n')}`);
  });

  it('either has `report --output-format html` or is recognised as lacking it', async () => {
    const r = await runStageLsp(viaPath, ['report', example, '--output-format', 'html'], { cwd: example });
    if (isUnsupported(r)) return;
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    assert.match(r.stdout, /<html/i);
    assert.match(forWebview(r.stdout), /<head[^>]*><meta http-equiv="Content-Security-Policy"/i);
  });

  it('gives report JSON the status bar reads: the current stage of examples/flashcards', async () => {
    const r = await runStageLsp(viaPath, ['report', example, '--output-format', 'json'], { cwd: example });
    if (isUnsupported(r)) return;
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    const doc = JSON.parse(r.stdout) as { current_stage: number };
    const coverage = parseCoverage(doc);
    assert.ok(coverage, r.stdout.slice(0, 500));
    assert.equal(coverage.stage, doc.current_stage);
    assert.ok(coverage.planned >= coverage.implemented);
  });
});
