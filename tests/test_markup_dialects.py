"""Markup dialects (issue 9, item 7): Hugo shortcodes, paths, hostnames and dotted identifiers,
shell scripts in YAML values, and pages generated from source code.

Every case is a document and the exact findings it must give, `(code, text as written)`, with a
small glossary whose terms hide inside each construct ("rke2" in `/etc/rancher/rke2/`,
"kubernetes" in `node.kubernetes.io`, "guest cluster" in a shortcode's code body).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from harvester_glossary_ls.engine.analysis import auto_generated
from harvester_glossary_ls.engine.code_tokens import code_token_spans, is_code_token
from harvester_glossary_ls.engine.config import parse_config
from harvester_glossary_ls.engine.rule_codes import RuleSettings
from harvester_glossary_ls.engine.scan import MASK, LineKind
from harvester_glossary_ls.engine.scan_markdown import scan_markdown
from harvester_glossary_ls.engine.scan_yaml import is_script_key, scan_yaml
from tests.glossary_testkit import analyse, compile_yaml, findings, matched

GLOSSARY = compile_yaml("""\
entries:
  - term: RKE2
    definition: The Rancher Kubernetes distribution.
    casing: strict
  - term: Kubernetes
    definition: The container orchestrator.
    casing: strict
  - term: SMB
    definition: A file-sharing protocol.
    casing: strict
  - term: TCP
    definition: A transport protocol.
    casing: strict
  - term: guest cluster
    definition: A Kubernetes cluster that runs on virtual machines.
    casing: strict
  - term: mgmt
    definition: The built-in cluster network.
    deprecated:
      - form: harvester-mgmt
        use: mgmt
