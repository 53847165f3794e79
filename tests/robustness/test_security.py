"""Security: YAML is only loaded safely, nothing runs a program, nothing is read outside the
workspace unless a glossary path names it, `check --fix` stays in the tree and writes through a
temporary file, and hovers carry neither command links nor HTML.

Process-level claims are checked with a Python audit hook (PEP 578) in the CLI and the server:
it logs every `open`, directory listing, process creation and file-system change they make.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from harvester_glossary_ls.engine.models import Deprecation, Entry, Occurrence, OccurrenceKind
from harvester_glossary_ls.engine.project import Project
from harvester_glossary_ls.engine.render import hover_markdown, safe_markdown
from tests.robustness.conftest import DOC, snapshot, write_project
from tests.robustness.rawclient import RawServer

SERVER_PACKAGE = Path(__file__).resolve().parents[2] / "server" / "harvester_glossary_ls"
PWNED = "pwned-marker"
GIT_RUNNER = SERVER_PACKAGE / "engine" / "changes.py"
"""The one module of the server and CLI allowed to start a process: git, only for
`check --changed-since` (a plain `check` runs nothing, as
test_cli_runs_nothing_and_reads_only_what_it_may and
tests/test_cli_ci.py::test_git_runs_only_for_changed_since check)."""
PROCESS_RUNNERS = (GIT_RUNNER, SERVER_PACKAGE / "ci_action.py")
"""The modules that may start a process: git for `check --changed-since`, and the GitHub
Action's glue (git and `check` itself; never the server or the CLI, never from a config)."""

AUDITED = """
import os, sys
LOG = os.environ["HGLS_AUDIT_LOG"]
EVENTS = {"open", "os.listdir", "os.scandir", "subprocess.Popen", "os.system", "os.exec",
          "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "os.remove", "os.rename",
          "os.replace", "os.mkdir", "os.rmdir", "os.chmod", "os.symlink", "os.link",
          "os.truncate", "shutil.rmtree", "shutil.copyfile", "socket.connect", "ctypes.dlopen"}
busy = [False]
log = open(LOG, "a", buffering=1)
def hook(event, args):
    if event not in EVENTS or busy[0]:
        return
    busy[0] = True
    try:
        target = args[0] if args else ""
        writes = ""
        if event == "open":
            mode, flags = (args[1] or ""), (args[2] if len(args) > 2 else 0) or 0
            writes = "w" if any(c in mode for c in "wax+") or flags & (
                os.O_WRONLY | os.O_RDWR | os.O_CREAT) else ""
        if not isinstance(target, int):
            log.write(f"{event}\\t{os.path.realpath(os.fsdecode(target))}\\t{writes}\\n")
    except Exception:
        pass
    finally:
        busy[0] = False
sys.addaudithook(hook)
from harvester_glossary_ls.cli import main
sys.exit(main(sys.argv[1:]))
"""

ATTACKS = {
    "python/object/apply": f"!!python/object/apply:os.system ['touch {PWNED}']",
    "python/object/new": f"!!python/object/new:subprocess.Popen [['touch', '{PWNED}']]",
    "python/name": "!!python/name:os.system",
    "python/module": "!!python/module:os",
}


def audit(log: Path) -> list[tuple[str, str, str]]:
    if not log.exists():
        return []
    return [tuple(line.split("\t")) for line in log.read_text().splitlines()]  # type: ignore[misc]


def allowed_read(path: str, roots: list[Path]) -> bool:
    """Inside the workspace, an explicitly named glossary, the shipped glossary and package,
    the Python installation, or the process's own /proc and /dev entries."""
    places = [*roots, SERVER_PACKAGE, SERVER_PACKAGE.parents[1] / "glossary",
              Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix),
              Path(os.__file__).parent, Path("/proc"), Path("/dev/null"), Path("/dev/urandom")]
    real = Path(path)
    return any(real == place or place in real.parents for place in places)


# --- YAML is only loaded safely ----------------------------------------------------------------


