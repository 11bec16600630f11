// Mocha's spec reporter plus one closing line, "N passed, N failed", which CI's records read.
import Mocha from 'mocha';

const { EVENT_RUN_END } = Mocha.Runner.constants;

/** The spec reporter with the closing count line. */
export default class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const stats = runner.stats;
      if (!stats) return;
      const skipped = stats.pending > 0 ? `, ${stats.pending} skipped` : '';
      // Printed after the spec reporter's epilogue, so it is the last line of the run.
      process.nextTick(() => console.log(`\n${stats.passes} passed, ${stats.failures} failed${skipped}`));
    });
  }
}
