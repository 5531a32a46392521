// Ends every jest run with one plain line, "N passed, N failed[, N skipped]",
// and keeps it in test-results/summary.txt so that .ci/run can repeat it as
// its closing line. Before it, the consumer test's runtime matrix (runtime ×
// check, start-up ratios) when this run wrote one.
const { mkdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`;
    const dir = join(__dirname, '..', '..', 'test-results');
    const matrix = join(dir, 'runtime-matrix.txt');
    try {
      if (statSync(matrix).mtimeMs >= results.startTime) {
        process.stdout.write(`\n${readFileSync(matrix, 'utf8')}`);
      }
    } catch {
      // No matrix in this run (a partial run, or the consumer test failed early).
    }
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'summary.txt'), `${line}\n`);
    process.stdout.write(`\n${line}\n`);
  }
}

module.exports = SummaryReporter;
