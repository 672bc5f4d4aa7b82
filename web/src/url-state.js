// Shareable state in the URL hash: the drawing, the model and the settings.
// The drawing is quantised to 16 grey levels, deflated and base64url-encoded (~100–300 chars).

import { IMAGE_PIXELS } from "./constants.js";
import { MESSAGES } from "./ui/strings.js";

const LEVELS = 15;

/** Encode pixels in [0, 1] as a compact string. */
export async function encodeDrawing(pixels) {
  const packed = new Uint8Array(Math.ceil(pixels.length / 2));
  for (let i = 0; i < pixels.length; i++) {
    const level = Math.round(Math.min(1, Math.max(0, pixels[i])) * LEVELS);
    packed[i >> 1] |= i % 2 ? level : level << 4;
  }
  const deflated = await transform(packed, new CompressionStream("deflate-raw"));
  return toBase64Url(deflated);
}

/** Decode a string made by `encodeDrawing` into `size` pixels. */
export async function decodeDrawing(text, size = IMAGE_PIXELS) {
  const packed = await transform(fromBase64Url(text), new DecompressionStream("deflate-raw"));
  if (packed.length !== Math.ceil(size / 2)) throw new Error(MESSAGES.linkDrawingDamaged);
  const pixels = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const level = i % 2 ? packed[i >> 1] & 0x0f : packed[i >> 1] >> 4;
    pixels[i] = level / LEVELS;
  }
  return pixels;
}

/** Read the state fields from a location hash (`#d=…&w=…`). */
export function readHash(hash = window.location.hash) {
  return Object.fromEntries(new URLSearchParams(hash.replace(/^#/, "")));
}

/** A URL for `state` (plain values; empty ones are left out). */
export function urlWithState(state, base = window.location.href) {
  const url = new URL(base);
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  url.hash = params.toString();
  return url.href;
}

async function transform(bytes, stream) {
  const output = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(output).arrayBuffer());
}

function toBase64Url(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
