/**
 * Draws the app's two Teams icons with pngjs and writes them to manifest/ (they are committed):
 *
 * - `color.png`, 192×192, opaque: a white speech bubble on the app's deep blue, holding a route
 *   (a winding road from a start point past a waypoint to an orange destination): the weekly
 *   question as a step on the roadmap.
 * - `outline.png`, 32×32: the same bubble in white on a fully transparent background, with the
 *   route cut out of it. Every pixel is white (RGB 255) with some alpha, or fully transparent.
 *
 * Shapes are inside/outside tests in unit coordinates (0..1), rendered with 8×8 supersampling per
 * pixel, so edges are anti-aliased. Run: `node dist/scripts/draw-icons.js` after `tsc`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

type Rgb = readonly [number, number, number];
type Shape = (x: number, y: number) => boolean;
interface Layer { shape: Shape; color: Rgb; erase?: boolean }

/** The app's deep blue: icon background and the manifest's accentColor. */
export const BLUE: Rgb = [0x17, 0x46, 0x8c];
export const ACCENT_COLOR = '#17468C';
const WHITE: Rgb = [255, 255, 255];
const ORANGE: Rgb = [0xf3, 0x92, 0x1f];

// ----------------------------------------------------------------------------------- shapes

const roundRect = (x0: number, y0: number, x1: number, y1: number, r: number): Shape => (x, y) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
  const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
  return dx * dx + dy * dy <= r * r;
};

const circle = (cx: number, cy: number, r: number): Shape => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

const triangle = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number): Shape => (x, y) => {
  const s1 = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
  const s2 = (cx - bx) * (y - by) - (cy - by) * (x - bx);
  const s3 = (ax - cx) * (y - cy) - (ay - cy) * (x - cx);
  return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
};

type Point = readonly [number, number];

function cubic(p0: Point, p1: Point, p2: Point, p3: Point, t: number): Point {
  const u = 1 - t;
  return [
    u * u * u * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t * t * t * p3[0],
    u * u * u * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t * t * t * p3[1],
  ];
}

/** A stroke of the given width along a polyline, with round caps and joins. */
function stroke(points: readonly Point[], width: number): Shape {
  const h2 = (width / 2) ** 2;
  const pad = width / 2;
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs) - pad, Math.max(...xs) + pad, Math.min(...ys) - pad, Math.max(...ys) + pad];
  return (x, y) => {
    if (x < minX || x > maxX || y < minY || y > maxY) return false;
    for (let i = 1; i < points.length; i++) {
      const [ax, ay] = points[i - 1]!;
      const [bx, by] = points[i]!;
      const vx = bx - ax, vy = by - ay;
      const t = Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)));
      if ((x - ax - t * vx) ** 2 + (y - ay - t * vy) ** 2 <= h2) return true;
    }
    return false;
  };
}

const union = (...shapes: Shape[]): Shape => (x, y) => shapes.some((s) => s(x, y));

// ---------------------------------------------------------------------------------- motif

/** The motif in unit coordinates; `scale` grows it about the centre (the outline icon uses more of its canvas). */
function motif(scale: number) {
  const m = (v: number) => 0.5 + (v - 0.5) * scale;
  const pt = (x: number, y: number): Point => [m(x), m(y)];
  const bubble = union(
    roundRect(m(0.14), m(0.18), m(0.86), m(0.7), 0.13 * scale),
    triangle(...pt(0.25, 0.6), ...pt(0.49, 0.6), ...pt(0.21, 0.85)),
  );
  // The route: an S-shaped road from bottom left to top right.
  const p0 = pt(0.3, 0.56), p1 = pt(0.58, 0.62), p2 = pt(0.42, 0.3), p3 = pt(0.7, 0.33);
  const road = Array.from({ length: 49 }, (_, i) => cubic(p0, p1, p2, p3, i / 48));
  const mid = cubic(p0, p1, p2, p3, 0.5);
  return { bubble, road, start: p0, mid, end: p3, scale };
}

// -------------------------------------------------------------------------------- renderer

/** Renders the layers, back to front, with ss×ss samples per pixel. Straight (not premultiplied) RGBA. */
export function render(size: number, layers: readonly Layer[], ss = 8): Buffer {
  const out = Buffer.alloc(size * size * 4);
  const n = ss * ss;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0; // premultiplied while compositing
      for (const layer of layers) {
        let hits = 0;
        for (let sy = 0; sy < ss; sy++) {
          for (let sx = 0; sx < ss; sx++) if (layer.shape((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size)) hits++;
        }
        if (!hits) continue;
        const c = hits / n;
        if (layer.erase) { r *= 1 - c; g *= 1 - c; b *= 1 - c; a *= 1 - c; continue; }
        r = layer.color[0] * c + r * (1 - c);
        g = layer.color[1] * c + g * (1 - c);
        b = layer.color[2] * c + b * (1 - c);
        a = c + a * (1 - c);
      }
      const i = (py * size + px) * 4;
      const alpha = Math.round(a * 255);
      out[i + 3] = alpha;
      if (alpha) { out[i] = Math.round(r / a); out[i + 1] = Math.round(g / a); out[i + 2] = Math.round(b / a); }
    }
  }
  return out;
}

function png(size: number, data: Buffer, opaque: boolean): Buffer {
  const image = new PNG({ width: size, height: size });
  data.copy(image.data);
  return PNG.sync.write(image, { colorType: opaque ? 2 : 6 });
}

/** 192×192, full colour, opaque: the white bubble with a blue road, a waypoint and an orange destination. */
export function drawColorIcon(): Buffer {
  const size = 192;
  const m = motif(1);
  const w = 0.05;
  const layers: Layer[] = [
    { shape: () => true, color: BLUE },
    { shape: m.bubble, color: WHITE },
    { shape: stroke(m.road, w), color: BLUE },
    { shape: circle(...m.start, 0.048), color: BLUE },
    { shape: circle(...m.mid, 0.042), color: BLUE },
    { shape: circle(...m.mid, 0.018), color: WHITE },
    { shape: circle(...m.end, 0.066), color: ORANGE },
    { shape: circle(...m.end, 0.026), color: WHITE },
  ];
  return png(size, render(size, layers), true);
}

/** 32×32, white on transparent: the bubble, with the road and its start and destination cut out. */
export function drawOutlineIcon(): Buffer {
  const size = 32;
  const m = motif(1.2);
  const layers: Layer[] = [
    { shape: m.bubble, color: WHITE },
    { shape: stroke(m.road, 0.075), color: WHITE, erase: true },
    { shape: circle(...m.start, 0.085), color: WHITE, erase: true },
    { shape: circle(...m.end, 0.092), color: WHITE, erase: true },
  ];
  const data = render(size, layers);
  for (let i = 0; i < data.length; i += 4) data[i] = data[i + 1] = data[i + 2] = 255; // white everywhere; alpha carries the shape
  return png(size, data, false);
}

if (require.main === module) {
  const dir = path.resolve(__dirname, '../../manifest');
  fs.writeFileSync(path.join(dir, 'color.png'), drawColorIcon());
  fs.writeFileSync(path.join(dir, 'outline.png'), drawOutlineIcon());
  process.stdout.write(`icons written to ${path.relative(process.cwd(), dir) || '.'}/color.png and outline.png\n`);
}