def test_no_unsafe_yaml_loading_or_process_creation_in_the_source() -> None:
    unsafe = re.compile(r"yaml\.(load|load_all|full_load|unsafe_load|unsafe_load_all)\s*\(|"
                        r"(Unsafe|Full)?Loader\s*=\s*yaml\.(Loader|FullLoader|UnsafeLoader)|"
                        r"\b(subprocess|os\.system|os\.popen|os\.exec\w*|os\.spawn\w*|pickle|"
                        r"marshal|shelve|webbrowser|ctypes)\b|\beval\(|\bexec\(")
    hits = []
    for path in sorted(SERVER_PACKAGE.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if path in PROCESS_RUNNERS and re.search(r"\bsubprocess\b", line) \
                    and not unsafe.search(line.replace("subprocess", "")):
                continue  # see PROCESS_RUNNERS; test_cli_ci.py, test_action.py
            if unsafe.search(line) and not line.lstrip().startswith("#"):
                hits.append(f"{path.relative_to(SERVER_PACKAGE)}:{number}: {line.strip()}")
    assert not hits, hits
    loaders = [line for path in SERVER_PACKAGE.rglob("*.py")
               for line in path.read_text(encoding="utf-8").splitlines()
               if re.search(r"yaml\.\w+\(", line)]
    # the only calls into PyYAML: safe loading, composing, and building a scalar node to resolve
    assert all(re.search(r"yaml\.(safe_load|compose|ScalarNode)\(", line) for line in loaders), \
        loaders
    assert any("CSafeLoader" in line or "SafeLoader" in line
               for line in (SERVER_PACKAGE / "engine" / "yamlnodes.py").read_text().splitlines())


@pytest.mark.parametrize("attack", ATTACKS, ids=list(ATTACKS))
def test_python_tags_in_glossary_config_and_front_matter_run_nothing(tmp_path: Path,
                                                                     attack: str) -> None:
    tag = ATTACKS[attack]
    root = write_project(tmp_path / "ws", glossary=f"entries: {tag}\n",
                         config=f"glossaries: [terms.yaml, terms/]\nignoreWords: {tag}\n")
    (root / "terms").mkdir()
    (root / "terms" / "node.md").write_text(f"---\ntitle: {tag}\n---\nA node.\n")
    (root / "docs").mkdir()
    (root / "docs" / "page.md").write_text(f"---\nslug: {tag}\n---\nThe guest cluster.\n")
    os.chdir(root)
    project = Project(root)
    messages = " ".join(p.message for p in project.problems)
    assert "must be a" in messages and "front matter" in messages, messages
    result = subprocess.run([sys.executable, "-m", "harvester_glossary_ls", "check", "."],
                            cwd=root, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr  # the broken files are errors
    assert not (root / PWNED).exists() and not Path(PWNED).exists()


# --- nothing runs a program; nothing is read outside the workspace unless named -----------------


@pytest.fixture
def hostile_workspace(tmp_path: Path) -> tuple[Path, Path]:
    """A workspace whose config names a glossary outside it, and whose files point everywhere
    else: links to /etc/passwd and to files beside the workspace, command: and file: URLs."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "named.yaml").write_text(
        "entries:\n  - term: Outsider\n    definition: Named in the config.\n")
    (outside / "secret.md").write_text("# Secret heading\n")
    glossary = (
        "entries:\n"
        "  - term: Frobnicator\n"
        "    definition: >-\n"
        "      See [passwd](../../../../../../etc/passwd),\n"
        "      [secret](../outside/secret.md#secret-heading), [run](command:workbench.action."
        "terminal.new), [file](file:///etc/shadow) and <img src=x onerror=alert(1)>.\n"
        "    url: command:workbench.action.terminal.new\n")
    config = ("glossaries: [terms.yaml, ../outside/named.yaml]\n"
              "include: ['../outside/**', '/etc/**', '**/*.md']\n"
              "ignoreWords: ['$(touch pwned)', '`touch pwned`']\n")
    root = write_project(tmp_path / "ws", glossary=glossary, config=config)
    docs = root / "docs" / "getting-started"
    docs.mkdir(parents=True)
    (root / "docusaurus.config.js").write_text("module.exports = {};\n")
    (root / "versions.json").write_text('["v1.6"]\n')
    (docs / "glossary.md").write_text(
        "---\nid: glossary\n---\n# Glossary\n\n## **Guest cluster**\n\nSee "
        "[a](../../../outside/secret.md#secret-heading), [b](/../../outside/secret.md) and "
        "[c](a/../../../../outside/secret.md).\n")
    (root / "docs" / "page.md").write_text(
        "The Frobnicator, the Outsider, the Guest Cluster. [x](../../outside/secret.md)\n")
    return root, outside


def check_audit(log: Path, root: Path, named: Path) -> list[str]:
    events = audit(log)
    assert events, "the audit hook logged nothing"
    spawned = [e for e in events if e[0] in ("subprocess.Popen", "os.system", "os.exec",
                                             "os.posix_spawn", "os.spawn", "os.fork",
                                             "os.forkpty", "socket.connect", "ctypes.dlopen")]
    assert not spawned, spawned
    reads = sorted({path for event, path, _ in events if event in ("open", "os.listdir",
                                                                    "os.scandir")})
    outside = [path for path in reads if not allowed_read(path, [root, named, log])]
    assert not outside, f"read outside the workspace: {outside}"
    return reads


def test_cli_runs_nothing_and_reads_only_what_it_may(hostile_workspace: tuple[Path, Path],
                                                     tmp_path: Path) -> None:
    root, outside = hostile_workspace
    log = tmp_path / "cli-audit.log"
    result = subprocess.run([sys.executable, "-c", AUDITED, "check", "."],
                            cwd=root, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "HGLS_AUDIT_LOG": str(log)})
    assert result.returncode in (1, 2), result.stderr
    reads = check_audit(log, root, outside / "named.yaml")
    assert str(outside / "named.yaml") in reads  # named explicitly: read
    assert str(outside / "secret.md") not in reads


def test_server_runs_nothing_and_reads_only_what_it_may(hostile_workspace: tuple[Path, Path],
                                                        tmp_path: Path) -> None:
    root, outside = hostile_workspace
    root = root.resolve()
    log = tmp_path / "server-audit.log"
    server = RawServer(cwd=root, args=[sys.executable, "-c", AUDITED, "--stdio"],
                       env={"HGLS_AUDIT_LOG": str(log)})
    try:
        server.initialize("visual_studio_code", root)
        glossary_page = root / "docs" / "getting-started" / "glossary.md"
        server.open(glossary_page.as_uri(), glossary_page.read_text())
        problems = [d["message"] for d in server.current_diagnostics(glossary_page.as_uri(), 1)]
        assert sum("outside the docs tree" in p for p in problems) == 3, problems
        page = root / "docs" / "page.md"
        server.open(page.as_uri(), page.read_text())
        hover = server.hover(page.as_uri(), 0, 6)
        assert hover is not None
        value = hover["contents"]["value"]
        assert "command:" not in value and "<img" not in value and "file:" not in value
        assert server.hover(page.as_uri(), 0, 22) is not None  # "Outsider": named, so loaded
        for method, extra in [("textDocument/references", {"context": {
                "includeDeclaration": True}}), ("textDocument/definition", {}),
                ("textDocument/completion", {})]:
            server.result(method, {"textDocument": {"uri": page.as_uri()},
                                   "position": {"line": 0, "character": 6}, **extra})
        server.result("textDocument/codeAction", {
            "textDocument": {"uri": page.as_uri()}, "context": {"diagnostics": []},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}}})
        server.result("workspace/symbol", {"query": "frob"})
        server.notify("workspace/didChangeWatchedFiles", {"changes": [
            {"uri": (root / ".harvester-glossary.yaml").as_uri(), "type": 2}]})
        server.hover(page.as_uri(), 0, 6)
    finally:
        assert server.shutdown() == 0
    reads = check_audit(log, root, outside / "named.yaml")
    assert str(outside / "named.yaml") in reads  # named explicitly: read
    assert str(outside / "secret.md") not in reads
    assert not (root / "pwned").exists()
    writes = [e for e in audit(log) if e[0] == "open" and e[2] == "w" and e[1] != str(log)]
    assert not writes, writes


# --- check --fix --------------------------------------------------------------------------------


def test_fix_writes_through_a_temporary_file_and_stays_in_the_tree(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.md"
    victim.write_text("Attach the VM to the harvester-mgmt network.\n")
    root = write_project(tmp_path / "ws")
    docs = root / "docs"
    docs.mkdir()
    inside = docs / "inside.md"
    inside.write_text("Attach the VM to the harvester-mgmt network.\r\nMore.\r\n")
    inside.chmod(0o640)
    (docs / "link-in.md").symlink_to("inside.md")
    (docs / "link-out.md").symlink_to(victim)
    (root / "linkdir").symlink_to(outside)
    latin1 = docs / "latin1.md"
    latin1.write_bytes("Attach the harvester-mgmt network. Caf\u00e9\n".encode("latin-1"))
    inode = inside.stat().st_ino
    outside_before = snapshot(outside)
    latin1_bytes = latin1.read_bytes()
    log = tmp_path / "fix-audit.log"
    result = subprocess.run([sys.executable, "-c", AUDITED, "check", "--fix", "docs",
                             "linkdir/victim.md"], cwd=root, capture_output=True, text=True,
                            timeout=60, env={**os.environ, "HGLS_AUDIT_LOG": str(log)})
    assert "fixed 1 file(s)" in result.stderr, result.stderr
    assert inside.read_bytes() == b"Attach the VM to the mgmt network.\r\nMore.\r\n"
    assert inside.stat().st_ino != inode, "not replaced through a rename"
    assert oct(inside.stat().st_mode & 0o777) == oct(0o640)
    assert (docs / "link-in.md").is_symlink()
    assert snapshot(outside) == outside_before, "a symlink carried --fix out of the tree"
    assert "link-out.md: not fixed" in result.stderr
    assert "linkdir/victim.md: not fixed" in result.stderr
    assert latin1.read_bytes() == latin1_bytes and "latin1.md: skipped: not UTF-8" in result.stderr
    assert not [p for p in docs.iterdir() if p.name.startswith(".")], "a temporary file remains"
    events = audit(log)
    temp_writes = [e for e in events if e[0] == "open" and e[2] == "w" and e[1] != str(log)]
    renames = [e for e in events if e[0] in ("os.rename", "os.replace")]
    assert len(temp_writes) == 1 and Path(temp_writes[0][1]).name.startswith(".inside.md.")
    assert len(renames) == 1 and renames[0][1] == temp_writes[0][1]


def test_fix_leaves_an_unparseable_file_untouched(tmp_path: Path) -> None:
    root = write_project(tmp_path / "ws")
    cases = {"latin1.md": "the harvester-mgmt network. Caf\u00e9".encode("latin-1"),
             "nul.md": b"the harvester-mgmt network\x00",
             "utf16.md": "the harvester-mgmt network".encode("utf-16")}
    for name, data in cases.items():
        (root / name).write_bytes(data)
    before = snapshot(root)
    result = subprocess.run([sys.executable, "-m", "harvester_glossary_ls", "check", "--fix",
                             *cases], cwd=root, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert snapshot(root) == before
    assert "fixed 0 file(s)" in result.stderr


# --- hovers -------------------------------------------------------------------------------------

RENDER = MarkdownIt("commonmark")
SAFE_URL = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
HOSTILE = ["[x](command:workbench.action.terminal.new)", "<img src=x onerror=alert(1)>",
           "[x][r]\n\n[r]: command:workbench.action.terminal.new", "[x](<command:foo>)",
           "[y](javascript:alert(1))", "![i](https://evil.example/track.png)", "<command:foo>",
           "<script>alert(1)</script>", "[x]( command:foo )", "[x](command:foo \"t\")",
           "[a [b] c](command:x)", "\\[x\\](command:y)", "\\\\[x](command:y)",
           "[ok](https://docs.harvesterhci.io/x)", "[m](mailto:a@b.c)", "&lt;img src=x&gt;",
           "[x](vscode://file/etc/passwd)", "[x](file:///etc/passwd)", "<a href='command:x'>a</a>",
           "`code <b>`", "**bold** _it_", "[", "]", "(", ")", "\\", "\n", " ", "command:x",
           "[r]: command:y", "<!-- c -->", "&#60;img&#62;", "[x](COMMAND:y)"]
markdown_texts = st.lists(st.sampled_from(HOSTILE) | st.text(max_size=4), max_size=8).map("".join)


def rendered_is_inert(markdown: str) -> None:
    html = RENDER.render(markdown)
    for url in re.findall(r'(?:href|src)="([^"]*)"', html):
        assert SAFE_URL.match(url), (url, markdown, html)
    tags = set(re.findall(r"<\s*([a-zA-Z][\w-]*)", html))
    assert tags <= {"p", "a", "em", "strong", "code", "br", "pre", "ul", "ol", "li", "blockquote",
                    "h1", "h2", "h3", "h4", "h5", "h6", "hr"}, (tags, markdown, html)
    assert "<img" not in html and "<script" not in html


@settings(max_examples=1000)
@given(markdown_texts)
def test_safe_markdown_renders_inert(definition: str) -> None:
    rendered_is_inert(safe_markdown(definition))


@settings(max_examples=500)
@given(term=markdown_texts, alias=markdown_texts, definition=markdown_texts,
       form=markdown_texts, use=markdown_texts, note=markdown_texts, url=markdown_texts)
def test_every_hover_field_renders_inert(term: str, alias: str, definition: str, form: str,
                                         use: str, note: str, url: str) -> None:
    deprecation = Deprecation(form=form or "x", use=(use,), note=note)
    entry = Entry(term=term or "t", aliases=(alias,), definition=definition, url=url,
                  deprecations=(deprecation,))
    occurrence = Occurrence(0, 1, entry, OccurrenceKind.DEPRECATED, form, alias,
                            deprecation=deprecation)
    rendered_is_inert(hover_markdown(entry, occurrence))


def test_hover_over_the_wire_has_no_command_link_or_html(tmp_path: Path) -> None:
    glossary = ("entries:\n  - term: Frobnicator\n    definition: \"[x](command:workbench.action."
                "terminal.new) <img src=x onerror=alert(1)> [ok](https://example.com)\"\n")
    root = write_project(tmp_path / "ws", glossary=glossary).resolve()
    server = RawServer(cwd=root)
    try:
        server.initialize("neovim+pull", root)
        uri = (root / "doc.md").as_uri()
        server.open(uri, DOC)
        value = server.hover(uri, 2, 6)["contents"]["value"]
        assert "command:" not in value and "<img" not in value
        assert "[ok](https://example.com)" in value
        rendered_is_inert(value)
    finally:
        assert server.shutdown() == 0
