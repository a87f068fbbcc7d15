import type { EndpointAddress } from '../../api/models';
import { CodeBlock } from '../../components/ui';

/** The endpoint's address and ready-to-paste connection strings, as the API renders them. */
export function ConnectionStrings({ address }: { address: EndpointAddress }) {
  const strings = address.connectionStrings;
  return (
    <section aria-labelledby="connect-title">
      <h2 id="connect-title">Connect through Tenants</h2>
      <p className="muted">{address.hint}</p>
      <CodeBlock label="psql" code={strings.psql} />
      <CodeBlock label="URI" code={strings.uri} />
      <CodeBlock label="JDBC" code={strings.jdbc} />
      <CodeBlock label="Npgsql" code={strings.npgsql} />
    </section>
  );
}
