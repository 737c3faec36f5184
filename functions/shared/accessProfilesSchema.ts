import Ajv from 'ajv';
import schema from '../../config/access-profiles.schema.json';

/**
 * Validates raw access profiles against config/access-profiles.schema.json. Compiled here when run
 * from source; the Lambda bundles get it precompiled instead (config/esbuildPlugins.js), so no
 * schema is compiled at cold start.
 */
export const validateAccessProfiles = new Ajv({ allErrors: true }).compile(schema);
