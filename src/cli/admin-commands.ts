/**
 * Recovering an authority whose administrators cannot sign in, on the server itself (whoever can run this can read
 * the database anyway): `admin reset-password EMAIL` prints a one-use reset link (or a new invitation, for an account
 * whose person never set a password); `admin create EMAIL` makes an administrator's account and prints its invitation
 * link. Bad input exits 2 with a message, and changes nothing.
 */
import { ConfigError, loadConfig } from '../config.ts';
import type { IssuedLink } from '../services/account-links.ts';
import { paths } from '../web/paths.ts';
import { UsageError } from './errors.ts';
import { CLI_ACTOR, options, requireAuthority, withServices } from './data-commands.ts';

type Io = { out: NodeJS.WritableStream; err: NodeJS.WritableStream };

export const ADMIN_USAGE = `Usage:
  supervise admin reset-password EMAIL        print a one-use link for EMAIL's account to set a new password
  supervise admin create EMAIL [--name NAME]  create an administrator's account and print its invitation link`;

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001F\u007F\u2028\u2029]/;

function emailArgument(command: string, positionals: string[]): string {
  const [raw, ...extra] = positionals;
  if (!raw) throw new UsageError(`admin ${command}: the account's email address is required\n${ADMIN_USAGE}`);
  if (extra.length) throw new UsageError(`admin ${command}: unexpected argument '${extra[0]}'`);
  const email = raw.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254 || CONTROL.test(email)) {
    throw new UsageError(`admin ${command}: expected an email address like name@example.gov.uk, got '${raw}'`);
  }
  return email;
}

function publicUrl(env: NodeJS.ProcessEnv): string {
  try {
    return loadConfig({ ...env, NODE_ENV: env['NODE_ENV'] === 'production' ? 'production' : 'development' }).publicUrl;
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
}

function linkText(base: string, link: IssuedLink): string {
  const path = link.purpose === 'invitation' ? paths.invitation(link.token) : paths.resetPassword(link.token);
  const until = new Intl.DateTimeFormat('en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/London',
  }).format(link.expiresAt);
  const kind = link.purpose === 'invitation' ? 'Invitation link' : 'Password reset link';
  return `${kind} (works once, until ${until}, London time; give it to them by a separate channel):\n${base}${path}\n`;
}

async function resetPassword(args: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const { positionals } = options('admin reset-password', args, {}, true);
  const email = emailArgument('reset-password', positionals);
  const base = publicUrl(env);
  return withServices(env, async (services) => {
    await requireAuthority(services);
    const issued = await services.accounts.issueLinkForEmail(email, CLI_ACTOR);
    if (!issued.ok && issued.reason === 'unknown') {
      throw new UsageError(`admin reset-password: no account has the email address ${email}`);
    }
    if (!issued.ok) {
      throw new UsageError(
        `admin reset-password: ${email}'s account is deactivated: reactivate it first, or use \`supervise admin create\` with another address`,
      );
    }
    io.out.write(`${issued.user.name} (${email}):\n${linkText(base, issued.link)}`);
    return 0;
  });
}

async function create(args: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = options('admin create', args, { name: { type: 'string' } }, true);
  const email = emailArgument('create', positionals);
  const name = values.name?.trim();
  if (name !== undefined) {
    if (!name) throw new UsageError('admin create: --name: expected the person’s full name, got nothing');
    if (CONTROL.test(name)) throw new UsageError('admin create: --name: must not include control characters');
    if ([...name].length > 120) throw new UsageError('admin create: --name: expected 120 characters or fewer');
  }
  const base = publicUrl(env);
  return withServices(env, async (services) => {
    await requireAuthority(services);
    const made = await services.accounts.createAdministrator(email, name ?? null, CLI_ACTOR);
    if (!made.ok) {
      throw new UsageError(
        `admin create: ${email} already has an account: use \`supervise admin reset-password ${email}\``,
      );
    }
    const staff = made.staffName ? `, linked to ${made.staffName}'s staff record` : '';
    io.out.write(`Created an administrator's account for ${made.user.name} (${email})${staff}.\n`);
    io.out.write(linkText(base, made.link));
    return 0;
  });
}

export async function runAdminCommand(args: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'reset-password') return resetPassword(rest, io, env);
  if (sub === 'create') return create(rest, io, env);
  throw new UsageError(
    sub ? `admin: unknown command '${sub}'\n${ADMIN_USAGE}` : `admin: which command?\n${ADMIN_USAGE}`,
  );
}
