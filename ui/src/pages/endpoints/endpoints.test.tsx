import { render, screen } from '@testing-library/react';
import { ConnectionTestResult } from './ConnectionTestResult';
import { emptyForm, settingsBody, validateForm } from './endpointForm';

describe('connect-a-database form', () => {
  it('names what is missing or wrong before anything is sent', () => {
    expect(validateForm(emptyForm).upstreamHost).toBeDefined();
    const form = { ...emptyForm, upstreamHost: 'postgres://db', upstreamPort: '70000', name: 'Bad Name', tlsMode: 'verify-full' as const };
    const problems = validateForm(form);
    expect(problems.upstreamHost).toMatch(/without a scheme/);
    expect(problems.upstreamPort).toMatch(/1 to 65535/);
    expect(problems.name).toBeDefined();
    expect(problems.caCertificatePem).toMatch(/CA certificate/);
    expect(validateForm({ ...emptyForm, upstreamHost: 'db.internal' })).toEqual({});
  });

  it('sends the settings the API takes, the CA only with verify-full and the broker only with a role', () => {
    const body = settingsBody({ ...emptyForm, upstreamHost: ' db ', upstreamPort: '6543', caCertificatePem: 'x', brokerPassword: 'p' });
    expect(body).toEqual({ upstreamHost: 'db', upstreamPort: 6543, defaultDatabase: undefined, tlsMode: 'require', caCertificatePem: undefined, broker: undefined });
    expect(settingsBody({ ...emptyForm, upstreamHost: 'db', brokerUser: 'app', brokerPassword: 'p' }).broker).toEqual({ user: 'app', password: 'p' });
  });

  it('shows each step of a failed connection test and what went wrong', () => {
    render(
      <ConnectionTestResult
        result={{
          ok: false,
          failedStep: 'tcp',
          error: 'connection refused by db:1: nothing listens there',
          loginTried: false,
          steps: [
            { name: 'dns', ok: true, durationMs: 1 },
            { name: 'tcp', ok: false, durationMs: 2, error: 'refused' },
          ],
        }}
      />,
    );
    expect(screen.getByRole('status')).toHaveTextContent('failed at TCP connection');
    expect(screen.getByRole('status')).toHaveTextContent('nothing listens there');
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
  });
});
