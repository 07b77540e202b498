import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { expandPath, initializationOptions, readSettings } from '../src/settings';
import { CTX, reader } from './fakes';

const DEFAULTS = { path: '', interpreter: [], usePythonExtension: true, select: [], ignore: [], severity: {}, debounceMs: 150, 'trace.server': 'off' };

describe('settings -> server options', () => {
  it('sends nothing the user did not set, so stage-lsp.toml keeps its select and ignore', () => {
    const s = readSettings(reader({}, DEFAULTS), CTX);
    assert.deepEqual(s.server, {});
    assert.equal(s.path, undefined);
    assert.deepEqual(s.interpreter, []);
    assert.equal(s.trace, 'off');
    assert.deepEqual(s.problems, []);
  });

  it('maps set keys to the project config keys (debounceMs -> debounce-ms) and normalises codes', () => {
    const s = readSettings(
      reader({ select: ['sl1', ' SL2 '], ignore: ['SL102'], severity: { sl101: 'error' }, debounceMs: 0, 'trace.server': 'verbose' }, DEFAULTS),
      CTX,
    );
    assert.deepEqual(s.server, {
      select: ['SL1', 'SL2'],
      ignore: ['SL102'],
      severity: { SL101: 'error' },
      'debounce-ms': 0,
      trace: 'verbose',
    });
    assert.equal(s.trace, 'verbose');
  });

  it('sends an explicitly empty list (the user cleared select on purpose)', () => {
    assert.deepEqual(readSettings(reader({ ignore: [] }, DEFAULTS), CTX).server, { ignore: [] });
  });

  it('drops invalid values with a reason naming the setting, keeping the valid ones', () => {
    const s = readSettings(
      reader({ select: ['SL1', 'E501', 7], severity: { SL101: 'fatal', SL2: 'hint', foo: 'error' }, debounceMs: -5, ignore: 'SL1' }, DEFAULTS),
      CTX,
    );
    assert.deepEqual(s.server, { select: ['SL1'], severity: { SL2: 'hint' } });
    assert.equal(s.problems.length, 6);
    assert.match(s.problems.join('\n'), /stageLsp\.select: "E501"/);
    assert.match(s.problems.join('\n'), /stageLsp\.select: 7/);
    assert.match(s.problems.join('\n'), /stageLsp\.severity\.SL101: "fatal"/);
    assert.match(s.problems.join('\n'), /stageLsp\.severity: "foo"/);
    assert.match(s.problems.join('\n'), /stageLsp\.debounceMs/);
    assert.match(s.problems.join('\n'), /stageLsp\.ignore must be a list/);
  });

  it('expands ${workspaceFolder}, ${userHome}, ${env:X} and ~ in path and interpreter', () => {
    assert.equal(expandPath('${workspaceFolder}/.venv/bin/stage-lsp', CTX), '/ws/app/.venv/bin/stage-lsp');
    assert.equal(expandPath('~/bin/stage-lsp', CTX), '/home/u/bin/stage-lsp');
    assert.equal(expandPath('${userHome}/x', CTX), '/home/u/x');
    assert.equal(expandPath('${env:VENV}/bin/python', CTX), '/opt/venv/bin/python');
    assert.equal(expandPath('${env:MISSING}/python', CTX), '/python');
    assert.equal(expandPath('${workspaceFolder}/x', { home: '/h', env: {} }), '${workspaceFolder}/x');
    const s = readSettings(reader({ path: ' ${workspaceFolder}/bin/stage-lsp ', interpreter: '${env:VENV}/bin/python' }), CTX);
    assert.equal(s.path, '/ws/app/bin/stage-lsp');
    assert.deepEqual(s.interpreter, ['/opt/venv/bin/python']);
  });

  it('takes an interpreter as a list with leading arguments', () => {
    const s = readSettings(reader({ interpreter: ['conda', 'run', '-n', 'x', 'python'] }), CTX);
    assert.deepEqual(s.interpreter, ['conda', 'run', '-n', 'x', 'python']);
    const bad = readSettings(reader({ interpreter: [1] }), CTX);
    assert.deepEqual(bad.interpreter, []);
    assert.equal(bad.problems.length, 1);
  });

  it('reads usePythonExtension, defaulting to true', () => {
    assert.equal(readSettings(reader({}), CTX).usePythonExtension, true);
    assert.equal(readSettings(reader({ usePythonExtension: false }), CTX).usePythonExtension, false);
  });

  it('sends initializationOptions in the shape of a didChangeConfiguration payload', () => {
    assert.deepEqual(initializationOptions({ ignore: ['SL1'], 'debounce-ms': 0 }), { stageLsp: { ignore: ['SL1'], 'debounce-ms': 0 } });
  });
});
