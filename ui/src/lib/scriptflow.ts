import type { Status } from "./bindings";

/** The workflow moves offered from each status, as [target, message id]. */
export function workflowActions(status: Status): [Status, string][] {
  switch (status) {
    case "draft":
      return [["review", "script-submit"]];
    case "review":
      return [
        ["approved", "script-approve"],
        ["draft", "script-return"],
      ];
    case "approved":
      return [["draft", "script-unapprove"]];
  }
}

/** Reading time against the target: the message id and the gap in seconds. */
export function targetGap(estimate: number, target: number): { id: string; gap: number } | null {
  if (target <= 0) return null;
  const gap = estimate - target;
  // Within 5 % counts as on target: reading speed varies more than that.
  if (Math.abs(gap) <= target * 0.05) return { id: "script-on-target", gap: 0 };
  return gap > 0 ? { id: "script-over", gap } : { id: "script-under", gap: -gap };
}
