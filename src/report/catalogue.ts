// The cause catalogue: localized titles, explanations and remediation steps for every cause code,
// plus the per-file message line ("title — measured vs limit") and language resolution.
import type { Cause, Finding, Measured } from '../types.js';
import { CAUSE_CATEGORIES, isCauseCode, type CauseCode } from './codes.js';
import * as en from './i18n/en.js';
import * as es from './i18n/es.js';
import * as fr from './i18n/fr.js';
import * as ja from './i18n/ja.js';
import * as ko from './i18n/ko.js';
import type { CauseText, Lang, LangPack, UiText } from './i18n/types.js';
import * as zh from './i18n/zh.js';

export type { CauseText, Lang, LangPack, UiText } from './i18n/types.js';

export const SUPPORTED_LANGS: readonly Lang[] = ['en', 'zh', 'ja', 'ko', 'es', 'fr'];

const PACKS: Record<Lang, LangPack> = { en, zh, ja, ko, es, fr };

/** Common non-standard spellings people type for `--lang`. */
const ALIASES: Record<string, Lang> = { cn: 'zh', jp: 'ja', kr: 'ko' };

export function isLang(s: string): s is Lang {
  return (SUPPORTED_LANGS as readonly string[]).includes(s);
}

/**
 * Maps a language tag or POSIX locale ("zh_CN.UTF-8", "ja-JP", "fr", "C", "en_US@euro") to a
 * supported Lang, or undefined when it names a language we don't have ("pt_BR", "de").
 * "C" and "POSIX" (with or without ".UTF-8") mean English.
 */
export function parseLang(tag: string | undefined | null): Lang | undefined {
  if (!tag) return undefined;
  const base = tag.trim().split(/[.@]/)[0] ?? '';
  const primary = (base.split(/[-_]/)[0] ?? '').toLowerCase();
  if (!primary) return undefined;
  if (primary === 'c' || primary === 'posix') return 'en';
  if (isLang(primary)) return primary;
  return ALIASES[primary];
}

/**
 * Picks the output language. An explicit (`--lang`) value wins when it names a supported language;
 * an unsupported one is ignored (use parseLang to reject it up front). Otherwise the first
 * non-empty of LC_ALL, LC_MESSAGES, LANG decides, as in POSIX; an unsupported locale there ("pt_BR")
 * or "C"/"POSIX" gives English, as does no locale at all.
 */
export function resolveLang(explicit?: string, env: NodeJS.ProcessEnv = process.env): Lang {
  const fromFlag = parseLang(explicit);
  if (fromFlag) return fromFlag;
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG'] as const) {
    const value = env[name]?.trim();
    if (value) return parseLang(value) ?? 'en';
  }
  return 'en';
}

function pack(lang: Lang): LangPack {
  return PACKS[lang] ?? PACKS.en;
}

/** Title, why and steps for a cause (a fresh copy; callers may mutate it). */
export function causeText(code: CauseCode, lang: Lang = 'en'): CauseText {
  const t = pack(lang).causes[code];
  return { title: t.title, why: t.why, steps: [...t.steps] };
}

/** Shared advice for captures that keep failing, most useful first. */
export function escalationSteps(lang: Lang = 'en'): string[] {
  return [...pack(lang).escalation];
}

export function uiText(lang: Lang = 'en'): UiText {
  return pack(lang).ui;
}

// ---------------------------------------------------------------------------------------------
// Message line: "<title> — <key> <value> (<limit> <bound>); ..."
// Analyzer field names are not fixed, so thresholds are paired with measured values generically:
// a threshold named like the measured key, or the key with a min/max prefix or suffix
// (minFaceP50, faceP50Min, min_face_p50, maxAbsYaw for yaw) bounds that value.

export type MessageTemplate = (measured: Measured, thresholds: Record<string, number>) => string;

/** At most this many "key value (limit …)" parts per message; the full data stays in JSON. */
export const MAX_MESSAGE_PARTS = 4;
const MAX_STRING_VALUE = 40;

