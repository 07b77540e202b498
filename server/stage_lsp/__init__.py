"""stage-lsp: keeps a web project's code honest to its markdown plans.

Layers (each imports only those below it; enforced by import-linter, see pyproject.toml):

    cli | lsp        command line and language server (the only users of pygls/lsprotocol: lsp)
    render           Violations -> text / JSON (and later SARIF, annotations)
    engine           runs the selected rules over a workspace snapshot
    rules            one module per rule (SLnnn), pure functions of a CheckContext
    context          CheckContext handed to rules
    workspace        files of a project, per-file read cache, model assembly
    plan | code      readers: markdown plans -> PlanModel, sources and SQL -> CodeModel
    config           settings, project root, file discovery
    core             ranges, violations, canonical keys, text decoding
"""

__version__ = "0.1.0"
