import { WORKSPACE_CSS } from './workspace/css';

/**
 * The dashboard's stylesheet, served from /dashboard/assets/ under a content-derived name so it
 * can be cached for a year. No script: every dashboard page works with plain HTML forms.
 */
export const DASHBOARD_CSS = `
:root{--fg:#1b1b1b;--bg:#fff;--muted:#4a5257;--line:#6f777b;--card:#f4f6f7;--accent:#1d70b8;--link:#1a5a99;--good:#00703c;--bad:#b3261e;--focus:#ffbf47;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--fg:#f1f3f4;--bg:#15181a;--muted:#c4cacd;--line:#9aa3a8;--card:#1f2427;--accent:#5aa3e6;--link:#9cc8f5;--good:#7fd6a4;--bad:#ff9d94}}
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--link)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--bg);padding:.5rem;z-index:2}
header.bar{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;justify-content:space-between;padding:.75rem 1.25rem;border-bottom:1px solid var(--line)}
header.bar .who{color:var(--muted)}
nav.sections{padding:.5rem 1.25rem;border-bottom:1px solid var(--line)}
nav.sections ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
main{max-width:72rem;margin:0 auto;padding:1rem 1.25rem 3rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}h2{font-size:1.25rem;margin:2rem 0 .75rem}
.card{background:var(--card);border-radius:.5rem;padding:1rem;margin:0 0 1rem}
.totals{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:1rem;margin:0;padding:0}
.totals div{background:var(--card);border-radius:.5rem;padding:.75rem 1rem}
.totals dt{color:var(--muted);font-size:.9rem}.totals dd{margin:0;font-size:1.6rem;font-weight:600}
form.filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.75rem;align-items:end}
label{display:block;font-weight:600;margin-bottom:.25rem}
input,select,textarea{font:inherit;color:inherit;background:var(--bg);border:2px solid var(--line);border-radius:.3rem;padding:.45rem .5rem;width:100%;min-height:44px}
button,.button{font:inherit;font-weight:600;min-height:44px;padding:.5rem 1rem;border:2px solid var(--accent);border-radius:.3rem;background:var(--accent);color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:transparent;color:var(--link);border-color:var(--line)}
.check{display:flex;gap:.5rem;align-items:center}.check input{width:1.5rem;height:1.5rem;min-height:0}.check label{margin:0;font-weight:400}
blockquote{margin:0;padding:.5rem 1rem;border-left:4px solid var(--line);white-space:pre-wrap}
dl dt{font-weight:600}dl dd{margin:0 0 .5rem}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:0 0 1rem}
caption{text-align:left;font-weight:600;padding:.25rem 0 .5rem}
th,td{border-bottom:1px solid var(--line);padding:.45rem .5rem;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.suppressed{color:var(--muted)}
.up{color:var(--bad)}.down{color:var(--good)}
.good{color:var(--good)}.bad{color:var(--bad)}
figure{margin:0 0 1rem}
svg.chart{width:100%;height:auto;max-height:18rem}
svg.chart .bar{fill:var(--accent)}svg.chart .hidden-bar{fill:none;stroke:var(--muted);stroke-dasharray:4 3}
svg.chart text{fill:var(--fg);font-size:12px}
.error{border-left:5px solid var(--bad);padding:.5rem 1rem;background:var(--card)}
.notice{border-left:5px solid var(--accent);padding:.5rem 1rem;background:var(--card)}
.legend{color:var(--muted);font-size:.9rem}
.quotes{margin:.25rem 0 0;padding-left:1.2rem}
.quotes li{font-style:italic}
ul.plain{list-style:none;padding:0}
.stack>*+*{margin-top:.75rem}
@media (forced-colors:active){svg.chart .bar{fill:CanvasText}svg.chart .hidden-bar{stroke:CanvasText}}
@media (prefers-reduced-motion:reduce){*{transition:none!important;animation:none!important}}
@media print{
  header.bar form,nav.sections,form.filters,.no-print,.skip{display:none!important}
  body{font-size:11pt;color:#000;background:#fff}
  main{max-width:none;padding:0}
  a{color:#000;text-decoration:none}
  .card,.totals div{background:none;border:1px solid #999}
  h2{break-after:avoid}table,figure{break-inside:avoid}
  details{display:block}details>summary{display:none}
  svg.chart .bar{fill:#444}
}
${WORKSPACE_CSS}`;

/** FNV-1a, enough to give the stylesheet a name that changes when it does. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export const DASHBOARD_CSS_PATH = `/dashboard/assets/dashboard.${fnv1a(DASHBOARD_CSS)}.css`;
