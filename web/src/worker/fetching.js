// The runtime worker's fetches of files the page names (weights exports, the learning panel's
// digits): this site's own files only, read as bytes, with an optional cap on their size.
// Each failure is worded by the caller (what the file is for).

/**
 * Fetch `url` as bytes. `words` turns each failure into a message: `otherOrigin(url, origin)`,
 * `unreachable(url, reason)`, `http(url, status, statusText)` and, with a `limit`,
 * `tooLarge(url, size, limit)` (size: a number, or "more than …" when the body ran over).
 * With a cap, the body is read as it streams, so a server that sends no length cannot make
 * the worker buffer a huge one; without, it is read whole at once.
 */
export async function fetchOwnFile(url, words, limit = Number.POSITIVE_INFINITY) {
  const origin = self.location.origin;
  // `url` is absolute (the page resolves its links): a relative one throws, as before.
  if (new URL(url).origin !== origin) {
    throw new Error(words.otherOrigin(url, origin));
  }
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(words.unreachable(url, error?.message ?? String(error)));
  }
  if (!response.ok) throw new Error(words.http(url, response.status, response.statusText));
  if (limit === Number.POSITIVE_INFINITY) return new Uint8Array(await response.arrayBuffer());
  const declared = Number(response.headers.get("content-length") || 0);
  if (declared > limit) throw new Error(words.tooLarge(url, declared, limit));
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new Error(words.tooLarge(url, `more than ${limit}`, limit));
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
