import { z } from 'zod';
import { IdSchema } from '../../playlists/index.js';
import {
  ItemRefSchema,
  RevisionRefSchema,
  type ApprovalService,
  type ItemRef,
} from '../plans/approval.js';
import { ApprovalStatusSchema, type Role } from '../state.js';
import { ApiError } from './errors.js';
import { ANY_ROLE, type ApiRoutes, type Caller } from './routes.js';

/** Who decides: approvers, and admins. */
const APPROVERS: readonly Role[] = ['admin', 'approver'];
/** Who may put drafts in the queue: whoever may edit one of the approval kinds. */
const SUBMITTERS: readonly Role[] = ['admin', 'editor', 'approver'];
const ADMINS: readonly Role[] = ['admin'];

const PlanParams = z.strictObject({ planId: IdSchema });
const QueueQuery = z.strictObject({
  planId: IdSchema.optional(),
  status: ApprovalStatusSchema.optional(),
});
const SubmitBody = z
  .strictObject({ items: z.array(ItemRefSchema).min(1).max(10_000).optional() })
  .optional();
const ApproveBody = z.strictObject({ items: z.array(RevisionRefSchema).min(1).max(10_000) });
const RejectBody = ApproveBody.extend({
  reason: z
    .string()
    .max(1000)
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(1, 'say why')),
});
const SettingsBody = z.strictObject({ fourEyes: z.boolean().optional() });

function callerId(caller: Caller | undefined): string {
  if (!caller) throw new ApiError('unauthenticated', 'log in or send a bearer token');
  return caller.user.id;
}

/** `content/s1@3`: how an item and its revision are named in audit details. */
function named(items: readonly (ItemRef & { revision?: number })[]): string[] {
  return items
    .slice(0, 200)
    .map((i) => `${i.kind}/${i.id}${i.revision === undefined ? '' : `@${i.revision}`}`);
}

/** The approval queue, submit / approve / reject, and the four-eyes setting. */
export function addApprovalRoutes(api: ApiRoutes, deps: { approvals: ApprovalService }): void {
  const { approvals } = deps;

  api.add({
    method: 'get',
    path: '/api/approvals',
    summary:
      'The approval queue: items by status (default pending), each with its authors, the version waiting and the last approved version',
    tag: 'approval',
    access: ANY_ROLE,
    query: QueueQuery,
    handler: ({ query }) => approvals.queue(query),
  });
  api.add({
    method: 'post',
    path: '/api/plans/:planId/approvals/submit',
    summary:
      'Submit drafts for approval (draft or rejected → pending); without `items`, every draft and rejected item of the plan',
    tag: 'approval',
    access: SUBMITTERS,
    params: PlanParams,
    body: SubmitBody,
    audit: 'approval.submit',
    handler: async ({ params, body, audit: note }) => {
      const submitted = await approvals.submit(params.planId, body?.items);
      note.details = { items: named(submitted), count: submitted.length };
      return { submitted };
    },
  });
  api.add({
    method: 'post',
    path: '/api/plans/:planId/approvals/approve',
    summary:
      'Approve pending items at the revisions you reviewed (all or nothing); nobody approves their own changes unless an admin relaxed four-eyes',
    tag: 'approval',
    access: APPROVERS,
    params: PlanParams,
    body: ApproveBody,
    audit: 'approval.approve',
    handler: async ({ params, body, caller, audit: note }) => {
      note.details = { items: named(body.items), count: body.items.length };
      await approvals.approve(params.planId, body.items, callerId(caller));
      return { approved: body.items };
    },
  });
  api.add({
    method: 'post',
    path: '/api/plans/:planId/approvals/reject',
    summary:
      'Reject pending items at the revisions you reviewed, with a reason; their last approved versions stay what is published',
    tag: 'approval',
    access: APPROVERS,
    params: PlanParams,
    body: RejectBody,
    audit: 'approval.reject',
    handler: async ({ params, body, caller, audit: note }) => {
      note.details = { items: named(body.items), count: body.items.length, reason: body.reason };
      await approvals.reject(params.planId, body.items, callerId(caller), body.reason);
      return { rejected: body.items, reason: body.reason };
    },
  });
  api.add({
    method: 'get',
    path: '/api/settings',
    summary: "The installation's settings (four-eyes approval)",
    tag: 'settings',
    access: ANY_ROLE,
    handler: () => approvals.settings(),
  });
  api.add({
    method: 'patch',
    path: '/api/settings',
    summary:
      'Change settings (admins): `fourEyes: false` lets an approver approve their own changes',
    tag: 'settings',
    access: ADMINS,
    body: SettingsBody,
    audit: 'settings.update',
    handler: async ({ body, audit: note }) => {
      note.target = 'settings';
      note.details = { ...body };
      return approvals.updateSettings(body);
    },
  });
}
