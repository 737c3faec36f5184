#!/usr/bin/env node
// The npm bin: runs the TypeScript CLI through tsx (a devDependency: an ops tool of this repository).
require('tsx/cjs');
require('./index.ts');
