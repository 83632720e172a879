/**
 * A real, throwaway PostgreSQL server for tests: its own cluster in a temp folder, on a free
 * loopback port, with durability switched off (nothing here must survive the run).
 * Needs the server binaries (scripts/ensure-postgres.sh installs Debian's `postgresql`); no Docker.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Client } from 'pg';

export interface TestPostgres {
  /** postgres://user:password@127.0.0.1:port/db */
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Creates a fresh empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
}

export interface StartPostgresOptions {
  /** Receives initdb's and the server's output, line by line (nothing is printed otherwise). */
  log?: (line: string) => void;
  /**
   * Commit durably, as a production server does (fsync, synchronous commit): for the benchmark,
   * whose SQLite store syncs every commit too. Tests leave it off.
   */
  durable?: boolean;
}

const SUPERUSER = 'kenniskring';
/** The database `url` points at; the `postgres` database stays the maintenance one for CREATE DATABASE. */
const DEFAULT_DATABASE = 'kenniskring';
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;
const LOG_TAIL_LINES = 40;
const PORT_ATTEMPTS = 3;
/** Durability is pointless for a throwaway cluster and costs seconds per test file. */
const FAST_SETTINGS = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];

/** The user the server runs as: initdb and postgres refuse to run as root. */
interface RunAs { uid: number; gid: number }

/** One throwaway cluster: where its binaries and files are, who runs it, where its output goes. */
interface Cluster {
  bin: string;
  /** The temp dir: data/, the server's socket and the password file. */
  dir: string;
  dataDir: string;
  password: string;
  runAs: RunAs | undefined;
  tail: LogTail;
  durable: boolean;
}

export async function startPostgres(opts: StartPostgresOptions = {}): Promise<TestPostgres> {
  const started = Date.now();
  const bin = findServerBin();
  const runAs = serverUser();
  const dir = makeTempDir(runAs); // last: everything that can fail before it leaves nothing behind
  const cluster: Cluster = {
    bin, dir, dataDir: path.join(dir, 'data'), password: crypto.randomBytes(16).toString('hex'),
    runAs, tail: new LogTail(opts.log), durable: opts.durable ?? false,
  };
  let server: { child: ChildProcess; port: number } | undefined;
  try {
    await initCluster(cluster);
    server = await startServer(cluster);
    const { child, port } = server;
    const urlFor = (db: string): string => databaseUrl(cluster.password, port, db);
    await createDatabaseAt(urlFor('postgres'), DEFAULT_DATABASE);
    cluster.tail.add(`ready on port ${port} in ${Date.now() - started} ms (${cluster.bin})`);
    const unguard = killOnExit(child, cluster);
    let stopping: Promise<void> | undefined;
    return {
      url: urlFor(DEFAULT_DATABASE),
      port,
      stop: () => (stopping ??= stopServer(child, dir, unguard)),
      async createDatabase(name = `kk_test_${crypto.randomBytes(4).toString('hex')}`) {
        await createDatabaseAt(urlFor('postgres'), name);
        return urlFor(name);
      },
    };
  } catch (err) {
    if (server) await stopServer(server.child, dir, () => undefined);
    else fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * The folder holding initdb and postgres. Debian keeps them off PATH, one folder per major
 * version under /usr/lib/postgresql, so the newest of those wins; PATH is the fallback.
 */
export function findServerBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v)) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  const candidates = [...versions.map((v) => path.join(root, v, 'bin')), ...(process.env.PATH ?? '').split(path.delimiter)];
  const found = candidates.find((d) => d && isExecutable(path.join(d, 'initdb')) && isExecutable(path.join(d, 'postgres')));
  if (!found) throw new Error('No PostgreSQL server binaries (initdb, postgres) found: run scripts/ensure-postgres.sh');
  return found;
}

function isExecutable(file: string): boolean {
  try { fs.accessSync(file, fs.constants.X_OK); return fs.statSync(file).isFile(); } catch { return false; }
}

/** As root, the server runs as Debian's `postgres` system user (the package creates it). */
function serverUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error("Running as root, but there is no 'postgres' user to run the server as (Debian's postgresql package creates it)");
  }
}

/** The cluster, its socket and the password file live here; the server's user must own it. */
function makeTempDir(runAs: RunAs | undefined): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kk-pg-'));
  if (runAs) fs.chownSync(dir, runAs.uid, runAs.gid);
  return dir;
}

/** initdb reads the superuser's password from a file (as the server's user), never from argv. */
function writePasswordFile({ dir, password, runAs }: Cluster): string {
  const file = path.join(dir, 'pwfile');
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  if (runAs) fs.chownSync(file, runAs.uid, runAs.gid);
  return file;
}

/**
 * initdb with password authentication (scram) for every connection, UTF-8, and the C.UTF-8 locale:
 * byte-order collation like C (stable across machines), but upper()/lower() know accented letters,
 * which --no-locale would not. glibc has C.UTF-8 built in on Debian 12 and later.
 * --no-sync: flushing a throwaway cluster to disk only costs time.
 */
async function initCluster(cluster: Cluster): Promise<void> {
  const args = [
    '-D', cluster.dataDir, '-U', SUPERUSER, `--pwfile=${writePasswordFile(cluster)}`,
    '-A', 'scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync',
  ];
  if (await runToEnd(cluster, 'initdb', args) !== 0) throw new Error(`initdb failed:\n${cluster.tail.text()}`);
}

/** Runs one of the cluster's binaries to its end and gives its exit code (spawn errors count as failure). */
function runToEnd(cluster: Cluster, program: string, args: string[]): Promise<number> {
  const child = spawnAs(cluster, program, args);
  return exitOf(child).then(() => child.exitCode ?? -1);
}

