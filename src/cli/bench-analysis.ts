/// <reference types="node" />
/**
 * CPU cost of analysing one 500-character answer, and answers per second on one core; then the
 * worst case per 1,000 characters over hostile text: a fixed sample of the test grammar
 * (tests/text-grammar.ts, seed 10) and known adversarial inputs (long digit, '+' and '@' runs,
 * repeated separators).
 *   npm run bench:analysis
 */
import { analyseText } from '../domain/analysis/index';
import { ADVERSARIAL, grammarSample, KNOWN_HANGS } from '../../tests/text-grammar';

const parts = [
  'My social worker Jess was lovely but nobody rang back for three weeks after the review, ',
  'ring me on 07700 900 123 or email jo.bloggs@hotmail.co.uk. ',
  'The CAMHS waiting list is a joke and school keep calling about attendance. ',
  'we moved to 41 Stanley Road HU3 2RG in march, my son was born 30/01/2014. ',
  'i feel safe with my foster carer now and the police officer explained everything 😊 ',
  'honestly the out of hours team came at 2am and sorted a place to stay, proper helped. ',
];
const answers: string[] = [];
for (let i = 0; i < 200; i++) {
  let s = '';
  let k = i;
  while (s.length < 500) s += parts[k++ % parts.length];
  answers.push(s.slice(0, 500));
}

for (let i = 0; i < 2000; i++) analyseText(answers[i % answers.length] as string); // warm up the JIT

const runs = 20000;
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
for (let i = 0; i < runs; i++) analyseText(answers[i % answers.length] as string);
const wall = Number(process.hrtime.bigint() - t0) / 1e3;
const cpu = process.cpuUsage(cpu0);
const cpuMicros = (cpu.user + cpu.system) / runs;
process.stdout.write(
  `analyseText on 500-character answers (${runs} runs)\n` +
    `  CPU per answer: ${cpuMicros.toFixed(1)} µs (target < 1000 µs)\n` +
    `  answers/s on one core: ${Math.round(runs / (wall / 1e6))} (target >= 5000)\n`,
);

/** Best of three timings of one text, in ms: the least disturbed by the rest of the machine. */
const timeOf = (text: string): number => {
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const t0 = process.hrtime.bigint();
    analyseText(text);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return best;
};

interface Worst {
  name: string;
  chars: number;
  ms: number;
  perK: number;
}
const worstOf = (texts: [string, string][]): Worst => {
  let worst: Worst = { name: '', chars: 0, ms: 0, perK: 0 };
  for (const [name, text] of texts) {
    const ms = timeOf(text);
    // short texts are dominated by fixed costs: per-1,000 figures only from 500 characters up
    const perK = text.length >= 500 ? (ms * 1000) / text.length : 0;
    if (perK > worst.perK) worst = { name, chars: text.length, ms, perK };
  }
  return worst;
};
const line = (label: string, w: Worst): string =>
  `  ${label}: ${w.perK.toFixed(2)} ms per 1,000 characters (${w.name}, ${w.chars} characters, ${w.ms.toFixed(2)} ms)\n`;

const sample = grammarSample(400).map((t, k): [string, string] => [`grammar #${k}`, t]);
const adversarial = [...Object.entries(ADVERSARIAL), ...KNOWN_HANGS.map((t): [string, string] => [JSON.stringify(t), t.repeat(Math.ceil(500 / t.length))])];
process.stdout.write(
  `worst case on hostile text (best of 3 timings each)\n` +
    line(`grammar, ${sample.length} texts up to 4,000 characters`, worstOf(sample)) +
    line(`adversarial, ${adversarial.length} inputs`, worstOf(adversarial)),
);
