import type { ThemeShown } from '../../domain/recurring';
import type { ThemeRepository } from '../port';
import type { PgDb } from './db';
import { recordOutbox } from './outbox';
import { entityKey } from '../outbox';

/** The recurring themes of a week as the card in RKK Overkoepelend showed them; one SharePoint item per theme. */
export class PgThemeRepo implements ThemeRepository {
  constructor(private readonly db: PgDb) {}

  record(week: string, themes: readonly ThemeShown[], now: Date): Promise<boolean> {
    return this.db.tx(async (c) => {
      const added = ((await c.query('INSERT INTO theme_weeks (week, themes, recorded_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [week, JSON.stringify(themes), now])).rowCount ?? 0) === 1;
      if (added) for (const t of themes) await recordOutbox(c, 'theme', entityKey(week, t.label), now);
      return added;
    });
  }

  async week(week: string): Promise<ThemeShown[] | null> {
    const { rows } = await this.db.query<{ themes: ThemeShown[] }>('SELECT themes FROM theme_weeks WHERE week = $1', [week]);
    return rows[0]?.themes ?? null;
  }
}
