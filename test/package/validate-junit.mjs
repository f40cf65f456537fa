// Validates a JUnit XML report against test/fixtures/junit.xsd (the shape CI systems read), with the
// repository's xmllint-wasm: exit 1 with the schema's complaints if it does not.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';

const xsd = readFileSync(fileURLToPath(new URL('../fixtures/junit.xsd', import.meta.url)), 'utf8');
const file = process.argv[2];
const r = await validateXML({ xml: [{ fileName: file, contents: readFileSync(file, 'utf8') }], schema: [{ fileName: 'junit.xsd', contents: xsd }] });
if (!r.valid) {
  for (const e of r.errors) console.error(e.rawMessage ?? e.message);
  process.exit(1);
}
console.log(`${file}: valid JUnit XML`);
