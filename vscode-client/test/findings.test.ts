import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { findingLine, parseCheckJson, summarise } from '../src/findings';
import { utf16Column } from '../src/position';

const DOC = JSON.stringify({
  version: 1,
  root: '/abs/path',
  future_key: true,
  diagnostics: [
    { code: 'SL101', name: 'planned-endpoint-missing', severity: 'warning', message: 'Planned endpoint `GET /x` has no route in the code', file: '.ai/api-plan.md', line: 164, column: 6, end_line: 164, end_column: 32, related: [], fix: null, fingerprint: '1:0c' },
    { code: 'SL102', severity: 'error', message: 'Route `GET /y` is not in the API plan', file: 'src/pages/api/y.ts', line: 6, column: 14 },
    { code: 'SL102', file: 'src/pages/api/z.ts', line: 0 },
    { message: 'no code' },
  ],
  summary: { files: 14, diagnostics: 3 },
});

describe('check JSON', () => {
  it('reads findings, ignoring unknown keys and entries it cannot place', () => {
    const r = parseCheckJson(DOC);
    assert.ok(r);
    assert.equal(r.root, '/abs/path');
    assert.equal(r.filesChecked, 14);
    assert.equal(r.findings.length, 3);
    assert.equal(findingLine(r.findings[0]!), '.ai/api-plan.md:164:6: SL101 Planned endpoint `GET /x` has no route in the code');
    assert.deepEqual(r.findings[2], { code: 'SL102', severity: 'warning', message: '', file: 'src/pages/api/z.ts', line: 1, column: 1 });
    assert.equal(summarise(r.findings), '3 findings in 3 files');
    assert.equal(summarise([]), 'no findings');
  });

  it('rejects output that is not a check document', () => {
    assert.equal(parseCheckJson('Found 2 diagnostics'), undefined);
    assert.equal(parseCheckJson('{"version": 1}'), undefined);
  });
});

describe('columns', () => {
  it('converts 1-based code-point columns to 0-based UTF-16 columns', () => {
    assert.equal(utf16Column('abc', 1), 0);
    assert.equal(utf16Column('abc', 3), 2);
    assert.equal(utf16Column('😀x', 2), 2);
    assert.equal(utf16Column('źdź', 3), 2);
    assert.equal(utf16Column('ab', 10), 2);
  });
});
