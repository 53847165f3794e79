"""Settings and reloading: initialization options, workspace/configuration, the config file,
watched files (or saves, where the client cannot watch), and multi-root folders.

Watched documents (and, where the client cannot watch, every save) keep the workspace index
current; a config or glossary change reloads everything and rebuilds it.

A broken config or glossary is reported with window/showMessage and as diagnostics on that
file, while the last good state keeps serving.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types as t

from harvester_glossary_ls.engine.config import CONFIG_NAME, Config, config_from_mapping
from harvester_glossary_ls.engine.models import Problem
from harvester_glossary_ls.lsp.state import uri_to_path

if TYPE_CHECKING:
    from harvester_glossary_ls.lsp.session import GlossaryServer

SECTION = "harvesterGlossary"
CLIENT_REPLY_TIMEOUT = 5.0
"""Seconds to wait for the client's answer to a request made while starting up."""
SERVER_ONLY_KEYS = ("debounceMs",)
LOG_LEVELS = {"error": logging.ERROR, "warning": logging.WARNING, "info": logging.INFO,
              "debug": logging.DEBUG}
WATCH_GLOBS = (f"**/{CONFIG_NAME}", "**/*glossary*.{md,yaml,yml}", "**/glossary/**")
DOCUMENT_GLOB = "**/*.{md,markdown,yaml,yml}"
"""Documents, for the workspace index (a change to one re-indexes only that file)."""


def _settings(ls: GlossaryServer, raw: Any, base: Path | None) -> Config:
    """Editor settings to a Config; bad values are reported and skipped."""
    if isinstance(raw, dict) and SECTION in raw and isinstance(raw[SECTION], dict):
        raw = raw[SECTION]
    if not isinstance(raw, dict):
        return Config()
    delay = raw.get("debounceMs")
    if isinstance(delay, (int, float)) and 0 <= delay <= 10_000:
        ls.diagnostics.debounce_seconds = float(delay) / 1000
    config, problems = config_from_mapping(
        {k: v for k, v in raw.items() if k not in SERVER_ONLY_KEYS}, base)
    for message in problems:
        ls.show(f"harvester-glossary-ls settings: {message}", t.MessageType.Warning)
    if config.log_level in LOG_LEVELS:
        logging.getLogger().setLevel(LOG_LEVELS[config.log_level])
        logging.getLogger("pygls").setLevel(max(LOG_LEVELS[config.log_level], logging.INFO))
    return config


def reload_all(ls: GlossaryServer) -> None:
    """Reload every project and tell the user about what broke."""
    problems: list[Problem] = []
    for project in ls.projects.all():
        project.reload()
        problems += project.problems
    report(ls, problems)
    ls.recheck_all()


def report(ls: GlossaryServer, problems: list[Problem]) -> None:
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        kept = sorted({name for project in ls.projects.all() for name in project.kept})
        outcome = (f"The last good version of {', '.join(kept)} stays in use." if kept else
                   "The rest of the settings and glossaries apply.")
        ls.show(f"harvester-glossary-ls: {Path(first.path).name}:{first.line + 1}: "
                f"{first.message}{more}. {outcome}")
    ls.publish_problems(problems)


async def pull_configuration(ls: GlossaryServer) -> None:
    """Ask the client for the `harvesterGlossary` section, per workspace folder."""
    if not ls.client.configuration:
        return
    projects = list(ls.projects.folders.items())
    items = [t.ConfigurationItem(section=SECTION, scope_uri=root.as_uri())
             for root, _ in projects] or [t.ConfigurationItem(section=SECTION)]
    try:
        results = await asyncio.wait_for(asyncio.shield(ls.workspace_configuration_async(
            t.ConfigurationParams(items=items))), CLIENT_REPLY_TIMEOUT)
    except asyncio.TimeoutError:  # a client that never answers must not keep the server unready
        logging.getLogger(__name__).warning(
            "no workspace/configuration reply in %s s; using the settings we have",
            CLIENT_REPLY_TIMEOUT)
        return
    except Exception as error:  # a client that fails the request: keep what we have
        logging.getLogger(__name__).warning("workspace/configuration failed: %s", error)
        return
    for index, result in enumerate(results or []):
        if index < len(projects):
            root, project = projects[index]
            project.settings = _settings(ls, result, root).over(ls.projects.settings)
        else:
            ls.projects.fallback.settings = _settings(ls, result, None).over(
                ls.projects.settings)


def _is_watched(ls: GlossaryServer, path: Path) -> bool:
    if path.name == CONFIG_NAME:
        return True
    try:
        resolved = path.resolve()
        return any(resolved == g.resolve() or g.resolve() in resolved.parents
                   for project in ls.projects.all() for g in project.glossary_paths()) or (
            "glossary" in path.name and path.suffix in (".md", ".yaml", ".yml"))
    except (OSError, RuntimeError):  # a symlink loop: reload, and let the loader report it
        return True


