"""pytest-lsp fixtures: the real server over stdio, driven with real editors' capabilities.

Profiles are the capability snapshots pytest-lsp ships, plus `vscode`: the VS Code 1.65 snapshot
with what current vscode-languageclient (8/9) adds, pull diagnostics and diagnostic refresh.
Diagnostics are pulled by `vscode` and pushed to the others (Neovim 0.11 could pull but cannot be
asked to pull again after a settings change, so the server does not offer it pull).

- `client`: a fresh server per test (for tests that change configuration or files), run under
  the VS Code 1.65, Neovim 0.11, Emacs 29 and `vscode` profiles (so every flow is seen both
  pushed and pulled); call `start(client, client.profile, root)`.
- `mclient`: one server per module and profile for read-only tests. The module declares
  `FILES = {relative path: text}` (written into a fresh workspace before the server starts),
  optionally `SETTINGS` (served to workspace/configuration) and `PROFILES`.

`start` records what the client receives: `client.published` (every publishDiagnostics, in
order), `client.registrations`, `client.applied_edits` (see `GlossaryClient`).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar, Union, cast

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

CLIENTS = ["visual_studio_code", "neovim", "emacs"]
SERVER = [sys.executable, "-m", "harvester_glossary_ls", "--stdio"]
ENCODINGS = {"visual_studio_code": "utf-16", "vscode": "utf-16", "neovim": "utf-8",
             "emacs": "utf-32"}


def capabilities(profile: str) -> t.ClientCapabilities:
    """A captured client's capabilities; `vscode` is VS Code with today's languageclient."""
    if profile != "vscode":
        return client_capabilities(profile)
    caps = client_capabilities("visual_studio_code")
    assert caps.text_document is not None and caps.workspace is not None
    caps.text_document.diagnostic = t.DiagnosticClientCapabilities(
        dynamic_registration=True, related_document_support=False)
    caps.workspace.diagnostics = t.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
    return caps


def pulls(profile: str) -> bool:
    """Whether the server lets this client pull diagnostics: it must be able to pull and to be
    told to pull again (workspace/diagnostic/refresh). Only `vscode` here: Neovim 0.11 pulls
    but has no refresh, so the server pushes to it."""
    caps = capabilities(profile)
    td, ws = caps.text_document, caps.workspace
    return (td is not None and td.diagnostic is not None and ws is not None
            and ws.diagnostics is not None and bool(ws.diagnostics.refresh_support))


_F = TypeVar("_F", bound=Callable[..., Any])


def lsp_fixture(**kwargs: Any) -> Callable[[_F], _F]:
    """`pytest_lsp.fixture`, typed (it is not annotated)."""
    return cast(Callable[[_F], _F], pytest_lsp.fixture(**kwargs))


class GlossaryClient(LanguageClient):
    """pytest-lsp's client plus the session facts the tests read (set by `start`) and what
    the server sent it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.profile = ""
        """The editor profile whose capabilities the client sent."""
        self.root = Path()
        """The workspace folder."""
        self.encoding = "utf-16"
        """The position encoding the server chose."""
        self.published: list[t.PublishDiagnosticsParams] = []
        self.registrations: list[t.Registration] = []
        self.applied_edits: list[t.ApplyWorkspaceEditParams] = []
        self.lens_refreshes = 0
        """workspace/codeLens/refresh requests received."""
        self.opened: set[str] = set()
        """Documents a test opened the way the editor would have (test_configuration)."""


