// firebase.json: valid against the schema firebase-tools ships, and Hosting sends the security headers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { startGateway, withLocalOrigins } from '../../dev/stack/gateway.ts';

const require = createRequire(import.meta.url);
const schemaFile = require.resolve('firebase-tools/schema/firebase-config.json');
const firebaseJson = JSON.parse(readFileSync(new URL('../../firebase.json', import.meta.url), 'utf8')) as {
  hosting: { headers: { source: string; headers: { key: string; value: string }[] }[] };
};

function headerValue(key: string): string {
  const found = firebaseJson.hosting.headers
    .filter((rule) => rule.source === '**')
    .flatMap((rule) => rule.headers)
    .find((header) => header.key === key);
  assert.ok(found, `${key} on every path`);
  return found.value;
}

describe('firebase.json', () => {
  it("is valid against firebase-tools' own schema", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
    assert.ok(validate(firebaseJson), JSON.stringify(validate.errors, null, 2));
  });

  it('sends a CSP that allows only its own scripts and Google sign-in, and forbids framing', () => {
    const csp = headerValue('Content-Security-Policy');
    const directives = new Map(
      csp
        .split(';')
        .map((part) => part.trim().split(/\s+/))
        .map(([name = '', ...values]) => [name, values]),
    );
    assert.deepEqual(directives.get('script-src'), ["'self'"]);
    assert.deepEqual(directives.get('frame-ancestors'), ["'none'"]);
    assert.deepEqual(directives.get('object-src'), ["'none'"]);
    assert.ok(!csp.includes("'unsafe-inline'") && !csp.includes("'unsafe-eval'"));
    assert.ok(directives.get('connect-src')?.includes('https://identitytoolkit.googleapis.com'));
    assert.ok(directives.get('form-action')?.includes('https://accounts.google.com'));
  });

  it('sends HSTS and a Referrer-Policy that still lets POSTs carry their Origin', () => {
    assert.match(headerValue('Strict-Transport-Security'), /^max-age=31536000/);
    // Under no-referrer the Fetch standard sends `Origin: null` on POSTs, which the functions' origin check would
    // refuse.
    assert.equal(headerValue('Referrer-Policy'), 'strict-origin-when-cross-origin');
  });

  it('the local gateway adds only the local Auth emulator and Google stand-in origins to the CSP', () => {
    const local = withLocalOrigins(
      "default-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'",
      {
        connect: ['http://127.0.0.1:6099'],
        formAction: ['http://localhost:6070'],
      },
    );
    assert.equal(
      local,
      "default-src 'self'; connect-src 'self' http://127.0.0.1:6099; form-action 'self' http://localhost:6070; frame-ancestors 'none'",
    );
  });

  it('the local gateway serves the pages with the same headers, so the browser tests run under the CSP', async () => {
    const port = await freePort();
    const webConfig = {
      apiKey: 'k',
      authDomain: 'localhost',
      projectId: 'demo-x',
      authEmulatorUrl: 'http://127.0.0.1:6099',
    };
    const gateway = await startGateway(port, 'http://127.0.0.1:9', webConfig, {
      connect: ['http://127.0.0.1:6099'],
      formAction: [],
    });
    try {
      const response = await fetch(`http://127.0.0.1:${port}/t/acme/login`);
      assert.equal(response.status, 200);
      assert.equal(
        response.headers.get('content-security-policy'),
        withLocalOrigins(headerValue('Content-Security-Policy'), {
          connect: ['http://127.0.0.1:6099'],
          formAction: [],
        }),
      );
      assert.equal(response.headers.get('strict-transport-security'), headerValue('Strict-Transport-Security'));
      assert.equal(response.headers.get('referrer-policy'), 'strict-origin-when-cross-origin');
      await response.arrayBuffer();
    } finally {
      await gateway.close();
    }
  });

  it("adds Hosting's headers to a function's responses too, keeping those the function sets itself", async () => {
    // A functions host whose ssoCallback sets its own CSP, as the refusal page does, and whose adminApi sets none.
    const functions = createHttpServer((req, res) => {
      if (req.url?.startsWith('/ssoCallback/')) res.setHeader('Content-Security-Policy', "default-src 'none'");
      res.end('ok');
    });
    const functionsPort = await new Promise<number>((resolve) =>
      functions.listen(0, '127.0.0.1', () => resolve((functions.address() as AddressInfo).port)),
    );
    const port = await freePort();
    const gateway = await startGateway(port, `http://127.0.0.1:${functionsPort}`, {
      apiKey: 'k',
      authDomain: 'localhost',
      projectId: 'demo-x',
      authEmulatorUrl: '',
    });
    try {
      const api = await fetch(`http://127.0.0.1:${port}/api/health`);
      assert.equal(await api.text(), 'ok');
      assert.equal(
        api.headers.get('content-security-policy'),
        withLocalOrigins(headerValue('Content-Security-Policy'), { connect: [], formAction: [] }),
      );
      assert.equal(api.headers.get('strict-transport-security'), headerValue('Strict-Transport-Security'));
      const page = await fetch(`http://127.0.0.1:${port}/sso/google/callback?code=x`);
      assert.equal(await page.text(), 'ok');
      assert.equal(page.headers.get('content-security-policy'), "default-src 'none'");
      assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    } finally {
      await gateway.close();
      await new Promise((resolve) => functions.close(resolve));
    }
  });
});

function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
