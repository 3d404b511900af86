import { Registry } from 'prom-client';
import { counterOn, gaugeOn, histogramOn } from '../src';

describe('metrics registered once per registry', () => {
  it('when two components ask for the same counter, then both count into one metric', async () => {
    const registry = new Registry();
    const first = counterOn(registry, { name: 'things_total', help: 'things', labelNames: ['kind'] });
    const second = counterOn(registry, { name: 'things_total', help: 'things', labelNames: ['kind'] });
    first.inc({ kind: 'a' });
    second.inc({ kind: 'a' }, 2);
    expect(second).toBe(first);
    expect(await registry.getSingleMetricAsString('things_total')).toContain('things_total{kind="a"} 3');
  });

  it('when two registries are used, then each has its own metric', async () => {
    const a = new Registry();
    const b = new Registry();
    gaugeOn(a, { name: 'depth', help: 'queue depth' }).set(4);
    gaugeOn(b, { name: 'depth', help: 'queue depth' }).set(7);
    expect(await a.getSingleMetricAsString('depth')).toContain('depth 4');
    expect(await b.getSingleMetricAsString('depth')).toContain('depth 7');
  });

  it('when a gauge has a collect function, then a scrape reads it', async () => {
    const registry = new Registry();
    let backlog = 12;
    gaugeOn(registry, {
      name: 'backlog',
      help: 'waiting',
      collect() {
        this.set(backlog);
      },
    });
    backlog = 5;
    expect(await registry.getSingleMetricAsString('backlog')).toContain('backlog 5');
  });

  it('when a histogram is asked for twice, then observations of both land in its buckets', async () => {
    const registry = new Registry();
    histogramOn(registry, { name: 'round_seconds', help: 'rounds', buckets: [1, 2] }).observe(0.5);
    histogramOn(registry, { name: 'round_seconds', help: 'rounds', buckets: [1, 2] }).observe(1.5);
    const text = await registry.getSingleMetricAsString('round_seconds');
    expect(text).toContain('round_seconds_bucket{le="1"} 1');
    expect(text).toContain('round_seconds_count 2');
  });
});
