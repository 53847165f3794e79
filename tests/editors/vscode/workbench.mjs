// Shared by the VS Code e2e drivers (codeserver_e2e.mjs, rename_e2e.mjs): where text is drawn
// in the real workbench, so a driver can hover or click it.

/** Pixel centre of `text` (chars [from, to) of it) in the rendered editor lines. */
export async function locateText(page, text, from = 0, to = text.length) {
  return page.evaluate(({ text, from, to }) => {
    for (const line of document.querySelectorAll(".editor-instance .view-line")) {
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      // Monaco splits a line into token spans: search the line's whole text, then map back.
      const nodes = [];
      let whole = "";
      for (let n = walker.nextNode(); n; n = walker.nextNode()) { nodes.push([n, whole.length]); whole += n.textContent; }
      const at = whole.replace(/\u00a0/g, " ").indexOf(text);
      if (at < 0) continue;
      const pos = (offset) => {
        for (let i = nodes.length - 1; i >= 0; i--) if (nodes[i][1] <= offset) return [nodes[i][0], offset - nodes[i][1]];
      };
      const r = document.createRange();
      r.setStart(...pos(at + from));
      r.setEnd(...pos(at + to - 1));
      const b = r.getBoundingClientRect();
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    }
    return null;
  }, { text, from, to });
}
