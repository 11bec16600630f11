// Regression test for npm start sending the browser to the Google stand-in on port 5060, which Chromium refuses
// with ERR_UNSAFE_PORT and Node's fetch with "bad port": no port of any stack, at any offset the project uses,
// is one of the Fetch standard's bad ports, and an offset that would land on one is refused before anything starts.
import assert from 'node:assert/strict';
import { badPorts } from '../../dev/stack/bad-ports.ts';
import { stackFile, stackPorts, toolPortOffsets, type StackProfile } from '../../dev/stack/stack-config.ts';

// The table of https://fetch.spec.whatwg.org/#port-blocking ("A port is a bad port if it is listed in the first
// column of the following table"), as the standard has it after whatwg/fetch#1663 added 4190 and 6679.
const STANDARD_BAD_PORTS = [
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110,
  111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532,
  540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061,
  6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
];

const PROFILES = Object.keys(stackFile.stacks) as StackProfile[];

async function fetchRefusal(port: number): Promise<string> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
    return 'answered';
  } catch (error) {
    const cause = error instanceof Error ? error.cause : undefined;
    return cause instanceof Error ? cause.message : String(cause);
  }
}

describe('port plan', () => {
  it("the stack refuses exactly the Fetch standard's bad ports", () => {
    assert.deepEqual(badPorts, STANDARD_BAD_PORTS);
  });

  it("Node's own fetch refuses every one of them, as the functions' fetch of the Google stand-in would", async () => {
    const refusals = await Promise.all(
      STANDARD_BAD_PORTS.map(async (port) => [port, await fetchRefusal(port)] as const),
    );
    assert.deepEqual(
      refusals.filter(([, refusal]) => refusal !== 'bad port'),
      [],
    );
  });

  for (const profile of PROFILES) {
    it(`keeps every port of the "${profile}" stack off the list, at every offset the project uses`, () => {
      const offsets = [0, ...Object.values(toolPortOffsets)];
      for (const offset of offsets) {
        const ports = Object.entries(stackPorts(profile, offset));
        assert.deepEqual(
          ports.filter(([, port]) => STANDARD_BAD_PORTS.includes(port)),
          [],
          `offset ${offset}`,
        );
        assert.ok(
          ports.every(([, port]) => port > 1024 && port < 65536),
          `offset ${offset}: unprivileged ports`,
        );
      }
    });
  }

  it('refuses an offset that would land on a bad port, naming the port and an offset that works', () => {
    // 5050 + 10 = 5060: the npm start gateway on SIP's port.
    assert.throws(
      () => stackPorts('start', 10),
      (error: Error) => {
        assert.match(
          error.message,
          /^STACK_PORT_OFFSET=10 would put "gateway" on port 5060, which browsers and fetch refuse/,
        );
        const suggested = Number(/for example (\d+)\.$/.exec(error.message)?.[1]);
        assert.ok(suggested > 10);
        const ports = Object.values(stackPorts('start', suggested));
        assert.ok(ports.every((port) => !STANDARD_BAD_PORTS.includes(port)));
        return true;
      },
    );
    assert.throws(() => stackPorts('test', 616), /"gateway" on port 6666/);
  });
});
