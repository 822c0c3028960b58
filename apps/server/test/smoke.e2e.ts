import request from 'supertest';
import { dialects, startServer, type TestServer } from './harness';

describe.each(dialects())('server boot on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(dialect);
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers an unknown route with the error envelope', async () => {
    const res = await request(server.url).get('/api/no-such-route');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });

  it('answers a path that does not decode, and a form body, with the envelope', async () => {
    const path = await request(server.url).get('/api/chat-rooms/%E0%A4%A/messages');
    expect([path.status, path.body.error?.code]).toEqual([400, 'VALIDATION_FAILED']);
    const form = await request(server.url).post('/api/login').type('form').send('employeeId=a&password=b');
    expect([form.status, form.body.error?.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(form.body.error.message).toContain('application/json');
    const primitive = await request(server.url).post('/api/login').set('content-type', 'application/json').send('"admin"');
    expect([primitive.status, primitive.body.error?.code]).toEqual([400, 'MALFORMED_JSON']);
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const res = await request(server.url).post('/api/login').set('content-type', 'application/json').send('{"employeeId":');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MALFORMED_JSON');
  });

  it('publishes OpenAPI with every route of the contract', async () => {
    const res = await request(server.url).get('/api/docs/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/register', '/api/login', '/api/chat-rooms/{roomId}/mark-read']));
    // Paging and filters are documented as query parameters, from the same schemas the server parses with.
    const names = (path: string) => (res.body.paths[path].get.parameters as { name: string; in: string }[]).map((p) => `${p.in}:${p.name}`);
    expect(names('/api/chat-rooms')).toEqual(['query:cursor', 'query:limit']);
    expect(names('/api/users')).toEqual(expect.arrayContaining(['query:q', 'query:department', 'query:cursor', 'query:limit']));
    expect(names('/api/chat-rooms/{roomId}/messages')).toEqual(expect.arrayContaining(['path:roomId', 'query:before', 'query:after', 'query:limit']));
  });

  it('serves the API documentation page and its Swagger UI assets', async () => {
    const page = await request(server.url).get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('/api/docs/assets/swagger-ui-bundle.js');
    const bundle = await request(server.url).get('/api/docs/assets/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toMatch(/javascript/);
    expect(bundle.text).toContain('SwaggerUIBundle');
  });

  it('answers the API without an ETag (bodies are per user and change with every message)', async () => {
    const res = await request(server.url).get('/api/health');
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBeUndefined();
  });
});
