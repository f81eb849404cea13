import { z } from 'zod';
import { line } from '../../fields.ts';
import { emailField, newPasswordFields, passwordNotAbout, passwordsMatch } from '../../validation.ts';

export const PRESETS = [
  {
    id: 'systemic-4x4x4',
    name: 'Systemic practice (4x4x4 model)',
    hint: 'Monthly supervision, case supervision every 2 or 3 months by the child’s status.',
  },
  {
    id: 'gloucestershire',
    name: 'Gloucestershire',
    hint: 'Four-weekly professional supervision, case supervision every 4 or 8 weeks by the child’s status.',
  },
] as const;

export const setupFields = [
  'setupCode',
  'authorityName',
  'policyPreset',
  'adminName',
  'adminEmail',
  'password',
  'confirmPassword',
] as const;

const text = (empty: string, max: number, long: string) => z.string().trim().min(1, empty).max(max, long);

export const setupSchema = z
  .object({
    setupCode: text(
      'Enter the set-up code from the server’s log',
      64,
      'The set-up code is not correct: copy it from the server’s log',
    ),
    authorityName: line('authority name', 120, { empty: 'Enter the name of your authority' }),
    policyPreset: z.enum(['systemic-4x4x4', 'gloucestershire'], { message: 'Select the supervision policy' }),
    adminName: line('full name', 120, { empty: 'Enter your full name' }),
    adminEmail: emailField('Enter your email address'),
    ...newPasswordFields,
  })
  .superRefine(passwordsMatch)
  .superRefine(passwordNotAbout((v) => ({ name: v.adminName, email: v.adminEmail })));
