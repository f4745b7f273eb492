import type { Register } from '../domain/register';
import { cy, cyChild } from './cy';
import { en, type MessageKey, type Messages } from './en';

export type { MessageKey, Messages };

/** Languages Heard's own wording is written in; a survey may add others for its questions. */
export const UI_LANGUAGES = ['en', 'cy'] as const;

export interface Locale {
  /** The language these words are in: the survey's language when Heard has it, else English. */
  lang: string;
  m: Messages;
}

/**
 * Heard's wording for a page in `lang`, in the reader's register (see domain/register: *ti* under
 * 18, *chi* for adults and when the age is not known). A survey language Heard has no wording for
 * (say `ar`) falls back to English, and the page marks those fragments `lang="en"`.
 * @example localeFor('cy', registerFor('8-12')).m.leaveHint // 'Neu pwysa Esc 3 gwaith.'
 */
export function localeFor(lang: string, register: Register = 'chi'): Locale {
  if (lang === 'cy') return { lang: 'cy', m: register === 'ti' ? { ...cy, ...cyChild } : cy };
  return { lang: 'en', m: en };
}

/** Fills `{name}` slots. */
export const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
