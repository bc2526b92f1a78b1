import { QueryTypes, Sequelize } from 'sequelize';
import request from 'supertest';
import { createUser, uniqueEmail } from '../helpers/factories';
import { Client, signIn, UNPOLY_MODAL } from '../helpers/http';
import { eventually } from '../helpers/eventually';
import { startTcpProxy, TcpProxy } from '../helpers/tcp-proxy';
import { startTestApp, TestApp } from '../helpers/test-app';
import { testDatabaseUrl, usesPostgres, usesRedis } from '../helpers/test-config';

const describeFaults = usesRedis() && usesPostgres() ? describe : describe.skip;

const FRIENDLY_503 = 'hticket cannot reach one of its services right now';

describeFaults('fault: PostgreSQL unreachable for a moment', () => {
  jest.setTimeout(60_000);
  let proxy: TcpProxy;
  let direct: Sequelize; // the test's own connection, around the proxy
  let t: TestApp;
  let m: Client;

  const projectsNamed = async (name: string) => {
    const [row] = await direct.query<{ projects: string; members: string }>(
      `SELECT count(DISTINCT p.id) AS projects, count(pm.user_id) AS members
         FROM projects p LEFT JOIN project_members pm ON pm.project_id = p.id WHERE p.name = :name`,
      { replacements: { name }, type: QueryTypes.SELECT },
    );
    return { projects: Number(row.projects), members: Number(row.members) };
  };
  const createProject = (name: string) =>
    m.agent
      .post('/projects')
      .set(UNPOLY_MODAL)
      .type('form')
      .send({ name, description: 'Made during a database fault test', _csrf: m.csrf });

  beforeAll(async () => {
    const url = new URL(testDatabaseUrl());
    proxy = await startTcpProxy(Number(url.port || 5432), url.hostname);
    direct = new Sequelize(testDatabaseUrl(), { logging: false });
    url.port = String(proxy.port);
    t = await startTestApp({ DATABASE_URL: url.toString() });
    const manager = await createUser(t, { role: 'MANAGER' });
    m = await signIn(t.http, manager.email);
    await m.page('/projects/new');
  });
  afterAll(async () => {
    proxy?.restore();
    await t?.close();
    await proxy?.close();
    await direct?.close();
  });

  it('answers a friendly 503 on pages, forms and /readyz while the database is away, writes nothing, and recovers by itself', async () => {
    const name = `Outage ${uniqueEmail('p')}`;
    proxy.cut();

    const page = await m.agent.get('/');
    expect(page.status).toBe(503);
    expect(page.type).toBe('text/html');
    expect(page.text).toContain(FRIENDLY_503);

    const modal = await m.agent.get('/projects/new').set(UNPOLY_MODAL);
    expect(modal.status).toBe(503);
    expect(modal.text).toContain(FRIENDLY_503);

    const form = await createProject(name);
    expect(form.status).toBe(503);
    expect(form.text).toContain(FRIENDLY_503);

    // As a load balancer asks: without a session cookie.
    const ready = await request(t.http).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.failing).toEqual(['database']);

    proxy.restore();
    // No restart, no action: the next requests get new connections.
    await eventually(async () => (await m.agent.get('/')).status === 200, 20_000, 100);
    expect((await request(t.http).get('/readyz')).status).toBe(200);
    expect(await projectsNamed(name)).toEqual({ projects: 0, members: 0 });
  });

  it('leaves nothing half written when the connection drops inside a transaction', async () => {
    const name = `Half ${uniqueEmail('p')}`;
    await m.page('/projects/new');
    // Project row inserted, connection gone before its first member is: both or neither.
    const dropped = proxy.cutWhen('INSERT INTO "project_members"');
    const response = await createProject(name);
    await dropped;
    expect(response.status).toBe(503);
    expect(response.text).toContain(FRIENDLY_503);
    proxy.restore();

    expect(await projectsNamed(name)).toEqual({ projects: 0, members: 0 });

    await eventually(async () => (await m.page('/projects/new')).status === 200, 20_000, 100);
    const again = await createProject(name);
    expect(again.status).toBe(200);
    expect(again.headers['x-up-accept-layer']).toBeDefined();
    expect(await projectsNamed(name)).toEqual({ projects: 1, members: 1 });
  });
});
