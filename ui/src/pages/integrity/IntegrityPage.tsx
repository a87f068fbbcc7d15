import { PageHeader } from '../../components/ui';

export function IntegrityPage() {
  return <PageHeader title="Integrity" subtitle="This page is being built." />;
}
