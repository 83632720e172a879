import pino, { type Logger } from 'pino';

export type { Logger };

/** The one logger factory: structured JSON, no message bodies or secrets above debug. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'kenniskring' },
      redact: { paths: ['*.authorization', '*.headers.authorization', '*.appPassword', '*.password'], censor: '[redacted]' },
    },
    destination,
  );
}
