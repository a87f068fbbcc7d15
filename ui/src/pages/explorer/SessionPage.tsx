import { PageHeader } from '../../components/ui';

export function SessionPage({ id }: { id: string }) {
  return <PageHeader title={`Session ${id}`} subtitle="This page is being built." />;
}
