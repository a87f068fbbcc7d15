import { PageHeader } from '../../components/ui';

export function KeysPage() {
  return <PageHeader title="Keys" subtitle="This page is being built." />;
}
