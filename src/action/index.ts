#!/usr/bin/env node
/** Entry point of the GitHub Action (action.yml, bundled into dist-action/index.mjs by `npm run build:action`). */
import { runAction } from './main.js';

process.exitCode = await runAction(process.env);
