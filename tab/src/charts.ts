/**
 * Accessible bar charts in HTML (one image to assistive technology, its text label saying every
 * figure) with a table alternative; no chart library. The labels are text that wraps, at the page's
 * own size: never cut, never shrunk on a phone as an SVG scaled to its width would be.
 */
export interface Bar { label: string; count: number; percent: number }

function div(className: string, text?: string): HTMLDivElement {
  const e = document.createElement('div');
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function barChart(bars: Bar[], label: string): HTMLElement {
  const chart = div('bars');
  chart.setAttribute('role', 'img');
  chart.setAttribute('aria-label', `${label}. ${bars.map((b) => `${b.label}: ${b.count} (${b.percent}%)`).join('; ')}`);
  for (const b of bars) {
    const row = div('bar-row');
    const track = div('bar-track');
    const fill = div('bar-fill');
    // Through the CSSOM: the page's Content-Security-Policy allows no inline style attributes.
    fill.style.width = `${Math.max(0, Math.min(100, b.percent))}%`;
    if (b.percent > 0) fill.style.minWidth = '2px';
    track.append(fill);
    const line = div('bar-line');
    line.append(track, div('bar-figure', `${b.count} (${b.percent}%)`));
    row.append(div('bar-label', b.label), line);
    chart.append(row);
  }
  return chart;
}

export function barTable(bars: Bar[], caption: string, heads: { option: string; count: string; share: string }): HTMLTableElement {
  const table = document.createElement('table');
  const cap = table.createCaption();
  cap.textContent = caption;
  const head = table.createTHead().insertRow();
  for (const h of [heads.option, heads.count, heads.share]) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  for (const b of bars) {
    const row = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = b.label;
    row.append(th);
    const count = row.insertCell();
    count.className = 'num';
    count.textContent = String(b.count);
    const share = row.insertCell();
    share.className = 'num';
    share.textContent = `${b.percent}%`;
  }
  return table;
}
