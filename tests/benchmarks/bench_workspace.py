"""Workspace-scale language server benchmark (issue 10): the workspace index.

    python tests/benchmarks/bench_workspace.py [--pages 1500] [--terms 150]

Generates a docs workspace of `--pages` Markdown pages (about 40 lines each, glossary terms
used in prose, some deprecated Harvester terms and near-miss spellings) and a Hugo per-term
glossary folder of `--terms` pages (`title:` and `short_description:` front matter), configured
in `.harvester-glossary.yaml` `glossaries:`. Then, from a plain pygls client with VS Code's
capabilities over stdio:

- `initialize`: process start to the initialize response;
- index complete: `initialized` to the end of the index build's work-done progress;
- hover p50/p99 while the index builds (budget p99 <= 10 ms);
- references p50/p99 once it is built, on terms of every frequency (budget p50/p99 <= 50 ms,
  request to answer as this client sees it), also over terms with at most 1,000 uses, and the
  median for the most used term (its answer is ~5,400 locations, ~880 KB of JSON). Each is
  also split into the client's parse of the answer (pygls' json.loads and cattrs structuring
  into lsprotocol objects, with the client's own garbage collections, whose full-collection
  pauses are counted) and the rest (the server, the pipe, the event loops): for the largest
  answers nearly all of the time is this Python client's parse (Node 20's JSON.parse reads the
  880 KB in about 3.5 ms on the machine where this client takes 35-45 ms). By default the
  client freezes its heap out of the garbage collector first (`--client-gc on` measures
  without that): its full collections cost ~50 ms per large answer, a cost of this Python
  client that no editor pays;
- server RSS with the index (budget <= 150 MB);
- one edit to updated references: didChange adding a use, then references that include it.

No corpus needed. Exits 1 when a budget is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from lsprotocol import types as t
from pytest_lsp import client_capabilities

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # runnable as a script

from tests.benchmarks.lsp_bench import SERVER, Client, close, open_doc, percentiles, rss_mb

BUDGETS = {"hover p99 while indexing": 10.0, "references p50": 50.0, "references p99": 50.0,
           "rss": 150.0}
UNITLESS = {"references max locations", "hovers while indexing", "  client full collections"}
ADJECTIVES = ("backup", "storage", "network", "volume", "node", "cluster", "image", "snapshot",
              "replica", "engine", "upgrade", "restore", "scheduler", "disk", "instance")
NOUNS = ("target", "controller", "policy", "manager", "pool", "class", "template", "driver",
         "agent", "gateway")
FILLER = ("The operator reads the page before changing anything on the host.",
          "Each step below is safe to repeat if it fails halfway through.",
          "See the release notes for the versions this applies to.",
          "Run the command from a machine that can reach the management address.")

_H = TypeVar("_H", bound=Callable[..., Any])


def term_names(count: int) -> list[str]:
    names = [f"{a} {n}" for a in ADJECTIVES for n in NOUNS]
    names += [f"{a} {n} set" for a in ADJECTIVES for n in NOUNS]
    return [name.title() if i % 3 == 0 else name for i, name in enumerate(names[:count])]


def generate(root: Path, pages: int, terms: int, seed: int = 11) -> list[str]:
    """Write the workspace; returns the glossary terms."""
    rng = random.Random(seed)
    names = term_names(terms)
    glossary = root / "content" / "glossary"
    glossary.mkdir(parents=True)
    (glossary / "_index.md").write_text("---\ntitle: Team glossary\n---\n", encoding="utf-8")
    for number, name in enumerate(names):
        (glossary / f"term-{number:03d}.md").write_text(
            f"---\ntitle: {name}\nid: term-{number:03d}\nshort_description: >\n"
            f"  The {name.lower()} of a cluster, as the docs use it.\naka:\ntags:\n- fundamental\n"
            f"---\nThe {name.lower()} of a cluster.\n<!--more-->\nMore about it.\n",
            encoding="utf-8")
    (root / ".harvester-glossary.yaml").write_text("glossaries: [content/glossary]\n",
                                                   encoding="utf-8")
    # a skewed use of terms: a few very common, most rare
    weights = [1.0 / (rank + 1) for rank in range(len(names))]
    for number in range(pages):
        lines = [f"# Page {number}", ""]
        for paragraph in range(10):
            used = rng.choices(names, weights, k=2)
            lines.append(f"In step {paragraph}, configure the {used[0].lower()} before the "
                         f"{used[1].lower()}. {rng.choice(FILLER)}")
            if paragraph == 3 and number % 7 == 0:
                lines.append("Older pages call the mgmt network harvester-mgmt.")
            if paragraph == 5 and number % 11 == 0:
                lines.append("Create a guest clsuter first.")
            lines += ["", "```sh", "kubectl get nodes", "```", ""] if paragraph == 6 else [""]
        folder = root / "content" / "docs" / f"section-{number // 100:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"page-{number:04d}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return names


class BenchClient(Client):
    """Records the index build's progress, and how long the client took to parse each
    response to its requests (`parsed_ms`, in order of arrival)."""

    def __init__(self) -> None:
        super().__init__()
        self.titles: dict[str, str] = {}
        self.index_done: asyncio.Future[float] | None = None
        self.index_begun: asyncio.Future[float] | None = None
        self.parsed_ms: list[float] = []
        self._time_parsing()
        feature = cast(Callable[[str], Callable[[_H], _H]], self.feature)

        @feature(t.PROGRESS)
        def progress(params: t.ProgressParams) -> None:
            value = params.value
            token = str(params.token)
            kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
            title = value.get("title") if isinstance(value, dict) else getattr(value, "title", "")
            if kind == "begin":
                self.titles[token] = str(title)
                if title == "Indexing glossary terms" and self.index_begun is not None \
                        and not self.index_begun.done():
                    self.index_begun.set_result(time.perf_counter())
            elif (kind == "end" and self.titles.get(token) == "Indexing glossary terms"
                  and self.index_done is not None and not self.index_done.done()):
                self.index_done.set_result(time.perf_counter())

    def _time_parsing(self) -> None:
        """pygls reads each message with `json.loads(body, object_hook=structure_message)`:
        the hook sees every JSON object, innermost first and the message itself last (where
        cattrs structures the result into lsprotocol objects). From the first call to the end
        of the last is the client's parse: decoding, structuring and any garbage collection
        they set off (all but the few bytes before the first object)."""
        structure = self.protocol.structure_message
        started: list[float] = []

        def timed(data: dict[str, Any]) -> Any:
            if not started:
                started.append(time.perf_counter())
            value = structure(data)
            if "jsonrpc" in data:
                if "id" in data and "method" not in data:
                    self.parsed_ms.append((time.perf_counter() - started[0]) * 1000)
                started.clear()
            return value

        setattr(self.protocol, "structure_message", timed)  # noqa: B010 (a method)


class FullCollections:
    """The client's full (generation 2) garbage collections while in the `with` block, in ms:
    the pauses are inside the parses they interrupt."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._started = 0.0

    def __enter__(self) -> FullCollections:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.pauses.append((time.perf_counter() - self._started) * 1000)


