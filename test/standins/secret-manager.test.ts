// The product's SecretStore through the real @google-cloud/secret-manager client, against the REST stand-in.
import assert from 'node:assert/strict';
import { loadConfig } from '../../functions/src/config.ts';
import { SecretManagerStore } from '../../functions/src/platform/secret-store.ts';
import { uniqueTenantId, useStack } from '../support/stack.ts';

describe('Secret Manager stand-in with the real client', () => {
  async function store() {
    const stack = await useStack();
    return { stack, secrets: new SecretManagerStore(loadConfig(stack.functionsEnv)) };
  }

  it('creates a secret on first write, adds versions after, and reads the latest', async () => {
    const { stack, secrets } = await store();
    const id = `${uniqueTenantId()}-client-secret`;
    await secrets.write(id, 'GOCSPX-first');
    await secrets.write(id, 'GOCSPX-second');
    assert.equal(await secrets.read(id), 'GOCSPX-second');
    const stored = stack.secretManager.secrets.get(`projects/${stack.addresses.projectId}/secrets/teliqon-${id}`);
    assert.equal(stored?.versions.length, 2, 'two versions, under the product prefix');
  });

  it('reads a missing secret as undefined', async () => {
    const { secrets } = await store();
    assert.equal(await secrets.read(`${uniqueTenantId()}-refresh-token`), undefined);
  });

  it('destroys every version and deletes the secret; destroying again is harmless', async () => {
    const { stack, secrets } = await store();
    const id = `${uniqueTenantId()}-refresh-token`;
    await secrets.write(id, '1//refresh-token-value');
    await secrets.destroy(id);
    assert.equal(await secrets.read(id), undefined);
    assert.equal(stack.secretManager.secrets.has(`projects/${stack.addresses.projectId}/secrets/teliqon-${id}`), false);
    await secrets.destroy(id);
  });

  it('keeps values out of error messages and refuses ids Secret Manager would refuse', async () => {
    const { secrets } = await store();
    await assert.rejects(secrets.write('bad id/with slash', 'GOCSPX-do-not-leak'), (error: Error) => {
      assert.match(error.message, /not a valid Secret Manager id/);
      assert.doesNotMatch(error.message, /GOCSPX-do-not-leak/);
      return true;
    });
  });
});
