import type { Db } from './db';
import { iso, sql } from './db';
import { entityKey, type OutboxRepo } from './outbox';
import type { ThemeShown } from '../domain/recurring';

/** The recurring themes of a week as the card in RKK Overkoepelend showed them; one SharePoint item per theme. */
export class ThemeRepo {
  constructor(private readonly db: Db, private readonly outbox: OutboxRepo) {}

  record(week: string, themes: readonly ThemeShown[], now: Date): boolean {
    return this.db.transaction(() => {
      const added = sql(this.db, 'INSERT INTO theme_weeks (week, themes, recorded_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(week, JSON.stringify(themes), iso(now)).changes === 1;
      if (added) for (const t of themes) this.outbox.record('theme', entityKey(week, t.label), now);
      return added;
    })();
  }

  week(week: string): ThemeShown[] | null {
    const r = sql(this.db, 'SELECT themes FROM theme_weeks WHERE week = ?').get(week) as { themes: string } | undefined;
    return r ? JSON.parse(r.themes) as ThemeShown[] : null;
  }
}
