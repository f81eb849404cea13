// Frozen in time: never import application code here.
//
// The authority's casework data: staff records (whether or not the person signs in) with their job as dated
// periods, who supervises whom between staff records, children with their status episodes, flags and
// allocations, sessions held (as the case system or Supervise recorded them), the organisation's history, and a
// store of every revision of a record. Existing supervision arrangements between sign-in accounts become
// arrangements between staff records made from those accounts (see the note at the data step).
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const instant = pg ? sql`timestamptz` : sql`text`;
  const date = pg ? sql`date` : sql`text`;
  const serial = pg ? sql`bigserial` : sql`integer`;
  const real = pg ? sql`double precision` : sql`real`;

  // --- organisation: current state on the row, dated history in *_periods ------------------------------------
  for (const table of ['services', 'teams']) {
    await db.schema.alterTable(table).addColumn('ref', 'text').execute();
    await db.schema.alterTable(table).addColumn('name_key', 'text').execute();
    await db.schema.alterTable(table).addColumn('opened_on', date).execute();
    await db.schema.alterTable(table).addColumn('closed_on', date).execute();
    await db.schema
      .alterTable(table)
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.alterTable(table).addColumn('updated_at', instant).execute();
  }
  const today = pg ? sql`(created_at at time zone 'Europe/London')::date` : sql`substr(created_at, 1, 10)`;
  for (const table of ['services', 'teams']) {
    await sql`update ${sql.table(table)} set name_key = lower(trim(name)), opened_on = ${today}, updated_at = created_at`.execute(
      db,
    );
  }
  await db.schema.createIndex('services_ref').on('services').column('ref').unique().execute();
  await db.schema.createIndex('teams_ref').on('teams').column('ref').unique().execute();
  await db.schema.createIndex('services_by_name').on('services').column('name_key').execute();
  await db.schema.createIndex('teams_by_name').on('teams').columns(['service_id', 'name_key']).execute();

  await db.schema
    .createTable('service_periods')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
    .addColumn('valid_from', date, (c) => c.notNull())
    .addColumn('valid_to', date)
    .addColumn('name', 'text', (c) => c.notNull())
    .addCheckConstraint('service_periods_dates', sql`valid_to is null or valid_to >= valid_from`)
    .execute();
  await db.schema
    .createIndex('service_periods_service')
    .on('service_periods')
    .columns(['service_id', 'valid_from'])
    .execute();
  await sql`insert into service_periods (service_id, valid_from, valid_to, name) select id, opened_on, null, name from services`.execute(
    db,
  );

  await db.schema
    .createTable('team_periods')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
    .addColumn('valid_from', date, (c) => c.notNull())
    .addColumn('valid_to', date)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
    .addCheckConstraint('team_periods_dates', sql`valid_to is null or valid_to >= valid_from`)
    .execute();
  await db.schema.createIndex('team_periods_team').on('team_periods').columns(['team_id', 'valid_from']).execute();
  await sql`insert into team_periods (team_id, valid_from, valid_to, name, service_id) select id, opened_on, null, name, service_id from teams`.execute(
    db,
  );

  // --- staff records -------------------------------------------------------------------------------------------
  await db.schema
    .createTable('staff')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ref', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('started', date, (c) => c.notNull())
    .addColumn('left_on', date)
    .addColumn('asye_started', date)
    .addColumn('new_to_statutory_work', date)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', instant, (c) => c.notNull())
    .addColumn('updated_at', instant, (c) => c.notNull())
    .addCheckConstraint('staff_dates', sql`left_on is null or left_on >= started`)
    .execute();
  await db.schema.createIndex('staff_ref').on('staff').column('ref').unique().execute();
  await db.schema.createIndex('staff_email').on('staff').column('email').unique().execute();
  await db.schema.createIndex('staff_by_name').on('staff').column('name_key').execute();

  await db.schema
    .createTable('staff_periods')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('valid_from', date, (c) => c.notNull())
    .addColumn('valid_to', date)
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.references('teams.id'))
    .addColumn('case_holding', 'integer', (c) => c.notNull())
    .addColumn('employment', 'text')
    .addColumn('hours', real)
    .addCheckConstraint('staff_periods_dates', sql`valid_to is null or valid_to >= valid_from`)
    .addCheckConstraint('staff_periods_hours', sql`hours is null or (hours > 0 and hours <= 1)`)
    .execute();
  await db.schema.createIndex('staff_periods_staff').on('staff_periods').columns(['staff_id', 'valid_from']).execute();
  await db.schema.createIndex('staff_periods_team').on('staff_periods').columns(['team_id', 'valid_from']).execute();

  await db.schema
    .createTable('supervision_arrangements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('supervisor_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('supervisee_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('from_date', date, (c) => c.notNull())
    .addColumn('to_date', date)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', instant, (c) => c.notNull())
    .addColumn('updated_at', instant, (c) => c.notNull())
    .addCheckConstraint('arrangement_dates', sql`to_date is null or to_date >= from_date`)
    .addCheckConstraint('arrangement_not_self', sql`supervisor_id <> supervisee_id`)
    .execute();
  await db.schema
    .createIndex('arrangements_supervisee')
    .on('supervision_arrangements')
    .columns(['supervisee_id', 'from_date'])
    .execute();
  await db.schema
    .createIndex('arrangements_supervisor')
    .on('supervision_arrangements')
    .columns(['supervisor_id', 'from_date'])
    .execute();

  // A sign-in account may belong to a staff record (a person); administrators' accounts need not.
  await db.schema
    .alterTable('users')
    .addColumn('staff_id', 'text', (c) => c.references('staff.id'))
    .execute();
  await db.schema.createIndex('users_staff').on('users').column('staff_id').unique().execute();

  // --- children --------------------------------------------------------------------------------------------------
  await db.schema
    .createTable('children')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('date_of_birth', date)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', instant, (c) => c.notNull())
    .addColumn('updated_at', instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('children_ref').on('children').column('ref').unique().execute();

  for (const [table, column] of [
    ['child_episodes', 'status'],
    ['child_flags', 'flag'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn('id', serial, (c) => c.primaryKey())
      .addColumn('child_id', 'text', (c) => c.notNull().references('children.id'))
      .addColumn(column, 'text', (c) => c.notNull())
      .addColumn('from_date', date, (c) => c.notNull())
      .addColumn('to_date', date)
      .addCheckConstraint(`${table}_dates`, sql`to_date is null or to_date >= from_date`)
      .execute();
    await db.schema.createIndex(`${table}_child`).on(table).columns(['child_id', 'from_date']).execute();
  }
  await db.schema
    .createTable('child_allocations')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('child_id', 'text', (c) => c.notNull().references('children.id'))
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('from_date', date, (c) => c.notNull())
    .addColumn('to_date', date)
    .addCheckConstraint('child_allocations_dates', sql`to_date is null or to_date >= from_date`)
    .execute();
  await db.schema
    .createIndex('child_allocations_child')
    .on('child_allocations')
    .columns(['child_id', 'from_date'])
    .execute();
  await db.schema
    .createIndex('child_allocations_staff')
    .on('child_allocations')
    .columns(['staff_id', 'from_date'])
    .execute();

  // --- sessions held: what the policy engine counts -------------------------------------------------------------
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ref', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('held_on', date, (c) => c.notNull())
    .addColumn('supervisor_id', 'text', (c) => c.references('staff.id'))
    .addColumn('team_id', 'text', (c) => c.references('teams.id'))
    .addColumn('recorded_on', date)
    .addColumn('shared_on', date)
    .addColumn('minutes', 'integer')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', instant, (c) => c.notNull())
    .addColumn('updated_at', instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_ref').on('sessions').column('ref').unique().execute();
  await db.schema.createIndex('sessions_team').on('sessions').columns(['team_id', 'held_on']).execute();
  await db.schema.createIndex('sessions_held_on').on('sessions').column('held_on').execute();
  await db.schema
    .createTable('session_supervisees')
    .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('session_supervisees_pk', ['session_id', 'staff_id'])
    .execute();
  await db.schema.createIndex('session_supervisees_staff').on('session_supervisees').column('staff_id').execute();
  await db.schema
    .createTable('session_children')
    .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('child_id', 'text', (c) => c.notNull().references('children.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('session_children_pk', ['session_id', 'child_id'])
    .execute();
  await db.schema.createIndex('session_children_child').on('session_children').column('child_id').execute();

  // --- every revision of a record, kept whole ----------------------------------------------------------------------
  await db.schema
    .createTable('revisions')
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('at', instant, (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('revisions_pk', ['object_type', 'object_id', 'version'])
    .execute();

  // --- data: arrangements between accounts become arrangements between staff records ------------------------------
  // Every account that takes part in an arrangement, is in a team or holds cases was a member of staff: it gets a
  // staff record with the same id, started on the earlier of the account's creation and its first arrangement. Its
  // job roles were never recorded, so they are inferred and should be checked by an administrator: team-manager for
  // a supervisor (app role manager), social-worker for a case holder, business-support otherwise.
  const people = await sql<{
    id: string;
    name: string;
    email: string;
    created_at: string;
    case_holding: number;
    team_id: string | null;
    manager: number;
    first_from: string | null;
  }>`
    select u.id, u.name, u.email, u.created_at, u.case_holding, u.team_id,
      (select count(*) from user_roles r where r.user_id = u.id and r.role = 'manager') as manager,
      (select min(s.from_date) from supervision_relationships s
         where s.supervisor_id = u.id or s.supervisee_id = u.id) as first_from
    from users u
    where u.case_holding = 1 or u.team_id is not null
      or exists (select 1 from supervision_relationships s where s.supervisor_id = u.id or s.supervisee_id = u.id)
  `.execute(db);
  for (const p of people.rows) {
    const createdOn = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(p.created_at));
    const firstFrom = p.first_from === null ? null : String(p.first_from).slice(0, 10);
    const started = firstFrom !== null && firstFrom < createdOn ? firstFrom : createdOn;
    const roles =
      Number(p.manager) > 0 ? 'team-manager' : Number(p.case_holding) === 1 ? 'social-worker' : 'business-support';
    await sql`insert into staff (id, ref, name, name_key, email, started, version, created_at, updated_at)
      values (${p.id}, null, ${p.name}, ${p.name.trim().toLowerCase()}, ${p.email}, ${started}, 1, ${p.created_at}, ${p.created_at})`.execute(
      db,
    );
    await sql`insert into staff_periods (staff_id, valid_from, valid_to, roles, team_id, case_holding)
      values (${p.id}, ${started}, null, ${roles}, ${p.team_id}, ${Number(p.case_holding)})`.execute(db);
    await sql`update users set staff_id = ${p.id} where id = ${p.id}`.execute(db);
  }
  await sql`insert into supervision_arrangements (id, supervisor_id, supervisee_id, from_date, to_date, version, created_at, updated_at)
    select id, supervisor_id, supervisee_id, from_date, to_date, 1, created_at, created_at from supervision_relationships`.execute(
    db,
  );
  await db.schema.dropTable('supervision_relationships').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('The casework migration cannot be undone: restore the database from a backup taken before it.');
}
