import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import type http from 'node:http';
import type { Activity } from 'botbuilder';
import { startBotProcess, type LogEntry } from '../support/process';
import { FakeConnector } from '../fakes/connector';
import type { FakeGraph } from '../fakes/graph';
import { entityKey } from '../../bot/src/store';
import { describeOnEachStore, openTestStore, storeEnv } from '../support/stores';
import { WeekSchedule, addWeeks } from '../../bot/src/domain/week';
import { tempDir, writeQuestions, eventually, cardText } from '../support/bot';
import { startSharePoint, items, LIST_NAMES, type SharePointStandIns } from '../support/sharepoint';
import { BOT, PEOPLE, TEAMS, TENANT, cardAction, answerValue, threadReply, type Person } from '../support/teams';
import { confirmed } from '../support/confirm';


/** Reproduce a run with KK_CRASH_SEED=<seed>. */
const SEED = process.env.KK_CRASH_SEED ? Number(process.env.KK_CRASH_SEED) >>> 0 : (Math.random() * 2 ** 32) >>> 0;

const MEMBERS = 300;
const CHANGES = 100;
const REPLIES = 60;
const KILLS = 5;
const WORKERS = 6;

const QUESTION = {
  id: 'datagedreven-werken',
  text: 'Hoe ver staat jullie gemeente met datagedreven werken (dashboards, open data, datastrategie)?',
  kind: 'single',
  options: ['We hebben een datastrategie', 'Enkele dashboards', 'We verkennen het', 'Nog niet mee bezig'],
  theme: 'data',
};

/** mulberry32: small, seeded, good enough to pick delays and orders reproducibly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Running {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  generation: number;
  killedByUs: boolean;
  startedAt: number;
}


/** The bot as a child process, with the bookkeeping this test keeps per generation. */
async function startProcess(env: Record<string, string>, generation: number, onLog: (e: LogEntry, generation: number) => void): Promise<Running> {
  const startedAt = Date.now();
  const p = await startBotProcess(env, (e) => onLog(e, generation));
  return { ...p, generation, killedByUs: false, startedAt };
}

/**
 * Watches the Graph stand-in's HTTP server (test side only): which requests are open and whether
 * SharePoint already applied them. A $batch answer is held back `holdResponseMs` after it was applied,
 * so a kill can land in "SharePoint has it, the bot never heard back".
 */
function watchGraph(graph: FakeGraph, holdResponseMs: number) {
  const server = (graph as unknown as { server: http.Server }).server;
  const inner = server.listeners('request') as ((req: http.IncomingMessage, res: http.ServerResponse) => void)[];
  server.removeAllListeners('request');
  const open = new Map<http.ServerResponse, { batch: boolean; path: string; phase: 'received' | 'applied' }>();
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const p = (req.url ?? '').split('?')[0]!;
    const entry = { batch: p === '/v1.0/$batch', path: p, phase: 'received' as 'received' | 'applied' };
    open.set(res, entry);
    res.on('close', () => open.delete(res));
    const end = res.end.bind(res) as (...a: unknown[]) => http.ServerResponse;
    res.end = ((...args: unknown[]) => {
      entry.phase = 'applied';
      if (entry.batch && holdResponseMs > 0) setTimeout(() => end(...args), holdResponseMs);
      else end(...args);
      return res;
    }) as typeof res.end;
    for (const l of inner) l.call(server, req, res);
  });
  return {
    /** Is a $batch open right now? */
    batchOpen: () => [...open.values()].some((e) => e.batch),
    /** What the Graph stand-in is doing right now. */
    moment(): string {
      const now = [...open.values()];
      const batches = now.filter((e) => e.batch);
      if (batches.some((e) => e.phase === 'applied')) return 'mid-batch: SharePoint applied the $batch, its answer had not reached the bot';
      if (batches.length) return 'mid-batch: $batch sent, SharePoint not yet done (it completes after the bot died)';
      if (now.length) return `Graph call in flight outside a batch (${now.map((e) => e.path.replace(/^\/v1\.0/, '').slice(0, 60)).join(', ')})`;
      return 'no Graph request open (bot between batches, idle, or recording results)';
    },
  };
}

