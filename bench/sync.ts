/**
 * Benchmark: 1,000 answers drained to SharePoint through the Graph stand-in at the default
 * resource-unit budget (1,250 RU/min). Reports Graph requests per answer and the drain time
 * against the minimum the budget allows, both measured in the same run. Time is the bot's
 * injected clock (advanced as the bot waits), so the budget-bound figure does not depend on
 * the machine; wall time is reported beside it.
 */
import fs from 'node:fs';
import { FakeConnector } from '../test/fakes/connector';
import { FakeTime } from '../test/support/clock';
import { startTestBot, tempDir, writeQuestions, cardText } from '../test/support/bot';
import { PEOPLE, TEAMS, installInTeam, cardAction, answerValue } from '../test/support/teams';
import { startSharePoint } from '../test/support/sharepoint';

const RU_PER_MINUTE = 1250;

import type { BenchOptions, BenchResult } from './common';
import { confirmed } from '../test/support/confirm';

export async function syncBench(o: BenchOptions): Promise<BenchResult> {
  const ANSWERS = o.quick ? 200 : 1000;
  const time = new FakeTime('2026-11-24T10:00:00Z');
  const connector = await FakeConnector.start();
  const sp = await startSharePoint({ ruPerMinute: RU_PER_MINUTE });
  const dir = tempDir('kk-bench-');
  const question = { id: 'bench-vraag', text: 'Hoeveel van jullie toepassingen draaien al in de cloud?', kind: 'single', options: ['Veel', 'Weinig'], theme: 'infrastructuur', week: '2026-W48' };
  const bot = await startTestBot({ dataDir: dir, clock: time, timers: time, random: () => 0.5, env: { ...sp.env, QUESTIONS_FILE: writeQuestions(dir, [question]) } });
  try {
    await bot.send(installInTeam(connector.url, TEAMS.gent, PEOPLE.an));
    await confirmed((a) => bot.send(a), connector, TEAMS.gent, PEOPLE.an, 'publiceer');
    const thread = connector.threads(TEAMS.gent.id).find((t) => cardText(t.root?.attachments).includes(question.text))!.conversationId;
    // Let the initial records (lists, question, post) settle first: the figure is about answers.
    const settle = async () => { while ((await bot.app.store.outbox.pendingCount()) > 0) { time.advanceBy(1000); await new Promise((r) => setTimeout(r, 1)); } };
    await settle();
    const before = sp.graph.requests.length;
    const ruBefore = sp.graph.requests.reduce((s, r) => s + (r.ru ?? 0), 0);
    for (let i = 0; i < ANSWERS; i++) {
      await bot.send(cardAction(connector.url, TEAMS.gent, thread, { id: `29:1b${i}`, aadObjectId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `Collega ${i}` }, answerValue(question.id, { choice: String((i % 2) + 1) })));
    }
    const t0 = time.now().getTime();
    const wall0 = Date.now();
    await settle();
    const elapsedMs = time.now().getTime() - t0;
    const wallMs = Date.now() - wall0;
    const reqs = sp.graph.requests.slice(before);
    const topLevel = reqs.filter((r) => !r.inBatch).length;
    const inner = reqs.filter((r) => r.inBatch).length;
    const ru = reqs.reduce((s, r) => s + (r.ru ?? 0), 0);
    const minimumMs = (ru / RU_PER_MINUTE) * 60_000;
    const result = {
      answers: ANSWERS, graphRequests: topLevel, innerRequests: inner, requestsPerAnswer: topLevel / ANSWERS,
      resourceUnits: ru, ruBefore, budgetRuPerMinute: RU_PER_MINUTE, drainMs: elapsedMs, minimumMs: Math.round(minimumMs),
      ratioToMinimum: Math.round((elapsedMs / minimumMs) * 1000) / 1000, wallMs,
      targets: { requestsPerAnswer: 1 / 15, ratioToMinimum: 1.1 },
    };
    const md = [
      '## SharePoint sync (1,250 RU/min, the default budget)', '',
      `| figure | measured | baseline / target |`, `|---|---|---|`,
      `| Graph requests per answer | ${result.requestsPerAnswer.toFixed(4)} (${topLevel} for ${ANSWERS}) | ≤ ${(1 / 15).toFixed(4)} |`,
      `| drain time at ${RU_PER_MINUTE} RU/min | ${(elapsedMs / 1000).toFixed(1)} s | minimum the budget allows: ${(minimumMs / 1000).toFixed(1)} s (${ru} RU) |`,
      `| ratio to the minimum | ${result.ratioToMinimum} | ≤ 1.1 |`,
      `| wall time (this machine) | ${(wallMs / 1000).toFixed(1)} s | — |`, '',
    ].join('\n');
    return { name: 'sync', md, json: result };
  } finally {
    await bot.close();
    await sp.close();
    await connector.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

