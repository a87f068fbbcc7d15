import { PageHeader } from '../../components/ui';

export function EventPage({ id }: { id: string }) {
  return <PageHeader title={`Event ${id}`} subtitle="This page is being built." />;
}
