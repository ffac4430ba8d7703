/**
 * The robustness charts of the HTML report: pass rate against SNR (a curve per noise type) and
 * against speaking rate, drawn as inline SVG (no script, no external resource) from the sweeps the
 * suite's breakdown found. Each point shows its 95% interval as a whisker and names its counts in a
 * tooltip (`<title>`); the clean variant, when the suite has one, is a dashed reference line.
 */
import type { Slice, Sweep } from '../suite/breakdown.js';
import { escapeHtml } from './escape.js';
import { formatInterval, formatRate } from './numbers.js';

const WIDTH = 520;
const HEIGHT = 260;
const MARGIN = { left: 48, right: 16, top: 16, bottom: 40 };
// Colour-blind-safe hues (Okabe–Ito), one per curve in the order the sweeps come.
const COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9'];

/** The charts of the suite's sweeps, one per axis (SNR, speed) it sweeps; empty when it sweeps none. */
export function sweepCharts(sweeps: readonly Sweep[], clean: Slice | null): string {
  const axes: Array<{ axis: Sweep['axis']; title: string; unit: (x: number) => string }> = [
    { axis: 'snr_db', title: 'Pass rate against signal-to-noise ratio', unit: (x) => `${x} dB` },
    { axis: 'speed', title: 'Pass rate against speaking rate', unit: (x) => `${x}×` },
  ];
  return axes
    .map(({ axis, title, unit }) => {
      const curves = sweeps.filter((sweep) => sweep.axis === axis);
      return curves.length === 0
        ? ''
        : chart(title, curves, clean, unit, axis === 'snr_db' ? 'SNR' : 'speed');
    })
    .join('');
}

function chart(
  title: string,
  curves: readonly Sweep[],
  clean: Slice | null,
  unit: (x: number) => string,
  axisName: string,
): string {
  const xs = [...new Set(curves.flatMap((curve) => curve.points.map((point) => point.x)))].sort(
    (a, b) => a - b,
  );
  const low = xs[0] as number;
  const high = xs.at(-1) as number;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  // The outer points sit inside the frame, not on it.
  const inset = 20;
  const x = (value: number) =>
    round(MARGIN.left + inset + ((value - low) / (high - low)) * (plotWidth - 2 * inset));
  const y = (rate: number) => round(MARGIN.top + (1 - rate) * plotHeight);
  const parts: string[] = [];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#d0d7de"/>`,
      `<text x="${MARGIN.left - 6}" y="${y(tick) + 4}" text-anchor="end">${tick * 100}%</text>`,
    );
  }
  for (const tick of xs) {
    parts.push(
      `<text x="${x(tick)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${escapeHtml(unit(tick))}</text>`,
    );
  }
  parts.push(
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 6}" text-anchor="middle">${escapeHtml(axisName)}</text>`,
  );
  if (clean !== null && clean.summary.passRate !== null) {
    const at = y(clean.summary.passRate);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${at}" y2="${at}" stroke="#6e7781" stroke-dasharray="4 3"><title>${escapeHtml(tooltip(clean.name, clean))}</title></line>`,
      `<text x="${WIDTH - MARGIN.right}" y="${at - 4}" text-anchor="end" fill="#6e7781">${escapeHtml(clean.name)}</text>`,
    );
  }
  curves.forEach((curve, index) => {
    const colour = COLOURS[index % COLOURS.length] as string;
    const completed = curve.points.filter((point) => point.summary.passRate !== null);
    const line = completed.map((point) => `${x(point.x)},${y(point.summary.passRate as number)}`).join(' ');
    parts.push(`<polyline points="${line}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    for (const point of completed) {
      const cx = x(point.x);
      const whisker = point.interval
        ? `<line x1="${cx}" x2="${cx}" y1="${y(point.interval.low)}" y2="${y(point.interval.high)}" stroke="${colour}"/>`
        : '';
      parts.push(
        `${whisker}<circle cx="${cx}" cy="${y(point.summary.passRate as number)}" r="4" fill="${colour}"><title>${escapeHtml(tooltip(`${curve.label} ${unit(point.x)} (${point.name})`, point))}</title></circle>`,
      );
    }
    parts.push(
      `<text x="${MARGIN.left + 8}" y="${MARGIN.top + 14 + index * 16}" fill="${colour}">● ${escapeHtml(curve.label)}</text>`,
    );
  });
  return `<figure class="chart" style="display: inline-block; margin: .5rem 1rem .5rem 0"><figcaption><b>${escapeHtml(title)}</b></figcaption>
<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(title)}" font-size="11" font-family="system-ui, sans-serif" fill="currentColor">
${parts.join('\n')}
</svg></figure>
`;
}

/** `babble 10 dB (cafe): 50% passed (4/8) [22–78%]`. */
function tooltip(label: string, slice: Slice): string {
  const { passed, failed } = slice.summary;
  return `${label}: ${formatRate(slice.summary.passRate)} passed (${passed}/${passed + failed}) ${formatInterval(slice.interval)}`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
