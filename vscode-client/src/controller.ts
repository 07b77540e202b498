/**
 * The extension's behaviour, independent of VS Code: find the server, start and restart the client, hand the
 * server its settings, keep the status bar current and tell the user, once and clearly, what went wrong.
 * Reached through `Host` (host.ts), so unit tests drive it with a fake.
 */

import { countDrift, type Coverage, type StatusState, statusView } from './drift';
import type { ClientHandle, Folder, Host } from './host';
import { describe, resolveLauncher, serverCommand, type Launcher, type Probe } from './launcher';
import type { RunOptions, RunResult } from './process';
import { checkWorkspace, loadCoverage, showStageReport, type CliRunner, type ReportSupport } from './report';
import { initializationOptions, readSettings, SECTION, type ExtensionSettings, type ServerSettings } from './settings';

export const COMMANDS = {
  restart: 'stageLsp.restartServer',
  showOutput: 'stageLsp.showOutput',
  showReport: 'stageLsp.showStageReport',
  checkWorkspace: 'stageLsp.checkWorkspace',
} as const;

export const OPEN_SETTINGS = 'Open Settings';
export const COPY_INSTALL = 'Copy Install Command';
export const SHOW_OUTPUT = 'Show Output';

/** Settings whose change needs a new server process (the others are sent to the running server). */
const RESTART_KEYS = ['path', 'interpreter', 'usePythonExtension'];

export class Controller {
  private client: ClientHandle | undefined;
  private launcher: Launcher | undefined;
  private state: StatusState = { kind: 'stopped' };
  private coverage: Coverage | undefined;
  private reportSupport: ReportSupport = 'unknown';
  private failureShown = false;
  private readonly reportedProblems = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  private coverageRun: Promise<void> | undefined;
  private coverageAgain = false;

  constructor(
    private readonly host: Host,
    private readonly probe: Probe,
    private readonly runCli: (launcher: Launcher, args: string[], options: RunOptions) => Promise<RunResult>,
  ) {}

  /** The running client, if any (for tests and commands). */
  get running(): ClientHandle | undefined {
    return this.client;
  }

  get currentLauncher(): Launcher | undefined {
    return this.launcher;
  }

  /** Starts the server; `userAsked` (the restart command) allows the failure notification again. */
  start(userAsked = false): Promise<void> {
    return this.serial(() => this.doStart(userAsked));
  }

  stop(): Promise<void> {
    return this.serial(async () => {
      await this.doStop();
      this.setState({ kind: 'stopped' });
    });
  }

  /** Stops and starts again; `userAsked` shows a failure notification even when one was shown before. */
  restart(userAsked = true): Promise<void> {
    return this.serial(async () => {
      await this.doStop();
      await this.doStart(userAsked);
    });
  }

  private serial(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(step, step);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private windowFolder(): Folder | undefined {
    return this.host.folders()[0];
  }

  /** The settings of a scope (a folder URI) or of the window. */
  settings(scopeUri: string | undefined): ExtensionSettings {
    const folder = this.host.folders().find((f) => f.uri === scopeUri) ?? (scopeUri === undefined ? this.windowFolder() : undefined);
    return readSettings(this.host.config(scopeUri), this.host.pathContext(folder));
  }

  /** What the server receives for a scope (`workspace/configuration`, section stageLsp). */
  serverSettings(scopeUri: string | undefined): ServerSettings {
    return this.settings(scopeUri).server;
  }

  /** Logs invalid settings of the window and every folder; warns once about those not reported before. */
  private reportSettingProblems(): void {
    const problems = new Set(this.settings(this.windowFolder()?.uri).problems);
    for (const f of this.host.folders()) for (const p of this.settings(f.uri).problems) problems.add(p);
    const fresh = [...problems].filter((p) => !this.reportedProblems.has(p));
    for (const p of fresh) {
      this.reportedProblems.add(p);
      this.host.log(`Setting ignored: ${p}`);
    }
    if (fresh.length === 0) return;
    const message = `stage-lsp ignored ${fresh.length} invalid setting${fresh.length === 1 ? '' : 's'}: ${fresh[0] ?? ''}`;
    void this.host.notify('warning', message, OPEN_SETTINGS).then((a) => {
      if (a === OPEN_SETTINGS) this.host.openSettings(SECTION);
    });
  }

  private async doStart(userAsked: boolean): Promise<void> {
    if (this.client !== undefined) return;
    this.setState({ kind: 'starting' });
    const window = this.windowFolder();
    const settings = this.settings(window?.uri);
    this.reportSettingProblems();

    const resolution = await resolveLauncher(
      settings,
      () => (settings.usePythonExtension ? this.host.pythonInterpreter(window?.uri) : Promise.resolve(undefined)),
      this.probe,
    );
    for (const a of resolution.attempts) {
      this.host.log(`Server candidate (${a.launcher.source}): ${describe(a.launcher)} -> ${a.result.ok ? `stage-lsp ${a.result.version}` : a.result.reason}`);
    }
    if (!resolution.ok) {
      this.launcher = undefined;
      this.host.log(resolution.message);
      this.setState({ kind: 'failed', message: resolution.message });
      if (!this.failureShown || userAsked) {
        this.failureShown = true;
        const install = resolution.installCommand;
        void this.host.notify('error', resolution.message, OPEN_SETTINGS, COPY_INSTALL).then(async (action) => {
          if (action === OPEN_SETTINGS) this.host.openSettings(SECTION);
          if (action === COPY_INSTALL) await this.host.copyToClipboard(install);
        });
      }
      return;
    }

    this.launcher = resolution.launcher;
    const [command, args] = serverCommand(resolution.launcher);
    this.host.log(`Starting ${[command, ...args].join(' ')} (stage-lsp ${resolution.version}, from ${resolution.launcher.source})`);
    try {
      this.client = await this.host.startClient({
        command,
        args,
        cwd: window?.fsPath,
        initializationOptions: initializationOptions(settings.server),
        settingsFor: (scopeUri) => this.serverSettings(scopeUri),
      });
    } catch (err) {
      const message = `stage-lsp: the language server did not start (${describe(resolution.launcher)} server): ${errorText(err)}`;
      // vscode-languageclient has already shown its own error (with "Go to output"): no second one.
      this.host.log(message);
      this.setState({ kind: 'failed', message });
      return;
    }
    this.reportSupport = 'unknown';
    this.setState({ kind: 'running', drift: countDrift([], []) });
    this.updateDrift();
    void this.refreshCoverage();
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) return;
    try {
      await client.stop();
    } catch (err) {
      this.host.log(`Stopping the server: ${errorText(err)}`);
    }
  }

