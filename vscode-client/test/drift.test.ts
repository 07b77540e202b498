import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { countDrift, folderOf, isStageLspDiagnostic, parseCoverage, percent, statusView } from '../src/drift';

const A = { name: 'app', uri: 'file:///ws/app' };
const B = { name: 'api', uri: 'file:///ws/app/packages/api' };

describe('drift count', () => {
  it('counts only stage-lsp diagnostics, by source or by SL code when sourceless', () => {
    assert.equal(isStageLspDiagnostic({ source: 'stage-lsp', code: 'SL101', severity: 1 }), true);
    assert.equal(isStageLspDiagnostic({ source: 'ts', code: 'SL101', severity: 1 }), false);
    assert.equal(isStageLspDiagnostic({ code: { value: 'SL102' }, severity: 1 }), true);
    assert.equal(isStageLspDiagnostic({ code: 2304, severity: 0 }), false);
  });

  it('counts per file, severity and innermost folder (multi-root, nested folders)', () => {
    const c = countDrift(
      [
        ['file:///ws/app/.ai/api-plan.md', [{ source: 'stage-lsp', code: 'SL101', severity: 1 }, { source: 'markdownlint', code: 'MD013', severity: 1 }]],
        ['file:///ws/app/packages/api/src/x.ts', [{ source: 'stage-lsp', code: 'SL102', severity: 0 }, { source: 'stage-lsp', code: 'SL201', severity: 2 }]],
        ['file:///ws/app/README.md', [{ source: 'cSpell', severity: 2 }]],
        ['file:///elsewhere/y.sql', [{ source: 'stage-lsp', code: 'SL401', severity: 1 }]],
      ],
      [A, B],
    );
    assert.equal(c.total, 4);
    assert.equal(c.files, 3);
    assert.equal(c.errors, 1);
    assert.equal(c.warnings, 2);
    assert.deepEqual([...c.byFolder].sort(), [['', 1], ['api', 2], ['app', 1]]);
  });

  it('does not take a folder whose name is a prefix of another', () => {
    assert.equal(folderOf('file:///ws/app2/x', [A]), '');
    assert.equal(folderOf('file:///ws/app/x', [A]), 'app');
  });
});

/** A report JSON as `stage-lsp report --output-format json` writes it (report.schema.json, version 1). */
function report(stages: Array<Record<string, unknown>>, current = 2): Record<string, unknown> {
  return { version: 1, root: '/p', current_stage: current, stages, next_items: [] };
}
const totals = (planned: number, implemented: number, drifted = 0, missing = 0) => ({ planned, implemented, drifted, missing, later: 0 });

describe('coverage from the report JSON', () => {
  it('reads the stage marked current: its coverage and totals', () => {
    const c = parseCoverage(
      report([
        { number: 1, title: 'Decks', current: false, coverage: 0.7391, totals: totals(23, 17, 5, 1) },
        { number: 2, title: 'AI generation', current: true, coverage: 0.4091, totals: totals(22, 9, 10, 3) },
        { number: 3, title: 'Stats', current: false, coverage: null, totals: totals(3, 0) },
      ]),
    );
    assert.deepEqual(c, { stage: 2, title: 'AI generation', coverage: 0.4091, planned: 22, implemented: 9, drifted: 10, missing: 3 });
    assert.equal(percent(c!), 41);
  });

  it('falls back to current_stage when no entry is marked, and keeps a null coverage', () => {
    const c = parseCoverage(report([{ number: 3, title: '', coverage: null, totals: totals(3, 0) }], 3));
    assert.equal(c?.stage, 3);
    assert.equal(c?.coverage, null);
    assert.equal(percent(c!), undefined);
  });

  it('says nothing rather than guess', () => {
    assert.equal(parseCoverage({ ...report([{ number: 2, current: true, coverage: 0.5, totals: totals(2, 1) }]), version: 2 }), undefined);
    assert.equal(parseCoverage(report([{ number: 1, current: false, coverage: 1, totals: totals(1, 1) }])), undefined);
    assert.equal(parseCoverage(report([{ number: 2, current: true, coverage: 0.5 }])), undefined);
    assert.equal(parseCoverage(report([{ number: 2, current: true, coverage: 0.5, totals: { planned: -1, implemented: 0 } }])), undefined);
    assert.equal(parseCoverage([1, 2]), undefined);
    assert.equal(parseCoverage(null), undefined);
  });
});

describe('status bar', () => {
  const drift = countDrift([['file:///ws/app/a.md', [{ source: 'stage-lsp', code: 'SL101', severity: 1 }, { source: 'stage-lsp', code: 'SL102', severity: 1 }]]], [A]);

  it('shows the drift count and the current stage coverage', () => {
    const coverage = { stage: 2, title: 'AI generation', coverage: 0.6, planned: 5, implemented: 3, drifted: 1, missing: 1 };
    const v = statusView({ kind: 'running', drift, coverage });
    assert.equal(v.text, '$(warning) 2 drift · stage 2 60%');
    assert.match(v.tooltip, /2 findings in 1 file \(0 error, 2 warning\)/);
    assert.match(v.tooltip, /Current stage 2 \(AI generation\): 60% done; 3 implemented, 1 drifted, 1 missing of 5 planned/);
    const nothingDue = statusView({ kind: 'running', drift, coverage: { ...coverage, coverage: null } });
    assert.equal(nothingDue.text, '$(warning) 2 drift');
    assert.match(nothingDue.tooltip, /Current stage 2 \(AI generation\): nothing due yet/);
    assert.match(v.tooltip, /Click to open the stage report/);
  });

  it('shows a clean state and the failure states', () => {
    assert.equal(statusView({ kind: 'running', drift: countDrift([], [A]) }).text, '$(pass) 0 drift');
    assert.equal(statusView({ kind: 'failed', message: 'm' }).background, 'error');
    assert.equal(statusView({ kind: 'failed', message: 'why' }).tooltip, 'why');
    assert.match(statusView({ kind: 'starting' }).text, /sync~spin/);
  });
});
