import { PageHeader } from '../../components/ui';

export function NewEndpointPage() {
  return <PageHeader title="Connect a database" subtitle="This page is being built." />;
}
