/**
 * The answer of a service call that changes something: done (with the id of what changed), or refused with the field
 * to show the reason against. `conflict` marks a record changed by someone else since it was read: the person is
 * shown the record as it is now and asked to make their change again.
 */
export type Outcome<T = string> =
  { ok: true; id: T } | { ok: false; field: string; message: string; conflict?: boolean };

export function refuse(field: string, message: string): { ok: false; field: string; message: string } {
  return { ok: false, field, message };
}

export const CONFLICT = {
  ok: false as const,
  field: 'version',
  message:
    'Someone else changed this record while you were editing it. Check it as it is now and make your change again.',
  conflict: true,
};

/** Thrown inside a transaction to undo it and answer with a refusal. */
export class Refusal extends Error {
  constructor(readonly outcome: { ok: false; field: string; message: string; conflict?: boolean }) {
    super(outcome.message);
  }
}

/** Runs `fn`, turning a Refusal thrown inside it into its outcome. */
export async function refusable<T>(fn: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Refusal) return e.outcome;
    throw e;
  }
}
