import { PageHeader } from '../../components/ui';

export function SessionsPage() {
  return <PageHeader title="Sessions" subtitle="This page is being built." />;
}
