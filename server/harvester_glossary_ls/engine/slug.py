"""github-slugger's heading ids, which Docusaurus uses for anchors."""

from __future__ import annotations

import re

_STRIP = re.compile(r"[^\w\- ]", re.UNICODE)


def github_slug(heading: str) -> str:
    """`guest cluster / guest Kubernetes cluster` -> `guest-cluster--guest-kubernetes-cluster`."""
    text = re.sub(r"<[^>]+>", "", heading).strip().lower()
    text = text.replace("`", "")
    return _STRIP.sub("", text).replace(" ", "-")
