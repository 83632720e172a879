import { isLang, type Lang } from '../../domain/lang';
import { audit, type Caller } from './context';

export type LanguageView =
  | { kind: 'notInChannel' }
  | { kind: 'current' | 'set' | 'usage'; lang: Lang; rkkName: string };

/**
 * `taal [nl|en]` (moderators of the RKK, administrators; in its channel): which language the RKK's
 * cards and replies are in. Dutch unless set otherwise; the weekly post, the count updates and the
 * results follow it from the next card on.
 */
export async function language(c: Caller, wanted: string): Promise<LanguageView> {
  const { rkk } = c;
  if (!rkk) return { kind: 'notInChannel' };
  const w = wanted.trim().toLowerCase();
  if (!w) return { kind: 'current', lang: rkk.lang, rkkName: rkk.name };
  const lang = ({ nl: 'nl', nederlands: 'nl', dutch: 'nl', en: 'en', engels: 'en', english: 'en' } as Record<string, string>)[w];
  if (!isLang(lang)) return { kind: 'usage', lang: rkk.lang, rkkName: rkk.name };
  if (await c.app.store.rkks.setLang(rkk.id, lang, c.app.clock.now())) await audit(c, 'taal', rkk.name, lang);
  return { kind: 'set', lang, rkkName: rkk.name };
}
