import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BuildOptions, build, type Plugin } from 'esbuild';

/** serverless-esbuild's options, as `custom.esbuild` of serverless.yml gives them. */
export type EsbuildConfig = Record<string, unknown>;

// serverless-esbuild 1.x (dist/index.js, getBuildOptions): its defaults under custom.esbuild. Its
// default target comes from provider.runtime; serverless.yml sets one.
const DEFAULTS: EsbuildConfig = { bundle: true, platform: 'node', external: [], exclude: ['aws-sdk'] };
// serverless-esbuild 1.x (dist/bundle.js): its own options, removed before esbuild sees the rest.
const PLUGIN_ONLY = [
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
];

const strings = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');

/**
 * The esbuild options serverless-esbuild bundles each function with, from custom.esbuild: its
 * defaults under them, `exclude` made external (unless it is `*`), and `plugins` loaded from the
 * module it names relative to `root` (a list, or a function returning one).
 */
export function esbuildOptions(config: EsbuildConfig, root: string): BuildOptions {
  if (config.config !== undefined)
    throw new Error('custom.esbuild.config (options from a JS file) is not supported by the local stack');
  const merged = { ...DEFAULTS, ...config };
  const options = Object.fromEntries(
    Object.entries(merged).filter(([name]) => !PLUGIN_ONLY.includes(name) && name !== 'plugins'),
  );
  const exclude = strings(merged.exclude);
  return {
    ...options,
    external: [...strings(merged.external), ...(exclude.includes('*') ? [] : exclude)],
    plugins: pluginsOf(merged.plugins, root),
  };
}

function pluginsOf(plugins: unknown, root: string): Plugin[] {
  if (typeof plugins !== 'string') return Array.isArray(plugins) ? (plugins as Plugin[]) : [];
  let loaded = require(resolve(root, plugins)) as unknown;
  if ((loaded as { __esModule?: boolean }).__esModule) loaded = (loaded as { default: unknown }).default;
  // serverless-esbuild calls it with the Serverless instance, which the local stack has none of.
  return (typeof loaded === 'function' ? loaded() : loaded) as Plugin[];
}

/**
 * Each function's bundle, built as the deploy builds it (entry: the handler's module, options:
 * esbuildOptions) at the function's first cold start, then kept: later cold starts reuse it. The
 * bundles are written to a temporary folder of their own, removed by remove().
 */
export class LambdaBundles {
  private options: BuildOptions | undefined;
  private folder: Promise<string> | undefined;
  private readonly built = new Map<string, Promise<string>>();

  constructor(
    private readonly root: string,
    private readonly config: EsbuildConfig,
  ) {}

  /** The path of the bundle of `handler` (`functions/webhook.handler`) for function `key`. */
  of(key: string, handler: string): Promise<string> {
    let bundle = this.built.get(key);
    if (!bundle) {
      bundle = this.build(key, handler);
      this.built.set(key, bundle);
      // A failed build (a syntax error, say) is tried again at the next cold start.
      bundle.catch(() => {
        if (this.built.get(key) === bundle) this.built.delete(key);
      });
    }
    return bundle;
  }

  /** Removes every bundle; a later of() builds afresh, in a new folder. */
  async remove(): Promise<void> {
    const { folder, built } = this;
    this.folder = undefined;
    const building = [...built.values()];
    built.clear();
    await Promise.allSettled(building);
    if (folder) await rm(await folder, { recursive: true, force: true });
  }

  private async build(key: string, handler: string): Promise<string> {
    this.options ??= esbuildOptions(this.config, this.root);
    this.folder ??= mkdtemp(join(tmpdir(), 'iam-onboarding-lambda-'));
    const module = handler.slice(0, handler.lastIndexOf('.'));
    // As serverless-esbuild lays out its build folder: <module>.js beside <module>.js.map.
    const outfile = join(await this.folder, key, `${module}.js`);
    try {
      await build({
        ...this.options,
        absWorkingDir: this.root,
        entryPoints: [`./${module}`],
        outfile,
        logLevel: 'silent',
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`Bundling ${key} (${handler}) failed: ${reason}`, { cause: error });
    }
    return outfile;
  }
}
