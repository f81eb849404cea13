/**
 * The month-by-month trend of a compliance report as an SVG bar chart, drawn on the server: the share of obligations
 * met on time in each month. One series, each bar labelled with its value (nothing is told by colour alone); a
 * title and a description say what it shows, and the table beside it gives every figure.
 */
import type { Tally } from '../../../services/compliance.ts';

export interface ChartBar {
  x: number;
  y: number;
  width: number;
  height: number;
  /** The value as text over the bar ("72%"), or "none" where nothing was decided. */
  value: string;
  valueY: number;
  /** "Apr": under the bar when labelled. */
  label: string;
  /** "2026": under January's label and the first's. */
  year: string | null;
  showLabel: boolean;
  centre: number;
}

export interface TrendChart {
  width: number;
  height: number;
  title: string;
  desc: string;
  bars: ChartBar[];
  ticks: Array<{ y: number; label: string }>;
  plot: { left: number; right: number; top: number; bottom: number };
  showValues: boolean;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Apr 2026" */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-');
  return `${MONTHS[Number(m) - 1] ?? m} ${y}`;
}

const pct = (share: number) => `${Math.round(share * 100)}%`;

export function trendChart(byMonth: ReadonlyArray<{ month: string; tally: Tally }>, scopeLabel: string): TrendChart {
  const width = 640;
  const height = 320;
  const plot = { left: 52, right: width - 8, top: 24, bottom: height - 52 };
  const slot = (plot.right - plot.left) / Math.max(1, byMonth.length);
  const every = Math.ceil(byMonth.length / 12);
  const showValues = byMonth.length <= 18;
  const scale = (share: number) => (plot.bottom - plot.top) * share;
  const bars = byMonth.map((m, i) => {
    const share = m.tally.share;
    const h = share === null ? 0 : scale(share);
    const x = plot.left + i * slot + slot * 0.15;
    return {
      x,
      y: plot.bottom - h,
      width: slot * 0.7,
      height: h,
      value: share === null ? 'none' : pct(share),
      valueY: plot.bottom - h - 6,
      label: MONTHS[Number(m.month.slice(5)) - 1] ?? m.month,
      year: i === 0 || m.month.endsWith('-01') ? m.month.slice(0, 4) : null,
      showLabel: i % every === 0,
      centre: x + slot * 0.35,
    };
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => ({ y: plot.bottom - scale(t), label: pct(t) }));
  const decided = byMonth.filter((m) => m.tally.share !== null);
  const first = byMonth[0];
  const last = byMonth[byMonth.length - 1];
  let desc = `No obligation fell due from ${first ? monthLabel(first.month) : ''} to ${last ? monthLabel(last.month) : ''}.`;
  if (decided.length) {
    const low = decided.reduce((a, b) => (b.tally.share! < a.tally.share! ? b : a));
    const high = decided.reduce((a, b) => (b.tally.share! > a.tally.share! ? b : a));
    const lastDecided = decided[decided.length - 1]!;
    desc =
      `Bar chart of the share of obligations met on time in each month from ${monthLabel(first!.month)} to ` +
      `${monthLabel(last!.month)}. Lowest ${pct(low.tally.share!)} in ${monthLabel(low.month)}, highest ` +
      `${pct(high.tally.share!)} in ${monthLabel(high.month)}, latest ${pct(lastDecided.tally.share!)} in ` +
      `${monthLabel(lastDecided.month)}. The table beside it gives the figures for every month.`;
  }
  return {
    width,
    height,
    title: `Share met on time by month: ${scopeLabel}`,
    desc,
    bars,
    ticks,
    plot,
    showValues,
  };
}
