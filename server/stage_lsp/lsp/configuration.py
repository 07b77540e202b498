"""Editor settings: `initializationOptions`, `workspace/configuration` (section `stageLsp`, per root) and
`workspace/didChangeConfiguration`.

The editor's settings for a root are the initialization options with that root's `stageLsp` section on
top; they override the project config key by key (see editor_settings). On a change notification the
server asks again (pull model) or takes the pushed settings (clients without workspace/configuration),
then every root is rechecked with the new settings.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from stage_lsp.lsp.editor_settings import SECTION, normalise
from stage_lsp.lsp.roots import RootState

if TYPE_CHECKING:
    from stage_lsp.lsp.server import StageLanguageServer

FETCH_TIMEOUT_S = 5.0


def can_ask(ls: StageLanguageServer) -> bool:
    ws = ls.client_capabilities.workspace
    return bool(ws and ws.configuration)


async def editor_settings_for(
    ls: StageLanguageServer, states: list[RootState]
) -> list[tuple[RootState, dict[str, Any]]]:
    """Each root's editor settings (initialization options, then the root's `stageLsp` section)."""
    base = dict(ls.init_editor)
    if not states or not can_ask(ls):
        return [(state, dict(base)) for state in states]
    items = [types.ConfigurationItem(scope_uri=state.uri, section=SECTION) for state in states]
    try:
        answer = await asyncio.wait_for(
            ls.workspace_configuration_async(types.ConfigurationParams(items=items)), FETCH_TIMEOUT_S
        )
    except Exception as exc:
        ls.log(f"workspace/configuration failed: {exc!r}", types.MessageType.Warning)
        return [(state, dict(base)) for state in states]
    values = list(answer or [])
    return [
        (state, {**base, **normalise(values[i] if i < len(values) else None)})
        for i, state in enumerate(states)
    ]


async def register_for_changes(ls: StageLanguageServer) -> None:
    """Clients that register didChangeConfiguration dynamically only send it once asked to."""
    ws = ls.client_capabilities.workspace
    change = ws.did_change_configuration if ws else None
    if not (change and change.dynamic_registration):
        return
    registration = types.Registration(
        id="stage-lsp/configuration",
        method=types.WORKSPACE_DID_CHANGE_CONFIGURATION,
        register_options=types.DidChangeConfigurationRegistrationOptions(section=SECTION),
    )
    try:
        await ls.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
    except Exception as exc:
        ls.log(f"configuration change notifications not available: {exc!r}", types.MessageType.Warning)


async def apply_to(ls: StageLanguageServer, states: list[RootState], pushed: Any = None) -> None:
    """Hand each root its (new) editor settings; the next check reloads the settings with them."""
    if pushed is not None and not can_ask(ls):
        ls.init_editor = {**ls.init_editor, **normalise(pushed)}
    for state, editor in await editor_settings_for(ls, states):
        state.pending.editor = editor
        ls.scheduler.touch(state, 0)


def register(server: StageLanguageServer) -> None:
    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def configuration_changed(
        ls: StageLanguageServer, params: types.DidChangeConfigurationParams
    ) -> None:
        await apply_to(ls, list(ls.roots), params.settings)
