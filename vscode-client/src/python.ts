/**
 * The Python extension's interpreter, when that extension is installed (it is never required: there is no
 * extensionDependencies, so an offline install works without it). Both its current API
 * (`environments.getActiveEnvironmentPath`) and the older `settings.getExecutionDetails` are read.
 */

import * as vscode from 'vscode';

export const PYTHON_EXTENSION_ID = 'ms-python.python';

interface PythonApi {
  environments?: {
    getActiveEnvironmentPath?(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment?(env: { path: string } | string): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
  settings?: {
    getExecutionDetails?(resource?: vscode.Uri): { execCommand?: string[] } | undefined;
  };
}

function withTimeout<T>(promise: Thenable<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}

/** The interpreter command for a scope, or undefined when the extension is absent or has none. */
export async function pythonInterpreter(scopeUri: string | undefined, log: (line: string) => void): Promise<string[] | undefined> {
  const extension = vscode.extensions.getExtension<PythonApi>(PYTHON_EXTENSION_ID);
  if (extension === undefined) return undefined;
  try {
    const api = extension.isActive ? extension.exports : await withTimeout(extension.activate(), 15_000);
    if (api === undefined) return undefined;
    const resource = scopeUri === undefined ? undefined : vscode.Uri.parse(scopeUri);
    const envs = api.environments;
    if (envs?.getActiveEnvironmentPath !== undefined && envs.resolveEnvironment !== undefined) {
      const active = envs.getActiveEnvironmentPath(resource);
      const env = active === undefined ? undefined : await withTimeout(envs.resolveEnvironment(active), 15_000);
      const exe = env?.executable?.uri?.fsPath;
      if (exe !== undefined && exe !== '') return [exe];
    }
    const command = api.settings?.getExecutionDetails?.(resource)?.execCommand;
    if (command !== undefined && command.length > 0) return command;
  } catch (err) {
    log(`Python extension: could not read its interpreter: ${err instanceof Error ? err.message : String(err)}`);
  }
  return undefined;
}
