import { listServices } from '../db/partners';
import { csvLine, csvLines } from '../domain/csv';
import { csvRows, CSV_HEADER } from '../domain/feeds';
import { FFT_CSV_HEADER, fftQuestion, fftReturnRows, type FftReturnLine } from '../domain/fft';
import type { InsightScope } from '../domain/insights';
import { bucketEnd, previousBuckets } from '../domain/periods';
import { surveyQuestionResults } from '../domain/question-results';
import { cellKey } from '../domain/suppression';
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

/**
 * The NHS Friends and Family Test monthly return: for each month, the whole partnership (when the
 * scope allows), each partner and each of its services, one line per survey that asks the FFT
 * question. Every number is the per-question result the insights report gives for that filter
 * (the same suppressed cube, the same secondary suppression), so the return can't show what the
 * dashboard hides. A line whose survey had no responses that month is left out.
 */
export async function fftReturnCsv(db: D1Database, scope: InsightScope, filters: { from?: string; to?: string }): Promise<Response> {
  const loaded = await loadInsights(db, scope, { ...filters, interval: 'month' });
  const partners = await Promise.all(loaded.partners.map(async (p) => ({ partner: p, services: await listServices(db, scope.partnershipId, p.id) })));
  const groups = [
    ...(scope.partnerId ? [] : [{ partner: null, service: null }]),
    ...partners.flatMap(({ partner, services }) => [{ partner, service: null }, ...services.map((service) => ({ partner, service }))]),
  ];
  const surveys = loaded.surveys.flatMap((s) => {
    const question = fftQuestion(s.definition);
    return question ? [{ survey: s, question }] : [];
  });
  const lines: FftReturnLine[] = [];
  for (const month of loaded.buckets) {
    const period = { start: month, end: bucketEnd(month, 'month') };
    for (const { partner, service } of groups) {
      for (const { survey, question } of surveys) {
        const key = cellKey({
          ...(partner ? { partner: partner.id } : {}),
          ...(service ? { service: service.id } : {}),
          audience: survey.audience,
          survey: survey.id,
        });
        const results = surveyQuestionResults(loaded.cube, survey, key, [month], loaded.partnership.minBase);
        if (!results.responses.suppressed && results.responses.value === 0) continue;
        const result = results.questions.find((q) => q.id === question.id)!;
        lines.push({
          period,
          partner: partner && { id: partner.id, name: partner.name },
          service: service && { id: service.id, name: service.name },
          survey: { id: survey.id, title: results.title },
          result,
        });
      }
    }
  }
  const from = loaded.buckets[0]!;
  const to = bucketEnd(loaded.buckets[loaded.buckets.length - 1]!, 'month');
  return new Response(csvLines([FFT_CSV_HEADER, ...fftReturnRows(lines)]), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8; header=present',
      'Content-Disposition': `attachment; filename="heard-fft-${from}-to-${to}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
