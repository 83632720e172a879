import { loadConfig, ConfigError, type Config } from '../bot/src/config';

/** The bot's own settings for a command-line tool; a bad configuration is printed and gives null (exit 78, EX_CONFIG). */
export function scriptConfig(): Config | null {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) { process.stderr.write(`${err.message}\n`); return null; }
    throw err;
  }
}
