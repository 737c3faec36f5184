import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'esbuild';
import { esbuildOptions, LambdaBundles } from '../../local/lambdaBundles';
import { loadServiceConfig } from '../../local/serverlessConfig';

const root = resolve(__dirname, '../..');
const fixtures = resolve(__dirname, '../fixtures');
const pluginNames = (plugins: Plugin[] | undefined) => (plugins ?? []).map((plugin) => plugin.name);

describe('esbuildOptions', () => {
  // Expected values: serverless-esbuild 1.x, getBuildOptions (defaults) and bundle (what it passes on).
  it("applies serverless-esbuild's defaults under custom.esbuild", () => {
    expect(esbuildOptions({}, fixtures)).toEqual({
      bundle: true,
      platform: 'node',
      external: ['aws-sdk'],
      plugins: [],
    });
  });

  it('makes `exclude` external next to `external`, unless it is *, and drops options esbuild does not take', () => {
    const options = esbuildOptions(
      {
        external: ['pg'],
        exclude: ['@aws-sdk/*'],
        packager: 'pnpm',
        keepOutputDirectory: true,
        minify: true,
      },
      fixtures,
    );
    const everything = esbuildOptions({ exclude: ['*'] }, fixtures);

    expect(options).toEqual({
      bundle: true,
      platform: 'node',
      minify: true,
      external: ['pg', '@aws-sdk/*'],
      plugins: [],
    });
    expect(everything.external).toEqual([]);
  });

  it('loads the plugins from the module custom.esbuild names, relative to the root', () => {
    const config = loadServiceConfig(root).esbuild ?? {};
    const plugins = require('../../config/esbuildPlugins') as () => Plugin[];

    const options = esbuildOptions(config, root);

    expect(pluginNames(options.plugins)).toEqual(pluginNames(plugins()));
    expect(options).toMatchObject({ bundle: true, platform: 'node', target: 'node22', sourcemap: true });
  });

  it('fails clearly on custom.esbuild.config, which the local stack does not read', () => {
    expect(() => esbuildOptions({ config: './esbuild.config.js' }, root)).toThrow(
      'custom.esbuild.config (options from a JS file) is not supported by the local stack',
    );
  });
});

describe('LambdaBundles', () => {
  let bundles: LambdaBundles;

  beforeEach(() => {
    bundles = new LambdaBundles(root, loadServiceConfig(root).esbuild ?? {});
  });

  afterEach(() => bundles.remove());

  it("bundles a project function with its source map, its JSON Schemas precompiled by the project's plugins", async () => {
    const file = await bundles.of('webhook', 'functions/webhook.handler');
    const code = readFileSync(file, 'utf8');

    // The schemas arrive as Ajv standalone code (config/esbuildPlugins.js), compiled at no cold start.
    expect(code).not.toMatch(/\.compile\(/);
    expect(code).toContain('exports2.validateHrEvent = validate10;');
    expect(existsSync(`${file}.map`)).toBe(true);
  });

  it('gives the same function the same bundle, built once', async () => {
    const first = bundles.of('webhook', 'functions/webhook.handler');
    const second = bundles.of('webhook', 'functions/webhook.handler');

    expect(second).toBe(first);
    expect(await second).toBe(await first);
  });
});
