"""The Kubernetes-style Hugo glossary folder: fixtures here, plus the real sample in ../shared."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harvester_glossary_ls.engine.models import Severity, SourceLocation
from harvester_glossary_ls.engine.parsers.hugo import (
    parse_hugo_file,
    parse_hugo_folder,
    render_shortcodes,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "hugo"
SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "glossary" / "kubernetes-sample"
K8S = "https://kubernetes.io"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _term_file(title: str, aka: str = "", body: str = "Body.") -> str:
    return f"---\ntitle: {title}\nid: x\nshort_description: >\n  Short.\naka: {aka}\n---\n{body}\n"


# --- shortcodes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            'a {{< glossary_tooltip text="control plane" term_id="control-plane" >}}.',
            "a control plane.",
        ),
        ('{{< glossary_tooltip term_id="pod" >}}s', "pods"),
        ('{{< glossary_tooltip term_id="pod" text="Pods" >}}', "Pods"),
        ("{{<glossary_tooltip text=`raw text` term_id=x>}}", "raw text"),
        ("{{< glossary_tooltip term_id=node >}}", "node"),
        ('{{< glossary_tooltip text="say \\"hi\\"" term_id="x" >}}', 'say "hi"'),
        ('{{% glossary_tooltip text="percent" term_id="x" %}}', "percent"),
        ('x{{< glossary_definition term_id="pod" length="all" >}}y', "xy"),
        ("{{< note >}}Keep **this**.{{< /note >}}", "Keep **this**."),
        ('{{< figure src="a.png" />}}gone', "gone"),
        (
            'show {{</* glossary_tooltip term_id="x" */>}} literally',
            'show {{< glossary_tooltip term_id="x" >}} literally',
        ),
        ("no shortcodes {{ here }}", "no shortcodes {{ here }}"),
    ],
)
def test_render_shortcodes(source: str, expected: str) -> None:
    assert render_shortcodes(source) == expected


# --- the fixture folder -------------------------------------------------------------------------


def test_fixture_folder() -> None:
    result = parse_hugo_folder(FIXTURES)
    assert [entry.term for entry in result.entries] == ["Node", "Pod"]  # _index.md is skipped
    [problem] = result.problems
    assert problem.path == str(FIXTURES / "broken.md")
    assert problem.message.startswith("broken front matter")
    assert problem.line == 4  # `aka:`, where the YAML scanner gives up; 0-based, after `---`


def test_fixture_aka_list_tooltips_and_links() -> None:
    pod = parse_hugo_folder(FIXTURES).entries[1]
    assert pod.aliases == ("po", "Pods")
    assert pod.url == f"{K8S}/docs/concepts/workloads/pods/"
    assert pod.source == SourceLocation(str(FIXTURES / "pod.md"), 0)
    assert pod.definition == (
        "The smallest and simplest Kubernetes object. A Pod represents a set of running "
        "containers on your cluster.\n\n"
        "A Pod is typically set up to run a single primary container on a node.\n"
        f"Read [Pods]({K8S}/docs/concepts/workloads/pods/) for details."
    )
    [link] = pod.links
    assert (link.text, link.href, link.url) == (
        "Pods",
        "/docs/concepts/workloads/pods/",
        f"{K8S}/docs/concepts/workloads/pods/",
    )


def test_fixture_aka_null_and_relative_full_link() -> None:
    node = parse_hugo_file(FIXTURES / "node.md").entries[0]
    assert node.aliases == ()
    assert node.url == f"{K8S}/docs/concepts/architecture/nodes/"
    assert node.definition == (
        "A node is a worker machine in Kubernetes.\n\n"
        "A worker node may be a VM or physical machine. It runs a kubelet and a container "
        "runtime, managed by the control plane."
    )


def test_base_url_is_configurable() -> None:
    result = parse_hugo_file(FIXTURES / "pod.md", base_url="https://k8s.example/")
    assert result.entries[0].url == "https://k8s.example/docs/concepts/workloads/pods/"


# --- definition assembly ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "body", "expected"),
    [
        ("short_description: Short.", "Short.\n<!--more-->\nLong.", "Short.\n\nLong."),
        ("short_description: Short.", "Short.", "Short."),
        ("short_description: Short.", " Short.\n\n<!--more-->  \n", "Short."),
        ("short_description: Short.", "Other text.", "Short.\n\nOther text."),
        ("short_description:", "Lead.\n<!-- more -->\nLong.", "Lead.\n\nLong."),
        ("short_description:", "Only a body.", "Only a body."),
    ],
)
def test_definition(tmp_path: Path, front: str, body: str, expected: str) -> None:
    path = _write(tmp_path / "t.md", f"---\ntitle: T\n{front}\n---\n{body}\n")
    assert parse_hugo_file(path).entries[0].definition == expected


@pytest.mark.parametrize(
    ("full_link", "url"),
    [
        ("", ""),
        ("''", ""),
        ("/docs/a/", f"{K8S}/docs/a/"),
        ("docs/a/", f"{K8S}/docs/a/"),
        ("https://example.com/a", "https://example.com/a"),
    ],
)
def test_full_link(tmp_path: Path, full_link: str, url: str) -> None:
    path = _write(tmp_path / "t.md", f"---\ntitle: T\nfull_link: {full_link}\n---\nBody\n")
    assert parse_hugo_file(path).entries[0].url == url


# --- problems, never exceptions -----------------------------------------------------------------


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "blob.md"
    path.write_bytes(b"---\ntitle: X\n---\n\x00\x01\x02")
    result = parse_hugo_file(path)
    assert result.entries == ()
    assert "binary" in result.problems[0].message


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.md"
    path.write_bytes("---\ntitle: Caf\u00e9\n---\nbody\n".encode("latin-1"))
    [problem] = parse_hugo_file(path).problems
    assert "UTF-8" in problem.message
    assert problem.line == 1


def test_unreadable_paths(tmp_path: Path) -> None:
    assert "cannot read" in parse_hugo_file(tmp_path / "missing.md").problems[0].message
    assert "cannot read" in parse_hugo_file(tmp_path).problems[0].message
    assert parse_hugo_folder(tmp_path / "missing").problems[0].message == "not a folder"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Just Markdown.\n", "missing front matter"),
        ("---\ntitle: Never closed\n", "missing front matter"),
        ("+++\ntitle = 'TOML'\n+++\n", "missing front matter"),
        ("---\n- a\n- list\n---\n", "not a YAML mapping"),
        ("---\n---\nbody\n", "not a YAML mapping"),
        ("---\nid: x\n---\nbody\n", "no 'title'"),
        ("---\ntitle: ''\n---\nbody\n", "no 'title'"),
        ("---\ntitle: [a, b]\n---\nbody\n", "no 'title'"),
        ("---\ntitle: 'x\n---\n", "broken front matter"),
    ],
)
def test_bad_front_matter(tmp_path: Path, text: str, message: str) -> None:
    result = parse_hugo_file(_write(tmp_path / "t.md", text))
    assert result.entries == ()
    assert message in result.problems[0].message
    assert result.problems[0].severity is Severity.ERROR


def test_odd_aka_values_warn(tmp_path: Path) -> None:
    single = parse_hugo_file(_write(tmp_path / "a.md", _term_file("A", aka="one")))
    assert single.entries[0].aliases == ("one",)
    mixed = parse_hugo_file(_write(tmp_path / "b.md", _term_file("B", aka="[x, {y: 1}]")))
    assert mixed.entries[0].aliases == ("x",)
    assert mixed.problems[0].severity is Severity.WARNING
    mapping = parse_hugo_file(_write(tmp_path / "c.md", _term_file("C", aka="{y: 1}")))
    assert mapping.entries[0].aliases == ()
    assert "'aka'" in mapping.problems[0].message


def test_empty_definition_warns(tmp_path: Path) -> None:
    result = parse_hugo_file(_write(tmp_path / "t.md", "---\ntitle: Empty\n---\n"))
    assert result.entries[0].definition == ""
    assert result.problems[0].severity is Severity.WARNING


def test_duplicate_terms_and_aliases(tmp_path: Path) -> None:
    _write(tmp_path / "a-pod.md", _term_file("Pod", aka="[po]"))
    _write(tmp_path / "b-pod.md", _term_file("pod"))
    _write(tmp_path / "c-other.md", _term_file("Other", aka="[PO, other, alt]"))
    result = parse_hugo_folder(tmp_path)
    assert [(e.term, e.aliases) for e in result.entries] == [
        ("Pod", ("po",)),
        ("Other", ("other", "alt")),  # a case-only aka is an accepted spelling, kept
    ]
    messages = [(p.path, p.severity, p.message) for p in result.problems]
    assert messages == [
        (
            str(tmp_path / "b-pod.md"),
            Severity.ERROR,
            "duplicate term 'pod' (already defined in a-pod.md)",
        ),
        (
            str(tmp_path / "c-other.md"),
            Severity.WARNING,
            "alias 'PO' dropped (already defined in a-pod.md)",
        ),
    ]


def test_folder_skips_index_readme_and_subfolders(tmp_path: Path) -> None:
    _write(tmp_path / "index.md", "---\ntitle: Glossary\n---\n")
    _write(tmp_path / "README.md", "# Not a term\n")
    _write(tmp_path / "notes.txt", "not Markdown")
    (tmp_path / "nested").mkdir()
    _write(tmp_path / "nested" / "deep.md", _term_file("Deep"))
    (tmp_path / "dir.md").mkdir()
    _write(tmp_path / "real.md", _term_file("Real"))
    result = parse_hugo_folder(tmp_path)
    assert [entry.term for entry in result.entries] == ["Real"]
    assert result.problems == ()


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda s: s.encode("utf-8")))
def test_never_raises(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.md"
        path.write_bytes(b"---\ntitle: T\n" + data)
        result = parse_hugo_folder(Path(folder))
        assert len(result.entries) + len(result.problems) >= 1


# --- the real kubernetes/website sample ---------------------------------------------------------


@pytest.mark.skipif(not SAMPLE.is_dir(), reason=f"needs ../shared beside the repo ({SAMPLE})")
def test_kubernetes_sample() -> None:
    result = parse_hugo_folder(SAMPLE)
    assert result.problems == ()  # README.md is not a term and is skipped
    entries = {entry.term: entry for entry in result.entries}
    assert list(entries) == [
        "cgroup",  # title "cgroup (control group)"
        "Cluster",
        "CustomResourceDefinition",
        "Dockershim",
        "Horizontal Pod Autoscaler",
    ]
    hpa = entries["Horizontal Pod Autoscaler"]
    assert hpa.aliases == ("HPA",)
    assert entries["cgroup"].aliases == ("control group",)
    assert all(entry.aliases == () for name, entry in entries.items()
               if name not in (hpa.term, "cgroup"))
    assert hpa.definition == (
        "An API resource that automatically scales the number of pod replicas based on "
        "targeted CPU utilization or custom metric targets.\n\n"
        "HPA is typically used with ReplicationControllers, Deployments, or ReplicaSets. It "
        "cannot be applied to objects that cannot be scaled, for example DaemonSets."
    )
    assert hpa.url == f"{K8S}/docs/tasks/run-application/horizontal-pod-autoscale/"
    assert entries["Cluster"].definition == (
        "A set of machines that run containerized applications managed by Kubernetes.\n\n"
        "A cluster has a control plane and several nodes."
    )
    assert entries["Cluster"].url == ""  # `full_link: ` is empty
    assert entries["CustomResourceDefinition"].url == (
        f"{K8S}/docs/tasks/access-kubernetes-api/extend-api-custom-resource-definitions/"
    )
    dockershim = entries["Dockershim"]
    # The short description, not the body's differently worded lead paragraph, comes first.
    assert dockershim.definition.startswith(
        "Dockershim is a component of Kubernetes v1.23 and earlier, which allows"
    )
    assert dockershim.definition.endswith(
        f"see [Dockershim FAQ]({K8S}/blog/2022/02/17/dockershim-faq)."
    )
    assert [link.href for link in dockershim.links] == ["/blog/2022/02/17/dockershim-faq"]
    assert entries["cgroup"].source == SourceLocation(str(SAMPLE / "cgroup.md"))
    assert "{{" not in "".join(entry.definition for entry in result.entries)
