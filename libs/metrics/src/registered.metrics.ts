import { Counter, Gauge, Histogram, type CounterConfiguration, type GaugeConfiguration, type HistogramConfiguration, type Registry } from 'prom-client';

/**
 * Several components of one service report into its one registry — two consumers, a relay per
 * topic, a projection next to them — and prom-client refuses a second registration of a name.
 * So the first component to ask creates the metric and the others get the same one.
 */
function registered<M>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}

export function counterOn<T extends string>(registry: Registry, config: Omit<CounterConfiguration<T>, 'registers'>): Counter<T> {
  return registered(registry, config.name, () => new Counter<T>({ ...config, registers: [registry] }));
}

export function gaugeOn<T extends string>(registry: Registry, config: Omit<GaugeConfiguration<T>, 'registers'>): Gauge<T> {
  return registered(registry, config.name, () => new Gauge<T>({ ...config, registers: [registry] }));
}

export function histogramOn<T extends string>(registry: Registry, config: Omit<HistogramConfiguration<T>, 'registers'>): Histogram<T> {
  return registered(registry, config.name, () => new Histogram<T>({ ...config, registers: [registry] }));
}
