// A TypeScript consumer of the built package, checked with `tsc --noEmit`:
// the declarations tsify derives from the core's serde types must describe
// what a front-end developer writes against. (Type-checked only; the JS
// tests run the same calls.)
import {
  Experience,
  Tracker,
  dashboard,
  dashboardFromCsv,
  fittingPeriod,
  sampleExperience,
  sampleLog,
  type Alert,
  type Alignment,
  type Comparison,
  type CostRollup,
  type IdeaReport,
  type Dashboard,
  type DashboardSettings,
  type MotFigures,
  type Rows,
} from 'mot-wasm';

const x: Experience = Experience.fromJson(sampleExperience());
const log: { events: string; outcomes: string } = sampleLog(1000, 7);
const options: DashboardSettings = { period: 'week', badRows: 'reject', alignment: { min_lift: 0.03 } };
const d: Dashboard = dashboardFromCsv(log.events, log.outcomes, { experience: x.toJson(), ...options });

const format: string = d.format;
const rate: number | null = d.sco.rate;
const interactions: number = d.amount.interactions;
const rejected: number | undefined = d.rejected['unknown-mot'];
const worst: MotFigures | undefined = d.mots.find((m) => m.alignment === 'misery');
const cls: Alignment | undefined = worst?.alignment;
const alerts: Alert[] = d.alerts;
const owners: (string | null)[] = alerts.map((a) => a.owner_name);
const lift: number | null | undefined = worst?.lift;
const roi: number | null | undefined = worst?.dimensions.roi;
const periods: number = d.trends[0]?.periods.length ?? 0;

const rows: Rows = [{ journey_id: 'j1', mot_id: 'check-in', timestamp: new Date(), success: true, cost: 1.5 }];
const fromRows: Dashboard = dashboard(rows, undefined, x);
const fromColumns: Dashboard = dashboard(
  { journey_id: new BigInt64Array([1n]), mot_id: ['check-in'], timestamp: new Float64Array([1795392000]), success: new Uint8Array([1]) },
  null,
  undefined,
);

const t = new Tracker(x, { period: 'day', timeout: 3600 });
t.record('j1', 'check-in', 1795392000, true, 2.5);
t.closeJourney('j1', true, 120);
const bytes: Uint8Array = t.toBytes();
const back: Tracker = Tracker.fromBytes(bytes, x);
back.merge(t);
const counts: Record<string, number> = back.rejected;
const rollup: CostRollup = x.costRollup();
const total: number = rollup.total;

// Before/after: windows as strings, Dates or seconds.
const period: string = fittingPeriod(['2026-08-01..2026-09-01']);
const c: Comparison = t.compare('2026-08-01..2026-09-01', [new Date('2026-09-01'), 1790812800], { alpha: 0.05, tau2: 0.0025 });
const change: number | null = c.sco.difference;
const anytime: number | null = c.mots[0].always_valid_low;
const verdict: 'improved' | 'worsened' | 'no-clear-change' | null = c.sco.verdict;
const ideas: IdeaReport = t.ideas({ window_days: 14, alpha: 0.05, tau2: 0.0025 });
const cycle: number | null = ideas.cycle_time.median_days;
const share: number | null = d.mots[0].attribution_share_ci_low;
const perSco: number | null = d.cost.cost_per_sco;
console.log(period, change, anytime, verdict, cycle, share, perSco);

try {
  Experience.fromJson('{');
} catch (e) {
  const err = e as Error & { kind: string };
  console.log(err.name, err.kind, err.message);
}

// @ts-expect-error: the contract's rates are numbers, not strings
const wrong: string = d.sco.rate;
// @ts-expect-error: unknown option names are caught at compile time too
const badOptions: DashboardSettings = { colour: 'blue' };

console.log(format, rate, interactions, rejected, cls, owners, lift, roi, periods, fromRows, fromColumns, counts, total, wrong, badOptions);