def _initialize(ls: GlossaryServer, params: t.InitializeParams) -> None:
    """The client's capabilities, the settings it sends along, and its workspace folders."""
    ls.begin(params.capabilities)
    ls.projects.settings = _settings(ls, params.initialization_options, None)
    ls.projects.fallback.settings = ls.projects.settings
    folders = [f.uri for f in params.workspace_folders or []]
    if not folders and params.root_uri:
        folders = [params.root_uri]
    for uri in folders:
        path = uri_to_path(uri)
        if path is not None:
            ls.projects.add_folder(path)


async def _register_watchers(ls: GlossaryServer) -> None:
    """Ask for configuration changes and watched files, where the client registers those."""
    registrations = []
    if ls.client.register_configuration:
        registrations.append(t.Registration(
            id="harvester-glossary-config", method=t.WORKSPACE_DID_CHANGE_CONFIGURATION,
            register_options=t.DidChangeConfigurationRegistrationOptions(section=SECTION)))
    if ls.client.register_watched_files:
        registrations.append(t.Registration(
            id="harvester-glossary-watch", method=t.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=t.DidChangeWatchedFilesRegistrationOptions(watchers=[
                t.FileSystemWatcher(glob_pattern=glob)
                for glob in (*WATCH_GLOBS, DOCUMENT_GLOB)])))
    if registrations:
        await asyncio.wait_for(asyncio.shield(ls.client_register_capability_async(
            t.RegistrationParams(registrations=registrations))), CLIENT_REPLY_TIMEOUT)


async def _initialized(ls: GlossaryServer) -> None:
    """Read the settings and load every project, then start serving, whatever fails."""
    try:
        await pull_configuration(ls)
        await _register_watchers(ls)
    except Exception as error:  # never leave the server unready
        logging.getLogger(__name__).warning("initialized: %s", error)
    finally:
        problems: list[Problem] = []
        for project in ls.projects.all():
            project.reload()
            problems += project.problems
        ls.documents.invalidate()
        if problems:
            report(ls, problems)
        ls.ready.set()
        ls.recheck_all()


async def _change_folders(ls: GlossaryServer,
                          event: t.WorkspaceFoldersChangeEvent) -> None:
    for folder in event.removed:
        path = uri_to_path(folder.uri)
        if path is not None:
            ls.projects.remove_folder(path)
    for folder in event.added:
        path = uri_to_path(folder.uri)
        if path is not None:
            ls.projects.add_folder(path)
    if event.added:
        await pull_configuration(ls)  # the new folders' settings, then their config files
        reload_all(ls)
        return
    ls.recheck_all()


def _files_changed(ls: GlossaryServer, changes: Sequence[t.FileEvent]) -> None:
    paths = [uri_to_path(change.uri) for change in changes]
    if any(path is not None and _is_watched(ls, path) for path in paths):
        reload_all(ls)  # rebuilds the index too
    else:
        ls.index.files_changed(changes)


def _saved(ls: GlossaryServer, uri: str) -> None:
    path = uri_to_path(uri)
    if path is not None and _is_watched(ls, path):
        reload_all(ls)
    elif not ls.client.register_watched_files:
        ls.index.refresh()  # no watcher: a save re-checks every file's mtime and size


def register(server: GlossaryServer) -> None:
    @server.feature(t.INITIALIZE)
    def initialize(ls: GlossaryServer, params: t.InitializeParams) -> None:
        _initialize(ls, params)

    @server.feature(t.INITIALIZED)
    async def initialized(ls: GlossaryServer, params: t.InitializedParams) -> None:
        await _initialized(ls)

    @server.feature(t.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: GlossaryServer,
                                       params: t.DidChangeConfigurationParams) -> None:
        if ls.client.configuration:
            await pull_configuration(ls)  # the payload is unreliable; ask again (esbonio)
        elif params.settings is not None:
            settings = _settings(ls, params.settings, None)
            for project in ls.projects.all():
                project.settings = settings
        reload_all(ls)

    @server.feature(t.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: GlossaryServer,
                                 params: t.DidChangeWatchedFilesParams) -> None:
        _files_changed(ls, params.changes)

    @server.feature(t.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: GlossaryServer, params: t.DidSaveTextDocumentParams) -> None:
        _saved(ls, params.text_document.uri)

    @server.feature(t.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    async def did_change_folders(ls: GlossaryServer,
                                 params: t.DidChangeWorkspaceFoldersParams) -> None:
        await _change_folders(ls, params.event)
