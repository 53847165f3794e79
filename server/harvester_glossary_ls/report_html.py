"""The `report` command's page: one self-contained HTML file from an `engine.coverage.Coverage`.

Everything is inline: the CSS, a small script (sortable tables, the places panel) and Chart.js
4 (MIT, vendored in `vendor/chartjs/` from the npm package, 210 kB minified), so the page opens
offline and makes no request. Charts are Chart.js canvases; their data sits in the page.

Every number is a link to the places behind it: clicking it opens the places panel, a list of
`path:line` items, each a `vscode://file/…` link that opens the line in VS Code, a relative link
to the file (from the report's folder), and the line's text.
"""

from __future__ import annotations

import html
import json
import os
from importlib import resources
from pathlib import Path

from harvester_glossary_ls.engine.coverage import Coverage, TermUse

CHART_TERMS = 30
"""Terms in the uses-per-version chart (the most used); the table has them all."""


def chart_js() -> str:
    return (resources.files("harvester_glossary_ls") / "vendor" / "chartjs"
            / "chart.umd.min.js").read_text(encoding="utf-8")


class _Lists:
    """Place lists by id, embedded once; numbers link to them by id."""

    def __init__(self) -> None:
        self.lists: list[list[int]] = []

    def link(self, places: list[int], label: str) -> str:
        if not places:
            return "0"
        self.lists.append(places)
        return (f'<a href="#places" class="n" data-list="{len(self.lists) - 1}" '
                f'data-label="{html.escape(label)}">{len(places)}</a>')


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _slug(term: str) -> str:
    return "term-" + "".join(c if c.isalnum() else "-" for c in term.casefold())