def _make_client() -> GlossaryClient:
    client = GlossaryClient()
    features = dict(DEFAULT_CLIENT_FEATURES)

    def publish(client: GlossaryClient, params: t.PublishDiagnosticsParams) -> None:
        client.diagnostics[params.uri] = params.diagnostics
        client.published.append(params)

    def register(client: GlossaryClient, params: t.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)

    def apply_edit(client: GlossaryClient,
                   params: t.ApplyWorkspaceEditParams) -> t.ApplyWorkspaceEditResult:
        client.applied_edits.append(params)
        return t.ApplyWorkspaceEditResult(applied=True)

    def lens_refresh(client: GlossaryClient, params: None) -> None:
        client.lens_refreshes += 1

    features[t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    features[t.WORKSPACE_CODE_LENS_REFRESH] = lens_refresh
    features[t.CLIENT_REGISTER_CAPABILITY] = register
    features[t.WORKSPACE_APPLY_EDIT] = apply_edit
    register_lsp_features(client, features)
    # lsprotocol 2025.0.0 reads any `Command | CodeAction` that has a "command" key as a
    # Command, so a CodeAction carrying a command comes back as a bare Command. Editors tell
    # them apart by the type of "command" (a string in a Command); so does this client.
    converter = client.protocol._converter

    def code_action_or_command(obj: Any, _: Any) -> t.Command | t.CodeAction:
        if isinstance(obj.get("command"), str):
            return converter.structure(obj, t.Command)
        return converter.structure(obj, t.CodeAction)

    converter.register_structure_hook(Union[t.Command, t.CodeAction],  # noqa: UP007
                                      code_action_or_command)
    return client


CONFIG = ClientServerConfig(server_command=SERVER, client_factory=_make_client)


async def start(client: GlossaryClient, profile: str, root: Path,
                settings: dict[str, Any] | None = None,
                init_options: dict[str, Any] | None = None,
                folders: Sequence[Path] | None = None) -> t.InitializeResult:
    """Initialize a session the way the named editor would (debounce 0 unless given)."""
    client.set_configuration({"harvesterGlossary": settings or {}})
    client.profile = profile
    client.root = root
    options = {"debounceMs": 0, **(init_options or {})}
    roots = list(folders or [root])
    result = await client.initialize_session(t.InitializeParams(
        capabilities=capabilities(profile),
        root_uri=roots[0].as_uri(),
        workspace_folders=[t.WorkspaceFolder(uri=r.as_uri(), name=r.name) for r in roots],
        initialization_options=options))
    client.encoding = str(result.capabilities.position_encoding or "utf-16")
    return result


@lsp_fixture(config=CONFIG, params=[*CLIENTS, "vscode"])
async def client(request: pytest.FixtureRequest,
                 lsp_client: GlossaryClient) -> AsyncIterator[GlossaryClient]:
    lsp_client.profile = request.param
    yield lsp_client
    await lsp_client.shutdown_session()


@lsp_fixture(config=CONFIG)
async def bare_client(lsp_client: GlossaryClient) -> AsyncIterator[GlossaryClient]:
    """A fresh server for a test that picks its own profile with `start`."""
    yield lsp_client
    await lsp_client.shutdown_session()


def write_files(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`mclient` runs under CLIENTS, or the module's PROFILES."""
    if "mclient" in metafunc.fixturenames:
        metafunc.parametrize("mclient", getattr(metafunc.module, "PROFILES", CLIENTS),
                             indirect=True, scope="module")


@lsp_fixture(config=CONFIG, scope="module")
async def mclient(request: pytest.FixtureRequest, lsp_client: GlossaryClient,
                  tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[GlossaryClient]:
    root = tmp_path_factory.mktemp(f"ws-{request.param}")
    write_files(root, getattr(request.module, "FILES", {}))
    await start(lsp_client, request.param, root, settings=getattr(request.module, "SETTINGS", None))
    yield lsp_client
    await lsp_client.shutdown_session()


# --- helpers -------------------------------------------------------------------------------------

def doc_id(uri: str) -> t.TextDocumentIdentifier:
    return t.TextDocumentIdentifier(uri=uri)


def open_doc(client: GlossaryClient, path: Path, text: str, language: str | None = None,
             version: int = 1) -> str:
    uri = path.as_uri()
    if language is None:
        language = "yaml" if path.suffix in (".yaml", ".yml") else "markdown"
    client.text_document_did_open(t.DidOpenTextDocumentParams(text_document=t.TextDocumentItem(
        uri=uri, language_id=language, version=version, text=text)))
    return uri


def close_doc(client: GlossaryClient, uri: str) -> None:
    client.text_document_did_close(t.DidCloseTextDocumentParams(text_document=doc_id(uri)))


def change(client: GlossaryClient, uri: str, version: int,
           *edits: tuple[t.Range, str] | str) -> None:
    """didChange with incremental edits (range, text) or a whole-document text."""
    changes: list[t.TextDocumentContentChangeEvent] = []
    for edit in edits:
        if isinstance(edit, str):
            changes.append(t.TextDocumentContentChangeWholeDocument(text=edit))
        else:
            changes.append(t.TextDocumentContentChangePartial(range=edit[0], text=edit[1]))
    client.text_document_did_change(t.DidChangeTextDocumentParams(
        text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=changes))


def rng(line: int, start: int, end: int, end_line: int | None = None) -> t.Range:
    return t.Range(start=t.Position(line=line, character=start),
                   end=t.Position(line=line if end_line is None else end_line, character=end))


def units(text: str, encoding: str) -> int:
    """Length of `text` in the code units of an LSP position encoding."""
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def col(line_text: str, index: int, encoding: str) -> int:
    """The client column of code point `index` of a line."""
    return units(line_text[:index], encoding)


def where(text: str, needle: str, nth: int = 0, encoding: str = "utf-32",
          inside: int = 0) -> t.Position:
    """The position of the nth `needle` in `text` (plus `inside` code points), in `encoding`."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    index += inside
    line = text.count("\n", 0, index)
    line_start = text.rfind("\n", 0, index) + 1
    return t.Position(line=line, character=units(text[line_start:index], encoding))


def span(text: str, needle: str, encoding: str, nth: int = 0) -> t.Range:
    start = where(text, needle, nth, encoding)
    return t.Range(start=start, end=where(text, needle, nth, encoding, inside=len(needle)))


async def wait_for(predicate: Callable[[], Any], timeout: float = 5.0,
                   message: str = "condition") -> Any:
    """Poll until `predicate()` is truthy; its value is returned."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        await asyncio.sleep(0.01)


def pushes(client: GlossaryClient, uri: str) -> list[t.PublishDiagnosticsParams]:
    return [p for p in client.published if p.uri == uri]


async def diagnostics(client: GlossaryClient, uri: str, version: int | None = None,
                      after: int = 0) -> Sequence[t.Diagnostic]:
    """The document's diagnostics as the profile gets them: pulled, or the push for `version`.

    `after`: only pushes received after the first `after` ones for this URI count.
    """
    if pulls(client.profile):
        report = await client.text_document_diagnostic_async(
            t.DocumentDiagnosticParams(text_document=doc_id(uri)))
        assert isinstance(report, t.RelatedFullDocumentDiagnosticReport)
        return report.items

    def pushed() -> t.PublishDiagnosticsParams | None:
        found = [p for p in pushes(client, uri)[after:]
                 if version is None or p.version == version]
        return found[-1] if found else None

    params: t.PublishDiagnosticsParams = await wait_for(
        pushed, message=f"diagnostics for {uri} v{version}")
    return params.diagnostics


async def hover(client: GlossaryClient, uri: str, position: t.Position) -> t.Hover | None:
    return await client.text_document_hover_async(t.HoverParams(
        text_document=doc_id(uri), position=position))


async def complete(client: GlossaryClient, uri: str,
                   position: t.Position) -> list[t.CompletionItem]:
    result = await client.text_document_completion_async(t.CompletionParams(
        text_document=doc_id(uri), position=position))
    if result is None:
        return []
    return list(result.items if isinstance(result, t.CompletionList) else result)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A server message the client's capabilities do not allow fails the test."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.filterwarnings(
                "error::pytest_lsp.checks.LspSpecificationWarning"))


def offset_of(text: str, position: t.Position, encoding: str) -> int:
    """The code-point offset of a client position."""
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    if position.line >= len(starts):
        return len(text)
    start = starts[position.line]
    end = text.find("\n", start)
    line = text[start:] if end < 0 else text[start:end]
    index = 0
    while index < len(line) and units(line[:index], encoding) < position.character:
        index += 1
    return start + index


def apply_edits(text: str, edits: Sequence[t.TextEdit], encoding: str) -> str:
    """Apply non-overlapping text edits the way an editor does (all against the old text)."""
    spans = sorted(((offset_of(text, e.range.start, encoding),
                     offset_of(text, e.range.end, encoding), e.new_text) for e in edits),
                   reverse=True)
    for start, end, new_text in spans:
        text = text[:start] + new_text + text[end:]
    return text