/**
 * Rounds for display: at most 3 significant digits for |n| < 100, whole numbers above that
 * (so 38.456 → "38.5", 0.012345 → "0.0123", 123.6 → "124", 4032 → "4032").
 */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return '?';
  if (!Number.isFinite(n)) return n > 0 ? '∞' : '-∞';
  const r = Math.abs(n) >= 100 ? Math.round(n) : Number(n.toPrecision(3));
  return r === 0 ? '0' : String(r); // also turns -0 into "0"
}

type Op = '≥' | '≤' | '';
interface Bound {
  op: Op;
  value: number;
  /** Analyzer thresholds come as `<measured>Warn` / `<measured>Fail` pairs. */
  level?: 'warn' | 'fail';
  /** The threshold bounds the magnitude (maxAbsYaw for yaw). */
  abs?: boolean;
  /** A firing condition of the cause (see FIRING_CONDITIONS), not a quality limit. */
  condition?: boolean;
}

/**
 * Thresholds that are conditions a measurement must meet for the cause to fire at all (the
 * bands must be coherent and periodic before their amplitude counts), as opposed to quality
 * limits. A value that meets one is part of the evidence, so it must not read "within limit"
 * (which says "this part is fine"); it reads "condition met".
 */
const FIRING_CONDITIONS: Partial<Record<CauseCode, ReadonlySet<string>>> = {
  flicker: new Set(['minCoherence', 'minProminence', 'minPeriodicity', 'minEvenness', 'minRegularity']),
  'multiple-faces': new Set(['minSecondFaceScore']),
};

/** The firing conditions among a cause's thresholds (empty for unknown codes). */
export function firingConditions(code: string): ReadonlySet<string> {
  return (isCauseCode(code) && FIRING_CONDITIONS[code]) || EMPTY_SET;
}
const EMPTY_SET: ReadonlySet<string> = new Set();

const normKey = (k: string) => k.replace(/[\s_\-.]/g, '').toLowerCase();

/** "minFaceP50" → {base: "FaceP50", op: "≥"}; "yawMax" → {base: "yaw", op: "≤"}; else op "". */
function splitThresholdKey(key: string): { base: string; op: Op; level?: 'warn' | 'fail' } {
  const lvl = /^(.+?)(Warn|Fail)$/.exec(key);
  if (lvl?.[1] && lvl[2]) return { base: lvl[1], op: '', level: lvl[2] === 'Warn' ? 'warn' : 'fail' };
  // Case-sensitive on purpose: "minimum" or "domain" are not bounds.
  const pre = /^(min|max|Min|Max|MIN|MAX)(?:[_-]+|(?=[A-Z0-9]))(.+)$/.exec(key);
  if (pre?.[1] && pre[2]) {
    const b = pre[2];
    // minFaceP50 → faceP50, but keep acronyms: maxIOD → IOD.
    const base = b.length > 1 && b[1] === b[1]!.toUpperCase() ? b : b[0]!.toLowerCase() + b.slice(1);
    return { base, op: pre[1].toLowerCase() === 'min' ? '≥' : '≤' };
  }
  const suf = /^(.+?)(?:[_-]+(min|max|MIN|MAX)|(Min|Max))$/.exec(key);
  const word = suf?.[2] ?? suf?.[3];
  if (suf?.[1] && word) return { base: suf[1], op: word.toLowerCase() === 'min' ? '≥' : '≤' };
  return { base: key, op: '' };
}

/**
 * The bad side of a `<measured>Warn` / `<measured>Fail` pair: the fail limit lies further on it.
 * Undefined with only one of them (or both equal), where the names alone do not tell.
 */
function badSide(levelled: Bound[]): '<' | '>' | undefined {
  const warn = levelled.find((b) => b.level === 'warn');
  const fail = levelled.find((b) => b.level === 'fail');
  return warn && fail && warn.value !== fail.value ? (fail.value < warn.value ? '<' : '>') : undefined;
}

/** Where a measured value stands against its limits: on the bad side of one ("crossed"), on the
 *  good side of all ("within"), or "unknown" when the limits do not say which side is bad. */
type Standing = 'crossed' | 'within' | 'unknown';

