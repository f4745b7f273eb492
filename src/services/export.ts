import { csvLine } from '../domain/csv';
import { csvRows, CSV_HEADER } from '../domain/feeds';
import type { InsightScope } from '../domain/insights';
import { bucketEnd, previousBuckets } from '../domain/periods';
import { loadInsights, reportFor, type InsightFilters } from './insights';

/**
 * The CSV export, streamed a group at a time so a year's export starts arriving at once: for the
 * whole partnership (when the scope allows) and each partner, one block per period and one for
 * the whole range.
 */
export async function insightsCsv(db: D1Database, scope: InsightScope, filters: InsightFilters): Promise<Response> {
  const loaded = await loadInsights(db, scope, filters);
  const groups = [
    ...(loaded.scope.partnerId || filters.partner ? [] : [{ id: '', name: `All partners (${loaded.partnership.name})`, filter: loaded.filter }]),
    ...loaded.partners
      .filter((p) => !filters.partner || p.id === filters.partner)
      .map((p) => ({ id: p.id, name: p.name, filter: { ...loaded.filter, partner: p.id } })),
  ];
  const whole = {
    buckets: loaded.buckets,
    previous: loaded.previous,
    start: loaded.buckets[0]!,
    end: bucketEnd(loaded.buckets[loaded.buckets.length - 1]!, loaded.interval),
  };
  const periods = [
    ...loaded.buckets.map((b) => ({ buckets: [b], previous: previousBuckets([b], loaded.interval), start: b, end: bucketEnd(b, loaded.interval) })),
    whole,
  ];
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(encoder.encode(csvLine(CSV_HEADER)));
      for (const group of groups) {
        for (const period of periods) {
          const report = await reportFor(db, loaded, group.filter, period.buckets, period.previous, { compare: false, quotes: false });
          controller.enqueue(encoder.encode(csvRows(report, group, period)));
        }
      }
      controller.close();
    },
  });
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8; header=present',
      'Content-Disposition': `attachment; filename="heard-insights-${whole.start}-to-${whole.end}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