def _term_rows(coverage: Coverage, lists: _Lists) -> str:
    rows = []
    for use in sorted(coverage.terms.values(), key=lambda u: (-u.count, u.term.casefold())):
        every = [p for places in use.by_version.values() for p in places]
        cells = [f'<td><a href="#{_slug(use.term)}">{_e(use.term)}</a></td>',
                 f"<td>{_e(use.glossary)}</td>",
                 f'<td data-v="{use.count}">{lists.link(every, use.term)}</td>']
        for version in coverage.versions:
            places = use.by_version.get(version, [])
            cells.append(f'<td data-v="{len(places)}">'
                         f'{lists.link(places, f"{use.term} in {version}")}</td>')
        cells.append(f"<td>{len(use.by_page)}</td><td>{len(use.spellings)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f"<th>{_e(v)}</th>" for v in coverage.versions)
    return (f'<table class="sortable" id="terms-table"><thead><tr><th>term</th><th>glossary</th>'
            f"<th>uses</th>{head}<th>pages</th><th>spellings</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _term_detail(use: TermUse, lists: _Lists) -> str:
    pages = sorted(use.by_page.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:10]
    page_rows = "".join(f"<tr><td>{_e(page)}</td><td>{lists.link(places, f'{use.term} on {page}')}"
                        f"</td></tr>" for page, places in pages)
    spellings = sorted(use.spellings.values(), key=lambda s: (-len(s.places), s.text))
    spelling_rows = "".join(
        f'<tr><td><code>{_e(s.text)}</code></td><td class="cat-{s.category.replace(" ", "-")}">'
        f"{_e(s.category)}</td><td>{lists.link(s.places, f'{s.text!r}')}</td></tr>"
        for s in spellings)
    return (f'<details id="{_slug(use.term)}"><summary><b>{_e(use.term)}</b> — {use.count} uses '
            f"on {len(use.by_page)} pages</summary><div class=\"cols\"><table class=\"sortable\">"
            f"<thead><tr><th>page (most uses)</th><th>uses</th></tr></thead><tbody>{page_rows}"
            f"</tbody></table><table class=\"sortable\"><thead><tr><th>spelling</th>"
            f"<th>kind</th><th>uses</th></tr></thead><tbody>{spelling_rows}</tbody></table>"
            f"</div></details>")


def _never_used(coverage: Coverage) -> str:
    rows = "".join(f"<tr><td>{_e(v)}</td><td>{len(terms)} of "
                   f"{len(coverage.glossary_terms.get(v, []))}</td>"
                   f"<td>{_e(', '.join(terms)) or '—'}</td></tr>"
                   for v, terms in coverage.never_used().items())
    return ('<table class="sortable" id="never-used"><thead><tr><th>version</th>'
            f"<th>never used</th><th>terms</th></tr></thead><tbody>{rows}</tbody></table>")


def _deprecated(coverage: Coverage, lists: _Lists) -> str:
    rows = []
    for dep in sorted(coverage.deprecated.values(), key=lambda d: d.form.casefold()):
        cells = [f"<td><code>{_e(dep.form)}</code></td><td>{_e(' or '.join(dep.use))}</td>",
                 f"<td>{_e(dep.since) or '—'}</td>"]
        for version in coverage.versions:
            places = dep.by_version.get(version, [])
            note = "" if not places or dep.applies.get(version) else \
                ' <span class="note" title="not yet deprecated in this version">(allowed)</span>'
            cells.append(f'<td data-v="{len(places)}">'
                         f'{lists.link(places, f"{dep.form} in {version}")}{note}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f"<th>{_e(v)}</th>" for v in coverage.versions)
    return (f'<table class="sortable" id="deprecated-table"><thead><tr><th>deprecated form</th>'
            f"<th>use instead</th><th>since</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _findings(coverage: Coverage, lists: _Lists) -> str:
    by_rule: dict[str, list[int]] = {}
    by_page: dict[str, dict[str, list[int]]] = {}
    for finding in coverage.findings:
        by_rule.setdefault(finding.code, []).append(finding.place)
        by_page.setdefault(finding.path, {}).setdefault(finding.code, []).append(finding.place)
    rules = sorted(by_rule)
    rule_rows = "".join(f"<tr><td>{_e(code)}</td><td data-v=\"{len(places)}\">"
                        f"{lists.link(places, code)}</td></tr>"
                        for code, places in sorted(by_rule.items(), key=lambda kv: -len(kv[1])))
    page_rows = []
    for page, codes in sorted(by_page.items(), key=lambda kv: -sum(map(len, kv[1].values()))):
        every = [p for places in codes.values() for p in places]
        cells = "".join(f'<td data-v="{len(codes.get(c, []))}">'
                        f"{lists.link(codes.get(c, []), f'{c} on {page}')}</td>" for c in rules)
        page_rows.append(f"<tr><td>{_e(page)}</td><td>{_e(coverage.pages.get(page, ''))}</td>"
                         f'<td data-v="{len(every)}">{lists.link(every, page)}</td>{cells}</tr>')
    head = "".join(f"<th>{_e(c)}</th>" for c in rules)
    return (f'<div class="cols"><table class="sortable" id="rules-table"><thead><tr>'
            f"<th>rule</th><th>findings</th></tr></thead><tbody>{rule_rows}</tbody></table>"
            f'<table class="sortable" id="pages-table"><thead><tr><th>page</th><th>version</th>'
            f"<th>findings</th>{head}</tr></thead><tbody>{''.join(page_rows)}</tbody></table>"
            f"</div>")


def _charts(coverage: Coverage) -> dict[str, object]:
    top = sorted(coverage.terms.values(), key=lambda u: (-u.count, u.term.casefold()))
    top = top[:CHART_TERMS]
    terms = {"labels": [u.term for u in top],
             "datasets": [{"label": v, "data": [len(u.by_version.get(v, [])) for u in top]}
                          for v in coverage.versions]}
    trend = coverage.deprecated_in_use()
    deprecated = {"labels": coverage.versions,
                  "datasets": [{"label": form, "data": [counts.get(v, 0)
                                                        for v in coverage.versions]}
                               for form, counts in sorted(trend.items())]}
    return {"terms": terms, "deprecated": deprecated}


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value, separators=(",", ":")).replace("</", "<\\/").replace(
        "<!--", "<\\!--")


def render(coverage: Coverage, output: Path, title: str = "Glossary coverage") -> str:
    """The page for `coverage`, with file links relative to `output`'s folder."""
    lists = _Lists()
    terms = _term_rows(coverage, lists)
    details = "".join(_term_detail(u, lists) for u in sorted(
        coverage.terms.values(), key=lambda u: (-u.count, u.term.casefold())))
    deprecated = _deprecated(coverage, lists)
    findings = _findings(coverage, lists)
    rel = Path(os.path.relpath(coverage.root, output.resolve().parent)).as_posix()
    data = {"places": [[p.path, p.line, p.column, p.text] for p in coverage.places],
            "lists": lists.lists, "root": coverage.root.as_posix(), "rel": rel,
            "charts": _charts(coverage)}
    versions = ", ".join(coverage.versions) or "none"
    return _PAGE.format(
        title=_e(title), css=_CSS, root=_e(coverage.root.as_posix()),
        pages=len(coverage.pages), versions=_e(versions), uses=len(coverage.places),
        nterms=len(coverage.terms), terms=terms, details=details,
        never=_never_used(coverage), deprecated=deprecated, findings=findings,
        nfindings=len(coverage.findings), chartjs=chart_js(), data=_script_json(data),
        script=_SCRIPT, top=CHART_TERMS, csp=CSP)


CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
       "img-src data:")
"""Nothing may be fetched: the page's own inline script and style only."""

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;
max-width:1200px;padding:0 16px 80px;color:#1f2328}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #d0d7de;padding:3px 8px;
text-align:left;vertical-align:top}th{background:#f6f8fa;cursor:pointer;user-select:none}
th.asc:after{content:" ▲"}th.desc:after{content:" ▼"}td[data-v]{text-align:right}
a.n{font-weight:600}.cols{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}
.chart{position:relative;width:100%}details{margin:4px 0}summary{cursor:pointer}
.note{color:#57606a;font-size:12px}.cat-deprecated{color:#cf222e}.cat-case-variant{color:#9a6700}
#places{position:fixed;right:12px;top:12px;bottom:12px;width:min(560px,45vw);background:#fff;
border:1px solid #8c959f;box-shadow:0 4px 16px rgba(0,0,0,.2);overflow:auto;padding:8px 12px}
#places[hidden]{display:none}#places ol{padding-left:22px}#places li{margin:4px 0}
#places .t{color:#57606a;display:block;font-size:12px;word-break:break-word}
#places-close{float:right}
"""

_SCRIPT = """
(function(){
const D=JSON.parse(document.getElementById('data').textContent);
const colors=['#0969da','#cf222e','#1a7f37','#9a6700','#8250df','#bf3989','#1b7c83',
'#953800','#57606a','#0550ae'];
function paint(sets){sets.forEach((s,i)=>{s.backgroundColor=colors[i%colors.length];
s.borderColor=colors[i%colors.length];});return sets;}
const termChart=document.getElementById('chart-terms');
if(termChart&&D.charts.terms.labels.length){
 termChart.parentNode.style.height=(60+D.charts.terms.labels.length*
  (14+6*D.charts.terms.datasets.length))+'px';
 new Chart(termChart,{type:'bar',data:{labels:D.charts.terms.labels,
  datasets:paint(D.charts.terms.datasets)},options:{indexAxis:'y',animation:false,
  maintainAspectRatio:false,
  plugins:{title:{display:true,text:'Uses per term and docs version'}}}});}
const depChart=document.getElementById('chart-deprecated');
if(depChart&&D.charts.deprecated.datasets.length){
 new Chart(depChart,{type:'line',data:{labels:D.charts.deprecated.labels,
  datasets:paint(D.charts.deprecated.datasets)},options:{animation:false,
  maintainAspectRatio:false,scales:{y:{beginAtZero:true,ticks:{precision:0}}},
  plugins:{title:{display:true,text:'Deprecated forms still used where deprecated'}}}});}
else if(depChart){
 depChart.parentNode.textContent='No deprecated form is used where it is deprecated.';}
const panel=document.getElementById('places');
function show(list,label){
 const ol=panel.querySelector('ol');ol.textContent='';
 panel.querySelector('h3').textContent=label+' — '+list.length+' place'+(list.length==1?'':'s');
 list.forEach(i=>{const p=D.places[i];const li=document.createElement('li');
  const a=document.createElement('a');a.href='vscode://file'+encodeURI((D.root.startsWith('/')?'':'/')+D.root+'/'+p[0])+':'+p[1]+':'+p[2];
  a.textContent=p[0]+':'+p[1];a.title='open in VS Code';li.appendChild(a);
  li.appendChild(document.createTextNode(' '));
  const f=document.createElement('a');f.href=encodeURI(D.rel+'/'+p[0]);f.textContent='file';
  li.appendChild(f);
  const t=document.createElement('span');t.className='t';t.textContent=p[3];li.appendChild(t);
  ol.appendChild(li);});
 panel.hidden=false;}
document.addEventListener('click',e=>{const a=e.target.closest('a.n');if(!a)return;
 e.preventDefault();show(D.lists[+a.dataset.list],a.dataset.label);});
document.getElementById('places-close').addEventListener('click',()=>{
 panel.hidden=true;});
document.querySelectorAll('table.sortable th').forEach(th=>{th.addEventListener('click',()=>{
 const table=th.closest('table');const body=table.tBodies[0];
 const idx=[...th.parentNode.children].indexOf(th);
 const asc=!th.classList.contains('asc');
 table.querySelectorAll('th').forEach(h=>h.classList.remove('asc','desc'));
 th.classList.add(asc?'asc':'desc');
 const key=r=>{const c=r.children[idx];if(!c)return '';const v=c.dataset.v;
  if(v!==undefined)return +v;const n=parseFloat(c.textContent);
  return isNaN(n)?c.textContent.toLowerCase():n;};
 const rows=[...body.rows].sort((a,b)=>{const x=key(a),y=key(b);
  return (x<y?-1:x>y?1:0)*(asc?1:-1);});rows.forEach(r=>body.appendChild(r));});});
document.querySelectorAll('a[href^="#term-"]').forEach(a=>a.addEventListener('click',()=>{
 const d=document.getElementById(a.getAttribute('href').slice(1));if(d)d.open=true;}));
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>{css}</style></head><body>
<h1>{title}</h1>
<p>{pages} pages under <code>{root}</code>; versions: {versions}; {uses} term uses of {nterms}
terms; {nfindings} findings. Every number opens the places behind it.</p>
<h2 id="uses">Uses per term and version</h2>
<div class="chart"><canvas id="chart-terms" role="img"
aria-label="Uses of the {top} most used terms per docs version"></canvas></div>
{terms}
<h2 id="terms">Each term: pages that use it most, spellings in use</h2>
{details}
<h2 id="never">Terms never used, per version</h2>
{never}
<h2 id="deprecated">Deprecated terms still in use, per version</h2>
<div class="chart" style="height:320px"><canvas id="chart-deprecated" role="img"
aria-label="Deprecated forms in use per version"></canvas></div>
{deprecated}
<h2 id="findings">Findings per rule and per page</h2>
{findings}
<div id="places" hidden><button id="places-close" type="button">close</button><h3></h3><ol></ol>
</div>
<script id="data" type="application/json">{data}</script>
<script>{chartjs}</script>
<script>{script}</script>
</body></html>
"""
