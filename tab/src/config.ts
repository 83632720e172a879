import { pages } from '@microsoft/teams-js';
import { applyTheme, detectHost, onThemeChange } from './host';
import { STRINGS } from './i18n';

/** The configuration page Teams shows when a channel tab is added: pick what the tab shows, then Save. */
async function main(): Promise<void> {
  const host = await detectHost();
  applyTheme(host.theme);
  document.documentElement.lang = host.lang;
  const s = STRINGS[host.lang];
  document.getElementById('title')!.textContent = s.configTitle;
  document.getElementById('intro')!.textContent = s.configIntro;
  document.getElementById('legend')!.textContent = s.configLegend;
  for (const [view, text] of [['all', s.viewAll], ['roadmap', s.viewRoadmap], ['results', s.viewResults]] as const) {
    document.querySelector(`[data-view="${view}"]`)!.textContent = text;
  }
  const status = document.getElementById('status')!;
  if (!host.inTeams) {
    status.textContent = s.configOutside;
    return;
  }
  onThemeChange(applyTheme);
  const radios = [...document.querySelectorAll<HTMLInputElement>('input[name="view"]')];
  radios[0]!.checked = true;
  const selected = () => radios.find((r) => r.checked)?.value ?? 'all';
  pages.config.registerOnSaveHandler((event) => {
    const view = selected();
    const url = `${location.origin}/tab/?view=${view}`;
    pages.config.setConfig({
      contentUrl: url, websiteUrl: url, entityId: `routekaart-${view}`, suggestedDisplayName: host.lang === 'en' ? 'Roadmap' : 'Routekaart',
    }).then(() => event.notifySuccess(), (err: unknown) => event.notifyFailure(String((err as Error)?.message ?? err)));
  });
  for (const r of radios) r.addEventListener('change', () => pages.config.setValidityState(true));
  pages.config.setValidityState(true);
  status.textContent = s.configReady;
  document.body.dataset.ready = 'true';
}

void main();
