import { z } from 'zod';
import { passwordProblem } from '../services/passwords.ts';

/** Fields shared by several forms, with the GOV.UK wording for their errors. */
export const emailField = (empty: string) =>
  z
    .string()
    .trim()
    .min(1, empty)
    .max(254, 'Email address must be 254 characters or fewer')
    .email('Enter an email address in the correct format, like name@example.gov.uk');

/** A new password and its confirmation. */
export const newPasswordFields = {
  password: z.string().superRefine((p, ctx) => {
    const problem = p.length === 0 ? 'Enter a password' : passwordProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  confirmPassword: z.string(),
};

/** Refinement for a schema with newPasswordFields: the confirmation must match. */
export function passwordsMatch(v: { password: string; confirmPassword: string }, ctx: z.RefinementCtx): void {
  if (v.password && v.confirmPassword !== v.password) {
    ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'Passwords do not match' });
  }
}
