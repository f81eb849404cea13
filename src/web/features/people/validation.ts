/**
 * Reading the people forms: a person's details (name, reference, email, dates) and their job (roles, team, case
 * holding, employment, hours). Each reader returns the values to show again, the errors in the GOV.UK pattern
 * (one per field, in the order of the form) and, when there are none, what to give the service.
 */
import { z } from 'zod';
import { ROLES, ROLE_LABEL, type Role as JobRole } from '../../../policy/index.ts';
import type { Employment, StaffDetails } from '../../../repositories/staff.ts';
import type { Job } from '../../../services/people.ts';
import { str, strList, type DateParts, type FormErrors } from '../../forms.ts';
import { addError, line, readDates } from '../../fields.ts';

/** The fields of the forms, in their order on the page (the error summary follows it). */
export const FIELD_ORDER = [
  'version',
  'from',
  'name',
  'ref',
  'email',
  'started',
  'left',
  'asyeStarted',
  'newToStatutoryWork',
  'roles',
  'teamId',
  'caseHolding',
  'employment',
  'hours',
  'stage',
] as const;

/** Fields that are GOV.UK date inputs: their errors link to the day. */
export const DATE_FIELDS = ['from', 'started', 'left', 'asyeStarted', 'newToStatutoryWork'] as const;

/** The team select's choice for a person in no team (the empty value means nothing was chosen). */
export const NO_TEAM = 'none';

const EMAIL_FORMAT = 'Enter an email address in the correct format, like name@example.gov.uk';

const detailsSchema = z.object({
  name: line('full name', 120, { empty: 'Enter their full name' }),
  ref: line('reference', 50, { optional: true }),
  email: z
    .string()
    .trim()
    .max(254, 'Email address must be 254 characters or fewer')
    .refine((v) => v === '' || z.email().safeParse(v).success, EMAIL_FORMAT),
});

export interface DetailsValues {
  name: string;
  ref: string;
  email: string;
  started?: DateParts | undefined;
  left?: DateParts | undefined;
  asyeStarted?: DateParts | undefined;
  newToStatutoryWork?: DateParts | undefined;
}

export interface JobValues {
  roles: string[];
  teamId: string;
  caseHolding: string;
  employment: string;
  hours: string;
  stage: string;
}

/** Errors sorted into the order of the form. */
export function inFormOrder(errors: FormErrors): FormErrors {
  const out: FormErrors = {};
  for (const f of FIELD_ORDER) if (errors[f]) out[f] = errors[f];
  for (const [f, e] of Object.entries(errors)) if (!out[f]) out[f] = e;
  return out;
}

/**
 * Reads a person's details. `withLeaving` adds the leaving date (the edit form); a new person has none.
 */
export function readDetails(
  body: Record<string, unknown>,
  errors: FormErrors,
  withLeaving: boolean,
): { values: DetailsValues; details: StaffDetails | null } {
  const raw = { name: str(body['name']), ref: str(body['ref']), email: str(body['email']) };
  const parsed = detailsSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) addError(errors, String(issue.path[0]), issue.message);
  }
  const dates = readDates(
    body,
    {
      started: { label: 'start date' },
      left: { label: 'leaving date', optional: true },
      asyeStarted: { label: 'ASYE start date', optional: true },
      newToStatutoryWork: { label: 'statutory work start date', optional: true },
    },
    errors,
  );
  // a new person has no leaving date: the field is not on that form
  if (!withLeaving) delete errors['left'];
  const started = dates.started.value;
  const left = withLeaving ? dates.left.value : null;
  if (started && left && left < started) {
    addError(errors, 'left', 'The leaving date must be the same as or after the start date', '#left-day');
  }
  const values: DetailsValues = {
    ...raw,
    started: dates.started.parts,
    ...(withLeaving ? { left: dates.left.parts } : {}),
    asyeStarted: dates.asyeStarted.parts,
    newToStatutoryWork: dates.newToStatutoryWork.parts,
  };
  if (!parsed.success || !started || Object.keys(errors).length > 0) return { values, details: null };
  return {
    values,
    details: {
      name: parsed.data.name,
      ref: parsed.data.ref || null,
      email: parsed.data.email || null,
      started,
      left,
      asyeStarted: dates.asyeStarted.value,
      newToStatutoryWork: dates.newToStatutoryWork.value,
    },
  };
}

