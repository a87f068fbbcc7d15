using System.Globalization;

namespace Tenants.Grains.Jobs;

/// <summary>The README.md of an export bundle: what it holds and how an auditor checks it offline.</summary>
internal static class LedgerExportReadme
{
    public static string Text(string tenantId, string origin, string fileName, string exportId, long from, long to, int events) =>
        string.Create(CultureInfo.InvariantCulture, $$"""
        # Audit export {{exportId}}

        Tenant `{{tenantId}}`, ledger origin `{{origin}}`: {{events}} events, with the ledger's blocks and signed
        checkpoints from tree size {{from}} to {{to}} that cover them.

        ## What is in this bundle

        | File | What it is |
        |---|---|
        | `manifest.json` | The ledger bundle's manifest (format `tenants-ledger-bundle`), read by `tenants-verify`. |
        | `keys/<key id>.pem` | The public keys that signed the checkpoints, as the service publishes them. |
        | `checkpoints/<size>.note` | The signed checkpoints (C2SP signed notes), verbatim. |
        | `blocks/<first>-<last>.jsonl.gz` | The ledger's sealed blocks, byte for byte as stored. |
        | `events.jsonl` | The events that matched the export's query, one stored entry per line. |
        | `proofs/<leaf index>.json` | For each event, its RFC 6962 inclusion proof to the checkpoint of size {{to}}. |
        | `export.json` | What was exported, when and by whom, and the SHA-256 of every other file. |

        ## Verify it offline

        1. Get the public keys from the service yourself, not from this bundle (the bundle's copy is for convenience):

               curl -s https://<service>/.well-known/tenants/ledger-keys > keys.json

        2. Run the verifier; it needs no network and trusts only the keys you give it:

               tenants-verify --bundle {{fileName}} --tenant {{tenantId}} --origin {{origin}} --keys keys.json

           It checks every checkpoint signature, the chain of checkpoints, that the blocks rebuild exactly the signed
           roots, and that no entry is missing, extra or out of order. The last line is `VALID` (exit code 0) or
           `INVALID` with the first bad place (exit code 1).

        3. Keep the checkpoint you verified (`--state state.json`): the next export verified with the same state file
           must extend it, which shows that nothing was rewritten between the two.

        ## Check the events themselves

        - Every line of `events.jsonl` is one entry of the blocks, byte for byte. Its leaf hash is
          `SHA-256(0x00 || line)` without the newline.
        - `proofs/<leaf index>.json` holds the entry (base64), its audit path (`hashes`, bottom-up) and the signed
          checkpoint it leads to; fold the path as RFC 9162 section 2.1.3.2 describes and compare the result with the
          checkpoint's root hash, whose signature step 2 verified.
        - `export.json` lists the SHA-256 of every file; `sha256sum` of each file must match.
        """);
}
