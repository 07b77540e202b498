/** Test doubles: a Host that records what the Controller asked of VS Code, and a settings reader. */

import type { DiagnosticLike, StatusView } from '../src/drift';
import type { ClientHandle, ClientSpec, Folder, FolderFinding, Host, Level } from '../src/host';
import type { ConfigReader, PathContext } from '../src/settings';

/** A ConfigReader over a plain object; `defaults` are returned by get() but do not count as set. */
export function reader(values: Record<string, unknown>, defaults: Record<string, unknown> = {}): ConfigReader {
  return {
    get: (key) => (key in values ? values[key] : defaults[key]),
    isSet: (key) => key in values,
  };
}

export const CTX: PathContext = { workspaceFolder: '/ws/app', home: '/home/u', env: { VENV: '/opt/venv' } };

export function folder(name: string, fsPath = `/ws/${name}`): Folder {
  return { name, uri: `file://${fsPath}`, fsPath };
}

export class FakeClient implements ClientHandle {
  stopped = false;
  refreshed = 0;
  constructor(readonly spec: ClientSpec, private readonly commands: string[] = []) {}
  async stop(): Promise<void> {
    this.stopped = true;
  }
  serverCommands(): string[] {
    return this.commands;
  }
  async executeCommand(): Promise<unknown> {
    return undefined;
  }
  refreshDiagnostics(): void {
    this.refreshed += 1;
  }
}

export interface Notification {
  level: Level;
  message: string;
  actions: string[];
}

export class FakeHost implements Host {
  folderList: Folder[] = [folder('app')];
  active: Folder | undefined;
  /** Settings per scope URI; undefined scope = the window. */
  settings = new Map<string | undefined, Record<string, unknown>>();
  python: string[] | undefined;
  lines: string[] = [];
  notifications: Notification[] = [];
  /** The button the fake user clicks on the next notifications (in order). */
  answers: Array<string | undefined> = [];
  openedSettings: string[] = [];
  clipboard: string[] = [];
  statuses: Array<{ view: StatusView; command: string }> = [];
  clients: FakeClient[] = [];
  startError: Error | undefined;
  reports: Array<{ title: string; html: string }> = [];
  shownFindings: FolderFinding[][] = [];
  diagnosticList: Array<[string, DiagnosticLike[]]> = [];
  outputShown = 0;

  folders(): Folder[] {
    return this.folderList;
  }
  activeFolder(): Folder | undefined {
    return this.active;
  }
  config(scopeUri: string | undefined): ConfigReader {
    return reader({ ...(this.settings.get(undefined) ?? {}), ...(scopeUri === undefined ? {} : (this.settings.get(scopeUri) ?? {})) });
  }
  pathContext(f: Folder | undefined): PathContext {
    return { workspaceFolder: f?.fsPath, home: '/home/u', env: {} };
  }
  async pythonInterpreter(): Promise<string[] | undefined> {
    return this.python;
  }
  log(line: string): void {
    this.lines.push(line);
  }
  showOutput(): void {
    this.outputShown += 1;
  }
  async notify(level: Level, message: string, ...actions: string[]): Promise<string | undefined> {
    this.notifications.push({ level, message, actions });
    return this.answers.shift();
  }
  openSettings(query: string): void {
    this.openedSettings.push(query);
  }
  async copyToClipboard(text: string): Promise<void> {
    this.clipboard.push(text);
  }
  setStatus(view: StatusView, command: string): void {
    this.statuses.push({ view, command });
  }
  async startClient(spec: ClientSpec): Promise<ClientHandle> {
    if (this.startError !== undefined) throw this.startError;
    const c = new FakeClient(spec);
    this.clients.push(c);
    return c;
  }
  showReport(title: string, html: string): void {
    this.reports.push({ title, html });
  }
  async pickFolder(folders: Folder[]): Promise<Folder | undefined> {
    return folders[folders.length - 1];
  }
  async showFindings(items: FolderFinding[]): Promise<void> {
    this.shownFindings.push(items);
  }
  diagnostics(): Array<[string, DiagnosticLike[]]> {
    return this.diagnosticList;
  }
  get lastStatus(): { view: StatusView; command: string } | undefined {
    return this.statuses[this.statuses.length - 1];
  }
}

/** Lets pending promise callbacks (notification button handlers) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
