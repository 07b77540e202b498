import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { COMMANDS, COPY_INSTALL, Controller, OPEN_SETTINGS } from '../src/controller';
import type { Launcher, ProbeResult } from '../src/launcher';
import type { RunResult } from '../src/process';
import { REPORT_UNAVAILABLE } from '../src/report';
import { FakeHost, folder, settle } from './fakes';

const ARGPARSE_NO_REPORT: RunResult = {
  code: 2,
  stdout: '',
  stderr: "usage: stage-lsp [-h] [--version] COMMAND ...\nstage-lsp: error: argument COMMAND: invalid choice: 'report' (choose from 'check', 'dump', 'rule')\n",
};

function make(host: FakeHost, opts: { working?: string[]; cli?: (args: string[]) => RunResult } = {}) {
  const probed: string[] = [];
  const cliCalls: string[][] = [];
  const probe = async (l: Launcher): Promise<ProbeResult> => {
    const line = [l.command, ...l.args].join(' ');
    probed.push(line);
    return (opts.working ?? []).includes(line) ? { ok: true, version: '0.1.0' } : { ok: false, reason: `${l.command} was not found` };
  };
  const runCli = async (_l: Launcher, args: string[]): Promise<RunResult> => {
    cliCalls.push(args);
    return (opts.cli ?? (() => ARGPARSE_NO_REPORT))(args);
  };
  return { ctl: new Controller(host, probe, runCli), probed, cliCalls };
}

describe('controller: starting the server', () => {
  it('starts `<stageLsp.path> server` in the first folder with the settings as initializationOptions', async () => {
    const host = new FakeHost();
    const app = host.folderList[0]!;
    const lib = folder('lib');
    host.folderList.push(lib);
    host.settings.set(undefined, { path: '${workspaceFolder}/.venv/bin/stage-lsp', ignore: ['SL102'] });
    host.settings.set(lib.uri, { select: ['SL1'] });
    const { ctl } = make(host, { working: ['/ws/app/.venv/bin/stage-lsp'] });
    await ctl.start();
    const client = host.clients[0];
    assert.ok(client);
    assert.equal(client.spec.command, '/ws/app/.venv/bin/stage-lsp');
    assert.deepEqual(client.spec.args, ['server']);
    assert.equal(client.spec.cwd, '/ws/app');
    assert.deepEqual(client.spec.initializationOptions, { stageLsp: { ignore: ['SL102'] } });
    // workspace/configuration answers per folder
    assert.deepEqual(client.spec.settingsFor(app.uri), { ignore: ['SL102'] });
    assert.deepEqual(client.spec.settingsFor(lib.uri), { ignore: ['SL102'], select: ['SL1'] });
    assert.deepEqual(client.spec.settingsFor(undefined), { ignore: ['SL102'] });
    assert.equal(host.notifications.length, 0);
    assert.equal(host.lastStatus?.view.text, '$(pass) 0 drift');
    assert.equal(host.lastStatus?.command, COMMANDS.showReport);
  });

  it('shows ONE notification with the install command and a settings button when nothing works', async () => {
    const host = new FakeHost();
    host.python = ['/usr/bin/python3'];
    host.answers = [OPEN_SETTINGS];
    const { ctl, probed } = make(host);
    await ctl.start();
    await settle();
    assert.deepEqual(probed, ['/usr/bin/python3 -m stage_lsp', 'stage-lsp']);
    assert.equal(host.clients.length, 0);
    assert.equal(host.notifications.length, 1);
    const n = host.notifications[0]!;
    assert.equal(n.level, 'error');
    assert.match(n.message, /`\/usr\/bin\/python3 -m pip install stage-lsp`/);
    assert.deepEqual(n.actions, [OPEN_SETTINGS, COPY_INSTALL]);
    assert.deepEqual(host.openedSettings, ['stageLsp']);
    assert.equal(host.lastStatus?.view.background, 'error');
    assert.equal(host.lastStatus?.command, COMMANDS.showOutput);
    assert.ok(host.lines.some((l) => l.includes('stage-lsp was not found')));

    // a settings change that does not fix it retries silently; only the restart command asks again
    await ctl.configurationChanged((k) => k === 'debounceMs');
    assert.equal(host.notifications.length, 1);
    host.answers = [COPY_INSTALL];
    await ctl.restart();
    await settle();
    assert.equal(host.notifications.length, 2);
    assert.deepEqual(host.clipboard, ['/usr/bin/python3 -m pip install stage-lsp']);
  });

  it('names a broken stageLsp.interpreter instead of falling back to PATH', async () => {
    const host = new FakeHost();
    host.settings.set(undefined, { interpreter: ['/venv/bin/python'] });
    const { ctl, probed } = make(host, { working: ['stage-lsp'] });
    await ctl.start();
    assert.deepEqual(probed, ['/venv/bin/python -m stage_lsp']);
    assert.match(host.notifications[0]?.message ?? '', /stageLsp\.interpreter \(\/venv\/bin\/python -m stage_lsp\) does not run stage-lsp/);
  });

  it('skips the Python extension when usePythonExtension is false', async () => {
    const host = new FakeHost();
    host.python = ['/usr/bin/python3'];
    host.settings.set(undefined, { usePythonExtension: false });
    const { ctl, probed } = make(host, { working: ['stage-lsp'] });
    await ctl.start();
    assert.deepEqual(probed, ['stage-lsp']);
    assert.deepEqual(host.clients[0]?.spec.args, ['server']);
  });

  it('marks a client that fails to start as failed, without a second notification', async () => {
    const host = new FakeHost();
    host.startError = new Error('Server initialization failed');
    const { ctl } = make(host, { working: ['stage-lsp'] });
    await ctl.start();
    await settle();
    assert.equal(host.notifications.length, 0);
    assert.match(host.lastStatus?.view.tooltip ?? '', /did not start \(stage-lsp server\): Server initialization failed/);
    assert.equal(host.lastStatus?.command, COMMANDS.showOutput);
  });

  it('warns once about each invalid setting, at start and on a change, and still starts', async () => {
    const host = new FakeHost();
    host.settings.set(undefined, { select: ['E501'] });
    const { ctl } = make(host, { working: ['stage-lsp'] });
    await ctl.start();
    assert.equal(host.clients.length, 1);
    assert.equal(host.notifications.length, 1);
    assert.match(host.notifications[0]!.message, /stage-lsp ignored 1 invalid setting: stageLsp\.select: "E501"/);
    await ctl.restart();
    assert.equal(host.notifications.length, 1);
    host.settings.set(undefined, { select: ['E501'], debounceMs: 'soon' });
    await ctl.configurationChanged((k) => k === 'debounceMs');
    assert.equal(host.notifications.length, 2);
    assert.match(host.notifications[1]!.message, /stage-lsp ignored 1 invalid setting: stageLsp\.debounceMs must be/);
    assert.equal(host.clients.length, 2);
  });
});

