// Shapes of the REST API's answers that more than one page uses (docs/api.md is the reference).

export interface TenantMembership {
  tenantId: string;
  displayName: string;
  memberId: string;
  role: Role;
}

export type Role = 'owner' | 'admin' | 'auditor' | 'developer';

export interface Me {
  memberId: string;
  email: string;
  role: Role;
  tenant: TenantMembership;
  tenants: TenantMembership[];
  permissions: string[];
  credential: 'session' | 'api-key' | 'personal-access-token' | 'configured-key';
  csrfToken?: string;
}

export interface Page<T> {
  items: T[];
  next?: string | null;
}