/**
 * Spawns as the server's user via spawn's uid/gid (setuid in the child, supplementary groups
 * dropped) rather than `runuser`: runuser stays in between as a watching parent that ignores
 * SIGINT/SIGQUIT and turns SIGTERM into SIGKILL two seconds later, which breaks fast shutdown.
 * The environment is minimal so PG* variables of the developer's shell cannot steer the server.
 */
function spawnAs({ bin, dir, runAs, tail }: Cluster, program: string, args: string[]): ChildProcess {
  const child = spawn(path.join(bin, program), args, {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', ...(process.env.TZ ? { TZ: process.env.TZ } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: dir, // the server's user may not be able to enter the caller's folder
    ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
  });
  // Always listened to: an unhandled 'error' (failed spawn or kill) would crash the test run.
  child.on('error', (err) => tail.add(`${program}: ${err.message}`));
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) readline.createInterface({ input: stream }).on('line', (line) => tail.add(`${program}: ${line}`));
  }
  return child;
}

/** Starts the server on a free port; a port taken between probing and binding gets another try. */
async function startServer(cluster: Cluster): Promise<{ child: ChildProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    // The socket goes to the temp dir too: Debian's default (/var/run/postgresql) may not exist or be writable.
    const args = ['-D', cluster.dataDir, '-p', String(port), '-k', cluster.dir, '-c', 'listen_addresses=127.0.0.1', ...(cluster.durable ? [] : FAST_SETTINGS).flatMap((s) => ['-c', s])];
    const child = spawnAs(cluster, 'postgres', args);
    try {
      await waitUntilReady(databaseUrl(cluster.password, port, 'postgres'), exitOf(child), cluster.tail);
      detach(child);
      return { child, port };
    } catch (err) {
      await stopServer(child, undefined, () => undefined);
      if (attempt < PORT_ATTEMPTS && /could not bind|address already in use/i.test(cluster.tail.text())) continue;
      throw err;
    }
  }
}

/** A port that was free a moment ago: the OS picks one for port 0, then it is released for the server. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

/** Resolves (with a description) when the process ends, however it ends. */
function exitOf(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    child.once('error', (err) => resolve(err.message));
    child.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exit code ${code}`));
  });
}

/** Connects until the server answers, it exits, or the time is up (with the server's own words). */
async function waitUntilReady(url: string, exited: Promise<string>, tail: LogTail): Promise<void> {
  let exit: string | undefined;
  void exited.then((how) => { exit = how; });
  const until = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exit) throw new Error(`PostgreSQL exited (${exit}) before accepting connections:\n${tail.text()}`);
    if (await answers(url)) return;
    if (Date.now() > until) throw new Error(`PostgreSQL did not accept connections within ${READY_TIMEOUT_MS} ms:\n${tail.text()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function answers(url: string): Promise<boolean> {
  try { await withClient(url, (c) => c.query('SELECT 1')); return true; } catch { return false; }
}

/**
 * A forgotten stop() must not keep mocha waiting forever: the server's process and pipes stop
 * holding the event loop open; killOnExit() ends the server when the process exits.
 */
function detach(child: ChildProcess): void {
  child.unref();
  for (const stream of [child.stdout, child.stderr]) if (stream instanceof net.Socket) stream.unref();
}

/**
 * On process exit (only synchronous work is possible there): immediate shutdown (SIGQUIT makes
 * the postmaster stop its backends too, unlike SIGKILL), a short wait for its pid file to go, then
 * the temp dir is removed. Returns the function that disarms this once stop() has run.
 */
function killOnExit(child: ChildProcess, { dir, dataDir }: Cluster): () => void {
  const onExit = (): void => {
    if (isRunning(child)) {
      child.kill('SIGQUIT');
      const pidFile = path.join(dataDir, 'postmaster.pid');
      const until = Date.now() + 2000;
      while (fs.existsSync(pidFile) && Date.now() < until) sleepSync(20);
      if (fs.existsSync(pidFile)) child.kill('SIGKILL');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', onExit);
  return () => process.off('exit', onExit);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isRunning(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

/**
 * Fast shutdown (SIGINT: open connections are cut, unlike SIGTERM's smart shutdown, which waits
 * for a pool a test forgot to close), then SIGKILL if it hangs; then the temp dir goes.
 */
async function stopServer(child: ChildProcess, dir: string | undefined, unguard: () => void): Promise<void> {
  child.ref(); // keep the process alive until the server has really gone
  if (isRunning(child)) {
    const exited = exitOf(child);
    child.kill('SIGINT');
    if (!(await within(exited, STOP_TIMEOUT_MS))) {
      child.kill('SIGKILL');
      await within(exited, STOP_TIMEOUT_MS);
    }
  }
  child.unref();
  unguard();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

/** Whether the promise settles within the time (the timer does not outlive it). */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
  try { return await Promise.race([promise.then(() => true as const), timeout]); } finally { clearTimeout(timer); }
}

function databaseUrl(password: string, port: number, db: string): string {
  return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(db)}`;
}

/** Database names are identifiers: only plain lower-case ones, so quoting them is enough. */
async function createDatabaseAt(maintenanceUrl: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain database name: ${JSON.stringify(name)}`);
  await withClient(maintenanceUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined); // a server going away mid-call surfaces through `work`, not as a crash
  await client.connect();
  try { return await work(client); } finally { await client.end().catch(() => undefined); }
}

/** The last lines of initdb's and the server's output, for error messages; each also goes to `log`. */
class LogTail {
  private readonly lines: string[] = [];
  constructor(private readonly log?: (line: string) => void) {}

  add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > LOG_TAIL_LINES) this.lines.shift();
    this.log?.(line);
  }

  text(): string {
    return this.lines.join('\n');
  }
}
