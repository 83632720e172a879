import { format } from 'node:util';

/**
 * Runs `work` with the console taken aside, for what a library prints by itself on input the test
 * sends on purpose (botframework-connector prints the channel's keys for a token signed with another
 * key, and the error of an expired one). Output that `expected` accounts for is kept out of the
 * test run's output and returned; anything else is printed as usual, so nothing unexpected is hidden.
 */
export async function expectingConsole<T>(expected: RegExp, work: () => Promise<T>): Promise<{ result: T; printed: string[] }> {
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const saved = methods.map((m) => console[m]);
  const printed: string[] = [];
  const unexpected: string[] = [];
  for (const m of methods) {
    console[m] = (...args: unknown[]) => {
      const text = format(...args);
      (expected.test(text) ? printed : unexpected).push(text);
    };
  }
  try {
    return { result: await work(), printed };
  } finally {
    methods.forEach((m, i) => { console[m] = saved[i]!; });
    for (const text of unexpected) console.error(text);
  }
}