""")

C, D = "term-casing", "deprecated-term"


def found(text: str, language: str = "markdown", **options: object) -> list[tuple[str, str]]:
    return findings(text, language, compiled=GLOSSARY, **options)


# --- Hugo shortcodes -----------------------------------------------------------------------

SHORTCODES = [
    ("highlight-body-is-code",
     "A Guest Cluster.\n\n{{< highlight yaml >}}\nGuest Cluster: harvester-mgmt\n"
     "{{< /highlight >}}\n\nThe Guest Cluster.\n",
     [(C, "Guest Cluster"), (C, "Guest Cluster")]),
    ("highlight-percent-form",
     "{{% highlight bash %}}\necho Guest Cluster\n{{% /highlight %}}\nA Guest Cluster.\n",
     [(C, "Guest Cluster")]),
    ("code-and-codenew-bodies",
     "{{< code lang=\"yaml\" >}}\nharvester-mgmt\n{{< /code >}}\n\n"
     "{{< codenew >}}\nharvester-mgmt\n{{< /codenew >}}\n\nUse harvester-mgmt.\n",
     [(D, "harvester-mgmt")]),
    ("code-sample-with-body",
     "{{% code_sample language=\"yaml\" %}}\nharvester-mgmt\n{{% /code_sample %}}\n",
     []),
    ("code-sample-without-body-leaves-the-rest-prose",
     "{{% code_sample file=\"guest-cluster.yaml\" %}}\n\nThe Guest Cluster.\n",
     [(C, "Guest Cluster")]),
    ("tab-with-codelang-is-code",
     "{{< tabs name=\"t\" >}}\n{{< tab name=\"Guest Cluster\" codelang=\"bash\" >}}\n"
     "echo harvester-mgmt Guest Cluster\n{{< /tab >}}\n{{< /tabs >}}\n",
     []),
    ("markdown-tab-is-prose",
     "{{< tabs >}}\n{{% tab name=\"Guest Cluster\" %}}\nThe Guest Cluster and harvester-mgmt.\n"
     "{{% /tab %}}\n{{< /tabs >}}\n",
     [(C, "Guest Cluster"), (D, "harvester-mgmt")]),
    ("tab-without-codelang-is-prose",
     "{{< tab name=\"x\" >}}\nThe Guest Cluster.\n{{< /tab >}}\n",
     [(C, "Guest Cluster")]),
    ("note-and-warning-bodies-are-prose",
     "{{< note >}}\nThe Guest Cluster.\n{{< /note >}}\n\n"
     "{{< warning title=\"Guest Cluster\" >}}\nUse harvester-mgmt.\n{{< /warning >}}\n",
     [(C, "Guest Cluster"), (D, "harvester-mgmt")]),
    ("tag-parameters-are-not-prose",
     "{{< figure src=\"/img/guest-cluster.png\" alt=\"The Guest Cluster\" >}}\n",
     []),
    ("multi-line-tag",
     "{{< figure src=\"/img/x.png\"\n    alt=\"The Guest Cluster\"\n"
     "    caption=\"harvester-mgmt\" >}}\n\nThe Guest Cluster.\n",
     [(C, "Guest Cluster")]),
    ("multi-line-code-tag",
     "{{< tab name=\"Guest Cluster\"\n    codelang=\"yaml\" >}}\nharvester-mgmt\n{{< /tab >}}\n"
     "After harvester-mgmt.\n",
     [(D, "harvester-mgmt")]),
    ("inline-tag-in-prose",
     "Longhorn {{< current-version >}} runs the Guest Cluster.\n"
     "{{< current-version >}} is the Guest Cluster version.\n",
     [(C, "Guest Cluster"), (C, "Guest Cluster")]),
    ("inline-tag-wrapped-in-a-paragraph",
     "See {{< ref \"Guest Cluster\"\n   >}} for the Guest Cluster.\n",
     [(C, "Guest Cluster")]),
    ("indented-in-a-list",
     "1. Run:\n\n    {{< highlight bash >}}\n    echo harvester-mgmt\n    {{< /highlight >}}\n\n"
     "1. Then the Guest Cluster.\n",
     [(C, "Guest Cluster")]),
    ("self-closing-code-tag-has-no-body",
     "{{< code file=\"x.yaml\" />}}\nThe Guest Cluster.\n",
     [(C, "Guest Cluster")]),
    ("escaped-shortcode-comment",
     "Write {{</* highlight Guest Cluster */>}} to start one; the Guest Cluster.\n",
     [(C, "Guest Cluster")]),
    ("tag-inside-a-url",
     "Get https://x.io/v{{< current-version >}}/Guest-Cluster/harvester-mgmt.yaml and "
     "{{<note>}} the Guest Cluster.\n",
     [(C, "Guest Cluster")]),
    ("stray-opener-is-prose",
     "{{< a stray opener\n\nThe Guest Cluster.\n",
     [(C, "Guest Cluster")]),
]


@pytest.mark.parametrize(("text", "expected"),
                         [pytest.param(t, e, id=i) for i, t, e in SHORTCODES])
def test_shortcodes(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_code_bearing_shortcodes_are_code_blocks_with_their_language() -> None:
    text = ("{{< highlight yaml >}}\nkind: X\n{{< /highlight >}}\n"
            "{{< tab name=\"a\" codelang=\"Bash\" >}}\necho\n{{< /tab >}}\n"
            "{{% code_sample file=\"x.yaml\" %}}\n")
    blocks = scan_markdown(text).code_blocks
    assert [(text[s:e].split("\n")[0], info) for s, e, info in blocks] == [
        ("{{< highlight yaml >}}", "yaml"), ("{{< tab name=\"a\" codelang=\"Bash\" >}}", "bash")]
    assert all(text[s:e].endswith(">}}") for s, e, _ in blocks)


def test_a_shortcode_line_is_no_prose_line_and_breaks_a_paragraph() -> None:
    scan = scan_markdown("Text guest\n{{< note >}}\ncluster here.\n")
    assert scan.kinds[1] == LineKind.OTHER
    assert found("Text Guest\n{{< note >}}\nCluster here.\n") == []  # no term across a tag


# --- paths, hostnames, dotted identifiers --------------------------------------------------

CODE_TOKENS = [
    "/apis/v1/namespaces/{namespace}/endpointslices", "/dev/longhorn/vol", "a/b/c.yaml",
    "/etc/rancher/rke2/config.yaml.d/", "longhorn.io", "registry.k8s.io", "spec.nodeSelector",
    "node.kubernetes.io/instance-type", "./run.sh", "../up", "~/bin", "/var", "a/b/c",
    "apps/v1/deployments", "{namespace}/pods", "config/", "e.g", "values.yaml", "Node.js",
    "registry.k8s.io/pause:3.9",
]
PROSE_TOKENS = ["Attach/Reattach", "and/or", "SMB/CIFS", "TCP/IP", "v1.7.0", "input/output",
                "1/2", "read-only/read-write", "word", "/", "end."]


@pytest.mark.parametrize("token", CODE_TOKENS)
def test_code_tokens(token: str) -> None:
    assert is_code_token(token)


@pytest.mark.parametrize("token", PROSE_TOKENS)
def test_prose_tokens(token: str) -> None:
    assert not is_code_token(token)


def test_token_spans_leave_sentence_punctuation_and_brackets() -> None:
    text = "See (longhorn.io), /dev/sda. Then `x` and **spec.replicas**; done"
    assert [text[s:e] for s, e in code_token_spans(text)] == [
        "longhorn.io", "/dev/sda", "spec.replicas"]


PATHS_MARKDOWN = [
    ("path-with-a-term", "Install rke2 into /etc/rancher/rke2/config.yaml.d/ first.\n",
     [(C, "rke2")]),
    ("rest-path", "Call GET /apis/v1/namespaces/{namespace}/kubernetes to list them.\n", []),
    ("hostnames", "Pull from registry.k8s.io/rke2 or see kubernetes.io and rke2.io.\n", []),
    ("dotted-identifiers", "Set spec.kubernetes and node.kubernetes.io/zone here.\n", []),
    ("relative-paths-and-files", "Read a/rke2/c.yaml, ./rke2 and ~/rke2 and rke2.yaml.\n", []),
    ("slash-prose-stays", "Use smb/cifs and tcp/ip for the guest Cluster.\n",
     [(C, "smb"), (C, "tcp"), (C, "guest Cluster")]),
    ("sentence-start-after-a-path", "Edit /etc/hosts. Guest cluster nodes restart.\n", []),
    ("wrapped-over-a-path", "The guest\n/var/lib/cluster is no term.\n", []),
]


@pytest.mark.parametrize(("text", "expected"),
                         [pytest.param(t, e, id=i) for i, t, e in PATHS_MARKDOWN])
def test_paths_hostnames_and_identifiers_in_markdown(
        text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


PATHS_YAML = [
    ("comment-path", "# rke2 reads /etc/rancher/rke2/config.yaml.d/ on start\nk: 1\n",
     [(C, "rke2")]),
    ("value-path", "path: /etc/rancher/rke2/config.yaml.d/\n", []),
    ("value-hostname", "image: registry.k8s.io/kubernetes/pause:3.9\n", []),
    ("value-dotted", "note: set spec.kubernetes or node.kubernetes.io/zone for the Guest Cluster\n",
     [(C, "Guest Cluster")]),
    ("quoted-value", "note: \"see /var/lib/rke2 and rke2.io\"\n", []),
]


@pytest.mark.parametrize(("text", "expected"),
                         [pytest.param(t, e, id=i) for i, t, e in PATHS_YAML])
def test_paths_hostnames_and_identifiers_in_yaml(
        text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, "yaml") == expected


# --- shell scripts in YAML values ----------------------------------------------------------

SCRIPTS = [
    ("configmap-run-sh",
     "kind: ConfigMap\ndata:\n  run.sh: |\n    rke2 server --guest-cluster\n    echo rke2\n"
     "  notes: |\n    The rke2 notes.\n",
     [(C, "rke2")]),
    ("data-keys-named-like-files",
     "data:\n  hook.py: |\n    print('rke2')\n  config.yaml: |\n    # rke2 config\n"
     "  start.bash: rke2 server\n",
     []),
    ("shebang-first-line",
     "data:\n  hook: |\n\n    #!/usr/bin/env bash\n    rke2 server\n"
     "  text: |\n    The rke2 text.\n",
     [(C, "rke2")]),
    ("script-keys",
     "jobs:\n  build:\n    steps:\n      - run: |\n          rke2 --version\n"
     "      - name: The rke2 step\n        run: rke2 check\nscript:\n  - rke2 up\n",
     [(C, "rke2")]),
    ("command-and-args-items",
     "containers:\n  - name: x\n    command:\n      - sh\n      - -c\n      - |\n"
     "        rke2 server\n    args:\n      - rke2 agent\n    description: Runs rke2.\n",
     [(C, "rke2")]),
    ("block-item-outside-a-script-key-is-prose",
     "notes:\n  - |\n    The rke2 note.\n  - The rke2 item.\n",
     [(C, "rke2"), (C, "rke2")]),
]


@pytest.mark.parametrize(("text", "expected"),
                         [pytest.param(t, e, id=i) for i, t, e in SCRIPTS])
def test_shell_script_values_are_code(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, "yaml") == expected


def test_script_lines_are_masked_and_no_prose_lines() -> None:
    scan = scan_yaml("data:\n  run.sh: |\n    #!/bin/sh\n    echo guest cluster\n")
    assert scan.kinds[2] == scan.kinds[3] == LineKind.OTHER
    assert set(scan.match_text.split("\n")[3]) == {MASK}


@pytest.mark.parametrize(("key", "script"), [
    ("run.sh", True), ("install.BASH", True), ("script", True), ("command", True),
    ("args", True), ("Run", True), ("description", False), ("notes.md", False), ("name", False),
])
def test_script_keys(key: str, script: bool) -> None:
    assert is_script_key(key) is script


# --- pages generated from source code ------------------------------------------------------

GENERATED = ("---\ntitle: kubectl reference\nauto_generated: true\n---\n"
             "The Guest Cluster and harvester-mgmt.\n")


def test_auto_generated_pages_get_no_findings_but_keep_occurrences() -> None:
    assert found(GENERATED) == []
    assert matched(GENERATED, compiled=GLOSSARY) == ["Guest Cluster", "harvester-mgmt"]


def test_auto_generated_pages_are_checked_when_configured() -> None:
    assert found(GENERATED, settings=RuleSettings(check_generated=True)) == [
        (C, "Guest Cluster"), (D, "harvester-mgmt")]


@pytest.mark.parametrize(("text", "generated"), [
    (GENERATED, True),
    ("---\nauto_generated: True # from source\n---\nx\n", True),
    ("---\nauto_generated: 'true'\n---\nx\n", True),
    ("+++\nauto_generated = true\n+++\nx\n", True),
    ("---\nauto_generated: false\n---\nx\n", False),
    ("---\ntitle: x\n---\nauto_generated: true\n", False),  # in the body, not the front matter
    ("auto_generated: true\n", False),
    ("---\r\nauto_generated: true\r\n---\r\nx\r\n", True),
])
def test_auto_generated_front_matter(text: str, generated: bool) -> None:
    assert auto_generated(text) is generated


def test_auto_generated_yaml_is_still_checked() -> None:
    assert analyse("# auto_generated: true\nnote: harvester-mgmt\n", "yaml", compiled=GLOSSARY,
                   ).findings != ()


def test_check_generated_config_key(tmp_path: Path) -> None:
    path = tmp_path / ".harvester-glossary.yaml"
    config, problems = parse_config("checkGenerated: true\n", path)
    assert not problems and config is not None
    assert config.rule_settings().check_generated is True
    config, problems = parse_config("checkGenerated: 3\n", path)
    assert [p.message for p in problems] == ["'checkGenerated' must be true or false, not 3"]
    default, _ = parse_config("rules: {}\n", path)
    assert default is not None and default.rule_settings().check_generated is False


# --- linear on hostile input ----------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "x " + "{{<" * 300_000,  # stray openers, no closer
    "{{< a >}}" + "{{<" * 300_000 + "\n",  # a closed tag, then stray openers on its line
    ("a {{< x" + "y" * 3000 + ">}}\n") * 1000,  # every closer too far away
    "a/b." * 200_000,  # one long token full of joints
])
def test_hostile_markdown_is_linear(text: str) -> None:
    started = time.perf_counter()
    scan_markdown(text)
    assert time.perf_counter() - started < 3


def test_hostile_yaml_items_under_a_deep_key_stack() -> None:
    text = "".join("  " * i + "k:\n" for i in range(1500)) + "- x\n" * 100_000
    started = time.perf_counter()
    scan_yaml(text)
    assert time.perf_counter() - started < 5


def test_code_token_spans_never_overlap_around_unusual_white_space() -> None:
    """NEL (U+0085) ends a token for the regex but was not a delimiter going back: two spans
    overlapped and the mask grew the text (found by the engine property test)."""
    import itertools

    from harvester_glossary_ls.engine.code_tokens import code_token_spans, mask_code_tokens

    for text in ("0/\x85/", "a/b\u2028c/d/e", "x/y\x85/z/w"):
        spans = code_token_spans(text)
        assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans))
        assert len(mask_code_tokens(text)) == len(text)
