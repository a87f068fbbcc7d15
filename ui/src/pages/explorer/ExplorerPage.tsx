import { PageHeader } from '../../components/ui';

export function ExplorerPage() {
  return <PageHeader title="Explorer" subtitle="This page is being built." />;
}
