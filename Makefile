# stage-lsp developer commands. Everything runs in .venv, created on first use with the pinned
# versions of constraints.txt (regenerate it with `make lock` after changing dependencies).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export STAGE_LSP_CORPUS ?= $(abspath ../shared/corpus)

.PHONY: venv demo test lint typecheck rules goldens bench lock clean test-vscode e2e-vscode

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	$(BIN)/python -m stage_lsp.cli.precompile
	touch $(STAMP)

## demo: check the bundled example project (exit 0 when the check exits 0 or 1; fails on 2)
demo: venv
	@echo "== stage-lsp --check examples/flashcards"
	@$(BIN)/stage-lsp --check examples/flashcards --show-related; rc=$$?; \
	  if [ $$rc -ge 2 ]; then echo "stage-lsp failed (exit $$rc)"; exit $$rc; fi; \
	  echo "== exit code $$rc (1 = drift found, as intended in the example)"

lint: venv
	$(BIN)/ruff check server tests benchmarks
	$(BIN)/ruff format --check server tests benchmarks

typecheck: venv
	$(BIN)/mypy
	$(BIN)/lint-imports

## test: lint, type-check, import-layer contract, then the test suite (and the VS Code extension's, with Node)
test: lint typecheck
	$(BIN)/python -m pytest
	@$(MAKE) --no-print-directory test-vscode

## test-vscode: the extension's type-check and unit tests (vscode-client/); skipped when node/npm are missing
test-vscode: venv
	@if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then \
	  echo "== vscode-client: npm ci && npm test (node $$(node --version))"; \
	  cd vscode-client && npm ci --no-audit --no-fund --loglevel=error && npm test; \
	else \
	  echo "== vscode-client tests skipped: node and npm not found (install Node.js 20 and npm to run them)"; \
	fi

## e2e-vscode: the extension in a real VS Code (code-server + Playwright + Debian chromium); heavy, not in `test`
e2e-vscode: venv
	cd vscode-client && npm ci --no-audit --no-fund --loglevel=error && npm run package
	vscode-client/e2e/setup.sh
	node vscode-client/e2e/run.mjs

rules: venv
	$(BIN)/python -m stage_lsp.render.catalogue rules

## goldens: rewrite tests/cli/goldens/ (every output format on examples/flashcards); review the diff
goldens: venv
	STAGE_LSP_UPDATE_GOLDENS=1 $(BIN)/python -m pytest -q tests/cli/test_formats.py tests/report/test_report.py -k "golden"

bench: venv
	$(BIN)/python benchmarks/run.py

lock:
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip freeze --exclude-editable > constraints.txt
	touch $(STAMP)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache dist build
