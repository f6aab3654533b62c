import { writeFileSync } from 'node:fs';
import { openApiDocument } from '#shared/http/openapi.ts';

/** `npm run openapi [-- out.json]`: the OpenAPI document, generated from the route table's zod schemas. */
const out = process.argv[2];
const json = JSON.stringify(openApiDocument(), null, 2) + '\n';
if (out) {
  writeFileSync(out, json);
  console.log(`wrote ${out}`);
} else {
  process.stdout.write(json);
}