async def launch_bench(root: Path) -> tuple[BenchClient, float]:
    """Start the server as VS Code would; the time from spawning it to the initialize response,
    in ms."""
    client = BenchClient()
    started = time.perf_counter()
    await client.start_io(*SERVER, cwd=str(root))
    await client.initialize_async(t.InitializeParams(
        process_id=os.getpid(), capabilities=client_capabilities("visual_studio_code"),
        root_uri=root.as_uri(),
        workspace_folders=[t.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
        initialization_options={"debounceMs": 50}))
    elapsed = (time.perf_counter() - started) * 1000
    client.initialized(t.InitializedParams())
    return client, elapsed


def reference_positions(text: str, names: list[str]) -> list[tuple[str, t.Position]]:
    found = []
    lines = text.split("\n")
    for line_number, line in enumerate(lines):
        low = line.lower()
        for name in names:
            at = low.find(name.lower())
            if at >= 0:
                found.append((name, t.Position(line=line_number, character=at + 1)))
    return found


async def run(pages: int, terms: int, requests: int,
              freeze_client: bool = True) -> dict[str, float]:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        started = time.perf_counter()
        names = generate(root, pages, terms)
        print(f"generated {pages} pages and {terms} term pages in "
              f"{time.perf_counter() - started:.1f} s")
        loop = asyncio.get_running_loop()
        client, figures["initialize"] = await launch_bench(root)
        client.index_done = loop.create_future()
        client.index_begun = loop.create_future()
        sent = time.perf_counter()
        try:
            page = root / "content" / "docs" / "section-00" / "page-0000.md"
            text = page.read_text(encoding="utf-8")
            uri = open_doc(client, page, text)
            positions = reference_positions(text, names)
            begun = await asyncio.wait_for(client.index_begun, 30)
            figures["index begun after initialized"] = (begun - sent) * 1000
            hovers: list[float] = []
            while not client.index_done.done():
                for _, position in positions:
                    if client.index_done.done():
                        break
                    before = time.perf_counter()
                    await client.text_document_hover_async(t.HoverParams(
                        text_document=t.TextDocumentIdentifier(uri=uri), position=position))
                    hovers.append((time.perf_counter() - before) * 1000)
                    await asyncio.sleep(0.002)
            done = await client.index_done
            figures["index complete after initialized"] = (done - sent) * 1000
            figures["hovers while indexing"] = len(hovers)
            if hovers:
                figures["hover p50 while indexing"], figures["hover p99 while indexing"] = (
                    percentiles(hovers))
            figures["rss"] = rss_mb(client.pid)

            # references on terms of every frequency, from the open page
            samples: list[float] = []
            parsing: list[float] = []
            counts: list[int] = []
            asked = [p for _, p in positions] or [t.Position(line=2, character=30)]
            if freeze_client:  # see --client-gc
                gc.freeze()
            with FullCollections() as collections:
                for number in range(requests):
                    position = asked[number % len(asked)]
                    parsed = len(client.parsed_ms)
                    before = time.perf_counter()
                    found = await client.text_document_references_async(t.ReferenceParams(
                        text_document=t.TextDocumentIdentifier(uri=uri), position=position,
                        context=t.ReferenceContext(include_declaration=True)))
                    samples.append((time.perf_counter() - before) * 1000)
                    assert len(client.parsed_ms) == parsed + 1, "one response per request"
                    parsing.append(client.parsed_ms[-1])
                    counts.append(len(found or []))
            figures |= references_figures(samples, parsing, counts)
            figures["  client full collections"] = len(collections.pauses)
            figures["  client full collection max"] = max(collections.pauses, default=0.0)

            # one edit, then references that include it
            rare = names[-1].lower()
            edited = text + f"\nA new use of the {rare}.\n"
            before = time.perf_counter()
            client.text_document_did_change(t.DidChangeTextDocumentParams(
                text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[t.TextDocumentContentChangeWholeDocument(text=edited)]))
            line = edited.count("\n") - 1
            found = await client.text_document_references_async(t.ReferenceParams(
                text_document=t.TextDocumentIdentifier(uri=uri),
                position=t.Position(line=line, character=len("A new use of the ") + 1),
                context=t.ReferenceContext(include_declaration=False)))
            figures["edit to updated references"] = (time.perf_counter() - before) * 1000
            assert found and any(f.uri == uri and f.range.start.line == line for f in found)
            figures["rss after"] = rss_mb(client.pid)
        finally:
            await close(client)
    return figures


def references_figures(samples: list[float], parsing: list[float],
                       counts: list[int]) -> dict[str, float]:
    """Request to answer as the client sees it (what the budgets apply to), then the same
    split into the client's parse of the answer and the rest (the server, the pipe, the event
    loops)."""
    figures: dict[str, float] = {}
    rest = [total - parse for total, parse in zip(samples, parsing, strict=True)]
    figures["references p50"], figures["references p99"] = percentiles(samples)
    figures["  client parse p50"], figures["  client parse p99"] = percentiles(parsing)
    figures["  without client parse p50"], figures["  without client parse p99"] = (
        percentiles(rest))
    usual = [i for i, n in enumerate(counts) if n <= 1000]
    if usual:
        figures["references p50 (<= 1,000 uses)"], figures[
            "references p99 (<= 1,000 uses)"] = percentiles([samples[i] for i in usual])
        figures["  without client parse p99 (<= 1,000 uses)"] = percentiles(
            [rest[i] for i in usual])[1]
    most = max(counts)
    figures["references max locations"] = most
    top = [i for i, n in enumerate(counts) if n == most]
    figures["references of the most used term"] = statistics.median(samples[i] for i in top)
    figures["  client parse of it"] = statistics.median(parsing[i] for i in top)
    figures["  without client parse of it"] = statistics.median(rest[i] for i in top)
    return figures


def report(figures: dict[str, float]) -> bool:
    ok = True
    for name, value in figures.items():
        budget = BUDGETS.get(name)
        unit = "MB" if name.startswith("rss") else "" if name in UNITLESS else "ms"
        verdict = ""
        if budget is not None:
            verdict = "ok" if value <= budget else "OVER"
            ok = ok and value <= budget
        note = f"(budget {budget:g}) {verdict}" if budget else ""
        print(f"{name:44} {value:10.1f} {unit:3} {note}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1500)
    parser.add_argument("--terms", type=int, default=150)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--client-gc", choices=("freeze", "on"), default="freeze",
                        help="freeze (default): the measuring client moves its heap out of the "
                             "garbage collector before the references phase, so its own full "
                             "collections (about 50 ms each, one per large answer) do not count "
                             "against the server, as an editor's client pays nothing like them "
                             "(Node's JSON.parse reads the 880 KB answer in about 3.5 ms); on: "
                             "measure with the Python client as it is")
    args = parser.parse_args()
    print(f"client garbage collection: {args.client_gc}")
    figures = asyncio.run(run(args.pages, args.terms, args.requests,
                              freeze_client=args.client_gc == "freeze"))
    return 0 if report(figures) else 1


if __name__ == "__main__":
    sys.exit(main())
