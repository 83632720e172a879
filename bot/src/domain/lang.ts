/** The languages Kenniskring speaks: Dutch (every RKK's default) and English. */
export const LANGS = ['nl', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export function isLang(x: unknown): x is Lang {
  return x === 'nl' || x === 'en';
}