/** A stage name as the policy engine takes it (src/policy/facts.ts). */
const STAGE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const HOURS = /^(\d{1,2}(\.\d{1,6})?|\.\d{1,6})$/;

/** Reads a job: roles, team, case holding, employment and working hours. */
export function readJob(body: Record<string, unknown>, errors: FormErrors): { values: JobValues; job: Job | null } {
  const values: JobValues = {
    roles: strList(body['roles']),
    teamId: str(body['teamId']),
    caseHolding: str(body['caseHolding']),
    employment: str(body['employment']),
    hours: str(body['hours']).trim(),
    stage: str(body['stage']).trim(),
  };
  const roles = values.roles.filter((r): r is JobRole => (ROLES as readonly string[]).includes(r));
  if (values.roles.length === 0) addError(errors, 'roles', 'Select at least one job role');
  else if (roles.length !== values.roles.length) addError(errors, 'roles', 'Select job roles from the list');
  if (!values.teamId) addError(errors, 'teamId', 'Select their team, or No team');
  if (values.caseHolding !== 'yes' && values.caseHolding !== 'no') {
    addError(errors, 'caseHolding', 'Select whether they hold cases');
  }
  if (values.employment !== 'employee' && values.employment !== 'agency') {
    addError(errors, 'employment', 'Select whether they are an employee or agency staff');
  }
  let hours: number | null = null;
  if (!values.hours) addError(errors, 'hours', 'Enter their working hours as a fraction of full time, like 1 or 0.8');
  else if (!HOURS.test(values.hours)) addError(errors, 'hours', 'Working hours must be a number, like 1 or 0.8');
  else {
    hours = Number(values.hours);
    if (!(hours > 0 && hours <= 1)) {
      addError(errors, 'hours', 'Working hours must be more than 0 and no more than 1 (full time)');
    }
  }
  // typed as a person would ("Four weekly"), kept as the name a policy's rules use ("four-weekly")
  const stage = values.stage ? values.stage.toLowerCase().replace(/[\s_]+/g, '-') : null;
  if (stage !== null && (stage.length > 40 || !STAGE.test(stage))) {
    addError(
      errors,
      'stage',
      'Supervision stage must be 40 characters or fewer, of letters, numbers and hyphens, like four-weekly',
    );
  }
  if (Object.keys(errors).length > 0 || hours === null) return { values, job: null };
  return {
    values,
    job: {
      roles,
      teamId: values.teamId === NO_TEAM ? null : values.teamId,
      caseHolding: values.caseHolding === 'yes',
      employment: values.employment as Employment,
      hours,
      stage,
    },
  };
}

/** The values of the job form for a recorded job (to change it). */
export function jobValues(job: Job | null): JobValues {
  if (!job) return { roles: [], teamId: '', caseHolding: '', employment: '', hours: '', stage: '' };
  return {
    roles: [...job.roles],
    teamId: job.teamId ?? NO_TEAM,
    caseHolding: job.caseHolding ? 'yes' : 'no',
    employment: job.employment ?? '',
    hours: job.hours === null ? '' : String(job.hours),
    stage: job.stage ?? '',
  };
}

/** "Social worker, team manager". */
export function rolesText(roles: readonly JobRole[]): string {
  const text = roles.map((r) => ROLE_LABEL[r]).join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The job role checkboxes, as govukCheckboxes wants them. */
export function roleItems(chosen: readonly string[]) {
  return ROLES.map((r) => ({
    value: r,
    text: ROLE_LABEL[r].charAt(0).toUpperCase() + ROLE_LABEL[r].slice(1),
    checked: chosen.includes(r),
  }));
}
