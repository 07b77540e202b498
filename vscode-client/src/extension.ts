/**
 * Entry point: wires VS Code events and commands to the Controller.
 */

import * as vscode from 'vscode';

import { COMMANDS, Controller } from './controller';
import { runStageLsp, versionProbe } from './process';
import { SECTION } from './settings';
import { VsCodeHost } from './vscodeHost';

let controller: Controller | undefined;

function debounce(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('stage-lsp', { log: true });
  const status = vscode.window.createStatusBarItem('stageLsp.status', vscode.StatusBarAlignment.Left, 50);
  status.name = 'stage-lsp';
  context.subscriptions.push(output, status);

  const host = new VsCodeHost(output, status);
  const ctl = new Controller(host, versionProbe(), (launcher, args, options) => runStageLsp(launcher, args, options));
  controller = ctl;

  const updateDrift = debounce(() => ctl.updateDrift(), 250);
  const refreshCoverage = debounce(() => void ctl.refreshCoverage(), 2_000);
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.restart, () => ctl.restart()),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => host.showOutput()),
    vscode.commands.registerCommand(COMMANDS.showReport, () => ctl.showReport()),
    vscode.commands.registerCommand(COMMANDS.checkWorkspace, () => ctl.checkWorkspace()),
    vscode.languages.onDidChangeDiagnostics(updateDrift),
    vscode.workspace.onDidSaveTextDocument(refreshCoverage),
    vscode.window.onDidChangeActiveTextEditor(refreshCoverage),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) void ctl.configurationChanged((key) => e.affectsConfiguration(`${SECTION}.${key}`));
    }),
  );
  output.info(`stage-lsp extension ${String(context.extension.packageJSON.version)} activated`);
  await ctl.start();
}

export async function deactivate(): Promise<void> {
  await controller?.stop();
  controller = undefined;
}
