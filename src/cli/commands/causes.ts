// `facedoctor causes` and `facedoctor explain <code>`: the catalogue, for people and scripts.
import { CAUSE_CATEGORIES, CAUSE_CODES, isCauseCode } from '../../report/codes.js';
import { causeText, escalationSteps, uiText } from '../../report/catalogue.js';
import { langOption } from '../lang.js';
import { colorFor } from '../color.js';
import { UsageError } from '../exit-codes.js';

export function runCauses(o: { lang?: string; format?: string; color: boolean }): number {
  const lang = langOption(o.lang);
  if (o.format === 'json') {
    const list = CAUSE_CODES.map((code) => ({ code, category: CAUSE_CATEGORIES[code], ...causeText(code, lang) }));
    process.stdout.write(JSON.stringify(list, null, 2) + '\n');
    return 0;
  }
  const c = colorFor(process.stdout, !o.color);
  const ui = uiText(lang);
  const width = Math.max(...CAUSE_CODES.map((k) => k.length));
  let current = '';
  for (const code of CAUSE_CODES) {
    const cat = CAUSE_CATEGORIES[code];
    if (cat !== current) {
      process.stdout.write(`${current ? '\n' : ''}${c.bold(ui.category[cat])}\n`);
      current = cat;
    }
    process.stdout.write(`  ${code.padEnd(width)}  ${causeText(code, lang).title}\n`);
  }
  return 0;
}

export function runExplain(code: string, o: { lang?: string; color: boolean }): number {
  if (!isCauseCode(code)) throw new UsageError(`unknown cause code "${code}"; run \`facedoctor causes\` for the list`);
  const lang = langOption(o.lang);
  const t = causeText(code, lang);
  const ui = uiText(lang);
  const c = colorFor(process.stdout, !o.color);
  const lines = [c.bold(t.title), '', t.why, '', `${c.bold(ui.whatToDo)}:`, ...t.steps.map((s, i) => `  ${i + 1}. ${s}`), '', `${ui.ifKeepsFailing}:`, ...escalationSteps(lang).map((s) => `  - ${s}`)];
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
