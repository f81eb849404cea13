import { z } from 'zod';
import { passwordProblem, type PasswordOwner } from '../services/passwords.ts';

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

/**
 * Refinement for a schema with newPasswordFields: the password must not contain the name or email address of the
 * person it is for. `whose` words the message: 'your' on their own forms, 'the person’s' on an administrator's.
 */
export function passwordNotAbout<T extends { password: string }>(owner: (v: T) => PasswordOwner, whose = 'your') {
  return (v: T, ctx: z.RefinementCtx): void => {
    if (!v.password || passwordProblem(v.password) !== null) return; // already reported on the field
    const problem = passwordProblem(v.password, owner(v), whose);
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
  };
}
