// --lang: an explicit but unsupported language is a usage error, not a silent fallback.
import { parseLang, resolveLang, SUPPORTED_LANGS } from '../report/catalogue.js';
import type { Lang } from '../report/i18n/types.js';
import { UsageError } from './exit-codes.js';

export function langOption(explicit: string | undefined): Lang {
  if (explicit !== undefined && parseLang(explicit) === undefined) {
    throw new UsageError(`--lang ${explicit} is not available; choose one of ${SUPPORTED_LANGS.join(', ')}`);
  }
  return resolveLang(explicit);
}
