import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import schema from '../../contracts/hr-event.schema.json';
import type { HrEvent } from './hrEvent';

/**
 * Validates an event against contracts/hr-event.schema.json (its `type` picks the event's shape, an
 * OpenAPI-style discriminator). Compiled here when run from source; the Lambda bundles get it
 * precompiled instead (config/esbuildPlugins.js), so no schema is compiled at cold start.
 */
export const validateHrEvent = addFormats(new Ajv({ allErrors: true, discriminator: true })).compile<HrEvent>(
  schema,
);
