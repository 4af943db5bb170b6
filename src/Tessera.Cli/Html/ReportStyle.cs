namespace Tessera.Cli.Html;

/// <summary>
/// The one style sheet of Tessera's pages: system fonts (nothing fetched), readable from phone width up (tables scroll
/// inside their box, never the page), colours that keep their meaning in print, and a print sheet that drops the
/// decoration and keeps tables whole.
/// </summary>
internal static class ReportStyle
{
    public const string Css = """
:root{--fg:#1d2329;--muted:#5d6670;--line:#d8dde3;--bg:#f6f7f9;--card:#fff;--good:#1a7f37;--warn:#9a6700;--bad:#cf222e;--info:#0969da;--crit:#82071e}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
main{max-width:1100px;margin:0 auto;padding:16px}
header.page{padding:16px 0 8px}
h1{font-size:1.5rem;margin:0 0 4px;overflow-wrap:anywhere}
h2{font-size:1.15rem;margin:0 0 10px}
h3{font-size:1rem;margin:14px 0 6px}
.meta,.muted{color:var(--muted)}
code,.mono{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.88em;overflow-wrap:anywhere}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin:12px 0}
.summary{display:flex;gap:20px;align-items:center;flex-wrap:wrap}
.badge{width:112px;height:112px;flex:none}
.scores{flex:1 1 240px;min-width:0}
p,li,dd{overflow-wrap:anywhere}
td{overflow-wrap:break-word}
.suites table{min-width:560px}
.bar{display:grid;grid-template-columns:8.5em 1fr 2.5em;gap:8px;align-items:center;margin:3px 0}
.bar svg{width:100%;height:12px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:.85em}
.chip{display:inline-block;padding:0 7px;border-radius:10px;font-size:.78em;font-weight:600;border:1px solid currentColor;white-space:nowrap}
.good{color:var(--good)}.warn{color:var(--warn)}.bad{color:var(--bad)}.crit{color:var(--crit)}.info{color:var(--info)}
.findings{list-style:none;margin:0;padding:0}
.findings li{display:grid;grid-template-columns:6.5em 1fr;gap:8px;padding:6px 0;border-bottom:1px solid var(--line);align-items:start}
.findings .chip{justify-self:start}
.findings .rule{display:block;color:var(--muted);font-size:.85em}
.findings .id{color:var(--muted);font-size:.8em}
ul.tree{list-style:none;margin:0;padding-left:0}
ul.tree ul{list-style:none;margin:6px 0 0 10px;padding-left:16px;border-left:2px solid var(--line)}
ul.tree li{margin:6px 0}
.cert{border:1px solid var(--line);border-radius:6px;padding:8px 10px;background:var(--bg)}
.cert .subject{font-weight:600;overflow-wrap:anywhere}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0 0}
dl.kv dt{color:var(--muted)}dl.kv dd{margin:0;overflow-wrap:anywhere}
details{border:1px solid var(--line);border-radius:6px;margin:6px 0;background:var(--card)}
details>summary{cursor:pointer;padding:6px 10px;list-style-position:inside}
details>div{padding:4px 12px 10px}
.ladder{width:100%;height:auto;max-width:760px;display:block;margin:0 auto}
footer{color:var(--muted);font-size:.85em;padding:8px 0 24px}
@media (max-width:600px){body{font-size:14px}main{padding:8px}section{padding:10px}.badge{width:84px;height:84px}.findings li{grid-template-columns:1fr}dl.kv{grid-template-columns:1fr}dl.kv dd{margin-bottom:6px}}
@media print{body{background:#fff;font-size:11pt}main{max-width:none;padding:0}section{border:0;border-top:1px solid #999;border-radius:0;padding:8px 0;break-inside:avoid-page}table,tr,.cert{break-inside:avoid}details>div{display:block}.scroll{overflow:visible}}
""";
}
