import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { COMMANDS } from '../src/controller';
import { CLIENT_ID } from '../src/settings';

const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, any>;

describe('package.json (the extension manifest)', () => {
  it('has the marketplace metadata vsce needs', () => {
    assert.equal(pkg.engines.vscode, '^1.91.0');
    assert.equal(pkg.license, 'MIT');
    assert.equal(pkg.repository.url, 'https://github.com/stage-lsp/stage-lsp');
    assert.ok(existsSync(join(root, pkg.icon)), pkg.icon);
    assert.ok(existsSync(join(root, 'README.md')));
    assert.ok(existsSync(join(root, 'CHANGELOG.md')));
    assert.match(readFileSync(join(root, 'LICENSE'), 'utf8'), /^MIT License/);
    assert.equal(pkg.main, './dist/extension.js');
  });

  it('runs where the workspace is (it starts processes and reads the project from disk)', () => {
    assert.deepEqual(pkg.extensionKind, ['workspace']);
  });

  it('depends on no other extension (an offline install cannot fetch one)', () => {
    assert.equal(pkg.extensionDependencies, undefined);
    assert.equal(pkg.extensionPack, undefined);
  });

  it('pins vscode-languageclient 11 and the Node-20 toolchain', () => {
    assert.equal(pkg.dependencies['vscode-languageclient'], '11.0.0');
    assert.equal(pkg.devDependencies['@types/vscode'], '1.91.0');
    assert.match(pkg.devDependencies['@vscode/vsce'], /^3\.9\./);
  });

  it('contributes every command the extension registers, under the stage-lsp category', () => {
    const contributed = (pkg.contributes.commands as Array<{ command: string; category: string }>).map((c) => c.command).sort();
    assert.deepEqual(contributed, Object.values(COMMANDS).sort());
    assert.ok((pkg.contributes.commands as Array<{ category: string }>).every((c) => c.category === 'stage-lsp'));
  });

  it('declares every setting the extension reads, with the trace setting vscode-languageclient uses', () => {
    const props = Object.keys(pkg.contributes.configuration.properties).sort();
    assert.deepEqual(props, [
      'stageLsp.debounceMs',
      'stageLsp.ignore',
      'stageLsp.interpreter',
      'stageLsp.path',
      'stageLsp.select',
      'stageLsp.severity',
      `${CLIENT_ID}.trace.server`,
      'stageLsp.usePythonExtension',
    ].sort());
  });

  it('keeps the server command out of untrusted workspaces settings', () => {
    assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, ['stageLsp.path', 'stageLsp.interpreter']);
  });

  it('ships only the bundle, icon and docs in the .vsix', () => {
    const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n').filter((l) => l.trim() !== '');
    assert.equal(ignore[0], '**');
    assert.ok(ignore.includes('!dist/extension.js'));
    assert.ok(ignore.includes('!images/icon.png'));
  });
});