function standing(bounds: Bound[], value: unknown): Standing {
  if (typeof value !== 'number') return 'unknown';
  const levelled = bounds.filter((b) => b.level);
  if (levelled.length > 0) {
    const bad = badSide(levelled);
    const warn = levelled.find((b) => b.level === 'warn')!;
    if (!bad) return 'unknown';
    // At the limit counts as crossed: the analyzer fired there.
    return (bad === '<' ? value <= warn.value : value >= warn.value) ? 'crossed' : 'within';
  }
  const ops = bounds.filter((b) => b.op !== '');
  if (ops.length === 0) return 'unknown';
  const out = ops.some((b) => {
    const v = b.abs ? Math.abs(value) : value;
    return b.op === '≥' ? v < b.value : v > b.value;
  });
  return out ? 'crossed' : 'within';
}

function formatBounds(bounds: Bound[], ui: UiText = PACKS.en.ui): string {
  const levelled = bounds.filter((b) => b.level);
  if (levelled.length > 0) {
    // With both limits the side is known (badSide); with one, only its value is shown.
    const bad = badSide(levelled) ?? '';
    const warn = levelled.find((b) => b.level === 'warn');
    const fail = levelled.find((b) => b.level === 'fail');
    const out: string[] = [];
    if (warn) out.push(`${bad}${formatNumber(warn.value)}`);
    if (fail) out.push(`${ui.verdict.fail.toLowerCase()} ${bad}${formatNumber(fail.value)}`);
    return out.join(', ');
  }
  bounds = bounds.filter((b) => !b.level);
  const lo = bounds.filter((b) => b.op === '≥');
  const hi = bounds.filter((b) => b.op === '≤');
  const plain = bounds.filter((b) => b.op === '');
  const out: string[] = [];
  if (lo.length === 1 && hi.length === 1) {
    out.push(`${formatNumber(lo[0]!.value)}–${formatNumber(hi[0]!.value)}`);
  } else {
    for (const b of [...lo, ...hi]) out.push(`${b.op}${formatNumber(b.value)}`);
  }
  for (const b of plain) out.push(formatNumber(b.value));
  return out.join(', ');
}

function formatValue(v: unknown, ui: UiText): string | undefined {
  if (typeof v === 'number') return Number.isNaN(v) ? undefined : formatNumber(v);
  if (typeof v === 'boolean') return v ? ui.yes : ui.no;
  if (typeof v === 'string') {
    const s = v.trim();
    if (!s) return undefined;
    return s.length > MAX_STRING_VALUE ? `${s.slice(0, MAX_STRING_VALUE - 1)}…` : s;
  }
  return undefined; // null, undefined, objects: not shown
}

/**
 * The compact "measured vs limit" part, e.g. "faceP50 38 (limit ≥60)". First the values that
 * crossed their limit (or whose limit has no known bad side), then those checked and found within
 * their limits, marked so (a value on the good side of its limit must not read as the problem),
 * then measured values without a threshold, then thresholds whose value wasn't measured.
 * Returns "" when there is nothing to show.
 */
