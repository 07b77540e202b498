import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { candidates, installCommand, parseVersion, resolveLauncher, serverCommand, type Launcher, type ProbeResult } from '../src/launcher';
import { readSettings } from '../src/settings';
import { CTX, reader } from './fakes';

const settingsOf = (values: Record<string, unknown>) => readSettings(reader(values), CTX);

/** A probe that accepts exactly the listed commands, and records what it was asked. */
function probe(working: string[]) {
  const asked: string[] = [];
  const fn = async (l: Launcher): Promise<ProbeResult> => {
    const line = [l.command, ...l.args].join(' ');
    asked.push(line);
    return working.includes(line) ? { ok: true, version: '0.1.0' } : { ok: false, reason: `${l.command} was not found` };
  };
  return { fn, asked };
}

describe('finding the server', () => {
  it('runs stageLsp.path as `<path> server`', () => {
    const [launcher] = candidates(settingsOf({ path: '/venv/bin/stage-lsp' }), ['/usr/bin/python3']);
    assert.ok(launcher);
    assert.deepEqual(serverCommand(launcher), ['/venv/bin/stage-lsp', ['server']]);
  });

  it('runs stageLsp.interpreter as `python -m stage_lsp server`, keeping its leading arguments', () => {
    const [launcher] = candidates(settingsOf({ interpreter: ['conda', 'run', 'python'] }), undefined);
    assert.ok(launcher);
    assert.deepEqual(serverCommand(launcher), ['conda', ['run', 'python', '-m', 'stage_lsp', 'server']]);
  });

  it('orders path, interpreter, the Python extension, PATH; an explicit setting is the only candidate', () => {
    assert.deepEqual(
      candidates(settingsOf({ path: '/a/stage-lsp', interpreter: ['/b/python'] }), ['/c/python']).map((l) => l.source),
      ['stageLsp.path'],
    );
    assert.deepEqual(candidates(settingsOf({ interpreter: ['/b/python'] }), ['/c/python']).map((l) => l.source), ['stageLsp.interpreter']);
    assert.deepEqual(candidates(settingsOf({}), ['/c/python']).map((l) => l.source), ['Python extension', 'PATH']);
    assert.deepEqual(candidates(settingsOf({}), undefined).map((l) => l.source), ['PATH']);
  });

  it('takes the Python extension interpreter only when it has stage_lsp, else stage-lsp on PATH', async () => {
    const p = probe(['stage-lsp']);
    const r = await resolveLauncher(settingsOf({}), async () => ['/c/python'], p.fn);
    assert.equal(r.ok, true);
    assert.deepEqual(p.asked, ['/c/python -m stage_lsp', 'stage-lsp']);
    if (r.ok) assert.equal(r.launcher.source, 'PATH');
  });

  it('does not ask the Python extension when a setting names the server', async () => {
    let asked = false;
    const p = probe(['/a/stage-lsp']);
    const r = await resolveLauncher(settingsOf({ path: '/a/stage-lsp' }), async () => {
      asked = true;
      return ['/c/python'];
    }, p.fn);
    assert.equal(r.ok, true);
    assert.equal(asked, false);
  });

  it('explains a broken explicit setting by name, with the install command', async () => {
    const r = await resolveLauncher(settingsOf({ path: '/nope/stage-lsp' }), async () => undefined, probe([]).fn);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.match(r.message, /^stage-lsp: stageLsp\.path \(\/nope\/stage-lsp\) does not run stage-lsp: \/nope\/stage-lsp was not found/);
    assert.match(r.message, /`python3 -m pip install stage-lsp`/);
    assert.equal(r.installCommand, 'python3 -m pip install stage-lsp');
  });

  it('when nothing is found, gives the exact install command for the interpreter in use', async () => {
    const r = await resolveLauncher(settingsOf({}), async () => ['/home/u/my env/bin/python'], probe([]).fn);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.installCommand, '"/home/u/my env/bin/python" -m pip install stage-lsp');
    assert.match(r.message, /stage-lsp is not installed: no `stage-lsp` on PATH nor in the Python extension's interpreter/);
    assert.match(r.message, /python3 -m pip install git\+https:\/\/github\.com\/stage-lsp\/stage-lsp/);
    assert.match(r.message, /stageLsp\.path/);
    const viaInterpreter = await resolveLauncher(settingsOf({ interpreter: ['/v/bin/python'] }), async () => undefined, probe([]).fn);
    assert.equal(viaInterpreter.ok ? '' : viaInterpreter.installCommand, '/v/bin/python -m pip install stage-lsp');
  });

  it('asks to upgrade a stage-lsp that has no language server yet', async () => {
    const r = await resolveLauncher(settingsOf({ interpreter: ['/v/bin/python'] }), async () => undefined, async () => ({
      ok: false,
      reason: 'stage-lsp 0.1.0 has no `server` command',
      outdated: '0.1.0',
    }));
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.installCommand, '/v/bin/python -m pip install --upgrade stage-lsp');
    assert.equal(
      r.message,
      'stage-lsp 0.1.0 (stageLsp.interpreter: /v/bin/python -m stage_lsp) has no language server (`stage-lsp server`). ' +
        'Update it with `/v/bin/python -m pip install --upgrade stage-lsp`.',
    );
  });

  it('reads the version from `stage-lsp --version`', () => {
    assert.equal(parseVersion('stage-lsp 0.1.0\n'), '0.1.0');
    assert.equal(parseVersion('stage-lsp 1.2.3.dev4+g00'), '1.2.3.dev4+g00');
    assert.equal(parseVersion('Python 3.11.7'), undefined);
    assert.equal(installCommand(undefined), 'python3 -m pip install stage-lsp');
  });
});
