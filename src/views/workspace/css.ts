/** The workspace pages' part of the dashboard stylesheet (appended to DASHBOARD_CSS, so one cached file). */
export const WORKSPACE_CSS = `
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.field-error{color:var(--bad);font-weight:600;margin:.25rem 0}
[aria-invalid=true]{border-color:var(--bad)}
fieldset.choices{border:0;padding:0;margin:0}fieldset.choices legend{font-weight:600;margin-bottom:.25rem;padding:0}
fieldset.choices .check{margin:.25rem 0}
form.inline{display:inline}
.break{overflow-wrap:anywhere}
.side-by-side{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:.75rem}
.row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
input.copy{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.secret{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all;background:var(--card);padding:.5rem;border:2px dashed var(--line)}
.print-card{max-width:24rem;margin:0 auto 1rem;padding:1.25rem;border:2px solid var(--line);border-radius:.5rem;background:#fff;color:#000;text-align:center}
.print-card p{margin:.25rem 0}
.print-card .card-title{font-size:1.5rem;font-weight:700;line-height:1.2}
.print-card .card-qr svg{display:block;width:100%;max-width:16rem;height:auto;margin:.75rem auto}
.print-card .card-url{font-size:1.3rem;font-weight:700;word-break:break-all;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.print-card .card-line{font-size:1.15rem;font-weight:600}
.print-card .card-small{font-size:.95rem}
.preview{border:2px solid var(--line);border-radius:.5rem;width:100%;max-width:375px;height:640px;background:#fff}
.live-preview .preview{display:block;max-width:360px;margin-top:.5rem}
.live-preview select{max-width:100%}
@media (min-width:64rem){.editor{display:grid;grid-template-columns:minmax(0,1fr) 380px;gap:1.5rem;align-items:start}
.editor>form{grid-row:1;grid-column:1}.editor>.live-preview{grid-row:1;grid-column:2;position:sticky;top:.5rem}}
pre.instructions{white-space:pre-wrap;word-break:break-all;background:var(--card);padding:.5rem}
/* A6 (105 x 148 mm), written out: Chromium does not know the A6 keyword. */
@page card{size:105mm 148mm;margin:6mm}
@media print{
  body:has(.print-card) header.bar,body:has(.print-card) .no-print{display:none!important}
  .print-card{page:card;border:0;max-width:none;margin:0;padding:0;font-size:12pt}
  .print-card .card-title{font-size:16pt}.print-card .card-url{font-size:13pt}.print-card .card-line{font-size:12pt}.print-card .card-small{font-size:9pt}
  .print-card .card-qr svg{max-width:46mm;margin:2mm auto}
  .print-card p{line-height:1.2;margin:0 0 1.5mm}
}
`;