export function formatMeasurements(
  measured: Measured | undefined | null,
  thresholds: Record<string, number> | undefined | null,
  ui: UiText = PACKS.en.ui,
  conditions: ReadonlySet<string> = EMPTY_SET,
): string {
  const m: Record<string, unknown> = measured && typeof measured === 'object' ? measured : {};
  const t: Record<string, unknown> = thresholds && typeof thresholds === 'object' ? thresholds : {};

  const byNorm = new Map<string, string>();
  for (const k of Object.keys(m)) if (!byNorm.has(normKey(k))) byNorm.set(normKey(k), k);

  const bounds = new Map<string, Bound[]>();
  const orphans: Array<{ key: string; bound: Bound }> = [];
  for (const [tk, tv] of Object.entries(t)) {
    if (typeof tv !== 'number' || Number.isNaN(tv)) continue;
    const { base, op, level } = splitThresholdKey(tk);
    const nb = normKey(base);
    const direct = byNorm.get(normKey(tk)) ?? byNorm.get(nb);
    const viaAbs = direct === undefined && nb.startsWith('abs') ? byNorm.get(nb.slice(3)) : undefined;
    const target = direct ?? viaAbs;
    const bound: Bound = {
      op,
      value: tv,
      ...(level ? { level } : {}),
      ...(viaAbs !== undefined ? { abs: true } : {}),
      ...(conditions.has(tk) ? { condition: true } : {}),
    };
    if (target !== undefined && formatValue(m[target], ui) !== undefined) {
      const list = bounds.get(target) ?? [];
      list.push(bound);
      bounds.set(target, list);
    } else {
      orphans.push({ key: op ? base : tk, bound });
    }
  }

  const crossed: string[] = [];
  const met: string[] = [];
  const within: string[] = [];
  const alone: string[] = [];
  for (const [k, v] of Object.entries(m)) {
    const shown = formatValue(v, ui);
    if (shown === undefined) continue;
    // A value that is not a number ("n/a") cannot be held against a numeric limit.
    const b = typeof v === 'number' ? bounds.get(k) : undefined;
    if (!b) alone.push(`${k} ${shown}`);
    else if (standing(b, v) === 'within' && b.every((x) => x.condition)) met.push(`${k} ${shown} (${formatBounds(b, ui)}, ${ui.conditionMet})`);
    else if (standing(b, v) === 'within') within.push(`${k} ${shown} (${ui.withinLimit})`);
    else crossed.push(`${k} ${shown} (${ui.limit} ${formatBounds(b, ui)})`);
  }
  const limitsOnly = orphans.map((o) => `${ui.limit} ${o.key} ${formatBounds([{ ...o.bound, level: undefined }])}`);

  const parts = [...crossed, ...met, ...within, ...alone, ...limitsOnly];
  if (parts.length > MAX_MESSAGE_PARTS) return `${parts.slice(0, MAX_MESSAGE_PARTS).join('; ')}; …`;
  return parts.join('; ');
}

/** The message template for a cause in a language: its title plus the measured-vs-limit part. */
export function messageTemplate(code: CauseCode, lang: Lang = 'en'): MessageTemplate {
  const p = pack(lang);
  const title = p.causes[code].title;
  return (measured, thresholds) => {
    const detail = formatMeasurements(measured, thresholds, p.ui, firingConditions(code));
    return detail ? `${title} — ${detail}` : title;
  };
}

/** e.g. causeMessage('too-dark', {faceP50: 38}, {minFaceP50: 60}) → "Face too dark — faceP50 38 (limit ≥60)". */
export function causeMessage(
  code: CauseCode,
  measured: Measured | undefined,
  thresholds: Record<string, number> | undefined,
  lang: Lang = 'en',
): string {
  return messageTemplate(code, lang)(measured ?? {}, thresholds ?? {});
}

/**
 * Turns an analyzer Finding into an output Cause: adds category, localized title, message and
 * advice; every field of the finding is kept. Throws on a code missing from codes.ts, since codes
 * are part of the output contract (an analyzer emitting one is a bug, not user input).
 */
export function describeCause(finding: Finding, lang: Lang = 'en'): Cause {
  const { code } = finding;
  if (!isCauseCode(code)) throw new Error(`facedoctor: unknown cause code "${code}" (add it to src/report/codes.ts)`);
  const text = causeText(code, lang);
  return {
    ...finding,
    category: CAUSE_CATEGORIES[code],
    title: text.title,
    message: finding.segments
      ? causeMessage(code, withoutKeys(finding.measured, VIDEO_TIMING_KEYS), withoutKeys(finding.thresholds, VIDEO_TIMING_KEYS), lang)
      : causeMessage(code, finding.measured, finding.thresholds, lang),
    advice: text.steps,
  };
}

/**
 * A video cause's timing (share of frames, its limit, worst frame time) is printed once, on the
 * report's "When" line; the message keeps only what was measured on the frames. JSON still has
 * every key in `measured` and `thresholds`.
 */
const VIDEO_TIMING_KEYS: ReadonlySet<string> = new Set(['frameShare', 'minFrameShare', 'worstFrameTime']);

function withoutKeys<T>(o: Record<string, T> | undefined, drop: ReadonlySet<string>): Record<string, T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([k]) => !drop.has(k)));
}
