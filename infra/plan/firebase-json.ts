// firebase.json as the deploy plan reads it. Its Hosting rewrites name the region of each function they call, and
// firebase.json is written for stack.config.json's region; a deploy elsewhere gets a copy naming its own region.
import { readFileSync } from 'node:fs';

/** The parts of firebase.json the plan reads; everything else is kept as it is. */
export interface FirebaseJson {
  readonly hosting: {
    readonly rewrites: ReadonlyArray<{
      readonly source: string;
      readonly function?: { readonly functionId: string; readonly region?: string };
    }>;
  } & Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** Where a deploy to another region writes its copy; firebase-tools resolves the paths in it from the same folder. */
export const REGIONAL_FIREBASE_JSON = 'firebase.deploy.json';

/** Reads the repository's firebase.json. */
export function loadFirebaseJson(): FirebaseJson {
  return JSON.parse(readFileSync(new URL('../../firebase.json', import.meta.url), 'utf8')) as FirebaseJson;
}

/** firebase.json with every function rewrite pointed at `region`, or undefined when it already is. */
export function firebaseJsonForRegion(json: FirebaseJson, region: string): FirebaseJson | undefined {
  if (json.hosting.rewrites.every((rewrite) => rewrite.function === undefined || rewrite.function.region === region))
    return undefined;
  const rewrites = json.hosting.rewrites.map((rewrite) =>
    rewrite.function ? { ...rewrite, function: { ...rewrite.function, region } } : rewrite,
  );
  return { ...json, hosting: { ...json.hosting, rewrites } };
}
