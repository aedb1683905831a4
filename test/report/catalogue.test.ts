import { describe, expect, it } from 'vitest';
import {
  SUPPORTED_LANGS,
  causeMessage,
  causeText,
  describeCause,
  escalationSteps,
  firingConditions,
  formatMeasurements,
  formatNumber,
  messageTemplate,
  parseLang,
  resolveLang,
  uiText,
  type Lang,
} from '../../src/report/catalogue.js';
import { CAUSE_CATEGORIES, CAUSE_CODES } from '../../src/report/codes.js';
import * as en from '../../src/report/i18n/en.js';
import * as es from '../../src/report/i18n/es.js';
import * as fr from '../../src/report/i18n/fr.js';
import * as ja from '../../src/report/i18n/ja.js';
import * as ko from '../../src/report/i18n/ko.js';
import * as zh from '../../src/report/i18n/zh.js';
import type { Finding } from '../../src/types.js';

const PACKS = { en, zh, ja, ko, es, fr } as const;
const NON_EN = SUPPORTED_LANGS.filter((l) => l !== 'en');

const HAN = /[\u3400-\u9fff]/;
const KANA = /[\u3040-\u30ff]/;
const HANGUL = /[\uac00-\ud7af]/;
const CJK_ANY = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/;

/** Every user-facing string of a cause, labelled for error messages. */
function strings(lang: Lang, code: (typeof CAUSE_CODES)[number]): Array<[string, string]> {
  const t = causeText(code, lang);
  return [
    [`${lang}/${code}/title`, t.title],
    [`${lang}/${code}/why`, t.why],
    ...t.steps.map((s, i): [string, string] => [`${lang}/${code}/steps[${i}]`, s]),
  ];
}

