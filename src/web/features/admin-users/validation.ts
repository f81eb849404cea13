import { z } from 'zod';
import { line } from '../../fields.ts';
import { ROLES } from '../../../services/roles.ts';
import { emailField } from '../../validation.ts';

export const userFields = ['name', 'email', 'roles', 'staffId'] as const;

export const userSchema = z.object({
  name: line('full name', 120, { empty: 'Enter the person’s full name' }),
  email: emailField('Enter the person’s email address'),
  roles: z.array(z.enum(ROLES, { message: 'Select roles from the list' })).min(1, 'Select at least one role'),
  staffId: z.string(),
});
