// Development aid: print the normalised events of a scenario between two times.
import { readFileSync } from 'node:fs';
import { simulate } from '../../../viz/run/simulate.ts';
import { describeEvent } from '../../../viz/lib/events.ts';
const [file, from, to, types] = process.argv.slice(2);
const d = await simulate({ text: readFileSync(file, 'utf8'), fileName: file });
for (const e of d.events) if (e.tUs >= Number(from) * 1e6 && e.tUs <= Number(to) * 1e6 && (!types || types.split(',').includes(e.type))) console.log(e.tUs, e.type, describeEvent(e));
