/**
 * Policy administration: an administrator adopts a preset or the authority's own pack, with the day it takes effect,
 * after checking it and seeing its impact; every version is kept with who adopted it and when, and any two can be
 * compared rule by rule. Adopting marks every subject's stored obligations to be worked out again at once.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { Clock } from './clock.ts';
import { londonDate } from './clock.ts';
import { audit, type Actor } from './audit.ts';
import type { PolicyStore, PolicyParts } from './policy-store.ts';
import { workOutImpact, type Impact } from './policy-impact.ts';
import {
  isPresetId,
  listPresets,
  parsePolicyPack,
  presetText,
  versionInForce,
  type PolicyError,
  type PolicyPack,
  type PolicyVersion,
} from '../policy/index.ts';
import { compareVersions, type VersionComparison } from '../policy/compare.ts';
import {
  bumpPolicyGeneration,
  deleteCandidatesBefore,
  findCandidate,
  insertCandidate,
  insertVersion,
  markCandidateAdopted,
  updatePreview,
  type Candidate,
} from '../repositories/policy-versions.ts';
import { markAllDirty } from '../repositories/obligations.ts';
import { lockAuthority } from '../repositories/authority.ts';
import type { Executor } from '../repositories/types.ts';

/** A preview that has not moved for this long was stopped (its instance ended): it is started again. */
export const PREVIEW_STALE_MS = 60_000;
/** Packs checked for adoption are kept this long. */
const CANDIDATE_DAYS = 7;

/** What is to be adopted: a preset by id, or a pack's text with its file name. */
export type PackSource = { preset: string } | { text: string; fileName: string };

export type ProposeResult =
  | { ok: true; id: string }
  | { ok: false; field: 'preset'; message: string }
  | { ok: false; field: 'file'; errors: PolicyError[] };

export type AdoptNowResult =
  | { ok: true; versionId: string; packName: string; version: string }
  | { ok: false; field: 'preset' | 'effectiveFrom'; message: string }
  | { ok: false; field: 'file'; errors: PolicyError[] };

/** One entry of the history: the preset chosen at set-up, or an adopted version. */
export interface HistoryEntry {
  /** 'setup' for the preset chosen at set-up, else the adopted version's id. */
  id: string;
  packName: string;
  version: string;
  /** null for the set-up preset: from its own first version on. */
  effectiveFrom: string | null;
  source: string;
  adoptedBy: string | null;
  adoptedAt: string;
  /** The version of the pack in force from its date, to compare. */
  policyVersion: PolicyVersion | null;
  problems: PolicyError[];
}

export interface CandidateView {
  candidate: Candidate;
  pack: PolicyPack;
  version: PolicyVersion;
  /** The version in force on the day it would take effect, as things are. */
  current: { name: string; version: PolicyVersion };
  comparison: VersionComparison;
  impact: Impact | null;
}

function sourceOf(preset: string | null, fileName: string | null): string {
  return preset ? `Preset ${preset}` : `Uploaded file ${fileName ?? ''}`.trim();
}

