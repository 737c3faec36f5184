// esbuild plugins for serverless-esbuild (custom.esbuild.plugins in serverless.yml).
//
// Precompiled JSON Schemas: a module listed in PRECOMPILED compiles its schema with Ajv at import
// when run from source (the local stack, jest). In the Lambda bundles it is replaced by the same
// validator generated ahead of time with Ajv's standalone code, so no schema is compiled at cold
// start (that compilation was most of the functions' INIT: see README, Performance).
const { readFileSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');
const { default: Ajv, _ } = require('ajv');
const addFormats = require('ajv-formats').default;
const standaloneCode = require('ajv/dist/standalone').default;

const ROOT = resolve(__dirname, '..');

/**
 * Module -> the schema it compiles (which must have an $id), the validator's export name, the Ajv
 * options it compiles with, and `formats: true` if it adds ajv-formats.
 */
const PRECOMPILED = {
  'functions/shared/accessProfilesSchema.ts': {
    schema: 'config/access-profiles.schema.json',
    exportName: 'validateAccessProfiles',
    options: { allErrors: true },
  },
  'functions/shared/hrEventSchema.ts': {
    schema: 'contracts/hr-event.schema.json',
    exportName: 'validateHrEvent',
    options: { allErrors: true, discriminator: true },
    formats: true,
  },
};

/** The CommonJS source of a precompiled validator: `exports[exportName]`, needing only Ajv's runtime. */
function standaloneValidator({ schema, exportName, options, formats }, root = ROOT) {
  const json = JSON.parse(readFileSync(resolve(root, schema), 'utf8'));
  const code = {
    source: true,
    ...(formats ? { formats: _`require("ajv-formats/dist/formats").fullFormats` } : {}),
  };
  const ajv = new Ajv({ ...options, code });
  if (formats) addFormats(ajv);
  ajv.compile(json);
  return standaloneCode(ajv, { [exportName]: json.$id });
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const precompiledSchemas = {
  name: 'precompiled-schemas',
  setup(build) {
    for (const [module, spec] of Object.entries(PRECOMPILED)) {
      const filter = new RegExp(`${escapeRegExp(join(ROOT, module))}$`);
      build.onLoad({ filter }, (args) => ({
        contents: standaloneValidator(spec),
        loader: 'js',
        resolveDir: dirname(args.path),
      }));
    }
  },
};

module.exports = () => [precompiledSchemas];
module.exports.PRECOMPILED = PRECOMPILED;
module.exports.standaloneValidator = standaloneValidator;
