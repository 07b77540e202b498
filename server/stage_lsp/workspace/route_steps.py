"""The route pass, run by the CLI's prefetch while the rest is still being read (`workspace.prefetch`).

The route pass needs every module a route file reaches; run after all reads, it kept one core busy
while the others had nothing left to do, and every module a worker read crossed a pipe to reach it.
Instead, the prefetch's own process runs code()'s pass (`Workspace.begin_routes`) one route file at a
time, in the pass's order, reading the modules each file reaches itself (never pickled), while the
workers read the plans and migrations, then route files from the far end of the order.

`RouteSteps.need` names what the next route file waits for: a module of its import closure that is
not read yet (what the pass can load for it: `route_memo.module_targets` over the facts read so far), or
None when the file can be analysed (`step`). Analysing in the pass's order, with the pass's own
evaluator, is what keeps the routes identical to a pass run in one go; whatever is left when the reads
end runs in code() as before.
"""

from __future__ import annotations

from stage_lsp.code.facts import ModuleFacts
from stage_lsp.code.index import RoutePass
from stage_lsp.code.route_memo import module_targets
from stage_lsp.workspace.cache import MISSING
from stage_lsp.workspace.workspace import Workspace


class RouteSteps:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.route_pass: RoutePass | None = None
        self.done = False  # no step is left to take here (or one failed)
        self.steps = 0
        self._read: set[str] = set()  # modules whose facts are in
        self._targets: dict[str, list[str]] = {}

    def begin(self) -> bool:
        """Begin code()'s pass; False while it cannot (the generated types, an input of the pass, are
        not read yet: `types_pending`) or when there is nothing to do (the code model is built)."""
        if self.route_pass is None and not self.done and not self.types_pending():
            self.route_pass = self.ws.begin_routes()
            self.done = self.route_pass is None
        return self.route_pass is not None

    def types_pending(self) -> bool:
        types = self.ws.files.types
        return types is not None and self.ws.read_result("db-types", types) is MISSING

    def need(self) -> str | None:
        """A module the next route file reaches and that is not read yet; None when it can be analysed
        (or when no step is left: see `done`)."""
        route_pass = self.route_pass
        if route_pass is None or self.done:
            return None
        rel = route_pass.next_file()
        if rel is None:
            self.done = True
            return None
        project = route_pass.project
        sources = project.sources
        seen = {rel}
        stack = [rel]
        while stack:
            name = stack.pop()
            if name not in sources:  # the pass never loads it
                continue
            if name not in self._read:
                if self.ws.read_result("routes", name) is MISSING:
                    return name
                self._read.add(name)
            targets = self._targets.get(name)
            if targets is None:
                facts = self.ws.read_result("routes", name)
                targets = module_targets(project, facts) if isinstance(facts, ModuleFacts) else []
                self._targets[name] = targets
            for target in targets:
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        return None

    def step(self) -> None:
        """Analyse the next route file (`need` said it can be). A failure drops the pass: code() runs it
        afresh and meets the failure where a check without prefetch meets it."""
        assert self.route_pass is not None
        try:
            self.route_pass.step()
        except Exception:
            self.ws.drop_routes()
            self.done = True
            return
        self.steps += 1
