// The report's stylesheet (inlined; its hash goes into the Content-Security-Policy). System fonts
// only: nothing is fetched. The overview is written last and shown first with flex `order`.
export const REPORT_CSS = `
:root{--pass:#1f883d;--pass-bg:#dafbe1;--warn:#9a6700;--warn-bg:#fff3c4;--fail:#cf222e;--fail-bg:#ffebe9;
--error:#8250df;--error-bg:#f3ecff;--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f3f4f6;--card:#fff;
--mark-fail:#e5484d;--mark-warn:#f5a524;--mark-face:#22d3ee}
*{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",
"Noto Sans CJK SC","PingFang SC","Hiragino Sans","Yu Gothic","Malgun Gothic","Apple SD Gothic Neo",sans-serif}
.page{display:flex;flex-direction:column;gap:16px;max-width:1180px;margin:0 auto;padding:20px 16px 40px}
.top{order:-3;display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 16px}
.top h1{margin:0;font-size:22px}
.top .meta{color:var(--muted);font-size:13px}
.overview{order:-2;background:var(--card);border:1px solid var(--line);border-radius:12px;padding:16px 18px;
display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.4fr);gap:8px 32px}
.overview h2{grid-column:1/-1;margin:0;font-size:17px}
.overview h3{margin:0 0 8px;font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.overview .hint{grid-column:1/-1;margin:0;color:var(--muted);font-size:13px}
.tiles{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:8px}
.tile{font:inherit;cursor:pointer;border:2px solid transparent;border-radius:10px;padding:8px 6px;text-align:center;color:var(--ink)}
.tile .num{display:block;font-size:26px;font-weight:700;line-height:1.2}
.tile .lbl{display:block;font-size:13px}
.tile.v-pass{background:var(--pass-bg)}.tile.v-pass .num{color:var(--pass)}
.tile.v-warn{background:var(--warn-bg)}.tile.v-warn .num{color:var(--warn)}
.tile.v-fail{background:var(--fail-bg)}.tile.v-fail .num{color:var(--fail)}
.tile.v-error{background:var(--error-bg)}.tile.v-error .num{color:var(--error)}
.tile[aria-pressed=true]{border-color:var(--ink)}
.stack{display:block;width:100%;height:12px;margin-top:10px;border-radius:6px}
.stack .v-pass{fill:var(--pass)}.stack .v-warn{fill:#d4a72c}.stack .v-fail{fill:var(--fail)}.stack .v-error{fill:var(--error)}
.bars{display:flex;flex-direction:column;gap:2px}
.bar-row{font:inherit;font-size:14px;cursor:pointer;display:grid;grid-template-columns:minmax(0,15em) minmax(0,1fr) 3em;
align-items:center;gap:10px;width:100%;padding:3px 6px;border:2px solid transparent;border-radius:6px;background:none;text-align:left;color:var(--ink)}
.bar-row:hover{background:var(--bg)}
.bar-row[aria-pressed=true]{border-color:var(--ink);background:var(--bg)}
.bar-row .bar-label{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.bar-row svg{display:block;width:100%;height:14px}
.bar-row .fill{fill:#3d6fb6}.bar-row .track{fill:#eef1f4}
.bar-row .bar-count{text-align:right;font-variant-numeric:tabular-nums;font-weight:600}
.empty{color:var(--muted);margin:0}
.escalation{grid-column:1/-1;margin:6px 0 0;color:var(--muted);font-size:13px}
.escalation ul{margin:2px 0 0;padding-left:20px}
.filters{order:-1;position:sticky;top:0;z-index:2;display:flex;flex-wrap:wrap;align-items:center;gap:8px 16px;
background:rgba(243,244,246,.94);padding:8px 0;border-bottom:1px solid var(--line)}
.filters input{font:inherit;flex:1 1 260px;max-width:420px;padding:6px 10px;border:1px solid var(--line);border-radius:8px;background:#fff}
.filters .count{color:var(--muted);font-variant-numeric:tabular-nums}
.filters button{font:inherit;padding:5px 12px;border:1px solid var(--line);border-radius:8px;background:#fff;cursor:pointer}
.no-match{margin:0;padding:24px;text-align:center;color:var(--muted)}
.cards{display:flex;flex-direction:column;gap:14px}
.card{display:grid;grid-template-columns:auto minmax(0,1fr);gap:18px;background:var(--card);border:1px solid var(--line);
border-left:7px solid var(--line);border-radius:12px;padding:16px 18px}
.card.v-pass{border-left-color:var(--pass)}.card.v-warn{border-left-color:#d4a72c}
.card.v-fail{border-left-color:var(--fail)}.card.v-error{border-left-color:var(--error)}
.shot{margin:0;width:324px;max-width:100%}
.frame{position:relative;display:inline-block;line-height:0;border-radius:8px;overflow:hidden;background:#222;max-width:100%}
.frame img{display:block;max-width:100%;height:auto}
.frame svg.overlay{position:absolute;left:0;top:0;width:100%;height:100%;pointer-events:none}
.nopic{display:flex;align-items:center;justify-content:center;width:320px;max-width:100%;height:180px;border-radius:8px;
background:repeating-linear-gradient(45deg,#eceef1 0 10px,#f6f7f9 10px 20px);color:var(--muted);font-size:13px;text-align:center;padding:12px}
.closeup{margin-top:10px;display:flex;align-items:flex-end;gap:8px;font-size:12px;color:var(--muted)}
.closeup img{display:block;width:200px;height:auto;max-width:100%;border-radius:8px;image-rendering:auto}
.card.v-pass .shot,.card.v-error .shot{width:164px}
.card.v-error .nopic{height:100px}
.legend{display:flex;flex-wrap:wrap;gap:2px 12px;margin-top:6px;font-size:12px;color:var(--muted)}
.legend svg{width:18px;height:10px;vertical-align:-1px;margin-right:4px}
.head{display:flex;flex-wrap:wrap;align-items:center;gap:4px 12px}
.badge{display:inline-flex;align-items:center;gap:6px;padding:2px 12px;border-radius:999px;font-weight:700;font-size:14px;white-space:nowrap}
.badge.v-pass{background:var(--pass-bg);color:var(--pass)}.badge.v-warn{background:var(--warn-bg);color:var(--warn)}
.badge.v-fail{background:var(--fail-bg);color:var(--fail)}.badge.v-error{background:var(--error-bg);color:var(--error)}
.file{margin:0;font-size:17px;overflow-wrap:anywhere;word-break:break-word}
.path{flex-basis:100%;margin:0;color:var(--muted);font-size:12px;overflow-wrap:anywhere}
.info{flex-basis:100%;margin:0;color:var(--muted);font-size:13px}
.ok{margin:12px 0 0;color:var(--pass);font-weight:600}
.err{margin:12px 0 0;padding:10px 12px;border-radius:8px;background:var(--error-bg)}
.err code{color:var(--muted)}
.causes{list-style:none;margin:12px 0 0;padding:0;display:flex;flex-direction:column;gap:12px}
.cause{border-top:1px solid var(--line);padding-top:10px}
.cause:first-child{border-top:0;padding-top:0}
.cause-head{display:flex;flex-wrap:wrap;align-items:center;gap:4px 10px}
.cause-head .title{font-size:16px;font-weight:700}
.sev{display:inline-block;padding:0 8px;border-radius:4px;font-size:12px;font-weight:700;color:#fff}
.sev-fail .sev{background:var(--fail)}.sev-warn .sev{background:#d4a72c;color:#1b1b1b}
.cause-head code{font-size:12px;color:var(--muted);background:var(--bg);padding:1px 6px;border-radius:4px}
.cause-head .conf{font-size:12px;color:var(--muted)}
.measure{margin:4px 0 0;font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:13px;
background:var(--bg);border-radius:6px;padding:4px 8px;overflow-wrap:anywhere}
.why{margin:6px 0 0;color:var(--muted);font-size:14px}
.todo{margin:8px 0 0;font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.steps{margin:2px 0 0;padding-left:22px;font-size:15px}
.steps li{margin:2px 0}
.when{margin:4px 0 0;font-size:13px;color:var(--muted)}
.timeline h3,.strip h3{margin:12px 0 6px;font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.timeline svg{display:block;width:100%;height:auto;font-size:12px}
.timeline .axis{stroke:#aab4bf}.timeline .tick{fill:var(--muted)}.timeline .track{fill:#eef1f4}
.timeline .seg-fail{fill:var(--fail)}.timeline .seg-warn{fill:#d4a72c}.timeline .frame-mark{stroke:var(--ink);stroke-dasharray:2 2}
.timeline .row-label{fill:var(--ink)}.timeline .worst{fill:var(--ink);stroke:#fff;stroke-width:1.5}
.strip ol{list-style:none;display:flex;gap:8px;overflow-x:auto;margin:0;padding:0}
.strip li{flex:none;text-align:center;font-size:12px;color:var(--muted)}
.strip img{display:block;border-radius:6px;height:120px;width:auto}
.foot{order:2;color:var(--muted);font-size:12px;text-align:center}
@media (max-width:760px){.overview{grid-template-columns:1fr}.card{grid-template-columns:1fr}.shot{width:auto}
.tiles{grid-template-columns:repeat(2,minmax(0,1fr))}}
@media print{.filters{display:none}.card{break-inside:avoid}body{background:#fff}}
`.trim();
