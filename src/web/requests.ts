import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../repositories/users.ts';
import type { Actor } from '../services/audit.ts';
import type { Viewer } from '../services/access.ts';
import type { Role } from '../services/roles.ts';
import { errorList, type FormErrors } from './forms.ts';

/** Who may use a route: anyone, anyone signed in, or holders of one of the listed roles. */
export type Access = 'public' | 'signed-in' | readonly Role[];

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
    sessionId: string | null;
    /** The session waits for a second factor (request.user is then null). */
    awaitingCode: boolean;
    /** Signed in, but must enrol in two-factor sign-in before anything else. */
    mustEnrol: boolean;
    csrfToken: string;
    authorityName: string | null;
    /** Has people below them in the line today without a role that oversees: they see the oversight of those. */
    supervises: boolean;
  }
  interface FastifyReply {
    view(template: string, context?: Record<string, unknown>): FastifyReply;
  }
  interface FastifyContextConfig {
    access?: Access;
    /** Open to someone who must enrol in two-factor sign-in and has not yet. */
    beforeEnrolment?: boolean;
    /** The path holds a secret (a link's token): the log shows the route's pattern instead. */
    secretPath?: boolean;
    /** Open also to someone without the roles of `access` who supervises someone (request.supervises). */
    orSupervisor?: boolean;
  }
}

/** Who is asking, from where: what every audited service call is given. */
export function actorOf(request: FastifyRequest): Actor {
  return { userId: request.user?.id ?? null, ip: request.ip, requestId: String(request.id) };
}

/** Who is looking, for the services that decide what a person may see (signed-in routes only). */
export function viewerOf(request: FastifyRequest): Viewer {
  const user = request.user;
  if (!user) throw new Error('viewerOf called on a request with nobody signed in');
  return { userId: user.id, roles: user.roles, staffId: user.staffId };
}

/** Renders a form page again with its errors: status 400, input kept. */
export function renderErrors(
  reply: FastifyReply,
  template: string,
  errors: FormErrors,
  context: Record<string, unknown>,
): FastifyReply {
  return reply.code(400).view(template, { ...context, errors, errorList: errorList(errors) });
}
