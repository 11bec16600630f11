// Firebase Auth for the console. Hosting serves the project's web config at /__/firebase/init.json; the local
// gateway serves the same file, adding the Auth emulator's address.
import { initializeApp } from 'firebase/app';
import { connectAuthEmulator, getAuth, type Auth } from 'firebase/auth';

interface WebConfig {
  readonly apiKey: string;
  readonly authDomain: string;
  readonly projectId: string;
  readonly authEmulatorUrl?: string;
}

/** Initialises Firebase Auth from Hosting's web config. */
export async function initAuth(): Promise<Auth> {
  const response = await fetch('/__/firebase/init.json');
  if (!response.ok) throw new Error('The Firebase web configuration is not available.');
  const config = (await response.json()) as WebConfig;
  const auth = getAuth(initializeApp(config));
  if (config.authEmulatorUrl) connectAuthEmulator(auth, config.authEmulatorUrl, { disableWarnings: true });
  return auth;
}
