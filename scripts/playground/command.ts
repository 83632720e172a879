import path from 'node:path';

/** The Agents Playground's command line, kept on loopback: one definition for npm start and the tests. */
export function playgroundArgs(o: { botEndpoint: string; port: number | string }): string[] {
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  return ['--require', path.join(__dirname, 'loopback.js'), cli, '-e', o.botEndpoint, '-c', 'msteams', '--dt', '-p', String(o.port)];
}
