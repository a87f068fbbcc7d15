// The browser's verifier against the RFC 6962 vectors (read in place from ../shared beside the checkout) and against
// checkpoints signed here with WebCrypto, with the tampering an attacker would try.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromBase64, leafHash, nodeHash, toBase64, verifyInclusion } from './merkle';
import { derToRaw, keyIdOf, parseCheckpoint } from './note';
import { proveInclusion, type InclusionProof } from './prove';

const vectors = join(__dirname, '..', '..', '..', '..', '..', 'shared', 'vectors', 'rfc6962-proofs', 'inclusion');

interface Probe {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

describe('RFC 6962 inclusion vectors', () => {
  const files = existsSync(vectors)
    ? readdirSync(vectors, { recursive: true, withFileTypes: true })
        .filter((f) => f.isFile() && f.name.endsWith('.json'))
        .map((f) => join(f.parentPath, f.name))
    : [];

  it('finds the vectors beside the checkout', () => {
    expect(files.length, `no vectors under ${vectors}`).toBeGreaterThan(20);
  });

  it('accepts every happy path and rejects every mutation', async () => {
    for (const file of files) {
      const probe = JSON.parse(readFileSync(file, 'utf8')) as Probe;
      const ok = await verifyInclusion(probe.leafIdx, probe.treeSize, fromBase64(probe.leafHash), (probe.proof ?? []).map(fromBase64), fromBase64(probe.root));
      expect(ok, `${file}: ${probe.desc}`).toBe(!probe.wantErr);
    }
  });
});

// A two-leaf-plus ledger signed by a key made here, in the exact note format the service writes.
async function fixture() {
  const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
  const keyId = await keyIdOf(spki);
  const origin = 'test.tenants/ledger/acme';
  const entries = [0, 1, 2].map((i) => new TextEncoder().encode(`{"v":1,"origin":"${origin}","tenant":"acme","index":${i},"time":"2026-11-23T00:00:0${i}.000000Z","kind":"statement","event":{}}`));
  const leaves = await Promise.all(entries.map(leafHash));
  const left = await nodeHash(leaves[0]!, leaves[1]!);
  const root = await nodeHash(left, leaves[2]!);
  const body = `${origin}\n3\n${toBase64(root)}\ntime 2026-11-23T00:00:03.000000Z\nprev -\nrange 0-2\nkey ${origin}+${keyId} ${keyId}\n`;
  const raw = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.privateKey, new TextEncoder().encode(body)));
  const der = rawToDer(raw);
  const signature = new Uint8Array([...fromHex(keyId), ...der]);
  const checkpoint = `${body}\n\u2014 ${origin} ${toBase64(signature)}\n`;
  const pem = `-----BEGIN PUBLIC KEY-----\n${toBase64(spki)}\n-----END PUBLIC KEY-----\n`;
  const proof: InclusionProof = { leafIndex: 1, treeSize: 3, entry: toBase64(entries[1]!), hashes: [toBase64(leaves[0]!), toBase64(leaves[2]!)], checkpoint };
  return { proof, published: [{ name: origin, keyId, publicKeyPem: pem }] };
}

function fromHex(hex: string): number[] {
  return hex.match(/../g)!.map((h) => parseInt(h, 16));
}

function rawToDer(raw: Uint8Array): Uint8Array {
  const integer = (bytes: Uint8Array) => {
    let v = Array.from(bytes);
    while (v.length > 1 && v[0] === 0 && v[1]! < 0x80) v = v.slice(1);
    if (v[0]! >= 0x80) v = [0, ...v];
    return [0x02, v.length, ...v];
  };
  const body = [...integer(raw.slice(0, 32)), ...integer(raw.slice(32))];
  return new Uint8Array([0x30, body.length, ...body]);
}

const flip = (base64: string, at: number) => {
  const bytes = fromBase64(base64);
  bytes[at % bytes.length]! ^= 0x01;
  return toBase64(bytes);
};

describe('proveInclusion', () => {
  it('verifies an untouched entry through every step', async () => {
    const { proof, published } = await fixture();
    const result = await proveInclusion(proof, published, 'acme', 1);
    expect(result.steps.map((s) => [s.id, s.ok])).toEqual([['leaf', true], ['entry', true], ['path', true], ['root', true], ['signature', true]]);
    expect(result.verified).toBe(true);
  });

  it('fails at the root when one byte of the entry changes', async () => {
    const { proof, published } = await fixture();
    const result = await proveInclusion({ ...proof, entry: flip(proof.entry, 60) }, published, 'acme', 1);
    expect(result.verified).toBe(false);
    expect(result.steps.find((s) => s.id === 'root')!.ok).toBe(false);
    expect(result.steps.find((s) => s.id === 'signature')!.ok).toBe(true);
  });

  it('fails at the root when a path hash changes, and at the path when one is dropped', async () => {
    const { proof, published } = await fixture();
    const altered = await proveInclusion({ ...proof, hashes: [flip(proof.hashes[0]!, 3), proof.hashes[1]!] }, published, 'acme', 1);
    expect(altered.steps.find((s) => s.id === 'root')!.ok).toBe(false);
    const short = await proveInclusion({ ...proof, hashes: [proof.hashes[0]!] }, published, 'acme', 1);
    expect(short.steps.find((s) => s.id === 'path')!.ok).toBe(false);
    expect(short.verified).toBe(false);
  });

  it('fails at the signature when the signed root is replaced, or another key signed', async () => {
    const { proof, published } = await fixture();
    const lines = proof.checkpoint.split('\n');
    lines[2] = flip(lines[2]!, 5);
    const replaced = await proveInclusion({ ...proof, checkpoint: lines.join('\n') }, published, 'acme', 1);
    expect(replaced.steps.find((s) => s.id === 'signature')!.ok).toBe(false);
    const other = await fixture();
    const foreign = await proveInclusion(proof, other.published.map((k) => ({ ...k, keyId: published[0]!.keyId })), 'acme', 1);
    expect(foreign.steps.find((s) => s.id === 'signature')!.ok).toBe(false);
    expect(foreign.verified).toBe(false);
  });

  it('refuses an entry of another tenant or position even when its proof is sound', async () => {
    const { proof, published } = await fixture();
    const result = await proveInclusion(proof, published, 'globex', 1);
    expect(result.steps.find((s) => s.id === 'entry')!.ok).toBe(false);
    expect(result.verified).toBe(false);
    expect((await proveInclusion(proof, published, 'acme', 0)).verified).toBe(false);
  });

  it('opens notes strictly', () => {
    expect(() => parseCheckpoint('origin\n01\nAAAA\n\n\u2014 k AAAAAAA=\n')).toThrow(/leading zeros/);
    expect(() => parseCheckpoint('origin\n1\n' + toBase64(new Uint8Array(32)) + '\n')).toThrow();
    expect(() => derToRaw(new Uint8Array([0x30, 0x02, 0x05, 0x00]))).toThrow(/DER/);
  });
});
