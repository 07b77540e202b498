import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { lastLine, run, versionProbe } from '../src/process';

/** Writes an executable shell script standing in for a program on disk. */
function script(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'stage-lsp-vscode-'));
  const file = join(dir, 'prog');
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('running the command line', () => {
  it('accepts a program that prints `stage-lsp X.Y.Z` for --version and has `server`', async () => {
    const prog = script('[ "$1" = "--version" ] && echo "stage-lsp 0.4.2" && exit 0; [ "$1 $2" = "server --help" ] && exit 0; exit 3');
    assert.deepEqual(await versionProbe()({ source: 'stageLsp.path', command: prog, args: [] }), { ok: true, version: '0.4.2' });
  });

  it('passes the launcher arguments first (python -m stage_lsp --version, python -m stage_lsp server --help)', async () => {
    const prog = script(
      'case "$*" in "-m stage_lsp --version") echo "stage-lsp 0.1.0";; "-m stage_lsp server --help") echo usage;; *) echo "No module named stage_lsp" >&2; exit 1;; esac',
    );
    assert.equal((await versionProbe()({ source: 'stageLsp.interpreter', command: prog, args: ['-m', 'stage_lsp'] })).ok, true);
  });

  it('tells a stage-lsp without the language server apart (argparse rejects `server`)', async () => {
    const prog = script(
      '[ "$1" = "--version" ] && echo "stage-lsp 0.1.0" && exit 0; echo "usage: stage-lsp [-h] [--version] COMMAND ..." >&2; ' +
        'echo "stage-lsp: error: argument COMMAND: invalid choice: \'server\' (choose from \'check\', \'dump\', \'rule\')" >&2; exit 2',
    );
    assert.deepEqual(await versionProbe()({ source: 'PATH', command: prog, args: [] }), {
      ok: false,
      reason: 'stage-lsp 0.1.0 has no `server` command',
      outdated: '0.1.0',
    });
  });

  it('reports a `server --help` that crashes', async () => {
    const prog = script('[ "$1" = "--version" ] && echo "stage-lsp 0.2.0" && exit 0; echo "ImportError: pygls" >&2; exit 1');
    assert.deepEqual(await versionProbe()({ source: 'PATH', command: prog, args: [] }), { ok: false, reason: '`server --help` failed: ImportError: pygls' });
  });

  it('rejects a python without stage_lsp with its error line', async () => {
    const prog = script('echo "Traceback (most recent call last):" >&2; echo "/usr/bin/python3: No module named stage_lsp" >&2; exit 1');
    assert.deepEqual(await versionProbe()({ source: 'Python extension', command: prog, args: ['-m', 'stage_lsp'] }), {
      ok: false,
      reason: '/usr/bin/python3: No module named stage_lsp',
    });
  });

  it('rejects a program that is something else', async () => {
    const prog = script('echo "ruff 0.9.0"');
    assert.deepEqual(await versionProbe()({ source: 'PATH', command: prog, args: [] }), { ok: false, reason: 'ruff 0.9.0' });
  });

  it('reports a missing program instead of throwing', async () => {
    const r = await versionProbe()({ source: 'stageLsp.path', command: '/nonexistent/stage-lsp', args: [] });
    assert.deepEqual(r, { ok: false, reason: '/nonexistent/stage-lsp was not found' });
  });

  it('keeps the exit code, stdout and stderr of a failing run', async () => {
    const prog = script('echo out; echo err >&2; exit 2');
    assert.deepEqual(await run(prog, []), { code: 2, stdout: 'out\n', stderr: 'err\n' });
    assert.equal(lastLine('a\n\n  b  \n\n'), 'b');
  });
});
