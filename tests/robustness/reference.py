"""Slow, obviously-correct LSP position arithmetic, independent of the server's code."""

from __future__ import annotations


def units(text: str, encoding: str) -> int:
    """Length of `text` in the negotiated encoding's code units."""
    if encoding == "utf-16":
        return len(text.encode("utf-16-le", errors="surrogatepass")) // 2
    if encoding == "utf-8":
        return len(text.encode("utf-8", errors="surrogatepass"))
    return len(text)


def line_starts(text: str) -> list[int]:
    """Line starts as the LSP specification counts them: after \\n, \\r\\n or a lone \\r."""
    starts = [0]
    i = 0
    while i < len(text):
        if text[i] == "\r" and text[i + 1:i + 2] == "\n":
            i += 1
        if text[i] in "\r\n":
            starts.append(i + 1)
        i += 1
    return starts


def position(text: str, offset: int, encoding: str,
             starts: list[int] | None = None) -> dict[str, int]:
    """The LSP position (as JSON) of a code-point offset."""
    starts = starts if starts is not None else line_starts(text)
    line = max(i for i, start in enumerate(starts) if start <= offset)
    return {"line": line, "character": units(text[starts[line]:offset], encoding)}


def lsp_range(text: str, start: int, end: int, encoding: str,
              starts: list[int] | None = None) -> dict[str, dict[str, int]]:
    starts = starts if starts is not None else line_starts(text)
    return {"start": position(text, start, encoding, starts),
            "end": position(text, end, encoding, starts)}
