import { PageHeader } from '../../components/ui';

export function EndpointPage({ id }: { id: string }) {
  return <PageHeader title={`Endpoint ${id}`} subtitle="This page is being built." />;
}
