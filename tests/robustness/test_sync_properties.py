"""Properties of the real server over stdio, one long-lived server per editor profile.

(a) Random sequences of incremental didChange edits, batched as editors batch them, with
multi-byte characters, emoji, edits at line ends and inserted or deleted line breaks (\\n, \\r\\n,
a lone \\r): afterwards the server's diagnostics equal those of a fresh engine analysis of the
client's text, converted to positions by an independent reference, and hovers on the text's
term occurrences return exactly those occurrences' ranges. Every example opens a new document.

(b) Random positions and ranges, far past the end of lines and of the document: hover,
completion, definition, code actions, references and document highlight answer with a result or
null, never an error; the server is still alive afterwards.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harvester_glossary_ls.engine.analysis import Analysis, analyze
from harvester_glossary_ls.engine.project import Project
from tests.robustness import reference
from tests.robustness.conftest import write_project
from tests.robustness.rawclient import RawServer

PROFILES = ["visual_studio_code", "neovim", "emacs", "neovim+pull"]
"""utf-16, utf-8 and utf-32, pushed diagnostics; utf-8 pulled."""
SYNC_EXAMPLES = 400
POSITION_EXAMPLES = 500

DENSE = (
    "# Frobnicator guide \U0001f600\n\n"
    "The frobnicator and the Quux Bridge \u2014 attach the VM to the harvester-mgmt network.\r\n"
    "Caf\u00e9 \u4e2d\u6587: the guest clustr uses a vm network; old frobber is gone.\n"
    "- Guest Cluster \U0001f9ea Harvester node\n"
    "```yaml\nkind: VirtualMachine\n```\n"
    "End with live-migration and RKE2"
)

PIECES = ["\n", "\r\n", "\r", " ", "a", "Z", "\u00e9", "\u4e2d", "\U0001f600", "\U0001f9ea\u200d",
          "VM network", "vm network", "guest cluster", "Guest Cluster", "guest clustr",
          "harvester-mgmt", "Frobnicator", "frobnicator", "old frobber", "quux bridge", "# ",
          "- ", "`", "**", "```\n", "<!-- ", " -->", "\u2028", "\t"]
insert_texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=4).map("".join)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("sync") / "ws").resolve()


@pytest.fixture(scope="module", params=PROFILES)
def server(request: pytest.FixtureRequest, workspace: Path) -> Iterator[RawServer]:
    raw = RawServer(cwd=workspace)
    raw.initialize(request.param, workspace)
    yield raw
    assert raw.shutdown() == 0


_ANALYSIS_PROJECT: dict[Path, Project] = {}
_COUNTER = itertools.count()


def expected_analysis(workspace: Path, path: Path, text: str) -> Analysis:
    project = _ANALYSIS_PROJECT.get(workspace)
    if project is None:
        project = _ANALYSIS_PROJECT[workspace] = Project(workspace)
    return analyze(text, "markdown", project.context_for(path))


def shape(diagnostic: dict[str, Any]) -> tuple[Any, ...]:
    r = diagnostic["range"]
    return (r["start"]["line"], r["start"]["character"], r["end"]["line"], r["end"]["character"],
            diagnostic.get("code"), diagnostic["message"], diagnostic.get("severity"))


def snap(text: str, offset: int) -> int:
    """LSP positions cannot point between \\r and \\n: move such an offset before the \\r."""
    if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n":
        return offset - 1
    return offset


@settings(max_examples=SYNC_EXAMPLES)
@given(base=st.sampled_from([DENSE, "", "VM network"]) | insert_texts, data=st.data())
def test_incremental_edits_keep_server_and_client_in_step(server: RawServer, workspace: Path,
                                                          base: str,
                                                          data: st.DataObject) -> None:
    path = workspace / f"sync-{next(_COUNTER)}.md"
    uri = path.as_uri()
    text = base
    version = 1
    server.open(uri, text, version=version)
    for _ in range(data.draw(st.integers(1, 8), label="notifications")):
        changes = []
        for _ in range(data.draw(st.integers(1, 3), label="changes in one notification")):
            start = snap(text, data.draw(st.integers(0, len(text)), label="start"))
            end = snap(text, data.draw(st.integers(start, min(len(text), start + 12)),
                                       label="end"))
            new = data.draw(insert_texts, label="text")
            changes.append({"range": reference.lsp_range(text, start, end, server.encoding),
                            "text": new})
            text = text[:start] + new + text[end:]
        version += 1
        server.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": changes})
    try:
        got = sorted(shape(d) for d in server.current_diagnostics(uri, version))
        analysis = expected_analysis(workspace, path, text)
        starts = reference.line_starts(text)
        want = sorted(
            (r["start"]["line"], r["start"]["character"], r["end"]["line"], r["end"]["character"],
             f.code, f.message, int(f.severity))
            for f in analysis.findings
            for r in [reference.lsp_range(text, f.start, f.end, server.encoding, starts)])
        assert got == want, f"text: {text!r}"
        occurrences = analysis.hover_occurrences
        for occ in {occurrences[0], occurrences[-1]} if occurrences else ():
            middle = (occ.start + occ.end) // 2
            at = reference.position(text, middle, server.encoding, starts)
            hover = server.hover(uri, at["line"], at["character"])
            assert hover is not None, f"no hover at {at} in {text!r}"
            covered = analysis.occurrence_at(middle)
            assert covered is not None
            assert hover["range"] == reference.lsp_range(text, covered.start, covered.end,
                                                         server.encoding, starts)
    finally:
        server.close_document(uri)


# --- (b) positions anywhere ---------------------------------------------------------------------

HUGE = 2**31 - 1
coordinates = st.one_of(st.integers(0, 12), st.integers(0, 400), st.just(HUGE),
                        st.integers(0, HUGE))


@pytest.fixture(scope="module")
def dense_uri(server: RawServer, workspace: Path) -> str:
    uri = (workspace / "positions.md").as_uri()
    server.open(uri, DENSE)
    return uri


def position_json(line: int, character: int) -> dict[str, int]:
    return {"line": line, "character": character}


REQUESTS = ["textDocument/hover", "textDocument/completion", "textDocument/definition",
            "textDocument/references", "textDocument/codeAction", "textDocument/documentHighlight"]


@settings(max_examples=POSITION_EXAMPLES)
@given(method=st.sampled_from(REQUESTS), line=coordinates, character=coordinates,
       end_line=coordinates, end_character=coordinates,
       only=st.sampled_from([None, ["quickfix"], ["source.fixAll"], ["refactor"], []]))
def test_any_position_gets_a_result_or_null(server: RawServer, dense_uri: str, method: str,
                                            line: int, character: int, end_line: int,
                                            end_character: int, only: list[str] | None) -> None:
    params: dict[str, Any] = {"textDocument": {"uri": dense_uri},
                              "position": position_json(line, character)}
    if method == "textDocument/codeAction":
        context: dict[str, Any] = {"diagnostics": []}
        if only is not None:
            context["only"] = only
        params = {"textDocument": {"uri": dense_uri}, "context": context,
                  "range": {"start": position_json(line, character),
                            "end": position_json(end_line, end_character)}}
    elif method == "textDocument/references":
        params["context"] = {"includeDeclaration": True}
    response = server.request(method, params)
    if method == "textDocument/documentHighlight" and "error" in response:
        assert response["error"]["code"] == -32601  # not offered: MethodNotFound is right
        return
    assert "error" not in response, response
    result = response.get("result")
    if result is None:
        return
    if method == "textDocument/hover":
        assert result["contents"]["value"]
    elif method == "textDocument/completion":
        assert isinstance(result["items"], list)
    elif method in ("textDocument/codeAction", "textDocument/references"):
        assert isinstance(result, list)
    else:
        assert "uri" in result or isinstance(result, list)


def test_server_alive_after_position_fuzzing(server: RawServer, dense_uri: str) -> None:
    assert server.alive()
    assert server.hover(dense_uri, 2, 6) is not None  # "frobnicator"
