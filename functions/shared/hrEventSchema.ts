import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import schema from '../../contracts/hr-event.schema.json';
import type { HireEvent } from './hrEvent';

/**
 * Validates an event against contracts/hr-event.schema.json. Compiled here when run from source; the
 * Lambda bundles get it precompiled instead (config/esbuildPlugins.js), so no schema is compiled at
 * cold start.
 */
export const validateHireEvent = addFormats(new Ajv({ allErrors: true })).compile<HireEvent>(schema);
