/**
 * Policy administration (administrators): adopting a preset or the authority's own pack from a date, after checking
 * it and previewing its impact; the authority's closure days. Comparing two versions is open to anyone who may read
 * the policy.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import multipart from '@fastify/multipart';
import type { Services } from '../../../services/index.ts';
import type { PolicyError } from '../../../policy/index.ts';
import { compareVersions } from '../../../policy/compare.ts';
import { CHANGE_KINDS, CHANGE_LABEL } from '../../../services/policy-impact.ts';
import { actorOf, renderErrors } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { dateItems, str, type DateParts, type FormErrors } from '../../forms.ts';
import { addError, bodyOf, idParam, line, readDates } from '../../fields.ts';

const ADMIN = { access: ['administrator'] as const };
const ADOPT = 'policy-admin/adopt.njk';
const CANDIDATE = 'policy-admin/candidate.njk';
const COMPARE = 'policy-admin/compare.njk';
const CLOSURES = 'policy-admin/closure-days.njk';
/** The largest pack file accepted: the presets are about 30 KB. */
export const MAX_PACK_BYTES = 500 * 1024;

interface Upload {
  filename: string;
  bytes: Buffer;
  truncated: boolean;
}

interface AdoptValues {
  source?: string;
  effective?: DateParts;
  preview?: DateParts;
}

/** A pack's problems as error summary entries: the line and the path in the pack, then what is wrong. */
export function packErrorList(errors: readonly PolicyError[]) {
  return errors.map((e) => ({
    text: `${e.line ? `Line ${e.line}: ` : ''}${e.path ? `${e.path}: ` : ''}${e.message}`,
    href: '#file',
  }));
}