describe('catalogue completeness', () => {
  it('supports exactly the six languages', () => {
    expect([...SUPPORTED_LANGS].sort()).toEqual(['en', 'es', 'fr', 'ja', 'ko', 'zh']);
  });

  it.each(SUPPORTED_LANGS)('%s has exactly the cause codes of codes.ts', (lang) => {
    expect(Object.keys(PACKS[lang].causes).sort()).toEqual([...CAUSE_CODES].sort());
  });

  for (const lang of SUPPORTED_LANGS) {
    it(`${lang}: every cause has a title, a why and 2–5 distinct steps`, () => {
      for (const code of CAUSE_CODES) {
        const t = causeText(code, lang);
        expect(t.title.trim(), `${lang}/${code} title`).not.toBe('');
        expect(t.title, `${lang}/${code} title has no trailing period`).not.toMatch(/[.。]$/);
        expect(t.title.length, `${lang}/${code} title is short`).toBeLessThanOrEqual(40);
        expect(t.why.trim(), `${lang}/${code} why`).not.toBe('');
        expect(t.steps.length, `${lang}/${code} steps`).toBeGreaterThanOrEqual(2);
        expect(t.steps.length, `${lang}/${code} steps`).toBeLessThanOrEqual(5);
        expect(new Set(t.steps).size, `${lang}/${code} duplicate step`).toBe(t.steps.length);
        for (const s of t.steps) expect(s.trim(), `${lang}/${code} empty step`).not.toBe('');
        for (const [where, s] of strings(lang, code)) {
          expect(s, `${where} has stray whitespace`).toBe(s.trim());
          expect(s, `${where} placeholder`).not.toMatch(/TODO|TBD|FIXME|\{\w+\}/);
        }
      }
    });

    it(`${lang}: titles are unique`, () => {
      const titles = CAUSE_CODES.map((c) => causeText(c, lang).title);
      expect(new Set(titles).size).toBe(titles.length);
    });

    it(`${lang}: sentences end with punctuation`, () => {
      const end = lang === 'zh' || lang === 'ja' ? /[。）)]$/ : /[.)]$/;
      for (const code of CAUSE_CODES) {
        const t = causeText(code, lang);
        for (const s of [t.why, ...t.steps]) expect(s, `${lang}/${code}`).toMatch(end);
      }
      for (const s of escalationSteps(lang)) expect(s).toMatch(end);
    });

    it(`${lang}: escalation list and UI words are present`, () => {
      const esc = escalationSteps(lang);
      expect(esc.length).toBeGreaterThanOrEqual(2);
      for (const s of esc) expect(s.trim()).not.toBe('');
      const ui = uiText(lang);
      const leaves = (o: object): string[] =>
        Object.values(o).flatMap((v) => (typeof v === 'string' ? [v] : leaves(v as object)));
      for (const s of leaves(ui)) expect(s.trim()).not.toBe('');
      expect(Object.keys(ui.verdict).sort()).toEqual(['error', 'fail', 'pass', 'warn']);
      expect(Object.keys(ui.category).sort()).toEqual([...new Set(Object.values(CAUSE_CATEGORIES))].sort());
    });
  }

  it('non-English texts are not copies of the English ones', () => {
    for (const lang of NON_EN) {
      for (const code of CAUSE_CODES) {
        const enStrings = strings('en', code);
        const other = strings(lang, code);
        expect(other.length, `${lang}/${code} has the same number of steps as en`).toBe(enStrings.length);
        for (const [where, s] of other) {
          expect(
            enStrings.map(([, e]) => e),
            `${where} is identical to English`,
          ).not.toContain(s);
        }
      }
      const enEsc = escalationSteps('en');
      for (const s of escalationSteps(lang)) expect(enEsc, `${lang} escalation`).not.toContain(s);
      expect(uiText(lang).whatToDo).not.toBe(uiText('en').whatToDo);
      expect(uiText(lang).noProblems).not.toBe(uiText('en').noProblems);
    }
  });

  it('zh, ja and ko are written in their scripts; es and fr are not', () => {
    for (const code of CAUSE_CODES) {
      for (const [where, s] of strings('zh', code)) {
        expect(s, where).toMatch(HAN);
        expect(s, `${where} contains Japanese kana`).not.toMatch(KANA);
      }
      for (const [where, s] of strings('ja', code)) {
        expect(s, where).toMatch(CJK_ANY);
        if (!where.endsWith('title')) expect(s, `${where} has no kana`).toMatch(KANA);
        expect(s, `${where} contains Hangul`).not.toMatch(HANGUL);
      }
      for (const [where, s] of strings('ko', code)) {
        expect(s, where).toMatch(HANGUL);
        expect(s, `${where} contains kana`).not.toMatch(KANA);
      }
      for (const lang of ['es', 'fr', 'en'] as const) {
        for (const [where, s] of strings(lang, code)) expect(s, where).not.toMatch(CJK_ANY);
      }
    }
    for (const s of escalationSteps('zh')) expect(s).toMatch(HAN);
    for (const s of escalationSteps('ja')) expect(s).toMatch(KANA);
    for (const s of escalationSteps('ko')) expect(s).toMatch(HANGUL);
  });

  it('French uses a non-breaking space before : ; ? !', () => {
    const all = [...CAUSE_CODES.flatMap((c) => strings('fr', c).map(([, s]) => s)), ...escalationSteps('fr')];
    for (const s of all) expect(s, s).not.toMatch(/ [:;?!]/);
  });

  it('headwear advice mentions special handling for religious head coverings in every language', () => {
    const support: Record<Lang, RegExp> = {
      en: /support/,
      zh: /客服/,
      ja: /サポート/,
      ko: /고객센터/,
      es: /soporte/,
      fr: /support/,
    };
    for (const lang of SUPPORTED_LANGS) {
      expect(causeText('headwear', lang).steps.join(' ')).toMatch(support[lang]);
    }
  });

  it('causeText and escalationSteps return copies', () => {
    causeText('blur', 'en').steps.push('mutated');
    escalationSteps('en').push('mutated');
    expect(causeText('blur', 'en').steps).not.toContain('mutated');
    expect(escalationSteps('en')).not.toContain('mutated');
  });
});

