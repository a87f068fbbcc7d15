import { PageHeader } from '../../components/ui';

export function ExportsPage() {
  return <PageHeader title="Exports" subtitle="This page is being built." />;
}
