/// <reference lib="dom" />
/**
 * A tiny tab that exists only to prove the Teams host harness (host.html/host.js): bundled by the
 * test with esbuild and served next to the host. It shows what teams-js told it in the page.
 * /probe.html is a content page, /probe.html?settings a configuration page.
 */
import { app, pages } from '@microsoft/teams-js';

/** What the probe's configuration page saves (the test expects exactly this). */
function probeConfig(origin: string): pages.InstanceConfig {
  return {
    contentUrl: `${origin}/probe.html`,
    entityId: 'probe-entity',
    suggestedDisplayName: 'Probe',
    websiteUrl: `${origin}/probe.html`,
  };
}

function show(id: string, value: unknown): void {
  const element = document.getElementById(id);
  if (element) element.textContent = value === undefined || value === null ? '' : String(value);
}

async function main(): Promise<void> {
  const started = performance.now();
  show('status', 'initializing');
  try {
    await app.initialize();
  } catch (error) {
    // A top-level page has no parent: teams-js rejects at once ("No Parent window found").
    show('elapsedMs', Math.round(performance.now() - started));
    show('error', error instanceof Error ? error.message : String(error));
    show('status', 'standalone');
    return;
  }
  show('elapsedMs', Math.round(performance.now() - started));

  const context = await app.getContext();
  show('frameContext', context.page.frameContext);
  show('theme', context.app.theme);
  show('locale', context.app.locale);
  show('teamId', context.team?.internalId);
  show('groupId', context.team?.groupId);
  show('channelId', context.channel?.id);
  show('userId', context.user?.id);
  show('entityId', context.page.id);
  show('configSupported', pages.config.isSupported());

  let themeChanges = 0;
  app.registerOnThemeChangeHandler((theme) => {
    themeChanges += 1;
    show('theme', theme);
    show('themeChanges', themeChanges);
  });

  if (new URLSearchParams(window.location.search).has('settings')) {
    pages.config.registerOnSaveHandler((saveEvent) => {
      pages.config.setConfig(probeConfig(window.location.origin)).then(
        () => {
          show('saved', 'yes');
          saveEvent.notifySuccess();
        },
        (error: unknown) => saveEvent.notifyFailure(error instanceof Error ? error.message : String(error)),
      );
    });
    pages.config.setValidityState(true);
  }
  show('status', 'ready');
}

const outcome = (call: Promise<void>): Promise<string> => call.then(
  () => 'resolved',
  (error: unknown) => `rejected: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
);

/** For tests: a deep link Teams opens itself, and a call the host does not support (navigating the tab to another site); returns the outcome. */
(window as unknown as { probe: unknown }).probe = {
  openLink: (url: string): Promise<string> => outcome(app.openLink(url)),
  crossDomain: (url: string): Promise<string> => outcome(pages.navigateCrossDomain(url)),
};

main().catch((error: unknown) => {
  show('status', 'error');
  show('error', error instanceof Error ? error.message : String(error));
});
