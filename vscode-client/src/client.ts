/**
 * Starting vscode-languageclient for a resolved server command. The server gets its settings twice, as the
 * brief of the server asks: `initializationOptions` at start and `workspace/configuration` (section
 * stageLsp) afterwards, answered here from the validated settings rather than the raw VS Code values.
 */

import * as vscode from 'vscode';
import {
  CloseAction,
  DocumentDiagnosticRequest,
  ErrorAction,
  type ErrorHandler,
  DidChangeConfigurationNotification,
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

import { documentSelector } from './activation';
import type { ClientHandle, ClientSpec } from './host';
import { CLIENT_ID, SECTION } from './settings';

export const CLIENT_NAME = 'stage-lsp';

export async function startLanguageClient(spec: ClientSpec, output: vscode.LogOutputChannel): Promise<ClientHandle> {
  const serverOptions: ServerOptions = {
    command: spec.command,
    args: spec.args,
    transport: TransportKind.stdio,
    options: { cwd: spec.cwd, env: { ...process.env, PYTHONIOENCODING: 'utf-8' } },
  };
  // Until the server has started, a closed connection is a failed start (reported by the controller), not
  // a crash to restart from; afterwards vscode-languageclient's default handler restarts a crashed server.
  let running = false;
  let fallback: ErrorHandler | undefined;
  const errorHandler: ErrorHandler = {
    error: (error, message, count) => fallback?.error(error, message, count) ?? { action: ErrorAction.Shutdown, handled: true },
    closed: () => (running && fallback !== undefined ? fallback.closed() : { action: CloseAction.DoNotRestart, handled: true }),
  };
  const clientOptions: LanguageClientOptions = {
    errorHandler,
    documentSelector: documentSelector(),
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    initializationOptions: spec.initializationOptions,
    diagnosticPullOptions: { onChange: true, onSave: true },
    middleware: {
      workspace: {
        configuration: async (params, token, next) => {
          const values = await next(params, token);
          if (!Array.isArray(values)) return values;
          return params.items.map((item, i) => (item.section === SECTION ? spec.settingsFor(item.scopeUri) : values[i]));
        },
        // Sent when stageLsp.* changes (the server registers for it): the validated settings, not VS Code's
        // raw values with their defaults; a server that can ask re-reads workspace/configuration anyway.
        didChangeConfiguration: async (sections, next) => {
          if (sections === undefined || !sections.includes(SECTION)) return next(sections);
          await client.sendNotification(DidChangeConfigurationNotification.type, { settings: { [SECTION]: spec.settingsFor(undefined) } });
        },
      },
    },
  };
  const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  fallback = client.createDefaultErrorHandler(4);
  try {
    await client.start();
    running = true;
  } catch (err) {
    await client.dispose().catch(() => undefined);
    throw err;
  }
  return {
    stop: async () => {
      await client.stop(5_000);
      await client.dispose();
    },
    serverCommands: () => client.initializeResult?.capabilities.executeCommandProvider?.commands ?? [],
    executeCommand: (command, args) => client.sendRequest('workspace/executeCommand', { command, arguments: args }),
    refreshDiagnostics: () => client.getFeature(DocumentDiagnosticRequest.method)?.refresh(),
  };
}
