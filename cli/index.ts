import { run } from './program';

// `npx iam-onboarding ...` (cli/bin.js) and `npm run cli -- ...` start here.
run(process.argv).then((code) => {
  process.exitCode = code;
});
