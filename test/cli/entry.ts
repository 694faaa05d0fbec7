// The CLI's process entry for tests that spawn a real process without a build (see demo.test.ts).
import { run } from '../../src/cli/main.js';

await run();
