// Loading and resolving threshold profiles. The values themselves live in ./profiles.ts only.
import { readFileSync } from 'node:fs';
import { BUILTIN_PROFILES, type ThresholdKey, type ProfileSpec } from './profiles.js';

export type { ThresholdKey } from './profiles.js';

export interface Profile {
  name: string;
  /** Resolved numbers, one per key. */
  values: Record<ThresholdKey, number>;
  /** Where each value comes from (shown by `facedoctor causes --verbose` and in docs). */
  notes: Record<ThresholdKey, string>;
}

export class ProfileError extends Error {
  override name = 'ProfileError';
}

export const DEFAULT_PROFILE = 'kyc-selfie';

export function builtinProfileNames(): string[] {
  return Object.keys(BUILTIN_PROFILES);
}

/** Own properties only: a name such as "constructor" or "__proto__" is not a profile. */
function builtin(name: string): ProfileSpec | undefined {
  return Object.hasOwn(BUILTIN_PROFILES, name) ? BUILTIN_PROFILES[name] : undefined;
}

function resolveSpec(name: string, seen: Set<string> = new Set()): Profile {
  const spec = builtin(name);
  if (!spec) throw new ProfileError(`unknown profile "${name}"; built-in profiles: ${builtinProfileNames().join(', ')}`);
  if (seen.has(name)) throw new ProfileError(`profile "${name}" extends itself`);
  seen.add(name);
  const base = spec.extends ? resolveSpec(spec.extends, seen) : undefined;
  const values = Object.assign(Object.create(null), base?.values) as Record<ThresholdKey, number>;
  const notes = Object.assign(Object.create(null), base?.notes) as Record<ThresholdKey, string>;
  for (const [key, t] of Object.entries(spec.thresholds) as Array<[ThresholdKey, { value: number; note: string }]>) {
    values[key] = t.value;
    notes[key] = t.note;
  }
  return { name, values, notes };
}

/**
 * `nameOrFile` is a built-in profile name, or a path to a JSON file of the form
 * `{ "extends": "kyc-selfie", "thresholds": { "blur.warn": 0.4, ... } }` that overrides single values.
 */
export function loadProfile(nameOrFile: string = DEFAULT_PROFILE): Profile {
  if (builtin(nameOrFile)) return resolveSpec(nameOrFile);
  if (!/[./\\]/.test(nameOrFile)) {
    throw new ProfileError(`unknown profile "${nameOrFile}"; use one of ${builtinProfileNames().join(', ')} or a path to a JSON file`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(nameOrFile, 'utf8'));
  } catch (e) {
    throw new ProfileError(`cannot read profile file ${nameOrFile}: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ProfileError(`profile file ${nameOrFile} must hold a JSON object`);
  const obj = raw as { extends?: unknown; thresholds?: unknown };
  const baseName = typeof obj.extends === 'string' ? obj.extends : DEFAULT_PROFILE;
  const profile = resolveSpec(baseName);
  const overrides = obj.thresholds ?? {};
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new ProfileError(`"thresholds" in ${nameOrFile} must be an object of key → number`);
  }
  for (const [key, v] of Object.entries(overrides)) {
    if (!Object.hasOwn(profile.values, key)) {
      throw new ProfileError(`unknown threshold "${key}" in ${nameOrFile}; see \`facedoctor causes --thresholds\` for the keys`);
    }
    const value = typeof v === 'object' && v !== null && 'value' in v ? (v as { value: unknown }).value : v;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ProfileError(`threshold "${key}" in ${nameOrFile} must be a finite number`);
    }
    profile.values[key as ThresholdKey] = value;
    profile.notes[key as ThresholdKey] = `overridden by ${nameOrFile}`;
  }
  profile.name = `${baseName}+${nameOrFile}`;
  return profile;
}
