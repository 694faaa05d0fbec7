// Preloaded (`node --import ./rss.mjs …`) by the whole-process bench: at exit, writes the process's
// peak resident memory (worker threads included) to stderr as one JSON line, so a whole-process run
// reports its memory without any bench code in keyref itself.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\n${JSON.stringify({ maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
});