export function policyAdminRoutes(services: Services): FastifyPluginAsync {
  const { policyAdmin, closureDays } = services;
  const today = () => services.policy.today();

  function adoptForm(reply: FastifyReply, values: AdoptValues, errors: FormErrors, packErrors?: PolicyError[]) {
    const context = {
      title: 'Adopt a policy version',
      sourceItems: [
        ...policyAdmin.presets().map((p) => ({
          value: `preset:${p.id}`,
          text: p.name,
          hint: { text: `Preset ${p.id}, version ${p.version}` },
          checked: values.source === `preset:${p.id}`,
        })),
        { divider: 'or' },
        {
          value: 'upload',
          text: 'The authority’s own policy pack',
          hint: { text: 'Upload it below' },
          checked: values.source === 'upload',
        },
      ],
      effectiveItems: dateItems(values.effective, Boolean(errors['effective'])),
      previewItems: dateItems(values.preview, Boolean(errors['preview'])),
      maxKb: MAX_PACK_BYTES / 1024,
      today: today(),
    };
    if (packErrors) {
      const n = packErrors.length;
      return reply.code(400).view(ADOPT, {
        ...context,
        errors: {
          ...errors,
          file: { text: `The policy pack has ${n} problem${n === 1 ? '' : 's'}: see the list above`, href: '#file' },
        },
        errorList: packErrorList(packErrors),
      });
    }
    return Object.keys(errors).length ? renderErrors(reply, ADOPT, errors, context) : reply.view(ADOPT, context);
  }

  return async (app) => {
    // Multipart bodies on this feature's routes only, bounded: one small file, a few small fields.
    await app.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: MAX_PACK_BYTES, files: 1, fields: 12, parts: 13, fieldSize: 1024 },
      async onFile(part) {
        const bytes = await part.toBuffer();
        (part as unknown as { value: Upload }).value = {
          filename: part.filename,
          bytes,
          truncated: part.file.truncated,
        };
      },
    });

    app.get(paths.policyAdmin.adopt, { config: ADMIN }, async (_request, reply) => adoptForm(reply, {}, {}));

    app.post(paths.policyAdmin.adopt, { config: ADMIN }, async (request, reply) => {
      const body = bodyOf(request);
      const source = str(body['source']);
      const errors: FormErrors = {};
      const dates = readDates(
        body,
        { effective: { label: 'date it takes effect' }, preview: { label: 'day to preview', optional: true } },
        errors,
      );
      const values: AdoptValues = { source, effective: dates.effective.parts, preview: dates.preview.parts };
      const effective = dates.effective.value;
      if (effective && effective < today()) {
        addError(errors, 'effective', 'The date it takes effect must be today or in the future', '#effective-day');
      }
      const file = body['file'] as Upload | undefined;
      const hasFile = Boolean(file && typeof file === 'object' && file.bytes && file.bytes.length > 0);
      let text = '';
      if (!source) addError(errors, 'source', 'Select a preset or the authority’s own policy pack', '#source');
      else if (source === 'upload') {
        if (!hasFile) addError(errors, 'file', 'Select the policy pack file', '#file');
        else if (file!.truncated) addError(errors, 'file', `The file must be smaller than ${MAX_PACK_BYTES / 1024} KB`);
        else if (!/\.(ya?ml|json)$/i.test(file!.filename)) {
          addError(errors, 'file', 'The selected file must be YAML (.yaml or .yml) or JSON (.json)');
        } else {
          text = file!.bytes.toString('utf8');
          if (text.includes('\uFFFD')) addError(errors, 'file', 'The file must be saved as UTF-8');
        }
      } else if (!source.startsWith('preset:')) {
        addError(errors, 'source', 'Select a preset or the authority’s own policy pack', '#source');
      } else if (hasFile) {
        addError(errors, 'file', 'Choose the authority’s own policy pack to upload a file, or remove the file');
      }
      if (Object.keys(errors).length || !effective) {
        // in the order of the fields on the page
        const ordered: FormErrors = {};
        for (const k of ['source', 'file', 'effective', 'preview']) if (errors[k]) ordered[k] = errors[k];
        return adoptForm(reply, values, ordered);
      }
      const actor = { ...actorOf(request), userId: request.user!.id };
      const result = await policyAdmin.propose(
        source === 'upload' ? { text, fileName: file!.filename } : { preset: source.slice('preset:'.length) },
        effective,
        dates.preview.value ?? effective,
        actor,
      );
      if (!result.ok) {
        if (result.field === 'preset')
          return adoptForm(reply, values, { source: { text: result.message, href: '#source' } });
        return adoptForm(reply, values, {}, result.errors);
      }
      return reply.redirect(paths.policyAdmin.candidate(result.id), 303);
    });

    app.get(paths.policyAdmin.candidate(), { config: ADMIN }, async (request, reply) => {
      const id = idParam(request);
      const actor = { ...actorOf(request), userId: request.user!.id };
      const view = id ? await policyAdmin.candidate(id, actor) : undefined;
      if (!view) return reply.callNotFound();
      return reply.view(CANDIDATE, {
        title: view.candidate.adoptedVersionId ? 'Policy version adopted' : 'Check the new policy version',
        view,
        kinds: CHANGE_KINDS.map((k) => ({ key: k, label: CHANGE_LABEL[k] })),
        anyChange: view.impact ? CHANGE_KINDS.some((k) => view.impact!.totals[k] > 0) : false,
        stillWorking: view.candidate.previewStatus === 'running',
      });
    });

    app.post(paths.policyAdmin.candidate(), { config: ADMIN }, async (request, reply) => {
      const id = idParam(request);
      if (!id) return reply.callNotFound();
      const actor = { ...actorOf(request), userId: request.user!.id };
      const done = await policyAdmin.adopt(id, actor);
      if (!done) {
        const view = await policyAdmin.candidate(id, actor);
        // adopted already (a second click): the page says so
        if (view) return reply.redirect(paths.policyAdmin.candidate(id), 303);
        return reply.callNotFound();
      }
      return reply.redirect(paths.policyAdmin.candidate(id), 303);
    });

    // Anyone who may read the policy may compare its versions.
    app.get(paths.policyAdmin.compare, async (request, reply) => {
      const query = (request.query ?? {}) as Record<string, unknown>;
      const history = await policyAdmin.history();
      const from = str(query['from']);
      const to = str(query['to']);
      const a = history.find((h) => h.id === from);
      const b = history.find((h) => h.id === to);
      const items = (chosen: string) =>
        history.map((h) => ({
          value: h.id,
          text: `${h.packName} ${h.version}${h.effectiveFrom ? ` from ${h.effectiveFrom}` : ' (chosen at set-up)'}`,
          selected: h.id === chosen,
        }));
      const context = { title: 'Compare policy versions', fromItems: items(from), toItems: items(to) };
      if (!from && !to) return reply.view(COMPARE, context);
      const errors: FormErrors = {};
      if (!a?.policyVersion) errors['from'] = { text: 'Select the version to compare from', href: '#from' };
      if (!b?.policyVersion) errors['to'] = { text: 'Select the version to compare with', href: '#to' };
      if (Object.keys(errors).length) return renderErrors(reply, COMPARE, errors, context);
      return reply.view(COMPARE, {
        ...context,
        a,
        b,
        comparison: compareVersions(a!.policyVersion!, b!.policyVersion!),
      });
    });

    async function closuresPage(reply: FastifyReply, values: Record<string, unknown>, errors: FormErrors) {
      const context = {
        title: 'Closure days',
        closures: await closureDays.list(),
        values,
        firstItems: dateItems(values['first'] as DateParts | undefined, Boolean(errors['first'])),
        lastItems: dateItems(values['last'] as DateParts | undefined, Boolean(errors['last'])),
      };
      return Object.keys(errors).length
        ? renderErrors(reply, CLOSURES, errors, context)
        : reply.view(CLOSURES, context);
    }

    app.get(paths.policyAdmin.closureDays, { config: ADMIN }, async (_request, reply) => closuresPage(reply, {}, {}));

    app.post(paths.policyAdmin.closureDays, { config: ADMIN }, async (request, reply) => {
      const body = bodyOf(request);
      const errors: FormErrors = {};
      const dates = readDates(
        body,
        { first: { label: 'first day' }, last: { label: 'last day', optional: true } },
        errors,
      );
      const reasonField = line('reason', 100).safeParse(str(body['reason']));
      if (!reasonField.success) addError(errors, 'reason', reasonField.error.issues[0]!.message);
      const yearly = str(body['yearly']) === 'yes';
      const values = {
        first: dates.first.parts,
        last: dates.last.parts,
        yearly,
        reason: str(body['reason']),
      };
      if (Object.keys(errors).length || !dates.first.value || !reasonField.success) {
        return closuresPage(reply, values, errors);
      }
      const result = await closureDays.add(
        {
          firstDay: dates.first.value,
          lastDay: dates.last.value ?? dates.first.value,
          yearly,
          reason: reasonField.data,
        },
        actorOf(request),
      );
      if (!result.ok) return closuresPage(reply, values, { last: { text: result.message, href: '#last-day' } });
      return reply.redirect(paths.policyAdmin.closureDays, 303);
    });

    app.post(paths.policyAdmin.removeClosure(), { config: ADMIN }, async (request, reply) => {
      const id = idParam(request);
      if (!id || !(await closureDays.remove(id, actorOf(request)))) return reply.callNotFound();
      return reply.redirect(paths.policyAdmin.closureDays, 303);
    });
  };
}
