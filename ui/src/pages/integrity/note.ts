// Signed checkpoints (C2SP tlog-checkpoint in a C2SP signed note) and their ECDSA P-256 signatures, checked with
// WebCrypto exactly as docs/ledger-format.md ("Checkpoints") describes.
import { equalBytes, fromBase64, sha256, toHex } from './merkle';

export interface NoteSignature {
  name: string;
  keyId: string;
  signature: Uint8Array;
}

export interface Checkpoint {
  text: string;
  body: string;
  origin: string;
  size: number;
  root: Uint8Array;
  extensions: string[];
  signatures: NoteSignature[];
}

/** Opens a note, refusing anything the format does not allow (docs/ledger-format.md, "Opening a note"). */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new Error('the checkpoint does not end with a newline');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(text)) throw new Error('the checkpoint holds control characters');
  const split = text.indexOf('\n\n');
  if (split < 0) throw new Error('the checkpoint has no signature block');
  const body = text.slice(0, split + 1);
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) throw new Error('the checkpoint needs origin, size and root lines');
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) throw new Error('the tree size is not a decimal without leading zeros');
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) throw new Error('the tree size is too large');
  let root: Uint8Array;
  try {
    root = fromBase64(rootText);
  } catch {
    throw new Error('the root is not base64');
  }
  if (root.length !== 32) throw new Error('the root is not 32 bytes');
  if (extensions.some((l) => l.length === 0)) throw new Error('the checkpoint has an empty extension line');
  const signatures = text
    .slice(split + 2)
    .split('\n')
    .filter((l) => l.length > 0)
    .map((line) => {
      const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
      if (!m) throw new Error(`a signature line does not parse: ${line.slice(0, 60)}`);
      const blob = fromBase64(m[2]!);
      if (blob.length < 5) throw new Error('a signature is too short');
      return { name: m[1]!, keyId: toHex(blob.slice(0, 4)), signature: blob.slice(4) };
    });
  if (signatures.length === 0) throw new Error('the checkpoint carries no signature');
  return { text, body, origin, size, root, extensions, signatures };
}

/** ASN.1 DER `SEQUENCE { r INTEGER, s INTEGER }` to the 64-byte r||s WebCrypto verifies. */
export function derToRaw(der: Uint8Array): Uint8Array {
  const fail = () => {
    throw new Error('the signature is not a DER ECDSA signature');
  };
  let i = 0;
  if (der[i++] !== 0x30) fail();
  let length = der[i++]!;
  if (length & 0x80) {
    const count = length & 0x7f;
    length = 0;
    for (let k = 0; k < count; k++) length = (length << 8) | der[i++]!;
  }
  if (i + length !== der.length) fail();
  const out = new Uint8Array(64);
  for (let part = 0; part < 2; part++) {
    if (der[i++] !== 0x02) fail();
    const n = der[i++]!;
    let value = der.slice(i, i + n);
    i += n;
    while (value.length > 32 && value[0] === 0) value = value.slice(1);
    if (value.length > 32 || value.length === 0) fail();
    out.set(value, part * 32 + (32 - value.length));
  }
  if (i !== der.length) fail();
  return out;
}

export interface PublishedKey {
  name: string;
  keyId: string;
  publicKeyPem: string;
}

export function pemToDer(pem: string): Uint8Array {
  const base64 = pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '');
  return fromBase64(base64);
}

/** The note key id: the first 4 bytes of SHA-256 over the DER SubjectPublicKeyInfo, as 8 hex digits. */
export async function keyIdOf(spki: Uint8Array): Promise<string> {
  return toHex((await sha256(spki)).slice(0, 4));
}

export interface SignatureCheck {
  name: string;
  keyId: string;
  ok: boolean;
  detail: string;
}

/** Checks every signature of a trusted key (by name and key id); unknown signers are ignored, as the format says. */
export async function verifyCheckpointSignatures(checkpoint: Checkpoint, keys: PublishedKey[]): Promise<SignatureCheck[]> {
  const checks: SignatureCheck[] = [];
  for (const sig of checkpoint.signatures) {
    const key = keys.find((k) => k.name === sig.name && k.keyId.toLowerCase() === sig.keyId);
    if (!key) continue;
    const spki = pemToDer(key.publicKeyPem);
    const derived = await keyIdOf(spki);
    if (derived !== sig.keyId) {
      checks.push({ name: sig.name, keyId: sig.keyId, ok: false, detail: `the published key hashes to key id ${derived}, not ${sig.keyId}` });
      continue;
    }
    let ok = false;
    let detail = '';
    try {
      const publicKey = await globalThis.crypto.subtle.importKey('spki', spki as BufferSource, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
      ok = await globalThis.crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, derToRaw(sig.signature) as BufferSource, new TextEncoder().encode(checkpoint.body));
      detail = ok ? 'ECDSA P-256 signature over the checkpoint body verifies' : 'the signature does not verify with this key';
    } catch (e) {
      detail = e instanceof Error ? e.message : String(e);
    }
    checks.push({ name: sig.name, keyId: sig.keyId, ok, detail });
  }
  return checks;
}

export { equalBytes };
