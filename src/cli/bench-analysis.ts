/// <reference types="node" />
/**
 * CPU cost of analysing one 500-character answer, and answers per second on one core.
 *   npm run bench:analysis
 */
import { analyseText } from '../domain/analysis/index';

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
