import { createLogger } from '../logging/logger';
import { LogLines } from '../testing/log-lines';
import { bodyParserProblems } from './bootstrap-service';

/** What leaves for an error raised before Nest's router (a real pino logger writing to a stream). */
function answer(error: Record<string, unknown>) {
  const lines = new LogLines();
  const sent: { status?: number; type?: string; body?: Record<string, unknown> } = {};
  const res = {
    status(code: number) {
      sent.status = code;
      return { type: (t: string) => ((sent.type = t), { send: (body: string) => void (sent.body = JSON.parse(body)) }) };
    },
  };
  bodyParserProblems(createLogger('test', 'info', lines))(error, { originalUrl: '/v1/events?phone=13812345678', method: 'POST' }, res, () => undefined);
  return { sent, log: lines.text() };
}

describe('errors before routing', () => {
  it('answers a malformed body 400 naming the rule', () => {
    const { sent } = answer({ status: 400, type: 'entity.parse.failed', message: 'Unexpected token' });
    expect(sent).toMatchObject({ status: 400, type: 'application/problem+json', body: { errors: [{ field: 'body', rule: 'isJson' }] } });
  });

  it('answers anything else as a bare 500: its message goes to the log, not to the client, and no query string is logged', () => {
    const { sent, log } = answer({ status: 500, message: 'stream read failed at /srv/meridian/secret-path', stack: 'Error: at …' });
    expect(sent.status).toBe(500);
    expect(JSON.stringify(sent.body)).not.toContain('secret-path');
    expect(sent.body).toMatchObject({ title: 'internal server error', status: 500 });
    expect(log).toContain('secret-path');
    expect(log).not.toContain('13812345678');
  });
});
