// Shapes of the localized text packs. Every language file exports `causes`, `escalation` and `ui`
// typed with these, so a missing cause code or UI word is a compile error.
import type { Category, Verdict } from '../../types.js';
import type { CauseCode } from '../codes.js';

export type Lang = 'en' | 'zh' | 'ja' | 'ko' | 'es' | 'fr';

/** User-facing advice for one cause. */
export interface CauseText {
  /** Short label, no trailing period, e.g. "Face too dark". */
  title: string;
  /** One sentence: why this breaks face verification. */
  why: string;
  /** 2–5 imperative steps, most effective first. */
  steps: string[];
}

/** Localized words renderers need around the cause texts. */
export interface UiText {
  verdict: Record<Verdict, string>;
  category: Record<Category, string>;
  /** Heading before the remediation steps. */
  whatToDo: string;
  /** Heading / label before the `why` sentence. */
  why: string;
  /** Label for a measured value (lower case; renderers capitalize headers if they want). */
  measured: string;
  /** Label for a threshold value. */
  limit: string;
  /** Marks a measured value that was checked and is on the good side of its limits. */
  withinLimit: string;
  /** Marks a measured value that meets a condition for the cause to fire (part of the evidence). */
  conditionMet: string;
  /** Before the cause codes an analyzer did not judge because another cause makes it unreliable. */
  notJudged: string;
  /** Before the causes to fix first, after the codes not judged. */
  fixFirst: string;
  confidence: string;
  noProblems: string;
  couldNotAnalyze: string;
  /** Heading before the escalation list. */
  ifKeepsFailing: string;
  /** Label for the number of faces found. */
  faces: string;
  yes: string;
  no: string;
  summary: string;
  total: string;
  topCauses: string;
  slowest: string;
  errors: string;
  /** Label for the time segments (video) where a cause held. */
  when: string;
  /** Unit suffix for seconds. */
  seconds: string;
  /** Video: label before the share of the clip's frames a cause held on. */
  frameShare: string;
  /** Video: label before the time of a cause's worst frame. */
  worstFrameAt: string;
  /** Words of the HTML report (`--format html`). */
  report: ReportUi;
}

/** Words only the HTML report needs. */
export interface ReportUi {
  /** Page title and heading. */
  title: string;
  /** Label before the date and time the report was written. */
  generated: string;
  /** Heading of the verdict counts. */
  byVerdict: string;
  /** Heading of the cause counts. */
  byCause: string;
  /** Hint that the counts are also filters. */
  filterHint: string;
  /** Placeholder of the file-name search box. */
  search: string;
  /** Label before "n / total" files currently visible. */
  shown: string;
  /** Shown when the filters hide every file. */
  noMatch: string;
  clearFilters: string;
  /** Shown instead of the picture when none could be made. */
  noPreview: string;
  /** Legend: the outline of a detected face. */
  detectedFace: string;
  /** Legend: the outline of the area a cause is about. */
  problemArea: string;
  /** Heading of a video's flagged time ranges. */
  timeline: string;
  /** Heading of a video's worst frames. */
  worstFrames: string;
  duration: string;
  /** Label for how long the analysis of one file took. */
  elapsed: string;
  /** Caption of the enlarged face crop. */
  closeUp: string;
}

/** What each language module exports. */
export interface LangPack {
  causes: Record<CauseCode, CauseText>;
  escalation: string[];
  ui: UiText;
}
