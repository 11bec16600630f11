// npm start refuses, before it starts anything, what would stop a person later: an offset that lands a port on
// one the browser refuses, and a port that something else holds. Each says what to do. (Its whole run, on its
// default ports with the guide in Chromium, is test/browser/first-run.test.ts.)
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { stackFile } from '../../dev/stack/stack-config.ts';
import { runRefusedNpmStart, shellEnvironment } from '../support/npm-start.ts';

function hold(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('npm start refusals', function () {
  this.timeout(60_000);

  it('refuses a STACK_PORT_OFFSET that would put a port on a bad port of the Fetch standard, and names one that works', async () => {
    // 5050 + 10: the gateway, and the Config page a person opens, on SIP's 5060.
    const { ended, output } = await runRefusedNpmStart(shellEnvironment({ STACK_PORT_OFFSET: '10' }));
    assert.equal(ended, 'code 1', output);
    assert.match(
      output,
      /The local stack did not start: STACK_PORT_OFFSET=10 would put "gateway" on port 5060, which browsers and fetch refuse .*Use another offset, for example \d+\./,
    );
    assert.doesNotMatch(output, /^Config page:/m);
  });

  it('names the port that is taken and what probably holds it', async () => {
    const offset = 400;
    const gateway = stackFile.stacks.start.gateway + offset;
    const server = await hold(gateway);
    try {
      const { ended, output } = await runRefusedNpmStart(shellEnvironment({ STACK_PORT_OFFSET: String(offset) }));
      assert.equal(ended, 'code 1', output);
      assert.match(
        output,
        new RegExp(
          `Port ${gateway} \\(gateway\\) is already in use: is npm start already running \\(in another terminal\\)\\? Stop it first\\.`,
        ),
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
