import { PageHeader } from '../../components/ui';

export function PoliciesPage() {
  return <PageHeader title="Policies" subtitle="This page is being built." />;
}
