/**
 * Everything the extension needs from VS Code and vscode-languageclient, as one small interface.
 *
 * controller.ts talks only to `Host`; vscodeHost.ts implements it with the real `vscode` API and tests
 * implement it with a fake. Types only: importing this module loads nothing.
 */

import type { DiagnosticLike, StatusView } from './drift';
import type { Finding } from './findings';
import type { ConfigReader, InitializationOptions, PathContext, ServerSettings } from './settings';

export interface Folder {
  name: string;
  /** The folder's URI as a string (file:///...). */
  uri: string;
  /** The folder's path on disk. */
  fsPath: string;
}

/** How to start the language client. */
export interface ClientSpec {
  command: string;
  args: string[];
  cwd: string | undefined;
  initializationOptions: InitializationOptions;
  /** Answers the server's `workspace/configuration` requests for section `stageLsp`. */
  settingsFor(scopeUri: string | undefined): ServerSettings;
}

/** A started language client. */
export interface ClientHandle {
  stop(): Promise<void>;
  /** Commands the server offers (`executeCommandProvider.commands`). */
  serverCommands(): string[];
  executeCommand(command: string, args: unknown[]): Promise<unknown>;
  /** Asks the client to pull diagnostics again (no-op in push mode). */
  refreshDiagnostics(): void;
}

export type Level = 'error' | 'warning' | 'info';

export interface FolderFinding {
  folder: Folder;
  finding: Finding;
}

export interface Host {
  folders(): Folder[];
  /** The folder of the active editor's document, if any. */
  activeFolder(): Folder | undefined;
  /** `stageLsp.*` for one scope (a folder URI) or the window (undefined). */
  config(scopeUri: string | undefined): ConfigReader;
  pathContext(folder: Folder | undefined): PathContext;
  /** The Python extension's interpreter command for a scope, when that extension is installed. */
  pythonInterpreter(scopeUri: string | undefined): Promise<string[] | undefined>;
  log(line: string): void;
  showOutput(): void;
  notify(level: Level, message: string, ...actions: string[]): Promise<string | undefined>;
  openSettings(query: string): void;
  copyToClipboard(text: string): Promise<void>;
  setStatus(view: StatusView, command: string): void;
  startClient(spec: ClientSpec): Promise<ClientHandle>;
  showReport(title: string, html: string): void;
  pickFolder(folders: Folder[], placeHolder: string): Promise<Folder | undefined>;
  showFindings(items: FolderFinding[]): Promise<void>;
  /** `vscode.languages.getDiagnostics()` with URIs as strings. */
  diagnostics(): Array<[string, DiagnosticLike[]]>;
}