describeOnEachStore('SharePoint sync under crashes', () => {
  it(`the bot process killed with SIGKILL at random moments during the sync and restarted, five times: same result, nothing lost, nothing doubled (seed ${SEED})`, async function () {
    this.timeout(120_000);
    const t0 = Date.now();
    const rand = prng(SEED);
    const int = (n: number) => Math.floor(rand() * n);
    const ctx = `seed ${SEED} (rerun with KK_CRASH_SEED=${SEED})`;

    const connector = await FakeConnector.start();
    let sp: SharePointStandIns | null = null;
    let live: Running | null = null;
    const processes: Running[] = [];
    let killer: Promise<void> | null = null; // awaited in `finally`: a restart in progress must not outlive the test
    let aborted: Error | null = null;
    let waiters: (() => void)[] = [];
    const warnings: string[] = [];
    const onLog = (e: LogEntry, generation: number) => {
      const noise = /question bank is empty|LOCAL MODE/.test(e.msg ?? '');
      if ((e.level ?? 0) >= 40 && !noise) warnings.push(`[gen ${generation}] ${e.msg ?? ''} ${JSON.stringify({ ...e, level: undefined, time: undefined, pid: undefined, hostname: undefined, msg: undefined })}`);
    };

    try {
      sp = await startSharePoint();
      const graph = sp.graph;
      graph.latencyMs = 15;
      const HOLD_MS = 25;
      const watch = watchGraph(graph, HOLD_MS);

      // ---- the store: one RKK (joined after last week's slot: only `publiceer` posts to it) and an open question
      const dir = tempDir('kk-spcrash-');
      const schedule = new WeekSchedule('0 9 * * 1', 'Europe/Brussels');
      const now = new Date();
      const lastWeek = addWeeks(schedule.weekOf(now), -1, 'Europe/Brussels');
      const questionsFile = writeQuestions(dir, [{ ...QUESTION, week: lastWeek, closesAt: new Date(now.getTime() + 86_400_000).toISOString() }]);
      const seed = await openTestStore(dir);
      await seed.rkks.register({
        teamId: TEAMS.gent.id, name: TEAMS.gent.name, aadGroupId: TEAMS.gent.aadGroupId, channelId: TEAMS.gent.id, tenantId: TENANT, serviceUrl: connector.url,
        conversationRef: { channelId: 'msteams', serviceUrl: connector.url, bot: BOT, conversation: { id: TEAMS.gent.id, isGroup: true, conversationType: 'channel', tenantId: TENANT } },
      }, now);
      await seed.close();

      // A short lead: on PostgreSQL each restarted process waits for the killed one's lead to expire.
      const env = { LEADER_LEASE_SECONDS: '3', ...await storeEnv(dir), QUESTIONS_FILE: questionsFile, KENNISKRING_ADMINS: PEOPLE.an.aadObjectId, LOG_LEVEL: 'info', ...sp.env };
      let generation = 0;
      const start = async () => {
        const r = await startProcess(env, ++generation, onLog);
        processes.push(r);
        void r.exited.then((code) => {
          if (!r.killedByUs && !aborted) aborted = new Error(`bot process (generation ${r.generation}) died by itself with code ${code}; ${ctx}`);
          if (aborted) for (const w of waiters.splice(0)) w();
        });
        live = r;
        for (const w of waiters.splice(0)) w();
        return r;
      };
      const liveBot = async (): Promise<Running> => {
        for (;;) {
          if (aborted) throw aborted;
          if (live && !live.killedByUs) return live;
          await new Promise<void>((r) => waiters.push(r));
        }
      };

      const raw = async (url: string, activity: Partial<Activity>) => {
        const res = await fetch(`${url}/api/messages`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity), signal: AbortSignal.timeout(15_000),
        });
        const text = await res.text();
        let body: unknown = text;
        try { body = text ? JSON.parse(text) : null; } catch { /* keep the text */ }
        return { status: res.status, body };
      };

      let inFlight = 0;
      let retried = 0;
      /** Sends until one bot process takes it; a request cut off by a kill goes to the next process (the member tries again). */
      const deliver = async (make: () => Partial<Activity>, what: string): Promise<{ status: number; body: any }> => {
        for (let attempt = 1; ; attempt++) {
          const bot = await liveBot();
          inFlight++;
          try {
            const res = await raw(bot.url, make());
            if (res.status >= 200 && res.status < 300) return res;
            throw new Error(`HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
          } catch (err) {
            if (aborted) throw aborted;
            if (!bot.killedByUs) {
              // Not a kill of ours: give the process a moment (it may be dying by itself), then try again, a few times.
              await sleep(50);
              if (attempt >= 5) throw new Error(`${what}: ${(err as Error).message} (process ${bot.generation} alive, not killed); ${ctx}`);
            }
            retried++;
          } finally {
            inFlight--;
          }
        }
      };

      // ---- first process; the admin posts the question
      await start();
      const posted = await confirmed((a) => deliver(() => a, 'publiceer'), connector, TEAMS.gent, PEOPLE.an, 'publiceer');
      assert.equal(posted.status, 200);
      const threads = connector.threads(TEAMS.gent.id).filter((t) => cardText(t.root?.attachments).includes(QUESTION.text));
      assert.equal(threads.length, 1, 'the question is posted once in the RKK');
      const thread = threads[0]!.conversationId;

      // ---- the load, and what SharePoint must end up with
      const members: Person[] = Array.from({ length: MEMBERS }, (_, i) => ({
        id: `29:1load${i}`,
        aadObjectId: `${(0x1a0c0000 + i).toString(16).padStart(8, '0')}-6b2c-4d3e-8f40-${(0x5eed0000 + i).toString(16).padStart(12, '0')}`,
        name: `Collega ${i}`,
      }));
      const finalChoice = new Map<number, string>();
      const firstDone = new Map<number, Promise<void>>();
      const firstResolve = new Map<number, () => void>();
      type Task = { kind: 'answer' | 'change'; member: number; choice: string } | { kind: 'reply'; author: Person; id: string; text: string };
      const initial: Task[] = members.map((_, i) => ({ kind: 'answer', member: i, choice: String(1 + int(4)) }));
      for (const t of initial) {
        if (t.kind !== 'answer') continue;
        finalChoice.set(t.member, t.choice);
        firstDone.set(t.member, new Promise<void>((r) => firstResolve.set(t.member, r)));
      }
      const expectedComments = new Map<string, string>(); // message id -> text
      const replies: Task[] = Array.from({ length: REPLIES }, (_, k) => {
        const id = String(1_796_000_000_000 + k);
        const text = `Reactie ${k} (${SEED}): bij ons loopt dat via de intercommunale, zie punt ${k + 1}.`;
        expectedComments.set(id, text);
        return { kind: 'reply', author: members[int(MEMBERS)]!, id, text };
      });
      const queue: Task[] = [...initial, ...replies];
      for (let i = queue.length - 1; i > 0; i--) { const j = int(i + 1); [queue[i], queue[j]] = [queue[j]!, queue[i]!]; }
      // 100 members change their answer, each somewhere after their first answer in the queue.
      const changers = [...Array(MEMBERS).keys()];
      for (let i = changers.length - 1; i > 0; i--) { const j = int(i + 1); [changers[i], changers[j]] = [changers[j]!, changers[i]!]; }
      for (const m of changers.slice(0, CHANGES)) {
        const old = finalChoice.get(m)!;
        const choice = String(((Number(old) - 1 + 1 + int(3)) % 4) + 1); // a different option
        finalChoice.set(m, choice);
        const after = queue.findIndex((t) => t.kind === 'answer' && t.member === m);
        queue.splice(after + 1 + int(queue.length - after), 0, { kind: 'change', member: m, choice });
      }
      const total = queue.length;

      let next = 0;
      let sent = 0;
      let loadDone = false;
      const worker = async (w: number) => {
        const pace = prng(SEED ^ (0x9e3779b9 * (w + 1)));
        while (next < queue.length) {
          const task = queue[next++]!;
          if (task.kind === 'reply') {
            const activity = threadReply(connector.url, TEAMS.gent, thread, task.author, task.text, task.id); // a redelivery is the same activity
            await deliver(() => activity, `reply ${task.id}`);
          } else {
            if (task.kind === 'change') await firstDone.get(task.member);
            const res = await deliver(() => cardAction(connector.url, TEAMS.gent, thread, members[task.member]!, answerValue(QUESTION.id, { choice: task.choice })), `${task.kind} of member ${task.member}`);
            assert.match(cardText(res.body), /Je antwoord is genoteerd/, `the ${task.kind} of member ${task.member} was recorded; ${ctx}`);
            if (task.kind === 'answer') firstResolve.get(task.member)!();
          }
          sent++;
          await sleep(20 + pace() * 100);
        }
      };
      const loadStarted = Date.now();
      const load = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w))).then(() => { loadDone = true; });
      load.catch(() => { /* reported below */ });

      // ---- five kills at random moments, each followed by a restart on the same DATA_DIR
      const kills: { at: number; gen: number; delay: string; moment: string; loadSent: number; loadInFlight: number; pendingAtKill: number; spAnswers: number; restartMs: number; loadDone: boolean }[] = [];
      killer = (async () => {
        for (let k = 0; k < KILLS; k++) {
          const delay = 200 + int(1500);
          // Most kills aim at a batch: after the delay, wait for the next $batch to open, then kill at a random point in it.
          const aim = rand() < 0.6;
          const offset = int(graph.latencyMs + HOLD_MS - 5);
          await sleep(delay);
          if (aim) {
            const until = Date.now() + 1_500;
            while (!watch.batchOpen() && Date.now() < until && !aborted) await sleep(1);
            await sleep(offset);
          }
          if (aborted) throw aborted;
          const victim = live!;
          const moment = watch.moment();
          const loadInFlight = inFlight;
          const loadSent = sent;
          const wasLoadDone = loadDone;
          victim.killedByUs = true;
          victim.child.kill('SIGKILL');
          await victim.exited;
          const at = Date.now() - loadStarted;
          const spAnswers = items(graph, LIST_NAMES.answers).length;
          const peek = await openTestStore(dir);
          let pendingAtKill: number;
          try { pendingAtKill = await peek.outbox.pendingCount(); } finally { await peek.close(); }
          const restartAt = Date.now();
          await start();
          kills.push({ at, gen: victim.generation, delay: aim ? `${delay} ms, then into the next batch +${offset} ms` : `${delay} ms`, moment, loadSent, loadInFlight, pendingAtKill, spAnswers, restartMs: Date.now() - restartAt, loadDone: wasLoadDone });
        }
      })();
      await Promise.all([load, killer]);
      const loadMs = Date.now() - loadStarted;
      assert.equal(sent, total, `all ${total} load requests were taken; ${ctx}`);

      // ---- wait until SharePoint shows the final state and the outbox is drained
      const answerKey = (i: number) => `${QUESTION.id}|${members[i]!.aadObjectId}`;
      const commentKey = (id: string) => `${thread}|${id}`;
      // Done when SharePoint shows the final state and the outbox is empty; also stop (and let the assertions
      // say what differs) once the outbox has been empty for 3 s: nothing more will reach SharePoint then.
      let emptySince: number | null = null;
      const matches = async () => {
        const peek = await openTestStore(dir);
        let pending: number;
        try { pending = await peek.outbox.pendingCount(); } finally { await peek.close(); }
        emptySince = pending === 0 ? (emptySince ?? Date.now()) : null;
        if (emptySince !== null && Date.now() - emptySince > 3_000) return true;
        const answers = items(graph, LIST_NAMES.answers);
        const comments = items(graph, LIST_NAMES.comments);
        if (pending !== 0 || answers.length !== MEMBERS || comments.length !== REPLIES) return false;
        const byKey = new Map(answers.map((a) => [String(a.Sleutel).toLowerCase(), a]));
        for (let i = 0; i < MEMBERS; i++) if (byKey.get(answerKey(i).toLowerCase())?.Keuzes !== finalChoice.get(i)) return false;
        return true;
      };
      const syncStarted = Date.now();
      await eventually(matches, `SharePoint holds the final state and the outbox is empty; ${ctx}`, 60_000).catch(() => { /* the assertions below say what differs */ });
      const drainMs = Date.now() - syncStarted;

      // ---- stop the last process cleanly
      const last = live!;
      last.killedByUs = true;
      last.child.kill('SIGTERM');
      assert.equal(await last.exited, 0, `SIGTERM drains and exits cleanly; ${ctx}`);

      // ---- report what happened (seed, timings, what each kill hit)
      const lines = [
        `seed ${SEED}: ${total} requests (${MEMBERS} answers, ${CHANGES} changes, ${REPLIES} replies) in ${loadMs} ms, ${retried} retried after a kill; drained ${drainMs} ms after the load; total ${Date.now() - t0} ms`,
        ...kills.map((k, n) => `  kill ${n + 1} (gen ${k.gen}) after ${k.delay}, t=${k.at} ms: ${k.moment}; load sent ${k.loadSent}/${total}${k.loadDone ? ' (load done)' : ''}, ${k.loadInFlight} in flight; outbox pending ${k.pendingAtKill}; SharePoint answers ${k.spAnswers}; restart ${k.restartMs} ms`),
        `  graph: ${graph.requests.filter((r) => r.path === '/$batch').length} batches, inner: ${['POST', 'PATCH', 'GET'].map((m) => `${m} ${graph.requests.filter((r) => r.inBatch && r.method === m).length}`).join(', ')}, 409s ${graph.requests.filter((r) => r.inBatch && r.status === 409).length}`,
        `  warnings/errors logged by the bot: ${warnings.length}`,
        ...warnings.slice(0, 15).map((w) => `    ${w.slice(0, 300)}`),
      ];
      console.log(lines.join('\n'));

      // ---- what a SharePoint user sees
      const answers = items(graph, LIST_NAMES.answers);
      const answerKeys = answers.map((a) => String(a.Sleutel).toLowerCase());
      const dupAnswers = answerKeys.filter((k, i) => answerKeys.indexOf(k) !== i);
      assert.deepEqual(dupAnswers, [], `no answer doubled in SharePoint (by Sleutel); ${ctx}`);
      assert.deepEqual(new Set(answerKeys), new Set(members.map((_, i) => answerKey(i).toLowerCase())), `one answer item per (question, member) by Sleutel; ${ctx}`);
      const lidIds = answers.map((a) => String(a.LidId));
      assert.equal(new Set(lidIds).size, lidIds.length, `one answer item per member by LidId; ${ctx}`);
      assert.deepEqual(new Set(lidIds), new Set(members.map((m) => m.aadObjectId)), `every member's answer is in SharePoint (by LidId); ${ctx}`);
      const byLid = new Map(answers.map((a) => [String(a.LidId), a]));
      const wrong = members.map((m, i) => ({ m: i, want: finalChoice.get(i), got: byLid.get(m.aadObjectId)?.Keuzes }))
        .filter((x) => x.want !== x.got);
      assert.deepEqual(wrong, [], `each answer item holds the member's latest choice; ${ctx}`);
      for (const a of answers) assert.equal(a.VraagId, QUESTION.id, `answer item ${a.id} belongs to the question; ${ctx}`);

      const comments = items(graph, LIST_NAMES.comments);
      const commentKeys = comments.map((c) => String(c.Sleutel).toLowerCase());
      assert.deepEqual(commentKeys.filter((k, i) => commentKeys.indexOf(k) !== i), [], `no comment doubled in SharePoint (by Sleutel); ${ctx}`);
      assert.deepEqual(new Set(commentKeys), new Set([...expectedComments.keys()].map((id) => commentKey(id).toLowerCase())), `each comment once; ${ctx}`);
      const byCommentKey = new Map(comments.map((c) => [String(c.Sleutel), c]));
      for (const [id, text] of expectedComments) assert.equal(byCommentKey.get(commentKey(id))?.Tekst, text, `comment ${id} has its text; ${ctx}`);

      const posts = items(graph, LIST_NAMES.posts).filter((p) => p.VraagId === QUESTION.id);
      assert.equal(posts.length, 1, `one publication item for the question in the RKK; ${ctx}`);
      assert.equal(posts[0]!.Sleutel, `${QUESTION.id}|${TEAMS.gent.id}`);
      assert.equal(posts[0]!.Status, 'gepost', `the publication is 'gepost'; ${ctx}`);

      const questionItems = items(graph, LIST_NAMES.questions).filter((q) => q.Sleutel === QUESTION.id);
      assert.equal(questionItems.length, 1, `the question itself is in SharePoint once (no unique key there: found by key after a crash); ${ctx}`);

      // ---- the bot's own store: the same state, nothing left to send
      const after = await openTestStore(dir);
      try {
        const local = await after.answers.forQuestion(QUESTION.id);
        assert.equal(local.length, MEMBERS, `one local answer per member; ${ctx}`);
        for (const a of local) {
          const i = members.findIndex((m) => m.aadObjectId === a.member.key);
          assert.deepEqual(a.choices, [finalChoice.get(i)], `local answer of member ${i}; ${ctx}`);
        }
        const localComments = await after.comments.forQuestion(QUESTION.id);
        assert.equal(localComments.length, REPLIES, `one local comment per message id; ${ctx}`);
        assert.equal((await after.comments.find(thread, [...expectedComments.keys()][0]!))?.text, [...expectedComments.values()][0]);
        assert.ok(await after.outbox.itemId('answer', entityKey(QUESTION.id, members[0]!.aadObjectId)), 'item ids remembered');
        assert.equal(await after.outbox.pendingCount(), 0, `outbox empty at the end; ${ctx}`);
        assert.equal(await after.outbox.parkedCount(), 0, `nothing parked at the end; ${ctx}: ${JSON.stringify(await after.outbox.parked())}`);
      } finally {
        await after.close();
      }
      assert.equal(kills.length, KILLS);
    } finally {
      aborted ??= new Error('test finished');
      for (const w of waiters.splice(0)) w();
      await killer?.catch(() => { /* its failure is the test's failure, reported above */ });
      for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) { p.killedByUs = true; p.child.kill('SIGKILL'); }
      await Promise.all(processes.map((p) => p.exited));
      await connector.close();
      await sp?.close();
    }
  });
});