describe('controller: settings changes', () => {
  it('restarts for a new server path; other changes go to the running server through its settings', async () => {
    const host = new FakeHost();
    const { ctl } = make(host, { working: ['stage-lsp', '/new/stage-lsp'] });
    await ctl.start();
    host.settings.set(undefined, { ignore: ['SL2'] });
    await ctl.configurationChanged((k) => k === 'ignore');
    assert.equal(host.clients.length, 1);
    assert.equal(host.clients[0]!.stopped, false);
    assert.deepEqual(host.clients[0]!.spec.settingsFor(undefined), { ignore: ['SL2'] });
    host.settings.set(undefined, { path: '/new/stage-lsp' });
    await ctl.configurationChanged((k) => k === 'path');
    assert.equal(host.clients[0]!.stopped, true);
    assert.equal(host.clients[1]?.spec.command, '/new/stage-lsp');
  });
});

describe('controller: status bar', () => {
  it('counts stage-lsp diagnostics after a change', async () => {
    const host = new FakeHost();
    const { ctl } = make(host, { working: ['stage-lsp'] });
    await ctl.start();
    host.diagnosticList = [['file:///ws/app/.ai/api-plan.md', [{ source: 'stage-lsp', code: { value: 'SL101' }, severity: 1 }, { source: 'ts', code: 1, severity: 0 }]]];
    ctl.updateDrift();
    assert.equal(host.lastStatus?.view.text, '$(warning) 1 drift');
  });

  it('adds the current stage coverage when the report offers it', async () => {
    const host = new FakeHost();
    const report = { version: 1, current_stage: 2, stages: [{ number: 2, title: 'AI', current: true, coverage: 0.25, totals: { planned: 4, implemented: 1, drifted: 2, missing: 1, later: 0 } }] };
    const { ctl, cliCalls } = make(host, { working: ['stage-lsp'], cli: () => ({ code: 0, stdout: JSON.stringify(report), stderr: '' }) });
    await ctl.start();
    await ctl.refreshCoverage();
    assert.deepEqual(cliCalls[0], ['report', '/ws/app', '--output-format', 'json']);
    assert.equal(host.lastStatus?.view.text, '$(pass) 0 drift · stage 2 25%');
  });

  it('stops asking for coverage once the report is known to be missing', async () => {
    const host = new FakeHost();
    const { ctl, cliCalls } = make(host, { working: ['stage-lsp'] });
    await ctl.start();
    await ctl.refreshCoverage();
    await ctl.refreshCoverage();
    assert.equal(cliCalls.length, 1);
    assert.equal(host.lastStatus?.view.text, '$(pass) 0 drift');
    assert.match(host.lastStatus?.view.tooltip ?? '', /The stage report needs a newer stage-lsp/);
    assert.equal(host.notifications.length, 0);
  });
});

