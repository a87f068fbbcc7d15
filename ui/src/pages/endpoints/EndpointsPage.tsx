import { PageHeader } from '../../components/ui';

export function EndpointsPage() {
  return <PageHeader title="Endpoints" subtitle="This page is being built." />;
}
