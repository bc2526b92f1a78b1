import type { AppConfig } from '../config/app-config';
import type { WriteTransactions } from '../database/write-transactions';
import { JobQueue } from '../jobs/job-queue';
import { JobQueueUnavailableError } from '../jobs/queues';
import { Clock } from './clock';
import { InviteDto } from './dto/invite.dto';
import { InvitationsService } from './invitations.service';

/** The service with in-memory stand-ins: these specs are about what it does when the queue refuses. */
function serviceWith(add: JobQueue['add']) {
  const created: object[] = [];
  const invitations = {
    findOne: jest.fn().mockResolvedValue(null),
    create: jest.fn((values: object) => {
      created.push(values);
      return Promise.resolve({ id: 'invitation-1', ...values });
    }),
  };
  const accounts = { findByEmail: jest.fn().mockResolvedValue(null) };
  const transactions = {
    run: (work: (t: object) => Promise<unknown>) => work({ LOCK: { UPDATE: 'UPDATE' } }),
  } as unknown as WriteTransactions;
  // The real JobQueue.offer on top of a stand-in add.
  const enqueue = jest.fn(add);
  const jobs = Object.assign(Object.create(JobQueue.prototype) as JobQueue, {
    add: enqueue,
    addRepeatable: jest.fn(),
    durable: true,
  });
  const config = { baseUrl: 'http://localhost', inviteTtlHours: 48, sessionSecret: 'x'.repeat(40) } as AppConfig;
  const service = new InvitationsService(
    invitations as never,
    { create: jest.fn(), findAll: jest.fn().mockResolvedValue([]) } as never,
    accounts as never,
    {} as never,
    {} as never,
    transactions,
    jobs,
    new Clock(),
    config,
  );
  return { service, created, enqueue };
}

const invite = (email: string) => Object.assign(new InviteDto(), { email, role: 'MEMBER' });

describe('InvitationsService.invite when the mail queue is unavailable', () => {
  it('keeps the invitation and reports the mail as not queued', async () => {
    const { service, created } = serviceWith(() =>
      Promise.reject(new JobQueueUnavailableError('Redis did not accept the job in time')),
    );
    const outcome = await service.invite(null, invite('someone@example.test'));
    expect(outcome).toMatchObject({ kind: 'invited', mailQueued: false });
    expect(created).toHaveLength(1);
  });

  it('reports the mail as queued when the queue takes it', async () => {
    const { service, enqueue } = serviceWith(() => Promise.resolve());
    const outcome = await service.invite(null, invite('someone@example.test'));
    expect(outcome).toMatchObject({ kind: 'invited', mailQueued: true });
    expect(enqueue).toHaveBeenCalledWith(
      'mail',
      'invitation',
      expect.objectContaining({ invitationId: 'invitation-1' }),
      expect.objectContaining({ jobId: expect.stringMatching(/^invitation:invitation-1:/) as unknown }),
    );
  });
});
