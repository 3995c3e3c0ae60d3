// Settings → "Người duyệt thuật ngữ": who can be named, and how a named key
// reads. The app knows stations from its own directory (keys trusted or
// seen in packages); a province linked to the hub also knows every
// enrolled station from the network list. Both count; this station first.
import type { ApproverCandidate, NetworkStation } from "../../lib/bindings";

export function mergeCandidates(local: ApproverCandidate[], network: NetworkStation[]): ApproverCandidate[] {
  const out = [...local];
  const seen = new Set(local.map((c) => c.keyId));
  for (const s of [...network].sort((a, b) => a.name.localeCompare(b.name, "vi"))) {
    if (seen.has(s.keyId)) continue;
    seen.add(s.keyId);
    out.push({ keyId: s.keyId, name: s.name, own: false });
  }
  return out;
}

/** A named key as people know it: the station's name, else the key id. */
export function approverName(keyId: string, known: ApproverCandidate[]): string {
  return known.find((c) => c.keyId === keyId)?.name || keyId;
}

/** A key id typed in: case and spaces aside, four groups of four base32 letters. */
export function typedKeyId(text: string): string | null {
  const k = text.replace(/\s+/g, "").toUpperCase();
  return /^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/.test(k) ? k : null;
}
