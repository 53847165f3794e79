"""Language server benchmark, measured from a plain pygls client over stdio (issue 3).

    python tests/benchmarks/lsp_bench.py [--quick]

- hover and completion latency (p50, p99) over a few hundred requests at varied positions of a
  5,000-line Markdown document built from the harvester/docs corpus pages
  (budgets: p50 <= 2 ms, p99 <= 10 ms);
- one-character didChange to the pushed publishDiagnostics for that version, minus the
  debounce (VS Code 1.65 profile, which does not pull; debounceMs set to 50) (budget <= 50 ms);
- process start to the initialize response (budget <= 800 ms), and how much of it is
  `import lsprotocol.types` (from `python -X importtime`);
- server RSS (VmRSS from /proc) with a 10,000-term synthetic YAML glossary configured in
  `.harvester-glossary.yaml` and 20 open documents (budget < 150 MB).

Needs ../shared/corpus/harvester-docs beside the repository; without it the script says so and
exits 0. Exits 1 when a budget is missed. `--quick` makes fewer requests.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from lsprotocol import types as t
from pygls.lsp.client import LanguageClient
from pytest_lsp import client_capabilities

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus" / "harvester-docs"
SERVER = [sys.executable, "-m", "harvester_glossary_ls", "--stdio"]
LINES = 5_000
DEBOUNCE_MS = 50
BUDGETS = {"hover p50": 2.0, "hover p99": 10.0, "completion p50": 2.0, "completion p99": 10.0,
           "diagnostics after debounce p50": 50.0, "initialize": 800.0, "rss": 150.0}
TERMS = ("guest cluster", "VM migration network", "storage network", "mgmt", "live migration",
         "Harvester node", "cluster network", "VM network", "network configuration",
         "harvester-mgmt", "IP pool", "RKE2", "Harvester cluster", "guest node", "UEFI")


# --- documents ---------------------------------------------------------------------------------

def corpus_pages() -> list[Path]:
    return sorted(CORPUS.rglob("*.md"))


def big_document(lines: int = LINES) -> str:
    """Corpus pages one after another (repeated if needed) up to exactly `lines` lines."""
    out: list[str] = []
    pages = corpus_pages()
    while len(out) < lines:
        for page in pages:
            out += page.read_text(encoding="utf-8").splitlines()
            if len(out) >= lines:
                break
    return "\n".join(out[:lines]) + "\n"


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def hover_positions(text: str, count: int, rng: random.Random) -> list[t.Position]:
    """Half on term occurrences, half anywhere (including code, blank lines, line ends)."""
    lines = text.split("\n")
    hits = []
    pattern = re.compile("|".join(re.escape(term) for term in TERMS), re.IGNORECASE)
    for number, line in enumerate(lines):
        for match in pattern.finditer(line):
            inside = match.start() + rng.randint(0, len(match.group(0)))
            hits.append(t.Position(line=number, character=utf16(line[:inside])))
    rng.shuffle(hits)
    chosen = hits[:count // 2]
    while len(chosen) < count:
        number = rng.randrange(len(lines))
        line = lines[number]
        chosen.append(t.Position(line=number, character=utf16(line[:rng.randint(0, len(line))])))
    rng.shuffle(chosen)
    return chosen


def completion_positions(text: str, count: int, rng: random.Random) -> list[t.Position]:
    """Half part-way through a term (as while typing it: "guest cl|"), half at or near the end
    of any word on any line, prose or not."""
    lines = text.split("\n")
    pattern = re.compile("|".join(re.escape(term) for term in TERMS), re.IGNORECASE)
    typing = []
    for number, line in enumerate(lines):
        for match in pattern.finditer(line):
            cut = match.start() + rng.randint(2, len(match.group(0)))
            typing.append(t.Position(line=number, character=utf16(line[:cut])))
    rng.shuffle(typing)
    positions = typing[:count // 2]
    while len(positions) < count:
        number = rng.randrange(len(lines))
        line = lines[number]
        ends = [m.end() for m in re.finditer(r"\w+", line)]
        if ends:
            end = rng.choice(ends)
            # now and then a word cut short, as while typing
            end = max(end - rng.randint(0, 3), 1)
            positions.append(t.Position(line=number, character=utf16(line[:end])))
    rng.shuffle(positions)
    return positions


def synthetic_glossary(total: int, seed: int = 7) -> str:
    """A YAML glossary of `total` made-up terms of one to three words, some with aliases."""
    rng = random.Random(seed)
    syllables = ("ka", "zo", "rel", "vin", "tor", "mes", "quo", "lix", "dra", "pen", "sul",
                 "gor", "fey", "bru", "nax", "til", "wem", "oct", "yar", "hep")
    common = ("network", "volume", "image", "cluster", "node", "backup", "snapshot", "pool")
    seen: set[str] = set()
    out = ["format: harvester-glossary/v1", "entries:"]

    def word() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3)))

    terms = 0
    while terms < total:
        words = [word() for _ in range(rng.randint(1, 3))]
        if len(words) > 1 and rng.random() < 0.33:
            words[-1] = rng.choice(common)
        term = " ".join(words)
        if term in seen:
            continue
        seen.add(term)
        terms += 1
        out.append(f"  - term: {term}")
        if rng.random() < 0.2 and (alias := f"{word()} {word()}") not in seen:
            seen.add(alias)
            out.append(f"    aliases: [{alias}]")
        out.append(f"    definition: The {term}, made up for the benchmark; see the "
                   f"{rng.choice(common)} of the {word()}.")
    return "\n".join(out) + "\n"


_Handler = TypeVar("_Handler", bound=Callable[..., Any])

# --- client --------------------------------------------------------------------------------

class Client(LanguageClient):
    def __init__(self) -> None:
        super().__init__("lsp-bench", "1")
        self.published: dict[tuple[str, int | None], float] = {}
        self.waiters: dict[tuple[str, int | None], asyncio.Future[float]] = {}
        feature = cast(Callable[[str], Callable[[_Handler], _Handler]], self.feature)

        @feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def publish(params: t.PublishDiagnosticsParams) -> None:
            now = time.perf_counter()
            key = (params.uri, params.version)
            self.published[key] = now
            waiter = self.waiters.pop(key, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(now)

        @feature(t.WINDOW_SHOW_MESSAGE)
        def show(params: t.ShowMessageParams) -> None:
            print(f"server says: {params.message}")

        @feature(t.WORKSPACE_CONFIGURATION)
        def configuration(params: t.ConfigurationParams) -> list[Any]:
            return [{} for _ in params.items]

        @feature(t.CLIENT_REGISTER_CAPABILITY)
        def register(params: t.RegistrationParams) -> None:
            return None

        @feature(t.WINDOW_WORK_DONE_PROGRESS_CREATE)
        def progress(params: t.WorkDoneProgressCreateParams) -> None:
            return None

    def published_for(self, uri: str, version: int | None) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        key = (uri, version)
        if key in self.published:
            future.set_result(self.published[key])
        else:
            self.waiters[key] = future
        return future

    @property
    def pid(self) -> int:
        assert self._server is not None
        return self._server.pid


async def launch(root: Path, options: dict[str, Any] | None = None,
                 profile: str = "visual_studio_code") -> tuple[Client, float]:
    """Start the server; the time from spawning it to the initialize response, in ms."""
    client = Client()
    started = time.perf_counter()
    await client.start_io(*SERVER, cwd=str(root))
    await client.initialize_async(t.InitializeParams(
        process_id=os.getpid(), capabilities=client_capabilities(profile),
        root_uri=root.as_uri(),
        workspace_folders=[t.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
        initialization_options={"debounceMs": DEBOUNCE_MS, **(options or {})}))
    elapsed = (time.perf_counter() - started) * 1000
    client.initialized(t.InitializedParams())
    return client, elapsed


async def close(client: Client) -> None:
    await client.shutdown_async(None)
    client.exit(None)
    await cast(Callable[[], Awaitable[None]], client.stop)()


def open_doc(client: Client, path: Path, text: str, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(t.DidOpenTextDocumentParams(text_document=t.TextDocumentItem(
        uri=uri, language_id="markdown", version=version, text=text)))
    return uri


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return p50, p99


# --- measurements ----------------------------------------------------------------------------

async def bench_requests(root: Path, text: str, count: int) -> dict[str, float]:
    client, _ = await launch(root)
    try:
        uri = open_doc(client, root / "big.md", text)
        await client.published_for(uri, 1)  # analysed and published: warm
        rng = random.Random(3)
        doc = t.TextDocumentIdentifier(uri=uri)
        figures: dict[str, float] = {}
        for name, positions in (("hover", hover_positions(text, count, rng)),
                                ("completion", completion_positions(text, count, rng))):
            samples = []
            found = 0
            for position in positions[:10]:  # warm-up (first completion builds its index)
                if name == "hover":
                    await client.text_document_hover_async(t.HoverParams(doc, position))
                else:
                    await client.text_document_completion_async(
                        t.CompletionParams(doc, position))
            for position in positions:
                start = time.perf_counter()
                if name == "hover":
                    result: Any = await client.text_document_hover_async(
                        t.HoverParams(text_document=doc, position=position))
                else:
                    result = await client.text_document_completion_async(
                        t.CompletionParams(text_document=doc, position=position))
                samples.append((time.perf_counter() - start) * 1000)
                found += bool(result and (name == "hover" or result.items))
            p50, p99 = percentiles(samples)
            figures[f"{name} p50"], figures[f"{name} p99"] = p50, p99
            figures[f"{name} answered"] = found
            figures[f"{name} requests"] = len(samples)
        return figures
    finally:
        await close(client)


async def bench_diagnostics(root: Path, text: str, edits: int) -> dict[str, float]:
    client, _ = await launch(root)
    try:
        uri = open_doc(client, root / "edit.md", text)
        await client.published_for(uri, 1)
        rng = random.Random(5)
        lines = text.split("\n")
        samples = []
        count = 0
        for version in range(2, edits + 2):
            number = rng.randrange(len(lines))
            column = utf16(lines[number][:rng.randint(0, len(lines[number]))])
            at = t.Position(line=number, character=column)
            if version % 2 == 0:  # type a character, then take it out again
                last = at
                change = t.TextDocumentContentChangePartial(range=t.Range(start=at, end=at),
                                                            text="x")
            else:
                end = t.Position(line=last.line, character=last.character + 1)
                change = t.TextDocumentContentChangePartial(range=t.Range(start=last, end=end),
                                                            text="")
            waiter = client.published_for(uri, version)
            sent = time.perf_counter()
            client.text_document_did_change(t.DidChangeTextDocumentParams(
                text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[change]))
            received = await asyncio.wait_for(waiter, timeout=10)
            samples.append((received - sent) * 1000 - DEBOUNCE_MS)
            count += 1
            await asyncio.sleep(0.01)
        p50, p99 = percentiles(samples)
        return {"diagnostics after debounce p50": p50, "diagnostics after debounce p99": p99,
                "diagnostics edits": count}
    finally:
        await close(client)


async def bench_initialize(root: Path, runs: int) -> dict[str, float]:
    times = []
    for _ in range(runs):
        client, elapsed = await launch(root)
        times.append(elapsed)
        await close(client)
    return {"initialize": statistics.median(times), "initialize min": min(times)}


def lsprotocol_import_ms(runs: int = 5) -> float:
    """Cumulative `import lsprotocol.types` from -X importtime (median of a few runs)."""
    values = []
    for _ in range(runs):
        result = subprocess.run([sys.executable, "-X", "importtime", "-c",
                                 "import lsprotocol.types"], capture_output=True, text=True,
                                check=True)
        for line in result.stderr.splitlines():
            parts = [p.strip() for p in line.split("|")]
            if len(parts) == 3 and parts[2] == "lsprotocol.types":
                values.append(int(parts[1]) / 1000)
    return statistics.median(values)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def bench_memory(root: Path, terms: int, documents: int) -> dict[str, float]:
    (root / "big-glossary.yaml").write_text(synthetic_glossary(terms), encoding="utf-8")
    (root / ".harvester-glossary.yaml").write_text("glossaries: [big-glossary.yaml]\n",
                                                   encoding="utf-8")
    client, _ = await launch(root)
    try:
        idle = rss_mb(client.pid)
        pages = [p for p in corpus_pages() if p.stat().st_size > 2_000][:documents]
        waiters = []
        for number, page in enumerate(pages):
            uri = open_doc(client, root / f"doc-{number:02d}.md", page.read_text("utf-8"))
            waiters.append(client.published_for(uri, 1))
        await asyncio.wait_for(asyncio.gather(*waiters), timeout=120)
        # exercise what a session does: hovers and completions in each
        for number in range(len(pages)):
            doc = t.TextDocumentIdentifier(uri=(root / f"doc-{number:02d}.md").as_uri())
            await client.text_document_hover_async(t.HoverParams(doc, t.Position(5, 3)))
            await client.text_document_completion_async(t.CompletionParams(
                doc, t.Position(5, 3)))
        return {"rss idle": idle, "rss": rss_mb(client.pid), "rss documents": len(pages),
                "rss terms": terms}
    finally:
        await close(client)


def report(figures: dict[str, float]) -> bool:
    ok = True
    print(f"{'measure':34} {'value':>10}  budget")
    for name, value in figures.items():
        budget = BUDGETS.get(name)
        unit = "MB" if name.startswith("rss") and "documents" not in name and \
            "terms" not in name else "" if "answered" in name or "requests" in name or \
            "edits" in name or "documents" in name or "terms" in name else "ms"
        verdict = ""
        if budget is not None:
            passed = value < budget if name == "rss" else value <= budget
            ok &= passed
            verdict = f"{'<' if name == 'rss' else '<='} {budget:g} {unit}  " + (
                "ok" if passed else "MISSED")
        shown = f"{value:10.2f}" if unit else f"{int(value):10d}"
        print(f"{name:34} {shown} {unit:2} {verdict}")
    return ok


async def main() -> int:
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent (the benchmark builds its document from the "
              "harvester/docs corpus)")
        return 0
    quick = "--quick" in sys.argv
    text = big_document()
    print(f"document: {LINES} lines, {len(text):,} characters from {len(corpus_pages())} "
          f"corpus pages; debounceMs {DEBOUNCE_MS}; {sys.executable}")
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="lsp-bench-") as tmp:
        root = Path(tmp)
        figures |= await bench_requests(root, text, 100 if quick else 400)
        figures |= await bench_diagnostics(root, text, 20 if quick else 60)
        figures |= await bench_initialize(root, 3 if quick else 7)
    figures["import lsprotocol.types"] = lsprotocol_import_ms()
    with tempfile.TemporaryDirectory(prefix="lsp-bench-mem-") as tmp:
        figures |= await bench_memory(Path(tmp), 10_000, 20)
    ok = report(figures)
    share = figures["import lsprotocol.types"] / figures["initialize"] * 100
    print(f"import lsprotocol.types is {share:.0f}% of the time to the initialize response")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