describe('resolveLang', () => {
  it('explicit --lang wins over the environment', () => {
    expect(resolveLang('zh', { LANG: 'fr_FR.UTF-8', LC_ALL: 'ko_KR.UTF-8' })).toBe('zh');
    expect(resolveLang('JA', {})).toBe('ja');
    expect(resolveLang('zh-CN', {})).toBe('zh');
    expect(resolveLang('zh_TW', {})).toBe('zh');
    expect(resolveLang('es-419', {})).toBe('es');
    expect(resolveLang('jp', {})).toBe('ja');
    expect(resolveLang('kr', {})).toBe('ko');
  });

  it('an unsupported or empty explicit value falls through to the environment', () => {
    expect(resolveLang('de', { LANG: 'ja_JP.UTF-8' })).toBe('ja');
    expect(resolveLang('', { LANG: 'ko_KR.UTF-8' })).toBe('ko');
    expect(resolveLang(undefined, { LANG: 'fr_FR.UTF-8' })).toBe('fr');
    expect(resolveLang('pt', {})).toBe('en');
  });

  it.each([
    ['zh_CN.UTF-8', 'zh'],
    ['zh_CN.GB18030', 'zh'],
    ['ja_JP', 'ja'],
    ['ja_JP.eucJP', 'ja'],
    ['ko_KR.UTF-8', 'ko'],
    ['es_MX.UTF-8', 'es'],
    ['fr_CA.UTF-8', 'fr'],
    ['fr_FR@euro', 'fr'],
    ['en_GB.UTF-8', 'en'],
    ['pt_BR.UTF-8', 'en'],
    ['de_DE', 'en'],
    ['C', 'en'],
    ['C.UTF-8', 'en'],
    ['POSIX', 'en'],
  ] as const)('LANG=%s → %s', (value, want) => {
    expect(resolveLang(undefined, { LANG: value })).toBe(want);
  });

  it('LC_ALL beats LC_MESSAGES beats LANG', () => {
    expect(resolveLang(undefined, { LC_ALL: 'ja_JP.UTF-8', LC_MESSAGES: 'ko_KR.UTF-8', LANG: 'fr_FR.UTF-8' })).toBe(
      'ja',
    );
    expect(resolveLang(undefined, { LC_MESSAGES: 'ko_KR.UTF-8', LANG: 'fr_FR.UTF-8' })).toBe('ko');
    expect(resolveLang(undefined, { LC_ALL: '', LC_MESSAGES: '', LANG: 'es_ES.UTF-8' })).toBe('es');
  });

  it('C/POSIX or an unsupported locale in a higher-priority variable means English', () => {
    expect(resolveLang(undefined, { LC_ALL: 'C', LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(resolveLang(undefined, { LC_ALL: 'POSIX', LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(resolveLang(undefined, { LC_MESSAGES: 'pt_BR.UTF-8', LANG: 'ja_JP.UTF-8' })).toBe('en');
  });

  it('no locale at all means English; default env is process.env', () => {
    expect(resolveLang(undefined, {})).toBe('en');
    expect(SUPPORTED_LANGS).toContain(resolveLang());
  });

  it('parseLang reports unsupported tags as undefined', () => {
    expect(parseLang('de')).toBeUndefined();
    expect(parseLang('')).toBeUndefined();
    expect(parseLang(undefined)).toBeUndefined();
    expect(parseLang('ko')).toBe('ko');
  });
});

describe('message formatter', () => {
  it('rounds to at most 3 significant digits below 100, whole numbers above', () => {
    expect(formatNumber(38.456)).toBe('38.5');
    expect(formatNumber(38)).toBe('38');
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(2 / 3)).toBe('0.667');
    expect(formatNumber(99.96)).toBe('100');
    expect(formatNumber(123.6)).toBe('124');
    expect(formatNumber(4032)).toBe('4032');
    expect(formatNumber(-12.345)).toBe('-12.3');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(0.0004)).toBe('0.0004');
    expect(formatNumber(Infinity)).toBe('∞');
    expect(formatNumber(-Infinity)).toBe('-∞');
    expect(formatNumber(NaN)).toBe('?');
  });

  it('pairs a min threshold with its measured value', () => {
    expect(causeMessage('too-dark', { faceP50: 38.24 }, { minFaceP50: 60 }, 'en')).toBe(
      'Face too dark — faceP50 38.2 (limit ≥60)',
    );
  });

  it('pairs max, suffix, snake_case and abs-prefixed thresholds', () => {
    expect(formatMeasurements({ faceP50: 250 }, { maxFaceP50: 200 })).toBe('faceP50 250 (limit ≤200)');
    expect(formatMeasurements({ yaw: 31.74 }, { yawMax: 25 })).toBe('yaw 31.7 (limit ≤25)');
    expect(formatMeasurements({ face_p50: 38 }, { min_face_p50: 60 })).toBe('face_p50 38 (limit ≥60)');
    expect(formatMeasurements({ yaw: -31.7 }, { maxAbsYaw: 25 })).toBe('yaw -31.7 (limit ≤25)');
    expect(formatMeasurements({ sharpness: 12 }, { sharpness: 40 })).toBe('sharpness 12 (limit 40)');
  });

  it('shows a min and a max as a range', () => {
    expect(formatMeasurements({ faceP50: 250.4 }, { minFaceP50: 60, maxFaceP50: 200 })).toBe(
      'faceP50 250 (limit 60–200)',
    );
  });

  it('does not treat words that merely start with min/max as bounds', () => {
    expect(formatMeasurements({}, { minimum: 3 })).toBe('limit minimum 3');
    expect(formatMeasurements({}, { maxIOD: 300 })).toBe('limit IOD ≤300');
  });

  it('degrades gracefully when fields are missing', () => {
    expect(causeMessage('too-dark', {}, {}, 'en')).toBe('Face too dark');
    expect(causeMessage('too-dark', undefined, undefined, 'en')).toBe('Face too dark');
    expect(formatMeasurements(null, null)).toBe('');
    // threshold known, value not measured
    expect(causeMessage('too-dark', {}, { minFaceP50: 60 }, 'en')).toBe('Face too dark — limit faceP50 ≥60');
    // value measured under a different name than the threshold
    expect(causeMessage('too-dark', { faceMedian: 38 }, { minFaceP50: 60 }, 'en')).toBe(
      'Face too dark — faceMedian 38; limit faceP50 ≥60',
    );
    // no thresholds at all
    expect(causeMessage('blur', { laplacianVar: 12.345 }, {}, 'en')).toBe('Image blurry — laplacianVar 12.3');
  });

  it('skips unusable values and formats booleans and strings', () => {
    const m = { a: NaN, b: null, c: { nested: 1 }, d: '', e: true, f: 'left', g: 2 } as unknown as Record<
      string,
      number
    >;
    expect(formatMeasurements(m, { minA: 3 })).toBe('e yes; f left; g 2; limit a ≥3');
    expect(formatMeasurements({ x: 'y'.repeat(100) }, {})).toMatch(/^x y{39}…$/);
  });

  it('puts paired values first and caps the number of parts', () => {
    const msg = formatMeasurements({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 }, { minF: 10 });
    expect(msg).toBe('f 6 (limit ≥10); a 1; b 2; c 3; …');
  });

  it('lists values that crossed their limit first and marks those on the good side as within it', () => {
    // too-dark firing on headroom while the face highlights are bright enough: faceP90 70 must not
    // read as if it were below its limit of 45.
    const measured = { frameP999: 89, faceP90: 70, headroomStops: 3.32 };
    const thresholds = { headroomStopsWarn: 1.25, headroomStopsFail: 3, faceP90Warn: 45, faceP90Fail: 30 };
    expect(formatMeasurements(measured, thresholds)).toBe('headroomStops 3.32 (limit >1.25, fail >3); faceP90 70 (within limit); frameP999 89');
    // The same value past its limit is listed with it, in the analyzer's order.
    expect(formatMeasurements({ ...measured, faceP90: 40 }, thresholds)).toBe(
      'faceP90 40 (limit <45, fail <30); headroomStops 3.32 (limit >1.25, fail >3); frameP999 89',
    );
    // At the warn limit counts as crossed (the analyzer fired there).
    expect(formatMeasurements({ offset: 0.22 }, { offsetWarn: 0.22, offsetFail: 0.33 })).toBe('offset 0.22 (limit >0.22, fail >0.33)');
  });

  it('judges min, max, range and magnitude bounds the same way', () => {
    expect(formatMeasurements({ faceP50: 80 }, { minFaceP50: 60 })).toBe('faceP50 80 (within limit)');
    expect(formatMeasurements({ faceP50: 150 }, { minFaceP50: 60, maxFaceP50: 200 })).toBe('faceP50 150 (within limit)');
    expect(formatMeasurements({ yaw: -10 }, { maxAbsYaw: 25 })).toBe('yaw -10 (within limit)');
    expect(formatMeasurements({ yaw: -30 }, { maxAbsYaw: 25 })).toBe('yaw -30 (limit ≤25)');
  });

  it('does not claim a side for a limit whose bad side is unknown', () => {
    // A lone <measured>Fail (or an unprefixed threshold) does not say which side is bad: shown
    // with its value, among the crossed ones, without a < or >.
    expect(formatMeasurements({ cutOff: 0, offset: 0.1 }, { cutOffFail: 0.08, offsetWarn: 0.22, offsetFail: 0.33 })).toBe(
      'cutOff 0 (limit fail 0.08); offset 0.1 (within limit)',
    );
    expect(formatMeasurements({ sharpness: 50 }, { sharpness: 40 })).toBe('sharpness 50 (limit 40)');
  });

  it('shows a met firing condition as evidence, not as "within limit"', () => {
    // Flicker fires on its amplitude only once the bands are coherent: coherence 0.625 against
    // minCoherence 0.375 is part of why it fired.
    const measured = { amplitude: 0.064, coherence: 0.625 };
    const thresholds = { amplitudeWarn: 0.02, amplitudeFail: 0.06, minCoherence: 0.375 };
    expect(causeMessage('flicker', measured, thresholds)).toBe(
      `${causeText('flicker', 'en').title} — amplitude 0.064 (limit >0.02, fail >0.06); coherence 0.625 (≥0.375, condition met)`,
    );
    // The same key is an ordinary limit for a cause that does not list it as a condition.
    expect(formatMeasurements({ coherence: 0.625 }, { minCoherence: 0.375 })).toBe('coherence 0.625 (within limit)');
    expect(firingConditions('flicker').has('minCoherence')).toBe(true);
    expect(firingConditions('not-a-code').size).toBe(0);
    for (const lang of SUPPORTED_LANGS) expect(uiText(lang).conditionMet.trim(), lang).not.toBe('');
  });

  it('does not hold a value that is not a number against a numeric limit', () => {
    expect(formatMeasurements({ hueShift: 'n/a', sigma: 3 }, { hueShiftWarn: 20, hueShiftFail: 32, sigmaWarn: 2.2, sigmaFail: 6 })).toBe(
      'sigma 3 (limit >2.2, fail >6); hueShift n/a',
    );
  });

  it('marks within-limit values in every language', () => {
    for (const lang of SUPPORTED_LANGS) {
      const ui = uiText(lang);
      expect(ui.withinLimit.trim(), lang).not.toBe('');
      const msg = messageTemplate('too-dark', lang)({ faceP90: 70, headroomStops: 3.32 }, { faceP90Warn: 45, faceP90Fail: 30, headroomStopsWarn: 1.25, headroomStopsFail: 3 });
      expect(msg, lang).toBe(`${causeText('too-dark', lang).title} — headroomStops 3.32 (${ui.limit} >1.25, ${ui.verdict.fail.toLowerCase()} >3); faceP90 70 (${ui.withinLimit})`);
    }
  });

  it('localizes the title, the limit word and yes/no', () => {
    expect(causeMessage('too-dark', { faceP50: 38 }, { minFaceP50: 60 }, 'ja')).toBe(
      '顔が暗すぎます — faceP50 38 (基準値 ≥60)',
    );
    expect(causeMessage('too-dark', { faceP50: 38 }, { minFaceP50: 60 }, 'fr')).toBe(
      'Visage trop sombre — faceP50 38 (seuil ≥60)',
    );
    expect(causeMessage('sunglasses', { detected: true }, {}, 'zh')).toBe('戴着墨镜 — detected 是');
    for (const lang of SUPPORTED_LANGS) {
      const msg = messageTemplate('too-dark', lang)({ faceP50: 38 }, { minFaceP50: 60 });
      expect(msg.startsWith(causeText('too-dark', lang).title)).toBe(true);
      expect(msg).toContain(uiText(lang).limit);
    }
  });
});

describe('describeCause', () => {
  const finding: Finding = {
    code: 'too-dark',
    severity: 'fail',
    confidence: 0.9,
    measured: { faceP50: 38 },
    thresholds: { minFaceP50: 60 },
    region: { label: 'face', box: { x: 1, y: 2, width: 3, height: 4 } },
    segments: [[0, 1.5]],
  };

  it('adds category, title, message and advice and keeps the finding', () => {
    const cause = describeCause(finding, 'en');
    expect(cause).toMatchObject(finding);
    expect(cause.category).toBe('lighting');
    expect(cause.title).toBe('Face too dark');
    expect(cause.message).toBe('Face too dark — faceP50 38 (limit ≥60)');
    expect(cause.advice).toEqual(causeText('too-dark', 'en').steps);
  });

  it('localizes', () => {
    const cause = describeCause(finding, 'ko');
    expect(cause.title).toBe(causeText('too-dark', 'ko').title);
    expect(cause.advice[0]).toMatch(HANGUL);
    expect(cause.category).toBe('lighting');
  });

  it('works for every code in every language', () => {
    for (const lang of SUPPORTED_LANGS) {
      for (const code of CAUSE_CODES) {
        const c = describeCause({ code, severity: 'warn', confidence: 0.5, measured: {}, thresholds: {} }, lang);
        expect(c.category).toBe(CAUSE_CATEGORIES[code]);
        expect(c.message).toBe(c.title);
        expect(c.advice.length).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it('advice is a copy', () => {
    describeCause(finding, 'en').advice.push('mutated');
    expect(describeCause(finding, 'en').advice).not.toContain('mutated');
  });

  it('rejects codes missing from codes.ts', () => {
    expect(() => describeCause({ ...finding, code: 'not-a-code' }, 'en')).toThrow(/unknown cause code/);
  });
});

describe('warn/fail threshold pairs in messages', () => {
  it('pairs <measured>Warn / <measured>Fail with the measured value and shows the bad side', async () => {
    const { causeMessage } = await import('../../src/report/catalogue.js');
    expect(causeMessage('too-far', { faceShare: 0.12 }, { faceShareWarn: 0.16, faceShareFail: 0.1 }, 'en')).toContain('faceShare 0.12 (limit <0.16, fail <0.1)');
    expect(causeMessage('blur', { score: 0.7 }, { scoreWarn: 0.55, scoreFail: 0.62 }, 'en')).toContain('score 0.7 (limit >0.55, fail >0.62)');
  });
});
