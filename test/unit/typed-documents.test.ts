// Firestore documents parsed at the edge (functions/src/platform/typed-documents.ts), without I/O: a document of the
// wrong shape is a coded error naming its path and fields, and fields no schema names are kept as stored.
import assert from 'node:assert/strict';
import { z } from 'zod';
import { AppError, isTransient } from '../../functions/src/errors.ts';
import { documentSchema, MalformedDocument, parseDocument } from '../../functions/src/platform/typed-documents.ts';

interface Sample {
  readonly name: string;
  readonly count?: number;
}

const sample = documentSchema<Sample>()({ name: z.string(), count: z.number().int().optional() });
const PATH = 'tenants/acme/samples/one';

function malformed(data: unknown): MalformedDocument {
  try {
    parseDocument(sample, data, PATH);
  } catch (error) {
    assert.ok(error instanceof MalformedDocument, String(error));
    return error;
  }
  assert.fail('the document was accepted');
}

describe('typed documents', () => {
  it('parses a document of the right shape, keeping the fields no schema names as stored', () => {
    const stored = { name: 'one', voicemail: { box: '201' } };
    assert.deepEqual(parseDocument(sample, stored, PATH), stored);
  });

  it('refuses a document of the wrong shape with an internal AppError that names its path and each wrong field', () => {
    const error = malformed({ name: 7, count: 'many' });
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'internal');
    assert.equal(error.httpStatus, 500);
    assert.equal(error.path, PATH);
    assert.match(error.message, /^Firestore document tenants\/acme\/samples\/one is malformed: /);
    assert.match(error.message, /name: /);
    assert.match(error.message, /count: /);
  });

  it('refuses a document that is no map at all, naming the document', () => {
    assert.match(malformed('text').message, /samples\/one is malformed: \(document\): /);
  });

  it('is not transient: a task meeting one fails at once rather than being redelivered', () => {
    assert.equal(isTransient(malformed({})), false);
  });
});
