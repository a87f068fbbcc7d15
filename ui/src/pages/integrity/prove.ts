// "Prove it": checks one ledger entry against a signed checkpoint, step by step, in the browser.
import { equalBytes, fromBase64, leafHash, rootFromInclusionProof, toBase64, toHex } from './merkle';
import { parseCheckpoint, verifyCheckpointSignatures, type PublishedKey } from './note';

export interface InclusionProof {
  leafIndex: number;
  treeSize: number;
  entry: string;
  hashes: string[];
  checkpoint: string;
}

export interface ProofStep {
  id: 'leaf' | 'entry' | 'path' | 'root' | 'signature';
  title: string;
  ok: boolean;
  detail: string;
}

export interface ProofResult {
  verified: boolean;
  steps: ProofStep[];
  entryText: string;
  rootHex?: string;
  keyId?: string;
}

/** Runs every step; a step that cannot run (because an earlier one failed) is reported as failed with the reason. */
export async function proveInclusion(proof: InclusionProof, keys: PublishedKey[], tenant: string, index: number): Promise<ProofResult> {
  const steps: ProofStep[] = [];
  const entryBytes = fromBase64(proof.entry);
  const entryText = new TextDecoder().decode(entryBytes);

  const leaf = await leafHash(entryBytes);
  steps.push({ id: 'leaf', title: 'Leaf hash of the entry', ok: true, detail: `SHA-256(0x00 || entry) = ${toHex(leaf)}` });

  let checkpoint: ReturnType<typeof parseCheckpoint> | null = null;
  let checkpointError = '';
  try {
    checkpoint = parseCheckpoint(proof.checkpoint);
  } catch (e) {
    checkpointError = e instanceof Error ? e.message : String(e);
  }

  let entryOk = false;
  let entryDetail: string;
  try {
    const parsed = JSON.parse(entryText) as { tenant?: unknown; index?: unknown; origin?: unknown };
    const problems: string[] = [];
    if (parsed.tenant !== tenant) problems.push(`it names tenant ${String(parsed.tenant)}, not ${tenant}`);
    if (parsed.index !== index || proof.leafIndex !== index) problems.push(`it is entry ${String(parsed.index)}, not ${index}`);
    if (checkpoint && parsed.origin !== checkpoint.origin) problems.push(`its origin ${String(parsed.origin)} is not the checkpoint's ${checkpoint.origin}`);
    entryOk = problems.length === 0;
    entryDetail = entryOk ? `the entry names tenant ${tenant}, leaf index ${index} and origin ${String(parsed.origin)}` : problems.join('; ');
  } catch {
    entryDetail = 'the entry is not JSON';
  }
  steps.push({ id: 'entry', title: 'The entry is this tenant’s, at this position', ok: entryOk, detail: entryDetail });

  let computed: Uint8Array | null = null;
  try {
    computed = await rootFromInclusionProof(proof.leafIndex, proof.treeSize, leaf, proof.hashes.map(fromBase64));
    steps.push({ id: 'path', title: `Audit path of ${proof.hashes.length} hashes`, ok: true, detail: `leads to root ${toHex(computed)}` });
  } catch (e) {
    steps.push({ id: 'path', title: `Audit path of ${proof.hashes.length} hashes`, ok: false, detail: e instanceof Error ? e.message : String(e) });
  }

  if (!checkpoint) {
    steps.push({ id: 'root', title: 'Root matches the signed checkpoint', ok: false, detail: `the checkpoint cannot be read: ${checkpointError}` });
    steps.push({ id: 'signature', title: 'Checkpoint signature', ok: false, detail: 'no readable checkpoint' });
    return { verified: false, steps, entryText };
  }

  const sizeOk = checkpoint.size === proof.treeSize;
  const rootOk = computed !== null && equalBytes(computed, checkpoint.root) && sizeOk;
  steps.push({
    id: 'root',
    title: 'Root matches the signed checkpoint',
    ok: rootOk,
    detail: !sizeOk
      ? `the checkpoint is for ${checkpoint.size} entries, the proof for ${proof.treeSize}`
      : rootOk
        ? `checkpoint of ${checkpoint.size} entries has root ${toBase64(checkpoint.root)}`
        : `the path leads to a different root than the checkpoint's ${toBase64(checkpoint.root)}`,
  });

  const checks = await verifyCheckpointSignatures(checkpoint, keys);
  const signatureOk = checks.length > 0 && checks.every((c) => c.ok);
  steps.push({
    id: 'signature',
    title: 'Checkpoint signature (ECDSA P-256)',
    ok: signatureOk,
    detail: checks.length === 0 ? 'no signature by a published key' : checks.map((c) => `${c.name} key ${c.keyId}: ${c.detail}`).join('; '),
  });

  return {
    verified: steps.every((s) => s.ok),
    steps,
    entryText,
    rootHex: toHex(checkpoint.root),
    keyId: checks.find((c) => c.ok)?.keyId,
  };
}
