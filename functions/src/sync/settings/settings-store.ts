// Reading and saving the "User Synchronization" settings.
import type { Firestore } from '@google-cloud/firestore';
import { syncPaths } from '../../tenants/paths.ts';
import { DEFAULT_SETTINGS, parseSyncSettings, type SyncSettings } from './settings.ts';

/** The tenant's saved settings, or the defaults; `saved` tells which. */
export async function readSyncSettings(
  db: Firestore,
  tenantId: string,
): Promise<{ settings: SyncSettings; saved: boolean }> {
  const stored = (await syncPaths(db, tenantId).settings.get()).data();
  if (!stored) return { settings: DEFAULT_SETTINGS, saved: false };
  const { updatedAt: _updatedAt, ...settings } = stored;
  return { settings: parseSyncSettings(settings), saved: true };
}

/** Validates and saves the settings. */
export async function saveSyncSettings(db: Firestore, tenantId: string, input: unknown): Promise<SyncSettings> {
  const settings = parseSyncSettings(input);
  await syncPaths(db, tenantId).settings.set({ ...settings, updatedAt: new Date().toISOString() });
  return settings;
}
