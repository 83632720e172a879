export { productionStandIns, BOT_APP_ID, type ProductionStandIns } from '../test/support/production';

export interface BenchOptions { quick: boolean }
export interface BenchResult { name: string; md: string; json: Record<string, unknown> }

export const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };
export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
