import { describe, expect, it } from "vitest";
import type { ApproverCandidate, NetworkStation } from "../../lib/bindings";
import { approverName, mergeCandidates, typedKeyId } from "./approvers";

const station = (keyId: string, name: string): NetworkStation => ({
  keyId,
  name,
  adminCode: "",
  role: "commune",
  appVersion: "",
  freeDisk: -1,
  pending: 0,
  silent: false,
});

describe("approver candidates", () => {
  const local: ApproverCandidate[] = [
    { keyId: "AAAA-AAAA-AAAA-AAAA", name: "Đài tỉnh", own: true },
    { keyId: "BBBB-BBBB-BBBB-BBBB", name: "Xã A Vương", own: false },
  ];

  it("keeps this station first and adds each hub station once, by name", () => {
    const merged = mergeCandidates(local, [
      station("DDDD-DDDD-DDDD-DDDD", "Xã Tr'Hy"),
      station("BBBB-BBBB-BBBB-BBBB", "Xã A Vương (hub)"),
      station("CCCC-CCCC-CCCC-CCCC", "Xã Bhalêê"),
    ]);
    expect(merged.map((c) => c.name)).toEqual(["Đài tỉnh", "Xã A Vương", "Xã Bhalêê", "Xã Tr'Hy"]);
  });

  it("names a key by its station, or shows the key id when unknown", () => {
    expect(approverName("BBBB-BBBB-BBBB-BBBB", local)).toBe("Xã A Vương");
    expect(approverName("ZZZZ-ZZZZ-ZZZZ-ZZZZ", local)).toBe("ZZZZ-ZZZZ-ZZZZ-ZZZZ");
  });

  it("reads a typed key id and refuses what cannot be one", () => {
    expect(typedKeyId(" abcd-efgh-2345-67ab ")).toBe("ABCD-EFGH-2345-67AB");
    expect(typedKeyId("ABCD-EFGH-2345")).toBeNull();
    expect(typedKeyId("ABCD-EFGH-2345-6781")).toBeNull();
  });
});
