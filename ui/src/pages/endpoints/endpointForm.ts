import type { TlsMode } from '../../api/models';

export interface EndpointForm {
  name: string;
  upstreamHost: string;
  upstreamPort: string;
  defaultDatabase: string;
  tlsMode: TlsMode;
  caCertificatePem: string;
  brokerUser: string;
  brokerPassword: string;
  testUser: string;
  testPassword: string;
}

export const emptyForm: EndpointForm = {
  name: '',
  upstreamHost: '',
  upstreamPort: '5432',
  defaultDatabase: '',
  tlsMode: 'require',
  caCertificatePem: '',
  brokerUser: '',
  brokerPassword: '',
  testUser: '',
  testPassword: '',
};

/** What is wrong with the form before anything is sent, by field. */
export function validateForm(form: EndpointForm): Partial<Record<keyof EndpointForm, string>> {
  const problems: Partial<Record<keyof EndpointForm, string>> = {};
  if (!form.upstreamHost.trim()) problems.upstreamHost = 'The database server’s host name or address.';
  else if (/\s|\//.test(form.upstreamHost.trim())) problems.upstreamHost = 'A host name or address only, without a scheme, path or spaces.';
  const port = Number(form.upstreamPort);
  if (!Number.isInteger(port) || port < 1 || port > 65535) problems.upstreamPort = 'A port from 1 to 65535.';
  if (form.name && !/^[a-z0-9][a-z0-9-]{0,40}$/.test(form.name)) problems.name = 'Lower-case letters, digits and dashes.';
  if (form.tlsMode === 'verify-full' && !form.caCertificatePem.includes('BEGIN CERTIFICATE')) {
    problems.caCertificatePem = 'verify-full needs the CA certificate (PEM) that signed the server’s certificate.';
  }
  if (form.brokerPassword && !form.brokerUser) problems.brokerUser = 'The database role the password belongs to.';
  return problems;
}

/** The settings body the API takes (docs/api.md, Endpoints). */
export function settingsBody(form: EndpointForm): Record<string, unknown> {
  return {
    upstreamHost: form.upstreamHost.trim(),
    upstreamPort: Number(form.upstreamPort),
    defaultDatabase: form.defaultDatabase.trim() || undefined,
    tlsMode: form.tlsMode,
    caCertificatePem: form.tlsMode === 'verify-full' ? form.caCertificatePem : undefined,
    broker: form.brokerUser ? { user: form.brokerUser, password: form.brokerPassword || undefined } : undefined,
  };
}