  /** Reacts to a settings change: `affects(key)` says whether `stageLsp.<key>` changed. */
  async configurationChanged(affects: (key: string) => boolean): Promise<void> {
    if (RESTART_KEYS.some(affects)) {
      await this.restart(true);
      return;
    }
    // The running server hears of the change from vscode-languageclient (didChangeConfiguration, which
    // the server registers for) and asks for its settings again; see client.ts.
    if (this.client === undefined) await this.restart(false);
    else this.reportSettingProblems();
  }

  /** Recounts the drift after VS Code's diagnostics changed. */
  updateDrift(): void {
    if (this.state.kind !== 'running') return;
    const folders = this.host.folders().map((f) => ({ name: f.name, uri: f.uri }));
    const drift = countDrift(this.host.diagnostics(), folders);
    this.setState({
      kind: 'running',
      drift,
      ...(this.coverage ? { coverage: this.coverage } : {}),
      ...(this.reportSupport === 'unsupported' ? { reportAvailable: false } : {}),
    });
  }

  /** Re-reads the current stage's coverage from the stage report (when this stage-lsp has one). */
  refreshCoverage(): Promise<void> {
    if (this.coverageRun !== undefined) {
      this.coverageAgain = true;
      return this.coverageRun;
    }
    this.coverageRun = this.loadCoverageNow().finally(() => {
      this.coverageRun = undefined;
      if (this.coverageAgain) {
        this.coverageAgain = false;
        void this.refreshCoverage();
      }
    });
    return this.coverageRun;
  }

  private async loadCoverageNow(): Promise<void> {
    const folder = this.host.activeFolder() ?? this.windowFolder();
    if (this.launcher === undefined || folder === undefined || this.reportSupport === 'unsupported') return;
    const { coverage, support } = await loadCoverage(this.cli(), folder);
    this.reportSupport = support;
    this.coverage = coverage;
    this.updateDrift();
  }

  private setState(state: StatusState): void {
    this.state = state;
    const command = state.kind === 'failed' ? COMMANDS.showOutput : state.kind === 'stopped' ? COMMANDS.restart : COMMANDS.showReport;
    this.host.setStatus(statusView(state), command);
  }

  get status(): StatusState {
    return this.state;
  }

  private cli(): CliRunner {
    const launcher = this.launcher;
    return (args, options) =>
      launcher === undefined
        ? Promise.resolve({ code: null, stdout: '', stderr: '', error: 'stage-lsp is not running' })
        : this.runCli(launcher, args, options);
  }

  private async choose(placeHolder: string): Promise<Folder | undefined> {
    const folders = this.host.folders();
    if (folders.length <= 1) return folders[0];
    return this.host.activeFolder() ?? (await this.host.pickFolder(folders, placeHolder));
  }

  /** The "Show Stage Report" command. */
  async showReport(): Promise<void> {
    if (!(await this.ensureLauncher())) return;
    const folder = await this.choose('Stage report of which folder?');
    if (folder === undefined) return;
    this.reportSupport = await showStageReport(this.host, this.cli(), folder, this.reportSupport);
    this.updateDrift();
  }

  /** The "Check Workspace" command. */
  async checkWorkspace(): Promise<void> {
    if (!(await this.ensureLauncher())) return;
    this.client?.refreshDiagnostics();
    await checkWorkspace(this.host, this.cli(), this.host.folders());
  }

  private async ensureLauncher(): Promise<boolean> {
    if (this.launcher === undefined) await this.start(true);
    return this.launcher !== undefined;
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
