/**
 * The tab's views as tabs (the WAI-ARIA tabs pattern): one view at a time instead of one long page.
 * Each tab is a link to its view (`#activiteiten`), so a link into a view (`#thema-data`, from a
 * building block) opens that view at that place, and the address can be shared. Arrow keys, Home
 * and End move between the tabs; a screen reader hears "tab, 2 of 4, selected".
 */
export interface ViewTabs {
  /** Shows the view holding the element with this id (a view's own id, or anything inside it). */
  show(id: string, opts?: { focusTab?: boolean; scroll?: boolean }): void;
}

export function viewTabs(nav: HTMLElement, panels: HTMLElement[], labels: Record<string, string>): ViewTabs {
  if (panels.length < 2) {
    nav.replaceChildren();
    nav.hidden = true;
    return { show: () => undefined };
  }
  const list = document.createElement('div');
  list.setAttribute('role', 'tablist');
  list.setAttribute('aria-label', nav.getAttribute('aria-label') ?? '');
  const tabs = panels.map((panel) => {
    const tab = document.createElement('a');
    tab.id = `tab-${panel.id}`;
    tab.href = `#${panel.id}`;
    tab.setAttribute('role', 'tab');
    tab.setAttribute('aria-controls', panel.id);
    tab.textContent = labels[panel.id] ?? panel.id;
    panel.setAttribute('role', 'tabpanel');
    panel.setAttribute('aria-labelledby', tab.id);
    list.append(tab);
    return tab;
  });
  nav.replaceChildren(list);

  const select = (index: number, focusTab: boolean) => {
    tabs.forEach((tab, i) => {
      tab.setAttribute('aria-selected', String(i === index));
      tab.tabIndex = i === index ? 0 : -1;
      panels[i]!.hidden = i !== index;
    });
    if (focusTab) tabs[index]!.focus();
  };
  const show: ViewTabs['show'] = (id, opts = {}) => {
    const target = id ? document.getElementById(id) : null;
    const index = target ? panels.findIndex((p) => p === target || p.contains(target)) : -1;
    select(index >= 0 ? index : 0, opts.focusTab === true);
    if (opts.scroll && target && index >= 0 && target !== panels[index]) target.scrollIntoView();
  };

  list.addEventListener('click', (ev) => {
    const tab = (ev.target as HTMLElement).closest<HTMLAnchorElement>('[role="tab"]');
    if (!tab) return;
    ev.preventDefault();
    const id = tab.getAttribute('aria-controls')!;
    show(id);
    history.replaceState(null, '', `#${id}`);
  });
  list.addEventListener('keydown', (ev) => {
    const at = tabs.indexOf(document.activeElement as HTMLAnchorElement);
    if (at < 0) return;
    const to = ev.key === 'ArrowRight' ? (at + 1) % tabs.length : ev.key === 'ArrowLeft' ? (at - 1 + tabs.length) % tabs.length
      : ev.key === 'Home' ? 0 : ev.key === 'End' ? tabs.length - 1 : -1;
    if (to < 0) return;
    ev.preventDefault();
    select(to, true);
    history.replaceState(null, '', `#${panels[to]!.id}`);
  });
  // A link into a view (a building block's "questions on this theme") opens it there: at once on
  // the click, and on any other change of the address (back, forward, a pasted link).
  document.addEventListener('click', (ev) => {
    const link = (ev.target as HTMLElement).closest<HTMLAnchorElement>('a[href^="#"]');
    if (!link || link.getAttribute('role') === 'tab') return;
    show(decodeURIComponent(link.hash.slice(1)), { scroll: true });
  });
  window.addEventListener('hashchange', () => show(decodeURIComponent(location.hash.slice(1)), { scroll: true }));
  show(decodeURIComponent(location.hash.slice(1)), { scroll: true });
  return { show };
}
