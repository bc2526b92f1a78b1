import request from 'supertest';
import { startTestApp, TestApp } from '../helpers/test-app';
import { usesRedis } from '../helpers/test-config';

describe('health checks', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers liveness without a session', async () => {
    const response = await request(t.http).get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('reports the database (and Redis when configured) ready', async () => {
    const response = await request(t.http).get('/readyz');
    expect(response.status).toBe(200);
    expect(response.body.checks.database).toBe('ok');
    if (usesRedis()) expect(response.body.checks.redis).toBe('ok');
  });

  it('answers 503 naming the database when it is unreachable', async () => {
    const broken = await startTestApp();
    await broken.sequelize.close();
    try {
      const response = await request(broken.http).get('/readyz');
      expect(response.status).toBe(503);
      expect(response.body.failing).toEqual(['database']);
    } finally {
      await broken.close().catch(() => undefined);
    }
  });
});
