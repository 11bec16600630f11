// npm start names everything a new machine lacks, and how to get it, before it starts anything: a newcomer should
// not have to find "Firestore emulator exited with code -2" in a log to learn that Java is missing.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findLocalTools, javaMajorVersion } from '../../dev/stack/prerequisites.ts';

// A folder holding only a `java` that prints `version` the way Java does, on stderr.
function fakeJava(version: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'java-'));
  const java = path.join(folder, 'java');
  writeFileSync(java, `#!/bin/sh\necho '${version}' >&2\n`);
  chmodSync(java, 0o755);
  return folder;
}

const SYSTEM_PATH = '/usr/bin:/bin';

describe('local stack prerequisites', () => {
  it('finds Java and both emulators on this machine', () => {
    const tools = findLocalTools();
    assert.match(tools.firestoreJar, /cloud-firestore-emulator\.jar$/);
    assert.match(tools.pubsubLauncher, /cloud-pubsub-emulator$/);
  });

  it('reads the major version of old and new Java version lines', () => {
    assert.equal(javaMajorVersion({ PATH: `${fakeJava('openjdk version "17.0.15" 2025-04-15')}:${SYSTEM_PATH}` }), 17);
    assert.equal(javaMajorVersion({ PATH: `${fakeJava('java version "1.8.0_402"')}:${SYSTEM_PATH}` }), 8);
    assert.equal(javaMajorVersion({ PATH: mkdtempSync(path.join(tmpdir(), 'empty-')) }), undefined);
  });

  it('lists, in one message, a missing Java and a missing Google Cloud CLI with how to install each', () => {
    // gcloud lives in /usr/bin here, so the PATH holds nothing at all.
    const empty = mkdtempSync(path.join(tmpdir(), 'empty-'));
    assert.throws(
      () => findLocalTools({ PATH: empty }),
      (error: Error) => {
        assert.match(
          error.message,
          /^This machine lacks what the local stack needs \(see README\.md, Prerequisites\):/,
        );
        assert.match(
          error.message,
          /- Java 17 or later, .*no working `java` on PATH .*apt-get install openjdk-17-jre-headless/,
        );
        assert.match(error.message, /- The Google Cloud CLI \(gcloud\), .*not on PATH .*CLOUDSDK_ROOT_DIR/);
        return true;
      },
    );
  });

  it('says which Java it found when it is too old, and which emulator component is missing', () => {
    const sdk = mkdtempSync(path.join(tmpdir(), 'sdk-'));
    assert.throws(
      () => findLocalTools({ PATH: `${fakeJava('java version "1.8.0_402"')}:${SYSTEM_PATH}`, CLOUDSDK_ROOT_DIR: sdk }),
      (error: Error) => {
        assert.match(error.message, /the `java` on PATH is Java 8\./);
        assert.match(
          error.message,
          /The gcloud component cloud-firestore-emulator .*gcloud components install cloud-firestore-emulator/,
        );
        assert.match(error.message, /The gcloud component pubsub-emulator .*gcloud components install pubsub-emulator/);
        return true;
      },
    );
  });
});
