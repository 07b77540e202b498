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

describe('coverage from the report JSON', () => {
  it('reads the current stage entry with its own counts', () => {
    const c = parseCoverage({ current_stage: 2, stages: [{ number: 1, planned: 4, implemented: 4 }, { number: 2, planned: 5, implemented: 3 }] });
    assert.deepEqual(c, { stage: '2', done: 3, planned: 5 });
    assert.equal(percent(c!), 60);
  });

  it('sums per-area counts when a stage has no totals', () => {
    const c = parseCoverage({
      currentStage: 2,
      stages: [{ id: 2, areas: { endpoints: { planned: 4, implemented: 1 }, tables: { planned: 2, done: 2 } } }],
    });
    assert.deepEqual(c, { stage: '2', done: 3, planned: 6 });
  });

  it('reads a current stage given as an object', () => {
    assert.deepEqual(parseCoverage({ current_stage: { number: 3, planned: 2, implemented: 0 } }), { stage: '3', done: 0, planned: 2 });
  });

  it('says nothing rather than guess', () => {
    assert.equal(parseCoverage({ stages: [{ number: 1, planned: 1, implemented: 1 }] }), undefined);
    assert.equal(parseCoverage({ current_stage: 9, stages: [{ number: 1, planned: 1, implemented: 1 }] }), undefined);
    assert.equal(parseCoverage({ current_stage: 1, stages: [{ number: 1, title: 'x' }] }), undefined);
    assert.equal(parseCoverage([1, 2]), undefined);
    assert.equal(parseCoverage(null), undefined);
    assert.equal(percent({ stage: '1', done: 0, planned: 0 }), 100);
  });
});

describe('status bar', () => {
  const drift = countDrift([['file:///ws/app/a.md', [{ source: 'stage-lsp', code: 'SL101', severity: 1 }, { source: 'stage-lsp', code: 'SL102', severity: 1 }]]], [A]);

  it('shows the drift count and the current stage coverage', () => {
    const v = statusView({ kind: 'running', drift, coverage: { stage: '2', done: 3, planned: 5 } });
    assert.equal(v.text, '$(warning) 2 drift · stage 2 60%');
    assert.match(v.tooltip, /2 findings in 1 file \(0 error, 2 warning\)/);
    assert.match(v.tooltip, /Stage 2: 3 of 5 planned items done \(60%\)/);
    assert.match(v.tooltip, /Click to open the stage report/);
  });

  it('shows a clean state and the failure states', () => {
    assert.equal(statusView({ kind: 'running', drift: countDrift([], [A]) }).text, '$(pass) 0 drift');
    assert.equal(statusView({ kind: 'failed', message: 'm' }).background, 'error');
    assert.equal(statusView({ kind: 'failed', message: 'why' }).tooltip, 'why');
    assert.match(statusView({ kind: 'starting' }).text, /sync~spin/);
  });
});
