"""What the client can do, read once from its `initialize` capabilities into plain booleans.

Features ask `ls.client.hover_markdown` instead of walking `client_capabilities` attribute by
attribute on every request; the rules for each answer (e.g. who may pull diagnostics) are here.
"""

from __future__ import annotations

from dataclasses import dataclass

from lsprotocol import types as t


def _path(node: object, *names: str) -> object:
    """A nested capability, or None where any step is missing."""
    for name in names:
        node = getattr(node, name, None)
        if node is None:
            return None
    return node


def _has(caps: t.ClientCapabilities, *names: str) -> bool:
    return bool(_path(caps, *names))


def _lists_markdown(caps: t.ClientCapabilities, *names: str) -> bool:
    """Whether the client lists Markdown among the formats at `names`; listing none means
    plain text."""
    formats = _path(caps, *names)
    return isinstance(formats, (list, tuple)) and t.MarkupKind.Markdown in formats


def _diagnostics_allow(caps: t.ClientCapabilities, name: str) -> bool:
    """Whether diagnostics may carry an optional field: only a client that says no, in its
    publish or pull diagnostic capabilities, gets diagnostics without it."""
    td = caps.text_document
    if td is None:
        return True
    values = [getattr(c, name, None) for c in (td.publish_diagnostics, td.diagnostic)
              if c is not None]
    return any(values) or all(v is None for v in values)


@dataclass(frozen=True)
class ClientFeatures:
    """The client capabilities the server acts on. The defaults are a client that said
    nothing (before `initialize`)."""

    can_pull_diagnostics: bool = False
    """It has textDocument/diagnostic, whether or not it can be refreshed."""
    diagnostic_refresh: bool = False
    related_information: bool = True
    code_description: bool = True
    hover_markdown: bool = False
    completion_markdown: bool = False
    configuration: bool = False
    """It answers workspace/configuration."""
    register_configuration: bool = False
    """didChangeConfiguration can be registered dynamically."""
    register_watched_files: bool = False
    work_done_progress: bool = False
    code_lens_refresh: bool = False
    """It can be told to ask for code lenses again (workspace/codeLens/refresh)."""
    document_changes: bool = False
    create_files: bool = False
    """A workspace edit may create a file (document changes with the Create operation)."""
    change_annotations: bool = False
    """Workspace edits may carry change annotations (document changes with annotated edits)."""

    @property
    def pulls_diagnostics(self) -> bool:
        """Whether the client is let pull diagnostics: it can, and it can be told to pull again
        (workspace/diagnostic/refresh). Neovim 0.10/0.11 pull but have no refresh, so after a
        settings or glossary change their open buffers would keep stale diagnostics until the
        next edit: they are not offered pull and get pushes."""
        return self.can_pull_diagnostics and self.diagnostic_refresh

    @classmethod
    def of(cls, caps: t.ClientCapabilities) -> ClientFeatures:
        operations = _path(caps, "workspace", "workspace_edit", "resource_operations") or ()
        document_changes = _has(caps, "workspace", "workspace_edit", "document_changes")
        return cls(
            can_pull_diagnostics=_path(caps, "text_document", "diagnostic") is not None,
            diagnostic_refresh=_has(caps, "workspace", "diagnostics", "refresh_support"),
            related_information=_diagnostics_allow(caps, "related_information"),
            code_description=_diagnostics_allow(caps, "code_description_support"),
            hover_markdown=_lists_markdown(caps, "text_document", "hover", "content_format"),
            completion_markdown=_lists_markdown(caps, "text_document", "completion",
                                                "completion_item", "documentation_format"),
            configuration=_has(caps, "workspace", "configuration"),
            register_configuration=_has(caps, "workspace", "did_change_configuration",
                                        "dynamic_registration"),
            register_watched_files=_has(caps, "workspace", "did_change_watched_files",
                                        "dynamic_registration"),
            work_done_progress=_has(caps, "window", "work_done_progress"),
            code_lens_refresh=_has(caps, "workspace", "code_lens", "refresh_support"),
            document_changes=document_changes,
            create_files=document_changes and isinstance(operations, (list, tuple))
            and t.ResourceOperationKind.Create in operations,
            change_annotations=document_changes and _has(
                caps, "workspace", "workspace_edit", "change_annotation_support"),
        )
