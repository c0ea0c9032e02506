// Preloaded (node --import) into a benchmarked process where /usr/bin/time is
// missing: the process reports its own CPU time and peak RSS as it exits.
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(`apigen-bench - ${u.userCPUTime / 1e6} ${u.systemCPUTime / 1e6} ${u.maxRSS}\n`);
});
