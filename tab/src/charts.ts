/** Accessible bar charts as SVG (role img, a text label) with a table alternative; no chart library. */
export interface Bar { label: string; count: number; percent: number }

const NS = 'http://www.w3.org/2000/svg';
let seq = 0;

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

export function barChart(bars: Bar[], label: string): SVGSVGElement {
  const rowH = 28;
  const labelW = 260;
  const barW = 240;
  const width = labelW + barW + 90;
  const height = bars.length * rowH + 8;
  const id = `chart-${++seq}`;
  const svg = el('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${id}-title`, width, height });
  svg.append(el('title', { id: `${id}-title` }, `${label}. ${bars.map((b) => `${b.label}: ${b.count} (${b.percent}%)`).join('; ')}`));
  bars.forEach((b, i) => {
    const y = 4 + i * rowH;
    const short = b.label.length > 33 ? `${b.label.slice(0, 32)}…` : b.label;
    svg.append(el('text', { x: 0, y: y + 18, 'aria-hidden': 'true' }, short));
    svg.append(el('rect', { class: 'bar-bg', x: labelW, y: y + 4, width: barW, height: rowH - 10, rx: 3, 'aria-hidden': 'true' }));
    if (b.percent > 0) svg.append(el('rect', { class: 'bar', x: labelW, y: y + 4, width: Math.max(2, (barW * b.percent) / 100), height: rowH - 10, rx: 3, 'aria-hidden': 'true' }));
    svg.append(el('text', { x: labelW + barW + 8, y: y + 18, 'aria-hidden': 'true' }, `${b.count} (${b.percent}%)`));
  });
  return svg;
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
