import { z } from 'zod';
import { ROLES } from '../../../services/roles.ts';
import { passwordProblem } from '../../../services/passwords.ts';

export const userFields = ['name', 'email', 'roles', 'caseHolding', 'teamId', 'password', 'confirmPassword'] as const;

export const userSchema = z.object({
  name: z.string().trim().min(1, 'Enter the person’s full name').max(120, 'Full name must be 120 characters or fewer'),
  email: z
    .string()
    .trim()
    .min(1, 'Enter the person’s email address')
    .max(254, 'Email address must be 254 characters or fewer')
    .email('Enter an email address in the correct format, like name@example.gov.uk'),
  roles: z.array(z.enum(ROLES, { message: 'Select roles from the list' })).min(1, 'Select at least one role'),
  caseHolding: z.enum(['yes', 'no'], { message: 'Select whether this person holds cases' }),
  teamId: z.string(),
});

export const newUserSchema = userSchema
  .extend({
    password: z.string().superRefine((p, ctx) => {
      const problem = p.length === 0 ? 'Enter a password' : passwordProblem(p);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    confirmPassword: z.string(),
  })
  .superRefine((v, ctx) => {
    if (v.password && v.confirmPassword !== v.password) {
      ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'Passwords do not match' });
    }
  });
