/**
 * Accessible bar charts in HTML (one image to assistive technology, its text label saying every
 * figure) with a table alternative; no chart library. The labels are text that wraps, at the page's
 * own size: never cut, never shrunk on a phone as an SVG scaled to its width would be.
 */
export interface Bar { label: string; count: number; percent: number }
/** One group's figures (an RKK, or all of Flanders): the bars in the options' order. */
export interface Series { name: string; bars: Bar[] }

function div(className: string, text?: string): HTMLDivElement {
  const e = document.createElement('div');
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** One series: each option's bar. Two series (the RKK beside Flanders): each option shows both, named, one above the other. */
export function barChart(series: Series[], label: string): HTMLElement {
  const chart = div(series.length > 1 ? 'bars compare' : 'bars');
  chart.setAttribute('role', 'img');
  const said = series.map((x) => `${series.length > 1 ? `${x.name}: ` : ''}${x.bars.map((b) => `${b.label}: ${b.count} (${b.percent}%)`).join('; ')}`);
  chart.setAttribute('aria-label', `${label}. ${said.join('. ')}`);
  series[0]?.bars.forEach((first, i) => {
    const row = div('bar-row');
    row.append(div('bar-label', first.label));
    series.forEach((x, n) => {
      const b = x.bars[i] ?? { label: first.label, count: 0, percent: 0 };
      const track = div('bar-track');
      const fill = div(`bar-fill series-${n}`);
      // Through the CSSOM: the page's Content-Security-Policy allows no inline style attributes.
      fill.style.width = `${Math.max(0, Math.min(100, b.percent))}%`;
      if (b.percent > 0) fill.style.minWidth = '2px';
      track.append(fill);
      const line = div('bar-line');
      if (series.length > 1) line.append(div('bar-series', x.name));
      line.append(track, div('bar-figure', `${b.count} (${b.percent}%)`));
      row.append(line);
    });
    chart.append(row);
  });
  return chart;
}

/** The same figures as a table: a count and a share column per series. */
export function barTable(series: Series[], caption: string, heads: { option: string; count: string; share: string }): HTMLTableElement {
  const table = document.createElement('table');
  const cap = table.createCaption();
  cap.textContent = caption;
  const head = table.createTHead().insertRow();
  const named = (h: string, x: Series) => (series.length > 1 ? `${h} (${x.name})` : h);
  for (const h of [heads.option, ...series.flatMap((x) => [named(heads.count, x), named(heads.share, x)])]) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  series[0]?.bars.forEach((first, i) => {
    const row = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = first.label;
    row.append(th);
    for (const x of series) {
      const b = x.bars[i];
      const count = row.insertCell();
      count.className = 'num';
      count.textContent = String(b?.count ?? 0);
      const share = row.insertCell();
      share.className = 'num';
      share.textContent = `${b?.percent ?? 0}%`;
    }
  });
  return table;
}