describe('controller: commands', () => {
  it('shows the HTML stage report in a webview, with a strict CSP', async () => {
    const host = new FakeHost();
    const { ctl, cliCalls } = make(host, {
      working: ['stage-lsp'],
      cli: (args) => ({ code: 0, stdout: args.includes('html') ? '<html><head><title>r</title></head><body><svg></svg></body></html>' : '{}', stderr: '' }),
    });
    await ctl.start();
    await ctl.showReport();
    assert.deepEqual(cliCalls.at(-1), ['report', '/ws/app', '--output-format', 'html']);
    assert.equal(host.reports.length, 1);
    assert.equal(host.reports[0]!.title, 'Stage report: app');
    assert.match(host.reports[0]!.html, /^<html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none';[^"]*"><style>svg\.chart \{ max-width: 100%; height: auto; \}<\/style><title>/);
  });

  it('explains a missing `stage-lsp report` with a message, not an error', async () => {
    const host = new FakeHost();
    const { ctl } = make(host, { working: ['stage-lsp'] });
    await ctl.start();
    await ctl.showReport();
    assert.equal(host.reports.length, 0);
    assert.deepEqual(host.notifications, [{ level: 'info', message: REPORT_UNAVAILABLE, actions: [] }]);
  });

  it('asks which folder to report on in a multi-root workspace without an active editor', async () => {
    const host = new FakeHost();
    host.folderList.push(folder('lib'));
    const { ctl, cliCalls } = make(host, { working: ['stage-lsp'], cli: () => ({ code: 0, stdout: '<html></html>', stderr: '' }) });
    await ctl.start();
    await ctl.showReport();
    assert.deepEqual(cliCalls.at(-1), ['report', '/ws/lib', '--output-format', 'html']);
    host.active = host.folderList[0];
    await ctl.showReport();
    assert.deepEqual(cliCalls.at(-1), ['report', '/ws/app', '--output-format', 'html']);
  });

  it('checks every folder with the CLI, logs the findings and lists them', async () => {
    const host = new FakeHost();
    host.folderList.push(folder('lib'));
    host.answers = ['Show Findings'];
    const json = (file: string) =>
      JSON.stringify({ version: 1, root: '/x', diagnostics: [{ code: 'SL101', severity: 'warning', message: 'm', file, line: 3, column: 1 }], summary: { files: 2 } });
    const { ctl, cliCalls } = make(host, {
      working: ['stage-lsp'],
      cli: (args) => ({ code: 0, stdout: json(args[1] === '/ws/app' ? 'a.md' : 'b.md'), stderr: '' }),
    });
    await ctl.start();
    await ctl.checkWorkspace();
    const checks = cliCalls.filter((a) => a[0] === 'check');
    assert.deepEqual(checks, [
      ['check', '/ws/app', '--output-format', 'json', '--exit-zero'],
      ['check', '/ws/lib', '--output-format', 'json', '--exit-zero'],
    ]);
    assert.equal(host.clients[0]!.refreshed, 1);
    assert.equal(host.notifications.at(-1)?.message, 'stage-lsp: 2 findings in 2 files in 2 folders');
    assert.deepEqual(host.shownFindings[0]?.map((f) => `${f.folder.name}:${f.finding.file}`), ['app:a.md', 'lib:b.md']);
    assert.ok(host.lines.includes('  a.md:3:1: SL101 m'));
  });

  it('reports a failed check by folder', async () => {
    const host = new FakeHost();
    const { ctl } = make(host, { working: ['stage-lsp'], cli: () => ({ code: 2, stdout: '', stderr: 'stage-lsp: error: bad key `foo` in stage-lsp.toml\n' }) });
    await ctl.start();
    await ctl.checkWorkspace();
    assert.equal(host.notifications.at(-1)?.message, 'stage-lsp: the check failed for app: stage-lsp: error: bad key `foo` in stage-lsp.toml');
  });

  it('tries to start the server when a command runs without one', async () => {
    const host = new FakeHost();
    const { ctl } = make(host);
    await ctl.showReport();
    assert.equal(host.notifications.length, 1);
    assert.match(host.notifications[0]!.message, /stage-lsp is not installed/);
    assert.equal(host.reports.length, 0);
  });
});
