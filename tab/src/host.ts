import { app } from '@microsoft/teams-js';
import { TEAMS_DEEP_LINK } from '../../bot/src/domain/teamsLinks';

export type Theme = 'default' | 'dark' | 'contrast';
export type Lang = 'nl' | 'en';

export interface HostInfo {
  inTeams: boolean;
  theme: Theme;
  lang: Lang;
  /** The team's internal id ("19:…@thread.tacv2") or Entra group id, when shown in a channel. */
  team: string | null;
  frameContext: string | null;
}

const INIT_TIMEOUT_MS = 3_000;

export function langOf(locale: string | undefined | null): Lang {
  return locale?.toLowerCase().startsWith('en') ? 'en' : 'nl';
}

export function themeOf(t: string | undefined | null): Theme {
  return t === 'dark' ? 'dark' : t === 'contrast' ? 'contrast' : 'default';
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

/**
 * Inside Teams or in a plain browser? A top-level window is standalone at once, unless it has
 * `window.nativeInterface`: Teams on iOS and Android runs a tab frameless and talks to it through
 * that bridge (teams-js communication.ts: "For frameless windows (i.e mobile), there is no parent
 * frame"). In a frame or on mobile, app.initialize() is raced against a short timer (a silent
 * host would make it wait 60 s).
 */
export async function detectHost(): Promise<HostInfo> {
  const standalone: HostInfo = {
    inTeams: false,
    theme: window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'default',
    lang: langOf(navigator.language), team: new URLSearchParams(location.search).get('team'), frameContext: null,
  };
  const frameless = 'nativeInterface' in window;
  if (window.self === window.top && !window.opener && !frameless) return standalone;
  try {
    await Promise.race([
      app.initialize(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no Teams host answered')), INIT_TIMEOUT_MS)),
    ]);
    const ctx = await app.getContext();
    return {
      inTeams: true, theme: themeOf(ctx.app.theme), lang: langOf(ctx.app.locale),
      team: ctx.team?.internalId ?? ctx.team?.groupId ?? null, frameContext: ctx.page.frameContext ?? null,
    };
  } catch {
    return standalone; // not framed by Teams (e.g. another site): behave as in a browser
  }
}

/**
 * Inside Teams, a link to a Teams thread is opened by Teams (`app.openLink`): the thread opens in
 * the client, not a browser window that asks to sign in again. Other links open as links do.
 */
export function openTeamsLinksInTeams(): void {
  document.addEventListener('click', (ev) => {
    const a = (ev.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
    if (!a || !a.href.startsWith(TEAMS_DEEP_LINK)) return;
    ev.preventDefault();
    app.openLink(a.href).catch(() => window.open(a.href, '_blank', 'noopener'));
  });
}

/** Follows live theme changes in Teams. */
export function onThemeChange(handler: (theme: Theme) => void): void {
  app.registerOnThemeChangeHandler((t) => handler(themeOf(t)));
}
