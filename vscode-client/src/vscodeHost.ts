/**
 * `Host` implemented with the real VS Code API: the only module besides client.ts, python.ts and
 * extension.ts that touches `vscode`, and the one unit tests replace with a fake.
 */

import * as os from 'node:os';
import * as path from 'node:path';

import * as vscode from 'vscode';

import { startLanguageClient } from './client';
import type { DiagnosticLike, StatusView } from './drift';
import type { ClientHandle, ClientSpec, Folder, FolderFinding, Host, Level } from './host';
import { utf16Column } from './position';
import { pythonInterpreter } from './python';
import { SECTION, type ConfigReader, type PathContext } from './settings';

function toFolder(f: vscode.WorkspaceFolder): Folder {
  return { name: f.name, uri: f.uri.toString(), fsPath: f.uri.fsPath };
}

export class VsCodeHost implements Host {
  private panel: vscode.WebviewPanel | undefined;

  constructor(
    private readonly output: vscode.LogOutputChannel,
    private readonly statusItem: vscode.StatusBarItem,
  ) {}

  folders(): Folder[] {
    return (vscode.workspace.workspaceFolders ?? []).map(toFolder);
  }

  activeFolder(): Folder | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const folder = uri === undefined ? undefined : vscode.workspace.getWorkspaceFolder(uri);
    return folder === undefined ? undefined : toFolder(folder);
  }

  config(scopeUri: string | undefined): ConfigReader {
    const scope = scopeUri === undefined ? undefined : vscode.Uri.parse(scopeUri);
    const config = vscode.workspace.getConfiguration(SECTION, scope);
    return {
      get: (key) => config.get(key),
      isSet: (key) => {
        const i = config.inspect(key);
        return i !== undefined && (i.globalValue !== undefined || i.workspaceValue !== undefined || i.workspaceFolderValue !== undefined);
      },
    };
  }

  pathContext(folder: Folder | undefined): PathContext {
    return { workspaceFolder: folder?.fsPath, home: os.homedir(), env: process.env };
  }

  pythonInterpreter(scopeUri: string | undefined): Promise<string[] | undefined> {
    return pythonInterpreter(scopeUri, (line) => this.log(line));
  }

  log(line: string): void {
    this.output.info(line);
  }

  showOutput(): void {
    this.output.show(true);
  }

  async notify(level: Level, message: string, ...actions: string[]): Promise<string | undefined> {
    const show =
      level === 'error' ? vscode.window.showErrorMessage : level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    return show(message, ...actions);
  }

  openSettings(query: string): void {
    void vscode.commands.executeCommand('workbench.action.openSettings', query);
  }

  async copyToClipboard(text: string): Promise<void> {
    await vscode.env.clipboard.writeText(text);
  }

  setStatus(view: StatusView, command: string): void {
    this.statusItem.text = view.text;
    this.statusItem.tooltip = view.tooltip;
    this.statusItem.command = command;
    this.statusItem.backgroundColor =
      view.background === undefined ? undefined : new vscode.ThemeColor(`statusBarItem.${view.background}Background`);
    this.statusItem.show();
  }

  startClient(spec: ClientSpec): Promise<ClientHandle> {
    return startLanguageClient(spec, this.output);
  }

  showReport(title: string, html: string): void {
    if (this.panel === undefined) {
      this.panel = vscode.window.createWebviewPanel('stageLsp.report', title, vscode.ViewColumn.Active, {
        enableScripts: false,
        enableFindWidget: true,
      });
      this.panel.onDidDispose(() => {
        this.panel = undefined;
      });
    }
    this.panel.title = title;
    this.panel.webview.html = html;
    this.panel.reveal();
  }

  async pickFolder(folders: Folder[], placeHolder: string): Promise<Folder | undefined> {
    const picked = await vscode.window.showQuickPick(
      folders.map((f) => ({ label: f.name, description: f.fsPath, folder: f })),
      { placeHolder },
    );
    return picked?.folder;
  }

  async showFindings(items: FolderFinding[]): Promise<void> {
    const multi = new Set(items.map((i) => i.folder.uri)).size > 1;
    const icon = (s: string): string => (s === 'error' ? '$(error)' : s === 'warning' ? '$(warning)' : '$(info)');
    const picked = await vscode.window.showQuickPick(
      items.map((item) => ({
        label: `${icon(item.finding.severity)} ${item.finding.code}`,
        description: `${multi ? item.folder.name + '/' : ''}${item.finding.file}:${item.finding.line}`,
        detail: item.finding.message,
        item,
      })),
      { placeHolder: 'stage-lsp findings: pick one to open it', matchOnDescription: true, matchOnDetail: true },
    );
    if (picked === undefined) return;
    const { folder, finding } = picked.item;
    const uri = vscode.Uri.file(path.join(folder.fsPath, ...finding.file.split('/')));
    const document = await vscode.workspace.openTextDocument(uri);
    const line = Math.min(finding.line - 1, document.lineCount - 1);
    const column = utf16Column(document.lineAt(line).text, finding.column);
    const position = new vscode.Position(line, column);
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position) });
  }

  diagnostics(): Array<[string, DiagnosticLike[]]> {
    return vscode.languages.getDiagnostics().map(([uri, diagnostics]) => [
      uri.toString(),
      diagnostics.map((d) => ({ source: d.source, code: d.code as DiagnosticLike['code'], severity: d.severity })),
    ]);
  }
}
