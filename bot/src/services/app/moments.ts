import { dayOf } from '../../domain/week';
import { momentFrom, momentId, MOMENT_ID_RE, type MomentInput, type MomentView } from '../../domain/moment';
import { audit, type Caller } from './context';

const empty: MomentInput = { title: '', date: '', time: '', where: '', description: '', theme: '' };

/** The button on the recurring-themes card (themesPlanMoment): the empty form, for that theme. */
export async function momentForm(c: Caller, input: { theme: string }): Promise<MomentView> {
  const now = c.app.clock.now();
  return { kind: 'form', values: { ...empty, theme: input.theme.slice(0, 80), id: momentId(input.theme || 'kennismoment', now) }, problems: [], today: dayOf(now, c.app.schedule.timeZone) };
}

/**
 * Saves the form (administrators): stored, owed to every active RKK as an announcement in the same
 * unit of work, audited; SharePoint's agenda follows through the outbox. Saving the same form
 * twice plans one moment.
 */
export async function planMoment(c: Caller, input: MomentInput): Promise<MomentView> {
  const { store, clock, schedule } = c.app;
  const now = clock.now();
  const id = input.id && MOMENT_ID_RE.test(input.id) ? input.id : momentId(input.title, now);
  const made = momentFrom(input, { timeZone: schedule.timeZone, now, id });
  if ('problems' in made) return { kind: 'form', values: { ...input, id }, problems: made.problems, today: dayOf(now, schedule.timeZone) };
  const existing = await store.moments.get(id);
  if (existing) return { kind: 'planned', moment: existing, rkks: (await store.deliveries.forQuestion(id, 'moment')).length, again: true };
  const rkks = await store.rkks.list({ activeOnly: true });
  await store.moments.save({
    ...made.moment, source: 'bot', createdBy: c.member.key, createdByName: c.member.name, createdAt: now, updatedAt: now,
  }, rkks.map((r) => r.id), now);
  c.log.info({ momentId: id, rkks: rkks.length }, 'knowledge moment planned');
  await audit(c, 'kennismoment', id, made.moment.title);
  void c.app.scheduler.tick();
  return { kind: 'planned', moment: (await store.moments.get(id))!, rkks: rkks.length, again: false };
}
