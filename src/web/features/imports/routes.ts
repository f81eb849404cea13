import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import multipart from '@fastify/multipart';
import type { Services } from '../../../services/index.ts';
import { KEEPS_RECORDS } from '../../../services/access.ts';
import { CSV_COLUMNS, CSV_KINDS, isCsvKind } from '../../../services/csv-import.ts';
import { actorOf, renderErrors } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { str, type FormErrors } from '../../forms.ts';
import { bodyOf, idParam } from '../../fields.ts';

const KEEPERS = { access: KEEPS_RECORDS };
const FORM = 'imports/index.njk';
const PREVIEW = 'imports/preview.njk';
/** The largest CSV file accepted: a large authority's staff or children, with room to spare. */
export const MAX_CSV_BYTES = 20 * 1024 * 1024;

const KIND_TEXT: Record<(typeof CSV_KINDS)[number], string> = {
  teams: 'Teams',
  staff: 'Staff',
  children: 'Children',
  episodes: 'Children’s status episodes',
  allocations: 'Children’s allocations to workers',
  flags: 'Children’s flags',
};

interface Upload {
  filename: string;
  bytes: Buffer;
  truncated: boolean;
}

export function importRoutes(services: Services): FastifyPluginAsync {
  const { uploads } = services;

  const kindItems = (chosen: string) =>
    CSV_KINDS.map((k) => ({
      value: k,
      text: KIND_TEXT[k],
      hint: { text: `Columns: ${CSV_COLUMNS[k].join(', ')}` },
      checked: k === chosen,
    }));

  function form(reply: FastifyReply, kind: string, errors: FormErrors, problems?: unknown[]) {
    const context = {
      title: 'Import a CSV file',
      kindItems: kindItems(kind),
      problems,
      maxMb: MAX_CSV_BYTES / 1024 / 1024,
    };
    return Object.keys(errors).length ? renderErrors(reply, FORM, errors, context) : reply.view(FORM, context);
  }

  return async (app) => {
    // Multipart bodies on this feature's routes only, bounded: one file, a few small fields.
    await app.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: MAX_CSV_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 1024 },
      async onFile(part) {
        const bytes = await part.toBuffer();
        (part as unknown as { value: Upload }).value = {
          filename: part.filename,
          bytes,
          truncated: part.file.truncated,
        };
      },
    });

    app.get(paths.imports.start, { config: KEEPERS }, async (_request, reply) => form(reply, '', {}));

    app.post(paths.imports.start, { config: KEEPERS }, async (request, reply) => {
      const body = bodyOf(request);
      const kind = str(body['kind']);
      const file = body['file'] as Upload | undefined;
      const errors: FormErrors = {};
      if (!isCsvKind(kind)) errors['kind'] = { text: 'Select what the file holds', href: '#kind' };
      if (!file || typeof file !== 'object' || !file.bytes || file.bytes.length === 0) {
        errors['file'] = { text: 'Select a CSV file', href: '#file' };
      } else if (file.truncated) {
        errors['file'] = { text: `The file must be smaller than ${MAX_CSV_BYTES / 1024 / 1024} MB`, href: '#file' };
      } else if (!/\.csv$/i.test(file.filename)) {
        errors['file'] = { text: 'The selected file must be a CSV', href: '#file' };
      }
      const text = file?.bytes ? file.bytes.toString('utf8') : '';
      if (!errors['file'] && text.includes('\uFFFD')) {
        errors['file'] = { text: 'The file must be saved as CSV UTF-8', href: '#file' };
      }
      if (Object.keys(errors).length || !isCsvKind(kind)) return form(reply, kind, errors);
      const actor = { ...actorOf(request), userId: request.user!.id };
      const checked = await uploads.check(kind, file!.filename, text, actor);
      if (!checked.ok) {
        const n = checked.errors.length;
        return form(
          reply,
          kind,
          {
            file: {
              text: `The file has ${n} problem${n === 1 ? '' : 's'}: nothing was imported. See the list below`,
              href: '#problems',
            },
          },
          checked.errors,
        );
      }
      return reply.redirect(paths.imports.upload(checked.id), 303);
    });

    app.get(paths.imports.upload(), { config: KEEPERS }, async (request, reply) => {
      const id = idParam(request);
      const upload = id ? await uploads.find(id, request.user!.id) : undefined;
      if (!upload) return reply.callNotFound();
      return reply.view(PREVIEW, {
        title: upload.importedAt ? 'File imported' : 'Check what will change',
        upload,
        kindText: KIND_TEXT[upload.kind],
        count: upload.counts?.[upload.counted],
      });
    });

    app.post(paths.imports.upload(), { config: KEEPERS }, async (request, reply) => {
      const id = idParam(request);
      if (!id) return reply.callNotFound();
      const actor = { ...actorOf(request), userId: request.user!.id };
      const upload = await uploads.find(id, actor.userId);
      if (!upload) return reply.callNotFound();
      if (upload.importedAt) return reply.redirect(paths.imports.upload(id), 303);
      const done = await uploads.confirm(id, actor);
      if (!done) return reply.callNotFound();
      if (!done.ok) {
        // the data changed since the check and the file no longer fits: show its problems as for a new file
        const n = done.errors.length;
        return form(
          reply,
          upload.kind,
          {
            file: {
              text: `The file now has ${n} problem${n === 1 ? '' : 's'}: nothing was imported. See the list below`,
              href: '#problems',
            },
          },
          done.errors,
        );
      }
      return reply.redirect(paths.imports.upload(id), 303);
    });
  };
}
