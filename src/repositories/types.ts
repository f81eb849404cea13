import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Repositories take either the database or an open transaction: the caller owns the transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
