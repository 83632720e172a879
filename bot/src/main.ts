import { loadConfig, ConfigError } from './config';
import { createLogger } from './log';
import { startApp } from './app';
import { isKenniskringError } from './domain/errors';

/** Wiring only: configuration from the environment, logger, app, signals. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Kenniskring cannot start: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  if (config.mode === 'local' && config.admins.length === 0) {
    log.warn('KENNISKRING_ADMINS is empty: nobody can use admin commands (npm start sets the Playground user as admin)');
  }
  let app;
  try {
    app = await startApp({ config, log });
  } catch (err) {
    if (isKenniskringError(err)) {
      log.fatal({ code: err.code }, err.message);
      process.stderr.write(`Kenniskring cannot start: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: draining in-flight work');
    const force = setTimeout(() => { log.error('drain took too long; exiting'); process.exit(1); }, 20_000);
    force.unref();
    app.close().then(() => process.exit(0), (err) => { log.error({ err }, 'error while stopping'); process.exit(1); });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Kenniskring failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
