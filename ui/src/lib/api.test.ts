import { describe, expect, it } from "vitest";
import { errorMessage } from "./api";
import { locale } from "./i18n.svelte";

describe("errorMessage", () => {
  it("localizes an ApiError and its field/reason fragments", () => {
    const err = {
      code: "invalid",
      messageId: "error-invalid",
      args: { field: "title", reason: "empty" },
      message: "Title: must not be empty.",
    };
    globalThis.document ??= { documentElement: {} } as Document;
    locale.lang = "vi";
    expect(errorMessage(err)).toBe("Tiêu đề: không được để trống.");
    locale.lang = "en";
    expect(errorMessage(err)).toBe("Title: must not be empty.");
    locale.lang = "vi";
  });

  it("falls back to the English message for an unknown id, and wraps non-API errors", () => {
    const err = { code: "x", messageId: "error-from-the-future", args: {}, message: "Future" };
    expect(errorMessage(err)).toBe("Future");
    expect(errorMessage(new Error("boom"))).toContain("boom");
  });
});
