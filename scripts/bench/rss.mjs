// Preloaded (`node --import ./rss.mjs …`) by the whole-process bench: at exit, writes the process's
// peak resident memory and its CPU time (user + system, every thread included) to stderr as one JSON
// line, so a whole-process run reports them without any bench code in keyref itself.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const usage = process.resourceUsage();
  writeSync(2, `\n${JSON.stringify({ maxRssMB: usage.maxRSS / 1024, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 })}\n`);
});
