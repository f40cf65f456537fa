// The contract of the metrics part (metrics.ts): the series it recorded and the run's summary, as the
// CLI, the expectations and the experiments read them through `sim.parts.metrics`.

/** One series: its samples' times (µs) and values (NaN: no value in that interval). */
export interface MetricSeries {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly t: number[];
  readonly v: number[];
}

export interface MetricsResult {
  /** The sampling interval, µs. */
  intervalUs: number;
  /** The simulated time the series end at. */
  endUs: number;
  /** The unlabelled series in METRIC_DEFS order, then the labelled ones as they appeared. */
  series: MetricSeries[];
}

export interface MetricsSummary {
  /** send() to acknowledgement over the whole run, ms (NaN: nothing acknowledged). */
  produceLatencyP50Ms: number;
  produceLatencyP99Ms: number;
  /** Simulated seconds with UnderMinIsrPartitionCount > 0. */
  underMinIsrSeconds: number;
}

export interface MetricsPort {
  /** Every series, sampled up to now (the end of the run, or where runUntil stopped). */
  result(): MetricsResult;
  summary(): MetricsSummary;
}
