import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestController, type TestController } from '../helpers/controller.js';

describe('security headers', () => {
  let t: TestController;
  beforeAll(async () => {
    t = await startTestController({ embedAncestors: ['https://portal.example.gov.vn'] });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('sends a strict CSP without eval or inline script, nosniff, and no framing', async () => {
    for (const path of ['/api/health', '/player', '/api/openapi.json']) {
      const res = await fetch(`${t.url}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/unsafe-(eval|inline)/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('lets only the configured portal frame the public embed', async () => {
    const res = await fetch(`${t.url}/embed/portal`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain('frame-ancestors https://portal.example.gov.vn');
    expect(res.headers.get('x-frame-options')).toBeNull();
  });
});
