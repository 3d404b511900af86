#!/usr/bin/env node
// Build step: the typed API clients of the console come from the services' own OpenAPI
// documents. Each service prints its document (dist/openapi.cli.js, built before the console
// by turbo's ^build); openapi-typescript turns it into types that openapi-fetch checks every
// call against. A changed path, parameter or schema therefore fails `tsc`, not a user.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '../../..');
const OUT = path.resolve(__dirname, '../web/src/api/generated');
const SERVICES = ['profiles', 'matching', 'events'];

/** Value lists the forms offer (kinds, S3 areas, provinces…), read from the same documents. */
function enumsFrom(profiles) {
  const s = profiles.components.schemas;
  const lists = {
    KINDS: s.OrganisationInput.properties.kind.enum,
    SUBTYPES: s.OrganisationInput.properties.subtype.enum,
    S3_AREAS: s.OrganisationInput.properties.s3Areas.items.enum,
    SPECIALTIES: s.OrganisationInput.properties.specialties.items.enum,
    STAGES: s.InvestorProfile.properties.stages.items.enum,
    PROVINCES: s.Location.properties.province.enum,
    NEED_OFFER_TYPES: s.NeedOffer.properties.type.enum,
  };
  const lines = Object.entries(lists).map(([name, values]) => {
    if (!Array.isArray(values) || !values.length) throw new Error(`the profiles document has no enum for ${name}`);
    return `export const ${name} = ${JSON.stringify(values)} as const;`;
  });
  return `// Generated from the profiles service's OpenAPI document by scripts/generate-clients.js. Do not edit.\n${lines.join('\n')}\n`;
}

async function main() {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  fs.mkdirSync(OUT, { recursive: true });
  const documents = {};
  for (const name of SERVICES) {
    const cli = path.join(ROOT, 'services', name, 'dist', 'openapi.cli.js');
    if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: build the ${name} service first (turbo does, through ^build)`);
    const document = JSON.parse(execFileSync(process.execPath, [cli], { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 }));
    // Every named schema is also exported as a type of its own name (e.g. `Participant`), which the pages import.
    const ast = await openapiTS(document, { rootTypes: true, rootTypesNoSchemaPrefix: true });
    const header = `// Generated from the ${name} service's OpenAPI document by scripts/generate-clients.js. Do not edit.\n`;
    fs.writeFileSync(path.join(OUT, `${name}.d.ts`), header + astToString(ast));
    documents[name] = document;
  }
  fs.writeFileSync(path.join(OUT, 'enums.ts'), enumsFrom(documents.profiles));
}

main().catch((e) => {
  process.stderr.write(`generate-clients: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
