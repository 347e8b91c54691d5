import { Http, type HttpResult } from './http.js';

/** The approver the helpers add: four-eyes needs someone who wrote none of what they approve. */
export const SECOND_APPROVER = {
  username: 'lanh-dao-duyet',
  password: 'Duyet-noi-dung-2030!',
} as const;

/** One item of `GET /api/approvals`. */
export interface QueueItem {
  planId: string;
  kind: 'content' | 'playlists' | 'schedules' | 'announcements';
  id: string;
  status: string;
  revision: number;
  authors: { userId: string; username?: string }[];
  pending: unknown;
  approved: { revision: number; value: unknown; by: { userId: string; username?: string } } | null;
}

/** Logs in the second approver, whom `admin` makes on first use. */
export async function secondApprover(admin: Http): Promise<Http> {
  const created = await admin.request('POST', '/api/users', {
    ...SECOND_APPROVER,
    role: 'approver',
  });
  if (created.status !== 201 && created.status !== 409) {
    throw new Error(`cannot make the approver: ${created.status} ${JSON.stringify(created.body)}`);
  }
  return Http.login(admin.baseUrl, SECOND_APPROVER.username, SECOND_APPROVER.password);
}

/** The pending items (of one plan, or of all). */
export async function pendingItems(http: Http, planId?: string): Promise<QueueItem[]> {
  const query = planId === undefined ? '' : `?planId=${encodeURIComponent(planId)}`;
  const res = await http.request<QueueItem[]>('GET', `/api/approvals${query}`);
  if (res.status !== 200) throw new Error(`queue: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Approves every pending item (of one plan, or of all) at the revision the queue shows. */
export async function approveAll(approver: Http, planId?: string): Promise<QueueItem[]> {
  const pending = await pendingItems(approver, planId);
  const byPlan = new Map<string, QueueItem[]>();
  for (const item of pending) byPlan.set(item.planId, [...(byPlan.get(item.planId) ?? []), item]);
  for (const [plan, items] of byPlan) {
    const res = await approver.request('POST', `/api/plans/${plan}/approvals/approve`, {
      items: items.map(({ kind, id, revision }) => ({ kind, id, revision })),
    });
    if (res.status !== 200) throw new Error(`approve: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return pending;
}

/** Everything pending is approved by the second approver, then `admin` publishes. */
export async function approveAndPublish<T = { version: number; hash: string }>(
  admin: Http,
  body: { note?: string } = {},
): Promise<HttpResult<T>> {
  await approveAll(await secondApprover(admin));
  return admin.request<T>('POST', '/api/releases', body);
}
