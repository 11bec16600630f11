// The output of the test run, kept so that the last test can scan all of it for secrets: what this process
// prints (mocha's report, product code run in-process, the tests' own logs) and the output of the programs the
// tests start and read (npm start, the CLIs).
const printed: string[] = [];
const programs: Array<{ source: string; text: string }> = [];
let recording = false;

/** Starts keeping everything this process writes to stdout and stderr, while still writing it. */
export function recordRunOutput(): void {
  if (recording) return;
  recording = true;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = (chunk: unknown, ...rest: unknown[]) => {
      printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return write(chunk, ...rest);
    };
  }
}

/** Keeps the output of a program a test ran, under a name the secret scan reports. */
export function recordProgramOutput(source: string, text: string): void {
  programs.push({ source, text });
}

/** Everything recorded so far, by where it came from. */
export function runOutput(): Array<{ source: string; text: string }> {
  return [{ source: 'the test run', text: printed.join('') }, ...programs];
}

/** What `run` writes to stdout and stderr, both of which the product's logger uses, kept from the run's output. */
export async function captured(run: () => unknown): Promise<string> {
  const writes: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  const originalErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = (chunk: string) => writes.push(chunk) > 0;
  process.stderr.write = (chunk: string) => writes.push(chunk) > 0;
  try {
    await run();
  } finally {
    process.stdout.write = original;
    process.stderr.write = originalErr;
    // Not printed, but written by product code: the secret scan reads it too.
    recordProgramOutput('output captured by a test', writes.join(''));
  }
  return writes.join('');
}
