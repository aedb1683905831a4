// The production-dependency audit must tell three cases apart: clean, advisories found, and "the
// endpoint refused, nothing was checked" — the last one must never read as clean.
import { describe, expect, it } from 'vitest';
import { judgeAudit } from '../../scripts/audit-production.mjs';

const report = (vulnerabilities: Record<string, { severity: string }>) =>
  JSON.stringify({ auditReportVersion: 2, vulnerabilities, metadata: { vulnerabilities: {} } });

describe('audit-production', () => {
  it('is clean when no advisory is high or critical', () => {
    expect(judgeAudit(report({}))).toEqual({ state: 'clean' });
    expect(judgeAudit(report({ 'left-pad': { severity: 'moderate' } }))).toEqual({ state: 'clean' });
  });

  it('lists the high and critical packages', () => {
    const v = judgeAudit(report({ zlib: { severity: 'critical' }, acorn: { severity: 'high' }, x: { severity: 'low' } }));
    expect(v).toEqual({ state: 'advisories', packages: ['acorn (high)', 'zlib (critical)'] });
  });

  it('says "unchecked" with the reason when the endpoint refuses (as this sandbox does)', () => {
    const refused = JSON.stringify({ message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', statusCode: 405, error: { summary: '' } });
    expect(judgeAudit(refused)).toEqual({ state: 'unchecked', reason: expect.stringContaining('405') });
    expect(judgeAudit('npm ERR! something')).toMatchObject({ state: 'unchecked' });
  });
});
