import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import profiles from '../../config/access-profiles.json';
import { validateAccessProfiles } from '../../functions/shared/accessProfilesSchema';

type Spec = { schema: string; exportName: string; options: object; formats?: boolean };
const root = resolve(__dirname, '../..');
const { PRECOMPILED, standaloneValidator } = require('../../config/esbuildPlugins') as {
  PRECOMPILED: Record<string, Spec>;
  standaloneValidator: (spec: Spec) => string;
};

/** Loads generated CommonJS source as a module would be, resolving its requires from the project. */
function load(spec: Spec): ValidateFunction {
  const module = { exports: {} as Record<string, ValidateFunction> };
  new Function('exports', 'require', 'module', standaloneValidator(spec))(
    module.exports,
    createRequire(join(root, 'package.json')),
    module,
  );
  const validate = module.exports[spec.exportName];
  if (!validate) throw new Error(`no ${spec.exportName} in the generated code`);
  return validate;
}

const verdict = (validate: ValidateFunction, value: unknown) => ({
  valid: validate(value),
  errors: (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath} ${e.keyword}`),
});

describe('esbuildPlugins', () => {
  describe('precompiled schemas', () => {
    it('precompiles the access profiles schema into a validator that answers as the compiled one', () => {
      const spec = PRECOMPILED['functions/shared/accessProfilesSchema.ts'];
      if (!spec) throw new Error('the access profiles schema is not precompiled');
      const precompiled = load(spec);
      const samples: unknown[] = [
        profiles,
        {},
        { ...profiles, allowedPolicies: ['arn:aws:iam::aws:policy/Nope Nope'] },
        {
          ...profiles,
          profiles: [{ department: '', groups: ['a', 'a'], permissionsBoundary: 'x', extra: 1 }],
        },
        { ...profiles, groups: { 'bad name!': { policies: [] } } },
        [],
      ];
      for (const sample of samples) {
        expect(verdict(precompiled, sample)).toEqual(verdict(validateAccessProfiles, sample));
      }
      expect(precompiled(profiles)).toBe(true);
    });

    it('precompiles a schema with formats (the HR event) into a validator that answers as the compiled one', () => {
      const spec = PRECOMPILED['functions/shared/hrEventSchema.ts'];
      if (!spec) throw new Error('the HR event schema is not precompiled');
      const precompiled = load(spec);
      const schema = JSON.parse(readFileSync(join(root, spec.schema), 'utf8')) as object;
      const compiled = addFormats(new Ajv({ allErrors: true, discriminator: true })).compile(schema);
      const dir = join(root, 'test/fixtures/events');
      const events = readdirSync(dir).map(
        (file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as object,
      );
      for (const event of events) {
        const employee = (event as { employee: object }).employee;
        for (const sample of [
          event,
          { ...event, occurredAt: 'yesterday' },
          { ...event, employee: { ...employee, workEmail: 'not an email', startDate: '2026-02-30' } },
        ]) {
          expect(verdict(precompiled, sample)).toEqual(verdict(compiled, sample));
        }
      }
    });
  });
});
