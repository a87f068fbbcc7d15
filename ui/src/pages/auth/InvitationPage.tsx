import { PageHeader } from '../../components/ui';

export function InvitationPage({ token }: { token: string }) {
  return <PageHeader title="Invitation" subtitle={`Token ${token.slice(0, 6)}…`} />;
}
