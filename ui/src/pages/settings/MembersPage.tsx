import { PageHeader } from '../../components/ui';

export function MembersPage() {
  return <PageHeader title="Members" subtitle="This page is being built." />;
}
