// The batch overview: counts by verdict (tiles and a proportion bar) and by cause (bar chart), each
// count a filter button, plus the search box and the "shown" counter. Written after the last card
// (it needs the summary) and shown above the cards by CSS `order`.
import type { Summary, Verdict } from '../../../types.js';
import { causeText, escalationSteps, uiText } from '../../catalogue.js';
import { isCauseCode } from '../../codes.js';
import type { Lang } from '../../i18n/types.js';
import { escapeHtml } from './escape.js';
import { VERDICT_MARK } from './card.js';

const VERDICTS: readonly Verdict[] = ['pass', 'warn', 'fail', 'error'];

export function causeTitle(code: string, lang: Lang): string {
  return isCauseCode(code) ? causeText(code, lang).title : code;
}

export function renderOverview(s: Summary, lang: Lang): string {
  const ui = uiText(lang);
  const r = ui.report;
  const out: string[] = [];
  out.push(`<section id="overview" class="overview" aria-labelledby="overview-h">`);
  out.push(`<h2 id="overview-h">${escapeHtml(ui.summary)} · ${escapeHtml(ui.total)} ${s.total}</h2>`);
  out.push(`<p class="hint">${escapeHtml(r.filterHint)}</p>`);

  // verdicts
  out.push(`<div><h3>${escapeHtml(r.byVerdict)}</h3><div class="tiles">`);
  for (const v of VERDICTS) {
    out.push(
      `<button type="button" class="tile v-${v}" data-filter-verdict="${v}" aria-pressed="false">` +
        `<span class="num">${s.byVerdict[v]}</span><span class="lbl">${VERDICT_MARK[v]} ${escapeHtml(ui.verdict[v])}</span></button>`,
    );
  }
  out.push('</div>', proportionBar(s), '</div>');

  // causes
  const causes = Object.entries(s.byCause).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  out.push(`<div><h3>${escapeHtml(r.byCause)}</h3>`);
  if (causes.length === 0) {
    out.push(`<p class="empty">${escapeHtml(ui.noProblems)}</p>`);
  } else {
    const max = Math.max(...causes.map(([, n]) => n));
    out.push('<div class="bars">');
    for (const [code, n] of causes) {
      const title = causeTitle(code, lang);
      const w = Math.max(0.5, (n / max) * 100);
      out.push(
        `<button type="button" class="bar-row" data-filter-cause="${escapeHtml(code)}" aria-pressed="false" title="${escapeHtml(code)}">` +
          `<span class="bar-label">${escapeHtml(title)}</span>` +
          `<svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect class="track" width="100" height="10" rx="2"/>` +
          `<rect class="fill" width="${round(w)}" height="10" rx="2"/></svg>` +
          `<span class="bar-count">${n}</span></button>`,
      );
    }
    out.push('</div>');
  }
  out.push('</div>');

  if (s.byVerdict.fail > 0) {
    out.push(
      `<div class="escalation"><strong>${escapeHtml(ui.ifKeepsFailing)}</strong><ul>` +
        escalationSteps(lang).map((x) => `<li>${escapeHtml(x)}</li>`).join('') +
        '</ul></div>',
    );
  }
  out.push('</section>\n');

  out.push(
    `<nav class="filters" aria-label="${escapeHtml(r.search)}">` +
      `<input type="search" id="search" placeholder="${escapeHtml(r.search)}" aria-label="${escapeHtml(r.search)}" autocomplete="off">` +
      `<span class="count">${escapeHtml(r.shown)} <b id="shown-count">${s.total}</b> / ${s.total}</span>` +
      `<button type="button" id="clear-filters">${escapeHtml(r.clearFilters)}</button></nav>\n`,
    `<p id="no-match" class="no-match" hidden>${escapeHtml(r.noMatch)}</p>\n`,
  );
  return out.join('');
}

/** One bar split by verdict share. */
function proportionBar(s: Summary): string {
  if (s.total === 0) return '';
  let x = 0;
  const rects: string[] = [];
  for (const v of VERDICTS) {
    const w = (s.byVerdict[v] / s.total) * 100;
    if (w > 0) rects.push(`<rect class="v-${v}" x="${round(x)}" width="${round(w)}" height="10"/>`);
    x += w;
  }
  return `<svg class="stack" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">${rects.join('')}</svg>`;
}

const round = (v: number) => Math.round(v * 100) / 100;