export function createPolicyAdmin(database: Db, clock: Clock, store: PolicyStore) {
  const { db } = database;
  const today = () => londonDate(clock.now());
  const running = new Map<string, Promise<void>>();

  function parse(source: PackSource): { ok: true; pack: PolicyPack; text: string } | ProposeResult {
    if ('preset' in source) {
      if (!isPresetId(source.preset)) return { ok: false, field: 'preset', message: 'Select a preset policy' };
      const text = presetText(source.preset);
      const parsed = parsePolicyPack(text, `preset:${source.preset}`);
      if (!parsed.ok) return { ok: false, field: 'file', errors: parsed.errors };
      return { ok: true, pack: parsed.pack, text };
    }
    const parsed = parsePolicyPack(source.text, source.fileName);
    if (!parsed.ok) return { ok: false, field: 'file', errors: parsed.errors };
    return { ok: true, pack: parsed.pack, text: source.text };
  }

  /** The pack as things are, and with the candidate adopted after every other version. */
  function packsFor(parts: PolicyParts, c: { pack: PolicyPack; effectiveFrom: string }, on: string) {
    return { current: store.combine(parts, on), proposed: store.combine(parts, on, c) };
  }

  /** Works out a candidate's impact, in batches, keeping its progress where any instance can read it. */
  async function runPreview(c: Candidate, pack: PolicyPack): Promise<void> {
    const parts = await store.load();
    const { current, proposed } = packsFor(parts, { pack, effectiveFrom: c.effectiveFrom }, c.previewOn);
    try {
      const impact = await workOutImpact(db, current, proposed, c.previewOn, (done, total) =>
        updatePreview(db, c.id, { status: 'running', done, total, at: clock.now().toISOString() }),
      );
      await updatePreview(db, c.id, {
        status: 'done',
        done: impact.subjects,
        total: impact.subjects,
        at: clock.now().toISOString(),
        result: JSON.stringify(impact),
      });
    } catch (err) {
      await updatePreview(db, c.id, { status: 'failed', done: 0, total: 0, at: clock.now().toISOString() });
      throw err;
    }
  }

  /** Starts a candidate's preview in the background on this instance (once). */
  function startPreview(c: Candidate, pack: PolicyPack): void {
    if (running.has(c.id)) return;
    const job = runPreview(c, pack)
      .catch(() => undefined)
      .finally(() => running.delete(c.id));
    running.set(c.id, job);
  }

  /** Stores an adopted version, in the caller's transaction (the authority locked): the policy moves on at once. */
  async function storeVersion(
    trx: Executor,
    versionId: string,
    pack: PolicyPack,
    v: { effectiveFrom: string; preset: string | null; fileName: string | null; packText: string },
    actor: Actor,
  ): Promise<void> {
    const now = clock.now();
    await insertVersion(trx, {
      id: versionId,
      effectiveFrom: v.effectiveFrom,
      preset: v.preset,
      fileName: v.fileName,
      packText: v.packText,
      packName: pack.name,
      versionLabel: versionInForce(pack, v.effectiveFrom).version,
      adoptedBy: actor.userId,
      adoptedAt: now.toISOString(),
    });
    await bumpPolicyGeneration(trx);
    await markAllDirty(trx);
    await audit(trx, actor, now, 'adopt', 'policy-version', versionId);
  }

  return {
    presets: () => listPresets(),

    /**
     * Checks a pack for adoption and keeps it, with the day it would take effect and the day to preview; its impact
     * is then worked out in the background.
     */
    async propose(
      source: PackSource,
      effectiveFrom: string,
      previewOn: string,
      actor: Actor & { userId: string },
    ): Promise<ProposeResult> {
      const parsed = parse(source);
      if (!parsed.ok || !('pack' in parsed)) return parsed as ProposeResult;
      const now = clock.now();
      const c = {
        id: randomUUID(),
        userId: actor.userId,
        preset: 'preset' in source ? source.preset : null,
        fileName: 'preset' in source ? null : source.fileName,
        packText: parsed.text,
        effectiveFrom,
        previewOn,
        createdAt: now.toISOString(),
        previewStatus: 'running' as const,
        previewUpdatedAt: now.toISOString(),
      };
      await db.transaction().execute(async (trx) => {
        // those checked more than a week ago and never adopted are of no use any more
        await deleteCandidatesBefore(trx, new Date(now.getTime() - CANDIDATE_DAYS * 86_400_000).toISOString());
        await insertCandidate(trx, c);
        await audit(trx, actor, now, 'check-policy', 'policy-candidate', c.id);
      });
      const stored = (await findCandidate(db, c.id, actor.userId))!;
      startPreview(stored, parsed.pack);
      return { ok: true, id: c.id };
    },

    /** A candidate of this administrator, checked, compared and with its impact when worked out. */
    async candidate(id: string, actor: Actor & { userId: string }): Promise<CandidateView | undefined> {
      const c = await findCandidate(db, id, actor.userId);
      if (!c) return undefined;
      const oldest = new Date(clock.now().getTime() - CANDIDATE_DAYS * 86_400_000).toISOString();
      if (c.createdAt < oldest && !c.adoptedVersionId) return undefined;
      const parsed = parsePolicyPack(c.packText, c.fileName ?? `preset:${c.preset ?? ''}`);
      if (!parsed.ok) return undefined;
      const stale = clock.now().getTime() - Date.parse(c.previewUpdatedAt) > PREVIEW_STALE_MS;
      if (c.previewStatus === 'running' && stale && !running.has(c.id)) startPreview(c, parsed.pack);
      const parts = await store.load();
      const currentPack = store.combine(parts, c.effectiveFrom);
      const current = versionInForce(currentPack, c.effectiveFrom);
      const version = versionInForce(parsed.pack, c.effectiveFrom);
      await audit(db, actor, clock.now(), 'read', 'policy-candidate', c.id);
      return {
        candidate: c,
        pack: parsed.pack,
        version,
        current: { name: currentPack.name, version: current },
        comparison: compareVersions(current, version),
        impact: c.previewStatus === 'done' && c.previewResult ? (JSON.parse(c.previewResult) as Impact) : null,
      };
    },

    /** Adopts a checked candidate: stored as a version, every subject's obligations to be worked out again. */
    async adopt(id: string, actor: Actor & { userId: string }): Promise<{ ok: true; versionId: string } | undefined> {
      const c = await findCandidate(db, id, actor.userId);
      if (!c || c.adoptedVersionId) return undefined;
      const parsed = parsePolicyPack(c.packText, c.fileName ?? `preset:${c.preset ?? ''}`);
      if (!parsed.ok) return undefined;
      const versionId = randomUUID();
      const adopted = await db.transaction().execute(async (trx) => {
        await lockAuthority(trx);
        if (!(await markCandidateAdopted(trx, c.id, versionId))) return false;
        await storeVersion(trx, versionId, parsed.pack, c, actor);
        return true;
      });
      return adopted ? { ok: true, versionId } : undefined;
    },

    /**
     * Adopts a preset or a pack at once, without a candidate or an impact preview (the command line): checked as the
     * web's are, stored as a version, every subject's obligations to be worked out again, audited as an adoption.
     */
    async adoptNow(source: PackSource, effectiveFrom: string, actor: Actor): Promise<AdoptNowResult> {
      if (effectiveFrom < today()) {
        return { ok: false, field: 'effectiveFrom', message: `must be today (${today()}) or in the future` };
      }
      const parsed = parse(source);
      if (!parsed.ok || !('pack' in parsed)) return parsed as AdoptNowResult;
      const versionId = randomUUID();
      const stored = {
        effectiveFrom,
        preset: 'preset' in source ? source.preset : null,
        fileName: 'preset' in source ? null : source.fileName,
        packText: parsed.text,
      };
      await db.transaction().execute(async (trx) => {
        await lockAuthority(trx);
        await storeVersion(trx, versionId, parsed.pack, stored, actor);
      });
      return {
        ok: true,
        versionId,
        packName: parsed.pack.name,
        version: versionInForce(parsed.pack, effectiveFrom).version,
      };
    },

    /** Every version: the preset chosen at set-up, then each adopted, in the order adopted. */
    async history(): Promise<HistoryEntry[]> {
      const parts = await store.load();
      const base = parts.base;
      const baseLatest = base.versions[base.versions.length - 1]!;
      return [
        {
          id: 'setup',
          packName: base.name,
          version: base.versions.length > 1 ? base.versions.map((v) => v.version).join(', ') : baseLatest.version,
          effectiveFrom: null,
          source: `Preset ${parts.preset}, chosen at set-up`,
          adoptedBy: null,
          adoptedAt: parts.setUpAt,
          policyVersion: versionInForce(base, today()),
          problems: [],
        },
        ...parts.adopted.map((v) => ({
          id: v.id,
          packName: v.packName,
          version: v.versionLabel,
          effectiveFrom: v.effectiveFrom,
          source: sourceOf(v.preset, v.fileName),
          adoptedBy: v.adoptedByName,
          adoptedAt: v.adoptedAt,
          policyVersion: v.pack ? versionInForce(v.pack, v.effectiveFrom) : null,
          problems: v.errors,
        })),
      ];
    },

    /** The waiting previews (tests, and an orderly shutdown). */
    settled: () => Promise.all([...running.values()]).then(() => undefined),
  };
}

/** The entry of the history in force on a day: the adopted version with the latest date on or before it. */
export function entryInForce(history: readonly HistoryEntry[], on: string): HistoryEntry {
  let found = history[0]!;
  let best = '';
  for (const e of history) {
    if (e.effectiveFrom !== null && e.effectiveFrom <= on && e.effectiveFrom >= best) {
      found = e;
      best = e.effectiveFrom;
    }
  }
  return found;
}

export type PolicyAdmin = ReturnType<typeof createPolicyAdmin>;
